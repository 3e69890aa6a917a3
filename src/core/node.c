/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * node.c: one node's life: the descriptors its neighbours send and where
 * each goes. Routing rules (protocol.md 1.3): Pings are answered from
 * the pong cache and never broadcast; Queries are answered from our share and
 * flooded (or walked) on; Pongs, QueryHits and Pushes go back along the
 * reverse path the seen-table remembers. Nothing from a peer is trusted:
 * every check that fails drops the message and counts it against the peer
 * (peer.c), which past a threshold closes the peer with the Bye code of
 * protocol.md 1.4.3.
 */
#include <stdlib.h>
#include <string.h>

#include "core/hosts.h"
#include "core/node_impl.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "wire/ping.h"
#include "wire/vmsg.h"

/* Real servents' values (gtk-gnutella's defaults, protocol.md). */
void
node_conf_default(struct node_conf *c)
{
	memset(c, 0, sizeof *c);
	c->max_ttl = 4;
	c->query_ttl = 4;
	c->seen_max = 1u << 20;
	c->seen_age_ms = 600 * 1000;
	c->dup_min = 5;
	c->dup_ratio_bp = 150;
	c->high_ttl_max = 10;
	c->bad_max = 20;
	c->hosts_max = 1000;
	c->ping_ms = 0;
	c->walk_hold_ms = 5000;
	c->step_ms = 2400;
	c->search_life_ms = 10 * 60 * 1000;
	c->ip = 0x7f000001;
	c->port = 6346;
}

/* A node with its host's callbacks; arg is passed back to every one. */
struct node *
node_new(const struct node_env *env, void *arg, const struct node_conf *conf,
    uint64_t seed)
{
	static const uint8_t	 zero[16];
	struct node		*n = xcalloc(1, sizeof *n);

	n->env = env;
	n->arg = arg;
	n->conf = *conf;
	rng_seed(&n->rng, seed);
	if (memcmp(n->conf.guid, zero, 16) == 0)
		guid_new(&n->rng, n->conf.guid);
	n->next_search = 1;
	return n;
}

void
node_free(struct node *n)
{
	if (n == NULL)
		return;
	search_free_all(n);
	walk_free_all(n);
	oob_free(n);
	for (uint32_t i = 0; i < n->npeers; i++)
		lqrt_free(n->peers[i].qrt);
	lqx_free(&n->lqx);
	free(n->ups);
	seen_free(n->seen);
	seen_free(n->pushes);
	hosts_free(n);
	free(n->peers);
	free(n);
}

uint64_t
node_now(struct node *n)
{
	return n->env->now(n->arg);
}

/* The seen-table, made on first use so idle nodes hold none. */
struct seen *
node_seen(struct node *n)
{
	if (n->seen == NULL)
		n->seen = seen_new(n->conf.seen_max, n->conf.seen_age_ms);
	return n->seen;
}

/* Frame a descriptor from parts into buf (room for the largest one);
 * returns its length, or 0 if the payload is over the limit. */
static size_t
node_frame(uint8_t *buf, const uint8_t *guid, uint8_t func, uint8_t ttl,
    uint8_t hops, const uint8_t *payload, size_t len)
{
	struct desc	 d;

	if (len > DESC_MAX_PAYLOAD)
		return 0;
	memcpy(d.guid, guid, 16);
	d.func = func;
	d.ttl = ttl;
	d.hops = hops;
	d.sflags = 0;
	d.len = (uint32_t)len;
	desc_encode(&d, buf, DESC_HDR_LEN);
	if (len > 0)
		memcpy(buf + DESC_HDR_LEN, payload, len);
	return DESC_HDR_LEN + len;
}

/* Send a framed descriptor to one peer (a flood frames a copy once for
 * all the peers that take it with the same TTL). */
static void
node_send_framed(struct node *n, uint32_t peer, const uint8_t *buf,
    size_t total)
{
	n->stats.tx++;
	n->env->send(n->arg, peer, buf, total);
}

/* Send a descriptor built from parts to one peer. */
void
node_send(struct node *n, uint32_t peer, const uint8_t *guid, uint8_t func,
    uint8_t ttl, uint8_t hops, const uint8_t *payload, size_t len)
{
	uint8_t		 buf[DESC_HDR_LEN + DESC_MAX_PAYLOAD];
	size_t		 total;

	if ((total = node_frame(buf, guid, func, ttl, hops, payload, len)) == 0)
		return;
	node_send_framed(n, peer, buf, total);
}

/* Send a descriptor out of band (TTL 1) to an address. */
void
node_send_oob(struct node *n, uint32_t ip, uint16_t port, const uint8_t *guid,
    uint8_t func, uint8_t hops, const uint8_t *payload, size_t len)
{
	uint8_t		 buf[DESC_HDR_LEN + DESC_MAX_PAYLOAD];
	size_t		 total;

	if (n->env->send_oob == NULL ||
	    (total = node_frame(buf, guid, func, 1, hops, payload, len)) == 0)
		return;
	n->stats.tx++;
	n->env->send_oob(n->arg, ip, port, buf, total);
}

/* Answer a ping: our own pong, then cached ones (never broadcast pings). */
static void
node_on_ping(struct node *n, struct peer *p, const struct desc *d,
    const uint8_t *payload)
{
	struct ping		 pi;
	struct seen_entry	*e;

	if (ping_decode(payload, d->len, &pi) != WIRE_OK) {
		node_bad(n, p, 411, "Invalid Payload");
		return;
	}
	if (!seen_add(node_seen(n), d->guid, DESC_PING, p->id, node_now(n),
	    &e)) {
		n->stats.dups++;
		return;
	}
	hosts_answer_ping(n, p->id, d);
}

/* A pong returns along its ping's path; ours feed the host cache. */
static void
node_on_pong(struct node *n, struct peer *p, const struct desc *d,
    const uint8_t *payload)
{
	struct pong		 po;
	struct seen_entry	*e;

	if (pong_decode(payload, d->len, &po) != WIRE_OK) {
		node_bad(n, p, 411, "Invalid Payload");
		return;
	}
	if ((e = seen_find(node_seen(n), d->guid, DESC_PING, node_now(n))) ==
	    NULL) {
		n->stats.dropped++;
		return;
	}
	hosts_pong(n, &po, d->hops, p->ip);
	/* What a host shares: a pong about another says it only when it
	 * says some (the cached pongs a servent hands out may have lost
	 * the count); one of its own may say none. */
	if (e->peer == NODE_SELF && n->env->sharer != NULL &&
	    (po.files > 0 || (po.ip == p->ip && d->hops == 0)))
		n->env->sharer(n->arg, po.ip, po.files);
	if (e->peer != NODE_SELF && d->ttl > 1 && !n->conf.leaf &&
	    node_peer(n, e->peer) != NULL)
		node_send(n, e->peer, d->guid, DESC_PONG, d->ttl - 1, d->hops + 1,
		    payload, d->len);
}

/* Build hits for our matching files and send them back. */
static void
node_answer(struct node *n, uint32_t to, const struct desc *d,
    const struct query *q, const struct walk_info *wi)
{
	struct qhit_record	 recs[MATCH_MAX];
	struct qhit		 qh;
	struct oob_offer	*offer = NULL;
	uint8_t			 out[DESC_MAX_PAYLOAD], ggep[64];
	size_t			 nrec, i, take, len;
	unsigned		 opts;

	/* Two firewalled ends cannot meet: it says so, we stay quiet. */
	if (n->conf.firewalled && (q->flags & QUERY_F_MARK) &&
	    (q->flags & QUERY_F_FIREWALLED))
		return;
	if (n->env->match == NULL ||
	    (nrec = n->env->match(n->arg, q, recs, MATCH_MAX)) == 0)
		return;
	/* A requester that takes UDP gets an offer, then what it claims;
	 * not from behind a firewall, where its claim could not reach us. */
	if (wi == NULL && !n->conf.firewalled)
		offer = oob_offer_new(n, d, q);
	memset(&qh, 0, sizeof qh);
	qh.port = n->conf.port;
	qh.ip = n->conf.ip;
	qh.speed = 1000;
	memcpy(qh.vendor, NODE_VENDOR, 5);
	memcpy(qh.guid, n->conf.guid, 16);
	if (n->conf.firewalled) {
		qh.status |= QHIT_S_PUSH;
		qh.ggeplen = fw_hit_ggep(n, ggep, sizeof ggep);
		qh.ggep = qh.ggeplen > 0 ? ggep : NULL;
	}
	opts = (q->flags & QUERY_F_MARK) && (q->flags & QUERY_F_GGEP_H) ?
	    QHIT_ENC_GGEP_H : 0;
	for (i = 0; i < nrec; i += take) {
		take = nrec - i < QHIT_RECORDS_PER_MSG ? nrec - i :
		    QHIT_RECORDS_PER_MSG;
		/* Keep each hit near gtkg's flush size: fewer records if long. */
		while ((len = qhit_encode(&qh, recs + i, take, opts, out,
		    sizeof out)) > HIT_FLUSH_LEN && take > 1)
			take--;
		if (len == 0)
			break;
		n->stats.hits_sent++;
		if (offer != NULL && oob_offer_add(offer, out, len, take))
			continue;
		if (wi != NULL) {
			/* Walkers are answered straight to the requester; the
			 * hops field carries how far the walker came. */
			node_send_oob(n, wi->ip, wi->port, d->guid, DESC_QHIT,
			    wi->steps_done > 254 ? 254 : (uint8_t)wi->steps_done,
			    out, len);
		} else {
			node_send(n, to, d->guid, DESC_QHIT,
			    d->hops + 2 > DESC_HARD_TTL ? DESC_HARD_TTL :
			    d->hops + 2, 0, out, len);
		}
	}
	if (offer != NULL)
		oob_offer_done(n, offer);
}

/* A relayed query, decoded only if an ultrapeer's table must judge it. */
struct lazy_query {
	const uint8_t	*payload;
	size_t		 len;
	int		 state;		/* 0 not yet, 1 decoded, -1 does not */
	struct query	 q;
	struct lqrt_q	 words;		/* its words, once decoded */
};

/* Not zeroed whole: its word buffer is filled only when decoded. */
static void
lazy_query_init(struct lazy_query *lq, const uint8_t *payload, size_t len)
{
	lq->payload = payload;
	lq->len = len;
	lq->state = 0;
}

/* Whether the copy of a query for ultrapeer p, with this TTL, is one its
 * QRP table keeps out (qrt_leaf.c). */
static int
node_up_skip(const struct peer *p, uint8_t ttl, struct lazy_query *lq)
{
	if (ttl != 1 || !p->up_qrp || p->leaf || p->qrt == NULL)
		return 0;
	if (lq->state == 0) {
		lq->state = query_decode(lq->payload, lq->len, &lq->q) ==
		    WIRE_OK ? 1 : -1;
		if (lq->state == 1)
			lqrt_q_init(&lq->words, &lq->q);
	}
	return lq->state == 1 && lqrt_up_skip(p, ttl, &lq->words);
}

/* Flood a query on to every neighbour but the one it came from, and to
 * the leaves whose tables match it as the last hop (even at TTL 1: an
 * ultrapeer and its leaves are one unit). A leaf relays nothing. */
static void
node_flood(struct node *n, uint32_t from, const struct desc *d,
    const uint8_t *payload)
{
	struct lazy_query lq;
	uint8_t		 buf[DESC_HDR_LEN + DESC_MAX_PAYLOAD];
	size_t		 total = 0;
	uint32_t	 k, i, id;
	uint8_t		 ttl;
	int		 framed = -1;	/* the TTL buf holds */

	if (n->conf.leaf || d->len > QUERY_MAX_TEXT)
		return;
	lazy_query_init(&lq, payload, d->len);
	/* The ultrapeers only (an ultrapeer's 300 leaves are not walked
	 * for each query), each copy framed once per TTL it goes with. */
	node_ups_fresh(n);
	for (k = 0; k < n->nups && d->ttl > 1; k++) {
		i = n->ups[k];
		id = n->peers[i].id;
		ttl = peer_ttl(&n->peers[i], d->ttl - 1);
		if (id == from || node_up_skip(&n->peers[i], ttl, &lq))
			continue;
		if (framed != ttl) {
			total = node_frame(buf, d->guid, DESC_QUERY, ttl,
			    d->hops + 1, payload, d->len);
			framed = ttl;
		}
		if (total != 0)
			node_send_framed(n, id, buf, total);
	}
	lqrt_route(n, from, d->guid, d->hops + 1, payload, d->len,
	    lq.state == 1 ? &lq.words : NULL);
}

/*
 * Relay a deeper repeat (X-Ext-Probes) of a query already flooded with
 * e->ttl, only to the peers that said they take one: to any other a repeat
 * is a duplicate, held against us. Peers whose copy the new TTL does not
 * lengthen (X-Max-TTL) are skipped too.
 */
static void
node_flood_deeper(struct node *n, uint32_t from, const struct desc *d,
    const uint8_t *payload, uint8_t was)
{
	struct lazy_query lq;
	struct peer	*p;
	uint32_t	 i;

	if (d->ttl <= 1 || d->len > QUERY_MAX_TEXT || n->conf.leaf)
		return;
	lazy_query_init(&lq, payload, d->len);
	for (i = 0; i < n->npeers; i++) {
		p = &n->peers[i];
		if (p->id == from || !p->ext_probes || p->leaf)
			continue;
		if (was > 1 && peer_ttl(p, d->ttl - 1) <= peer_ttl(p, was - 1))
			continue;
		if (node_up_skip(p, peer_ttl(p, d->ttl - 1), &lq))
			continue;
		node_send(n, p->id, d->guid, DESC_QUERY,
		    peer_ttl(p, d->ttl - 1), d->hops + 1, payload, d->len);
	}
}

/*
 * Whether a repeat of a query (not a walker) is worth relaying: only when
 * its TTL is higher than that of any copy relayed so far. Two kinds:
 *   A deeper probe from the origin (a ring's next step, dq's ext-probe):
 *   hops + TTL is higher than before. Relayed each time; hops + TTL only
 *   grows and is at most DESC_HARD_TTL, so that bounds it.
 *   A copy that came by a shorter path than the first (hops + TTL no
 *   higher: the overlay's unequal latencies): relayed only if the first
 *   copy arrived with TTL 1 and so reached no one, and at most once per
 *   GUID. Relaying every such copy made a TTL-7 flood cost 1.75 times a
 *   synchronous flood in gnode-sim; relaying one per GUID whenever it was
 *   deeper than the first, 1.55 times; this rule, within 5% (tests/sim.sh).
 */
static int
node_deeper(struct seen_entry *e, const struct desc *d)
{
	unsigned	 reach = (unsigned)d->hops + d->ttl;

	if (d->ttl <= e->ttl)
		return 0;
	if (reach > e->reach) {
		e->reach = (uint8_t)reach;
		e->flags &= ~SEEN_F_DEEPER;
		return 1;
	}
	if ((e->flags & SEEN_F_DEEPER) || e->ttl > 1)
		return 0;
	e->flags |= SEEN_F_DEEPER;
	return 1;
}

/* Hold a repeated GUID against a peer only when that peer repeats itself;
 * copies arriving over different paths are the overlay's loops. */
static void
node_dup(struct node *n, struct peer *p, struct seen_entry *e, uint8_t ttl)
{
	n->stats.dups++;
	if (e->peer != p->id || (e->flags & SEEN_F_WALK))
		return;
	/* The same peer again with a higher TTL is relaying a deeper probe
	 * (or a copy that reached it by a shorter path): not its fault. */
	if (ttl > e->peer_ttl) {
		e->peer_ttl = ttl;
		return;
	}
	p->dups++;
	if (p->dups >= n->conf.dup_min &&
	    (uint64_t)p->dups * 10000 > (uint64_t)p->queries * n->conf.dup_ratio_bp)
		node_kick(n, p->id, 401, "Too Many Duplicates");
}

static void
node_on_query(struct node *n, struct peer *p, struct desc *d,
    const uint8_t *payload)
{
	struct query		 q;
	struct walk_info	 wi;
	struct seen_entry	*e;
	enum wire_status	 st;
	uint32_t		 from = p->id;
	int			 fresh, walk, from_leaf = p->leaf;

	if ((st = query_decode(payload, d->len, &q)) != WIRE_OK) {
		if (st == WIRE_TOOBIG)
			node_kick(n, from, 400, "Message Too Large");
		else
			node_bad(n, p, 411, "Invalid Payload");
		return;
	}
	p->queries++;
	walk = walk_parse(&q, &wi);
	fresh = seen_add(node_seen(n), d->guid, DESC_QUERY, from, node_now(n),
	    &e);
	if (!fresh && !walk) {
		/* A repeat with a higher TTL is a deeper probe (X-Ext-Probes):
		 * relay it further when node_deeper says so, answer only once,
		 * and send hits back the way the deeper copy came, since they
		 * are sized for it. */
		if (node_deeper(e, d)) {
			uint8_t	 was = e->ttl;

			e->ttl = d->ttl;
			if (e->peer != NODE_SELF) {
				e->peer = from;
				e->peer_ttl = d->ttl;
			}
			node_flood_deeper(n, from, d, payload, was);
			return;
		}
		node_dup(n, p, e, d->ttl);
		return;
	}
	if (fresh) {
		n->stats.queries_seen++;
		e->ttl = d->ttl;
		e->peer_ttl = d->ttl;
		e->reach = (uint8_t)(d->hops + d->ttl);
	} else
		n->stats.dups++;
	if (walk)
		e->flags |= SEEN_F_WALK;
	/* Callbacks below may close peers and move the peer array: from here
	 * on the sender is known by its id only. */
	if (!(e->flags & SEEN_F_ANSWERED)) {
		e->flags |= SEEN_F_ANSWERED;
		node_answer(n, from, d, &q, walk ? &wi : NULL);
	}
	if (walk) {
		if (!n->conf.leaf)
			walk_relay(n, from, d, payload, &q);
		/* A walker's first visit here shows it to our leaves. */
		if (fresh)
			lqrt_route(n, from, d->guid, d->hops + 1, payload,
			    d->len, NULL);
	} else if (!fresh || !from_leaf ||
	    !dq_leaf_start(n, from, d, payload, &q))
		node_flood(n, from, d, payload);
}

/* Hits for our searches end here; others go back toward their query. */
static void
node_on_qhit(struct node *n, struct peer *p, const struct desc *d,
    const uint8_t *payload)
{
	static const size_t	 maxrec = QHIT_RECORDS_PER_MSG * 4;
	struct qhit_record	 recs[QHIT_RECORDS_PER_MSG * 4];
	struct qhit		 qh;
	struct seen_entry	*e, *pe;
	struct search		*s;
	uint64_t		 now = node_now(n);

	if (qhit_decode(payload, d->len, &qh, recs, maxrec) != WIRE_OK) {
		node_bad(n, p, 411, "Invalid Payload");
		return;
	}
	/* Pushes for this servent go back the way its hit came. */
	if (memcmp(qh.guid, n->conf.guid, 16) != 0 &&
	    seen_add(node_pushes(n), qh.guid, DESC_PUSH, p->id, now, &pe) == 0)
		seen_refresh(node_pushes(n), pe, now);
	/* Our own searches first: they outlive their seen entries. */
	if ((s = search_by_guid(n, d->guid)) != NULL) {
		search_hit(n, s, &qh, recs, qh.nhits < maxrec ? qh.nhits : maxrec,
		    d->hops);
		return;
	}
	/* No route is the overlay's doing (expired, evicted), not the
	 * sender's: dropped and counted, not held against it. */
	if ((e = seen_find(node_seen(n), d->guid, DESC_QUERY, now)) == NULL ||
	    e->peer == NODE_SELF) {
		n->stats.dropped++;
		return;
	}
	if (d->ttl <= 1 || n->conf.leaf || node_peer(n, e->peer) == NULL) {
		n->stats.dropped++;
		return;
	}
	n->stats.hits_routed++;
	if (node_peer(n, e->peer)->leaf)
		dq_leaf_hit(n, e->peer, d->guid, qh.nhits < maxrec ?
		    qh.nhits : maxrec);
	node_send(n, e->peer, d->guid, DESC_QHIT, d->ttl - 1, d->hops + 1,
	    payload, d->len);
}

/* One whole descriptor from a peer; its host counts what node_recv says
 * was read for nothing against the peer's budget. */
static void
node_recv_one(struct node *n, uint32_t id, const uint8_t *buf, size_t len)
{
	struct peer	*p;
	struct desc	 d;
	struct vmsg	 vm;
	enum wire_status st;
	const uint8_t	*payload = buf + DESC_HDR_LEN;

	if ((p = node_peer(n, id)) == NULL)
		return;
	n->stats.rx++;
	if ((st = desc_decode(buf, len, &d)) != WIRE_OK ||
	    len != DESC_HDR_LEN + d.len) {
		if (st == WIRE_TOOBIG)
			node_kick(n, id, 400, "Message Too Large");
		else
			node_kick(n, id, 501, "Protocol Desynchronized");
		return;
	}
	if (!desc_func_known(d.func)) {
		node_bad(n, p, 404, "Too Many Unknown Messages");
		return;
	}
	if (d.func == DESC_BYE) {
		/* A Bye is only ever sent with TTL 1 and hops 0. */
		if (d.ttl != 1 || d.hops != 0) {
			n->stats.dropped++;
			return;
		}
		node_peer_down(n, id);
		n->env->close(n->arg, id, 0, "Bye received");
		return;
	}
	if (d.ttl == 0) {
		node_bad(n, p, 408, "Sent Message With TTL=0");
		return;
	}
	if ((unsigned)d.hops + d.ttl > DESC_HARD_TTL) {
		if (d.hops <= 2 && ++p->high_ttl > n->conf.high_ttl_max) {
			node_kick(n, id, 403, "Relayed High TTL Message");
			return;
		}
		if (d.hops >= DESC_HARD_TTL) {
			n->stats.dropped++;
			return;
		}
		d.ttl = DESC_HARD_TTL - d.hops;
	}
	if (d.ttl > n->conf.max_ttl && d.func == DESC_QUERY)
		d.ttl = n->conf.max_ttl;
	switch (d.func) {
	case DESC_PING:
		node_on_ping(n, p, &d, payload);
		break;
	case DESC_PONG:
		node_on_pong(n, p, &d, payload);
		break;
	case DESC_QUERY:
		node_on_query(n, p, &d, payload);
		break;
	case DESC_QHIT:
		node_on_qhit(n, p, &d, payload);
		break;
	case DESC_PUSH:
		node_on_push(n, p, &d, payload);
		break;
	case DESC_VENDOR:
	case DESC_VENDOR_STD:
		/* Unknown vendor messages are dropped silently, as specified. */
		if (vmsg_decode(payload, d.len, &vm) != WIRE_OK)
			node_bad(n, p, 411, "Invalid Payload");
		else if (!dq_leaf_vmsg(n, p->id, &d, &vm) &&
		    !fw_vmsg(n, p, &d, &vm))
			n->stats.dropped++;
		break;
	case DESC_QRP:
		/* Our leaves' route tables gate the last hop (qrt_leaf.c);
		 * any other peer's is dropped unused. */
		lqrt_recv(n, p, payload, d.len);
		break;
	}
}

int
node_recv(struct node *n, uint32_t id, const uint8_t *buf, size_t len)
{
	uint64_t	 dropped = n->stats.dropped, dups = n->stats.dups;

	node_recv_one(n, id, buf, len);
	return n->stats.dropped != dropped || n->stats.dups != dups;
}

/* One whole descriptor received out of band (walker checks, OOB hits). */
void
node_recv_oob(struct node *n, uint32_t ip, uint16_t port, const uint8_t *buf,
    size_t len)
{
	struct qhit_record	 recs[QHIT_RECORDS_PER_MSG * 4];
	struct qhit		 qh;
	struct desc		 d;
	struct search		*s;

	n->stats.rx++;
	if (desc_decode(buf, len, &d) != WIRE_OK ||
	    len != DESC_HDR_LEN + d.len) {
		n->stats.dropped++;
		return;
	}
	switch (d.func) {
	case DESC_QHIT:
		if (qhit_decode(buf + DESC_HDR_LEN, d.len, &qh, recs,
		    QHIT_RECORDS_PER_MSG * 4) != WIRE_OK ||
		    (s = search_by_guid(n, d.guid)) == NULL) {
			n->stats.dropped++;
			return;
		}
		/* A search that asked for OOB hits takes those it claimed;
		 * a walker's come unasked (fwd_walk.c). */
		if (s->oob) {
			if (!oob_hit_claimed(n, ip, d.guid, qh.nhits)) {
				n->stats.oob_dropped++;
				return;
			}
			n->stats.oob_hits_rx++;
		}
		search_hit(n, s, &qh, recs, qh.nhits < QHIT_RECORDS_PER_MSG * 4 ?
		    qh.nhits : QHIT_RECORDS_PER_MSG * 4, d.hops);
		break;
	case DESC_VENDOR:
		if (!oob_vmsg(n, ip, port, &d, buf + DESC_HDR_LEN))
			walk_oob(n, ip, port, &d, buf + DESC_HDR_LEN);
		break;
	default:
		n->stats.dropped++;
		break;
	}
}

/* Housekeeping: expiry, searches' next steps, held walkers, pings. */
void
node_tick(struct node *n)
{
	uint64_t	 now = node_now(n);

	if (n->seen != NULL)
		seen_expire(n->seen, now);
	if (n->pushes != NULL)
		seen_expire(n->pushes, now);
	search_tick(n, now);
	walk_tick(n, now);
	if (n->conf.ping_ms > 0 && now >= n->next_ping) {
		n->next_ping = now + n->conf.ping_ms;
		hosts_ping(n);
	}
}

/* The earliest time node_tick has work to do, or UINT64_MAX. */
uint64_t
node_wakeup(const struct node *n)
{
	const struct search	*s;
	const struct held	*h;
	uint64_t		 t = UINT64_MAX;

	for (s = n->searches; s != NULL; s = s->next) {
		if (s->active && s->fwd->step != NULL && s->next_ms < t)
			t = s->next_ms;
		if (s->expire < t)
			t = s->expire;
	}
	for (h = n->held; h != NULL; h = h->next)
		if (h->deadline < t)
			t = h->deadline;
	if (n->conf.ping_ms > 0 && n->next_ping < t)
		t = n->next_ping;
	return t;
}

const struct node_stats *
node_stats(const struct node *n)
{
	return &n->stats;
}

const uint8_t *
node_guid(const struct node *n)
{
	return n->conf.guid;
}

void
node_set_leaf(struct node *n, int leaf)
{
	n->conf.leaf = leaf;
}

/* Heap bytes: the node, its peers, tables and searches. */
size_t
node_bytes(const struct node *n)
{
	const struct search	*s;
	const struct held	*h;
	size_t			 b = sizeof *n;

	b += (size_t)n->peers_cap * sizeof *n->peers;
	for (uint32_t i = 0; i < n->npeers; i++)
		b += lqrt_bytes(n->peers[i].qrt);
	b += (size_t)n->lqx.words * ((size_t)(1u << LQRT_COARSE) * 8 +
	    64 * sizeof *n->lqx.col_id);
	if (n->seen != NULL)
		b += seen_bytes(n->seen);
	if (n->pushes != NULL)
		b += seen_bytes(n->pushes);
	b += hosts_bytes(n);
	for (s = n->searches; s != NULL; s = s->next)
		b += sizeof *s + s->plen + s->nsent * sizeof *s->sent;
	for (h = n->held; h != NULL; h = h->next)
		b += sizeof *h + h->len;
	return b;
}

/* A modern-marked GUID: random, byte 8 0xff, byte 15 flags 0x01. */
void
guid_new(struct rng *r, uint8_t *g)
{
	rng_bytes(r, g, 16);
	g[8] = 0xff;
	g[15] = 0x01;
}
