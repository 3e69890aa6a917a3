/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_sim.c: fixed-seed properties of the simulator running real nodes.
 */
#include <check.h>
#include <string.h>

#include "sim/sim.h"

TCase	*tc_sim(void);

static void
conf(struct sim_conf *c, uint8_t max_ttl)
{
	memset(c, 0, sizeof *c);
	c->seed = 3;
	c->lat_min_ms = 10;
	c->lat_max_ms = 90;
	node_conf_default(&c->node);
	c->node.max_ttl = max_ttl;
	c->node.hosts_max = 0;
}

/* A flood with TTL >= the diameter reaches every node exactly once (each
 * keeps it once; copies over other paths are duplicates). */
START_TEST(test_sim_flood_reaches_all_once)
{
	struct topo		 t;
	struct sim_conf		 c;
	struct search_opts	 o;
	struct sim		*s;
	char			*cause = NULL;
	uint32_t		 i;

	ck_assert_int_eq(topo_grid(&t, 49, &cause), 0);	/* 7x7: diameter 12 */
	conf(&c, 12);
	s = sim_new(&t, NULL, &c);
	memset(&o, 0, sizeof o);
	o.strategy = "flood";
	o.ttl = 12;
	sim_add_query(s, 100, 0, 0, &o);
	sim_run(s);
	for (i = 1; i < t.n; i++)
		ck_assert_uint_eq(node_stats(sim_node(s, i))->queries_seen, 1);
	ck_assert_uint_eq(node_stats(sim_node(s, 0))->queries_seen, 0);
	sim_free(s);
	topo_free(&t);
}
END_TEST

/* One hop short of the diameter, the far corner is not reached. */
START_TEST(test_sim_flood_ttl_short)
{
	struct topo		 t;
	struct sim_conf		 c;
	struct search_opts	 o;
	struct sim		*s;
	char			*cause = NULL;

	ck_assert_int_eq(topo_grid(&t, 49, &cause), 0);
	conf(&c, 11);
	s = sim_new(&t, NULL, &c);
	memset(&o, 0, sizeof o);
	o.strategy = "flood";
	o.ttl = 11;
	sim_add_query(s, 100, 0, 0, &o);
	sim_run(s);
	ck_assert_uint_eq(node_stats(sim_node(s, 48))->queries_seen, 0);
	ck_assert_uint_eq(node_stats(sim_node(s, 47))->queries_seen, 1);
	sim_free(s);
	topo_free(&t);
}
END_TEST

/* Every replica answers a full flood, and the hits find their way home. */
START_TEST(test_sim_flood_finds_every_replica)
{
	struct topo		 t;
	struct zipf		 z;
	struct repl		 r;
	struct sim_conf		 c;
	struct search_opts	 o;
	struct rng		 rng;
	struct sim		*s;
	const struct sim_query	*q;
	char			*cause = NULL;
	uint32_t		 nq;

	rng_seed(&rng, 11);
	ck_assert_int_eq(topo_random(&t, 300, 5, &rng, &cause), 0);
	ck_assert_int_eq(zipf_init(&z, 4, 1.0), 0);
	ck_assert_int_eq(repl_place(&r, REPL_UNIFORM, 0.05, 4, t.n, &z, &rng,
	    &cause), 0);
	conf(&c, 14);
	s = sim_new(&t, &r, &c);
	memset(&o, 0, sizeof o);
	o.strategy = "flood";
	o.ttl = 14;
	sim_add_query(s, 100, r.node[r.off[2]] == 0 ? 1 : 0, 2, &o);
	sim_run(s);
	q = sim_queries(s, &nq);
	ck_assert_uint_eq(nq, 1);
	ck_assert_uint_eq(q[0].results, r.off[3] - r.off[2]);
	ck_assert_uint_ge(q[0].first_hops, 1);
	ck_assert_uint_gt(q[0].first_ms, 0);
	sim_free(s);
	repl_free(&r);
	zipf_free(&z);
	topo_free(&t);
}
END_TEST

/* A node that leaves takes its links; one that rejoins gets them back. */
START_TEST(test_sim_churn)
{
	struct topo		 t;
	struct sim_conf		 c;
	struct sim_totals	 tot;
	struct sim		*s;
	char			*cause = NULL;

	ck_assert_int_eq(topo_grid(&t, 9, &cause), 0);
	conf(&c, 4);
	s = sim_new(&t, NULL, &c);
	sim_add_churn(s, 4, 1000, 5000);
	ck_assert_uint_eq(node_peer_count(sim_node(s, 1)), 3);
	sim_run(s);
	sim_totals(s, &tot);
	ck_assert_uint_eq(tot.leaves, 1);
	ck_assert_uint_eq(tot.joins, 1);
	ck_assert_ptr_nonnull(sim_node(s, 4));
	ck_assert_uint_eq(node_peer_count(sim_node(s, 4)), 4);
	ck_assert_uint_eq(node_peer_count(sim_node(s, 1)), 3);
	sim_free(s);
	topo_free(&t);
}
END_TEST

TCase *
tc_sim(void)
{
	TCase	*tc = tcase_create("sim");

	tcase_add_test(tc, test_sim_flood_reaches_all_once);
	tcase_add_test(tc, test_sim_flood_ttl_short);
	tcase_add_test(tc, test_sim_flood_finds_every_replica);
	tcase_add_test(tc, test_sim_churn);
	return tc;
}
