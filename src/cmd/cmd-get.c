/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-get.c: get N|urn:sha1:B32|MAGNET: download a file found by a search
 * (its result number) or named by its SHA-1, from every source known to
 * offer it, or the file of a magnet link. The text answer is "download ID started: NAME", ID being what
 * pause, resume and cancel take.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/cmd.h"
#include "net/net.h"
#include "net/results.h"
#include "wire/huge.h"
#include "wire/magnet.h"

/* Download id as gnet_downloads shows it, into *out; 0 if found, else -1.
 * The strings in *out stay valid until the loop runs again. */
static int
cmd_get_find(struct gnet *net, uint32_t id, struct gnet_download *out)
{
	struct gnet_download	*dl;
	size_t			 n = cmd_downloads_all(net, &dl), i;
	int			 found = -1;

	for (i = 0; i < n; i++)
		if (dl[i].id == id) {
			*out = dl[i];
			found = 0;
			break;
		}
	free(dl);
	return found;
}

/* The state of the download of the file with this SHA-1 into buf, ""
 * when there is none. */
static const char *
cmd_get_state(struct gnet *net, const uint8_t *sha1, char *buf, size_t len)
{
	struct gnet_download	*dl;
	char			 urn[HUGE_URN_SHA1_LEN + 1];
	size_t			 n = cmd_downloads_all(net, &dl), i;

	buf[0] = '\0';
	huge_format_sha1(sha1, urn, sizeof urn);
	for (i = 0; i < n; i++)
		if (strcasecmp(dl[i].urn, urn) == 0 && dl[i].state != NULL)
			snprintf(buf, len, "%s", dl[i].state);
	free(dl);
	return buf;
}

/* A download that was there before this get: what it is, not "started". */
static enum cmd_retval
cmd_get_known(struct cmd_ctx *ctx, const struct gnet_download *d)
{
	char	*name, *path;

	name = cmd_printable(d->name != NULL ? d->name : "");
	if (strcmp(d->state, "done") == 0 && d->path != NULL &&
	    d->path[0] != '\0') {
		path = cmd_printable(d->path);
		cmd_print(ctx, "download %u is done already: saved as %s\n",
		    d->id, path);
		free(path);
	} else
		cmd_print(ctx, "download %u is %s already: %s (see downloads)\n",
		    d->id, d->state, name);
	free(name);
	return CMD_OK;
}

/*
 * The answer to a get that started (or found) download id; before is the
 * state it had before the get ("" for none; a cancelled one starts over
 * under its id).
 */
static enum cmd_retval
cmd_get_started(struct cmd_ctx *ctx, uint32_t id, uint32_t search,
    const char *before)
{
	struct gnet_download	 d;
	char			*name;
	int			 known;

	known = cmd_get_find(ctx->net, id, &d) == 0;
	if (!ctx->json && known && d.state != NULL && before[0] != '\0' &&
	    strcmp(before, "cancelled") != 0)
		return cmd_get_known(ctx, &d);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_uint(&ctx->j, "id", id);
		if (known) {
			json_str(&ctx->j, "name", d.name != NULL ? d.name : "");
			json_uint(&ctx->j, "size", d.size);
			json_str(&ctx->j, "urn", d.urn);
		}
		if (search != 0)
			json_uint(&ctx->j, "search", search);
		if (before[0] != '\0' && strcmp(before, "cancelled") != 0)
			json_str(&ctx->j, "already", before);
		json_close(&ctx->j);
	} else if (known && d.name != NULL) {
		name = cmd_printable(d.name);
		cmd_print(ctx, "download %u started: %s\n", id, name);
		free(name);
	} else
		cmd_print(ctx, "download %u started\n", id);
	return CMD_OK;
}

/* get MAGNET: its sources, and a search by its hash for more. */
static enum cmd_retval
cmd_get_magnet(struct cmd_ctx *ctx, const char *link)
{
	struct magnet	 m;
	char		*cause = NULL, urn[HUGE_URN_SHA1_LEN + 1];
	uint32_t	 id, search = 0;

	if (magnet_parse(link, strlen(link), &m) != WIRE_OK)
		return cmd_error(ctx, "bad magnet: %s", m.why);
	id = gnet_get_magnet(ctx->net, &m, &search, &cause);
	if (id != 0) {
		free(cause);
		return cmd_get_started(ctx, id, search, "");
	}
	if (search == 0) {
		cmd_error(ctx, "%s", cause != NULL ? cause :
		    "cannot download this");
		free(cause);
		return CMD_ERROR;
	}
	/* No xl= and no result knows the size: the first hit gives it. */
	huge_format_sha1(m.sha1, urn, sizeof urn);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_str(&ctx->j, "urn", urn);
		json_uint(&ctx->j, "search", search);
		json_bool(&ctx->j, "waiting", 1);
		json_close(&ctx->j);
	} else
		cmd_print(ctx, "search %u started for %s: the download starts "
		    "with the first hit, which gives its size\n", search, urn);
	return CMD_OK;
}

/* get N for a number no result has: what there is instead. */
static enum cmd_retval
cmd_get_no_result(struct cmd_ctx *ctx, uint32_t num)
{
	const struct results		*store = gnet_results(ctx->net);
	const struct result_search	*s;

	if ((s = results_search(store, results_last(store))) == NULL)
		return cmd_error(ctx, "no result %u: there is no search yet "
		    "(search WORDS first)", num);
	if (s->nres == 0)
		return cmd_error(ctx, "no result %u in search %u: it has found "
		    "nothing yet", num, s->id);
	if (s->nres == 1)
		return cmd_error(ctx, "no result %u in search %u: its one "
		    "result is %u", num, s->id, s->res[0]->number);
	return cmd_error(ctx, "no result %u in search %u: its results are "
	    "%u to %u", num, s->id, s->res[0]->number,
	    s->res[s->nres - 1]->number);
}

static enum cmd_retval
cmd_get_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct magnet		 m;
	char			*cause = NULL;
	const struct result	*r;
	uint32_t		 id, num;
	char			 before[32] = "";

	(void)argc;
	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	if (strncasecmp(argv[1], "magnet:", 7) == 0)
		return cmd_get_magnet(ctx, argv[1]);
	if (strncasecmp(argv[1], "urn:", 4) == 0) {
		/* Say what is wrong with it before looking it up. */
		memset(&m, 0, sizeof m);
		if (magnet_urn(argv[1], strlen(argv[1]), &m) != WIRE_OK)
			return cmd_error(ctx, "bad URN: %s", m.why);
		if (!m.has_sha1)
			return cmd_error(ctx, "bad URN: a Tiger root alone names "
			    "no file to fetch (urn:sha1, urn:bitprint)");
		cmd_get_state(ctx->net, m.sha1, before, sizeof before);
	} else if (cmd_parse_id(argv[1], &num) == 0) {
		if ((r = results_by_number(gnet_results(ctx->net), num)) ==
		    NULL)
			return cmd_get_no_result(ctx, num);
		if (r->has_sha1)
			cmd_get_state(ctx->net, r->sha1, before, sizeof before);
	}
	if ((id = gnet_get(ctx->net, argv[1], &cause)) == 0) {
		cmd_error(ctx, "%s", cause != NULL ? cause :
		    "cannot download this");
		free(cause);
		return CMD_ERROR;
	}
	free(cause);
	/* gnet_get gives the id of a download of the file there already. */
	return cmd_get_started(ctx, id, 0, before);
}

const struct cmd_entry cmd_get_entry = {
	.name = "get",
	.usage = "get N|urn:sha1:SHA1|MAGNET",
	.help = "Download result N (its number as results shows it), or the "
	    "file with this SHA-1 among the results, from every source any "
	    "search found for it, in chunks fetched in parallel. Prints "
	    "\"download ID started: NAME\"; follow it with downloads. A file "
	    "downloaded or downloading already is not fetched again: get says "
	    "where it was saved, or what its download is doing. A magnet link (quote it) "
	    "downloads from the sources it names (xs=, as=) and from every "
	    "hit of a search by its SHA-1 and name; without xl= (its size) "
	    "the download starts with the first hit.",
	.min_args = 1,
	.max_args = 1,
	.online = 1,
	.exec = cmd_get_exec,
};
