/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-search.c: search [-s STRATEGY] [-t TTL] [-w WALKERS] WORDS...: send
 * a query into the network. Without options the node's [search] defaults
 * apply; an option overrides one of them for this search only. The text
 * answer is "search N started: WORDS", N being the id `results` takes.
 * A urn:sha1 or a magnet link before the words searches by hash.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/cmd.h"
#include "conf/conf.h"
#include "lib/xmalloc.h"
#include "net/net.h"
#include "net/results.h"
#include "wire/norm.h"
#include "wire/magnet.h"

static const char *const cmd_search_strategies[] = {
	"flood", "ring", "walk", "dq",
};

/* A decimal number from 1 to max, digits only; -1 if it is not. */
static long
cmd_search_number(const char *s, long max)
{
	char	*end;
	long	 v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > max)
		return -1;
	return v;
}

static int
cmd_search_strategy(const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof cmd_search_strategies /
	    sizeof cmd_search_strategies[0]; i++)
		if (strcmp(s, cmd_search_strategies[i]) == 0)
			return 0;
	return -1;
}

/* The node's defaults, as gnet_search(NULL) would take them. */
static void
cmd_search_defaults(const struct conf *c, struct search_opts *o)
{
	memset(o, 0, sizeof *o);
	if (c == NULL)
		return;
	o->strategy = c->strategy;
	o->ttl = c->ttl > UINT8_MAX ? UINT8_MAX : (uint8_t)c->ttl;
	o->walkers = c->walkers > UINT16_MAX ? UINT16_MAX : (uint16_t)c->walkers;
	o->walk_ttl = c->walk_ttl > UINT16_MAX ? UINT16_MAX :
	    (uint16_t)c->walk_ttl;
	o->check = c->check > UINT16_MAX ? UINT16_MAX : (uint16_t)c->check;
	o->target = c->target;
}

/* The strategy a search runs with: the store knows what the node really
 * used; the options are a fallback. */
static const char *
cmd_search_used(struct cmd_ctx *ctx, uint32_t id, const struct search_opts *o)
{
	const struct result_search	*rs;

	rs = results_search(gnet_results(ctx->net), id);
	if (rs != NULL && rs->strategy[0] != '\0')
		return rs->strategy;
	if (o != NULL && o->strategy != NULL)
		return o->strategy;
	if (ctx->conf != NULL && ctx->conf->strategy != NULL)
		return ctx->conf->strategy;
	return "flood";
}

/* The words joined by single spaces (to free). */
static char *
cmd_search_join(int argc, char **argv)
{
	size_t	 len = 1, off = 0, n;
	char	*text;
	int	 i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	text = xmalloc(len);
	for (i = 0; i < argc; i++) {
		if (i > 0)
			text[off++] = ' ';
		n = strlen(argv[i]);
		memcpy(text + off, argv[i], n);
		off += n;
	}
	text[off] = '\0';
	return text;
}

/* search urn:sha1:... [WORDS] or search 'magnet:?...' [WORDS]: the URN
 * in the query, and words with it, since gtk-gnutella's QRP lets no query
 * without words reach a leaf: those given, else the magnet's name. */
static enum cmd_retval
cmd_search_hash(struct cmd_ctx *ctx, int argc, char **argv,
    const struct search_opts *o)
{
	struct magnet	 m;
	const char	*cause = NULL;
	char		 urn[HUGE_URN_SHA1_LEN + 1], *words, *shown;
	uint32_t	 id;

	if (strncasecmp(argv[0], "magnet:", 7) == 0) {
		if (magnet_parse(argv[0], strlen(argv[0]), &m) != WIRE_OK)
			return cmd_error(ctx, "bad magnet: %s", m.why);
	} else {
		memset(&m, 0, sizeof m);
		if (magnet_urn(argv[0], strlen(argv[0]), &m) != WIRE_OK)
			return cmd_error(ctx, "bad URN: %s", m.why);
		if (!m.has_sha1)
			return cmd_error(ctx, "bad URN: a Tiger root alone "
			    "names no file to search by (urn:sha1, "
			    "urn:bitprint)");
	}
	if (argc > 1)
		words = cmd_search_join(argc - 1, argv + 1);
	else {
		words = xmalloc(GNET_URN_WORDS + 1);
		gnet_name_words(m.has_name ? m.name : "", words,
		    GNET_URN_WORDS + 1);
	}
	if ((id = gnet_search_sha1(ctx->net, words, m.sha1, o, &cause)) == 0) {
		cmd_error(ctx, "%s", cause != NULL ? cause : "search failed");
		free(words);
		return CMD_ERROR;
	}
	huge_format_sha1(m.sha1, urn, sizeof urn);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_uint(&ctx->j, "id", id);
		json_str(&ctx->j, "text", words);
		json_str(&ctx->j, "urn", urn);
		json_str(&ctx->j, "strategy", cmd_search_used(ctx, id, o));
		json_close(&ctx->j);
	} else {
		shown = cmd_printable(words);
		cmd_print(ctx, "search %u started: %s%s%s\n", id, urn,
		    shown[0] != '\0' ? " " : "", shown);
		free(shown);
	}
	free(words);
	return CMD_OK;
}

static enum cmd_retval
cmd_search_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct search_opts		 o;
	const char			*cause = NULL, *strategy;
	char				*text;
	uint32_t			 id;
	long				 v;
	int				 i, opts = 0;

	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	cmd_search_defaults(ctx->conf, &o);
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (argv[i][2] != '\0' || i + 1 >= argc)
			return cmd_error(ctx, "usage: %s", cmd_search_entry.usage);
		switch (argv[i][1]) {
		case 's':
			if (cmd_search_strategy(argv[i + 1]) != 0)
				return cmd_error(ctx, "unknown strategy: %s "
				    "(flood, ring, walk, dq)", argv[i + 1]);
			o.strategy = argv[i + 1];
			break;
		case 't':
			if ((v = cmd_search_number(argv[i + 1], 15)) < 0)
				return cmd_error(ctx, "bad TTL: %s", argv[i + 1]);
			o.ttl = (uint8_t)v;
			break;
		case 'w':
			if ((v = cmd_search_number(argv[i + 1], 64)) < 0)
				return cmd_error(ctx, "bad walker count: %s",
				    argv[i + 1]);
			o.walkers = (uint16_t)v;
			break;
		default:
			return cmd_error(ctx, "usage: %s", cmd_search_entry.usage);
		}
		opts = 1;
		i++;
	}
	if (i >= argc)
		return cmd_error(ctx, "usage: %s", cmd_search_entry.usage);
	/* Query text goes to every peer as UTF-8 (and into their FTS):
	 * bytes that are not UTF-8 are refused here, not sent on. */
	for (v = i; v < argc; v++)
		if (!norm_utf8_valid(argv[v], strlen(argv[v])))
			return cmd_error(ctx, "search text is not UTF-8");
	if (strncasecmp(argv[i], "magnet:", 7) == 0 ||
	    strncasecmp(argv[i], "urn:", 4) == 0)
		return cmd_search_hash(ctx, argc - i, argv + i,
		    opts ? &o : NULL);
	text = cmd_search_join(argc - i, argv + i);
	if ((id = gnet_search(ctx->net, text, opts ? &o : NULL, &cause)) == 0) {
		cmd_error(ctx, "%s", cause != NULL ? cause : "search failed");
		free(text);
		return CMD_ERROR;
	}
	strategy = cmd_search_used(ctx, id, opts ? &o : NULL);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_uint(&ctx->j, "id", id);
		json_str(&ctx->j, "text", text);
		json_str(&ctx->j, "strategy", strategy);
		json_close(&ctx->j);
	} else
		cmd_print(ctx, "search %u started: %s\n", id, text);
	free(text);
	return CMD_OK;
}

const struct cmd_entry cmd_search_entry = {
	.name = "search",
	.usage = "search [-s flood|ring|walk|dq] [-t TTL] [-w WALKERS] "
	    "[urn:sha1:SHA1|MAGNET] WORDS...",
	.help = "Search the network for WORDS. Options come before the words "
	    "and override the [search] settings for this search: -s the "
	    "strategy, -t the TTL (the largest for ring and dq), -w the number "
	    "of walkers. Prints \"search N started: WORDS\"; see the hits with "
	    "results N. A urn:sha1 (or urn:bitprint) or a magnet link first "
	    "searches for that one file: the words go with it (a magnet's "
	    "name when none are given), and only hits with that SHA-1 are "
	    "results.",
	.min_args = 1,
	.max_args = -1,
	.online = 1,
	.exec = cmd_search_exec,
};
