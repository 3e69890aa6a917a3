/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-disconnect.c: disconnect ID: close a connection with Bye 201 (User
 * Manual Removal).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "net/net.h"

static enum cmd_retval
cmd_disconnect_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*s = argv[1];
	char		*end;
	unsigned long	 id;

	(void)argc;
	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	/* Digits only: strtoul alone would take " 7", "+7" and "-7". */
	if (!isdigit((unsigned char)s[0]))
		return cmd_error(ctx, "no such connection: %s", s);
	errno = 0;
	id = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || id == 0 || id > UINT32_MAX ||
	    gnet_disconnect(ctx->net, (uint32_t)id) != 0)
		return cmd_error(ctx, "no such connection: %s", s);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_uint(&ctx->j, "id", id);
		json_close(&ctx->j);
	} else
		cmd_print(ctx, "disconnected %lu\n", id);
	return CMD_OK;
}

const struct cmd_entry cmd_disconnect_entry = {
	.name = "disconnect",
	.usage = "disconnect ID",
	.help = "Close a connection (its id as peers shows it) with Bye 201. "
	    "The dialer may pick the host again later.",
	.min_args = 1,
	.max_args = 1,
	.online = 1,
	.exec = cmd_disconnect_exec,
};
