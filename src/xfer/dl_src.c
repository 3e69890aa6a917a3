/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * dl_src.c: a download's sources (see dl.h): adding them, ranking them,
 * what a failure, a wait (503, PARQ) or a ban does to one, the byte
 * ranges a partial source has, and the PARQ place it gave us. Pure, like
 * dl.c: the network layer tells it what happened.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"
#include "xfer/dl.h"
#include "xfer/dl_impl.h"

/* Add a source or refresh the one at the same address. */
static size_t	 dl_src_new_slot(struct dl *);

int
dl_add_source(struct dl *dl, uint32_t ip, uint16_t port, uint32_t index)
{
	struct dl_source	*src;
	size_t			 s;

	if (ip == 0 || port == 0)
		return -1;
	for (s = 0; s < dl->nsrc; s++) {
		src = &dl->src[s];
		if (src->push || src->ip != ip || src->port != port)
			continue;
		if (index != 0)
			src->index = index;
		if (src->status == DL_SRC_GONE) {
			src->status = DL_SRC_USABLE;
			src->fails = 0;
		}
		return (int)s;
	}
	if ((s = dl_src_new_slot(dl)) == SIZE_MAX)
		return -1;
	src = &dl->src[s];
	src->ip = ip;
	src->port = port;
	src->index = index;
	return (int)s;
}

/* A free slot, zeroed and usable: a new one or a gone source's, whose
 * chunk marks are cleared; SIZE_MAX when all are taken. */
static size_t
dl_src_new_slot(struct dl *dl)
{
	size_t		 s;
	uint32_t	 c;

	if (dl->nsrc < DL_SOURCES_MAX)
		s = dl->nsrc++;
	else {
		for (s = 0; s < dl->nsrc; s++) {
			if (dl->src[s].status == DL_SRC_GONE)
				break;
		}
		if (s == dl->nsrc)
			return SIZE_MAX;
		/* What the old source sent is no longer its to answer for:
		 * a part of a chunk it wrote has an unknown writer, so the
		 * chunk is fetched whole from one source if it fails. */
		for (c = 0; c < dl->nchunks; c++) {
			if (dl->chunks[c].src == s)
				dl->chunks[c].src = DL_NOSRC;
			if (dl->chunks[c].writer == s)
				dl->chunks[c].writer = dl->chunks[c].fill > 0 ?
				    DL_MIXED : DL_NOSRC;
		}
		free(dl->src[s].avail);
	}
	memset(&dl->src[s], 0, sizeof dl->src[s]);
	dl->src[s].status = DL_SRC_USABLE;
	return s;
}

int
dl_add_push_source(struct dl *dl, const uint8_t *guid, uint32_t ip,
    uint16_t port, uint32_t index, const uint32_t *pp_ip,
    const uint16_t *pp_port, size_t n)
{
	struct dl_source	*src;
	size_t			 s, i;

	for (s = 0; s < dl->nsrc; s++)
		if (dl->src[s].push && memcmp(dl->src[s].guid, guid, 16) == 0)
			break;
	if (s == dl->nsrc && (s = dl_src_new_slot(dl)) == SIZE_MAX)
		return -1;
	src = &dl->src[s];
	if (src->status == DL_SRC_GONE) {
		src->status = DL_SRC_USABLE;
		src->fails = 0;
		src->unreachable = 0;
		src->push_tries = 0;
	}
	memcpy(src->guid, guid, 16);
	src->push = 1;
	src->ip = ip;
	src->port = port;
	if (index != 0)
		src->index = index;
	if (n > 0) {
		src->npp = 0;
		for (i = 0; i < n && src->npp < DL_PROXIES_MAX; i++)
			if (pp_ip[i] != 0 && pp_port[i] != 0) {
				src->pp_ip[src->npp] = pp_ip[i];
				src->pp_port[src->npp++] = pp_port[i];
			}
	}
	return (int)s;
}

unsigned
dl_source_pushed(struct dl *dl, size_t s, uint64_t until, int routed,
    unsigned asks)
{
	struct dl_source	*src;

	if (s >= dl->nsrc)
		return 0;
	src = &dl->src[s];
	if (src->push_tries >= DL_PUSH_TRIES) {
		dl_source_unreachable(dl, s);
		return 0;
	}
	src->push_tries++;
	src->push_routed = routed != 0;
	src->push_asks = asks > UINT8_MAX ? UINT8_MAX : (uint8_t)asks;
	dl_source_wait(dl, s, until);
	return src->push_tries;
}

void
dl_source_push_lost(struct dl *dl, size_t s, uint64_t now)
{
	struct dl_source	*src;

	if (s >= dl->nsrc)
		return;
	src = &dl->src[s];
	if (!src->push || src->status != DL_SRC_BACKOFF || src->push_asks == 0)
		return;
	if (--src->push_asks == 0 && !src->push_routed && src->until > now)
		src->until = now;
}

void
dl_source_given(struct dl *dl, size_t s)
{
	if (s >= dl->nsrc || dl->src[s].status == DL_SRC_BANNED ||
	    dl->src[s].status == DL_SRC_GONE)
		return;
	dl_src_release(dl, s);
	dl->src[s].status = DL_SRC_USABLE;
	dl->src[s].push_tries = 0;
}

void
dl_source_unreachable(struct dl *dl, size_t s)
{
	if (s >= dl->nsrc)
		return;
	dl_source_failed(dl, s, DL_FAIL_GONE, 0);
	if (dl->src[s].status == DL_SRC_GONE)
		dl->src[s].unreachable = 1;
}

/*
 * Whether a is a better source than b: fewer failures in a row, then
 * more checked chunks, then more bytes sent; ties keep the earlier slot.
 */
int
dl_src_better(const struct dl_source *a, const struct dl_source *b)
{
	if (a->fails != b->fails)
		return a->fails < b->fails;
	/* Two partial sources (a swarm): the one that gave us less, so
	 * that every one of them serves, not the first that had much. */
	if (a->avail != NULL && b->avail != NULL && a->bytes != b->bytes)
		return a->bytes < b->bytes;
	if (a->ok != b->ok)
		return a->ok > b->ok;
	return a->bytes > b->bytes;
}

/* A source failed: back off or drop it. */
void
dl_source_failed(struct dl *dl, size_t s, enum dl_fail how, uint64_t now)
{
	struct dl_source	*src;
	uint64_t		 wait = DL_BACKOFF_MS;
	uint32_t		 i;

	if (s >= dl->nsrc)
		return;
	src = &dl->src[s];
	dl_src_release(dl, s);
	if (src->status == DL_SRC_BANNED || src->status == DL_SRC_GONE)
		return;
	if (how == DL_FAIL_GONE) {
		src->status = DL_SRC_GONE;
		return;
	}
	if (src->fails < UINT32_MAX)
		src->fails++;
	if (src->fails >= DL_FAILS_MAX) {
		src->status = DL_SRC_GONE;
		return;
	}
	for (i = 1; i < src->fails && wait < DL_BACKOFF_MAX_MS; i++)
		wait *= 2;
	if (wait > DL_BACKOFF_MAX_MS)
		wait = DL_BACKOFF_MAX_MS;
	src->status = DL_SRC_BACKOFF;
	src->until = now + wait;
}

/* A source asked us to come back later. */
void
dl_source_wait(struct dl *dl, size_t s, uint64_t until)
{
	struct dl_source	*src;

	if (s >= dl->nsrc)
		return;
	src = &dl->src[s];
	dl_src_release(dl, s);
	if (src->status == DL_SRC_BANNED || src->status == DL_SRC_GONE)
		return;
	src->status = DL_SRC_BACKOFF;
	src->until = until;
}

/* We stopped a source's fetch. */
void
dl_source_idle(struct dl *dl, size_t s)
{
	if (s < dl->nsrc)
		dl_src_release(dl, s);
}

/* Never use a source again for this file. */
void
dl_source_ban(struct dl *dl, size_t s)
{
	if (s >= dl->nsrc)
		return;
	dl_src_release(dl, s);
	dl->src[s].status = DL_SRC_BANNED;
}

/* What a source has, as byte ranges: kept sorted by first byte. */
void
dl_source_ranges(struct dl *dl, size_t s, const uint64_t (*r)[2], size_t n)
{
	struct dl_source	*src;
	uint64_t		 t[2];
	size_t			 i, j;

	if (s >= dl->nsrc)
		return;
	src = &dl->src[s];
	free(src->avail);
	src->avail = NULL;
	src->navail = 0;
	src->avail_until = 0;
	if (r == NULL)
		return;		/* the whole file */
	/* Possibly none: a source that has nothing yet. */
	src->avail = xreallocarray(NULL, n > 0 ? n : 1, sizeof *src->avail);
	for (i = 0; i < n; i++) {
		if (r[i][0] > r[i][1])
			continue;
		src->avail[src->navail][0] = r[i][0];
		src->avail[src->navail][1] = r[i][1];
		/* Insertion sort: a header holds few ranges. */
		for (j = src->navail++; j > 0 &&
		    src->avail[j - 1][0] > src->avail[j][0]; j--) {
			memcpy(t, src->avail[j - 1], sizeof t);
			memcpy(src->avail[j - 1], src->avail[j], sizeof t);
			memcpy(src->avail[j], t, sizeof t);
		}
	}
}

/* How far source s has the file from off on. */
uint64_t
dl_source_reach(const struct dl *dl, size_t s, uint64_t off)
{
	const struct dl_source	*src;
	uint64_t		 end = off;
	size_t			 i;

	if (s >= dl->nsrc)
		return off;
	src = &dl->src[s];
	if (src->avail == NULL)
		return UINT64_MAX;
	/* Sorted by first byte: ranges that touch or overlap chain on. */
	for (i = 0; i < src->navail; i++) {
		if (src->avail[i][0] > end)
			break;
		if (src->avail[i][1] + 1 > end)
			end = src->avail[i][1] + 1;
	}
	return end;
}

void
dl_source_recheck(struct dl *dl, size_t s, uint64_t at)
{
	if (s < dl->nsrc && dl->src[s].avail != NULL)
		dl->src[s].avail_until = at;
}

/* Whether source s has chunk c's next byte. */
int
dl_source_has(const struct dl *dl, size_t s, uint32_t c)
{
	uint64_t	 off, len, at;

	if (s >= dl->nsrc || c >= dl->nchunks)
		return 0;
	if (dl->src[s].avail == NULL)
		return 1;
	dl_chunk_span(dl, c, &off, &len);
	at = off + (dl->chunks[c].state == DL_CHUNK_MISSING ||
	    dl->chunks[c].state == DL_CHUNK_ACTIVE ? dl->chunks[c].fill : 0);
	return dl_source_reach(dl, s, at) > at;
}

/* Keep a source's PARQ place. */
void
dl_source_queued(struct dl *dl, size_t s, const char *id, uint32_t pos,
    uint32_t len, uint64_t until)
{
	struct dl_source	*src;

	if (s >= dl->nsrc || strlen(id) > DL_QID_MAX)
		return;
	src = &dl->src[s];
	memcpy(src->queue_id, id, strlen(id) + 1);
	src->queue_pos = pos;
	src->queue_len = len;
	src->queue_until = until;
}

/* The PARQ place is gone. */
void
dl_source_unqueue(struct dl *dl, size_t s)
{
	if (s >= dl->nsrc)
		return;
	dl->src[s].queue_id[0] = '\0';
	dl->src[s].queue_pos = dl->src[s].queue_len = 0;
	dl->src[s].queue_until = 0;
}
