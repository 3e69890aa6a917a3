/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * share.c: the index of shared files in SQLite. One row per file in
 * "files"; the words of each hashed file's name (norm_words(), joined by
 * spaces) in the FTS5 table "names" under the file's id, so a keyword
 * search is one FTS5 MATCH walked in id order. Every statement is prepared
 * once per connection and kept; user text only ever reaches SQLite as a
 * bound parameter.
 *
 * Strings that a call returns (path and name of a struct share_file, name
 * of a struct qhit_record) are copies in an arena owned by the share. The
 * arena is emptied at the start of every call that returns files
 * (share_by_*, share_find, share_list, share_match), so they stay valid
 * until the next such call on the same share; writes leave them alone, so
 * a row read with share_by_path can be passed back to share_put.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "wire/norm.h"
#include "share/share_impl.h"

/*
 * The schema, one step per version: step i takes user_version i to i + 1.
 * A later version appends a step; a database is brought up to date on open
 * inside one transaction, so a crash leaves it at the old version.
 *
 * "names" is contentless (content=''): the words are already in files.name
 * in another form, and storing them twice would cost bytes per file. To
 * delete a row a contentless table needs the exact words it was given;
 * they are a pure function of files.name (norm_words), so they are
 * computed again from it. That holds as long as norm.c and
 * share_words_add do not change what terms a name has: a change there
 * needs a step here that rebuilds "names" ('delete-all', then every hashed
 * row again).
 *
 * The "ascii" tokenizer splits only on ASCII non-alphanumerics and keeps
 * every non-ASCII byte in tokens, so each of our words (lower-case ASCII
 * letters and digits, other scripts as UTF-8) is exactly one token: norm.c
 * alone defines matching, for the index, the queries and the QRP table
 * alike. detail=none (rowids only, no positions) and columnsize=0 keep the
 * index small: we need neither phrases nor ranking.
 *
 * Keywords match word prefixes. FTS5's own prefix query ("love"*) merges
 * the doclists of every term with that prefix, row by row across segments,
 * before it returns the first row: about 0.5 us per row, so tens of
 * milliseconds for a common word in a million names, whatever the LIMIT.
 * Instead each word is indexed with its prefixes of SHARE_MIN_KEYWORD to
 * SHARE_PREFIX_MAX characters ("crazy": cr cra craz crazy), so a keyword
 * is one plain term whose doclist FTS5 walks lazily in rowid order, and
 * the LIMIT stops the walk. A word longer than SHARE_PREFIX_MAX is indexed
 * whole as well; a keyword that long is a prefix query, which can only
 * meet those long (rare) words.
 *
 * FTS5 pages of 400 bytes rather than 4,000: two keywords are ANDed by
 * leapfrogging through their doclists, and a jump lands on a page that is
 * then read entry by entry. A common word in files numbered directory by
 * directory (as a scan numbers them) packs a few thousand one-byte entries
 * into 4,000 bytes; smaller pages cut that walk, for a few percent more
 * index.
 *
 * A row's words are in "names" exactly when it has a SHA-1: unhashed rows
 * are never answered, so they are never indexed.
 */
static const char *const share_migrations[] = {
	/* 0 -> 1 */
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
	"INSERT INTO names (names, rank) VALUES ('pgsz', 400);",
	/* 1 -> 2: the node's host cache, kept across restarts. */
	"CREATE TABLE hosts ("
	"  ip INTEGER NOT NULL,"
	"  port INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  fails INTEGER NOT NULL,"
	"  PRIMARY KEY (ip, port)) WITHOUT ROWID;",
	/*
	 * 2 -> 3: each file's THEX tree, computed once for uploads. A row
	 * whose first node is no longer the file's root is stale (the file
	 * was hashed again under the same id) and is not used.
	 */
	"CREATE TABLE thex ("
	"  file INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,"
	"  depth INTEGER NOT NULL,"
	"  nodes BLOB NOT NULL);",
	/*
	 * 3 -> 4: downloads and their sources, so a download resumes after
	 * a restart. chunks is the download's exported chunk states (two
	 * bits a chunk), valid for chunk_size only.
	 */
	"CREATE TABLE downloads ("
	"  id INTEGER PRIMARY KEY,"
	"  sha1 BLOB UNIQUE NOT NULL,"
	"  tth BLOB,"
	"  name TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  state TEXT NOT NULL,"
	"  chunk_size INTEGER,"
	"  chunks BLOB,"
	"  created INTEGER,"
	"  updated INTEGER);"
	"CREATE TABLE dl_sources ("
	"  download INTEGER NOT NULL REFERENCES downloads(id)"
	"    ON DELETE CASCADE,"
	"  ip INTEGER NOT NULL,"
	"  port INTEGER NOT NULL,"
	"  idx INTEGER,"
	"  banned INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (download, ip, port)) WITHOUT ROWID;",
	/* 4 -> 5: where a finished download was saved, shown after a
	 * restart as it was before. */
	"ALTER TABLE downloads ADD COLUMN path TEXT;",
	/*
	 * 5 -> 6: the node's servent GUID, kept across restarts: other
	 * nodes route pushes to us by the GUID our hits carry, so a new one
	 * at every start would strand the pushes meant for the old. One row;
	 * net/ creates it on the first start.
	 */
	"CREATE TABLE servent ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  guid BLOB NOT NULL CHECK (length(guid) = 16));",
	/*
	 * 6 -> 7: directories shared from the command line (--share), kept
	 * so that a later scan without the flag still walks them, until
	 * `share forget` drops one. The config file's are not kept here.
	 */
	"CREATE TABLE share_dirs ("
	"  path TEXT PRIMARY KEY,"
	"  added INTEGER NOT NULL) WITHOUT ROWID;",
	/*
	 * 7 -> 8: what other hosts gave us ([xfer] reward): the bytes of
	 * checked chunks each sent us, decayed to at (ms), and the files it
	 * says it shares, so that a restart does not make every giver a
	 * stranger.
	 */
	"CREATE TABLE credits ("
	"  ip INTEGER PRIMARY KEY,"
	"  bytes INTEGER NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  files INTEGER NOT NULL);",
};
#define SHARE_VERSION \
	((int)(sizeof share_migrations / sizeof share_migrations[0]))

#define SHARE_COLS \
	"f.id, f.path, f.name, f.size, f.mtime_ns, f.sha1, f.tth"

static const char *const share_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_BY_PATH] = "SELECT " SHARE_COLS " FROM files f WHERE f.path = ?1",
	[ST_BY_ID] = "SELECT " SHARE_COLS " FROM files f WHERE f.id = ?1",
	[ST_BY_SHA1] = "SELECT " SHARE_COLS " FROM files f WHERE f.sha1 = ?1"
	    " ORDER BY f.id LIMIT 1",
	/*
	 * CROSS JOIN keeps "names" the outer loop: FTS5 then hands rows over
	 * in rowid order (the ORDER BY costs no sort) and the LIMIT stops the
	 * walk after max rows; each file is one primary-key lookup.
	 */
	[ST_FIND] = "SELECT " SHARE_COLS " FROM names CROSS JOIN files f"
	    " ON f.id = names.rowid WHERE names MATCH ?1"
	    " AND f.sha1 IS NOT NULL ORDER BY names.rowid LIMIT ?2",
	[ST_LIST] = "SELECT " SHARE_COLS " FROM files f WHERE f.id > ?1"
	    " AND f.sha1 IS NOT NULL ORDER BY f.id LIMIT ?2",
	[ST_LOOKUP] = "SELECT id, name, sha1 IS NOT NULL FROM files"
	    " WHERE path = ?1",
	[ST_OLD] = "SELECT name, sha1 IS NOT NULL FROM files WHERE id = ?1",
	[ST_INSERT] = "INSERT OR IGNORE INTO files (path, name, size,"
	    " mtime_ns, sha1, tth, gen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_UPDATE] = "UPDATE files SET name = ?2, size = ?3, mtime_ns = ?4,"
	    " sha1 = ?5, tth = ?6, gen = ?7 WHERE id = ?1",
	[ST_WORDS_ADD] = "INSERT INTO names (rowid, words) VALUES (?1, ?2)",
	[ST_WORDS_DEL] = "INSERT INTO names (names, rowid, words)"
	    " VALUES ('delete', ?1, ?2)",
	[ST_TOUCH] = "UPDATE files SET gen = ?2 WHERE id = ?1",
	[ST_DELETE] = "DELETE FROM files WHERE id = ?1",
	[ST_SWEEP_OLD] = "SELECT id, name FROM files WHERE gen IS NOT ?1"
	    " AND sha1 IS NOT NULL",
	[ST_SWEEP_DELETE] = "DELETE FROM files WHERE gen IS NOT ?1",
	[ST_GEN_GET] = "SELECT value FROM state WHERE key = 'generation'",
	[ST_GEN_SET] = "INSERT OR REPLACE INTO state (key, value)"
	    " VALUES ('generation', ?1)",
	[ST_STATS] = "SELECT count(*), count(sha1), coalesce(sum(CASE WHEN"
	    " sha1 IS NOT NULL THEN size END), 0) FROM files",
	[ST_NAMES] = "SELECT name FROM files WHERE sha1 IS NOT NULL"
	    " ORDER BY id",
	[ST_OPTIMIZE] = "INSERT INTO names (names) VALUES ('optimize')",
	[ST_HOSTS_CLEAR] = "DELETE FROM hosts",
	[ST_HOSTS_PUT] = "INSERT OR REPLACE INTO hosts (ip, port, last_seen,"
	    " fails) VALUES (?1, ?2, ?3, ?4)",
	/* Rows a hand-edited database may hold that no host could have are
	 * left out; ties in last_seen come in address order. */
	[ST_HOSTS_LOAD] = "SELECT ip, port, last_seen, fails FROM hosts"
	    " WHERE ip BETWEEN 0 AND 4294967295 AND port BETWEEN 1 AND 65535"
	    " ORDER BY last_seen DESC, ip, port LIMIT ?1",
	[ST_CREDITS_CLEAR] = "DELETE FROM credits",
	[ST_CREDITS_PUT] = "INSERT OR REPLACE INTO credits (ip, bytes, at,"
	    " files) VALUES (?1, ?2, ?3, ?4)",
	/* As for hosts: no row a host could not have. */
	[ST_CREDITS_LOAD] = "SELECT ip, bytes, at, files FROM credits"
	    " WHERE ip BETWEEN 1 AND 4294967295 AND bytes >= 0 AND at >= 0"
	    " AND files BETWEEN 0 AND 4294967295 ORDER BY at DESC, ip"
	    " LIMIT ?1",
	[ST_THEX_GET] = "SELECT t.depth, t.nodes, f.size, f.tth FROM thex t"
	    " JOIN files f ON f.id = t.file WHERE t.file = ?1",
	[ST_THEX_PUT] = "INSERT OR REPLACE INTO thex (file, depth, nodes)"
	    " VALUES (?1, ?2, ?3)",
	[ST_DL_ADD] = "INSERT INTO downloads (sha1, tth, name, size, state,"
	    " chunk_size, chunks, created, updated) VALUES (?1, ?2, ?3, ?4,"
	    " ?5, ?6, ?7, ?8, ?8) ON CONFLICT (sha1) DO NOTHING",
	[ST_DL_ID] = "SELECT id FROM downloads WHERE sha1 = ?1",
	[ST_DL_PROGRESS] = "UPDATE downloads SET state = ?2, chunk_size = ?3,"
	    " chunks = ?4, updated = ?5 WHERE id = ?1",
	[ST_DL_SOURCE] = "INSERT INTO dl_sources (download, ip, port, idx,"
	    " banned) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (download, ip,"
	    " port) DO UPDATE SET idx = excluded.idx, banned = excluded.banned",
	[ST_DL_LOAD] = "SELECT id, sha1, tth, name, size, state, chunk_size,"
	    " chunks, created, updated, path FROM downloads ORDER BY id",
	[ST_DL_PATH] = "UPDATE downloads SET path = ?2 WHERE id = ?1",
	/* As for hosts: no row a source could not have. */
	[ST_DL_SOURCES] = "SELECT ip, port, idx, banned FROM dl_sources"
	    " WHERE download = ?1 AND ip BETWEEN 1 AND 4294967295"
	    " AND port BETWEEN 1 AND 65535 ORDER BY ip, port",
	[ST_DL_REMOVE] = "DELETE FROM downloads WHERE id = ?1",
	[ST_GUID_GET] = "SELECT guid FROM servent WHERE id = 1",
	[ST_GUID_SET] = "INSERT OR REPLACE INTO servent (id, guid)"
	    " VALUES (1, ?1)",
	[ST_DIRS_ADD] = "INSERT INTO share_dirs (path, added) VALUES (?1, ?2)"
	    " ON CONFLICT (path) DO NOTHING",
	[ST_DIRS_DEL] = "DELETE FROM share_dirs WHERE path = ?1",
	[ST_DIRS_LIST] = "SELECT path FROM share_dirs ORDER BY added, path",
};

void
share_buf_add(struct share_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = b->cap == 0 ? 256 : b->cap;
		while (b->len + n + 1 > b->cap)
			b->cap *= 2;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
share_buf_set(struct share_buf *b, const void *p, size_t n)
{
	b->len = 0;
	share_buf_add(b, p, n);
}

void
share_arena_reset(struct share *sh)
{
	struct share_chunk	*c, *next;
	size_t			 total = 0;

	if (sh->arena == NULL)
		return;
	if (sh->arena->next == NULL) {
		sh->arena->used = 0;
		return;
	}
	/* Keep one chunk as big as the last call needed in all. */
	for (c = sh->arena; c != NULL; c = next) {
		next = c->next;
		total += c->size;
		free(c);
	}
	sh->arena = xmalloc(sizeof *sh->arena + total);
	sh->arena->next = NULL;
	sh->arena->size = total;
	sh->arena->used = 0;
}

/* A NUL-terminated copy of p[0..n) in the arena. */
const char *
share_arena_copy(struct share *sh, const void *p, size_t n)
{
	struct share_chunk	*c = sh->arena;
	size_t			 size;
	char			*s;

	if (c == NULL || c->size - c->used < n + 1) {
		size = c == NULL ? SHARE_CHUNK_MIN : c->size * 2;
		if (size < n + 1)
			size = n + 1;
		c = xmalloc(sizeof *c + size);
		c->next = sh->arena;
		c->size = size;
		c->used = 0;
		sh->arena = c;
	}
	s = c->data + c->used;
	if (n > 0)
		memcpy(s, p, n);
	s[n] = '\0';
	c->used += n + 1;
	return s;
}

void
share_sqlerr(struct share *sh, const char *what)
{
	log_warnx("share: %s: %s", what, sqlite3_errmsg(sh->db));
}

/* The cached statement, prepared on first use and reset for a new run. */
sqlite3_stmt *
share_stmt(struct share *sh, enum share_stmt which)
{
	sqlite3_stmt	*st = sh->st[which];

	if (st == NULL) {
		if (sqlite3_prepare_v3(sh->db, share_sql[which], -1,
		    SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
			share_sqlerr(sh, share_sql[which]);
			return NULL;
		}
		sh->st[which] = st;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

/* Run a statement that returns no rows. 0 or -1; left reset. */
int
share_done(struct share *sh, sqlite3_stmt *st)
{
	int	 rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		share_sqlerr(sh, sqlite3_sql(st));
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

int
share_exec(struct share *sh, enum share_stmt which)
{
	sqlite3_stmt	*st;

	if ((st = share_stmt(sh, which)) == NULL)
		return -1;
	return share_done(sh, st);
}

/*
 * Make the next few writes (a row and its words) one unit: a transaction
 * of their own, or part of the caller's share_begin group. Not a
 * savepoint: FTS5 writes its pending terms out as a new segment at every
 * savepoint, and one per row made building three times slower. So a unit
 * that fails inside a group rolls the whole group back (SQLite itself does
 * that on most I/O errors): the index never keeps a row without its words
 * or words without their row, which a contentless FTS table could not
 * repair. share_commit then fails, telling the caller the group is lost.
 */
int
share_unit_begin(struct share *sh, int *own)
{
	*own = sqlite3_get_autocommit(sh->db);
	return *own ? share_exec(sh, ST_BEGIN) : 0;
}

int
share_unit_end(struct share *sh, int own, int ok)
{
	if (ok)
		return own ? share_exec(sh, ST_COMMIT) : 0;
	if (!sqlite3_get_autocommit(sh->db)) {
		if (!own)
			log_warnx("share: a write failed, the open group of "
			    "writes is rolled back");
		share_exec(sh, ST_ROLLBACK);
	}
	return -1;
}

/* A word's terms: its prefixes of SHARE_MIN_KEYWORD to SHARE_PREFIX_MAX
 * characters, and the whole word if it is longer. */
static void
share_words_add(void *arg, const char *w, size_t len)
{
	struct share_buf	*b = arg;
	size_t			 i, chars = 0;

	for (i = 1; i <= len; i++) {
		if (i < len && ((unsigned char)w[i] & 0xc0) == 0x80)
			continue;	/* not the end of a character */
		if (++chars > SHARE_PREFIX_MAX)
			break;
		if (chars < SHARE_MIN_KEYWORD)
			continue;
		if (b->len > 0)
			share_buf_add(b, " ", 1);
		share_buf_add(b, w, i);
	}
	if (chars > SHARE_PREFIX_MAX) {
		share_buf_add(b, " ", 1);
		share_buf_add(b, w, len);
	}
}

/* Add (or, with del, remove) the words of a name under id in "names". */
int
share_words(struct share *sh, int64_t id, const char *name, size_t len,
    int del)
{
	sqlite3_stmt	*st;

	sh->words.len = 0;
	norm_words(name, len, share_words_add, &sh->words);
	if (sh->words.len == 0)
		return 0;	/* nothing to find it by, so nothing stored */
	if ((st = share_stmt(sh, del ? ST_WORDS_DEL : ST_WORDS_ADD)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, sh->words.p, (int)sh->words.len,
	    SQLITE_STATIC);
	sh->wordwrites++;
	return share_done(sh, st);
}

/* Fill f from a row of SHARE_COLS; strings go to the arena. */
void
share_row(struct share *sh, sqlite3_stmt *st, struct share_file *f)
{
	const void	*p;

	memset(f, 0, sizeof *f);
	f->id = sqlite3_column_int64(st, 0);
	p = sqlite3_column_text(st, 1);
	f->path = share_arena_copy(sh, p != NULL ? p : "",
	    (size_t)sqlite3_column_bytes(st, 1));
	p = sqlite3_column_text(st, 2);
	f->name = share_arena_copy(sh, p != NULL ? p : "",
	    (size_t)sqlite3_column_bytes(st, 2));
	f->size = (uint64_t)sqlite3_column_int64(st, 3);
	f->mtime_ns = sqlite3_column_int64(st, 4);
	p = sqlite3_column_blob(st, 5);
	if (p != NULL && sqlite3_column_bytes(st, 5) == SHA1_LEN) {
		memcpy(f->sha1, p, SHA1_LEN);
		f->has_sha1 = 1;
	}
	p = sqlite3_column_blob(st, 6);
	if (p != NULL && sqlite3_column_bytes(st, 6) == TTH_LEN) {
		memcpy(f->tth, p, TTH_LEN);
		f->has_tth = 1;
	}
}

/* Up to max rows of a bound statement into out; the count or -1. */
long
share_rows(struct share *sh, sqlite3_stmt *st, struct share_file *out,
    size_t max)
{
	size_t	 n = 0;
	int	 rc = SQLITE_DONE;

	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
		share_row(sh, st, &out[n++]);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		share_sqlerr(sh, "reading files");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return (long)n;
}

/* The first row of a bound statement: 1, 0 or -1. */
int
share_one(struct share *sh, sqlite3_stmt *st, struct share_file *f)
{
	long	 n = share_rows(sh, st, f, 1);

	return n < 0 ? -1 : (int)n;
}

static int
share_pragma(sqlite3 *db, const char *sql, char **cause)
{
	char	*err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		xasprintf(cause, "%s", err != NULL ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static int
share_int_cb(void *arg, int ncol, char **vals, char **names)
{
	if (ncol > 0 && vals[0] != NULL)
		*(long *)arg = strtol(vals[0], NULL, 10);
	return 0;
}

/*
 * Bring the schema to SHARE_VERSION. An up-to-date database is only read,
 * so opening it never waits for a scan's write lock; otherwise the version
 * is read again under the write lock, so two processes opening a new
 * database at once apply each step once.
 */
static int
share_migrate(sqlite3 *db, char **cause)
{
	char	*err = NULL, sql[64];
	long	 version = -1;
	int	 v;

	if (sqlite3_exec(db, "PRAGMA user_version", share_int_cb, &version,
	    &err) != SQLITE_OK || version < 0) {
		xasprintf(cause, "%s", err != NULL ? err : "no schema version");
		sqlite3_free(err);
		return -1;
	}
	if (version == SHARE_VERSION)
		return 0;
	version = -1;
	if (share_pragma(db, "BEGIN IMMEDIATE", cause) != 0)
		return -1;
	if (sqlite3_exec(db, "PRAGMA user_version", share_int_cb, &version,
	    &err) != SQLITE_OK || version < 0) {
		xasprintf(cause, "%s", err != NULL ? err : "no schema version");
		goto fail;
	}
	if (version > SHARE_VERSION) {
		xasprintf(cause, "schema version %ld is newer than this "
		    "program's (%d)", version, SHARE_VERSION);
		goto fail;
	}
	for (v = (int)version; v < SHARE_VERSION; v++) {
		if (sqlite3_exec(db, share_migrations[v], NULL, NULL, &err) !=
		    SQLITE_OK) {
			xasprintf(cause, "schema version %d: %s", v + 1,
			    err != NULL ? err : sqlite3_errmsg(db));
			goto fail;
		}
		if (version > 0)
			log_info("share: schema upgraded to version %d", v + 1);
	}
	if (version != SHARE_VERSION) {
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
		    SHARE_VERSION);
		if (share_pragma(db, sql, cause) != 0)
			goto fail;
	}
	if (share_pragma(db, "COMMIT", cause) != 0)
		goto fail;
	return 0;
fail:
	sqlite3_free(err);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/*
 * The database is the user's alone, like the control socket: create it
 * 0600 (and take group and other bits off one made before), since SQLite
 * gives its -wal and -shm files the database's own mode. No umask: the
 * scanner thread opens the database too.
 */
static int
share_private(const char *path, char **why)
{
	struct stat	 sb;
	int		 fd;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) {
		xasprintf(why, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || ((sb.st_mode & 077) != 0 &&
	    fchmod(fd, sb.st_mode & 0700) != 0)) {
		xasprintf(why, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Open or create the index at path, migrating it to the current schema. */
struct share *
share_open(const char *path, char **cause)
{
	struct share	*sh;
	sqlite3		*db = NULL;
	char		*why = NULL, sql[64];
	int		 memory = strcmp(path, ":memory:") == 0;

	if (!memory && share_private(path, &why) != 0)
		goto fail;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		xasprintf(&why, "%s", db != NULL ? sqlite3_errmsg(db) :
		    "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, SHARE_BUSY_MS);
	if (!memory && share_pragma(db, "PRAGMA journal_mode = WAL",
	    &why) != 0)
		goto fail;
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", SHARE_CACHE_KIB);
	if (share_pragma(db, "PRAGMA synchronous = NORMAL", &why) != 0 ||
	    share_pragma(db, "PRAGMA foreign_keys = ON", &why) != 0 ||
	    share_pragma(db, "PRAGMA temp_store = MEMORY", &why) != 0 ||
	    share_pragma(db, sql, &why) != 0)
		goto fail;
	if (!memory) {
		snprintf(sql, sizeof sql, "PRAGMA mmap_size = %lld",
		    SHARE_MMAP_BYTES);
		if (share_pragma(db, sql, &why) != 0)
			goto fail;
	}
	if (share_migrate(db, &why) != 0)
		goto fail;
	sh = xcalloc(1, sizeof *sh);
	sh->db = db;
	return sh;
fail:
	xasprintf(cause, "share index %s: %s", path, why);
	free(why);
	sqlite3_close(db);
	return NULL;
}

/* Close the database; NULL is allowed. */
void
share_close(struct share *sh)
{
	struct share_chunk	*c, *next;
	int			 i;

	if (sh == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(sh->st[i]);
	if (!sqlite3_get_autocommit(sh->db))
		sqlite3_exec(sh->db, "ROLLBACK", NULL, NULL, NULL);
	if (sqlite3_close(sh->db) != SQLITE_OK)
		share_sqlerr(sh, "close");
	for (c = sh->arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(sh->words.p);
	free(sh->old.p);
	free(sh->expr.p);
	free(sh->kw.text.p);
	free(sh->tmp);
	free(sh);
}

/* Start a group of writes (holding the write lock until share_commit). */
int
share_begin(struct share *sh)
{
	return share_exec(sh, ST_BEGIN);
}

/* Commit the group of writes. */
int
share_commit(struct share *sh)
{
	return share_exec(sh, ST_COMMIT);
}

/* The row for a path. */
int
share_by_path(struct share *sh, const char *path, struct share_file *f)
{
	sqlite3_stmt	*st;

	share_arena_reset(sh);
	if ((st = share_stmt(sh, ST_BY_PATH)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	return share_one(sh, st, f);
}

/* The row with this id. */
int
share_by_id(struct share *sh, int64_t id, struct share_file *f)
{
	sqlite3_stmt	*st;

	share_arena_reset(sh);
	if ((st = share_stmt(sh, ST_BY_ID)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return share_one(sh, st, f);
}

int
share_sha1_row(struct share *sh, const uint8_t *sha1, struct share_file *f)
{
	sqlite3_stmt	*st;

	if ((st = share_stmt(sh, ST_BY_SHA1)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, sha1, SHA1_LEN, SQLITE_STATIC);
	return share_one(sh, st, f);
}

/* The first row with this SHA-1. */
int
share_by_sha1(struct share *sh, const uint8_t *sha1, struct share_file *f)
{
	share_arena_reset(sh);
	return share_sha1_row(sh, sha1, f);
}

/* The saved servent GUID: 1 with guid filled, 0 if none was saved, -1. */
int
share_guid_get(struct share *sh, uint8_t *guid)
{
	sqlite3_stmt	*st;
	const void	*p;
	int		 rc, found = 0;

	if ((st = share_stmt(sh, ST_GUID_GET)) == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p = sqlite3_column_blob(st, 0);
		if (p != NULL && sqlite3_column_bytes(st, 0) == SHARE_GUID_LEN) {
			memcpy(guid, p, SHARE_GUID_LEN);
			found = 1;
		}
	} else if (rc != SQLITE_DONE) {
		share_sqlerr(sh, "reading the servent GUID");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return found;
}

/* Save (or replace) the servent GUID. 0 or -1. */
int
share_guid_set(struct share *sh, const uint8_t *guid)
{
	sqlite3_stmt	*st;

	if ((st = share_stmt(sh, ST_GUID_SET)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, guid, SHARE_GUID_LEN, SQLITE_STATIC);
	return share_done(sh, st);
}
