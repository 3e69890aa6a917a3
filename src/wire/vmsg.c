/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * vmsg.c: vendor messages (0x31 and 0x32).
 *   vendor(4, as written) | selector(2, LE) | version(2, LE) | body
 * and the two list bodies every servent exchanges after the handshake:
 *   Messages Supported: count(2, LE) | count x
 *                       (vendor(4) | selector(2, LE) | version(2, LE))
 *   Features Supported: count(2, LE) | count x (name(4) | version(2, LE))
 * The descriptor header already gives the body length, so a count that does
 * not account for every byte is an inconsistency, not a truncation.
 */
#include <string.h>

#include "wire/vmsg.h"

/* Check a counted list of fixed-size items. */
static enum wire_status
vmsg_list_check(const uint8_t *p, size_t len, size_t itemlen, size_t *count)
{
	size_t	 n;

	if (len < 2)
		return WIRE_SHORT;
	n = peek_le16(p);
	if (len - 2 != n * itemlen)
		return WIRE_MALFORMED;
	*count = n;
	return WIRE_OK;
}

/* Decode the 8-byte header; body points into p. */
enum wire_status
vmsg_decode(const uint8_t *p, size_t len, struct vmsg *v)
{
	if (len < VMSG_HDR_LEN)
		return WIRE_SHORT;
	memcpy(v->vendor, p, 4);
	v->selector = peek_le16(p + 4);
	v->version = peek_le16(p + 6);
	v->body = p + VMSG_HDR_LEN;
	v->bodylen = len - VMSG_HDR_LEN;
	return WIRE_OK;
}

/* Encode header and body; length, or 0 if cap is short. */
size_t
vmsg_encode(const struct vmsg *v, uint8_t *out, size_t cap)
{
	if (v->bodylen > cap || cap - v->bodylen < VMSG_HDR_LEN)
		return 0;
	memcpy(out, v->vendor, 4);
	poke_le16(out + 4, v->selector);
	poke_le16(out + 6, v->version);
	if (v->bodylen > 0)
		memcpy(out + VMSG_HDR_LEN, v->body, v->bodylen);
	return VMSG_HDR_LEN + v->bodylen;
}

/* Check a Messages Supported body: exactly count 8-byte items. */
enum wire_status
vmsg_supported_decode(const uint8_t *p, size_t len, size_t *count)
{
	return vmsg_list_check(p, len, VMSG_ITEM_LEN, count);
}

/* Read item i; the caller checked the body with vmsg_supported_decode. */
void
vmsg_supported_item(const uint8_t *p, size_t i, struct vmsg_item *it)
{
	const uint8_t	*q = p + 2 + i * VMSG_ITEM_LEN;

	memcpy(it->vendor, q, 4);
	it->selector = peek_le16(q + 4);
	it->version = peek_le16(q + 6);
}

/* Write a Messages Supported body; 0 if cap is short or n overflows. */
size_t
vmsg_supported_encode(const struct vmsg_item *items, size_t n, uint8_t *out,
    size_t cap)
{
	size_t	 i, total;
	uint8_t	*q;

	if (n > 0xffff)
		return 0;
	total = 2 + n * VMSG_ITEM_LEN;
	if (total > cap)
		return 0;
	poke_le16(out, (uint16_t)n);
	for (i = 0; i < n; i++) {
		q = out + 2 + i * VMSG_ITEM_LEN;
		memcpy(q, items[i].vendor, 4);
		poke_le16(q + 4, items[i].selector);
		poke_le16(q + 6, items[i].version);
	}
	return total;
}

/* Check a Features Supported body: exactly count 6-byte items. */
enum wire_status
vmsg_features_decode(const uint8_t *p, size_t len, size_t *count)
{
	return vmsg_list_check(p, len, VMSG_FEATURE_LEN, count);
}

/*
 * Read feature i into the common item shape: the name goes in vendor and
 * selector is 0, so callers can treat both lists alike.
 */
void
vmsg_features_item(const uint8_t *p, size_t i, struct vmsg_item *it)
{
	const uint8_t	*q = p + 2 + i * VMSG_FEATURE_LEN;

	memcpy(it->vendor, q, 4);
	it->selector = 0;
	it->version = peek_le16(q + 4);
}

/* Write a Features Supported body (selectors are not sent); 0 if no room. */
size_t
vmsg_features_encode(const struct vmsg_item *items, size_t n, uint8_t *out,
    size_t cap)
{
	size_t	 i, total;
	uint8_t	*q;

	if (n > 0xffff)
		return 0;
	total = 2 + n * VMSG_FEATURE_LEN;
	if (total > cap)
		return 0;
	poke_le16(out, (uint16_t)n);
	for (i = 0; i < n; i++) {
		q = out + 2 + i * VMSG_FEATURE_LEN;
		memcpy(q, items[i].vendor, 4);
		poke_le16(q + 4, items[i].version);
	}
	return total;
}

int
vmsg_is(const struct vmsg *vm, const char *vendor, uint16_t sel)
{
	return memcmp(vm->vendor, vendor, 4) == 0 && vm->selector == sel;
}

enum wire_status
vmsg_qstat_decode(const uint8_t *p, size_t len, uint16_t *kept)
{
	if (len < VMSG_QSTAT_LEN)
		return WIRE_SHORT;
	*kept = peek_le16(p);
	return WIRE_OK;
}

enum wire_status
vmsg_oob_decode(const struct vmsg *vm, uint8_t *count, int *unsolicited)
{
	*unsolicited = 0;
	if (vm->bodylen < 1)
		return WIRE_SHORT;
	if (vm->selector == VMSG_SEL_OOB_ACK && vm->version < 2)
		return WIRE_MALFORMED;
	*count = vm->body[0];
	/* v1 of a reply number was the count alone. */
	if (vm->selector == VMSG_SEL_OOB_REPLY && vm->bodylen >= 2)
		*unsolicited = vm->body[1] & 1;
	return WIRE_OK;
}

void
vmsg_oob_guid_set(uint8_t *guid, uint32_t ip, uint16_t port)
{
	poke_be32(guid, ip);
	poke_le16(guid + 13, port);
}

void
vmsg_oob_guid_get(const uint8_t *guid, uint32_t *ip, uint16_t *port)
{
	*ip = peek_be32(guid);
	*port = peek_le16(guid + 13);
}

enum wire_status
vmsg_pproxy_ack_decode(const struct vmsg *vm, uint32_t *ip, uint16_t *port)
{
	*ip = 0;
	*port = 0;
	if (vm->version < 2) {
		if (vm->bodylen < 2)
			return WIRE_SHORT;
		*port = peek_le16(vm->body);
		return WIRE_OK;
	}
	if (vm->bodylen < 6)
		return WIRE_SHORT;
	*ip = peek_be32(vm->body);
	*port = peek_le16(vm->body + 4);
	return WIRE_OK;
}
