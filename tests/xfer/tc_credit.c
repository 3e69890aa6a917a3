/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_credit.c: the credit table: head starts for sharing and giving,
 * the slow decay of what was given, the bound on hosts, and a table
 * saved and brought back (its bytes go on decaying from when saved).
 */
#include <check.h>
#include <stdint.h>

#include "xfer/credit.h"

TCase	*tc_credit(void);

#define DAY	(24ull * 3600 * 1000)
#define MIB	(1024ull * 1024)

START_TEST(test_credit_head_start)
{
	struct credits	*c = credits_new();
	struct share_credit	 e;

	/* a stranger, a sharer, a giver, one that does both */
	ck_assert_uint_eq(credit_head_start(c, 0x0a000001, 0), 0);
	credit_shares(c, 0x0a000002, 40, 0);
	ck_assert_uint_eq(credit_head_start(c, 0x0a000002, 0), CREDIT_SHARE_S);
	credit_gave(c, 0x0a000003, MIB, 0);
	ck_assert_uint_eq(credit_head_start(c, 0x0a000003, 0), CREDIT_GAVE_S);
	credit_gave(c, 0x0a000002, 1024 * MIB, 0);
	ck_assert_uint_eq(credit_head_start(c, 0x0a000002, 0),
	    CREDIT_SHARE_S + CREDIT_GAVE_MAX_S);
	/* less than 1 MiB given is nothing yet; a pong of 0 files undoes
	 * the sharing */
	credit_gave(c, 0x0a000004, MIB - 1, 0);
	ck_assert_uint_eq(credit_head_start(c, 0x0a000004, 0), 0);
	credit_shares(c, 0x0a000002, 0, 0);
	ck_assert_uint_eq(credit_head_start(c, 0x0a000002, 0), CREDIT_GAVE_MAX_S);
	ck_assert(credit_get(c, 0x0a000002, 0, &e));
	ck_assert_uint_eq(e.bytes, 1024 * MIB);
	ck_assert(!credit_get(c, 0x0a000009, 0, &e));
	/* address 0 and 0 bytes are not kept */
	credit_gave(c, 0, MIB, 0);
	credit_gave(c, 0x0a000009, 0, 0);
	ck_assert(!credit_get(c, 0, 0, &e));
	ck_assert(!credit_get(c, 0x0a000009, 0, &e));
	credits_free(c);
}
END_TEST

START_TEST(test_credit_decay)
{
	struct credits	*c = credits_new();
	struct share_credit	 e;
	uint64_t	 half = (uint64_t)CREDIT_HALF_LIFE_S * 1000;

	credit_gave(c, 0x0a000001, 64 * MIB, 0);
	ck_assert(credit_get(c, 0x0a000001, half, &e));
	ck_assert_uint_eq(e.bytes, 32 * MIB);
	ck_assert(credit_get(c, 0x0a000001, half / 2, &e));
	ck_assert_uint_eq(e.bytes, 48 * MIB);
	ck_assert(credit_get(c, 0x0a000001, 3 * half, &e));
	ck_assert_uint_eq(e.bytes, 8 * MIB);
	/* a day takes little: slow */
	ck_assert(credit_get(c, 0x0a000001, DAY, &e));
	ck_assert_uint_gt(e.bytes, 59 * MIB);
	/* long enough, nothing left */
	ck_assert(credit_get(c, 0x0a000001, 100 * half, &e));
	ck_assert_uint_eq(e.bytes, 0);
	/* more given adds to what is left */
	credit_gave(c, 0x0a000001, 16 * MIB, half);
	ck_assert(credit_get(c, 0x0a000001, half, &e));
	ck_assert_uint_eq(e.bytes, 48 * MIB);
	credits_free(c);
}
END_TEST

START_TEST(test_credit_bound)
{
	struct credits	*c = credits_new();
	struct share_credit	 out[CREDIT_MAX + 8], e;
	uint32_t	 i;

	for (i = 1; i <= CREDIT_MAX + 5; i++)
		credit_gave(c, i, MIB, i);
	ck_assert_uint_eq(credits_export(c, 0, out, CREDIT_MAX + 8),
	    CREDIT_MAX);
	/* the first ones heard of went first */
	ck_assert(!credit_get(c, 1, CREDIT_MAX + 6, &e));
	ck_assert(credit_get(c, CREDIT_MAX + 5, CREDIT_MAX + 6, &e));
	credits_free(c);
}
END_TEST

START_TEST(test_credit_import)
{
	struct credits	*a = credits_new(), *b = credits_new();
	struct share_credit	 e[4], got;
	size_t		 n;

	credit_gave(a, 0x0a000001, 8 * MIB, 0);
	credit_shares(a, 0x0a000002, 3, 0);
	n = credits_export(a, 0, e, 4);
	ck_assert_uint_eq(n, 2);
	/* b knows 0x0a000002 already: its own word stands */
	credit_shares(b, 0x0a000002, 9, DAY);
	credits_import(b, e, n);
	ck_assert_int_eq(credit_get(b, 0x0a000001, 0, &got), 1);
	ck_assert(got.bytes == 8 * MIB);
	ck_assert_int_eq(credit_get(b, 0x0a000002, DAY, &got), 1);
	ck_assert_uint_eq(got.files, 9);
	/* a week on, what was given is half */
	ck_assert_int_eq(credit_get(b, 0x0a000001,
	    (uint64_t)CREDIT_HALF_LIFE_S * 1000, &got), 1);
	ck_assert(got.bytes == 4 * MIB);
	credits_free(a);
	credits_free(b);
}
END_TEST

TCase *
tc_credit(void)
{
	TCase	*tc = tcase_create("credit");

	tcase_add_test(tc, test_credit_head_start);
	tcase_add_test(tc, test_credit_decay);
	tcase_add_test(tc, test_credit_bound);
	tcase_add_test(tc, test_credit_import);
	return tc;
}
