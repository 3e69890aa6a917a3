/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-get.c: get N|urn:sha1:B32: download a file found by a search (its
 * result number) or named by its SHA-1, from every source known to offer
 * it. The text answer is "download ID started: NAME", ID being what
 * pause, resume and cancel take.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lib/xmalloc.h"
#include "net/net.h"

#define CMD_GET_FIRST	64	/* downloads asked for at first */

/* Download id as gnet_downloads shows it, into *out; 0 if found, else -1.
 * The strings in *out stay valid until the loop runs again. */
static int
cmd_get_find(struct gnet *net, uint32_t id, struct gnet_download *out)
{
	struct gnet_download	*dl = NULL;
	size_t			 max = CMD_GET_FIRST, n, i;
	int			 found = -1;

	for (;;) {
		dl = xreallocarray(dl, max, sizeof *dl);
		n = gnet_downloads(net, dl, max);
		if (n < max)
			break;
		max *= 2;
	}
	for (i = 0; i < n; i++)
		if (dl[i].id == id) {
			*out = dl[i];
			found = 0;
			break;
		}
	free(dl);
	return found;
}

static enum cmd_retval
cmd_get_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct gnet_download	 d;
	char			*cause = NULL, *name;
	uint32_t		 id;
	int			 known;

	(void)argc;
	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	if ((id = gnet_get(ctx->net, argv[1], &cause)) == 0) {
		cmd_error(ctx, "%s", cause != NULL ? cause :
		    "cannot download this");
		free(cause);
		return CMD_ERROR;
	}
	free(cause);
	known = cmd_get_find(ctx->net, id, &d) == 0;
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_uint(&ctx->j, "id", id);
		if (known) {
			json_str(&ctx->j, "name", d.name != NULL ? d.name : "");
			json_uint(&ctx->j, "size", d.size);
			json_str(&ctx->j, "urn", d.urn);
		}
		json_close(&ctx->j);
	} else if (known && d.name != NULL) {
		name = cmd_printable(d.name);
		cmd_print(ctx, "download %u started: %s\n", id, name);
		free(name);
	} else
		cmd_print(ctx, "download %u started\n", id);
	return CMD_OK;
}

const struct cmd_entry cmd_get_entry = {
	.name = "get",
	.usage = "get N|urn:sha1:SHA1",
	.help = "Download result N (its number as results shows it), or the "
	    "file with this SHA-1 among the results, from every source any "
	    "search found for it, in chunks fetched in parallel. Prints "
	    "\"download ID started: NAME\"; follow it with downloads. A file "
	    "already downloading gives its id.",
	.min_args = 1,
	.max_args = 1,
	.online = 1,
	.exec = cmd_get_exec,
};
