/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * desc.h: the 23-byte descriptor header that frames every Gnutella message.
 */
#ifndef GNODE_DESC_H
#define GNODE_DESC_H

#include "wire/wire.h"

#define DESC_HDR_LEN		23
#define DESC_GUID_LEN		16
#define DESC_MAX_PAYLOAD	65536	/* gtkg's limit since 2006: 64 KiB */
#define DESC_HARD_TTL		15	/* hops + TTL never above this */
#define DESC_SIZE_MARKED	0x80000000u	/* sflag/0.1: upper 16 bits are flags */

enum desc_func {
	DESC_PING = 0x00,
	DESC_PONG = 0x01,
	DESC_BYE = 0x02,
	DESC_QRP = 0x30,		/* route table update */
	DESC_VENDOR = 0x31,
	DESC_VENDOR_STD = 0x32,
	DESC_PUSH = 0x40,
	DESC_RUDP = 0x41,
	DESC_DHT = 0x44,
	DESC_QUERY = 0x80,
	DESC_QHIT = 0x81,
	DESC_HSEP = 0xcd,
};

struct desc {
	uint8_t		guid[DESC_GUID_LEN];	/* message id (MUID) */
	uint8_t		func;			/* enum desc_func */
	uint8_t		ttl;
	uint8_t		hops;
	uint16_t	sflags;			/* flags from a marked size */
	uint32_t	len;			/* payload length */
};

/* Decode a header; WIRE_TOOBIG if the payload length is over the limit. */
enum wire_status desc_decode(const uint8_t *, size_t, struct desc *);
/* Encode a header into 23 bytes; returns the length or 0 if cap is short. */
size_t		 desc_encode(const struct desc *, uint8_t *, size_t);
/* Whether a function code is one gnode knows how to read. */
int		 desc_func_known(uint8_t);
/* A short name for a function code ("query", "qhit", ...). */
const char	*desc_func_name(uint8_t);

#endif
