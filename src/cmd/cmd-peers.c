/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-peers.c: peers: the node's connections, established first, with
 * their traffic and send queues.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/table.h"
#include "lib/xmalloc.h"
#include "net/net.h"

/* The peers into a growing array: the count is known only once asked. */
static size_t
cmd_peers_get(struct gnet *net, struct gnet_peer **out)
{
	struct gnet_peer	*p = NULL;
	size_t			 cap = 32, n;

	for (;;) {
		p = xreallocarray(p, cap, sizeof *p);
		if ((n = gnet_peers(net, p, cap)) < cap)
			break;
		cap *= 2;
	}
	*out = p;
	return n;
}

static void
cmd_peers_json(struct cmd_ctx *ctx, const struct gnet_peer *p)
{
	static const uint8_t	 zero[16];
	char			 addr[32], guid[33];

	if (memcmp(p->guid, zero, sizeof zero) == 0)
		guid[0] = '\0';
	else
		cmd_hex(guid, p->guid, sizeof p->guid);
	json_open(&ctx->j, NULL);
	json_uint(&ctx->j, "id", p->id);
	json_str(&ctx->j, "address", cmd_addr(addr, sizeof addr, p->ip,
	    p->port));
	json_str(&ctx->j, "state", p->state);
	json_str(&ctx->j, "direction", p->outgoing ? "out" : "in");
	json_str(&ctx->j, "agent", p->agent);
	json_str(&ctx->j, "guid", guid);
	json_uint(&ctx->j, "up_s", p->up_ms / 1000);
	json_uint(&ctx->j, "rx_msgs", p->rx_msgs);
	json_uint(&ctx->j, "tx_msgs", p->tx_msgs);
	json_uint(&ctx->j, "rx_bytes", p->rx_bytes);
	json_uint(&ctx->j, "tx_bytes", p->tx_bytes);
	json_uint(&ctx->j, "queued", p->queued);
	json_uint(&ctx->j, "dropped", p->dropped);
	json_bool(&ctx->j, "deflate_in", p->deflate_in);
	json_bool(&ctx->j, "deflate_out", p->deflate_out);
	json_bool(&ctx->j, "ultrapeer", p->ultra);
	json_str(&ctx->j, "role", p->role);
	if (p->qrt >= 0)
		json_bool(&ctx->j, "qrt", p->qrt);
	json_close(&ctx->j);
}

/* Columns; on a narrow screen the message counts go first, the state
 * and the User-Agent last. */
enum {
	PC_ID, PC_ADDR, PC_STATE, PC_DIR, PC_ROLE, PC_AGENT, PC_UP, PC_RX,
	PC_TX, PC_QUEUED, PC_FLAGS, PC_N
};

static void
cmd_peers_row(struct table *t, const struct gnet_peer *p)
{
	const char	*deflate, *cells[PC_N];
	char		 id[16], addr[32], up[32], rx[24], tx[24], queued[32];
	char		 flags[32], *agent;

	if (p->deflate_in && p->deflate_out)
		deflate = "deflate";
	else if (p->deflate_in || p->deflate_out)
		deflate = p->deflate_in ? "deflate-in" : "deflate-out";
	else
		deflate = NULL;
	/* "qrt": a leaf, or an ultrapeer routing by QRP, whose table is in:
	 * queries reach it (at TTL 1, for an ultrapeer) when they match it. */
	snprintf(flags, sizeof flags, "%s%s%s", deflate != NULL ? deflate : "",
	    deflate != NULL && p->qrt == 1 ? "," : "", p->qrt == 1 ? "qrt" :
	    "");
	agent = cmd_printable(p->agent);
	snprintf(id, sizeof id, "%u", p->id);
	snprintf(rx, sizeof rx, "%llu", (unsigned long long)p->rx_msgs);
	snprintf(tx, sizeof tx, "%llu", (unsigned long long)p->tx_msgs);
	cells[PC_ID] = id;
	cells[PC_ADDR] = cmd_addr(addr, sizeof addr, p->ip, p->port);
	cells[PC_STATE] = p->state;
	cells[PC_DIR] = p->outgoing ? "out" : "in";
	cells[PC_ROLE] = p->role[0] != '\0' ? p->role : "-";
	cells[PC_AGENT] = agent[0] != '\0' ? agent : "-";
	cells[PC_UP] = cmd_duration(up, sizeof up, p->up_ms);
	cells[PC_RX] = rx;
	cells[PC_TX] = tx;
	cells[PC_QUEUED] = cmd_size(queued, sizeof queued, p->queued);
	cells[PC_FLAGS] = flags[0] != '\0' ? flags : "-";
	table_row(t, cells);
	free(agent);
}

static enum cmd_retval
cmd_peers_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct gnet_peer	*p;
	struct table		*t;
	size_t			 n, i;

	(void)argc;
	(void)argv;
	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	n = cmd_peers_get(ctx->net, &p);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_array(&ctx->j, "peers");
		for (i = 0; i < n; i++)
			cmd_peers_json(ctx, &p[i]);
		json_end(&ctx->j);
		json_close(&ctx->j);
	} else if (n == 0)
		cmd_print(ctx, "no peers\n");
	else {
		t = table_new(PC_N);
		table_col(t, PC_ID, "ID", 0, TABLE_RIGHT, 0);
		table_col(t, PC_ADDR, "ADDRESS", 0, 0, 0);
		table_col(t, PC_STATE, "STATE", 0, 0, 1);
		table_col(t, PC_DIR, "DIR", 0, 0, 3);
		table_col(t, PC_ROLE, "ROLE", 0, 0, 2);
		table_col(t, PC_AGENT, "AGENT", 10, TABLE_FLEX, 0);
		table_col(t, PC_UP, "UP", 0, TABLE_RIGHT, 2);
		table_col(t, PC_RX, "RX MSGS", 0, TABLE_RIGHT, 5);
		table_col(t, PC_TX, "TX MSGS", 0, TABLE_RIGHT, 6);
		table_col(t, PC_QUEUED, "QUEUED", 0, TABLE_RIGHT, 7);
		table_col(t, PC_FLAGS, "FLAGS", 0, 0, 4);
		for (i = 0; i < n; i++)
			cmd_peers_row(t, &p[i]);
		table_print(t, ctx);
		table_free(t);
	}
	free(p);
	return CMD_OK;
}

const struct cmd_entry cmd_peers_entry = {
	.name = "peers",
	.usage = "peers",
	.help = "List the node's connections: id (for disconnect), address, "
	    "state, direction, role (ultrapeer, or leaf: one of our leaves), "
	    "User-Agent, time up, messages received and sent, bytes waiting "
	    "to be sent, whether the link is compressed, and qrt for a leaf "
	    "(or an ultrapeer that routes by QRP) whose QRP table is in.",
	.min_args = 0,
	.max_args = 0,
	.online = 1,
	.exec = cmd_peers_exec,
};
