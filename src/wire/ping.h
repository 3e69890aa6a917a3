/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * ping.h: Ping (0x00), empty or one GGEP block; Pong (0x01), 14 bytes
 * (port LE, IPv4 big-endian, files LE, KiB LE) and optional GGEP.
 */
#ifndef GNODE_PING_H
#define GNODE_PING_H

#include "wire/wire.h"

#define PONG_FIXED_LEN	14

struct ping {
	const uint8_t	*ggep;		/* NULL when the ping is empty */
	size_t		 ggeplen;
};

struct pong {
	uint16_t	 port;
	uint32_t	 ip;		/* host order; 127.0.0.1 = 0x7f000001 */
	uint32_t	 files;
	uint32_t	 kbytes;
	const uint8_t	*ggep;		/* NULL when absent */
	size_t		 ggeplen;
};

enum wire_status ping_decode(const uint8_t *, size_t, struct ping *);
size_t		 ping_encode(const struct ping *, uint8_t *, size_t);
enum wire_status pong_decode(const uint8_t *, size_t, struct pong *);
/* Encode a pong (GGEP copied as given); length, or 0 if cap is short. */
size_t		 pong_encode(const struct pong *, uint8_t *, size_t);

#endif
