/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * giv.h: the texts of firewalled transfers.
 *   GIV <index>:<servent GUID, 32 hex>/<file name>\n\n
 * is what a firewalled servent writes first on the connection it opens
 * back to a downloader that sent it a Push; the downloader then sends its
 * HTTP GET on that socket. A push-proxy request is an HTTP GET to a
 * firewalled leaf's ultrapeer that asks it to pass a Push on to the leaf:
 *   /gnutella/push-proxy?ServerId=<base32 GUID>[&file=<index>]
 * (also /gnutella/pushproxy?ServerId= and /gnet/push-proxy?guid=<hex>),
 * with X-Node: ip:port saying where the leaf must connect.
 */
#ifndef GNODE_GIV_H
#define GNODE_GIV_H

#include <stddef.h>
#include <stdint.h>

#include "wire/http.h"
#include "wire/wire.h"

#define GIV_LINE_MAX	1024	/* a longer first line is not a GIV */
#define GIV_NAME_MAX	255	/* names we write; longer ones say "file" */

struct giv {
	uint32_t	 index;
	uint8_t		 guid[16];
	const char	*name;		/* into the line, not NUL-terminated */
	size_t		 namelen;
};

/* One GIV line without its line ending ("GIV 3:00ff.../a.mp3"):
 * WIRE_MALFORMED unless it has the verb, an index, a colon, 32 hex digits
 * and a slash; the name may be empty. Never reads past len. */
enum wire_status giv_parse(const char *, size_t, struct giv *);
/* Write "GIV index:GUID/name\n\n" (the name as "file" when it is long or
 * holds a control byte); the length, or 0 if cap is short. */
size_t		 giv_format(char *, size_t, uint32_t index,
		     const uint8_t *guid, const char *name);

struct pproxy_req {
	uint8_t		 guid[16];	/* the leaf's servent GUID */
	uint32_t	 index;		/* file=, 0 when absent */
};

/* A request target: 1 a push-proxy request (req set), 0 not one, -1 one
 * that is malformed (no or a bad GUID, a bad file=). */
int		 pproxy_parse_target(const char *, struct pproxy_req *);
/* Write the /gnutella/push-proxy?ServerId= target; length or 0. */
size_t		 pproxy_format_target(char *, size_t, const uint8_t *guid);

/* The GGEP "PUSH" value of a hit: 6 bytes a proxy, IPv4 big-endian, port
 * little-endian. Decode fills up to max (ip 0 or port 0 skipped) and
 * returns how many; WIRE_MALFORMED-worthy lengths (not a multiple of 6)
 * give 0. Encode returns the length, or 0 if cap is short. */
size_t		 pproxy_list_decode(const uint8_t *, size_t, uint32_t *ip,
		     uint16_t *port, size_t max);
size_t		 pproxy_list_encode(const uint32_t *ip, const uint16_t *port,
		     size_t n, uint8_t *, size_t cap);

/*
 * Firewalled alternate locations, the value of X-Falt (and, one entry, of
 * X-FW-Node-Info): entries separated by commas, each
 *   <servent GUID, 32 hex>[;fwt/1][;<port>:<ip>][;pptls=<hex>][;<ip>:<port>]...
 * the GUID first, then its own address (port first, as gtk-gnutella
 * writes it), then its push proxies. Parsing fills up to max entries from
 * [s, s + len) and returns how many; an entry without a GUID is skipped,
 * as are options, TLS marks and proxies past FALT_PROXIES. Formatting
 * writes whole entries, ", "-separated, as many as fit in cap, and
 * returns the length.
 */
#define FALT_PROXIES	4		/* per entry, as gtk-gnutella sends */

struct falt {
	uint8_t		 guid[16];
	uint32_t	 ip;		/* its own address, 0 if not said */
	uint16_t	 port;
	size_t		 npp;
	struct http_alt	 pp[FALT_PROXIES];
};

size_t		 falt_parse(const char *, size_t, struct falt *, size_t max);
size_t		 falt_format(char *, size_t, const struct falt *, size_t n);

#endif
