/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-downloads.c: downloads [-v]: every download the node knows, oldest
 * first, with its progress, speed and sources, as a table that fits the
 * reader's width; -v adds where each was saved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/table.h"
#include "lib/xmalloc.h"
#include "net/net.h"

#define CMD_DOWNLOADS_FIRST	64	/* downloads asked for at first */
#define CMD_DOWNLOADS_BAR	10	/* characters in the progress bar */

/* Every download, into *out (to free); the count. */
size_t
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
	json_uint(&ctx->j, "sources_served", d->sources_served);
	json_uint(&ctx->j, "queue_position", d->queue_pos);
	json_uint(&ctx->j, "queue_length", d->queue_len);
	if (d->path != NULL && d->path[0] != '\0')
		json_str(&ctx->j, "path", d->path);
	if (d->stall != NULL)
		json_str(&ctx->j, "stalled", d->stall);
	if (d->note[0] != '\0')
		json_str(&ctx->j, "note", d->note);
	if (d->unmoved)
		json_bool(&ctx->j, "moved", 0);
	json_close(&ctx->j);
}

/* "[#####.....]" for a percentage. */
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

/* What a download is doing, as one word or a few. */
static void
cmd_downloads_state(const struct gnet_download *d, char *state, size_t len)
{
	/* A full disk first: no queue place helps then. */
	if (d->stall != NULL)
		snprintf(state, len, "stalled: %s", d->stall);
	else if (d->unmoved)
		snprintf(state, len, "done, not moved");
	else if (d->note[0] != '\0')
		snprintf(state, len, "%s", d->note);
	/* Waiting in a source's PARQ queue: where. */
	else if (d->queue_pos > 0 && d->sources_active == 0) {
		if (d->queue_len > 0)
			snprintf(state, len, "queued %u/%u", d->queue_pos,
			    d->queue_len);
		else
			snprintf(state, len, "queued %u", d->queue_pos);
	} else
		snprintf(state, len, "%s", d->state != NULL ? d->state :
		    "unknown");
}

/* Columns, in order; the drop rank says which go first on a narrow
 * screen: the time left, then the size, the rate, the bar, the sources. */
enum {
	DLC_ID, DLC_STATE, DLC_DONE, DLC_BAR, DLC_SIZE, DLC_RATE, DLC_SRCS,
	DLC_ETA, DLC_NAME, DLC_N
};

static void
cmd_downloads_row(struct table *t, const struct gnet_download *d)
{
	char		 id[16], state[48], done[8], bar[CMD_DOWNLOADS_BAR + 3];
	char		 size[32], rate[40], srcs[48], eta[32], *name;
	const char	*cells[DLC_N];
	size_t		 n;

	snprintf(id, sizeof id, "%u", d->id);
	cmd_downloads_state(d, state, sizeof state);
	snprintf(done, sizeof done, "%u%%", d->percent);
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
	/* Done: how many sources served it, not how many fetch now. */
	if (d->state != NULL && strcmp(d->state, "done") == 0) {
		if (d->sources_served > 0)
			snprintf(srcs, sizeof srcs, "%zu", d->sources_served);
		else
			strcpy(srcs, "-");
	} else
		snprintf(srcs, sizeof srcs, "%zu/%zu", d->sources_active,
		    d->sources_known);
	name = cmd_printable(d->name != NULL ? d->name : "");
	cells[DLC_ID] = id;
	cells[DLC_STATE] = state;
	cells[DLC_DONE] = done;
	cells[DLC_BAR] = cmd_downloads_bar(bar, sizeof bar, d->percent);
	cells[DLC_SIZE] = cmd_size(size, sizeof size, d->size);
	cells[DLC_RATE] = rate;
	cells[DLC_SRCS] = srcs;
	cells[DLC_ETA] = eta;
	cells[DLC_NAME] = name;
	table_row(t, cells);
	free(name);
}

/* downloads -v: what the table leaves out, on lines of their own. */
static void
cmd_downloads_more(struct cmd_ctx *ctx, const struct gnet_download *d)
{
	char	*name, *path;

	name = cmd_printable(d->name != NULL ? d->name : "");
	cmd_print(ctx, "download %u: %s\n", d->id, name);
	cmd_print(ctx, "    %s\n", d->urn);
	if (d->path != NULL && d->path[0] != '\0') {
		path = cmd_printable(d->path);
		cmd_print(ctx, "    %s %s\n", d->unmoved ? "partial file" :
		    "saved as", path);
		free(path);
	}
	free(name);
}

/* downloads ID: one download in a sentence, as the shell says when one
 * ends ("download 2 done: NAME (8.0 MiB from 4 sources, checked)"). */
static void
cmd_downloads_sentence(struct cmd_ctx *ctx, const struct gnet_download *d)
{
	char		 size[32], srcs[48], known[48], *name;
	const char	*state = d->state != NULL ? d->state : "unknown";

	name = cmd_printable(d->name != NULL ? d->name : "");
	cmd_size(size, sizeof size, d->size);
	if (strcmp(state, "done") == 0) {
		if (d->sources_served > 0)
			cmd_print(ctx, "download %u done: %s (%s from %s, "
			    "checked%s)\n", d->id, name, size,
			    cmd_count(srcs, sizeof srcs, d->sources_served,
			    "source"), d->unmoved ? "; not moved yet: "
			    "download_dir is full" : "");
		else
			cmd_print(ctx, "download %u done: %s (%s, checked%s)\n",
			    d->id, name, size, d->unmoved ? "; not moved yet: "
			    "download_dir is full" : "");
	} else if (strcmp(state, "failed") == 0)
		cmd_print(ctx, "download %u failed: %s (%u%% of %s; the log "
		    "says why)\n", d->id, name, d->percent, size);
	else if (d->stall != NULL)
		cmd_print(ctx, "download %u stalled: %s (%u%% of %s: %s)\n",
		    d->id, name, d->percent, size, d->stall);
	else if (d->note[0] != '\0')
		cmd_print(ctx, "download %u %s: %s (%u%% of %s)\n", d->id,
		    d->note, name, d->percent, size);
	else
		cmd_print(ctx, "download %u %s: %s (%u%% of %s, %zu of %s)\n",
		    d->id, state, name, d->percent, size, d->sources_active,
		    cmd_count(known, sizeof known, d->sources_known,
		    "source"));
	free(name);
}

static enum cmd_retval
cmd_downloads_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct gnet_download	*dl;
	struct table		*t;
	size_t			 n, i;
	uint32_t		 one = 0;
	int			 verbose = 0;

	if (argc == 2) {
		if (strcmp(argv[1], "-v") == 0)
			verbose = 1;
		else if (cmd_parse_id(argv[1], &one) != 0)
			return cmd_error(ctx, "usage: %s",
			    cmd_downloads_entry.usage);
	}
	if (ctx->net == NULL)
		return cmd_error(ctx, CMD_NO_NODE);
	n = cmd_downloads_all(ctx->net, &dl);
	if (one != 0) {
		for (i = 0; i < n && dl[i].id != one; i++)
			;
		if (i == n) {
			free(dl);
			return cmd_error(ctx, "no download %u", one);
		}
		if (ctx->json) {
			json_open(&ctx->j, NULL);
			json_array(&ctx->j, "downloads");
			cmd_downloads_json(ctx, &dl[i]);
			json_end(&ctx->j);
			json_close(&ctx->j);
		} else
			cmd_downloads_sentence(ctx, &dl[i]);
		free(dl);
		return CMD_OK;
	}
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
	if (n == 0) {
		cmd_print(ctx, "no downloads\n");
		free(dl);
		return CMD_OK;
	}
	t = table_new(DLC_N);
	table_col(t, DLC_ID, "ID", 0, TABLE_RIGHT, 0);
	table_col(t, DLC_STATE, "STATE", 0, 0, 0);
	table_col(t, DLC_DONE, "DONE", 0, TABLE_RIGHT, 0);
	table_col(t, DLC_BAR, "PROGRESS", 0, 0, 3);
	table_col(t, DLC_SIZE, "SIZE", 0, TABLE_RIGHT, 5);
	table_col(t, DLC_RATE, "RATE", 0, TABLE_RIGHT, 4);
	table_col(t, DLC_SRCS, "SRCS", 0, TABLE_RIGHT, 2);
	table_col(t, DLC_ETA, "ETA", 0, TABLE_RIGHT, 6);
	table_col(t, DLC_NAME, "NAME", 0, TABLE_FLEX, 0);
	for (i = 0; i < n; i++)
		cmd_downloads_row(t, &dl[i]);
	table_print(t, ctx);
	table_free(t);
	if (verbose)
		for (i = 0; i < n; i++)
			cmd_downloads_more(ctx, &dl[i]);
	free(dl);
	return CMD_OK;
}

const struct cmd_entry cmd_downloads_entry = {
	.name = "downloads",
	.usage = "downloads [-v | ID]",
	.help = "Show the downloads, oldest first: id, state, progress, size, "
	    "speed, sources (fetching now of those usable; once done, how many "
	    "served it), time left and name, fitted to the screen: on a narrow "
	    "one the time left, size, speed and bar go first and long names "
	    "are cut. With -v, each download's full name, URN and where it "
	    "was saved follow the table. With an ID, that one download in a "
	    "sentence, as the shell says it when a download ends.",
	.min_args = 0,
	.max_args = 1,
	.online = 1,
	.exec = cmd_downloads_exec,
};
