/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * query.c: Query (0x80) payloads. Besides the search text, a query may name
 * files by SHA-1, either as HUGE text URNs or in a GGEP "H" extension; both
 * end up in the same sha1 list so that the share lookup has one source.
 */
#include <string.h>

#include "wire/ggep.h"
#include "wire/query.h"

#define QUERY_H_SHA1		0x01
#define QUERY_H_BITPRINT	0x02
#define QUERY_H_MAX		64	/* a decoded H value we care about */

static void
query_add_sha1(struct query *q, const uint8_t sha1[SHA1_LEN])
{
	size_t	 i;

	for (i = 0; i < q->nsha1; i++) {
		if (memcmp(q->sha1[i], sha1, SHA1_LEN) == 0)
			return;
	}
	if (q->nsha1 < QUERY_MAX_URNS)
		memcpy(q->sha1[q->nsha1++], sha1, SHA1_LEN);
}

/* Case-insensitive ASCII comparison of a URN's start with a prefix. */
static int
query_is(const uint8_t *p, size_t len, const char *pfx, size_t n)
{
	size_t	 i;
	uint8_t	 c;

	if (len < n)
		return 0;
	for (i = 0; i < n; i++) {
		c = p[i];
		if (c >= 'A' && c <= 'Z')
			c = (uint8_t)(c - 'A' + 'a');
		if (c != (uint8_t)pfx[i])
			return 0;
	}
	return 1;
}

static enum wire_status
query_urn(struct query *q, const uint8_t *p, size_t len)
{
	uint8_t	 sha1[SHA1_LEN];

	/* A bare prefix is the legacy "send me URNs" request: no hash. */
	if (len == 4)
		return WIRE_OK;
	if (huge_is_sha1(p, len)) {
		if (len == 9)
			return WIRE_OK;
	} else if (query_is(p, len, "urn:bitprint:", 13)) {
		if (len == 13)
			return WIRE_OK;
	} else
		return WIRE_OK;		/* other hash kinds: not ours */
	if (huge_parse_sha1((const char *)p, len, sha1) != WIRE_OK)
		return WIRE_MALFORMED;
	query_add_sha1(q, sha1);
	return WIRE_OK;
}

static enum wire_status
query_ggep(struct query *q, const uint8_t *p, size_t len)
{
	struct ggep_iter	 gi;
	struct ggep_ext		 ge;
	uint8_t			 v[QUERY_H_MAX];
	size_t			 vlen;
	enum wire_status	 st;

	if (q->ggep == NULL) {
		q->ggep = p;
		q->ggeplen = len;
	}
	if (ggep_iter_init(&gi, p, len) != WIRE_OK)
		return WIRE_MALFORMED;
	while ((st = ggep_next(&gi, &ge)) == WIRE_OK) {
		if (strcmp(ge.id, "H") != 0)
			continue;
		if (ggep_value(&ge, v, sizeof v, &vlen) != WIRE_OK)
			return WIRE_MALFORMED;
		if (vlen == 0)
			return WIRE_MALFORMED;
		if (v[0] == QUERY_H_SHA1) {
			if (vlen != 1 + SHA1_LEN)
				return WIRE_MALFORMED;
		} else if (v[0] == QUERY_H_BITPRINT) {
			if (vlen != 1 + SHA1_LEN + TTH_LEN)
				return WIRE_MALFORMED;
		} else
			continue;	/* MD5, UUID...: nothing we can match */
		query_add_sha1(q, v + 1);
	}
	return st == WIRE_END ? WIRE_OK : WIRE_MALFORMED;
}

/*
 * Decode a Query payload; text and extensions point into p. The extension
 * area is read in one pass: it ends at a NUL, except that a GGEP block is
 * skipped whole by its own framing, as its data may hold NUL bytes.
 */
enum wire_status
query_decode(const uint8_t *p, size_t len, struct query *q)
{
	const uint8_t		*nul, *sep;
	size_t			 off, end, nulpos, blen;
	enum wire_status	 st;

	if (len > QUERY_KICK_LEN)
		return WIRE_TOOBIG;
	if (len < 3)
		return WIRE_SHORT;
	q->flags = peek_be16(p);
	q->nsha1 = 0;
	q->ggep = NULL;
	q->ggeplen = 0;
	if ((nul = memchr(p + 2, '\0', len - 2)) == NULL)
		return WIRE_MALFORMED;
	q->text = (const char *)(p + 2);
	q->textlen = (size_t)(nul - (p + 2));
	off = (size_t)(nul - p) + 1;
	q->ext = p + off;
	nulpos = off;
	while (off < len && p[off] != '\0') {
		if (p[off] == HUGE_SEP) {
			off++;
			continue;
		}
		if (p[off] == GGEP_MAGIC) {
			if (ggep_check(p + off, len - off, &blen) != WIRE_OK ||
			    blen == 0 || blen > len - off)
				return WIRE_MALFORMED;
			if ((st = query_ggep(q, p + off, blen)) != WIRE_OK)
				return st;
			off += blen;
			continue;
		}
		/* A text item ends at a separator or at the area's NUL. */
		if (nulpos <= off) {
			nul = memchr(p + off, '\0', len - off);
			nulpos = nul != NULL ? (size_t)(nul - p) : len;
		}
		sep = memchr(p + off, HUGE_SEP, nulpos - off);
		end = sep != NULL ? (size_t)(sep - p) : nulpos;
		if (huge_is_urn(p + off, end - off) &&
		    (st = query_urn(q, p + off, end - off)) != WIRE_OK)
			return st;
		off = end;
	}
	q->extlen = off - (size_t)(q->ext - p);
	return WIRE_OK;
}

/* Encode a Query payload; 0 if it does not fit or cannot be framed. */
size_t
query_encode(const struct query *q, uint8_t *out, size_t cap)
{
	size_t	 need, off, i;
	char	 urn[HUGE_URN_SHA1_LEN + 1];

	if (q->nsha1 > QUERY_MAX_URNS)
		return 0;
	/* A NUL in the text would end it early on the receiving side. */
	if (q->textlen > 0 && memchr(q->text, '\0', q->textlen) != NULL)
		return 0;
	need = 2 + q->textlen + 1 + q->nsha1 * HUGE_URN_SHA1_LEN + 1;
	if (q->nsha1 > 1)
		need += q->nsha1 - 1;
	if (q->ggep != NULL && q->ggeplen > 0)
		need += q->ggeplen + (q->nsha1 > 0 ? 1 : 0);
	if (cap < need)
		return 0;

	poke_be16(out, q->flags);
	off = 2;
	if (q->textlen > 0)
		memcpy(out + off, q->text, q->textlen);
	off += q->textlen;
	out[off++] = '\0';
	for (i = 0; i < q->nsha1; i++) {
		if (i > 0)
			out[off++] = HUGE_SEP;
		if (huge_format_sha1(q->sha1[i], urn, sizeof urn) == 0)
			return 0;
		memcpy(out + off, urn, HUGE_URN_SHA1_LEN);
		off += HUGE_URN_SHA1_LEN;
	}
	if (q->ggep != NULL && q->ggeplen > 0) {
		if (q->nsha1 > 0)
			out[off++] = HUGE_SEP;
		memcpy(out + off, q->ggep, q->ggeplen);
		off += q->ggeplen;
	}
	out[off++] = '\0';
	return off;
}
