/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_hs.c: the handshake codec against gtk-gnutella's real 200 reply,
 * folded and LF-only blocks, every limit, every truncation, and the
 * writer's refusal to let a caller inject header lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "wire/hs.h"
#include "testutil.h"
#include "tc.h"

#define S(x)	(x), sizeof(x) - 1

static struct hs	 hs, hs2;

/* Parse from an exactly sized heap copy, so ASan sees any read past len. */
static enum wire_status
parse(const void *in, size_t n, struct hs *h, size_t *used)
{
	enum wire_status	 st;
	uint8_t			*p;

	p = malloc(n == 0 ? 1 : n);
	ck_assert_ptr_nonnull(p);
	memcpy(p, in, n);
	st = hs_parse(p, n, h, used);
	free(p);
	return st;
}

static size_t
golden(uint8_t *buf, size_t cap)
{
	return tu_file("handshake-200-reply.txt", buf, cap);
}

static void
check_in_store(const struct hs *h, const char *s)
{
	ck_assert(s >= h->store && s < h->store + h->storelen);
}

START_TEST(test_golden)
{
	static uint8_t	 buf[HS_MAX_BLOCK];
	size_t		 n, used = 0, i;

	n = golden(buf, sizeof buf);
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_OK);
	ck_assert_uint_eq(used, n);
	ck_assert_int_eq(hs.kind, HS_RESPONSE);
	ck_assert_int_eq(hs.major, 0);
	ck_assert_int_eq(hs.minor, 6);
	ck_assert_int_eq(hs.code, 200);
	ck_assert_str_eq(hs.reason, "OK");
	ck_assert_uint_eq(hs.nhdr, 20);
	ck_assert_str_eq(hs.hdr[0].name, "User-Agent");
	ck_assert_str_eq(hs.hdr[19].name, "X-Features");
	ck_assert_str_eq(hs_get(&hs, "User-Agent"), "gtk-gnutella/1.2.3-14-"
	    "ga331a-dirty (2024-03-03; Topless; Linux x86_64)");
	ck_assert_str_eq(hs_get(&hs, "user-agent"), hs_get(&hs, "User-Agent"));
	ck_assert_int_eq(hs_is(&hs, "X-Ultrapeer", "True"), 1);
	ck_assert_int_eq(hs_is(&hs, "x-ultrapeer", "true"), 1);
	ck_assert_int_eq(hs_is(&hs, "X-Ultrapeer", "False"), 0);
	ck_assert_int_eq(hs_is(&hs, "X-Requeries", "false"), 1);
	ck_assert_int_eq(hs_is(&hs, "X-Missing", "True"), 0);
	ck_assert_int_eq(hs_has_token(&hs, "Accept-Encoding", "deflate"), 1);
	ck_assert_int_eq(hs_has_token(&hs, "Accept-Encoding", "gzip"), 0);
	ck_assert_str_eq(hs_get(&hs, "X-Degree"), "46");
	ck_assert_str_eq(hs_get(&hs, "X-Features"),
	    "tls/1.0, sflag/0.1, HSEP/0.2");
	ck_assert_int_eq(hs_has_token(&hs, "X-Features", "sflag/0.1"), 1);
	ck_assert_int_eq(hs_has_token(&hs, "X-Features", "HSEP/0.2"), 1);
	ck_assert_str_eq(hs_get(&hs, "X-Live-Since"),
	    "Mon, 24 Nov 2025 03:17:32 +0000");
	ck_assert_str_eq(hs_get(&hs, "GUID"),
	    "bd18310273e7b224f665d42ff1ead7f3");
	ck_assert_ptr_null(hs_get(&hs, "X-Try-Ultrapeers"));
	ck_assert_ptr_null(hs_get(&hs, "X-Degre"));
	check_in_store(&hs, hs.reason);
	for (i = 0; i < hs.nhdr; i++) {
		check_in_store(&hs, hs.hdr[i].name);
		check_in_store(&hs, hs.hdr[i].value);
	}
	ck_assert_uint_le(hs.storelen, sizeof hs.store);
}
END_TEST

/* gtkg's outgoing hello, with X-Features folded over three lines. */
static const char folded[] =
    "GNUTELLA CONNECT/0.6\r\n"
    "Node: 127.0.0.1:16346\r\n"
    "User-Agent: gnode/0.1\r\n"
    "X-Ultrapeer: False\r\n"
    "X-Empty:\r\n"
    "X-Features: browse/1.0,\r\n"
    "   sflag/0.1,  \r\n"
    "\tHSEP/0.2\r\n"
    " \t \r\n"
    "X-Late:\r\n"
    "  arrives on the next line\r\n"
    "Accept-Encoding: deflate\r\n"
    "\r\n";

START_TEST(test_folded)
{
	size_t	 used = 0;

	ck_assert_int_eq(parse(S(folded), &hs, &used), WIRE_OK);
	ck_assert_uint_eq(used, sizeof folded - 1);
	ck_assert_int_eq(hs.kind, HS_REQUEST);
	ck_assert_int_eq(hs.major, 0);
	ck_assert_int_eq(hs.minor, 6);
	ck_assert_ptr_null(hs.reason);
	ck_assert_uint_eq(hs.nhdr, 7);
	ck_assert_str_eq(hs_get(&hs, "X-Empty"), "");
	ck_assert_str_eq(hs_get(&hs, "X-Features"),
	    "browse/1.0, sflag/0.1, HSEP/0.2");
	ck_assert_str_eq(hs_get(&hs, "X-Late"), "arrives on the next line");
	ck_assert_str_eq(hs_get(&hs, "Node"), "127.0.0.1:16346");
	ck_assert_str_eq(hs.hdr[6].name, "Accept-Encoding");
	ck_assert_int_eq(hs_is(&hs, "X-Ultrapeer", "FALSE"), 1);
	ck_assert_int_eq(hs_has_token(&hs, "X-Features", "HSEP/0.2"), 1);
}
END_TEST

static const char lfonly[] =
    "GNUTELLA/0.6 503 Too many leaf connections (32 max)\n"
    "User-Agent: gnode/0.1\n"
    "X-Try-Ultrapeers: 10.0.0.1:6346,10.0.0.2:6346\r\n"
    "\n";

START_TEST(test_lfonly)
{
	size_t	 used = 0;

	ck_assert_int_eq(parse(S(lfonly), &hs, &used), WIRE_OK);
	ck_assert_uint_eq(used, sizeof lfonly - 1);
	ck_assert_int_eq(hs.kind, HS_RESPONSE);
	ck_assert_int_eq(hs.code, 503);
	ck_assert_str_eq(hs.reason, "Too many leaf connections (32 max)");
	ck_assert_uint_eq(hs.nhdr, 2);
	ck_assert_str_eq(hs_get(&hs, "X-Try-Ultrapeers"),
	    "10.0.0.1:6346,10.0.0.2:6346");
	ck_assert_int_eq(hs_has_token(&hs, "X-Try-Ultrapeers",
	    "10.0.0.2:6346"), 1);
}
END_TEST

/* Deflated or binary Gnutella traffic right after the blank line stays put. */
START_TEST(test_trailing_binary)
{
	static uint8_t	 buf[HS_MAX_BLOCK + 64];
	static const uint8_t bin[] = { 0x78, 0x9c, 0x00, 0x0d, 0x0a, 0x0d,
	    0x0a, 0xff, 'G' };
	size_t		 n, used = 0;

	n = golden(buf, HS_MAX_BLOCK);
	memcpy(buf + n, bin, sizeof bin);
	ck_assert_int_eq(parse(buf, n + sizeof bin, &hs, &used), WIRE_OK);
	ck_assert_uint_eq(used, n);
	ck_assert_uint_eq(hs.nhdr, 20);
	ck_assert_mem_eq(buf + used, bin, sizeof bin);

	/* No headers at all, then binary. */
	ck_assert_int_eq(parse(S("GNUTELLA/0.6 200 OK\r\n\r\n\x01\x02"), &hs,
	    &used), WIRE_OK);
	ck_assert_uint_eq(used, 23);
	ck_assert_uint_eq(hs.nhdr, 0);
	ck_assert_str_eq(hs.reason, "OK");
}
END_TEST

static const struct {
	const char	*line;
	enum hs_kind	 kind;
	int		 major, minor, code;
	const char	*reason;
} start_ok[] = {
	{ "GNUTELLA CONNECT/0.6", HS_REQUEST, 0, 6, 0, NULL },
	{ "GNUTELLA CONNECT/0.7", HS_REQUEST, 0, 7, 0, NULL },
	{ "GNUTELLA CONNECT/0.6 \t", HS_REQUEST, 0, 6, 0, NULL },
	{ "GNUTELLA CONNECT/1.12", HS_REQUEST, 1, 12, 0, NULL },
	{ "GNUTELLA/0.6 200 OK", HS_RESPONSE, 0, 6, 200, "OK" },
	{ "GNUTELLA/0.9 200 OK", HS_RESPONSE, 0, 9, 200, "OK" },
	{ "GNUTELLA/0.6 200", HS_RESPONSE, 0, 6, 200, "" },
	{ "GNUTELLA/0.6 200 ", HS_RESPONSE, 0, 6, 200, "" },
	{ "GNUTELLA/0.6 204 Shielded leaf node (32 peers max)", HS_RESPONSE,
	    0, 6, 204, "Shielded leaf node (32 peers max)" },
	{ "GNUTELLA/0.6 409   Already connected \t", HS_RESPONSE, 0, 6, 409,
	    "Already connected" },
	{ "GNUTELLA/0.6 503 Servent\tShutdown", HS_RESPONSE, 0, 6, 503,
	    "Servent\tShutdown" },
	{ "GNUTELLA/0.6 403 Z\xc3\xbcrich", HS_RESPONSE, 0, 6, 403,
	    "Z\xc3\xbcrich" },
	{ "GNUTELLA/000.006 999 x", HS_RESPONSE, 0, 6, 999, "x" },
};

START_TEST(test_start_lines)
{
	char	 buf[256];
	size_t	 n, used;
	int	 i = _i;

	n = (size_t)snprintf(buf, sizeof buf, "%s\r\n\r\n", start_ok[i].line);
	ck_assert_msg(parse(buf, n, &hs, &used) == WIRE_OK, "%s",
	    start_ok[i].line);
	ck_assert_uint_eq(used, n);
	ck_assert_int_eq(hs.kind, start_ok[i].kind);
	ck_assert_int_eq(hs.major, start_ok[i].major);
	ck_assert_int_eq(hs.minor, start_ok[i].minor);
	if (start_ok[i].kind == HS_RESPONSE) {
		ck_assert_int_eq(hs.code, start_ok[i].code);
		ck_assert_str_eq(hs.reason, start_ok[i].reason);
	} else
		ck_assert_ptr_null(hs.reason);
	ck_assert_uint_eq(hs.nhdr, 0);
}
END_TEST

static const struct {
	const char		*in;
	size_t			 len;
	enum wire_status	 want;
} bad[] = {
	/* Not a Gnutella start line at all, judged before the blank line. */
	{ S("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET "), WIRE_MALFORMED },
	{ S("H"), WIRE_MALFORMED },
	{ S("GNUX"), WIRE_MALFORMED },
	{ S("GIV 0:0123456789abcdef0123456789abcdef/file\n\n"),
	    WIRE_MALFORMED },
	{ S("\x00\x01\x02\x03"), WIRE_MALFORMED },
	{ S("\x78\x9c\xff\xfe"), WIRE_MALFORMED },
	{ S("gnutella connect/0.6\r\n\r\n"), WIRE_MALFORMED },
	{ S("\r\n\r\n"), WIRE_MALFORMED },
	{ S("\n"), WIRE_MALFORMED },
	{ S(" GNUTELLA CONNECT/0.6\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA  CONNECT/0.6\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT 0.6\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECTX"), WIRE_MALFORMED },
	{ S("GNUTELLA\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/.6\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/06\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6x\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6 x\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/-1.6\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/1234.6\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.99999999999999999999\r\n\r\n"),
	    WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6666"), WIRE_MALFORMED },
	{ S("GNUTELLA/0.6\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA/0.6 \r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA/0.6 20\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA/0.6 2000 OK\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA/0.6 099 OK\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA/0.6 200OK\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA/0.6 OK 200\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA/0.6  200 OK\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA/0.6\t200 OK\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA/0.6 200 O\rK\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA/0.6 200 OK\r\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA/0.6 200 O\x00K\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA/0.6 200 OK\x7f\r\n\r\n"), WIRE_MALFORMED },
	/* A complete bad start line is refused without the rest. */
	{ S("GNUTELLA CONNECT/0.6x\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA/0.6 200OK\r\nUser-Agent: x\r\n"), WIRE_MALFORMED },
	/* Header lines. */
	{ S("GNUTELLA CONNECT/0.6\r\nNoColon\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\nA: b\r\nNoColon\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\n: empty name\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\nBad Name: v\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\nName : v\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\nN(a)me: v\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\nN\xc3\xa9: v\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\nN\x7f: v\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\n cont\r\nA: b\r\n\r\n"),
	    WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\n\tcont\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\n "), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\nA: b\x00" "c\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\nA: b\x00"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\nA: b\x01" "c\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\nA: b\x1b[31m\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\nA: b\rc\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\nA: b\r\n \x00\r\n\r\n"),
	    WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\nA: b\r\n\r\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\nA\x00: b\r\n\r\n"), WIRE_MALFORMED },
	/* Valid so far: read more. */
	{ S(""), WIRE_SHORT },
	{ S("G"), WIRE_SHORT },
	{ S("GNUTELLA"), WIRE_SHORT },
	{ S("GNUTELLA CONNECT/0.6"), WIRE_SHORT },
	{ S("GNUTELLA/0.6 200 OK\r"), WIRE_SHORT },
	{ S("GNUTELLA CONNECT/0.6\r\nA: b"), WIRE_SHORT },
	{ S("GNUTELLA CONNECT/0.6\r\nA"), WIRE_SHORT },
	{ S("GNUTELLA CONNECT/0.6\r\nA: b\r\n  c"), WIRE_SHORT },
	{ S("GNUTELLA CONNECT/0.6\r\nA: b\r\n\r"), WIRE_SHORT },
};

START_TEST(test_bad)
{
	size_t			 used = 12345;
	enum wire_status	 st;
	int			 i = _i;

	st = parse(bad[i].in, bad[i].len, &hs, &used);
	ck_assert_msg(st == bad[i].want, "case %d: got %s want %s", i,
	    wire_strstatus(st), wire_strstatus(bad[i].want));
	ck_assert_uint_eq(used, 12345);
}
END_TEST

/* Every strict prefix of a good block waits for more; none is an error. */
START_TEST(test_prefixes)
{
	static uint8_t	 buf[HS_MAX_BLOCK];
	const uint8_t	*in[3];
	size_t		 len[3], k, used;
	int		 j;

	len[0] = golden(buf, sizeof buf);
	in[0] = buf;
	in[1] = (const uint8_t *)folded;
	len[1] = sizeof folded - 1;
	in[2] = (const uint8_t *)lfonly;
	len[2] = sizeof lfonly - 1;
	for (j = 0; j < 3; j++) {
		for (k = 0; k < len[j]; k++)
			ck_assert_msg(parse(in[j], k, &hs, &used) == WIRE_SHORT,
			    "input %d prefix %zu", j, k);
		ck_assert_int_eq(parse(in[j], len[j], &hs, &used), WIRE_OK);
		ck_assert_uint_eq(used, len[j]);
	}
}
END_TEST

/* Build "GNUTELLA CONNECT/0.6\r\n" then one header line of exactly n bytes. */
static size_t
longline(uint8_t *buf, size_t n, const char *end)
{
	size_t	 off;

	off = (size_t)sprintf((char *)buf, "GNUTELLA CONNECT/0.6\r\nX: ");
	memset(buf + off, 'a', n - 3);
	off += n - 3;
	memcpy(buf + off, end, strlen(end));
	return off + strlen(end);
}

START_TEST(test_line_limit)
{
	static uint8_t	 buf[4 * HS_MAX_LINE];
	size_t		 n, used;

	n = longline(buf, HS_MAX_LINE, "\r\n\r\n");
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_OK);
	ck_assert_uint_eq(strlen(hs_get(&hs, "X")), HS_MAX_LINE - 3);
	n = longline(buf, HS_MAX_LINE, "\n\n");
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_OK);
	n = longline(buf, HS_MAX_LINE, "");
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_SHORT);
	n = longline(buf, HS_MAX_LINE, "\r");
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_SHORT);

	n = longline(buf, HS_MAX_LINE + 1, "\r\n\r\n");
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_TOOBIG);
	/* No newline yet, but already too long: do not wait for it. */
	n = longline(buf, HS_MAX_LINE + 1, "");
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_TOOBIG);
	n = longline(buf, 3 * HS_MAX_LINE, "");
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_TOOBIG);

	/* The start line has the same limit. */
	n = (size_t)sprintf((char *)buf, "GNUTELLA/0.6 200 ");
	memset(buf + n, 'r', HS_MAX_LINE + 1 - n);
	n = HS_MAX_LINE + 1;
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_TOOBIG);
	memcpy(buf + n - 1, "\r\n\r\n", 4);
	ck_assert_int_eq(parse(buf, n + 3, &hs, &used), WIRE_OK);
	ck_assert_uint_eq(strlen(hs.reason), HS_MAX_LINE - 17);
}
END_TEST

/* Start line then count "H<i>: v" headers, then tail. */
static size_t
manyheaders(uint8_t *buf, int count, const char *tail)
{
	size_t	 off;
	int	 i;

	off = (size_t)sprintf((char *)buf, "GNUTELLA/0.6 200 OK\r\n");
	for (i = 0; i < count; i++)
		off += (size_t)sprintf((char *)buf + off, "H%d: v%d\r\n", i, i);
	off += (size_t)sprintf((char *)buf + off, "%s", tail);
	return off;
}

START_TEST(test_header_limit)
{
	static uint8_t	 buf[HS_MAX_BLOCK];
	size_t		 n, used;

	n = manyheaders(buf, HS_MAX_HEADERS, "\r\n");
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_OK);
	ck_assert_uint_eq(hs.nhdr, HS_MAX_HEADERS);
	ck_assert_str_eq(hs.hdr[HS_MAX_HEADERS - 1].value, "v63");
	n = manyheaders(buf, HS_MAX_HEADERS, " folded\r\n\r\n");
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_OK);
	ck_assert_str_eq(hs.hdr[HS_MAX_HEADERS - 1].value, "v63 folded");

	n = manyheaders(buf, HS_MAX_HEADERS + 1, "\r\n");
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_TOOBIG);
	/* The 65th header has only begun to arrive. */
	n = manyheaders(buf, HS_MAX_HEADERS, "X");
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_TOOBIG);
	n = manyheaders(buf, HS_MAX_HEADERS, "\r");
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_SHORT);
}
END_TEST

/* Start line and "X: a", then continuation lines up to total bytes. */
static size_t
bigblock(uint8_t *buf, size_t total, int end)
{
	size_t	 off, take;

	off = (size_t)sprintf((char *)buf, "GNUTELLA CONNECT/0.6\r\nX: a\r\n");
	while (off < total - (end ? 2 : 0)) {
		take = total - (end ? 2 : 0) - off;
		if (take > 1000)
			take = 1000;
		if (take < 3) {
			/* No room for " b\r\n": lengthen the last line. */
			memmove(buf + off - 2 + take, buf + off - 2, 2);
			memset(buf + off - 2, 'b', take);
			off += take;
			break;
		}
		buf[off] = ' ';
		memset(buf + off + 1, 'b', take - 3);
		memcpy(buf + off + take - 2, "\r\n", 2);
		off += take;
	}
	if (end) {
		memcpy(buf + off, "\r\n", 2);
		off += 2;
	}
	return off;
}

START_TEST(test_block_limit)
{
	static uint8_t	 buf[1 << 20];
	size_t		 n, used, i, off;

	n = bigblock(buf, HS_MAX_BLOCK, 1);
	ck_assert_uint_eq(n, HS_MAX_BLOCK);
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_OK);
	ck_assert_uint_eq(used, HS_MAX_BLOCK);
	ck_assert_uint_le(hs.storelen, sizeof hs.store);
	ck_assert_uint_eq(hs.nhdr, 1);
	ck_assert_uint_gt(strlen(hs_get(&hs, "X")), HS_MAX_BLOCK - 100);
	/* Everything but the final LF is still worth waiting for. */
	ck_assert_int_eq(parse(buf, n - 1, &hs, &used), WIRE_SHORT);

	n = bigblock(buf, HS_MAX_BLOCK + 1, 1);
	ck_assert_uint_eq(n, HS_MAX_BLOCK + 1);
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_TOOBIG);
	ck_assert_int_eq(parse(buf, HS_MAX_BLOCK, &hs, &used), WIRE_TOOBIG);

	/* 1 MiB of continuation lines: refused, not buffered forever. */
	n = bigblock(buf, sizeof buf, 0);
	ck_assert_uint_eq(n, sizeof buf);
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_TOOBIG);

	/* 1 MiB of short headers, and 1 MiB of 1000-byte ones. */
	off = (size_t)sprintf((char *)buf, "GNUTELLA/0.6 200 OK\r\n");
	for (i = off; i + 6 <= sizeof buf; i += 6)
		memcpy(buf + i, "A: b\r\n", 6);
	ck_assert_int_eq(parse(buf, i, &hs, &used), WIRE_TOOBIG);
	for (i = off; i + 1000 <= sizeof buf; i += 1000) {
		memset(buf + i, 'c', 998);
		memcpy(buf + i, "Long: ", 6);
		memcpy(buf + i + 998, "\r\n", 2);
	}
	ck_assert_int_eq(parse(buf, i, &hs, &used), WIRE_TOOBIG);
}
END_TEST

START_TEST(test_repeated)
{
	static const char in[] =
	    "GNUTELLA CONNECT/0.6\r\n"
	    "X-Try: 1.1.1.1:1\r\n"
	    "Accept-Encoding: gzip\r\n"
	    "x-try: 2.2.2.2:2\r\n"
	    "ACCEPT-ENCODING: x-foo;q=1, DEFLATE ;q=0.5 , ,\r\n"
	    "X-Ultrapeer:   tRuE  \r\n"
	    "X-Bad: Truee\r\n"
	    "\r\n";
	size_t	 used;

	ck_assert_int_eq(parse(S(in), &hs, &used), WIRE_OK);
	ck_assert_uint_eq(hs.nhdr, 6);
	ck_assert_str_eq(hs_get(&hs, "X-TRY"), "1.1.1.1:1");
	ck_assert_str_eq(hs.hdr[2].name, "x-try");
	ck_assert_str_eq(hs.hdr[2].value, "2.2.2.2:2");
	ck_assert_int_eq(hs_has_token(&hs, "Accept-Encoding", "gzip"), 1);
	ck_assert_int_eq(hs_has_token(&hs, "Accept-Encoding", "deflate"), 1);
	ck_assert_int_eq(hs_has_token(&hs, "Accept-Encoding", "x-foo"), 1);
	ck_assert_int_eq(hs_has_token(&hs, "Accept-Encoding", "flate"), 0);
	ck_assert_int_eq(hs_has_token(&hs, "Accept-Encoding", "q=1"), 0);
	ck_assert_int_eq(hs_has_token(&hs, "Accept-Encoding", ""), 0);
	ck_assert_int_eq(hs_has_token(&hs, "Content-Encoding", "deflate"), 0);
	ck_assert_int_eq(hs_is(&hs, "X-Ultrapeer", "true"), 1);
	ck_assert_int_eq(hs_is(&hs, "X-Bad", "true"), 0);
	ck_assert_int_eq(hs_is(&hs, "X-Bad", "truee"), 1);
}
END_TEST

/* Format into an exactly sized heap buffer, so ASan sees any overrun. */
static size_t
fmt(char *out, size_t cap, int code, const char *reason,
    const struct hs_field *f, size_t nf)
{
	char	*p;
	size_t	 n;

	p = malloc(cap == 0 ? 1 : cap);
	ck_assert_ptr_nonnull(p);
	if (code == 0)
		n = hs_format_request(p, cap, f, nf);
	else
		n = hs_format_response(p, cap, code, reason, f, nf);
	if (out != NULL)
		memcpy(out, p, cap);
	free(p);
	return n;
}

static const struct hs_field fields[] = {
	{ "User-Agent", "gnode/0.1" },
	{ "X-Ultrapeer", "False" },
	{ "X-Empty", "" },
	{ "Accept-Encoding", "deflate" },
	{ "X-Tab", "a\tb" },
	{ "X-Try-Ultrapeers", "10.0.0.1:6346, 10.0.0.2:6346" },
};
#define NFIELDS	(sizeof fields / sizeof fields[0])

START_TEST(test_format)
{
	static const char want_req[] = "GNUTELLA CONNECT/0.6\r\n"
	    "User-Agent: gnode/0.1\r\nX-Ultrapeer: False\r\n\r\n";
	static const char want_rsp[] = "GNUTELLA/0.6 503 Busy\r\n"
	    "User-Agent: gnode/0.1\r\n\r\n";
	char	 out[1024];
	size_t	 n, used, i;

	n = fmt(out, sizeof out, 0, NULL, fields, 2);
	ck_assert_uint_eq(n, sizeof want_req - 1);
	ck_assert_str_eq(out, want_req);
	n = fmt(out, sizeof out, 503, "Busy", fields, 1);
	ck_assert_str_eq(out, want_rsp);
	ck_assert_uint_eq(n, sizeof want_rsp - 1);
	n = fmt(out, sizeof out, 200, NULL, NULL, 0);
	ck_assert_str_eq(out, "GNUTELLA/0.6 200\r\n\r\n");
	n = fmt(out, sizeof out, 200, "", NULL, 0);
	ck_assert_str_eq(out, "GNUTELLA/0.6 200\r\n\r\n");
	n = fmt(out, sizeof out, 0, NULL, NULL, 0);
	ck_assert_str_eq(out, "GNUTELLA CONNECT/0.6\r\n\r\n");
	ck_assert_uint_eq(n, 24);

	/* Round trips. */
	n = fmt(out, sizeof out, 0, NULL, fields, NFIELDS);
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(parse(out, n, &hs, &used), WIRE_OK);
	ck_assert_uint_eq(used, n);
	ck_assert_int_eq(hs.kind, HS_REQUEST);
	ck_assert_uint_eq(hs.nhdr, NFIELDS);
	for (i = 0; i < NFIELDS; i++) {
		ck_assert_str_eq(hs.hdr[i].name, fields[i].name);
		ck_assert_str_eq(hs.hdr[i].value, fields[i].value);
	}
	n = fmt(out, sizeof out, 204, "Shielded leaf node (32 peers max)",
	    fields, NFIELDS);
	ck_assert_int_eq(parse(out, n, &hs, &used), WIRE_OK);
	ck_assert_int_eq(hs.kind, HS_RESPONSE);
	ck_assert_int_eq(hs.code, 204);
	ck_assert_str_eq(hs.reason, "Shielded leaf node (32 peers max)");
	ck_assert_uint_eq(hs.nhdr, NFIELDS);
	for (i = 0; i < NFIELDS; i++) {
		ck_assert_str_eq(hs.hdr[i].name, fields[i].name);
		ck_assert_str_eq(hs.hdr[i].value, fields[i].value);
	}
}
END_TEST

/* The golden reply, re-formatted from what was parsed, parses the same. */
START_TEST(test_format_golden)
{
	static uint8_t	 buf[HS_MAX_BLOCK];
	static char	 out[HS_MAX_BLOCK];
	struct hs_field	 f[HS_MAX_HEADERS];
	size_t		 n, used, i;

	n = golden(buf, sizeof buf);
	ck_assert_int_eq(parse(buf, n, &hs, &used), WIRE_OK);
	for (i = 0; i < hs.nhdr; i++) {
		f[i].name = hs.hdr[i].name;
		f[i].value = hs.hdr[i].value;
	}
	n = hs_format_response(out, sizeof out, hs.code, hs.reason, f,
	    hs.nhdr);
	/* gtkg writes exactly our layout, so the bytes match too. */
	ck_assert_uint_eq(n, used);
	ck_assert_mem_eq(out, buf, n);
	ck_assert_int_eq(parse(out, n, &hs2, &used), WIRE_OK);
	ck_assert_uint_eq(hs2.nhdr, hs.nhdr);
}
END_TEST

START_TEST(test_format_refuse)
{
	static const struct hs_field evil[] = {
		{ "X-A", "ok\r\nX-Injected: 1" },
		{ "X-A", "ok\nX-Injected: 1" },
		{ "X-A", "ok\r" },
		{ "X-A", "\x01" },
		{ "X-A\r\nX-Injected", "1" },
		{ "X-A\n", "1" },
		{ "", "empty name" },
		{ "X-A:", "colon" },
		{ "X A", "space" },
		{ " X-A", "fold" },
	};
	struct hs_field	 two[2];
	char		 out[256];
	size_t		 i;

	for (i = 0; i < sizeof evil / sizeof evil[0]; i++) {
		ck_assert_msg(fmt(out, sizeof out, 0, NULL, &evil[i], 1) == 0,
		    "request field %zu", i);
		ck_assert_msg(fmt(out, sizeof out, 200, "OK", &evil[i], 1) == 0,
		    "response field %zu", i);
		/* A bad field after good ones is refused too. */
		two[0] = fields[0];
		two[1] = evil[i];
		ck_assert_uint_eq(fmt(out, sizeof out, 0, NULL, two, 2), 0);
		ck_assert_uint_eq(fmt(out, sizeof out, 503, "Busy", two, 2), 0);
	}
	ck_assert_uint_eq(fmt(out, sizeof out, 200, "OK\r\nX-Injected: 1",
	    NULL, 0), 0);
	ck_assert_uint_eq(fmt(out, sizeof out, 200, "OK\n", NULL, 0), 0);
	ck_assert_uint_eq(fmt(out, sizeof out, 99, "Low", NULL, 0), 0);
	ck_assert_uint_eq(fmt(out, sizeof out, 1000, "High", NULL, 0), 0);
	ck_assert_uint_eq(fmt(out, sizeof out, -200, "Neg", NULL, 0), 0);
}
END_TEST

/* Every buffer shorter than the output gets 0 and no write past its end. */
START_TEST(test_format_short)
{
	char	 out[1024];
	size_t	 need, cap;

	need = fmt(out, sizeof out, 0, NULL, fields, NFIELDS);
	ck_assert_uint_gt(need, 0);
	for (cap = 0; cap < need; cap++)
		ck_assert_uint_eq(fmt(NULL, cap, 0, NULL, fields, NFIELDS), 0);
	ck_assert_uint_eq(fmt(NULL, need, 0, NULL, fields, NFIELDS), need);
	memset(out, 'z', sizeof out);
	ck_assert_uint_eq(hs_format_request(out, need + 1, fields, NFIELDS),
	    need);
	ck_assert_int_eq(out[need], '\0');
	memset(out, 'z', sizeof out);
	ck_assert_uint_eq(hs_format_request(out, need, fields, NFIELDS), need);
	ck_assert_int_eq(out[need], 'z');

	need = fmt(out, sizeof out, 503, "Busy", fields, NFIELDS);
	ck_assert_uint_gt(need, 0);
	for (cap = 0; cap < need; cap++)
		ck_assert_uint_eq(fmt(NULL, cap, 503, "Busy", fields, NFIELDS),
		    0);
	ck_assert_uint_eq(fmt(NULL, need, 503, "Busy", fields, NFIELDS), need);
}
END_TEST

/* The handshake codec's test case. */
TCase *
tc_hs(void)
{
	TCase	*tc = tcase_create("hs");

	tcase_add_test(tc, test_golden);
	tcase_add_test(tc, test_folded);
	tcase_add_test(tc, test_lfonly);
	tcase_add_test(tc, test_trailing_binary);
	tcase_add_loop_test(tc, test_start_lines, 0,
	    sizeof start_ok / sizeof start_ok[0]);
	tcase_add_loop_test(tc, test_bad, 0, sizeof bad / sizeof bad[0]);
	tcase_add_test(tc, test_prefixes);
	tcase_add_test(tc, test_line_limit);
	tcase_add_test(tc, test_header_limit);
	tcase_add_test(tc, test_block_limit);
	tcase_add_test(tc, test_repeated);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_format_golden);
	tcase_add_test(tc, test_format_refuse);
	tcase_add_test(tc, test_format_short);
	return tc;
}
