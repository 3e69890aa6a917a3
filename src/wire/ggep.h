/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * ggep.h: GGEP 0.51 extension blocks. A block is the magic byte 0xC3 and a
 * run of extensions: flags(1) | id(1..15) | length(1..3, 6 bits a byte) |
 * data. Data may be deflated (zlib format) and then COBS-encoded. Several
 * blocks may follow one another.
 */
#ifndef GNODE_GGEP_H
#define GNODE_GGEP_H

#include "wire/wire.h"

#define GGEP_MAGIC		0xc3
#define GGEP_F_LAST		0x80
#define GGEP_F_COBS		0x40
#define GGEP_F_DEFLATE		0x20
#define GGEP_F_RESERVED		0x10
#define GGEP_F_IDLEN		0x0f
#define GGEP_MAX_ID		15
#define GGEP_MAX_LEN		262143	/* three 6-bit length chunks */
#define GGEP_MAX_INFLATED	65536	/* refuse an extension inflating past this */

/* One extension as it stands on the wire: data still encoded. */
struct ggep_ext {
	char		 id[GGEP_MAX_ID + 1];	/* NUL-terminated */
	uint8_t		 idlen;
	uint8_t		 flags;
	const uint8_t	*data;			/* points into the block */
	size_t		 len;			/* encoded length */
};

/* Walks the extensions of one block. */
struct ggep_iter {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
	int		 done;
};

/* Start at a block's magic byte; WIRE_BADGGEP if it is not there. */
enum wire_status ggep_iter_init(struct ggep_iter *, const uint8_t *, size_t);
/* Next extension; WIRE_END after the one flagged last. */
enum wire_status ggep_next(struct ggep_iter *, struct ggep_ext *);
/* Bytes from the magic to the end of the last extension, or 0 if broken. */
size_t		 ggep_block_len(const uint8_t *, size_t);
/* Validate a whole block and set *blocklen to its length. */
enum wire_status ggep_check(const uint8_t *, size_t, size_t *blocklen);
/* Find extension id in a block (and any block following it). */
enum wire_status ggep_find(const uint8_t *, size_t, const char *id,
		     struct ggep_ext *);
/* Decoded value of an extension (COBS undone, inflated) into out[cap]. */
enum wire_status ggep_value(const struct ggep_ext *, uint8_t *out, size_t cap,
		     size_t *outlen);

/* The 6-bit length encoding; returns bytes written (1-3) or 0. */
size_t		 ggep_len_encode(size_t, uint8_t *, size_t);
/* Decode a length; *used gets the bytes read. */
enum wire_status ggep_len_decode(const uint8_t *, size_t, size_t *len,
		     size_t *used);

/* COBS: encode never emits a 0x00 byte; return length or 0 if no space. */
size_t		 cobs_encode(const uint8_t *, size_t, uint8_t *, size_t);
enum wire_status cobs_decode(const uint8_t *, size_t, uint8_t *, size_t,
		     size_t *outlen);

/* Builds a block into a caller buffer. */
struct ggep_writer {
	uint8_t		*buf;
	size_t		 cap;
	size_t		 len;
	size_t		 last;		/* offset of the last flags byte */
	int		 count;
	int		 failed;	/* sticky: a write did not fit */
	int		 nul_free;	/* COBS-encode any value holding 0x00 */
};

void		 ggep_writer_init(struct ggep_writer *, uint8_t *, size_t);
/* Append an extension; flags may ask for GGEP_F_COBS and GGEP_F_DEFLATE
 * (deflate is kept only if it makes the data shorter); with nul_free set,
 * COBS is added by itself when the data would hold a 0x00 byte. */
enum wire_status ggep_add(struct ggep_writer *, const char *id,
		     const void *data, size_t len, uint8_t flags);
/* Set the last flag; returns the block length, or 0 if empty or failed. */
size_t		 ggep_finish(struct ggep_writer *);

#endif
