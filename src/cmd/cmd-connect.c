/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-connect.c: connect HOST:PORT: dial a servent now, whatever the
 * dialer's bounds say.
 */
#include <stdlib.h>

#include "cmd/cmd.h"
#include "net/net.h"

static enum cmd_retval
cmd_connect_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char		*cause = NULL;
	uint32_t	 id;

	(void)argc;
	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	if ((id = gnet_connect(ctx->net, argv[1], &cause)) == 0) {
		cmd_error(ctx, "%s", cause != NULL ? cause : "cannot connect");
		free(cause);
		return CMD_ERROR;
	}
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_uint(&ctx->j, "id", id);
		json_str(&ctx->j, "address", argv[1]);
		json_close(&ctx->j);
	} else
		cmd_print(ctx, "connecting to %s (id %u)\n", argv[1], id);
	return CMD_OK;
}

const struct cmd_entry cmd_connect_entry = {
	.name = "connect",
	.usage = "connect HOST:PORT",
	.help = "Dial a servent at once, even past max_peers. The id shown is "
	    "the one peers lists and disconnect takes.",
	.min_args = 1,
	.max_args = 1,
	.online = 1,
	.exec = cmd_connect_exec,
};
