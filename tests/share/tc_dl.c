/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_dl.c: downloads saved in the index: every field of a row and its
 * sources round trip, a second download of the same SHA-1 is refused with
 * the first one's id, progress and sources update in place, a removal
 * takes the sources with it, and all of it survives closing a file
 * database (with a callback that removes rows while they are loaded).
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

TCase	*tc_dl(void);

#define DLT_ROWS	4
#define DLT_SRCS	8

/* A copy of what one callback was given. */
struct dlt_row {
	struct share_dl		 d;
	char			 name[64];
	char			 state[16];
	char			 path[64];
	uint8_t			 chunks[16];
	struct share_dl_source	 src[DLT_SRCS];
	size_t			 nsrc;
};

struct dlt_loaded {
	struct dlt_row		 row[DLT_ROWS];
	size_t			 n;
	struct share		*sh;	/* set: remove each row as it comes */
};

static void
dlt_cb(void *arg, const struct share_dl *d, const struct share_dl_source *s,
    size_t n)
{
	struct dlt_loaded	*l = arg;
	struct dlt_row		*r;

	ck_assert_uint_lt(l->n, DLT_ROWS);
	ck_assert_uint_le(n, DLT_SRCS);
	ck_assert_uint_le(d->chunks_len, sizeof r->chunks);
	r = &l->row[l->n++];
	r->d = *d;
	snprintf(r->name, sizeof r->name, "%s", d->name);
	snprintf(r->state, sizeof r->state, "%s", d->state);
	if (d->chunks_len > 0)
		memcpy(r->chunks, d->chunks, d->chunks_len);
	r->d.name = r->name;
	r->d.state = r->state;
	if (d->path != NULL) {
		snprintf(r->path, sizeof r->path, "%s", d->path);
		r->d.path = r->path;
	}
	r->d.chunks = d->chunks != NULL ? r->chunks : NULL;
	if (n > 0)
		memcpy(r->src, s, n * sizeof *s);
	r->nsrc = n;
	if (l->sh != NULL)
		ck_assert_int_eq(share_dl_remove(l->sh, d->id), 0);
}

static long
dlt_load(struct share *sh, struct dlt_loaded *l)
{
	memset(l, 0, sizeof *l);
	return share_dl_load_all(sh, dlt_cb, l);
}

static struct share *
dlt_open(const char *path)
{
	struct share	*sh;
	char		*cause = NULL;

	sh = share_open(path, &cause);
	ck_assert_msg(sh != NULL, "%s", cause);
	return sh;
}

static void
dlt_fill(struct share_dl *d, uint8_t seed, int tth)
{
	memset(d, 0, sizeof *d);
	memset(d->sha1, seed, sizeof d->sha1);
	if (tth) {
		memset(d->tth, seed + 1, sizeof d->tth);
		d->has_tth = 1;
	}
	d->name = "Some Album - 01 Track.ogg";
	d->size = 5 * 1024 * 1024 + 17;
	d->state = "queued";
}

static const struct share_dl_source dlt_a = { 0x0a000001, 6346, 3, 0 };
static const struct share_dl_source dlt_b = { 0xc0a80102, 6348, 0, 1 };

/* Two downloads with sources and progress, written and read back. */
static void
dlt_write(struct share *sh, int64_t *id1, int64_t *id2)
{
	struct share_dl		 d;
	struct share_dl_source	 a = dlt_a;
	static const uint8_t	 c2[3] = { 1, 2, 3 };
	static const uint8_t	 c1[2] = { 0xaa, 0x02 };
	int64_t			 id;

	dlt_fill(&d, 0x11, 1);
	ck_assert_int_eq(share_dl_add(sh, &d, 100, id1), 1);
	ck_assert_int_gt(*id1, 0);
	/* The same SHA-1 again: refused, the first row's id given back. */
	d.name = "another name";
	ck_assert_int_eq(share_dl_add(sh, &d, 101, &id), 0);
	ck_assert_int_eq(id, *id1);

	dlt_fill(&d, 0x22, 0);
	d.chunk_size = 262144;
	d.chunks = c2;
	d.chunks_len = sizeof c2;
	d.state = "paused";
	ck_assert_int_eq(share_dl_add(sh, &d, 150, id2), 1);
	ck_assert_int_ne(*id2, *id1);

	ck_assert_int_eq(share_dl_save_progress(sh, *id1, "active", 524288, c1,
	    sizeof c1, 200), 0);
	ck_assert_int_eq(share_dl_save_progress(sh, *id2 + 100, "active",
	    524288, c1, sizeof c1, 200), -1);
	a.idx = 1;
	ck_assert_int_eq(share_dl_save_source(sh, *id1, &a), 0);
	ck_assert_int_eq(share_dl_save_source(sh, *id1, &dlt_b), 0);
	/* Saved again: updated in place. */
	ck_assert_int_eq(share_dl_save_source(sh, *id1, &dlt_a), 0);
	/* No such download. */
	ck_assert_int_eq(share_dl_save_source(sh, *id2 + 100, &dlt_a), -1);
	ck_assert_int_eq(share_dl_set_path(sh, *id2, "/srv/dl/b.bin"), 0);
	ck_assert_int_eq(share_dl_set_path(sh, *id2 + 100, "/x"), -1);
}

static void
dlt_check(const struct dlt_loaded *l, int64_t id1, int64_t id2)
{
	const struct dlt_row	*r;
	uint8_t			 b[SHA1_LEN + TTH_LEN];

	ck_assert_uint_eq(l->n, 2);
	r = &l->row[0];
	ck_assert_int_eq(r->d.id, id1);
	memset(b, 0x11, sizeof b);
	ck_assert_mem_eq(r->d.sha1, b, SHA1_LEN);
	ck_assert_uint_eq(r->d.has_tth, 1);
	memset(b, 0x12, sizeof b);
	ck_assert_mem_eq(r->d.tth, b, TTH_LEN);
	ck_assert_str_eq(r->d.name, "Some Album - 01 Track.ogg");
	ck_assert_uint_eq(r->d.size, 5 * 1024 * 1024 + 17);
	ck_assert_str_eq(r->d.state, "active");
	ck_assert_uint_eq(r->d.chunk_size, 524288);
	ck_assert_uint_eq(r->d.chunks_len, 2);
	ck_assert_uint_eq(r->d.chunks[0], 0xaa);
	ck_assert_uint_eq(r->d.chunks[1], 0x02);
	ck_assert_int_eq(r->d.created, 100);
	ck_assert_int_eq(r->d.updated, 200);
	ck_assert_ptr_null(r->d.path);
	ck_assert_uint_eq(r->nsrc, 2);
	ck_assert_uint_eq(r->src[0].ip, dlt_a.ip);
	ck_assert_uint_eq(r->src[0].port, dlt_a.port);
	ck_assert_uint_eq(r->src[0].idx, dlt_a.idx);
	ck_assert_int_eq(r->src[0].banned, 0);
	ck_assert_uint_eq(r->src[1].ip, dlt_b.ip);
	ck_assert_uint_eq(r->src[1].port, dlt_b.port);
	ck_assert_uint_eq(r->src[1].idx, 0);
	ck_assert_int_eq(r->src[1].banned, 1);

	r = &l->row[1];
	ck_assert_int_eq(r->d.id, id2);
	ck_assert_uint_eq(r->d.has_tth, 0);
	ck_assert_str_eq(r->d.state, "paused");
	ck_assert_uint_eq(r->d.chunk_size, 262144);
	ck_assert_uint_eq(r->d.chunks_len, 3);
	ck_assert_uint_eq(r->d.chunks[2], 3);
	ck_assert_int_eq(r->d.created, 150);
	ck_assert_int_eq(r->d.updated, 150);
	ck_assert_str_eq(r->d.path, "/srv/dl/b.bin");
	ck_assert_uint_eq(r->nsrc, 0);
}

START_TEST(test_dl_round_trip)
{
	struct dlt_loaded	 l;
	struct share_dl		 d;
	struct share		*sh = dlt_open(":memory:");
	int64_t			 id1, id2, id3;

	ck_assert_int_eq(dlt_load(sh, &l), 0);
	ck_assert_uint_eq(l.n, 0);
	dlt_write(sh, &id1, &id2);
	ck_assert_int_eq(dlt_load(sh, &l), 2);
	dlt_check(&l, id1, id2);

	/* Removed, with its sources: the SHA-1 can be added afresh. */
	ck_assert_int_eq(share_dl_remove(sh, id1), 0);
	ck_assert_int_eq(share_dl_remove(sh, id1), 0);
	ck_assert_int_eq(dlt_load(sh, &l), 1);
	ck_assert_int_eq(l.row[0].d.id, id2);
	dlt_fill(&d, 0x11, 1);
	ck_assert_int_eq(share_dl_add(sh, &d, 300, &id3), 1);
	ck_assert_int_ne(id3, id1);
	ck_assert_int_eq(dlt_load(sh, &l), 2);
	ck_assert_int_eq(l.row[1].d.id, id3);
	ck_assert_uint_eq(l.row[1].nsrc, 0);
	ck_assert_ptr_null(l.row[1].d.chunks);
	ck_assert_str_eq(l.row[1].d.state, "queued");

	/* Inside a caller's group of writes. */
	ck_assert_int_eq(share_begin(sh), 0);
	ck_assert_int_eq(share_dl_save_source(sh, id3, &dlt_b), 0);
	ck_assert_int_eq(share_dl_save_progress(sh, id3, "done", 1, NULL, 0,
	    400), 0);
	ck_assert_int_eq(share_commit(sh), 0);
	ck_assert_int_eq(dlt_load(sh, &l), 2);
	ck_assert_uint_eq(l.row[1].nsrc, 1);
	ck_assert_str_eq(l.row[1].d.state, "done");
	ck_assert_uint_eq(l.row[1].d.chunks_len, 0);
	share_close(sh);
}
END_TEST

START_TEST(test_dl_reopen)
{
	struct dlt_loaded	 l;
	struct share		*sh;
	char			 dir[] = "/tmp/gnode-tc-dl.XXXXXX";
	char			 db[256];
	int64_t			 id1, id2;
	int			 i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/gnode.db", dir);
	sh = dlt_open(db);
	dlt_write(sh, &id1, &id2);
	share_close(sh);
	ck_assert_int_eq(tcdb_int(db, "PRAGMA user_version"), 8);

	/* Twice: opening again changes nothing. */
	for (i = 0; i < 2; i++) {
		sh = dlt_open(db);
		ck_assert_int_eq(dlt_load(sh, &l), 2);
		dlt_check(&l, id1, id2);
		share_close(sh);
	}
	ck_assert_int_eq(tcdb_int(db, "SELECT count(*) FROM dl_sources"), 2);

	/* A callback may remove what it is given. */
	sh = dlt_open(db);
	memset(&l, 0, sizeof l);
	l.sh = sh;
	ck_assert_int_eq(share_dl_load_all(sh, dlt_cb, &l), 2);
	dlt_check(&l, id1, id2);
	ck_assert_int_eq(dlt_load(sh, &l), 0);
	share_close(sh);
	ck_assert_int_eq(tcdb_int(db, "SELECT count(*) FROM downloads"), 0);
	ck_assert_int_eq(tcdb_int(db, "SELECT count(*) FROM dl_sources"), 0);

	tcdb_unlink(db);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

TCase *
tc_dl(void)
{
	TCase	*tc = tcase_create("dl");

	tcase_add_test(tc, test_dl_round_trip);
	tcase_add_test(tc, test_dl_reopen);
	return tc;
}
