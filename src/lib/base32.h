/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * base32.h: RFC 4648 base32 (alphabet A-Z 2-7), without padding, as HUGE
 * URNs use it. Decoding accepts lower case.
 */
#ifndef GNODE_BASE32_H
#define GNODE_BASE32_H

#include <stddef.h>
#include <stdint.h>

/* Characters needed for n bytes, without padding. */
#define BASE32_LEN(n)	(((n) * 8 + 4) / 5)

/* Encode n bytes; writes BASE32_LEN(n) characters and a NUL if room.
 * Returns the characters written, or 0 if cap is too small. */
size_t	base32_encode(const uint8_t *, size_t, char *, size_t cap);
/* Decode exactly srclen characters into out[cap]; -1 on a bad character,
 * bad trailing bits or no room, else the bytes written. */
long	base32_decode(const char *, size_t, uint8_t *, size_t cap);

#endif
