/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_hosts.c: the saved host cache: a round trip of every field, a save
 * replacing the last one, most recently seen first, the max, a save inside
 * a caller's group of writes, a file database closed and opened again, and
 * a database of schema version 1 (before the hosts table) brought up to
 * date with its files kept; and the credits table beside it (what hosts
 * gave us): a round trip, most recent first, across a reopen, and rows
 * no host could have left out.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "share/share.h"
#include "tcdb.h"

TCase	*tc_hosts(void);

#define HOSTS_MAX	16

/* Hosts in the order load must return them: last_seen falling, then
 * address order on a tie. */
static const struct share_host hosts_sorted[] = {
	{ 0xffffffff, 65535, INT64_MAX, UINT32_MAX },
	{ 0xc0000201, 6346, 1700000300, 0 },
	{ 0x0a000001, 6346, 1700000200, 2 },
	{ 0x0a000001, 6347, 1700000200, 0 },
	{ 0x0a000002, 1, 1700000200, 1 },
	{ 0x7f000001, 6346, 1700000100, 7 },
	{ 0x00000001, 80, 0, 0 },
	{ 0xc6336407, 6346, -5, 3 },
};
#define HOSTS_N	(sizeof hosts_sorted / sizeof hosts_sorted[0])

/* The same hosts, shuffled, as a node's cache would hand them over. */
static const size_t hosts_shuffle[HOSTS_N] = { 5, 2, 7, 0, 4, 1, 6, 3 };

static void
hosts_shuffled(struct share_host *h)
{
	size_t	 i;

	for (i = 0; i < HOSTS_N; i++)
		h[i] = hosts_sorted[hosts_shuffle[i]];
}

static void
hosts_eq(const struct share_host *got, const struct share_host *want,
    size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		ck_assert_msg(got[i].ip == want[i].ip &&
		    got[i].port == want[i].port &&
		    got[i].last_seen == want[i].last_seen &&
		    got[i].fails == want[i].fails,
		    "host %zu: %08x:%u seen %lld fails %u, want %08x:%u seen "
		    "%lld fails %u", i, got[i].ip, got[i].port,
		    (long long)got[i].last_seen, got[i].fails, want[i].ip,
		    want[i].port, (long long)want[i].last_seen, want[i].fails);
	}
}

static struct share *
hosts_open(const char *path)
{
	struct share	*sh;
	char		*cause = NULL;

	sh = share_open(path, &cause);
	ck_assert_msg(sh != NULL, "%s", cause);
	return sh;
}

START_TEST(test_hosts_round_trip)
{
	struct share_host	 in[HOSTS_N], out[HOSTS_MAX];
	struct share		*sh = hosts_open(":memory:");

	/* A new database has no hosts. */
	ck_assert_int_eq(share_hosts_load(sh, out, HOSTS_MAX), 0);
	hosts_shuffled(in);
	ck_assert_int_eq(share_hosts_save(sh, in, HOSTS_N), 0);
	ck_assert_int_eq(share_hosts_load(sh, out, HOSTS_MAX), HOSTS_N);
	hosts_eq(out, hosts_sorted, HOSTS_N);
	/* Loading does not consume them. */
	memset(out, 0, sizeof out);
	ck_assert_int_eq(share_hosts_load(sh, out, HOSTS_MAX), HOSTS_N);
	hosts_eq(out, hosts_sorted, HOSTS_N);
	share_close(sh);
}
END_TEST

START_TEST(test_hosts_replace)
{
	struct share_host	 in[HOSTS_N], out[HOSTS_MAX];
	struct share_host	 dup[3] = {
		{ 0x0a000009, 6346, 10, 1 },
		{ 0x0a000008, 6346, 20, 0 },
		{ 0x0a000009, 6346, 30, 0 },	/* the same host again */
	};
	struct share		*sh = hosts_open(":memory:");

	hosts_shuffled(in);
	ck_assert_int_eq(share_hosts_save(sh, in, HOSTS_N), 0);
	/* A second save replaces the first: no host of it stays. */
	ck_assert_int_eq(share_hosts_save(sh, in + 2, 3), 0);
	ck_assert_int_eq(share_hosts_load(sh, out, HOSTS_MAX), 3);
	/* in + 2 holds sorted 7, 0 and 4. */
	hosts_eq(&out[0], &hosts_sorted[0], 1);
	hosts_eq(&out[1], &hosts_sorted[4], 1);
	hosts_eq(&out[2], &hosts_sorted[7], 1);
	/* A host given twice is saved once, as it was last given. */
	ck_assert_int_eq(share_hosts_save(sh, dup, 3), 0);
	ck_assert_int_eq(share_hosts_load(sh, out, HOSTS_MAX), 2);
	hosts_eq(&out[0], &dup[2], 1);
	hosts_eq(&out[1], &dup[1], 1);
	/* Saving none empties the cache. */
	ck_assert_int_eq(share_hosts_save(sh, NULL, 0), 0);
	ck_assert_int_eq(share_hosts_load(sh, out, HOSTS_MAX), 0);
	share_close(sh);
}
END_TEST

START_TEST(test_hosts_max)
{
	struct share_host	 in[HOSTS_N], out[HOSTS_MAX];
	struct share		*sh = hosts_open(":memory:");
	size_t			 max;

	hosts_shuffled(in);
	ck_assert_int_eq(share_hosts_save(sh, in, HOSTS_N), 0);
	/* At most max, and always the most recently seen. */
	for (max = 0; max <= HOSTS_N + 1; max++) {
		memset(out, 0xee, sizeof out);
		ck_assert_int_eq(share_hosts_load(sh, out, max),
		    max < HOSTS_N ? max : HOSTS_N);
		hosts_eq(out, hosts_sorted, max < HOSTS_N ? max : HOSTS_N);
		/* Nothing is written past what was returned. */
		if (max < HOSTS_MAX)
			ck_assert_uint_eq(out[max < HOSTS_N ? max :
			    HOSTS_N].port, 0xeeee);
	}
	share_close(sh);
}
END_TEST

START_TEST(test_hosts_in_group)
{
	struct share_host	 in[HOSTS_N], out[HOSTS_MAX];
	struct share		*sh = hosts_open(":memory:");

	/* A save inside the caller's group of writes joins it. */
	hosts_shuffled(in);
	ck_assert_int_eq(share_begin(sh), 0);
	ck_assert_int_eq(share_hosts_save(sh, in, HOSTS_N), 0);
	ck_assert_int_eq(share_hosts_save(sh, in, 2), 0);
	ck_assert_int_eq(share_commit(sh), 0);
	ck_assert_int_eq(share_hosts_load(sh, out, HOSTS_MAX), 2);
	hosts_eq(&out[0], &hosts_sorted[2], 1);
	hosts_eq(&out[1], &hosts_sorted[5], 1);
	share_close(sh);
}
END_TEST

static void
hosts_unlink(const char *dir, const char *db)
{
	tcdb_unlink(db);
	rmdir(dir);
}

/* PRAGMA user_version of the database at path. */
static int
hosts_version(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int		 v;

	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA user_version", -1,
	    &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

START_TEST(test_hosts_reopen)
{
	struct share_host	 in[HOSTS_N], out[HOSTS_MAX];
	struct share		*sh;
	char			 dir[] = "/tmp/gnode-tc-hosts.XXXXXX";
	char			 db[256];
	int			 i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/gnode.db", dir);
	sh = hosts_open(db);
	hosts_shuffled(in);
	ck_assert_int_eq(share_hosts_save(sh, in, HOSTS_N), 0);
	share_close(sh);
	ck_assert_int_eq(hosts_version(db), 8);

	/* Twice: the rows stay, and a saved cache can be saved over. */
	for (i = 0; i < 2; i++) {
		sh = hosts_open(db);
		ck_assert_int_eq(share_hosts_load(sh, out, HOSTS_MAX),
		    i == 0 ? HOSTS_N : 4);
		hosts_eq(out, hosts_sorted, i == 0 ? HOSTS_N : 4);
		ck_assert_int_eq(share_hosts_save(sh, hosts_sorted, 4), 0);
		share_close(sh);
		ck_assert_int_eq(hosts_version(db), 8);
	}
	hosts_unlink(dir, db);
}
END_TEST

START_TEST(test_credits_reopen)
{
	static const struct share_credit in[] = {
		{ 0x7f000003, 5 * 1048576, 1700000000000ull, 0 },
		{ 0x7f000004, 0, 1700000900000ull, 12 },
		{ 0xffffffff, 1, 1700000500000ull, UINT32_MAX },
	};
	struct share_credit	 out[8];
	struct share		*sh;
	char			 dir[] = "/tmp/gnode-tc-credits.XXXXXX";
	char			 db[256];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/gnode.db", dir);
	sh = hosts_open(db);
	ck_assert_int_eq(share_credits_load(sh, out, 8), 0);
	ck_assert_int_eq(share_credits_save(sh, in, 3), 0);
	share_close(sh);

	sh = hosts_open(db);
	ck_assert_int_eq(share_credits_load(sh, out, 8), 3);
	/* most recent first */
	ck_assert_uint_eq(out[0].ip, 0x7f000004);
	ck_assert_uint_eq(out[0].files, 12);
	ck_assert_uint_eq(out[1].ip, 0xffffffff);
	ck_assert_uint_eq(out[1].files, UINT32_MAX);
	ck_assert_uint_eq(out[2].ip, 0x7f000003);
	ck_assert(out[2].bytes == 5 * 1048576);
	ck_assert(out[2].at == 1700000000000ull);
	/* at most max */
	ck_assert_int_eq(share_credits_load(sh, out, 1), 1);
	ck_assert_uint_eq(out[0].ip, 0x7f000004);
	/* a save replaces the lot */
	ck_assert_int_eq(share_credits_save(sh, in, 1), 0);
	ck_assert_int_eq(share_credits_load(sh, out, 8), 1);
	share_close(sh);

	/* a hand-edited row no host could have is not loaded */
	ck_assert_int_eq(tcdb_exec(db, "INSERT INTO credits VALUES"
	    " (0, 1, 1, 1), (5, -1, 1, 1), (6, 1, 1, -1);"), SQLITE_OK);
	sh = hosts_open(db);
	ck_assert_int_eq(share_credits_load(sh, out, 8), 1);
	ck_assert_uint_eq(out[0].ip, 0x7f000003);
	share_close(sh);
	hosts_unlink(dir, db);
}
END_TEST

/* Schema version 1 as the program that made it wrote it. */
static const char hosts_v1[] =
	"CREATE TABLE files ("
	"  id INTEGER PRIMARY KEY,"
	"  path TEXT UNIQUE NOT NULL,"
	"  name TEXT NOT NULL,"
	"  size INTEGER,"
	"  mtime_ns INTEGER,"
	"  sha1 BLOB,"
	"  tth BLOB,"
	"  gen INTEGER);"
	"CREATE INDEX files_sha1 ON files(sha1) WHERE sha1 IS NOT NULL;"
	"CREATE TABLE state (key TEXT PRIMARY KEY, value INTEGER NOT NULL)"
	"  WITHOUT ROWID;"
	"INSERT INTO state VALUES ('generation', 0);"
	"CREATE VIRTUAL TABLE names USING fts5(words, content='',"
	"  columnsize=0, detail=none, tokenize='ascii');"
	"INSERT INTO names (names, rank) VALUES ('pgsz', 400);"
	"PRAGMA user_version = 1;";

START_TEST(test_hosts_migrate)
{
	struct share_host	 out[HOSTS_MAX];
	struct share_file	 f, got;
	struct share		*sh;
	sqlite3			*db1;
	char			 dir[] = "/tmp/gnode-tc-hosts.XXXXXX";
	char			 db[256], path[] = "/srv/a/Some Song.mp3";
	const char		*why;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/gnode.db", dir);
	ck_assert_int_eq(sqlite3_open(db, &db1), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db1, hosts_v1, NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db1);
	ck_assert_int_eq(hosts_version(db), 1);

	/* Opened by this program: a hashed file put into version 1... */
	sh = hosts_open(db);
	ck_assert_int_eq(hosts_version(db), 8);
	memset(&f, 0, sizeof f);
	f.path = path;
	f.size = 1234;
	memset(f.sha1, 0x42, sizeof f.sha1);
	f.has_sha1 = 1;
	ck_assert_int_eq(share_put(sh, &f, 1), 0);
	ck_assert_int_eq(share_hosts_load(sh, out, HOSTS_MAX), 0);
	ck_assert_int_eq(share_hosts_save(sh, hosts_sorted, 3), 0);
	share_close(sh);

	/* ...and everything is there on the next open, which migrates
	 * nothing. */
	sh = hosts_open(db);
	ck_assert_int_eq(share_by_path(sh, path, &got), 1);
	ck_assert_uint_eq(got.size, 1234);
	ck_assert(share_find(sh, "song", 4, &got, 1, &why) == 1);
	ck_assert_int_eq(share_hosts_load(sh, out, HOSTS_MAX), 3);
	hosts_eq(out, hosts_sorted, 3);
	share_close(sh);
	ck_assert_int_eq(hosts_version(db), 8);
	hosts_unlink(dir, db);
}
END_TEST

/* A version 1 database with files in it keeps them across the upgrade. */
START_TEST(test_hosts_migrate_rows)
{
	struct share_file	 got;
	struct share		*sh;
	sqlite3			*db1;
	char			 dir[] = "/tmp/gnode-tc-hosts.XXXXXX";
	char			 db[256];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/gnode.db", dir);
	ck_assert_int_eq(sqlite3_open(db, &db1), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db1, hosts_v1, NULL, NULL, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db1, "INSERT INTO files (path, name,"
	    " size, mtime_ns, gen) VALUES ('/srv/old.txt', 'old.txt', 7, 0,"
	    " 1)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db1);

	sh = hosts_open(db);
	ck_assert_int_eq(share_by_path(sh, "/srv/old.txt", &got), 1);
	ck_assert_int_eq(got.id, 1);
	ck_assert_uint_eq(got.size, 7);
	share_close(sh);
	ck_assert_int_eq(hosts_version(db), 8);
	hosts_unlink(dir, db);
}
END_TEST

TCase *
tc_hosts(void)
{
	TCase	*tc = tcase_create("hosts");

	tcase_add_test(tc, test_hosts_round_trip);
	tcase_add_test(tc, test_hosts_replace);
	tcase_add_test(tc, test_hosts_max);
	tcase_add_test(tc, test_hosts_in_group);
	tcase_add_test(tc, test_hosts_reopen);
	tcase_add_test(tc, test_hosts_migrate);
	tcase_add_test(tc, test_hosts_migrate_rows);
	tcase_add_test(tc, test_credits_reopen);
	return tc;
}
