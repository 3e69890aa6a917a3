/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * addr.h: IPv4 addresses as a node judges them before it stores or dials
 * one: bogons no one can be reached at, the loopback, private and public
 * classes, and CIDR ranges (the [net] scope key). Pure: addresses are host
 * order, text is read within the length given, nothing is allocated.
 */
#ifndef GNODE_ADDR_H
#define GNODE_ADDR_H

#include <stddef.h>
#include <stdint.h>

#define ADDR_NET_MAX	64	/* CIDR ranges in one list */
#define ADDR_TEXT_MAX	4096	/* bytes of list text read at most */

enum addr_class {
	ADDR_BOGON,		/* 0/8, 169.254/16, 224/4, 240/4 (broadcast) */
	ADDR_LOOPBACK,		/* 127/8 */
	ADDR_PRIVATE,		/* 10/8, 172.16/12, 192.168/16 (RFC 1918) */
	ADDR_PUBLIC,		/* anything else */
};

/* One range: ip & mask == net. */
struct addr_net {
	uint32_t	 net;
	uint32_t	 mask;
};

enum addr_class	 addr_class(uint32_t ip);
/* An address no host answers at: never stored, dialled or passed on. */
int		 addr_bogon(uint32_t ip);
/* Whether ip, told us by a peer at from (or to be told to a peer at
 * from), means the same host to both ends: no bogon, a loopback address
 * only between loopback peers (it names the teller's own machine, not
 * ours), a private one only between loopback or private peers. */
int		 addr_heard_ok(uint32_t ip, uint32_t from);
int		 addr_net_match(const struct addr_net *, size_t n, uint32_t ip);
/* "a.b.c.d/len" (len 0-32; "a.b.c.d" alone is /32) in s[0..len), host
 * bits zero: 0, or -1. */
int		 addr_cidr_parse(const char *s, size_t len, struct addr_net *);
/* A list of CIDRs separated by commas or blanks, s[0..len) with len at
 * most ADDR_TEXT_MAX, appended to out[*n..max). 0, or -1 with *bad and
 * *badlen at the first entry that is wrong (or that does not fit). */
int		 addr_cidr_list(const char *s, size_t len, struct addr_net *out,
		     size_t max, size_t *n, const char **bad, size_t *badlen);
/* "a.b.c.d/len" into buf (at least 19 bytes). */
char		*addr_net_str(const struct addr_net *, char *buf, size_t cap);

#endif
