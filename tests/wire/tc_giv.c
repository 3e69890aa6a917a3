/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_giv.c: GIV lines (as gtk-gnutella and LimeWire write them, and the
 * bad ones a peer may send), push-proxy request targets in their three
 * spellings, the GGEP PUSH proxy list, the LIME/22 ack body, and X-Falt
 * as gtk-gnutella and LimeWire write it.
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

/* X-Falt as gtk-gnutella documents its own (dmesh.c): a GUID, an option,
 * its address port first, a TLS mark, three proxies; then LimeWire's
 * and a base32 GUID; then entries that are not one. */
START_TEST(test_falt_parse)
{
	static const char v[] =
	    "9DBC52EEEBCA2C8A79036D626B959900;fwt/1;26252:85.182.49.3;"
	    "pptls=E;69.12.88.95:1085;64.53.20.48:804;66.17.23.159:343 , "
	    "00112233445566778899aabbccddeeff;1.2.3.4:6346;5.6.7.8;"
	    "9.9.9.9:1;10.0.0.1:2;10.0.0.2:3, "
	    "AAISEM2EKVTHPCEZVK54ZXPO74;127.0.0.2:6346, "
	    "notaguid;1.2.3.4:5, ;;, 00112233445566778899aabbccddee";
	struct falt	 f[8];
	size_t		 n;

	n = falt_parse(v, sizeof v - 1, f, 8);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(f[0].guid[0], 0x9d);
	ck_assert_uint_eq(f[0].guid[15], 0x00);
	ck_assert_uint_eq(f[0].ip, 0x55b63103);
	ck_assert_uint_eq(f[0].port, 26252);
	ck_assert_uint_eq(f[0].npp, 3);
	ck_assert_uint_eq(f[0].pp[0].ip, 0x450c585f);
	ck_assert_uint_eq(f[0].pp[0].port, 1085);
	ck_assert_uint_eq(f[0].pp[2].port, 343);
	/* no own address; a proxy without a port is on 6346; past 4, none */
	ck_assert(memcmp(f[1].guid, giv_guid, 16) == 0);
	ck_assert_uint_eq(f[1].ip, 0);
	ck_assert_uint_eq(f[1].npp, FALT_PROXIES);
	ck_assert_uint_eq(f[1].pp[1].ip, 0x05060708);
	ck_assert_uint_eq(f[1].pp[1].port, 6346);
	ck_assert_uint_eq(f[1].pp[3].ip, 0x0a000001);
	ck_assert(memcmp(f[2].guid, giv_guid, 16) == 0);
	ck_assert_uint_eq(f[2].npp, 1);
	/* at most max; the length bounds it (no NUL needed) */
	ck_assert_uint_eq(falt_parse(v, sizeof v - 1, f, 1), 1);
	ck_assert_uint_eq(falt_parse(v, 32, f, 8), 1);
	ck_assert_uint_eq(f[0].npp, 0);
	ck_assert_uint_eq(falt_parse(v, 31, f, 8), 0);
	ck_assert_uint_eq(falt_parse("", 0, f, 8), 0);
}
END_TEST

START_TEST(test_falt_format)
{
	struct falt	 f[2], back[2];
	char		 out[256];
	size_t		 n;

	memset(f, 0, sizeof f);
	memcpy(f[0].guid, giv_guid, 16);
	f[0].ip = 0x7f000009;
	f[0].port = 6346;
	f[0].npp = 2;
	f[0].pp[0] = (struct http_alt){ 0x7f000002, 6346 };
	f[0].pp[1] = (struct http_alt){ 0x7f000003, 7000 };
	memcpy(f[1].guid, giv_guid, 16);
	f[1].guid[0] = 0xab;
	n = falt_format(out, sizeof out, f, 2);
	ck_assert_str_eq(out, "00112233445566778899aabbccddeeff;"
	    "6346:127.0.0.9;127.0.0.2:6346;127.0.0.3:7000, "
	    "ab112233445566778899aabbccddeeff");
	ck_assert_uint_eq(n, strlen(out));
	ck_assert_uint_eq(falt_parse(out, n, back, 2), 2);
	ck_assert_uint_eq(back[0].ip, f[0].ip);
	ck_assert_uint_eq(back[0].npp, 2);
	ck_assert_uint_eq(back[0].pp[1].port, 7000);
	/* whole entries only */
	n = falt_format(out, 40, f, 2);
	ck_assert_uint_eq(n, 0);
	ck_assert_str_eq(out, "");
	n = falt_format(out, 100, f, 2);
	ck_assert_str_eq(out, "00112233445566778899aabbccddeeff;"
	    "6346:127.0.0.9;127.0.0.2:6346;127.0.0.3:7000");
}
END_TEST

START_TEST(test_features_and_xalt)
{
	struct http_alt	 a[2] = { { 0x7f000002, 6346 }, { 0x0a000001, 1 } };
	char		 out[64];

	ck_assert(http_has_feature("browse/1.0, fwalt/0.1", "fwalt"));
	ck_assert(http_has_feature("FWALT", "fwalt"));
	ck_assert(!http_has_feature("fwalty/1.0, xfwalt/0.1", "fwalt"));
	ck_assert(!http_has_feature("", "fwalt"));
	ck_assert_uint_eq(http_format_xalt(out, sizeof out, a, 2), 25);
	ck_assert_str_eq(out, "127.0.0.2:6346,10.0.0.1:1");
	ck_assert_uint_eq(http_format_xalt(out, 20, a, 2), 14);
	ck_assert_str_eq(out, "127.0.0.2:6346");
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
	tcase_add_test(tc, test_falt_parse);
	tcase_add_test(tc, test_falt_format);
	tcase_add_test(tc, test_features_and_xalt);
	return tc;
}
