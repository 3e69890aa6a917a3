/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * giv.c: GIV lines, push-proxy request targets, the push-proxy lists
 * of hits and the firewalled alternate locations of HTTP heads. Bounded
 * by the lengths given; nothing is allocated.
 *
 * Servents disagree on the small things, so reading is liberal: the GUID's
 * hex in either case, the parameter names of a push-proxy request in any
 * case and in any order, and the three paths servents have used for it;
 * in X-Falt, a GUID in hex or base32, and options and TLS marks skipped.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/base32.h"
#include "wire/giv.h"
#include "wire/hdr.h"
#include "wire/http.h"

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

/* A GUID as 32 hex digits and a NUL into g. */
static void
giv_hex_put(char *g, const uint8_t *guid)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < 16; i++) {
		g[2 * i] = hex[guid[i] >> 4];
		g[2 * i + 1] = hex[guid[i] & 0xf];
	}
	g[32] = '\0';
}

size_t
giv_format(char *out, size_t cap, uint32_t index, const uint8_t *guid,
    const char *name)
{
	char			 g[33];
	const char		*p;
	int			 n;

	giv_hex_put(g, guid);
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

/* A port, then a colon and a dotted quad, filling [s, s + n): gtk-gnutella
 * writes a firewalled servent's own address reversed, to tell it from the
 * proxies after it. 0 or -1. */
static int
falt_port_ip(const char *s, size_t n, struct http_alt *a)
{
	const char	*colon = memchr(s, ':', n);
	uint32_t	 port;
	size_t		 rest;

	if (colon == NULL)
		return -1;
	rest = n - (size_t)(colon - s) - 1;
	if (giv_u32(s, (size_t)(colon - s), &port) != 0 || port == 0 ||
	    port > 65535 || memchr(colon + 1, ':', rest) != NULL ||
	    http_parse_hostport(colon + 1, rest, a) != 0)
		return -1;
	a->port = (uint16_t)port;
	return 0;
}

/* One entry, [s, s + n): 0 with f filled, -1 without a GUID first. */
static int
falt_one(const char *s, size_t n, struct falt *f)
{
	const char	*end = s + n, *t, *semi;
	const uint8_t	*u;
	struct http_alt	 a;
	size_t		 tn;
	int		 first = 1, proxies = 0;

	memset(f, 0, sizeof *f);
	for (t = s; t < end; t = semi + 1, first = 0) {
		if ((semi = memchr(t, ';', (size_t)(end - t))) == NULL)
			semi = end;
		tn = (size_t)(semi - t);
		u = (const uint8_t *)t;
		hdr_trim(&u, &tn);
		t = (const char *)u;
		if (first) {
			/* gtk-gnutella and LimeWire write hex; the old PALT
			 * draft said base32. */
			if (giv_hex_guid(t, tn, f->guid) != 0 &&
			    (tn != BASE32_LEN(16) ||
			    base32_decode(t, tn, f->guid, 16) != 16))
				return -1;
			continue;
		}
		/* Options ("fwt/1"), "pptls=..." and anything unknown are
		 * skipped, as is a proxy past the ones we keep. */
		if (memchr(t, '/', tn) != NULL || memchr(t, '=', tn) != NULL)
			continue;
		if (!proxies && f->ip == 0 && falt_port_ip(t, tn, &a) == 0) {
			f->ip = a.ip;
			f->port = a.port;
		} else if (http_parse_hostport(t, tn, &a) == 0) {
			proxies = 1;
			if (f->npp < FALT_PROXIES)
				f->pp[f->npp++] = a;
		}
	}
	return first ? -1 : 0;
}

size_t
falt_parse(const char *s, size_t len, struct falt *out, size_t max)
{
	const char	*end = s + len, *comma;
	size_t		 cnt = 0;

	for (; s < end && cnt < max; s = comma + 1) {
		if ((comma = memchr(s, ',', (size_t)(end - s))) == NULL)
			comma = end;
		if (falt_one(s, (size_t)(comma - s), &out[cnt]) == 0)
			cnt++;
		if (comma == end)
			break;
	}
	return cnt;
}

size_t
falt_format(char *out, size_t cap, const struct falt *f, size_t n)
{
	char	 one[33 + 22 * (FALT_PROXIES + 1)], g[33];
	size_t	 i, j, k, off = 0;
	int	 w;

	if (cap == 0)
		return 0;
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		giv_hex_put(g, f[i].guid);
		k = (size_t)snprintf(one, sizeof one, "%s", g);
		if (f[i].ip != 0 && f[i].port != 0)
			k += (size_t)snprintf(one + k, sizeof one - k,
			    ";%u:%u.%u.%u.%u", f[i].port, f[i].ip >> 24,
			    f[i].ip >> 16 & 0xff, f[i].ip >> 8 & 0xff,
			    f[i].ip & 0xff);
		for (j = 0; j < f[i].npp && j < FALT_PROXIES; j++) {
			one[k++] = ';';
			k += http_format_xalt(one + k, sizeof one - k,
			    &f[i].pp[j], 1);
		}
		w = snprintf(out + off, cap - off, "%s%s", off > 0 ? ", " : "",
		    one);
		if (w < 0 || (size_t)w >= cap - off) {
			out[off] = '\0';
			break;
		}
		off += (size_t)w;
	}
	return off;
}
