/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * check_share.c: the share suite: normalisation, the SQLite index and its
 * matching, hashing, the QRP table, the saved host cache, Tiger trees,
 * saved downloads, the saved servent GUID and the saved share directories.
 * Run one: CK_RUN_CASE=index tests/check_share.
 */
#include <check.h>
#include <stdlib.h>

TCase	*tc_norm(void);
TCase	*tc_index(void);
TCase	*tc_hash(void);
TCase	*tc_qrt(void);
TCase	*tc_hosts(void);
TCase	*tc_tt(void);
TCase	*tc_dl(void);
TCase	*tc_guid(void);
TCase	*tc_dirs(void);

int
main(void)
{
	Suite	*s = suite_create("share");
	SRunner	*sr;
	int	 failed;

	suite_add_tcase(s, tc_norm());
	suite_add_tcase(s, tc_index());
	suite_add_tcase(s, tc_hash());
	suite_add_tcase(s, tc_qrt());
	suite_add_tcase(s, tc_hosts());
	suite_add_tcase(s, tc_tt());
	suite_add_tcase(s, tc_dl());
	suite_add_tcase(s, tc_guid());
	suite_add_tcase(s, tc_dirs());
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
