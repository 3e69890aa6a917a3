/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd-share.c: share list | find WORDS... | magnet WORDS... | rescan |
 * dirs | forget DIR | stats: what this node offers, searched in its own
 * index, and the directories it comes from (the config file's, and those
 * --share saved with the node).
 */
#include <sys/stat.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "conf/conf.h"
#include "net/net.h"
#include "share/qrt.h"
#include "share/scan.h"
#include "share/share.h"
#include "wire/huge.h"
#include "wire/magnet.h"

#define SHARE_PAGE	256
#define SHARE_FIND_MAX	200

static void
cmd_share_file(struct cmd_ctx *ctx, const struct share_file *f)
{
	char	 urn[HUGE_URN_SHA1_LEN + 1], size[32];

	huge_format_sha1(f->sha1, urn, sizeof urn);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_int(&ctx->j, "index", f->id);
		json_str(&ctx->j, "name", f->name);
		json_uint(&ctx->j, "size", f->size);
		json_str(&ctx->j, "urn", urn);
		json_str(&ctx->j, "path", f->path);
		json_close(&ctx->j);
		return;
	}
	cmd_print(ctx, "%6lld  %10s  %s  %s\n", (long long)f->id,
	    cmd_size(size, sizeof size, f->size), urn, f->name);
}

static enum cmd_retval
cmd_share_list(struct cmd_ctx *ctx)
{
	struct share_file	 f[SHARE_PAGE];
	int64_t			 after = 0;
	long			 n, i, total = 0;

	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_array(&ctx->j, "files");
	}
	do {
		if ((n = share_list(ctx->share, after, f, SHARE_PAGE)) < 0)
			return cmd_error(ctx, "cannot read the index");
		for (i = 0; i < n; i++)
			cmd_share_file(ctx, &f[i]);
		if (n > 0)
			after = f[n - 1].id;
		total += n;
	} while (n == SHARE_PAGE);
	if (ctx->json) {
		json_end(&ctx->j);
		json_close(&ctx->j);
	} else
		cmd_print(ctx, "%ld file%s shared\n", total, total == 1 ? "" : "s");
	return CMD_OK;
}

/* The shared files matching the words argv[0..argc) (at most max), or
 * -1 with the error written to ctx. */
static long
cmd_share_lookup(struct cmd_ctx *ctx, int argc, char **argv,
    struct share_file *f, size_t max)
{
	const char	*cause = NULL;
	char		*words;
	size_t		 len = 0;
	long		 n;
	int		 k;

	for (k = 0; k < argc; k++)
		len += strlen(argv[k]) + 1;
	if ((words = calloc(1, len + 1)) == NULL) {
		cmd_error(ctx, "out of memory");
		return -1;
	}
	for (k = 0; k < argc; k++) {
		strcat(words, argv[k]);
		if (k + 1 < argc)
			strcat(words, " ");
	}
	n = share_find(ctx->share, words, strlen(words), f, max, &cause);
	free(words);
	if (n < 0)
		cmd_error(ctx, "%s", cause != NULL ? cause : "search failed");
	return n;
}

static enum cmd_retval
cmd_share_find(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct share_file	 f[SHARE_FIND_MAX];
	long			 n, i;

	if ((n = cmd_share_lookup(ctx, argc, argv, f, SHARE_FIND_MAX)) < 0)
		return CMD_ERROR;
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_array(&ctx->j, "files");
	}
	for (i = 0; i < n; i++)
		cmd_share_file(ctx, &f[i]);
	if (ctx->json) {
		json_end(&ctx->j);
		json_close(&ctx->j);
	} else
		cmd_print(ctx, "%ld match%s\n", n, n == 1 ? "" : "es");
	return CMD_OK;
}

/* share magnet WORDS: a link for each matching file, with this node as
 * its source, so that another servent can fetch it from here. */
static enum cmd_retval
cmd_share_magnet(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct share_file	 f[SHARE_FIND_MAX];
	struct magnet		 m;
	char			 link[MAGNET_MAX_LEN + 1];
	uint32_t		 ip = 0;
	uint16_t		 port = 0;
	long			 n, i;

	if (ctx->net != NULL)
		gnet_listen_addr(ctx->net, &ip, &port);
	else if (ctx->conf != NULL) {
		ip = ctx->conf->listen_ip;
		port = ctx->conf->listen_port;
	}
	if ((n = cmd_share_lookup(ctx, argc, argv, f, SHARE_FIND_MAX)) < 0)
		return CMD_ERROR;
	if (n == 0)
		return cmd_error(ctx, "no shared file matches (see share find)");
	/* A node on 0.0.0.0 knows no address another host could dial. */
	if (ip == 0 || port == 0)
		fprintf(ctx->err, "share magnet: listening on no one address: "
		    "the links name no source (xs=)\n");
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_array(&ctx->j, "files");
	}
	for (i = 0; i < n; i++) {
		if (!f[i].has_sha1)
			continue;
		memset(&m, 0, sizeof m);
		memcpy(m.sha1, f[i].sha1, SHA1_LEN);
		m.has_sha1 = 1;
		if (f[i].has_tth) {
			memcpy(m.tth, f[i].tth, TTH_LEN);
			m.has_tth = 1;
		}
		cmd_magnet_name(&m, f[i].name);
		m.size = f[i].size;
		m.has_size = 1;
		if (ip != 0 && port != 0) {
			m.src[0].ip = ip;
			m.src[0].port = port;
			m.nsrc = 1;
		}
		if (magnet_format(&m, link, sizeof link) == 0)
			continue;
		if (ctx->json) {
			json_open(&ctx->j, NULL);
			json_int(&ctx->j, "index", f[i].id);
			json_str(&ctx->j, "name", f[i].name);
			json_uint(&ctx->j, "size", f[i].size);
			json_str(&ctx->j, "magnet", link);
			json_close(&ctx->j);
		} else
			cmd_print(ctx, "%s\n", link);
	}
	if (ctx->json) {
		json_end(&ctx->j);
		json_close(&ctx->j);
	}
	return CMD_OK;
}

static void
cmd_share_report(struct cmd_ctx *ctx, const struct scan_report *r)
{
	fprintf(ctx->err, "scan: %s: %llu file%s, %llu unchanged, hashed "
	    "%llu/%llu (%.1f/%.1f MB), %.1f MB/s\n",
	    r->phase == SCAN_WALKING ? "walking" : "hashing",
	    (unsigned long long)r->files, r->files == 1 ? "" : "s",
	    (unsigned long long)r->unchanged,
	    (unsigned long long)r->hashed, (unsigned long long)r->to_hash,
	    r->bytes_hashed / 1e6, r->bytes_to_hash / 1e6, r->mb_per_s);
}

/* Run a scan on its thread and show progress every second until done. */
static enum cmd_retval
cmd_share_rescan(struct cmd_ctx *ctx)
{
	const struct conf	*c = ctx->conf;
	struct scan_conf	 sc;
	struct scan_report	 r;
	struct scan		*s;
	struct timespec		 tick = { 0, 100 * 1000 * 1000 };
	char			*cause = NULL, **dirs;
	size_t			 ndirs;
	int			 ok, n = 0;

	/* The config's directories and the saved ones: without them, a
	 * plain rescan would drop what --share added before. */
	if (share_dirs_scan(ctx->share, c->share_dirs, c->nshare_dirs,
	    c->nshare_flags, &dirs, &ndirs) != 0)
		return cmd_error(ctx, "cannot read the saved share "
		    "directories");
	memset(&sc, 0, sizeof sc);
	sc.dirs = (const char *const *)dirs;
	sc.ndirs = ndirs;
	sc.min_size = c->share_min_size;
	sc.max_size = c->share_max_size;
	sc.exts = (const char *const *)c->share_exts;
	sc.nexts = c->nshare_exts;
	s = scan_start(ctx->dbpath, &sc, &cause);
	share_dirs_free(dirs, ndirs);
	if (s == NULL) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return CMD_ERROR;
	}
	while (!scan_finished(s)) {
		nanosleep(&tick, NULL);
		if (++n % 10 == 0) {
			scan_progress(s, &r);
			cmd_share_report(ctx, &r);
		}
	}
	ok = scan_free(s, &r);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_bool(&ctx->j, "complete", ok == 0);
		json_uint(&ctx->j, "files", r.files);
		json_uint(&ctx->j, "unchanged", r.unchanged);
		json_uint(&ctx->j, "hashed", r.hashed);
		json_uint(&ctx->j, "bytes_hashed", r.bytes_hashed);
		json_uint(&ctx->j, "retry", r.retry);
		json_uint(&ctx->j, "skipped", r.skipped);
		json_int(&ctx->j, "removed", r.removed);
		json_double(&ctx->j, "seconds", r.seconds);
		json_double(&ctx->j, "mb_per_s", r.mb_per_s);
		json_close(&ctx->j);
	} else
		cmd_print(ctx, "scan %s: %llu file%s, %llu unchanged, %llu "
		    "hashed (%.1f MB at %.1f MB/s), %lld removed, %llu to "
		    "retry, %llu skipped\n",
		    ok == 0 ? "complete" : "incomplete",
		    (unsigned long long)r.files, r.files == 1 ? "" : "s",
		    (unsigned long long)r.unchanged,
		    (unsigned long long)r.hashed, r.bytes_hashed / 1e6,
		    r.mb_per_s, (long long)r.removed,
		    (unsigned long long)r.retry, (unsigned long long)r.skipped);
	return ok == 0 ? CMD_OK : CMD_ERROR;
}

/* With a running node the scan runs on its thread and the loop follows it:
 * nothing may block the loop here. */
static enum cmd_retval
cmd_share_rescan_online(struct cmd_ctx *ctx)
{
	char	*cause = NULL;

	if (gnet_rescan(ctx->net, &cause) != 0) {
		cmd_error(ctx, "%s", cause != NULL ? cause : "cannot rescan");
		free(cause);
		return CMD_ERROR;
	}
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_str(&ctx->j, "rescan", "started");
		json_close(&ctx->j);
	} else
		cmd_print(ctx, "rescan started\n");
	return CMD_OK;
}

/* Whether path is one of the config file's share dirs (not --share's). */
static int
cmd_share_in_config(const struct conf *c, const char *path)
{
	size_t	 i;

	for (i = 0; i + c->nshare_flags < c->nshare_dirs; i++)
		if (strcmp(c->share_dirs[i], path) == 0)
			return 1;
	return 0;
}

static int
cmd_share_given(const struct conf *c, const char *path)
{
	size_t	 i;

	for (i = c->nshare_dirs - c->nshare_flags; i < c->nshare_dirs; i++)
		if (strcmp(c->share_dirs[i], path) == 0)
			return 1;
	return 0;
}

/* share dirs: every directory a scan walks, and where it comes from. */
static enum cmd_retval
cmd_share_dirs(struct cmd_ctx *ctx)
{
	const struct conf	*c = ctx->conf;
	struct stat		 sb;
	char			**dirs;
	size_t			 n, i, nconf = 0;
	int			 there, conf;

	if (share_dirs_scan(ctx->share, c->share_dirs, c->nshare_dirs,
	    c->nshare_flags, &dirs, &n) != 0)
		return cmd_error(ctx, "cannot read the saved share "
		    "directories");
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_array(&ctx->j, "dirs");
	}
	for (i = 0; i < n; i++) {
		conf = cmd_share_in_config(c, dirs[i]);
		nconf += conf;
		there = stat(dirs[i], &sb) == 0 && S_ISDIR(sb.st_mode);
		if (ctx->json) {
			json_open(&ctx->j, NULL);
			json_str(&ctx->j, "path", dirs[i]);
			json_str(&ctx->j, "from", conf ? "config" : "saved");
			json_bool(&ctx->j, "exists", there);
			json_close(&ctx->j);
		} else
			cmd_print(ctx, "%-6s  %s%s\n",
			    conf ? "config" : "saved", dirs[i],
			    there ? "" : "  (missing: skipped)");
	}
	if (ctx->json) {
		json_end(&ctx->j);
		json_close(&ctx->j);
	} else if (n == 0)
		cmd_print(ctx, "no directory is shared: give one with "
		    "--share DIR, or dir in the [share] section\n");
	else
		cmd_print(ctx, "%zu director%s: %zu from the config file, %zu "
		    "saved from --share (share forget DIR drops one)\n", n,
		    n == 1 ? "y" : "ies", nconf, n - nconf);
	share_dirs_free(dirs, n);
	return CMD_OK;
}

/* share forget DIR: a directory --share saved is no longer shared. */
static enum cmd_retval
cmd_share_forget(struct cmd_ctx *ctx, const char *arg)
{
	const struct conf	*c = ctx->conf;
	char			 real[PATH_MAX];
	const char		*path = arg;
	int			 rc;

	/* As saved: --share resolved it; a directory gone since is
	 * forgotten by the name it was saved under. */
	if (realpath(arg, real) != NULL)
		path = real;
	if (cmd_share_given(c, path))
		return cmd_error(ctx, "%s is given with --share on this "
		    "command line: it would be saved again", path);
	rc = share_dirs_forget(ctx->share, path);
	if (rc == 0 && path != arg)
		rc = share_dirs_forget(ctx->share, arg);
	if (rc < 0)
		return cmd_error(ctx, "cannot update the saved share "
		    "directories");
	if (rc == 0) {
		if (cmd_share_in_config(c, path) || cmd_share_in_config(c, arg))
			return cmd_error(ctx, "%s is in the config file "
			    "(dir in [share]): remove it there", path);
		return cmd_error(ctx, "%s is not a saved share directory (see "
		    "share dirs)", path);
	}
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_str(&ctx->j, "forgot", path);
		json_close(&ctx->j);
	} else
		cmd_print(ctx, "forgot %s: its files leave the index at the "
		    "next share rescan\n", path);
	return CMD_OK;
}

static enum cmd_retval
cmd_share_stats(struct cmd_ctx *ctx)
{
	static uint8_t		 patch[1 << 17];
	struct share_stats	 st;
	struct qrt		 t;
	size_t			 plen;
	char			 size[32];

	if (share_stats(ctx->share, &st) != 0 ||
	    qrt_build(ctx->share, QRT_BITS, &t) != 0)
		return cmd_error(ctx, "cannot read the index");
	plen = qrt_patch(&t, QRT_INFINITY, patch, sizeof patch);
	if (ctx->json) {
		json_open(&ctx->j, NULL);
		json_uint(&ctx->j, "files", st.files);
		json_uint(&ctx->j, "hashed", st.hashed);
		json_uint(&ctx->j, "bytes", st.bytes);
		json_uint(&ctx->j, "scan_generation", st.generation);
		json_open(&ctx->j, "qrp");
		json_uint(&ctx->j, "slots", (uint64_t)1 << t.bits);
		json_uint(&ctx->j, "keywords", t.words);
		json_uint(&ctx->j, "filled", t.filled);
		json_uint(&ctx->j, "patch_bytes", plen);
		json_close(&ctx->j);
		json_close(&ctx->j);
	} else {
		cmd_print(ctx, "files     %llu (%llu hashed, %s)\n",
		    (unsigned long long)st.files, (unsigned long long)st.hashed,
		    cmd_size(size, sizeof size, st.bytes));
		cmd_print(ctx, "scans     %llu complete\n",
		    (unsigned long long)st.generation);
		cmd_print(ctx, "qrp       %llu keywords in %llu of %u slots, "
		    "patch %zu bytes\n", (unsigned long long)t.words,
		    (unsigned long long)t.filled, 1u << t.bits, plen);
	}
	qrt_free(&t);
	return CMD_OK;
}

static enum cmd_retval
cmd_share_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*sub = argv[1];

	if (strcmp(sub, "rescan") == 0 && argc == 2 && ctx->net != NULL)
		return cmd_share_rescan_online(ctx);
	if (ctx->share == NULL)
		return cmd_error(ctx, "no share index is open");
	if (strcmp(sub, "list") == 0 && argc == 2)
		return cmd_share_list(ctx);
	if (strcmp(sub, "find") == 0 && argc >= 3)
		return cmd_share_find(ctx, argc - 2, argv + 2);
	if (strcmp(sub, "magnet") == 0 && argc >= 3)
		return cmd_share_magnet(ctx, argc - 2, argv + 2);
	if (strcmp(sub, "rescan") == 0 && argc == 2)
		return cmd_share_rescan(ctx);
	if (strcmp(sub, "dirs") == 0 && argc == 2 && ctx->conf != NULL)
		return cmd_share_dirs(ctx);
	if (strcmp(sub, "forget") == 0 && argc == 3 && ctx->conf != NULL)
		return cmd_share_forget(ctx, argv[2]);
	if (strcmp(sub, "stats") == 0 && argc == 2)
		return cmd_share_stats(ctx);
	return cmd_error(ctx, "usage: %s", cmd_share_entry.usage);
}

const struct cmd_entry cmd_share_entry = {
	.name = "share",
	.usage = "share list | find WORDS... | magnet WORDS... | rescan | "
	    "dirs | forget DIR | stats",
	.help = "What this node shares: list it, search it, print a magnet "
	    "link for each file matching WORDS (with this node's address as "
	    "its source, for gtk-gnutella's download add or another node's "
	    "get), scan the shared directories again (new and changed files "
	    "are hashed), list those directories (the config file's, and "
	    "those --share DIR saved with the node), forget a saved one, or "
	    "show counts and the QRP table.",
	.min_args = 1,
	.max_args = -1,
	.exec = cmd_share_exec,
};
