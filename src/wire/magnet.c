/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * magnet.c: magnet links, both ways. A link is "magnet:?" and parameters
 * split on '&', each key=value with the value percent-encoded. What we
 * take is what a Gnutella download needs: the SHA-1 (and the Tiger root
 * when the link has it), the name, the size and the HTTP sources. Real
 * links carry more (tr= trackers, urn:btih, urn:ed2k, kt= keywords): that
 * is ignored, as the spec asks of keys a client does not know, so a link
 * made for several networks still works here. What we do read must be
 * right, and the first fault found is the one reported.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/base32.h"
#include "wire/magnet.h"

#define MAGNET_TIGER_B32	39	/* base32 characters of a Tiger root */
#define MAGNET_ECHO		40	/* bytes of a bad value shown back */

static const char magnet_hex[] = "0123456789ABCDEF";

/* One reason, with a printable piece of the value at fault when given. */
static void __attribute__((format(printf, 4, 5)))
magnet_why(struct magnet *m, const char *val, size_t vlen, const char *fmt,
    ...)
{
	va_list	 ap;
	size_t	 off, i;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(m->why, sizeof m->why, fmt, ap);
	va_end(ap);
	if (val == NULL || n < 0 || (size_t)n + 4 >= sizeof m->why)
		return;
	off = (size_t)n;
	m->why[off++] = ':';
	m->why[off++] = ' ';
	for (i = 0; i < vlen && i < MAGNET_ECHO && off + 4 < sizeof m->why;
	    i++) {
		/* What the user typed may hold escapes: not on a terminal. */
		m->why[off++] = (unsigned char)val[i] < 0x20 ||
		    (unsigned char)val[i] >= 0x7f ? '?' : val[i];
	}
	if (i < vlen && off + 3 < sizeof m->why) {
		memcpy(m->why + off, "...", 3);
		off += 3;
	}
	m->why[off] = '\0';
}

static int
magnet_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decoding: -1 bad escape, -2 a NUL, -3 no room, else the length.
 * '+' is a space, as in forms: links pasted from web pages have it. */
static long
magnet_decode(const char *s, size_t len, char *out, size_t cap)
{
	size_t	 i, o = 0;
	int	 hi, lo;
	char	 c;

	for (i = 0; i < len; i++) {
		c = s[i];
		if (c == '%') {
			if (len - i < 3 || (hi = magnet_hexval(s[i + 1])) < 0 ||
			    (lo = magnet_hexval(s[i + 2])) < 0)
				return -1;
			c = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+')
			c = ' ';
		if (c == '\0')
			return -2;
		if (o + 1 >= cap)
			return -3;
		out[o++] = c;
	}
	if (cap > 0)
		out[o] = '\0';
	return (long)o;
}

long
magnet_unescape(const char *s, size_t len, char *out, size_t cap)
{
	long	 n = magnet_decode(s, len, out, cap);

	return n < 0 ? -1 : n;
}

/* base32 of exactly want characters into out[outlen]. */
static enum wire_status
magnet_b32(struct magnet *m, const char *kind, const char *s, size_t len,
    size_t want, uint8_t *out, size_t outlen)
{
	if (len != want) {
		magnet_why(m, NULL, 0, "%s: %zu base32 characters, %zu expected",
		    kind, len, want);
		return WIRE_MALFORMED;
	}
	if (base32_decode(s, len, out, outlen) != (long)outlen) {
		magnet_why(m, s, len, "%s: bad base32", kind);
		return WIRE_MALFORMED;
	}
	return WIRE_OK;
}

/* A URN into m->sha1 / m->tth (see magnet.h). */
enum wire_status
magnet_urn(const char *s, size_t len, struct magnet *m)
{
	static const char *const tigers[] = {
		"urn:tree:tiger:", "urn:tree:tiger/:", "urn:tree:tiger/1024:",
	};
	const char		*dot;
	enum wire_status	 st;
	size_t			 i, n;

	m->why[0] = '\0';
	if (!wire_prefix(s, len, "urn:")) {
		magnet_why(m, s, len, "not a URN (urn:sha1:...)");
		return WIRE_MALFORMED;
	}
	if (wire_prefix(s, len, "urn:sha1:")) {
		if ((st = magnet_b32(m, "urn:sha1", s + 9, len - 9,
		    HUGE_SHA1_B32, m->sha1, SHA1_LEN)) != WIRE_OK)
			return st;
		m->has_sha1 = 1;
		return WIRE_OK;
	}
	if (wire_prefix(s, len, "urn:bitprint:")) {
		s += 13;
		len -= 13;
		dot = memchr(s, '.', len);
		if (len != HUGE_SHA1_B32 + 1 + MAGNET_TIGER_B32 || dot == NULL ||
		    dot != s + HUGE_SHA1_B32) {
			magnet_why(m, NULL, 0, "urn:bitprint: %zu characters, "
			    "SHA1.TIGER (32.39) expected", len);
			return WIRE_MALFORMED;
		}
		if ((st = magnet_b32(m, "urn:bitprint", s, HUGE_SHA1_B32,
		    HUGE_SHA1_B32, m->sha1, SHA1_LEN)) != WIRE_OK ||
		    (st = magnet_b32(m, "urn:bitprint", s + HUGE_SHA1_B32 + 1,
		    MAGNET_TIGER_B32, MAGNET_TIGER_B32, m->tth, TTH_LEN)) !=
		    WIRE_OK)
			return st;
		m->has_sha1 = m->has_tth = 1;
		return WIRE_OK;
	}
	for (i = 0; i < sizeof tigers / sizeof tigers[0]; i++) {
		if (!wire_prefix(s, len, tigers[i]))
			continue;
		n = strlen(tigers[i]);
		if ((st = magnet_b32(m, "urn:tree:tiger", s + n, len - n,
		    MAGNET_TIGER_B32, m->tth, TTH_LEN)) != WIRE_OK)
			return st;
		m->has_tth = 1;
		return WIRE_OK;
	}
	for (n = 4; n < len && s[n] != ':'; n++)
		;
	magnet_why(m, s, n, "unknown kind of URN (urn:sha1, urn:bitprint)");
	return WIRE_BADTYPE;
}

/* One xt: its hashes joined to what earlier ones said. */
static enum wire_status
magnet_xt(struct magnet *m, const char *v, size_t len, int *other)
{
	struct magnet		 u;
	enum wire_status	 st;
	size_t			 n;

	u.has_sha1 = u.has_tth = 0;
	if ((st = magnet_urn(v, len, &u)) == WIRE_BADTYPE) {
		*other = 1;		/* urn:btih, urn:ed2k ...: not ours */
		return WIRE_OK;
	}
	if (st != WIRE_OK) {
		/* "xt: " and the URN's reason, cut to fit. */
		n = strnlen(u.why, sizeof m->why - 5);
		memcpy(m->why, "xt: ", 4);
		memcpy(m->why + 4, u.why, n);
		m->why[4 + n] = '\0';
		return st;
	}
	if (u.has_sha1) {
		if (m->has_sha1 && memcmp(m->sha1, u.sha1, SHA1_LEN) != 0) {
			magnet_why(m, NULL, 0, "xt: two different SHA-1s");
			return WIRE_MALFORMED;
		}
		memcpy(m->sha1, u.sha1, SHA1_LEN);
		m->has_sha1 = 1;
	}
	if (u.has_tth) {
		if (m->has_tth && memcmp(m->tth, u.tth, TTH_LEN) != 0) {
			magnet_why(m, NULL, 0, "xt: two different Tiger roots");
			return WIRE_MALFORMED;
		}
		memcpy(m->tth, u.tth, TTH_LEN);
		m->has_tth = 1;
	}
	return WIRE_OK;
}

/* Up to max decimal digits as a number no bigger than lim, or -1. */
static int
magnet_number(const char *s, size_t len, uint64_t lim, uint64_t *out)
{
	uint64_t	 v = 0;
	size_t		 i;

	if (len == 0 || len > 20)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (lim - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* "a.b.c.d" as digits only: inet_aton would take "1" and "0x7f.1". */
static int
magnet_ipv4(const char *s, size_t len, uint32_t *ip)
{
	uint64_t	 part;
	uint32_t	 v = 0;
	size_t		 i, start = 0;
	int		 parts = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if (i - start > 3 || magnet_number(s + start, i - start, 255,
		    &part) != 0)
			return -1;
		v = v << 8 | (uint32_t)part;
		parts++;
		start = i + 1;
	}
	if (parts != 4)
		return -1;
	*ip = v;
	return 0;
}

/* http://IPv4[:PORT][/...] into *src: 1, or 0 when it is another kind
 * of address, -1 when it is a broken one (why set either way). */
static int
magnet_http(struct magnet *m, const char *key, const char *v, size_t len,
    struct magnet_source *src)
{
	const char	*host, *end, *colon;
	uint64_t	 port = 80;

	if (!wire_prefix(v, len, "http://")) {
		magnet_why(m, v, len, "%s: not http://IPv4:PORT/...", key);
		return 0;
	}
	host = v + 7;
	end = memchr(host, '/', len - 7);
	if (end == NULL)
		end = v + len;
	colon = memchr(host, ':', (size_t)(end - host));
	if (magnet_ipv4(host, (size_t)((colon != NULL ? colon : end) - host),
	    &src->ip) != 0) {
		magnet_why(m, host, (size_t)(end - host),
		    "%s: not an IPv4 address", key);
		return -1;
	}
	if (colon != NULL && (magnet_number(colon + 1,
	    (size_t)(end - colon - 1), UINT16_MAX, &port) != 0 || port == 0)) {
		magnet_why(m, colon + 1, (size_t)(end - colon - 1),
		    "%s: bad port", key);
		return -1;
	}
	if (src->ip == 0) {
		magnet_why(m, host, (size_t)(end - host), "%s: address 0", key);
		return -1;
	}
	src->port = (uint16_t)port;
	return 1;
}

static void
magnet_add_source(struct magnet *m, const struct magnet_source *src)
{
	size_t	 i;

	for (i = 0; i < m->nsrc; i++)
		if (m->src[i].ip == src->ip && m->src[i].port == src->port)
			return;
	if (m->nsrc < MAGNET_MAX_SOURCES)
		m->src[m->nsrc++] = *src;
}

/* Whether key (up to an optional ".N") is name. */
static int
magnet_key(const char *k, size_t klen, const char *name)
{
	size_t	 n = strlen(name), i;

	if (klen < n || !wire_prefix(k, klen, name))
		return 0;
	if (klen == n)
		return 1;
	if (k[n] != '.' || klen == n + 1)
		return 0;
	for (i = n + 1; i < klen; i++)
		if (k[i] < '0' || k[i] > '9')
			return 0;
	return 1;
}

/* One key=value of the link. */
static enum wire_status
magnet_param(struct magnet *m, const char *k, size_t klen, const char *raw,
    size_t rawlen, char *buf, size_t cap, int *xt, int *other)
{
	struct magnet_source	 src;
	uint64_t		 size;
	long			 n;
	char			 key[8];
	int			 r;

	if (klen == 0 || klen >= sizeof key ||
	    (!magnet_key(k, klen, "xt") && !magnet_key(k, klen, "dn") &&
	    !magnet_key(k, klen, "xl") && !magnet_key(k, klen, "xs") &&
	    !magnet_key(k, klen, "as")))
		return WIRE_OK;		/* kt, tr, mt, x.*: not ours */
	key[0] = (char)(k[0] | 0x20);
	key[1] = (char)(k[1] | 0x20);
	key[2] = '\0';
	n = magnet_decode(raw, rawlen, buf, cap);
	if (n == -1) {
		magnet_why(m, raw, rawlen, "%s: bad percent-encoding", key);
		return WIRE_MALFORMED;
	}
	if (n == -2) {
		magnet_why(m, NULL, 0, "%s: holds a NUL byte (%%00)", key);
		return WIRE_MALFORMED;
	}
	if (strcmp(key, "dn") == 0) {
		if (m->has_name)
			return WIRE_OK;		/* the first name counts */
		if (n == -3 || n > MAGNET_NAME_MAX) {
			magnet_why(m, NULL, 0, "dn: longer than %d bytes",
			    MAGNET_NAME_MAX);
			return WIRE_MALFORMED;
		}
		memcpy(m->name, buf, (size_t)n + 1);
		m->has_name = n > 0;
		return WIRE_OK;
	}
	if (n == -3) {
		magnet_why(m, NULL, 0, "%s: too long", key);
		return WIRE_MALFORMED;
	}
	if (strcmp(key, "xt") == 0) {
		*xt = 1;
		return magnet_xt(m, buf, (size_t)n, other);
	}
	if (strcmp(key, "xl") == 0) {
		if (magnet_number(buf, (size_t)n, INT64_MAX, &size) != 0) {
			magnet_why(m, buf, (size_t)n, "xl: not a size in bytes");
			return WIRE_MALFORMED;
		}
		if (m->has_size && m->size != size) {
			magnet_why(m, NULL, 0, "xl: two different sizes");
			return WIRE_MALFORMED;
		}
		m->size = size;
		m->has_size = 1;
		return WIRE_OK;
	}
	/* xs or as. An as= may be any web address (a mirror by name): only
	 * the ones we can dial count. xs=push:// is a firewalled servent's
	 * GUID and proxies, which need a push we cannot route from here. */
	memset(&src, 0, sizeof src);
	r = magnet_http(m, key, buf, (size_t)n, &src);
	if (r == 1)
		magnet_add_source(m, &src);
	else if (strcmp(key, "xs") == 0 && (r < 0 ||
	    !wire_prefix(buf, (size_t)n, "push:")))
		return WIRE_MALFORMED;
	m->why[0] = '\0';
	return WIRE_OK;
}

/* A whole magnet link (see magnet.h). */
enum wire_status
magnet_parse(const char *s, size_t len, struct magnet *m)
{
	char			 buf[MAGNET_MAX_LEN + 1];
	const char		*p, *end, *amp, *eq;
	enum wire_status	 st;
	int			 xt = 0, other = 0;

	memset(m, 0, sizeof *m);
	if (len > MAGNET_MAX_LEN) {
		magnet_why(m, NULL, 0, "longer than %d bytes", MAGNET_MAX_LEN);
		return WIRE_TOOBIG;
	}
	if (!wire_prefix(s, len, "magnet:")) {
		magnet_why(m, s, len, "not a magnet link (magnet:?xt=...)");
		return WIRE_MALFORMED;
	}
	if (len < 8 || s[7] != '?') {
		magnet_why(m, NULL, 0, "no '?' after magnet:");
		return WIRE_MALFORMED;
	}
	end = s + len;
	for (p = s + 8; p < end; p = amp + 1) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p)
			continue;	/* "&&": nothing */
		/* A bare word says nothing we could use: passed over. */
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			continue;
		if ((st = magnet_param(m, p, (size_t)(eq - p), eq + 1,
		    (size_t)(amp - eq - 1), buf, sizeof buf, &xt, &other)) !=
		    WIRE_OK)
			return st;
	}
	if (!m->has_sha1) {
		if (!xt)
			magnet_why(m, NULL, 0, "no xt= (the file's urn:sha1)");
		else
			magnet_why(m, NULL, 0, "xt: no urn:sha1 or "
			    "urn:bitprint%s", other ? " (the others are not "
			    "Gnutella's)" : "");
		return WIRE_MALFORMED;
	}
	m->why[0] = '\0';
	return WIRE_OK;
}

/* An appender that remembers when it ran out of room. */
struct magnet_out {
	char	*p;
	size_t	 len, cap;
	int	 full;
};

static void
magnet_put(struct magnet_out *o, const char *s, size_t n)
{
	if (o->full || n >= o->cap - o->len) {
		o->full = 1;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void
magnet_puts(struct magnet_out *o, const char *s)
{
	magnet_put(o, s, strlen(s));
}

static void
magnet_b32out(struct magnet_out *o, const uint8_t *p, size_t n)
{
	char	 b[BASE32_LEN(TTH_LEN) + 1];

	base32_encode(p, n, b, sizeof b);
	magnet_puts(o, b);
}

/* Unreserved characters as they are, every other byte as %XX. */
static void
magnet_escape(struct magnet_out *o, const char *s)
{
	char		 e[3];
	unsigned char	 c;

	for (; *s != '\0' && !o->full; s++) {
		c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			magnet_put(o, (const char *)&c, 1);
			continue;
		}
		e[0] = '%';
		e[1] = magnet_hex[c >> 4];
		e[2] = magnet_hex[c & 0xf];
		magnet_put(o, e, 3);
	}
}

/* m as a link into out[cap] (see magnet.h). */
size_t
magnet_format(const struct magnet *m, char *out, size_t cap)
{
	struct magnet_out	 o = { out, 0, cap, 0 };
	char			 num[64];
	size_t			 i;

	if (!m->has_sha1 || cap == 0)
		return 0;
	out[0] = '\0';
	magnet_puts(&o, "magnet:?xt=urn:sha1:");
	magnet_b32out(&o, m->sha1, SHA1_LEN);
	if (m->has_tth) {
		magnet_puts(&o, "&xt=urn:bitprint:");
		magnet_b32out(&o, m->sha1, SHA1_LEN);
		magnet_puts(&o, ".");
		magnet_b32out(&o, m->tth, TTH_LEN);
	}
	if (m->has_name && m->name[0] != '\0') {
		magnet_puts(&o, "&dn=");
		magnet_escape(&o, m->name);
	}
	if (m->has_size) {
		snprintf(num, sizeof num, "&xl=%llu",
		    (unsigned long long)m->size);
		magnet_puts(&o, num);
	}
	for (i = 0; i < m->nsrc && i < MAGNET_MAX_SOURCES; i++) {
		snprintf(num, sizeof num, "&xs=http://%u.%u.%u.%u:%u",
		    m->src[i].ip >> 24, (m->src[i].ip >> 16) & 0xff,
		    (m->src[i].ip >> 8) & 0xff, m->src[i].ip & 0xff,
		    (unsigned)m->src[i].port);
		magnet_puts(&o, num);
		magnet_puts(&o, "/uri-res/N2R?urn:sha1:");
		magnet_b32out(&o, m->sha1, SHA1_LEN);
	}
	if (o.full) {
		out[0] = '\0';
		return 0;
	}
	return o.len;
}
