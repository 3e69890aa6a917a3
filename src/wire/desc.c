/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * desc.c: the 23-byte descriptor header.
 *   guid(16) | function(1) | ttl(1) | hops(1) | payload length(4, LE)
 * With sflag/0.1 a set bit 31 marks the length: the upper 16 bits are flags
 * and the lower 16 the length.
 */
#include <string.h>

#include "wire/desc.h"

/* Decode a header, refusing payload lengths over DESC_MAX_PAYLOAD. */
enum wire_status
desc_decode(const uint8_t *p, size_t len, struct desc *d)
{
	uint32_t	 size;

	if (len < DESC_HDR_LEN)
		return WIRE_SHORT;
	memcpy(d->guid, p, DESC_GUID_LEN);
	d->func = p[16];
	d->ttl = p[17];
	d->hops = p[18];
	size = peek_le32(p + 19);
	d->sflags = 0;
	if (size & DESC_SIZE_MARKED) {
		d->sflags = (uint16_t)(size >> 16);
		size &= 0xffff;
	}
	d->len = size;
	if (size > DESC_MAX_PAYLOAD)
		return WIRE_TOOBIG;
	return WIRE_OK;
}

/* Encode a header; flags are written only when the size is marked. */
size_t
desc_encode(const struct desc *d, uint8_t *out, size_t cap)
{
	uint32_t	 size = d->len;

	if (cap < DESC_HDR_LEN)
		return 0;
	if (d->sflags & (DESC_SIZE_MARKED >> 16)) {
		if (size > 0xffff)
			return 0;
		size |= (uint32_t)d->sflags << 16;
	}
	memcpy(out, d->guid, DESC_GUID_LEN);
	out[16] = d->func;
	out[17] = d->ttl;
	out[18] = d->hops;
	poke_le32(out + 19, size);
	return DESC_HDR_LEN;
}

/* Whether gnode reads payloads of this function. */
int
desc_func_known(uint8_t func)
{
	switch (func) {
	case DESC_PING:
	case DESC_PONG:
	case DESC_BYE:
	case DESC_QRP:
	case DESC_VENDOR:
	case DESC_VENDOR_STD:
	case DESC_PUSH:
	case DESC_QUERY:
	case DESC_QHIT:
		return 1;
	}
	return 0;
}

/* A short lower-case name for log lines and the shell. */
const char *
desc_func_name(uint8_t func)
{
	switch (func) {
	case DESC_PING:		return "ping";
	case DESC_PONG:		return "pong";
	case DESC_BYE:		return "bye";
	case DESC_QRP:		return "qrp";
	case DESC_VENDOR:	return "vendor";
	case DESC_VENDOR_STD:	return "vendor-std";
	case DESC_PUSH:		return "push";
	case DESC_RUDP:		return "rudp";
	case DESC_DHT:		return "dht";
	case DESC_QUERY:	return "query";
	case DESC_QHIT:		return "qhit";
	case DESC_HSEP:		return "hsep";
	}
	return "unknown";
}
