/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_hosts.c: the host and pong caches take no bogon, and no address more
 * local than the neighbour whose pong named it, so neither the dialer nor
 * our answers to pings ever see one.
 */
#include <check.h>
#include <string.h>

#include "core/harness.h"
#include "wire/ping.h"

TCase	*tc_hosts(void);

#define IP4(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))

static struct harness	 H;

static const uint32_t	 told[] = {
	IP4(8, 8, 8, 8), IP4(10, 1, 1, 1), IP4(127, 0, 0, 50),
	IP4(0, 1, 2, 3), IP4(169, 254, 1, 1), IP4(224, 0, 0, 1),
	IP4(240, 0, 0, 1), IP4(255, 255, 255, 255),
};

/* A node whose one neighbour, at teller, answers its ping with a pong
 * for every address of told[]. */
static void
hosts_told_by(uint32_t teller)
{
	struct peer_info	 pi;
	struct pong		 po;
	uint8_t			 buf[PONG_FIXED_LEN], g[16];
	size_t			 i, len;
	int			 found = 0;

	h_init(&H, 1, NULL);
	memset(&pi, 0, sizeof pi);
	pi.ip = teller;
	pi.port = 6346;
	node_peer_up(H.node[0], H_TESTER, &pi);
	node_peer_ping(H.node[0], H_TESTER);
	for (i = 0; i < H.nlog; i++)
		if (H.log[i].d.func == DESC_PING && H.log[i].to == H_TESTER) {
			memcpy(g, H.log[i].d.guid, 16);
			found = 1;
		}
	ck_assert(found);
	for (i = 0; i < sizeof told / sizeof told[0]; i++) {
		memset(&po, 0, sizeof po);
		po.ip = told[i];
		po.port = 6346;
		len = pong_encode(&po, buf, sizeof buf);
		h_inject(&H, 0, DESC_PONG, 1, 1, g, buf, len);
	}
}

static int
in_cache(uint32_t ip)
{
	uint32_t	 ips[64];
	uint16_t	 ports[64];
	size_t		 n, i;

	n = node_hosts(H.node[0], ips, ports, 64);
	for (i = 0; i < n; i++)
		if (ips[i] == ip)
			return 1;
	return 0;
}

/* What the node's answer to a ping (TTL 2: from its pong cache) names. */
static int
in_answer(uint32_t ip)
{
	struct pong	 po;
	uint8_t		 g[16];
	size_t		 i;

	memset(g, 0x5a, sizeof g);
	h_inject(&H, 0, DESC_PING, 2, 0, g, NULL, 0);
	for (i = 0; i < H.nlog; i++)
		if (H.log[i].d.func == DESC_PONG && H.log[i].to == H_TESTER &&
		    memcmp(H.log[i].d.guid, g, 16) == 0 &&
		    pong_decode(H.log[i].buf + DESC_HDR_LEN, H.log[i].d.len,
		    &po) == WIRE_OK && po.ip == ip)
			return 1;
	return 0;
}

START_TEST(test_hosts_from_loopback)
{
	hosts_told_by(IP4(127, 0, 0, 254));
	ck_assert(in_cache(IP4(8, 8, 8, 8)));
	ck_assert(in_cache(IP4(10, 1, 1, 1)));
	ck_assert(in_cache(IP4(127, 0, 0, 50)));
	ck_assert(!in_cache(IP4(0, 1, 2, 3)));
	ck_assert(!in_cache(IP4(169, 254, 1, 1)));
	ck_assert(!in_cache(IP4(224, 0, 0, 1)));
	ck_assert(!in_cache(IP4(240, 0, 0, 1)));
	ck_assert(!in_cache(IP4(255, 255, 255, 255)));
	ck_assert(in_answer(IP4(127, 0, 0, 50)));
	ck_assert(!in_answer(IP4(224, 0, 0, 1)));
	h_free(&H);
}
END_TEST

START_TEST(test_hosts_from_outside)
{
	hosts_told_by(IP4(203, 0, 113, 5));
	ck_assert(in_cache(IP4(8, 8, 8, 8)));
	/* Our loopback and our LAN are not the teller's. */
	ck_assert(!in_cache(IP4(127, 0, 0, 50)));
	ck_assert(!in_cache(IP4(10, 1, 1, 1)));
	ck_assert(!in_cache(IP4(169, 254, 1, 1)));
	ck_assert(in_answer(IP4(8, 8, 8, 8)));
	ck_assert(!in_answer(IP4(127, 0, 0, 50)));
	ck_assert(!in_answer(IP4(0, 1, 2, 3)));
	h_free(&H);
}
END_TEST

TCase *
tc_hosts(void)
{
	TCase	*tc = tcase_create("hosts");

	tcase_add_test(tc, test_hosts_from_loopback);
	tcase_add_test(tc, test_hosts_from_outside);
	return tc;
}
