/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * check_sim.c: the simulator's suite: topologies, workloads, and fixed-seed
 * runs of real nodes. Run one: CK_RUN_CASE=sim tests/check_sim.
 */
#include <check.h>
#include <stdlib.h>

TCase	*tc_topo(void);
TCase	*tc_workload(void);
TCase	*tc_sim(void);

int
main(void)
{
	Suite	*s = suite_create("sim");
	SRunner	*sr;
	int	 failed;

	suite_add_tcase(s, tc_topo());
	suite_add_tcase(s, tc_workload());
	suite_add_tcase(s, tc_sim());
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
