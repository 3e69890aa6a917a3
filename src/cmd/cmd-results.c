/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-results.c: results [--after N] [ID]: what a search (every search
 * so far by default) has found, one line per file however many servents offered it.
 * The result numbers are unique across searches and grow as files come
 * in, so --after N gives only what is new since a reader saw N: the shell
 * follows a search with it, appending rows under the ones on screen.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/table.h"
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
		json_uint(&ctx->j, "proxies", src->npp);
		json_bool(&ctx->j, "partial", src->partial != 0);
		if (src->partial)
			json_uint(&ctx->j, "available", src->avail);
		json_close(&ctx->j);
	}
	json_end(&ctx->j);
	json_close(&ctx->j);
}

/* Columns at fixed least widths, so rows the shell appends later line
 * up under the header; a narrow screen loses the SHA-1, then the size. */
enum { RC_NUMBER, RC_SIZE, RC_SRCS, RC_SHA1, RC_NAME, RC_N };

static struct table *
cmd_results_table(int header)
{
	struct table	*t = table_new(RC_N);

	table_col(t, RC_NUMBER, "NUMBER", 6, TABLE_RIGHT, 0);
	table_col(t, RC_SIZE, "SIZE", 10, TABLE_RIGHT, 2);
	table_col(t, RC_SRCS, "SRCS", 4, TABLE_RIGHT, 1);
	table_col(t, RC_SHA1, "SHA1", CMD_RESULTS_URN_SHORT, 0, 3);
	table_col(t, RC_NAME, "NAME", 0, TABLE_FLEX, 0);
	if (!header)
		table_no_header(t);
	return t;
}

static void
cmd_results_row(struct table *t, const struct result *r)
{
	char		 num[16], urn[HUGE_URN_SHA1_LEN + 1], size[32], srcs[24];
	char		*name;
	const char	*cells[RC_N];

	if (r->has_sha1) {
		huge_format_sha1(r->sha1, urn, sizeof urn);
		urn[9 + CMD_RESULTS_URN_SHORT] = '\0';
	} else
		strcpy(urn + 9, "-");
	name = cmd_printable(r->name);
	snprintf(num, sizeof num, "%u", r->number);
	snprintf(srcs, sizeof srcs, "%zu", r->nsrc);
	cells[RC_NUMBER] = num;
	cells[RC_SIZE] = cmd_size(size, sizeof size, r->size);
	cells[RC_SRCS] = srcs;
	cells[RC_SHA1] = urn + 9;
	cells[RC_NAME] = name;
	table_row(t, cells);
	free(name);
}

static void
cmd_results_search_json(struct cmd_ctx *ctx, const struct result_search *s,
    uint32_t after)
{
	size_t	 i;

	json_uint(&ctx->j, "search", s->id);
	json_str(&ctx->j, "text", s->text);
	json_str(&ctx->j, "strategy", s->strategy);
	json_bool(&ctx->j, "active", gnet_search_active(ctx->net, s->id));
	json_uint(&ctx->j, "hits", s->hits);
	json_array(&ctx->j, "results");
	for (i = 0; i < s->nres; i++)
		if (s->res[i]->number > after)
			cmd_results_json(ctx, s->res[i]);
	json_end(&ctx->j);
}

/* One search as text: its summary line, then its files. */
static void
cmd_results_search_text(struct cmd_ctx *ctx, const struct result_search *s)
{
	struct table	*t;
	char		 hits[32], files[32];
	size_t		 i;

	cmd_print(ctx, "search %u \"%s\" (%s, %s): %s, %s\n", s->id, s->text,
	    s->strategy, gnet_search_active(ctx->net, s->id) ? "active" :
	    "done", cmd_count(hits, sizeof hits, s->hits, "hit"),
	    cmd_count(files, sizeof files, s->nres, "file"));
	if (s->nres == 0)
		return;
	t = cmd_results_table(1);
	for (i = 0; i < s->nres; i++)
		cmd_results_row(t, s->res[i]);
	table_print(t, ctx);
	table_free(t);
}

static enum cmd_retval
cmd_results_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct results		*store;
	const struct result_search	*s;
	struct table			*t;
	uint32_t			 id, after = 0;
	size_t				 i, shown;
	int				 follow = 0;

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
	if (argc == 0 && follow) {
		/* --after alone: the newest search. */
		if ((s = results_search(store, results_last(store))) == NULL)
			return cmd_error(ctx, "no searches yet");
	} else if (argc == 0) {
		/* Every search so far, oldest first. */
		if (results_search_at(store, 0) == NULL)
			return cmd_error(ctx, "no searches yet");
		if (ctx->json) {
			json_open(&ctx->j, NULL);
			json_array(&ctx->j, "searches");
		}
		for (i = 0; (s = results_search_at(store, i)) != NULL; i++) {
			if (ctx->json) {
				json_open(&ctx->j, NULL);
				cmd_results_search_json(ctx, s, 0);
				json_close(&ctx->j);
			} else
				cmd_results_search_text(ctx, s);
		}
		if (ctx->json) {
			json_end(&ctx->j);
			json_close(&ctx->j);
		}
		return CMD_OK;
	}
	else if (cmd_parse_number(argv[0], &id) != 0 ||
	    (s = results_search(store, id)) == NULL)
		return cmd_error(ctx, "no such search: %s", argv[0]);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		cmd_results_search_json(ctx, s, after);
		json_close(&ctx->j);
		return CMD_OK;
	}
	if (!follow) {
		cmd_results_search_text(ctx, s);
		return CMD_OK;
	}
	/* Rows only; the header with the first of them. */
	t = cmd_results_table(after == 0);
	for (i = shown = 0; i < s->nres; i++)
		if (s->res[i]->number > after) {
			cmd_results_row(t, s->res[i]);
			shown++;
		}
	if (shown > 0)
		table_print(t, ctx);
	table_free(t);
	return CMD_OK;
}

const struct cmd_entry cmd_results_entry = {
	.name = "results",
	.usage = "results [--after N] [ID]",
	.help = "Show what search ID (every search so far, oldest first, if "
	    "none is given) has found: one line per file with its number, size, how many servents offer "
	    "it, the start of its SHA-1 and its name. Hits with the same SHA-1 "
	    "(or, without one, the same name and size) are one file. With "
	    "--after N, only the files numbered above N, without the summary "
	    "line (the column header comes first when N is 0): what is new "
	    "since the reader saw N. Long names are cut to fit the screen; on "
	    "a narrow one the SHA-1 and the size go first.",
	.min_args = 0,
	.max_args = 3,
	.online = 1,
	.exec = cmd_results_exec,
};
