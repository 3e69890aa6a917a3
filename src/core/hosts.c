/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * hosts.c: host cache and pong cache. Both are allocated on first use and
 * bounded: conf.hosts_max addresses, PONG_CACHE pongs. Neither holds a
 * bogon, nor an address more local than the peer that named it: what the
 * pong cache holds goes on to other peers in our answers to their pings.
 */
#include <stdlib.h>
#include <string.h>

#include "core/hosts.h"
#include "lib/addr.h"
#include "lib/xmalloc.h"

/* Remember an address, moving it to the front if known. */
void
hosts_add(struct node *n, uint32_t ip, uint16_t port)
{
	uint32_t	 i, max = n->conf.hosts_max;
	struct host	 h;

	if (max == 0 || addr_bogon(ip) || port == 0 ||
	    (ip == n->conf.ip && port == n->conf.port))
		return;
	if (n->hosts == NULL)
		n->hosts = xcalloc(max, sizeof *n->hosts);
	for (i = 0; i < n->nhosts; i++)
		if (n->hosts[i].ip == ip && n->hosts[i].port == port)
			break;
	if (i == n->nhosts) {
		if (n->nhosts < max)
			n->nhosts++;
		i = n->nhosts - 1;	/* overwrite the oldest when full */
	}
	h.ip = ip;
	h.port = port;
	h.seen_s = (uint32_t)(node_now(n) / 1000);
	memmove(&n->hosts[1], &n->hosts[0], i * sizeof *n->hosts);
	n->hosts[0] = h;
}

/* Hosts newest first. */
size_t
node_hosts(const struct node *n, uint32_t *ip, uint16_t *port, size_t max)
{
	size_t	 i;

	for (i = 0; i < n->nhosts && i < max; i++) {
		ip[i] = n->hosts[i].ip;
		port[i] = n->hosts[i].port;
	}
	return i;
}

/* A pong reached us from a peer at from: keep its host and the pong. */
void
hosts_pong(struct node *n, const struct pong *po, uint8_t hops, uint32_t from)
{
	struct pong_entry	*pe;

	if (po->port == 0 || !addr_heard_ok(po->ip, from))
		return;
	hosts_add(n, po->ip, po->port);
	if (n->pongs == NULL)
		n->pongs = xcalloc(PONG_CACHE, sizeof *n->pongs);
	pe = &n->pongs[n->pong_next];
	n->pong_next = (n->pong_next + 1) % PONG_CACHE;
	if (n->npongs < PONG_CACHE)
		n->npongs++;
	pe->ip = po->ip;
	pe->port = po->port;
	pe->files = po->files;
	pe->kbytes = po->kbytes;
	pe->hops = hops;
}

static void
hosts_send_pong(struct node *n, uint32_t peer, const struct desc *d,
    const struct pong *po, uint8_t hops)
{
	uint8_t		 buf[PONG_FIXED_LEN];
	size_t		 len;

	if ((len = pong_encode(po, buf, sizeof buf)) == 0)
		return;
	/* Enough TTL to retrace the ping's hops, within the hard limit. */
	node_send(n, peer, d->guid, DESC_PONG, d->hops + 1 > DESC_HARD_TTL ?
	    DESC_HARD_TTL : d->hops + 1, hops, buf, len);
}

/* Answer a ping from the caches; a keep-alive (TTL 1) gets our pong only. */
void
hosts_answer_ping(struct node *n, uint32_t peer, const struct desc *d)
{
	struct pong	 po;
	uint32_t	 i;

	memset(&po, 0, sizeof po);
	po.ip = n->conf.ip;
	po.port = n->conf.port;
	po.files = n->conf.files;
	po.kbytes = n->conf.kbytes;
	hosts_send_pong(n, peer, d, &po, 0);
	if (d->ttl <= 1)
		return;
	for (i = 0; i < n->npongs && i < PONG_CACHE - 1; i++) {
		po.ip = n->pongs[i].ip;
		po.port = n->pongs[i].port;
		po.files = n->pongs[i].files;
		po.kbytes = n->pongs[i].kbytes;
		hosts_send_pong(n, peer, d, &po, n->pongs[i].hops + 1);
	}
}

/* Ping each neighbour (TTL 2: it answers with its own and cached pongs). */
void
hosts_ping(struct node *n)
{
	uint32_t	 i;

	for (i = 0; i < n->npeers; i++)
		node_peer_ping(n, n->peers[i].id);
}

/* Ping one neighbour (TTL 2): its pong and its cached pongs fill our host
 * cache. Its pongs route back to us through the seen-table. */
void
node_peer_ping(struct node *n, uint32_t peer)
{
	struct seen_entry	*e;
	uint8_t			 guid[16];

	if (node_peer(n, peer) == NULL)
		return;
	guid_new(&n->rng, guid);
	seen_add(node_seen(n), guid, DESC_PING, NODE_SELF, node_now(n), &e);
	node_send(n, peer, guid, DESC_PING, 2, 0, NULL, 0);
}

/* What our pongs say we share, after a rescan. */
void
node_set_shared(struct node *n, uint32_t files, uint32_t kbytes)
{
	n->conf.files = files;
	n->conf.kbytes = kbytes;
}

void
hosts_free(struct node *n)
{
	free(n->hosts);
	free(n->pongs);
}

size_t
hosts_bytes(const struct node *n)
{
	return (n->hosts != NULL ? n->conf.hosts_max * sizeof *n->hosts : 0) +
	    (n->pongs != NULL ? PONG_CACHE * sizeof *n->pongs : 0);
}
