/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fwd_flood.c: the two strategies that reuse plain flooding.
 *   flood: every neighbour, once, with the search's TTL.
 *   ring:  expanding ring: TTL 1, then 2, 3 ... up to the search's TTL,
 *          waiting step_ms per hop between rings, until enough results.
 *          Each ring reuses the MUID; nodes let a repeat with a higher TTL
 *          through (X-Ext-Probes), so a ring only answers once per node.
 */
#include "core/node_impl.h"

static void
flood_all(struct node *n, struct search *s, uint8_t ttl)
{
	uint32_t	 i;

	for (i = 0; i < n->npeers; i++)
		search_send_query(n, s, n->peers[i].id, ttl);
}

static void
flood_start(struct node *n, struct search *s)
{
	flood_all(n, s, s->o.ttl);
	s->active = 0;
}

static void
ring_start(struct node *n, struct search *s)
{
	s->ttl_now = 1;
	flood_all(n, s, 1);
	s->next_ms = s->started + n->conf.step_ms;
}

static void
ring_step(struct node *n, struct search *s, uint64_t now)
{
	if (s->results >= s->o.target || s->ttl_now >= s->o.ttl) {
		s->active = 0;
		return;
	}
	s->ttl_now++;
	flood_all(n, s, s->ttl_now);
	s->next_ms = now + (uint64_t)n->conf.step_ms * s->ttl_now;
}

const struct fwd fwd_flood = { "flood", flood_start, NULL };
const struct fwd fwd_ring = { "ring", ring_start, ring_step };
