/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_http.c: libFuzzer target for the HTTP transfer codec. The input is
 * parsed as a request and as a response; whatever parses has its target
 * and every header value fed to the Range, Content-Range, target, X-Queued
 * and X-Alt parsers, whose results must hold their promises. Requests and
 * responses are also written back and must parse the same.
 */
#include <stdlib.h>
#include <string.h>

#include "wire/http.h"

#define NALT	16
#define NAV	8

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const uint64_t sizes[] = { 0, 1, 1000, UINT64_MAX };

/* Run every value parser over s and check what each one promises. */
static void
values(const char *s)
{
	static struct http_target	 t;
	struct http_queued		 q, q2;
	struct http_alt			 alt[NALT];
	uint64_t			 av[NAV][2];
	uint64_t			 a, b, n;
	char				 out[256];
	size_t				 i, len;
	int				 r;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		r = http_parse_range(s, sizes[i], &a, &b);
		if (r < -2 || r > 0)
			abort();
		if (r == 0 && (a > b || b >= sizes[i]))
			abort();
	}
	r = http_parse_content_range(s, &a, &b, &n);
	if (r < -1 || r > 1 || (r == 0 && (a > b || b >= n)))
		abort();
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		long	 k = http_parse_avail(s, sizes[i], av, NAV);

		if (k < -1 || k > NAV)
			abort();
		while (k-- > 0)
			if (av[k][0] > av[k][1] || av[k][1] >= sizes[i])
				abort();
	}

	r = http_parse_target(s, &t);
	if (r == 0 && t.kind == HTTP_T_GET) {
		len = strnlen(t.name, sizeof t.name);
		if (len == 0 || len == sizeof t.name || t.index == 0 ||
		    memchr(t.name, '/', len) != NULL ||
		    strcmp(t.name, "..") == 0 || strcmp(t.name, ".") == 0)
			abort();
	}

	if (http_parse_queued(s, &q) == 0) {
		len = strnlen(q.id, sizeof q.id);
		if (len == 0 || len > HTTP_QID_MAX)
			abort();
		if ((len = http_format_queued(out, sizeof out, &q)) == 0 ||
		    len >= sizeof out || http_parse_queued(out, &q2) != 0)
			abort();
		if (q2.position != q.position || q2.flags != q.flags ||
		    strcmp(q2.id, q.id) != 0)
			abort();
	}

	if (http_parse_xalt(s, alt, NALT) > NALT)
		abort();
}

static void
headers(const struct hs *h)
{
	size_t	 i;

	for (i = 0; i < h->nhdr; i++)
		values(h->hdr[i].value);
	(void)hs_get(h, "Range");
	(void)hs_has_token(h, "X-Features", "queue/1.1");
}

/* Formatted blocks can grow ("N:v" to "N: v"): limits may trip then. */
static int
grew(enum wire_status st)
{
	return st == WIRE_TOOBIG;
}

/* Parse both ways, check the value parsers, format and parse again. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_req	 req, req2;
	static struct hs	 rsp, rsp2;
	static struct hs_field	 f[HS_MAX_HEADERS];
	static char		 out[2 * HS_MAX_BLOCK + HS_MAX_HEADERS * 4];
	enum wire_status	 st;
	size_t			 used, n, i;
	enum http_body		 body;

	st = WIRE_MALFORMED;
	if (http_parse_request(data, size, &req, &used) == WIRE_OK) {
		if (used > size || req.hs.storelen > HS_MAX_BLOCK)
			abort();
		if (req.hs.kind != HS_REQUEST || req.target[0] == '\0')
			abort();
		values(req.target);
		headers(&req.hs);
		/* The framing verdict is one of three, and survives the
		 * round trip below (same headers, same order). */
		body = http_req_body(&req);
		if (body != HTTP_BODY_NONE && body != HTTP_BODY_SOME &&
		    body != HTTP_BODY_BAD)
			abort();
		for (i = 0; i < req.hs.nhdr; i++) {
			f[i].name = req.hs.hdr[i].name;
			f[i].value = req.hs.hdr[i].value;
		}
		n = http_format_request(out, sizeof out, req.method_name,
		    req.target, f, req.hs.nhdr);
		/* Only a target with raw spaces is refused. */
		if (n == 0 && strchr(req.target, ' ') == NULL)
			abort();
		if (n > 0 && (st = http_parse_request((const uint8_t *)out, n,
		    &req2, &used)) != WIRE_OK && !grew(st))
			abort();
		if (n > 0 && st == WIRE_OK && (used != n ||
		    req2.method != req.method ||
		    strcmp(req2.target, req.target) != 0 ||
		    req2.hs.nhdr != req.hs.nhdr ||
		    http_req_body(&req2) != body))
			abort();
	}

	if (http_parse_response(data, size, &rsp, &used) == WIRE_OK) {
		if (used > size || rsp.storelen > HS_MAX_BLOCK ||
		    rsp.kind != HS_RESPONSE || rsp.code < 100 || rsp.code > 999)
			abort();
		headers(&rsp);
		for (i = 0; i < rsp.nhdr; i++) {
			f[i].name = rsp.hdr[i].name;
			f[i].value = rsp.hdr[i].value;
		}
		n = http_format_response(out, sizeof out, rsp.code, rsp.reason,
		    f, rsp.nhdr);
		if (n == 0 || n >= sizeof out)
			abort();
		st = http_parse_response((const uint8_t *)out, n, &rsp2, &used);
		if (st != WIRE_OK && !grew(st))
			abort();
		if (st == WIRE_OK && (used != n || rsp2.code != rsp.code ||
		    strcmp(rsp2.reason, rsp.reason) != 0 ||
		    rsp2.nhdr != rsp.nhdr))
			abort();
		for (i = 0; st == WIRE_OK && i < rsp.nhdr; i++)
			if (strcmp(rsp2.hdr[i].value, rsp.hdr[i].value) != 0)
				abort();
	}
	return 0;
}
