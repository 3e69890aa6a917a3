/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-results.c: results [--after N] [ID]: what a search (the newest by
 * default) has found, one line per file however many servents offered it.
 * The result numbers are unique across searches and grow as files come
 * in, so --after N gives only what is new since a reader saw N: the shell
 * follows a search with it, appending rows under the ones on screen.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "net/net.h"
#include "net/results.h"
#include "wire/huge.h"

#define CMD_RESULTS_URN_SHORT	8	/* base32 characters shown in text */

static void
cmd_results_json(struct cmd_ctx *ctx, const struct result *r)
{
	const struct result_source	*src;
	char				 urn[HUGE_URN_SHA1_LEN + 1], addr[32];
	char				 guid[33];
	size_t				 i;

	json_open(&ctx->j, NULL);
	json_uint(&ctx->j, "number", r->number);
	json_str(&ctx->j, "name", r->name);
	json_uint(&ctx->j, "size", r->size);
	if (r->has_sha1) {
		huge_format_sha1(r->sha1, urn, sizeof urn);
		json_str(&ctx->j, "urn", urn);
	}
	json_array(&ctx->j, "sources");
	for (i = 0; i < r->nsrc; i++) {
		src = &r->src[i];
		json_open(&ctx->j, NULL);
		json_str(&ctx->j, "address", cmd_addr(addr, sizeof addr, src->ip,
		    src->port));
		json_uint(&ctx->j, "index", src->index);
		json_uint(&ctx->j, "hops", src->hops);
		json_str(&ctx->j, "guid", cmd_hex(guid, src->guid,
		    sizeof src->guid));
		json_bool(&ctx->j, "push", (src->status & QHIT_S_PUSH) != 0);
		json_close(&ctx->j);
	}
	json_end(&ctx->j);
	json_close(&ctx->j);
}

static void
cmd_results_line(struct cmd_ctx *ctx, const struct result *r)
{
	char	 urn[HUGE_URN_SHA1_LEN + 1], size[32], *name;

	if (r->has_sha1) {
		huge_format_sha1(r->sha1, urn, sizeof urn);
		urn[9 + CMD_RESULTS_URN_SHORT] = '\0';
	} else
		strcpy(urn + 9, "-");
	name = cmd_printable(r->name);
	cmd_print(ctx, "%6u  %10s  %4zu  %-8s  %s\n", r->number,
	    cmd_size(size, sizeof size, r->size), r->nsrc, urn + 9, name);
	free(name);
}

static void
cmd_results_header(struct cmd_ctx *ctx)
{
	cmd_print(ctx, "%6s  %10s  %4s  %-8s  %s\n", "NUMBER", "SIZE", "SRCS",
	    "SHA1", "NAME");
}

static enum cmd_retval
cmd_results_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct results		*store;
	const struct result_search	*s;
	uint32_t			 id, after = 0;
	size_t				 i, shown;
	int				 active, follow = 0;

	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	store = gnet_results(ctx->net);
	argc--;
	argv++;
	if (argc >= 1 && strcmp(argv[0], "--after") == 0) {
		if (argc < 2 || cmd_parse_number(argv[1], &after) != 0)
			return cmd_error(ctx, "usage: %s",
			    cmd_results_entry.usage);
		follow = 1;
		argc -= 2;
		argv += 2;
	}
	if (argc > 1)
		return cmd_error(ctx, "usage: %s", cmd_results_entry.usage);
	if (argc == 1) {
		if (cmd_parse_number(argv[0], &id) != 0 ||
		    (s = results_search(store, id)) == NULL)
			return cmd_error(ctx, "no such search: %s", argv[0]);
	} else if ((s = results_search(store, results_last(store))) == NULL)
		return cmd_error(ctx, "no searches yet");
	active = gnet_search_active(ctx->net, s->id);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_uint(&ctx->j, "search", s->id);
		json_str(&ctx->j, "text", s->text);
		json_str(&ctx->j, "strategy", s->strategy);
		json_bool(&ctx->j, "active", active);
		json_uint(&ctx->j, "hits", s->hits);
		json_array(&ctx->j, "results");
		for (i = 0; i < s->nres; i++)
			if (s->res[i]->number > after)
				cmd_results_json(ctx, s->res[i]);
		json_end(&ctx->j);
		json_close(&ctx->j);
		return CMD_OK;
	}
	if (follow) {
		/* Rows only; the header with the first of them. */
		for (i = shown = 0; i < s->nres; i++) {
			if (s->res[i]->number <= after)
				continue;
			if (shown++ == 0 && after == 0)
				cmd_results_header(ctx);
			cmd_results_line(ctx, s->res[i]);
		}
		return CMD_OK;
	}
	cmd_print(ctx, "search %u \"%s\" (%s, %s): %llu hit%s, %zu file%s\n",
	    s->id, s->text, s->strategy, active ? "active" : "done",
	    (unsigned long long)s->hits, s->hits == 1 ? "" : "s", s->nres,
	    s->nres == 1 ? "" : "s");
	if (s->nres > 0)
		cmd_results_header(ctx);
	for (i = 0; i < s->nres; i++)
		cmd_results_line(ctx, s->res[i]);
	return CMD_OK;
}

const struct cmd_entry cmd_results_entry = {
	.name = "results",
	.usage = "results [--after N] [ID]",
	.help = "Show what search ID (the newest if none is given) has found: "
	    "one line per file with its number, size, how many servents offer "
	    "it, the start of its SHA-1 and its name. Hits with the same SHA-1 "
	    "(or, without one, the same name and size) are one file. With "
	    "--after N, only the files numbered above N, without the summary "
	    "line (the column header comes first when N is 0): what is new "
	    "since the reader saw N.",
	.min_args = 0,
	.max_args = 3,
	.online = 1,
	.exec = cmd_results_exec,
};
