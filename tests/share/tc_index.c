/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_index.c: the SQLite index and its matching: a table of names, query
 * texts and the names they must find (keywords ANDed, case, accents,
 * splitting, prefixes, short keywords, unhashed rows, FTS syntax and bad
 * bytes taken as plain words); URN and text-or-URN answers as hit records;
 * rows put, updated, touched, removed and swept; a file database reopened.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "share/share.h"
#include "tcdb.h"

TCase	*tc_index(void);

/* The index: ids follow this order (1 for the first). Names starting with
 * "unhashed" are put without a SHA-1. */
static const char *const idx_names[] = {
	/*  0 */ "Beatles - Yesterday.mp3",
	/*  1 */ "Beyoncé - Crazy_in_Love (2003).mp3",
	/*  2 */ "Crazy_in_Love.flac",
	/*  3 */ "Some.Movie.2019.1080p.x264.mkv",
	/*  4 */ "report_2021_v3.pdf",
	/*  5 */ "Édith Piaf - La Vie en rose.ogg",
	/*  6 */ "Straße der Besten.mp3",
	/*  7 */ "Привет мир.txt",
	/*  8 */ "東京タワー.jpg",
	/*  9 */ "unhashed_secret_love.mp3",
	/* 10 */ "AND OR NEAR.txt",
	/* 11 */ "words_of_love.txt",
	/* 12 */ "bad\xff" "bytes\xc3.bin",
	/* 13 */ "a b c.txt",
	/* 14 */ "Supercalifragilisticexpialidocious.txt",
};
#define IDX_N	(sizeof idx_names / sizeof idx_names[0])

static void
idx_file(struct share_file *f, size_t i, char *path, size_t cap)
{
	memset(f, 0, sizeof *f);
	snprintf(path, cap, "/srv/%zu/%s", i, idx_names[i]);
	f->path = path;
	f->size = 1000 + i;
	f->mtime_ns = 1700000000000000000ll + (int64_t)i;
	if (strncmp(idx_names[i], "unhashed", 8) != 0) {
		memset(f->sha1, (int)i + 1, sizeof f->sha1);
		memset(f->tth, (int)i + 0x80, sizeof f->tth);
		f->has_sha1 = 1;
		f->has_tth = 1;
	}
}

static struct share *
idx_open(void)
{
	struct share_file	 f;
	struct share		*sh;
	char			*cause = NULL, path[256];
	size_t			 i;

	sh = share_open(":memory:", &cause);
	ck_assert_msg(sh != NULL, "%s", cause);
	ck_assert_int_eq(share_begin(sh), 0);
	for (i = 0; i < IDX_N; i++) {
		idx_file(&f, i, path, sizeof path);
		ck_assert_int_eq(share_put(sh, &f, 1), 0);
		ck_assert_int_eq(f.id, (int64_t)i + 1);
	}
	ck_assert_int_eq(share_commit(sh), 0);
	return sh;
}

/* The table positions of the files found, as "1,2,11"; with names set,
 * each file's name must be the table's. */
static long
idx_find(struct share *sh, const char *q, size_t len, size_t max, char *out,
    size_t cap, const char **cause, int names)
{
	struct share_file	 f[IDX_N + 4];
	long			 n, i;
	size_t			 off = 0;

	*out = '\0';
	*cause = NULL;
	n = share_find(sh, q, len, f, max, cause);
	for (i = 0; i < n; i++) {
		ck_assert(f[i].has_sha1);
		ck_assert_int_ge(f[i].id, 1);
		ck_assert_int_le(f[i].id, (int64_t)IDX_N);
		if (names)
			ck_assert_str_eq(f[i].name, idx_names[f[i].id - 1]);
		off += (size_t)snprintf(out + off, cap - off, "%s%lld",
		    i > 0 ? "," : "", (long long)f[i].id - 1);
	}
	return n;
}

static const struct {
	const char	*q;
	size_t		 len;		/* 0: strlen(q) */
	const char	*hits;		/* table positions, in id order */
} find_cases[] = {
	/* Keywords are ANDed; unhashed rows are never answered. */
	{ "love", 0, "1,2,11" },
	{ "crazy love", 0, "1,2" },
	{ "yesterday beatles", 0, "0" },
	{ "beatles love", 0, "" },
	{ "secret", 0, "" },
	/* Case and accents, both in names and in queries. */
	{ "beyonce", 0, "1" },
	{ "BEYONCE", 0, "1" },
	{ "Beyoncé", 0, "1" },
	{ "BEYONCÉ crazy", 0, "1" },
	{ "edith VIE", 0, "5" },
	{ "strasse", 0, "6" },
	{ "STRASSE", 0, "6" },
	{ "Straße", 0, "6" },
	{ "привет", 0, "7" },
	{ "ПРИВЕТ", 0, "7" },
	{ "東京", 0, "8" },
	/* Underscores, dots and dashes split words. */
	{ "Crazy_in_Love", 0, "1,2" },
	{ "2019 1080p", 0, "3" },
	{ "movie.mkv", 0, "3" },
	{ "x264-some", 0, "3" },
	{ "report 2021 v3", 0, "4" },
	/* Keywords match word prefixes, not the middle of words. */
	{ "beat", 0, "0" },
	{ "be", 0, "0,1,6" },
	{ "eatles", 0, "" },
	{ "mp", 0, "0,1,6" },
	/* Past SHARE_PREFIX_MAX (16) characters, still prefixes. */
	{ "supercalifragili", 0, "14" },
	{ "supercalifragilis", 0, "14" },
	{ "supercalifragilisz", 0, "" },
	{ "supercalifragilisticexpialidocious", 0, "14" },
	{ "supercalifragilisticexpialidociousx", 0, "" },
	{ "SUPERCALIFRAGILISTIC txt", 0, "14" },
	/* Keywords under two characters are ignored. */
	{ "x", 0, "" },
	{ "a", 0, "" },
	{ "a b c", 0, "" },
	{ "x love", 0, "1,2,11" },
	{ "love love love LOVE", 0, "1,2,11" },
	/* FTS syntax has no effect: every keyword is plain. */
	{ "AND", 0, "10" },
	{ "or", 0, "10" },
	{ "love OR crazy", 0, "" },
	{ "love AND", 0, "" },
	{ "NEAR(love crazy)", 0, "" },
	{ "near", 0, "10" },
	{ "NOT love", 0, "" },
	{ "-love", 0, "1,2,11" },
	{ "love*", 0, "1,2,11" },
	{ "\"love\"", 0, "1,2,11" },
	{ "\"love", 0, "1,2,11" },
	{ "\"\"\"", 0, "" },
	{ "words:love", 0, "11" },
	{ "{words}:love", 0, "11" },
	{ "^love", 0, "1,2,11" },
	{ "(love)", 0, "1,2,11" },
	{ "((((", 0, "" },
	{ "*", 0, "" },
	{ "+crazy", 0, "1,2" },
	{ "\\", 0, "" },
	{ "", 0, "" },
	/* NULs and invalid UTF-8 separate words. */
	{ "crazy\0love", 10, "1,2" },
	{ "crazy\xfflove", 0, "1,2" },
	{ "\xff\xfe", 0, "" },
	{ "bad bytes", 0, "12" },
	{ "bad\xff" "bytes", 0, "12" },
	{ "\xc0\xaf" "bytes", 0, "12" },
};

START_TEST(test_index_find)
{
	struct share	*sh = idx_open();
	const char	*q = find_cases[_i].q, *cause;
	size_t		 len = find_cases[_i].len;
	char		 got[256];
	long		 n;

	if (len == 0)
		len = strlen(q);
	n = idx_find(sh, q, len, IDX_N, got, sizeof got, &cause, 1);
	ck_assert_msg(n >= 0, "case %d: -1 (%s)", _i, cause);
	ck_assert_msg(strcmp(got, find_cases[_i].hits) == 0,
	    "case %d [%s]: got \"%s\", want \"%s\"", _i, q, got,
	    find_cases[_i].hits);
	share_close(sh);
}
END_TEST

START_TEST(test_index_find_limits)
{
	struct share	*sh = idx_open();
	const char	*cause;
	char		 got[256], *many;
	size_t		 i, off;
	long		 n;

	/* At most max, lowest ids first. */
	ck_assert_int_eq(idx_find(sh, "love", 4, 2, got, sizeof got, &cause, 1),
	    2);
	ck_assert_str_eq(got, "1,2");
	ck_assert_int_eq(idx_find(sh, "love", 4, 0, got, sizeof got, &cause, 1),
	    0);

	/* 4,000 keywords are refused, with a reason. */
	many = malloc(4000 * 8);
	ck_assert_ptr_nonnull(many);
	for (i = 0, off = 0; i < 4000; i++)
		off += (size_t)sprintf(many + off, "w%zu ", i);
	n = idx_find(sh, many, off, IDX_N, got, sizeof got, &cause, 1);
	ck_assert_int_eq(n, -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_str_eq(cause, "too many keywords");

	/* SHARE_MAX_KEYWORDS is allowed, one more is not; short words and
	 * repeats do not count. */
	for (i = 0, off = 0; i < SHARE_MAX_KEYWORDS - 1; i++)
		off += (size_t)sprintf(many + off, "k%zu x love ", i);
	n = idx_find(sh, many, off, IDX_N, got, sizeof got, &cause, 1);
	ck_assert_int_eq(n, 0);
	off += (size_t)sprintf(many + off, "extra");
	n = idx_find(sh, many, off, IDX_N, got, sizeof got, &cause, 1);
	ck_assert_int_eq(n, -1);
	free(many);

	/* The share still answers after a refusal. */
	ck_assert_int_eq(idx_find(sh, "love", 4, IDX_N, got, sizeof got,
	    &cause, 1), 3);
	share_close(sh);
}
END_TEST

START_TEST(test_index_rows)
{
	struct share		*sh = idx_open();
	struct share_file	 f, g[IDX_N];
	struct share_stats	 st;
	uint8_t			 sha1[20];
	char			 path[256];
	long			 n, i, total = 0;
	int64_t			 after = 0;

	/* A row read back is the row put, path and name included. */
	idx_file(&g[0], 5, path, sizeof path);
	ck_assert_int_eq(share_by_path(sh, path, &f), 1);
	ck_assert_int_eq(f.id, 6);
	ck_assert_str_eq(f.path, path);
	ck_assert_str_eq(f.name, idx_names[5]);
	ck_assert_uint_eq(f.size, 1005);
	ck_assert_int_eq(f.mtime_ns, 1700000000000000005ll);
	ck_assert(f.has_sha1 && f.has_tth);
	ck_assert_mem_eq(f.sha1, g[0].sha1, 20);
	ck_assert_mem_eq(f.tth, g[0].tth, 24);
	ck_assert_int_eq(share_by_path(sh, "/srv/none", &f), 0);
	ck_assert_int_eq(share_by_id(sh, 10, &f), 1);
	ck_assert_str_eq(f.name, idx_names[9]);
	ck_assert(!f.has_sha1 && !f.has_tth);
	ck_assert_int_eq(share_by_id(sh, 999, &f), 0);
	memset(sha1, 3, sizeof sha1);
	ck_assert_int_eq(share_by_sha1(sh, sha1, &f), 1);
	ck_assert_int_eq(f.id, 3);
	memset(sha1, 0xee, sizeof sha1);
	ck_assert_int_eq(share_by_sha1(sh, sha1, &f), 0);

	/* Listing pages through the hashed rows only. */
	do {
		n = share_list(sh, after, g, 4);
		ck_assert_int_ge(n, 0);
		if (n > 0)
			after = g[n - 1].id;
		for (i = 0; i < n; i++)
			ck_assert(g[i].has_sha1);
		total += n;
	} while (n == 4);
	ck_assert_int_eq(total, (long)IDX_N - 1);

	ck_assert_int_eq(share_stats(sh, &st), 0);
	ck_assert_uint_eq(st.files, IDX_N);
	ck_assert_uint_eq(st.hashed, IDX_N - 1);
	ck_assert_uint_eq(st.bytes, IDX_N * 1000 + (IDX_N - 1) * IDX_N / 2 -
	    1009);
	share_close(sh);
}
END_TEST

static void
idx_count_name(void *arg, const char *name, size_t len)
{
	ck_assert_uint_eq(strlen(name), len);
	(*(size_t *)arg)++;
}

START_TEST(test_index_each_name)
{
	struct share	*sh = idx_open();
	size_t		 n = 0;

	ck_assert_int_eq(share_each_name(sh, idx_count_name, &n), 0);
	ck_assert_uint_eq(n, IDX_N - 1);
	share_close(sh);
}
END_TEST

/* share_find's answer for q, as table positions (or "-1"). */
static const char *
idx_q(struct share *sh, const char *q)
{
	static char	 got[256];
	const char	*cause;

	if (idx_find(sh, q, strlen(q), IDX_N, got, sizeof got, &cause, 0) < 0)
		strcpy(got, "-1");
	return got;
}

START_TEST(test_index_update)
{
	struct share		*sh = idx_open();
	struct share_file	 f;
	char			 path[256];

	/* A new name for the same path: found by its new words only, under
	 * the same id. */
	idx_file(&f, 0, path, sizeof path);
	f.name = "Yellow Submarine.mp3";
	ck_assert_int_eq(share_put(sh, &f, 1), 0);
	ck_assert_int_eq(f.id, 1);
	ck_assert_str_eq(idx_q(sh, "yesterday"), "");
	ck_assert_str_eq(idx_q(sh, "beatles"), "");
	ck_assert_str_eq(idx_q(sh, "yellow submarine"), "0");
	ck_assert_int_eq(share_by_id(sh, 1, &f), 1);
	ck_assert_str_eq(f.name, "Yellow Submarine.mp3");

	/* A row that loses its hash (changed, to be hashed again) is not
	 * answered; hashed again, it is. The row read back is put back as
	 * it is (its strings point into the share's buffer). */
	ck_assert_int_eq(share_by_path(sh, "/srv/2/Crazy_in_Love.flac", &f),
	    1);
	f.has_sha1 = 0;
	f.has_tth = 0;
	ck_assert_int_eq(share_put(sh, &f, 2), 0);
	ck_assert_str_eq(idx_q(sh, "crazy love"), "1");
	ck_assert_int_eq(share_by_id(sh, 3, &f), 1);
	ck_assert(!f.has_sha1);
	memset(f.sha1, 0x77, sizeof f.sha1);
	f.has_sha1 = 1;
	ck_assert_int_eq(share_put(sh, &f, 2), 0);
	ck_assert_int_eq(f.id, 3);
	/* Putting the same row twice leaves one entry. */
	ck_assert_int_eq(share_put(sh, &f, 2), 0);
	ck_assert_int_eq(f.id, 3);
	ck_assert_str_eq(idx_q(sh, "crazy love"), "1,2");

	/* An unhashed row gets a hash: now it is answered. */
	idx_file(&f, 9, path, sizeof path);
	memset(f.sha1, 0x99, sizeof f.sha1);
	f.has_sha1 = 1;
	ck_assert_int_eq(share_put(sh, &f, 1), 0);
	ck_assert_str_eq(idx_q(sh, "secret love"), "9");
	share_close(sh);
}
END_TEST

START_TEST(test_index_remove_sweep)
{
	struct share		*sh = idx_open();
	struct share_file	 f;
	struct share_stats	 st;
	char			 path[256];
	size_t			 i;

	/* Removed: not found, not by id, twice is harmless. */
	ck_assert_int_eq(share_remove(sh, 2), 0);
	ck_assert_str_eq(idx_q(sh, "crazy love"), "2");
	ck_assert_str_eq(idx_q(sh, "beyonce"), "");
	ck_assert_int_eq(share_by_id(sh, 2, &f), 0);
	ck_assert_int_eq(share_remove(sh, 2), 0);
	ck_assert_int_eq(share_remove(sh, 10), 0);	/* unhashed */

	/* The last row removed, its id is taken again by a new file: the
	 * old words must be gone from the index, not just hidden. */
	ck_assert_int_eq(share_remove(sh, (int64_t)IDX_N), 0);
	memset(&f, 0, sizeof f);
	f.path = "/srv/new/Zebra Crossing.mp3";
	f.has_sha1 = 1;
	ck_assert_int_eq(share_put(sh, &f, 1), 0);
	ck_assert_int_eq(f.id, (int64_t)IDX_N);
	ck_assert_str_eq(idx_q(sh, "zebra"), "14");
	ck_assert_str_eq(idx_q(sh, "txt"), "7,10,11,13");

	/* Generation 2 sees everything but the Beatles and the new file. */
	ck_assert_uint_eq(share_next_generation(sh), 1);
	ck_assert_int_eq(share_begin(sh), 0);
	for (i = 1; i < IDX_N - 1; i++) {
		idx_file(&f, i, path, sizeof path);
		if (i == 4)
			ck_assert_int_eq(share_put(sh, &f, 2), 0);
		else if (share_by_path(sh, path, &f) == 1)
			ck_assert_int_eq(share_touch(sh, f.id, 2), 0);
	}
	ck_assert_int_eq(share_commit(sh), 0);
	ck_assert_int_eq(share_sweep(sh, 2), 2);
	ck_assert_uint_eq(share_next_generation(sh), 3);
	ck_assert_str_eq(idx_q(sh, "beatles"), "");
	ck_assert_str_eq(idx_q(sh, "zebra"), "");
	ck_assert_str_eq(idx_q(sh, "mp3"), "6");
	ck_assert_str_eq(idx_q(sh, "report"), "4");
	ck_assert_int_eq(share_by_id(sh, 1, &f), 0);
	ck_assert_int_eq(share_stats(sh, &st), 0);
	ck_assert_uint_eq(st.files, IDX_N - 4);
	ck_assert_uint_eq(st.generation, 2);
	/* Nothing left to sweep. */
	ck_assert_int_eq(share_sweep(sh, 2), 0);
	share_close(sh);
}
END_TEST

/* A scan of many files ends with the index merged into one segment;
 * searches, updates and removals go on as before. */
START_TEST(test_index_bulk)
{
	struct share		*sh;
	struct share_file	 f, g[8];
	char			*cause = NULL, path[64];
	const char		*why;
	int			 i;

	sh = share_open(":memory:", &cause);
	ck_assert_ptr_nonnull(sh);
	ck_assert_int_eq(share_begin(sh), 0);
	for (i = 0; i < 3000; i++) {
		memset(&f, 0, sizeof f);
		snprintf(path, sizeof path, "/srv/bulk/track_%04d_%s.ogg", i,
		    i % 3 == 0 ? "fizz" : "plain");
		f.path = path;
		memset(f.sha1, 1, sizeof f.sha1);
		f.has_sha1 = 1;
		ck_assert_int_eq(share_put(sh, &f, 1), 0);
		if (i % 500 == 499) {
			ck_assert_int_eq(share_commit(sh), 0);
			ck_assert_int_eq(share_begin(sh), 0);
		}
	}
	ck_assert_int_eq(share_commit(sh), 0);
	ck_assert_int_eq(share_sweep(sh, 1), 0);
	ck_assert_int_eq(share_find(sh, "fizz 0999", 9, g, 8, &why), 1);
	ck_assert_str_eq(g[0].name, "track_0999_fizz.ogg");
	ck_assert_int_eq(share_find(sh, "track 20", 8, g, 8, &why), 8);
	ck_assert_int_eq(g[0].id, 2001);
	ck_assert_int_eq(share_remove(sh, 1000), 0);
	ck_assert_int_eq(share_find(sh, "fizz 0999", 9, g, 8, &why), 0);
	ck_assert_int_eq(share_find(sh, "plain 0998", 10, g, 8, &why), 1);
	share_close(sh);
}
END_TEST

static void
idx_query(struct query *q, const char *text)
{
	memset(q, 0, sizeof *q);
	q->text = text;
	q->textlen = strlen(text);
}

START_TEST(test_index_match)
{
	struct share		*sh = idx_open();
	struct qhit_record	 r[8];
	struct query		 q;

	/* URN only: the file with that SHA-1, as a full record. */
	idx_query(&q, "");
	memset(q.sha1[0], 5, SHA1_LEN);
	q.nsha1 = 1;
	ck_assert_uint_eq(share_match(sh, &q, r, 8), 1);
	ck_assert_uint_eq(r[0].index, 5);
	ck_assert_uint_eq(r[0].size, 1004);
	ck_assert_uint_eq(r[0].namelen, strlen(idx_names[4]));
	ck_assert_mem_eq(r[0].name, idx_names[4], r[0].namelen);
	ck_assert(r[0].has_sha1 && r[0].has_tth);
	ck_assert_uint_eq(r[0].sha1[0], 5);
	ck_assert_uint_eq(r[0].tth[0], 0x84);
	ck_assert_ptr_null(r[0].ext);

	/* Text or URN; a file found both ways is answered once. */
	idx_query(&q, "crazy love");
	memset(q.sha1[0], 1, SHA1_LEN);
	memset(q.sha1[1], 2, SHA1_LEN);
	memset(q.sha1[2], 0xee, SHA1_LEN);	/* nobody has it */
	q.nsha1 = 3;
	ck_assert_uint_eq(share_match(sh, &q, r, 8), 3);
	ck_assert_uint_eq(r[0].index, 1);
	ck_assert_uint_eq(r[1].index, 2);
	ck_assert_uint_eq(r[2].index, 3);
	ck_assert_mem_eq(r[2].name, "Crazy_in_Love.flac", r[2].namelen);
	/* At most max. */
	ck_assert_uint_eq(share_match(sh, &q, r, 2), 2);
	ck_assert_uint_eq(share_match(sh, &q, r, 0), 0);

	/* Text only. */
	idx_query(&q, "LOVE");
	ck_assert_uint_eq(share_match(sh, &q, r, 8), 3);
	ck_assert_uint_eq(r[2].index, 12);
	/* An "index query" and nothing usable: no answer. */
	idx_query(&q, "\\");
	ck_assert_uint_eq(share_match(sh, &q, r, 8), 0);
	idx_query(&q, "    ");
	ck_assert_uint_eq(share_match(sh, &q, r, 8), 0);
	idx_query(&q, "a");
	ck_assert_uint_eq(share_match(sh, &q, r, 8), 0);
	/* Too many keywords: the URN still answers. */
	idx_query(&q, "aa bb cc dd ee ff gg hh ii jj kk ll mm nn oo pp qq rr "
	    "ss tt uu vv ww xx yy zz ab ac ad ae af ag ah");
	memset(q.sha1[0], 7, SHA1_LEN);
	q.nsha1 = 1;
	ck_assert_uint_eq(share_match(sh, &q, r, 8), 1);
	ck_assert_uint_eq(r[0].index, 7);
	/* An unhashed file has no URN to be found by. */
	idx_query(&q, "secret");
	memset(q.sha1[0], 0, SHA1_LEN);
	ck_assert_uint_eq(share_match(sh, &q, r, 8), 0);
	share_close(sh);
}
END_TEST

/* PRAGMA user_version: four bytes, big-endian, at offset 60 of the file. */
static long
idx_user_version(const char *path, long set)
{
	unsigned char	 b[4];
	int		 fd;
	long		 v;

	fd = open(path, set >= 0 ? O_RDWR : O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, b, 4, 60), 4);
	v = ((long)b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
	if (set >= 0) {
		b[0] = (unsigned char)(set >> 24);
		b[1] = (unsigned char)(set >> 16);
		b[2] = (unsigned char)(set >> 8);
		b[3] = (unsigned char)set;
		ck_assert_int_eq(pwrite(fd, b, 4, 60), 4);
	}
	close(fd);
	return v;
}

static void
idx_unlink(const char *dir, const char *db)
{
	char	 p[512];

	tcdb_unlink(db);
	snprintf(p, sizeof p, "%s/junk", dir);
	unlink(p);
	rmdir(dir);
}

START_TEST(test_index_reopen)
{
	struct share		*sh, *sh2;
	struct share_file	 f;
	char			 dir[] = "/tmp/gnode-tc-index.XXXXXX";
	char			 db[256], junk[256], *cause = NULL;
	const char		*why;
	size_t			 i;
	int			 fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/share.db", dir);
	sh = share_open(db, &cause);
	ck_assert_msg(sh != NULL, "%s", cause);
	for (i = 0; i < IDX_N; i++) {
		char	 path[256];

		idx_file(&f, i, path, sizeof path);
		ck_assert_int_eq(share_put(sh, &f, 1), 0);
	}
	ck_assert_int_eq(share_sweep(sh, 1), 0);
	/* A second connection (a one-shot command) sees the same rows. */
	sh2 = share_open(db, &cause);
	ck_assert_msg(sh2 != NULL, "%s", cause);
	ck_assert_str_eq(idx_q(sh2, "crazy love"), "1,2");
	share_close(sh2);
	share_close(sh);

	/* Reopened: the rows, their words, the generation and the schema
	 * version are kept, and the migration does not run again. */
	ck_assert_int_eq(idx_user_version(db, -1), 8);
	for (i = 0; i < 2; i++) {
		sh = share_open(db, &cause);
		ck_assert_msg(sh != NULL, "%s", cause);
		ck_assert_int_eq(share_by_path(sh, "/srv/4/report_2021_v3.pdf",
		    &f), 1);
		ck_assert_int_eq(f.id, 5);
		ck_assert_str_eq(idx_q(sh, "beyonce love"), "1");
		ck_assert_uint_eq(share_next_generation(sh), 2);
		ck_assert(share_find(sh, "love", 4, &f, 1, &why) == 1);
		share_close(sh);
		ck_assert_int_eq(idx_user_version(db, -1), 8);
	}

	/* A database from a newer program is refused, not downgraded. */
	idx_user_version(db, 99);
	sh = share_open(db, &cause);
	ck_assert_ptr_null(sh);
	ck_assert_ptr_nonnull(strstr(cause, "newer"));
	free(cause);
	cause = NULL;
	ck_assert_int_eq(idx_user_version(db, -1), 99);

	/* A file that is not a database is refused with a reason. */
	snprintf(junk, sizeof junk, "%s/junk", dir);
	fd = open(junk, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	for (i = 0; i < 64; i++)
		ck_assert_int_eq(write(fd, "not a database, just text ", 26),
		    26);
	close(fd);
	sh = share_open(junk, &cause);
	ck_assert_ptr_null(sh);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	idx_unlink(dir, db);
}
END_TEST

TCase *
tc_index(void)
{
	TCase	*tc = tcase_create("index");

	tcase_add_loop_test(tc, test_index_find, 0,
	    (int)(sizeof find_cases / sizeof find_cases[0]));
	tcase_add_test(tc, test_index_find_limits);
	tcase_add_test(tc, test_index_rows);
	tcase_add_test(tc, test_index_each_name);
	tcase_add_test(tc, test_index_update);
	tcase_add_test(tc, test_index_remove_sweep);
	tcase_add_test(tc, test_index_bulk);
	tcase_add_test(tc, test_index_match);
	tcase_add_test(tc, test_index_reopen);
	return tc;
}
