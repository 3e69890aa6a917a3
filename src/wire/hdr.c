/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * hdr.c: the header block shared by the handshake and HTTP codecs. The
 * parser is called again on the whole buffer each time more bytes arrive;
 * it checks what has come so far, so a peer that breaks a limit or sends
 * something that can never become a valid block is refused before the
 * blank line.
 */
#include <string.h>

#include "wire/hdr.h"

/* Trim spaces and tabs at both ends of [*p, *p + *n). */
void
hdr_trim(const uint8_t **p, size_t *n)
{
	while (*n > 0 && hdr_isspace((*p)[0])) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && hdr_isspace((*p)[*n - 1]))
		(*n)--;
}

/* Copy n bytes and a NUL into the store; NULL if it is full. */
const char *
hdr_save(struct hs *hs, const uint8_t *p, size_t n)
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
enum wire_status
hdr_digits(const uint8_t *p, size_t n, size_t *i, int complete, size_t min,
    size_t max, int *val)
{
	size_t	 cnt = 0;
	int	 v = 0;

	while (*i < n && hdr_isdigit(p[*i])) {
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
enum wire_status
hdr_literal(const uint8_t *p, size_t n, size_t *i, int complete,
    const char *lit)
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

/* " <code> [reason]": a three-digit code not starting with 0, then text. */
enum wire_status
hdr_status(struct hs *hs, const uint8_t *p, size_t n, size_t *i, int complete)
{
	enum wire_status	 st;
	const uint8_t		*r;
	size_t			 rn;

	if ((st = hdr_literal(p, n, i, complete, " ")) != WIRE_OK)
		return st;
	if (*i < n && p[*i] == '0')
		return WIRE_MALFORMED;
	if ((st = hdr_digits(p, n, i, complete, 3, 3, &hs->code)) != WIRE_OK)
		return st;
	if (*i < n && p[*i] != ' ')
		return WIRE_MALFORMED;
	if (!complete)
		return WIRE_SHORT;
	r = p + *i;
	rn = n - *i;
	hdr_trim(&r, &rn);
	if ((hs->reason = hdr_save(hs, r, rn)) == NULL)
		return WIRE_TOOBIG;
	*i = n;
	return WIRE_OK;
}

/* A continuation line: append to the last value with one space between. */
static enum wire_status
hdr_fold(struct hs *hs, const uint8_t *p, size_t n)
{
	struct hs_header	*h;
	size_t			 end, sep;

	hdr_trim(&p, &n);
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
hdr_header(struct hs *hs, const uint8_t *p, size_t n, int complete)
{
	struct hs_header	*h;
	size_t			 i;

	if (n == 0)
		return WIRE_SHORT;
	if (hdr_isspace(p[0])) {
		if (hs->nhdr == 0)
			return WIRE_MALFORMED;
		if (!complete)
			return WIRE_SHORT;
		return hdr_fold(hs, p, n);
	}
	if (hs->nhdr == HS_MAX_HEADERS)
		return WIRE_TOOBIG;

	for (i = 0; i < n && p[i] != ':'; i++)
		if (!hdr_istoken(p[i]))
			return WIRE_MALFORMED;
	if (i == n)
		return complete ? WIRE_MALFORMED : WIRE_SHORT;
	if (i == 0)
		return WIRE_MALFORMED;
	if (!complete)
		return WIRE_SHORT;

	h = &hs->hdr[hs->nhdr];
	if ((h->name = hdr_save(hs, p, i)) == NULL)
		return WIRE_TOOBIG;
	p += i + 1;
	n -= i + 1;
	hdr_trim(&p, &n);
	if ((h->value = hdr_save(hs, p, n)) == NULL)
		return WIRE_TOOBIG;
	hs->nhdr++;
	return WIRE_OK;
}

/* Parse a start line and header block up to and including the blank line. */
enum wire_status
hdr_parse(const uint8_t *buf, size_t len, struct hs *hs,
    const struct hdr_start *start, size_t *used)
{
	enum wire_status	 st;
	const uint8_t		*lf;
	size_t			 lim, off = 0, n, next, i;
	int			 complete;

	hs->kind = HS_REQUEST;
	hs->major = hs->minor = hs->code = 0;
	hs->reason = NULL;
	hs->nhdr = 0;
	hs->storelen = 0;

	/* Bytes past the block limit can never be part of a valid block. */
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
		for (i = 0; i < n; i++)
			if (hdr_isctl(buf[off + i]))
				return WIRE_MALFORMED;

		if (off == 0)
			st = start->fn(hs, buf, n, complete, start->arg);
		else if (complete && n == 0) {
			if (used != NULL)
				*used = next;
			return WIRE_OK;
		} else
			st = hdr_header(hs, buf + off, n, complete);
		if (st != WIRE_OK && st != WIRE_SHORT)
			return st;
		if (!complete)
			return len >= HS_MAX_BLOCK ? WIRE_TOOBIG : WIRE_SHORT;
		off = next;
	}
}

/* Append n bytes at *off if they fit. */
int
hdr_put(char *buf, size_t cap, size_t *off, const char *s, size_t n)
{
	if (n > cap - *off)
		return -1;
	memcpy(buf + *off, s, n);
	*off += n;
	return 0;
}

/* Text safe to put on one line: no CR, LF or other control character. */
int
hdr_oktext(const char *s)
{
	for (; *s != '\0'; s++)
		if (hdr_isctl((uint8_t)*s))
			return 0;
	return 1;
}

/* A non-empty run of token characters. */
int
hdr_okname(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!hdr_istoken((uint8_t)*s))
			return 0;
	return 1;
}

/* The header lines and the blank line after a start line already at off. */
size_t
hdr_format_fields(char *buf, size_t cap, size_t off, const struct hs_field *f,
    size_t nf)
{
	size_t	 i;

	for (i = 0; i < nf; i++) {
		if (!hdr_okname(f[i].name) || !hdr_oktext(f[i].value))
			return 0;
		if (hdr_put(buf, cap, &off, f[i].name, strlen(f[i].name)) ||
		    hdr_put(buf, cap, &off, ": ", 2) ||
		    hdr_put(buf, cap, &off, f[i].value, strlen(f[i].value)) ||
		    hdr_put(buf, cap, &off, "\r\n", 2))
			return 0;
	}
	if (hdr_put(buf, cap, &off, "\r\n", 2))
		return 0;
	if (off < cap)
		buf[off] = '\0';
	return off;
}

/* "<proto> <code>[ <reason>]\r\n" and the fields; 0 if unsafe or no room. */
size_t
hdr_format_status(char *buf, size_t cap, const char *proto, int code,
    const char *reason, const struct hs_field *f, size_t nf)
{
	char	 num[4];
	size_t	 off = 0;

	if (code < 100 || code > 999)
		return 0;
	if (reason == NULL)
		reason = "";
	if (!hdr_oktext(reason))
		return 0;
	num[0] = ' ';
	num[1] = (char)('0' + code / 100);
	num[2] = (char)('0' + code / 10 % 10);
	num[3] = (char)('0' + code % 10);
	if (hdr_put(buf, cap, &off, proto, strlen(proto)) ||
	    hdr_put(buf, cap, &off, num, sizeof num))
		return 0;
	if (*reason != '\0' && (hdr_put(buf, cap, &off, " ", 1) ||
	    hdr_put(buf, cap, &off, reason, strlen(reason))))
		return 0;
	if (hdr_put(buf, cap, &off, "\r\n", 2))
		return 0;
	return hdr_format_fields(buf, cap, off, f, nf);
}
