/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * wire.h: the codec's common ground. Named statuses every decoder returns,
 * and explicit little/big-endian accessors: the codec never casts a struct
 * onto bytes. Nothing in wire/ does I/O, reads a clock, logs or calls malloc;
 * decoded structs point into the caller's input buffer.
 */
#ifndef GNODE_WIRE_H
#define GNODE_WIRE_H

#include <stddef.h>
#include <stdint.h>

enum wire_status {
	WIRE_OK = 0,
	WIRE_SHORT,		/* input ended before the structure did */
	WIRE_TOOBIG,		/* a length over our limit */
	WIRE_BADTYPE,		/* unknown descriptor function or variant */
	WIRE_MALFORMED,		/* a field out of range or inconsistent */
	WIRE_BADGGEP,		/* GGEP framing broken (flags, id, length) */
	WIRE_BADCOBS,		/* COBS-encoded data does not decode */
	WIRE_BADZLIB,		/* deflated data does not inflate */
	WIRE_NOSPACE,		/* caller's output buffer is too small */
	WIRE_END,		/* an iterator has no more items */
};

const char	*wire_strstatus(enum wire_status);
/* Whether s[0..len) starts with pfx (lower case), in ASCII case folding
 * only, so that no locale changes what a prefix is (URNs, magnets). */
int		 wire_prefix(const char *s, size_t len, const char *pfx);

static inline uint16_t
peek_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
peek_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline uint64_t
peek_le64(const uint8_t *p)
{
	return (uint64_t)peek_le32(p) | (uint64_t)peek_le32(p + 4) << 32;
}

static inline uint16_t
peek_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
peek_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline void
poke_le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static inline void
poke_le32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

static inline void
poke_le64(uint8_t *p, uint64_t v)
{
	poke_le32(p, (uint32_t)v);
	poke_le32(p + 4, (uint32_t)(v >> 32));
}

static inline void
poke_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void
poke_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

#endif
