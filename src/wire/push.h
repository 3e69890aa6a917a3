/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * push.h: Push (0x40): servent GUID, file index (LE), IPv4 (BE), port (LE),
 * then an optional GGEP block.
 */
#ifndef GNODE_PUSH_H
#define GNODE_PUSH_H

#include "wire/wire.h"

#define PUSH_FIXED_LEN	26

struct push {
	uint8_t		 guid[16];	/* servent GUID of the file holder */
	uint32_t	 index;
	uint32_t	 ip;		/* host order */
	uint16_t	 port;
	const uint8_t	*ggep;
	size_t		 ggeplen;
};

enum wire_status push_decode(const uint8_t *, size_t, struct push *);
size_t		 push_encode(const struct push *, uint8_t *, size_t);

#endif
