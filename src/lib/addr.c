/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * addr.c: address classes and CIDR ranges. The CIDR reader takes text
 * from gnode.conf, so it is written as a decoder: bounded by the length
 * given, digits only, every part range-checked, no libc parser that could
 * read on past the end or accept "0x10" or " 10".
 */
#include <stdio.h>
#include <string.h>

#include "lib/addr.h"

#define IP4(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			    (uint32_t)(c) << 8 | (uint32_t)(d))

static const struct addr_net addr_bogons[] = {
	{ IP4(0, 0, 0, 0), 0xff000000u },	/* "this network" */
	{ IP4(169, 254, 0, 0), 0xffff0000u },	/* link-local */
	{ IP4(224, 0, 0, 0), 0xf0000000u },	/* multicast */
	{ IP4(240, 0, 0, 0), 0xf0000000u },	/* reserved, broadcast */
};

static const struct addr_net addr_private[] = {
	{ IP4(10, 0, 0, 0), 0xff000000u },
	{ IP4(172, 16, 0, 0), 0xfff00000u },
	{ IP4(192, 168, 0, 0), 0xffff0000u },
};

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

int
addr_net_match(const struct addr_net *nets, size_t n, uint32_t ip)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((ip & nets[i].mask) == nets[i].net)
			return 1;
	return 0;
}

enum addr_class
addr_class(uint32_t ip)
{
	if (addr_net_match(addr_bogons, NELEM(addr_bogons), ip))
		return ADDR_BOGON;
	if ((ip >> 24) == 127)
		return ADDR_LOOPBACK;
	if (addr_net_match(addr_private, NELEM(addr_private), ip))
		return ADDR_PRIVATE;
	return ADDR_PUBLIC;
}

int
addr_bogon(uint32_t ip)
{
	return addr_class(ip) == ADDR_BOGON;
}

int
addr_heard_ok(uint32_t ip, uint32_t from)
{
	enum addr_class	 c = addr_class(ip), f = addr_class(from);

	switch (c) {
	case ADDR_BOGON:
		return 0;
	case ADDR_LOOPBACK:
		return f == ADDR_LOOPBACK;
	case ADDR_PRIVATE:
		return f == ADDR_LOOPBACK || f == ADDR_PRIVATE;
	case ADDR_PUBLIC:
		break;
	}
	return 1;
}

/* A decimal number of 1-3 digits at most max from s[*i..len); -1 if none. */
static long
addr_num(const char *s, size_t len, size_t *i, long max)
{
	long	 v = 0;
	size_t	 start = *i;

	while (*i < len && *i - start < 3 && s[*i] >= '0' && s[*i] <= '9')
		v = v * 10 + (s[(*i)++] - '0');
	if (*i == start || (*i < len && s[*i] >= '0' && s[*i] <= '9'))
		return -1;
	/* "01" is octal to inet_aton: refuse it rather than guess. */
	if (*i - start > 1 && s[start] == '0')
		return -1;
	return v <= max ? v : -1;
}

int
addr_cidr_parse(const char *s, size_t len, struct addr_net *out)
{
	uint32_t	 ip = 0, mask;
	size_t		 i = 0;
	long		 v, bits = 32;
	int		 part;

	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= len || s[i] != '.')
				return -1;
			i++;
		}
		if ((v = addr_num(s, len, &i, 255)) < 0)
			return -1;
		ip = ip << 8 | (uint32_t)v;
	}
	if (i < len) {
		if (s[i++] != '/' || (bits = addr_num(s, len, &i, 32)) < 0)
			return -1;
	}
	if (i != len)
		return -1;
	mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
	/* 10.1.2.3/8 is most likely a typo for a host or for 10.0.0.0/8. */
	if ((ip & ~mask) != 0)
		return -1;
	out->net = ip;
	out->mask = mask;
	return 0;
}

int
addr_cidr_list(const char *s, size_t len, struct addr_net *out, size_t max,
    size_t *n, const char **bad, size_t *badlen)
{
	size_t	 i = 0, start;

	*bad = s;
	*badlen = 0;
	if (len > ADDR_TEXT_MAX)
		return -1;
	while (i < len) {
		if (s[i] == ',' || s[i] == ' ' || s[i] == '\t') {
			i++;
			continue;
		}
		start = i;
		while (i < len && s[i] != ',' && s[i] != ' ' && s[i] != '\t')
			i++;
		*bad = s + start;
		*badlen = i - start;
		if (*n >= max || addr_cidr_parse(s + start, i - start,
		    &out[*n]) != 0)
			return -1;
		(*n)++;
	}
	return 0;
}

char *
addr_net_str(const struct addr_net *a, char *buf, size_t cap)
{
	uint32_t	 m = a->mask;
	int		 bits = 0;

	while (m & 0x80000000u) {
		bits++;
		m <<= 1;
	}
	snprintf(buf, cap, "%u.%u.%u.%u/%d", a->net >> 24, a->net >> 16 & 0xff,
	    a->net >> 8 & 0xff, a->net & 0xff, bits);
	return buf;
}
