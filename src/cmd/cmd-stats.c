/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-stats.c: stats: the running node's servent GUID and counters:
 * connections, traffic, HTTP requests and refusals, what it shares, and
 * the routing core's message counts.
 */
#include <string.h>

#include "cmd/cmd.h"
#include "net/net.h"

#define ULL(x)	((unsigned long long)(x))

static void
cmd_stats_json(struct cmd_ctx *ctx, const struct gnet_stats *st)
{
	const struct node_stats	*n = st->node;
	char			 guid[33];

	json_open(&ctx->j, NULL);
	json_str(&ctx->j, "guid", cmd_hex(guid, st->guid, sizeof st->guid));
	json_str(&ctx->j, "mode", st->leaf ? "leaf" : "ultrapeer");
	json_bool(&ctx->j, "mode_auto", st->mode_auto);
	json_bool(&ctx->j, "reachable", st->reachable);
	json_bool(&ctx->j, "firewalled", st->firewalled);
	json_bool(&ctx->j, "firewalled_auto", st->firewalled_auto);
	json_uint(&ctx->j, "push_asked", st->push_asked);
	json_uint(&ctx->j, "giv_rx", st->giv_rx);
	json_uint(&ctx->j, "giv_bad", st->giv_bad);
	json_uint(&ctx->j, "giv_sent", st->giv_sent);
	json_uint(&ctx->j, "push_dropped", st->push_dropped);
	json_uint(&ctx->j, "pproxy_sent", st->pproxy_sent);
	json_uint(&ctx->j, "role_changes", st->role_changes);
	if (st->promote_blocker[0] != '\0')
		json_str(&ctx->j, "promote_blocker", st->promote_blocker);
	json_uint(&ctx->j, "peers", st->peers);
	json_uint(&ctx->j, "leaves", st->leaves);
	json_uint(&ctx->j, "connecting", st->connecting);
	json_uint(&ctx->j, "hosts", st->hosts);
	json_uint(&ctx->j, "uptime_s", st->uptime_ms / 1000);
	json_uint(&ctx->j, "accepted", st->accepted);
	json_uint(&ctx->j, "dialled", st->dialled);
	json_uint(&ctx->j, "refused", st->refused);
	json_uint(&ctx->j, "http_requests", st->http_requests);
	json_uint(&ctx->j, "http_refused", st->http_refused);
	json_uint(&ctx->j, "byes_bad", st->byes_bad);
	json_uint(&ctx->j, "logs_held", st->logs_held);
	json_uint(&ctx->j, "budget_throttled", st->budget_throttled);
	json_uint(&ctx->j, "budget_closed", st->budget_closed);
	json_uint(&ctx->j, "banned", st->banned);
	json_uint(&ctx->j, "ban_refused", st->ban_refused);
	json_uint(&ctx->j, "dial_scope", st->dial_scope);
	json_uint(&ctx->j, "dial_failed", st->dial_failed);
	json_uint(&ctx->j, "rx_bytes", st->rx_bytes);
	json_uint(&ctx->j, "tx_bytes", st->tx_bytes);
	json_uint(&ctx->j, "flow_dropped", st->flow_dropped);
	json_uint(&ctx->j, "udp_rx", st->udp_rx);
	json_uint(&ctx->j, "udp_tx", st->udp_tx);
	json_uint(&ctx->j, "files", st->files);
	json_uint(&ctx->j, "kbytes", st->kbytes);
	json_bool(&ctx->j, "scanning", st->scanning);
	if (n != NULL) {
		json_open(&ctx->j, "node");
		json_uint(&ctx->j, "rx", n->rx);
		json_uint(&ctx->j, "tx", n->tx);
		json_uint(&ctx->j, "dups", n->dups);
		json_uint(&ctx->j, "queries_seen", n->queries_seen);
		json_uint(&ctx->j, "hits_sent", n->hits_sent);
		json_uint(&ctx->j, "pushes_rx", n->pushes_rx);
		json_uint(&ctx->j, "pushes_routed", n->pushes_routed);
		json_uint(&ctx->j, "pushes_sent", n->pushes_sent);
		json_uint(&ctx->j, "hits_routed", n->hits_routed);
		json_uint(&ctx->j, "dropped", n->dropped);
		json_uint(&ctx->j, "closed", n->closed);
		json_uint(&ctx->j, "walk_checks", n->walk_checks);
		json_uint(&ctx->j, "dq_leaf", n->dq_leaf);
		json_uint(&ctx->j, "dq_leaf_flooded", n->dq_leaf_flooded);
		json_uint(&ctx->j, "qstat_sent", n->qstat_sent);
		json_uint(&ctx->j, "qstat_rx", n->qstat_rx);
		json_uint(&ctx->j, "oob_offers", n->oob_offers);
		json_uint(&ctx->j, "oob_claims", n->oob_claims);
		json_uint(&ctx->j, "oob_hits_sent", n->oob_hits_sent);
		json_uint(&ctx->j, "oob_hits_rx", n->oob_hits_rx);
		json_uint(&ctx->j, "oob_dropped", n->oob_dropped);
		json_close(&ctx->j);
	}
	json_close(&ctx->j);
}

static void
cmd_stats_text(struct cmd_ctx *ctx, const struct gnet_stats *st)
{
	const struct node_stats	*n = st->node;
	char			 up[32], rx[32], tx[32], shared[32], guid[33];
	char			 cnt[3][48];	/* counts with their nouns */
#define N(i, v, w)	cmd_count(cnt[i], sizeof cnt[i], (v), (w))

	cmd_print(ctx, "guid      %s\n", cmd_hex(guid, st->guid,
	    sizeof st->guid));
	cmd_print(ctx, "uptime    %s\n", cmd_duration(up, sizeof up,
	    st->uptime_ms));
	if (!st->mode_auto)
		cmd_print(ctx, "mode      %s\n", st->leaf ? "leaf" :
		    "ultrapeer");
	else if (st->promote_blocker[0] != '\0')
		cmd_print(ctx, "mode      leaf (auto; not an ultrapeer yet: %s)\n",
		    st->promote_blocker);
	else
		cmd_print(ctx, "mode      %s (auto, %s, %s)\n", st->leaf ?
		    "leaf" : "ultrapeer", st->reachable ? "reachable" :
		    "not reachable", N(0, st->role_changes, "switch"));
	cmd_print(ctx, "firewall  %s (%s)\n", st->firewalled ? "firewalled: "
	    "hits say push" : "not firewalled", st->firewalled_auto ?
	    st->firewalled ? "auto: no connection in from another host yet" :
	    "auto: a connection came in" : "set by [net] firewalled");
	cmd_print(ctx, "peers     %zu up (%zu %s), %zu connecting, %s known\n",
	    st->peers, st->leaves, st->leaves == 1 ? "leaf" : "leaves",
	    st->connecting, N(0, st->hosts, "host"));
	cmd_print(ctx, "links     %llu accepted, %llu dialled, %llu refused\n",
	    ULL(st->accepted), ULL(st->dialled), ULL(st->refused));
	cmd_print(ctx, "http      %s, %llu refused\n",
	    N(0, st->http_requests, "request"), ULL(st->http_refused));
	cmd_print(ctx, "refusals  %s, %s for bad input, %s left out\n",
	    N(0, st->refused, "handshake"), N(1, st->byes_bad, "bye"),
	    N(2, st->logs_held, "log line"));
	cmd_print(ctx, "budget    %s throttled, %s closed for it\n",
	    N(0, st->budget_throttled, "peer-second"),
	    N(1, st->budget_closed, "peer"));
	cmd_print(ctx, "bans      %s for bad input, %s closed at accept\n",
	    N(0, st->banned, "ban"), N(1, st->ban_refused, "connection"));
	cmd_print(ctx, "dials     %llu refused by scope, %llu failed\n",
	    ULL(st->dial_scope), ULL(st->dial_failed));
	cmd_print(ctx, "traffic   %s in, %s out, %s dropped by flow "
	    "control\n", cmd_size(rx, sizeof rx, st->rx_bytes),
	    cmd_size(tx, sizeof tx, st->tx_bytes),
	    st->flow_dropped == 1 ? "1 query" : N(0, st->flow_dropped,
	    "querie"));
	cmd_print(ctx, "udp       %llu in, %llu out\n", ULL(st->udp_rx),
	    ULL(st->udp_tx));
	cmd_print(ctx, "shared    %s, %s%s\n", N(0, st->files, "file"),
	    cmd_size(shared, sizeof shared, st->kbytes * 1024),
	    st->scanning ? " (scanning)" : "");
	if (n == NULL)
		return;
	cmd_print(ctx, "messages  %llu in, %llu out, %s, %llu dropped\n",
	    ULL(n->rx), ULL(n->tx), N(0, n->dups, "duplicate"),
	    ULL(n->dropped));
	cmd_print(ctx, "queries   %llu seen, %s sent, %s routed\n",
	    ULL(n->queries_seen), N(0, n->hits_sent, "hit"),
	    N(1, n->hits_routed, "hit"));
	cmd_print(ctx, "leaf dq   %llu run, %llu flooded, %llu status "
	    "requests sent, %llu status messages read\n", ULL(n->dq_leaf),
	    ULL(n->dq_leaf_flooded), ULL(n->qstat_sent), ULL(n->qstat_rx));
	cmd_print(ctx, "oob       %llu offers, %llu claims, %llu hit messages "
	    "sent, %llu received, %llu dropped unasked\n", ULL(n->oob_offers),
	    ULL(n->oob_claims), ULL(n->oob_hits_sent), ULL(n->oob_hits_rx),
	    ULL(n->oob_dropped));
	cmd_print(ctx, "push      %llu for us, %llu routed, %llu sent; %llu "
	    "GIVs opened, %llu taken, %llu refused; %llu proxied\n",
	    ULL(n->pushes_rx), ULL(n->pushes_routed), ULL(n->pushes_sent),
	    ULL(st->giv_sent), ULL(st->giv_rx), ULL(st->giv_bad),
	    ULL(st->pproxy_sent));
	cmd_print(ctx, "misc      %s closed, %s\n", N(0, n->closed, "peer"),
	    N(1, n->walk_checks, "walker check"));
#undef N
}

static enum cmd_retval
cmd_stats_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct gnet_stats	 st;

	(void)argc;
	(void)argv;
	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	memset(&st, 0, sizeof st);
	gnet_stats(ctx->net, &st);
	if (ctx->json)
		cmd_stats_json(ctx, &st);
	else
		cmd_stats_text(ctx, &st);
	return CMD_OK;
}

const struct cmd_entry cmd_stats_entry = {
	.name = "stats",
	.usage = "stats",
	.help = "Show the running node's counters: connections, bytes on the "
	    "wire, UDP, what it shares, and messages handled by the router.",
	.min_args = 0,
	.max_args = 0,
	.online = 1,
	.exec = cmd_stats_exec,
};
