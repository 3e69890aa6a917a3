/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * hs.c: the Gnutella 0.6 handshake block, parsed and written. The parser is
 * called again on the whole buffer each time more bytes arrive; it checks
 * what has come so far, so a peer that breaks a limit or sends something
 * that can never become a handshake is refused before the blank line.
 */
#include <string.h>
#include <strings.h>

#include "wire/hs.h"

#define HS_VER_DIGITS	3	/* more digits is not a real version */

static const char hs_req[] = "GNUTELLA CONNECT/";
static const char hs_rsp[] = "GNUTELLA/";

/* Control characters never belong on a handshake line; tab is whitespace. */
static int
hs_isctl(uint8_t c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

static int
hs_isspace(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static int
hs_isdigit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* RFC 7230 tchar: what a header name may be made of. */
static int
hs_istoken(uint8_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || hs_isdigit(c))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Trim spaces and tabs at both ends of [*p, *p + *n). */
static void
hs_trim(const uint8_t **p, size_t *n)
{
	while (*n > 0 && hs_isspace((*p)[0])) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && hs_isspace((*p)[*n - 1]))
		(*n)--;
}

/* Copy n bytes and a NUL into the store; NULL if it is full. */
static const char *
hs_save(struct hs *hs, const uint8_t *p, size_t n)
{
	char	*s;

	if (n >= sizeof hs->store - hs->storelen)
		return NULL;
	s = hs->store + hs->storelen;
	memcpy(s, p, n);
	s[n] = '\0';
	hs->storelen += n + 1;
	return s;
}

/*
 * Read a run of min..max digits at *i. An unfinished line that ends inside
 * the run may still become valid, so that is WIRE_SHORT, not an error.
 */
static enum wire_status
hs_digits(const uint8_t *p, size_t n, size_t *i, int complete, size_t min,
    size_t max, int *val)
{
	size_t	 cnt = 0;
	int	 v = 0;

	while (*i < n && hs_isdigit(p[*i])) {
		if (++cnt > max)
			return WIRE_MALFORMED;
		v = v * 10 + (p[*i] - '0');
		(*i)++;
	}
	if (*i == n && !complete)
		return WIRE_SHORT;
	if (cnt < min)
		return WIRE_MALFORMED;
	*val = v;
	return WIRE_OK;
}

/* Match a literal at *i; a partial match on an unfinished line waits. */
static enum wire_status
hs_literal(const uint8_t *p, size_t n, size_t *i, int complete, const char *lit)
{
	size_t	 want = strlen(lit), have = n - *i;

	if (have < want) {
		if (memcmp(p + *i, lit, have) != 0 || complete)
			return WIRE_MALFORMED;
		return WIRE_SHORT;
	}
	if (memcmp(p + *i, lit, want) != 0)
		return WIRE_MALFORMED;
	*i += want;
	return WIRE_OK;
}

/*
 * The start line, complete or not. Versions are reported as sent (0.7 is
 * fine, the caller answers 0.6); the reason is kept trimmed.
 */
static enum wire_status
hs_start(struct hs *hs, const uint8_t *p, size_t n, int complete)
{
	enum wire_status	 st;
	const uint8_t		*r;
	size_t			 i, rn;

	for (i = 0; i < n; i++)
		if (hs_isctl(p[i]))
			return WIRE_MALFORMED;
	i = 0;
	if (n > 8 && p[8] == ' ') {
		hs->kind = HS_REQUEST;
		st = hs_literal(p, n, &i, complete, hs_req);
	} else {
		hs->kind = HS_RESPONSE;
		st = hs_literal(p, n, &i, complete, hs_rsp);
	}
	if (st != WIRE_OK)
		return st;
	if ((st = hs_digits(p, n, &i, complete, 1, HS_VER_DIGITS,
	    &hs->major)) != WIRE_OK)
		return st;
	if ((st = hs_literal(p, n, &i, complete, ".")) != WIRE_OK)
		return st;
	if ((st = hs_digits(p, n, &i, complete, 1, HS_VER_DIGITS,
	    &hs->minor)) != WIRE_OK)
		return st;

	if (hs->kind == HS_REQUEST) {
		/* Tolerate trailing blanks, nothing else. */
		for (; i < n; i++)
			if (!hs_isspace(p[i]))
				return WIRE_MALFORMED;
		return complete ? WIRE_OK : WIRE_SHORT;
	}

	if ((st = hs_literal(p, n, &i, complete, " ")) != WIRE_OK)
		return st;
	if (i < n && p[i] == '0')
		return WIRE_MALFORMED;
	if ((st = hs_digits(p, n, &i, complete, 3, 3, &hs->code)) != WIRE_OK)
		return st;
	if (i < n && p[i] != ' ')
		return WIRE_MALFORMED;
	if (!complete)
		return WIRE_SHORT;
	r = p + i;
	rn = n - i;
	hs_trim(&r, &rn);
	if ((hs->reason = hs_save(hs, r, rn)) == NULL)
		return WIRE_TOOBIG;
	return WIRE_OK;
}

/* A continuation line: append to the last value with one space between. */
static enum wire_status
hs_fold(struct hs *hs, const uint8_t *p, size_t n)
{
	struct hs_header	*h;
	size_t			 end, sep;

	hs_trim(&p, &n);
	if (n == 0)
		return WIRE_OK;
	/* The last value is the last thing stored: its NUL ends the store. */
	h = &hs->hdr[hs->nhdr - 1];
	end = hs->storelen - 1;
	sep = h->value[0] != '\0';
	if (sep + n >= sizeof hs->store - end)
		return WIRE_TOOBIG;
	if (sep)
		hs->store[end] = ' ';
	memcpy(hs->store + end + sep, p, n);
	hs->store[end + sep + n] = '\0';
	hs->storelen = end + sep + n + 1;
	return WIRE_OK;
}

/* A header line (not the empty one), complete or not. */
static enum wire_status
hs_header(struct hs *hs, const uint8_t *p, size_t n, int complete)
{
	struct hs_header	*h;
	size_t			 i;

	for (i = 0; i < n; i++)
		if (hs_isctl(p[i]))
			return WIRE_MALFORMED;
	if (n == 0)
		return WIRE_SHORT;
	if (hs_isspace(p[0])) {
		if (hs->nhdr == 0)
			return WIRE_MALFORMED;
		if (!complete)
			return WIRE_SHORT;
		return hs_fold(hs, p, n);
	}
	if (hs->nhdr == HS_MAX_HEADERS)
		return WIRE_TOOBIG;

	for (i = 0; i < n && p[i] != ':'; i++)
		if (!hs_istoken(p[i]))
			return WIRE_MALFORMED;
	if (i == n)
		return complete ? WIRE_MALFORMED : WIRE_SHORT;
	if (i == 0)
		return WIRE_MALFORMED;
	if (!complete)
		return WIRE_SHORT;

	h = &hs->hdr[hs->nhdr];
	if ((h->name = hs_save(hs, p, i)) == NULL)
		return WIRE_TOOBIG;
	p += i + 1;
	n -= i + 1;
	hs_trim(&p, &n);
	if ((h->value = hs_save(hs, p, n)) == NULL)
		return WIRE_TOOBIG;
	hs->nhdr++;
	return WIRE_OK;
}

/* Parse a start line and header block up to and including the blank line. */
enum wire_status
hs_parse(const uint8_t *buf, size_t len, struct hs *hs, size_t *used)
{
	enum wire_status	 st;
	const uint8_t		*lf;
	size_t			 lim, off = 0, n, next;
	int			 complete;

	hs->kind = HS_REQUEST;
	hs->major = hs->minor = hs->code = 0;
	hs->reason = NULL;
	hs->nhdr = 0;
	hs->storelen = 0;

	/* Bytes past the block limit can never be part of a valid handshake. */
	lim = len < HS_MAX_BLOCK ? len : HS_MAX_BLOCK;
	for (;;) {
		lf = off < lim ? memchr(buf + off, '\n', lim - off) : NULL;
		if (lf != NULL) {
			n = (size_t)(lf - (buf + off));
			next = n + off + 1;
			complete = 1;
		} else {
			n = lim - off;
			next = lim;
			complete = 0;
		}
		/* CR only counts as a line end right before LF (or the end). */
		if (n > 0 && buf[off + n - 1] == '\r')
			n--;
		if (n > HS_MAX_LINE)
			return WIRE_TOOBIG;

		if (off == 0)
			st = hs_start(hs, buf, n, complete);
		else if (complete && n == 0) {
			if (used != NULL)
				*used = next;
			return WIRE_OK;
		} else
			st = hs_header(hs, buf + off, n, complete);
		if (st != WIRE_OK && st != WIRE_SHORT)
			return st;
		if (!complete)
			return len >= HS_MAX_BLOCK ? WIRE_TOOBIG : WIRE_SHORT;
		off = next;
	}
}

/* First value of a header, by case-insensitive name. */
const char *
hs_get(const struct hs *hs, const char *name)
{
	size_t	 i;

	for (i = 0; i < hs->nhdr; i++)
		if (strcasecmp(hs->hdr[i].name, name) == 0)
			return hs->hdr[i].value;
	return NULL;
}

/* Whether the first such header's value is s, ignoring case. */
int
hs_is(const struct hs *hs, const char *name, const char *s)
{
	const char	*v;

	if ((v = hs_get(hs, name)) == NULL)
		return 0;
	return strcasecmp(v, s) == 0;
}

/* Whether any such header lists token s; ";params" are ignored. */
int
hs_has_token(const struct hs *hs, const char *name, const char *s)
{
	const uint8_t	*p, *end, *tok, *semi;
	size_t		 i, sn = strlen(s), tn;

	for (i = 0; i < hs->nhdr; i++) {
		if (strcasecmp(hs->hdr[i].name, name) != 0)
			continue;
		p = (const uint8_t *)hs->hdr[i].value;
		end = p + strlen(hs->hdr[i].value);
		while (p < end) {
			tok = p;
			while (p < end && *p != ',')
				p++;
			tn = (size_t)(p - tok);
			if (p < end)
				p++;
			if ((semi = memchr(tok, ';', tn)) != NULL)
				tn = (size_t)(semi - tok);
			hs_trim(&tok, &tn);
			if (tn == sn && tn > 0 &&
			    strncasecmp((const char *)tok, s, sn) == 0)
				return 1;
		}
	}
	return 0;
}

/* Append n bytes at *off if they fit. */
static int
hs_put(char *buf, size_t cap, size_t *off, const char *s, size_t n)
{
	if (n > cap - *off)
		return -1;
	memcpy(buf + *off, s, n);
	*off += n;
	return 0;
}

/* Text safe to put on one line: no CR, LF or other control character. */
static int
hs_oktext(const char *s)
{
	for (; *s != '\0'; s++)
		if (hs_isctl((uint8_t)*s))
			return 0;
	return 1;
}

static int
hs_okname(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!hs_istoken((uint8_t)*s))
			return 0;
	return 1;
}

/* The header lines and the blank line after a start line already at *off. */
static size_t
hs_format_fields(char *buf, size_t cap, size_t off, const struct hs_field *f,
    size_t nf)
{
	size_t	 i;

	for (i = 0; i < nf; i++) {
		if (!hs_okname(f[i].name) || !hs_oktext(f[i].value))
			return 0;
		if (hs_put(buf, cap, &off, f[i].name, strlen(f[i].name)) ||
		    hs_put(buf, cap, &off, ": ", 2) ||
		    hs_put(buf, cap, &off, f[i].value, strlen(f[i].value)) ||
		    hs_put(buf, cap, &off, "\r\n", 2))
			return 0;
	}
	if (hs_put(buf, cap, &off, "\r\n", 2))
		return 0;
	if (off < cap)
		buf[off] = '\0';
	return off;
}

/* Write "GNUTELLA CONNECT/0.6" and the fields; 0 if unsafe or no room. */
size_t
hs_format_request(char *buf, size_t cap, const struct hs_field *f, size_t nf)
{
	static const char	 start[] = "GNUTELLA CONNECT/0.6\r\n";
	size_t			 off = 0;

	if (hs_put(buf, cap, &off, start, sizeof start - 1))
		return 0;
	return hs_format_fields(buf, cap, off, f, nf);
}

/* Write "GNUTELLA/0.6 <code> <reason>" and fields; 0 if unsafe or no room. */
size_t
hs_format_response(char *buf, size_t cap, int code, const char *reason,
    const struct hs_field *f, size_t nf)
{
	static const char	 start[] = "GNUTELLA/0.6 ";
	char			 num[3];
	size_t			 off = 0;

	if (code < 100 || code > 999)
		return 0;
	if (reason == NULL)
		reason = "";
	if (!hs_oktext(reason))
		return 0;
	num[0] = (char)('0' + code / 100);
	num[1] = (char)('0' + code / 10 % 10);
	num[2] = (char)('0' + code % 10);
	if (hs_put(buf, cap, &off, start, sizeof start - 1) ||
	    hs_put(buf, cap, &off, num, sizeof num))
		return 0;
	if (*reason != '\0' && (hs_put(buf, cap, &off, " ", 1) ||
	    hs_put(buf, cap, &off, reason, strlen(reason))))
		return 0;
	if (hs_put(buf, cap, &off, "\r\n", 2))
		return 0;
	return hs_format_fields(buf, cap, off, f, nf);
}
