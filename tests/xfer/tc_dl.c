/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_dl.c: the state of a swarming download: chunk sizes aligned to Tiger
 * tree nodes, chunks spread over sources, a chunk altered in transit found
 * by a real tree and fetched again from another source with the liar
 * banned, back-off and gone sources, the whole-file check, pause and
 * cancel, the exported chunk states, and a download carried across a
 * restart through the share database.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "share/hash.h"
#include "share/share.h"
#include "share/tt.h"
#include "xfer/dl.h"

TCase	*tc_dl(void);

#define KIB	((uint64_t)1024)
#define MIB	(1024 * KIB)
#define GIB	(1024 * MIB)

/* A file of 1 MiB and change: chunks of 256 KiB, the fifth one short. */
#define TC_SIZE	(MIB + 1000)

/* Deterministic bytes that do not repeat at any leaf-sized period. */
static uint8_t *
tc_data(size_t n)
{
	uint8_t		*p = malloc(n + 1);
	uint32_t	 x = 0x9e3779b9u;
	size_t		 i;

	ck_assert_ptr_nonnull(p);
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)(x >> 24);
	}
	return p;
}

/* The file's tree down to the depth gtk-gnutella serves, through a real
 * file as the upload side builds it. */
static size_t
tc_tree(const uint8_t *p, size_t n, uint8_t **nodes)
{
	char	 path[] = "/tmp/gnode-tc-dl-XXXXXX";
	size_t	 nn, off;
	ssize_t	 w;
	int	 fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(unlink(path), 0);
	for (off = 0; off < n; off += (size_t)w) {
		w = write(fd, p + off, n - off);
		ck_assert_int_gt(w, 0);
	}
	ck_assert_int_eq(tt_file_levels(fd, n, tt_good_depth(n), nodes, &nn),
	    (int)tt_good_depth(n));
	close(fd);
	return nn;
}

/* A download of p[0..n) with its SHA-1 and Tiger root; tree: with them
 * known, and the tree offered and taken. */
static struct dl *
tc_dl_new(const uint8_t *p, size_t n, int tth, int tree)
{
	struct hash_result	 hr;
	struct dl		*dl;
	uint8_t			*nodes;
	size_t			 nn;

	hash_init();
	hash_buf(p, n, &hr);
	dl = dl_new(7, hr.sha1, "some file.bin", n, tth ? hr.tth : NULL);
	ck_assert_ptr_nonnull(dl);
	if (tree) {
		nn = tc_tree(p, n, &nodes);
		ck_assert_mem_eq(nodes, hr.tth, TT_HASH_LEN);
		ck_assert_int_eq(dl_set_tree(dl, nodes, nn), 0);
		free(nodes);
	}
	return dl;
}

/* Offer a download the tree of p[0..TC_SIZE); it must take it. */
static void
tc_give_tree(struct dl *dl, const uint8_t *p)
{
	uint8_t	*nodes;
	size_t	 nn;

	nn = tc_tree(p, TC_SIZE, &nodes);
	ck_assert_int_eq(dl_set_tree(dl, nodes, nn), 0);
	free(nodes);
}

/* Chunk i's bytes of p. */
static const uint8_t *
tc_chunk(const struct dl *dl, const uint8_t *p, uint32_t c, size_t *len)
{
	uint64_t	 off, l;

	dl_chunk_span(dl, c, &off, &l);
	*len = (size_t)l;
	return p + off;
}

/* Pick, asserting which source and chunk come out. */
static void
tc_pick(struct dl *dl, uint64_t now, size_t want_src, uint32_t want_chunk)
{
	size_t		 src;
	uint32_t	 c;
	uint64_t	 off, len;

	ck_assert_int_eq(dl_pick(dl, now, &src, &c, &off, &len), 1);
	ck_assert_uint_eq(src, want_src);
	ck_assert_uint_eq(c, want_chunk);
	ck_assert_uint_eq(off, (uint64_t)c * dl->chunk);
	ck_assert_uint_gt(len, 0);
	ck_assert_uint_le(off + len, dl->size);
	ck_assert_int_eq(dl->src[src].status, DL_SRC_BUSY);
	ck_assert_uint_eq(dl->src[src].chunk, c);
	ck_assert_int_eq(dl->chunks[c].state, DL_CHUNK_ACTIVE);
}

static int
tc_nopick(struct dl *dl, uint64_t now)
{
	size_t		 src;
	uint32_t	 c;
	uint64_t	 off, len;

	return dl_pick(dl, now, &src, &c, &off, &len) == 0;
}

static const struct {
	uint64_t	 size;
	uint64_t	 chunk;
	uint32_t	 nchunks;
	int		 depth;
} tc_sizes[] = {
	{ 0, KIB, 0, 0 },
	{ 1, KIB, 1, 0 },
	{ 1023, KIB, 1, 0 },
	{ 100 * KIB, 128 * KIB, 1, 0 },		/* the root's block */
	{ 300 * KIB, 256 * KIB, 2, 1 },
	{ MIB, 256 * KIB, 4, 2 },
	{ TC_SIZE, 256 * KIB, 5, 3 },
	{ 200 * MIB, 512 * KIB, 400, 9 },	/* gtkg's depth 9 */
	{ GIB, 512 * KIB, 2048, 11 },		/* gtkg's depth 11 */
	{ 100 * GIB, 64 * MIB, 1600, 11 },
};

/*
 * A run: one source takes several chunks for one request, writes them in
 * order and is free after the last; a ban in the middle gives back the
 * rest. Verdicts from a root computed elsewhere judge as the check does,
 * and an unreadable chunk is fetched again with no one blamed.
 */
START_TEST(test_dl_runs)
{
	struct dl	*dl;
	uint8_t		*p, root[TT_HASH_LEN];
	const uint8_t	*q;
	size_t		 len;
	int		 liar;

	p = tc_data(TC_SIZE);
	dl = tc_dl_new(p, TC_SIZE, 1, 1);
	ck_assert_uint_eq(dl->nchunks, 5);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 3), 0);	/* A */
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6346, 3), 1);	/* B */
	ck_assert_uint_eq(dl_extend(dl, 0, 3), 0);	/* not busy: no run */
	tc_pick(dl, 0, 0, 0);
	ck_assert_uint_eq(dl_extend(dl, 0, 3), 3);
	ck_assert_uint_eq(dl_extend(dl, 0, 3), 3);	/* no longer */
	ck_assert_int_eq(dl->chunks[2].state, DL_CHUNK_ACTIVE);
	ck_assert_uint_eq(dl->chunks[2].src, 0);
	ck_assert_int_eq(dl->chunks[3].state, DL_CHUNK_MISSING);
	/* B's run starts after A's and stops at the end of the file. */
	tc_pick(dl, 0, 1, 3);
	ck_assert_uint_eq(dl_extend(dl, 1, 10), 2);
	ck_assert_uint_eq(dl->count[DL_CHUNK_ACTIVE], 5);
	ck_assert(tc_nopick(dl, 0));

	/* A writes its first two: still busy with the third. */
	ck_assert_int_eq(dl_chunk_written(dl, 0), 0);
	ck_assert_int_eq(dl->src[0].status, DL_SRC_BUSY);
	ck_assert_uint_eq(dl->src[0].chunk, 1);
	ck_assert_int_eq(dl_chunk_written(dl, 1), 0);
	ck_assert_uint_eq(dl->src[0].nrun, 1);
	/* Judged from roots: chunk 0 right, chunk 1 wrong. */
	q = tc_chunk(dl, p, 0, &len);
	tt_root_buf(q, len, root);
	ck_assert_int_eq(dl_chunk_verdict(dl, 0, root, &liar), 1);
	ck_assert_int_eq(liar, -1);
	ck_assert_int_eq(dl_chunk_verdict(dl, 0, root, &liar), -2);
	ck_assert_int_eq(dl_chunk_verdict(dl, 1, root, &liar), -1);
	ck_assert_int_eq(liar, 0);
	/* The ban gives back A's unfinished chunk 2 too. */
	ck_assert_int_eq(dl->src[0].status, DL_SRC_BANNED);
	ck_assert_int_eq(dl->chunks[1].state, DL_CHUNK_MISSING);
	ck_assert_int_eq(dl->chunks[2].state, DL_CHUNK_MISSING);
	ck_assert_int_eq(dl_chunk_written(dl, 2), -1);

	/* B writes chunk 3; it cannot be read back: missing, B not blamed. */
	ck_assert_int_eq(dl_chunk_written(dl, 3), 0);
	ck_assert_int_eq(dl_chunk_verdict(dl, 3, NULL, &liar), -1);
	ck_assert_int_eq(liar, -1);
	ck_assert_int_eq(dl->chunks[3].state, DL_CHUNK_MISSING);
	ck_assert_int_eq(dl->src[1].status, DL_SRC_BUSY);
	ck_assert_uint_eq(dl->src[1].bad, 0);
	/* B's pause gives back its chunk 4. */
	ck_assert_int_eq(dl_pause(dl), 0);
	ck_assert_int_eq(dl->chunks[4].state, DL_CHUNK_MISSING);
	ck_assert_int_eq(dl->src[1].status, DL_SRC_USABLE);
	ck_assert_uint_eq(dl->count[DL_CHUNK_MISSING], 4);
	ck_assert_uint_eq(dl->count[DL_CHUNK_DONE], 1);
	ck_assert_uint_eq(dl->verified, dl->chunk);
	dl_free(dl);
	free(p);
}
END_TEST

/* Chunks are tree nodes of the smallest size the rule allows. */
START_TEST(test_dl_chunk_sizes)
{
	uint64_t	 size = tc_sizes[_i].size, chunk, half, off, len, sum;
	unsigned	 h = tt_height(size);
	struct dl	*dl;
	uint8_t		 sha1[SHA1_LEN] = { 1 };
	uint32_t	 c;
	int		 depth;

	chunk = dl_chunk_size(size);
	ck_assert_uint_eq(chunk, tc_sizes[_i].chunk);
	depth = dl_tree_depth_for(size, chunk);
	ck_assert_int_eq(depth, tc_sizes[_i].depth);
	ck_assert_uint_eq(tt_block_at(size, (unsigned)depth), chunk);
	/* Any peer's tree (gtk-gnutella's depth) reaches the chunks. */
	ck_assert_uint_le((unsigned)depth, tt_good_depth(size));
	if (size > 0)
		ck_assert_uint_eq(tt_leaves_at(size, (unsigned)depth),
		    tc_sizes[_i].nchunks);
	ck_assert_uint_le(tc_sizes[_i].nchunks, DL_CHUNKS_MAX);
	if (tc_sizes[_i].nchunks > 1)
		ck_assert_uint_ge(chunk, DL_CHUNK_MIN);
	/* The next smaller node breaks a rule. */
	if ((unsigned)depth < h) {
		half = chunk / 2;
		ck_assert(half < DL_CHUNK_MIN ||
		    (unsigned)depth + 1 > tt_good_depth(size) ||
		    (size + half - 1) / half > DL_CHUNKS_MAX);
	}
	ck_assert_int_eq(dl_tree_depth_for(size, 3000), -1);

	dl = dl_new(1, sha1, "x", size, NULL);
	ck_assert_uint_eq(dl->chunk, chunk);
	ck_assert_uint_eq(dl->nchunks, tc_sizes[_i].nchunks);
	ck_assert_uint_eq(dl->count[DL_CHUNK_MISSING], dl->nchunks);
	for (c = 0, sum = 0; c < dl->nchunks; c++) {
		dl_chunk_span(dl, c, &off, &len);
		ck_assert_uint_eq(off, sum);
		ck_assert_uint_gt(len, 0);
		sum += len;
	}
	ck_assert_uint_eq(sum, size);
	dl_free(dl);
}
END_TEST

/* Four sources get four different chunks; a freed source takes the next,
 * a fresh source goes before one that failed. */
START_TEST(test_dl_pick_spread)
{
	struct dl_progress	 pr;
	struct dl		*dl;
	uint8_t			 sha1[SHA1_LEN] = { 2 };
	uint32_t		 c;
	uint64_t		 off, len;
	int			 i;

	dl = dl_new(1, sha1, "x", 2 * MIB, NULL);
	ck_assert_uint_eq(dl->nchunks, 8);
	ck_assert(tc_nopick(dl, 0));		/* no sources yet */
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(dl_add_source(dl, 0x0a000001 + i, 6346, 1),
		    i);
	ck_assert_int_eq(dl->state, DL_QUEUED);
	for (i = 0; i < 4; i++)
		tc_pick(dl, 0, i, i);
	ck_assert_int_eq(dl->state, DL_ACTIVE);
	ck_assert(tc_nopick(dl, 0));		/* every source busy */
	ck_assert_int_eq(dl_pick_for(dl, 0, 0, &c, &off, &len), 0);
	dl_progress(dl, &pr);
	ck_assert_uint_eq(pr.busy, 4);
	ck_assert_uint_eq(pr.sources, 4);
	ck_assert_uint_eq(pr.active, 4);
	ck_assert_uint_eq(pr.missing, 4);

	/* Source 2 is done first and takes chunk 4. */
	ck_assert_int_eq(dl_chunk_written(dl, 2), 0);
	ck_assert_int_eq(dl_chunk_written(dl, 2), -1);	/* not active now */
	ck_assert_int_eq(dl->src[2].status, DL_SRC_USABLE);
	ck_assert_uint_eq(dl->src[2].bytes, 256 * KIB);
	tc_pick(dl, 0, 2, 4);

	/* Source 1 fails: its chunk is missing again. Once its back-off is
	 * over, the fresh source 0 still goes first. */
	dl_source_failed(dl, 1, DL_FAIL_CONNECT, 1000);
	ck_assert_int_eq(dl->chunks[1].state, DL_CHUNK_MISSING);
	ck_assert_int_eq(dl_chunk_written(dl, 0), 0);
	tc_pick(dl, 100000, 0, 1);
	tc_pick(dl, 100000, 1, 5);
	ck_assert(tc_nopick(dl, 100000));

	/* A connection kept open asks for its own next chunk. */
	ck_assert_int_eq(dl_chunk_written(dl, 1), 0);
	ck_assert_int_eq(dl_pick_for(dl, 0, 100000, &c, &off, &len), 1);
	ck_assert_uint_eq(c, 6);
	ck_assert_uint_eq(off, 6 * 256 * KIB);
	ck_assert_uint_eq(len, 256 * KIB);
	dl_progress(dl, &pr);
	ck_assert_uint_eq(pr.written, 3);
	ck_assert_uint_eq(pr.bytes, 3 * 256 * KIB);
	ck_assert_uint_eq(pr.percent, 37);
	dl_free(dl);
}
END_TEST

/*
 * A source that sends less than asked: what came is kept as the chunk's
 * fill, the next pick (by it or by another) starts where it stopped, a
 * chunk with bytes from two sources that fails bans neither and is then
 * fetched whole by one, whose second failure bans it.
 */
START_TEST(test_dl_short_answers)
{
	struct dl_progress	 pr;
	struct dl	*dl;
	uint8_t		*p, root[TT_HASH_LEN], bad[TT_HASH_LEN];
	const uint8_t	*q;
	size_t		 len, src;
	uint32_t	 c;
	uint64_t	 off, n;
	int		 liar;

	p = tc_data(TC_SIZE);
	dl = tc_dl_new(p, TC_SIZE, 1, 1);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);	/* A */
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6346, 0), 1);	/* B */
	tc_pick(dl, 0, 0, 0);
	/* A sends 100000 bytes of chunk 0, then its connection drops. */
	ck_assert_int_eq(dl_chunk_fill(dl, 0, 60000), 0);
	ck_assert_int_eq(dl_chunk_fill(dl, 0, 100000), 0);
	ck_assert_int_eq(dl_chunk_fill(dl, 0, 50000), 0);	/* no going back */
	ck_assert_uint_eq(dl->chunks[0].fill, 100000);
	ck_assert_int_eq(dl_chunk_fill(dl, 0, 256 * KIB + 1), -1);
	ck_assert_int_eq(dl_chunk_fill(dl, 1, 10), -1);	/* not active */
	dl_source_failed(dl, 0, DL_FAIL_CONNECT, 0);
	ck_assert_int_eq(dl->chunks[0].state, DL_CHUNK_MISSING);
	ck_assert_uint_eq(dl->chunks[0].fill, 100000);
	ck_assert_uint_eq(dl->count[DL_CHUNK_WRITTEN], 0);
	dl_progress(dl, &pr);
	ck_assert_uint_eq(pr.bytes, 100000);	/* the part in counts */
	ck_assert_uint_eq(dl->bytes, 0);
	/* B goes on from byte 100000 and finishes it. */
	ck_assert_int_eq(dl_pick(dl, 0, &src, &c, &off, &n), 1);
	ck_assert_uint_eq(src, 1);
	ck_assert_uint_eq(c, 0);
	ck_assert_uint_eq(off, 100000);
	ck_assert_uint_eq(n, 256 * KIB - 100000);
	ck_assert_int_eq(dl_chunk_fill(dl, 0, 256 * KIB), 0);
	ck_assert_int_eq(dl_chunk_written(dl, 0), 0);
	ck_assert_uint_eq(dl->chunks[0].writer, DL_MIXED);
	ck_assert_uint_eq(dl->chunks[0].fill, 0);
	/* It does not match: neither is banned; the chunk starts over. */
	memset(bad, 0x55, sizeof bad);
	ck_assert_int_eq(dl_chunk_verdict(dl, 0, bad, &liar), -1);
	ck_assert_int_eq(liar, -1);
	ck_assert_int_ne(dl->src[0].status, DL_SRC_BANNED);
	ck_assert_int_ne(dl->src[1].status, DL_SRC_BANNED);
	ck_assert_uint_eq(dl->chunks[0].fill, 0);
	ck_assert_uint_eq(dl->chunks[0].solo, 1);
	/* A sends part of it again and drops, then B picks it: B must
	 * start from 0, since the chunk now goes whole to one source. */
	dl_source_idle(dl, 1);
	ck_assert_int_eq(dl_pick_for(dl, 0, 10000, &c, &off, &n), 1);
	ck_assert_uint_eq(c, 0);
	ck_assert_int_eq(dl_chunk_fill(dl, 0, 4096), 0);
	dl_source_idle(dl, 0);
	ck_assert_int_eq(dl_pick_for(dl, 1, 10000, &c, &off, &n), 1);
	ck_assert_uint_eq(c, 0);
	ck_assert_uint_eq(off, 0);
	ck_assert_uint_eq(n, 256 * KIB);
	/* B alone writes it wrong again: now B is the one to blame. */
	ck_assert_int_eq(dl_chunk_fill(dl, 0, 256 * KIB), 0);
	ck_assert_int_eq(dl_chunk_written(dl, 0), 0);
	ck_assert_uint_eq(dl->chunks[0].writer, 1);
	ck_assert_int_eq(dl_chunk_verdict(dl, 0, bad, &liar), -1);
	ck_assert_int_eq(liar, 1);
	ck_assert_int_eq(dl->src[1].status, DL_SRC_BANNED);
	/* A fetches it whole and right. */
	ck_assert_int_eq(dl_pick_for(dl, 0, 10000, &c, &off, &n), 1);
	ck_assert_uint_eq(off, 0);
	ck_assert_int_eq(dl_chunk_written(dl, 0), 0);
	q = tc_chunk(dl, p, 0, &len);
	tt_root_buf(q, len, root);
	ck_assert_int_eq(dl_chunk_verdict(dl, 0, root, &liar), 1);
	ck_assert_uint_eq(dl->chunks[0].solo, 0);
	dl_free(dl);
	free(p);
}
END_TEST

/* A run stops before a chunk that is partly in, and such a chunk goes
 * on from its fill. */
START_TEST(test_dl_run_stops_at_fill)
{
	struct dl	*dl;
	uint8_t		*p;
	uint32_t	 c;
	uint64_t	 off, n;

	p = tc_data(TC_SIZE);
	dl = tc_dl_new(p, TC_SIZE, 1, 1);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6346, 0), 1);
	/* A takes 0-2; chunk 2 gets 10 bytes, then A drops. */
	ck_assert_int_eq(dl_pick_for(dl, 0, 0, &c, &off, &n), 1);
	ck_assert_uint_eq(dl_extend(dl, 0, 3), 3);
	ck_assert_int_eq(dl_chunk_written(dl, 1 - 1), 0);
	ck_assert_int_eq(dl_chunk_fill(dl, 1, 10), 0);
	dl_source_idle(dl, 0);
	ck_assert_int_eq(dl->chunks[2].state, DL_CHUNK_MISSING);
	ck_assert_uint_eq(dl->chunks[2].fill, 0);
	/* B's run from chunk 1 starts at byte 10 of it and goes on. */
	ck_assert_int_eq(dl_pick_for(dl, 1, 0, &c, &off, &n), 1);
	ck_assert_uint_eq(c, 1);
	ck_assert_uint_eq(off, 256 * KIB + 10);
	ck_assert_uint_eq(dl_extend(dl, 1, 3), 3);
	/* B writes 5 bytes of chunk 3 and drops: A's run from chunk 1
	 * stops before chunk 3. */
	ck_assert_int_eq(dl_chunk_fill(dl, 3, 5), 0);
	dl_source_idle(dl, 1);
	ck_assert_int_eq(dl_pick_for(dl, 0, 0, &c, &off, &n), 1);
	ck_assert_uint_eq(c, 1);
	ck_assert_uint_eq(dl_extend(dl, 0, 4), 2);
	ck_assert_int_eq(dl->chunks[3].state, DL_CHUNK_MISSING);
	ck_assert_uint_eq(dl->chunks[3].fill, 5);
	dl_free(dl);
	free(p);
}
END_TEST

/* X-Available-Ranges: a source is asked only for chunks it has whole. */
START_TEST(test_dl_ranges)
{
	static const uint64_t	 r[][2] = {
		{ 0, 256 * KIB - 1 },			/* chunk 0 */
		{ 600 * KIB, 1024 * KIB + 999 },	/* 3 and 4, part of 2 */
	};
	struct dl	*dl;
	uint8_t		*p;
	size_t		 src;
	uint32_t	 c;
	uint64_t	 off, n;

	p = tc_data(TC_SIZE);
	dl = tc_dl_new(p, TC_SIZE, 1, 1);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);
	dl_source_ranges(dl, 0, r, 2);
	ck_assert(dl_source_has(dl, 0, 0));
	ck_assert(!dl_source_has(dl, 0, 1));
	ck_assert(!dl_source_has(dl, 0, 2));
	ck_assert(dl_source_has(dl, 0, 3));
	ck_assert(dl_source_has(dl, 0, 4));
	ck_assert_int_eq(dl_pick(dl, 0, &src, &c, &off, &n), 1);
	ck_assert_uint_eq(c, 0);
	/* Its run stops at chunk 1, which it lacks. */
	ck_assert_uint_eq(dl_extend(dl, 0, 4), 1);
	ck_assert_int_eq(dl_chunk_written(dl, 0), 0);
	ck_assert_int_eq(dl_pick(dl, 0, &src, &c, &off, &n), 1);
	ck_assert_uint_eq(c, 3);
	ck_assert_uint_eq(dl_extend(dl, 0, 4), 2);
	ck_assert_int_eq(dl_chunk_written(dl, 3), 0);
	ck_assert_int_eq(dl_chunk_written(dl, 4), 0);
	/* Nothing else it has is missing: it is not picked. */
	ck_assert(tc_nopick(dl, 0));
	/* A second source with the whole file is, for chunk 1. */
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6346, 0), 1);
	ck_assert_int_eq(dl_pick(dl, 0, &src, &c, &off, &n), 1);
	ck_assert_uint_eq(src, 1);
	ck_assert_uint_eq(c, 1);
	/* The first says it has it all now. */
	dl_source_ranges(dl, 0, NULL, 0);
	ck_assert(dl_source_has(dl, 0, 2));
	ck_assert_int_eq(dl_pick(dl, 0, &src, &c, &off, &n), 1);
	ck_assert_uint_eq(src, 0);
	ck_assert_uint_eq(c, 2);
	dl_free(dl);
	free(p);
}
END_TEST

/* Two partial sources whose ranges meet inside a chunk: one sends the
 * chunk's start, the other (which lacks that start) its end. */
START_TEST(test_dl_ranges_split)
{
	static const uint64_t	 a[][2] = { { 0, 300 * KIB - 1 } };
	static const uint64_t	 b[][2] = { { 280 * KIB, TC_SIZE - 1 },
	    { 10, 20 } };
	struct dl	*dl;
	uint8_t		*p;
	uint32_t	 c;
	uint64_t	 off, n;

	p = tc_data(TC_SIZE);
	dl = tc_dl_new(p, TC_SIZE, 1, 1);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);	/* A */
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6346, 0), 1);	/* B */
	dl_source_ranges(dl, 0, a, 1);
	dl_source_ranges(dl, 1, b, 2);
	ck_assert_uint_eq(dl_source_reach(dl, 0, 0), 300 * KIB);
	ck_assert_uint_eq(dl_source_reach(dl, 0, 300 * KIB), 300 * KIB);
	ck_assert_uint_eq(dl_source_reach(dl, 1, 15), 21);
	ck_assert_uint_eq(dl_source_reach(dl, 1, 290 * KIB), TC_SIZE);
	/* Chunk 1 (256-512 KiB): A has its start, B its end. */
	ck_assert(dl_source_has(dl, 0, 1));
	ck_assert(!dl_source_has(dl, 1, 1));
	ck_assert_int_eq(dl_pick_for(dl, 0, 0, &c, &off, &n), 1);
	ck_assert_uint_eq(c, 0);
	ck_assert_uint_eq(dl_extend(dl, 0, 4), 1);	/* not into chunk 1 */
	ck_assert_int_eq(dl_chunk_written(dl, 0), 0);
	ck_assert_int_eq(dl_pick_for(dl, 0, 0, &c, &off, &n), 1);
	ck_assert_uint_eq(c, 1);
	ck_assert_int_eq(dl_chunk_fill(dl, 1, 300 * KIB - 256 * KIB), 0);
	dl_source_idle(dl, 0);
	/* A has no more of it; B has the next byte now. */
	ck_assert(!dl_source_has(dl, 0, 1));
	ck_assert(dl_source_has(dl, 1, 1));
	ck_assert_int_eq(dl_pick_for(dl, 0, 0, &c, &off, &n), 0);
	ck_assert_int_eq(dl_pick_for(dl, 1, 0, &c, &off, &n), 1);
	ck_assert_uint_eq(c, 1);
	ck_assert_uint_eq(off, 300 * KIB);
	ck_assert_uint_eq(dl_extend(dl, 1, 8), 4);	/* 1 to 4 */
	dl_free(dl);
	free(p);
}
END_TEST

/* A seed (the whole file) is asked only for what no partial source we can
 * fetch from has, from the download's spread on; a partial source for
 * what it has. */
START_TEST(test_dl_seed_spread)
{
	static const uint64_t	 half[][2] = { { 0, 512 * KIB - 1 } };
	struct dl	*dl;
	uint8_t		*p;
	uint32_t	 c, nch;
	uint64_t	 off, n;

	p = tc_data(TC_SIZE);
	dl = tc_dl_new(p, TC_SIZE, 1, 1);
	nch = dl->nchunks;
	ck_assert_uint_eq(nch, 5);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);	/* seed */
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6346, 0), 1);	/* peer */
	dl_source_ranges(dl, 1, half, 1);
	/* spread 0: the first chunk past what the peer has */
	ck_assert_int_eq(dl_pick_for(dl, 0, 0, &c, &off, &n), 1);
	ck_assert_uint_eq(c, 2);
	ck_assert_int_eq(dl_pick_for(dl, 1, 0, &c, &off, &n), 1);
	ck_assert_uint_eq(c, 0);
	dl_free(dl);

	/* spread past the peer's half: from there on; once every chunk the
	 * peer lacks is taken, the seed is given one the peer has too */
	dl = tc_dl_new(p, TC_SIZE, 1, 1);
	dl->spread = nch - 1 + 3 * nch;
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6346, 0), 1);
	dl_source_ranges(dl, 1, half, 1);
	ck_assert_int_eq(dl_pick_for(dl, 0, 0, &c, &off, &n), 1);
	ck_assert_uint_eq(c, 4);
	ck_assert_int_eq(dl_chunk_written(dl, 4), 0);
	/* then from a new place each time, never one the peer has: 2 and
	 * 3 in some order */
	ck_assert_int_eq(dl_pick_for(dl, 0, 0, &c, &off, &n), 1);
	ck_assert(c == 2 || c == 3);
	ck_assert_int_eq(dl_chunk_written(dl, c), 0);
	ck_assert_int_eq(dl_pick_for(dl, 0, 0, &c, &off, &n), 1);
	ck_assert(c == 2 || c == 3);
	ck_assert_int_eq(dl_chunk_written(dl, c), 0);
	ck_assert_uint_eq(dl->count[DL_CHUNK_WRITTEN], 3);
	/* nothing left the peer lacks: the seed gets nothing while the peer
	 * can serve, nor while we hold a place in its PARQ queue */
	ck_assert_int_eq(dl_pick_for(dl, 0, 0, &c, &off, &n), 0);
	dl_source_wait(dl, 1, 1000);
	dl_source_queued(dl, 1, "00c0ffee00c0ffee", 1, 2, 60000);
	ck_assert_int_eq(dl_pick_for(dl, 0, 0, &c, &off, &n), 0);
	/* and what it has once it cannot (backing off, no place kept) */
	dl_source_unqueue(dl, 1);
	ck_assert_int_eq(dl_pick_for(dl, 0, 0, &c, &off, &n), 1);
	ck_assert(c == 0 || c == 1);
	dl_free(dl);
	free(p);
}
END_TEST

/* The caller's own rule (one connection per host) filters sources. */
static int
tc_not_first(void *arg, const struct dl_source *s)
{
	(void)arg;
	return s->ip != 0x0a000001;
}

START_TEST(test_dl_pick_filter)
{
	struct dl	*dl;
	uint8_t		*p;
	size_t		 src;
	uint32_t	 c;
	uint64_t	 off, n;

	p = tc_data(TC_SIZE);
	dl = tc_dl_new(p, TC_SIZE, 1, 1);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);
	ck_assert_int_eq(dl_pick_if(dl, 0, tc_not_first, NULL, &src, &c, &off,
	    &n), 0);
	ck_assert_int_eq(dl->src[0].status, DL_SRC_USABLE);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6346, 0), 1);
	ck_assert_int_eq(dl_pick_if(dl, 0, tc_not_first, NULL, &src, &c, &off,
	    &n), 1);
	ck_assert_uint_eq(src, 1);
	/* A PARQ place is kept, and let go. */
	dl_source_queued(dl, 0, "abc123", 3, 10, 5000);
	ck_assert_str_eq(dl->src[0].queue_id, "abc123");
	ck_assert_uint_eq(dl->src[0].queue_pos, 3);
	ck_assert_uint_eq(dl->src[0].queue_len, 10);
	dl_source_queued(dl, 0, "0123456789012345678901234567890123456789"
	    "012345678901234567890123456789", 1, 1, 1);	/* too long */
	ck_assert_str_eq(dl->src[0].queue_id, "abc123");
	dl_source_unqueue(dl, 0);
	ck_assert_str_eq(dl->src[0].queue_id, "");
	ck_assert_uint_eq(dl->src[0].queue_pos, 0);
	dl_free(dl);
	free(p);
}
END_TEST

/* A chunk altered in transit fails its node, is fetched again from
 * another source, and its sender is banned. */
START_TEST(test_dl_bad_chunk)
{
	struct dl_progress	 pr;
	struct dl		*dl;
	uint8_t			*p, *bad, root[TT_HASH_LEN];
	const uint8_t		*q;
	size_t			 len;
	uint32_t		 c;
	int			 liar;

	p = tc_data(TC_SIZE);
	dl = tc_dl_new(p, TC_SIZE, 1, 1);
	ck_assert_uint_eq(dl->nchunks, 5);
	ck_assert_ptr_nonnull(dl->level);
	ck_assert_uint_eq(dl->level_depth, 3);
	/* Each node kept is the root of its chunk's bytes. */
	for (c = 0; c < dl->nchunks; c++) {
		q = tc_chunk(dl, p, c, &len);
		tt_root_buf(q, len, root);
		ck_assert_mem_eq(root, dl->level + c * TT_HASH_LEN,
		    TT_HASH_LEN);
	}
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 3), 0);	/* A */
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6346, 3), 1);	/* B */
	ck_assert_int_eq(dl_add_source(dl, 0x0a000003, 6346, 3), 2);	/* C */
	tc_pick(dl, 0, 0, 0);
	tc_pick(dl, 0, 1, 1);
	tc_pick(dl, 0, 2, 2);

	/* Only a written chunk can be checked. */
	q = tc_chunk(dl, p, 0, &len);
	ck_assert_int_eq(dl_chunk_check(dl, 0, q, len, &liar), -2);
	ck_assert_int_eq(dl_chunk_written(dl, 0), 0);
	ck_assert_int_eq(dl_chunk_check(dl, 0, q, len, &liar), 1);
	ck_assert_int_eq(liar, -1);
	ck_assert_int_eq(dl->chunks[0].state, DL_CHUNK_DONE);
	ck_assert_int_eq(dl_chunk_check(dl, 0, q, len, &liar), -2);

	/* B sends chunk 1 with one byte changed. */
	q = tc_chunk(dl, p, 1, &len);
	bad = malloc(len);
	ck_assert_ptr_nonnull(bad);
	memcpy(bad, q, len);
	bad[len / 3] ^= 0x20;
	ck_assert_int_eq(dl_chunk_written(dl, 1), 0);
	ck_assert_int_eq(dl_chunk_check(dl, 1, bad, len, &liar), -1);
	free(bad);
	ck_assert_int_eq(liar, 1);
	ck_assert_int_eq(dl->src[1].status, DL_SRC_BANNED);
	ck_assert_uint_eq(dl->src[1].bad, 1);
	ck_assert_int_eq(dl->chunks[1].state, DL_CHUNK_MISSING);
	ck_assert_uint_eq(dl->verified, 256 * KIB);

	q = tc_chunk(dl, p, 2, &len);
	ck_assert_int_eq(dl_chunk_written(dl, 2), 0);
	ck_assert_int_eq(dl_chunk_check(dl, 2, q, len, &liar), 1);

	/* Chunk 1 again, from A; B is never picked again. */
	tc_pick(dl, 0, 0, 1);
	tc_pick(dl, 0, 2, 3);
	ck_assert(tc_nopick(dl, 0));
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6346, 3), 1);
	ck_assert_int_eq(dl->src[1].status, DL_SRC_BANNED);
	q = tc_chunk(dl, p, 1, &len);
	ck_assert_int_eq(dl_chunk_written(dl, 1), 0);
	ck_assert_int_eq(dl_chunk_check(dl, 1, q, len, &liar), 1);
	/* A, with more good chunks, goes before a new source. */
	ck_assert_int_eq(dl_add_source(dl, 0x0a000004, 6346, 3), 3);
	tc_pick(dl, 0, 0, 4);
	q = tc_chunk(dl, p, 4, &len);
	ck_assert_uint_eq(len, 1000);
	ck_assert_int_eq(dl_chunk_written(dl, 4), 0);
	ck_assert_int_eq(dl_chunk_check(dl, 4, q, len, &liar), 1);
	ck_assert(!dl_complete(dl));
	ck_assert_int_eq(dl->state, DL_ACTIVE);
	q = tc_chunk(dl, p, 3, &len);
	ck_assert_int_eq(dl_chunk_written(dl, 3), 0);
	ck_assert_int_eq(dl->state, DL_ACTIVE);	/* written, not checked */
	ck_assert_int_eq(dl_chunk_check(dl, 3, q, len, &liar), 1);

	ck_assert(dl_complete(dl));
	ck_assert_int_eq(dl->state, DL_VERIFYING);
	ck_assert(tc_nopick(dl, 0));
	dl_progress(dl, &pr);
	ck_assert_uint_eq(pr.verified, TC_SIZE);
	ck_assert_uint_eq(pr.percent, 100);
	ck_assert_uint_eq(pr.done, 5);
	ck_assert_uint_eq(pr.sources, 3);
	ck_assert_uint_eq(dl->src[0].ok, 3);
	ck_assert_uint_eq(dl->src[2].ok, 2);
	ck_assert_int_eq(dl_file_checked(dl, 1), 0);
	ck_assert_int_eq(dl->state, DL_DONE);
	ck_assert_int_eq(dl_cancel(dl), -1);
	dl_free(dl);
	free(p);
}
END_TEST

/* A chunk of the wrong length fails too; without a tree nothing is
 * checked until the end. */
START_TEST(test_dl_check_edges)
{
	struct dl	*dl;
	uint8_t		*p;
	const uint8_t	*q;
	size_t		 len;
	int		 liar;

	p = tc_data(TC_SIZE);
	dl = tc_dl_new(p, TC_SIZE, 1, 1);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);
	tc_pick(dl, 0, 0, 0);
	ck_assert_int_eq(dl_chunk_written(dl, 0), 0);
	q = tc_chunk(dl, p, 0, &len);
	ck_assert_int_eq(dl_chunk_check(dl, 0, q, len - 1, &liar), -1);
	ck_assert_int_eq(liar, 0);
	ck_assert_int_eq(dl->src[0].status, DL_SRC_BANNED);
	ck_assert_int_eq(dl_chunk_check(dl, 99, q, len, &liar), -2);
	dl_free(dl);

	dl = tc_dl_new(p, TC_SIZE, 1, 0);
	ck_assert_ptr_null(dl->level);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);
	tc_pick(dl, 0, 0, 0);
	ck_assert_int_eq(dl_chunk_written(dl, 0), 0);
	ck_assert_int_eq(dl_chunk_check(dl, 0, "junk", 4, &liar), 0);
	ck_assert_int_eq(dl->chunks[0].state, DL_CHUNK_WRITTEN);
	ck_assert_int_eq(dl->src[0].status, DL_SRC_USABLE);
	ck_assert_int_eq(dl_next_unchecked(dl, 0), -1);
	dl_free(dl);
	free(p);
}
END_TEST

/* Trees that cannot check chunks are refused. */
START_TEST(test_dl_tree_refused)
{
	struct dl	*dl;
	uint8_t		*p, *nodes;
	size_t		 nn;

	p = tc_data(TC_SIZE);
	nn = tc_tree(p, TC_SIZE, &nodes);

	/* No Tiger root to check the tree against. */
	dl = tc_dl_new(p, TC_SIZE, 0, 0);
	ck_assert_int_eq(dl_set_tree(dl, nodes, nn), -1);
	ck_assert_ptr_null(dl->level);
	dl_free(dl);

	dl = tc_dl_new(p, TC_SIZE, 1, 0);
	/* Too shallow: the nodes above the chunks only. */
	ck_assert_int_eq(dl_set_tree(dl, nodes, (size_t)tt_nodes_to(TC_SIZE,
	    2)), -1);
	ck_assert_int_eq(dl_set_tree(dl, nodes, 0), -1);
	/* A node of the chunk level changed. */
	nodes[(nn - 2) * TT_HASH_LEN + 5] ^= 1;
	ck_assert_int_eq(dl_set_tree(dl, nodes, nn), -1);
	nodes[(nn - 2) * TT_HASH_LEN + 5] ^= 1;
	/* Another file's root. */
	dl->tth[0] ^= 1;
	ck_assert_int_eq(dl_set_tree(dl, nodes, nn), -1);
	dl->tth[0] ^= 1;
	ck_assert_ptr_null(dl->level);
	ck_assert_int_eq(dl_set_tree(dl, nodes, nn), 0);
	ck_assert_ptr_nonnull(dl->level);
	dl_free(dl);
	free(nodes);
	free(p);
}
END_TEST

/* Failed connections back off, doubling up to the cap, and a source that
 * keeps failing is gone; a good chunk wipes the slate. */
START_TEST(test_dl_backoff)
{
	struct dl	*dl;
	uint8_t		 sha1[SHA1_LEN] = { 3 };
	uint64_t	 now = 1000, want;
	uint32_t	 f;

	dl = dl_new(1, sha1, "x", MIB, NULL);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);
	tc_pick(dl, now, 0, 0);
	dl_source_failed(dl, 0, DL_FAIL_CONNECT, now);
	ck_assert_int_eq(dl->src[0].status, DL_SRC_BACKOFF);
	ck_assert_uint_eq(dl->src[0].fails, 1);
	ck_assert_uint_eq(dl->src[0].until, now + DL_BACKOFF_MS);
	ck_assert_int_eq(dl->chunks[0].state, DL_CHUNK_MISSING);
	ck_assert(tc_nopick(dl, now + DL_BACKOFF_MS - 1));
	now += DL_BACKOFF_MS;
	tc_pick(dl, now, 0, 0);
	for (f = 2; f < DL_FAILS_MAX; f++) {
		dl_source_failed(dl, 0, DL_FAIL_CONNECT, now);
		want = (uint64_t)DL_BACKOFF_MS << (f - 1);
		if (want > DL_BACKOFF_MAX_MS)
			want = DL_BACKOFF_MAX_MS;
		ck_assert_int_eq(dl->src[0].status, DL_SRC_BACKOFF);
		ck_assert_uint_eq(dl->src[0].fails, f);
		ck_assert_uint_eq(dl->src[0].until, now + want);
	}
	ck_assert_uint_eq(dl->src[0].until, now + DL_BACKOFF_MAX_MS);
	dl_source_failed(dl, 0, DL_FAIL_CONNECT, now);
	ck_assert_int_eq(dl->src[0].status, DL_SRC_GONE);
	ck_assert(tc_nopick(dl, UINT64_MAX));

	/* One failure, then a chunk: the count starts again. */
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6346, 0), 1);
	dl_source_failed(dl, 1, DL_FAIL_CONNECT, now);
	ck_assert_uint_eq(dl->src[1].fails, 1);
	tc_pick(dl, now + DL_BACKOFF_MS, 1, 0);
	ck_assert_int_eq(dl_chunk_written(dl, 0), 0);
	ck_assert_uint_eq(dl->src[1].fails, 0);
	ck_assert_int_eq(dl->src[1].status, DL_SRC_USABLE);

	/* Busy (503, Retry-After): wait as told, no failure counted. */
	tc_pick(dl, now + DL_BACKOFF_MS, 1, 1);
	dl_source_wait(dl, 1, now + 60000);
	ck_assert_int_eq(dl->src[1].status, DL_SRC_BACKOFF);
	ck_assert_uint_eq(dl->src[1].until, now + 60000);
	ck_assert_uint_eq(dl->src[1].fails, 0);
	ck_assert_int_eq(dl->chunks[1].state, DL_CHUNK_MISSING);
	ck_assert(tc_nopick(dl, now + 59999));
	tc_pick(dl, now + 60000, 1, 1);

	/* We stop a fetch ourselves: chunk back, source usable. */
	dl_source_idle(dl, 1);
	ck_assert_int_eq(dl->src[1].status, DL_SRC_USABLE);
	ck_assert_int_eq(dl->chunks[1].state, DL_CHUNK_MISSING);
	ck_assert_uint_eq(dl->count[DL_CHUNK_ACTIVE], 0);
	dl_free(dl);
}
END_TEST

/* Gone and banned sources, the table's bounds, and a reused slot. */
START_TEST(test_dl_sources)
{
	struct dl	*dl;
	uint8_t		*p;
	const uint8_t	*q;
	size_t		 len;
	int		 i, liar;

	p = tc_data(TC_SIZE);
	dl = tc_dl_new(p, TC_SIZE, 1, 1);
	ck_assert_int_eq(dl_add_source(dl, 0, 6346, 1), -1);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 0, 1), -1);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 1), 0);	/* X */
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6346, 1), 1);	/* Y */
	/* Same address: same slot, the new file index kept. */
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 9), 0);
	ck_assert_uint_eq(dl->src[0].index, 9);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);
	ck_assert_uint_eq(dl->src[0].index, 9);
	ck_assert_uint_eq(dl->nsrc, 2);

	/* 404: X is gone, its chunk goes to Y. */
	tc_pick(dl, 0, 0, 0);
	dl_source_failed(dl, 0, DL_FAIL_GONE, 0);
	ck_assert_int_eq(dl->src[0].status, DL_SRC_GONE);
	tc_pick(dl, 0, 1, 0);
	ck_assert(tc_nopick(dl, 0));
	/* Seen again in a hit: usable again. */
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 1), 0);
	ck_assert_int_eq(dl->src[0].status, DL_SRC_USABLE);
	tc_pick(dl, 0, 0, 1);
	/* A ban (found by the caller) frees the chunk for good. */
	dl_source_ban(dl, 1);
	ck_assert_int_eq(dl->src[1].status, DL_SRC_BANNED);
	ck_assert_int_eq(dl->chunks[0].state, DL_CHUNK_MISSING);
	dl_source_failed(dl, 1, DL_FAIL_GONE, 0);
	ck_assert_int_eq(dl->src[1].status, DL_SRC_BANNED);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6346, 1), 1);
	ck_assert_int_eq(dl->src[1].status, DL_SRC_BANNED);

	/* X writes chunk 1, then goes; its slot is taken by a newcomer,
	 * who must not answer for X's chunk. */
	ck_assert_int_eq(dl_chunk_written(dl, 1), 0);
	dl_source_failed(dl, 0, DL_FAIL_GONE, 0);
	for (i = 2; i < DL_SOURCES_MAX; i++)
		ck_assert_int_eq(dl_add_source(dl, 0x0b000000 + i, 6346, 1), i);
	ck_assert_int_eq(dl_add_source(dl, 0x0c000001, 6346, 1), 0);
	ck_assert_int_eq(dl_add_source(dl, 0x0c000002, 6346, 1), -1);
	q = tc_chunk(dl, p, 1, &len);
	ck_assert_int_eq(dl_chunk_check(dl, 1, q, len - 1, &liar), -1);
	ck_assert_int_eq(liar, -1);
	ck_assert_int_eq(dl->src[0].status, DL_SRC_USABLE);
	ck_assert_uint_eq(dl->src[0].ip, 0x0c000001);
	dl_free(dl);
	free(p);
}
END_TEST

/* Without a tree the file is whole once every chunk is written; a bad
 * file starts over, and fails for good after DL_RETRIES_MAX. */
START_TEST(test_dl_complete)
{
	struct dl_progress	 pr;
	struct dl		*dl;
	uint8_t			 sha1[SHA1_LEN] = { 4 };
	uint32_t		 c;
	int			 round, liar;

	dl = dl_new(1, sha1, "x", 600 * KIB, NULL);
	ck_assert_uint_eq(dl->nchunks, 3);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);
	ck_assert_int_eq(dl_file_checked(dl, 1), -1);
	for (round = 0; round < DL_RETRIES_MAX; round++) {
		for (c = 0; c < 3; c++) {
			ck_assert(!dl_complete(dl));
			tc_pick(dl, 0, 0, c);
			ck_assert_int_eq(dl_chunk_written(dl, c), 0);
			ck_assert_int_eq(dl_chunk_check(dl, c, "", 0, &liar),
			    0);
		}
		ck_assert(dl_complete(dl));
		ck_assert_int_eq(dl->state, DL_VERIFYING);
		ck_assert(tc_nopick(dl, 0));
		dl_progress(dl, &pr);
		ck_assert_uint_eq(pr.bytes, 600 * KIB);
		ck_assert_uint_eq(pr.verified, 0);
		ck_assert_uint_eq(pr.percent, 100);
		ck_assert_int_eq(dl_pause(dl), -1);
		/* The SHA-1 does not match. */
		ck_assert_int_eq(dl_file_checked(dl, 0), 0);
		ck_assert_uint_eq(dl->retries, (unsigned)round + 1);
		ck_assert_uint_eq(dl->count[DL_CHUNK_MISSING], 3);
		ck_assert_uint_eq(dl->bytes, 0);
	}
	ck_assert_int_eq(dl->state, DL_FAILED);
	ck_assert(tc_nopick(dl, 0));
	ck_assert_int_eq(dl_resume(dl), 0);
	ck_assert_int_eq(dl->state, DL_QUEUED);
	ck_assert_uint_eq(dl->retries, 0);
	tc_pick(dl, 0, 0, 0);
	dl_free(dl);

	/* An empty file has nothing to fetch: straight to its check. */
	dl = dl_new(1, sha1, "empty", 0, NULL);
	ck_assert(dl_complete(dl));
	ck_assert(tc_nopick(dl, 0));
	ck_assert_int_eq(dl->state, DL_VERIFYING);
	ck_assert_int_eq(dl_file_checked(dl, 1), 0);
	ck_assert_int_eq(dl->state, DL_DONE);
	dl_progress(dl, &pr);
	ck_assert_uint_eq(pr.percent, 100);
	dl_free(dl);
}
END_TEST

/* A tree that agrees with every chunk but not with the SHA-1 is dropped. */
START_TEST(test_dl_tree_lies)
{
	struct dl	*dl;
	uint8_t		*p;
	const uint8_t	*q;
	size_t		 len;
	uint32_t	 c;
	int		 liar;

	p = tc_data(TC_SIZE);
	dl = tc_dl_new(p, TC_SIZE, 1, 1);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);
	for (c = 0; c < dl->nchunks; c++) {
		tc_pick(dl, 0, 0, c);
		ck_assert_int_eq(dl_chunk_written(dl, c), 0);
		q = tc_chunk(dl, p, c, &len);
		ck_assert_int_eq(dl_chunk_check(dl, c, q, len, &liar), 1);
	}
	ck_assert_int_eq(dl->state, DL_VERIFYING);
	ck_assert_int_eq(dl_file_checked(dl, 0), 0);
	ck_assert_int_eq(dl->state, DL_ACTIVE);
	ck_assert_ptr_null(dl->level);
	ck_assert_uint_eq(dl->verified, 0);
	tc_pick(dl, 0, 0, 0);
	dl_free(dl);
	free(p);
}
END_TEST

/* Pause frees every chunk, resume runs again, cancel is final. */
START_TEST(test_dl_states)
{
	struct dl	*dl;
	uint8_t		 sha1[SHA1_LEN] = { 5 };
	int		 st;

	dl = dl_new(1, sha1, "x", MIB, NULL);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6346, 0), 1);
	tc_pick(dl, 0, 0, 0);
	tc_pick(dl, 0, 1, 1);
	ck_assert_int_eq(dl_pause(dl), 0);
	ck_assert_int_eq(dl->state, DL_PAUSED);
	ck_assert_uint_eq(dl->count[DL_CHUNK_ACTIVE], 0);
	ck_assert_int_eq(dl->src[0].status, DL_SRC_USABLE);
	ck_assert_int_eq(dl->src[1].status, DL_SRC_USABLE);
	ck_assert(tc_nopick(dl, 0));
	ck_assert_int_eq(dl_chunk_written(dl, 0), -1);
	ck_assert_int_eq(dl_pause(dl), -1);
	ck_assert_int_eq(dl_resume(dl), 0);
	ck_assert_int_eq(dl->state, DL_QUEUED);
	ck_assert_int_eq(dl_resume(dl), -1);
	tc_pick(dl, 0, 0, 0);
	ck_assert_int_eq(dl_cancel(dl), 0);
	ck_assert_int_eq(dl->state, DL_CANCELLED);
	ck_assert_uint_eq(dl->count[DL_CHUNK_ACTIVE], 0);
	ck_assert(tc_nopick(dl, 0));
	ck_assert_int_eq(dl_resume(dl), -1);

	for (st = DL_QUEUED; st <= DL_STALLED; st++)
		ck_assert_int_eq(dl_state_parse(dl_state_name(st)), st);
	ck_assert_int_eq(dl_state_parse("bogus"), -1);
	ck_assert_str_eq(dl_state_name(DL_VERIFYING), "verifying");
	ck_assert_str_eq(dl_src_status_name(DL_SRC_BANNED), "banned");
	dl_restore_state(dl, DL_ACTIVE);
	ck_assert_int_eq(dl->state, DL_QUEUED);
	dl_restore_state(dl, DL_VERIFYING);
	ck_assert_int_eq(dl->state, DL_QUEUED);
	dl_restore_state(dl, DL_PAUSED);
	ck_assert_int_eq(dl->state, DL_PAUSED);
	dl_restore_state(dl, DL_DONE);
	ck_assert_int_eq(dl->state, DL_DONE);
	dl_free(dl);
	dl_free(NULL);
}
END_TEST

/* A full disk stalls a download: nothing is held or picked until it is
 * lifted; the user may still pause, resume or cancel it. */
START_TEST(test_dl_stall)
{
	struct dl	*dl;
	uint8_t		 sha1[SHA1_LEN] = { 6 };
	size_t		 src;
	uint32_t	 c;
	uint64_t	 off, len;

	dl = dl_new(1, sha1, "x", MIB, NULL);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);
	ck_assert_int_eq(dl_unstall(dl), -1);
	tc_pick(dl, 0, 0, 0);
	ck_assert_int_eq(dl_chunk_fill(dl, 0, 1000), 0);
	ck_assert_int_eq(dl_stall(dl), 0);
	ck_assert_int_eq(dl->state, DL_STALLED);
	ck_assert_str_eq(dl_state_name(dl->state), "stalled");
	ck_assert_uint_eq(dl->count[DL_CHUNK_ACTIVE], 0);
	ck_assert_int_eq(dl->src[0].status, DL_SRC_USABLE);
	ck_assert_uint_eq(dl->src[0].fails, 0);	/* not the source's fault */
	ck_assert(tc_nopick(dl, 0));
	ck_assert_int_eq(dl_stall(dl), -1);
	ck_assert_int_eq(dl_unstall(dl), 0);
	ck_assert_int_eq(dl->state, DL_QUEUED);
	ck_assert_int_eq(dl_unstall(dl), -1);
	/* The chunk goes on from what was written before the stall. */
	ck_assert_int_eq(dl_pick(dl, 0, &src, &c, &off, &len), 1);
	ck_assert_uint_eq(c, 0);
	ck_assert_uint_eq(dl->chunks[0].fill, 1000);

	ck_assert_int_eq(dl_stall(dl), 0);
	ck_assert_int_eq(dl_pause(dl), 0);
	ck_assert_int_eq(dl->state, DL_PAUSED);
	ck_assert_int_eq(dl_unstall(dl), -1);	/* the user's pause holds */
	ck_assert_int_eq(dl_resume(dl), 0);
	ck_assert_int_eq(dl_stall(dl), 0);
	ck_assert_int_eq(dl_resume(dl), 0);	/* the user tries again */
	ck_assert_int_eq(dl->state, DL_QUEUED);
	ck_assert_int_eq(dl_stall(dl), 0);
	dl_restore_state(dl, DL_STALLED);	/* a restart tries again */
	ck_assert_int_eq(dl->state, DL_QUEUED);
	ck_assert_int_eq(dl_stall(dl), 0);
	ck_assert_int_eq(dl_cancel(dl), 0);
	ck_assert_int_eq(dl_stall(dl), -1);
	dl_free(dl);
}
END_TEST

/* Chunks 0 done, 1 written, 2 active, 3 and 4 missing. */
static struct dl *
tc_dl_mixed(const uint8_t *p, int tree)
{
	struct dl	*dl;
	const uint8_t	*q;
	size_t		 len;
	int		 liar;

	dl = tc_dl_new(p, TC_SIZE, 1, tree);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 0), 0);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6346, 0), 1);
	tc_pick(dl, 0, 0, 0);
	tc_pick(dl, 0, 1, 1);
	ck_assert_int_eq(dl_chunk_written(dl, 0), 0);
	q = tc_chunk(dl, p, 0, &len);
	ck_assert_int_eq(dl_chunk_check(dl, 0, q, len, &liar), tree ? 1 : 0);
	ck_assert_int_eq(dl_chunk_written(dl, 1), 0);
	tc_pick(dl, 0, 0, 2);
	return dl;
}

/* What survives a restart: done chunks, written ones only without a
 * tree, never active ones; bad input changes nothing. */
START_TEST(test_dl_export_import)
{
	struct dl	*dl, *dl2;
	uint8_t		*p, buf[8], b1[8];
	const uint8_t	*q;
	size_t		 len;
	int		 liar;

	p = tc_data(TC_SIZE);

	/* With a tree: chunk 1 was not checked yet, so it is not kept. */
	dl = tc_dl_mixed(p, 1);
	ck_assert_uint_eq(dl_export_len(dl), 2);
	ck_assert_int_eq(dl_export_chunks(dl, buf, 1), -1);
	ck_assert_int_eq(dl_export_chunks(dl, buf, sizeof buf), 2);
	ck_assert_uint_eq(buf[0], 0x02);
	ck_assert_uint_eq(buf[1], 0x00);
	dl2 = tc_dl_new(p, TC_SIZE, 1, 1);
	ck_assert_int_eq(dl_import_chunks(dl2, dl->chunk, buf, 2), 0);
	ck_assert_int_eq(dl2->chunks[0].state, DL_CHUNK_DONE);
	ck_assert_uint_eq(dl2->count[DL_CHUNK_DONE], 1);
	ck_assert_uint_eq(dl2->count[DL_CHUNK_MISSING], 4);
	ck_assert_uint_eq(dl2->verified, 256 * KIB);
	ck_assert_uint_eq(dl2->bytes, 256 * KIB);
	ck_assert_int_eq(dl_export_chunks(dl2, b1, sizeof b1), 2);
	ck_assert_mem_eq(b1, buf, 2);
	dl_free(dl2);
	dl_free(dl);

	/* Without a tree: chunk 1 is kept, written. */
	dl = tc_dl_mixed(p, 0);
	ck_assert_int_eq(dl_export_chunks(dl, buf, sizeof buf), 2);
	ck_assert_uint_eq(buf[0], 0x01 | 0x01 << 2);
	dl2 = tc_dl_new(p, TC_SIZE, 1, 0);
	ck_assert_int_eq(dl_import_chunks(dl2, dl->chunk, buf, 2), 0);
	ck_assert_int_eq(dl2->chunks[0].state, DL_CHUNK_WRITTEN);
	ck_assert_int_eq(dl2->chunks[1].state, DL_CHUNK_WRITTEN);
	ck_assert_int_eq(dl2->chunks[2].state, DL_CHUNK_MISSING);
	ck_assert_uint_eq(dl2->bytes, 512 * KIB);
	ck_assert_uint_eq(dl2->chunks[1].src, DL_NOSRC);

	/* Bad imports leave dl2 as it was. */
	memcpy(b1, buf, 2);
	ck_assert_int_eq(dl_import_chunks(dl2, dl->chunk * 2, b1, 2), -1);
	ck_assert_int_eq(dl_import_chunks(dl2, dl->chunk, b1, 1), -1);
	ck_assert_int_eq(dl_import_chunks(dl2, dl->chunk, b1, 3), -1);
	b1[0] = 0x03;				/* chunk 0: value 3 */
	ck_assert_int_eq(dl_import_chunks(dl2, dl->chunk, b1, 2), -1);
	b1[0] = buf[0];
	b1[1] = 0x04;				/* chunk 5 does not exist */
	ck_assert_int_eq(dl_import_chunks(dl2, dl->chunk, b1, 2), -1);
	ck_assert_int_eq(dl_import_chunks(dl, dl->chunk, buf, 2), -1);
	ck_assert_uint_eq(dl2->bytes, 512 * KIB);
	ck_assert_uint_eq(dl2->count[DL_CHUNK_WRITTEN], 2);

	/* The tree comes after the restart: the kept chunks get checked. */
	ck_assert(!dl_complete(dl2));
	tc_give_tree(dl2, p);
	ck_assert_int_eq(dl_next_unchecked(dl2, 0), 0);
	ck_assert_int_eq(dl_next_unchecked(dl2, 1), 1);
	ck_assert_int_eq(dl_next_unchecked(dl2, 2), -1);
	q = tc_chunk(dl2, p, 0, &len);
	ck_assert_int_eq(dl_chunk_check(dl2, 0, q, len, &liar), 1);
	q = tc_chunk(dl2, p, 1, &len);
	ck_assert_int_eq(dl_chunk_check(dl2, 1, q, len, &liar), 1);
	ck_assert_int_eq(dl_next_unchecked(dl2, 0), -1);
	ck_assert_uint_eq(dl2->verified, 512 * KIB);
	dl_free(dl2);
	dl_free(dl);
	free(p);
}
END_TEST

struct tc_loaded {
	struct dl	*dl;
	long		 calls;
};

/* Rebuild a download from its saved row, as the node does at start. */
static void
tc_load_cb(void *arg, const struct share_dl *d,
    const struct share_dl_source *src, size_t n)
{
	struct tc_loaded	*l = arg;
	struct dl		*dl;
	size_t			 i;
	int			 s, st;

	l->calls++;
	dl = dl_new(d->id, d->sha1, d->name, d->size, d->has_tth ? d->tth :
	    NULL);
	ck_assert_int_eq(dl_import_chunks(dl, d->chunk_size, d->chunks,
	    d->chunks_len), 0);
	st = dl_state_parse(d->state);
	ck_assert_int_ge(st, 0);
	dl_restore_state(dl, (enum dl_state)st);
	for (i = 0; i < n; i++) {
		s = dl_add_source(dl, src[i].ip, src[i].port, src[i].idx);
		ck_assert_int_ge(s, 0);
		if (src[i].banned)
			dl_source_ban(dl, (size_t)s);
	}
	l->dl = dl;
}

/* A download, its chunks and its liar survive closing the database. */
START_TEST(test_dl_restart)
{
	struct share_dl_source	 so;
	struct share_dl		 d;
	struct tc_loaded	 l;
	struct share		*sh;
	struct dl		*dl;
	uint8_t			*p, *bad, buf[8];
	const uint8_t		*q;
	char			 dir[] = "/tmp/gnode-tc-dl.XXXXXX", db[256];
	char			 f[300], *cause = NULL;
	size_t			 len, i;
	long			 n;
	int64_t			 id;
	int			 liar;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/gnode.db", dir);
	p = tc_data(TC_SIZE);
	dl = tc_dl_new(p, TC_SIZE, 1, 1);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000001, 6346, 4), 0);
	ck_assert_int_eq(dl_add_source(dl, 0x0a000002, 6347, 5), 1);
	tc_pick(dl, 0, 0, 0);
	tc_pick(dl, 0, 1, 1);
	ck_assert_int_eq(dl_chunk_written(dl, 0), 0);
	q = tc_chunk(dl, p, 0, &len);
	ck_assert_int_eq(dl_chunk_check(dl, 0, q, len, &liar), 1);
	q = tc_chunk(dl, p, 1, &len);
	bad = malloc(len);
	ck_assert_ptr_nonnull(bad);
	memcpy(bad, q, len);
	bad[0] ^= 1;
	ck_assert_int_eq(dl_chunk_written(dl, 1), 0);
	ck_assert_int_eq(dl_chunk_check(dl, 1, bad, len, &liar), -1);
	free(bad);
	tc_pick(dl, 0, 0, 1);			/* active: not kept */

	sh = share_open(db, &cause);
	ck_assert_msg(sh != NULL, "%s", cause);
	memset(&d, 0, sizeof d);
	memcpy(d.sha1, dl->sha1, SHA1_LEN);
	memcpy(d.tth, dl->tth, TTH_LEN);
	d.has_tth = 1;
	d.name = dl->name;
	d.size = dl->size;
	d.state = dl_state_name(dl->state);
	ck_assert_int_eq(share_dl_add(sh, &d, 1700000000, &id), 1);
	dl->id = id;
	for (i = 0; i < dl->nsrc; i++) {
		so.ip = dl->src[i].ip;
		so.port = dl->src[i].port;
		so.idx = dl->src[i].index;
		so.banned = dl->src[i].status == DL_SRC_BANNED;
		ck_assert_int_eq(share_dl_save_source(sh, id, &so), 0);
	}
	ck_assert_int_eq(dl_export_chunks(dl, buf, sizeof buf), 2);
	ck_assert_int_eq(share_dl_save_progress(sh, id,
	    dl_state_name(dl->state), dl->chunk, buf, 2, 1700000100), 0);
	share_close(sh);
	dl_free(dl);

	sh = share_open(db, &cause);
	ck_assert_msg(sh != NULL, "%s", cause);
	memset(&l, 0, sizeof l);
	n = share_dl_load_all(sh, tc_load_cb, &l);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(l.calls, 1);
	dl = l.dl;
	ck_assert_int_eq(dl->id, id);
	ck_assert_str_eq(dl->name, "some file.bin");
	ck_assert_int_eq(dl->state, DL_QUEUED);	/* was active */
	ck_assert_int_eq(dl->chunks[0].state, DL_CHUNK_DONE);
	ck_assert_uint_eq(dl->count[DL_CHUNK_MISSING], 4);
	ck_assert_uint_eq(dl->verified, 256 * KIB);
	ck_assert_uint_eq(dl->nsrc, 2);
	ck_assert_uint_eq(dl->src[0].index, 4);
	ck_assert_int_eq(dl->src[0].status, DL_SRC_USABLE);
	ck_assert_uint_eq(dl->src[1].port, 6347);
	ck_assert_int_eq(dl->src[1].status, DL_SRC_BANNED);
	/* The liar stays out; the tree is fetched again and taken. */
	tc_give_tree(dl, p);
	tc_pick(dl, 0, 0, 1);
	ck_assert(tc_nopick(dl, 0));
	ck_assert_int_eq(share_dl_remove(sh, id), 0);
	ck_assert_int_eq(share_dl_load_all(sh, tc_load_cb, &l), 0);
	share_close(sh);
	dl_free(dl);
	free(p);

	unlink(db);
	snprintf(f, sizeof f, "%s-wal", db);
	unlink(f);
	snprintf(f, sizeof f, "%s-shm", db);
	unlink(f);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

TCase *
tc_dl(void)
{
	TCase	*tc = tcase_create("dl");

	tcase_add_loop_test(tc, test_dl_chunk_sizes, 0,
	    sizeof tc_sizes / sizeof tc_sizes[0]);
	tcase_add_test(tc, test_dl_pick_spread);
	tcase_add_test(tc, test_dl_bad_chunk);
	tcase_add_test(tc, test_dl_runs);
	tcase_add_test(tc, test_dl_short_answers);
	tcase_add_test(tc, test_dl_run_stops_at_fill);
	tcase_add_test(tc, test_dl_ranges);
	tcase_add_test(tc, test_dl_ranges_split);
	tcase_add_test(tc, test_dl_pick_filter);
	tcase_add_test(tc, test_dl_check_edges);
	tcase_add_test(tc, test_dl_tree_refused);
	tcase_add_test(tc, test_dl_backoff);
	tcase_add_test(tc, test_dl_sources);
	tcase_add_test(tc, test_dl_complete);
	tcase_add_test(tc, test_dl_tree_lies);
	tcase_add_test(tc, test_dl_states);
	tcase_add_test(tc, test_dl_stall);
	tcase_add_test(tc, test_dl_export_import);
	tcase_add_test(tc, test_dl_restart);
	tcase_add_test(tc, test_dl_seed_spread);
	return tc;
}
