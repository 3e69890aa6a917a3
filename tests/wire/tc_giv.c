/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_giv.c: GIV lines (as gtk-gnutella and LimeWire write them, and the
 * bad ones a peer may send), push-proxy request targets in their three
 * spellings, the GGEP PUSH proxy list and the LIME/22 ack body.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wire/giv.h"
#include "wire/tc.h"
#include "wire/vmsg.h"

static const uint8_t giv_guid[16] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff
};

static const struct {
	const char		*line;
	enum wire_status	 want;
	uint32_t		 index;
	const char		*name;
} giv_cases[] = {
	{ "GIV 3:00112233445566778899aabbccddeeff/song.ogg", WIRE_OK, 3,
	    "song.ogg" },
	/* gtk-gnutella's: the literal "file" */
	{ "GIV 0:00112233445566778899AABBCCDDEEFF/file", WIRE_OK, 0, "file" },
	/* a CR before the LF, an empty name, a slash in the name */
	{ "GIV 7:00112233445566778899aabbccddeeff/a b\r", WIRE_OK, 7, "a b" },
	{ "GIV 4294967295:00112233445566778899aabbccddeeff/", WIRE_OK,
	    4294967295u, "" },
	{ "GIV 1:00112233445566778899aabbccddeeff/d/e", WIRE_OK, 1, "d/e" },
	/* no index, a bad index, an index past 32 bits */
	{ "GIV :00112233445566778899aabbccddeeff/x", WIRE_MALFORMED, 0, NULL },
	{ "GIV x1:00112233445566778899aabbccddeeff/x", WIRE_MALFORMED, 0,
	    NULL },
	{ "GIV 4294967296:00112233445566778899aabbccddeeff/x", WIRE_MALFORMED,
	    0, NULL },
	/* GUIDs of the wrong length or with a non-hex digit */
	{ "GIV 1:00112233445566778899aabbccddeef/x", WIRE_MALFORMED, 0, NULL },
	{ "GIV 1:00112233445566778899aabbccddeeff00/x", WIRE_MALFORMED, 0,
	    NULL },
	{ "GIV 1:0011223344556677889gaabbccddeeff/x", WIRE_MALFORMED, 0, NULL },
	/* no slash, no colon, no verb, lower case */
	{ "GIV 1:00112233445566778899aabbccddeeff", WIRE_MALFORMED, 0, NULL },
	{ "GIV 100112233445566778899aabbccddeeff/x", WIRE_MALFORMED, 0, NULL },
	{ "GET / HTTP/1.1", WIRE_MALFORMED, 0, NULL },
	{ "giv 1:00112233445566778899aabbccddeeff/x", WIRE_MALFORMED, 0, NULL },
	{ "", WIRE_MALFORMED, 0, NULL },
};

START_TEST(test_giv_parse_table)
{
	struct giv	 gv;
	size_t		 n = strlen(giv_cases[_i].line);
	char		*p = malloc(n + 1);
	enum wire_status st;

	ck_assert_ptr_nonnull(p);
	memcpy(p, giv_cases[_i].line, n);	/* no NUL: the length bounds it */
	st = giv_parse(p, n, &gv);
	ck_assert_msg(st == giv_cases[_i].want, "case %d: %s", _i,
	    wire_strstatus(st));
	if (st == WIRE_OK) {
		ck_assert_uint_eq(gv.index, giv_cases[_i].index);
		ck_assert(memcmp(gv.guid, giv_guid, 16) == 0);
		ck_assert_uint_eq(gv.namelen, strlen(giv_cases[_i].name));
		ck_assert(memcmp(gv.name, giv_cases[_i].name, gv.namelen) == 0);
	}
	free(p);
}
END_TEST

START_TEST(test_giv_long_line)
{
	size_t		 n = 1024 * 1024;
	char		*p = malloc(n);
	struct giv	 gv;

	ck_assert_ptr_nonnull(p);
	memset(p, 'a', n);
	memcpy(p, "GIV 1:", 6);
	ck_assert_int_eq(giv_parse(p, n, &gv), WIRE_TOOBIG);
	free(p);
}
END_TEST

START_TEST(test_giv_format)
{
	char		 out[512], name[300];
	struct giv	 gv;
	size_t		 n;

	n = giv_format(out, sizeof out, 9, giv_guid, "a.mp3");
	ck_assert_str_eq(out, "GIV 9:00112233445566778899aabbccddeeff/a.mp3\n\n");
	ck_assert_uint_eq(n, strlen(out));
	ck_assert_int_eq(giv_parse(out, n - 2, &gv), WIRE_OK);
	ck_assert_uint_eq(gv.index, 9);
	/* a name that could end the line early, an empty one, a long one */
	giv_format(out, sizeof out, 1, giv_guid, "a\nGET /etc/passwd");
	ck_assert_str_eq(out, "GIV 1:00112233445566778899aabbccddeeff/file\n\n");
	giv_format(out, sizeof out, 1, giv_guid, NULL);
	ck_assert_str_eq(out, "GIV 1:00112233445566778899aabbccddeeff/file\n\n");
	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	giv_format(out, sizeof out, 1, giv_guid, name);
	ck_assert_str_eq(out, "GIV 1:00112233445566778899aabbccddeeff/file\n\n");
	/* no room: 42 bytes and the NUL */
	for (n = 0; n <= 42; n++)
		ck_assert_uint_eq(giv_format(out, n, 1, giv_guid, "x"), 0);
}
END_TEST

static const struct {
	const char	*target;
	int		 want;
	uint32_t	 index;
} pproxy_cases[] = {
	{ "/gnutella/push-proxy?ServerId=AAISEM2EKVTHPCEZVK54ZXPO74", 1, 0 },
	{ "/gnutella/pushproxy?serverid=aaisem2ekvthpcezvk54zxpo74&file=12",
	    1, 12 },
	{ "/gnutella/push-proxy?file=3&ServerId=AAISEM2EKVTHPCEZVK54ZXPO74",
	    1, 3 },
	{ "/gnet/push-proxy?guid=00112233445566778899AABBCCDDEEFF", 1, 0 },
	/* not a push-proxy request */
	{ "/uri-res/N2R?urn:sha1:AAAA", 0, 0 },
	{ "/", 0, 0 },
	/* no GUID, a short one, a bad character, a bad file= */
	{ "/gnutella/push-proxy?", -1, 0 },
	{ "/gnutella/push-proxy?ServerId=AAISEM2EKVTHPCEZVK54ZXPO", -1, 0 },
	{ "/gnutella/push-proxy?ServerId=AAISEM2EKVTHPCEZVK54ZXPO7!", -1, 0 },
	{ "/gnutella/push-proxy?ServerId=AAISEM2EKVTHPCEZVK54ZXPO74&file=x",
	    -1, 0 },
	{ "/gnet/push-proxy?guid=0011", -1, 0 },
};

START_TEST(test_pproxy_target_table)
{
	struct pproxy_req	 r;
	int			 k;

	k = pproxy_parse_target(pproxy_cases[_i].target, &r);
	ck_assert_msg(k == pproxy_cases[_i].want, "case %d: %d", _i, k);
	if (k == 1) {
		ck_assert(memcmp(r.guid, giv_guid, 16) == 0);
		ck_assert_uint_eq(r.index, pproxy_cases[_i].index);
	}
}
END_TEST

START_TEST(test_pproxy_round_trip)
{
	char			 t[128];
	struct pproxy_req	 r;

	ck_assert_uint_gt(pproxy_format_target(t, sizeof t, giv_guid), 0);
	ck_assert_str_eq(t,
	    "/gnutella/push-proxy?ServerId=AAISEM2EKVTHPCEZVK54ZXPO74");
	ck_assert_int_eq(pproxy_parse_target(t, &r), 1);
	ck_assert(memcmp(r.guid, giv_guid, 16) == 0);
	ck_assert_uint_eq(pproxy_format_target(t, 20, giv_guid), 0);
}
END_TEST

START_TEST(test_pproxy_list)
{
	uint8_t		 buf[32];
	uint32_t	 ip[4] = { 0x7f000002, 0x0a000001 }, oip[4];
	uint16_t	 port[4] = { 6346, 0x1234 }, oport[4];
	long		 n;

	ck_assert_uint_eq(pproxy_list_encode(ip, port, 2, buf, sizeof buf), 12);
	/* address big-endian, port little-endian, as gtk-gnutella */
	ck_assert(memcmp(buf, "\x7f\x00\x00\x02\xca\x18", 6) == 0);
	ck_assert_uint_eq(pproxy_list_decode(buf, 12, oip, oport, 4), 2);
	ck_assert_uint_eq(oip[1], 0x0a000001);
	ck_assert_uint_eq(oport[1], 0x1234);
	/* at most max; a length not a multiple of 6; zero entries skipped */
	ck_assert_uint_eq(pproxy_list_decode(buf, 12, oip, oport, 1), 1);
	ck_assert_uint_eq(pproxy_list_decode(buf, 11, oip, oport, 4), 0);
	n = tu_hex("000000000000 7f0000010100", buf, sizeof buf);
	ck_assert_uint_eq(pproxy_list_decode(buf, (size_t)n, oip, oport, 4),
	    1);
	ck_assert_uint_eq(oip[0], 0x7f000001);
	ck_assert_uint_eq(pproxy_list_encode(ip, port, 2, buf, 11), 0);
}
END_TEST

START_TEST(test_pproxy_ack)
{
	struct vmsg	 vm;
	uint8_t		 body[6] = { 0x7f, 0, 0, 2, 0xca, 0x18 };
	uint32_t	 ip;
	uint16_t	 port;

	memset(&vm, 0, sizeof vm);
	vm.version = 2;
	vm.body = body;
	vm.bodylen = 6;
	ck_assert_int_eq(vmsg_pproxy_ack_decode(&vm, &ip, &port), WIRE_OK);
	ck_assert_uint_eq(ip, 0x7f000002);
	ck_assert_uint_eq(port, 6346);
	vm.bodylen = 5;
	ck_assert_int_eq(vmsg_pproxy_ack_decode(&vm, &ip, &port), WIRE_SHORT);
	/* v1: the port alone, the address the link's */
	vm.version = 1;
	vm.body = body + 4;
	vm.bodylen = 2;
	ck_assert_int_eq(vmsg_pproxy_ack_decode(&vm, &ip, &port), WIRE_OK);
	ck_assert_uint_eq(ip, 0);
	ck_assert_uint_eq(port, 6346);
	vm.bodylen = 1;
	ck_assert_int_eq(vmsg_pproxy_ack_decode(&vm, &ip, &port), WIRE_SHORT);
}
END_TEST

TCase *
tc_giv(void)
{
	TCase	*tc = tcase_create("giv");

	tcase_add_loop_test(tc, test_giv_parse_table, 0,
	    sizeof giv_cases / sizeof giv_cases[0]);
	tcase_add_test(tc, test_giv_long_line);
	tcase_add_test(tc, test_giv_format);
	tcase_add_loop_test(tc, test_pproxy_target_table, 0,
	    sizeof pproxy_cases / sizeof pproxy_cases[0]);
	tcase_add_test(tc, test_pproxy_round_trip);
	tcase_add_test(tc, test_pproxy_list);
	tcase_add_test(tc, test_pproxy_ack);
	return tc;
}
