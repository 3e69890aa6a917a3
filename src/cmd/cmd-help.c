/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-help.c: help [COMMAND].
 */
#include "cmd/cmd.h"

static enum cmd_retval
cmd_help_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*ce;
	size_t			 i;

	if (argc == 2) {
		if ((ce = cmd_find(argv[1])) == NULL)
			return cmd_error(ctx, "unknown command '%s'", argv[1]);
		if (ctx->json) {
			json_open(&ctx->j, NULL);
			json_str(&ctx->j, "name", ce->name);
			json_str(&ctx->j, "usage", ce->usage);
			json_str(&ctx->j, "help", ce->help);
			json_close(&ctx->j);
		} else
			cmd_print(ctx, "usage: %s\n%s\n", ce->usage, ce->help);
		return CMD_OK;
	}
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_array(&ctx->j, "commands");
	}
	for (i = 0; (ce = cmd_at(i)) != NULL; i++) {
		if (ctx->json) {
			json_open(&ctx->j, NULL);
			json_str(&ctx->j, "name", ce->name);
			json_str(&ctx->j, "usage", ce->usage);
			json_close(&ctx->j);
		} else
			cmd_print(ctx, "  %s\n", ce->usage);
	}
	if (ctx->json) {
		json_end(&ctx->j);
		json_close(&ctx->j);
	}
	return CMD_OK;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.usage = "help [COMMAND]",
	.help = "List the commands, or show how to use one.",
	.min_args = 0,
	.max_args = 1,
	.exec = cmd_help_exec,
};
