/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-pause.c: pause ID: stop fetching a download; what it has is kept.
 */
#include "cmd/cmd.h"
#include "net/net.h"

static enum cmd_retval
cmd_pause_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	return cmd_download_op(ctx, argv[1], gnet_download_pause, "pause",
	    "paused", "paused");
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
