/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * sim.c: the event loop and the node environment it provides. Peer ids are
 * vertex numbers; node i has address 127.0.0.2 + i. A link's latency is a
 * fixed function of its two ends and the seed, so a message between two
 * nodes always takes the same time; out-of-band datagrams use the same rule.
 * Nodes are ticked only when node_wakeup() says they have work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/heap.h"
#include "lib/rng.h"
#include "lib/xmalloc.h"
#include "sim/sim.h"
#include "wire/desc.h"
#include "wire/qhit.h"
#include "wire/qrp.h"

enum sim_kind {
	EV_MSG,		/* descriptor over a link: src -> dst */
	EV_OOB,		/* datagram from src's address to dst */
	EV_TICK,
	EV_QUERY,	/* aux: query index */
	EV_LEAVE,
	EV_JOIN,
};

struct sim_ev {
	struct heap_item h;
	uint8_t		 kind;
	uint32_t	 dst;
	uint32_t	 src;
	uint32_t	 aux;
	uint32_t	 len;
	uint8_t		*msg;
};

/* A search of a node's, to find its query again when results arrive. */
struct sim_search {
	struct sim_search *next;
	uint32_t	 sid;
	uint32_t	 qidx;
};

struct sim_node {
	struct sim	*sim;
	struct node	*node;		/* NULL while down */
	uint32_t	 id;
	uint32_t	 rx;
	uint32_t	 lives;		/* times it has joined: seeds each life */
	uint64_t	 tick_at;
	struct sim_search *searches;
};

struct sim {
	const struct topo *topo;
	const struct repl *repl;
	struct sim_conf	 conf;
	struct node_env	 env;
	struct sim_node	*nodes;
	uint64_t	*obj_off;	/* node -> objects it holds (CSR) */
	uint32_t	*obj;
	struct heap	 events;
	uint64_t	 now;
	struct sim_query *queries;
	struct search_opts *qopts;
	uint32_t	 nqueries;
	uint32_t	 qcap;
	struct sim_totals gone;		/* counters of nodes that left */
	uint64_t	 msgs;
	uint64_t	 oob;
	uint64_t	 events_run;
	uint32_t	 leaves;
	uint32_t	 joins;
	uint64_t	 qrp_msgs;
	char		 name[24];	/* the record name match() hands out */
};

static uint64_t
sim_env_now(void *arg)
{
	return ((struct sim_node *)arg)->sim->now;
}

/* Latency of the pair (a, b): the same both ways, fixed by the seed. */
static uint32_t
sim_latency(const struct sim *s, uint32_t a, uint32_t b)
{
	uint64_t	 x = (uint64_t)(a < b ? a : b) << 32 | (a < b ? b : a);
	uint32_t	 span = s->conf.lat_max_ms - s->conf.lat_min_ms + 1;

	x = rng_mix(x ^ s->conf.seed * 0x9e3779b97f4a7c15ull);
	return s->conf.lat_min_ms + (uint32_t)(x % span);
}

static void
sim_push(struct sim *s, uint64_t at, uint8_t kind, uint32_t dst, uint32_t src,
    uint32_t aux, const uint8_t *msg, size_t len)
{
	struct sim_ev	 ev;

	memset(&ev, 0, sizeof ev);
	ev.h.key = at;
	ev.kind = kind;
	ev.dst = dst;
	ev.src = src;
	ev.aux = aux;
	ev.len = (uint32_t)len;
	if (len > 0) {
		ev.msg = xmalloc(len);
		memcpy(ev.msg, msg, len);
	}
	heap_push(&s->events, &ev);
}

static void
sim_env_send(void *arg, uint32_t peer, const uint8_t *buf, size_t len)
{
	struct sim_node	*sn = arg;
	struct sim	*s = sn->sim;

	s->msgs++;
	sim_push(s, s->now + sim_latency(s, sn->id, peer), EV_MSG, peer, sn->id,
	    0, buf, len);
}

static void
sim_env_send_oob(void *arg, uint32_t ip, uint16_t port, const uint8_t *buf,
    size_t len)
{
	struct sim_node	*sn = arg;
	struct sim	*s = sn->sim;
	uint32_t	 dst = ip - SIM_IP_BASE;

	s->msgs++;
	s->oob++;
	/* Only addresses of simulated nodes exist; others are lost. */
	if (ip < SIM_IP_BASE || dst >= s->topo->n || port != SIM_PORT)
		return;
	sim_push(s, s->now + sim_latency(s, sn->id, dst), EV_OOB, dst, sn->id,
	    0, buf, len);
}

/* Links are closed by whoever closes them; the other end hears of it. */
static void
sim_env_close(void *arg, uint32_t peer, uint16_t code, const char *why)
{
	struct sim_node	*sn = arg;
	struct sim_node	*other = &sn->sim->nodes[peer];

	if (other->node != NULL)
		node_peer_down(other->node, sn->id);
}

/* A node holds object j when the replica placement put it there; a query
 * names the object as the keyword "objJ". */
static size_t
sim_env_match(void *arg, const struct query *q, struct qhit_record *out,
    size_t max)
{
	struct sim_node		*sn = arg;
	struct sim		*s = sn->sim;
	char			 text[32];
	unsigned long		 want;
	uint64_t		 i;
	char			*end;

	if (max == 0 || q->textlen < 4 || q->textlen >= sizeof text)
		return 0;
	memcpy(text, q->text, q->textlen);
	text[q->textlen] = '\0';
	if (strncmp(text, "obj", 3) != 0)
		return 0;
	want = strtoul(text + 3, &end, 10);
	if (*end != '\0')
		return 0;
	for (i = s->obj_off[sn->id]; i < s->obj_off[sn->id + 1]; i++) {
		if (s->obj[i] != want)
			continue;
		memset(out, 0, sizeof *out);
		snprintf(s->name, sizeof s->name, "obj%lu.dat", want);
		out->index = (uint32_t)want + 1;
		out->size = 1000000 + want;
		out->name = s->name;
		out->namelen = strlen(s->name);
		return 1;
	}
	return 0;
}

static void
sim_env_result(void *arg, const struct node_result *r)
{
	struct sim_node		*sn = arg;
	struct sim		*s = sn->sim;
	struct sim_search	*ss;
	struct sim_query	*q;

	for (ss = sn->searches; ss != NULL; ss = ss->next)
		if (ss->sid == r->search)
			break;
	if (ss == NULL)
		return;
	q = &s->queries[ss->qidx];
	if (q->results++ == 0) {
		q->first_ms = s->now - q->issued;
		q->first_hops = r->hops;
	}
}

static int
sim_is_leaf(const struct sim *s, uint32_t i)
{
	return s->topo->leaf != NULL && s->topo->leaf[i];
}

static void
sim_qrt_set(uint8_t *nib, const char *w, size_t len)
{
	uint32_t	 h = qrp_hash(w, len, SIM_QRT_BITS);

	/* 1 - infinity (7) = -6: 0xa, the first entry in the high nibble. */
	nib[h / 2] |= (h & 1) ? 0x0a : 0xa0;
}

/* Hand ultrapeer up the QRP table of leaf l (both up), as l would send it
 * after the handshake: a RESET, then one zlib PATCH. */
static void
sim_send_qrt(struct sim *s, uint32_t l, uint32_t up)
{
	static uint8_t	 nib[(1u << SIM_QRT_BITS) / 2];
	uint8_t		 z[DESC_MAX_PAYLOAD], msg[DESC_HDR_LEN + DESC_MAX_PAYLOAD];
	uint8_t		 guid[16];
	struct desc	 d;
	struct qrp	 q;
	char		 w[24];
	size_t		 zlen, len, wl, cut;
	uint64_t	 i;

	memset(nib, 0, sizeof nib);
	for (i = s->obj_off[l]; i < s->obj_off[l + 1]; i++) {
		wl = (size_t)snprintf(w, sizeof w, "obj%06u", s->obj[i]);
		/* The word and up to 5 truncations down to 3 characters;
		 * names of one length keep truncations off other queries. */
		for (cut = 0; cut <= 5 && wl - cut >= 3; cut++)
			sim_qrt_set(nib, w, wl - cut);
	}
	if ((zlen = qrp_deflate(nib, sizeof nib, z, sizeof z - 8)) == 0)
		return;
	memset(&q, 0, sizeof q);
	memset(&d, 0, sizeof d);
	d.func = DESC_QRP;
	d.ttl = 1;
	for (int k = 0; k < 2; k++) {
		if (k == 0) {
			q.variant = QRP_RESET;
			q.table_len = 1u << SIM_QRT_BITS;
			q.infinity = 7;
		} else {
			q.variant = QRP_PATCH;
			q.seq_no = 1;
			q.seq_size = 1;
			q.compressor = QRP_COMP_ZLIB;
			q.entry_bits = 4;
			q.data = z;
			q.datalen = zlen;
		}
		len = qrp_encode(&q, msg + DESC_HDR_LEN,
		    sizeof msg - DESC_HDR_LEN);
		memset(guid, 0, sizeof guid);
		guid[0] = (uint8_t)k;
		memcpy(d.guid, guid, 16);
		d.len = (uint32_t)len;
		desc_encode(&d, msg, DESC_HDR_LEN);
		s->qrp_msgs++;
		if (s->nodes[up].node != NULL)
			node_recv(s->nodes[up].node, l, msg, DESC_HDR_LEN + len);
	}
}

static void
sim_node_up(struct sim *s, uint32_t i)
{
	struct sim_node		*sn = &s->nodes[i];
	struct node_conf	 c = s->conf.node;
	struct peer_info	 pi;
	uint64_t		 e;
	uint32_t		 j;

	c.ip = SIM_IP_BASE + i;
	c.port = SIM_PORT;
	c.leaf = sim_is_leaf(s, i);
	memset(c.guid, 0, sizeof c.guid);
	sn->node = node_new(&s->env, sn, &c,
	    rng_mix(rng_mix(s->conf.seed ^ i) ^ sn->lives++));
	sn->tick_at = UINT64_MAX;
	for (e = s->topo->off[i]; e < s->topo->off[i + 1]; e++) {
		j = s->topo->adj[e];
		if (s->nodes[j].node == NULL)
			continue;
		memset(&pi, 0, sizeof pi);
		pi.ip = SIM_IP_BASE + j;
		pi.port = SIM_PORT;
		pi.degree = (uint16_t)topo_degree(s->topo, j);
		pi.ultra = !sim_is_leaf(s, j);
		pi.leaf = sim_is_leaf(s, j) && !sim_is_leaf(s, i);
		/* Every simulated node is a gnode, which says X-Ext-Probes. */
		pi.ext_probes = 1;
		node_peer_up(sn->node, j, &pi);
		pi.ip = SIM_IP_BASE + i;
		pi.degree = (uint16_t)topo_degree(s->topo, i);
		pi.ultra = !sim_is_leaf(s, i);
		pi.leaf = sim_is_leaf(s, i) && !sim_is_leaf(s, j);
		node_peer_up(s->nodes[j].node, i, &pi);
		if (sim_is_leaf(s, i) && !sim_is_leaf(s, j))
			sim_send_qrt(s, i, j);
		else if (sim_is_leaf(s, j) && !sim_is_leaf(s, i))
			sim_send_qrt(s, j, i);
	}
}

static void
sim_gone_add(struct sim *s, const struct node *n)
{
	const struct node_stats	*st = node_stats(n);

	s->gone.dups += st->dups;
	s->gone.queries_seen += st->queries_seen;
}

static void
sim_node_down(struct sim *s, uint32_t i)
{
	struct sim_node		*sn = &s->nodes[i];
	struct sim_search	*ss;
	uint64_t		 e;
	uint32_t		 j;

	if (sn->node == NULL)
		return;
	for (e = s->topo->off[i]; e < s->topo->off[i + 1]; e++) {
		j = s->topo->adj[e];
		if (s->nodes[j].node != NULL)
			node_peer_down(s->nodes[j].node, i);
	}
	sim_gone_add(s, sn->node);
	node_free(sn->node);
	sn->node = NULL;
	while ((ss = sn->searches) != NULL) {
		sn->searches = ss->next;
		free(ss);
	}
}

/* Invert the replica placement into node -> objects. */
static void
sim_index_objects(struct sim *s)
{
	const struct repl	*r = s->repl;
	uint32_t		 n = s->topo->n, o, v;
	uint64_t		*fill, i, total = 0;

	s->obj_off = xcalloc((size_t)n + 1, sizeof *s->obj_off);
	if (r != NULL) {
		for (i = 0; i < r->off[r->objects]; i++)
			s->obj_off[r->node[i] + 1]++;
		total = r->off[r->objects];
	}
	for (v = 0; v < n; v++)
		s->obj_off[v + 1] += s->obj_off[v];
	s->obj = xcalloc(total > 0 ? total : 1, sizeof *s->obj);
	fill = xcalloc((size_t)n + 1, sizeof *fill);
	memcpy(fill, s->obj_off, ((size_t)n + 1) * sizeof *fill);
	for (o = 0; r != NULL && o < r->objects; o++)
		for (i = r->off[o]; i < r->off[o + 1]; i++)
			s->obj[fill[r->node[i]]++] = o;
	free(fill);
}

/* Nodes for every vertex, linked along every edge. */
struct sim *
sim_new(const struct topo *t, const struct repl *r, const struct sim_conf *c)
{
	struct sim	*s = xcalloc(1, sizeof *s);
	uint32_t	 i;

	s->topo = t;
	s->repl = r;
	s->conf = *c;
	if (s->conf.lat_max_ms < s->conf.lat_min_ms)
		s->conf.lat_max_ms = s->conf.lat_min_ms;
	s->env.now = sim_env_now;
	s->env.send = sim_env_send;
	s->env.send_oob = sim_env_send_oob;
	s->env.close = sim_env_close;
	s->env.match = sim_env_match;
	s->env.result = sim_env_result;
	heap_init(&s->events, sizeof(struct sim_ev));
	s->nodes = xcalloc(t->n, sizeof *s->nodes);
	for (i = 0; i < t->n; i++) {
		s->nodes[i].sim = s;
		s->nodes[i].id = i;
	}
	sim_index_objects(s);
	for (i = 0; i < t->n; i++)
		sim_node_up(s, i);
	return s;
}

void
sim_free(struct sim *s)
{
	struct sim_ev	 ev;
	uint32_t	 i;

	if (s == NULL)
		return;
	while (heap_pop(&s->events, &ev))
		free(ev.msg);
	heap_free(&s->events);
	for (i = 0; i < s->topo->n; i++)
		sim_node_down(s, i);
	free(s->nodes);
	free(s->obj_off);
	free(s->obj);
	free(s->queries);
	free(s->qopts);
	free(s);
}

/* Ask for obj from node at virtual time at. */
uint32_t
sim_add_query(struct sim *s, uint64_t at, uint32_t node, uint32_t obj,
    const struct search_opts *o)
{
	struct sim_query	*q;

	if (s->nqueries == s->qcap) {
		s->qcap = s->qcap == 0 ? 64 : s->qcap * 2;
		s->queries = xreallocarray(s->queries, s->qcap, sizeof *s->queries);
		s->qopts = xreallocarray(s->qopts, s->qcap, sizeof *s->qopts);
	}
	q = &s->queries[s->nqueries];
	memset(q, 0, sizeof *q);
	q->node = node;
	q->obj = obj;
	q->issued = at;
	s->qopts[s->nqueries] = *o;
	sim_push(s, at, EV_QUERY, node, 0, s->nqueries, NULL, 0);
	return s->nqueries++;
}

void
sim_add_churn(struct sim *s, uint32_t node, uint64_t leave, uint64_t join)
{
	sim_push(s, leave, EV_LEAVE, node, 0, 0, NULL, 0);
	sim_push(s, join, EV_JOIN, node, 0, 0, NULL, 0);
}

/* Schedule a tick if the node now has work sooner than planned. */
static void
sim_wake(struct sim *s, struct sim_node *sn)
{
	uint64_t	 w;

	if (sn->node == NULL)
		return;
	w = node_wakeup(sn->node);
	if (w >= sn->tick_at || w == UINT64_MAX)
		return;
	if (w < s->now)
		w = s->now;
	sn->tick_at = w;
	sim_push(s, w, EV_TICK, sn->id, 0, 0, NULL, 0);
}

static void
sim_start_query(struct sim *s, uint32_t qidx)
{
	struct sim_query	*q = &s->queries[qidx];
	struct sim_node		*sn = &s->nodes[q->node];
	struct sim_search	*ss;
	const char		*cause;
	char			 text[24];
	uint32_t		 sid;

	if (sn->node == NULL)
		return;
	/* A leaf's query is carried by its first ultrapeer, which searches
	 * on its behalf (dynamic querying for leaves, as real ultrapeers). */
	if (sim_is_leaf(s, q->node) && s->topo->off[q->node] <
	    s->topo->off[q->node + 1]) {
		sn = &s->nodes[s->topo->adj[s->topo->off[q->node]]];
		if (sn->node == NULL)
			return;
	}
	snprintf(text, sizeof text, "obj%06u", q->obj);
	q->issued = s->now;
	if ((sid = node_search(sn->node, text, &s->qopts[qidx], &cause)) == 0)
		return;
	q->started = 1;
	ss = xmalloc(sizeof *ss);
	ss->sid = sid;
	ss->qidx = qidx;
	ss->next = sn->searches;
	sn->searches = ss;
}

/* Run until no event is left. */
void
sim_run(struct sim *s)
{
	struct sim_ev	 ev;
	struct sim_node	*sn;

	while (heap_pop(&s->events, &ev)) {
		s->now = ev.h.key;
		s->events_run++;
		sn = &s->nodes[ev.dst];
		switch (ev.kind) {
		case EV_MSG:
			sn->rx++;
			if (sn->node != NULL)
				node_recv(sn->node, ev.src, ev.msg, ev.len);
			break;
		case EV_OOB:
			sn->rx++;
			if (sn->node != NULL)
				node_recv_oob(sn->node, SIM_IP_BASE + ev.src,
				    SIM_PORT, ev.msg, ev.len);
			break;
		case EV_TICK:
			if (sn->node == NULL || ev.h.key != sn->tick_at)
				break;
			sn->tick_at = UINT64_MAX;
			node_tick(sn->node);
			break;
		case EV_QUERY:
			sim_start_query(s, ev.aux);
			break;
		case EV_LEAVE:
			if (sn->node != NULL) {
				sim_node_down(s, ev.dst);
				s->leaves++;
			}
			break;
		case EV_JOIN:
			if (sn->node == NULL) {
				s->joins++;
				sim_node_up(s, ev.dst);
			}
			break;
		}
		free(ev.msg);
		sim_wake(s, sn);
	}
}

uint64_t
sim_now(const struct sim *s)
{
	return s->now;
}

const struct sim_query *
sim_queries(const struct sim *s, uint32_t *count)
{
	*count = s->nqueries;
	return s->queries;
}

void
sim_totals(const struct sim *s, struct sim_totals *t)
{
	const struct node_stats	*st;
	uint32_t		 i;

	memset(t, 0, sizeof *t);
	t->msgs = s->msgs;
	t->oob = s->oob;
	t->dups = s->gone.dups;
	t->queries_seen = s->gone.queries_seen;
	t->events = s->events_run;
	t->leaves = s->leaves;
	t->joins = s->joins;
	t->qrp_msgs = s->qrp_msgs;
	for (i = 0; i < s->topo->n; i++) {
		if (sim_is_leaf(s, i)) {
			t->leaf_nodes++;
			t->leaf_rx += s->nodes[i].rx;
		}
		if (s->nodes[i].rx > t->peak_node_rx)
			t->peak_node_rx = s->nodes[i].rx;
		if (s->nodes[i].node == NULL)
			continue;
		st = node_stats(s->nodes[i].node);
		t->dups += st->dups;
		t->queries_seen += st->queries_seen;
	}
}

/* Heap bytes of the nodes, per-node simulator state and the graph. */
uint64_t
sim_bytes(const struct sim *s)
{
	uint64_t	 b = sizeof *s;
	uint32_t	 i, n = s->topo->n;

	b += (uint64_t)n * sizeof *s->nodes;
	b += ((uint64_t)n + 1) * sizeof *s->topo->off +
	    2 * s->topo->m * sizeof *s->topo->adj;
	b += ((uint64_t)n + 1) * sizeof *s->obj_off;
	for (i = 0; i < n; i++)
		if (s->nodes[i].node != NULL)
			b += node_bytes(s->nodes[i].node);
	return b;
}

struct node *
sim_node(const struct sim *s, uint32_t i)
{
	return i < s->topo->n ? s->nodes[i].node : NULL;
}
