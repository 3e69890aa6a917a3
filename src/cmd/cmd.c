/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd.c: the command table, lookup, argument checks and output helpers.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lib/xmalloc.h"

static const struct cmd_entry *const cmd_table[] = {
	&cmd_help_entry,
	&cmd_share_entry,
};

const struct cmd_entry *
cmd_at(size_t i)
{
	return i < sizeof cmd_table / sizeof cmd_table[0] ? cmd_table[i] : NULL;
}

const struct cmd_entry *
cmd_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof cmd_table / sizeof cmd_table[0]; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

/* Run argv[0] with its arguments. */
enum cmd_retval
cmd_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*ce;

	json_init(&ctx->j, ctx->out);
	if (argc < 1)
		return cmd_error(ctx, "no command");
	if ((ce = cmd_find(argv[0])) == NULL)
		return cmd_error(ctx, "unknown command: %s (try help)", argv[0]);
	if (argc - 1 < ce->min_args ||
	    (ce->max_args >= 0 && argc - 1 > ce->max_args))
		return cmd_error(ctx, "usage: %s", ce->usage);
	return ce->exec(ctx, argc, argv);
}

void
cmd_print(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vfprintf(ctx->out, fmt, ap);
	va_end(ap);
}

/* Report a failure on the answer stream, in the answer's format. */
enum cmd_retval
cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (ctx->json) {
		json_init(&ctx->j, ctx->out);
		json_open(&ctx->j, NULL);
		json_str(&ctx->j, "error", msg != NULL ? msg : "out of memory");
		json_close(&ctx->j);
	} else
		fprintf(ctx->out, "error: %s\n", msg != NULL ? msg :
		    "out of memory");
	free(msg);
	return CMD_ERROR;
}

/* Sizes for people, in powers of 1024. */
const char *
cmd_size(char *buf, size_t len, uint64_t n)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double			 v = (double)n;
	size_t			 u = 0;

	while (v >= 1024 && u < sizeof units / sizeof units[0] - 1) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%llu B", (unsigned long long)n);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
	return buf;
}
