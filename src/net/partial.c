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
 * - Queries that match a download's name or SHA-1 are answered with it,
 *   marked partial (GGEP PRU: when it last changed, the bytes we have).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "conf/conf.h"
#include "lib/log.h"
#include "net/net_impl.h"
#include "wire/norm.h"
#include "xfer/dl.h"
#include "xfer/upload.h"

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
