/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_ratelimit.c: the log limiter: a burst per window, the count of what
 * it held back handed to the next line, a flush only once a window is
 * over, and a clock that goes back.
 */
#include "lib/ratelimit.h"
#include "wire/tc.h"

START_TEST(test_ratelimit_burst)
{
	struct ratelimit	 rl;
	uint64_t		 held = 99;
	int			 i, let = 0;

	ratelimit_init(&rl, 3, 1000);
	for (i = 0; i < 2000; i++)
		let += ratelimit_allow(&rl, 5000, &held);
	ck_assert_int_eq(let, 3);
	ck_assert_uint_eq(held, 0);
	ck_assert_uint_eq(rl.total_held, 1997);
	/* Still inside the window: held back, nothing to flush yet. */
	ck_assert_int_eq(ratelimit_allow(&rl, 5999, &held), 0);
	ck_assert_uint_eq(ratelimit_flush(&rl, 5999), 0);
	/* The next window: the first line says how many were left out. */
	ck_assert_int_eq(ratelimit_allow(&rl, 6000, &held), 1);
	ck_assert_uint_eq(held, 1998);
	ck_assert_int_eq(ratelimit_allow(&rl, 6001, &held), 1);
	ck_assert_uint_eq(held, 0);
}
END_TEST

START_TEST(test_ratelimit_flush)
{
	struct ratelimit	 rl;
	uint64_t		 held;
	int			 i;

	ratelimit_init(&rl, 2, 500);
	for (i = 0; i < 10; i++)
		(void)ratelimit_allow(&rl, 100, &held);
	ck_assert_uint_eq(ratelimit_flush(&rl, 599), 0);
	ck_assert_uint_eq(ratelimit_flush(&rl, 600), 8);
	ck_assert_uint_eq(ratelimit_flush(&rl, 700), 0);
	ck_assert_int_eq(ratelimit_allow(&rl, 700, &held), 1);
	ck_assert_uint_eq(held, 0);
}
END_TEST

START_TEST(test_ratelimit_clock)
{
	struct ratelimit	 rl;
	uint64_t		 held;

	/* Zero burst and window are taken as 1. */
	ratelimit_init(&rl, 0, 0);
	ck_assert_int_eq(ratelimit_allow(&rl, 10, &held), 1);
	ck_assert_int_eq(ratelimit_allow(&rl, 10, &held), 0);
	ck_assert_int_eq(ratelimit_allow(&rl, 11, &held), 1);
	ck_assert_uint_eq(held, 1);
	/* A clock that goes back starts a new window, never a stuck one. */
	ratelimit_init(&rl, 1, 1000);
	ck_assert_int_eq(ratelimit_allow(&rl, 50000, NULL), 1);
	ck_assert_int_eq(ratelimit_allow(&rl, 50001, NULL), 0);
	ck_assert_int_eq(ratelimit_allow(&rl, 100, &held), 1);
	ck_assert_uint_eq(held, 1);
}
END_TEST

TCase *
tc_ratelimit(void)
{
	TCase	*tc = tcase_create("ratelimit");

	tcase_add_test(tc, test_ratelimit_burst);
	tcase_add_test(tc, test_ratelimit_flush);
	tcase_add_test(tc, test_ratelimit_clock);
	return tc;
}
