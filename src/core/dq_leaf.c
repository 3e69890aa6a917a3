/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * dq_leaf.c: dynamic querying on behalf of our leaves, and leaf guidance
 * (protocol.md 1.9). A query a leaf sends us is not flooded: it becomes a
 * search of ours in all but its owner (same MUID, hits routed back to the
 * leaf), run by fwd_dq.c's probe-then-widen, with a target of DQL_TARGET
 * results (the leaf's other ultrapeers search too: gtk-gnutella's 150 / 3)
 * and a twenty-fifth of that for a query by hash. A query that says it is
 * leaf-guided (QUERY_F_LEAF_GUIDED) gets a query status request
 * (BEAR/11v1) after every DQL_QSTAT_EVERY connections queried; the leaf's
 * answer (BEAR/12v1) is how many results it kept, which then stands for
 * the count of hits routed, and 0xFFFF stops the query. A leaf that goes
 * stops its queries. Past DQL_PER_LEAF running queries for one leaf, or
 * DQL_MAX in all, a leaf's query is flooded as before (node.c).
 *
 * As a leaf, a status request for one of our searches is answered with
 * the results it has, or 0xFFFF when we no longer have it.
 */
#include <stdlib.h>
#include <string.h>

#include "core/node_impl.h"
#include "lib/xmalloc.h"
#include "wire/vmsg.h"

#define DQL_TARGET	50	/* gtkg: SEARCH_MAX_RESULTS / 3 leaves' ultrapeers */
#define DQL_SHA1_DIV	25	/* a query by hash wants one file's sources */
#define DQL_QSTAT_EVERY	3	/* connections queried between requests */
#define DQL_PER_LEAF	16
#define DQL_MAX		512

static void
dql_counts(const struct node *n, uint32_t leaf, uint32_t *mine,
    uint32_t *all)
{
	const struct search	*s;

	*mine = *all = 0;
	for (s = n->searches; s != NULL; s = s->next) {
		if (!s->for_leaf || !s->active)
			continue;
		(*all)++;
		if (s->leaf == leaf)
			(*mine)++;
	}
}

int
dq_leaf_start(struct node *n, uint32_t from, const struct desc *d,
    const uint8_t *payload, const struct query *q)
{
	struct search	*s;
	uint32_t	 mine, all;

	if (n->conf.leaf || d->len > QUERY_MAX_TEXT)
		return 0;
	dql_counts(n, from, &mine, &all);
	if (mine >= DQL_PER_LEAF || all >= DQL_MAX) {
		n->stats.dq_leaf_flooded++;
		return 0;
	}
	s = xcalloc(1, sizeof *s);
	s->id = n->next_search++;
	memcpy(s->guid, d->guid, 16);
	s->fwd = &fwd_dq;
	s->o.strategy = "dq";
	s->o.ttl = n->conf.max_ttl;
	s->o.target = q->nsha1 > 0 ? DQL_TARGET / DQL_SHA1_DIV : DQL_TARGET;
	s->for_leaf = 1;
	s->leaf = from;
	s->hops = d->hops + 1;
	s->guided = (q->flags & QUERY_F_MARK) &&
	    (q->flags & QUERY_F_LEAF_GUIDED);
	s->payload = xmalloc(d->len);
	memcpy(s->payload, payload, d->len);
	s->plen = d->len;
	s->started = node_now(n);
	s->expire = s->started + n->conf.search_life_ms;
	s->active = 1;
	s->next = n->searches;
	n->searches = s;
	n->stats.dq_leaf++;
	fwd_dq.start(n, s);
	/* The query's last hop to our other leaves, as a flood would. */
	lqrt_route(n, from, d->guid, d->hops + 1, payload, d->len, NULL);
	return 1;
}

static struct search *
dql_find(struct node *n, const uint8_t *guid, uint32_t leaf)
{
	struct search	*s;

	for (s = n->searches; s != NULL; s = s->next)
		if (s->for_leaf && s->leaf == leaf &&
		    memcmp(s->guid, guid, 16) == 0)
			return s;
	return NULL;
}

void
dq_leaf_hit(struct node *n, uint32_t leaf, const uint8_t *guid, size_t nrec)
{
	struct search	*s;

	if ((s = dql_find(n, guid, leaf)) == NULL || s->kept_known)
		return;
	s->results += (uint32_t)nrec;
	if (s->results >= s->o.target)
		s->active = 0;
}

/* A query status message (BEAR/11 or 12, empty or a 2-byte count). */
static void
dql_send_qstat(struct node *n, uint32_t peer, const uint8_t *guid,
    uint16_t sel, const uint16_t *kept)
{
	uint8_t		 out[VMSG_HDR_LEN + VMSG_QSTAT_LEN], body[2];
	struct vmsg	 vm;
	size_t		 len;

	memset(&vm, 0, sizeof vm);
	memcpy(vm.vendor, VMSG_VENDOR_BEAR, 4);
	vm.selector = sel;
	vm.version = 1;
	if (kept != NULL) {
		poke_le16(body, *kept);
		vm.body = body;
		vm.bodylen = sizeof body;
	}
	if ((len = vmsg_encode(&vm, out, sizeof out)) > 0)
		node_send(n, peer, guid, DESC_VENDOR, 1, 0, out, len);
}

void
dq_leaf_stepped(struct node *n, struct search *s)
{
	if (!s->for_leaf || !s->guided ||
	    s->nsent < s->qstat_at + DQL_QSTAT_EVERY)
		return;
	s->qstat_at = s->nsent;
	n->stats.qstat_sent++;
	dql_send_qstat(n, s->leaf, s->guid, VMSG_SEL_QSTAT_REQ, NULL);
}

int
dq_leaf_vmsg(struct node *n, uint32_t from, const struct desc *d,
    const struct vmsg *vm)
{
	const struct peer	*p = node_peer(n, from);
	struct search		*s;
	uint16_t		 kept;

	if (p == NULL || memcmp(vm->vendor, VMSG_VENDOR_BEAR, 4) != 0)
		return 0;
	if (vm->selector == VMSG_SEL_QSTAT_ANS && p->leaf) {
		if (vmsg_qstat_decode(vm->body, vm->bodylen, &kept) != WIRE_OK ||
		    (s = dql_find(n, d->guid, from)) == NULL)
			return 0;
		n->stats.qstat_rx++;
		if (kept == VMSG_QSTAT_STOP) {
			s->active = 0;
			return 1;
		}
		s->kept_known = 1;
		s->results = kept;
		if (s->results >= s->o.target)
			s->active = 0;
		return 1;
	}
	if (vm->selector == VMSG_SEL_QSTAT_REQ && n->conf.leaf && !p->leaf) {
		s = search_by_guid(n, d->guid);
		kept = s == NULL ? VMSG_QSTAT_STOP : s->results >=
		    VMSG_QSTAT_STOP ? VMSG_QSTAT_STOP - 1 : (uint16_t)s->results;
		n->stats.qstat_rx++;
		dql_send_qstat(n, from, d->guid, VMSG_SEL_QSTAT_ANS, &kept);
		return 1;
	}
	return 0;
}

void
dq_leaf_gone(struct node *n, uint32_t leaf)
{
	struct search	**sp, *s;

	for (sp = &n->searches; (s = *sp) != NULL;) {
		if (s->for_leaf && s->leaf == leaf) {
			*sp = s->next;
			search_free(s);
			continue;
		}
		sp = &s->next;
	}
}
