/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * hs.c: the Gnutella 0.6 handshake block, parsed and written. The block
 * itself (lines, folding, limits, the store) is hdr.c's, shared with HTTP;
 * this file knows the Gnutella start lines and the lookups.
 */
#include <string.h>
#include <strings.h>

#include "wire/hdr.h"
#include "wire/hs.h"

#define HS_VER_DIGITS	3	/* more digits is not a real version */

static const char hs_req[] = "GNUTELLA CONNECT/";
static const char hs_rsp[] = "GNUTELLA/";

/*
 * The start line, complete or not. Versions are reported as sent (0.7 is
 * fine, the caller answers 0.6); the reason is kept trimmed.
 */
static enum wire_status
hs_start(struct hs *hs, const uint8_t *p, size_t n, int complete, void *arg)
{
	enum wire_status	 st;
	size_t			 i = 0;

	(void)arg;
	if (n > 8 && p[8] == ' ') {
		hs->kind = HS_REQUEST;
		st = hdr_literal(p, n, &i, complete, hs_req);
	} else {
		hs->kind = HS_RESPONSE;
		st = hdr_literal(p, n, &i, complete, hs_rsp);
	}
	if (st != WIRE_OK)
		return st;
	if ((st = hdr_digits(p, n, &i, complete, 1, HS_VER_DIGITS,
	    &hs->major)) != WIRE_OK)
		return st;
	if ((st = hdr_literal(p, n, &i, complete, ".")) != WIRE_OK)
		return st;
	if ((st = hdr_digits(p, n, &i, complete, 1, HS_VER_DIGITS,
	    &hs->minor)) != WIRE_OK)
		return st;

	if (hs->kind == HS_REQUEST) {
		/* Tolerate trailing blanks, nothing else. */
		for (; i < n; i++)
			if (!hdr_isspace(p[i]))
				return WIRE_MALFORMED;
		return complete ? WIRE_OK : WIRE_SHORT;
	}
	return hdr_status(hs, p, n, &i, complete);
}

/* Parse a start line and header block up to and including the blank line. */
enum wire_status
hs_parse(const uint8_t *buf, size_t len, struct hs *hs, size_t *used)
{
	static const struct hdr_start	 start = { hs_start, NULL };

	return hdr_parse(buf, len, hs, &start, used);
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
			hdr_trim(&tok, &tn);
			if (tn == sn && tn > 0 &&
			    strncasecmp((const char *)tok, s, sn) == 0)
				return 1;
		}
	}
	return 0;
}

/* Write "GNUTELLA CONNECT/0.6" and the fields; 0 if unsafe or no room. */
size_t
hs_format_request(char *buf, size_t cap, const struct hs_field *f, size_t nf)
{
	static const char	 start[] = "GNUTELLA CONNECT/0.6\r\n";
	size_t			 off = 0;

	if (hdr_put(buf, cap, &off, start, sizeof start - 1))
		return 0;
	return hdr_format_fields(buf, cap, off, f, nf);
}

/* Write "GNUTELLA/0.6 <code> <reason>" and fields; 0 if unsafe or no room. */
size_t
hs_format_response(char *buf, size_t cap, int code, const char *reason,
    const struct hs_field *f, size_t nf)
{
	return hdr_format_status(buf, cap, "GNUTELLA/0.6", code, reason, f, nf);
}
