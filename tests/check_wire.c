/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * check_wire.c: the wire suite. Each codec module contributes one TCase
 * (tests/wire/tc_<module>.c). Run one: CK_RUN_CASE=ggep tests/check_wire.
 */
#include <stdlib.h>

#include "wire/tc.h"

int
main(void)
{
	Suite	*s = suite_create("wire");
	SRunner	*sr;
	int	 failed;

	suite_add_tcase(s, tc_addr());
	suite_add_tcase(s, tc_base32());
	suite_add_tcase(s, tc_desc());
	suite_add_tcase(s, tc_ggep());
	suite_add_tcase(s, tc_hs());
	suite_add_tcase(s, tc_http());
	suite_add_tcase(s, tc_ping());
	suite_add_tcase(s, tc_bye());
	suite_add_tcase(s, tc_push());
	suite_add_tcase(s, tc_giv());
	suite_add_tcase(s, tc_huge());
	suite_add_tcase(s, tc_query());
	suite_add_tcase(s, tc_qhit());
	suite_add_tcase(s, tc_vmsg());
	suite_add_tcase(s, tc_qrp());
	suite_add_tcase(s, tc_thex());
	suite_add_tcase(s, tc_magnet());
	suite_add_tcase(s, tc_ratelimit());
	suite_add_tcase(s, tc_buf());
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
