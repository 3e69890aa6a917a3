/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fwd_walk.c: k random walkers (Lv, Cao, Cohen, Li, Shenker 2002). The
 * requester sends k copies of its query, each marked by a GGEP "GNW"
 * extension naming the walker, its remaining steps, how often to check back
 * and the requester's address. A node that gets a walker answers it (hits go
 * straight to the requester, as out-of-band replies do) and passes it to one
 * random neighbour other than the one it came from. Every `check` steps the
 * walker waits while the node asks the requester, by a GNOD/1 vendor message
 * sent out of band, whether to go on; the requester answers GNOD/2 "stop"
 * once it has enough results. A legacy servent sees a query of TTL 1: it
 * answers and goes no further.
 */
#include <stdlib.h>
#include <string.h>

#include "core/node_impl.h"
#include "lib/xmalloc.h"
#include "wire/ggep.h"
#include "wire/vmsg.h"

#define WALK_CHECK_LEN	19	/* guid(16) walker(1) steps_done(2) */
#define WALK_ANSWER_LEN	18	/* guid(16) walker(1) verdict(1) */

/* Read the walker extension; 1 if the query carries one. */
int
walk_parse(const struct query *q, struct walk_info *wi)
{
	struct ggep_ext	 ext;
	uint8_t		 v[WALK_GGEP_LEN];
	size_t		 len;

	if (q->ggep == NULL ||
	    ggep_find(q->ggep, q->ggeplen, WALK_GGEP_ID, &ext) != WIRE_OK ||
	    ggep_value(&ext, v, sizeof v, &len) != WIRE_OK ||
	    len != WALK_GGEP_LEN)
		return 0;
	wi->walker = v[0];
	wi->steps_left = peek_le16(v + 1);
	wi->steps_done = peek_le16(v + 3);
	wi->check = v[5];
	wi->ip = peek_be32(v + 6);
	wi->port = peek_le16(v + 10);
	return 1;
}

/* The query again, with a fresh walker extension and its other GGEP. */
size_t
walk_payload(const struct query *q, const struct walk_info *wi, uint8_t *out,
    size_t cap)
{
	struct ggep_writer	 w;
	struct ggep_iter	 it;
	struct ggep_ext		 ext;
	struct query		 nq = *q;
	uint8_t			 block[512], v[WALK_GGEP_LEN], val[256];
	size_t			 vlen;

	v[0] = wi->walker;
	poke_le16(v + 1, wi->steps_left);
	poke_le16(v + 3, wi->steps_done);
	v[5] = wi->check;
	poke_be32(v + 6, wi->ip);
	poke_le16(v + 10, wi->port);
	ggep_writer_init(&w, block, sizeof block);
	w.nul_free = 1;		/* a query's extension area ends at a NUL */
	ggep_add(&w, WALK_GGEP_ID, v, sizeof v, 0);
	if (q->ggep != NULL && ggep_iter_init(&it, q->ggep, q->ggeplen) ==
	    WIRE_OK) {
		while (ggep_next(&it, &ext) == WIRE_OK) {
			if (strcmp(ext.id, WALK_GGEP_ID) == 0 ||
			    ggep_value(&ext, val, sizeof val, &vlen) != WIRE_OK)
				continue;
			ggep_add(&w, ext.id, val, vlen, 0);
		}
	}
	if ((nq.ggeplen = ggep_finish(&w)) == 0)
		return 0;
	nq.ggep = block;
	return query_encode(&nq, out, cap);
}

/* The k-th neighbour that is not a leaf (leaves relay nothing; they
 * see walkers through their tables, lqrt_route) and not skip. */
static uint32_t
walk_nth(const struct node *n, uint32_t skip, uint32_t k, uint32_t *count)
{
	uint32_t	 i, c = 0, id = 0;

	for (i = 0; i < n->npeers; i++) {
		if (n->peers[i].leaf || n->peers[i].id == skip)
			continue;
		if (c++ == k)
			id = n->peers[i].id;
	}
	*count = c;
	return id;
}

/* One random neighbour other than `from`, or `from` at a dead end. */
static uint32_t
walk_next(struct node *n, uint32_t from, int *ok)
{
	const struct peer	*fp = node_peer(n, from);
	uint32_t		 c;

	(void)walk_nth(n, from, UINT32_MAX, &c);
	*ok = 1;
	if (c > 0)
		return walk_nth(n, from, (uint32_t)rng_below(&n->rng, c), &c);
	if (fp != NULL && !fp->leaf)
		return from;
	*ok = 0;
	return 0;
}

static void
walk_forward(struct node *n, uint32_t from, const uint8_t *msg, size_t len)
{
	uint32_t	 to;
	int		 ok;
	struct desc	 d;

	to = walk_next(n, from, &ok);
	if (!ok || desc_decode(msg, len, &d) != WIRE_OK)
		return;
	node_send(n, to, d.guid, DESC_QUERY, 1, 0, msg + DESC_HDR_LEN, d.len);
}

static void
walk_send_vmsg(struct node *n, uint32_t ip, uint16_t port, uint16_t sel,
    const uint8_t *body, size_t blen)
{
	struct vmsg	 vm;
	uint8_t		 buf[64], guid[16];
	size_t		 len;

	memcpy(vm.vendor, NODE_VENDOR, 4);
	vm.selector = sel;
	vm.version = 1;
	vm.body = body;
	vm.bodylen = blen;
	if ((len = vmsg_encode(&vm, buf, sizeof buf)) == 0)
		return;
	guid_new(&n->rng, guid);
	node_send_oob(n, ip, port, guid, DESC_VENDOR, 0, buf, len);
}

/* A walker arrived from `from`: count its step, then pass it on or check. */
void
walk_relay(struct node *n, uint32_t from, const struct desc *d,
    const uint8_t *payload, const struct query *q)
{
	struct walk_info	 wi;
	struct held		*h;
	uint8_t			 msg[DESC_HDR_LEN + QUERY_KICK_LEN + 64];
	uint8_t			 body[WALK_CHECK_LEN];
	struct desc		 nd;
	size_t			 plen;

	if (!walk_parse(q, &wi) || wi.steps_left == 0)
		return;
	/* Every field comes from a peer: a walker may not roam without end or
	 * without checking back, nor send its hits anywhere forever. */
	if (wi.steps_left > WALK_MAX_STEPS || wi.check == 0 ||
	    wi.check > WALK_MAX_CHECK) {
		n->stats.dropped++;
		return;
	}
	wi.steps_left--;
	wi.steps_done++;
	plen = walk_payload(q, &wi, msg + DESC_HDR_LEN,
	    sizeof msg - DESC_HDR_LEN);
	if (plen == 0)
		return;
	nd = *d;
	nd.ttl = 1;
	nd.hops = 0;
	nd.len = (uint32_t)plen;
	desc_encode(&nd, msg, DESC_HDR_LEN);
	if (wi.check == 0 || wi.steps_done % wi.check != 0) {
		walk_forward(n, from, msg, DESC_HDR_LEN + plen);
		return;
	}
	/* Hold the walker and ask the requester whether to go on. */
	h = xcalloc(1, sizeof *h);
	memcpy(h->guid, d->guid, 16);
	h->walker = wi.walker;
	h->from = from;
	h->deadline = node_now(n) + n->conf.walk_hold_ms;
	h->len = DESC_HDR_LEN + plen;
	h->msg = xmalloc(h->len);
	memcpy(h->msg, msg, h->len);
	h->next = n->held;
	n->held = h;
	memcpy(body, d->guid, 16);
	body[16] = wi.walker;
	poke_le16(body + 17, wi.steps_done);
	n->stats.walk_checks++;
	walk_send_vmsg(n, wi.ip, wi.port, VMSG_WALK_CHECK, body, sizeof body);
}

static void
walk_start(struct node *n, struct search *s)
{
	struct walk_info	 wi;
	struct query		 q;
	uint8_t			 payload[QUERY_KICK_LEN];
	size_t			 plen;
	uint32_t		 k, first, c, to;

	if (n->npeers == 0 || query_decode(s->payload, s->plen, &q) != WIRE_OK) {
		s->active = 0;
		return;
	}
	memset(&wi, 0, sizeof wi);
	wi.steps_left = s->o.walk_ttl > 0 ? s->o.walk_ttl - 1 : 0;
	if (wi.steps_left > WALK_MAX_STEPS)
		wi.steps_left = WALK_MAX_STEPS;
	wi.check = (uint8_t)(s->o.check == 0 ? 4 : s->o.check > WALK_MAX_CHECK ?
	    WALK_MAX_CHECK : s->o.check);
	wi.ip = n->conf.ip;
	wi.port = n->conf.port;
	(void)walk_nth(n, NODE_SELF, UINT32_MAX, &c);
	if (c == 0) {
		s->active = 0;
		return;
	}
	first = (uint32_t)rng_below(&n->rng, c);
	/* Spread the walkers over our neighbours, round-robin from a random
	 * one, so k walkers leave by k different links when we have them. */
	for (k = 0; k < (s->o.walkers > 0 ? s->o.walkers : 1); k++) {
		to = walk_nth(n, NODE_SELF, (first + k) % (c > 0 ? c : 1), &c);
		if (c == 0)
			break;		/* the host closed them all meanwhile */
		wi.walker = (uint8_t)k;
		if ((plen = walk_payload(&q, &wi, payload, sizeof payload)) == 0)
			break;
		node_send(n, to, s->guid, DESC_QUERY, 1, 0, payload, plen);
	}
}

/* Checks reach the requester; answers reach the node holding the walker. */
void
walk_oob(struct node *n, uint32_t ip, uint16_t port, const struct desc *d,
    const uint8_t *payload)
{
	struct vmsg	 vm;
	struct search	*s;
	struct held	**hp, *h;
	uint8_t		 body[WALK_ANSWER_LEN];

	if (vmsg_decode(payload, d->len, &vm) != WIRE_OK ||
	    memcmp(vm.vendor, NODE_VENDOR, 4) != 0) {
		n->stats.dropped++;
		return;
	}
	if (vm.selector == VMSG_WALK_CHECK && vm.bodylen == WALK_CHECK_LEN) {
		s = search_by_guid(n, vm.body);
		memcpy(body, vm.body, 17);
		body[17] = s != NULL && s->active && s->results < s->o.target;
		walk_send_vmsg(n, ip, port, VMSG_WALK_ANSWER, body, sizeof body);
		return;
	}
	if (vm.selector != VMSG_WALK_ANSWER || vm.bodylen != WALK_ANSWER_LEN) {
		n->stats.dropped++;
		return;
	}
	for (hp = &n->held; (h = *hp) != NULL; hp = &h->next) {
		if (h->walker == vm.body[16] && memcmp(h->guid, vm.body, 16) == 0) {
			*hp = h->next;
			if (vm.body[17])
				walk_forward(n, h->from, h->msg, h->len);
			free(h->msg);
			free(h);
			return;
		}
	}
}

/* Walkers whose requester never answered are dropped. */
void
walk_tick(struct node *n, uint64_t now)
{
	struct held	**hp, *h;

	for (hp = &n->held; (h = *hp) != NULL;) {
		if (now >= h->deadline) {
			*hp = h->next;
			free(h->msg);
			free(h);
			continue;
		}
		hp = &h->next;
	}
}

void
walk_free_all(struct node *n)
{
	struct held	*h;

	while ((h = n->held) != NULL) {
		n->held = h->next;
		free(h->msg);
		free(h);
	}
}

const struct fwd fwd_walk = { "walk", walk_start, NULL };
