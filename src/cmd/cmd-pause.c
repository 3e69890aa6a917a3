/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-pause.c: pause ID: stop fetching a download; what it has is kept.
 */
#include <stdint.h>
#include <string.h>

#include "cmd/cmd.h"
#include "net/net.h"

static enum cmd_retval
cmd_pause_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*cause = NULL;
	uint32_t	 id;

	(void)argc;
	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	if (cmd_parse_id(argv[1], &id) != 0)
		return cmd_error(ctx, "no such download: %s", argv[1]);
	if (gnet_download_pause(ctx->net, id, &cause) != 0) {
		if (cause == NULL || strcmp(cause, "no such download") == 0)
			return cmd_error(ctx, "no such download: %s", argv[1]);
		return cmd_error(ctx, "cannot pause download %u: %s", id, cause);
	}
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_uint(&ctx->j, "id", id);
		json_str(&ctx->j, "state", "paused");
		json_close(&ctx->j);
	} else
		cmd_print(ctx, "download %u paused\n", id);
	return CMD_OK;
}

const struct cmd_entry cmd_pause_entry = {
	.name = "pause",
	.usage = "pause ID",
	.help = "Pause download ID (as downloads shows it): its connections "
	    "are closed and no chunk is fetched until resume ID. What it has "
	    "is kept, across a restart too.",
	.min_args = 1,
	.max_args = 1,
	.online = 1,
	.exec = cmd_pause_exec,
};
