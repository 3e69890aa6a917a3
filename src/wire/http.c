/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * http.c: the HTTP side of file transfers. Request and status lines ride on
 * hdr.c's header block; the rest are small parsers for single header
 * values. Every number is read digit by digit with an explicit ceiling, so
 * a peer's "bytes=99999999999999999999999-" is refused, never wrapped.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/base32.h"
#include "wire/hdr.h"
#include "wire/http.h"

#define HTTP_VER	" HTTP/1.1"	/* the shape of a request line's end */
#define HTTP_VER_LEN	(sizeof HTTP_VER - 1)
#define HTTP_NUM_MAX	UINT64_C(0x7fffffffffffffff)
#define HTTP_TTH_B32	BASE32_LEN(TTH_LEN)

static const char http_pfx_uri[] = "/uri-res/";
static const char http_pfx_get[] = "/get/";
static const char http_pfx_bp[] = "urn:bitprint:";

/*
 * "METHOD SP target SP HTTP/x.y", trailing blanks allowed. Old servents put
 * raw spaces in /get/ names, so the target runs from the first space to the
 * version at the end of the line; that end is only known once the line is
 * complete, so an unfinished line is only checked up to the target's start.
 */
static enum wire_status
http_reqline(struct hs *hs, const uint8_t *p, size_t n, int complete,
    void *arg)
{
	struct http_req	*req = arg;
	size_t		 m, i, j;

	for (m = 0; m < n && hdr_istoken(p[m]); m++)
		;
	if (m == n)
		return complete ? WIRE_MALFORMED : WIRE_SHORT;
	if (m == 0 || p[m] != ' ')
		return WIRE_MALFORMED;
	if (m + 1 == n)
		return complete ? WIRE_MALFORMED : WIRE_SHORT;
	if (hdr_isspace(p[m + 1]))
		return WIRE_MALFORMED;
	if (!complete)
		return WIRE_SHORT;

	while (n > 0 && hdr_isspace(p[n - 1]))
		n--;
	if (n < m + 2 + HTTP_VER_LEN)
		return WIRE_MALFORMED;
	i = n - HTTP_VER_LEN;
	if (memcmp(p + i, " HTTP/", 6) != 0 || !hdr_isdigit(p[i + 6]) ||
	    p[i + 7] != '.' || !hdr_isdigit(p[i + 8]))
		return WIRE_MALFORMED;
	if (p[i - 1] == ' ')
		return WIRE_MALFORMED;
	for (j = m + 1; j < i; j++)
		if (p[j] == '\t')
			return WIRE_MALFORMED;

	hs->kind = HS_REQUEST;
	hs->major = p[i + 6] - '0';
	hs->minor = p[i + 8] - '0';
	if ((req->method_name = hdr_save(hs, p, m)) == NULL ||
	    (req->target = hdr_save(hs, p + m + 1, i - m - 1)) == NULL)
		return WIRE_TOOBIG;
	/* Methods are case-sensitive (RFC 9110 9.1). */
	if (strcmp(req->method_name, "GET") == 0)
		req->method = HTTP_M_GET;
	else if (strcmp(req->method_name, "HEAD") == 0)
		req->method = HTTP_M_HEAD;
	else
		req->method = HTTP_M_OTHER;
	return WIRE_OK;
}

/* "HTTP/x.y CODE reason", one digit each side of the dot. */
static enum wire_status
http_statusline(struct hs *hs, const uint8_t *p, size_t n, int complete,
    void *arg)
{
	enum wire_status	 st;
	size_t			 i = 0;

	(void)arg;
	hs->kind = HS_RESPONSE;
	if ((st = hdr_literal(p, n, &i, complete, "HTTP/")) != WIRE_OK)
		return st;
	if ((st = hdr_digits(p, n, &i, complete, 1, 1, &hs->major)) != WIRE_OK)
		return st;
	if ((st = hdr_literal(p, n, &i, complete, ".")) != WIRE_OK)
		return st;
	if ((st = hdr_digits(p, n, &i, complete, 1, 1, &hs->minor)) != WIRE_OK)
		return st;
	return hdr_status(hs, p, n, &i, complete);
}

/* Parse a request line and its headers, skipping one empty line first. */
enum wire_status
http_parse_request(const uint8_t *buf, size_t len, struct http_req *req,
    size_t *used)
{
	struct hdr_start	 start = { http_reqline, req };
	enum wire_status	 st;
	size_t			 skip = 0, u;

	req->method = HTTP_M_OTHER;
	req->method_name = req->target = NULL;
	/* RFC 9112 2.2: a stray CRLF after the previous request is ignored. */
	if (len > 0 && buf[0] == '\n')
		skip = 1;
	else if (len > 0 && buf[0] == '\r') {
		if (len == 1)
			return WIRE_SHORT;
		if (buf[1] == '\n')
			skip = 2;
	}
	st = hdr_parse(buf + skip, len - skip, &req->hs, &start, &u);
	if (st == WIRE_OK && used != NULL)
		*used = skip + u;
	return st;
}

/* Parse a status line and its headers. */
enum wire_status
http_parse_response(const uint8_t *buf, size_t len, struct hs *hs,
    size_t *used)
{
	static const struct hdr_start	 start = { http_statusline, NULL };

	return hdr_parse(buf, len, hs, &start, used);
}

static const char *
http_skipws(const char *s)
{
	while (hdr_isspace((uint8_t)*s))
		s++;
	return s;
}

/*
 * Decimal digits at *s, advancing it. 1 with *v set, 0 if no digit is
 * there, -1 if the number is over 2^63 - 1.
 */
static int
http_num(const char **s, uint64_t *v)
{
	const char	*p = *s;
	uint64_t	 n = 0, d;

	if (!hdr_isdigit((uint8_t)*p))
		return 0;
	for (; hdr_isdigit((uint8_t)*p); p++) {
		d = (uint64_t)(*p - '0');
		if (n > (HTTP_NUM_MAX - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	*v = n;
	*s = p;
	return 1;
}

/*
 * One Content-Length value, a list of equal decimal numbers ("5" or
 * "5, 5": RFC 9110 8.6 lets a recipient take such a list as one): 0 with
 * *v set, -1 for anything else.
 */
static int
http_clen(const char *v, uint64_t *out)
{
	uint64_t	 n, first = 0;
	int		 any = 0, r;

	for (;;) {
		while (hdr_isspace((uint8_t)*v))
			v++;
		if ((r = http_num(&v, &n)) <= 0)
			return -1;
		if (any && n != first)
			return -1;
		first = n;
		any = 1;
		while (hdr_isspace((uint8_t)*v))
			v++;
		if (*v == '\0')
			break;
		if (*v++ != ',')
			return -1;
	}
	*out = first;
	return 0;
}

/* Every Content-Length and Transfer-Encoding field, however many came. */
enum http_body
http_req_body(const struct http_req *req)
{
	const struct hs	*hs = &req->hs;
	uint64_t	 len = 0, n;
	size_t		 i;
	int		 has_len = 0, has_te = 0;

	for (i = 0; i < hs->nhdr; i++) {
		if (strcasecmp(hs->hdr[i].name, "Transfer-Encoding") == 0) {
			has_te = 1;
			continue;
		}
		if (strcasecmp(hs->hdr[i].name, "Content-Length") != 0)
			continue;
		if (http_clen(hs->hdr[i].value, &n) != 0 ||
		    (has_len && n != len))
			return HTTP_BODY_BAD;
		len = n;
		has_len = 1;
	}
	if (has_te && has_len)
		return HTTP_BODY_BAD;
	return has_te || len > 0 ? HTTP_BODY_SOME : HTTP_BODY_NONE;
}

/* Whether s starts with "bytes", in any case; *s moves past it. */
static int
http_bytes_unit(const char **s)
{
	if (strncasecmp(*s, "bytes", 5) != 0)
		return 0;
	*s += 5;
	return 1;
}

/* Parse one byte range against a file of size bytes. */
int
http_parse_range(const char *v, uint64_t size, uint64_t *first,
    uint64_t *last)
{
	uint64_t	 a = 0, b = 0;
	int		 ha, hb;

	v = http_skipws(v);
	if (!http_bytes_unit(&v))
		return -1;
	v = http_skipws(v);
	if (*v++ != '=')
		return -1;
	v = http_skipws(v);
	if ((ha = http_num(&v, &a)) < 0 || *v++ != '-')
		return -1;
	if ((hb = http_num(&v, &b)) < 0)
		return -1;
	/* Anything else, a list of ranges included, is not understood. */
	if (*http_skipws(v) != '\0' || (!ha && !hb))
		return -1;

	if (!ha) {
		/* "-n": the last n bytes, all of them if n is larger. */
		if (b == 0 || size == 0)
			return -2;
		*first = b >= size ? 0 : size - b;
		*last = size - 1;
		return 0;
	}
	if ((hb && a > b) || a >= size)
		return -2;
	*first = a;
	*last = !hb || b >= size ? size - 1 : b;
	return 0;
}

/* Parse "bytes a-b/size", or the form with '*' that a 416 carries. */
int
http_parse_content_range(const char *v, uint64_t *first, uint64_t *last,
    uint64_t *size)
{
	uint64_t	 a = 0, b = 0, n = 0;
	int		 star = 0;

	v = http_skipws(v);
	if (!http_bytes_unit(&v))
		return -1;
	/* Some servents write "bytes=a-b/size". */
	if (*v != ' ' && *v != '\t' && *v != '=')
		return -1;
	v = http_skipws(v + 1);
	if (*v == '*') {
		star = 1;
		v++;
	} else if (http_num(&v, &a) != 1 || *v++ != '-' ||
	    http_num(&v, &b) != 1)
		return -1;
	if (*v++ != '/' || http_num(&v, &n) != 1 || *http_skipws(v) != '\0')
		return -1;
	if (star) {
		*size = n;
		return 1;
	}
	if (a > b || b >= n)
		return -1;
	*first = a;
	*last = b;
	*size = n;
	return 0;
}

/* What a partial source has. */
long
http_parse_avail(const char *v, uint64_t size, uint64_t (*r)[2], size_t max)
{
	uint64_t	 a, b;
	size_t		 n = 0;

	v = http_skipws(v);
	if (!http_bytes_unit(&v))
		return -1;
	if (*v != ' ' && *v != '\t' && *v != '=')
		return -1;
	v = http_skipws(v + 1);
	for (;;) {
		if (http_num(&v, &a) != 1 || *v++ != '-' ||
		    http_num(&v, &b) != 1)
			return -1;
		if (a <= b && a < size && n < max) {
			r[n][0] = a;
			r[n][1] = b < size ? b : size - 1;
			n++;
		}
		v = http_skipws(v);
		if (*v == '\0')
			break;
		if (*v++ != ',')
			return -1;
		v = http_skipws(v);
	}
	return (long)n;
}

size_t
http_format_avail(char *out, size_t cap, const uint64_t (*r)[2], size_t n)
{
	size_t	 i, off;
	int	 w;

	if (cap < 7 || n == 0) {
		if (cap > 0)
			out[0] = '\0';
		return 0;
	}
	memcpy(out, "bytes ", 7);
	off = 6;
	for (i = 0; i < n; i++) {
		w = snprintf(out + off, cap - off, "%s%llu-%llu", i > 0 ? ","
		    : "", (unsigned long long)r[i][0],
		    (unsigned long long)r[i][1]);
		if (w < 0 || (size_t)w >= cap - off) {
			out[off] = '\0';
			break;
		}
		off += (size_t)w;
	}
	if (i == 0) {
		out[0] = '\0';
		return 0;
	}
	return off;
}

static int
http_hexval(uint8_t c)
{
	if (hdr_isdigit(c))
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * "/get/<index>/<name>". The decoded name must be one plain file name: no
 * separator of either kind, no NUL or control character, not "." or "..",
 * and every '%' must start a valid escape.
 */
static int
http_get_target(const char *s, struct http_target *t)
{
	uint64_t	 idx = 0;
	size_t		 n = 0, digits = 0;
	int		 hi, lo;
	uint8_t		 c;

	for (; hdr_isdigit((uint8_t)*s); s++) {
		idx = idx * 10 + (uint64_t)(*s - '0');
		if (++digits > 10 || idx > UINT32_MAX)
			return -1;
	}
	if (digits == 0 || idx == 0 || *s++ != '/')
		return -1;
	t->index = (uint32_t)idx;

	while (*s != '\0') {
		c = (uint8_t)*s++;
		if (c == '%') {
			if ((hi = http_hexval((uint8_t)s[0])) < 0 ||
			    (lo = http_hexval((uint8_t)s[1])) < 0)
				return -1;
			c = (uint8_t)(hi << 4 | lo);
			s += 2;
		}
		if (c == '\0' || c == '/' || c == '\\' || hdr_isctl(c) ||
		    c == '\t')
			return -1;
		if (n == sizeof t->name - 1)
			return -1;
		t->name[n++] = (char)c;
	}
	t->name[n] = '\0';
	if (n == 0 || strcmp(t->name, ".") == 0 || strcmp(t->name, "..") == 0)
		return -1;
	return 0;
}

/* The URN of an N2R or N2X request; N2X may add ";<tth>". */
static int
http_urn_target(const char *s, struct http_target *t)
{
	const char	*semi = NULL;
	size_t		 n, bp = sizeof http_pfx_bp - 1;

	n = strlen(s);
	if (t->kind == HTTP_T_N2X && (semi = strchr(s, ';')) != NULL)
		n = (size_t)(semi - s);
	if (huge_parse_sha1(s, n, t->sha1) != WIRE_OK)
		return -1;
	/* A bitprint carries the root too; huge_parse_sha1 checked it. */
	if (strncasecmp(s, http_pfx_bp, bp) == 0) {
		if (base32_decode(s + bp + HUGE_SHA1_B32 + 1, HTTP_TTH_B32,
		    t->tth, sizeof t->tth) != TTH_LEN)
			return -1;
		t->has_tth = 1;
	}
	if (semi != NULL) {
		if (strlen(semi + 1) != HTTP_TTH_B32 ||
		    base32_decode(semi + 1, HTTP_TTH_B32, t->tth,
		    sizeof t->tth) != TTH_LEN)
			return -1;
		t->has_tth = 1;
	}
	return 0;
}

/* Classify a request target, decoding what the upload side needs. */
int
http_parse_target(const char *s, struct http_target *t)
{
	size_t	 up = sizeof http_pfx_uri - 1, gp = sizeof http_pfx_get - 1;

	memset(t, 0, sizeof *t);
	t->kind = HTTP_T_OTHER;
	if (strncasecmp(s, http_pfx_uri, up) == 0) {
		s += up;
		if (strncasecmp(s, "N2R?", 4) == 0)
			t->kind = HTTP_T_N2R;
		else if (strncasecmp(s, "N2X?", 4) == 0)
			t->kind = HTTP_T_N2X;
		else
			return 0;
		return http_urn_target(s + 4, t);
	}
	if (strncasecmp(s, http_pfx_get, gp) == 0) {
		t->kind = HTTP_T_GET;
		return http_get_target(s + gp, t);
	}
	return 0;
}

/* A run of 1..max hex digits, the whole of [s, s + n). */
static int
http_ishex(const char *s, size_t n, size_t max)
{
	size_t	 i;

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (http_hexval((uint8_t)s[i]) < 0)
			return 0;
	return 1;
}

/* A whole value [s, s + n) as a decimal uint32_t; -1 if it is not one. */
static int
http_u32(const char *s, size_t n, uint32_t *v)
{
	const char	*p = s;
	uint64_t	 x;

	if (http_num(&p, &x) != 1 || (size_t)(p - s) != n || x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* Whether the key [k, k + n) is name, in any case. */
static int
http_iskey(const char *k, size_t n, const char *name)
{
	return strlen(name) == n && strncasecmp(k, name, n) == 0;
}

/* Parse PARQ's X-Queued; unknown keys are skipped. */
int
http_parse_queued(const char *v, struct http_queued *q)
{
	const uint8_t	*k, *val;
	const char	*ks, *vs;
	size_t		 kn, vn;
	int		 have_pos = 0;

	memset(q, 0, sizeof *q);
	while (*v != '\0') {
		k = (const uint8_t *)v;
		while (*v != '\0' && *v != ';' && *v != ',' && *v != '=')
			v++;
		kn = (size_t)((const uint8_t *)v - k);
		hdr_trim(&k, &kn);
		if (*v != '=') {
			/* A bare word: nothing we know has no value. */
			if (*v != '\0')
				v++;
			continue;
		}
		val = (const uint8_t *)++v;
		while (*v != '\0' && *v != ';' && *v != ',')
			v++;
		vn = (size_t)((const uint8_t *)v - val);
		if (*v != '\0')
			v++;
		hdr_trim(&val, &vn);
		ks = (const char *)k;
		vs = (const char *)val;

		if (http_iskey(ks, kn, "position")) {
			if (http_u32(vs, vn, &q->position) == -1)
				return -1;
			have_pos = 1;
		} else if (http_iskey(ks, kn, "length")) {
			if (http_u32(vs, vn, &q->length) == -1)
				return -1;
			q->flags |= HTTP_Q_LENGTH;
		} else if (http_iskey(ks, kn, "ETA")) {
			if (http_u32(vs, vn, &q->eta) == -1)
				return -1;
			q->flags |= HTTP_Q_ETA;
		} else if (http_iskey(ks, kn, "lifetime")) {
			if (http_u32(vs, vn, &q->lifetime) == -1)
				return -1;
			q->flags |= HTTP_Q_LIFETIME;
		} else if (http_iskey(ks, kn, "ID")) {
			if (!http_ishex(vs, vn, HTTP_QID_MAX))
				return -1;
			memcpy(q->id, vs, vn);
			q->id[vn] = '\0';
		}
	}
	return have_pos && q->id[0] != '\0' ? 0 : -1;
}

/* Append "[; ]key=value" at *off if it fits; -1 if not. */
static int
http_put_kv(char *buf, size_t cap, size_t *off, const char *key,
    const char *val)
{
	int	 r;

	r = snprintf(buf + *off, cap - *off, "%s%s=%s", *off > 0 ? "; " : "",
	    key, val);
	if (r < 0 || (size_t)r >= cap - *off)
		return -1;
	*off += (size_t)r;
	return 0;
}

static int
http_put_num(char *buf, size_t cap, size_t *off, const char *key,
    uint32_t v)
{
	char	 num[16];

	(void)snprintf(num, sizeof num, "%u", (unsigned)v);
	return http_put_kv(buf, cap, off, key, num);
}

/* Write an X-Queued value from the fields that are set. */
size_t
http_format_queued(char *buf, size_t cap, const struct http_queued *q)
{
	size_t	 off = 0;

	if (!http_ishex(q->id, strnlen(q->id, sizeof q->id), HTTP_QID_MAX))
		return 0;
	if (http_put_num(buf, cap, &off, "position", q->position) == -1)
		return 0;
	if ((q->flags & HTTP_Q_LENGTH) &&
	    http_put_num(buf, cap, &off, "length", q->length) == -1)
		return 0;
	if ((q->flags & HTTP_Q_ETA) &&
	    http_put_num(buf, cap, &off, "ETA", q->eta) == -1)
		return 0;
	if ((q->flags & HTTP_Q_LIFETIME) &&
	    http_put_num(buf, cap, &off, "lifetime", q->lifetime) == -1)
		return 0;
	if (http_put_kv(buf, cap, &off, "ID", q->id) == -1)
		return 0;
	return off;
}

/* A dotted quad and an optional port filling all of [s, s + n). */
int
http_parse_hostport(const char *s, size_t n, struct http_alt *a)
{
	const char	*end = s + n;
	uint32_t	 ip = 0, oct, port = HTTP_ALT_PORT;
	size_t		 digits;
	int		 i;

	for (i = 0; i < 4; i++) {
		if (i > 0 && (s == end || *s++ != '.'))
			return -1;
		for (oct = 0, digits = 0; s < end && hdr_isdigit((uint8_t)*s);
		    s++) {
			oct = oct * 10 + (uint32_t)(*s - '0');
			if (++digits > 3 || oct > 255)
				return -1;
		}
		if (digits == 0)
			return -1;
		ip = ip << 8 | oct;
	}
	if (s < end && *s == ':') {
		s++;
		for (port = 0, digits = 0; s < end &&
		    hdr_isdigit((uint8_t)*s); s++) {
			port = port * 10 + (uint32_t)(*s - '0');
			if (++digits > 5 || port > 65535)
				return -1;
		}
		if (digits == 0)
			return -1;
	}
	if (s != end || ip == 0 || port == 0)
		return -1;
	a->ip = ip;
	a->port = (uint16_t)port;
	return 0;
}

/* The next item of a comma-separated value, trimmed, at *item for *n
 * bytes; *v moves past it. 0 at the end. */
static int
http_list_next(const char **v, const uint8_t **item, size_t *n)
{
	const char	*p = *v;

	if (*p == '\0')
		return 0;
	*item = (const uint8_t *)p;
	while (*p != '\0' && *p != ',')
		p++;
	*n = (size_t)((const uint8_t *)p - *item);
	*v = *p != '\0' ? p + 1 : p;
	hdr_trim(item, n);
	return 1;
}

/* Parse X-Alt "ip[:port], ..." skipping entries that are not one. */
size_t
http_parse_xalt(const char *v, struct http_alt *out, size_t max)
{
	const uint8_t	*item;
	size_t		 n, cnt = 0;

	while (cnt < max && http_list_next(&v, &item, &n))
		if (http_parse_hostport((const char *)item, n, &out[cnt]) == 0)
			cnt++;
	return cnt;
}

size_t
http_format_xalt(char *out, size_t cap, const struct http_alt *a, size_t n)
{
	size_t	 i, off = 0;
	int	 w;

	if (cap == 0)
		return 0;
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		w = snprintf(out + off, cap - off, "%s%u.%u.%u.%u:%u",
		    off > 0 ? "," : "", a[i].ip >> 24, a[i].ip >> 16 & 0xff,
		    a[i].ip >> 8 & 0xff, a[i].ip & 0xff, a[i].port);
		if (w < 0 || (size_t)w >= cap - off) {
			out[off] = '\0';	/* whole entries only */
			break;
		}
		off += (size_t)w;
	}
	return off;
}

/* Whether an X-Features value ("name/1.0, other/0.1") names this one. */
int
http_has_feature(const char *v, const char *name)
{
	const uint8_t	*item;
	size_t		 n, k = strlen(name);

	while (http_list_next(&v, &item, &n))
		if (n >= k && strncasecmp((const char *)item, name, k) == 0 &&
		    (n == k || item[k] == '/'))
			return 1;
	return 0;
}

/* Write "METHOD target HTTP/1.1" and the fields; 0 if unsafe or no room. */
size_t
http_format_request(char *buf, size_t cap, const char *method,
    const char *target, const struct hs_field *f, size_t nf)
{
	size_t	 off = 0;

	if (!hdr_okname(method) || *target == '\0' || !hdr_oktext(target) ||
	    strpbrk(target, " \t") != NULL)
		return 0;
	if (hdr_put(buf, cap, &off, method, strlen(method)) ||
	    hdr_put(buf, cap, &off, " ", 1) ||
	    hdr_put(buf, cap, &off, target, strlen(target)) ||
	    hdr_put(buf, cap, &off, HTTP_VER "\r\n", HTTP_VER_LEN + 2))
		return 0;
	return hdr_format_fields(buf, cap, off, f, nf);
}

/* Write "HTTP/1.1 <code> <reason>" and fields; 0 if unsafe or no room. */
size_t
http_format_response(char *buf, size_t cap, int code, const char *reason,
    const struct hs_field *f, size_t nf)
{
	return hdr_format_status(buf, cap, "HTTP/1.1", code, reason, f, nf);
}
