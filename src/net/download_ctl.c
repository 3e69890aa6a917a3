/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * download_ctl.c: downloads as commands see them: starting one from a
 * result or a URN with every source known to have it, listing, pausing,
 * resuming and cancelling, and loading the downloads a previous run saved.
 * The fetching itself is download.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"
#include "net/results.h"
#include "wire/norm.h"
#include "wire/qhit.h"
#include "share/share.h"
#include "wire/magnet.h"
#include "xfer/dl.h"

/* A source from a hit or a result: a firewalled one (push) by its servent
 * GUID, reached by Push (push.c), any other by its address, and saved. */
static int
gdl_source(struct gnet *g, struct gdl *gd, uint32_t ip, uint16_t port,
    uint32_t index, uint8_t status, const uint8_t *guid,
    const uint32_t *pp_ip, const uint16_t *pp_port, size_t npp)
{
	int	 slot;

	if ((status & QHIT_S_PUSH) && guid != NULL) {
		if (memcmp(guid, node_guid(g->node), 16) == 0)
			return -1;
		return dl_add_push_source(gd->dl, guid, ip, port, index,
		    pp_ip, pp_port, npp);
	}
	if ((slot = dl_add_source(gd->dl, ip, port, index)) >= 0)
		gdl_save_source(g, gd, (size_t)slot);
	return slot;
}

static int
gdl_source_hit(struct gnet *g, struct gdl *gd, const struct node_result *nr)
{
	return gdl_source(g, gd, nr->ip, nr->port, nr->rec->index, nr->status,
	    nr->guid, nr->pp_ip, nr->pp_port, nr->npp);
}

struct gdl_from_results {
	struct gnet	*g;
	struct gdl	*gd;
};

static void
gdl_result_source(void *arg, const struct result_source *rs)
{
	struct gdl_from_results	*fr = arg;

	gdl_source(fr->g, fr->gd, rs->ip, rs->port, rs->index, rs->status,
	    rs->guid, rs->pp_ip, rs->pp_port, rs->npp);
}

/* Every source any search found for the download's URN. */
static void
gdl_add_result_sources(struct gnet *g, struct gdl *gd)
{
	struct gdl_from_results	 fr = { g, gd };

	results_sources(g->results, gd->dl->sha1, gdl_result_source, &fr);
}

/* The running download of this SHA-1, or NULL; a cancelled one is
 * forgotten, to start over under its row (and id). */
static struct gdl *
gdl_running(struct gnet *g, const uint8_t *sha1)
{
	struct gdl	*gd;

	for (gd = g->downloads; gd != NULL; gd = gd->next)
		if (memcmp(gd->dl->sha1, sha1, SHA1_LEN) == 0) {
			if (gd->dl->state != DL_CANCELLED)
				return gd;
			/* The row stays so ids never repeat. */
			gdl_forget(g, gd);
			return NULL;
		}
	return NULL;
}

/*
 * A new download, recorded, with every source the results know. trusted:
 * tth came with the hit that named the file (a result) or with the link
 * the user gave, so a file whose every chunk matched it needs no SHA-1
 * pass; a root some other hit offered for a link's SHA-1 does not.
 */
static struct gdl *
gdl_start(struct gnet *g, const uint8_t *sha1, const uint8_t *tth,
    int trusted, const char *name, uint64_t size, char **cause)
{
	struct share_dl		 row;
	struct gdl		*gd;
	struct dl		*dl;
	int64_t			 id;

	memset(&row, 0, sizeof row);
	memcpy(row.sha1, sha1, SHA1_LEN);
	if (tth != NULL) {
		memcpy(row.tth, tth, TTH_LEN);
		row.has_tth = 1;
	}
	row.name = name;
	row.size = size;
	row.state = "queued";
	id = 0;
	if (g->share == NULL || share_dl_add(g->share, &row, time(NULL),
	    &id) < 0 || id <= 0) {
		xasprintf(cause, "cannot record the download");
		return NULL;
	}
	dl = dl_new(id, sha1, name, size, tth);
	/* The row may be a cancelled download's: no chunk of it counts. */
	gd = gdl_add(g, dl);
	gd->root_trusted = tth != NULL && trusted;
	gdl_add_result_sources(g, gd);
	return gd;
}

/* A download from a result's sources, or the URN's. */
uint32_t
gnet_get(struct gnet *g, const char *what, char **cause)
{
	const struct result		*r = NULL;
	const struct result_search	*s;
	struct gdl			*gd;
	uint8_t				 sha1[SHA1_LEN];
	char				*end;
	unsigned long			 num;
	size_t				 i, j;

	if (strncasecmp(what, "urn:", 4) == 0) {
		if (huge_parse_sha1(what, strlen(what), sha1) != 0) {
			xasprintf(cause, "not a urn:sha1: %s", what);
			return 0;
		}
		for (i = 0; r == NULL &&
		    (s = results_search_at(g->results, i)) != NULL; i++)
			for (j = 0; j < s->nres; j++)
				if (s->res[j]->has_sha1 && memcmp(s->res[j]->sha1,
				    sha1, SHA1_LEN) == 0) {
					r = s->res[j];
					break;
				}
	} else {
		num = strtoul(what, &end, 10);
		if (*what == '\0' || *end != '\0' || num == 0 ||
		    num > UINT32_MAX) {
			xasprintf(cause, "not a result number or urn:sha1: %s",
			    what);
			return 0;
		}
		r = results_by_number(g->results, (uint32_t)num);
	}
	if (r == NULL) {
		xasprintf(cause, "no result %s (search first)", what);
		return 0;
	}
	if (!r->has_sha1) {
		xasprintf(cause, "result %u has no SHA-1 to check it by",
		    r->number);
		return 0;
	}
	if ((gd = gdl_running(g, r->sha1)) != NULL)
		return (uint32_t)gd->dl->id;
	if ((gd = gdl_start(g, r->sha1, r->has_tth ? r->tth : NULL, 1, r->name,
	    r->size, cause)) == NULL)
		return 0;
	gdl_save(g, gd);
	log_info("download %lld %s: started, %zu sources",
	    (long long)gd->dl->id, gd->dl->name, gd->dl->nsrc);
	download_tick(g);
	return (uint32_t)gd->dl->id;
}

/*
 * A magnet link waiting for a size: a download cannot be cut into chunks
 * before it is known, so the first hit for the file gives it. Kept in
 * memory only; a restart forgets it (the user has the link).
 */
struct gmagnet {
	struct gmagnet	*next;
	struct magnet	 m;
	uint32_t	 search;
	int		 link_tth;	/* m.tth came with the link itself */
};

#define GMAGNET_MAX	64	/* links waiting at once */

/* The link's sources on a download. */
static void
gdl_add_magnet_sources(struct gnet *g, struct gdl *gd, const struct magnet *m)
{
	size_t	 i;
	int	 slot;

	for (i = 0; i < m->nsrc; i++)
		if ((slot = dl_add_source(gd->dl, m->src[i].ip, m->src[i].port,
		    0)) >= 0)
			gdl_save_source(g, gd, (size_t)slot);
}

/* A name as search words (see net.h). */
struct gnet_words {
	char	*text;
	size_t	 len, cap;
};

static void
gnet_word(void *arg, const char *w, size_t len)
{
	struct gnet_words	*gw = arg;
	const char		*p, *e;

	if (norm_chars(w, len) < 3 || gw->len + 1 + len >= gw->cap)
		return;
	for (p = gw->text; *p != '\0'; p = *e == ' ' ? e + 1 : e) {
		if ((e = strchr(p, ' ')) == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) == len && memcmp(p, w, len) == 0)
			return;
	}
	if (gw->len > 0)
		gw->text[gw->len++] = ' ';
	memcpy(gw->text + gw->len, w, len);
	gw->len += len;
	gw->text[gw->len] = '\0';
}

size_t
gnet_name_words(const char *name, char *out, size_t cap)
{
	struct gnet_words	 gw = { out, 0, cap };

	if (cap == 0)
		return 0;
	out[0] = '\0';
	norm_words(name, strlen(name), gnet_word, &gw);
	return gw.len;
}

/* Search by the link's SHA-1 and name; the search's id or 0. */
static uint32_t
gmagnet_search(struct gnet *g, const struct magnet *m)
{
	const char	*cause = NULL;
	char		 words[GNET_URN_WORDS + 1];
	uint32_t	 id;

	gnet_name_words(m->has_name ? m->name : "", words, sizeof words);
	if ((id = gnet_search_sha1(g, words, m->sha1, NULL, &cause)) == 0)
		log_warnx("magnet: no search for it: %s", cause);
	return id;
}

/* The download of a magnet link (see net.h). */
uint32_t
gnet_get_magnet(struct gnet *g, const struct magnet *m, uint32_t *search,
    char **cause)
{
	const struct result_search	*s;
	const struct result		*r = NULL;
	struct gmagnet			*gm;
	struct gdl			*gd;
	char				 urn[HUGE_URN_SHA1_LEN + 1];
	const char			*name;
	size_t				 i, j, n;
	uint64_t			 size;
	uint32_t			 sid;

	*search = 0;
	if (!m->has_sha1) {
		xasprintf(cause, "the magnet has no urn:sha1");
		return 0;
	}
	huge_format_sha1(m->sha1, urn, sizeof urn);
	if ((gd = gdl_running(g, m->sha1)) != NULL) {
		gdl_add_magnet_sources(g, gd, m);
		download_tick(g);
		return (uint32_t)gd->dl->id;
	}
	/* What a search found already may say the size. */
	for (i = 0; r == NULL && (s = results_search_at(g->results, i)) !=
	    NULL; i++)
		for (j = 0; j < s->nres; j++)
			if (s->res[j]->has_sha1 && memcmp(s->res[j]->sha1,
			    m->sha1, SHA1_LEN) == 0) {
				r = s->res[j];
				break;
			}
	if (!m->has_size && r == NULL) {
		for (gm = g->magnets, n = 0; gm != NULL; gm = gm->next, n++)
			if (memcmp(gm->m.sha1, m->sha1, SHA1_LEN) == 0) {
				/* Asked again after its search expired: a new
				 * one, since hits for the old end nowhere. */
				if (node_search_results(g->node, gm->search) < 0 &&
				    (sid = gmagnet_search(g, m)) != 0)
					gm->search = sid;
				*search = gm->search;
				return 0;
			}
		if (n >= GMAGNET_MAX) {
			xasprintf(cause, "%u magnet links wait for a size "
			    "already", GMAGNET_MAX);
			return 0;
		}
		if ((*search = gmagnet_search(g, m)) == 0) {
			xasprintf(cause, "cannot search for %s", urn);
			return 0;
		}
		gm = xcalloc(1, sizeof *gm);
		gm->m = *m;
		gm->search = *search;
		gm->next = g->magnets;
		g->magnets = gm;
		log_info("magnet %s: waiting for a hit to give its size "
		    "(search %u)", urn, *search);
		return 0;
	}
	size = m->has_size ? m->size : r->size;
	name = m->has_name ? m->name : r != NULL ? r->name : urn;
	if ((gd = gdl_start(g, m->sha1, m->has_tth ? m->tth : r != NULL &&
	    r->has_tth ? r->tth : NULL, m->has_tth, name, size, cause)) == NULL)
		return 0;
	gdl_add_magnet_sources(g, gd, m);
	gdl_save(g, gd);
	log_info("download %lld %s: started from a magnet, %zu sources",
	    (long long)gd->dl->id, gd->dl->name, gd->dl->nsrc);
	*search = gmagnet_search(g, m);
	download_tick(g);
	return (uint32_t)gd->dl->id;
}

/* A hit: a source for a download of that file, or the size a waiting
 * magnet link needs. Called from the core's result callback: nothing
 * here closes a peer or dials. */
void
download_hit(struct gnet *g, const struct node_result *nr)
{
	const struct qhit_record	*rec = nr->rec;
	struct gmagnet			**gp, *gm;
	struct gdl			*gd;
	char				*cause = NULL;

	if (rec == NULL || !rec->has_sha1 || (!(nr->status & QHIT_S_PUSH) &&
	    (nr->ip == 0 || nr->port == 0)))
		return;
	for (gp = &g->magnets; (gm = *gp) != NULL; gp = &gm->next)
		if (memcmp(gm->m.sha1, rec->sha1, SHA1_LEN) == 0)
			break;
	if (gm != NULL) {
		*gp = gm->next;
		if (gdl_running(g, rec->sha1) == NULL) {
			gm->m.size = rec->size;
			gm->m.has_size = 1;
			if (!gm->m.has_name && rec->namelen > 0 &&
			    rec->namelen <= MAGNET_NAME_MAX &&
			    memchr(rec->name, '\0', rec->namelen) == NULL) {
				memcpy(gm->m.name, rec->name, rec->namelen);
				gm->m.name[rec->namelen] = '\0';
				gm->m.has_name = 1;
			}
			gm->link_tth = gm->m.has_tth;
			if (!gm->m.has_tth && rec->has_tth) {
				memcpy(gm->m.tth, rec->tth, TTH_LEN);
				gm->m.has_tth = 1;
			}
			if (!gm->m.has_name)
				huge_format_sha1(gm->m.sha1, gm->m.name,
				    sizeof gm->m.name);
			gd = gdl_start(g, gm->m.sha1, gm->m.has_tth ?
			    gm->m.tth : NULL, gm->link_tth, gm->m.name,
			    gm->m.size, &cause);
			if (gd == NULL) {
				log_warnx("magnet: %s", cause);
				free(cause);
			} else {
				/* The store may have kept the hit (gdl_start
				 * took it from there) or not: this is its
				 * source either way. */
				gdl_source_hit(g, gd, nr);
				gdl_add_magnet_sources(g, gd, &gm->m);
				gdl_save(g, gd);
				log_info("download %lld %s: started from a "
				    "magnet's search, %zu sources",
				    (long long)gd->dl->id, gd->dl->name,
				    gd->dl->nsrc);
			}
		}
		free(gm);
		return;
	}
	for (gd = g->downloads; gd != NULL; gd = gd->next) {
		if (memcmp(gd->dl->sha1, rec->sha1, SHA1_LEN) != 0 ||
		    gd->dl->state == DL_DONE || gd->dl->state == DL_CANCELLED)
			continue;
		/* A hit that says another size is another file, or a lie. */
		if (rec->size != gd->dl->size)
			continue;
		gdl_source_hit(g, gd, nr);
		break;
	}
}

/* What its firewalled sources are doing, while nothing else is: a Push
 * waiting for its GIV, or every source gone and one of them never came. */
static void
gdl_push_note(const struct gdl *gd, char *out, size_t cap)
{
	const struct dl_source	*s;
	size_t			 i, alive = 0, lost = 0, tries = 0;

	out[0] = '\0';
	if (gd->dl->state != DL_QUEUED && gd->dl->state != DL_ACTIVE)
		return;
	for (i = 0; i < gd->dl->nsrc; i++) {
		s = &gd->dl->src[i];
		if (s->status == DL_SRC_BUSY)
			return;
		if (s->unreachable)
			lost++;
		if (s->status == DL_SRC_GONE || s->status == DL_SRC_BANNED)
			continue;
		alive++;
		if (s->push && s->status == DL_SRC_BACKOFF &&
		    s->push_tries > tries)
			tries = s->push_tries;
	}
	if (tries > 0)
		snprintf(out, cap, "waiting for push (%zu of %u)", tries,
		    DL_PUSH_TRIES);
	else if (alive == 0 && lost > 0)
		snprintf(out, cap, "failed: source unreachable");
}

size_t
gnet_downloads(struct gnet *g, struct gnet_download *out, size_t max)
{
	struct gdl		*gd;
	struct dl_progress	 p;
	size_t			 n = 0, i;

	for (gd = g->downloads; gd != NULL && n < max; gd = gd->next) {
		dl_progress(gd->dl, &p);
		memset(&out[n], 0, sizeof out[n]);
		out[n].id = (uint32_t)gd->dl->id;
		out[n].name = gd->dl->name;
		out[n].state = dl_state_name(gd->dl->state);
		snprintf(out[n].urn, sizeof out[n].urn, "%s", gd->urn);
		out[n].size = p.size;
		out[n].bytes = p.bytes;
		/* A done file was checked whole (its SHA-1) if not chunk by
		 * chunk. */
		out[n].verified = gd->dl->state == DL_DONE ? p.size :
		    p.verified;
		out[n].percent = p.percent;
		out[n].rate = gd->dl->state == DL_ACTIVE ? gd->rate : 0;
		out[n].eta_s = out[n].rate > 1 ? (int64_t)((double)(p.size -
		    p.bytes) / out[n].rate) : -1;
		out[n].sources_active = p.busy;
		out[n].sources_known = p.sources;
		for (i = 0; i < gd->dl->nsrc; i++) {
			if (gd->dl->src[i].status == DL_SRC_BANNED)
				out[n].sources_banned++;
			if (gd->dl->src[i].bytes > 0)
				out[n].sources_served++;
		}
		gdl_queue_place(g, gd, &out[n].queue_pos, &out[n].queue_len);
		gdl_push_note(gd, out[n].note, sizeof out[n].note);
		out[n].path = gd->path;
		if (gd->dl->state == DL_STALLED)
			out[n].stall = gd->stall_errno == ENOSPC ||
			    gd->stall_errno == EDQUOT ? "disk full" :
			    "cannot write";
		out[n].unmoved = gd->dl->state == DL_DONE && gd->unmoved;
		n++;
	}
	return n;
}

int
gnet_download_pause(struct gnet *g, uint32_t id, const char **cause)
{
	struct gdl	*gd = gdl_find(g, id);

	if (gd == NULL || dl_pause(gd->dl) != 0) {
		*cause = gd == NULL ? "no such download" : "it is not running";
		return -1;
	}
	gdl_close_conns(g, gd);
	gdl_save(g, gd);
	return 0;
}

int
gnet_download_resume(struct gnet *g, uint32_t id, const char **cause)
{
	struct gdl	*gd = gdl_find(g, id);

	if (gd == NULL || dl_resume(gd->dl) != 0) {
		*cause = gd == NULL ? "no such download" :
		    "it is neither paused, failed nor stalled";
		return -1;
	}
	gdl_save(g, gd);
	download_tick(g);
	return 0;
}

int
gnet_download_cancel(struct gnet *g, uint32_t id, const char **cause)
{
	struct gdl	*gd = gdl_find(g, id);

	if (gd == NULL || dl_cancel(gd->dl) != 0) {
		*cause = gd == NULL ? "no such download" : "it is finished";
		return -1;
	}
	gdl_close_conns(g, gd);
	if (gd->fd >= 0) {
		gdl_close_file(gd);
		unlink(gd->part);
	}
	gdl_save(g, gd);	/* the row stays, cancelled: ids never repeat */
	return 0;
}

/* Unlink a download from the node and free it (its connections are
 * closed already). */
void
gdl_forget(struct gnet *g, struct gdl *gd)
{
	struct gdl	**gp;

	for (gp = &g->downloads; *gp != NULL; gp = &(*gp)->next)
		if (*gp == gd) {
			*gp = gd->next;
			break;
		}
	gdl_close_file(gd);
	dl_free(gd->dl);
	free(gd->part);
	free(gd->path);
	free(gd->tree);
	free(gd->words);
	free(gd);
}

/* Downloads saved by an earlier run. */
/* Whether path is a partial file of this node's (data_dir/partial/X.part). */
static int
gdl_is_partial(struct gnet *g, const char *path)
{
	char	*dir = gdl_dir(g, "partial");
	size_t	 n = strlen(dir), len = strlen(path);
	int	 yes;

	yes = strncmp(path, dir, n) == 0 && path[n] == '/' && len > 5 &&
	    strcmp(path + len - 5, ".part") == 0;
	free(dir);
	return yes;
}

static void
download_load_one(void *arg, const struct share_dl *row,
    const struct share_dl_source *src, size_t nsrc)
{
	struct gnet	*g = arg;
	struct dl	*dl;
	struct gdl	*gd;
	size_t		 i;
	int		 slot, st;

	dl = dl_new(row->id, row->sha1, row->name, row->size,
	    row->has_tth ? row->tth : NULL);
	if (row->chunks != NULL && row->chunk_size == dl->chunk)
		dl_import_chunks(dl, row->chunk_size, row->chunks,
		    row->chunks_len);
	for (i = 0; i < nsrc; i++)
		if ((slot = dl_add_source(dl, src[i].ip, src[i].port,
		    src[i].idx)) >= 0 && src[i].banned)
			dl_source_ban(dl, (size_t)slot);
	if ((st = dl_state_parse(row->state)) >= 0)
		dl_restore_state(dl, (enum dl_state)st);
	gd = gdl_add(g, dl);
	/* Where a saved root came from is not kept (a result's hit, a
	 * link, or another hit for a link's SHA-1): after a restart the
	 * whole file's SHA-1 is checked too. */
	gd->root_trusted = 0;
	if (dl->state == DL_DONE) {
		if (row->path != NULL)
			gd->path = xstrdup(row->path);
		/* Left in partial/ by a full download_dir before the
		 * restart: it is still to be moved. */
		if (gd->path != NULL && gdl_is_partial(g, gd->path))
			gd->unmoved = 1;
		return;
	}
	log_info("download %lld %s: resumed at %llu of %llu bytes",
	    (long long)row->id, row->name, (unsigned long long)dl->bytes,
	    (unsigned long long)dl->size);
	(void)gd;
}

void
download_load(struct gnet *g)
{
	if (g->share != NULL && share_dl_load_all(g->share, download_load_one,
	    g) < 0)
		log_warnx("downloads: cannot read the saved downloads");
}

void
download_free(struct gnet *g)
{
	struct gdl	*gd;
	struct gmagnet	*gm;

	while ((gd = g->downloads) != NULL) {
		if (gd->fd >= 0 && gd->dl->state != DL_DONE)
			gdl_save(g, gd);
		gdl_forget(g, gd);
	}
	while ((gm = g->magnets) != NULL) {
		g->magnets = gm->next;
		free(gm);
	}
}
