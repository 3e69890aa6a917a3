/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * share_find.c: searching the index: keywords to one FTS5 MATCH of quoted
 * terms, listing, counts, names for the QRP table, and share_match, which
 * answers the core's queries (keywords OR URNs).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "wire/norm.h"
#include "share/share_impl.h"

static void
share_kw_add(void *arg, const char *w, size_t len)
{
	struct share_kw	*kw = arg;
	size_t		 i;

	if (kw->toomany || norm_chars(w, len) < SHARE_MIN_KEYWORD)
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
		if (norm_chars(w, strlen(w)) > SHARE_PREFIX_MAX)
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

