/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_fwd.c: the forwarding strategies: walk, ring, dq.
 */
#include <check.h>
#include <string.h>

#include "core/harness.h"
#include "core/node_impl.h"

TCase	*tc_fwd(void);

static struct harness	 H;

static uint32_t
search_with(uint32_t from, const char *text, const struct search_opts *o)
{
	const char	*cause = NULL;
	uint32_t	 id = node_search(H.node[from], text, o, &cause);

	ck_assert_msg(id != 0, "search: %s", cause);
	return id;
}

/* Hand node a a walker from the tester with the given steps and check. */
static void
inject_walker(uint32_t a, uint32_t seq, uint16_t steps, uint8_t check)
{
	struct walk_info	 wi;
	struct query		 q;
	uint8_t			 base[64], payload[256], g[16];
	size_t			 len;

	len = h_query("walking", base, sizeof base);
	ck_assert_int_eq(query_decode(base, len, &q), WIRE_OK);
	memset(&wi, 0, sizeof wi);
	wi.steps_left = steps;
	wi.check = check;
	wi.ip = 0x7f0000feu;
	wi.port = 6346;
	len = walk_payload(&q, &wi, payload, sizeof payload);
	ck_assert_uint_gt(len, 0);
	memset(g, 0, sizeof g);
	memcpy(g, &seq, sizeof seq);
	h_inject(&H, a, DESC_QUERY, 1, 0, g, payload, len);
}

/* A walker never goes back the way it came while another way exists. */
START_TEST(test_walk_never_back)
{
	uint32_t	 i;

	h_init(&H, 3, NULL);
	h_link(&H, 0, 1);
	h_link(&H, 0, 2);
	h_link_tester(&H, 0);
	for (i = 0; i < 200; i++)
		inject_walker(0, i, 1, 16);
	ck_assert_uint_eq(h_count(&H, 0, H_TESTER, DESC_QUERY), 0);
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY) +
	    h_count(&H, 0, 2, DESC_QUERY), 200);
	/* Both other neighbours get walkers: the choice is random. */
	ck_assert_uint_gt(h_count(&H, 0, 1, DESC_QUERY), 50);
	ck_assert_uint_gt(h_count(&H, 0, 2, DESC_QUERY), 50);
	h_free(&H);
}
END_TEST

/* At a dead end the walker turns back; with no steps left it stops. */
START_TEST(test_walk_dead_end_and_steps)
{
	h_init(&H, 1, NULL);
	h_link_tester(&H, 0);
	inject_walker(0, 1, 3, 16);
	ck_assert_uint_eq(h_count(&H, 0, H_TESTER, DESC_QUERY), 1);
	inject_walker(0, 2, 0, 16);
	ck_assert_uint_eq(h_count(&H, 0, H_TESTER, DESC_QUERY), 1);
	/* A walker that asks for endless steps or never checks back is a
	 * peer's abuse: dropped, not relayed. */
	inject_walker(0, 3, 5000, 16);
	inject_walker(0, 4, 10, 0);
	inject_walker(0, 5, 10, 200);
	ck_assert_uint_eq(h_count(&H, 0, H_TESTER, DESC_QUERY), 1);
	h_free(&H);
}
END_TEST

/* Walkers on a ring find the file, check back with the requester by
 * out-of-band messages, and stop once it has its result. */
START_TEST(test_walk_finds_and_stops)
{
	struct search_opts	 o;
	uint32_t		 i;
	size_t			 queries;

	h_init(&H, 12, NULL);
	for (i = 0; i < 12; i++)
		h_link(&H, i, (i + 1) % 12);
	H.shares[6] = "needle";
	memset(&o, 0, sizeof o);
	o.strategy = "walk";
	o.walkers = 2;
	o.walk_ttl = 1000;
	o.check = 2;
	o.target = 1;
	search_with(0, "needle", &o);
	h_run(&H);
	ck_assert_uint_ge(H.results[0], 1);
	/* Hits came straight back, out of band. */
	ck_assert_uint_ge(h_count(&H, 6, 0, DESC_QHIT), 1);
	/* Checks went to the requester and answers came back. */
	ck_assert_uint_gt(h_count(&H, UINT32_MAX, 0, DESC_VENDOR), 0);
	ck_assert_uint_gt(h_count(&H, 0, UINT32_MAX, DESC_VENDOR), 0);
	/* Both walkers stopped long before their 1000 steps. */
	queries = h_count(&H, UINT32_MAX, UINT32_MAX, DESC_QUERY);
	ck_assert_uint_lt(queries, 400);
	ck_assert_int_eq(node_search_results(H.node[0], 1), (long)H.results[0]);
	h_free(&H);
}
END_TEST

/* An expanding ring widens TTL by one per step until the target. */
START_TEST(test_ring_expands_then_stops)
{
	struct search_opts	 o;
	struct node_conf	 c;
	uint32_t		 i, k;
	size_t			 j;
	int			 seen_ttl[8] = { 0 };

	node_conf_default(&c);
	c.max_ttl = 7;
	h_init(&H, 6, &c);
	for (i = 0; i + 1 < 6; i++)
		h_link(&H, i, i + 1);
	H.shares[3] = "needle";
	memset(&o, 0, sizeof o);
	o.strategy = "ring";
	o.ttl = 7;
	o.target = 1;
	search_with(0, "needle", &o);
	for (k = 0; k < 10; k++) {
		h_run(&H);
		H.now += 60000;
		node_tick(H.node[0]);
	}
	h_run(&H);
	for (j = 0; j < H.nlog; j++)
		if (H.log[j].from == 0 && H.log[j].d.func == DESC_QUERY)
			seen_ttl[H.log[j].d.ttl < 8 ? H.log[j].d.ttl : 0]++;
	ck_assert_int_eq(seen_ttl[1], 1);
	ck_assert_int_eq(seen_ttl[2], 1);
	ck_assert_int_eq(seen_ttl[3], 1);
	ck_assert_int_eq(seen_ttl[4], 0);	/* found at distance 3: stop */
	ck_assert_uint_eq(H.results[0], 1);
	/* Node 3 answered once though three rings passed node 1. */
	ck_assert_uint_eq(h_count(&H, 3, UINT32_MAX, DESC_QHIT), 1);
	h_free(&H);
}
END_TEST

/* Dynamic querying probes three neighbours, then one at a time, and stops
 * at the target. */
START_TEST(test_dq_probe_then_stop)
{
	struct search_opts	 o;
	uint32_t		 i, k;

	h_init(&H, 9, NULL);
	for (i = 1; i < 9; i++) {
		h_link(&H, 0, i);
		H.shares[i] = "needle";
	}
	memset(&o, 0, sizeof o);
	o.strategy = "dq";
	o.ttl = 4;
	o.target = 5;
	search_with(0, "needle", &o);
	ck_assert_uint_eq(h_count(&H, 0, UINT32_MAX, DESC_QUERY), 3);
	h_run(&H);
	ck_assert_uint_eq(H.results[0], 3);
	for (k = 0; k < 20; k++) {
		H.now += 30000;
		node_tick(H.node[0]);
		h_run(&H);
	}
	ck_assert_uint_eq(H.results[0], 5);
	ck_assert_uint_eq(h_count(&H, 0, UINT32_MAX, DESC_QUERY), 5);
	ck_assert(!node_search_active(H.node[0], 1));
	h_free(&H);
}
END_TEST

/* A repeat with a higher TTL is relayed only to peers that take
 * X-Ext-Probes; one that came by a shorter path only when the first copy
 * reached no one, and once per MUID; one the origin sent deeper always. */
START_TEST(test_deeper_repeat_bounded)
{
	struct node_conf	 c;
	struct peer_info	 pi;
	uint8_t			 g[16], g2[16], q[64];
	size_t			 len;

	node_conf_default(&c);
	c.max_ttl = 7;
	h_init(&H, 2, &c);
	h_link(&H, 0, 1);		/* node 1 says X-Ext-Probes */
	h_link_tester(&H, 0);
	memset(&pi, 0, sizeof pi);	/* peer 2000 does not */
	pi.ip = 0x7f0000fdu;
	pi.port = 6346;
	ck_assert_int_eq(node_peer_up(H.node[0], 2000, &pi), 0);
	len = h_query("anything", q, sizeof q);
	memset(g, 0x11, sizeof g);
	memset(g2, 0x22, sizeof g2);

	/* First copy by a long path, TTL 3: flooded to both. */
	h_inject(&H, 0, DESC_QUERY, 3, 4, g, q, len);
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY), 1);
	ck_assert_uint_eq(h_count(&H, 0, 2000, DESC_QUERY), 1);
	/* Then by a shorter path, TTL 5: the first already went on. */
	h_inject(&H, 0, DESC_QUERY, 5, 2, g, q, len);
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY), 1);

	/* First copy with TTL 1 reaches no one; a shorter-path copy then
	 * goes on, once, and not to the peer without X-Ext-Probes. */
	h_inject(&H, 0, DESC_QUERY, 1, 6, g2, q, len);
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY), 1);
	h_inject(&H, 0, DESC_QUERY, 4, 3, g2, q, len);
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY), 2);
	h_inject(&H, 0, DESC_QUERY, 6, 1, g2, q, len);
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY), 2);
	/* The origin probing deeper (hops + TTL 8) goes on again. */
	h_inject(&H, 0, DESC_QUERY, 7, 1, g2, q, len);
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY), 3);
	ck_assert_uint_eq(h_count(&H, 0, 2000, DESC_QUERY), 1);
	/* None of it is held against the tester. */
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), -1);
	h_free(&H);
}
END_TEST

START_TEST(test_search_rejects)
{
	struct search_opts	 o;
	const char		*cause = NULL;
	char			 big[400];

	h_init(&H, 1, NULL);
	memset(&o, 0, sizeof o);
	o.strategy = "teleport";
	ck_assert_uint_eq(node_search(H.node[0], "x", &o, &cause), 0);
	ck_assert_ptr_nonnull(cause);
	o.strategy = "flood";
	ck_assert_uint_eq(node_search(H.node[0], "", &o, &cause), 0);
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_uint_eq(node_search(H.node[0], big, &o, &cause), 0);
	h_free(&H);
}
END_TEST

TCase *
tc_fwd(void)
{
	TCase	*tc = tcase_create("fwd");

	tcase_add_test(tc, test_walk_never_back);
	tcase_add_test(tc, test_walk_dead_end_and_steps);
	tcase_add_test(tc, test_walk_finds_and_stops);
	tcase_add_test(tc, test_ring_expands_then_stops);
	tcase_add_test(tc, test_dq_probe_then_stop);
	tcase_add_test(tc, test_deeper_repeat_bounded);
	tcase_add_test(tc, test_search_rejects);
	return tc;
}
