/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_route.c: reverse-path routing and TTL/hops handling on small graphs.
 */
#include <check.h>
#include <string.h>

#include "core/harness.h"
#include "wire/ping.h"
#include "wire/push.h"
#include "wire/qhit.h"

TCase	*tc_route(void);

static struct harness	 H;

static void
line(uint32_t n)
{
	uint32_t	 i;

	h_init(&H, n, NULL);
	for (i = 0; i + 1 < n; i++)
		h_link(&H, i, i + 1);
}

static uint32_t
search(uint32_t from, const char *text, const char *strategy, uint8_t ttl)
{
	struct search_opts	 o;
	const char		*cause = NULL;
	uint32_t		 id;

	memset(&o, 0, sizeof o);
	o.strategy = strategy;
	o.ttl = ttl;
	id = node_search(H.node[from], text, &o, &cause);
	ck_assert_msg(id != 0, "search: %s", cause);
	return id;
}

/* A hit goes back along the exact reverse path, one message per hop. */
START_TEST(test_route_hit_reverse_path)
{
	line(4);
	H.shares[3] = "needle";
	search(0, "needle", "flood", 4);
	h_run(&H);
	ck_assert_uint_eq(H.results[0], 1);
	ck_assert_uint_eq(H.first_hops[0], 3);
	ck_assert_uint_eq(h_count(&H, 3, 2, DESC_QHIT), 1);
	ck_assert_uint_eq(h_count(&H, 2, 1, DESC_QHIT), 1);
	ck_assert_uint_eq(h_count(&H, 1, 0, DESC_QHIT), 1);
	ck_assert_uint_eq(h_count(&H, UINT32_MAX, UINT32_MAX, DESC_QHIT), 3);
	/* The query went out one way only, and never back. */
	ck_assert_uint_eq(h_count(&H, 1, 0, DESC_QUERY), 0);
	ck_assert_uint_eq(h_count(&H, 3, UINT32_MAX, DESC_QUERY), 0);
	h_free(&H);
}
END_TEST

/* TTL is decremented and hops incremented on each relay; TTL 1 stops. */
START_TEST(test_route_ttl_limits_reach)
{
	size_t	 i;

	line(4);
	H.shares[3] = "needle";
	search(0, "needle", "flood", 2);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY), 1);
	ck_assert_uint_eq(h_count(&H, 1, 2, DESC_QUERY), 1);
	ck_assert_uint_eq(h_count(&H, 2, 3, DESC_QUERY), 0);
	ck_assert_uint_eq(H.results[0], 0);
	for (i = 0; i < H.nlog; i++) {
		if (H.log[i].d.func != DESC_QUERY)
			continue;
		if (H.log[i].from == 0) {
			ck_assert_uint_eq(H.log[i].d.ttl, 2);
			ck_assert_uint_eq(H.log[i].d.hops, 0);
		} else {
			ck_assert_uint_eq(H.log[i].d.ttl, 1);
			ck_assert_uint_eq(H.log[i].d.hops, 1);
		}
	}
	h_free(&H);
}
END_TEST

/* A relayed TTL is clamped to our X-Max-TTL. */
START_TEST(test_route_ttl_clamped)
{
	uint8_t	 q[64], g[16];
	size_t	 len, i;

	line(2);
	h_link_tester(&H, 0);
	memset(g, 0x42, sizeof g);
	len = h_query("anything", q, sizeof q);
	h_inject(&H, 0, DESC_QUERY, 10, 0, g, q, len);
	for (i = 0; i < H.nlog; i++)
		if (H.log[i].d.func == DESC_QUERY && H.log[i].from == 0)
			ck_assert_uint_eq(H.log[i].d.ttl, 3);	/* max 4, minus 1 */
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY), 1);
	h_free(&H);
}
END_TEST

/* A ping is answered from the node (and its pong cache), never relayed. */
START_TEST(test_route_ping_answered_not_relayed)
{
	struct pong	 po;
	uint8_t		 g[16];
	size_t		 i, pongs = 0;

	line(3);
	h_link_tester(&H, 1);
	memset(g, 0x11, sizeof g);
	h_inject(&H, 1, DESC_PING, 3, 0, g, NULL, 0);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 1, UINT32_MAX, DESC_PING), 0);
	for (i = 0; i < H.nlog; i++) {
		if (H.log[i].d.func != DESC_PONG || H.log[i].to != H_TESTER)
			continue;
		ck_assert_mem_eq(H.log[i].d.guid, g, 16);
		ck_assert_int_eq(pong_decode(H.log[i].buf + DESC_HDR_LEN,
		    H.log[i].d.len, &po), WIRE_OK);
		ck_assert_uint_eq(po.ip, 0x7f000003u);
		pongs++;
	}
	ck_assert_uint_eq(pongs, 1);
	/* The same ping again is a duplicate: no second answer. */
	h_inject(&H, 1, DESC_PING, 3, 0, g, NULL, 0);
	ck_assert_uint_eq(h_count(&H, 1, H_TESTER, DESC_PONG), 1);
	h_free(&H);
}
END_TEST

/* A Push follows the path of the hit that named its servent. */
START_TEST(test_route_push_follows_hit)
{
	struct push	 pu;
	uint8_t		 payload[64], g[16];
	size_t		 len;

	line(4);
	H.shares[3] = "needle";
	h_link_tester(&H, 0);
	search(0, "needle", "flood", 4);
	h_run(&H);
	ck_assert_uint_eq(H.results[0], 1);
	memset(&pu, 0, sizeof pu);
	memcpy(pu.guid, node_guid(H.node[3]), 16);
	pu.index = 7;
	pu.ip = 0x7f0000feu;
	pu.port = 6346;
	len = push_encode(&pu, payload, sizeof payload);
	memset(g, 0x77, sizeof g);
	h_inject(&H, 0, DESC_PUSH, 4, 0, g, payload, len);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_PUSH), 1);
	ck_assert_uint_eq(h_count(&H, 1, 2, DESC_PUSH), 1);
	ck_assert_uint_eq(h_count(&H, 2, 3, DESC_PUSH), 1);
	h_free(&H);
}
END_TEST

/* In a triangle each node meets the flood twice and keeps it once. */
START_TEST(test_route_duplicate_dropped_once)
{
	h_init(&H, 3, NULL);
	h_link(&H, 0, 1);
	h_link(&H, 1, 2);
	h_link(&H, 0, 2);
	H.shares[1] = "needle";
	search(0, "needle", "flood", 3);
	h_run(&H);
	ck_assert_uint_eq(node_stats(H.node[1])->queries_seen, 1);
	ck_assert_uint_eq(node_stats(H.node[1])->dups, 1);
	ck_assert_uint_eq(node_stats(H.node[2])->queries_seen, 1);
	ck_assert_uint_eq(node_stats(H.node[2])->dups, 1);
	/* Answered once, though it arrived twice. */
	ck_assert_uint_eq(h_count(&H, 1, UINT32_MAX, DESC_QHIT), 1);
	ck_assert_uint_eq(H.results[0], 1);
	/* Nobody was closed for the overlay's loop. */
	ck_assert_uint_eq(H.ncloses, 0);
	h_free(&H);
}
END_TEST

/* Hits for one of our searches from the tester, three records. */
static void
inject_hits(const uint8_t *guid)
{
	static const struct qhit_record recs[3] = {
		{ .index = 1, .size = 10, .name = "a.txt", .namelen = 5 },
		{ .index = 2, .size = 20, .name = "b.txt", .namelen = 5 },
		{ .index = 3, .size = 30, .name = "c.txt", .namelen = 5 },
	};
	struct qhit	 qh;
	uint8_t		 buf[512];
	size_t		 len;

	memset(&qh, 0, sizeof qh);
	qh.ip = 0x7f0000feu;
	qh.port = 6346;
	len = qhit_encode(&qh, recs, 3, 0, buf, sizeof buf);
	ck_assert_uint_gt(len, 0);
	h_inject(&H, 0, DESC_QHIT, 3, 0, guid, buf, len);
}

/* A host that stops a search from its result callback stops it cleanly. */
START_TEST(test_route_stop_from_result)
{
	uint32_t	 id;

	line(2);
	h_link_tester(&H, 0);
	id = search(0, "needle", "flood", 3);
	ck_assert_uint_eq(H.log[0].d.func, DESC_QUERY);
	H.stop_on_result = 1;
	inject_hits(H.log[0].d.guid);
	ck_assert_uint_eq(H.results[0], 1);
	ck_assert_int_eq(node_search_results(H.node[0], id), -1);
	h_free(&H);
}
END_TEST

/* A search outlives its seen-table entry: late hits still reach it. */
START_TEST(test_route_search_outlives_seen)
{
	struct node_conf	 c;

	node_conf_default(&c);
	c.seen_age_ms = 2000;
	h_init(&H, 2, &c);
	h_link(&H, 0, 1);
	h_link_tester(&H, 0);
	search(0, "needle", "flood", 3);
	H.now += 60000;
	node_tick(H.node[0]);
	inject_hits(H.log[0].d.guid);
	ck_assert_uint_eq(H.results[0], 3);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), -1);
	h_free(&H);
}
END_TEST

TCase *
tc_route(void)
{
	TCase	*tc = tcase_create("route");

	tcase_add_test(tc, test_route_hit_reverse_path);
	tcase_add_test(tc, test_route_ttl_limits_reach);
	tcase_add_test(tc, test_route_ttl_clamped);
	tcase_add_test(tc, test_route_ping_answered_not_relayed);
	tcase_add_test(tc, test_route_push_follows_hit);
	tcase_add_test(tc, test_route_duplicate_dropped_once);
	tcase_add_test(tc, test_route_stop_from_result);
	tcase_add_test(tc, test_route_search_outlives_seen);
	return tc;
}
