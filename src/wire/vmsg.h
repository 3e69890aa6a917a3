/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * vmsg.h: vendor messages (0x31, 0x32): vendor (4 ASCII, as written),
 * selector (LE), version (LE), body. A "Messages Supported" (null/0v0)
 * body is a count (LE) and that many 8-byte items (vendor, selector LE,
 * version LE); a "Features Supported" (null/10v0) body is a count (LE) and
 * that many 6-byte items (4-char feature name, version LE).
 */
#ifndef GNODE_VMSG_H
#define GNODE_VMSG_H

#include "wire/wire.h"

#define VMSG_HDR_LEN		8
#define VMSG_SEL_SUPPORTED	0
#define VMSG_SEL_FEATURES	10
#define VMSG_ITEM_LEN		8	/* one Messages Supported item */
/* Leaf-guided dynamic querying (BearShare's, as gtk-gnutella speaks it):
 * an ultrapeer asks a leaf how many results it has kept for the query
 * whose MUID the message carries (BEAR/11v1, empty body); the leaf answers
 * BEAR/12v1 with that count, 2 bytes LE; 0xFFFF: stop, the search is
 * gone. */
#define VMSG_VENDOR_BEAR	"BEAR"
#define VMSG_SEL_QSTAT_REQ	11
#define VMSG_SEL_QSTAT_ANS	12
#define VMSG_QSTAT_LEN		2
#define VMSG_QSTAT_STOP		0xffff
/* Out-of-band hits (LimeWire's, as gtk-gnutella speaks them): a node with
 * hits for a query whose MUID names the requester's address offers them
 * by UDP (LIME/12 "reply number", v2: hit count, 1 byte, and a byte whose
 * bit 0 says it can take unsolicited UDP; v3 adds GGEP); the requester
 * claims them (LIME/11 "reply ack", v2: how many it wants, 1 byte; v3
 * adds GGEP, the "SO" token) and the hits come by UDP. */
#define VMSG_VENDOR_LIME	"LIME"
#define VMSG_SEL_OOB_ACK	11
#define VMSG_SEL_OOB_REPLY	12
#define VMSG_OOB_VERSION	2	/* what we send; 2 and 3 are read */
#define VMSG_FEATURE_LEN	6	/* one Features Supported item */
/* Push proxies (LimeWire's): a firewalled leaf asks an ultrapeer to take
 * Pushes for it over HTTP (LIME/21, empty body, MUID = the leaf's servent
 * GUID); the ultrapeer says yes with LIME/22: v1 its port (2 bytes LE,
 * the address is the link's), v2 its address and port (6 bytes). The
 * specification says every field is little-endian, but gtk-gnutella
 * writes the address big-endian, as every other address on the wire: we
 * read and write it that way. */
#define VMSG_SEL_PPROXY_REQ	21
#define VMSG_SEL_PPROXY_ACK	22
/* TCP connect-back (BearShare's): "connect to my port (2 bytes LE) and
 * hang up", so a node learns whether it can be reached. */
#define VMSG_SEL_CONNECT_BACK	7

struct vmsg {
	uint8_t		 vendor[4];
	uint16_t	 selector;
	uint16_t	 version;
	const uint8_t	*body;
	size_t		 bodylen;
};

struct vmsg_item {
	uint8_t		 vendor[4];	/* for features: the name */
	uint16_t	 selector;	/* for features: always 0 */
	uint16_t	 version;
};

enum wire_status vmsg_decode(const uint8_t *, size_t, struct vmsg *);
size_t		 vmsg_encode(const struct vmsg *, uint8_t *, size_t);
/* Check a Supported body; *count gets the number of items. */
enum wire_status vmsg_supported_decode(const uint8_t *, size_t, size_t *count);
/* Item i of a checked Supported body. */
void		 vmsg_supported_item(const uint8_t *, size_t i, struct vmsg_item *);
/* Write a Supported body with n items. */
size_t		 vmsg_supported_encode(const struct vmsg_item *, size_t n,
		     uint8_t *, size_t);
/* The same three for a Features Supported body (6-byte items). */
enum wire_status vmsg_features_decode(const uint8_t *, size_t, size_t *count);
void		 vmsg_features_item(const uint8_t *, size_t i,
		     struct vmsg_item *);
size_t		 vmsg_features_encode(const struct vmsg_item *, size_t n,
		     uint8_t *, size_t);

/* A reply number (LIME/12) or reply ack (LIME/11) body: its count byte
 * (hits offered, or wanted) and, for LIME/12, the unsolicited flag; a
 * GGEP block after them (v3) is left to the caller. WIRE_SHORT on an
 * empty body, WIRE_MALFORMED for version 1 of an ack (none exists). */
enum wire_status vmsg_oob_decode(const struct vmsg *, uint8_t *count,
		     int *unsolicited);
/* The MUID of an out-of-band query: the requester's address in bytes 0-3
 * (network order) and port in 13-14 (LE). */
void		 vmsg_oob_guid_set(uint8_t *guid, uint32_t ip, uint16_t port);
void		 vmsg_oob_guid_get(const uint8_t *guid, uint32_t *ip,
		     uint16_t *port);

/* A push-proxy ack body: v1 the port (*ip left 0: the link's address),
 * v2 and later address and port. WIRE_SHORT when the body is too short. */
enum wire_status vmsg_pproxy_ack_decode(const struct vmsg *, uint32_t *ip,
		     uint16_t *port);

/* Whether vm is vendor/selector (any version). */
int		 vmsg_is(const struct vmsg *, const char *vendor, uint16_t sel);
/* A query status answer's count; a longer body is read for its first two
 * bytes (later versions may add), a shorter one is WIRE_SHORT. */
enum wire_status vmsg_qstat_decode(const uint8_t *, size_t, uint16_t *kept);

#endif
