/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * huge.c: HUGE 0.94 SHA-1 URNs (plain and bitprint) and the walker over
 * the 0x1C-separated extension areas of queries and hit records, which
 * must skip GGEP blocks by their own framing since their data may hold
 * any byte, the separator included.
 */
#include <string.h>

#include "lib/base32.h"
#include "wire/ggep.h"
#include "wire/huge.h"

#define HUGE_PFX_SHA1		"urn:sha1:"
#define HUGE_PFX_SHA1_LEN	9
#define HUGE_PFX_BP		"urn:bitprint:"
#define HUGE_PFX_BP_LEN		13
#define HUGE_TIGER_B32		39
#define HUGE_URN_BP_LEN		(HUGE_PFX_BP_LEN + HUGE_SHA1_B32 + 1 + \
				    HUGE_TIGER_B32)

/* Parse a SHA-1 or bitprint URN into its 20-byte SHA-1. */
enum wire_status
huge_parse_sha1(const char *s, size_t len, uint8_t sha1[SHA1_LEN])
{
	uint8_t	 tiger[TTH_LEN];
	size_t	 off;

	if (len == HUGE_URN_SHA1_LEN && huge_is_sha1((const uint8_t *)s, len))
		off = HUGE_PFX_SHA1_LEN;
	else if (len == HUGE_URN_BP_LEN &&
	    wire_prefix(s, len, HUGE_PFX_BP)) {
		off = HUGE_PFX_BP_LEN;
		/* The Tiger half is dropped, but a bad one means a bad URN. */
		if (s[off + HUGE_SHA1_B32] != '.' ||
		    base32_decode(s + off + HUGE_SHA1_B32 + 1, HUGE_TIGER_B32,
		    tiger, sizeof tiger) != TTH_LEN)
			return WIRE_MALFORMED;
	} else
		return WIRE_MALFORMED;
	if (base32_decode(s + off, HUGE_SHA1_B32, sha1, SHA1_LEN) != SHA1_LEN)
		return WIRE_MALFORMED;
	return WIRE_OK;
}

/* Format a SHA-1 URN; returns its length without the NUL, or 0. */
size_t
huge_format_sha1(const uint8_t sha1[SHA1_LEN], char *out, size_t cap)
{
	if (cap < HUGE_URN_SHA1_LEN + 1)
		return 0;
	memcpy(out, HUGE_PFX_SHA1, HUGE_PFX_SHA1_LEN);
	if (base32_encode(sha1, SHA1_LEN, out + HUGE_PFX_SHA1_LEN,
	    cap - HUGE_PFX_SHA1_LEN) != HUGE_SHA1_B32)
		return 0;
	return HUGE_URN_SHA1_LEN;
}

/* Start walking the extension area p[len]. */
void
ext_iter_init(struct ext_iter *it, const uint8_t *p, size_t len)
{
	it->p = p;
	it->len = len;
	it->off = 0;
}

/* Next non-empty item of the extension area. */
enum wire_status
ext_next(struct ext_iter *it, struct ext_item *item)
{
	const uint8_t	*p, *sep;
	size_t		 start, blen;

	/* Consecutive separators carry nothing: skip them. */
	while (it->off < it->len && it->p[it->off] == HUGE_SEP)
		it->off++;
	if (it->off >= it->len)
		return WIRE_END;

	p = it->p + it->off;
	if (p[0] == GGEP_MAGIC) {
		if (ggep_check(p, it->len - it->off, &blen) != WIRE_OK ||
		    blen == 0 || blen > it->len - it->off)
			return WIRE_BADGGEP;
		item->kind = EXT_GGEP;
		item->data = p;
		item->len = blen;
		it->off += blen;
		return WIRE_OK;
	}

	start = it->off;
	sep = memchr(p, HUGE_SEP, it->len - it->off);
	it->off = sep != NULL ? (size_t)(sep - it->p) : it->len;
	item->data = p;
	item->len = it->off - start;
	if (huge_is_urn(p, item->len))
		item->kind = EXT_URN;
	else if (p[0] == '<' || p[0] == '{')
		item->kind = EXT_XML;
	else
		item->kind = EXT_OTHER;
	if (it->off < it->len)
		it->off++;
	return WIRE_OK;
}
