/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_http.c: the HTTP transfer codec. Request and status lines good and
 * bad, every limit and every truncation, Range and Content-Range with
 * hostile numbers, request targets including path traversal attempts,
 * PARQ's X-Queued, X-Alt, and the writers' refusal to inject lines.
 * Inputs are copied into exactly sized heap buffers so ASan sees overreads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "wire/http.h"
#include "testutil.h"
#include "tc.h"

#define S(x)	(x), sizeof(x) - 1
#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

#define SHA1_EMPTY_B32	"3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"
#define SHA1_EMPTY_HEX	"da39a3ee5e6b4b0d3255bfef95601890afd80709"
#define SHA1_GNODE_B32	"LQQ6FQP7G6SKNUB4FGIGLXGP5XSJZXWB"
#define SHA1_GNODE_HEX	"5c21e2c1ff37a4a6d03c299065dccfede49cdec1"
#define TTH_SEQ_B32	"AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFY"
#define TTH_SEQ_HEX	"000102030405060708090a0b0c0d0e0f1011121314151617"

static struct http_req	 req;
static struct hs	 rsp;

static enum wire_status
parse_req(const void *in, size_t n, struct http_req *r, size_t *used)
{
	enum wire_status	 st;
	uint8_t			*p;

	p = malloc(n == 0 ? 1 : n);
	ck_assert_ptr_nonnull(p);
	memcpy(p, in, n);
	st = http_parse_request(p, n, r, used);
	free(p);
	return st;
}

static enum wire_status
parse_rsp(const void *in, size_t n, struct hs *h, size_t *used)
{
	enum wire_status	 st;
	uint8_t			*p;

	p = malloc(n == 0 ? 1 : n);
	ck_assert_ptr_nonnull(p);
	memcpy(p, in, n);
	st = http_parse_response(p, n, h, used);
	free(p);
	return st;
}

/* A heap copy of s exactly strlen(s) + 1 long; the caller frees it. */
static char *
heapstr(const char *s)
{
	size_t	 n = strlen(s) + 1;
	char	*p = malloc(n);

	ck_assert_ptr_nonnull(p);
	memcpy(p, s, n);
	return p;
}

static void
check_hex(const uint8_t *got, size_t n, const char *hex)
{
	uint8_t	 want[64];

	ck_assert_int_eq(tu_hex(hex, want, sizeof want), (long)n);
	ck_assert_mem_eq(got, want, n);
}

/* What gtk-gnutella sends for the second chunk of a file. */
static const char gtkg_get[] =
    "GET /uri-res/N2R?urn:sha1:" SHA1_EMPTY_B32 " HTTP/1.1\r\n"
    "Host: 10.0.0.5:6346\r\n"
    "User-Agent: gtk-gnutella/1.2.3 (2024-03-03; Topless; Linux x86_64)\r\n"
    "X-Features: browse/1.0, queue/1.1, fwalt/0.1\r\n"
    "Accept-Encoding: deflate\r\n"
    "X-Queue: 1.0\r\n"
    "X-Node: 10.0.0.7:16346\r\n"
    "X-Queued: position=3; ID=0123456789abcdef0123456789ABCDEF\r\n"
    "Range: bytes=524288-1048575\r\n"
    "X-Downloaded: 524288\r\n"
    "\r\n";

/* A legacy request as old servents wrote it: LF only, raw spaces. */
static const char legacy_get[] =
    "GET /get/42/My Song (live).mp3 HTTP/1.0\n"
    "Connection: Keep-Alive\n"
    "Range: bytes=0-\n"
    "\n";

static const char partial_rsp[] =
    "HTTP/1.1 206 Partial Content\r\n"
    "Server: gtk-gnutella/1.2.3 (2024-03-03; Topless; Linux x86_64)\r\n"
    "Content-Range: bytes 524288-1048575/3000000\r\n"
    "Content-Length: 524288\r\n"
    "X-Gnutella-Content-URN: urn:sha1:" SHA1_EMPTY_B32 "\r\n"
    "X-Thex-URI: /uri-res/N2X?urn:sha1:" SHA1_EMPTY_B32 ";" TTH_SEQ_B32
    "\r\n"
    "X-Alt: 1.2.3.4:6347, 5.6.7.8, tls=c0, [::1]:6346\r\n"
    "X-Features: browse/1.0,\r\n"
    "  queue/1.1\r\n"
    "\r\n";

static const char queued_rsp[] =
    "HTTP/1.1 503 Queued\r\n"
    "Retry-After: 60\r\n"
    "X-Queued: position=7; length=12; ETA=340; lifetime=120; "
    "ID=7d4e2f10aa55cc33b2e1f0a9d8c7b6a5\r\n"
    "\r\n";

START_TEST(test_request_gtkg)
{
	struct http_target	 t;
	uint64_t		 first, last;
	size_t			 used = 0;

	ck_assert_int_eq(parse_req(S(gtkg_get), &req, &used), WIRE_OK);
	ck_assert_uint_eq(used, sizeof gtkg_get - 1);
	ck_assert_int_eq(req.method, HTTP_M_GET);
	ck_assert_str_eq(req.method_name, "GET");
	ck_assert_str_eq(req.target, "/uri-res/N2R?urn:sha1:" SHA1_EMPTY_B32);
	ck_assert_int_eq(req.hs.kind, HS_REQUEST);
	ck_assert_int_eq(req.hs.major, 1);
	ck_assert_int_eq(req.hs.minor, 1);
	ck_assert_int_eq(req.hs.code, 0);
	ck_assert_ptr_null(req.hs.reason);
	ck_assert_uint_eq(req.hs.nhdr, 9);
	ck_assert_str_eq(hs_get(&req.hs, "host"), "10.0.0.5:6346");
	ck_assert_int_eq(hs_has_token(&req.hs, "X-Features", "queue/1.1"), 1);
	ck_assert_int_eq(hs_has_token(&req.hs, "Accept-Encoding", "deflate"),
	    1);
	ck_assert_int_eq(hs_is(&req.hs, "x-queue", "1.0"), 1);

	ck_assert_int_eq(http_parse_target(req.target, &t), 0);
	ck_assert_int_eq(t.kind, HTTP_T_N2R);
	check_hex(t.sha1, SHA1_LEN, SHA1_EMPTY_HEX);
	ck_assert_int_eq(t.has_tth, 0);
	ck_assert_int_eq(http_parse_range(hs_get(&req.hs, "Range"), 3000000,
	    &first, &last), 0);
	ck_assert_uint_eq(first, 524288);
	ck_assert_uint_eq(last, 1048575);
}
END_TEST

START_TEST(test_request_legacy)
{
	struct http_target	 t;
	uint64_t		 first, last;
	size_t			 used = 0;

	ck_assert_int_eq(parse_req(S(legacy_get), &req, &used), WIRE_OK);
	ck_assert_uint_eq(used, sizeof legacy_get - 1);
	ck_assert_int_eq(req.method, HTTP_M_GET);
	ck_assert_str_eq(req.target, "/get/42/My Song (live).mp3");
	ck_assert_int_eq(req.hs.minor, 0);
	ck_assert_int_eq(http_parse_target(req.target, &t), 0);
	ck_assert_int_eq(t.kind, HTTP_T_GET);
	ck_assert_uint_eq(t.index, 42);
	ck_assert_str_eq(t.name, "My Song (live).mp3");
	ck_assert_int_eq(http_parse_range(hs_get(&req.hs, "range"), 1000,
	    &first, &last), 0);
	ck_assert_uint_eq(first, 0);
	ck_assert_uint_eq(last, 999);
}
END_TEST

START_TEST(test_response_partial)
{
	struct http_target	 t;
	struct http_alt		 alt[4];
	uint64_t		 first, last, size;
	size_t			 used = 0;

	ck_assert_int_eq(parse_rsp(S(partial_rsp), &rsp, &used), WIRE_OK);
	ck_assert_uint_eq(used, sizeof partial_rsp - 1);
	ck_assert_int_eq(rsp.kind, HS_RESPONSE);
	ck_assert_int_eq(rsp.major, 1);
	ck_assert_int_eq(rsp.minor, 1);
	ck_assert_int_eq(rsp.code, 206);
	ck_assert_str_eq(rsp.reason, "Partial Content");
	ck_assert_uint_eq(rsp.nhdr, 7);
	ck_assert_str_eq(hs_get(&rsp, "X-Features"), "browse/1.0, queue/1.1");
	ck_assert_int_eq(http_parse_content_range(hs_get(&rsp,
	    "content-range"), &first, &last, &size), 0);
	ck_assert_uint_eq(first, 524288);
	ck_assert_uint_eq(last, 1048575);
	ck_assert_uint_eq(size, 3000000);
	ck_assert_int_eq(http_parse_target(hs_get(&rsp, "X-Thex-URI"), &t), 0);
	ck_assert_int_eq(t.kind, HTTP_T_N2X);
	check_hex(t.sha1, SHA1_LEN, SHA1_EMPTY_HEX);
	ck_assert_int_eq(t.has_tth, 1);
	check_hex(t.tth, TTH_LEN, TTH_SEQ_HEX);
	ck_assert_uint_eq(http_parse_xalt(hs_get(&rsp, "X-Alt"), alt, 4), 2);
	ck_assert_uint_eq(alt[0].ip, 0x01020304);
	ck_assert_uint_eq(alt[0].port, 6347);
	ck_assert_uint_eq(alt[1].ip, 0x05060708);
	ck_assert_uint_eq(alt[1].port, 6346);
}
END_TEST

START_TEST(test_response_queued)
{
	struct http_queued	 q;
	size_t			 used = 0;

	ck_assert_int_eq(parse_rsp(S(queued_rsp), &rsp, &used), WIRE_OK);
	ck_assert_uint_eq(used, sizeof queued_rsp - 1);
	ck_assert_int_eq(rsp.code, 503);
	ck_assert_str_eq(rsp.reason, "Queued");
	ck_assert_int_eq(http_parse_queued(hs_get(&rsp, "X-Queued"), &q), 0);
	ck_assert_uint_eq(q.position, 7);
	ck_assert_uint_eq(q.length, 12);
	ck_assert_uint_eq(q.eta, 340);
	ck_assert_uint_eq(q.lifetime, 120);
	ck_assert_int_eq(q.flags, HTTP_Q_LENGTH | HTTP_Q_ETA |
	    HTTP_Q_LIFETIME);
	ck_assert_str_eq(q.id, "7d4e2f10aa55cc33b2e1f0a9d8c7b6a5");
}
END_TEST

/* Binary data after the blank line stays in the caller's buffer. */
START_TEST(test_trailing)
{
	static const char in[] = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
	    "\r\n\x00\r\n";
	static const char in2[] = "GET / HTTP/1.1\r\n\r\nGET /x HTTP/1.1\r\n";
	size_t	 used = 0;

	ck_assert_int_eq(parse_rsp(S(in), &rsp, &used), WIRE_OK);
	ck_assert_uint_eq(used, sizeof in - 4);
	ck_assert_int_eq(parse_req(S(in2), &req, &used), WIRE_OK);
	ck_assert_uint_eq(used, 18);
	ck_assert_str_eq(req.target, "/");
}
END_TEST

static const struct {
	const char	*line;
	enum http_method method;
	const char	*name, *target;
	int		 major, minor;
} req_ok[] = {
	{ "GET / HTTP/1.1", HTTP_M_GET, "GET", "/", 1, 1 },
	{ "HEAD /get/1/a.mp3 HTTP/1.0", HTTP_M_HEAD, "HEAD", "/get/1/a.mp3",
	    1, 0 },
	{ "GET /get/12/My Song.mp3 HTTP/1.0", HTTP_M_GET, "GET",
	    "/get/12/My Song.mp3", 1, 0 },
	{ "GET / HTTP/1.1 \t ", HTTP_M_GET, "GET", "/", 1, 1 },
	{ "GET / HTTP/2.0", HTTP_M_GET, "GET", "/", 2, 0 },
	{ "GET /get/3/Z\xc3\xbcrich.ogg HTTP/1.1", HTTP_M_GET, "GET",
	    "/get/3/Z\xc3\xbcrich.ogg", 1, 1 },
	{ "GET HTTP/1.1 HTTP/1.1", HTTP_M_GET, "GET", "HTTP/1.1", 1, 1 },
	{ "POST /upload HTTP/1.1", HTTP_M_OTHER, "POST", "/upload", 1, 1 },
	{ "get / HTTP/1.1", HTTP_M_OTHER, "get", "/", 1, 1 },
	{ "GETX / HTTP/1.1", HTTP_M_OTHER, "GETX", "/", 1, 1 },
	{ "OPTIONS * HTTP/1.1", HTTP_M_OTHER, "OPTIONS", "*", 1, 1 },
	{ "X-!#$%&'*+.^_`|~ /?a=b HTTP/1.1", HTTP_M_OTHER,
	    "X-!#$%&'*+.^_`|~", "/?a=b", 1, 1 },
};

START_TEST(test_request_lines)
{
	char	 buf[256];
	size_t	 n, used;
	int	 i = _i;

	n = (size_t)snprintf(buf, sizeof buf, "%s\r\nHost: h\r\n\r\n",
	    req_ok[i].line);
	ck_assert_msg(parse_req(buf, n, &req, &used) == WIRE_OK, "%s",
	    req_ok[i].line);
	ck_assert_uint_eq(used, n);
	ck_assert_int_eq(req.method, req_ok[i].method);
	ck_assert_str_eq(req.method_name, req_ok[i].name);
	ck_assert_str_eq(req.target, req_ok[i].target);
	ck_assert_int_eq(req.hs.major, req_ok[i].major);
	ck_assert_int_eq(req.hs.minor, req_ok[i].minor);
	ck_assert_str_eq(hs_get(&req.hs, "Host"), "h");
}
END_TEST

static const struct {
	const char		*in;
	size_t			 len;
	enum wire_status	 want;
} req_bad[] = {
	{ S("GET /\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET \r\n\r\n"), WIRE_MALFORMED },
	{ S("GET  / HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET / x  HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET /  HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET / HTTP/1.1x\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET / HTTP/1.\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET / HTTP/11.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET / HTTP/1.11\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET / HTTP/a.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET / http/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET / HTTP/1,1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET /HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET /\tx HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET /\t HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET\t/ HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET\t"), WIRE_MALFORMED },
	{ S(" GET / HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("G(T / HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("G\xc3\x89T / HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET /\x01 HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET /\x7f HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET /\x00 HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET /\r HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET / HTTP/1.1\r\nNoColon\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET / HTTP/1.1\r\n folded-first\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET / HTTP/1.1\r\nA: b\x00\r\n\r\n"), WIRE_MALFORMED },
	{ S("\r\n\r\nGET / HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("\n\nGET / HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("\rGET / HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("\r\r"), WIRE_MALFORMED },
	{ S("GNUTELLA CONNECT/0.6\r\n\r\n"), WIRE_MALFORMED },
	{ S("GIV 1:0123456789abcdef0123456789abcdef/f\n\n"), WIRE_MALFORMED },
	{ S("\x16\x03\x01\x02\x00"), WIRE_MALFORMED },
	{ S("\x78\x9c\xff"), WIRE_MALFORMED },
	{ S("HTTP/1.1 200 OK\r\n\r\n"), WIRE_MALFORMED },
	/* Valid so far: read more. */
	{ S(""), WIRE_SHORT },
	{ S("\r"), WIRE_SHORT },
	{ S("\r\n"), WIRE_SHORT },
	{ S("\n"), WIRE_SHORT },
	{ S("G"), WIRE_SHORT },
	{ S("GET"), WIRE_SHORT },
	{ S("GET "), WIRE_SHORT },
	{ S("GET /"), WIRE_SHORT },
	{ S("GET / HTTP/1.1"), WIRE_SHORT },
	{ S("GET / HTTP/1.1\r"), WIRE_SHORT },
	{ S("GET / HTTP/1.1\r\n"), WIRE_SHORT },
	{ S("GET / HTTP/1.1\r\nHost: x\r\n"), WIRE_SHORT },
	{ S("GET / HTTP/1.1\r\nHost: x\r\n\r"), WIRE_SHORT },
	{ S("\r\nGET / HTTP/1.1\r\n\r"), WIRE_SHORT },
};

START_TEST(test_request_bad)
{
	enum wire_status	 st;
	size_t			 used = 12345;
	int			 i = _i;

	st = parse_req(req_bad[i].in, req_bad[i].len, &req, &used);
	ck_assert_msg(st == req_bad[i].want, "case %d: got %s want %s", i,
	    wire_strstatus(st), wire_strstatus(req_bad[i].want));
	ck_assert_uint_eq(used, 12345);
}
END_TEST

START_TEST(test_request_skip_crlf)
{
	static const char crlf[] = "\r\nGET /a HTTP/1.1\r\n\r\n";
	static const char lf[] = "\nHEAD /b HTTP/1.0\n\n";
	size_t	 used = 0;

	ck_assert_int_eq(parse_req(S(crlf), &req, &used), WIRE_OK);
	ck_assert_uint_eq(used, sizeof crlf - 1);
	ck_assert_str_eq(req.target, "/a");
	ck_assert_int_eq(parse_req(S(lf), &req, &used), WIRE_OK);
	ck_assert_uint_eq(used, sizeof lf - 1);
	ck_assert_int_eq(req.method, HTTP_M_HEAD);
	ck_assert_str_eq(req.target, "/b");
}
END_TEST

/* How a request head frames a body: every smuggling shape is BAD or
 * SOME, never NONE, and a list of equal lengths is one length. */
static const struct {
	const char	*head;
	enum http_body	 want;
} req_body[] = {
	{ "", HTTP_BODY_NONE },
	{ "Content-Length: 0\r\n", HTTP_BODY_NONE },
	{ "Content-Length: 0\r\nContent-Length: 0\r\n", HTTP_BODY_NONE },
	{ "Content-Length: 0, 0\r\n", HTTP_BODY_NONE },
	{ "Content-Length: 52\r\n", HTTP_BODY_SOME },
	{ "content-length:52\r\n", HTTP_BODY_SOME },
	{ "Content-Length: 5, 5\r\n", HTTP_BODY_SOME },
	{ "Content-Length: 5\r\nContent-Length: 5\r\n", HTTP_BODY_SOME },
	{ "Transfer-Encoding: chunked\r\n", HTTP_BODY_SOME },
	{ "Transfer-Encoding: gzip, chunked\r\n", HTTP_BODY_SOME },
	{ "transfer-encoding: identity\r\n", HTTP_BODY_SOME },
	{ "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
	    HTTP_BODY_BAD },
	{ "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n",
	    HTTP_BODY_BAD },
	{ "Content-Length: 5\r\nContent-Length: 6\r\n", HTTP_BODY_BAD },
	{ "Content-Length: 0\r\nContent-Length: 6\r\n", HTTP_BODY_BAD },
	{ "Content-Length: 5, 6\r\n", HTTP_BODY_BAD },
	{ "Content-Length: 5,\r\n", HTTP_BODY_BAD },
	{ "Content-Length: ,5\r\n", HTTP_BODY_BAD },
	{ "Content-Length: -1\r\n", HTTP_BODY_BAD },
	{ "Content-Length: +5\r\n", HTTP_BODY_BAD },
	{ "Content-Length: 5x\r\n", HTTP_BODY_BAD },
	{ "Content-Length: 0x10\r\n", HTTP_BODY_BAD },
	{ "Content-Length: \r\n", HTTP_BODY_BAD },
	{ "Content-Length: 99999999999999999999999\r\n", HTTP_BODY_BAD },
};

START_TEST(test_request_body)
{
	char	 buf[512];
	size_t	 used;
	int	 i = _i, n;

	n = snprintf(buf, sizeof buf, "GET /a HTTP/1.1\r\nHost: x\r\n%s\r\n",
	    req_body[i].head);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(parse_req(buf, (size_t)n, &req, &used), WIRE_OK);
	ck_assert_uint_eq(used, (size_t)n);
	ck_assert_msg(http_req_body(&req) == req_body[i].want,
	    "case %d: got %d want %d", i, http_req_body(&req),
	    req_body[i].want);
}
END_TEST

static const struct {
	const char	*line;
	int		 major, minor, code;
	const char	*reason;
} rsp_ok[] = {
	{ "HTTP/1.1 200 OK", 1, 1, 200, "OK" },
	{ "HTTP/1.0 503 Busy", 1, 0, 503, "Busy" },
	{ "HTTP/1.1 206", 1, 1, 206, "" },
	{ "HTTP/1.1 206 ", 1, 1, 206, "" },
	{ "HTTP/1.1 416 Requested Range Not Satisfiable", 1, 1, 416,
	    "Requested Range Not Satisfiable" },
	{ "HTTP/1.1 503   Queued \t", 1, 1, 503, "Queued" },
	{ "HTTP/2.0 999 x", 2, 0, 999, "x" },
};

START_TEST(test_response_lines)
{
	char	 buf[256];
	size_t	 n, used;
	int	 i = _i;

	n = (size_t)snprintf(buf, sizeof buf, "%s\r\n\r\n", rsp_ok[i].line);
	ck_assert_msg(parse_rsp(buf, n, &rsp, &used) == WIRE_OK, "%s",
	    rsp_ok[i].line);
	ck_assert_uint_eq(used, n);
	ck_assert_int_eq(rsp.kind, HS_RESPONSE);
	ck_assert_int_eq(rsp.major, rsp_ok[i].major);
	ck_assert_int_eq(rsp.minor, rsp_ok[i].minor);
	ck_assert_int_eq(rsp.code, rsp_ok[i].code);
	ck_assert_str_eq(rsp.reason, rsp_ok[i].reason);
	ck_assert_uint_eq(rsp.nhdr, 0);
}
END_TEST

static const struct {
	const char		*in;
	size_t			 len;
	enum wire_status	 want;
} rsp_bad[] = {
	{ S("HTTP/1.1 20 OK\r\n\r\n"), WIRE_MALFORMED },
	{ S("HTTP/1.1 099 x\r\n\r\n"), WIRE_MALFORMED },
	{ S("HTTP/1.1 2000 x\r\n\r\n"), WIRE_MALFORMED },
	{ S("HTTP/1.1 200OK\r\n\r\n"), WIRE_MALFORMED },
	{ S("HTTP/1.1  200 OK\r\n\r\n"), WIRE_MALFORMED },
	{ S("HTTP/11.1 200 OK\r\n\r\n"), WIRE_MALFORMED },
	{ S("HTTP/1.11 200 OK\r\n\r\n"), WIRE_MALFORMED },
	{ S("HTTP/1 200 OK\r\n\r\n"), WIRE_MALFORMED },
	{ S("HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("HTTP/1.1 \r\n\r\n"), WIRE_MALFORMED },
	{ S("HTTP 200 OK\r\n\r\n"), WIRE_MALFORMED },
	{ S("http/1.1 200 OK\r\n\r\n"), WIRE_MALFORMED },
	{ S("GNUTELLA/0.6 200 OK\r\n\r\n"), WIRE_MALFORMED },
	{ S("GET / HTTP/1.1\r\n\r\n"), WIRE_MALFORMED },
	{ S("GIV 1:0123456789abcdef0123456789abcdef/f\n\n"), WIRE_MALFORMED },
	{ S("HTTP/1.1 200 O\x01K\r\n\r\n"), WIRE_MALFORMED },
	{ S("HTTP/1.1 200 OK\r\nX : y\r\n\r\n"), WIRE_MALFORMED },
	{ S("\r\nHTTP/1.1 200 OK\r\n\r\n"), WIRE_MALFORMED },
	{ S("HTTP/1.1 200 OK\r\n\r\r\n"), WIRE_MALFORMED },
	{ S(""), WIRE_SHORT },
	{ S("H"), WIRE_SHORT },
	{ S("HTTP/1"), WIRE_SHORT },
	{ S("HTTP/1.1 2"), WIRE_SHORT },
	{ S("HTTP/1.1 200"), WIRE_SHORT },
	{ S("HTTP/1.1 200 OK\r\n"), WIRE_SHORT },
	{ S("HTTP/1.1 200 OK\r\nA: b\r\n  c"), WIRE_SHORT },
};

START_TEST(test_response_bad)
{
	enum wire_status	 st;
	size_t			 used = 12345;
	int			 i = _i;

	st = parse_rsp(rsp_bad[i].in, rsp_bad[i].len, &rsp, &used);
	ck_assert_msg(st == rsp_bad[i].want, "case %d: got %s want %s", i,
	    wire_strstatus(st), wire_strstatus(rsp_bad[i].want));
	ck_assert_uint_eq(used, 12345);
}
END_TEST

/* Every strict prefix of a good block waits for more; none is an error. */
START_TEST(test_prefixes)
{
	static const char skip[] = "\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n";
	static const struct {
		const char	*in;
		size_t		 len;
		int		 is_req;
	} in[] = {
		{ S(gtkg_get), 1 },
		{ S(legacy_get), 1 },
		{ S(skip), 1 },
		{ S(partial_rsp), 0 },
		{ S(queued_rsp), 0 },
	};
	enum wire_status	 st;
	size_t			 k, used, j;

	for (j = 0; j < NELEM(in); j++) {
		for (k = 0; k < in[j].len; k++) {
			if (in[j].is_req)
				st = parse_req(in[j].in, k, &req, &used);
			else
				st = parse_rsp(in[j].in, k, &rsp, &used);
			ck_assert_msg(st == WIRE_SHORT,
			    "input %zu prefix %zu: %s", j, k,
			    wire_strstatus(st));
		}
		if (in[j].is_req)
			st = parse_req(in[j].in, in[j].len, &req, &used);
		else
			st = parse_rsp(in[j].in, in[j].len, &rsp, &used);
		ck_assert_int_eq(st, WIRE_OK);
		ck_assert_uint_eq(used, in[j].len);
	}
}
END_TEST

/* "GET /aaa... HTTP/1.1" exactly n bytes long, then end. */
static size_t
longreq(char *buf, size_t n, const char *end)
{
	size_t	 off;

	memcpy(buf, "GET /", 5);
	memset(buf + 5, 'a', n - 5 - 9);
	off = n - 9;
	memcpy(buf + off, " HTTP/1.1", 9);
	off += 9;
	memcpy(buf + off, end, strlen(end));
	return off + strlen(end);
}

START_TEST(test_line_limit)
{
	static char	 buf[4 * HS_MAX_LINE];
	size_t		 n, used;

	n = longreq(buf, HS_MAX_LINE, "\r\n\r\n");
	ck_assert_int_eq(parse_req(buf, n, &req, &used), WIRE_OK);
	ck_assert_uint_eq(strlen(req.target), HS_MAX_LINE - 13);
	n = longreq(buf, HS_MAX_LINE, "");
	ck_assert_int_eq(parse_req(buf, n, &req, &used), WIRE_SHORT);
	n = longreq(buf, HS_MAX_LINE, "\r");
	ck_assert_int_eq(parse_req(buf, n, &req, &used), WIRE_SHORT);
	n = longreq(buf, HS_MAX_LINE + 1, "\r\n\r\n");
	ck_assert_int_eq(parse_req(buf, n, &req, &used), WIRE_TOOBIG);
	n = longreq(buf, HS_MAX_LINE + 1, "\n\n");
	ck_assert_int_eq(parse_req(buf, n, &req, &used), WIRE_TOOBIG);
	/* Too long already, newline or not. */
	n = longreq(buf, HS_MAX_LINE + 1, "");
	ck_assert_int_eq(parse_req(buf, n, &req, &used), WIRE_TOOBIG);
	ck_assert_int_eq(parse_req(buf, HS_MAX_LINE + 1, &req, &used),
	    WIRE_TOOBIG);
	ck_assert_int_eq(parse_req(buf, HS_MAX_LINE, &req, &used),
	    WIRE_SHORT);
	n = longreq(buf, 3 * HS_MAX_LINE, "\r\n\r\n");
	ck_assert_int_eq(parse_req(buf, n, &req, &used), WIRE_TOOBIG);

	/* A header line has the same limit. */
	n = (size_t)sprintf(buf, "HTTP/1.1 200 OK\r\nX: ");
	memset(buf + n, 'v', HS_MAX_LINE - 3);
	n += HS_MAX_LINE - 3;
	memcpy(buf + n, "\r\n\r\n", 4);
	ck_assert_int_eq(parse_rsp(buf, n + 4, &rsp, &used), WIRE_OK);
	ck_assert_uint_eq(strlen(hs_get(&rsp, "X")), HS_MAX_LINE - 3);
	buf[n] = 'v';
	memcpy(buf + n + 1, "\r\n\r\n", 4);
	ck_assert_int_eq(parse_rsp(buf, n + 5, &rsp, &used), WIRE_TOOBIG);
	/* And the status line. */
	n = (size_t)sprintf(buf, "HTTP/1.1 200 ");
	memset(buf + n, 'r', HS_MAX_LINE + 1 - n);
	ck_assert_int_eq(parse_rsp(buf, HS_MAX_LINE + 1, &rsp, &used),
	    WIRE_TOOBIG);
	memcpy(buf + HS_MAX_LINE, "\r\n\r\n", 4);
	ck_assert_int_eq(parse_rsp(buf, HS_MAX_LINE + 4, &rsp, &used),
	    WIRE_OK);
	ck_assert_uint_eq(strlen(rsp.reason), HS_MAX_LINE - 13);
}
END_TEST

/* A request line then count "H<i>: v" headers, then tail. */
static size_t
manyheaders(char *buf, int count, const char *tail)
{
	size_t	 off;
	int	 i;

	off = (size_t)sprintf(buf, "GET / HTTP/1.1\r\n");
	for (i = 0; i < count; i++)
		off += (size_t)sprintf(buf + off, "H%d: v%d\r\n", i, i);
	off += (size_t)sprintf(buf + off, "%s", tail);
	return off;
}

START_TEST(test_header_limit)
{
	static char	 buf[HS_MAX_BLOCK];
	size_t		 n, used;

	n = manyheaders(buf, HS_MAX_HEADERS, "\r\n");
	ck_assert_int_eq(parse_req(buf, n, &req, &used), WIRE_OK);
	ck_assert_uint_eq(req.hs.nhdr, HS_MAX_HEADERS);
	ck_assert_str_eq(hs_get(&req.hs, "H63"), "v63");
	n = manyheaders(buf, HS_MAX_HEADERS + 1, "\r\n");
	ck_assert_int_eq(parse_req(buf, n, &req, &used), WIRE_TOOBIG);
	n = manyheaders(buf, HS_MAX_HEADERS, "X");
	ck_assert_int_eq(parse_req(buf, n, &req, &used), WIRE_TOOBIG);
	n = manyheaders(buf, HS_MAX_HEADERS, "\r");
	ck_assert_int_eq(parse_req(buf, n, &req, &used), WIRE_SHORT);
}
END_TEST

START_TEST(test_block_limit)
{
	static char	 buf[1 << 16];
	size_t		 off, i, used;

	/* 1000-byte headers until the block is full: exactly 8 KiB is fine. */
	off = (size_t)sprintf(buf, "GET / HTTP/1.1\r\n");
	for (i = 0; off + 1000 + 2 <= HS_MAX_BLOCK; i++) {
		memset(buf + off, 'c', 998);
		memcpy(buf + off, "Long: ", 6);
		memcpy(buf + off + 998, "\r\n", 2);
		off += 1000;
	}
	memset(buf + off, 'd', HS_MAX_BLOCK - 4 - off);
	memcpy(buf + off, "L: ", 3);
	memcpy(buf + HS_MAX_BLOCK - 4, "\r\n\r\n", 4);
	ck_assert_int_eq(parse_req(buf, HS_MAX_BLOCK, &req, &used), WIRE_OK);
	ck_assert_uint_eq(used, HS_MAX_BLOCK);
	ck_assert_uint_le(req.hs.storelen, sizeof req.hs.store);
	ck_assert_int_eq(parse_req(buf, HS_MAX_BLOCK - 1, &req, &used),
	    WIRE_SHORT);
	/* One byte more and it is refused. */
	memcpy(buf + HS_MAX_BLOCK - 4, "d\r\n\r\n", 5);
	ck_assert_int_eq(parse_req(buf, HS_MAX_BLOCK + 1, &req, &used),
	    WIRE_TOOBIG);
	ck_assert_int_eq(parse_req(buf, HS_MAX_BLOCK, &req, &used),
	    WIRE_TOOBIG);

	/* 64 KiB of folded continuation lines: refused, not buffered. */
	off = (size_t)sprintf(buf, "HTTP/1.1 200 OK\r\nX: a\r\n");
	for (; off + 6 <= sizeof buf; off += 6)
		memcpy(buf + off, " bbb\r\n", 6);
	ck_assert_int_eq(parse_rsp(buf, off, &rsp, &used), WIRE_TOOBIG);
}
END_TEST

static const struct {
	const char	*v;
	uint64_t	 size;
	int		 want;
	uint64_t	 first, last;
} ranges[] = {
	{ "bytes=0-99", 1000, 0, 0, 99 },
	{ "bytes=0-0", 1, 0, 0, 0 },
	{ "bytes=100-", 1000, 0, 100, 999 },
	{ "bytes=999-", 1000, 0, 999, 999 },
	{ "bytes=0-", 1, 0, 0, 0 },
	{ "bytes=500-2000", 1000, 0, 500, 999 },
	{ "bytes=-100", 1000, 0, 900, 999 },
	{ "bytes=-1000", 1000, 0, 0, 999 },
	{ "bytes=-5000", 1000, 0, 0, 999 },
	{ "bytes=-1", 1, 0, 0, 0 },
	{ "BYTES=1-2", 10, 0, 1, 2 },
	{ "Bytes = 1-2 ", 10, 0, 1, 2 },
	{ "  bytes=1-2", 10, 0, 1, 2 },
	{ "bytes=0007-0009", 10, 0, 7, 9 },
	{ "bytes=0-9223372036854775807", 10, 0, 0, 9 },
	{ "bytes=-9223372036854775807", 10, 0, 0, 9 },
	{ "bytes=9223372036854775806-", UINT64_C(9223372036854775807), 0,
	    UINT64_C(9223372036854775806), UINT64_C(9223372036854775806) },
	{ "bytes=0-99", UINT64_MAX, 0, 0, 99 },
	{ "bytes=-10", UINT64_MAX, 0, UINT64_MAX - 10, UINT64_MAX - 1 },
	/* Unsatisfiable: 416. */
	{ "bytes=1000-", 1000, -2, 0, 0 },
	{ "bytes=1000-1001", 1000, -2, 0, 0 },
	{ "bytes=5-2", 1000, -2, 0, 0 },
	{ "bytes=-0", 1000, -2, 0, 0 },
	{ "bytes=0-0", 0, -2, 0, 0 },
	{ "bytes=0-", 0, -2, 0, 0 },
	{ "bytes=-5", 0, -2, 0, 0 },
	{ "bytes=9223372036854775807-", 1000, -2, 0, 0 },
	/* Not understood: ignore the header. */
	{ "bytes=9223372036854775808-", 1000, -1, 0, 0 },
	{ "bytes=0-9223372036854775808", 1000, -1, 0, 0 },
	{ "bytes=-9223372036854775808", 1000, -1, 0, 0 },
	{ "bytes=99999999999999999999999999-", 1000, -1, 0, 0 },
	{ "bytes=0-18446744073709551616", 1000, -1, 0, 0 },
	{ "bytes=0-18446744073709551615", 1000, -1, 0, 0 },
	{ "bytes=0-1,5-6", 1000, -1, 0, 0 },
	{ "bytes=0-1, 5-6", 1000, -1, 0, 0 },
	{ "bytes=0-1,", 1000, -1, 0, 0 },
	{ "bytes=,0-1", 1000, -1, 0, 0 },
	{ "bytes=-", 1000, -1, 0, 0 },
	{ "bytes=", 1000, -1, 0, 0 },
	{ "bytes", 1000, -1, 0, 0 },
	{ "bytes 0-1", 1000, -1, 0, 0 },
	{ "bytes=0", 1000, -1, 0, 0 },
	{ "bytes=1-2-3", 1000, -1, 0, 0 },
	{ "bytes=--1", 1000, -1, 0, 0 },
	{ "bytes=+1-2", 1000, -1, 0, 0 },
	{ "bytes=1-+2", 1000, -1, 0, 0 },
	{ "bytes=0x10-20", 1000, -1, 0, 0 },
	{ "bytes=1 -2", 1000, -1, 0, 0 },
	{ "bytes=1- 2", 1000, -1, 0, 0 },
	{ "bytes=1-2x", 1000, -1, 0, 0 },
	{ "bytesx=1-2", 1000, -1, 0, 0 },
	{ "items=0-1", 1000, -1, 0, 0 },
	{ "", 1000, -1, 0, 0 },
	{ "=0-1", 1000, -1, 0, 0 },
};

START_TEST(test_range)
{
	uint64_t	 first = 77, last = 77;
	char		*v;
	int		 i = _i, r;

	v = heapstr(ranges[i].v);
	r = http_parse_range(v, ranges[i].size, &first, &last);
	free(v);
	ck_assert_msg(r == ranges[i].want, "\"%s\": got %d want %d",
	    ranges[i].v, r, ranges[i].want);
	if (r == 0) {
		ck_assert_uint_eq(first, ranges[i].first);
		ck_assert_uint_eq(last, ranges[i].last);
		ck_assert_uint_le(first, last);
		ck_assert_uint_lt(last, ranges[i].size);
	} else {
		ck_assert_uint_eq(first, 77);
		ck_assert_uint_eq(last, 77);
	}
}
END_TEST

static const struct {
	const char	*v;
	int		 want;
	uint64_t	 first, last, size;
} cranges[] = {
	{ "bytes 0-99/1000", 0, 0, 99, 1000 },
	{ "bytes 999-999/1000", 0, 999, 999, 1000 },
	{ "BYTES 1-2/3", 0, 1, 2, 3 },
	{ "bytes=1-2/3", 0, 1, 2, 3 },
	{ "  bytes  1-2/3  ", 0, 1, 2, 3 },
	{ "bytes 0-9223372036854775806/9223372036854775807", 0, 0,
	    UINT64_C(9223372036854775806), UINT64_C(9223372036854775807) },
	{ "bytes */1000", 1, 0, 0, 1000 },
	{ "bytes */0", 1, 0, 0, 0 },
	{ "bytes 0-99/*", -1, 0, 0, 0 },
	{ "bytes 5-2/1000", -1, 0, 0, 0 },
	{ "bytes 0-1000/1000", -1, 0, 0, 0 },
	{ "bytes 0-0/0", -1, 0, 0, 0 },
	{ "bytes 0-99/99999999999999999999", -1, 0, 0, 0 },
	{ "bytes 0-9223372036854775808/9223372036854775809", -1, 0, 0, 0 },
	{ "bytes 0-99", -1, 0, 0, 0 },
	{ "bytes 0-/1000", -1, 0, 0, 0 },
	{ "bytes -99/1000", -1, 0, 0, 0 },
	{ "bytes 0-99/1000x", -1, 0, 0, 0 },
	{ "bytes 0-99/1000, 5-6/1000", -1, 0, 0, 0 },
	{ "bytes0-99/1000", -1, 0, 0, 0 },
	{ "bytes */", -1, 0, 0, 0 },
	{ "bytes *", -1, 0, 0, 0 },
	{ "bytes", -1, 0, 0, 0 },
	{ "items 0-1/2", -1, 0, 0, 0 },
	{ "", -1, 0, 0, 0 },
};

START_TEST(test_content_range)
{
	uint64_t	 first = 77, last = 77, size = 77;
	char		*v;
	int		 i = _i, r;

	v = heapstr(cranges[i].v);
	r = http_parse_content_range(v, &first, &last, &size);
	free(v);
	ck_assert_msg(r == cranges[i].want, "\"%s\": got %d want %d",
	    cranges[i].v, r, cranges[i].want);
	if (r == 0) {
		ck_assert_uint_eq(first, cranges[i].first);
		ck_assert_uint_eq(last, cranges[i].last);
	}
	if (r >= 0)
		ck_assert_uint_eq(size, cranges[i].size);
}
END_TEST

/* X-Available-Ranges against a file of 1000 bytes, at most 3 kept. */
static const struct {
	const char	*v;
	long		 want;
	uint64_t	 r[3][2];
} avails[] = {
	{ "bytes 0-99", 1, { { 0, 99 } } },
	{ "bytes 0-99, 200-299,500-999", 3, { { 0, 99 }, { 200, 299 },
	    { 500, 999 } } },
	{ "bytes=0-99", 1, { { 0, 99 } } },
	{ "BYTES 10-20 , 30-40", 2, { { 10, 20 }, { 30, 40 } } },
	{ "bytes 900-5000", 1, { { 900, 999 } } },		/* clamped */
	{ "bytes 5-2, 1000-1200, 7-8", 1, { { 7, 8 } } },	/* skipped */
	{ "bytes 0-1,2-3,4-5,6-7", 3, { { 0, 1 }, { 2, 3 }, { 4, 5 } } },
	{ "bytes 0-", -1, { { 0 } } },
	{ "bytes -5", -1, { { 0 } } },
	{ "bytes 0-5,", -1, { { 0 } } },
	{ "bytes 0-5;6-7", -1, { { 0 } } },
	{ "bytes0-5", -1, { { 0 } } },
	{ "items 0-5", -1, { { 0 } } },
	{ "bytes 0-99999999999999999999", -1, { { 0 } } },
	{ "", -1, { { 0 } } },
};

START_TEST(test_avail)
{
	uint64_t	 r[3][2];
	char		*v;
	long		 n, k;
	int		 i = _i;

	v = heapstr(avails[i].v);
	n = http_parse_avail(v, 1000, r, 3);
	free(v);
	ck_assert_msg(n == avails[i].want, "\"%s\": got %ld want %ld",
	    avails[i].v, n, avails[i].want);
	for (k = 0; k < n; k++) {
		ck_assert_uint_eq(r[k][0], avails[i].r[k][0]);
		ck_assert_uint_eq(r[k][1], avails[i].r[k][1]);
	}
}
END_TEST

static const struct {
	const char		*target;
	int			 want;
	enum http_target_kind	 kind;
	const char		*sha1;		/* hex, when want is 0 */
	const char		*tth;		/* hex, or NULL */
	uint32_t		 index;
	const char		*name;
} targets[] = {
	{ "/uri-res/N2R?urn:sha1:" SHA1_EMPTY_B32, 0, HTTP_T_N2R,
	    SHA1_EMPTY_HEX, NULL, 0, NULL },
	{ "/uri-res/n2r?URN:SHA1:" SHA1_GNODE_B32, 0, HTTP_T_N2R,
	    SHA1_GNODE_HEX, NULL, 0, NULL },
	{ "/URI-RES/N2R?urn:sha1:lqq6fqp7g6sknub4fgiglxgp5xsjzxwb", 0,
	    HTTP_T_N2R, SHA1_GNODE_HEX, NULL, 0, NULL },
	{ "/uri-res/N2R?urn:bitprint:" SHA1_GNODE_B32 "." TTH_SEQ_B32, 0,
	    HTTP_T_N2R, SHA1_GNODE_HEX, TTH_SEQ_HEX, 0, NULL },
	{ "/uri-res/N2R?URN:BITPRINT:" SHA1_GNODE_B32 "." TTH_SEQ_B32, 0,
	    HTTP_T_N2R, SHA1_GNODE_HEX, TTH_SEQ_HEX, 0, NULL },
	{ "/uri-res/N2X?urn:sha1:" SHA1_EMPTY_B32, 0, HTTP_T_N2X,
	    SHA1_EMPTY_HEX, NULL, 0, NULL },
	{ "/uri-res/N2X?urn:sha1:" SHA1_EMPTY_B32 ";" TTH_SEQ_B32, 0,
	    HTTP_T_N2X, SHA1_EMPTY_HEX, TTH_SEQ_HEX, 0, NULL },
	{ "/uri-res/N2X?urn:bitprint:" SHA1_GNODE_B32 "." TTH_SEQ_B32, 0,
	    HTTP_T_N2X, SHA1_GNODE_HEX, TTH_SEQ_HEX, 0, NULL },
	{ "/get/1/a.mp3", 0, HTTP_T_GET, NULL, NULL, 1, "a.mp3" },
	{ "/get/4294967295/x", 0, HTTP_T_GET, NULL, NULL, 4294967295u, "x" },
	{ "/get/0000000007/x", 0, HTTP_T_GET, NULL, NULL, 7, "x" },
	{ "/GET/2/b", 0, HTTP_T_GET, NULL, NULL, 2, "b" },
	{ "/get/3/My%20Song%2c%20Live.mp3", 0, HTTP_T_GET, NULL, NULL, 3,
	    "My Song, Live.mp3" },
	{ "/get/3/raw space+plus.ogg", 0, HTTP_T_GET, NULL, NULL, 3,
	    "raw space+plus.ogg" },
	{ "/get/3/Z%C3%BCrich", 0, HTTP_T_GET, NULL, NULL, 3, "Z\xc3\xbcrich" },
	{ "/get/3/Best of...mp3", 0, HTTP_T_GET, NULL, NULL, 3,
	    "Best of...mp3" },
	{ "/get/3/..mp3", 0, HTTP_T_GET, NULL, NULL, 3, "..mp3" },
	{ "/get/3/...", 0, HTTP_T_GET, NULL, NULL, 3, "..." },
	{ "/get/3/%25", 0, HTTP_T_GET, NULL, NULL, 3, "%" },
	/* Not ours: kind OTHER, and no error. */
	{ "/", 0, HTTP_T_OTHER, NULL, NULL, 0, NULL },
	{ "*", 0, HTTP_T_OTHER, NULL, NULL, 0, NULL },
	{ "", 0, HTTP_T_OTHER, NULL, NULL, 0, NULL },
	{ "/gnutella/push-proxy?ServerId=ABCD", 0, HTTP_T_OTHER, NULL, NULL,
	    0, NULL },
	{ "/uri-res/N2HashTree?urn:sha1:" SHA1_EMPTY_B32, 0, HTTP_T_OTHER,
	    NULL, NULL, 0, NULL },
	{ "/uri-res/", 0, HTTP_T_OTHER, NULL, NULL, 0, NULL },
	{ "/uri-res", 0, HTTP_T_OTHER, NULL, NULL, 0, NULL },
	{ "/get", 0, HTTP_T_OTHER, NULL, NULL, 0, NULL },
	{ "/getx/1/a", 0, HTTP_T_OTHER, NULL, NULL, 0, NULL },
	/* Bad N2R / N2X. */
	{ "/uri-res/N2R?", -1, HTTP_T_N2R, NULL, NULL, 0, NULL },
	{ "/uri-res/N2R?urn:sha1:", -1, HTTP_T_N2R, NULL, NULL, 0, NULL },
	{ "/uri-res/N2R?urn:sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBY", -1,
	    HTTP_T_N2R, NULL, NULL, 0, NULL },
	{ "/uri-res/N2R?urn:sha1:" SHA1_EMPTY_B32 "A", -1, HTTP_T_N2R, NULL,
	    NULL, 0, NULL },
	{ "/uri-res/N2R?urn:sha1:" SHA1_EMPTY_B32 ";" TTH_SEQ_B32, -1,
	    HTTP_T_N2R, NULL, NULL, 0, NULL },
	{ "/uri-res/N2R?urn:sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBY1", -1,
	    HTTP_T_N2R, NULL, NULL, 0, NULL },
	{ "/uri-res/N2R?urn:sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBY8", -1,
	    HTTP_T_N2R, NULL, NULL, 0, NULL },
	{ "/uri-res/N2R?urn:sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBY=", -1,
	    HTTP_T_N2R, NULL, NULL, 0, NULL },
	{ "/uri-res/N2R?urn:sha1:%33I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ", -1,
	    HTTP_T_N2R, NULL, NULL, 0, NULL },
	{ "/uri-res/N2R?urn:md5:" SHA1_EMPTY_B32, -1, HTTP_T_N2R, NULL, NULL,
	    0, NULL },
	{ "/uri-res/N2R?urn:bitprint:" SHA1_GNODE_B32, -1, HTTP_T_N2R, NULL,
	    NULL, 0, NULL },
	{ "/uri-res/N2R?urn:bitprint:" SHA1_GNODE_B32 ".AAAQEAYEAUDAOCAJB"
	    "IFQYDIOB4IBCEQTCQKRMFZ", -1, HTTP_T_N2R, NULL, NULL, 0, NULL },
	{ "/uri-res/N2X?urn:sha1:" SHA1_EMPTY_B32 ";", -1, HTTP_T_N2X, NULL,
	    NULL, 0, NULL },
	{ "/uri-res/N2X?urn:sha1:" SHA1_EMPTY_B32 ";" TTH_SEQ_B32 "A", -1,
	    HTTP_T_N2X, NULL, NULL, 0, NULL },
	{ "/uri-res/N2X?urn:sha1:" SHA1_EMPTY_B32 ";AAAQEAYEAUDAOCAJBIFQYDIOB"
	    "4IBCEQTCQKRMFZ", -1, HTTP_T_N2X, NULL, NULL, 0, NULL },
	{ "/uri-res/N2X?urn:sha1:" SHA1_EMPTY_B32 ";" SHA1_EMPTY_B32, -1,
	    HTTP_T_N2X, NULL, NULL, 0, NULL },
	/* Bad /get/: index. */
	{ "/get/0/a", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/00/a", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/4294967296/a", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/99999999999999999999999/a", -1, HTTP_T_GET, NULL, NULL, 0,
	    NULL },
	{ "/get/00000000001/a", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get//a", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/-1/a", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/+1/a", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1a/a", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/0x1/a", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	/* Bad /get/: the name. */
	{ "/get/1/", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/..", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/.", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/../../etc/passwd", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/a/../../etc/passwd", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1//etc/passwd", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/%2e%2e", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/%2E%2E", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/.%2e", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/%2e", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/%2e%2e%2fetc%2fpasswd", -1, HTTP_T_GET, NULL, NULL, 0,
	    NULL },
	{ "/get/1/..%2f..%2fetc%2fpasswd", -1, HTTP_T_GET, NULL, NULL, 0,
	    NULL },
	{ "/get/1/a%2fb", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/a%2Fb", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/..%5c..%5cwin.ini", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/a\\b", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/a%00.mp3", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/a%0d%0aX-Injected: 1", -1, HTTP_T_GET, NULL, NULL, 0,
	    NULL },
	{ "/get/1/a%09b", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/a%7f", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/a%", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/a%2", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/a%zz", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/a%g0", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/a%%41", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
	{ "/get/1/%%32%65", -1, HTTP_T_GET, NULL, NULL, 0, NULL },
};

START_TEST(test_target)
{
	struct http_target	 t;
	char			*v;
	int			 i = _i, r;

	v = heapstr(targets[i].target);
	r = http_parse_target(v, &t);
	free(v);
	ck_assert_msg(r == targets[i].want, "\"%s\": got %d want %d",
	    targets[i].target, r, targets[i].want);
	ck_assert_msg(t.kind == targets[i].kind, "\"%s\": kind %d want %d",
	    targets[i].target, t.kind, targets[i].kind);
	if (r != 0)
		return;
	if (targets[i].sha1 != NULL)
		check_hex(t.sha1, SHA1_LEN, targets[i].sha1);
	ck_assert_int_eq(t.has_tth, targets[i].tth != NULL);
	if (targets[i].tth != NULL)
		check_hex(t.tth, TTH_LEN, targets[i].tth);
	ck_assert_uint_eq(t.index, targets[i].index);
	if (targets[i].name != NULL)
		ck_assert_str_eq(t.name, targets[i].name);
}
END_TEST

/* The decoded name is bounded by its buffer, escaped or not. */
START_TEST(test_target_long_name)
{
	static struct http_target	 t;
	static char			 buf[3 * HTTP_NAME_MAX + 16];
	size_t				 off;

	off = (size_t)sprintf(buf, "/get/9/");
	memset(buf + off, 'n', HTTP_NAME_MAX - 1);
	buf[off + HTTP_NAME_MAX - 1] = '\0';
	ck_assert_int_eq(http_parse_target(buf, &t), 0);
	ck_assert_uint_eq(strlen(t.name), HTTP_NAME_MAX - 1);
	buf[off + HTTP_NAME_MAX - 1] = 'n';
	buf[off + HTTP_NAME_MAX] = '\0';
	ck_assert_int_eq(http_parse_target(buf, &t), -1);

	/* Three input bytes per output byte. */
	for (off = 7; off < 7 + 3 * (HTTP_NAME_MAX - 1); off += 3)
		memcpy(buf + off, "%41", 3);
	buf[off] = '\0';
	ck_assert_int_eq(http_parse_target(buf, &t), 0);
	ck_assert_uint_eq(strlen(t.name), HTTP_NAME_MAX - 1);
	ck_assert_int_eq(t.name[0], 'A');
	memcpy(buf + off, "%41", 4);
	ck_assert_int_eq(http_parse_target(buf, &t), -1);
}
END_TEST

static const struct {
	const char	*v;
	int		 want;
	uint32_t	 position, length, eta, lifetime;
	int		 flags;
	const char	*id;
} queued[] = {
	{ "position=7; length=12; ETA=340; lifetime=120; ID=abcDEF0123", 0,
	    7, 12, 340, 120, HTTP_Q_LENGTH | HTTP_Q_ETA | HTTP_Q_LIFETIME,
	    "abcDEF0123" },
	{ "ID=ff; position=1", 0, 1, 0, 0, 0, 0, "ff" },
	{ "  POSITION = 2 ;id= 0a ; Eta=5;  LIFETIME=9  ", 0, 2, 0, 5, 9,
	    HTTP_Q_ETA | HTTP_Q_LIFETIME, "0a" },
	{ "position=3,length=4,ID=1", 0, 3, 4, 0, 0, HTTP_Q_LENGTH, "1" },
	{ "position=3; foo=bar; ID=2; x; ;", 0, 3, 0, 0, 0, 0, "2" },
	{ "position=4294967295; ID=c", 0, 4294967295u, 0, 0, 0, 0, "c" },
	{ "position=0; ID="
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	    0, 0, 0, 0, 0, 0,
	    "0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef" },
	{ "position=1; ID=a; ID=b", 0, 1, 0, 0, 0, 0, "b" },
	/* Bad or missing. */
	{ "position=1", -1, 0, 0, 0, 0, 0, NULL },
	{ "ID=abc", -1, 0, 0, 0, 0, 0, NULL },
	{ "", -1, 0, 0, 0, 0, 0, NULL },
	{ "position=; ID=a", -1, 0, 0, 0, 0, 0, NULL },
	{ "position=x; ID=a", -1, 0, 0, 0, 0, 0, NULL },
	{ "position=-1; ID=a", -1, 0, 0, 0, 0, 0, NULL },
	{ "position=1 2; ID=a", -1, 0, 0, 0, 0, 0, NULL },
	{ "position=4294967296; ID=a", -1, 0, 0, 0, 0, 0, NULL },
	{ "position=99999999999999999999999; ID=a", -1, 0, 0, 0, 0, 0, NULL },
	{ "position=1; length=x; ID=a", -1, 0, 0, 0, 0, 0, NULL },
	{ "position=1; ETA=1.5; ID=a", -1, 0, 0, 0, 0, 0, NULL },
	{ "position=1; lifetime=; ID=a", -1, 0, 0, 0, 0, 0, NULL },
	{ "position=1; ID=", -1, 0, 0, 0, 0, 0, NULL },
	{ "position=1; ID=xyz", -1, 0, 0, 0, 0, 0, NULL },
	{ "position=1; ID=ab cd", -1, 0, 0, 0, 0, 0, NULL },
	{ "position=1; ID="
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
	    -1, 0, 0, 0, 0, 0, NULL },
};

START_TEST(test_queued)
{
	struct http_queued	 q;
	char			*v;
	int			 i = _i, r;

	v = heapstr(queued[i].v);
	r = http_parse_queued(v, &q);
	free(v);
	ck_assert_msg(r == queued[i].want, "\"%s\": got %d want %d",
	    queued[i].v, r, queued[i].want);
	if (r != 0)
		return;
	ck_assert_uint_eq(q.position, queued[i].position);
	ck_assert_uint_eq(q.length, queued[i].length);
	ck_assert_uint_eq(q.eta, queued[i].eta);
	ck_assert_uint_eq(q.lifetime, queued[i].lifetime);
	ck_assert_int_eq(q.flags, queued[i].flags);
	ck_assert_str_eq(q.id, queued[i].id);
}
END_TEST

START_TEST(test_queued_format)
{
	struct http_queued	 q, back;
	char			 out[256], *p;
	size_t			 n, cap;

	memset(&q, 0, sizeof q);
	q.position = 7;
	q.length = 12;
	q.eta = 340;
	q.lifetime = 120;
	q.flags = HTTP_Q_LENGTH | HTTP_Q_ETA | HTTP_Q_LIFETIME;
	strcpy(q.id, "7d4e2f10aa55cc33b2e1f0a9d8c7b6a5");
	n = http_format_queued(out, sizeof out, &q);
	ck_assert_str_eq(out, "position=7; length=12; ETA=340; lifetime=120; "
	    "ID=7d4e2f10aa55cc33b2e1f0a9d8c7b6a5");
	ck_assert_uint_eq(n, strlen(out));
	ck_assert_int_eq(http_parse_queued(out, &back), 0);
	ck_assert_uint_eq(back.position, 7);
	ck_assert_uint_eq(back.lifetime, 120);
	ck_assert_int_eq(back.flags, q.flags);
	ck_assert_str_eq(back.id, q.id);

	/* Every short buffer gets 0 and no write past its end. */
	for (cap = 0; cap <= n; cap++) {
		p = malloc(cap == 0 ? 1 : cap);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq(http_format_queued(p, cap, &q), 0);
		free(p);
	}
	q.flags = 0;
	q.position = 4294967295u;
	n = http_format_queued(out, sizeof out, &q);
	ck_assert_str_eq(out, "position=4294967295; "
	    "ID=7d4e2f10aa55cc33b2e1f0a9d8c7b6a5");
	ck_assert_uint_eq(n, strlen(out));

	/* The ID is checked: it goes into a header. */
	strcpy(q.id, "ab\r\nX-Injected: 1");
	ck_assert_uint_eq(http_format_queued(out, sizeof out, &q), 0);
	q.id[0] = '\0';
	ck_assert_uint_eq(http_format_queued(out, sizeof out, &q), 0);
	memset(q.id, 'a', sizeof q.id);
	ck_assert_uint_eq(http_format_queued(out, sizeof out, &q), 0);
}
END_TEST

START_TEST(test_xalt)
{
	struct http_alt	 a[8];
	char		*v;
	size_t		 n;

	v = heapstr("1.2.3.4:6347, 5.6.7.8,255.255.255.255:65535 ,"
	    "\t10.0.0.1:1");
	n = http_parse_xalt(v, a, 8);
	free(v);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(a[0].ip, 0x01020304);
	ck_assert_uint_eq(a[0].port, 6347);
	ck_assert_uint_eq(a[1].ip, 0x05060708);
	ck_assert_uint_eq(a[1].port, HTTP_ALT_PORT);
	ck_assert_uint_eq(a[2].ip, 0xffffffff);
	ck_assert_uint_eq(a[2].port, 65535);
	ck_assert_uint_eq(a[3].ip, 0x0a000001);
	ck_assert_uint_eq(a[3].port, 1);

	/* Bad entries are skipped, good ones around them kept. */
	v = heapstr("tls=c0, 1.2.3.4:5, 256.1.1.1, 1.2.3, 1.2.3.4.5, "
	    "1.2.3.4:0, 1.2.3.4:65536, 0.0.0.0:6346, [::1]:6346, 1.2.3.4:, "
	    ":6346, 1.2.3.4:6346x, 1.2.3.4 :6346, 1..2.3, 0001.2.3.4, "
	    "1.2.3.4:123456, host.example:6346, , ,,9.8.7.6:7");
	n = http_parse_xalt(v, a, 8);
	free(v);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(a[0].ip, 0x01020304);
	ck_assert_uint_eq(a[0].port, 5);
	ck_assert_uint_eq(a[1].ip, 0x09080706);
	ck_assert_uint_eq(a[1].port, 7);

	/* Bounded. */
	v = heapstr("1.1.1.1, 2.2.2.2, 3.3.3.3, 4.4.4.4");
	ck_assert_uint_eq(http_parse_xalt(v, a, 2), 2);
	ck_assert_uint_eq(a[1].ip, 0x02020202);
	ck_assert_uint_eq(http_parse_xalt(v, a, 0), 0);
	free(v);
	v = heapstr("");
	ck_assert_uint_eq(http_parse_xalt(v, a, 8), 0);
	free(v);
}
END_TEST

/* Format into an exactly sized heap buffer, so ASan sees any overrun. */
static size_t
fmt_req(char *out, size_t cap, const char *m, const char *t,
    const struct hs_field *f, size_t nf)
{
	char	*p;
	size_t	 n;

	p = malloc(cap == 0 ? 1 : cap);
	ck_assert_ptr_nonnull(p);
	n = http_format_request(p, cap, m, t, f, nf);
	if (out != NULL)
		memcpy(out, p, cap);
	free(p);
	return n;
}

static size_t
fmt_rsp(char *out, size_t cap, int code, const char *reason,
    const struct hs_field *f, size_t nf)
{
	char	*p;
	size_t	 n;

	p = malloc(cap == 0 ? 1 : cap);
	ck_assert_ptr_nonnull(p);
	n = http_format_response(p, cap, code, reason, f, nf);
	if (out != NULL)
		memcpy(out, p, cap);
	free(p);
	return n;
}

static const struct hs_field fields[] = {
	{ "Host", "10.0.0.5:6346" },
	{ "User-Agent", "gnode/0.1" },
	{ "Range", "bytes=0-524287" },
	{ "X-Queue", "1.0" },
	{ "X-Empty", "" },
};

START_TEST(test_format)
{
	static const char want_req[] = "GET /uri-res/N2R?urn:sha1:"
	    SHA1_EMPTY_B32 " HTTP/1.1\r\nHost: 10.0.0.5:6346\r\n\r\n";
	static const char want_rsp[] = "HTTP/1.1 503 Queued\r\n"
	    "Host: 10.0.0.5:6346\r\n\r\n";
	char	 out[1024];
	size_t	 n, used, i;

	n = fmt_req(out, sizeof out, "GET", "/uri-res/N2R?urn:sha1:"
	    SHA1_EMPTY_B32, fields, 1);
	ck_assert_uint_eq(n, sizeof want_req - 1);
	ck_assert_str_eq(out, want_req);
	n = fmt_rsp(out, sizeof out, 503, "Queued", fields, 1);
	ck_assert_uint_eq(n, sizeof want_rsp - 1);
	ck_assert_str_eq(out, want_rsp);
	n = fmt_rsp(out, sizeof out, 200, NULL, NULL, 0);
	ck_assert_str_eq(out, "HTTP/1.1 200\r\n\r\n");
	ck_assert_uint_eq(n, 16);

	/* Round trips through the parsers. */
	n = fmt_req(out, sizeof out, "HEAD", "/get/1/a%20b", fields,
	    NELEM(fields));
	ck_assert_int_eq(parse_req(out, n, &req, &used), WIRE_OK);
	ck_assert_uint_eq(used, n);
	ck_assert_int_eq(req.method, HTTP_M_HEAD);
	ck_assert_str_eq(req.target, "/get/1/a%20b");
	ck_assert_uint_eq(req.hs.nhdr, NELEM(fields));
	for (i = 0; i < NELEM(fields); i++) {
		ck_assert_str_eq(req.hs.hdr[i].name, fields[i].name);
		ck_assert_str_eq(req.hs.hdr[i].value, fields[i].value);
	}
	n = fmt_rsp(out, sizeof out, 416, "Requested Range Not Satisfiable",
	    fields, NELEM(fields));
	ck_assert_int_eq(parse_rsp(out, n, &rsp, &used), WIRE_OK);
	ck_assert_int_eq(rsp.code, 416);
	ck_assert_str_eq(rsp.reason, "Requested Range Not Satisfiable");
	ck_assert_uint_eq(rsp.nhdr, NELEM(fields));
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
		{ "", "empty name" },
		{ "X-A:", "colon" },
		{ "X A", "space" },
	};
	static const char *badtargets[] = {
		"", "/a b", "/a\tb", "/a\r\nX-Injected: 1", "/a\n", "/\x01",
		"/\x7f",
	};
	static const char *badmethods[] = {
		"", "G T", "GET\r\n", "GET /", "G(T", "GET\t",
	};
	struct hs_field	 two[2];
	char		 out[256];
	size_t		 i;

	for (i = 0; i < NELEM(evil); i++) {
		ck_assert_uint_eq(fmt_req(out, sizeof out, "GET", "/",
		    &evil[i], 1), 0);
		ck_assert_uint_eq(fmt_rsp(out, sizeof out, 200, "OK",
		    &evil[i], 1), 0);
		two[0] = fields[0];
		two[1] = evil[i];
		ck_assert_uint_eq(fmt_req(out, sizeof out, "GET", "/", two, 2),
		    0);
		ck_assert_uint_eq(fmt_rsp(out, sizeof out, 503, "Busy", two, 2),
		    0);
	}
	for (i = 0; i < NELEM(badtargets); i++)
		ck_assert_msg(fmt_req(out, sizeof out, "GET", badtargets[i],
		    NULL, 0) == 0, "target %zu", i);
	for (i = 0; i < NELEM(badmethods); i++)
		ck_assert_msg(fmt_req(out, sizeof out, badmethods[i], "/",
		    NULL, 0) == 0, "method %zu", i);
	ck_assert_uint_eq(fmt_rsp(out, sizeof out, 200, "OK\r\nX-Injected: 1",
	    NULL, 0), 0);
	ck_assert_uint_eq(fmt_rsp(out, sizeof out, 200, "OK\n", NULL, 0), 0);
	ck_assert_uint_eq(fmt_rsp(out, sizeof out, 99, "Low", NULL, 0), 0);
	ck_assert_uint_eq(fmt_rsp(out, sizeof out, 1000, "High", NULL, 0), 0);
	ck_assert_uint_eq(fmt_rsp(out, sizeof out, -200, "Neg", NULL, 0), 0);
}
END_TEST

/* Every buffer shorter than the output gets 0 and no write past its end. */
START_TEST(test_format_short)
{
	char	 out[1024];
	size_t	 need, cap;

	need = fmt_req(out, sizeof out, "GET", "/get/1/x", fields,
	    NELEM(fields));
	ck_assert_uint_gt(need, 0);
	for (cap = 0; cap < need; cap++)
		ck_assert_uint_eq(fmt_req(NULL, cap, "GET", "/get/1/x", fields,
		    NELEM(fields)), 0);
	ck_assert_uint_eq(fmt_req(NULL, need, "GET", "/get/1/x", fields,
	    NELEM(fields)), need);

	need = fmt_rsp(out, sizeof out, 206, "Partial Content", fields,
	    NELEM(fields));
	ck_assert_uint_gt(need, 0);
	for (cap = 0; cap < need; cap++)
		ck_assert_uint_eq(fmt_rsp(NULL, cap, 206, "Partial Content",
		    fields, NELEM(fields)), 0);
	ck_assert_uint_eq(fmt_rsp(NULL, need, 206, "Partial Content", fields,
	    NELEM(fields)), need);
}
END_TEST

/* The HTTP transfer codec's test case. */
TCase *
tc_http(void)
{
	TCase	*tc = tcase_create("http");

	tcase_add_test(tc, test_request_gtkg);
	tcase_add_test(tc, test_request_legacy);
	tcase_add_test(tc, test_response_partial);
	tcase_add_test(tc, test_response_queued);
	tcase_add_test(tc, test_trailing);
	tcase_add_loop_test(tc, test_request_lines, 0, NELEM(req_ok));
	tcase_add_loop_test(tc, test_request_bad, 0, NELEM(req_bad));
	tcase_add_test(tc, test_request_skip_crlf);
	tcase_add_loop_test(tc, test_request_body, 0,
	    sizeof req_body / sizeof req_body[0]);
	tcase_add_loop_test(tc, test_response_lines, 0, NELEM(rsp_ok));
	tcase_add_loop_test(tc, test_response_bad, 0, NELEM(rsp_bad));
	tcase_add_test(tc, test_prefixes);
	tcase_add_test(tc, test_line_limit);
	tcase_add_test(tc, test_header_limit);
	tcase_add_test(tc, test_block_limit);
	tcase_add_loop_test(tc, test_range, 0, NELEM(ranges));
	tcase_add_loop_test(tc, test_content_range, 0, NELEM(cranges));
	tcase_add_loop_test(tc, test_avail, 0, NELEM(avails));
	tcase_add_loop_test(tc, test_target, 0, NELEM(targets));
	tcase_add_test(tc, test_target_long_name);
	tcase_add_loop_test(tc, test_queued, 0, NELEM(queued));
	tcase_add_test(tc, test_queued_format);
	tcase_add_test(tc, test_xalt);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_format_refuse);
	tcase_add_test(tc, test_format_short);
	return tc;
}
