/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_guid.c: the servent GUID kept in the database (schema 6): none in a
 * new database, a saved one read back after closing and opening the file
 * again, a second save replacing the first, a database of schema 5 (made
 * before the table) brought up to date with its rows kept, and a row no
 * GUID could be refused by the table itself.
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

TCase	*tc_guid(void);

static const uint8_t guid_a[SHARE_GUID_LEN] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0xff, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x01,
};
static const uint8_t guid_b[SHARE_GUID_LEN] = {
	0xfe, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
};

static struct share *
guid_open(const char *path)
{
	struct share	*sh;
	char		*cause = NULL;

	sh = share_open(path, &cause);
	ck_assert_msg(sh != NULL, "%s", cause);
	return sh;
}

START_TEST(test_guid_memory)
{
	struct share	*sh = guid_open(":memory:");
	uint8_t		 got[SHARE_GUID_LEN];

	memset(got, 0x5a, sizeof got);
	ck_assert_int_eq(share_guid_get(sh, got), 0);
	/* Nothing found, nothing written. */
	ck_assert_uint_eq(got[0], 0x5a);
	ck_assert_uint_eq(got[15], 0x5a);
	ck_assert_int_eq(share_guid_set(sh, guid_a), 0);
	ck_assert_int_eq(share_guid_get(sh, got), 1);
	ck_assert_mem_eq(got, guid_a, SHARE_GUID_LEN);
	/* A second save replaces the first: still one GUID. */
	ck_assert_int_eq(share_guid_set(sh, guid_b), 0);
	ck_assert_int_eq(share_guid_get(sh, got), 1);
	ck_assert_mem_eq(got, guid_b, SHARE_GUID_LEN);
	share_close(sh);
}
END_TEST

START_TEST(test_guid_reopen)
{
	struct share	*sh;
	char		 dir[] = "/tmp/gnode-tc-guid.XXXXXX";
	char		 db[256];
	uint8_t		 got[SHARE_GUID_LEN];
	int		 i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/gnode.db", dir);
	sh = guid_open(db);
	ck_assert_int_eq(share_guid_get(sh, got), 0);
	ck_assert_int_eq(share_guid_set(sh, guid_a), 0);
	share_close(sh);
	ck_assert_int_eq(tcdb_int(db, "PRAGMA user_version"), 8);

	/* Twice: the same GUID comes back, and opening changes nothing. */
	for (i = 0; i < 2; i++) {
		memset(got, 0, sizeof got);
		sh = guid_open(db);
		ck_assert_int_eq(share_guid_get(sh, got), 1);
		ck_assert_mem_eq(got, guid_a, SHARE_GUID_LEN);
		share_close(sh);
	}
	ck_assert_int_eq(tcdb_int(db, "SELECT count(*) FROM servent"), 1);

	/* The table takes no second row and no GUID of another length. */
	ck_assert_int_ne(tcdb_exec(db, "INSERT INTO servent (id, guid) VALUES"
	    " (2, zeroblob(16))"), SQLITE_OK);
	ck_assert_int_ne(tcdb_exec(db, "UPDATE servent SET guid ="
	    " zeroblob(15)"), SQLITE_OK);
	sh = guid_open(db);
	ck_assert_int_eq(share_guid_get(sh, got), 1);
	ck_assert_mem_eq(got, guid_a, SHARE_GUID_LEN);
	share_close(sh);
	tcdb_unlink(db);
	rmdir(dir);
}
END_TEST

/* A database a schema-5 program left: everything but the servent table. */
START_TEST(test_guid_migrate)
{
	struct share		*sh;
	struct share_file	 f, got;
	char			 dir[] = "/tmp/gnode-tc-guid.XXXXXX";
	char			 db[256], path[] = "/srv/a/Old Song.mp3";
	uint8_t			 g[SHARE_GUID_LEN];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/gnode.db", dir);
	sh = guid_open(db);
	memset(&f, 0, sizeof f);
	f.path = path;
	f.size = 4321;
	memset(f.sha1, 0x42, sizeof f.sha1);
	f.has_sha1 = 1;
	ck_assert_int_eq(share_put(sh, &f, 1), 0);
	share_close(sh);
	ck_assert_int_eq(tcdb_exec(db, "DROP TABLE servent;"
	    " DROP TABLE share_dirs; DROP TABLE credits;"
	    " PRAGMA user_version = 5;"), SQLITE_OK);
	ck_assert_int_eq(tcdb_int(db, "PRAGMA user_version"), 5);

	/* Opened: upgraded, the file still there, no GUID yet... */
	sh = guid_open(db);
	ck_assert_int_eq(tcdb_int(db, "PRAGMA user_version"), 8);
	ck_assert_int_eq(share_by_path(sh, path, &got), 1);
	ck_assert_uint_eq(got.size, 4321);
	ck_assert_int_eq(share_guid_get(sh, g), 0);
	ck_assert_int_eq(share_guid_set(sh, guid_b), 0);
	share_close(sh);

	/* ...and the one saved then is there on the next open. */
	sh = guid_open(db);
	ck_assert_int_eq(share_guid_get(sh, g), 1);
	ck_assert_mem_eq(g, guid_b, SHARE_GUID_LEN);
	share_close(sh);
	tcdb_unlink(db);
	rmdir(dir);
}
END_TEST

TCase *
tc_guid(void)
{
	TCase	*tc = tcase_create("guid");

	tcase_add_test(tc, test_guid_memory);
	tcase_add_test(tc, test_guid_reopen);
	tcase_add_test(tc, test_guid_migrate);
	return tc;
}
