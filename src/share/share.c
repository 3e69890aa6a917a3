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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "share/norm.h"
#include "share/share.h"

/* Another connection (a scan, a one-shot command) may hold the write lock
 * for one batch of rows; wait that long rather than fail. */
#define SHARE_BUSY_MS		10000
#define SHARE_CHUNK_MIN		4096
#define SHARE_PREFIX_MAX	16	/* characters of prefix indexed */
#define SHARE_OPTIMIZE_MIN	1000	/* rows of words written: optimize */
/*
 * Read the database through mmap: a search reads rows all over the files
 * table, and a mapped page costs no system call. Large enough for a few
 * million files; beyond it SQLite reads the rest as usual.
 */
#define SHARE_MMAP_BYTES	(1024ll * 1024 * 1024)
#define SHARE_CACHE_KIB		16384

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
	"  columnsize=0, detail=none, tokenize='ascii');",
};
#define SHARE_VERSION \
	((int)(sizeof share_migrations / sizeof share_migrations[0]))

#define SHARE_COLS \
	"f.id, f.path, f.name, f.size, f.mtime_ns, f.sha1, f.tth"

enum share_stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_BY_PATH,
	ST_BY_ID,
	ST_BY_SHA1,
	ST_FIND,
	ST_LIST,
	ST_LOOKUP,
	ST_OLD,
	ST_INSERT,
	ST_UPDATE,
	ST_WORDS_ADD,
	ST_WORDS_DEL,
	ST_TOUCH,
	ST_DELETE,
	ST_SWEEP_OLD,
	ST_SWEEP_DELETE,
	ST_GEN_GET,
	ST_GEN_SET,
	ST_STATS,
	ST_NAMES,
	ST_OPTIMIZE,
	ST_COUNT
};

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
};

/* Arena chunks: never moved, so earlier strings survive a later copy. */
struct share_chunk {
	struct share_chunk	*next;
	size_t			 size;
	size_t			 used;
	char			 data[];
};

/* A growable byte buffer. */
struct share_buf {
	char		*p;
	size_t		 len;
	size_t		 cap;
};

/* The keywords of one search. */
struct share_kw {
	struct share_buf	 text;	/* the keywords, each NUL-ended */
	size_t			 off[SHARE_MAX_KEYWORDS];
	size_t			 n;
	int			 toomany;
};

struct share {
	sqlite3			*db;
	sqlite3_stmt		*st[ST_COUNT];
	struct share_chunk	*arena;
	struct share_buf	 words;	/* a name's terms for the FTS table */
	struct share_buf	 old;	/* a row's previous name */
	struct share_buf	 expr;	/* a MATCH expression */
	struct share_kw		 kw;
	struct share_file	*tmp;	/* share_match's keyword hits */
	size_t			 tmpcap;
	uint64_t		 wordwrites; /* rows of words since optimize */
};

static void
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

static void
share_buf_set(struct share_buf *b, const void *p, size_t n)
{
	b->len = 0;
	share_buf_add(b, p, n);
}

static void
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
static const char *
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

static void
share_sqlerr(struct share *sh, const char *what)
{
	log_warnx("share: %s: %s", what, sqlite3_errmsg(sh->db));
}

/* The cached statement, prepared on first use and reset for a new run. */
static sqlite3_stmt *
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
static int
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

static int
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
static int
share_unit_begin(struct share *sh, int *own)
{
	*own = sqlite3_get_autocommit(sh->db);
	return *own ? share_exec(sh, ST_BEGIN) : 0;
}

static int
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

/* Characters (code points) in a UTF-8 word. */
static size_t
share_chars(const char *w, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)w[i] & 0xc0) != 0x80)
			n++;
	return n;
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
static int
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
static void
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
static long
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
static int
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

/* Open or create the index at path, migrating it to the current schema. */
struct share *
share_open(const char *path, char **cause)
{
	struct share	*sh;
	sqlite3		*db = NULL;
	char		*why = NULL, sql[64];
	int		 memory = strcmp(path, ":memory:") == 0;

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

static int
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

/* The base name of a path: what follows its last slash. */
static const char *
share_basename(const char *path)
{
	const char	*slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

static void
share_bind_file(sqlite3_stmt *st, const struct share_file *f,
    const char *name, uint64_t gen)
{
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)f->size);
	sqlite3_bind_int64(st, 4, f->mtime_ns);
	if (f->has_sha1)
		sqlite3_bind_blob(st, 5, f->sha1, SHA1_LEN, SQLITE_STATIC);
	if (f->has_tth)
		sqlite3_bind_blob(st, 6, f->tth, TTH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, (int64_t)gen);
}

/*
 * The body of share_put, inside a unit. The words in "names" follow the
 * row: the old name's words go when the row stops being hashed or is
 * renamed, the new name's come when it is hashed under a new name.
 */
static int
share_put_row(struct share *sh, struct share_file *f, const char *name,
    uint64_t gen)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;
	int		 rc, was_hashed = 0, same;
	size_t		 namelen = strlen(name);

	/* A new path (every file of a first scan): one insert, no lookup. */
	if ((st = share_stmt(sh, ST_INSERT)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, f->path, -1, SQLITE_STATIC);
	share_bind_file(st, f, name, gen);
	if (share_done(sh, st) != 0)
		return -1;
	if (sqlite3_changes(sh->db) == 1) {
		f->id = sqlite3_last_insert_rowid(sh->db);
		if (f->has_sha1 &&
		    share_words(sh, f->id, name, namelen, 0) != 0)
			return -1;
		return 0;
	}

	/* The path has a row: update it, and its words if they change. */
	if ((st = share_stmt(sh, ST_LOOKUP)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, f->path, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		share_buf_set(&sh->old, sqlite3_column_text(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1));
		was_hashed = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		share_sqlerr(sh, "looking up a path");
		return -1;
	}
	same = sh->old.len == namelen && memcmp(sh->old.p, name, namelen) == 0;
	if (was_hashed && (!f->has_sha1 || !same) &&
	    share_words(sh, id, sh->old.p, sh->old.len, 1) != 0)
		return -1;
	if ((st = share_stmt(sh, ST_UPDATE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	share_bind_file(st, f, name, gen);
	if (share_done(sh, st) != 0)
		return -1;
	if (f->has_sha1 && (!was_hashed || !same) &&
	    share_words(sh, id, name, namelen, 0) != 0)
		return -1;
	f->id = id;
	return 0;
}

/* Insert or update the row for f->path; its name is f->name if set, else
 * the path's base name. */
int
share_put(struct share *sh, struct share_file *f, uint64_t gen)
{
	const char	*name;
	int		 own, ok;

	if (f->path == NULL)
		return -1;
	name = f->name != NULL ? f->name : share_basename(f->path);
	if (share_unit_begin(sh, &own) != 0)
		return -1;
	ok = share_put_row(sh, f, name, gen) == 0;
	return share_unit_end(sh, own, ok);
}

/* An unchanged file was seen again in generation gen. */
int
share_touch(struct share *sh, int64_t id, uint64_t gen)
{
	sqlite3_stmt	*st;

	if ((st = share_stmt(sh, ST_TOUCH)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (int64_t)gen);
	return share_done(sh, st);
}

static int
share_remove_row(struct share *sh, int64_t id)
{
	sqlite3_stmt	*st;
	int		 rc, hashed = 0;

	if ((st = share_stmt(sh, ST_OLD)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		share_buf_set(&sh->old, sqlite3_column_text(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0));
		hashed = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;		/* already gone */
	if (rc != SQLITE_ROW) {
		share_sqlerr(sh, "reading a row to remove");
		return -1;
	}
	if (hashed && share_words(sh, id, sh->old.p, sh->old.len, 1) != 0)
		return -1;
	if ((st = share_stmt(sh, ST_DELETE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return share_done(sh, st);
}

/* Remove one row and its words. */
int
share_remove(struct share *sh, int64_t id)
{
	int	 own, ok;

	if (share_unit_begin(sh, &own) != 0)
		return -1;
	ok = share_remove_row(sh, id) == 0;
	return share_unit_end(sh, own, ok);
}

static int64_t
share_sweep_rows(struct share *sh, uint64_t gen)
{
	sqlite3_stmt	*st, *old;
	int64_t		 removed;
	int		 rc;

	if ((old = share_stmt(sh, ST_SWEEP_OLD)) == NULL)
		return -1;
	sqlite3_bind_int64(old, 1, (int64_t)gen);
	while ((rc = sqlite3_step(old)) == SQLITE_ROW) {
		if (share_words(sh, sqlite3_column_int64(old, 0),
		    (const char *)sqlite3_column_text(old, 1),
		    (size_t)sqlite3_column_bytes(old, 1), 1) != 0) {
			sqlite3_reset(old);
			return -1;
		}
	}
	sqlite3_reset(old);
	if (rc != SQLITE_DONE) {
		share_sqlerr(sh, "reading rows to sweep");
		return -1;
	}
	if ((st = share_stmt(sh, ST_SWEEP_DELETE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)gen);
	if (share_done(sh, st) != 0)
		return -1;
	removed = sqlite3_changes64(sh->db);
	if ((st = share_stmt(sh, ST_GEN_SET)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)gen);
	if (share_done(sh, st) != 0)
		return -1;
	return removed;
}

/*
 * After a scan that changed many rows, merge the FTS index into one
 * segment. Each segment costs every keyword of every search a seek of its
 * own; a scan leaves a dozen or so (FTS5 merges them only by fours), and a
 * search in one segment of a million names takes a third less time. It
 * rewrites the whole index (about 1.5 s for a million names), so it is not
 * worth it for a few changed files, which automerge will fold in later.
 */
static void
share_optimize(struct share *sh)
{
	int	 own;

	/* In the caller's group, a failure would roll back the sweep too. */
	if (sh->wordwrites < SHARE_OPTIMIZE_MIN ||
	    !sqlite3_get_autocommit(sh->db))
		return;
	if (share_unit_begin(sh, &own) != 0)
		return;
	if (share_unit_end(sh, own, share_exec(sh, ST_OPTIMIZE) == 0) == 0)
		sh->wordwrites = 0;
}

/* Remove every row not seen in gen; gen becomes the last complete scan. */
int64_t
share_sweep(struct share *sh, uint64_t gen)
{
	int64_t	 removed;
	int	 own;

	if (share_unit_begin(sh, &own) != 0)
		return -1;
	removed = share_sweep_rows(sh, gen);
	if (share_unit_end(sh, own, removed >= 0) != 0)
		return -1;
	share_optimize(sh);
	return removed;
}

/* The generation a new scan should use. */
uint64_t
share_next_generation(struct share *sh)
{
	sqlite3_stmt	*st;
	uint64_t	 gen = 0;

	if ((st = share_stmt(sh, ST_GEN_GET)) == NULL)
		return 1;
	if (sqlite3_step(st) == SQLITE_ROW)
		gen = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return gen + 1;
}

static void
share_kw_add(void *arg, const char *w, size_t len)
{
	struct share_kw	*kw = arg;
	size_t		 i;

	if (kw->toomany || share_chars(w, len) < SHARE_MIN_KEYWORD)
		return;
	for (i = 0; i < kw->n; i++)
		if (strlen(kw->text.p + kw->off[i]) == len &&
		    memcmp(kw->text.p + kw->off[i], w, len) == 0)
			return;		/* the same keyword again */
	if (kw->n == SHARE_MAX_KEYWORDS) {
		kw->toomany = 1;
		return;
	}
	kw->off[kw->n++] = kw->text.len;
	share_buf_add(&kw->text, w, len);
	share_buf_add(&kw->text, "", 1);	/* keeps the NUL */
}

/*
 * The FTS5 expression for the keywords, joined by AND: each a quoted
 * string (so no operator, column filter or bareword rule applies to it),
 * a plain term (the index holds the prefixes), or a prefix query when it
 * is longer than the prefixes indexed.
 */
static void
share_expr(struct share *sh)
{
	struct share_buf	*e = &sh->expr;
	const char		*w, *q;
	size_t			 i;

	e->len = 0;
	for (i = 0; i < sh->kw.n; i++) {
		if (i > 0)
			share_buf_add(e, " AND ", 5);
		share_buf_add(e, "\"", 1);
		for (w = sh->kw.text.p + sh->kw.off[i];
		    (q = strchr(w, '"')) != NULL; w = q + 1) {
			share_buf_add(e, w, (size_t)(q - w) + 1);
			share_buf_add(e, "\"", 1);
		}
		share_buf_add(e, w, strlen(w));
		w = sh->kw.text.p + sh->kw.off[i];
		if (share_chars(w, strlen(w)) > SHARE_PREFIX_MAX)
			share_buf_add(e, "\"*", 2);
		else
			share_buf_add(e, "\"", 1);
	}
}

/* share_find without emptying the arena. */
static long
share_find_rows(struct share *sh, const char *words, size_t len,
    struct share_file *out, size_t max, const char **cause)
{
	sqlite3_stmt	*st;
	long		 n;

	sh->kw.n = 0;
	sh->kw.toomany = 0;
	sh->kw.text.len = 0;
	norm_words(words, len, share_kw_add, &sh->kw);
	if (sh->kw.toomany) {
		*cause = "too many keywords";
		return -1;
	}
	if (sh->kw.n == 0 || max == 0)
		return 0;
	share_expr(sh);
	if ((st = share_stmt(sh, ST_FIND)) == NULL) {
		*cause = "index unavailable";
		return -1;
	}
	sqlite3_bind_text(st, 1, sh->expr.p, (int)sh->expr.len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, max > INT64_MAX ? INT64_MAX : (int64_t)max);
	if ((n = share_rows(sh, st, out, max)) < 0)
		*cause = "search failed";
	return n;
}

/* Hashed files whose names hold every keyword, lowest ids first. */
long
share_find(struct share *sh, const char *words, size_t len,
    struct share_file *out, size_t max, const char **cause)
{
	const char	*dummy;

	share_arena_reset(sh);
	return share_find_rows(sh, words, len, out, max,
	    cause != NULL ? cause : &dummy);
}

/* Hashed files after after_id, in id order. */
long
share_list(struct share *sh, int64_t after_id, struct share_file *out,
    size_t max)
{
	sqlite3_stmt	*st;

	share_arena_reset(sh);
	if (max == 0)
		return 0;
	if ((st = share_stmt(sh, ST_LIST)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int64(st, 2, max > INT64_MAX ? INT64_MAX : (int64_t)max);
	return share_rows(sh, st, out, max);
}

/* Counts of rows, hashed rows and their bytes; the last complete scan. */
int
share_stats(struct share *sh, struct share_stats *s)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(s, 0, sizeof *s);
	if ((st = share_stmt(sh, ST_STATS)) == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		s->files = (uint64_t)sqlite3_column_int64(st, 0);
		s->hashed = (uint64_t)sqlite3_column_int64(st, 1);
		s->bytes = (uint64_t)sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		share_sqlerr(sh, "counting files");
		return -1;
	}
	s->generation = share_next_generation(sh) - 1;
	return 0;
}

/* Every hashed file's name, in id order. */
int
share_each_name(struct share *sh, void (*fn)(void *, const char *, size_t),
    void *arg)
{
	sqlite3_stmt	*st;
	const char	*name;
	int		 rc;

	if ((st = share_stmt(sh, ST_NAMES)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(st, 0);
		if (name != NULL)
			fn(arg, name, (size_t)sqlite3_column_bytes(st, 0));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		share_sqlerr(sh, "reading names");
		return -1;
	}
	return 0;
}

/* Add f to the hit records unless it is there already. */
static void
share_hit(const struct share_file *f, struct qhit_record *out, size_t *n)
{
	struct qhit_record	*r;
	size_t			 i;

	if (f->id <= 0 || f->id > UINT32_MAX)
		return;		/* no index a hit could carry */
	for (i = 0; i < *n; i++)
		if (out[i].index == (uint32_t)f->id)
			return;
	r = &out[(*n)++];
	memset(r, 0, sizeof *r);
	r->index = (uint32_t)f->id;
	r->size = f->size;
	r->name = f->name;
	r->namelen = strlen(f->name);
	memcpy(r->sha1, f->sha1, SHA1_LEN);
	memcpy(r->tth, f->tth, TTH_LEN);
	r->has_sha1 = f->has_sha1;
	r->has_tth = f->has_tth;
}

/*
 * Answer a query: the files of its SHA-1 URNs first (an exact answer to
 * what was asked), then those matching its keywords, without duplicates.
 * A text with too many keywords adds nothing, URNs still answer.
 */
size_t
share_match(struct share *sh, const struct query *q,
    struct qhit_record *out, size_t max)
{
	struct share_file	 f;
	const char		*cause;
	size_t			 n = 0, i;
	long			 k;

	share_arena_reset(sh);
	for (i = 0; i < q->nsha1 && i < QUERY_MAX_URNS && n < max; i++)
		if (share_sha1_row(sh, q->sha1[i], &f) == 1)
			share_hit(&f, out, &n);
	if (n == max || q->text == NULL || q->textlen == 0)
		return n;
	if (sh->tmpcap < max) {
		sh->tmp = xreallocarray(sh->tmp, max, sizeof *sh->tmp);
		sh->tmpcap = max;
	}
	/* Ask for max: a few may be URN hits already. */
	k = share_find_rows(sh, q->text, q->textlen, sh->tmp, max, &cause);
	for (i = 0; k > 0 && i < (size_t)k && n < max; i++)
		share_hit(&sh->tmp[i], out, &n);
	return n;
}
