/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * magnet.h: magnet links as Gnutella servents write them:
 *   magnet:?xt=urn:sha1:B32&dn=NAME&xl=SIZE&xs=http://IP:PORT/uri-res/N2R?urn:sha1:B32
 * and the URNs in them (urn:sha1, urn:bitprint, urn:tree:tiger). Parsing
 * copies into the fixed arrays of struct magnet; formatting writes into
 * the caller's buffer. Nothing is allocated and nothing is read past the
 * length given. A bad link gets one reason, naming the part that is
 * wrong, in magnet.why.
 */
#ifndef GNODE_MAGNET_H
#define GNODE_MAGNET_H

#include "wire/huge.h"

#define MAGNET_MAX_LEN		8192	/* a longer link is refused */
#define MAGNET_NAME_MAX		1024	/* bytes of dn once decoded */
#define MAGNET_MAX_SOURCES	16	/* further sources are ignored */

struct magnet_source {
	uint32_t	 ip;		/* host order */
	uint16_t	 port;
};

struct magnet {
	uint8_t		 sha1[SHA1_LEN];
	uint8_t		 tth[TTH_LEN];	/* Tiger tree root */
	unsigned	 has_sha1:1;
	unsigned	 has_tth:1;
	unsigned	 has_name:1;
	unsigned	 has_size:1;
	char		 name[MAGNET_NAME_MAX + 1];	/* NUL-terminated */
	uint64_t	 size;
	struct magnet_source src[MAGNET_MAX_SOURCES];
	size_t		 nsrc;
	char		 why[160];	/* after a failed parse: what is wrong */
};

/*
 * A URN: "urn:sha1:<32 base32>", "urn:bitprint:<32>.<39>" (SHA-1 and
 * Tiger root) or "urn:tree:tiger:<39>" (Tiger root only; also written
 * "urn:tree:tiger/:" and "urn:tree:tiger/1024:"), prefixes in any case.
 * Sets has_sha1/has_tth in m and fills sha1/tth. WIRE_OK, or
 * WIRE_BADTYPE for another kind of URN (urn:ed2k ...), or WIRE_MALFORMED
 * with m->why (a bad length, bad base32, not a URN).
 */
enum wire_status magnet_urn(const char *, size_t, struct magnet *);

/*
 * Parse a whole magnet link. Keys: xt (several allowed, the same SHA-1
 * each time; other URN kinds are ignored), dn (percent-decoded, '+' as a
 * space), xl (decimal), xs and as (http://IPv4[:PORT]/...; as= in other
 * forms is ignored, and so is xs=push://, which names no address to dial).
 * Other keys are ignored; a key may carry a ".N" suffix (xt.1). WIRE_OK
 * with m filled, or WIRE_TOOBIG / WIRE_MALFORMED with m->why set.
 */
enum wire_status magnet_parse(const char *, size_t, struct magnet *);

/*
 * Write m (has_sha1 required) as a link: xt=urn:sha1, xt=urn:bitprint
 * when the Tiger root is known, dn percent-encoded, xl, and one xs per
 * source as http://IP:PORT/uri-res/N2R?urn:sha1:... NUL-terminated;
 * returns the length without the NUL, or 0 if it does not fit in cap.
 */
size_t		 magnet_format(const struct magnet *, char *, size_t cap);

/* Percent-decode src[len] into out[cap] ('+' as a space): the length, or
 * -1 on a bad escape, a NUL byte or no room. */
long		 magnet_unescape(const char *, size_t, char *, size_t cap);

#endif
