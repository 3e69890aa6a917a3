/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * share_write.c: rows in and out of the index: put (insert or update, with
 * the name's words), touch, remove, and the sweep that ends a complete scan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "wire/norm.h"
#include "share/share_impl.h"

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
 * search in one segment of a million names takes a quarter less time. It
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

