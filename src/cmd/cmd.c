/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd.c: the command table, lookup, argument checks and output helpers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lib/xmalloc.h"

static const struct cmd_entry *const cmd_table[] = {
	&cmd_help_entry,
	&cmd_share_entry,
	&cmd_peers_entry,
	&cmd_connect_entry,
	&cmd_disconnect_entry,
	&cmd_hosts_entry,
	&cmd_search_entry,
	&cmd_results_entry,
	&cmd_stats_entry,
	&cmd_quit_entry,
	&cmd_uploads_entry,
	&cmd_get_entry,
	&cmd_downloads_entry,
	&cmd_pause_entry,
	&cmd_resume_entry,
	&cmd_cancel_entry,
	&cmd_magnet_entry,
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

	uint32_t		 width;

	json_init(&ctx->j, ctx->out);
	if (argc >= 2 && strcmp(argv[0], "--width") == 0) {
		if (cmd_parse_number(argv[1], &width) != 0 || width > 10000)
			return cmd_error(ctx, "usage: --width COLUMNS COMMAND "
			    "[ARGS...]");
		ctx->width = (int)width;
		argc -= 2;
		argv += 2;
	}
	if (argc < 1)
		return cmd_error(ctx, "no command");
	if ((ce = cmd_find(argv[0])) == NULL)
		return cmd_error(ctx, "unknown command '%s' (try help)",
		    argv[0]);
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

/* A count and its noun, agreeing: "1 file", "2 files", "0 files". */
const char *
cmd_count(char *buf, size_t len, uint64_t n, const char *word)
{
	snprintf(buf, len, "%llu %s%s", (unsigned long long)n, word,
	    n == 1 ? "" : "s");
	return buf;
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

/* An address for people and JSON: dotted quad and port. */
const char *
cmd_addr(char *buf, size_t len, uint32_t ip, uint16_t port)
{
	snprintf(buf, len, "%u.%u.%u.%u:%u", ip >> 24, (ip >> 16) & 0xff,
	    (ip >> 8) & 0xff, ip & 0xff, (unsigned)port);
	return buf;
}

/* A duration for people: 00:12:03, or 2d 03:04:05. */
const char *
cmd_duration(char *buf, size_t len, uint64_t ms)
{
	uint64_t	 s = ms / 1000;

	if (s >= 86400)
		snprintf(buf, len, "%llud %02u:%02u:%02u",
		    (unsigned long long)(s / 86400), (unsigned)(s % 86400 / 3600),
		    (unsigned)(s % 3600 / 60), (unsigned)(s % 60));
	else
		snprintf(buf, len, "%02u:%02u:%02u", (unsigned)(s / 3600),
		    (unsigned)(s % 3600 / 60), (unsigned)(s % 60));
	return buf;
}

/* Bytes as hex, for GUIDs. */
const char *
cmd_hex(char *out, const uint8_t *p, size_t n)
{
	static const char	 digits[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0xf];
	}
	out[2 * n] = '\0';
	return out;
}

/* Names and agents from peers could hold escape sequences: not on our
 * terminal. */
char *
cmd_printable(const char *s)
{
	char	*copy, *p;

	copy = xstrdup(s);
	for (p = copy; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return copy;
}

/* Digits only: strtoul alone would take " 7", "+7" and "-7". */
int
cmd_parse_number(const char *s, uint32_t *n)
{
	unsigned long	 v;
	char		*end;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > UINT32_MAX)
		return -1;
	*n = (uint32_t)v;
	return 0;
}

int
cmd_parse_id(const char *s, uint32_t *id)
{
	uint32_t	 v;

	if (cmd_parse_number(s, &v) != 0 || v == 0)
		return -1;
	*id = v;
	return 0;
}

/* pause/resume/cancel ID: one download operation, answered alike. */
enum cmd_retval
cmd_download_op(struct cmd_ctx *ctx, const char *arg,
    int (*op)(struct gnet *, uint32_t, const char **), const char *verb,
    const char *done, const char *state)
{
	const char	*cause = NULL;
	uint32_t	 id;

	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	if (cmd_parse_id(arg, &id) != 0)
		return cmd_error(ctx, "no such download: %s", arg);
	if (op(ctx->net, id, &cause) != 0) {
		if (cause == NULL || strcmp(cause, "no such download") == 0)
			return cmd_error(ctx, "no such download: %s", arg);
		return cmd_error(ctx, "cannot %s download %u: %s", verb, id,
		    cause);
	}
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_uint(&ctx->j, "id", id);
		json_str(&ctx->j, "state", state);
		json_close(&ctx->j);
	} else
		cmd_print(ctx, "download %u %s\n", id, done);
	return CMD_OK;
}
