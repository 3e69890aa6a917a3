/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_addr.c: address classes, what a peer may tell us, and CIDR text:
 * every range boundary, and the malformed ranges a config could hold.
 */
#include <string.h>

#include "lib/addr.h"
#include "wire/tc.h"

#define IP4(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))

static const struct {
	uint32_t	 ip;
	enum addr_class	 class;
} addr_classes[] = {
	{ IP4(0, 0, 0, 0), ADDR_BOGON },
	{ IP4(0, 255, 255, 255), ADDR_BOGON },
	{ IP4(1, 0, 0, 0), ADDR_PUBLIC },
	{ IP4(8, 8, 8, 8), ADDR_PUBLIC },
	{ IP4(9, 255, 255, 255), ADDR_PUBLIC },
	{ IP4(10, 0, 0, 0), ADDR_PRIVATE },
	{ IP4(10, 255, 255, 255), ADDR_PRIVATE },
	{ IP4(11, 0, 0, 0), ADDR_PUBLIC },
	{ IP4(126, 255, 255, 255), ADDR_PUBLIC },
	{ IP4(127, 0, 0, 0), ADDR_LOOPBACK },
	{ IP4(127, 0, 0, 2), ADDR_LOOPBACK },
	{ IP4(127, 255, 255, 255), ADDR_LOOPBACK },
	{ IP4(128, 0, 0, 0), ADDR_PUBLIC },
	{ IP4(169, 253, 255, 255), ADDR_PUBLIC },
	{ IP4(169, 254, 0, 0), ADDR_BOGON },
	{ IP4(169, 254, 255, 255), ADDR_BOGON },
	{ IP4(169, 255, 0, 0), ADDR_PUBLIC },
	{ IP4(172, 15, 255, 255), ADDR_PUBLIC },
	{ IP4(172, 16, 0, 0), ADDR_PRIVATE },
	{ IP4(172, 31, 255, 255), ADDR_PRIVATE },
	{ IP4(172, 32, 0, 0), ADDR_PUBLIC },
	{ IP4(192, 167, 255, 255), ADDR_PUBLIC },
	{ IP4(192, 168, 0, 0), ADDR_PRIVATE },
	{ IP4(192, 168, 255, 255), ADDR_PRIVATE },
	{ IP4(192, 169, 0, 0), ADDR_PUBLIC },
	{ IP4(223, 255, 255, 255), ADDR_PUBLIC },
	{ IP4(224, 0, 0, 0), ADDR_BOGON },
	{ IP4(239, 255, 255, 255), ADDR_BOGON },
	{ IP4(240, 0, 0, 0), ADDR_BOGON },
	{ IP4(255, 255, 255, 255), ADDR_BOGON },
};

START_TEST(test_addr_class)
{
	ck_assert_int_eq(addr_class(addr_classes[_i].ip),
	    addr_classes[_i].class);
	ck_assert_int_eq(addr_bogon(addr_classes[_i].ip),
	    addr_classes[_i].class == ADDR_BOGON);
}
END_TEST

START_TEST(test_addr_heard)
{
	uint32_t	 lo = IP4(127, 0, 0, 3), lan = IP4(192, 168, 1, 5),
			 pub = IP4(203, 0, 113, 9);

	/* Loopback only between loopback peers. */
	ck_assert(addr_heard_ok(IP4(127, 0, 0, 5), lo));
	ck_assert(!addr_heard_ok(IP4(127, 0, 0, 5), lan));
	ck_assert(!addr_heard_ok(IP4(127, 0, 0, 5), pub));
	/* A LAN address from the LAN or our own machine, not from outside. */
	ck_assert(addr_heard_ok(IP4(10, 1, 2, 3), lo));
	ck_assert(addr_heard_ok(IP4(10, 1, 2, 3), lan));
	ck_assert(!addr_heard_ok(IP4(10, 1, 2, 3), pub));
	/* Public from anyone; bogons from no one. */
	ck_assert(addr_heard_ok(IP4(8, 8, 8, 8), lo));
	ck_assert(addr_heard_ok(IP4(8, 8, 8, 8), pub));
	ck_assert(!addr_heard_ok(IP4(0, 0, 0, 0), lo));
	ck_assert(!addr_heard_ok(IP4(224, 0, 0, 1), lo));
	ck_assert(!addr_heard_ok(IP4(169, 254, 1, 1), lan));
	ck_assert(!addr_heard_ok(IP4(255, 255, 255, 255), pub));
}
END_TEST

static const struct {
	const char	*text;
	uint32_t	 net;
	uint32_t	 mask;
} cidr_good[] = {
	{ "10.0.0.0/8", IP4(10, 0, 0, 0), 0xff000000u },
	{ "172.16.0.0/12", IP4(172, 16, 0, 0), 0xfff00000u },
	{ "100.64.0.0/10", IP4(100, 64, 0, 0), 0xffc00000u },
	{ "0.0.0.0/0", 0, 0 },
	{ "192.0.2.7/32", IP4(192, 0, 2, 7), 0xffffffffu },
	{ "192.0.2.7", IP4(192, 0, 2, 7), 0xffffffffu },
	{ "255.255.255.254/31", IP4(255, 255, 255, 254), 0xfffffffeu },
};

START_TEST(test_addr_cidr_good)
{
	struct addr_net	 a;
	char		 buf[32];
	const char	*t = cidr_good[_i].text;

	ck_assert_int_eq(addr_cidr_parse(t, strlen(t), &a), 0);
	ck_assert_uint_eq(a.net, cidr_good[_i].net);
	ck_assert_uint_eq(a.mask, cidr_good[_i].mask);
	addr_net_str(&a, buf, sizeof buf);
	if (strchr(t, '/') != NULL)
		ck_assert_str_eq(buf, t);
}
END_TEST

static const char *const cidr_bad[] = {
	"", "/", "10", "10.0.0", "10.0.0.0.0", "10.0.0.0/", "10.0.0.0/33",
	"10.0.0.0/8/8", "10.1.2.3/8", "256.0.0.0/8", "10.0.0.-1/32",
	"010.0.0.0/8", "10.0.0.0/08", "0x0a.0.0.0/8", " 10.0.0.0/8",
	"10.0.0.0/8 ", "10..0.0/8", "10.0.0.0/-8", "1000.0.0.0/8",
	"10.0.0.0/100", "10.0.0.0\n/8", "a.b.c.d/8", "10.0.0.0:6346",
};

START_TEST(test_addr_cidr_bad)
{
	struct addr_net	 a;
	const char	*t = cidr_bad[_i];

	ck_assert_msg(addr_cidr_parse(t, strlen(t), &a) == -1, "took '%s'", t);
}
END_TEST

/* The length bounds the read: a valid range followed by more bytes that
 * are not the decoder's is judged on the given bytes only. */
START_TEST(test_addr_cidr_bounded)
{
	struct addr_net	 a;
	const char	*t = "10.0.0.0/8junk";

	ck_assert_int_eq(addr_cidr_parse(t, 10, &a), 0);
	ck_assert_uint_eq(a.mask, 0xff000000u);
	ck_assert_int_eq(addr_cidr_parse(t, 9, &a), -1);
	ck_assert_int_eq(addr_cidr_parse(t, strlen(t), &a), -1);
	ck_assert_int_eq(addr_cidr_parse("10.0.0.0/8", 3, &a), -1);
}
END_TEST

START_TEST(test_addr_cidr_list)
{
	static char	 big[ADDR_TEXT_MAX + 1];
	struct addr_net	 nets[4];
	const char	*s = "10.0.0.0/8, 192.0.2.0/24\t100.64.0.0/10,,",
			*bad;
	size_t		 n = 0, badlen;

	ck_assert_int_eq(addr_cidr_list(s, strlen(s), nets, 4, &n, &bad,
	    &badlen), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert(addr_net_match(nets, n, IP4(10, 9, 9, 9)));
	ck_assert(addr_net_match(nets, n, IP4(192, 0, 2, 255)));
	ck_assert(addr_net_match(nets, n, IP4(100, 127, 0, 1)));
	ck_assert(!addr_net_match(nets, n, IP4(100, 128, 0, 1)));
	ck_assert(!addr_net_match(nets, n, IP4(192, 0, 3, 0)));
	/* The first wrong entry is named. */
	s = "10.0.0.0/8,10.1.0.0/8,192.0.2.0/24";
	n = 0;
	ck_assert_int_eq(addr_cidr_list(s, strlen(s), nets, 4, &n, &bad,
	    &badlen), -1);
	ck_assert_uint_eq(badlen, 10);
	ck_assert(strncmp(bad, "10.1.0.0/8", badlen) == 0);
	/* More than fit. */
	s = "1.0.0.0/8 2.0.0.0/8 3.0.0.0/8 4.0.0.0/8 5.0.0.0/8";
	n = 0;
	ck_assert_int_eq(addr_cidr_list(s, strlen(s), nets, 4, &n, &bad,
	    &badlen), -1);
	ck_assert_uint_eq(n, 4);
	ck_assert(strncmp(bad, "5.0.0.0/8", badlen) == 0);
	/* Empty is no range, and fine. */
	n = 0;
	ck_assert_int_eq(addr_cidr_list("", 0, nets, 4, &n, &bad, &badlen), 0);
	ck_assert_uint_eq(n, 0);
	/* Over ADDR_TEXT_MAX is refused, even blanks. */
	memset(big, ' ', sizeof big);
	n = 0;
	ck_assert_int_eq(addr_cidr_list(big, ADDR_TEXT_MAX, nets, 4, &n,
	    &bad, &badlen), 0);
	ck_assert_int_eq(addr_cidr_list(big, sizeof big, nets, 4, &n,
	    &bad, &badlen), -1);
}
END_TEST

TCase *
tc_addr(void)
{
	TCase	*tc = tcase_create("addr");

	tcase_add_loop_test(tc, test_addr_class, 0,
	    sizeof addr_classes / sizeof addr_classes[0]);
	tcase_add_test(tc, test_addr_heard);
	tcase_add_loop_test(tc, test_addr_cidr_good, 0,
	    sizeof cidr_good / sizeof cidr_good[0]);
	tcase_add_loop_test(tc, test_addr_cidr_bad, 0,
	    sizeof cidr_bad / sizeof cidr_bad[0]);
	tcase_add_test(tc, test_addr_cidr_bounded);
	tcase_add_test(tc, test_addr_cidr_list);
	return tc;
}
