/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tt.c: Tiger trees level by level, on librhash's plain Tiger (OpenSSL has
 * no Tiger). One context serves a whole tree: rhash_reset between hashes
 * costs far less than a context per node.
 *
 * Leaves are folded on a stack as they come, as in binary counting: two
 * subtrees of the same level are joined at once, so the stack holds at
 * most one subtree per level. A subtree that reaches the level wanted is
 * written out and dropped. At the end, what is left (subtrees of falling
 * size, the rightmost partial one) is joined from the right: that is what
 * pairing with promotion gives for a partial subtree, and the same rule
 * then builds the levels above the one written out.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rhash.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "share/hash.h"
#include "share/tt.h"

#define TT_STACK	64		/* levels: a 64-bit size needs 54 */
#define TT_CHUNK	(1024 * 1024)	/* bytes per read, whole leaves */
#define TT_NO_EMIT	UINT_MAX	/* keep folding up to the root */

struct tt_fold {
	rhash		 ctx;
	uint8_t		 node[TT_STACK][TT_HASH_LEN];
	unsigned	 level[TT_STACK];
	unsigned	 n;		/* subtrees on the stack */
	unsigned	 emit;		/* level written out, or TT_NO_EMIT */
	uint8_t		*out;		/* where the next written node goes */
	uint64_t	 nout;		/* nodes written */
	uint8_t		 leaf[1 + TT_BLOCK];
};

/* Leaves of a file of this size: an empty file has one, empty. */
static uint64_t
tt_leaves(uint64_t size)
{
	return size == 0 ? 1 : (size - 1) / TT_BLOCK + 1;
}

/* Depth of the leaves of a file of this size. */
unsigned
tt_height(uint64_t size)
{
	uint64_t	 n = tt_leaves(size);
	unsigned	 h = 0;

	while (n > 1) {
		n = (n + 1) / 2;
		h++;
	}
	return h;
}

/* Nodes at a depth: each level above the leaves halves, rounding up. */
uint64_t
tt_leaves_at(uint64_t size, unsigned depth)
{
	unsigned	 h = tt_height(size);

	if (depth >= h)
		return tt_leaves(size);
	return ((tt_leaves(size) - 1) >> (h - depth)) + 1;
}

/* Bytes each node at a depth covers. */
uint64_t
tt_block_at(uint64_t size, unsigned depth)
{
	unsigned	 h = tt_height(size), shift;

	shift = (depth >= h ? 0 : h - depth) + 10;
	return shift >= 64 ? UINT64_MAX : (uint64_t)1 << shift;
}

/* Nodes from the root down to depth. */
uint64_t
tt_nodes_to(uint64_t size, unsigned depth)
{
	unsigned	 h = tt_height(size), d;
	uint64_t	 n = 0;

	if (depth > h)
		depth = h;
	for (d = 0; d <= depth; d++)
		n += tt_leaves_at(size, d);
	return n;
}

/* The depth gtk-gnutella serves (its tt_good_depth table). */
unsigned
tt_good_depth(uint64_t size)
{
	const uint64_t	 kib = 1024, mib = 1024 * kib;
	unsigned	 d;

	if (size < 256 * kib)
		return 0;
	if (size >= 1024 * mib)
		return 11;
	if (size >= 256 * mib)
		return 10;
	if (size >= 64 * mib)
		return 9;
	/* 1 from 256 KiB, one more for each doubling up to 8 below 64 MiB. */
	for (d = 1; size >= (256 * kib) << d; d++)
		;
	return d;
}

static void
tt_fold_init(struct tt_fold *f, unsigned emit, uint8_t *out)
{
	hash_init();
	memset(f, 0, sizeof *f);
	if ((f->ctx = rhash_init(RHASH_TIGER)) == NULL)
		fatalx("tt: rhash_init");
	f->emit = emit;
	f->out = out;
}

static void
tt_fold_free(struct tt_fold *f)
{
	rhash_free(f->ctx);
}

static void
tt_tiger(rhash ctx, const void *p, size_t n, uint8_t *out)
{
	rhash_reset(ctx);
	rhash_update(ctx, p, n);
	if (rhash_final(ctx, out) != 0)
		fatalx("tt: rhash_final");
}

/* out = Tiger(0x01 || left || right); out may be left or right. */
static void
tt_join(rhash ctx, const uint8_t *left, const uint8_t *right, uint8_t *out)
{
	uint8_t	 buf[1 + 2 * TT_HASH_LEN];

	buf[0] = 0x01;
	memcpy(buf + 1, left, TT_HASH_LEN);
	memcpy(buf + 1 + TT_HASH_LEN, right, TT_HASH_LEN);
	tt_tiger(ctx, buf, sizeof buf, out);
}

/* Add a subtree of this level at the right end of the tree so far. */
static void
tt_fold_push(struct tt_fold *f, const uint8_t *h, unsigned level)
{
	uint8_t	 cur[TT_HASH_LEN];

	memcpy(cur, h, TT_HASH_LEN);
	while (level != f->emit && f->n > 0 && f->level[f->n - 1] == level) {
		f->n--;
		tt_join(f->ctx, f->node[f->n], cur, cur);
		level++;
	}
	if (level == f->emit) {
		memcpy(f->out, cur, TT_HASH_LEN);
		f->out += TT_HASH_LEN;
		f->nout++;
		return;
	}
	if (f->n == TT_STACK)
		fatalx("tt: tree deeper than %d levels", TT_STACK);
	memcpy(f->node[f->n], cur, TT_HASH_LEN);
	f->level[f->n++] = level;
}

/* Hash one leaf of up to TT_BLOCK bytes. */
static void
tt_fold_leaf(struct tt_fold *f, const uint8_t *p, size_t n)
{
	uint8_t	 h[TT_HASH_LEN];

	/* One update of prefix and block: rhash buffers a lone byte. */
	f->leaf[0] = 0x00;
	if (n > 0)
		memcpy(f->leaf + 1, p, n);
	tt_tiger(f->ctx, f->leaf, 1 + n, h);
	tt_fold_push(f, h, 0);
}

/* Leaves of p[n); all but the last call give whole leaves. */
static void
tt_fold_data(struct tt_fold *f, const uint8_t *p, size_t n)
{
	size_t	 k;

	while (n > 0) {
		k = n < TT_BLOCK ? n : TT_BLOCK;
		tt_fold_leaf(f, p, k);
		p += k;
		n -= k;
	}
}

/*
 * Join what is left on the stack from the right. With emit set, the result
 * is the last node of that level (if anything was left); otherwise it is
 * the root, written to out.
 */
static void
tt_fold_end(struct tt_fold *f, uint8_t *root)
{
	uint8_t	 cur[TT_HASH_LEN];

	if (f->n == 0)
		return;
	memcpy(cur, f->node[--f->n], TT_HASH_LEN);
	while (f->n > 0) {
		f->n--;
		tt_join(f->ctx, f->node[f->n], cur, cur);
	}
	if (f->emit == TT_NO_EMIT)
		memcpy(root, cur, TT_HASH_LEN);
	else {
		memcpy(f->out, cur, TT_HASH_LEN);
		f->out += TT_HASH_LEN;
		f->nout++;
	}
}

/* The Tiger tree root of a buffer. */
void
tt_root_buf(const void *p, size_t n, uint8_t root[TT_HASH_LEN])
{
	struct tt_fold	*f;

	f = xmalloc(sizeof *f);
	tt_fold_init(f, TT_NO_EMIT, NULL);
	if (n == 0)
		tt_fold_leaf(f, NULL, 0);
	else
		tt_fold_data(f, p, n);
	tt_fold_end(f, root);
	tt_fold_free(f);
	free(f);
}

/* Fill the levels above the bottom one, each from the one below. */
static void
tt_fill_up(rhash ctx, uint8_t *nodes, uint64_t size, unsigned depth)
{
	uint64_t	 off, below, cnt, next, i;
	unsigned	 d;

	below = tt_nodes_to(size, depth) - tt_leaves_at(size, depth);
	for (d = depth; d > 0; d--) {
		cnt = tt_leaves_at(size, d - 1);
		next = tt_leaves_at(size, d);
		off = below - cnt;	/* level d - 1 starts here */
		for (i = 0; i < cnt; i++) {
			if (2 * i + 1 < next)
				tt_join(ctx, nodes + (below + 2 * i) *
				    TT_HASH_LEN, nodes + (below + 2 * i + 1) *
				    TT_HASH_LEN, nodes + (off + i) *
				    TT_HASH_LEN);
			else
				memcpy(nodes + (off + i) * TT_HASH_LEN,
				    nodes + (below + 2 * i) * TT_HASH_LEN,
				    TT_HASH_LEN);
		}
		below = off;
	}
}

/* Read until buf holds n bytes from off; 0 or -1 with errno. */
static int
tt_read(int fd, uint8_t *buf, size_t n, uint64_t off)
{
	ssize_t	 r;
	size_t	 got = 0;

	while (got < n) {
		r = pread(fd, buf + got, n - got, (off_t)(off + got));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0) {
			errno = EIO;	/* the file is shorter than it was */
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

/* The breadth-first tree of fd's first size bytes, down to depth. */
int
tt_file_levels(int fd, uint64_t size, unsigned depth, uint8_t **nodes,
    size_t *nnodes)
{
	struct tt_fold	*f;
	uint64_t	 total, bottom, off;
	uint8_t		*out, *buf;
	unsigned	 h = tt_height(size);
	size_t		 n;
	int		 error = 0;

	if (depth > h)
		depth = h;
	total = tt_nodes_to(size, depth);
	if (total > SIZE_MAX / TT_HASH_LEN) {
		errno = ENOMEM;
		return -1;
	}
	bottom = total - tt_leaves_at(size, depth);
	out = xreallocarray(NULL, (size_t)total, TT_HASH_LEN);
	buf = size == 0 ? NULL : xmalloc(size < TT_CHUNK ? (size_t)size :
	    TT_CHUNK);
	f = xmalloc(sizeof *f);
	tt_fold_init(f, h - depth, out + bottom * TT_HASH_LEN);
	/* Pipes and some file systems refuse; reading works all the same. */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);

	if (size == 0)
		tt_fold_leaf(f, NULL, 0);
	for (off = 0; off < size; off += n) {
		n = size - off < TT_CHUNK ? (size_t)(size - off) : TT_CHUNK;
		if (tt_read(fd, buf, n, off) == -1) {
			error = errno;
			break;
		}
		tt_fold_data(f, buf, n);
	}
	if (!error) {
		tt_fold_end(f, NULL);
		if (f->nout != total - bottom)
			fatalx("tt: %llu nodes at depth %u, not %llu",
			    (unsigned long long)f->nout, depth,
			    (unsigned long long)(total - bottom));
		tt_fill_up(f->ctx, out, size, depth);
	}
	tt_fold_free(f);
	free(f);
	free(buf);
	if (error) {
		free(out);
		errno = error;
		return -1;
	}
	*nodes = out;
	*nnodes = (size_t)total;
	return (int)depth;
}

/* Whether a received tree holds together; its deepest complete level. */
int
tt_check_tree(const uint8_t *nodes, size_t nnodes, uint64_t size,
    const uint8_t root[TT_HASH_LEN])
{
	uint8_t		 h[TT_HASH_LEN];
	uint64_t	 off = 0, cnt, next, child, i;
	unsigned	 height = tt_height(size), d;
	rhash		 ctx;
	int		 ok = 1;

	if (nnodes == 0 || memcmp(nodes, root, TT_HASH_LEN) != 0)
		return -1;
	hash_init();
	if ((ctx = rhash_init(RHASH_TIGER)) == NULL)
		fatalx("tt: rhash_init");
	for (d = 0; d < height && ok; d++) {
		cnt = tt_leaves_at(size, d);
		next = tt_leaves_at(size, d + 1);
		if (cnt + next > nnodes - off)
			break;		/* level d + 1 is not all there */
		child = off + cnt;
		for (i = 0; i < cnt && ok; i++) {
			if (2 * i + 1 < next) {
				tt_join(ctx, nodes + (child + 2 * i) *
				    TT_HASH_LEN, nodes + (child + 2 * i + 1) *
				    TT_HASH_LEN, h);
				ok = memcmp(h, nodes + (off + i) * TT_HASH_LEN,
				    TT_HASH_LEN) == 0;
			} else
				ok = memcmp(nodes + (child + 2 * i) *
				    TT_HASH_LEN, nodes + (off + i) *
				    TT_HASH_LEN, TT_HASH_LEN) == 0;
		}
		off = child;
	}
	rhash_free(ctx);
	return ok ? (int)d : -1;
}
