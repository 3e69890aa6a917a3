/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * check_net.c: the network layer's suite; for now the results store, which
 * needs no sockets. Run one: CK_RUN_CASE=results tests/check_net.
 */
#include <check.h>
#include <stdlib.h>

TCase	*tc_results(void);

int
main(void)
{
	Suite	*s = suite_create("net");
	SRunner	*sr;
	int	 failed;

	suite_add_tcase(s, tc_results());
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
