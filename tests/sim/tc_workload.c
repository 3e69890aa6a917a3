/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_workload.c: Zipf popularity (exact probabilities, and draws that
 * follow them at a fixed seed) and replica placement (the counts each kind
 * promises, distinct in-range holders, the same placement for a seed).
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/workload.h"

TCase	*tc_workload(void);

START_TEST(test_zipf_uniform)
{
	struct zipf	 z;
	struct rng	 r;
	uint32_t	 count[10], i;

	ck_assert_int_eq(zipf_init(&z, 10, 0), 0);
	for (i = 0; i < 10; i++)
		ck_assert_double_eq_tol(zipf_prob(&z, i), 0.1, 1e-12);
	memset(count, 0, sizeof count);
	rng_seed(&r, 8);
	for (i = 0; i < 100000; i++)
		count[zipf_draw(&z, &r)]++;
	/* 10,000 expected, standard deviation under 100. */
	for (i = 0; i < 10; i++) {
		ck_assert_uint_gt(count[i], 9000);
		ck_assert_uint_lt(count[i], 11000);
	}
	zipf_free(&z);
}
END_TEST

static const double zipf_s[] = { 0.5, 0.8, 1.0, 1.2, 2.0 };

START_TEST(test_zipf_probs)
{
	struct zipf	 z;
	double		 s = zipf_s[_i], sum = 0, p, prev = 2;
	uint32_t	 i, n = 1000;

	ck_assert_int_eq(zipf_init(&z, n, s), 0);
	ck_assert_uint_eq(z.n, n);
	for (i = 0; i < n; i++) {
		p = zipf_prob(&z, i);
		if (!(p > 0 && p < prev))
			ck_abort_msg("s %g: p(%u) = %g after %g", s, i, p,
			    prev);
		sum += p;
		prev = p;
	}
	ck_assert_double_eq_tol(sum, 1, 1e-9);
	ck_assert_double_eq(z.cdf[n - 1], 1);
	/* P(i) proportional to 1 / (i + 1)^s. */
	ck_assert_double_eq_tol(zipf_prob(&z, 0) / zipf_prob(&z, 1),
	    pow(2, s), 1e-9);
	ck_assert_double_eq_tol(zipf_prob(&z, 9) / zipf_prob(&z, 99),
	    pow(10, s), 1e-6);
	ck_assert_double_eq(zipf_prob(&z, n), 0);
	zipf_free(&z);
}
END_TEST

/*
 * 100,000 draws: the standard deviation of the frequency of object 0 is
 * at most 0.0016 for these s, so 0.01 is over six deviations; at a fixed
 * seed the result is fixed anyway.
 */
START_TEST(test_zipf_draws)
{
	struct zipf	 z;
	struct rng	 r;
	double		 s = zipf_s[_i];
	uint32_t	 count[100], i, d;

	ck_assert_int_eq(zipf_init(&z, 100, s), 0);
	memset(count, 0, sizeof count);
	rng_seed(&r, 1234);
	for (i = 0; i < 100000; i++) {
		if ((d = zipf_draw(&z, &r)) >= 100)
			ck_abort_msg("draw %u out of range", d);
		count[d]++;
	}
	ck_assert_double_eq_tol(count[0] / 100000.0, zipf_prob(&z, 0), 0.01);
	ck_assert_double_eq_tol(count[1] / 100000.0, zipf_prob(&z, 1), 0.01);
	ck_assert_uint_gt(count[0], count[9]);
	zipf_free(&z);
}
END_TEST

START_TEST(test_zipf_edges)
{
	struct zipf	 z;
	struct rng	 r;
	int		 i;

	ck_assert_int_eq(zipf_init(&z, 0, 1), -1);
	ck_assert_int_eq(zipf_init(&z, 10, -0.1), -1);
	ck_assert_int_eq(zipf_init(&z, 10, NAN), -1);
	ck_assert_int_eq(zipf_init(&z, 10, INFINITY), -1);
	zipf_free(NULL);

	ck_assert_int_eq(zipf_init(&z, 1, 1), 0);
	ck_assert_double_eq(zipf_prob(&z, 0), 1);
	rng_seed(&r, 3);
	for (i = 0; i < 100; i++)
		ck_assert_uint_eq(zipf_draw(&z, &r), 0);
	zipf_free(&z);
	ck_assert_ptr_null(z.cdf);
}
END_TEST

static const struct {
	const char	*s;
	int		 rc;
	enum repl_kind	 kind;
	double		 ratio;
} parse_cases[] = {
	{ "uniform:0.005", 0, REPL_UNIFORM, 0.005 },
	{ "proportional:0.01", 0, REPL_PROPORTIONAL, 0.01 },
	{ "sqrt:0.01", 0, REPL_SQRT, 0.01 },
	{ "uniform:1", 0, REPL_UNIFORM, 1 },
	{ "uniform:1.0", 0, REPL_UNIFORM, 1 },
	{ "sqrt:.25", 0, REPL_SQRT, 0.25 },
	{ "sqrt:5e-3", 0, REPL_SQRT, 0.005 },
	{ "uniform:0.5E+0", 0, REPL_UNIFORM, 0.5 },
	{ NULL, -1, REPL_UNIFORM, 0 },
	{ "", -1, REPL_UNIFORM, 0 },
	{ "uniform", -1, REPL_UNIFORM, 0 },
	{ "uniform:", -1, REPL_UNIFORM, 0 },
	{ ":0.1", -1, REPL_UNIFORM, 0 },
	{ "uniform:0", -1, REPL_UNIFORM, 0 },
	{ "uniform:0.0", -1, REPL_UNIFORM, 0 },
	{ "uniform:-0.1", -1, REPL_UNIFORM, 0 },
	{ "uniform:1.5", -1, REPL_UNIFORM, 0 },
	{ "uniform:2e0", -1, REPL_UNIFORM, 0 },
	{ "uniform:abc", -1, REPL_UNIFORM, 0 },
	{ "uniform:0.1x", -1, REPL_UNIFORM, 0 },
	{ "uniform:.", -1, REPL_UNIFORM, 0 },
	{ "uniform:1e", -1, REPL_UNIFORM, 0 },
	{ "uniform: 0.1", -1, REPL_UNIFORM, 0 },
	{ "uniform:0.1 ", -1, REPL_UNIFORM, 0 },
	{ "uniform:nan", -1, REPL_UNIFORM, 0 },
	{ "uniform:inf", -1, REPL_UNIFORM, 0 },
	{ "uniform:0x0.1p0", -1, REPL_UNIFORM, 0 },
	{ "uniform:0.1:0.2", -1, REPL_UNIFORM, 0 },
	{ "uniformly:0.1", -1, REPL_UNIFORM, 0 },
	{ "unif:0.1", -1, REPL_UNIFORM, 0 },
	{ "Uniform:0.1", -1, REPL_UNIFORM, 0 },
	{ "zipf:0.1", -1, REPL_UNIFORM, 0 },
};

START_TEST(test_repl_parse)
{
	enum repl_kind	 kind = REPL_SQRT;
	double		 ratio = -1;
	int		 rc;

	rc = repl_parse(parse_cases[_i].s, &kind, &ratio);
	ck_assert_msg(rc == parse_cases[_i].rc, "case %d \"%s\": rc %d", _i,
	    parse_cases[_i].s ? parse_cases[_i].s : "(null)", rc);
	if (rc == 0) {
		ck_assert_int_eq(kind, parse_cases[_i].kind);
		/* Exact: the parse must give the nearest double. */
		ck_assert_double_eq(ratio, parse_cases[_i].ratio);
	}
}
END_TEST

/* Holders of each object distinct and in range, between 1 and nodes. */
static void
check_repl(const struct repl *rp, uint32_t objects, uint32_t nodes)
{
	uint8_t		*mark;
	uint64_t	 k;
	uint32_t	 o, v;

	ck_assert_uint_eq(rp->objects, objects);
	ck_assert_uint_eq(rp->nodes, nodes);
	ck_assert_uint_eq(rp->off[0], 0);
	mark = calloc(nodes, 1);
	ck_assert_ptr_nonnull(mark);
	/* if, not ck_assert, in the loops: each ck_assert is a checkpoint. */
	for (o = 0; o < objects; o++) {
		if (rp->off[o + 1] <= rp->off[o] ||
		    rp->off[o + 1] - rp->off[o] > nodes)
			ck_abort_msg("object %u: %llu replicas", o,
			    (unsigned long long)(rp->off[o + 1] - rp->off[o]));
		for (k = rp->off[o]; k < rp->off[o + 1]; k++) {
			v = rp->node[k];
			if (v >= nodes)
				ck_abort_msg("object %u on node %u", o, v);
			if (mark[v])
				ck_abort_msg("object %u on node %u twice", o,
				    v);
			mark[v] = 1;
		}
		for (k = rp->off[o]; k < rp->off[o + 1]; k++)
			mark[rp->node[k]] = 0;
	}
	free(mark);
}

static uint64_t
replicas(const struct repl *rp, uint32_t o)
{
	return rp->off[o + 1] - rp->off[o];
}

START_TEST(test_repl_uniform)
{
	struct repl	 rp;
	struct rng	 r;
	char		*cause = NULL;
	uint32_t	 o;

	rng_seed(&r, 21);
	ck_assert_int_eq(repl_place(&rp, REPL_UNIFORM, 0.005, 100, 10000, NULL,
	    &r, &cause), 0);
	check_repl(&rp, 100, 10000);
	for (o = 0; o < 100; o++)
		ck_assert_uint_eq(replicas(&rp, o), 50);
	repl_free(&rp);
	repl_free(NULL);
}
END_TEST

/*
 * With s = 1 over 100 objects p(0) is about 0.19: proportional gives
 * object 0 about 970 of the 5,000 replicas, sqrt about 270, uniform 50.
 */
START_TEST(test_repl_weighted)
{
	struct repl	 up, pp, sp;
	struct zipf	 z;
	struct rng	 r;
	char		*cause = NULL;
	uint64_t	 total;
	uint32_t	 o;

	ck_assert_int_eq(zipf_init(&z, 100, 1.0), 0);
	rng_seed(&r, 22);
	ck_assert_int_eq(repl_place(&up, REPL_UNIFORM, 0.005, 100, 10000, &z,
	    &r, &cause), 0);
	ck_assert_int_eq(repl_place(&pp, REPL_PROPORTIONAL, 0.005, 100, 10000,
	    &z, &r, &cause), 0);
	ck_assert_int_eq(repl_place(&sp, REPL_SQRT, 0.005, 100, 10000, &z,
	    &r, &cause), 0);
	check_repl(&pp, 100, 10000);
	check_repl(&sp, 100, 10000);

	ck_assert_uint_gt(replicas(&pp, 0), replicas(&pp, 99));
	ck_assert_uint_gt(replicas(&sp, 0), replicas(&sp, 99));
	ck_assert_uint_gt(replicas(&pp, 0), replicas(&sp, 0));
	ck_assert_uint_gt(replicas(&sp, 0), replicas(&up, 0));
	ck_assert_uint_gt(replicas(&sp, 99), replicas(&pp, 99));
	for (o = 0; o + 1 < 100; o++) {
		ck_assert_uint_ge(replicas(&pp, o), replicas(&pp, o + 1));
		ck_assert_uint_ge(replicas(&sp, o), replicas(&sp, o + 1));
	}
	/* round(total * p_0) exactly. */
	ck_assert_uint_eq(replicas(&pp, 0),
	    (uint64_t)floor(5000 * zipf_prob(&z, 0) + 0.5));
	/* Rounding and the floor of 1 move the total only a little. */
	total = pp.off[100];
	ck_assert_uint_gt(total, 4900);
	ck_assert_uint_lt(total, 5100);
	total = sp.off[100];
	ck_assert_uint_gt(total, 4900);
	ck_assert_uint_lt(total, 5100);

	repl_free(&up);
	repl_free(&pp);
	repl_free(&sp);
	zipf_free(&z);
}
END_TEST

/* Steep popularity on few nodes: the top objects are capped at nodes,
 * the tail raised to 1. */
START_TEST(test_repl_clamp)
{
	struct repl	 rp;
	struct zipf	 z;
	struct rng	 r;
	char		*cause = NULL;
	uint32_t	 o;

	ck_assert_int_eq(zipf_init(&z, 50, 2.0), 0);
	rng_seed(&r, 23);
	ck_assert_int_eq(repl_place(&rp, REPL_PROPORTIONAL, 0.5, 50, 10, &z,
	    &r, &cause), 0);
	check_repl(&rp, 50, 10);
	ck_assert_uint_eq(replicas(&rp, 0), 10);
	for (o = 0; o < 10; o++)
		ck_assert_uint_eq(rp.node[rp.off[0] + o], o);
	ck_assert_uint_eq(replicas(&rp, 49), 1);
	repl_free(&rp);

	/* A ratio so small it rounds to no replica still leaves one. */
	ck_assert_int_eq(repl_place(&rp, REPL_UNIFORM, 0.0001, 20, 100, NULL,
	    &r, &cause), 0);
	check_repl(&rp, 20, 100);
	for (o = 0; o < 20; o++)
		ck_assert_uint_eq(replicas(&rp, o), 1);
	repl_free(&rp);
	zipf_free(&z);
}
END_TEST

/* Dense (bitmap read-back) and sparse (sorted) placements, both seeds. */
static const struct {
	enum repl_kind	 kind;
	double		 ratio;
	uint32_t	 objects;
	uint32_t	 nodes;
} det_cases[] = {
	{ REPL_UNIFORM, 0.01, 100, 100000 },
	{ REPL_SQRT, 0.01, 100, 100000 },
	{ REPL_PROPORTIONAL, 0.001, 1000, 20000 },
	{ REPL_UNIFORM, 1, 5, 300 },
};

START_TEST(test_repl_deterministic)
{
	struct repl	 a, b, c;
	struct zipf	 z;
	struct rng	 r;
	char		*cause = NULL;
	uint32_t	 objects = det_cases[_i].objects;
	uint32_t	 nodes = det_cases[_i].nodes;
	size_t		 len;

	ck_assert_int_eq(zipf_init(&z, objects, 0.8), 0);
	rng_seed(&r, 77);
	ck_assert_int_eq(repl_place(&a, det_cases[_i].kind,
	    det_cases[_i].ratio, objects, nodes, &z, &r, &cause), 0);
	rng_seed(&r, 77);
	ck_assert_int_eq(repl_place(&b, det_cases[_i].kind,
	    det_cases[_i].ratio, objects, nodes, &z, &r, &cause), 0);
	rng_seed(&r, 78);
	ck_assert_int_eq(repl_place(&c, det_cases[_i].kind,
	    det_cases[_i].ratio, objects, nodes, &z, &r, &cause), 0);
	check_repl(&a, objects, nodes);

	len = (size_t)a.off[objects];
	ck_assert_mem_eq(a.off, b.off, ((size_t)objects + 1) * sizeof *a.off);
	ck_assert_mem_eq(a.node, b.node, len * sizeof *a.node);
	/* Counts depend only on the parameters; holders on the seed, except
	 * when every object is on every node. */
	ck_assert_mem_eq(a.off, c.off, ((size_t)objects + 1) * sizeof *a.off);
	if (det_cases[_i].ratio < 1)
		ck_assert_int_ne(memcmp(a.node, c.node, len * sizeof *a.node),
		    0);
	repl_free(&a);
	repl_free(&b);
	repl_free(&c);
	zipf_free(&z);
}
END_TEST

START_TEST(test_repl_bad)
{
	struct repl	 rp;
	struct zipf	 z;
	struct rng	 r;
	char		*cause;

	ck_assert_int_eq(zipf_init(&z, 10, 1), 0);
	rng_seed(&r, 1);
	cause = NULL;
	ck_assert_int_eq(repl_place(&rp, REPL_UNIFORM, 0.1, 0, 100, &z, &r,
	    &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(repl_place(&rp, REPL_UNIFORM, 0.1, 10, 0, &z, &r,
	    &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(repl_place(&rp, REPL_UNIFORM, 0, 10, 100, &z, &r,
	    &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(repl_place(&rp, REPL_UNIFORM, 1.01, 10, 100, &z, &r,
	    &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(repl_place(&rp, REPL_PROPORTIONAL, 0.1, 10, 100,
	    NULL, &r, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(repl_place(&rp, REPL_SQRT, 0.1, 11, 100, &z, &r,
	    &cause), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	ck_assert_ptr_null(rp.off);
	repl_free(&rp);
	zipf_free(&z);
}
END_TEST

/* The workload test case. */
TCase *
tc_workload(void)
{
	TCase	*tc = tcase_create("workload");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_zipf_uniform);
	tcase_add_loop_test(tc, test_zipf_probs, 0,
	    sizeof zipf_s / sizeof zipf_s[0]);
	tcase_add_loop_test(tc, test_zipf_draws, 0,
	    sizeof zipf_s / sizeof zipf_s[0]);
	tcase_add_test(tc, test_zipf_edges);
	tcase_add_loop_test(tc, test_repl_parse, 0,
	    sizeof parse_cases / sizeof parse_cases[0]);
	tcase_add_test(tc, test_repl_uniform);
	tcase_add_test(tc, test_repl_weighted);
	tcase_add_test(tc, test_repl_clamp);
	tcase_add_loop_test(tc, test_repl_deterministic, 0,
	    sizeof det_cases / sizeof det_cases[0]);
	tcase_add_test(tc, test_repl_bad);
	return tc;
}
