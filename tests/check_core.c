/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * check_core.c: the routing core's suite: seen-table, routes, strategies
 * and misbehaving peers. Run one: CK_RUN_CASE=fwd tests/check_core.
 */
#include <check.h>
#include <stdlib.h>

TCase	*tc_seen(void);
TCase	*tc_route(void);
TCase	*tc_fwd(void);
TCase	*tc_bad(void);
TCase	*tc_hosts(void);
TCase	*tc_qrp(void);

int
main(void)
{
	Suite	*s = suite_create("core");
	SRunner	*sr;
	int	 failed;

	suite_add_tcase(s, tc_seen());
	suite_add_tcase(s, tc_route());
	suite_add_tcase(s, tc_fwd());
	suite_add_tcase(s, tc_bad());
	suite_add_tcase(s, tc_hosts());
	suite_add_tcase(s, tc_qrp());
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
