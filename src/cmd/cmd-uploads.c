/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-uploads.c: uploads: what the node is sending, slot by slot, and how
 * many requests wait in its PARQ queue.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
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

static enum cmd_retval
cmd_uploads_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct upload_info	 up[UPLOADS_MAX];
	struct upload_stats	 st;
	char			 addr[32], size[32], sent[32], *name;
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
			json_close(&ctx->j);
		}
		json_end(&ctx->j);
		json_close(&ctx->j);
		return CMD_OK;
	}
	cmd_print(ctx, "%zu of %zu slots in use, %zu queued; %llu served, "
	    "%llu refused, %s sent\n", st.active, st.slots, st.queued,
	    (unsigned long long)st.served, (unsigned long long)st.refused,
	    cmd_size(sent, sizeof sent, st.bytes));
	for (i = 0; i < n; i++) {
		name = cmd_printable(up[i].name);
		cmd_print(ctx, "%6u  %-15s  %10s  %10s sent  %s\n", up[i].conn,
		    cmd_uploads_ip(addr, sizeof addr, up[i].ip),
		    cmd_size(size, sizeof size, up[i].size),
		    cmd_size(sent, sizeof sent, up[i].sent), name);
		free(name);
	}
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
