/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * share_dl.c: downloads saved in the "downloads" and "dl_sources" tables,
 * so a node that restarts picks its downloads up where they were. The
 * live state is in xfer/dl.c; this file only stores what it exports: the
 * state's name, the chunk states as a blob, and each source's address,
 * file index and ban. A download's SHA-1 is unique: the same file is
 * never fetched twice at once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"
#include "share/share_impl.h"

/* One loaded download with copies of what its row held. */
struct share_dl_row {
	struct share_dl		 d;
	char			*name;
	char			*state;
	char			*path;
	uint8_t			*chunks;
	struct share_dl_source	*src;
	size_t			 nsrc;
};

/* Save a new download, or find the one with the same SHA-1. */
int
share_dl_add(struct share *sh, const struct share_dl *d, int64_t now,
    int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = share_stmt(sh, ST_DL_ADD)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, d->sha1, SHA1_LEN, SQLITE_STATIC);
	if (d->has_tth)
		sqlite3_bind_blob(st, 2, d->tth, TTH_LEN, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->name != NULL ? d->name : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)d->size);
	sqlite3_bind_text(st, 5, d->state != NULL ? d->state : "queued", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)d->chunk_size);
	if (d->chunks != NULL && d->chunks_len > 0 &&
	    d->chunks_len <= INT32_MAX)
		sqlite3_bind_blob(st, 7, d->chunks, (int)d->chunks_len,
		    SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, now);
	if (share_done(sh, st) != 0)
		return -1;
	if (sqlite3_changes(sh->db) == 1) {
		*id = sqlite3_last_insert_rowid(sh->db);
		return 1;
	}

	/* Already there: say which row it is. */
	if ((st = share_stmt(sh, ST_DL_ID)) == NULL)
		return -1;
	sqlite3_bind_blob(st, 1, d->sha1, SHA1_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else
		share_sqlerr(sh, "finding a download");
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Save a download's state and chunk states. */
int
share_dl_save_progress(struct share *sh, int64_t id, const char *state,
    uint64_t chunk_size, const uint8_t *chunks, size_t len, int64_t now)
{
	sqlite3_stmt	*st;

	if (len > INT32_MAX)
		return -1;
	if ((st = share_stmt(sh, ST_DL_PROGRESS)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)chunk_size);
	if (chunks != NULL && len > 0)
		sqlite3_bind_blob(st, 4, chunks, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	if (share_done(sh, st) != 0)
		return -1;
	return sqlite3_changes(sh->db) == 1 ? 0 : -1;
}

/* Where a finished download was saved. */
int
share_dl_set_path(struct share *sh, int64_t id, const char *path)
{
	sqlite3_stmt	*st;

	if ((st = share_stmt(sh, ST_DL_PATH)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	if (share_done(sh, st) != 0)
		return -1;
	return sqlite3_changes(sh->db) == 1 ? 0 : -1;
}

/* Save or update one source of a download. */
int
share_dl_save_source(struct share *sh, int64_t id,
    const struct share_dl_source *s)
{
	sqlite3_stmt	*st;

	if ((st = share_stmt(sh, ST_DL_SOURCE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)s->ip);
	sqlite3_bind_int(st, 3, s->port);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)s->idx);
	sqlite3_bind_int(st, 5, s->banned != 0);
	return share_done(sh, st);
}

/* Copy the row under st into r; 0, or -1 if it is not a usable row. */
static int
share_dl_row(sqlite3_stmt *st, struct share_dl_row *r)
{
	const void	*p;
	size_t		 n;

	memset(r, 0, sizeof *r);
	p = sqlite3_column_blob(st, 1);
	if (p == NULL || sqlite3_column_bytes(st, 1) != SHA1_LEN)
		return -1;
	r->d.id = sqlite3_column_int64(st, 0);
	memcpy(r->d.sha1, p, SHA1_LEN);
	p = sqlite3_column_blob(st, 2);
	if (p != NULL && sqlite3_column_bytes(st, 2) == TTH_LEN) {
		memcpy(r->d.tth, p, TTH_LEN);
		r->d.has_tth = 1;
	}
	p = sqlite3_column_text(st, 3);
	r->name = xstrndup(p != NULL ? p : "",
	    (size_t)sqlite3_column_bytes(st, 3));
	r->d.size = (uint64_t)sqlite3_column_int64(st, 4);
	p = sqlite3_column_text(st, 5);
	r->state = xstrndup(p != NULL ? p : "",
	    (size_t)sqlite3_column_bytes(st, 5));
	r->d.chunk_size = (uint64_t)sqlite3_column_int64(st, 6);
	p = sqlite3_column_blob(st, 7);
	n = (size_t)sqlite3_column_bytes(st, 7);
	if (p != NULL && n > 0) {
		r->chunks = xmalloc(n);
		memcpy(r->chunks, p, n);
		r->d.chunks_len = n;
	}
	r->d.created = sqlite3_column_int64(st, 8);
	r->d.updated = sqlite3_column_int64(st, 9);
	if ((p = sqlite3_column_text(st, 10)) != NULL)
		r->path = xstrndup(p, (size_t)sqlite3_column_bytes(st, 10));
	r->d.path = r->path;
	r->d.name = r->name;
	r->d.state = r->state;
	r->d.chunks = r->chunks;
	return 0;
}

/* The sources of r's download. 0 or -1. */
static int
share_dl_sources(struct share *sh, struct share_dl_row *r)
{
	sqlite3_stmt		*st;
	struct share_dl_source	*s;
	sqlite3_int64		 idx;
	size_t			 cap = 0;
	int			 rc;

	if ((st = share_stmt(sh, ST_DL_SOURCES)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, r->d.id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->nsrc == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			r->src = xreallocarray(r->src, cap, sizeof *r->src);
		}
		s = &r->src[r->nsrc++];
		s->ip = (uint32_t)sqlite3_column_int64(st, 0);
		s->port = (uint16_t)sqlite3_column_int(st, 1);
		idx = sqlite3_column_int64(st, 2);
		s->idx = idx < 0 || idx > UINT32_MAX ? 0 : (uint32_t)idx;
		s->banned = sqlite3_column_int(st, 3) != 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		share_sqlerr(sh, "reading download sources");
		return -1;
	}
	return 0;
}

static void
share_dl_rows_free(struct share_dl_row *rows, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(rows[i].name);
		free(rows[i].state);
		free(rows[i].path);
		free(rows[i].chunks);
		free(rows[i].src);
	}
	free(rows);
}

/*
 * Every saved download with its sources. All rows are read before the
 * first callback, so fn may write to the share (remove a download, save
 * its progress) without disturbing the reading.
 */
long
share_dl_load_all(struct share *sh, void (*fn)(void *,
    const struct share_dl *, const struct share_dl_source *, size_t),
    void *arg)
{
	sqlite3_stmt		*st;
	struct share_dl_row	*rows = NULL;
	size_t			 n = 0, cap = 0, i;
	int			 rc;

	if ((st = share_stmt(sh, ST_DL_LOAD)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			rows = xreallocarray(rows, cap, sizeof *rows);
		}
		if (share_dl_row(st, &rows[n]) == 0)
			n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		share_sqlerr(sh, "reading downloads");
		share_dl_rows_free(rows, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (share_dl_sources(sh, &rows[i]) != 0) {
			share_dl_rows_free(rows, n);
			return -1;
		}
	}
	for (i = 0; i < n; i++)
		fn(arg, &rows[i].d, rows[i].src, rows[i].nsrc);
	share_dl_rows_free(rows, n);
	return (long)n;
}

/* Forget a download; its sources go with it (ON DELETE CASCADE). */
int
share_dl_remove(struct share *sh, int64_t id)
{
	sqlite3_stmt	*st;

	if ((st = share_stmt(sh, ST_DL_REMOVE)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return share_done(sh, st);
}
