/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tcdb.c: a database file seen from outside the share (see tcdb.h).
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

#include "tcdb.h"

int
tcdb_int(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int		 v;

	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

int
tcdb_exec(const char *path, const char *sql)
{
	sqlite3	*db;
	int	 rc;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

void
tcdb_unlink(const char *path)
{
	char	 p[512];

	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}
