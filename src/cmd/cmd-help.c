/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-help.c: help [COMMAND]: the commands grouped (search and fetch,
 * peers, sharing, node), one line each; or one command's usage and text.
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

/* What `help` lists: each command in its group with one line on it. A
 * command missing here is listed last, under its usage. */
static const struct {
	const char	*group;
	const char	*name;
	const char	*line;
} cmd_help_index[] = {
	{ "Search and fetch", "search", "ask the network for files; hits "
	    "show as they come" },
	{ "Search and fetch", "results", "what the searches found, numbered "
	    "for get" },
	{ "Search and fetch", "get", "download result N (or a URN, a "
	    "magnet) from all its sources" },
	{ "Search and fetch", "downloads", "progress, rate and sources of "
	    "each download (-v: where saved)" },
	{ "Search and fetch", "pause", "stop a download for now" },
	{ "Search and fetch", "resume", "go on with a paused download" },
	{ "Search and fetch", "cancel", "drop a download and its partial "
	    "file" },
	{ "Search and fetch", "magnet", "a magnet link for result N" },
	{ "Peers", "peers", "the connections to other nodes" },
	{ "Peers", "connect", "dial a node at HOST:PORT" },
	{ "Peers", "disconnect", "close connection ID (Bye)" },
	{ "Peers", "hosts", "the host cache: addresses to dial" },
	{ "Sharing", "share", "what this node shares: list, find, rescan, "
	    "stats, dirs, forget" },
	{ "Sharing", "uploads", "what is being sent, and the queue" },
	{ "Node", "stats", "messages, bytes and files, counted" },
	{ "Node", "help", "this list, or help COMMAND for one" },
	{ "Node", "quit", "stop the node (Bye to every peer)" },
};
#define CMD_HELP_NINDEX	(sizeof cmd_help_index / sizeof cmd_help_index[0])
#define CMD_HELP_NAME	12	/* the name column */

/* The index row of a command, or -1. */
static int
cmd_help_row(const char *name)
{
	size_t	 i;

	for (i = 0; i < CMD_HELP_NINDEX; i++)
		if (strcmp(cmd_help_index[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void
cmd_help_list(struct cmd_ctx *ctx)
{
	const struct cmd_entry	*ce;
	const char		*group = NULL;
	size_t			 i;
	int			 other = 0;

	for (i = 0; i < CMD_HELP_NINDEX; i++) {
		if (cmd_find(cmd_help_index[i].name) == NULL)
			continue;
		if (group == NULL || strcmp(group, cmd_help_index[i].group)) {
			group = cmd_help_index[i].group;
			cmd_print(ctx, "%s%s:\n", i > 0 ? "\n" : "", group);
		}
		cmd_print(ctx, "  %-*s%s\n", CMD_HELP_NAME,
		    cmd_help_index[i].name, cmd_help_index[i].line);
	}
	for (i = 0; (ce = cmd_at(i)) != NULL; i++)
		if (cmd_help_row(ce->name) < 0) {
			if (other++ == 0)
				cmd_print(ctx, "\nOther:\n");
			cmd_print(ctx, "  %s\n", ce->usage);
		}
}

static enum cmd_retval
cmd_help_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*ce;
	size_t			 i;
	int			 row;

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
	if (!ctx->json) {
		cmd_help_list(ctx);
		return CMD_OK;
	}
	json_open(&ctx->j, NULL);
	json_array(&ctx->j, "commands");
	for (i = 0; (ce = cmd_at(i)) != NULL; i++) {
		json_open(&ctx->j, NULL);
		json_str(&ctx->j, "name", ce->name);
		json_str(&ctx->j, "usage", ce->usage);
		if ((row = cmd_help_row(ce->name)) >= 0) {
			json_str(&ctx->j, "group", cmd_help_index[row].group);
			json_str(&ctx->j, "brief", cmd_help_index[row].line);
		}
		json_close(&ctx->j);
	}
	json_end(&ctx->j);
	json_close(&ctx->j);
	return CMD_OK;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.usage = "help [COMMAND]",
	.help = "List the commands by what they are for, each with one line "
	    "on it, or show how to use one.",
	.min_args = 0,
	.max_args = 1,
	.exec = cmd_help_exec,
};
