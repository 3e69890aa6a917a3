/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * net_ctl.c: a running gnet as commands see it: its peers, the hosts the
 * dialer knows, its counters, connecting and disconnecting by hand, our
 * searches and the results store, uploads. What starts, runs and stops
 * the node is net.c; downloads are download_ctl.c.
 */
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"
#include "net/results.h"
#include "xfer/upload.h"

size_t
gnet_peers(struct gnet *g, struct gnet_peer *out, size_t max)
{
	struct conn	*c;
	size_t		 n = 0;
	int		 pass;
	uint64_t	 now = gnet_now(g);

	for (pass = 0; pass < 2; pass++)
		for (c = g->conns; c != NULL && n < max; c = c->next) {
			if (c->state == CONN_DEAD ||
			    (c->state == CONN_UP) != (pass == 0))
				continue;
			memset(&out[n], 0, sizeof out[n]);
			out[n].id = c->id;
			out[n].ip = c->node_ip != 0 ? c->node_ip : c->ip;
			out[n].port = c->node_port != 0 ? c->node_port : c->port;
			out[n].outgoing = c->outgoing;
			out[n].state = conn_state_name(c->state);
			out[n].agent = c->agent;
			if (c->has_guid)
				memcpy(out[n].guid, c->guid, 16);
			out[n].up_ms = now - c->started;
			out[n].rx_msgs = c->rx_msgs;
			out[n].tx_msgs = c->tx_msgs;
			out[n].rx_bytes = c->rx_bytes;
			out[n].tx_bytes = c->tx_bytes;
			out[n].dropped = c->dropped;
			out[n].queued = c->out.len + c->pend.len;
			out[n].deflate_in = c->zin != NULL;
			out[n].deflate_out = c->zout != NULL;
			out[n].ultra = c->ultra;
			out[n].leaf = c->leaf;
			out[n].qrt = c->state == CONN_UP && c->in_core ?
			    node_peer_qrt_ready(g->node, c->id) : -1;
			/* The role is known once its headers are read. */
			if (c->state == CONN_UP || c->state == CONN_HS_REPLIED)
				out[n].role = c->leaf ? "leaf" : c->ultra ?
				    "ultrapeer" : "normal";
			else
				out[n].role = "";
			n++;
		}
	return n;
}

uint32_t
gnet_connect(struct gnet *g, const char *hostport, char **cause)
{
	uint32_t	 ip;
	uint16_t	 port;

	if (conf_parse_addr(hostport, &ip, &port) != 0) {
		xasprintf(cause, "bad address: %s (want a.b.c.d:port)",
		    hostport);
		return 0;
	}
	if (g->shutdown) {
		xasprintf(cause, "the node is shutting down");
		return 0;
	}
	return dialer_dial(g, ip, port, cause);
}

int
gnet_disconnect(struct gnet *g, uint32_t id)
{
	struct conn	*c = conn_find(g, id);

	if (c == NULL)
		return -1;
	conn_bye(c, 201, "User Manual Removal");
	return 0;
}

static int
gnet_host_cmp(const void *a, const void *b)
{
	const struct gnet_host	*x = a, *y = b;

	if (x->connected != y->connected)
		return y->connected - x->connected;
	if (x->fails != y->fails)
		return x->fails < y->fails ? -1 : 1;
	if (x->retry_ms != y->retry_ms)
		return x->retry_ms < y->retry_ms ? -1 : 1;
	return 0;
}

size_t
gnet_hosts(struct gnet *g, struct gnet_host *out, size_t max)
{
	struct gnet_host	*all;
	uint64_t		 now = gnet_now(g);
	size_t			 i, n;

	if (g->nhosts == 0)
		return 0;
	all = xreallocarray(NULL, g->nhosts, sizeof *all);
	for (i = 0; i < g->nhosts; i++) {
		all[i].ip = g->hosts[i].ip;
		all[i].port = g->hosts[i].port;
		all[i].source = dialer_source_name(g->hosts[i].source);
		all[i].fails = g->hosts[i].fails;
		all[i].retry_ms = g->hosts[i].next_try > now ?
		    g->hosts[i].next_try - now : 0;
		all[i].connected = g->hosts[i].conn != 0;
	}
	qsort(all, g->nhosts, sizeof *all, gnet_host_cmp);
	n = g->nhosts < max ? g->nhosts : max;
	memcpy(out, all, n * sizeof *out);
	free(all);
	return n;
}

void
gnet_stats(struct gnet *g, struct gnet_stats *st)
{
	*st = g->stats;
	st->node = node_stats(g->node);
	st->hosts = g->nhosts;
	st->leaf = g->leaf;
	st->mode_auto = g->mode_auto;
	st->reachable = g->reachable;
	st->firewalled = gnet_firewalled(g);
	st->firewalled_auto = g->fw_mode == GNET_FW_AUTO;
	role_blocker(g, st->promote_blocker, sizeof st->promote_blocker);
	st->uptime_ms = gnet_now(g) - g->started;
	memcpy(st->guid, node_guid(g->node), sizeof st->guid);
}

uint32_t
gnet_search(struct gnet *g, const char *text, const struct search_opts *opts,
    const char **cause)
{
	return gnet_search_sha1(g, text, NULL, opts, cause);
}

uint32_t
gnet_search_sha1(struct gnet *g, const char *text, const uint8_t *sha1,
    const struct search_opts *opts, const char **cause)
{
	char		 urn[HUGE_URN_SHA1_LEN + 1], *shown = NULL;
	uint32_t	 id;

	if (opts == NULL)
		opts = &g->sdefault;
	if (g->shutdown) {
		*cause = "the node is shutting down";
		return 0;
	}
	if ((id = node_search_sha1(g->node, text, sha1, opts, cause)) == 0)
		return 0;
	/* `results` shows what was searched for: the URN too. */
	if (sha1 != NULL) {
		huge_format_sha1(sha1, urn, sizeof urn);
		xasprintf(&shown, "%s%s%s", urn, text[0] != '\0' ? " " : "",
		    text);
	}
	results_search_add(g->results, id, shown != NULL ? shown : text,
	    opts->strategy, gnet_now(g));
	if (sha1 != NULL)
		results_search_sha1(g->results, id, sha1);
	log_info("search %u (%s): %s", id, opts->strategy,
	    shown != NULL ? shown : text);
	free(shown);
	return id;
}

const struct results *
gnet_results(struct gnet *g)
{
	return g->results;
}

int
gnet_search_active(struct gnet *g, uint32_t id)
{
	return node_search_active(g->node, id);
}

void
gnet_listen_addr(struct gnet *g, uint32_t *ip, uint16_t *port)
{
	*ip = g->ip;
	*port = g->port;
}

size_t
gnet_uploads(struct gnet *g, struct upload_info *out, size_t max)
{
	size_t	 i, n = uploads_list(g->uploads, out, max);

	for (i = 0; i < n; i++)
		(void)reward_of(g, out[i].ip, &out[i].credit_bytes,
		    &out[i].credit_files, &out[i].head_start);
	return n;
}

void
gnet_upload_stats(struct gnet *g, struct upload_stats *st)
{
	uploads_stats(g->uploads, st);
}
