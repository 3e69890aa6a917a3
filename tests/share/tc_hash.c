/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_hash.c: SHA-1 and Tiger tree vectors, the tree rebuilt from plain
 * Tiger as THEX defines it, and hash_fd on real files (regular, at an
 * offset, a pipe, from several threads) agreeing with hash_buf.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rhash.h>

#include "lib/base32.h"
#include "share/hash.h"

TCase	*tc_hash(void);

#define TTH_B32_LEN	BASE32_LEN(HASH_TTH_LEN)
#define MIB		(1024 * 1024)

/* Deterministic bytes that do not repeat at any leaf-sized period. */
static void
fill_pattern(uint8_t *p, size_t n)
{
	uint32_t	 x = 0x9e3779b9u;
	size_t		 i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)(x >> 24);
	}
}

static void
hex(const uint8_t *p, size_t n, char *out)
{
	static const char	 digits[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0xf];
	}
	out[2 * n] = '\0';
}

static void
tth_b32(const uint8_t *tth, char *out)
{
	ck_assert_uint_eq(base32_encode(tth, HASH_TTH_LEN, out,
	    TTH_B32_LEN + 1), TTH_B32_LEN);
}

/* FIPS 180 examples, and the empty message. */
static const struct {
	const char	*text;
	size_t		 repeat;	/* text is repeated this many times */
	const char	*sha1;
} sha1_vectors[] = {
	{ "", 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
	{ "abc", 1, "a9993e364706816aba3e25717850c26c9cd0d89d" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
	    "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	{ "a", 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f" },
};

START_TEST(test_hash_sha1_vectors)
{
	struct hash_result	 r;
	size_t			 len = strlen(sha1_vectors[_i].text), i;
	uint8_t			*buf;
	char			 out[2 * HASH_SHA1_LEN + 1];

	hash_init();
	buf = malloc(len * sha1_vectors[_i].repeat + 1);
	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < sha1_vectors[_i].repeat; i++)
		memcpy(buf + i * len, sha1_vectors[_i].text, len);
	hash_buf(buf, len * sha1_vectors[_i].repeat, &r);
	hex(r.sha1, HASH_SHA1_LEN, out);
	ck_assert_str_eq(out, sha1_vectors[_i].sha1);
	ck_assert_uint_eq(r.bytes, len * sha1_vectors[_i].repeat);
	free(buf);
}
END_TEST

/*
 * Tiger tree roots as urn:tree:tiger/ writes them. The empty, 1024 'A'
 * and 1025 'A' roots are the published ones; the pattern roots were
 * computed with libgcrypt's Tiger and a separate THEX tree builder.
 */
static const struct {
	int		 fill;		/* a byte, or -1 for fill_pattern */
	size_t		 len;
	const char	*tth;
} tth_vectors[] = {
	{ 0, 0, "LWPNACQDBZRYXW3VHJVCJ64QBZNGHOHHHZWCLNQ" },
	{ 'A', 1024, "L66Q4YVNAFWVS23X2HJIRA5ZJ7WXR3F26RSASFA" },
	{ 'A', 1025, "PZMRYHGY6LTBEH63ZWAHDORHSYTLO4LEFUIKHWY" },
	{ -1, 1, "SDZSLEYXODFQHJAMVGBAMECBV7EHZOA2XYNJMBQ" },
	{ -1, 1023, "J3G5FXUNTFUA2LBPNCNNOKPCYTR22EH43UYSACY" },
	{ -1, 1024, "FHN3YO2ILISW6B6CQ77ZPHCWKXSH5RVCCBVGJFQ" },
	{ -1, 1025, "APSDRLUVRLNHZXTYPFTYNQJ5CP2K3Z4O7IZUS5Y" },
	{ -1, 2048, "NCE44HTG5SKX2B6D3HM5W37WGUJZOHSW6XKTPRY" },
	{ -1, 3073, "7TQVOTPNC4XXKGEEO7IHBV4GUIB4SSYJ5TIL4UQ" },
	{ -1, MIB + 7, "XRMBI6QDNLOFJAPNOMX36MGSVOGGCYXJX2ETCEY" },
};

START_TEST(test_hash_tth_vectors)
{
	struct hash_result	 r;
	size_t			 len = tth_vectors[_i].len;
	uint8_t			*buf;
	char			 out[TTH_B32_LEN + 1];

	hash_init();
	buf = malloc(len + 1);
	ck_assert_ptr_nonnull(buf);
	if (tth_vectors[_i].fill < 0)
		fill_pattern(buf, len);
	else
		memset(buf, tth_vectors[_i].fill, len);
	hash_buf(buf, len, &r);
	tth_b32(r.tth, out);
	ck_assert_str_eq(out, tth_vectors[_i].tth);
	free(buf);
}
END_TEST

/* Tiger of a prefix byte followed by a and b. */
static void
tiger2(uint8_t prefix, const uint8_t *a, size_t alen, const uint8_t *b,
    size_t blen, uint8_t *out)
{
	rhash	 ctx;

	ctx = rhash_init(RHASH_TIGER);
	ck_assert_ptr_nonnull(ctx);
	rhash_update(ctx, &prefix, 1);
	rhash_update(ctx, a, alen);
	rhash_update(ctx, b, blen);
	ck_assert_int_eq(rhash_final(ctx, out), 0);
	rhash_free(ctx);
}

/* THEX, level by level: Tiger(0x00 || leaf) over 1024-byte leaves (one
 * empty leaf for no data), Tiger(0x01 || left || right) above, an odd
 * node out promoted unchanged. */
static void
thex_root(const uint8_t *p, size_t n, uint8_t *root)
{
	uint8_t	(*level)[HASH_TTH_LEN];
	size_t	 nodes, i, m, off, len;

	nodes = n == 0 ? 1 : (n + 1023) / 1024;
	level = malloc(nodes * sizeof *level);
	ck_assert_ptr_nonnull(level);
	for (i = 0; i < nodes; i++) {
		off = i * 1024;
		len = n - off < 1024 ? n - off : 1024;
		tiger2(0x00, p + off, len, NULL, 0, level[i]);
	}
	while (nodes > 1) {
		for (i = 0, m = 0; i + 1 < nodes; i += 2)
			tiger2(0x01, level[i], HASH_TTH_LEN, level[i + 1],
			    HASH_TTH_LEN, level[m++]);
		if (nodes % 2 == 1)
			memcpy(level[m++], level[nodes - 1], HASH_TTH_LEN);
		nodes = m;
	}
	memcpy(root, level[0], HASH_TTH_LEN);
	free(level);
}

/* Sizes around leaf boundaries and odd node counts at several levels. */
static const size_t tree_sizes[] = {
	0, 1, 1023, 1024, 1025, 2048, 2049, 3072, 3073, 5 * 1024 + 1,
	7 * 1024, 9 * 1024 - 1, MIB + 7,
};

START_TEST(test_hash_tth_tree)
{
	struct hash_result	 r;
	size_t			 len = tree_sizes[_i];
	uint8_t			*buf, root[HASH_TTH_LEN];

	hash_init();
	buf = malloc(len + 1);
	ck_assert_ptr_nonnull(buf);
	fill_pattern(buf, len);
	thex_root(buf, len, root);
	hash_buf(buf, len, &r);
	ck_assert_mem_eq(r.tth, root, HASH_TTH_LEN);
	free(buf);
}
END_TEST

/* A temporary file holding p[0..n), already unlinked, at offset 0. */
static int
temp_file(const uint8_t *p, size_t n)
{
	char	 path[] = "/tmp/gnode-hash-XXXXXX";
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
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* Below and above the size where hash_fd moves the tree to a thread. */
static const size_t file_sizes[] = {
	0, 1, 1023, 1024, 1025, MIB + 13, 9 * MIB + 5,
};

START_TEST(test_hash_fd_matches_buf)
{
	struct hash_result	 want, got;
	volatile uint64_t	 progress = 0;
	size_t			 len = file_sizes[_i];
	uint8_t			*buf, sha1[HASH_SHA1_LEN];
	int			 fd;

	hash_init();
	buf = malloc(len + 1);
	ck_assert_ptr_nonnull(buf);
	fill_pattern(buf, len);
	hash_buf(buf, len, &want);
	fd = temp_file(buf, len);

	memset(&got, 0xee, sizeof got);
	ck_assert_int_eq(hash_fd(fd, &got, &progress), 0);
	ck_assert_mem_eq(got.sha1, want.sha1, HASH_SHA1_LEN);
	ck_assert_mem_eq(got.tth, want.tth, HASH_TTH_LEN);
	ck_assert_uint_eq(got.bytes, len);
	ck_assert_uint_eq(progress, len);

	/* Progress adds to what the counter held; no counter is fine too. */
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(hash_fd(fd, &got, &progress), 0);
	ck_assert_uint_eq(progress, 2 * (uint64_t)len);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(hash_fd(fd, &got, NULL), 0);
	ck_assert_mem_eq(got.tth, want.tth, HASH_TTH_LEN);

	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(hash_fd_sha1(fd, sha1), 0);
	ck_assert_mem_eq(sha1, want.sha1, HASH_SHA1_LEN);

	close(fd);
	free(buf);
}
END_TEST

START_TEST(test_hash_fd_from_offset)
{
	struct hash_result	 want, got;
	size_t			 len = 3 * 1024 + 100, skip = 1000;
	uint8_t			 buf[3 * 1024 + 100], sha1[HASH_SHA1_LEN];
	int			 fd;

	hash_init();
	fill_pattern(buf, len);
	hash_buf(buf + skip, len - skip, &want);
	fd = temp_file(buf, len);
	ck_assert_int_eq(lseek(fd, (off_t)skip, SEEK_SET), (off_t)skip);
	ck_assert_int_eq(hash_fd(fd, &got, NULL), 0);
	ck_assert_mem_eq(got.sha1, want.sha1, HASH_SHA1_LEN);
	ck_assert_mem_eq(got.tth, want.tth, HASH_TTH_LEN);
	ck_assert_uint_eq(got.bytes, len - skip);
	ck_assert_int_eq(lseek(fd, (off_t)skip, SEEK_SET), (off_t)skip);
	ck_assert_int_eq(hash_fd_sha1(fd, sha1), 0);
	ck_assert_mem_eq(sha1, want.sha1, HASH_SHA1_LEN);
	close(fd);
}
END_TEST

struct pipe_writer {
	int		 fd;
	const uint8_t	*p;
	size_t		 n;
};

static void *
pipe_writer_main(void *arg)
{
	struct pipe_writer	*w = arg;
	size_t			 off;
	ssize_t			 k;

	/* Small writes, so the reader sees many short reads. */
	for (off = 0; off < w->n; off += (size_t)k) {
		k = write(w->fd, w->p + off, w->n - off < 3000 ? w->n - off :
		    3000);
		if (k <= 0)
			break;
	}
	close(w->fd);
	return NULL;
}

START_TEST(test_hash_fd_pipe)
{
	struct hash_result	 want, got;
	struct pipe_writer	 w;
	pthread_t		 t;
	size_t			 len = 200 * 1024 + 17;
	uint8_t			*buf;
	int			 fds[2];

	hash_init();
	buf = malloc(len);
	ck_assert_ptr_nonnull(buf);
	fill_pattern(buf, len);
	hash_buf(buf, len, &want);
	ck_assert_int_eq(pipe(fds), 0);
	w.fd = fds[1];
	w.p = buf;
	w.n = len;
	ck_assert_int_eq(pthread_create(&t, NULL, pipe_writer_main, &w), 0);
	ck_assert_int_eq(hash_fd(fds[0], &got, NULL), 0);
	pthread_join(t, NULL);
	close(fds[0]);
	ck_assert_mem_eq(got.sha1, want.sha1, HASH_SHA1_LEN);
	ck_assert_mem_eq(got.tth, want.tth, HASH_TTH_LEN);
	ck_assert_uint_eq(got.bytes, len);
	free(buf);
}
END_TEST

struct hash_job {
	int			 fd;
	struct hash_result	 res;
	volatile uint64_t	*progress;
	int			 rv;
};

static void *
hash_job_main(void *arg)
{
	struct hash_job	*j = arg;

	j->rv = hash_fd(j->fd, &j->res, j->progress);
	return NULL;
}

/* Several threads hashing at once, sharing one progress counter. */
START_TEST(test_hash_fd_threads)
{
	struct hash_result	 want[2];
	struct hash_job		 jobs[4];
	pthread_t		 t[4];
	volatile uint64_t	 progress = 0;
	size_t			 lens[2] = { 9 * MIB + 1, MIB + 3 }, i;
	uint8_t			*buf;

	hash_init();
	buf = malloc(lens[0]);
	ck_assert_ptr_nonnull(buf);
	fill_pattern(buf, lens[0]);
	for (i = 0; i < 2; i++)
		hash_buf(buf, lens[i], &want[i]);
	/* A file each, as a shared descriptor would share the offset. */
	for (i = 0; i < 4; i++) {
		jobs[i].fd = temp_file(buf, lens[i % 2]);
		jobs[i].progress = &progress;
	}
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, hash_job_main,
		    &jobs[i]), 0);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(jobs[i].rv, 0);
		ck_assert_mem_eq(jobs[i].res.sha1, want[i % 2].sha1,
		    HASH_SHA1_LEN);
		ck_assert_mem_eq(jobs[i].res.tth, want[i % 2].tth,
		    HASH_TTH_LEN);
		close(jobs[i].fd);
	}
	ck_assert_uint_eq(progress, 2 * (uint64_t)(lens[0] + lens[1]));
	free(buf);
}
END_TEST

/* A directory reads as EISDIR, a closed descriptor as EBADF. */
static const struct {
	const char	*what;
	int		 err;
} bad_fds[] = {
	{ "dir", EISDIR },
	{ "closed", EBADF },
};

static int
bad_fd(const char *what)
{
	int	 fd;

	if (strcmp(what, "dir") == 0) {
		fd = open("/tmp", O_RDONLY | O_DIRECTORY);
		ck_assert_int_ge(fd, 0);
		return fd;
	}
	fd = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	close(fd);
	return fd;
}

START_TEST(test_hash_fd_errors)
{
	struct hash_result	 r;
	uint8_t			 sha1[HASH_SHA1_LEN];
	volatile uint64_t	 progress = 0;
	int			 fd;

	hash_init();
	fd = bad_fd(bad_fds[_i].what);
	errno = 0;
	ck_assert_int_eq(hash_fd(fd, &r, &progress), -1);
	ck_assert_int_eq(errno, bad_fds[_i].err);
	ck_assert_uint_eq(progress, 0);
	errno = 0;
	ck_assert_int_eq(hash_fd_sha1(fd, sha1), -1);
	ck_assert_int_eq(errno, bad_fds[_i].err);
	if (bad_fds[_i].err != EBADF)
		close(fd);
}
END_TEST

#define NELEM(a)	(int)(sizeof (a) / sizeof (a)[0])

/* The hash test case. */
TCase *
tc_hash(void)
{
	TCase	*tc = tcase_create("hash");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_hash_sha1_vectors, 0,
	    NELEM(sha1_vectors));
	tcase_add_loop_test(tc, test_hash_tth_vectors, 0, NELEM(tth_vectors));
	tcase_add_loop_test(tc, test_hash_tth_tree, 0, NELEM(tree_sizes));
	tcase_add_loop_test(tc, test_hash_fd_matches_buf, 0,
	    NELEM(file_sizes));
	tcase_add_test(tc, test_hash_fd_from_offset);
	tcase_add_test(tc, test_hash_fd_pipe);
	tcase_add_test(tc, test_hash_fd_threads);
	tcase_add_loop_test(tc, test_hash_fd_errors, 0, NELEM(bad_fds));
	return tc;
}
