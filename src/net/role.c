/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * role.c: which tier the node is in. `[node] mode = leaf` or `ultrapeer`
 * fixes it; `auto` (the default) starts as a leaf and becomes an
 * ultrapeer by the rule below, as real servents elect themselves, and an
 * auto ultrapeer with no leaves becomes a leaf when an ultrapeer it dials
 * says it needs no more ultrapeers (leaf guidance, in step 3 of the
 * handshake: X-Ultrapeer-Needed: False, said by an ultrapeer full of
 * ultrapeers with room for a leaf). A switch closes the links the other
 * role made (Bye 203 Changing Peer Mode) and the dialer makes new ones.
 *
 * Promotion (role_blocker), every condition at once:
 *   - reachable: a connection came in from another host (our own address
 *     does not count), so leaves can reach us;
 *   - up promote_uptime seconds in the leaf role (since start or since
 *     the last switch: a demoted node waits it again);
 *   - bandwidth: no [xfer] upload_rate, or one of at least 8 KiB/s plus
 *     256 B/s per ultrapeer link and 32 B/s per leaf it may hold
 *     (gtk-gnutella's FAQ figures);
 *   - peers: max_peers at least 16 (a gtk-gnutella leaf refuses an
 *     ultrapeer under 16), room for leaves (max_leaves > 0), and at
 *     least min_peers hosts known to dial.
 * On a loopback or private listener (a LAN) there is a shorter way: a
 * leaf that has had no ultrapeer for promote_alone seconds becomes one,
 * so a LAN of auto nodes forms tiers by itself (the first node the others
 * dial, reachable, promotes after promote_alone; a node nobody dials
 * waits four times as long, time for it to find that ultrapeer first).
 * A public listener never promotes alone.
 *
 * Leaf guidance is followed at once by a node that promoted alone (it is
 * an ultrapeer only for want of one); one promoted by the rule follows it
 * only once it has gone promote_uptime in the role without a leaf, so a
 * new ultrapeer has the time to be found and the roles do not flap.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "conf/conf.h"
#include "lib/addr.h"
#include "lib/log.h"
#include "net/net_impl.h"

#define ROLE_MIN_DEGREE	16	/* a gtk-gnutella leaf wants X-Degree >= 16 */
#define ROLE_ALONE_SLOW	4	/* promote_alone x this when unreachable */

void
role_init(struct gnet *g)
{
	const char	*m = g->conf->mode;

	g->mode_auto = strcmp(m, "auto") == 0;
	g->leaf = g->mode_auto || strcmp(m, "leaf") == 0;
	g->role_at = g->alone_since = gnet_now(g);
}

/* A connection accepted on our port: from another host, we are
 * reachable. */
void
role_reached(struct gnet *g, const struct conn *c)
{
	if (g->reachable || c->ip == c->local_ip || c->ip == g->ip)
		return;
	g->reachable = 1;
	log_info("node: reachable (a connection came in from %s)",
	    inet_ntoa((struct in_addr){ htonl(c->ip) }));
	push_reachable(g);
}

/* Whether promotion may take the short way of a node alone on a LAN. */
static int
role_lan(const struct gnet *g)
{
	return g->ip != 0 && addr_class(g->ip) != ADDR_PUBLIC;
}

size_t
role_blocker(struct gnet *g, char *out, size_t cap)
{
	const struct conf	*cf = g->conf;
	uint64_t		 now = gnet_now(g), need, in_role;

	out[0] = '\0';
	if (!g->mode_auto || !g->leaf)
		return 0;
	in_role = (now - g->role_at) / 1000;
	need = 8192 + 256 * (uint64_t)cf->max_peers +
	    32 * (uint64_t)cf->max_leaves;
	if (cf->max_peers < ROLE_MIN_DEGREE)
		snprintf(out, cap, "max_peers %u is under %u", cf->max_peers,
		    ROLE_MIN_DEGREE);
	else if (cf->max_leaves == 0)
		snprintf(out, cap, "max_leaves is 0");
	else if (cf->upload_rate != 0 && cf->upload_rate < need)
		snprintf(out, cap, "upload_rate %llu B/s is under %llu",
		    (unsigned long long)cf->upload_rate,
		    (unsigned long long)need);
	else if (!g->reachable)
		snprintf(out, cap, "not reachable yet (no connection in "
		    "from another host)");
	else if (in_role < cf->promote_uptime)
		snprintf(out, cap, "up %llu s of promote_uptime %u s",
		    (unsigned long long)in_role, cf->promote_uptime);
	else if (g->nhosts < cf->min_peers)
		snprintf(out, cap, "%zu hosts known, under min_peers %u",
		    g->nhosts, cf->min_peers);
	return strlen(out);
}

/* Whether a leaf alone on a LAN has waited long enough. */
static int
role_alone_due(const struct gnet *g, uint64_t now)
{
	uint64_t	 wait = (uint64_t)g->conf->promote_alone * 1000;

	if (wait == 0 || !role_lan(g) || g->alone_since == 0)
		return 0;
	if (!g->reachable)
		wait *= ROLE_ALONE_SLOW;
	return now - g->alone_since >= wait;
}

/* Once a second: an auto leaf checks whether it is due to promote. */
void
role_tick(struct gnet *g)
{
	uint64_t	 now = gnet_now(g);
	char		 why[96];

	/* A leaf's links are all to ultrapeers (it refuses the others). */
	if (conn_count_role(g, 0, NULL) > 0)
		g->alone_since = 0;
	else if (g->alone_since == 0)
		g->alone_since = now;
	if (!g->leaf && conn_count_role(g, 1, NULL) > 0)
		g->leaf_seen_at = now;
	if (!g->mode_auto || !g->leaf || g->shutdown)
		return;
	if (role_blocker(g, why, sizeof why) == 0)
		role_set(g, 0, NULL, "the promotion rule is met");
	else if (role_alone_due(g, now)) {
		role_set(g, 0, NULL, g->reachable ? "no ultrapeer found, and "
		    "reachable" : "no ultrapeer found for long");
		g->promoted_alone = 1;
	}
}

/*
 * As gtk-gnutella: True while we have room for ultrapeers, False when we
 * are full of them but have room for a leaf (a gtk-gnutella ultrapeer
 * that cannot be a leaf then declines with 403 "Not becoming a leaf
 * node"), nothing when full of both.
 */
const char *
role_needed(struct gnet *g, const struct conn *c)
{
	if (g->leaf || !c->ultra)
		return NULL;
	if (conn_count_role(g, 0, c) < g->conf->max_peers)
		return "True";
	if (conn_count_role(g, 1, c) < g->conf->max_leaves)
		return "False";
	return NULL;
}

int
role_follows(struct gnet *g, const char *needed)
{
	uint64_t	 since = g->role_at > g->leaf_seen_at ? g->role_at :
	    g->leaf_seen_at;

	if (!g->mode_auto || g->leaf || needed == NULL ||
	    strcasecmp(needed, "False") != 0 ||
	    conn_count_role(g, 1, NULL) > 0)
		return 0;
	return g->promoted_alone || gnet_now(g) - since >=
	    (uint64_t)g->conf->promote_uptime * 1000;
}

void
role_set(struct gnet *g, int leaf, struct conn *keep, const char *why)
{
	struct conn	*c;
	size_t		 closed = 0;

	if (g->leaf == leaf)
		return;
	g->leaf = leaf;
	node_set_leaf(g->node, leaf);
	g->role_at = gnet_now(g);
	g->alone_since = g->role_at;
	g->promoted_alone = 0;
	g->stats.role_changes++;
	/* The tables we sent belong to the other role. */
	g->qrt_sent = 0;
	g->up_qrt_sum = 0;
	g->up_qrt_at = 0;
	for (c = g->conns; c != NULL; c = c->next) {
		if (c == keep || c->http || c->dl || c->state == CONN_DEAD ||
		    c->state == CONN_CLOSING || c->state == CONN_CONNECTING ||
		    c->state == CONN_FIRST)
			continue;
		closed++;
		conn_bye(c, 203, "Changing Peer Mode");
	}
	log_info("node: now %s (%s); %zu link%s closed to join again as one",
	    leaf ? "a leaf" : "an ultrapeer", why, closed,
	    closed == 1 ? "" : "s");
}
