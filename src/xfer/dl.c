/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * dl.c: the bookkeeping of a swarming download (see dl.h): its chunks,
 * picking and judging them; its sources are dl_src.c's. Nothing here
 * reads a clock, a socket or a file: the network layer drives it.
 *
 * Invariants, kept by dl_chunk_set and dl_src_release alone:
 * - a chunk is ACTIVE exactly when one source is BUSY with it, and that
 *   source is chunk.src;
 * - count[s] is the number of chunks in state s, bytes the length of the
 *   WRITTEN and DONE chunks, verified that of the DONE ones;
 * - a WRITTEN or DONE chunk's src names the source that sent it (its
 *   last bytes, when several did), or is DL_NOSRC (restored from disk,
 *   or its source's slot was reused);
 * - a chunk's writer is the one source its bytes so far came from,
 *   DL_MIXED when more than one (or one whose slot was reused) wrote
 *   them, DL_NOSRC when none is known; fill is 0 unless the chunk is
 *   MISSING or ACTIVE, and then no more than its length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"
#include "share/tt.h"
#include "xfer/dl.h"
#include "xfer/dl_impl.h"

static const char *const dl_state_names[] = {
	[DL_QUEUED] = "queued",
	[DL_ACTIVE] = "active",
	[DL_PAUSED] = "paused",
	[DL_VERIFYING] = "verifying",
	[DL_DONE] = "done",
	[DL_FAILED] = "failed",
	[DL_CANCELLED] = "cancelled",
	[DL_STALLED] = "stalled",
};
#define DL_NSTATES	(sizeof dl_state_names / sizeof dl_state_names[0])

static const char *const dl_src_names[] = {
	[DL_SRC_USABLE] = "usable",
	[DL_SRC_BUSY] = "busy",
	[DL_SRC_BACKOFF] = "backoff",
	[DL_SRC_BANNED] = "banned",
	[DL_SRC_GONE] = "gone",
};

/* Exported chunk values, two bits each. */
#define DL_X_MISSING	0
#define DL_X_WRITTEN	1
#define DL_X_DONE	2

/* Bytes per chunk: the rule is in dl.h. */
uint64_t
dl_chunk_size(uint64_t size)
{
	uint64_t	 b, floor, n;
	unsigned	 h = tt_height(size), good, d;

	good = tt_good_depth(size);
	if (good > h)
		good = h;
	floor = tt_block_at(size, good);
	/* Deepest level first: node sizes grow as d falls. */
	for (d = h;; d--) {
		b = tt_block_at(size, d);
		n = size / b + (size % b != 0);
		if (b >= DL_CHUNK_MIN && b >= floor && n <= DL_CHUNKS_MAX)
			return b;
		if (d == 0)
			break;
	}
	return tt_block_at(size, 0);	/* a small file: the root's block */
}

/* The depth whose nodes cover chunk bytes each, or -1. */
int
dl_tree_depth_for(uint64_t size, uint64_t chunk)
{
	unsigned	 h = tt_height(size), d;

	for (d = 0; d <= h; d++) {
		if (tt_block_at(size, d) == chunk)
			return (int)d;
	}
	return -1;
}

/* A new download with every chunk missing. */
struct dl *
dl_new(int64_t id, const uint8_t *sha1, const char *name, uint64_t size,
    const uint8_t *tth)
{
	struct dl	*dl;
	uint32_t	 c;

	dl = xcalloc(1, sizeof *dl);
	dl->id = id;
	memcpy(dl->sha1, sha1, SHA1_LEN);
	if (tth != NULL) {
		memcpy(dl->tth, tth, TTH_LEN);
		dl->has_tth = 1;
	}
	dl->name = xstrdup(name);
	dl->size = size;
	dl->chunk = dl_chunk_size(size);
	dl->nchunks = (uint32_t)(size / dl->chunk + (size % dl->chunk != 0));
	if (dl->nchunks > 0)
		dl->chunks = xcalloc(dl->nchunks, sizeof *dl->chunks);
	for (c = 0; c < dl->nchunks; c++) {
		dl->chunks[c].src = DL_NOSRC;
		dl->chunks[c].writer = DL_NOSRC;
	}
	dl->count[DL_CHUNK_MISSING] = dl->nchunks;
	dl->state = DL_QUEUED;
	return dl;
}

/* Free a download; NULL is allowed. */
void
dl_free(struct dl *dl)
{
	size_t	 s;

	if (dl == NULL)
		return;
	for (s = 0; s < dl->nsrc; s++)
		free(dl->src[s].avail);
	free(dl->name);
	free(dl->chunks);
	free(dl->level);
	free(dl);
}

/* Where a chunk starts and how long it is. */
void
dl_chunk_span(const struct dl *dl, uint32_t chunk, uint64_t *off,
    uint64_t *len)
{
	uint64_t	 o = (uint64_t)chunk * dl->chunk;

	*off = o;
	*len = o >= dl->size ? 0 : (dl->size - o < dl->chunk ? dl->size - o :
	    dl->chunk);
}

static uint64_t
dl_chunk_len(const struct dl *dl, uint32_t chunk)
{
	uint64_t	 off, len;

	dl_chunk_span(dl, chunk, &off, &len);
	return len;
}

/* The one place a chunk changes state: counts and totals follow. */
static void
dl_chunk_set(struct dl *dl, uint32_t c, enum dl_chunk_state to, uint8_t src)
{
	struct dl_chunk	*ch = &dl->chunks[c];
	uint64_t	 len = dl_chunk_len(dl, c);

	if (ch->state == DL_CHUNK_WRITTEN || ch->state == DL_CHUNK_DONE)
		dl->bytes -= len;
	if (ch->state == DL_CHUNK_DONE)
		dl->verified -= len;
	dl->count[ch->state]--;
	ch->state = to;
	ch->src = src;
	dl->count[to]++;
	if (to == DL_CHUNK_WRITTEN || to == DL_CHUNK_DONE) {
		dl->bytes += len;
		ch->fill = 0;
	}
	if (to == DL_CHUNK_DONE)
		dl->verified += len;
}

/* A missing chunk starts over: nothing of it is kept. */
static void
dl_chunk_clear(struct dl *dl, uint32_t c)
{
	dl->chunks[c].fill = 0;
	dl->chunks[c].writer = DL_NOSRC;
}

/* Free a busy source of its run (missing again); it becomes usable. */
void
dl_src_release(struct dl *dl, size_t s)
{
	struct dl_source	*src = &dl->src[s];
	uint32_t		 c;

	if (src->status != DL_SRC_BUSY)
		return;
	for (c = src->chunk; c < dl->nchunks && c - src->chunk < src->nrun;
	    c++)
		if (dl->chunks[c].state == DL_CHUNK_ACTIVE &&
		    dl->chunks[c].src == s)
			dl_chunk_set(dl, c, DL_CHUNK_MISSING, DL_NOSRC);
	src->nrun = 0;
	src->status = DL_SRC_USABLE;
}

static int
dl_running(const struct dl *dl)
{
	return dl->state == DL_QUEUED || dl->state == DL_ACTIVE;
}

/* A running download with every chunk in waits for its file check. */
static void
dl_settle(struct dl *dl)
{
	if (dl_running(dl) && dl_complete(dl))
		dl->state = DL_VERIFYING;
}

static int
dl_src_usable(const struct dl_source *src, uint64_t now)
{
	return src->status == DL_SRC_USABLE ||
	    (src->status == DL_SRC_BACKOFF && src->until <= now);
}

/* Keep the tree level whose nodes are the chunks, if the tree is good. */
int
dl_set_tree(struct dl *dl, const uint8_t *nodes, size_t nnodes)
{
	uint64_t	 first, cnt;
	int		 depth, got;

	if (!dl->has_tth || dl->nchunks == 0 || nodes == NULL)
		return -1;
	if ((depth = dl_tree_depth_for(dl->size, dl->chunk)) < 0)
		return -1;
	got = tt_check_tree(nodes, nnodes, dl->size, dl->tth);
	if (got < depth)
		return -1;
	cnt = tt_leaves_at(dl->size, (unsigned)depth);
	first = tt_nodes_to(dl->size, (unsigned)depth) - cnt;
	if (cnt != dl->nchunks || first + cnt > nnodes)
		return -1;
	free(dl->level);
	dl->level = xreallocarray(NULL, dl->nchunks, TT_HASH_LEN);
	memcpy(dl->level, nodes + first * TT_HASH_LEN,
	    (size_t)cnt * TT_HASH_LEN);
	dl->level_depth = (unsigned)depth;
	return 0;
}

/* Whether i, not s, is a partial source we can fetch from now, are
 * fetching from, or wait in the PARQ queue of (it has a slot for us in
 * turn: what it has is fetched from it, not again from a seed). */
static int
dl_other_partial(const struct dl *dl, size_t s, size_t i)
{
	return i != s && dl->src[i].avail != NULL &&
	    (dl->src[i].status == DL_SRC_USABLE ||
	    dl->src[i].status == DL_SRC_BUSY ||
	    (dl->src[i].status == DL_SRC_BACKOFF &&
	    dl->src[i].queue_id[0] != '\0'));
}

/* Whether there is such a source at all (most downloads have none). */
static int
dl_any_partial(const struct dl *dl, size_t s)
{
	size_t	 i;

	for (i = 0; i < dl->nsrc; i++)
		if (dl_other_partial(dl, s, i))
			return 1;
	return 0;
}

/* Whether one of them has chunk c. */
static int
dl_elsewhere(const struct dl *dl, size_t s, uint32_t c)
{
	size_t	 i;

	for (i = 0; i < dl->nsrc; i++)
		if (dl_other_partial(dl, s, i) && dl_source_has(dl, i, c))
			return 1;
	return 0;
}

/*
 * The missing chunk source s should fetch next, or nchunks if there is
 * none for it: for a partial source the first it has (or, when what it
 * said it has is old, the first); for one with the whole file the first
 * from dl->spread on that no partial source we can fetch from has (what
 * one has comes from it, so a seed sends each part to few of its
 * downloaders).
 */
static uint32_t
dl_src_first(const struct dl *dl, size_t s, uint64_t now)
{
	const struct dl_source	*src = &dl->src[s];
	uint32_t		 c, k, start;
	int			 others;

	if (src->avail != NULL) {
		for (c = 0; c < dl->nchunks; c++)
			if (dl->chunks[c].state == DL_CHUNK_MISSING &&
			    dl_source_has(dl, s, c))
				return c;
		/* What it said is old: ask, and hear what it has now. */
		if (src->avail_until != 0 && now >= src->avail_until)
			for (c = 0; c < dl->nchunks; c++)
				if (dl->chunks[c].state == DL_CHUNK_MISSING)
					return c;
		return dl->nchunks;
	}
	start = dl->nchunks > 0 ? dl->spread % dl->nchunks : 0;
	others = dl_any_partial(dl, s);
	for (k = 0; k < dl->nchunks; k++) {
		c = (start + k) % dl->nchunks;
		if (dl->chunks[c].state == DL_CHUNK_MISSING &&
		    (!others || !dl_elsewhere(dl, s, c)))
			return c;
	}
	return dl->nchunks;
}

/* A chunk for the best usable source. */
int
dl_pick(struct dl *dl, uint64_t now, size_t *src, uint32_t *chunk,
    uint64_t *off, uint64_t *len)
{
	return dl_pick_if(dl, now, NULL, NULL, src, chunk, off, len);
}

/* A chunk for the best usable source the caller allows. */
int
dl_pick_if(struct dl *dl, uint64_t now,
    int (*ok)(void *, const struct dl_source *), void *arg, size_t *src,
    uint32_t *chunk, uint64_t *off, uint64_t *len)
{
	size_t	 s, best = SIZE_MAX;

	dl_settle(dl);
	if (!dl_running(dl) || dl->count[DL_CHUNK_MISSING] == 0)
		return 0;
	for (s = 0; s < dl->nsrc; s++) {
		if (!dl_src_usable(&dl->src[s], now) ||
		    (ok != NULL && !ok(arg, &dl->src[s])) ||
		    dl_src_first(dl, s, now) == dl->nchunks)
			continue;
		if (best == SIZE_MAX || dl_src_better(&dl->src[s],
		    &dl->src[best]))
			best = s;
	}
	if (best == SIZE_MAX)
		return 0;
	if (!dl_pick_for(dl, best, now, chunk, off, len))
		return 0;
	*src = best;
	return 1;
}

/* A chunk for this source. */
int
dl_pick_for(struct dl *dl, size_t s, uint64_t now, uint32_t *chunk,
    uint64_t *off, uint64_t *len)
{
	struct dl_source	*src;
	uint32_t		 c;

	dl_settle(dl);
	if (!dl_running(dl) || s >= dl->nsrc ||
	    dl->count[DL_CHUNK_MISSING] == 0)
		return 0;
	src = &dl->src[s];
	if (!dl_src_usable(src, now))
		return 0;
	if ((c = dl_src_first(dl, s, now)) == dl->nchunks)
		return 0;	/* it has none of what is missing */
	/* A seed's next part is looked for from a new place each time:
	 * downloaders that all went on from where they began would meet
	 * in the stretch none began in, and each take it from the seed. */
	if (src->avail == NULL && dl_any_partial(dl, s)) {
		dl->spread ^= dl->spread << 13;
		dl->spread ^= dl->spread >> 17;
		dl->spread ^= dl->spread << 5;
		if (dl->spread == 0)
			dl->spread = 1;
	}
	/* A chunk that failed with bytes from several sources is taken
	 * whole by one, so that the next failure has a culprit. */
	if (dl->chunks[c].solo && dl->chunks[c].fill > 0 &&
	    dl->chunks[c].writer != s)
		dl_chunk_clear(dl, c);
	dl_chunk_set(dl, c, DL_CHUNK_ACTIVE, (uint8_t)s);
	src->status = DL_SRC_BUSY;
	src->chunk = c;
	src->nrun = 1;
	dl->state = DL_ACTIVE;
	*chunk = c;
	dl_chunk_span(dl, c, off, len);
	*off += dl->chunks[c].fill;
	*len -= dl->chunks[c].fill;
	return 1;
}

/* Whether source s has all of chunk c. */
static int
dl_src_whole(const struct dl *dl, size_t s, uint32_t c)
{
	uint64_t	 off, len;

	dl_chunk_span(dl, c, &off, &len);
	return dl_source_reach(dl, s, off) >= off + len;
}

/* More chunks for a busy source's run. */
uint32_t
dl_extend(struct dl *dl, size_t s, uint32_t max)
{
	struct dl_source	*src;
	uint32_t		 c;

	if (s >= dl->nsrc || dl->src[s].status != DL_SRC_BUSY)
		return 0;
	src = &dl->src[s];
	/* From a whole-file source while partial ones are about, one chunk
	 * a request: what to take from it next is chosen afresh each time,
	 * from what the others have by then, so the seed sends each part to
	 * few of its downloaders. */
	if (src->avail == NULL && max > 1 && dl_any_partial(dl, s))
		max = 1;
	/* A run is one range of bytes: it stops before a chunk that is
	 * partly in already, and before one the source lacks in part; a
	 * whole-file source's, before one a partial source has. */
	for (c = src->chunk + src->nrun; src->nrun < max && c < dl->nchunks &&
	    dl->chunks[c].state == DL_CHUNK_MISSING &&
	    dl->chunks[c].fill == 0 && dl_src_whole(dl, s, c) &&
	    (src->avail != NULL || !dl_elsewhere(dl, s, c));
	    c++, src->nrun++)
		dl_chunk_set(dl, c, DL_CHUNK_ACTIVE, (uint8_t)s);
	return src->nrun;
}

/* More of an active chunk is written. */
int
dl_chunk_fill(struct dl *dl, uint32_t c, uint64_t bytes)
{
	struct dl_chunk	*ch;

	if (c >= dl->nchunks || dl->chunks[c].state != DL_CHUNK_ACTIVE ||
	    bytes > dl_chunk_len(dl, c))
		return -1;
	ch = &dl->chunks[c];
	if (bytes <= ch->fill)
		return 0;
	if (ch->fill == 0 || ch->writer == DL_NOSRC)
		ch->writer = ch->src;
	else if (ch->writer != ch->src)
		ch->writer = DL_MIXED;
	ch->fill = bytes;
	return 0;
}

/* An active chunk arrived whole. */
int
dl_chunk_written(struct dl *dl, uint32_t c)
{
	struct dl_source	*src;
	uint8_t			 s;

	if (c >= dl->nchunks || dl->chunks[c].state != DL_CHUNK_ACTIVE)
		return -1;
	s = dl->chunks[c].src;
	src = &dl->src[s];
	if (dl->chunks[c].writer == DL_NOSRC || dl->chunks[c].fill == 0)
		dl->chunks[c].writer = s;
	else if (dl->chunks[c].writer != s)
		dl->chunks[c].writer = DL_MIXED;
	dl_chunk_set(dl, c, DL_CHUNK_WRITTEN, s);
	if (src->status == DL_SRC_BUSY && c == src->chunk && src->nrun > 0) {
		src->chunk++;
		if (--src->nrun == 0)
			src->status = DL_SRC_USABLE;
	}
	src->fails = 0;
	src->bytes += dl_chunk_len(dl, c);
	dl_settle(dl);
	return 0;
}

/*
 * The verdict on a written chunk: it matched its node (DONE), or it did
 * not (MISSING, and its writer banned when blame is set; bytes from
 * several sources ban none, and the chunk is then fetched whole by one).
 */
static int
dl_judge(struct dl *dl, uint32_t c, int match, int blame, int *liar)
{
	uint8_t	 s = dl->chunks[c].src, w = dl->chunks[c].writer;

	if (match) {
		dl_chunk_set(dl, c, DL_CHUNK_DONE, s);
		dl->chunks[c].solo = 0;
		if (s != DL_NOSRC)
			dl->src[s].ok++;
		dl_settle(dl);
		return 1;
	}
	dl_chunk_set(dl, c, DL_CHUNK_MISSING, DL_NOSRC);
	dl_chunk_clear(dl, c);
	if (blame && w == DL_MIXED)
		dl->chunks[c].solo = 1;
	else if (blame && w != DL_NOSRC) {
		dl->src[w].bad++;
		dl_source_ban(dl, w);
		*liar = w;
	}
	return -1;
}

/* Check a written chunk against its node. */
int
dl_chunk_check(struct dl *dl, uint32_t c, const void *data, size_t len,
    int *liar)
{
	uint8_t	 root[TT_HASH_LEN];

	*liar = -1;
	if (c >= dl->nchunks || dl->chunks[c].state != DL_CHUNK_WRITTEN)
		return -2;
	if (dl->level == NULL)
		return 0;
	if (len != dl_chunk_len(dl, c))
		return dl_judge(dl, c, 0, 1, liar);
	tt_root_buf(data, len, root);
	return dl_judge(dl, c, memcmp(root, dl->level + (size_t)c *
	    TT_HASH_LEN, TT_HASH_LEN) == 0, 1, liar);
}

/* A written chunk's root, computed elsewhere, against its node. */
int
dl_chunk_verdict(struct dl *dl, uint32_t c, const uint8_t *root, int *liar)
{
	*liar = -1;
	if (c >= dl->nchunks || dl->chunks[c].state != DL_CHUNK_WRITTEN)
		return -2;
	if (dl->level == NULL)
		return 0;
	if (root == NULL)
		return dl_judge(dl, c, 0, 0, liar);
	return dl_judge(dl, c, memcmp(root, dl->level + (size_t)c *
	    TT_HASH_LEN, TT_HASH_LEN) == 0, 1, liar);
}

/* The next written chunk a tree can check. */
long
dl_next_unchecked(const struct dl *dl, uint32_t from)
{
	uint32_t	 c;

	if (dl->level == NULL)
		return -1;
	for (c = from; c < dl->nchunks; c++) {
		if (dl->chunks[c].state == DL_CHUNK_WRITTEN)
			return (long)c;
	}
	return -1;
}

/* Every chunk in and, with a tree, checked. */
int
dl_complete(const struct dl *dl)
{
	if (dl->count[DL_CHUNK_MISSING] != 0 || dl->count[DL_CHUNK_ACTIVE] != 0)
		return 0;
	return dl->level == NULL || dl->count[DL_CHUNK_WRITTEN] == 0;
}

static void
dl_release_all(struct dl *dl)
{
	size_t	 s;

	for (s = 0; s < dl->nsrc; s++)
		dl_src_release(dl, s);
}

/* The result of the whole-file check. */
int
dl_file_checked(struct dl *dl, int ok)
{
	uint32_t	 c;

	if (dl->state != DL_VERIFYING)
		return -1;
	if (ok) {
		dl->state = DL_DONE;
		return 0;
	}
	for (c = 0; c < dl->nchunks; c++) {
		dl_chunk_set(dl, c, DL_CHUNK_MISSING, DL_NOSRC);
		dl_chunk_clear(dl, c);
	}
	/* Every chunk matched the tree, yet the file is not the SHA-1's:
	 * the tree belongs to other content. */
	free(dl->level);
	dl->level = NULL;
	if (++dl->retries >= DL_RETRIES_MAX)
		dl->state = DL_FAILED;
	else
		dl->state = DL_ACTIVE;
	return 0;
}

/* Counts for `downloads`. */
void
dl_progress(const struct dl *dl, struct dl_progress *p)
{
	size_t		 s;
	uint32_t	 c;

	memset(p, 0, sizeof *p);
	p->size = dl->size;
	p->bytes = dl->bytes;
	/* A slow source fills a chunk for a long while: count what is in. */
	for (c = 0; c < dl->nchunks; c++)
		p->bytes += dl->chunks[c].fill;
	p->verified = dl->verified;
	if (dl->size == 0)
		p->percent = dl_complete(dl) ? 100 : 0;
	else if (dl->size <= UINT64_MAX / 100)
		p->percent = (unsigned)(p->bytes * 100 / dl->size);
	else
		p->percent = (unsigned)(p->bytes / (dl->size / 100));
	for (s = 0; s < dl->nsrc; s++) {
		if (dl->src[s].status == DL_SRC_BUSY)
			p->busy++;
		if (dl->src[s].status != DL_SRC_BANNED &&
		    dl->src[s].status != DL_SRC_GONE)
			p->sources++;
	}
	p->chunks = dl->nchunks;
	p->missing = dl->count[DL_CHUNK_MISSING];
	p->active = dl->count[DL_CHUNK_ACTIVE];
	p->written = dl->count[DL_CHUNK_WRITTEN];
	p->done = dl->count[DL_CHUNK_DONE];
}

/* Stop picking for now. */
int
dl_pause(struct dl *dl)
{
	if (dl->state == DL_STALLED) {
		/* Nothing is held: the user's word now decides. */
		dl->state = DL_PAUSED;
		return 0;
	}
	if (!dl_running(dl))
		return -1;
	dl_release_all(dl);
	dl->state = DL_PAUSED;
	return 0;
}

/* Run a paused or failed download again. */
int
dl_resume(struct dl *dl)
{
	if (dl->state != DL_PAUSED && dl->state != DL_FAILED &&
	    dl->state != DL_STALLED)
		return -1;
	if (dl->state == DL_FAILED)
		dl->retries = 0;
	dl->state = DL_QUEUED;
	return 0;
}

/* No room for its bytes: stop picking until space is back. */
int
dl_stall(struct dl *dl)
{
	if (!dl_running(dl))
		return -1;
	dl_release_all(dl);
	dl->state = DL_STALLED;
	return 0;
}

/* Space is back. */
int
dl_unstall(struct dl *dl)
{
	if (dl->state != DL_STALLED)
		return -1;
	dl->state = DL_QUEUED;
	return 0;
}

/* Give up for good. */
int
dl_cancel(struct dl *dl)
{
	if (dl->state == DL_DONE)
		return -1;
	dl_release_all(dl);
	dl->state = DL_CANCELLED;
	return 0;
}

/* The state a download restarts in. */
void
dl_restore_state(struct dl *dl, enum dl_state st)
{
	if (st == DL_ACTIVE || st == DL_VERIFYING || st == DL_STALLED ||
	    (unsigned)st >= DL_NSTATES)
		st = DL_QUEUED;
	dl->state = st;
}

/* A state's name, as persisted and shown. */
const char *
dl_state_name(enum dl_state st)
{
	if ((unsigned)st >= DL_NSTATES)
		return "unknown";
	return dl_state_names[st];
}

/* The state of a name, or -1. */
int
dl_state_parse(const char *name)
{
	size_t	 i;

	for (i = 0; i < DL_NSTATES; i++) {
		if (strcmp(name, dl_state_names[i]) == 0)
			return (int)i;
	}
	return -1;
}

/* A source status's name. */
const char *
dl_src_status_name(enum dl_src_status st)
{
	if ((unsigned)st >= sizeof dl_src_names / sizeof dl_src_names[0])
		return "unknown";
	return dl_src_names[st];
}

/* Bytes of an export: two bits a chunk. */
size_t
dl_export_len(const struct dl *dl)
{
	return ((size_t)dl->nchunks + 3) / 4;
}

/* The chunk states that survive a restart. */
long
dl_export_chunks(const struct dl *dl, uint8_t *buf, size_t cap)
{
	size_t		 n = dl_export_len(dl);
	uint32_t	 c;
	unsigned	 v;

	if (cap < n)
		return -1;
	memset(buf, 0, n);
	for (c = 0; c < dl->nchunks; c++) {
		switch (dl->chunks[c].state) {
		case DL_CHUNK_DONE:
			v = DL_X_DONE;
			break;
		case DL_CHUNK_WRITTEN:
			/* With a tree, only checked chunks are kept. */
			v = dl->level == NULL ? DL_X_WRITTEN : DL_X_MISSING;
			break;
		default:
			v = DL_X_MISSING;
			break;
		}
		buf[c / 4] |= (uint8_t)(v << (2 * (c % 4)));
	}
	return (long)n;
}

/* Restore exported chunk states. */
int
dl_import_chunks(struct dl *dl, uint64_t chunk, const uint8_t *buf,
    size_t len)
{
	uint32_t	 c;
	unsigned	 v;

	if (chunk != dl->chunk || len != dl_export_len(dl) ||
	    dl->count[DL_CHUNK_ACTIVE] != 0)
		return -1;
	for (c = 0; c < dl->nchunks; c++) {
		if (((buf[c / 4] >> (2 * (c % 4))) & 3) > DL_X_DONE)
			return -1;
	}
	/* The bits past the last chunk must be clear too. */
	for (c = dl->nchunks; c % 4 != 0; c++) {
		if (((buf[c / 4] >> (2 * (c % 4))) & 3) != 0)
			return -1;
	}
	for (c = 0; c < dl->nchunks; c++) {
		v = (buf[c / 4] >> (2 * (c % 4))) & 3;
		dl_chunk_set(dl, c, v == DL_X_DONE ? DL_CHUNK_DONE :
		    v == DL_X_WRITTEN ? DL_CHUNK_WRITTEN : DL_CHUNK_MISSING,
		    DL_NOSRC);
		dl_chunk_clear(dl, c);
		dl->chunks[c].solo = 0;
	}
	return 0;
}
