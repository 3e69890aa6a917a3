/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-magnet.c: magnet N: the magnet link of result N (its SHA-1, Tiger
 * root when the hit gave one, name, size and the sources that offered
 * it), so that another user, of gnode or gtk-gnutella, can fetch the
 * same file with `get` or `download add`.
 */
#include <string.h>

#include "cmd/cmd.h"
#include "net/net.h"
#include "net/results.h"
#include "wire/magnet.h"

/* The name into the link, cut at a UTF-8 character when too long. */
void
cmd_magnet_name(struct magnet *m, const char *name)
{
	size_t	 n = strlen(name);

	if (n > MAGNET_NAME_MAX) {
		n = MAGNET_NAME_MAX;
		while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(m->name, name, n);
	m->name[n] = '\0';
	m->has_name = n > 0;
}

static enum cmd_retval
cmd_magnet_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct result	*r;
	struct magnet		 m;
	char			 link[MAGNET_MAX_LEN + 1];
	uint32_t		 num;
	size_t			 i;

	(void)argc;
	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	if (cmd_parse_id(argv[1], &num) != 0 ||
	    (r = results_by_number(gnet_results(ctx->net), num)) == NULL)
		return cmd_error(ctx, "no result %s (see results)", argv[1]);
	if (!r->has_sha1)
		return cmd_error(ctx, "result %u has no SHA-1: no magnet can "
		    "name it", num);
	memset(&m, 0, sizeof m);
	memcpy(m.sha1, r->sha1, SHA1_LEN);
	m.has_sha1 = 1;
	if (r->has_tth) {
		memcpy(m.tth, r->tth, TTH_LEN);
		m.has_tth = 1;
	}
	cmd_magnet_name(&m, r->name);
	m.size = r->size;
	m.has_size = 1;
	/* Firewalled servents are reached by a push, which a link cannot
	 * ask for: only those we could dial. */
	for (i = 0; i < r->nsrc && m.nsrc < MAGNET_MAX_SOURCES; i++) {
		if (r->src[i].ip == 0 || r->src[i].port == 0 ||
		    (r->src[i].status & QHIT_S_PUSH))
			continue;
		m.src[m.nsrc].ip = r->src[i].ip;
		m.src[m.nsrc++].port = r->src[i].port;
	}
	if (magnet_format(&m, link, sizeof link) == 0)
		return cmd_error(ctx, "result %u does not fit a magnet link",
		    num);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_uint(&ctx->j, "number", num);
		json_str(&ctx->j, "magnet", link);
		json_uint(&ctx->j, "sources", m.nsrc);
		json_close(&ctx->j);
	} else
		cmd_print(ctx, "%s\n", link);
	return CMD_OK;
}

const struct cmd_entry cmd_magnet_entry = {
	.name = "magnet",
	.usage = "magnet N",
	.help = "Print the magnet link of result N: its urn:sha1 (and "
	    "urn:bitprint when the hit gave a Tiger root), name, size and one "
	    "xs= for each servent that offered it, for get on another node or "
	    "download add in gtk-gnutella.",
	.min_args = 1,
	.max_args = 1,
	.online = 1,
	.exec = cmd_magnet_exec,
};
