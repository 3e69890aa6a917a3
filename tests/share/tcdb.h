/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tcdb.h: what the share test cases do to a database file from outside
 * the share: read one number with a second connection, and remove it
 * with its WAL and shared-memory files.
 */
#ifndef GNODE_TCDB_H
#define GNODE_TCDB_H

/* The first column of the first row of sql, as an int, read through a
 * read-only connection of its own. */
int	 tcdb_int(const char *path, const char *sql);
/* Run sql through a connection of its own: sqlite3_exec's code. */
int	 tcdb_exec(const char *path, const char *sql);
/* Remove the database at path and its -wal and -shm files. */
void	 tcdb_unlink(const char *path);

#endif
