/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-results.c: results [ID]: what a search (the newest by default) has
 * found, one line per file however many servents offered it. The result
 * numbers are unique across searches.
 */
#include <errno.h>
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

static enum cmd_retval
cmd_results_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct results		*store;
	const struct result_search	*s;
	unsigned long			 id;
	char				*end;
	size_t				 i;
	int				 active;

	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	store = gnet_results(ctx->net);
	if (argc == 2) {
		errno = 0;
		id = strtoul(argv[1], &end, 10);
		if (argv[1][0] < '0' || argv[1][0] > '9' || errno != 0 ||
		    *end != '\0' || id > UINT32_MAX ||
		    (s = results_search(store, (uint32_t)id)) == NULL)
			return cmd_error(ctx, "no such search: %s", argv[1]);
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
			cmd_results_json(ctx, s->res[i]);
		json_end(&ctx->j);
		json_close(&ctx->j);
		return CMD_OK;
	}
	cmd_print(ctx, "search %u \"%s\" (%s, %s): %llu hit%s, %zu file%s\n",
	    s->id, s->text, s->strategy, active ? "active" : "done",
	    (unsigned long long)s->hits, s->hits == 1 ? "" : "s", s->nres,
	    s->nres == 1 ? "" : "s");
	if (s->nres > 0)
		cmd_print(ctx, "%6s  %10s  %4s  %-8s  %s\n", "NUMBER", "SIZE",
		    "SRCS", "SHA1", "NAME");
	for (i = 0; i < s->nres; i++)
		cmd_results_line(ctx, s->res[i]);
	return CMD_OK;
}

const struct cmd_entry cmd_results_entry = {
	.name = "results",
	.usage = "results [ID]",
	.help = "Show what search ID (the newest if none is given) has found: "
	    "one line per file with its number, size, how many servents offer "
	    "it, the start of its SHA-1 and its name. Hits with the same SHA-1 "
	    "(or, without one, the same name and size) are one file.",
	.min_args = 0,
	.max_args = 1,
	.online = 1,
	.exec = cmd_results_exec,
};
