/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-cancel.c: cancel ID: give a download up and remove its partial file.
 */
#include "cmd/cmd.h"
#include "net/net.h"

static enum cmd_retval
cmd_cancel_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	return cmd_download_op(ctx, argv[1], gnet_download_cancel, "cancel",
	    "cancelled", "cancelled");
}

const struct cmd_entry cmd_cancel_entry = {
	.name = "cancel",
	.usage = "cancel ID",
	.help = "Give download ID up for good: its connections are closed and "
	    "its partial file is removed. A finished download cannot be "
	    "cancelled.",
	.min_args = 1,
	.max_args = 1,
	.online = 1,
	.exec = cmd_cancel_exec,
};
