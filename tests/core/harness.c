/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * harness.c: the core tests' host: FIFO delivery between a few nodes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/harness.h"
#include "wire/qrp.h"
#include "wire/query.h"

static uint64_t
h_now(void *arg)
{
	return ((struct h_ctx *)arg)->h->now;
}

static void
h_log(struct harness *h, uint32_t from, uint32_t to, int oob,
    const uint8_t *buf, size_t len)
{
	struct h_msg	*m;

	if (h->nlog == H_LOG_MAX)
		abort();
	m = &h->log[h->nlog++];
	m->from = from;
	m->to = to;
	m->oob = oob;
	m->len = len;
	m->buf = malloc(len);
	memcpy(m->buf, buf, len);
	if (desc_decode(buf, len, &m->d) != WIRE_OK)
		abort();
}

static void
h_send(void *arg, uint32_t peer, const uint8_t *buf, size_t len)
{
	struct h_ctx	*c = arg;

	h_log(c->h, c->i, peer, 0, buf, len);
}

static void
h_send_oob(void *arg, uint32_t ip, uint16_t port, const uint8_t *buf,
    size_t len)
{
	struct h_ctx	*c = arg;

	/* Node i listens on 127.0.0.(2 + i). */
	h_log(c->h, c->i, ip - 0x7f000002u, 1, buf, len);
}

static void
h_close(void *arg, uint32_t peer, uint16_t code, const char *why)
{
	struct h_ctx	*c = arg;
	struct harness	*h = c->h;

	if (h->ncloses < sizeof h->closes / sizeof h->closes[0]) {
		h->closes[h->ncloses].node = c->i;
		h->closes[h->ncloses].peer = peer;
		h->closes[h->ncloses].code = code;
		h->ncloses++;
	}
	if (peer < h->n && h->node[peer] != NULL)
		node_peer_down(h->node[peer], c->i);
}

/* Node i shares one file named after its word. */
static size_t
h_match(void *arg, const struct query *q, struct qhit_record *out, size_t max)
{
	struct h_ctx	*c = arg;
	const char	*w = c->h->shares[c->i];

	if (w == NULL || max == 0 || q->textlen != strlen(w) ||
	    memcmp(q->text, w, q->textlen) != 0)
		return 0;
	memset(out, 0, sizeof *out);
	out->index = 7;
	out->size = 12345;
	out->name = w;
	out->namelen = strlen(w);
	return 1;
}

static void
h_result(void *arg, const struct node_result *r)
{
	struct h_ctx	*c = arg;

	if (c->h->results[c->i]++ == 0)
		c->h->first_hops[c->i] = r->hops;
	if (c->h->stop_on_result)
		node_search_stop(c->h->node[c->i], r->search);
}

void
h_init(struct harness *h, uint32_t n, const struct node_conf *conf)
{
	struct node_conf	 c;
	uint32_t		 i;

	memset(h, 0, sizeof *h);
	h->n = n;
	h->now = 1000000;
	h->env.now = h_now;
	h->env.send = h_send;
	h->env.send_oob = h_send_oob;
	h->env.close = h_close;
	h->env.match = h_match;
	h->env.result = h_result;
	for (i = 0; i < n; i++) {
		if (conf != NULL)
			c = *conf;
		else
			node_conf_default(&c);
		c.ip = 0x7f000002u + i;
		h->ctx[i].h = h;
		h->ctx[i].i = i;
		h->node[i] = node_new(&h->env, &h->ctx[i], &c, 100 + i);
	}
}

void
h_free(struct harness *h)
{
	size_t		 i;

	for (i = 0; i < h->n; i++)
		node_free(h->node[i]);
	for (i = 0; i < h->nlog; i++)
		free(h->log[i].buf);
}

void
h_link(struct harness *h, uint32_t a, uint32_t b)
{
	struct peer_info	 pi;

	memset(&pi, 0, sizeof pi);
	pi.ip = 0x7f000002u + b;
	pi.port = 6346;
	pi.degree = 4;
	pi.ext_probes = 1;	/* linked nodes are gnodes: X-Ext-Probes */
	pi.up_qrp = h->up_qrp != 0;
	node_peer_up(h->node[a], b, &pi);
	pi.ip = 0x7f000002u + a;
	node_peer_up(h->node[b], a, &pi);
}

void
h_link_tester(struct harness *h, uint32_t a)
{
	struct peer_info	 pi;

	memset(&pi, 0, sizeof pi);
	pi.ip = 0x7f0000feu;
	pi.port = 6346;
	node_peer_up(h->node[a], H_TESTER, &pi);
}

/* Deliver queued messages in order; the bound catches routing loops. */
void
h_run(struct harness *h)
{
	struct h_msg	*m;
	size_t		 steps = 0;

	while (h->next < h->nlog) {
		if (++steps > H_LOG_MAX)
			abort();
		m = &h->log[h->next++];
		if (m->to >= h->n || h->node[m->to] == NULL)
			continue;
		if (m->oob)
			node_recv_oob(h->node[m->to], 0x7f000002u + m->from, 6346,
			    m->buf, m->len);
		else
			node_recv(h->node[m->to], m->from, m->buf, m->len);
	}
}

void
h_inject(struct harness *h, uint32_t a, uint8_t func, uint8_t ttl,
    uint8_t hops, const uint8_t *guid, const uint8_t *payload, size_t len)
{
	uint8_t		 buf[DESC_HDR_LEN + DESC_MAX_PAYLOAD + 16];
	struct desc	 d;

	memcpy(d.guid, guid, 16);
	d.func = func;
	d.ttl = ttl;
	d.hops = hops;
	d.sflags = 0;
	d.len = (uint32_t)len;
	desc_encode(&d, buf, sizeof buf);
	if (len > 0)
		memcpy(buf + DESC_HDR_LEN, payload, len);
	node_recv(h->node[a], H_TESTER, buf, DESC_HDR_LEN + len);
}

size_t
h_count(const struct harness *h, uint32_t from, uint32_t to, uint32_t func)
{
	size_t	 i, k = 0;

	for (i = 0; i < h->nlog; i++)
		if ((from == UINT32_MAX || h->log[i].from == from) &&
		    (to == UINT32_MAX || h->log[i].to == to) &&
		    (func == UINT32_MAX || h->log[i].d.func == func))
			k++;
	return k;
}

int
h_closed(const struct harness *h, uint32_t node, uint32_t peer)
{
	size_t	 i;

	for (i = 0; i < h->ncloses; i++)
		if (h->closes[i].node == node && h->closes[i].peer == peer)
			return h->closes[i].code;
	return -1;
}

size_t
h_query(const char *text, uint8_t *out, size_t cap)
{
	struct query	 q;

	memset(&q, 0, sizeof q);
	q.flags = QUERY_F_MARK;
	q.text = text;
	q.textlen = strlen(text);
	return query_encode(&q, out, cap);
}

void
h_make_leaf(struct harness *h, uint32_t i)
{
	struct node_conf	 c;

	node_free(h->node[i]);
	node_conf_default(&c);
	c.ip = 0x7f000002u + i;
	c.leaf = 1;
	h->node[i] = node_new(&h->env, &h->ctx[i], &c, 100 + i);
}

void
h_link_leaf(struct harness *h, uint32_t u, uint32_t l)
{
	struct peer_info	 pi;

	memset(&pi, 0, sizeof pi);
	pi.ip = 0x7f000002u + l;
	pi.port = 6346;
	pi.leaf = 1;
	node_peer_up(h->node[u], l, &pi);
	memset(&pi, 0, sizeof pi);
	pi.ip = 0x7f000002u + u;
	pi.port = 6346;
	pi.ultra = 1;
	pi.degree = 32;
	node_peer_up(h->node[l], u, &pi);
}

int
h_recv(struct harness *h, uint32_t a, uint32_t from, uint8_t func,
    const uint8_t *payload, size_t len)
{
	uint8_t		 buf[DESC_HDR_LEN + DESC_MAX_PAYLOAD + 16];
	struct desc	 d;
	size_t		 i;

	for (i = 0; i < 16; i++)
		d.guid[i] = (uint8_t)(h->nlog * 31 + i * 7 + len);
	d.func = func;
	d.ttl = 1;
	d.hops = 0;
	d.sflags = 0;
	d.len = (uint32_t)len;
	desc_encode(&d, buf, sizeof buf);
	if (len > 0)
		memcpy(buf + DESC_HDR_LEN, payload, len);
	return node_recv(h->node[a], from, buf, DESC_HDR_LEN + len);
}

int
h_qrt(struct harness *h, uint32_t a, uint32_t from, const char *const *words,
    unsigned lg, int zlib, unsigned nmsg)
{
	static uint8_t	 nib[(1u << 16) / 2], z[(1u << 16)];
	uint8_t		 msg[4096 + QRP_PATCH_HDR_LEN];
	struct qrp	 m;
	size_t		 slots = (size_t)1 << lg, dlen, chunk, off, len;
	uint32_t	 hv;
	unsigned	 k;
	int		 rc;

	if (slots > sizeof nib * 2)
		abort();
	memset(nib, 0, slots / 2);
	for (; *words != NULL; words++) {
		hv = qrp_hash(*words, strlen(*words), lg);
		/* 1 - infinity (7) = -6, 0xa in 4 bits; high nibble first. */
		nib[hv / 2] |= (hv & 1) ? 0x0a : 0xa0;
	}
	memset(&m, 0, sizeof m);
	m.variant = QRP_RESET;
	m.table_len = (uint32_t)slots;
	m.infinity = 7;
	len = qrp_encode(&m, msg, sizeof msg);
	rc = h_recv(h, a, from, DESC_QRP, msg, len);
	if (zlib) {
		if ((dlen = qrp_deflate(nib, slots / 2, z, sizeof z)) == 0)
			abort();
	} else {
		memcpy(z, nib, slots / 2);
		dlen = slots / 2;
	}
	chunk = (dlen + nmsg - 1) / nmsg;
	if (chunk > 4096)
		abort();
	for (k = 0, off = 0; k < nmsg; k++, off += chunk) {
		memset(&m, 0, sizeof m);
		m.variant = QRP_PATCH;
		m.seq_no = (uint8_t)(k + 1);
		m.seq_size = (uint8_t)nmsg;
		m.compressor = zlib ? QRP_COMP_ZLIB : QRP_COMP_NONE;
		m.entry_bits = 4;
		m.data = z + (off < dlen ? off : dlen);
		m.datalen = off >= dlen ? 0 : dlen - off < chunk ? dlen - off :
		    chunk;
		len = qrp_encode(&m, msg, sizeof msg);
		rc += h_recv(h, a, from, DESC_QRP, msg, len);
	}
	return rc;
}
