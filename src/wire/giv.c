/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * giv.c: GIV lines, push-proxy request targets and the push-proxy lists
 * of hits. Bounded by the lengths given; nothing is allocated.
 *
 * Servents disagree on the small things, so reading is liberal: the GUID's
 * hex in either case, the parameter names of a push-proxy request in any
 * case and in any order, and the three paths servents have used for it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/base32.h"
#include "wire/giv.h"

static int
giv_hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Exactly 32 hex digits at s into 16 bytes; -1 if not. */
static int
giv_hex_guid(const char *s, size_t n, uint8_t *guid)
{
	int	 hi, lo;
	size_t	 i;

	if (n != 32)
		return -1;
	for (i = 0; i < 16; i++) {
		if ((hi = giv_hexval((unsigned char)s[2 * i])) < 0 ||
		    (lo = giv_hexval((unsigned char)s[2 * i + 1])) < 0)
			return -1;
		guid[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* A decimal uint32_t filling [s, s + n); -1 if not one. */
static int
giv_u32(const char *s, size_t n, uint32_t *v)
{
	uint64_t	 x = 0;
	size_t		 i;

	if (n == 0 || n > 10)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	if (x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

enum wire_status
giv_parse(const char *s, size_t len, struct giv *g)
{
	const char	*colon, *slash;
	size_t		 off;

	memset(g, 0, sizeof *g);
	if (len > GIV_LINE_MAX)
		return WIRE_TOOBIG;
	/* A CR before the LF, as some servents write it. */
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (len < 4 || memcmp(s, "GIV ", 4) != 0)
		return WIRE_MALFORMED;
	off = 4;
	while (off < len && s[off] == ' ')
		off++;
	if ((colon = memchr(s + off, ':', len - off)) == NULL ||
	    giv_u32(s + off, (size_t)(colon - (s + off)), &g->index) != 0)
		return WIRE_MALFORMED;
	off = (size_t)(colon - s) + 1;
	if ((slash = memchr(s + off, '/', len - off)) == NULL ||
	    giv_hex_guid(s + off, (size_t)(slash - (s + off)), g->guid) != 0)
		return WIRE_MALFORMED;
	off = (size_t)(slash - s) + 1;
	g->name = s + off;
	g->namelen = len - off;
	return WIRE_OK;
}

size_t
giv_format(char *out, size_t cap, uint32_t index, const uint8_t *guid,
    const char *name)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 g[33];
	const char		*p;
	size_t			 i;
	int			 n;

	for (i = 0; i < 16; i++) {
		g[2 * i] = hex[guid[i] >> 4];
		g[2 * i + 1] = hex[guid[i] & 0xf];
	}
	g[32] = '\0';
	if (name == NULL || *name == '\0' || strlen(name) > GIV_NAME_MAX)
		name = "file";
	for (p = name; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			name = "file";
			break;
		}
	n = snprintf(out, cap, "GIV %u:%s/%s\n\n", index, g, name);
	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

/* The paths a push-proxy request comes on, and how each names the GUID. */
static const struct {
	const char	*path;
	const char	*key;
	int		 b32;
} pproxy_paths[] = {
	{ "/gnutella/push-proxy?", "ServerId", 1 },
	{ "/gnutella/pushproxy?", "ServerId", 1 },
	{ "/gnet/push-proxy?", "guid", 0 },
};

int
pproxy_parse_target(const char *s, struct pproxy_req *r)
{
	const char	*q, *end, *eq;
	size_t		 i, plen, klen, vlen;
	int		 got = 0;

	memset(r, 0, sizeof *r);
	for (i = 0; i < sizeof pproxy_paths / sizeof pproxy_paths[0]; i++) {
		plen = strlen(pproxy_paths[i].path);
		if (strncasecmp(s, pproxy_paths[i].path, plen) == 0)
			break;
	}
	if (i == sizeof pproxy_paths / sizeof pproxy_paths[0])
		return 0;
	for (q = s + plen; *q != '\0'; q = *end == '\0' ? end : end + 1) {
		if ((end = strchr(q, '&')) == NULL)
			end = q + strlen(q);
		if ((eq = memchr(q, '=', (size_t)(end - q))) == NULL)
			continue;
		klen = (size_t)(eq - q);
		vlen = (size_t)(end - eq - 1);
		if (klen == strlen(pproxy_paths[i].key) &&
		    strncasecmp(q, pproxy_paths[i].key, klen) == 0) {
			if (pproxy_paths[i].b32 ? vlen != BASE32_LEN(16) ||
			    base32_decode(eq + 1, vlen, r->guid, 16) != 16 :
			    giv_hex_guid(eq + 1, vlen, r->guid) != 0)
				return -1;
			got = 1;
		} else if (klen == 4 && strncasecmp(q, "file", 4) == 0) {
			if (giv_u32(eq + 1, vlen, &r->index) != 0)
				return -1;
		}
	}
	return got ? 1 : -1;
}

size_t
pproxy_format_target(char *out, size_t cap, const uint8_t *guid)
{
	char	 b[BASE32_LEN(16) + 1];
	int	 n;

	if (base32_encode(guid, 16, b, sizeof b) == 0)
		return 0;
	n = snprintf(out, cap, "%sServerId=%s", pproxy_paths[0].path, b);
	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

size_t
pproxy_list_decode(const uint8_t *p, size_t len, uint32_t *ip,
    uint16_t *port, size_t max)
{
	size_t	 i, n = 0;

	if (len % 6 != 0)
		return 0;
	for (i = 0; i + 6 <= len && n < max; i += 6) {
		ip[n] = peek_be32(p + i);
		port[n] = peek_le16(p + i + 4);
		if (ip[n] != 0 && port[n] != 0)
			n++;
	}
	return n;
}

size_t
pproxy_list_encode(const uint32_t *ip, const uint16_t *port, size_t n,
    uint8_t *out, size_t cap)
{
	size_t	 i;

	if (n > cap / 6)
		return 0;
	for (i = 0; i < n; i++) {
		poke_be32(out + 6 * i, ip[i]);
		poke_le16(out + 6 * i + 4, port[i]);
	}
	return 6 * n;
}
