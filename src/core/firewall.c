/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * firewall.c: what the core does for servents that cannot be reached.
 *
 * - Pushes: a Push travels toward the servent whose hit named its GUID,
 *   along the path that hit came by (n->pushes, filled by node.c from every
 *   hit that passes), or straight to our leaf of that GUID; one for us
 *   goes to the host, which connects out and offers the file (GIV).
 * - Our own Pushes (node_push): a download from a firewalled source.
 * - Push proxies: a firewalled leaf asks each ultrapeer (LIME/21, MUID =
 *   its servent GUID) to take Pushes for it; the ultrapeer keeps that GUID
 *   on the leaf's peer and says yes (LIME/22v2, its address); the leaf
 *   names the ultrapeers that said yes in the GGEP "PUSH" of its hits, and
 *   a downloader asks them over HTTP (net/), which ends in node_push_proxy.
 * - Connect-back (BEAR/7): a node that thinks it is firewalled asks a
 *   peer to connect to its port; the host does that, at most once a peer.
 */
#include <string.h>

#include "core/node_impl.h"
#include "lib/log.h"
#include "wire/ggep.h"
#include "wire/giv.h"
#include "wire/push.h"
#include "wire/vmsg.h"

#define PUSH_TTL	7	/* a hit comes back from no farther */

struct seen *
node_pushes(struct node *n)
{
	if (n->pushes == NULL)
		n->pushes = seen_new(n->conf.seen_max / 4, n->conf.seen_age_ms);
	return n->pushes;
}

/* Our leaf that asked us to be its push proxy under this GUID. */
static struct peer *
fw_leaf(struct node *n, const uint8_t *guid)
{
	uint32_t	 i;

	for (i = 0; i < n->npeers; i++)
		if (n->peers[i].pp_guid_set &&
		    memcmp(n->peers[i].pp_guid, guid, 16) == 0)
			return &n->peers[i];
	return NULL;
}

static void
fw_send_vmsg(struct node *n, uint32_t peer, const uint8_t *guid,
    const char *vendor, uint16_t sel, uint16_t ver, const uint8_t *body,
    size_t blen)
{
	uint8_t		 out[VMSG_HDR_LEN + 8];
	struct vmsg	 vm;
	size_t		 len;

	memset(&vm, 0, sizeof vm);
	memcpy(vm.vendor, vendor, 4);
	vm.selector = sel;
	vm.version = ver;
	vm.body = body;
	vm.bodylen = blen;
	if ((len = vmsg_encode(&vm, out, sizeof out)) > 0)
		node_send(n, peer, guid, DESC_VENDOR, 1, 0, out, len);
}

/* Ask an ultrapeer to be our push proxy. */
static void
fw_ask_proxy(struct node *n, struct peer *p)
{
	if (!n->conf.leaf || !n->conf.firewalled || !p->ultra || p->leaf ||
	    p->proxy_port != 0)
		return;
	fw_send_vmsg(n, p->id, n->conf.guid, VMSG_VENDOR_LIME,
	    VMSG_SEL_PPROXY_REQ, 2, NULL, 0);
}

void
fw_peer_up(struct node *n, struct peer *p)
{
	fw_ask_proxy(n, p);
}

void
node_set_firewalled(struct node *n, int fw)
{
	uint32_t	 i;

	if (n->conf.firewalled == fw)
		return;
	n->conf.firewalled = fw;
	for (i = 0; fw && i < n->npeers; i++)
		fw_ask_proxy(n, &n->peers[i]);
}

void
node_ask_connect_back(struct node *n, uint32_t peer)
{
	uint8_t		 body[2], guid[16];

	if (node_peer(n, peer) == NULL || n->conf.port == 0)
		return;
	poke_le16(body, n->conf.port);
	guid_new(&n->rng, guid);
	fw_send_vmsg(n, peer, guid, VMSG_VENDOR_BEAR, VMSG_SEL_CONNECT_BACK,
	    1, body, sizeof body);
}

int
fw_vmsg(struct node *n, struct peer *p, const struct desc *d,
    const struct vmsg *vm)
{
	uint8_t		 body[6];
	uint32_t	 ip;
	uint16_t	 port;

	if (vmsg_is(vm, VMSG_VENDOR_LIME, VMSG_SEL_PPROXY_REQ)) {
		/* A leaf cannot take Pushes for anyone: it relays nothing. */
		if (n->conf.leaf || n->conf.ip == 0 || n->conf.port == 0)
			return 0;
		memcpy(p->pp_guid, d->guid, 16);
		p->pp_guid_set = 1;
		poke_be32(body, n->conf.ip);
		poke_le16(body + 4, n->conf.port);
		fw_send_vmsg(n, p->id, d->guid, VMSG_VENDOR_LIME,
		    VMSG_SEL_PPROXY_ACK, 2, body, sizeof body);
		log_trace(TRACE_ROUTE, "peer %u: push proxy for it", p->id);
		return 1;
	}
	if (vmsg_is(vm, VMSG_VENDOR_LIME, VMSG_SEL_PPROXY_ACK)) {
		if (!n->conf.leaf || p->leaf ||
		    vmsg_pproxy_ack_decode(vm, &ip, &port) != WIRE_OK ||
		    port == 0)
			return 0;
		p->proxy_ip = ip != 0 ? ip : p->ip;
		p->proxy_port = port;
		log_trace(TRACE_ROUTE, "peer %u: our push proxy", p->id);
		return 1;
	}
	if (vmsg_is(vm, VMSG_VENDOR_BEAR, VMSG_SEL_CONNECT_BACK)) {
		if (vm->bodylen < 2 || p->cb_done || n->env->connect_back ==
		    NULL)
			return 0;
		p->cb_done = 1;
		n->env->connect_back(n->arg, p->id, peek_le16(vm->body));
		return 1;
	}
	return 0;
}

size_t
node_proxies(const struct node *n, uint32_t *ip, uint16_t *port, size_t max)
{
	uint32_t	 i;
	size_t		 k = 0;

	for (i = 0; i < n->npeers && k < max; i++)
		if (n->peers[i].proxy_port != 0) {
			ip[k] = n->peers[i].proxy_ip;
			port[k++] = n->peers[i].proxy_port;
		}
	return k;
}

size_t
fw_hit_ggep(const struct node *n, uint8_t *out, size_t cap)
{
	uint32_t		 ip[FW_PROXIES_MAX];
	uint16_t		 port[FW_PROXIES_MAX];
	uint8_t			 v[6 * FW_PROXIES_MAX];
	struct ggep_writer	 w;
	size_t			 np, vlen;

	if (!n->conf.firewalled ||
	    (np = node_proxies(n, ip, port, FW_PROXIES_MAX)) == 0 ||
	    (vlen = pproxy_list_encode(ip, port, np, v, sizeof v)) == 0)
		return 0;
	ggep_writer_init(&w, out, cap);
	ggep_add(&w, "PUSH", v, vlen, 0);
	return ggep_finish(&w);
}

/* A Push: for us, to the host; else on toward its servent. */
void
node_on_push(struct node *n, struct peer *p, const struct desc *d,
    const uint8_t *payload)
{
	struct push		 pu;
	struct seen_entry	*e;
	struct peer		*to;
	uint32_t		 from = p->id;

	if (push_decode(payload, d->len, &pu) != WIRE_OK) {
		node_bad(n, p, 411, "Invalid Payload");
		return;
	}
	if (!seen_add(node_seen(n), d->guid, DESC_PUSH, p->id, node_now(n),
	    &e)) {
		n->stats.dups++;
		return;
	}
	if (memcmp(pu.guid, n->conf.guid, 16) == 0) {
		log_trace(TRACE_ROUTE, "peer %u: push for us, index %u",
		    from, pu.index);
		n->stats.pushes_rx++;
		if (n->env->push != NULL)
			n->env->push(n->arg, from, &pu);
		return;
	}
	if (n->conf.leaf) {
		n->stats.dropped++;
		return;
	}
	/* The route its hits made, else our leaf of that GUID. */
	if ((e = seen_find(node_pushes(n), pu.guid, DESC_PUSH,
	    node_now(n))) != NULL && node_peer(n, e->peer) != NULL)
		to = node_peer(n, e->peer);
	else if ((to = fw_leaf(n, pu.guid)) == NULL) {
		n->stats.dropped++;
		return;
	}
	if (d->ttl > 1 || to->leaf) {
		n->stats.pushes_routed++;
		node_send(n, to->id, d->guid, DESC_PUSH, d->ttl > 1 ?
		    d->ttl - 1 : 1, d->hops + 1, payload, d->len);
	}
}

static size_t
fw_push_payload(struct node *n, const uint8_t *servent, uint32_t index,
    uint32_t ip, uint16_t port, uint8_t *out, size_t cap)
{
	struct push	 pu;

	memset(&pu, 0, sizeof pu);
	memcpy(pu.guid, servent, 16);
	pu.index = index;
	pu.ip = ip != 0 ? ip : n->conf.ip;
	pu.port = port != 0 ? port : n->conf.port;
	return push_encode(&pu, out, cap);
}

int
node_push(struct node *n, const uint8_t *servent, uint32_t index)
{
	struct seen_entry	*e;
	struct peer		*to;
	uint8_t			 pl[PUSH_FIXED_LEN], guid[16];
	size_t			 len;

	if ((e = seen_find(node_pushes(n), servent, DESC_PUSH,
	    node_now(n))) == NULL || (to = node_peer(n, e->peer)) == NULL ||
	    (len = fw_push_payload(n, servent, index, 0, 0, pl,
	    sizeof pl)) == 0)
		return -1;
	guid_new(&n->rng, guid);
	seen_add(node_seen(n), guid, DESC_PUSH, NODE_SELF, node_now(n), &e);
	n->stats.pushes_sent++;
	node_send(n, to->id, guid, DESC_PUSH, peer_ttl(to, PUSH_TTL), 0, pl,
	    len);
	return 0;
}

int
node_push_proxy(struct node *n, const uint8_t *servent, uint32_t index,
    uint32_t ip, uint16_t port)
{
	struct peer	*to;
	uint8_t		 pl[PUSH_FIXED_LEN], guid[16];
	size_t		 len;

	if ((to = fw_leaf(n, servent)) == NULL || ip == 0 || port == 0 ||
	    (len = fw_push_payload(n, servent, index, ip, port, pl,
	    sizeof pl)) == 0)
		return -1;
	guid_new(&n->rng, guid);
	n->stats.pushes_sent++;
	node_send(n, to->id, guid, DESC_PUSH, 1, 0, pl, len);
	return 0;
}
