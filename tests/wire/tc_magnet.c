/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_magnet.c: magnet links: gtk-gnutella's and other clients' forms,
 * percent-decoding, several xt and xs, URN kinds, every bad part named
 * in the one reason, and formatting that parses back to the same link.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/magnet.h"
#include "wire/tc.h"

/* The SHA-1 and Tiger root of tests/data/queryhit-urn-tt.hex's file. */
#define SHA1_B32	"6O2DFRAIZKTOJES7NTV6GGZLB2IYGZSF"
#define TIGER_B32	"JZDZGQBEEZPLKBC7PIGQS5ANDJJZMEFQGTZQOIQ"
#define XT		"xt=urn:sha1:" SHA1_B32

static struct magnet	 M;

static enum wire_status
parse(const char *s)
{
	return magnet_parse(s, strlen(s), &M);
}

START_TEST(test_magnet_gtkg)
{
	/* What gtk-gnutella's "Copy magnet" gives. */
	ck_assert_int_eq(parse("magnet:?" XT "&xt=urn:bitprint:" SHA1_B32 "."
	    TIGER_B32 "&dn=Crazy%20in%20Love.flac&xl=3158073"
	    "&xs=http://10.0.0.5:6346/uri-res/N2R?urn:sha1:" SHA1_B32
	    "&xs=http://127.0.0.3:6347/uri-res/N2R?urn:sha1:" SHA1_B32), WIRE_OK);
	ck_assert(M.has_sha1 && M.has_tth && M.has_name && M.has_size);
	ck_assert_uint_eq(M.sha1[0], 0xf3);
	ck_assert_uint_eq(M.sha1[19], 0x45);
	ck_assert_uint_eq(M.tth[0], 0x4e);
	ck_assert_str_eq(M.name, "Crazy in Love.flac");
	ck_assert_uint_eq(M.size, 3158073);
	ck_assert_uint_eq(M.nsrc, 2);
	ck_assert_uint_eq(M.src[0].ip, 0x0a000005);
	ck_assert_uint_eq(M.src[0].port, 6346);
	ck_assert_uint_eq(M.src[1].ip, 0x7f000003);
	ck_assert_uint_eq(M.src[1].port, 6347);
	ck_assert_str_eq(M.why, "");
}
END_TEST

START_TEST(test_magnet_liberal)
{
	/* Lower-case base32, an encoded xt, '+' spaces, keys in capitals and
	 * with .N, unknown keys and URN kinds, a bare word, "&&", as= in both
	 * forms, xs=push://, no port (80), the same source twice. */
	ck_assert_int_eq(parse("MAGNET:?xt.1=urn%3Asha1%3A"
	    "6o2dfraizktojes7ntv6ggzlb2iygzsf&xt.2=urn:btih:abcdef&&DN=a+b%2Bc"
	    "&tr=udp://x&kt=love&junk&as=http://example.com/f"
	    "&as=http://1.2.3.4:99/f&xs=push://0123456789ABCDEF:1.2.3.4:5"
	    "&xs=http://1.2.3.4:99/&xs=http://5.6.7.8"), WIRE_OK);
	ck_assert(M.has_sha1 && !M.has_tth && !M.has_size);
	ck_assert_uint_eq(M.sha1[0], 0xf3);
	ck_assert_str_eq(M.name, "a b+c");
	ck_assert_uint_eq(M.nsrc, 2);
	ck_assert_uint_eq(M.src[0].ip, 0x01020304);
	ck_assert_uint_eq(M.src[0].port, 99);
	ck_assert_uint_eq(M.src[1].port, 80);

	/* The Tiger root from urn:tree:tiger, in any of its spellings. */
	ck_assert_int_eq(parse("magnet:?xt=urn:tree:tiger:" TIGER_B32 "&" XT),
	    WIRE_OK);
	ck_assert(M.has_tth && M.has_sha1 && !M.has_name);
	ck_assert_uint_eq(M.tth[0], 0x4e);
	ck_assert_int_eq(parse("magnet:?xt=urn:tree:tiger/:" TIGER_B32 "&" XT),
	    WIRE_OK);
	ck_assert_int_eq(parse("magnet:?xt=urn:tree:tiger/1024:" TIGER_B32 "&"
	    XT "&xt=urn:bitprint:" SHA1_B32 "." TIGER_B32), WIRE_OK);
	/* A bitprint alone gives both. */
	ck_assert_int_eq(parse("magnet:?xt=urn:bitprint:" SHA1_B32 "."
	    TIGER_B32), WIRE_OK);
	ck_assert(M.has_sha1 && M.has_tth);
	/* An empty dn is no name; the first of two counts. */
	ck_assert_int_eq(parse("magnet:?" XT "&dn="), WIRE_OK);
	ck_assert(!M.has_name);
	ck_assert_int_eq(parse("magnet:?" XT "&dn=one&dn=two"), WIRE_OK);
	ck_assert_str_eq(M.name, "one");
	/* UTF-8 through percent-encoding, and the same size twice. */
	ck_assert_int_eq(parse("magnet:?" XT "&dn=caf%C3%A9&xl=0&xl=0"),
	    WIRE_OK);
	ck_assert_str_eq(M.name, "caf\xc3\xa9");
	ck_assert(M.has_size);
	ck_assert_uint_eq(M.size, 0);
}
END_TEST

START_TEST(test_magnet_sources_bounded)
{
	char	 buf[4096];
	size_t	 off, i;

	off = (size_t)snprintf(buf, sizeof buf, "magnet:?%s", XT);
	for (i = 0; i < MAGNET_MAX_SOURCES + 10; i++)
		off += (size_t)snprintf(buf + off, sizeof buf - off,
		    "&xs=http://10.0.%zu.1:6346/", i);
	ck_assert_int_eq(parse(buf), WIRE_OK);
	ck_assert_uint_eq(M.nsrc, MAGNET_MAX_SOURCES);
	ck_assert_uint_eq(M.src[MAGNET_MAX_SOURCES - 1].ip,
	    0x0a000001 | (MAGNET_MAX_SOURCES - 1) << 8);
}
END_TEST

/* Bad links: the status and a piece of the one reason given. */
static const struct {
	const char		*link;
	enum wire_status	 want;
	const char		*why;
} magnet_bad[] = {
	{ "", WIRE_MALFORMED, "not a magnet link" },
	{ "http://x/?" XT, WIRE_MALFORMED, "not a magnet link" },
	{ "magnet:" XT, WIRE_MALFORMED, "no '?'" },
	{ "magnet:", WIRE_MALFORMED, "no '?'" },
	{ "magnet:?", WIRE_MALFORMED, "no xt=" },
	{ "magnet:?dn=x&xl=3", WIRE_MALFORMED, "no xt=" },
	{ "magnet:?xt=urn:btih:abc", WIRE_MALFORMED, "xt: no urn:sha1" },
	{ "magnet:?xt=urn:tree:tiger:" TIGER_B32, WIRE_MALFORMED,
	    "xt: no urn:sha1" },
	{ "magnet:?xt=sha1:" SHA1_B32, WIRE_MALFORMED, "xt: not a URN" },
	{ "magnet:?xt=urn:sha1:" SHA1_B32 "A", WIRE_MALFORMED,
	    "xt: urn:sha1: 33 base32 characters, 32 expected" },
	{ "magnet:?xt=urn:sha1:6O2DFRAIZKTOJES7NTV6GGZLB2IYGZS", WIRE_MALFORMED,
	    "xt: urn:sha1: 31 base32" },
	{ "magnet:?xt=urn:sha1:6O2DFRAIZKTOJES1NTV6GGZLB2IYGZSF", WIRE_MALFORMED,
	    "xt: urn:sha1: bad base32" },
	{ "magnet:?xt=urn:bitprint:" SHA1_B32, WIRE_MALFORMED,
	    "xt: urn:bitprint: 32 characters" },
	{ "magnet:?xt=urn:bitprint:" SHA1_B32 "." TIGER_B32 "A",
	    WIRE_MALFORMED, "xt: urn:bitprint:" },
	{ "magnet:?xt=urn:bitprint:" SHA1_B32 ".JZDZGQBEEZPLKBC7PIGQS5ANDJJZMEFQGTZQOIR",
	    WIRE_MALFORMED, "bad base32" },
	{ "magnet:?xt=urn:tree:tiger:ABC", WIRE_MALFORMED,
	    "xt: urn:tree:tiger: 3 base32 characters, 39 expected" },
	{ "magnet:?" XT "&xt=urn:sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    WIRE_MALFORMED, "xt: two different SHA-1s" },
	{ "magnet:?" XT "&xt=urn:tree:tiger:" TIGER_B32 "&xt=urn:tree:tiger:"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", WIRE_MALFORMED,
	    "two different Tiger roots" },
	{ "magnet:?" XT "&xl=12a", WIRE_MALFORMED, "xl: not a size" },
	{ "magnet:?" XT "&xl=", WIRE_MALFORMED, "xl: not a size" },
	{ "magnet:?" XT "&xl=-1", WIRE_MALFORMED, "xl: not a size" },
	{ "magnet:?" XT "&xl=99999999999999999999", WIRE_MALFORMED,
	    "xl: not a size" },
	{ "magnet:?" XT "&xl=9223372036854775808", WIRE_MALFORMED,
	    "xl: not a size" },
	{ "magnet:?" XT "&xl=1&xl=2", WIRE_MALFORMED, "xl: two" },
	{ "magnet:?" XT "&xs=ftp://1.2.3.4/", WIRE_MALFORMED,
	    "xs: not http://IPv4:PORT/" },
	{ "magnet:?" XT "&xs=urn:sha1:" SHA1_B32, WIRE_MALFORMED,
	    "xs: not http://" },
	{ "magnet:?" XT "&xs=http://example.com:80/", WIRE_MALFORMED,
	    "xs: not an IPv4 address: example.com:80" },
	{ "magnet:?" XT "&xs=http://1.2.3/", WIRE_MALFORMED,
	    "xs: not an IPv4 address" },
	{ "magnet:?" XT "&xs=http://1.2.3.256:80/", WIRE_MALFORMED,
	    "xs: not an IPv4 address" },
	{ "magnet:?" XT "&xs=http://1.2.3.4.5:80/", WIRE_MALFORMED,
	    "xs: not an IPv4 address" },
	{ "magnet:?" XT "&xs=http://[::1]:80/", WIRE_MALFORMED,
	    "xs: not an IPv4 address" },
	{ "magnet:?" XT "&xs=http://1.2.3.4:0/", WIRE_MALFORMED, "xs: bad port" },
	{ "magnet:?" XT "&xs=http://1.2.3.4:65536/", WIRE_MALFORMED,
	    "xs: bad port" },
	{ "magnet:?" XT "&xs=http://1.2.3.4:/", WIRE_MALFORMED, "xs: bad port" },
	{ "magnet:?" XT "&xs=http://0.0.0.0:6346/", WIRE_MALFORMED,
	    "xs: address 0" },
	{ "magnet:?" XT "&dn=a%2", WIRE_MALFORMED, "dn: bad percent-encoding" },
	{ "magnet:?" XT "&dn=a%zz", WIRE_MALFORMED, "dn: bad percent-encoding" },
	{ "magnet:?" XT "&dn=a%00b", WIRE_MALFORMED, "dn: holds a NUL" },
	{ "magnet:?xt=urn%3sha1", WIRE_MALFORMED, "xt: bad percent-encoding" },
	{ "magnet:?" XT "&xs=http%3A%2F%2F1.2.3.4%3A1%2", WIRE_MALFORMED,
	    "xs: bad percent-encoding" },
};

START_TEST(test_magnet_bad)
{
	const char	*l = magnet_bad[_i].link;

	ck_assert_msg(magnet_parse(l, strlen(l), &M) == magnet_bad[_i].want,
	    "%s: parsed", l);
	ck_assert_msg(strstr(M.why, magnet_bad[_i].why) != NULL,
	    "%s: reason \"%s\", not \"%s\"", l, M.why, magnet_bad[_i].why);
	/* One line: the reason never carries a control byte. */
	ck_assert_ptr_null(strpbrk(M.why, "\r\n"));
}
END_TEST

START_TEST(test_magnet_limits)
{
	char	*big;
	size_t	 n;

	/* Over-long input, and an over-long name inside a link that fits. */
	big = malloc(MAGNET_MAX_LEN + 2);
	memset(big, 'a', MAGNET_MAX_LEN + 1);
	memcpy(big, "magnet:?" XT "&dn=", strlen("magnet:?" XT "&dn="));
	big[MAGNET_MAX_LEN + 1] = '\0';
	ck_assert_int_eq(parse(big), WIRE_TOOBIG);
	ck_assert(strstr(M.why, "longer than 8192") != NULL);
	n = strlen("magnet:?" XT "&dn=") + MAGNET_NAME_MAX + 1;
	big[n] = '\0';
	ck_assert_int_eq(parse(big), WIRE_MALFORMED);
	ck_assert(strstr(M.why, "dn: longer than 1024") != NULL);
	big[n - 1] = '\0';
	ck_assert_int_eq(parse(big), WIRE_OK);
	ck_assert_uint_eq(strlen(M.name), MAGNET_NAME_MAX);
	/* The reason echoes at most a bounded piece of what was typed, with
	 * control bytes replaced. */
	ck_assert_int_eq(parse("magnet:?" XT "&xs=ftp://\x1b[31m/"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
	    WIRE_MALFORMED);
	ck_assert_ptr_null(strchr(M.why, '\x1b'));
	ck_assert(strstr(M.why, "...") != NULL);
	/* The length given is the end, whatever follows it. */
	ck_assert_int_eq(magnet_parse("magnet:?" XT "&xl=12", 8 + strlen(XT) +
	    5, &M), WIRE_OK);
	ck_assert_uint_eq(M.size, 1);
	free(big);
}
END_TEST

START_TEST(test_magnet_urn)
{
	struct magnet	 u;

	memset(&u, 0, sizeof u);
	ck_assert_int_eq(magnet_urn("urn:sha1:" SHA1_B32, 41, &u), WIRE_OK);
	ck_assert(u.has_sha1 && !u.has_tth);
	memset(&u, 0, sizeof u);
	ck_assert_int_eq(magnet_urn("URN:SHA1:" SHA1_B32, 41, &u), WIRE_OK);
	ck_assert_int_eq(magnet_urn("urn:ed2k:abc", 12, &u), WIRE_BADTYPE);
	ck_assert(strstr(u.why, "unknown kind of URN") != NULL);
	ck_assert(strstr(u.why, "urn:ed2k") != NULL);
	ck_assert_int_eq(magnet_urn("urn:sha1:", 9, &u), WIRE_MALFORMED);
	ck_assert(strstr(u.why, "0 base32 characters, 32 expected") != NULL);
	ck_assert_int_eq(magnet_urn("sha1:X", 6, &u), WIRE_MALFORMED);
	ck_assert(strstr(u.why, "not a URN") != NULL);
}
END_TEST

START_TEST(test_magnet_format)
{
	struct magnet	 m, back;
	char		 out[MAGNET_MAX_LEN + 1];
	size_t		 n;

	ck_assert_int_eq(parse("magnet:?xt=urn:bitprint:" SHA1_B32 "."
	    TIGER_B32), WIRE_OK);
	m = M;
	snprintf(m.name, sizeof m.name, "Love & War 100%%/é?.mp3");
	m.has_name = 1;
	m.size = 1234567;
	m.has_size = 1;
	m.src[0].ip = 0x7f000002;
	m.src[0].port = 6346;
	m.nsrc = 1;
	n = magnet_format(&m, out, sizeof out);
	ck_assert_str_eq(out, "magnet:?" XT "&xt=urn:bitprint:" SHA1_B32 "."
	    TIGER_B32 "&dn=Love%20%26%20War%20100%25%2F%C3%A9%3F.mp3"
	    "&xl=1234567&xs=http://127.0.0.2:6346/uri-res/N2R?urn:sha1:"
	    SHA1_B32);
	ck_assert_uint_eq(n, strlen(out));
	/* Back to the same. */
	ck_assert_int_eq(magnet_parse(out, n, &back), WIRE_OK);
	ck_assert_str_eq(back.name, m.name);
	ck_assert_mem_eq(back.sha1, m.sha1, SHA1_LEN);
	ck_assert_mem_eq(back.tth, m.tth, TTH_LEN);
	ck_assert_uint_eq(back.size, m.size);
	ck_assert_uint_eq(back.nsrc, 1);
	ck_assert_uint_eq(back.src[0].ip, m.src[0].ip);
	/* Too small a buffer: nothing, not a cut link. */
	ck_assert_uint_eq(magnet_format(&m, out, n), 0);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(magnet_format(&m, out, n + 1), n);
	/* The smallest: only the SHA-1. */
	memset(&m, 0, sizeof m);
	m.has_sha1 = 1;
	ck_assert_uint_eq(magnet_format(&m, out, sizeof out), 8 + 3 + 41);
	ck_assert_str_eq(out, "magnet:?xt=urn:sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	m.has_sha1 = 0;
	ck_assert_uint_eq(magnet_format(&m, out, sizeof out), 0);
}
END_TEST

START_TEST(test_magnet_unescape)
{
	char	 out[8];

	ck_assert_int_eq(magnet_unescape("a%41+", 5, out, sizeof out), 3);
	ck_assert_str_eq(out, "aA ");
	ck_assert_int_eq(magnet_unescape("%4", 2, out, sizeof out), -1);
	ck_assert_int_eq(magnet_unescape("%00", 3, out, sizeof out), -1);
	ck_assert_int_eq(magnet_unescape("12345678", 8, out, sizeof out), -1);
	ck_assert_int_eq(magnet_unescape("1234567", 7, out, sizeof out), 7);
}
END_TEST

TCase *
tc_magnet(void)
{
	TCase	*tc = tcase_create("magnet");

	tcase_add_test(tc, test_magnet_gtkg);
	tcase_add_test(tc, test_magnet_liberal);
	tcase_add_test(tc, test_magnet_sources_bounded);
	tcase_add_loop_test(tc, test_magnet_bad, 0,
	    sizeof magnet_bad / sizeof magnet_bad[0]);
	tcase_add_test(tc, test_magnet_limits);
	tcase_add_test(tc, test_magnet_urn);
	tcase_add_test(tc, test_magnet_format);
	tcase_add_test(tc, test_magnet_unescape);
	return tc;
}
