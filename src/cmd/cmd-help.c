/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-help.c: help [COMMAND].
 */
#include <string.h>

#include "cmd/cmd.h"

#define CMD_HELP_WIDTH	72	/* columns a help text is wrapped at */

/* A help text for people: wrapped at word boundaries. */
static void
cmd_help_wrap(struct cmd_ctx *ctx, const char *text)
{
	const char	*p = text, *end;
	size_t		 col = 0, n;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		end = p + strcspn(p, " ");
		n = (size_t)(end - p);
		if (col > 0 && col + 1 + n > CMD_HELP_WIDTH) {
			cmd_print(ctx, "\n");
			col = 0;
		}
		cmd_print(ctx, "%s%.*s", col > 0 ? " " : "", (int)n, p);
		col += (col > 0) + n;
		p = end;
	}
	cmd_print(ctx, "\n");
}

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
		} else {
			cmd_print(ctx, "usage: %s\n", ce->usage);
			cmd_help_wrap(ctx, ce->help);
		}
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
