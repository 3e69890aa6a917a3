/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * budget.c: what one peer may make the node do for nothing. Each
 * established Gnutella link counts, between two of the node's once-a-second
 * ticks, the bytes it made us inflate and the bytes of its descriptors the
 * core read and dropped unused (node_recv says which: malformed ones,
 * duplicates, and the vendor messages and route tables a flat node has no
 * use for).
 *
 * Without a bound, a peer streaming deflated 64 KiB vendor messages of
 * zeros (779:1) costs the node most of a core for a few hundred KB/s of
 * traffic. Past either budget the node stops reading that peer until the
 * next tick: it keeps what it read and did not inflate yet, the kernel's
 * buffer fills, and the peer's sends block, so the second costs the budget
 * and nothing more. A second that ends over budget is a strike and a calm
 * one takes one back; at peer_budget_strikes the peer gets Bye 410.
 *
 * A well-behaved peer never comes near: the queries, hits, pings and
 * pongs it sends are used, the duplicates a flood brings are a small share
 * of them, and the inflate budget is many times what a busy ultrapeer link
 * carries.
 */
#include <stdio.h>
#include <string.h>

#include <ev.h>

#include "conf/conf.h"
#include "lib/log.h"
#include "net/net_impl.h"

int
budget_spend(struct conn *c, uint64_t inflated, uint64_t ignored)
{
	const struct conf	*cf = c->g->conf;

	c->bud_inflated += inflated;
	c->bud_ignored += ignored;
	if (c->bud_over)
		return 1;
	if (c->state != CONN_UP || (c->bud_inflated < cf->peer_inflate_budget &&
	    c->bud_ignored < cf->peer_ignored_budget))
		return 0;
	c->bud_over = 1;
	ev_io_stop(c->g->loop, &c->rio);
	log_debug("peer %u: over its read budget (%llu bytes inflated, "
	    "%llu ignored this second): reading waits", c->id,
	    (unsigned long long)c->bud_inflated,
	    (unsigned long long)c->bud_ignored);
	return 1;
}

int
budget_keep(struct conn *c, const uint8_t *p, size_t len)
{
	return buf_append(&c->zrest, p, len);
}

/* A new second: go on with what was held back, then read again. */
static void
budget_resume(struct conn *c)
{
	struct gnet	*g = c->g;
	size_t		 n = c->zrest.len;

	c->bud_over = 0;
	conn_parse(c);
	if (c->state != CONN_UP || c->bud_over)
		return;
	if (c->zin != NULL) {
		/* Even with nothing held back, inflate may hold output the
		 * last call had no room for. */
		if (n > 0) {
			memcpy(g->rbuf, buf_head(&c->zrest), n);
			buf_consume(&c->zrest, n);
			buf_shrink(&c->zrest, 0);
		}
		conn_feed(c, g->rbuf, n);
		if (c->state != CONN_UP || c->bud_over)
			return;
	}
	ev_io_start(g->loop, &c->rio);
}

void
budget_tick(struct gnet *g)
{
	struct conn	*c, *next;
	char		 why[160];
	unsigned	 strikes = g->conf->peer_budget_strikes;

	for (c = g->conns; c != NULL; c = next) {
		next = c->next;
		if (c->state != CONN_UP) {
			c->bud_inflated = c->bud_ignored = 0;
			continue;
		}
		if (!c->bud_over) {
			if (c->bud_strikes > 0)
				c->bud_strikes--;
			c->bud_inflated = c->bud_ignored = 0;
			continue;
		}
		g->stats.budget_throttled++;
		if (++c->bud_strikes >= strikes) {
			g->stats.budget_closed++;
			snprintf(why, sizeof why, "Excessive Messages (over its "
			    "read budget %u s: %llu bytes inflated or %llu "
			    "ignored a second)", strikes,
			    (unsigned long long)g->conf->peer_inflate_budget,
			    (unsigned long long)g->conf->peer_ignored_budget);
			conn_bye(c, 410, why);
			continue;
		}
		c->bud_inflated = c->bud_ignored = 0;
		budget_resume(c);
	}
}
