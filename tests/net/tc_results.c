/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_results.c: the results store: hits grouped by SHA-1 or by name and
 * size, every distinct source kept once, the bounds on sources, results
 * and searches (oldest forgotten), numbers unique across searches, and
 * hits for unknown searches ignored.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "net/results.h"

TCase	*tc_results(void);

static const uint8_t	 guid_a[16] = { 0xaa, 1, 2, 3 };

/* Offer one file to search id from ip:port; sha1 0 means no SHA-1, else
 * every byte of the SHA-1 is that value. */
static const struct result *
hit(struct results *rs, uint32_t id, uint32_t ip, uint16_t port,
    const char *name, uint64_t size, int sha1)
{
	struct qhit_record	 rec;
	struct node_result	 nr;
	static uint8_t		 guid[16];

	/* Each address its own servent: a firewalled source is its GUID. */
	memcpy(guid, guid_a, 16);
	memcpy(guid + 10, &port, 2);
	memcpy(guid + 12, &ip, 4);
	memset(&rec, 0, sizeof rec);
	rec.index = port + 1000;
	rec.size = size;
	rec.name = name;
	rec.namelen = strlen(name);
	if (sha1 != 0) {
		memset(rec.sha1, sha1, sizeof rec.sha1);
		rec.has_sha1 = 1;
	}
	memset(&nr, 0, sizeof nr);
	nr.search = id;
	nr.ip = ip;
	nr.port = port;
	nr.hops = 2;
	nr.status = QHIT_S_PUSH;
	nr.guid = guid;
	nr.rec = &rec;
	return results_add(rs, &nr);
}

START_TEST(test_results_sha1)
{
	struct results			*rs = results_new();
	const struct result_search	*s;
	const struct result		*a, *b, *c;

	results_search_add(rs, 1, "love song", "flood", 5000);
	a = hit(rs, 1, 0x0a000001, 6346, "Love Song.mp3", 4000000, 7);
	b = hit(rs, 1, 0x0a000002, 6347, "love_song (copy).mp3", 4000000, 7);
	c = hit(rs, 1, 0x0a000003, 6346, "Love Song.mp3", 4000000, 8);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_eq(a, b);
	ck_assert_ptr_ne(a, c);
	/* The first name seen stays; both sources are kept, in order. */
	ck_assert_str_eq(a->name, "Love Song.mp3");
	ck_assert(a->has_sha1);
	ck_assert_uint_eq(a->sha1[0], 7);
	ck_assert_uint_eq(a->size, 4000000);
	ck_assert_uint_eq(a->search, 1);
	ck_assert_uint_eq(a->nsrc, 2);
	ck_assert_uint_eq(a->src[0].ip, 0x0a000001);
	ck_assert_uint_eq(a->src[0].port, 6346);
	ck_assert_uint_eq(a->src[0].index, 6346 + 1000);
	ck_assert_uint_eq(a->src[0].hops, 2);
	ck_assert_uint_eq(a->src[0].status, QHIT_S_PUSH);
	ck_assert_mem_eq(a->src[0].guid, guid_a, 10);
	ck_assert_uint_eq(a->src[1].ip, 0x0a000002);
	ck_assert_uint_eq(a->src[1].port, 6347);
	s = results_search(rs, 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->text, "love song");
	ck_assert_str_eq(s->strategy, "flood");
	ck_assert_uint_eq(s->started_ms, 5000);
	ck_assert_uint_eq(s->hits, 3);
	ck_assert_uint_eq(s->nres, 2);
	ck_assert_ptr_eq(s->res[0], a);
	ck_assert_ptr_eq(s->res[1], c);
	results_free(rs);
}
END_TEST

START_TEST(test_results_name_size)
{
	struct results		*rs = results_new();
	const struct result	*a, *b, *c, *d, *e;

	results_search_add(rs, 1, "x", "dq", 0);
	a = hit(rs, 1, 1, 1, "x.txt", 10, 0);
	b = hit(rs, 1, 2, 2, "x.txt", 10, 0);
	c = hit(rs, 1, 3, 3, "x.txt", 11, 0);	/* other size */
	d = hit(rs, 1, 4, 4, "X.txt", 10, 0);	/* other name */
	e = hit(rs, 1, 5, 5, "x.txt", 10, 9);	/* has a SHA-1 */
	ck_assert_ptr_eq(a, b);
	ck_assert(!a->has_sha1);
	ck_assert_uint_eq(a->nsrc, 2);
	ck_assert_ptr_ne(c, a);
	ck_assert_ptr_ne(d, a);
	ck_assert_ptr_ne(e, a);
	ck_assert_uint_eq(results_search(rs, 1)->nres, 4);
	/* And a hit without SHA-1 does not join the one with it. */
	ck_assert_ptr_eq(hit(rs, 1, 6, 6, "x.txt", 10, 0), a);
	ck_assert_uint_eq(e->nsrc, 1);
	results_free(rs);
}
END_TEST

START_TEST(test_results_same_source)
{
	struct results		*rs = results_new();
	const struct result	*a;

	results_search_add(rs, 1, "x", "flood", 0);
	a = hit(rs, 1, 0x7f000001, 6346, "a.bin", 1, 3);
	ck_assert_ptr_eq(hit(rs, 1, 0x7f000001, 6346, "a.bin", 1, 3), a);
	ck_assert_ptr_eq(hit(rs, 1, 0x7f000001, 6346, "b.bin", 1, 3), a);
	ck_assert_uint_eq(a->nsrc, 1);
	/* Same host, another port: another source. */
	ck_assert_ptr_eq(hit(rs, 1, 0x7f000001, 6347, "a.bin", 1, 3), a);
	ck_assert_uint_eq(a->nsrc, 2);
	ck_assert_uint_eq(results_search(rs, 1)->hits, 4);
	ck_assert_uint_eq(results_search(rs, 1)->nres, 1);
	results_free(rs);
}
END_TEST

/* Firewalled sources are told apart by servent GUID, not address: two
 * behind one NAT are two, one that moved is one (its latest proxies). */
START_TEST(test_results_push_guid)
{
	struct results		*rs = results_new();
	struct qhit_record	 rec;
	struct node_result	 nr;
	const struct result	*a;
	static const uint8_t	 g1[16] = { 1 }, g2[16] = { 2 };

	results_search_add(rs, 1, "x", "flood", 0);
	memset(&rec, 0, sizeof rec);
	rec.name = "a.bin";
	rec.namelen = 5;
	rec.size = 1;
	memset(rec.sha1, 5, sizeof rec.sha1);
	rec.has_sha1 = 1;
	memset(&nr, 0, sizeof nr);
	nr.search = 1;
	nr.ip = 0x0a000001;
	nr.port = 6346;
	nr.status = QHIT_S_PUSH;
	nr.rec = &rec;
	nr.guid = g1;
	a = results_add(rs, &nr);
	nr.guid = g2;
	ck_assert_ptr_eq(results_add(rs, &nr), a);
	ck_assert_uint_eq(a->nsrc, 2);
	nr.guid = g1;
	nr.ip = 0x0a000002;
	nr.npp = 1;
	nr.pp_ip[0] = 0x7f000002;
	nr.pp_port[0] = 6346;
	ck_assert_ptr_eq(results_add(rs, &nr), a);
	ck_assert_uint_eq(a->nsrc, 2);
	ck_assert_uint_eq(a->src[0].npp, 1);
	ck_assert_uint_eq(a->src[0].pp_ip[0], 0x7f000002);
	/* The same address without the push flag is a source of its own. */
	nr.status = 0;
	ck_assert_ptr_eq(results_add(rs, &nr), a);
	ck_assert_uint_eq(a->nsrc, 3);
	results_free(rs);
}
END_TEST

START_TEST(test_results_bound_sources)
{
	struct results		*rs = results_new();
	const struct result	*a = NULL;
	uint32_t		 i;

	results_search_add(rs, 1, "x", "flood", 0);
	for (i = 0; i < RESULTS_MAX_SOURCES + 10; i++) {
		a = hit(rs, 1, 0x0a000000 + i, 6346, "a.bin", 1, 3);
		ck_assert_ptr_nonnull(a);
	}
	ck_assert_uint_eq(a->nsrc, RESULTS_MAX_SOURCES);
	ck_assert_uint_eq(a->src[RESULTS_MAX_SOURCES - 1].ip,
	    0x0a000000 + RESULTS_MAX_SOURCES - 1);
	ck_assert_uint_eq(results_search(rs, 1)->hits, RESULTS_MAX_SOURCES + 10);
	results_free(rs);
}
END_TEST

START_TEST(test_results_bound_results)
{
	struct results			*rs = results_new();
	const struct result_search	*s;
	const struct result		*first;
	char				 name[32];
	uint32_t			 i;

	results_search_add(rs, 1, "x", "flood", 0);
	for (i = 0; i < RESULTS_MAX_PER_SEARCH; i++) {
		snprintf(name, sizeof name, "f%u", i);
		ck_assert_ptr_nonnull(hit(rs, 1, 1, 1, name, i, 0));
	}
	ck_assert_ptr_null(hit(rs, 1, 1, 1, "one more", 1, 0));
	ck_assert_ptr_null(hit(rs, 1, 1, 1, "one more", 1, 5));
	/* A file already held still gains sources. */
	first = hit(rs, 1, 2, 2, "f0", 0, 0);
	ck_assert_ptr_nonnull(first);
	ck_assert_uint_eq(first->nsrc, 2);
	s = results_search(rs, 1);
	ck_assert_uint_eq(s->nres, RESULTS_MAX_PER_SEARCH);
	ck_assert_uint_eq(s->hits, RESULTS_MAX_PER_SEARCH + 3);
	ck_assert_uint_eq(s->res[s->nres - 1]->number, RESULTS_MAX_PER_SEARCH);
	/* The dropped hits used no number. */
	results_search_add(rs, 2, "y", "flood", 0);
	ck_assert_uint_eq(hit(rs, 2, 1, 1, "y", 1, 0)->number,
	    RESULTS_MAX_PER_SEARCH + 1);
	results_free(rs);
}
END_TEST

START_TEST(test_results_numbers)
{
	struct results		*rs = results_new();
	const struct result	*r[5];
	uint32_t		 i;

	ck_assert_uint_eq(results_last(rs), 0);
	ck_assert_ptr_null(results_search_at(rs, 0));
	ck_assert_ptr_null(results_by_number(rs, 1));
	results_search_add(rs, 7, "a", "flood", 0);
	results_search_add(rs, 9, "b", "walk", 0);
	ck_assert_uint_eq(results_last(rs), 9);
	r[0] = hit(rs, 7, 1, 1, "a1", 1, 1);
	r[1] = hit(rs, 9, 1, 1, "b1", 1, 2);
	r[2] = hit(rs, 7, 1, 1, "a2", 1, 3);
	r[3] = hit(rs, 9, 1, 1, "b2", 1, 4);
	r[4] = hit(rs, 7, 2, 2, "a1 again", 1, 1);	/* joins r[0] */
	ck_assert_ptr_eq(r[4], r[0]);
	for (i = 0; i < 4; i++) {
		ck_assert_uint_eq(r[i]->number, i + 1);
		ck_assert_ptr_eq(results_by_number(rs, i + 1), r[i]);
	}
	ck_assert_uint_eq(r[1]->search, 9);
	ck_assert_uint_eq(r[2]->search, 7);
	ck_assert_ptr_null(results_by_number(rs, 0));
	ck_assert_ptr_null(results_by_number(rs, 5));
	ck_assert_uint_eq(results_search_at(rs, 0)->id, 7);
	ck_assert_uint_eq(results_search_at(rs, 1)->id, 9);
	ck_assert_ptr_null(results_search_at(rs, 2));
	results_free(rs);
}
END_TEST

START_TEST(test_results_unknown)
{
	struct results	*rs = results_new();

	ck_assert_ptr_null(hit(rs, 1, 1, 1, "a", 1, 1));
	results_search_add(rs, 1, "a", "flood", 0);
	ck_assert_ptr_null(hit(rs, 2, 1, 1, "a", 1, 1));
	ck_assert_ptr_null(results_search(rs, 2));
	ck_assert_uint_eq(hit(rs, 1, 1, 1, "a", 1, 1)->number, 1);
	ck_assert_uint_eq(results_search(rs, 1)->hits, 1);
	/* Adding a known id again changes nothing. */
	results_search_add(rs, 1, "other", "dq", 99);
	ck_assert_str_eq(results_search(rs, 1)->text, "a");
	ck_assert_uint_eq(results_search(rs, 1)->nres, 1);
	ck_assert_ptr_null(results_search_at(rs, 1));
	results_free(rs);
	results_free(NULL);
}
END_TEST

START_TEST(test_results_evict)
{
	struct results	*rs = results_new();
	char		 text[16];
	uint32_t	 id, n1;

	for (id = 1; id <= RESULTS_MAX_SEARCHES; id++) {
		snprintf(text, sizeof text, "s%u", id);
		results_search_add(rs, id, text, "ring", id);
	}
	n1 = hit(rs, 1, 1, 1, "from the first", 1, 0)->number;
	hit(rs, 2, 1, 1, "from the second", 1, 0);
	results_search_add(rs, 1000, "newest", "flood", 1000);
	ck_assert_ptr_null(results_search(rs, 1));
	ck_assert_ptr_null(results_by_number(rs, n1));
	ck_assert_ptr_null(hit(rs, 1, 1, 1, "late", 1, 0));
	ck_assert_uint_eq(results_search_at(rs, 0)->id, 2);
	ck_assert_str_eq(results_search_at(rs, 0)->text, "s2");
	ck_assert_uint_eq(results_search_at(rs, RESULTS_MAX_SEARCHES - 1)->id,
	    1000);
	ck_assert_ptr_null(results_search_at(rs, RESULTS_MAX_SEARCHES));
	ck_assert_uint_eq(results_last(rs), 1000);
	ck_assert_str_eq(results_by_number(rs, n1 + 1)->name, "from the second");
	/* Numbers keep rising after an eviction. */
	ck_assert_uint_eq(hit(rs, 1000, 1, 1, "n", 1, 0)->number, n1 + 2);
	results_search_add(rs, 1001, "next", "flood", 1001);
	ck_assert_ptr_null(results_search(rs, 2));
	results_free(rs);
}
END_TEST

START_TEST(test_results_strings)
{
	struct results	*rs = results_new();
	char		 text[] = "borrowed";

	results_search_add(rs, 1, text, "a-long-strategy", 0);
	results_search_add(rs, 2, NULL, NULL, 0);
	text[0] = 'X';
	ck_assert_str_eq(results_search(rs, 1)->text, "borrowed");
	ck_assert_str_eq(results_search(rs, 1)->strategy, "a-long-");
	ck_assert_str_eq(results_search(rs, 2)->text, "");
	ck_assert_str_eq(results_search(rs, 2)->strategy, "");
	results_free(rs);
}
END_TEST

TCase *
tc_results(void)
{
	TCase	*tc = tcase_create("results");

	tcase_add_test(tc, test_results_sha1);
	tcase_add_test(tc, test_results_name_size);
	tcase_add_test(tc, test_results_same_source);
	tcase_add_test(tc, test_results_push_guid);
	tcase_add_test(tc, test_results_bound_sources);
	tcase_add_test(tc, test_results_bound_results);
	tcase_add_test(tc, test_results_numbers);
	tcase_add_test(tc, test_results_unknown);
	tcase_add_test(tc, test_results_evict);
	tcase_add_test(tc, test_results_strings);
	return tc;
}
