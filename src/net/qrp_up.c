/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * qrp_up.c: an ultrapeer's Query Routing Table for other ultrapeers
 * (protocol.md 1.7, "ultrapeer QRP"): our share's words and our leaves'
 * tables, merged, sent to each ultrapeer that said
 * X-Ultrapeer-Query-Routing, so that it sends us a query at TTL 1 (the
 * last hop, where most ultrapeers are reached) only when we or one of our
 * leaves could answer it. Sent once the link is up and again when it
 * changed, looked at every `[net] up_qrp_interval` seconds and after
 * each scan (nothing before the first: no table routes all), with the
 * leaf table's format (qrp_send.c): 2^17 slots (gtk-gnutella's most for
 * an inter-ultrapeer table), a RESET, then 4-bit zlib PATCHes.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "conf/conf.h"
#include "net/net_impl.h"
#include "share/qrt.h"

/* The merged table, a byte a slot, into t (t->present allocated). */
static void
qrp_up_build(struct gnet *g, struct qrt *t)
{
	size_t		 slots = (size_t)1 << QRT_BITS, i;
	uint8_t		*bits;

	memset(t, 0, sizeof *t);
	t->bits = QRT_BITS;
	t->present = xcalloc(slots, 1);
	if (g->has_qrt && g->qrt.bits == QRT_BITS)
		memcpy(t->present, g->qrt.present, slots);
	bits = xcalloc(slots / 8, 1);
	node_leaves_qrt(g->node, bits, QRT_BITS);
	for (i = 0; i < slots; i++)
		if (bits[i / 8] & (1u << (i % 8)))
			t->present[i] = 1;
	free(bits);
	for (i = 0; i < slots; i++)
		t->filled += t->present[i];
}

/* FNV-1a over the set slots: whether the table changed. */
static uint64_t
qrp_up_sum(const struct qrt *t)
{
	uint64_t	 h = 1469598103934665603ull;
	size_t		 i, slots = (size_t)1 << t->bits;

	for (i = 0; i < slots; i++)
		if (t->present[i])
			h = (h ^ (uint64_t)i) * 1099511628211ull;
	return h;
}

static int
qrp_up_wants(const struct conn *c)
{
	return c->state == CONN_UP && c->in_core && c->ultra && !c->leaf &&
	    c->up_qrp && !c->http && !c->dl;
}

void
qrp_up_send(struct conn *c)
{
	struct qrt	 t;

	/* Before the first scan we know no words: say nothing, so the
	 * peer routes everything to us, rather than an empty table. */
	if (c->g->leaf || !c->g->has_qrt || !qrp_up_wants(c))
		return;
	qrp_up_build(c->g, &t);
	qrp_send_qrt(c, &t, "merged QRP table");
	free(t.present);
}

void
qrp_up_tick(struct gnet *g)
{
	struct conn	*c;
	struct qrt	 t;
	uint64_t	 now = gnet_now(g), sum;

	if (g->leaf || !g->has_qrt || now - g->up_qrt_at <
	    (uint64_t)g->conf->up_qrp_interval * 1000)
		return;
	g->up_qrt_at = now;
	qrp_up_build(g, &t);
	sum = qrp_up_sum(&t);
	if (sum != g->up_qrt_sum) {
		g->up_qrt_sum = sum;
		for (c = g->conns; c != NULL; c = c->next)
			if (qrp_up_wants(c))
				qrp_send_qrt(c, &t, "merged QRP table");
	}
	free(t.present);
}
