/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * gnode.c: main(): flags, the config file, and one-shot commands run
 * against the node's own database (gnode -c FILE share find WORDS). The
 * networked node, its control socket and its shell grow here as the layers
 * under them land.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cmd/cmd.h"
#include "conf/conf.h"
#include "config.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "share/share.h"
#include "wire/desc.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: gnode [-hV] [-c FILE] [--data-dir DIR] [--share DIR]...\n"
	    "             [--json] COMMAND [ARGS...]\n"
	    "\n"
	    "gnode is a Gnutella 0.6 servent.\n"
	    "\n"
	    "  -c, --config FILE   read settings from FILE (see gnode.conf(5))\n"
	    "  -d, --data-dir DIR  keep the node's database in DIR\n"
	    "      --share DIR     share DIR (repeatable; adds to the file's)\n"
	    "  -j, --json          answer as one JSON document\n"
	    "  -h, --help          show this help and exit\n"
	    "  -V, --version       show the version and the protocol, and exit\n"
	    "\n"
	    "Commands (run against the node's database):\n");
}

static void
usage_commands(FILE *fp)
{
	const struct cmd_entry	*ce;
	size_t			 i;

	for (i = 0; (ce = cmd_at(i)) != NULL; i++)
		fprintf(fp, "  %s\n", ce->usage);
	fprintf(fp, "\nSee gnode(1) and gnode.conf(5).\n");
}

static void
version(void)
{
	printf("gnode %s\n", PACKAGE_VERSION);
	printf("protocol: Gnutella 0.6, GGEP 0.51, HUGE 0.94, QRP 1.0; "
	    "payloads up to %u bytes\n", (unsigned)DESC_MAX_PAYLOAD);
	printf("zlib %s\n", zlibVersion());
}

/* mkdir -p for the data directory: private to its user. */
static int
make_dirs(const char *path)
{
	char	*p = xstrdup(path), *s;
	int	 rc = 0;

	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (mkdir(p, 0700) != 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

/* Parse flags and the config; returns -1 to go on, else an exit status. */
static int
setup(int argc, char **argv, struct conf *conf, int *json)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "data-dir", required_argument, NULL, 'd' },
		{ "share", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*config = NULL;
	char		*cause = NULL, *real;
	int		 ch, rc = -1;

	while ((ch = getopt_long(argc, argv, "+c:d:jhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'd':
			if (conf_set(conf, "node", "data_dir", optarg, &cause) != 0)
				goto bad;
			break;
		case 's':
			/* Relative paths are taken from where gnode was run. */
			if ((real = realpath(optarg, NULL)) == NULL) {
				xasprintf(&cause, "--share %s: %s", optarg,
				    strerror(errno));
				goto bad;
			}
			rc = conf_set(conf, "share", "dir", real, &cause);
			free(real);
			if (rc != 0)
				goto bad;
			rc = -1;
			break;
		case 'j':
			*json = 1;
			break;
		case 'h':
			usage(stdout);
			usage_commands(stdout);
			return EXIT_SUCCESS;
		case 'V':
			version();
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			usage_commands(stderr);
			return 2;
		}
	}
	if (config != NULL && conf_load(conf, config, &cause) != 0)
		goto bad;
	if (conf_check(conf, &cause) != 0)
		goto bad;
	return -1;
bad:
	fprintf(stderr, "gnode: %s\n", cause);
	free(cause);
	return 2;
}

int
main(int argc, char **argv)
{
	struct conf	 conf;
	struct cmd_ctx	 ctx;
	char		*cause = NULL, *dbpath = NULL;
	int		 json = 0, rc;

	log_init(stderr, LOG_LVL_WARN);
	conf_defaults(&conf);
	if ((rc = setup(argc, argv, &conf, &json)) >= 0)
		goto out;
	log_set_level(conf.log_level < LOG_LVL_WARN ? conf.log_level :
	    LOG_LVL_WARN);
	rc = EXIT_FAILURE;
	if (optind == argc) {
		fprintf(stderr, "gnode: the networked node is not built yet in "
		    "this version; give a command (gnode help)\n");
		goto out;
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.out = stdout;
	ctx.err = stderr;
	ctx.json = json;
	ctx.conf = &conf;
	if (strcmp(argv[optind], "help") != 0) {
		if (make_dirs(conf.data_dir) != 0) {
			fprintf(stderr, "gnode: data directory %s: %s\n",
			    conf.data_dir, strerror(errno));
			goto out;
		}
		dbpath = conf_db_path(&conf);
		if ((ctx.share = share_open(dbpath, &cause)) == NULL) {
			fprintf(stderr, "gnode: %s\n", cause);
			free(cause);
			goto out;
		}
		ctx.dbpath = dbpath;
	}
	if (cmd_exec(&ctx, argc - optind, argv + optind) == CMD_OK)
		rc = EXIT_SUCCESS;
	share_close(ctx.share);
out:
	free(dbpath);
	conf_free(&conf);
	return rc;
}
