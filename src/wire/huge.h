/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * huge.h: HUGE 0.94 URNs. "urn:sha1:" and 32 base32 characters; a bitprint
 * "urn:bitprint:<32>.<39>" is read as its SHA-1 part. Extension blocks of
 * queries and hit records hold URNs, GGEP blocks and XML separated by 0x1C.
 */
#ifndef GNODE_HUGE_H
#define GNODE_HUGE_H

#include "wire/wire.h"

#define SHA1_LEN		20
#define TTH_LEN			24
#define HUGE_SHA1_B32		32
#define HUGE_URN_SHA1_LEN	(9 + HUGE_SHA1_B32)	/* "urn:sha1:" + 32 */
#define HUGE_SEP		0x1c

/* Whether an item starts with "urn:" in any case. */
static inline int
huge_is_urn(const uint8_t *p, size_t len)
{
	return len >= 4 && (p[0] | 0x20) == 'u' && (p[1] | 0x20) == 'r' &&
	    (p[2] | 0x20) == 'n' && p[3] == ':';
}

/* Whether an item starts with "urn:sha1:" in any case. */
static inline int
huge_is_sha1(const uint8_t *p, size_t len)
{
	return len >= 9 && huge_is_urn(p, len) && (p[4] | 0x20) == 's' &&
	    (p[5] | 0x20) == 'h' && (p[6] | 0x20) == 'a' && p[7] == '1' &&
	    p[8] == ':';
}

/* Parse "urn:sha1:..." or "urn:bitprint:..." (prefix case-insensitive). */
enum wire_status huge_parse_sha1(const char *, size_t, uint8_t sha1[SHA1_LEN]);
/* Write "urn:sha1:<32>" NUL-terminated into out (42 bytes at least). */
size_t		 huge_format_sha1(const uint8_t sha1[SHA1_LEN], char *, size_t);

enum ext_kind {
	EXT_URN,	/* a HUGE "urn:..." string */
	EXT_GGEP,	/* a GGEP block */
	EXT_XML,	/* XML metadata, starting with '<' or '{' */
	EXT_OTHER,	/* anything else (legacy plain text) */
};

/* Walks an extension area: items separated by 0x1C. A GGEP block is taken
 * whole (it may hold 0x1C bytes), as the ggep framing says its length. */
struct ext_iter {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
};

struct ext_item {
	enum ext_kind	 kind;
	const uint8_t	*data;
	size_t		 len;
};

void		 ext_iter_init(struct ext_iter *, const uint8_t *, size_t);
/* WIRE_END when done; WIRE_BADGGEP if a GGEP block is broken. */
enum wire_status ext_next(struct ext_iter *, struct ext_item *);

#endif
