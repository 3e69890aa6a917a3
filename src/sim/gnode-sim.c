/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * gnode-sim.c: main() of the simulator: build a topology, place replicas,
 * issue Zipf queries with a strategy, run real core nodes, print metrics.
 * Links only the core, wire and lib layers: no libev, no SQLite.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "sim/sim.h"

struct opts {
	const char	*topology;
	uint32_t	 nodes;
	double		 degree;
	double		 alpha;
	uint32_t	 objects;
	const char	*replication;
	uint32_t	 queries;
	double		 zipf;
	const char	*strategy;
	uint32_t	 walkers;
	uint32_t	 ttl;
	uint32_t	 check;
	uint32_t	 target;
	double		 churn;
	uint32_t	 interval;
	uint32_t	 lat_min;
	uint32_t	 lat_max;
	uint32_t	 seen_age;
	uint64_t	 seed;
	int		 json;
	int		 measure;
	double		 up_share;	/* two-tier */
	double		 up_degree;
	uint32_t	 leaf_ups;
};

/* What one run measured. */
struct run {
	struct sim_totals tot;
	uint32_t	 started;
	uint32_t	 found;
	double		 res_sum;
	double		 hops_sum;
	double		 time_sum;
	double		 bytes_per_node;
};

static void
usage(FILE *fp)
{
	fprintf(fp,
"usage: gnode-sim [options]\n"
"  --topology T      random | plrg | grid | two-tier | file:PATH   (plrg)\n"
"  --ultrapeers F    two-tier: share of nodes that are ultrapeers (0.1)\n"
"  --up-degree D     two-tier: ultrapeer mesh mean degree (30)\n"
"  --leaf-ups N      two-tier: ultrapeers each leaf links to (3)\n"
"  --nodes N         nodes (10000); ignored for file:\n"
"  --degree D        mean degree (4)\n"
"  --alpha A         plrg exponent (0.8)\n"
"  --objects N       distinct objects (100)\n"
"  --replication R   uniform:F | proportional:F | sqrt:F   (uniform:0.005)\n"
"  --queries N       queries issued (1000)\n"
"  --zipf S          query popularity exponent (0.8)\n"
"  --strategy S      flood | ring | walk | dq   (flood)\n"
"  --ttl N           flood TTL (7); ring/dq max TTL (7/4); walk steps (1024)\n"
"  --walkers K       walk: walkers per query (16)\n"
"  --check N         walk: check with the requester every N steps, 1-16 (4)\n"
"  --target N        results that are enough: ring/walk (1), dq (150)\n"
"  --churn F         fraction of nodes that leave and rejoin (0)\n"
"  --interval MS     virtual time between queries (1000)\n"
"  --latency A-B     link latency range in ms (20-200)\n"
"  --seen-age S      seconds a node remembers a message (120)\n"
"  --seed N          run seed (1)\n"
"  --json            print one JSON object\n"
"  --no-measure      leave out wall_s and rss_kib, so the same seed\n"
"                    prints the same bytes\n");
}

static int
parse_u32(const char *s, uint32_t *v)
{
	unsigned long	 x;
	char		*end;

	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || x > UINT32_MAX ||
	    s[0] == '-')
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static int
parse_double(const char *s, double *v)
{
	char	*end;

	errno = 0;
	*v = strtod(s, &end);
	return errno != 0 || *s == '\0' || *end != '\0' || !isfinite(*v) ? -1 : 0;
}

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
bad(const char *what, const char *arg)
{
	fprintf(stderr, "gnode-sim: bad %s: %s\n", what, arg);
	exit(2);
}

static void
parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "topology", required_argument, NULL, 'T' },
		{ "nodes", required_argument, NULL, 'n' },
		{ "degree", required_argument, NULL, 'd' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "objects", required_argument, NULL, 'o' },
		{ "replication", required_argument, NULL, 'r' },
		{ "queries", required_argument, NULL, 'q' },
		{ "zipf", required_argument, NULL, 'z' },
		{ "strategy", required_argument, NULL, 's' },
		{ "walkers", required_argument, NULL, 'k' },
		{ "ttl", required_argument, NULL, 't' },
		{ "check", required_argument, NULL, 'c' },
		{ "target", required_argument, NULL, 'g' },
		{ "churn", required_argument, NULL, 'C' },
		{ "interval", required_argument, NULL, 'i' },
		{ "latency", required_argument, NULL, 'l' },
		{ "seen-age", required_argument, NULL, 'A' },
		{ "seed", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "no-measure", no_argument, NULL, 'M' },
		{ "ultrapeers", required_argument, NULL, 'U' },
		{ "up-degree", required_argument, NULL, 'D' },
		{ "leaf-ups", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint32_t	 u;
	int		 ch;
	char		*dash;

	memset(o, 0, sizeof *o);
	o->topology = "plrg";
	o->nodes = 10000;
	o->degree = 4;
	o->alpha = 0.8;
	o->objects = 100;
	o->replication = "uniform:0.005";
	o->queries = 1000;
	o->zipf = 0.8;
	o->strategy = "flood";
	o->walkers = 16;
	o->check = 4;
	o->interval = 1000;
	o->lat_min = 20;
	o->lat_max = 200;
	o->seen_age = 120;
	o->seed = 1;
	o->measure = 1;
	o->up_share = 0.1;
	o->up_degree = 30;
	o->leaf_ups = 3;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'T': o->topology = optarg; break;
		case 'n': if (parse_u32(optarg, &o->nodes)) bad("--nodes", optarg); break;
		case 'd': if (parse_double(optarg, &o->degree)) bad("--degree", optarg); break;
		case 'a': if (parse_double(optarg, &o->alpha)) bad("--alpha", optarg); break;
		case 'o': if (parse_u32(optarg, &o->objects) || o->objects == 0) bad("--objects", optarg); break;
		case 'r': o->replication = optarg; break;
		case 'q': if (parse_u32(optarg, &o->queries)) bad("--queries", optarg); break;
		case 'z': if (parse_double(optarg, &o->zipf) || o->zipf < 0) bad("--zipf", optarg); break;
		case 's': o->strategy = optarg; break;
		case 'k': if (parse_u32(optarg, &o->walkers) || o->walkers == 0 || o->walkers > 255) bad("--walkers (1-255)", optarg); break;
		case 't': if (parse_u32(optarg, &o->ttl) || o->ttl == 0 || o->ttl > 65535) bad("--ttl", optarg); break;
		case 'c': if (parse_u32(optarg, &o->check) || o->check == 0 || o->check > 16) bad("--check (1-16)", optarg); break;
		case 'g': if (parse_u32(optarg, &o->target) || o->target == 0) bad("--target", optarg); break;
		case 'C': if (parse_double(optarg, &o->churn) || o->churn < 0 || o->churn > 1) bad("--churn (0-1)", optarg); break;
		case 'i': if (parse_u32(optarg, &o->interval) || o->interval == 0) bad("--interval", optarg); break;
		case 'l':
			if ((dash = strchr(optarg, '-')) == NULL)
				bad("--latency (A-B)", optarg);
			*dash = '\0';
			if (parse_u32(optarg, &o->lat_min) ||
			    parse_u32(dash + 1, &o->lat_max) ||
			    o->lat_max < o->lat_min || o->lat_min == 0)
				bad("--latency (A-B)", optarg);
			break;
		case 'A': if (parse_u32(optarg, &o->seen_age) || o->seen_age == 0) bad("--seen-age", optarg); break;
		case 'S': if (parse_u32(optarg, &u)) bad("--seed", optarg); o->seed = u; break;
		case 'U': if (parse_double(optarg, &o->up_share) || !(o->up_share > 0) || o->up_share > 1) bad("--ultrapeers (0-1]", optarg); break;
		case 'D': if (parse_double(optarg, &o->up_degree) || !(o->up_degree > 0)) bad("--up-degree", optarg); break;
		case 'L': if (parse_u32(optarg, &o->leaf_ups) || o->leaf_ups == 0 || o->leaf_ups > 64) bad("--leaf-ups (1-64)", optarg); break;
		case 'j': o->json = 1; break;
		case 'M': o->measure = 0; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "gnode-sim: unexpected argument: %s\n", argv[optind]);
		exit(2);
	}
	if (strcmp(o->strategy, "flood") != 0 && strcmp(o->strategy, "ring") != 0 &&
	    strcmp(o->strategy, "walk") != 0 && strcmp(o->strategy, "dq") != 0)
		bad("--strategy (flood, ring, walk, dq)", o->strategy);
	if (o->ttl == 0)
		o->ttl = strcmp(o->strategy, "walk") == 0 ? 1024 :
		    strcmp(o->strategy, "dq") == 0 ? 4 : 7;
	if (strcmp(o->strategy, "walk") != 0 && o->ttl > 14)
		bad("--ttl (1-14 for flood, ring, dq)", "");
	if (strcmp(o->strategy, "walk") == 0 && o->ttl > 1025)
		bad("--ttl (1-1025 steps for walk)", "");
	if (o->target == 0)
		o->target = strcmp(o->strategy, "dq") == 0 ? 150 : 1;
}

static int
build_topology(const struct opts *o, struct topo *t, struct rng *r,
    char **cause)
{
	if (strncmp(o->topology, "file:", 5) == 0)
		return topo_file(t, o->topology + 5, cause);
	if (strcmp(o->topology, "random") == 0)
		return topo_random(t, o->nodes, o->degree, r, cause);
	if (strcmp(o->topology, "plrg") == 0)
		return topo_plrg(t, o->nodes, o->degree, o->alpha, r, cause);
	if (strcmp(o->topology, "grid") == 0)
		return topo_grid(t, o->nodes, cause);
	if (strcmp(o->topology, "two-tier") == 0)
		return topo_two_tier(t, o->nodes, o->up_share, o->up_degree,
		    o->leaf_ups, r, cause);
	xasprintf(cause, "unknown topology %s (random, plrg, grid, two-tier, "
	    "file:PATH)",
	    o->topology);
	return -1;
}

/* Run the queries (and churn) on one overlay; the rngs are copies, so a
 * second overlay sees the same requesters, objects and churn. */
static void
run_one(const struct opts *o, const struct topo *t, const struct repl *rp,
    const struct zipf *z, struct rng rq, struct rng rchurn, struct run *res)
{
	struct sim_conf		 sc;
	struct search_opts	 so;
	struct sim		*s;
	const struct sim_query	*qs;
	uint8_t			*gone;
	uint32_t		 i, nq, who, churners;
	uint64_t		 at, phase;

	memset(res, 0, sizeof *res);
	memset(&sc, 0, sizeof sc);
	sc.seed = o->seed;
	sc.lat_min_ms = o->lat_min;
	sc.lat_max_ms = o->lat_max;
	node_conf_default(&sc.node);
	sc.node.seen_age_ms = o->seen_age * 1000;
	sc.node.seen_max = 1u << 16;
	sc.node.hosts_max = 0;		/* no dialer in the simulator */
	if (strcmp(o->strategy, "walk") != 0 && o->ttl > sc.node.max_ttl)
		sc.node.max_ttl = (uint8_t)o->ttl;
	sc.node.query_ttl = sc.node.max_ttl;
	s = sim_new(t, rp, &sc);
	res->bytes_per_node = (double)sim_bytes(s) / t->n;

	memset(&so, 0, sizeof so);
	so.strategy = o->strategy;
	so.ttl = (uint8_t)(strcmp(o->strategy, "walk") == 0 ? 4 : o->ttl);
	so.walk_ttl = (uint16_t)o->ttl;
	so.walkers = (uint16_t)o->walkers;
	so.check = (uint16_t)o->check;
	so.target = o->target;
	for (i = 0; i < o->queries; i++) {
		at = 1000 + (uint64_t)i * o->interval;
		who = (uint32_t)rng_below(&rq, t->n);
		sim_add_query(s, at, who, zipf_draw(z, &rq), &so);
	}
	phase = 1000 + (uint64_t)o->queries * o->interval;
	/* Distinct nodes leave at a random time in the query phase and come
	 * back, with fresh state, 30 to 120 s later. */
	churners = (uint32_t)llround(o->churn * t->n);
	gone = xcalloc(t->n, 1);
	for (i = 0; i < churners; i++) {
		do
			who = (uint32_t)rng_below(&rchurn, t->n);
		while (gone[who]);
		gone[who] = 1;
		at = rng_below(&rchurn, phase);
		sim_add_churn(s, who, at, at + 30000 + rng_below(&rchurn, 90000));
	}
	free(gone);
	sim_run(s);

	qs = sim_queries(s, &nq);
	for (i = 0; i < nq; i++) {
		if (!qs[i].started)
			continue;
		res->started++;
		res->res_sum += qs[i].results;
		if (qs[i].results == 0)
			continue;
		res->found++;
		res->hops_sum += qs[i].first_hops;
		res->time_sum += (double)qs[i].first_ms;
	}
	sim_totals(s, &res->tot);
	sim_free(s);
}

int
main(int argc, char **argv)
{
	struct opts		 o;
	struct topo		 t, flat;
	struct zipf		 z;
	struct repl		 rp;
	enum repl_kind		 rk;
	struct run		 r, rf;
	struct rng		 rng, rtopo, rrepl, rq, rchurn, rflat;
	struct rusage		 ru;
	char			*cause = NULL;
	double			 ratio, t0, wall;
	int			 two;

	parse(argc, argv, &o);
	log_init(stderr, LOG_LVL_WARN);
	t0 = now_s();
	rng_seed(&rng, o.seed);
	rng_split(&rng, &rtopo);
	rng_split(&rng, &rrepl);
	rng_split(&rng, &rq);
	rng_split(&rng, &rchurn);
	rng_split(&rng, &rflat);
	if (build_topology(&o, &t, &rtopo, &cause) != 0)
		fatalx("topology: %s", cause);
	two = t.leaf != NULL;
	if (repl_parse(o.replication, &rk, &ratio) != 0)
		fatalx("bad --replication %s (uniform:F, proportional:F, sqrt:F)",
		    o.replication);
	if (zipf_init(&z, o.objects, o.zipf) != 0)
		fatalx("bad --zipf");
	if (repl_place(&rp, rk, ratio, o.objects, t.n, &z, &rrepl, &cause) != 0)
		fatalx("replication: %s", cause);

	run_one(&o, &t, &rp, &z, rq, rchurn, &r);
	/* Two tiers are measured against the flat network of the same nodes
	 * (a plrg of --degree and --alpha), replicas, queries and churn. */
	memset(&rf, 0, sizeof rf);
	if (two) {
		if (topo_plrg(&flat, t.n, o.degree, o.alpha, &rflat, &cause) != 0)
			fatalx("flat topology: %s", cause);
		run_one(&o, &flat, &rp, &z, rq, rchurn, &rf);
		topo_free(&flat);
	}
	wall = now_s() - t0;
	getrusage(RUSAGE_SELF, &ru);

#define PER(a, b)	((b) > 0 ? (double)(a) / (double)(b) : 0.0)
	if (o.json) {
		printf("{\"topology\":\"%s\",\"strategy\":\"%s\",\"seed\":%llu,"
		    "\"nodes\":%u,\"edges\":%llu,\"joined_edges\":%u,"
		    "\"queries\":%u,\"queries_started\":%u,"
		    "\"success_rate\":%.4f,\"results_mean\":%.3f,"
		    "\"msgs_per_query\":%.2f,\"oob_per_query\":%.2f,"
		    "\"dup_ratio\":%.4f,\"hops_first_hit_mean\":%.3f,"
		    "\"time_first_hit_ms_mean\":%.1f,\"peak_node_msgs\":%u,"
		    "\"leaves\":%u,\"joins\":%u,\"events\":%llu,"
		    "\"bytes_per_node\":%.0f",
		    o.topology, o.strategy, (unsigned long long)o.seed, t.n,
		    (unsigned long long)t.m, t.linked, o.queries, r.started,
		    PER(r.found, r.started), PER(r.res_sum, r.started),
		    PER(r.tot.msgs, r.started), PER(r.tot.oob, r.started),
		    PER(r.tot.dups, r.tot.dups + r.tot.queries_seen),
		    PER(r.hops_sum, r.found), PER(r.time_sum, r.found),
		    r.tot.peak_node_rx, r.tot.leaves, r.tot.joins,
		    (unsigned long long)r.tot.events, r.bytes_per_node);
		if (two)
			printf(",\"ultrapeers\":%u,\"leaf_nodes\":%u,"
			    "\"leaf_msgs_per_query\":%.3f,\"msgs_per_leaf\":%.2f,"
			    "\"qrp_msgs\":%llu,\"flat_success_rate\":%.4f,"
			    "\"flat_results_mean\":%.3f,"
			    "\"flat_msgs_per_query\":%.2f,"
			    "\"flat_msgs_per_node_query\":%.4f",
			    t.ups, r.tot.leaf_nodes,
			    PER(r.tot.leaf_rx, r.started),
			    PER(r.tot.leaf_rx, r.tot.leaf_nodes),
			    (unsigned long long)r.tot.qrp_msgs,
			    PER(rf.found, rf.started), PER(rf.res_sum, rf.started),
			    PER(rf.tot.msgs, rf.started),
			    PER(PER(rf.tot.msgs, rf.started), t.n));
		if (o.measure)
			printf(",\"wall_s\":%.3f,\"rss_kib\":%ld", wall,
			    ru.ru_maxrss);
		printf("}\n");
	} else {
		printf("topology        %s, %u nodes, %llu edges (%u joined)\n",
		    o.topology, t.n, (unsigned long long)t.m, t.linked);
		printf("strategy        %s\n", o.strategy);
		printf("queries         %u (%u started)\n", o.queries, r.started);
		printf("success rate    %.4f\n", PER(r.found, r.started));
		printf("results/query   %.3f\n", PER(r.res_sum, r.started));
		printf("msgs/query      %.2f (%.2f out of band)\n",
		    PER(r.tot.msgs, r.started), PER(r.tot.oob, r.started));
		printf("dup ratio       %.4f\n",
		    PER(r.tot.dups, r.tot.dups + r.tot.queries_seen));
		printf("first hit       %.3f hops, %.1f ms\n",
		    PER(r.hops_sum, r.found), PER(r.time_sum, r.found));
		printf("peak node msgs  %u\n", r.tot.peak_node_rx);
		printf("churn           %u left, %u joined\n", r.tot.leaves,
		    r.tot.joins);
		printf("bytes/node      %.0f (idle)\n", r.bytes_per_node);
		if (two) {
			printf("tiers           %u ultrapeers, %u leaves, %llu "
			    "QRP messages\n", t.ups, r.tot.leaf_nodes,
			    (unsigned long long)r.tot.qrp_msgs);
			printf("leaf msgs       %.3f a query, %.2f a leaf\n",
			    PER(r.tot.leaf_rx, r.started),
			    PER(r.tot.leaf_rx, r.tot.leaf_nodes));
			printf("flat            success %.4f, results %.3f, "
			    "%.2f msgs/query\n", PER(rf.found, rf.started),
			    PER(rf.res_sum, rf.started),
			    PER(rf.tot.msgs, rf.started));
		}
		if (o.measure)
			printf("wall            %.3f s, rss %ld KiB\n", wall,
			    ru.ru_maxrss);
	}
	repl_free(&rp);
	zipf_free(&z);
	topo_free(&t);
	return 0;
}
