/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * ping.c: Ping and Pong payloads.
 *   Ping: empty, or GGEP only (SCP, QK, DHT...)
 *   Pong: port(2, LE) | IPv4(4, BE) | files(4, LE) | KiB(4, LE) | [GGEP]
 * Old servents sometimes pad a pong with bytes that are not GGEP; those are
 * accepted and ignored, but a block right after the fixed part must parse.
 * A ping has nothing else to carry, so every byte of it must be GGEP.
 */
#include <string.h>

#include "wire/ggep.h"
#include "wire/ping.h"

/*
 * Measure the run of GGEP blocks at the start of p. The first block must be
 * whole; a broken block after it only ends the run, as in ggep_find(), since
 * it may be a later format that happens to start with the magic byte.
 */
static enum wire_status
ping_ggep_run(const uint8_t *p, size_t len, size_t *runlen)
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

/* Decode a ping: empty, or nothing but GGEP blocks. */
enum wire_status
ping_decode(const uint8_t *p, size_t len, struct ping *pi)
{
	size_t	 runlen;

	pi->ggep = NULL;
	pi->ggeplen = 0;
	if (len == 0)
		return WIRE_OK;
	if (ping_ggep_run(p, len, &runlen) != WIRE_OK || runlen != len)
		return WIRE_BADGGEP;
	pi->ggep = p;
	pi->ggeplen = len;
	return WIRE_OK;
}

/* Encode a ping; an empty ping is 0 bytes long, which is not an error. */
size_t
ping_encode(const struct ping *pi, uint8_t *out, size_t cap)
{
	if (pi->ggep == NULL || pi->ggeplen == 0)
		return 0;
	if (pi->ggeplen > cap)
		return 0;
	memcpy(out, pi->ggep, pi->ggeplen);
	return pi->ggeplen;
}

/* Decode a pong; ggep covers the GGEP blocks only, not trailing junk. */
enum wire_status
pong_decode(const uint8_t *p, size_t len, struct pong *po)
{
	size_t	 runlen;

	if (len < PONG_FIXED_LEN)
		return WIRE_SHORT;
	po->port = peek_le16(p);
	po->ip = peek_be32(p + 2);
	po->files = peek_le32(p + 6);
	po->kbytes = peek_le32(p + 10);
	po->ggep = NULL;
	po->ggeplen = 0;
	if (ping_ggep_run(p + PONG_FIXED_LEN, len - PONG_FIXED_LEN,
	    &runlen) != WIRE_OK)
		return WIRE_BADGGEP;
	if (runlen > 0) {
		po->ggep = p + PONG_FIXED_LEN;
		po->ggeplen = runlen;
	}
	return WIRE_OK;
}

/* Encode a pong (GGEP copied as given); length, or 0 if cap is short. */
size_t
pong_encode(const struct pong *po, uint8_t *out, size_t cap)
{
	size_t	 glen = po->ggep != NULL ? po->ggeplen : 0;

	if (glen > cap || cap - glen < PONG_FIXED_LEN)
		return 0;
	poke_le16(out, po->port);
	poke_be32(out + 2, po->ip);
	poke_le32(out + 6, po->files);
	poke_le32(out + 10, po->kbytes);
	if (glen > 0)
		memcpy(out + PONG_FIXED_LEN, po->ggep, glen);
	return PONG_FIXED_LEN + glen;
}
