/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * partial.c: sharing what we are downloading ([xfer] partial_sharing,
 * on by default), the way a swarm spreads a file: every downloader
 * serves the chunks it already has.
 * - Uploads of a URN we are fetching are served from its partial file,
 *   and only from chunks that passed their check (their Tiger tree node,
 *   or the whole file's SHA-1): xfer/upload.c answers with those ranges
 *   in X-Available-Ranges, and 416 for an offset in none of them; and
 *   the THEX tree we got for it, so that they can check what we send.
 * - Queries that match a download's name (every word) or SHA-1 are
 *   answered with it, marked partial (GGEP PRU: now, the bytes we have),
 *   under an index no shared file has (PARTIAL_INDEX set): it is asked
 *   for by its URN.
 * - A finished download whose place (download_dir) is inside a shared
 *   directory joins the share index at once, with its hashes and tree,
 *   without a rescan (and without hashing it again).
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "conf/conf.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"
#include "share/share.h"
#include "wire/qhit.h"
#include "wire/query.h"
#include "wire/norm.h"
#include "xfer/dl.h"
#include "xfer/upload.h"

#define PARTIAL_INDEX	0x80000000u

int
partial_on(const struct gnet *g)
{
	return g->conf->partial_sharing == NULL ||
	    strcmp(g->conf->partial_sharing, "off") != 0;
}

/* A download we share now: running, paused or stalled, with a file. */
static int
partial_shareable(const struct gdl *gd)
{
	return gd->dl->state != DL_DONE && gd->dl->state != DL_CANCELLED &&
	    gd->part != NULL && gd->fd >= 0 && gd->dl->count[DL_CHUNK_DONE] > 0;
}

/* The verified byte ranges of a download, merged; how many (at most
 * max: a file checked in more pieces shows its first ones). */
size_t
partial_ranges(const struct dl *dl, uint64_t (*r)[2], size_t max,
    uint64_t *bytes)
{
	uint64_t	 off, len;
	uint32_t	 c;
	size_t		 n = 0;

	*bytes = 0;
	for (c = 0; c < dl->nchunks; c++) {
		if (dl->chunks[c].state != DL_CHUNK_DONE)
			continue;
		dl_chunk_span(dl, c, &off, &len);
		*bytes += len;
		if (n > 0 && r[n - 1][1] + 1 == off)
			r[n - 1][1] = off + len - 1;
		else if (n < max) {
			r[n][0] = off;
			r[n][1] = off + len - 1;
			n++;
		}
	}
	return n;
}

int
partial_upload(void *arg, const uint8_t *sha1, struct upload_partial *p)
{
	struct gnet	*g = arg;
	struct gdl	*gd;
	uint64_t	 bytes;

	if (!partial_on(g))
		return 0;
	for (gd = g->downloads; gd != NULL; gd = gd->next)
		if (memcmp(gd->dl->sha1, sha1, SHA1_LEN) == 0)
			break;
	if (gd == NULL || !partial_shareable(gd))
		return 0;
	memset(p, 0, sizeof *p);
	p->nranges = partial_ranges(gd->dl, p->ranges, UPLOAD_RANGES_MAX,
	    &bytes);
	if (p->nranges == 0)
		return 0;
	if ((p->fd = open(gd->part, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		log_warn("upload: %s", gd->part);
		return 0;
	}
	snprintf(p->name, sizeof p->name, "%s", gd->dl->name);
	p->size = gd->dl->size;
	if (gd->tree != NULL && gd->dl->has_tth) {
		memcpy(p->tth, gd->dl->tth, TTH_LEN);
		p->tree = gd->tree;
		p->ntree = gd->ntree;
		p->depth = gd->tree_depth;
	}
	return 1;
}

/* Whether every word of a query is in a download's name. */
struct partial_q {
	const char	*words;		/* the name's, space-separated */
	int		 all;		/* no word missing so far */
	size_t		 n;
};

static void
partial_word(void *arg, const char *w, size_t len)
{
	struct partial_q	*pq = arg;
	const char		*p;

	pq->n++;
	for (p = pq->words; (p = strchr(p, *w)) != NULL; p++)
		if (strncmp(p, w, len) == 0)
			return;
	pq->all = 0;
}

static int
partial_matches(struct gdl *gd, const struct query *q)
{
	struct partial_q	 pq;
	size_t			 i;

	for (i = 0; i < q->nsha1; i++)
		if (memcmp(q->sha1[i], gd->dl->sha1, SHA1_LEN) == 0)
			return 1;
	if (q->textlen == 0)
		return 0;
	if (gd->words == NULL) {
		gd->words = xmalloc(GNET_URN_WORDS + 1);
		gnet_name_words(gd->dl->name, gd->words, GNET_URN_WORDS + 1);
	}
	pq.words = gd->words;
	pq.all = 1;
	pq.n = 0;
	norm_words(q->text, q->textlen, partial_word, &pq);
	return pq.n > 0 && pq.all;
}

size_t
partial_match(struct gnet *g, const struct query *q, struct qhit_record *out,
    size_t max)
{
	struct gdl	*gd;
	uint64_t	 r[1][2], bytes;
	size_t		 n = 0;

	if (!partial_on(g))
		return 0;
	for (gd = g->downloads; gd != NULL && n < max; gd = gd->next) {
		if (!partial_shareable(gd) || !partial_matches(gd, q))
			continue;
		(void)partial_ranges(gd->dl, r, 1, &bytes);
		memset(&out[n], 0, sizeof out[n]);
		/* Not an index of the share: it is asked for by its URN. */
		out[n].index = PARTIAL_INDEX | ((uint32_t)gd->dl->id &
		    ~PARTIAL_INDEX);
		out[n].size = gd->dl->size;
		out[n].name = gd->dl->name;
		out[n].namelen = strlen(gd->dl->name);
		memcpy(out[n].sha1, gd->dl->sha1, SHA1_LEN);
		out[n].has_sha1 = 1;
		if (gd->dl->has_tth) {
			memcpy(out[n].tth, gd->dl->tth, TTH_LEN);
			out[n].has_tth = 1;
		}
		out[n].partial = 1;
		out[n].pru_stamp = (uint32_t)time(NULL);
		out[n].pru_avail = bytes;
		n++;
	}
	return n;
}

/* Whether path (resolved) is inside dir (resolved). */
static int
partial_inside(const char *path, const char *dir)
{
	char	*d = realpath(dir, NULL);
	size_t	 n;
	int	 in;

	if (d == NULL)
		return 0;
	n = strlen(d);
	in = strncmp(path, d, n) == 0 && (path[n] == '/' ||
	    (n == 1 && d[0] == '/'));
	free(d);
	return in;
}

/* What a scan would say of this file: size and extension. */
static int
partial_scan_takes(const struct conf *cf, const char *name, uint64_t size)
{
	const char	*dot = strrchr(name, '.');
	size_t		 i;

	if (size < cf->share_min_size ||
	    (cf->share_max_size != 0 && size > cf->share_max_size))
		return 0;
	if (cf->nshare_exts == 0)
		return 1;
	for (i = 0; dot != NULL && i < cf->nshare_exts; i++)
		if (strcasecmp(dot + 1, cf->share_exts[i]) == 0)
			return 1;
	return 0;
}

void
partial_finished(struct gnet *g, struct gdl *gd)
{
	const struct conf	*cf = g->conf;
	struct share_file	 f;
	struct stat		 sb;
	char			**dirs, *real;
	const char		*slash;
	size_t			 ndirs, i;
	int			 in = 0;

	if (g->share == NULL || gd->path == NULL || gd->unmoved)
		return;
	if ((real = realpath(gd->path, NULL)) == NULL)
		return;
	if (share_dirs_scan(g->share, cf->share_dirs, cf->nshare_dirs,
	    cf->nshare_flags, &dirs, &ndirs) != 0) {
		free(real);
		return;
	}
	for (i = 0; i < ndirs && !in; i++)
		in = partial_inside(real, dirs[i]);
	share_dirs_free(dirs, ndirs);
	slash = strrchr(real, '/');
	if (!in || stat(real, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (uint64_t)sb.st_size != gd->dl->size ||
	    !partial_scan_takes(cf, slash + 1, gd->dl->size)) {
		free(real);
		return;
	}
	/* Its hashes are known: it checked out against them. */
	memset(&f, 0, sizeof f);
	f.path = real;
	f.name = slash + 1;
	f.size = gd->dl->size;
	f.mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 +
	    sb.st_mtim.tv_nsec;
	memcpy(f.sha1, gd->dl->sha1, SHA1_LEN);
	f.has_sha1 = 1;
	if (gd->dl->has_tth) {
		memcpy(f.tth, gd->dl->tth, TTH_LEN);
		f.has_tth = 1;
	}
	if (share_put(g->share, &f, share_next_generation(g->share)) != 0) {
		log_warnx("download %lld: %s is shared from the next scan on",
		    (long long)gd->dl->id, real);
		free(real);
		return;
	}
	if (gd->tree != NULL && f.has_tth)
		share_thex_put(g->share, f.id, gd->tree_depth, gd->tree,
		    gd->ntree);
	log_info("download %lld: %s shared", (long long)gd->dl->id, real);
	free(real);
	gnet_share_loaded(g);
}
