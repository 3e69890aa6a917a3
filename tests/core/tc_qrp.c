/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_qrp.c: two tiers in the core: our leaves' QRP tables gate the last
 * hop, a bad table closes the leaf, and a leaf (node_conf.leaf) relays
 * nothing.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/harness.h"
#include "wire/qrp.h"

TCase	*tc_qrp(void);

static struct harness	 H;

static const char *const needle_words[] = { "needle", "haystack", NULL };
static const char *const other_words[] = { "other", "thing", NULL };

static uint32_t
search(uint32_t from, const char *text, const char *strategy, uint8_t ttl)
{
	struct search_opts	 o;
	const char		*cause = NULL;
	uint32_t		 id;

	memset(&o, 0, sizeof o);
	o.strategy = strategy;
	o.ttl = ttl;
	o.target = 10;
	id = node_search(H.node[from], text, &o, &cause);
	ck_assert_msg(id != 0, "search: %s", cause);
	return id;
}

/*
 * Node 0 an ultrapeer, node 1 another ultrapeer linked to it; nodes 2, 3
 * and 4 leaves of node 0: 2 with a table of needle's words, 3 with other
 * words, 4 with no table yet.
 */
static void
two_tier(int zlib, unsigned nmsg)
{
	uint32_t	 i;

	h_init(&H, 5, NULL);
	h_link(&H, 0, 1);
	for (i = 2; i < 5; i++) {
		h_make_leaf(&H, i);
		h_link_leaf(&H, 0, i);
	}
	ck_assert_int_eq(h_qrt(&H, 0, 2, needle_words, 13, zlib, nmsg), 0);
	ck_assert_int_eq(h_qrt(&H, 0, 3, other_words, 13, zlib, nmsg), 0);
	ck_assert_int_eq(node_peer_qrt_ready(H.node[0], 2), 1);
	ck_assert_int_eq(node_peer_qrt_ready(H.node[0], 3), 1);
	ck_assert_int_eq(node_peer_qrt_ready(H.node[0], 4), 0);
	ck_assert_int_eq(node_peer_qrt_ready(H.node[0], 1), -1);
	H.shares[2] = "needle";
}

/* A relayed query reaches only the leaf whose table has its word, as the
 * last hop, and the leaf's hit routes back to the searcher. */
static void
check_relayed(void)
{
	size_t	 i;

	search(1, "needle", "flood", 2);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 0, 2, DESC_QUERY), 1);
	ck_assert_uint_eq(h_count(&H, 0, 3, DESC_QUERY), 0);
	ck_assert_uint_eq(h_count(&H, 0, 4, DESC_QUERY), 0);
	for (i = 0; i < H.nlog; i++)
		if (H.log[i].d.func == DESC_QUERY && H.log[i].to == 2)
			ck_assert_uint_eq(H.log[i].d.ttl, 1);
	ck_assert_uint_eq(h_count(&H, 2, 0, DESC_QHIT), 1);
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QHIT), 1);
	ck_assert_uint_eq(H.results[1], 1);
	/* Leaves relay nothing. */
	ck_assert_uint_eq(h_count(&H, 2, UINT32_MAX, DESC_QUERY), 0);
}

START_TEST(test_qrp_last_hop_plain)
{
	two_tier(0, 1);
	check_relayed();
	h_free(&H);
}
END_TEST

START_TEST(test_qrp_last_hop_zlib)
{
	two_tier(1, 3);
	check_relayed();
	h_free(&H);
}
END_TEST

/* A query at TTL 1 still reaches the matching leaf: an ultrapeer and its
 * leaves are one unit. */
START_TEST(test_qrp_ttl1_reaches_leaf)
{
	two_tier(1, 1);
	search(1, "needle", "flood", 1);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 0, 2, DESC_QUERY), 1);
	ck_assert_uint_eq(H.results[1], 1);
	h_free(&H);
}
END_TEST

/* Every word must hit; a query whose words all miss reaches no leaf. */
START_TEST(test_qrp_all_words)
{
	two_tier(1, 2);
	search(1, "needle haystack", "flood", 2);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 0, 2, DESC_QUERY), 1);
	search(1, "needle zebra", "flood", 2);
	search(1, "absentword", "flood", 2);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 0, 2, DESC_QUERY), 1);
	ck_assert_uint_eq(h_count(&H, 0, 3, DESC_QUERY), 0);
	h_free(&H);
}
END_TEST

/* Our own search, any strategy, reaches the matching leaf once and no
 * other; dq does not spend its probes on leaves. */
START_TEST(test_qrp_own_search)
{
	two_tier(1, 1);
	search(0, "needle", "dq", 3);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 0, 2, DESC_QUERY), 1);
	ck_assert_uint_eq(h_count(&H, 0, 3, DESC_QUERY), 0);
	ck_assert_uint_eq(h_count(&H, 0, 4, DESC_QUERY), 0);
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY), 1);
	ck_assert_uint_eq(H.results[0], 1);
	h_free(&H);
}
END_TEST

/* QRP from a peer that is not our leaf is read for nothing; from a leaf it
 * is used. Pings are never relayed to leaves. */
START_TEST(test_qrp_only_from_leaves)
{
	static const uint8_t	 guid[16] = { 9, 9, 9 };

	two_tier(0, 1);
	ck_assert_int_eq(h_qrt(&H, 0, 1, needle_words, 13, 1, 1), 2);
	ck_assert_int_eq(h_closed(&H, 0, 1), -1);
	h_link_tester(&H, 0);
	h_inject(&H, 0, DESC_PING, 3, 0, guid, NULL, 0);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 0, 2, DESC_PING), 0);
	ck_assert_uint_eq(h_count(&H, 0, 3, DESC_PING), 0);
	h_free(&H);
}
END_TEST

static void
bad_setup(void)
{
	h_init(&H, 2, NULL);
	h_make_leaf(&H, 1);
	h_link_leaf(&H, 0, 1);
}

/* A PATCH out of sequence closes the leaf: Bye 413 as gtk-gnutella. */
START_TEST(test_qrp_bad_seq)
{
	static const uint8_t	 reset[] = { 0, 0, 0x20, 0, 0, 7 };
	uint8_t			 patch[QRP_PATCH_HDR_LEN + 16];

	bad_setup();
	ck_assert_int_eq(h_recv(&H, 0, 1, DESC_QRP, reset, sizeof reset), 0);
	memset(patch, 0, sizeof patch);
	patch[0] = QRP_PATCH;
	patch[1] = 2;		/* seq 2 of 3 first */
	patch[2] = 3;
	patch[3] = QRP_COMP_NONE;
	patch[4] = 4;
	h_recv(&H, 0, 1, DESC_QRP, patch, sizeof patch);
	ck_assert_int_eq(h_closed(&H, 0, 1), 413);
	ck_assert_uint_eq(node_peer_count(H.node[0]), 0);
	h_free(&H);
}
END_TEST

/* A PATCH with no RESET before it, and a table over 2^20 slots, too. */
START_TEST(test_qrp_bad_reset)
{
	static const uint8_t	 big[] = { 0, 0, 0, 0x20, 0, 7 };	/* 2^21 */
	uint8_t			 patch[QRP_PATCH_HDR_LEN + 16];

	bad_setup();
	memset(patch, 0, sizeof patch);
	patch[0] = QRP_PATCH;
	patch[1] = 1;
	patch[2] = 1;
	patch[4] = 4;
	h_recv(&H, 0, 1, DESC_QRP, patch, sizeof patch);
	ck_assert_int_eq(h_closed(&H, 0, 1), 413);
	h_free(&H);
	bad_setup();
	h_recv(&H, 0, 1, DESC_QRP, big, sizeof big);
	ck_assert_int_eq(h_closed(&H, 0, 1), 413);
	h_free(&H);
}
END_TEST

/* Zlib data that does not inflate, or a plain patch past the table. */
START_TEST(test_qrp_bad_patch)
{
	static const uint8_t	 reset[] = { 0, 64, 0, 0, 0, 7 };
	uint8_t			 patch[QRP_PATCH_HDR_LEN + 64];

	bad_setup();
	h_recv(&H, 0, 1, DESC_QRP, reset, sizeof reset);
	memset(patch, 0x5a, sizeof patch);
	patch[0] = QRP_PATCH;
	patch[1] = 1;
	patch[2] = 1;
	patch[3] = QRP_COMP_ZLIB;
	patch[4] = 4;
	h_recv(&H, 0, 1, DESC_QRP, patch, sizeof patch);
	ck_assert_int_eq(h_closed(&H, 0, 1), 413);
	h_free(&H);
	bad_setup();
	h_recv(&H, 0, 1, DESC_QRP, reset, sizeof reset);
	patch[3] = QRP_COMP_NONE;	/* 128 entries into a 64-slot table */
	h_recv(&H, 0, 1, DESC_QRP, patch, sizeof patch);
	ck_assert_int_eq(h_closed(&H, 0, 1), 413);
	h_free(&H);
}
END_TEST

/* A new table replaces the old once complete. */
START_TEST(test_qrp_update)
{
	two_tier(1, 1);
	ck_assert_int_eq(h_qrt(&H, 0, 2, other_words, 14, 1, 2), 0);
	search(1, "needle", "flood", 2);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 0, 2, DESC_QUERY), 0);
	search(1, "thing", "flood", 2);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 0, 2, DESC_QUERY), 1);
	h_free(&H);
}
END_TEST

/*
 * Leaf mode: node 0 a leaf under ultrapeers 1 and 2. A query from one
 * ultrapeer is answered, not relayed to the other; hits and pongs are not
 * relayed either; its own search goes to both ultrapeers.
 */
/*
 * Ultrapeers that route by QRP (X-Ultrapeer-Query-Routing): node 1 relays
 * for node 0 to ultrapeers 2 (its table: needle's words) and 3 (no table
 * yet). A copy at TTL 1 goes to 2 only when the table has every word, to 3
 * always; a copy at TTL 2 goes to both whatever the words.
 */
START_TEST(test_qrp_up_last_hop)
{
	h_init(&H, 4, NULL);
	H.up_qrp = 1;
	h_link(&H, 0, 1);
	h_link(&H, 1, 2);
	h_link(&H, 1, 3);
	ck_assert_int_eq(node_peer_qrt_ready(H.node[1], 2), 0);
	ck_assert_int_eq(h_qrt(&H, 1, 2, needle_words, 14, 1, 2), 0);
	ck_assert_int_eq(node_peer_qrt_ready(H.node[1], 2), 1);
	ck_assert_int_eq(h_closed(&H, 1, 2), -1);
	H.shares[2] = "needle";

	search(0, "absentword", "flood", 2);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 1, 2, DESC_QUERY), 0);
	ck_assert_uint_eq(h_count(&H, 1, 3, DESC_QUERY), 1);

	search(0, "needle", "flood", 2);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 1, 2, DESC_QUERY), 1);
	ck_assert_uint_eq(h_count(&H, 1, 3, DESC_QUERY), 2);
	ck_assert_uint_eq(H.results[0], 1);

	search(0, "absentword", "flood", 3);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 1, 2, DESC_QUERY), 2);
	h_free(&H);
}
END_TEST

/* The merged table an ultrapeer sends holds its leaves' words, spread
 * over a table of another size. */
START_TEST(test_qrp_leaves_merged)
{
	uint8_t		 bits[(1u << 15) / 8];
	uint32_t	 h;

	two_tier(1, 1);
	memset(bits, 0, sizeof bits);
	ck_assert_uint_eq(node_leaves_qrt(H.node[0], bits, 15), 2);
	h = qrp_hash("needle", 6, 15);
	ck_assert(bits[h / 8] & (1u << (h % 8)));
	h = qrp_hash("thing", 5, 15);
	ck_assert(bits[h / 8] & (1u << (h % 8)));
	memset(bits, 0, sizeof bits);
	ck_assert_uint_eq(node_leaves_qrt(H.node[1], bits, 15), 0);
	for (h = 0; h < sizeof bits; h++)
		ck_assert_uint_eq(bits[h], 0);
	h_free(&H);
}
END_TEST

/*
 * Dynamic querying for a leaf: node 0 an ultrapeer with ultrapeers 1-10,
 * all sharing needle, and leaf 11. The leaf's query is not flooded: three
 * probes, then one more connection per step.
 */
static void
leaf_dq_setup(void)
{
	uint32_t	 i;

	h_init(&H, 12, NULL);
	for (i = 1; i <= 10; i++) {
		h_link(&H, 0, i);
		H.shares[i] = "needle";
	}
	h_make_leaf(&H, 11);
	h_link_leaf(&H, 0, 11);
}

static size_t
ups_queried(void)
{
	size_t		 i, k = 0;
	uint32_t	 to;

	for (i = 0; i < H.nlog; i++) {
		to = H.log[i].to;
		if (H.log[i].from == 0 && H.log[i].d.func == DESC_QUERY &&
		    to >= 1 && to <= 10)
			k++;
	}
	return k;
}

static void
tick0(unsigned steps)
{
	while (steps-- > 0) {
		H.now += 30000;
		node_tick(H.node[0]);
		node_tick(H.node[11]);
		h_run(&H);
	}
}

START_TEST(test_leaf_dq_widens)
{
	const struct node_stats	*st;

	leaf_dq_setup();
	search(11, "needle", "flood", 4);
	h_run(&H);
	ck_assert_uint_eq(ups_queried(), 3);
	ck_assert_uint_eq(H.results[11], 3);
	tick0(1);
	ck_assert_uint_eq(ups_queried(), 4);
	ck_assert_uint_eq(H.results[11], 4);
	/* The leaf said it is guided: asked how many it kept, it answered. */
	st = node_stats(H.node[0]);
	ck_assert_uint_eq(st->dq_leaf, 1);
	ck_assert_uint_eq(st->qstat_sent, 1);
	ck_assert_uint_eq(st->qstat_rx, 1);
	ck_assert_uint_eq(h_count(&H, 11, 0, DESC_VENDOR), 1);
	tick0(6);
	ck_assert_uint_eq(ups_queried(), 10);
	ck_assert_uint_eq(H.results[11], 10);
	h_free(&H);
}
END_TEST

/* The leaf's search stopped: its next status answer is 0xFFFF, and the
 * ultrapeer queries no one more. */
START_TEST(test_leaf_dq_stop)
{
	size_t	 k;

	leaf_dq_setup();
	node_search_stop(H.node[11], search(11, "needle", "flood", 4));
	h_run(&H);
	ck_assert_uint_eq(ups_queried(), 3);
	tick0(1);
	k = ups_queried();
	ck_assert_uint_eq(k, 4);
	ck_assert_uint_eq(node_stats(H.node[0])->qstat_rx, 1);
	tick0(6);
	ck_assert_uint_eq(ups_queried(), k);
	h_free(&H);
}
END_TEST

/* A query by hash wants few results: the probes' three are enough. A
 * leaf that goes takes its queries with it. */
START_TEST(test_leaf_dq_target_and_gone)
{
	static const uint8_t	 sha1[20] = { 1, 2, 3 };
	struct search_opts	 o;
	const char		*cause;

	leaf_dq_setup();
	memset(&o, 0, sizeof o);
	o.strategy = "flood";
	o.ttl = 4;
	o.target = 10;
	ck_assert_uint_ne(node_search_sha1(H.node[11], "needle", sha1, &o,
	    &cause), 0);
	h_run(&H);
	ck_assert_uint_eq(ups_queried(), 3);
	tick0(4);
	ck_assert_uint_eq(ups_queried(), 3);

	search(11, "needle", "flood", 4);
	h_run(&H);
	ck_assert_uint_eq(ups_queried(), 6);
	node_peer_down(H.node[0], 11);
	tick0(4);
	ck_assert_uint_eq(ups_queried(), 6);
	h_free(&H);
}
END_TEST

/*
 * Out-of-band hits: 0 - 1 - 2, all taking UDP, 2 sharing needle. 2 is
 * two hops from the requester: it holds its hit, offers it by UDP
 * (LIME/12), and sends it by UDP once 0 claims it (LIME/11); nothing
 * comes back in band.
 */
static void
oob_setup(void)
{
	struct node_conf	 c;

	node_conf_default(&c);
	c.oob = 1;
	c.port = 6346;
	h_init(&H, 3, &c);
	h_link(&H, 0, 1);
	h_link(&H, 1, 2);
	H.shares[2] = "needle";
}

static size_t
oob_count(uint32_t from, uint32_t to, uint8_t func)
{
	size_t	 i, k = 0;

	for (i = 0; i < H.nlog; i++)
		if (H.log[i].oob && H.log[i].from == from &&
		    H.log[i].to == to && H.log[i].d.func == func)
			k++;
	return k;
}

START_TEST(test_oob_claimed)
{
	oob_setup();
	search(0, "needle", "flood", 3);
	h_run(&H);
	ck_assert_uint_eq(H.results[0], 1);
	ck_assert_uint_eq(h_count(&H, 2, 1, DESC_QHIT), 0);
	ck_assert_uint_eq(oob_count(2, 0, DESC_VENDOR), 1);
	ck_assert_uint_eq(oob_count(0, 2, DESC_VENDOR), 1);
	ck_assert_uint_eq(oob_count(2, 0, DESC_QHIT), 1);
	ck_assert_uint_eq(node_stats(H.node[2])->oob_offers, 1);
	ck_assert_uint_eq(node_stats(H.node[2])->oob_hits_sent, 1);
	ck_assert_uint_eq(node_stats(H.node[0])->oob_claims, 1);
	ck_assert_uint_eq(node_stats(H.node[0])->oob_hits_rx, 1);
	h_free(&H);
}
END_TEST

/* A requester that no longer wants them claims nothing and gets none. */
START_TEST(test_oob_unclaimed)
{
	oob_setup();
	node_search_stop(H.node[0], search(0, "needle", "flood", 3));
	h_run(&H);
	ck_assert_uint_eq(oob_count(2, 0, DESC_VENDOR), 1);
	ck_assert_uint_eq(oob_count(0, 2, DESC_VENDOR), 0);
	ck_assert_uint_eq(oob_count(2, 0, DESC_QHIT), 0);
	ck_assert_uint_eq(h_count(&H, 2, 1, DESC_QHIT), 0);
	ck_assert_uint_eq(node_stats(H.node[0])->oob_dropped, 1);
	h_free(&H);
}
END_TEST

static int
oob_never(void *arg, uint32_t ip, uint16_t port)
{
	(void)arg;
	(void)ip;
	(void)port;
	return 0;
}

/* An address the host may not send to gets its hits in band. */
START_TEST(test_oob_not_allowed)
{
	oob_setup();
	H.env.oob_ok = oob_never;
	search(0, "needle", "flood", 3);
	h_run(&H);
	ck_assert_uint_eq(H.results[0], 1);
	ck_assert_uint_eq(h_count(&H, 2, 1, DESC_QHIT), 1);
	ck_assert_uint_eq(oob_count(2, 0, DESC_VENDOR), 0);
	ck_assert_uint_eq(node_stats(H.node[2])->oob_offers, 0);
	h_free(&H);
}
END_TEST

START_TEST(test_leaf_relays_nothing)
{
	h_init(&H, 3, NULL);
	h_make_leaf(&H, 0);
	/* Linked flat, so node 1 sends it a deep query as to anyone. */
	h_link(&H, 0, 1);
	h_link(&H, 0, 2);
	H.shares[0] = "needle";
	search(1, "needle", "flood", 4);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 0, UINT32_MAX, DESC_QUERY), 0);
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QHIT), 1);
	ck_assert_uint_eq(H.results[1], 1);
	h_free(&H);
}
END_TEST

START_TEST(test_leaf_own_search)
{
	h_init(&H, 3, NULL);
	h_make_leaf(&H, 0);
	h_link_leaf(&H, 1, 0);
	h_link_leaf(&H, 2, 0);
	H.shares[2] = "needle";
	search(0, "needle", "dq", 3);
	h_run(&H);
	ck_assert_uint_eq(h_count(&H, 0, 1, DESC_QUERY), 1);
	ck_assert_uint_eq(h_count(&H, 0, 2, DESC_QUERY), 1);
	ck_assert_uint_eq(H.results[0], 1);
	/* The ultrapeers see the leaf as a leaf: nothing goes back to it but
	 * the hit (no table, no query). */
	ck_assert_uint_eq(h_count(&H, 1, 0, DESC_QUERY), 0);
	h_free(&H);
}
END_TEST

/* A leaf reads no QRP table: it has no leaves. */
START_TEST(test_leaf_ignores_qrp)
{
	h_init(&H, 2, NULL);
	h_make_leaf(&H, 0);
	h_link(&H, 0, 1);
	ck_assert_int_eq(h_qrt(&H, 0, 1, needle_words, 13, 1, 1), 2);
	ck_assert_int_eq(h_closed(&H, 0, 1), -1);
	h_free(&H);
}
END_TEST

/*
 * An ultrapeer with more leaves than it judges one by one (qrt_index.c's
 * matrix is built at 32 tables): 80 leaves of node 0 (ids 100-179), each
 * with a word of its own, every tenth with "common" too, of table sizes
 * 2^12 to 2^16. Each query reaches exactly the leaves whose table has
 * every word; a leaf gone frees its column for the next; a new table
 * replaces the old one's column.
 */
static char	 idx_words[256][16];

static void
idx_leaf(uint32_t id, const char *w1, const char *w2, unsigned lg)
{
	struct peer_info	 pi;
	const char		*words[3] = { w1, w2, NULL };

	memset(&pi, 0, sizeof pi);
	pi.ip = 0x7f000100u + id;
	pi.port = 6346;
	pi.leaf = 1;
	if (node_peer_qrt_ready(H.node[0], id) == -1)
		ck_assert_int_eq(node_peer_up(H.node[0], id, &pi), 0);
	ck_assert_int_eq(h_qrt(&H, 0, id, words, lg, 1, 1), 0);
	ck_assert_int_eq(node_peer_qrt_ready(H.node[0], id), 1);
}

/* How many of the leaves 100-255 got a query since the log mark. */
static size_t
idx_reached(size_t mark, uint32_t *only)
{
	size_t		 i, k = 0;

	for (i = mark; i < H.nlog; i++)
		if (H.log[i].d.func == DESC_QUERY && H.log[i].from == 0 &&
		    H.log[i].to >= 100 && H.log[i].to < 256) {
			*only = H.log[i].to;
			k++;
		}
	return k;
}

/* A search from node 1 for text: how many leaves it reached (*who, one). */
static size_t
idx_query(const char *text, uint32_t *who)
{
	size_t	 mark = H.nlog;

	search(1, text, "flood", 2);
	h_run(&H);
	return idx_reached(mark, who);
}

START_TEST(test_qrp_index)
{
	static const unsigned	 lgs[] = { 16, 13, 14, 12, 16, 15 };
	uint32_t		 i, who = 0;

	h_init(&H, 2, NULL);
	h_link(&H, 0, 1);
	for (i = 0; i < 80; i++) {
		snprintf(idx_words[i], sizeof idx_words[i], "word%u", i);
		idx_leaf(100 + i, idx_words[i], i % 10 == 0 ? "common" : NULL,
		    lgs[i % 6]);
	}
	ck_assert_uint_eq(idx_query("common", &who), 8);
	ck_assert_uint_eq(idx_query("word37", &who), 1);
	ck_assert_uint_eq(who, 137);
	ck_assert_uint_eq(idx_query("word40 common", &who), 1);
	ck_assert_uint_eq(who, 140);
	ck_assert_uint_eq(idx_query("word41 common", &who), 0);
	ck_assert_uint_eq(idx_query("absentzzz", &who), 0);

	/* 137 goes; 200 takes its column with the same word. */
	node_peer_down(H.node[0], 137);
	idx_leaf(200, "word37", NULL, 16);
	ck_assert_uint_eq(idx_query("word37", &who), 1);
	ck_assert_uint_eq(who, 200);

	/* 150's new table has "fresh" and no longer word50 or common. */
	idx_leaf(150, "fresh", NULL, 14);
	ck_assert_uint_eq(idx_query("word50", &who), 0);
	ck_assert_uint_eq(idx_query("fresh", &who), 1);
	ck_assert_uint_eq(who, 150);
	ck_assert_uint_eq(idx_query("common", &who), 7);
	h_free(&H);
}
END_TEST

TCase *
tc_qrp(void)
{
	TCase	*tc = tcase_create("qrp");

	tcase_add_test(tc, test_qrp_last_hop_plain);
	tcase_add_test(tc, test_qrp_last_hop_zlib);
	tcase_add_test(tc, test_qrp_ttl1_reaches_leaf);
	tcase_add_test(tc, test_qrp_all_words);
	tcase_add_test(tc, test_qrp_own_search);
	tcase_add_test(tc, test_qrp_only_from_leaves);
	tcase_add_test(tc, test_qrp_bad_seq);
	tcase_add_test(tc, test_qrp_bad_reset);
	tcase_add_test(tc, test_qrp_bad_patch);
	tcase_add_test(tc, test_qrp_update);
	tcase_add_test(tc, test_qrp_up_last_hop);
	tcase_add_test(tc, test_qrp_leaves_merged);
	tcase_add_test(tc, test_qrp_index);
	tcase_add_test(tc, test_leaf_dq_widens);
	tcase_add_test(tc, test_leaf_dq_stop);
	tcase_add_test(tc, test_leaf_dq_target_and_gone);
	tcase_add_test(tc, test_oob_claimed);
	tcase_add_test(tc, test_oob_unclaimed);
	tcase_add_test(tc, test_oob_not_allowed);
	tcase_add_test(tc, test_leaf_relays_nothing);
	tcase_add_test(tc, test_leaf_own_search);
	tcase_add_test(tc, test_leaf_ignores_qrp);
	return tc;
}
