/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_seen.c: the duplicate filter and route table.
 */
#include <check.h>
#include <string.h>

#include "core/seen.h"
#include "lib/rng.h"
#include "wire/desc.h"

TCase	*tc_seen(void);

static void
g_of(uint32_t i, uint8_t *g)
{
	memset(g, 0, 16);
	memcpy(g, &i, sizeof i);
	g[8] = 0xff;
}

START_TEST(test_seen_drops_duplicate_once)
{
	struct seen		*s = seen_new(64, 60000);
	struct seen_entry	*e, *e2;
	uint8_t			 g[16];

	g_of(1, g);
	ck_assert_int_eq(seen_add(s, g, DESC_QUERY, 3, 0, &e), 1);
	ck_assert_uint_eq(e->peer, 3);
	ck_assert_int_eq(seen_add(s, g, DESC_QUERY, 5, 10, &e2), 0);
	ck_assert_ptr_eq(e, e2);
	ck_assert_uint_eq(e2->peer, 3);		/* the route keeps the first */
	/* Same GUID, another function: a different message. */
	ck_assert_int_eq(seen_add(s, g, DESC_PING, 5, 10, &e2), 1);
	ck_assert_uint_eq(seen_count(s), 2);
	ck_assert_ptr_nonnull(seen_find(s, g, DESC_QUERY, 20));
	seen_free(s);
}
END_TEST

START_TEST(test_seen_expires_by_age)
{
	struct seen		*s = seen_new(64, 10000);
	struct seen_entry	*e;
	uint8_t			 g[16];

	g_of(9, g);
	seen_add(s, g, DESC_QUERY, 1, 5000, &e);
	ck_assert_ptr_nonnull(seen_find(s, g, DESC_QUERY, 14000));
	ck_assert_ptr_null(seen_find(s, g, DESC_QUERY, 17000));
	seen_expire(s, 17000);
	ck_assert_uint_eq(seen_count(s), 0);
	/* Once gone it is new again. */
	ck_assert_int_eq(seen_add(s, g, DESC_QUERY, 2, 17000, &e), 1);
	seen_free(s);
}
END_TEST

/* A flood of fresh GUIDs: the table stays within its bound, keeps the
 * newest, and forgets the oldest. */
START_TEST(test_seen_bounded_under_flood)
{
	struct seen		*s = seen_new(1024, 3600000);
	struct seen_entry	*e;
	uint8_t			 g[16];
	size_t			 peak = 0;
	uint32_t		 i;

	for (i = 0; i < 100000; i++) {
		g_of(i, g);
		ck_assert_int_eq(seen_add(s, g, DESC_QUERY, i, 1000, &e), 1);
		ck_assert_uint_le(seen_count(s), 1024);
		if (seen_bytes(s) > peak)
			peak = seen_bytes(s);
	}
	ck_assert_uint_eq(seen_count(s), 1024);
	ck_assert_uint_lt(peak, 1024 * 64);
	g_of(99999, g);
	ck_assert_ptr_nonnull(seen_find(s, g, DESC_QUERY, 1000));
	g_of(100000 - 1024, g);
	ck_assert_ptr_nonnull(seen_find(s, g, DESC_QUERY, 1000));
	g_of(100000 - 1025, g);
	ck_assert_ptr_null(seen_find(s, g, DESC_QUERY, 1000));
	g_of(0, g);
	ck_assert_ptr_null(seen_find(s, g, DESC_QUERY, 1000));
	seen_free(s);
}
END_TEST

/* Random inserts and lookups against a brute-force model of "alive until
 * its age passes": the index's deletions (backward shift) and the ring's
 * growth never lose or invent an entry. */
START_TEST(test_seen_matches_model)
{
	static uint64_t		 born[4096];
	struct seen		*s = seen_new(8192, 50000);
	struct seen_entry	*e;
	struct rng		 r;
	uint8_t			 g[16];
	uint64_t		 now = 0;
	uint32_t		 i, k;
	int			 alive, added;

	rng_seed(&r, 7);
	memset(born, 0xff, sizeof born);
	for (i = 0; i < 40000; i++) {
		now += rng_below(&r, 40);
		k = (uint32_t)rng_below(&r, 4096);
		g_of(k, g);
		alive = born[k] != UINT64_MAX && now / 1000 <= born[k] / 1000 + 50;
		added = seen_add(s, g, DESC_QUERY, k, now, &e);
		ck_assert_int_eq(added, !alive);
		if (added)
			born[k] = now;
		if (i % 4000 == 3999) {
			for (k = 0; k < 4096; k++) {
				g_of(k, g);
				alive = born[k] != UINT64_MAX &&
				    now / 1000 <= born[k] / 1000 + 50;
				ck_assert_int_eq(seen_find(s, g, DESC_QUERY, now) !=
				    NULL, alive);
			}
		}
	}
	seen_free(s);
}
END_TEST

TCase *
tc_seen(void)
{
	TCase	*tc = tcase_create("seen");

	tcase_add_test(tc, test_seen_drops_duplicate_once);
	tcase_add_test(tc, test_seen_expires_by_age);
	tcase_add_test(tc, test_seen_bounded_under_flood);
	tcase_add_test(tc, test_seen_matches_model);
	return tc;
}
