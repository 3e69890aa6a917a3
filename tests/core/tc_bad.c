/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_bad.c: what a node does with a peer that misbehaves: drop, count, and
 * past a threshold close it with the Bye code of protocol.md 1.4.3.
 */
#include <check.h>
#include <string.h>

#include "core/harness.h"
#include "wire/bye.h"
#include "wire/ping.h"

TCase	*tc_bad(void);

static struct harness	 H;

static void
setup(void)
{
	h_init(&H, 2, NULL);
	h_link(&H, 0, 1);
	h_link_tester(&H, 0);
}

static void
teardown(void)
{
	h_free(&H);
}

static void
guid_n(uint8_t *g, uint32_t i)
{
	memset(g, 0, 16);
	memcpy(g, &i, sizeof i);
	g[8] = 0xff;
}

/* The Bye the node sent the tester before closing, or -1. */
static int
bye_code(void)
{
	struct bye	 b;
	size_t		 i;

	for (i = 0; i < H.nlog; i++)
		if (H.log[i].to == H_TESTER && H.log[i].d.func == DESC_BYE &&
		    bye_decode(H.log[i].buf + DESC_HDR_LEN, H.log[i].d.len,
		    &b) == WIRE_OK) {
			ck_assert_uint_eq(H.log[i].d.ttl, 1);
			ck_assert_uint_eq(H.log[i].d.hops, 0);
			return b.code;
		}
	return -1;
}

START_TEST(test_bad_high_ttl)
{
	uint8_t	 q[64], g[16];
	size_t	 len = h_query("hello", q, sizeof q);
	uint32_t i;

	for (i = 0; i < 10; i++) {
		guid_n(g, i);
		h_inject(&H, 0, DESC_QUERY, 15, 1, g, q, len);
	}
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), -1);
	/* Clamped, not passed on with hops + TTL over 15 (nor over max). */
	for (i = 0; i < H.nlog; i++)
		if (H.log[i].d.func == DESC_QUERY)
			ck_assert_uint_le(H.log[i].d.ttl + H.log[i].d.hops, 15);
	guid_n(g, 10);
	h_inject(&H, 0, DESC_QUERY, 15, 1, g, q, len);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), 403);
	ck_assert_int_eq(bye_code(), 403);
}
END_TEST

START_TEST(test_bad_ttl_zero)
{
	uint8_t	 q[64], g[16];
	size_t	 len = h_query("hello", q, sizeof q);
	uint32_t i;

	for (i = 0; i < 20; i++) {
		guid_n(g, i);
		h_inject(&H, 0, DESC_QUERY, 0, 1, g, q, len);
	}
	/* Never forwarded, never answered, counted. */
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY), 0);
	ck_assert_uint_eq(node_stats(H.node[0])->dropped, 20);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), -1);
	guid_n(g, 99);
	h_inject(&H, 0, DESC_QUERY, 0, 1, g, q, len);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), 408);
}
END_TEST

/*
 * The bad count decays (halving every ten minutes): 21 bad messages, one
 * every twenty minutes for seven hours, do not close a peer; 21 in a
 * burst from the same peer afterwards still do.
 */
START_TEST(test_bad_decays)
{
	uint8_t	 q[64], g[16];
	size_t	 len = h_query("hello", q, sizeof q);
	uint32_t i;

	for (i = 0; i < 21; i++) {
		H.now += 20 * 60 * 1000;
		node_tick(H.node[0]);
		guid_n(g, i);
		h_inject(&H, 0, DESC_QUERY, 0, 1, g, q, len);
	}
	ck_assert_uint_eq(node_stats(H.node[0])->dropped, 21);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), -1);
	/* Three quiet hours forget the rest; then a burst counts whole. */
	H.now += 3 * 60 * 60 * 1000;
	for (i = 100; i < 120; i++) {
		guid_n(g, i);
		h_inject(&H, 0, DESC_QUERY, 0, 1, g, q, len);
	}
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), -1);
	guid_n(g, 120);
	h_inject(&H, 0, DESC_QUERY, 0, 1, g, q, len);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), 408);
}
END_TEST

START_TEST(test_bad_unknown_function)
{
	uint8_t	 g[16], junk[8] = { 1, 2, 3 };
	uint32_t i;

	for (i = 0; i <= 20; i++) {
		guid_n(g, i);
		h_inject(&H, 0, 0x77, 3, 0, g, junk, sizeof junk);
	}
	ck_assert_uint_eq(h_count(&H, 0, 1, UINT32_MAX), 0);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), 404);
}
END_TEST

/* A pong for a ping never seen, and a hit with no route, go nowhere. */
START_TEST(test_bad_unroutable)
{
	struct pong	 po;
	uint8_t		 buf[64], g[16];
	size_t		 len;

	memset(&po, 0, sizeof po);
	po.ip = 0x7f000009u;
	po.port = 6346;
	len = pong_encode(&po, buf, sizeof buf);
	guid_n(g, 1);
	h_inject(&H, 0, DESC_PONG, 3, 0, g, buf, len);
	ck_assert_uint_eq(h_count(&H, 0, UINT32_MAX, DESC_PONG), 0);
	ck_assert_uint_eq(node_stats(H.node[0])->dropped, 1);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), -1);
}
END_TEST

START_TEST(test_bad_hit_no_route)
{
	static const struct qhit_record rec = { .index = 1, .size = 10,
	    .name = "x.txt", .namelen = 5 };
	struct qhit	 qh;
	uint8_t		 buf[512], g[16];
	size_t		 len;

	memset(&qh, 0, sizeof qh);
	qh.ip = 0x7f000009u;
	qh.port = 6346;
	len = qhit_encode(&qh, &rec, 1, 0, buf, sizeof buf);
	ck_assert_uint_gt(len, 0);
	guid_n(g, 5);
	h_inject(&H, 0, DESC_QHIT, 3, 0, g, buf, len);
	ck_assert_uint_eq(h_count(&H, 0, UINT32_MAX, DESC_QHIT), 0);
	ck_assert_uint_eq(node_stats(H.node[0])->dropped, 1);
}
END_TEST

/* The same query again and again from the same peer is its fault. */
START_TEST(test_bad_duplicates)
{
	uint8_t	 q[64], g[16];
	size_t	 len = h_query("hello", q, sizeof q);
	uint32_t i;

	guid_n(g, 1);
	for (i = 0; i < 5; i++)
		h_inject(&H, 0, DESC_QUERY, 3, 0, g, q, len);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), -1);
	h_inject(&H, 0, DESC_QUERY, 3, 0, g, q, len);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), 401);
	ck_assert_int_eq(bye_code(), 401);
	/* Forwarded once only. */
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY), 1);
}
END_TEST

START_TEST(test_bad_oversized)
{
	uint8_t		 hdr[DESC_HDR_LEN];
	struct desc	 d;

	memset(&d, 0, sizeof d);
	d.func = DESC_QUERY;
	d.ttl = 3;
	d.len = 1u << 20;
	desc_encode(&d, hdr, sizeof hdr);
	node_recv(H.node[0], H_TESTER, hdr, sizeof hdr);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), 400);
}
END_TEST

START_TEST(test_bad_query_too_long)
{
	uint8_t	 q[1100], g[16];

	memset(q, 'a', sizeof q);
	q[0] = 0x80;
	q[1] = 0;
	q[sizeof q - 1] = 0;
	guid_n(g, 1);
	h_inject(&H, 0, DESC_QUERY, 3, 0, g, q, sizeof q);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), 400);
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY), 0);
}
END_TEST

START_TEST(test_bad_malformed_payload)
{
	uint8_t	 q[16] = { 0x80, 0, 'n', 'o', 'n', 'u', 'l' }, g[16];
	uint32_t i;

	for (i = 0; i <= 20; i++) {
		guid_n(g, i);
		h_inject(&H, 0, DESC_QUERY, 3, 0, g, q, 7);
	}
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY), 0);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), 411);
}
END_TEST

/* The same peer repeating a query with a higher TTL relays a deeper probe
 * (or a copy that came to it by a shorter path): relayed, not its fault. */
START_TEST(test_bad_deeper_repeat_is_no_dup)
{
	uint8_t	 q[64], g[16];
	size_t	 len = h_query("hello", q, sizeof q);
	uint32_t i;

	guid_n(g, 7);
	h_inject(&H, 0, DESC_QUERY, 2, 0, g, q, len);
	h_inject(&H, 0, DESC_QUERY, 4, 0, g, q, len);
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY), 2);
	ck_assert_uint_eq(H.log[1].d.ttl, 3);
	/* Repeats at the same TTL are duplicates: the fifth one closes. */
	for (i = 0; i < 4; i++)
		h_inject(&H, 0, DESC_QUERY, 4, 0, g, q, len);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), -1);
	h_inject(&H, 0, DESC_QUERY, 4, 0, g, q, len);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), 401);
}
END_TEST

/* A Bye is honoured at once and not answered. */
START_TEST(test_bad_bye_received)
{
	struct bye	 b;
	uint8_t		 buf[64], g[16];
	size_t		 len;

	b.code = 200;
	b.text = "Servent Shutdown";
	b.textlen = strlen(b.text);
	len = bye_encode(&b, buf, sizeof buf);
	guid_n(g, 1);
	h_inject(&H, 0, DESC_BYE, 1, 0, g, buf, len);
	ck_assert_int_eq(h_closed(&H, 0, H_TESTER), 0);
	ck_assert_int_eq(bye_code(), -1);
	ck_assert_uint_eq(node_peer_count(H.node[0]), 1);
}
END_TEST

TCase *
tc_bad(void)
{
	TCase	*tc = tcase_create("bad");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_bad_high_ttl);
	tcase_add_test(tc, test_bad_ttl_zero);
	tcase_add_test(tc, test_bad_decays);
	tcase_add_test(tc, test_bad_unknown_function);
	tcase_add_test(tc, test_bad_unroutable);
	tcase_add_test(tc, test_bad_hit_no_route);
	tcase_add_test(tc, test_bad_duplicates);
	tcase_add_test(tc, test_bad_oversized);
	tcase_add_test(tc, test_bad_query_too_long);
	tcase_add_test(tc, test_bad_malformed_payload);
	tcase_add_test(tc, test_bad_bye_received);
	tcase_add_test(tc, test_bad_deeper_repeat_is_no_dup);
	return tc;
}
