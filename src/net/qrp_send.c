/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * qrp_send.c: a leaf's Query Routing Table, sent to each of its
 * ultrapeers once the handshake is done and again to all of them after a
 * rescan that changed it: a RESET (the table's size, infinity 7), then the
 * whole table as one patch against a fresh table, 4-bit entries, zlib,
 * cut into PATCH messages of at most QRP_SEND_MAX bytes (sequence numbers
 * from 1). A node that shares nothing sends an empty table: an ultrapeer
 * routes nothing to it, and knows it has a table.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"
#include "share/qrt.h"
#include "wire/desc.h"
#include "wire/qrp.h"

/* One QRP message (payload q) to c, TTL 1, hops 0. */
static int
qrp_send_one(void *arg, const struct qrp *q)
{
	struct conn	*c = arg;
	uint8_t		 msg[DESC_HDR_LEN + QRP_SEND_MAX];
	struct desc	 d;
	size_t		 len;

	len = qrp_encode(q, msg + DESC_HDR_LEN, sizeof msg - DESC_HDR_LEN);
	if (len == 0)
		return 0;
	memset(&d, 0, sizeof d);
	rng_bytes(&c->g->rng, d.guid, sizeof d.guid);
	d.func = DESC_QRP;
	d.ttl = 1;
	d.hops = 0;
	d.len = (uint32_t)len;
	desc_encode(&d, msg, DESC_HDR_LEN);
	conn_send(c, msg, DESC_HDR_LEN + len);
	return 0;
}

/* Send table t to c: a RESET, then the patch against a fresh table. */
void
qrp_send_qrt(struct conn *c, const struct qrt *t, const char *what)
{
	uint8_t		*data;
	size_t		 slots = (size_t)1 << t->bits, cap, len, nmsg = 0;

	/* 4-bit entries deflate to less than their 2^bits / 2 bytes; the
	 * margin is zlib's for data that would not shrink. */
	cap = slots / 2 + slots / 64 + 1024;
	data = xmalloc(cap);
	if ((len = qrt_patch(t, QRT_INFINITY, data, cap)) == 0 ||
	    (nmsg = qrp_table_msgs((uint32_t)slots, QRT_INFINITY, data, len,
	    QRP_SEND_MAX, qrp_send_one, c)) == 0) {
		log_warnx("peer %u: no %s to send", c->id, what);
		free(data);
		return;
	}
	log_info("peer %u: %s sent (%zu slots, %zu bytes in %zu patch%s)",
	    c->id, what, slots, len, nmsg, nmsg == 1 ? "" : "es");
	free(data);
}

void
qrp_send_table(struct conn *c)
{
	struct qrt	 empty;

	if (c->g->has_qrt) {
		qrp_send_qrt(c, &c->g->qrt, "QRP table");
		return;
	}
	/* A node that shares nothing says so with an empty table. */
	memset(&empty, 0, sizeof empty);
	empty.bits = QRT_BITS;
	empty.present = xcalloc((size_t)1 << QRT_BITS, 1);
	qrp_send_qrt(c, &empty, "QRP table");
	free(empty.present);
}

/* FNV-1a over the table's slots: whether a rescan changed it. */
static uint64_t
qrp_send_sum(const struct gnet *g)
{
	uint64_t	 h = 1469598103934665603ull;
	size_t		 i, slots;

	if (!g->has_qrt)
		return 0;
	slots = (size_t)1 << g->qrt.bits;
	for (i = 0; i < slots; i++)
		if (g->qrt.present[i])
			h = (h ^ (uint64_t)i) * 1099511628211ull;
	return h;
}

void
qrp_share_changed(struct gnet *g)
{
	struct conn	*c;
	uint64_t	 sum = qrp_send_sum(g);

	/* An ultrapeer looks at its merged table at the next tick. */
	g->up_qrt_at = 0;
	if (!g->leaf || (g->qrt_sent && sum == g->qrt_sum))
		return;
	g->qrt_sum = sum;
	g->qrt_sent = 1;
	for (c = g->conns; c != NULL; c = c->next)
		if (c->state == CONN_UP && c->ultra)
			qrp_send_table(c);
}

size_t
conn_count_role(struct gnet *g, int leaf, const struct conn *not)
{
	struct conn	*c;
	size_t		 n = 0;

	for (c = g->conns; c != NULL; c = c->next)
		if (c != not && (c->state == CONN_UP ||
		    c->state == CONN_HS_REPLIED) && !c->http && !c->dl &&
		    (int)c->leaf == leaf)
			n++;
	return n;
}
