/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_tt.c: Tiger trees level by level: roots against librhash's own TTH,
 * every level against a tree built the slow way, each node against the
 * root of the bytes it covers, the level sizes, gtk-gnutella's depth
 * table, the check of a received tree (tampered nodes, a wrong root, a
 * short tree), file errors, and trees saved in the index.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rhash.h>

#include "lib/base32.h"
#include "share/hash.h"
#include "share/share.h"
#include "share/tt.h"

TCase	*tc_tt(void);

#define MIB	(1024 * 1024)
#define KIB	1024

/* Deterministic bytes that do not repeat at any leaf-sized period. */
static void
tt_pattern(uint8_t *p, size_t n)
{
	uint32_t	 x = 0x2545f491u;
	size_t		 i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)(x >> 24);
	}
}

static uint8_t *
tt_data(size_t n, int zero)
{
	uint8_t	*p = malloc(n + 1);

	ck_assert_ptr_nonnull(p);
	if (zero)
		memset(p, 0, n);
	else
		tt_pattern(p, n);
	return p;
}

/* A temporary file holding p[0..n), already unlinked. */
static int
tt_file(const uint8_t *p, size_t n)
{
	char	 path[] = "/tmp/gnode-tt-XXXXXX";
	size_t	 off;
	ssize_t	 w;
	int	 fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(unlink(path), 0);
	for (off = 0; off < n; off += (size_t)w) {
		w = write(fd, p + off, n - off);
		ck_assert_int_gt(w, 0);
	}
	return fd;
}

/* Tiger(prefix || a || b) through a fresh context: no shared code. */
static void
tt_slow_tiger(uint8_t prefix, const uint8_t *a, size_t alen,
    const uint8_t *b, size_t blen, uint8_t *out)
{
	rhash	 ctx;

	ctx = rhash_init(RHASH_TIGER);
	ck_assert_ptr_nonnull(ctx);
	rhash_update(ctx, &prefix, 1);
	if (alen > 0)
		rhash_update(ctx, a, alen);
	if (blen > 0)
		rhash_update(ctx, b, blen);
	ck_assert_int_eq(rhash_final(ctx, out), 0);
	rhash_free(ctx);
}

/*
 * The whole tree the slow way, every level kept: leaves first, each level
 * after the one below. Then the levels from the root down to depth,
 * breadth-first. Returns the node count.
 */
static size_t
tt_slow_tree(const uint8_t *p, size_t n, unsigned depth, uint8_t **out)
{
	uint8_t	*lv[64], *res;
	size_t	 cnt[64], i, off, len, total = 0;
	unsigned h = 0, k;

	cnt[0] = n == 0 ? 1 : (n + KIB - 1) / KIB;
	lv[0] = malloc(cnt[0] * TT_HASH_LEN);
	ck_assert_ptr_nonnull(lv[0]);
	for (i = 0; i < cnt[0]; i++) {
		off = i * KIB;
		len = n - off < KIB ? n - off : KIB;
		tt_slow_tiger(0x00, p + off, len, NULL, 0,
		    lv[0] + i * TT_HASH_LEN);
	}
	while (cnt[h] > 1) {
		cnt[h + 1] = (cnt[h] + 1) / 2;
		lv[h + 1] = malloc(cnt[h + 1] * TT_HASH_LEN);
		ck_assert_ptr_nonnull(lv[h + 1]);
		for (i = 0; i < cnt[h + 1]; i++) {
			if (2 * i + 1 < cnt[h])
				tt_slow_tiger(0x01, lv[h] + 2 * i * TT_HASH_LEN,
				    TT_HASH_LEN, lv[h] + (2 * i + 1) *
				    TT_HASH_LEN, TT_HASH_LEN,
				    lv[h + 1] + i * TT_HASH_LEN);
			else
				memcpy(lv[h + 1] + i * TT_HASH_LEN,
				    lv[h] + 2 * i * TT_HASH_LEN, TT_HASH_LEN);
		}
		h++;
	}
	if (depth > h)
		depth = h;
	for (k = 0; k <= depth; k++)
		total += cnt[h - k];
	res = malloc(total * TT_HASH_LEN);
	ck_assert_ptr_nonnull(res);
	for (k = 0, off = 0; k <= depth; k++) {
		memcpy(res + off, lv[h - k], cnt[h - k] * TT_HASH_LEN);
		off += cnt[h - k] * TT_HASH_LEN;
	}
	for (k = 0; k <= h; k++)
		free(lv[k]);
	*out = res;
	return total;
}

/* Sizes around leaf boundaries, odd counts at several levels, bigger. */
static const size_t tt_sizes[] = {
	0, 1, 1023, 1024, 1025, 2047, 2048, 2049, 3072, 3073, 5 * KIB + 1,
	7 * KIB, 8 * KIB, 9 * KIB - 1, 13 * KIB + 512, 37 * KIB + 5,
	MIB + 3,
};

/* The root matches librhash's TTH, for zeros and for varied bytes. */
START_TEST(test_tt_root_vs_rhash)
{
	size_t		 n = tt_sizes[_i / 2];
	uint8_t		*p, want[TT_HASH_LEN], got[TT_HASH_LEN], *nodes;
	size_t		 nn;
	int		 fd;

	hash_init();
	p = tt_data(n, _i % 2 == 0);
	ck_assert_int_eq(rhash_msg(RHASH_TTH, p, n, want), 0);
	tt_root_buf(p, n, got);
	ck_assert_mem_eq(got, want, TT_HASH_LEN);

	/* Depth 0 of the file's tree is the root alone. */
	fd = tt_file(p, n);
	ck_assert_int_eq(tt_file_levels(fd, n, 0, &nodes, &nn), 0);
	ck_assert_uint_eq(nn, 1);
	ck_assert_mem_eq(nodes, want, TT_HASH_LEN);
	free(nodes);
	close(fd);
	free(p);
}
END_TEST

/* Published roots: the empty file, and 1024 and 1025 'A' bytes. */
static const struct {
	size_t		 len;
	const char	*tth;
} tt_known[] = {
	{ 0, "LWPNACQDBZRYXW3VHJVCJ64QBZNGHOHHHZWCLNQ" },
	{ 1024, "L66Q4YVNAFWVS23X2HJIRA5ZJ7WXR3F26RSASFA" },
	{ 1025, "PZMRYHGY6LTBEH63ZWAHDORHSYTLO4LEFUIKHWY" },
};

START_TEST(test_tt_known_roots)
{
	uint8_t	 root[TT_HASH_LEN], buf[1025];
	char	 b32[BASE32_LEN(TT_HASH_LEN) + 1];

	memset(buf, 'A', sizeof buf);
	tt_root_buf(tt_known[_i].len > 0 ? buf : NULL, tt_known[_i].len,
	    root);
	ck_assert_uint_eq(base32_encode(root, TT_HASH_LEN, b32, sizeof b32),
	    BASE32_LEN(TT_HASH_LEN));
	ck_assert_str_eq(b32, tt_known[_i].tth);
}
END_TEST

/* Every depth of every size against the slow tree. */
START_TEST(test_tt_levels)
{
	size_t		 n = tt_sizes[_i], nn, want_n, off;
	uint8_t		*p, *nodes, *want;
	unsigned	 h, depth, d;
	int		 fd;

	p = tt_data(n, 0);
	fd = tt_file(p, n);
	h = tt_height(n);
	for (depth = 0; depth <= h + 2; depth++) {
		ck_assert_int_eq(tt_file_levels(fd, n, depth, &nodes, &nn),
		    depth < h ? (int)depth : (int)h);
		want_n = tt_slow_tree(p, n, depth, &want);
		ck_assert_uint_eq(nn, want_n);
		ck_assert_uint_eq(nn, tt_nodes_to(n, depth));
		ck_assert_mem_eq(nodes, want, nn * TT_HASH_LEN);
		/* The levels have the sizes tt_leaves_at gives. */
		for (d = 0, off = 0; d <= depth && d <= h; d++)
			off += tt_leaves_at(n, d);
		ck_assert_uint_eq(off, nn);
		ck_assert_int_eq(tt_check_tree(nodes, nn, n, want),
		    depth < h ? (int)depth : (int)h);
		free(want);
		free(nodes);
	}
	close(fd);
	free(p);
}
END_TEST

/*
 * Each node at each depth is the root of the bytes it covers: an aligned
 * block of tt_block_at bytes, or the file's last, shorter one.
 */
START_TEST(test_tt_subtree)
{
	size_t		 n = tt_sizes[_i], nn, off, i, len;
	uint64_t	 cnt, block;
	uint8_t		*p, *nodes, root[TT_HASH_LEN];
	unsigned	 h, d;
	int		 fd;

	p = tt_data(n, 0);
	fd = tt_file(p, n);
	h = tt_height(n);
	ck_assert_int_eq(tt_file_levels(fd, n, h, &nodes, &nn), (int)h);
	for (d = 0, off = 0; d <= h; d++) {
		cnt = tt_leaves_at(n, d);
		block = tt_block_at(n, d);
		ck_assert_uint_eq(block, (uint64_t)KIB << (h - d));
		/* The nodes cover the file exactly. */
		if (n > 0) {
			ck_assert_uint_lt((cnt - 1) * block, n);
			ck_assert_uint_ge(cnt * block, n);
		} else
			ck_assert_uint_eq(cnt, 1);
		for (i = 0; i < cnt; i++) {
			len = n - i * block < block ? n - i * block : block;
			tt_root_buf(p + i * block, len, root);
			ck_assert_mem_eq(root, nodes + (off + i) * TT_HASH_LEN,
			    TT_HASH_LEN);
		}
		off += cnt;
	}
	ck_assert_uint_eq(off, nn);
	free(nodes);
	close(fd);
	free(p);
}
END_TEST

static const struct {
	uint64_t	 size;
	unsigned	 height;
	unsigned	 depth;
	uint64_t	 nodes;		/* at depth */
	uint64_t	 block;		/* bytes per node at depth */
} tt_geometry[] = {
	{ 0, 0, 0, 1, 1024 },
	{ 0, 0, 5, 1, 1024 },
	{ 1024, 0, 0, 1, 1024 },
	{ 1025, 1, 0, 1, 2048 },
	{ 1025, 1, 1, 2, 1024 },
	{ 5 * KIB, 3, 0, 1, 8 * KIB },
	{ 5 * KIB, 3, 1, 2, 4 * KIB },
	{ 5 * KIB, 3, 2, 3, 2 * KIB },
	{ 5 * KIB, 3, 3, 5, KIB },
	{ 5 * KIB, 3, 9, 5, KIB },
	{ 1024ull * MIB, 20, 11, 2048, 512 * KIB },
	{ 1024ull * MIB + 1, 21, 11, 1025, MIB },
	{ 1024ull * MIB + 1, 21, 21, 1024 * 1024 + 1, KIB },
	{ 256 * KIB - 1, 8, 0, 1, 256 * KIB },
	{ 700ull * MIB, 20, 10, 700, MIB },
	{ UINT64_MAX, 54, 0, 1, UINT64_MAX },
	{ UINT64_MAX, 54, 1, 2, 1ull << 63 },
};

START_TEST(test_tt_geometry)
{
	uint64_t	 size = tt_geometry[_i].size;
	unsigned	 depth = tt_geometry[_i].depth;

	ck_assert_uint_eq(tt_height(size), tt_geometry[_i].height);
	ck_assert_uint_eq(tt_leaves_at(size, depth), tt_geometry[_i].nodes);
	ck_assert_uint_eq(tt_block_at(size, depth), tt_geometry[_i].block);
}
END_TEST

START_TEST(test_tt_nodes_to)
{
	ck_assert_uint_eq(tt_nodes_to(0, 0), 1);
	ck_assert_uint_eq(tt_nodes_to(0, 7), 1);
	ck_assert_uint_eq(tt_nodes_to(5 * KIB, 3), 1 + 2 + 3 + 5);
	ck_assert_uint_eq(tt_nodes_to(5 * KIB, 30), 1 + 2 + 3 + 5);
	/* A full tree of depth 11: 4095 nodes, as gtk-gnutella counts. */
	ck_assert_uint_eq(tt_nodes_to(4096ull * MIB, 11), 4095);
}
END_TEST

/* gtk-gnutella's table, at each threshold and just below it. */
static const struct {
	uint64_t	 size;
	unsigned	 depth;
} tt_good[] = {
	{ 0, 0 }, { 256 * KIB - 1, 0 }, { 256 * KIB, 1 },
	{ 512 * KIB - 1, 1 }, { 512 * KIB, 2 }, { MIB - 1, 2 }, { MIB, 3 },
	{ 2 * MIB, 4 }, { 4 * MIB, 5 }, { 8 * MIB, 6 }, { 16 * MIB, 7 },
	{ 32 * MIB - 1, 7 }, { 32 * MIB, 8 }, { 64 * MIB - 1, 8 },
	{ 64 * MIB, 9 }, { 128 * MIB, 9 }, { 256 * MIB - 1, 9 },
	{ 256 * MIB, 10 }, { 1024ull * MIB - 1, 10 }, { 1024ull * MIB, 11 },
	{ 1ull << 40, 11 }, { UINT64_MAX, 11 },
};

START_TEST(test_tt_good_depth)
{
	ck_assert_msg(tt_good_depth(tt_good[_i].size) == tt_good[_i].depth,
	    "size %llu: depth %u, not %u",
	    (unsigned long long)tt_good[_i].size,
	    tt_good_depth(tt_good[_i].size), tt_good[_i].depth);
	ck_assert_uint_le(tt_good_depth(tt_good[_i].size), TT_MAX_GOOD);
}
END_TEST

/* A tampered node anywhere, a wrong root, a short or long tree. */
START_TEST(test_tt_check_tree)
{
	static const size_t	 sizes[] = { 8 * KIB, 13 * KIB + 512 };
	size_t			 n = sizes[_i], nn, i, full;
	uint8_t			*p, *nodes, root[TT_HASH_LEN], *big;
	unsigned		 h, d;
	int			 fd;

	p = tt_data(n, 0);
	fd = tt_file(p, n);
	h = tt_height(n);
	ck_assert_int_eq(tt_file_levels(fd, n, h, &nodes, &nn), (int)h);
	memcpy(root, nodes, TT_HASH_LEN);
	ck_assert_int_eq(tt_check_tree(nodes, nn, n, root), (int)h);

	for (i = 0; i < nn; i++) {
		nodes[i * TT_HASH_LEN + 5] ^= 0x20;
		ck_assert_msg(tt_check_tree(nodes, nn, n, root) == -1,
		    "node %zu tampered, tree accepted", i);
		nodes[i * TT_HASH_LEN + 5] ^= 0x20;
	}
	root[0] ^= 1;
	ck_assert_int_eq(tt_check_tree(nodes, nn, n, root), -1);
	root[0] ^= 1;
	/* The same tree claimed for another size does not fit. */
	ck_assert_int_eq(tt_check_tree(nodes, nn, n + 3 * KIB, root), -1);
	ck_assert_int_eq(tt_check_tree(nodes, 0, n, root), -1);

	/* Short trees: the deepest complete level counts. */
	for (d = 0; d <= h; d++) {
		full = (size_t)tt_nodes_to(n, d);
		ck_assert_int_eq(tt_check_tree(nodes, full, n, root), (int)d);
		if (d < h)
			ck_assert_int_eq(tt_check_tree(nodes, full + 1, n,
			    root), (int)d);
	}
	/* Bytes after the leaves are ignored. */
	big = malloc((nn + 3) * TT_HASH_LEN);
	ck_assert_ptr_nonnull(big);
	memcpy(big, nodes, nn * TT_HASH_LEN);
	memset(big + nn * TT_HASH_LEN, 0xab, 3 * TT_HASH_LEN);
	ck_assert_int_eq(tt_check_tree(big, nn + 3, n, root), (int)h);
	free(big);
	free(nodes);
	close(fd);
	free(p);
}
END_TEST

START_TEST(test_tt_file_errors)
{
	uint8_t		*p, *nodes = NULL, root[TT_HASH_LEN];
	size_t		 n = 10 * KIB + 7, nn;
	int		 fd;

	p = tt_data(n, 0);
	fd = tt_file(p, n);
	/* Shorter than it claims: EIO, nothing returned. */
	errno = 0;
	ck_assert_int_eq(tt_file_levels(fd, n + 1, 2, &nodes, &nn), -1);
	ck_assert_int_eq(errno, EIO);
	ck_assert_ptr_null(nodes);
	/* Longer: the tree of the first size bytes; the offset is kept. */
	ck_assert_int_eq(lseek(fd, 100, SEEK_SET), 100);
	ck_assert_int_eq(tt_file_levels(fd, n - 5000, 0, &nodes, &nn), 0);
	tt_root_buf(p, n - 5000, root);
	ck_assert_mem_eq(nodes, root, TT_HASH_LEN);
	ck_assert_int_eq(lseek(fd, 0, SEEK_CUR), 100);
	free(nodes);
	close(fd);
	/* A closed descriptor. */
	errno = 0;
	ck_assert_int_eq(tt_file_levels(fd, n, 1, &nodes, &nn), -1);
	ck_assert_int_eq(errno, EBADF);
	free(p);
}
END_TEST

/* A file read in several chunks, at gtk-gnutella's depth for its size. */
START_TEST(test_tt_big_file)
{
	size_t		 n = 9 * MIB + 1000, nn;
	uint8_t		*p, *nodes, want[TT_HASH_LEN];
	unsigned	 depth = tt_good_depth(n);
	int		 fd;

	hash_init();
	p = tt_data(n, 0);
	ck_assert_int_eq(rhash_msg(RHASH_TTH, p, n, want), 0);
	fd = tt_file(p, n);
	ck_assert_uint_eq(depth, 6);
	ck_assert_int_eq(tt_file_levels(fd, n, depth, &nodes, &nn), 6);
	ck_assert_uint_eq(nn, tt_nodes_to(n, 6));
	/* 9217 leaves, height 14: 37 nodes of 256 KiB. */
	ck_assert_uint_eq(tt_leaves_at(n, 6), 37);
	ck_assert_uint_eq(tt_block_at(n, 6), 256 * KIB);
	ck_assert_mem_eq(nodes, want, TT_HASH_LEN);
	ck_assert_int_eq(tt_check_tree(nodes, nn, n, want), 6);
	free(nodes);
	close(fd);
	free(p);
}
END_TEST

static struct share *
tt_share(void)
{
	struct share	*sh;
	char		*cause = NULL;

	sh = share_open(":memory:", &cause);
	ck_assert_msg(sh != NULL, "%s", cause);
	return sh;
}

/* A hashed row for path with the tree root of p[n). */
static int64_t
tt_row(struct share *sh, const char *path, const uint8_t *p, size_t n)
{
	struct share_file	 f;

	memset(&f, 0, sizeof f);
	f.path = path;
	f.size = n;
	memset(f.sha1, 0x5a, sizeof f.sha1);
	f.has_sha1 = 1;
	tt_root_buf(p, n, f.tth);
	f.has_tth = 1;
	ck_assert_int_eq(share_put(sh, &f, 1), 0);
	return f.id;
}

START_TEST(test_tt_share_thex)
{
	struct share	*sh = tt_share();
	size_t		 n = 300 * KIB + 1, nn, gn;
	uint8_t		*p, *nodes, *got;
	unsigned	 depth = tt_good_depth(n), gd;
	int64_t		 id, id2;
	int		 fd;

	p = tt_data(n, 0);
	fd = tt_file(p, n);
	ck_assert_int_eq(tt_file_levels(fd, n, depth, &nodes, &nn), 1);
	id = tt_row(sh, "/srv/a.bin", p, n);
	id2 = tt_row(sh, "/srv/b.bin", p, 1000);

	ck_assert_int_eq(share_thex_get(sh, id, &gd, &got, &gn), 0);
	ck_assert_int_eq(share_thex_put(sh, id, depth, nodes, nn), 0);
	ck_assert_int_eq(share_thex_get(sh, id, &gd, &got, &gn), 1);
	ck_assert_uint_eq(gd, depth);
	ck_assert_uint_eq(gn, nn);
	ck_assert_mem_eq(got, nodes, nn * TT_HASH_LEN);
	free(got);
	ck_assert_int_eq(share_thex_get(sh, id2, &gd, &got, &gn), 0);

	/* No such file: refused by the foreign key. */
	ck_assert_int_eq(share_thex_put(sh, 999, depth, nodes, nn), -1);
	ck_assert_int_eq(share_thex_put(sh, id, depth, nodes, 0), -1);

	/* A tree that does not fit the file's size and depth is not used. */
	ck_assert_int_eq(share_thex_put(sh, id, depth + 1, nodes, nn), 0);
	ck_assert_int_eq(share_thex_get(sh, id, &gd, &got, &gn), 0);
	ck_assert_int_eq(share_thex_put(sh, id, depth, nodes, nn - 1), 0);
	ck_assert_int_eq(share_thex_get(sh, id, &gd, &got, &gn), 0);
	ck_assert_int_eq(share_thex_put(sh, id, depth, nodes, nn), 0);
	ck_assert_int_eq(share_thex_get(sh, id, &gd, &got, &gn), 1);
	free(got);

	/* The file hashed again with other content: the tree is stale. */
	p[0] ^= 1;
	ck_assert_int_eq(tt_row(sh, "/srv/a.bin", p, n), id);
	ck_assert_int_eq(share_thex_get(sh, id, &gd, &got, &gn), 0);
	p[0] ^= 1;
	ck_assert_int_eq(tt_row(sh, "/srv/a.bin", p, n), id);
	ck_assert_int_eq(share_thex_get(sh, id, &gd, &got, &gn), 1);
	free(got);

	/* The row goes with its file. */
	ck_assert_int_eq(share_remove(sh, id), 0);
	ck_assert_int_eq(share_thex_get(sh, id, &gd, &got, &gn), 0);
	ck_assert_int_eq(share_thex_put(sh, id, depth, nodes, nn), -1);

	free(nodes);
	close(fd);
	free(p);
	share_close(sh);
}
END_TEST

TCase *
tc_tt(void)
{
	TCase	*tc = tcase_create("tt");
	int	 nsizes = (int)(sizeof tt_sizes / sizeof tt_sizes[0]);

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_tt_root_vs_rhash, 0, 2 * nsizes);
	tcase_add_loop_test(tc, test_tt_known_roots, 0,
	    (int)(sizeof tt_known / sizeof tt_known[0]));
	tcase_add_loop_test(tc, test_tt_levels, 0, nsizes);
	tcase_add_loop_test(tc, test_tt_subtree, 0, nsizes);
	tcase_add_loop_test(tc, test_tt_geometry, 0,
	    (int)(sizeof tt_geometry / sizeof tt_geometry[0]));
	tcase_add_test(tc, test_tt_nodes_to);
	tcase_add_loop_test(tc, test_tt_good_depth, 0,
	    (int)(sizeof tt_good / sizeof tt_good[0]));
	tcase_add_loop_test(tc, test_tt_check_tree, 0, 2);
	tcase_add_test(tc, test_tt_file_errors);
	tcase_add_test(tc, test_tt_big_file);
	tcase_add_test(tc, test_tt_share_thex);
	return tc;
}
