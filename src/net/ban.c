/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * ban.c: addresses that keep sending bad input are refused for a while.
 * Every other bound is on what one connection costs (a handshake's
 * deadline, a peer's read budget, a request head's size); a peer that
 * reconnects the moment it is closed pays nothing for it, and one
 * address that opens a fresh connection for each malformed request or
 * each burst of bad descriptors cost the node a third of a core. So each
 * close for the peer's fault (a Bye for bad input or over its budget, an
 * HTTP 400, 413, 431 or 501, a refused malformed handshake) is a strike
 * against its address, and ban_after strikes within ban_time seconds
 * close the address's next connections at accept, with nothing written,
 * for ban_time seconds. Timeouts, a full node and a missing file are not
 * strikes: they are not the peer's fault.
 *
 * Closing at accept still costs the kernel's handshake, an accept and a
 * close each time, and an address that reconnects in a loop makes
 * thousands a second (a third of a core again). So the addresses under a
 * ban (at most NET_BAN_FILTER of them) also go into a classic BPF filter
 * on the listening socket that drops their packets: their SYNs go
 * unanswered, their connects wait on the kernel's retries, and they cost
 * nothing. An accepted socket inherits the listener's filter; it is taken
 * off each one, which only ever carries a peer that was let in.
 *
 * The table is small and fixed (NET_BANS entries, 8 probes from the
 * address's hash): when the probed slots are taken the least recently
 * struck one is reused, so an attacker with many addresses can wash out
 * old strikes but never grow the table.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <string.h>

#include "conf/conf.h"
#include "lib/log.h"
#include "net/net_impl.h"

#define BAN_PROBES	8

static size_t
ban_hash(uint32_t ip)
{
	return (size_t)((ip * 2654435761u) >> 16) % NET_BANS;
}

/* The entry for ip, or the slot to give it (zeroed): the free one, or
 * the one struck longest ago. */
static struct ban *
ban_slot(struct gnet *g, uint32_t ip, int create)
{
	struct ban	*b, *old = NULL;
	size_t		 h = ban_hash(ip), i;

	for (i = 0; i < BAN_PROBES; i++) {
		b = &g->bans[(h + i) % NET_BANS];
		if (b->ip == ip && b->last != 0)
			return b;
		if (old == NULL || b->last < old->last)
			old = b;
	}
	if (!create)
		return NULL;
	memset(old, 0, sizeof *old);
	old->ip = ip;
	return old;
}

/* Whether a Bye with this code is for the peer's bad input. */
int
ban_bye_bad(int code)
{
	switch (code) {
	case 405:	/* Activity Timeout */
	case 406:	/* No Reply to Alive Pings */
		return 0;
	case 501:	/* Protocol Desynchronized */
		return 1;
	default:
		return code >= 400 && code < 500;
	}
}

/*
 * The listener's filter: load the source address from the IP header and
 * drop the packet when it is a banned one. jt counts the instructions to
 * skip to reach the drop, so at most 255 addresses fit (NET_BAN_FILTER).
 */
static void
ban_filter(struct gnet *g)
{
	struct sock_filter	 prog[NET_BAN_FILTER + 3];
	struct sock_fprog	 fp;
	uint64_t		 now = gnet_now(g), next = UINT64_MAX;
	uint32_t		 ips[NET_BAN_FILTER];
	size_t			 n = 0, i, k = 0;

	for (i = 0; i < NET_BANS && n < NET_BAN_FILTER; i++)
		if (g->bans[i].until > now) {
			ips[n++] = g->bans[i].ip;
			if (g->bans[i].until < next)
				next = g->bans[i].until;
		}
	g->ban_filtered = n;
	g->ban_refilter = next;
	if (g->lfd < 0)
		return;
	if (n == 0) {
		if (setsockopt(g->lfd, SOL_SOCKET, SO_DETACH_FILTER, NULL, 0) != 0
		    && errno != ENOENT)
			log_warn("ban: taking the listener's filter off");
		return;
	}
	prog[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    (uint32_t)(SKF_NET_OFF + 12));
	for (i = 0; i < n; i++)
		prog[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ |
		    BPF_K, ips[i], (uint8_t)(n - i), 0);
	prog[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffffffffu);
	prog[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
	fp.len = (unsigned short)k;
	fp.filter = prog;
	if (setsockopt(g->lfd, SOL_SOCKET, SO_ATTACH_FILTER, &fp,
	    sizeof fp) != 0)
		log_warn("ban: the listener's filter");
}

void
ban_accepted(struct gnet *g, int fd)
{
	if (g->ban_filtered > 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, NULL, 0);
}

void
ban_tick(struct gnet *g)
{
	if (g->ban_filtered > 0 && gnet_now(g) >= g->ban_refilter)
		ban_filter(g);
}

void
ban_strike(struct gnet *g, uint32_t ip, int code)
{
	const struct conf	*cf = g->conf;
	struct ban		*b;
	uint64_t		 now = gnet_now(g), span;

	if (cf->ban_after == 0)
		return;
	span = (uint64_t)cf->ban_time * 1000;
	b = ban_slot(g, ip, 1);
	if (b->last != 0 && now - b->last > span)
		b->strikes = 0;		/* the last ones are forgotten */
	b->last = now;
	if (b->until > now || ++b->strikes < cf->ban_after)
		return;
	b->until = now + span;
	b->strikes = 0;
	g->stats.banned++;
	gnet_logrl(g, NET_LOG_BAN, "%s: refused for %u s: %u closes for bad "
	    "input (the last %d)", inet_ntoa((struct in_addr){ htonl(ip) }),
	    cf->ban_time, cf->ban_after, code);
	ban_filter(g);
}

int
ban_refuses(struct gnet *g, uint32_t ip)
{
	struct ban	*b;

	if (g->conf->ban_after == 0 || (b = ban_slot(g, ip, 0)) == NULL)
		return 0;
	return b->until > gnet_now(g);
}
