/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * download_ctl.c: downloads as commands see them: starting one from a
 * result or a URN with every source known to have it, listing, pausing,
 * resuming and cancelling, and loading the downloads a previous run saved.
 * The fetching itself is download.c.
 */
#include <arpa/inet.h>
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
#include "share/share.h"
#include "xfer/dl.h"

/* A download from a result's sources, or the URN's. */
uint32_t
gnet_get(struct gnet *g, const char *what, char **cause)
{
	const struct result		*r = NULL, *rr;
	const struct result_search	*s;
	struct share_dl			 row;
	struct gdl			*gd;
	struct dl			*dl;
	uint8_t				 sha1[SHA1_LEN];
	char				*end;
	unsigned long			 num;
	size_t				 i, j, k;
	int64_t				 id;
	int				 slot;

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
	for (gd = g->downloads; gd != NULL; gd = gd->next)
		if (memcmp(gd->dl->sha1, r->sha1, SHA1_LEN) == 0) {
			if (gd->dl->state != DL_CANCELLED)
				return (uint32_t)gd->dl->id;
			/* A cancelled download of it starts over under its
			 * row (and id): the row stays so ids never repeat. */
			gdl_forget(g, gd);
			break;
		}
	memset(&row, 0, sizeof row);
	memcpy(row.sha1, r->sha1, SHA1_LEN);
	if (r->has_tth) {
		memcpy(row.tth, r->tth, TTH_LEN);
		row.has_tth = 1;
	}
	row.name = r->name;
	row.size = r->size;
	row.state = "queued";
	id = 0;
	if (g->share == NULL || share_dl_add(g->share, &row, time(NULL),
	    &id) < 0 || id <= 0) {
		xasprintf(cause, "cannot record the download");
		return 0;
	}
	dl = dl_new(id, r->sha1, r->name, r->size, r->has_tth ? r->tth : NULL);
	/* The row may be a cancelled download's: no chunk of it counts. */
	gd = gdl_add(g, dl);
	gd->root_trusted = r->has_tth;
	/* Every source any search found for this URN. */
	for (i = 0; (s = results_search_at(g->results, i)) != NULL; i++)
		for (j = 0; j < s->nres; j++) {
			rr = s->res[j];
			if (!rr->has_sha1 || memcmp(rr->sha1, r->sha1, SHA1_LEN))
				continue;
			for (k = 0; k < rr->nsrc; k++)
				if ((slot = dl_add_source(dl, rr->src[k].ip,
				    rr->src[k].port, rr->src[k].index)) >= 0)
					gdl_save_source(g, gd, (size_t)slot);
		}
	gdl_save(g, gd);
	log_info("download %lld %s: started, %zu sources", (long long)id,
	    dl->name, dl->nsrc);
	download_tick(g);
	return (uint32_t)id;
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
		for (i = 0; i < gd->dl->nsrc; i++)
			if (gd->dl->src[i].status == DL_SRC_BANNED)
				out[n].sources_banned++;
		gdl_queue_place(g, gd, &out[n].queue_pos, &out[n].queue_len);
		out[n].path = gd->path;
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
		    "it is neither paused nor failed";
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
	free(gd);
}

/* Downloads saved by an earlier run. */
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
	gd->root_trusted = row->has_tth;	/* saved only from a hit */
	if (dl->state == DL_DONE) {
		if (row->path != NULL)
			gd->path = xstrdup(row->path);
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

	while ((gd = g->downloads) != NULL) {
		if (gd->fd >= 0 && gd->dl->state != DL_DONE)
			gdl_save(g, gd);
		gdl_forget(g, gd);
	}
}
