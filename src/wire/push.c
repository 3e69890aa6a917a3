/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * push.c: the Push payload, routed back to a firewalled servent to ask it
 * to connect out and offer a file.
 *   servent GUID(16) | file index(4, LE) | IPv4(4, BE) | port(2, LE) | [GGEP]
 * GGEP here carries TLS and IPv6 hints. Non-GGEP trailing bytes from old
 * servents are accepted and ignored; a GGEP block after the fixed part must
 * parse.
 */
#include <string.h>

#include "wire/ggep.h"
#include "wire/push.h"

/*
 * Measure the run of GGEP blocks at the start of p. The first block must be
 * whole; a broken block after it only ends the run, as in ggep_find(), since
 * it may be a later format that happens to start with the magic byte.
 */
static enum wire_status
push_ggep_run(const uint8_t *p, size_t len, size_t *runlen)
{
	size_t	 off, blocklen;

	*runlen = 0;
	if (len == 0 || p[0] != GGEP_MAGIC)
		return WIRE_OK;
	if (ggep_check(p, len, &blocklen) != WIRE_OK || blocklen == 0 ||
	    blocklen > len)
		return WIRE_BADGGEP;
	off = blocklen;
	while (off < len && p[off] == GGEP_MAGIC &&
	    ggep_check(p + off, len - off, &blocklen) == WIRE_OK &&
	    blocklen > 0 && blocklen <= len - off)
		off += blocklen;
	*runlen = off;
	return WIRE_OK;
}

/* Decode a push; ggep covers the GGEP blocks only, not trailing junk. */
enum wire_status
push_decode(const uint8_t *p, size_t len, struct push *pu)
{
	size_t	 runlen;

	if (len < PUSH_FIXED_LEN)
		return WIRE_SHORT;
	memcpy(pu->guid, p, 16);
	pu->index = peek_le32(p + 16);
	pu->ip = peek_be32(p + 20);
	pu->port = peek_le16(p + 24);
	pu->ggep = NULL;
	pu->ggeplen = 0;
	if (push_ggep_run(p + PUSH_FIXED_LEN, len - PUSH_FIXED_LEN,
	    &runlen) != WIRE_OK)
		return WIRE_BADGGEP;
	if (runlen > 0) {
		pu->ggep = p + PUSH_FIXED_LEN;
		pu->ggeplen = runlen;
	}
	return WIRE_OK;
}

/* Encode a push (GGEP copied as given); length, or 0 if cap is short. */
size_t
push_encode(const struct push *pu, uint8_t *out, size_t cap)
{
	size_t	 glen = pu->ggep != NULL ? pu->ggeplen : 0;

	if (glen > cap || cap - glen < PUSH_FIXED_LEN)
		return 0;
	memcpy(out, pu->guid, 16);
	poke_le32(out + 16, pu->index);
	poke_be32(out + 20, pu->ip);
	poke_le16(out + 24, pu->port);
	if (glen > 0)
		memcpy(out + PUSH_FIXED_LEN, pu->ggep, glen);
	return PUSH_FIXED_LEN + glen;
}
