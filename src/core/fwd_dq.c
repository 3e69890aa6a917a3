/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fwd_dq.c: dynamic querying (Fisk 2003; protocol.md 1.9). Probe a few
 * neighbours with a low TTL; then, one connection at a time, estimate how
 * many hosts are still needed from the results per host seen so far, and
 * send with the smallest TTL whose horizon over that connection covers its
 * share; wait step_ms per hop; stop at the target. When every connection has
 * been queried, deepen the shallowest one by re-sending the same MUID with a
 * higher TTL (X-Ext-Probes: nodes relay a repeat with a higher TTL and
 * answer only once), until every connection is at the maximum TTL.
 *
 * Widening is gradual: a step's TTL is at most one above the deepest sent
 * so far, and while nothing has been found (no results per host to
 * estimate from) it is the smallest TTL whose horizon over the connection
 * matches the hosts reached so far, so each step about doubles the reach.
 * Jumping to the maximum TTL when the probes found nothing made dq cost
 * 75-85% of a TTL-7 flood on the 2002 crawls even where a few more hosts
 * would have answered.
 */
#include <stdlib.h>

#include "core/node_impl.h"
#include "lib/xmalloc.h"

#define DQ_PROBES	3	/* neighbours probed first */
#define DQ_PROBE_TTL	2
#define DQ_DEGREE	32	/* assumed when a peer sent no X-Degree */
#define DQ_MAX_HORIZON	300000	/* hosts: the spec's theoretical limit */

/* Hosts within ttl hops over one connection of a node of this degree:
 * sum over i < ttl of (degree - 1)^i. */
static double
dq_hosts(unsigned degree, unsigned ttl)
{
	double		 sum = 0, term = 1;
	unsigned	 i;

	if (degree < 2)
		degree = 2;
	for (i = 0; i < ttl; i++) {
		sum += term;
		term *= degree - 1;
	}
	return sum;
}

static struct dq_sent *
dq_find(const struct search *s, uint32_t id)
{
	uint32_t	 i;

	for (i = 0; i < s->nsent; i++)
		if (s->sent[i].peer == id)
			return &s->sent[i];
	return NULL;
}

static unsigned
dq_degree(const struct peer *p)
{
	return p->degree != 0 ? p->degree : DQ_DEGREE;
}

/* Query p with ttl, or deepen it to ttl if it was queried lower. */
static void
dq_send(struct node *n, struct search *s, const struct peer *p, uint8_t ttl)
{
	struct dq_sent	*ds = dq_find(s, p->id);

	if (ds == NULL) {
		s->sent = xreallocarray(s->sent, s->nsent + 1, sizeof *s->sent);
		ds = &s->sent[s->nsent++];
		ds->peer = p->id;
		ds->ttl = 0;
	}
	s->horizon += dq_hosts(dq_degree(p), ttl) - (ds->ttl > 0 ?
	    dq_hosts(dq_degree(p), ds->ttl) : 0);
	ds->ttl = ttl;
	if (ttl > s->ttl_now)
		s->ttl_now = ttl;	/* the deepest TTL sent */
	search_send_query(n, s, p->id, ttl);
}

/* A random peer not yet queried, or NULL; *left gets how many remain. */
static const struct peer *
dq_pick(struct node *n, const struct search *s, uint32_t *left)
{
	uint32_t	 i, k = 0, want;

	/* Leaves are not connections to probe: lqrt_route reached them. */
	for (i = 0; i < n->npeers; i++)
		if (!n->peers[i].leaf && dq_find(s, n->peers[i].id) == NULL)
			k++;
	*left = k;
	if (k == 0)
		return NULL;
	want = (uint32_t)rng_below(&n->rng, k);
	for (i = 0; i < n->npeers; i++)
		if (!n->peers[i].leaf && dq_find(s, n->peers[i].id) == NULL &&
		    want-- == 0)
			return &n->peers[i];
	return NULL;
}

/* The connected peer queried with the lowest TTL below max, or NULL. */
static const struct peer *
dq_shallowest(struct node *n, const struct search *s, uint8_t max)
{
	const struct peer	*best = NULL;
	const struct dq_sent	*ds;
	uint8_t			 low = max;
	uint32_t		 i;

	for (i = 0; i < n->npeers; i++) {
		ds = dq_find(s, n->peers[i].id);
		if (ds != NULL && ds->ttl < low) {
			low = ds->ttl;
			best = &n->peers[i];
		}
	}
	return best;
}

static void
dq_start(struct node *n, struct search *s)
{
	const struct peer	*p;
	uint32_t		 i, left;
	uint8_t			 ttl = DQ_PROBE_TTL;

	if (ttl > s->o.ttl)
		ttl = s->o.ttl;
	for (i = 0; i < DQ_PROBES; i++) {
		if ((p = dq_pick(n, s, &left)) == NULL)
			break;
		dq_send(n, s, p, ttl);
	}
	s->next_ms = s->started + (uint64_t)n->conf.step_ms * ttl;
}

static void
dq_step(struct node *n, struct search *s, uint64_t now)
{
	const struct peer	*p;
	const struct dq_sent	*ds;
	uint32_t		 left;
	double			 per_host, need, per_conn;
	uint8_t			 ttl, floor = 1, cap;

	if (s->results >= s->o.target || s->horizon >= DQ_MAX_HORIZON) {
		s->active = 0;
		return;
	}
	if ((p = dq_pick(n, s, &left)) == NULL) {
		if ((p = dq_shallowest(n, s, s->o.ttl)) == NULL) {
			s->active = 0;
			return;
		}
		ds = dq_find(s, p->id);
		floor = ds->ttl + 1;
		left = 1;
	}
	/* Never more than one TTL deeper than any connection so far. */
	cap = s->ttl_now + 1 < s->o.ttl ? s->ttl_now + 1 : s->o.ttl;
	if (floor > cap)
		cap = floor;
	if (s->results > 0 && s->horizon > 0) {
		per_host = s->results / s->horizon;
		need = (s->o.target - s->results) / per_host;
		per_conn = need / left;
	} else
		per_conn = s->horizon;	/* nothing yet: double the reach */
	for (ttl = floor; ttl < cap; ttl++)
		if (dq_hosts(dq_degree(p), ttl) >= per_conn)
			break;
	dq_send(n, s, p, ttl);
	s->next_ms = now + (uint64_t)n->conf.step_ms * ttl;
	dq_leaf_stepped(n, s);
}

const struct fwd fwd_dq = { "dq", dq_start, dq_step };
