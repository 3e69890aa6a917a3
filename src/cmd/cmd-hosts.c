/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-hosts.c: hosts: the addresses the dialer knows, most promising
 * first, with where they came from and their back-off.
 */
#include <stdlib.h>

#include "cmd/cmd.h"
#include "lib/xmalloc.h"
#include "net/net.h"

/* Whole seconds until a retry, rounded up so 0 means "now". */
#define CMD_HOSTS_S(ms)	(((ms) + 999) / 1000)

static size_t
cmd_hosts_get(struct gnet *net, struct gnet_host **out)
{
	struct gnet_host	*h = NULL;
	size_t			 cap = 256, n;

	for (;;) {
		h = xreallocarray(h, cap, sizeof *h);
		if ((n = gnet_hosts(net, h, cap)) < cap)
			break;
		cap *= 2;
	}
	*out = h;
	return n;
}

static enum cmd_retval
cmd_hosts_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct gnet_host	*h;
	size_t			 n, i;
	char			 addr[32];

	(void)argc;
	(void)argv;
	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	n = cmd_hosts_get(ctx->net, &h);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_array(&ctx->j, "hosts");
	} else if (n > 0)
		cmd_print(ctx, "%-21s  %-6s  %5s  %8s  %s\n", "ADDRESS", "SOURCE",
		    "FAILS", "RETRY", "CONNECTED");
	for (i = 0; i < n; i++) {
		cmd_addr(addr, sizeof addr, h[i].ip, h[i].port);
		if (ctx->json) {
			json_open(&ctx->j, NULL);
			json_str(&ctx->j, "address", addr);
			json_str(&ctx->j, "source", h[i].source);
			json_uint(&ctx->j, "fails", h[i].fails);
			json_uint(&ctx->j, "retry_s", CMD_HOSTS_S(h[i].retry_ms));
			json_bool(&ctx->j, "connected", h[i].connected);
			json_close(&ctx->j);
		} else
			cmd_print(ctx, "%-21s  %-6s  %5u  %7llus  %s\n", addr,
			    h[i].source, h[i].fails,
			    (unsigned long long)CMD_HOSTS_S(h[i].retry_ms),
			    h[i].connected ? "yes" : "no");
	}
	if (ctx->json) {
		json_end(&ctx->j);
		json_close(&ctx->j);
	} else
		cmd_print(ctx, "%zu host%s known\n", n, n == 1 ? "" : "s");
	free(h);
	return CMD_OK;
}

const struct cmd_entry cmd_hosts_entry = {
	.name = "hosts",
	.usage = "hosts",
	.help = "List the hosts the dialer knows, most promising first: "
	    "address, where it was learned (seed, cache, try, pong, user), "
	    "failures in a row, seconds until it may be tried again, and "
	    "whether it is connected now.",
	.min_args = 0,
	.max_args = 0,
	.online = 1,
	.exec = cmd_hosts_exec,
};
