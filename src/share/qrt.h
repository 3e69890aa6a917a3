/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * qrt.h: the QRP keyword table of a whole share: every name's words of 3
 * characters or more, plus up to 5 successive one-character truncations
 * down to 3 (gtk-gnutella's rule, so a search for "beat" reaches a
 * "Beatles" file), hashed with the QRP hash into 2^bits slots. A leaf sends
 * it to its ultrapeers as a RESET and 4-bit, zlib-compressed PATCHes.
 */
#ifndef GNODE_QRT_H
#define GNODE_QRT_H

#include <stddef.h>
#include <stdint.h>

#include "share/share.h"

#define QRT_BITS	17	/* 131,072 slots, as LimeWire and gtkg's UP tables */
#define QRT_MIN_WORD	3
#define QRT_MAX_CUTS	5
#define QRT_INFINITY	7

struct qrt {
	unsigned	 bits;
	uint8_t		*present;	/* 2^bits bytes: 1 where a word hashes */
	uint64_t	 words;		/* keywords hashed in, truncations too */
	uint64_t	 filled;	/* slots set */
};

/* Build the table of the share's hashed files. 0 or -1. */
int	 qrt_build(struct share *, unsigned bits, struct qrt *);
/* Whether a query keyword (normalised) could be in the table. */
int	 qrt_has(const struct qrt *, const char *, size_t);
/* The PATCH data that turns a fresh table (all infinity) into this one:
 * 4-bit signed entries, first in the high nibble, zlib-compressed into
 * out[cap]. Returns its length, or 0 if it does not fit. */
size_t	 qrt_patch(const struct qrt *, uint8_t infinity, uint8_t *out,
	    size_t cap);
void	 qrt_free(struct qrt *);

#endif
