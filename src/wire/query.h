/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * query.h: Query (0x80): flags/min-speed (2 bytes, big-endian), search text
 * and NUL, then an extension area (HUGE URNs, GGEP, XML, separated by 0x1C)
 * up to an optional final NUL.
 */
#ifndef GNODE_QUERY_H
#define GNODE_QUERY_H

#include "wire/huge.h"

#define QUERY_F_MARK		0x8000
#define QUERY_F_FIREWALLED	0x4000
#define QUERY_F_XML		0x2000
#define QUERY_F_LEAF_GUIDED	0x1000
#define QUERY_F_GGEP_H		0x0800
#define QUERY_F_OOB		0x0400
#define QUERY_F_FW2FW		0x0200
#define QUERY_F_SR_UDP		0x0100
#define QUERY_F_MAXHITS		0x00ff

#define QUERY_MAX_URNS		4	/* sha1 URNs kept from one query */
#define QUERY_MAX_TEXT		256	/* gtkg does not forward larger queries */
#define QUERY_KICK_LEN		1024	/* gtkg kicks a peer sending larger */

struct query {
	uint16_t	 flags;
	const char	*text;		/* not NUL-terminated; textlen bytes */
	size_t		 textlen;
	uint8_t		 sha1[QUERY_MAX_URNS][SHA1_LEN];
	size_t		 nsha1;
	const uint8_t	*ggep;		/* first GGEP block, or NULL */
	size_t		 ggeplen;
	const uint8_t	*ext;		/* whole extension area */
	size_t		 extlen;
};

/* Decode; WIRE_TOOBIG over QUERY_KICK_LEN, WIRE_MALFORMED without a NUL
 * after the text or with an unreadable URN or GGEP block. */
enum wire_status query_decode(const uint8_t *, size_t, struct query *);
/* Encode text, sha1 URNs (as text, 0x1C-separated) and ggep. */
size_t		 query_encode(const struct query *, uint8_t *, size_t);

#endif
