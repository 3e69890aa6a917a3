/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * check_xfer.c: the transfer suite: the state of a swarming download and
 * the credit table, which need no sockets. Run one: CK_RUN_CASE=dl
 * tests/check_xfer.
 */
#include <check.h>
#include <stdlib.h>

TCase	*tc_dl(void);
TCase	*tc_credit(void);

int
main(void)
{
	Suite	*s = suite_create("xfer");
	SRunner	*sr;
	int	 failed;

	suite_add_tcase(s, tc_dl());
	suite_add_tcase(s, tc_credit());
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
