/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-quit.c: quit: stop the running node, saying Bye to its peers.
 */
#include "cmd/cmd.h"
#include "net/net.h"

static enum cmd_retval
cmd_quit_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	gnet_quit(ctx->net);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_bool(&ctx->j, "quit", 1);
		json_close(&ctx->j);
	} else
		cmd_print(ctx, "bye\n");
	return CMD_OK;
}

const struct cmd_entry cmd_quit_entry = {
	.name = "quit",
	.usage = "quit",
	.help = "Stop the running node: Bye 200 to every peer, the host cache "
	    "saved, the control socket removed.",
	.min_args = 0,
	.max_args = 0,
	.online = 1,
	.exec = cmd_quit_exec,
};
