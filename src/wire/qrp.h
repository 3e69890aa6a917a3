/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * qrp.h: Query Routing Protocol 1.0 messages (0x30) and the keyword hash.
 *   RESET: 0x00 | table length (4 LE, entries) | infinity (1)
 *   PATCH: 0x01 | seq no | seq size | compressor (0 none, 1 zlib) |
 *          entry bits (1, 2, 4 or 8) | data
 */
#ifndef GNODE_QRP_H
#define GNODE_QRP_H

#include "wire/wire.h"

#define QRP_RESET		0x00
#define QRP_PATCH		0x01
#define QRP_RESET_LEN		6
#define QRP_PATCH_HDR_LEN	5
#define QRP_COMP_NONE		0
#define QRP_COMP_ZLIB		1
#define QRP_MIN_TABLE		64
#define QRP_MAX_TABLE		(1u << 21)	/* 2 Mi entries, gtkg's largest */
#define QRP_HASH_MULT		0x4f1bbcdcu

struct qrp {
	uint8_t		 variant;	/* QRP_RESET or QRP_PATCH */
	uint32_t	 table_len;	/* reset: entries, a power of 2 */
	uint8_t		 infinity;	/* reset */
	uint8_t		 seq_no;	/* patch: 1-based */
	uint8_t		 seq_size;	/* patch */
	uint8_t		 compressor;	/* patch */
	uint8_t		 entry_bits;	/* patch */
	const uint8_t	*data;		/* patch data as sent */
	size_t		 datalen;
};

enum wire_status qrp_decode(const uint8_t *, size_t, struct qrp *);
size_t		 qrp_encode(const struct qrp *, uint8_t *, size_t);
/* Inflate zlib patch data into out[cap]; WIRE_TOOBIG if it would not fit. */
enum wire_status qrp_inflate(const uint8_t *, size_t, uint8_t *, size_t cap,
		     size_t *outlen);
/* Deflate (zlib format) into out[cap]; length or 0 if it does not fit. */
size_t		 qrp_deflate(const uint8_t *, size_t, uint8_t *, size_t cap);
/* A whole table as the messages that send it, each handed to fn in turn
 * (a non-zero return stops): a RESET for slots entries, then 4-bit zlib
 * PATCHes of data (the deflated nibbles, len bytes), each payload at most
 * max bytes. How many PATCHes; 0, with nothing handed, when there is no
 * data or it would take more than 255. */
size_t		 qrp_table_msgs(uint32_t slots, uint8_t infinity,
		     const uint8_t *data, size_t len, size_t max,
		     int (*fn)(void *, const struct qrp *), void *arg);
/* The QRP hash of a keyword (lower-cased bytes) into a table of 2^bits. */
uint32_t	 qrp_hash(const char *, size_t, unsigned bits);

#endif
