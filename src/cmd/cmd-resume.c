/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-resume.c: resume ID: let a paused (or failed) download run again.
 */
#include "cmd/cmd.h"
#include "net/net.h"

static enum cmd_retval
cmd_resume_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	return cmd_download_op(ctx, argv[1], gnet_download_resume, "resume",
	    "resumed", "queued");
}

const struct cmd_entry cmd_resume_entry = {
	.name = "resume",
	.usage = "resume ID",
	.help = "Let paused (or failed) download ID run again: it is queued "
	    "and goes on from the chunks it has.",
	.min_args = 1,
	.max_args = 1,
	.online = 1,
	.exec = cmd_resume_exec,
};
