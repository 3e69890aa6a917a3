/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-uploads.c: uploads: what the node is sending, slot by slot, what
 * each requester gave us (its credit), and how many requests wait in its
 * PARQ queue.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "cmd/table.h"
#include "net/net.h"
#include "xfer/upload.h"

#define UPLOADS_MAX	128

static const char *
cmd_uploads_ip(char *buf, size_t len, uint32_t ip)
{
	snprintf(buf, len, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff,
	    (ip >> 8) & 0xff, ip & 0xff);
	return buf;
}

/* What the requester gave us: "none", or "12.0 MiB, 40 files (+180 s)". */
static const char *
cmd_uploads_credit(char *buf, size_t len, const struct upload_info *u)
{
	char	 sz[24];

	if (u->credit_bytes == 0 && u->credit_files == 0)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "%s, %u file%s (+%u s)",
		    cmd_size(sz, sizeof sz, u->credit_bytes), u->credit_files,
		    u->credit_files == 1 ? "" : "s", u->head_start);
	return buf;
}

static enum cmd_retval
cmd_uploads_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct upload_info	 up[UPLOADS_MAX];
	struct upload_stats	 st;
	char			 addr[32], size[32], sent[32], conn[16], *name;
	char			 slots[32];
	const char		*cells[6];
	char			 credit[64];
	struct table		*t;
	size_t			 n, i;

	(void)argc;
	(void)argv;
	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	n = gnet_uploads(ctx->net, up, UPLOADS_MAX);
	gnet_upload_stats(ctx->net, &st);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_uint(&ctx->j, "slots", st.slots);
		json_uint(&ctx->j, "active", st.active);
		json_uint(&ctx->j, "queued", st.queued);
		json_uint(&ctx->j, "served", st.served);
		json_uint(&ctx->j, "refused", st.refused);
		json_uint(&ctx->j, "bytes", st.bytes);
		json_array(&ctx->j, "uploads");
		for (i = 0; i < n; i++) {
			json_open(&ctx->j, NULL);
			json_uint(&ctx->j, "conn", up[i].conn);
			json_str(&ctx->j, "address",
			    cmd_uploads_ip(addr, sizeof addr, up[i].ip));
			json_str(&ctx->j, "name", up[i].name);
			json_uint(&ctx->j, "size", up[i].size);
			json_uint(&ctx->j, "sent", up[i].sent);
			json_uint(&ctx->j, "requests", up[i].requests);
			json_uint(&ctx->j, "credit_bytes", up[i].credit_bytes);
			json_uint(&ctx->j, "credit_files", up[i].credit_files);
			json_uint(&ctx->j, "head_start_s", up[i].head_start);
			json_close(&ctx->j);
		}
		json_end(&ctx->j);
		json_close(&ctx->j);
		return CMD_OK;
	}
	cmd_print(ctx, "%zu of %s in use, %zu queued; %llu served, "
	    "%llu refused, %s sent\n", st.active,
	    cmd_count(slots, sizeof slots, st.slots, "slot"), st.queued,
	    (unsigned long long)st.served, (unsigned long long)st.refused,
	    cmd_size(sent, sizeof sent, st.bytes));
	if (n == 0)
		return CMD_OK;
	/* A narrow screen loses the size, then what was sent. */
	t = table_new(6);
	table_col(t, 0, "CONN", 0, TABLE_RIGHT, 0);
	table_col(t, 1, "ADDRESS", 0, 0, 0);
	table_col(t, 2, "SIZE", 0, TABLE_RIGHT, 3);
	table_col(t, 3, "SENT", 0, TABLE_RIGHT, 2);
	table_col(t, 4, "CREDIT", 0, 0, 1);
	table_col(t, 5, "NAME", 0, TABLE_FLEX, 0);
	for (i = 0; i < n; i++) {
		name = cmd_printable(up[i].name);
		snprintf(conn, sizeof conn, "%u", up[i].conn);
		cells[0] = conn;
		cells[1] = cmd_uploads_ip(addr, sizeof addr, up[i].ip);
		cells[2] = cmd_size(size, sizeof size, up[i].size);
		cells[3] = cmd_size(sent, sizeof sent, up[i].sent);
		cells[4] = cmd_uploads_credit(credit, sizeof credit, &up[i]);
		cells[5] = name;
		table_row(t, cells);
		free(name);
	}
	table_print(t, ctx);
	table_free(t);
	return CMD_OK;
}

const struct cmd_entry cmd_uploads_entry = {
	.name = "uploads",
	.usage = "uploads",
	.help = "Show the uploads in progress (one per slot), the PARQ queue's "
	    "length, and totals.",
	.min_args = 0,
	.max_args = 0,
	.online = 1,
	.exec = cmd_uploads_exec,
};
