/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_topo.c: the simulator's overlays. Generated graphs must be simple,
 * symmetric and connected, near the asked mean degree, and identical for
 * a seed; PLRG must have its heavy tail; the grid its exact shape; the
 * edge-list reader must take real crawl files and name the bad line.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/topo.h"

TCase	*tc_topo(void);

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * Simple and symmetric, checked without trusting the generator's sorting:
 * list every directed entry as the key (min, max); in a simple undirected
 * graph each key occurs exactly twice (a duplicate edge makes it 4).
 * Loops test with if and abort only on failure: every ck_assert records
 * a checkpoint, which is slow over hundreds of thousands of entries.
 */
static void
check_simple(const struct topo *t)
{
	uint64_t	*key, k, lo, hi;
	uint32_t	 i, j;

	ck_assert_uint_eq(t->off[0], 0);
	ck_assert_uint_eq(t->off[t->n], 2 * t->m);
	for (i = 0; i < t->n; i++) {
		if (t->off[i] > t->off[i + 1])
			ck_abort_msg("offsets decrease at %u", i);
	}
	if (t->m == 0)
		return;
	key = malloc((size_t)(2 * t->m) * sizeof *key);
	ck_assert_ptr_nonnull(key);
	for (i = 0; i < t->n; i++) {
		for (k = t->off[i]; k < t->off[i + 1]; k++) {
			j = t->adj[k];
			if (j >= t->n)
				ck_abort_msg("neighbour %u of %u out of range",
				    j, i);
			if (j == i)
				ck_abort_msg("self-loop at %u", i);
			lo = i < j ? i : j;
			hi = i < j ? j : i;
			key[k] = lo << 32 | hi;
		}
	}
	qsort(key, (size_t)(2 * t->m), sizeof *key, cmp_u64);
	for (k = 0; k < 2 * t->m; k += 2) {
		if (key[k] != key[k + 1])
			ck_abort_msg("edge %llx one-sided",
			    (unsigned long long)key[k]);
		if (k + 2 < 2 * t->m && key[k + 2] == key[k])
			ck_abort_msg("edge %llx duplicated",
			    (unsigned long long)key[k]);
	}
	free(key);
}

static int
same_topo(const struct topo *a, const struct topo *b)
{
	if (a->n != b->n || a->m != b->m || a->linked != b->linked)
		return 0;
	if (memcmp(a->off, b->off, ((size_t)a->n + 1) * sizeof *a->off) != 0)
		return 0;
	return memcmp(a->adj, b->adj, (size_t)(2 * a->m) * sizeof *a->adj) ==
	    0;
}

static double
mean_degree(const struct topo *t)
{
	return 2.0 * (double)t->m / t->n;
}

/* 0 random, 1 plrg; alpha only for plrg. */
static const struct {
	int		 plrg;
	uint32_t	 n;
	double		 degree;
	double		 alpha;
	uint64_t	 seed;
} gen_cases[] = {
	{ 0, 1000, 4, 0, 1 },
	{ 0, 5000, 6, 0, 7 },
	{ 0, 20000, 4, 0, 42 },
	{ 0, 3000, 2.5, 0, 99 },
	{ 1, 1000, 4, 0.8, 1 },
	{ 1, 10000, 4, 0.8, 3 },
	{ 1, 5000, 3, 0.5, 11 },
	{ 1, 20000, 6, 0.8, 42 },
};

static int
gen(struct topo *t, int i, uint64_t seed)
{
	struct rng	 r;
	char		*cause = NULL;
	int		 rc;

	rng_seed(&r, seed);
	if (gen_cases[i].plrg)
		rc = topo_plrg(t, gen_cases[i].n, gen_cases[i].degree,
		    gen_cases[i].alpha, &r, &cause);
	else
		rc = topo_random(t, gen_cases[i].n, gen_cases[i].degree, &r,
		    &cause);
	ck_assert_msg(rc == 0, "case %d: %s", i, cause);
	return rc;
}

START_TEST(test_topo_generated)
{
	struct topo	 a, b, c;
	double		 mean, want, tol;

	gen(&a, _i, gen_cases[_i].seed);
	ck_assert_uint_eq(a.n, gen_cases[_i].n);
	check_simple(&a);
	ck_assert_uint_eq(topo_components(&a), 1);

	mean = mean_degree(&a);
	want = gen_cases[_i].degree;
	tol = gen_cases[_i].plrg ? 0.15 : 0.10;
	ck_assert_msg(mean > want * (1 - tol) && mean < want * (1 + tol),
	    "case %d: mean degree %.3f, want %.1f", _i, mean, want);

	gen(&b, _i, gen_cases[_i].seed);
	ck_assert_msg(same_topo(&a, &b), "case %d: same seed differs", _i);
	gen(&c, _i, gen_cases[_i].seed + 1);
	ck_assert_msg(!same_topo(&a, &c), "case %d: seeds agree", _i);

	topo_free(&a);
	topo_free(&b);
	topo_free(&c);
}
END_TEST

/* Far below the connectivity threshold: joining must do real work. */
START_TEST(test_topo_random_joins)
{
	struct topo	 t;
	struct rng	 r;
	char		*cause = NULL;
	uint32_t	*dist;

	rng_seed(&r, 5);
	ck_assert_int_eq(topo_random(&t, 2000, 1.0, &r, &cause), 0);
	ck_assert_uint_gt(t.linked, 100);
	check_simple(&t);
	ck_assert_uint_eq(topo_components(&t), 1);
	dist = malloc(t.n * sizeof *dist);
	ck_assert_ptr_nonnull(dist);
	ck_assert_uint_eq(topo_bfs(&t, t.n - 1, dist), t.n);
	free(dist);
	topo_free(&t);
}
END_TEST

/* The same joining holds for a complete graph, where every gap is 0. */
START_TEST(test_topo_random_complete)
{
	struct topo	 t;
	struct rng	 r;
	char		*cause = NULL;
	uint32_t	 i;

	rng_seed(&r, 5);
	ck_assert_int_eq(topo_random(&t, 30, 29, &r, &cause), 0);
	ck_assert_uint_eq(t.m, 30 * 29 / 2);
	for (i = 0; i < t.n; i++)
		ck_assert_uint_eq(topo_degree(&t, i), 29);
	check_simple(&t);
	topo_free(&t);
}
END_TEST

START_TEST(test_topo_plrg_tail)
{
	struct topo	 t;
	struct rng	 r;
	char		*cause = NULL;
	uint32_t	*deg, i;

	rng_seed(&r, 17);
	ck_assert_int_eq(topo_plrg(&t, 10000, 4, 0.8, &r, &cause), 0);
	deg = malloc(t.n * sizeof *deg);
	ck_assert_ptr_nonnull(deg);
	for (i = 0; i < t.n; i++) {
		deg[i] = topo_degree(&t, i);
		if (deg[i] == 0)
			ck_abort_msg("node %u isolated", i);
	}
	/* Rank 0 wants the most stubs: it should be the hub. */
	ck_assert_uint_gt(deg[0], 200);
	qsort(deg, t.n, sizeof *deg, cmp_u32);
	ck_assert_uint_gt(deg[t.n - 1], 200);
	ck_assert_uint_le(deg[t.n / 2], 2);
	free(deg);
	topo_free(&t);
}
END_TEST

START_TEST(test_topo_grid_square)
{
	struct topo	 t;
	char		*cause = NULL;
	uint32_t	 dist[100], i;

	ck_assert_int_eq(topo_grid(&t, 100, &cause), 0);
	ck_assert_uint_eq(t.n, 100);
	ck_assert_uint_eq(t.m, 180);
	ck_assert_uint_eq(t.linked, 0);
	check_simple(&t);
	ck_assert_uint_eq(topo_degree(&t, 0), 2);
	ck_assert_uint_eq(topo_degree(&t, 9), 2);
	ck_assert_uint_eq(topo_degree(&t, 90), 2);
	ck_assert_uint_eq(topo_degree(&t, 99), 2);
	ck_assert_uint_eq(topo_degree(&t, 5), 3);
	ck_assert_uint_eq(topo_degree(&t, 55), 4);
	ck_assert_uint_eq(topo_bfs(&t, 0, dist), 100);
	ck_assert_uint_eq(dist[99], 18);
	/* No wrap: BFS distance is the Manhattan distance. */
	for (i = 0; i < 100; i++)
		ck_assert_uint_eq(dist[i], i / 10 + i % 10);
	ck_assert_uint_eq(topo_components(&t), 1);
	topo_free(&t);
}
END_TEST

/* Rows of ceil(sqrt(n)), the last one short. */
static const struct {
	uint32_t	 n;
	uint64_t	 m;
} grid_cases[] = {
	{ 2, 1 },		/* 2 columns, one row */
	{ 3, 2 },		/* 2 columns: a, b / c */
	{ 10, 13 },		/* 4 columns: 4, 4, 2 */
	{ 17, 25 },		/* 5 columns: 5, 5, 5, 2 */
	{ 99, 178 },		/* 10 columns, last row of 9 */
	{ 10001, 19801 },	/* 101 columns: 99 rows and 2 nodes */
};

START_TEST(test_topo_grid_ragged)
{
	struct topo	 t;
	char		*cause = NULL;
	uint32_t	*dist;

	ck_assert_int_eq(topo_grid(&t, grid_cases[_i].n, &cause), 0);
	ck_assert_uint_eq(t.n, grid_cases[_i].n);
	ck_assert_uint_eq(t.m, grid_cases[_i].m);
	check_simple(&t);
	ck_assert_uint_eq(topo_components(&t), 1);
	dist = malloc(t.n * sizeof *dist);
	ck_assert_ptr_nonnull(dist);
	ck_assert_uint_eq(topo_bfs(&t, t.n - 1, dist), t.n);
	free(dist);
	topo_free(&t);
}
END_TEST

/* Bad parameters: which generator, n, degree, alpha. */
static const struct {
	char		 gen;	/* r, p or g */
	uint32_t	 n;
	double		 degree;
	double		 alpha;
} bad_cases[] = {
	{ 'r', 0, 4, 0 },
	{ 'r', 1, 4, 0 },
	{ 'r', 100, 0, 0 },
	{ 'r', 100, -1, 0 },
	{ 'r', 100, 100, 0 },
	{ 'r', 100, 99.5, 0 },
	{ 'r', 100, NAN, 0 },
	{ 'p', 1, 4, 0.8 },
	{ 'p', 100, 0, 0.8 },
	{ 'p', 100, 100, 0.8 },
	{ 'p', 100, 4, 0 },
	{ 'p', 100, 4, -1 },
	{ 'p', 100, 4, 4.5 },
	{ 'p', 100, 4, NAN },
	{ 'g', 0, 0, 0 },
	{ 'g', 1, 0, 0 },
};

START_TEST(test_topo_bad_params)
{
	struct topo	 t;
	struct rng	 r;
	char		*cause = NULL;
	int		 rc;

	rng_seed(&r, 1);
	switch (bad_cases[_i].gen) {
	case 'r':
		rc = topo_random(&t, bad_cases[_i].n, bad_cases[_i].degree,
		    &r, &cause);
		break;
	case 'p':
		rc = topo_plrg(&t, bad_cases[_i].n, bad_cases[_i].degree,
		    bad_cases[_i].alpha, &r, &cause);
		break;
	default:
		rc = topo_grid(&t, bad_cases[_i].n, &cause);
		break;
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_ptr_null(t.off);
	topo_free(&t);
	free(cause);
}
END_TEST

/* Write text to a fresh temporary file; the caller unlinks it. */
static void
write_temp(char *path, size_t len, const char *text)
{
	FILE	*f;
	int	 fd;

	snprintf(path, len, "/tmp/gnode-topo-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	ck_assert_int_eq(fclose(f), 0);
}

/* Good files: n and m after renumbering and dropping loops/duplicates. */
static const struct {
	const char	*text;
	uint32_t	 n;
	uint64_t	 m;
	uint32_t	 comps;
} file_cases[] = {
	{ "0 1\n1 2\n", 3, 2, 1 },
	/* Comments, CRLF, blank lines, a trailing comment, a duplicate in
	 * both directions, a self-loop (its id still names a node). */
	{ "# a crawl\r\n1 2\r\n\r\n2 3 # trailing\r\n3 1\r\n2 1\r\n"
	  "1 2\r\n4 4\r\n", 4, 3, 2 },
	/* Tabs, leading and trailing blanks, no final newline. */
	{ "\t7\t8\n  8 \t 9  \n   \n9 7", 3, 3, 1 },
	/* Ids at the top of the range, and a comment with no blank. */
	{ "4000000000 7\n7 4294967295#x\n0 4294967295\n", 4, 3, 1 },
	/* Two separate pairs stay separate: files are not joined. */
	{ "1 2\n3 4\n", 4, 2, 2 },
	{ "0000 0001\n", 2, 1, 1 },
};

START_TEST(test_topo_file_good)
{
	struct topo	 t;
	char		 path[64], *cause = NULL;
	int		 rc;

	write_temp(path, sizeof path, file_cases[_i].text);
	rc = topo_file(&t, path, &cause);
	unlink(path);
	ck_assert_msg(rc == 0, "case %d: %s", _i, cause);
	ck_assert_uint_eq(t.n, file_cases[_i].n);
	ck_assert_uint_eq(t.m, file_cases[_i].m);
	ck_assert_uint_eq(t.linked, 0);
	check_simple(&t);
	ck_assert_uint_eq(topo_components(&t), file_cases[_i].comps);
	topo_free(&t);
}
END_TEST

/* Dense ids follow first appearance, whatever the raw values. */
START_TEST(test_topo_file_renumber)
{
	struct topo	 t;
	char		 path[64], *cause = NULL;
	uint32_t	 dist[4];

	write_temp(path, sizeof path,
	    "4000000000 7\n7 4294967295\n4294967295 12\n");
	ck_assert_int_eq(topo_file(&t, path, &cause), 0);
	unlink(path);
	/* 4000000000 -> 0, 7 -> 1, 4294967295 -> 2, 12 -> 3: a path. */
	ck_assert_uint_eq(t.n, 4);
	ck_assert_uint_eq(topo_degree(&t, 0), 1);
	ck_assert_uint_eq(t.adj[t.off[0]], 1);
	ck_assert_uint_eq(topo_degree(&t, 3), 1);
	ck_assert_uint_eq(t.adj[t.off[3]], 2);
	ck_assert_uint_eq(topo_bfs(&t, 0, dist), 4);
	ck_assert_uint_eq(dist[3], 3);
	topo_free(&t);
}
END_TEST

/* Bad files, and the line the message must name (0: no line). */
static const struct {
	const char	*text;
	unsigned	 line;
} bad_files[] = {
	{ "1\n", 1 },
	{ "1 2\na b\n", 2 },
	{ "1 2\n\n1 2 3\n", 3 },
	{ "-1 2\n", 1 },
	{ "1 -2\n", 1 },
	{ "# c\n1 2x\n", 2 },
	{ "1x 2\n", 1 },
	{ "1,2\n", 1 },
	{ "1 4294967296\n", 1 },
	{ "99999999999999999999999 1\n", 1 },
	{ "1 2\n2\r3\n", 2 },
	{ "", 0 },
	{ "# only a comment\n\n  \n", 0 },
	{ "5 5\n", 0 },		/* a node, but no edge */
};

START_TEST(test_topo_file_bad)
{
	struct topo	 t;
	char		 path[64], want[96], *cause = NULL;
	int		 rc;

	write_temp(path, sizeof path, bad_files[_i].text);
	rc = topo_file(&t, path, &cause);
	unlink(path);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_ptr_null(t.off);
	if (bad_files[_i].line != 0)
		snprintf(want, sizeof want, "%s:%u: ", path,
		    bad_files[_i].line);
	else
		snprintf(want, sizeof want, "%s: ", path);
	ck_assert_msg(strncmp(cause, want, strlen(want)) == 0,
	    "case %d: cause \"%s\", want prefix \"%s\"", _i, cause, want);
	free(cause);
}
END_TEST

START_TEST(test_topo_file_missing)
{
	struct topo	 t;
	char		*cause = NULL;

	ck_assert_int_eq(topo_file(&t, "/nonexistent/gnode-topo", &cause),
	    -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_ptr_nonnull(strstr(cause, "/nonexistent/gnode-topo"));
	free(cause);
}
END_TEST

/* Unreachable nodes keep UINT32_MAX; the count includes src. */
START_TEST(test_topo_bfs_unreachable)
{
	struct topo	 t;
	char		 path[64], *cause = NULL;
	uint32_t	 dist[5];

	write_temp(path, sizeof path, "0 1\n1 2\n3 4\n");
	ck_assert_int_eq(topo_file(&t, path, &cause), 0);
	unlink(path);
	ck_assert_uint_eq(topo_bfs(&t, 0, dist), 3);
	ck_assert_uint_eq(dist[0], 0);
	ck_assert_uint_eq(dist[2], 2);
	ck_assert_uint_eq(dist[3], UINT32_MAX);
	ck_assert_uint_eq(dist[4], UINT32_MAX);
	ck_assert_uint_eq(topo_bfs(&t, 4, dist), 2);
	ck_assert_uint_eq(topo_components(&t), 2);
	topo_free(&t);
	topo_free(NULL);
}
END_TEST

/* The topo test case. */
/* Two tiers: the ultrapeers first, in one connected mesh; each leaf has
 * exactly its N distinct ultrapeers and no other neighbour. */
START_TEST(test_topo_two_tier)
{
	struct topo	 t, mesh;
	struct rng	 r;
	char		*cause = NULL;
	uint32_t	 i, bad = 0, *dist, reached;
	uint64_t	 k;

	rng_seed(&r, 7);
	ck_assert_int_eq(topo_two_tier(&t, 3000, 0.1, 20, 3, &r, &cause), 0);
	check_simple(&t);
	ck_assert_uint_eq(t.ups, 300);
	ck_assert_ptr_nonnull(t.leaf);
	for (i = 0; i < t.n; i++) {
		if ((i < t.ups) != !t.leaf[i])
			bad++;
		if (!t.leaf[i])
			continue;
		if (topo_degree(&t, i) != 3)
			bad++;
		for (k = t.off[i]; k < t.off[i + 1]; k++)
			if (t.leaf[t.adj[k]])
				bad++;
	}
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(topo_components(&t), 1);
	/* The mesh alone is connected: every leaf is two hops from another
	 * through ultrapeers only. */
	dist = malloc(t.n * sizeof *dist);
	reached = topo_bfs(&t, 0, dist);
	ck_assert_uint_eq(reached, 3000);
	free(dist);
	topo_free(&t);
	ck_assert_int_ne(topo_two_tier(&mesh, 3000, 0, 20, 3, &r, &cause), 0);
	free(cause);
	cause = NULL;
	ck_assert_int_ne(topo_two_tier(&mesh, 3000, 0.1, 20, 0, &r, &cause), 0);
	free(cause);
}
END_TEST

TCase *
tc_topo(void)
{
	TCase	*tc = tcase_create("topo");

	/* Sanitizer builds are slow; the graphs are not small. */
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_topo_generated, 0,
	    sizeof gen_cases / sizeof gen_cases[0]);
	tcase_add_test(tc, test_topo_random_joins);
	tcase_add_test(tc, test_topo_random_complete);
	tcase_add_test(tc, test_topo_plrg_tail);
	tcase_add_test(tc, test_topo_grid_square);
	tcase_add_loop_test(tc, test_topo_grid_ragged, 0,
	    sizeof grid_cases / sizeof grid_cases[0]);
	tcase_add_loop_test(tc, test_topo_bad_params, 0,
	    sizeof bad_cases / sizeof bad_cases[0]);
	tcase_add_loop_test(tc, test_topo_file_good, 0,
	    sizeof file_cases / sizeof file_cases[0]);
	tcase_add_test(tc, test_topo_file_renumber);
	tcase_add_loop_test(tc, test_topo_file_bad, 0,
	    sizeof bad_files / sizeof bad_files[0]);
	tcase_add_test(tc, test_topo_file_missing);
	tcase_add_test(tc, test_topo_bfs_unreachable);
	tcase_add_test(tc, test_topo_two_tier);
	return tc;
}
