/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-downloads.c: downloads: every download the node knows, oldest
 * first, with its progress, speed, sources and, once done, where it was
 * saved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lib/xmalloc.h"
#include "net/net.h"

#define CMD_DOWNLOADS_FIRST	64	/* downloads asked for at first */
#define CMD_DOWNLOADS_BAR	20	/* characters in the progress bar */

/* Every download, into *out (to free); the count. */
static size_t
cmd_downloads_all(struct gnet *net, struct gnet_download **out)
{
	struct gnet_download	*dl = NULL;
	size_t			 max = CMD_DOWNLOADS_FIRST, n;

	for (;;) {
		dl = xreallocarray(dl, max, sizeof *dl);
		n = gnet_downloads(net, dl, max);
		if (n < max)
			break;
		max *= 2;
	}
	*out = dl;
	return n;
}

static void
cmd_downloads_json(struct cmd_ctx *ctx, const struct gnet_download *d)
{
	json_open(&ctx->j, NULL);
	json_uint(&ctx->j, "id", d->id);
	json_str(&ctx->j, "name", d->name != NULL ? d->name : "");
	json_str(&ctx->j, "urn", d->urn);
	json_str(&ctx->j, "state", d->state != NULL ? d->state : "unknown");
	json_uint(&ctx->j, "size", d->size);
	json_uint(&ctx->j, "bytes", d->bytes);
	json_uint(&ctx->j, "verified", d->verified);
	json_uint(&ctx->j, "percent", d->percent);
	json_double(&ctx->j, "rate", d->rate);
	json_int(&ctx->j, "eta_s", d->eta_s);
	json_uint(&ctx->j, "sources_active", d->sources_active);
	json_uint(&ctx->j, "sources_known", d->sources_known);
	json_uint(&ctx->j, "sources_banned", d->sources_banned);
	json_uint(&ctx->j, "queue_position", d->queue_pos);
	json_uint(&ctx->j, "queue_length", d->queue_len);
	if (d->path != NULL && d->path[0] != '\0')
		json_str(&ctx->j, "path", d->path);
	if (d->stall != NULL)
		json_str(&ctx->j, "stalled", d->stall);
	if (d->unmoved)
		json_bool(&ctx->j, "moved", 0);
	json_close(&ctx->j);
}

/* "[#########...........]" for a percentage. */
static const char *
cmd_downloads_bar(char *buf, size_t len, unsigned percent)
{
	size_t	 fill, i;

	if (len < CMD_DOWNLOADS_BAR + 3)
		return "";
	if (percent > 100)
		percent = 100;
	fill = (size_t)percent * CMD_DOWNLOADS_BAR / 100;
	buf[0] = '[';
	for (i = 0; i < CMD_DOWNLOADS_BAR; i++)
		buf[1 + i] = i < fill ? '#' : '.';
	buf[1 + CMD_DOWNLOADS_BAR] = ']';
	buf[2 + CMD_DOWNLOADS_BAR] = '\0';
	return buf;
}

static void
cmd_downloads_line(struct cmd_ctx *ctx, const struct gnet_download *d)
{
	char	 bar[CMD_DOWNLOADS_BAR + 3], size[32], rate[40], eta[32];
	char	 srcs[48], state[32], *name, *path = NULL;
	size_t	 n;

	if (d->rate >= 0.5) {
		cmd_size(rate, sizeof rate, (uint64_t)(d->rate + 0.5));
		n = strlen(rate);
		snprintf(rate + n, sizeof rate - n, "/s");
	} else
		strcpy(rate, "-");
	if (d->eta_s >= 0)
		cmd_duration(eta, sizeof eta, (uint64_t)d->eta_s * 1000);
	else
		strcpy(eta, "-");
	snprintf(srcs, sizeof srcs, "%zu/%zu", d->sources_active,
	    d->sources_known);
	name = cmd_printable(d->name != NULL ? d->name : "");
	if (d->path != NULL && d->path[0] != '\0')
		path = cmd_printable(d->path);
	/* A full disk first: no queue place helps then. */
	if (d->stall != NULL)
		snprintf(state, sizeof state, "stalled: %s", d->stall);
	else if (d->unmoved)
		snprintf(state, sizeof state, "done, not moved");
	/* Waiting in a source's PARQ queue: where. */
	else if (d->queue_pos > 0 && d->sources_active == 0) {
		if (d->queue_len > 0)
			snprintf(state, sizeof state, "queued %u/%u",
			    d->queue_pos, d->queue_len);
		else
			snprintf(state, sizeof state, "queued %u",
			    d->queue_pos);
	} else
		snprintf(state, sizeof state, "%s", d->state != NULL ?
		    d->state : "unknown");
	cmd_print(ctx, "%6u  %-11s  %3u%% %s  %10s  %12s  %5s  %8s  %s%s%s\n",
	    d->id, state, d->percent,
	    cmd_downloads_bar(bar, sizeof bar, d->percent),
	    cmd_size(size, sizeof size, d->size), rate, srcs, eta, name,
	    path != NULL ? " -> " : "", path != NULL ? path : "");
	free(path);
	free(name);
}

static enum cmd_retval
cmd_downloads_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct gnet_download	*dl;
	size_t			 n, i;

	(void)argc;
	(void)argv;
	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	n = cmd_downloads_all(ctx->net, &dl);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_array(&ctx->j, "downloads");
		for (i = 0; i < n; i++)
			cmd_downloads_json(ctx, &dl[i]);
		json_end(&ctx->j);
		json_close(&ctx->j);
		free(dl);
		return CMD_OK;
	}
	if (n == 0)
		cmd_print(ctx, "no downloads\n");
	else
		cmd_print(ctx, "%6s  %-11s  %-27s  %10s  %12s  %5s  %8s  %s\n",
		    "ID", "STATE", "PROGRESS", "SIZE", "RATE", "SRCS", "ETA",
		    "NAME");
	for (i = 0; i < n; i++)
		cmd_downloads_line(ctx, &dl[i]);
	free(dl);
	return CMD_OK;
}

const struct cmd_entry cmd_downloads_entry = {
	.name = "downloads",
	.usage = "downloads",
	.help = "Show the downloads, oldest first: id, state, progress, size, "
	    "speed, sources fetching now of those usable, time left and name; "
	    "a finished download also shows where it was saved.",
	.min_args = 0,
	.max_args = 0,
	.online = 1,
	.exec = cmd_downloads_exec,
};
