/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * peer.c: a node's neighbours: the array they are kept in (sorted by id;
 * the core names peers by id, never by pointer), a peer coming up and
 * going down, the Bye that closes one, and what a peer has done wrong:
 * the bad count, halving with time, that closes it past bad_max.
 */
#include <string.h>

#include "core/hosts.h"
#include "core/node_impl.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "wire/bye.h"

#define NODE_PEERS_START	4
/* A peer's bad count halves this often: an occasional bad message from a
 * peer that stays for days never adds up to a close, a burst still does. */
#define NODE_BAD_HALF_MS	(10 * 60 * 1000)

/* Index of the first peer with id >= the given one. */
static uint32_t
node_peer_index(const struct node *n, uint32_t id)
{
	uint32_t	 lo = 0, hi = n->npeers, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (n->peers[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The connected peer with this id, or NULL. */
struct peer *
node_peer(struct node *n, uint32_t id)
{
	uint32_t	 i = node_peer_index(n, id);

	if (i < n->npeers && n->peers[i].id == id)
		return &n->peers[i];
	return NULL;
}

/* A neighbour finished its handshake. */
int
node_peer_up(struct node *n, uint32_t id, const struct peer_info *info)
{
	uint32_t	 i = node_peer_index(n, id);
	struct peer	*p;

	if (id == NODE_SELF || (i < n->npeers && n->peers[i].id == id))
		return -1;
	if (n->npeers == n->peers_cap) {
		n->peers_cap = n->peers_cap == 0 ? NODE_PEERS_START :
		    n->peers_cap * 2;
		n->peers = xreallocarray(n->peers, n->peers_cap, sizeof *n->peers);
	}
	memmove(&n->peers[i + 1], &n->peers[i],
	    (n->npeers - i) * sizeof *n->peers);
	n->npeers++;
	p = &n->peers[i];
	memset(p, 0, sizeof *p);
	p->id = id;
	p->ip = info->ip;
	p->port = info->port;
	p->degree = info->degree;
	p->max_ttl = info->max_ttl;
	p->ultra = info->ultra;
	p->ext_probes = info->ext_probes;
	p->leaf = info->leaf;
	p->up_qrp = info->up_qrp;
	n->ups_stale = 1;
	if (info->ip != 0)
		hosts_add(n, info->ip, info->port);
	fw_peer_up(n, p);
	return 0;
}

/* A neighbour is gone. Routes naming it fail their lookup from now on. */
void
node_peer_down(struct node *n, uint32_t id)
{
	uint32_t	 i = node_peer_index(n, id);

	if (i >= n->npeers || n->peers[i].id != id)
		return;
	lqx_drop(n, &n->peers[i]);
	lqrt_free(n->peers[i].qrt);
	if (n->peers[i].leaf)
		dq_leaf_gone(n, id);
	memmove(&n->peers[i], &n->peers[i + 1],
	    (n->npeers - i - 1) * sizeof *n->peers);
	n->npeers--;
	n->ups_stale = 1;
}

void
node_ups_fresh(struct node *n)
{
	uint32_t	 i;

	if (!n->ups_stale)
		return;
	n->ups = xreallocarray(n->ups, n->peers_cap > 0 ? n->peers_cap : 1,
	    sizeof *n->ups);
	n->nups = 0;
	for (i = 0; i < n->npeers; i++)
		if (!n->peers[i].leaf)
			n->ups[n->nups++] = i;
	n->ups_stale = 0;
}

/* Send a Bye and forget the peer; the host closes the connection. */
void
node_peer_bye(struct node *n, uint32_t id, uint16_t code, const char *why)
{
	uint8_t		 payload[BYE_MAX_LEN], guid[16];
	struct bye	 b;
	size_t		 len;

	if (node_peer(n, id) == NULL)
		return;
	b.code = code;
	b.text = why;
	b.textlen = strlen(why);
	if ((len = bye_encode(&b, payload, sizeof payload)) > 0) {
		guid_new(&n->rng, guid);
		node_send(n, id, guid, DESC_BYE, 1, 0, payload, len);
	}
	node_peer_down(n, id);
	n->env->close(n->arg, id, code, why);
}

/* Close a peer for misbehaving. */
void
node_kick(struct node *n, uint32_t id, uint16_t code, const char *why)
{
	log_trace(TRACE_ROUTE, "peer %u: bye %u %s", id, code, why);
	n->stats.closed++;
	node_peer_bye(n, id, code, why);
}

/* Drop a message, and close its sender once it has sent too many bad ones. */
void
node_bad(struct node *n, struct peer *p, uint16_t code, const char *why)
{
	uint64_t	 now = node_now(n), halves;

	n->stats.dropped++;
	log_trace(TRACE_ROUTE, "peer %u: drop: %s", p->id, why);
	/* Decay first, by whole half-lives since the last one, so the count
	 * is what the last ten minutes or so weigh, not the peer's life. */
	if (now > p->bad_at) {
		halves = (now - p->bad_at) / NODE_BAD_HALF_MS;
		p->bad = halves >= 16 ? 0 : (uint16_t)(p->bad >> halves);
		p->bad_at = halves >= 16 ? now :
		    p->bad_at + halves * NODE_BAD_HALF_MS;
	}
	if (++p->bad > n->conf.bad_max)
		node_kick(n, p->id, code, why);
}

size_t
node_peer_count(const struct node *n)
{
	return n->npeers;
}

/* Whether a peer's QRP table is complete: 1, 0 not yet, -1 none. */
int
node_peer_qrt_ready(const struct node *n, uint32_t id)
{
	uint32_t	 i = node_peer_index(n, id);

	if (i >= n->npeers || n->peers[i].id != id ||
	    (!n->peers[i].leaf && !n->peers[i].up_qrp))
		return -1;
	return lqrt_ready(n->peers[i].qrt);
}
