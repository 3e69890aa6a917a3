/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * gnode.c: main(): flags over the config file, then one of five things:
 * run the headless node (--headless); run the node with the gnode> shell
 * on this terminal (no command); attach the shell to a running node (-S
 * SOCKET, no command); send one command to a running node over its
 * control socket (-S SOCKET, or the configured socket for a command that
 * needs the node); or run an offline command against the node's own
 * database (gnode share find WORDS).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "cmd/cmd.h"
#include "conf/conf.h"
#include "config.h"
#include "ctl/ctl.h"
#include "daemon.h"
#include "demo.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "share/share.h"
#include "shell/shell.h"
#include "wire/desc.h"

struct opts {
	int		 argc;
	char		**argv;
	int		 json;
	int		 headless;
	int		 demo;
	const char	*socket;	/* -S */
	const char	*config;	/* -c */
	int		 first;		/* index of the command word */
};

static const struct option longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "data-dir", required_argument, NULL, 'd' },
	{ "share", required_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'j' },
	{ "headless", no_argument, NULL, 'H' },
	{ "demo", no_argument, NULL, 'D' },
	{ "socket", required_argument, NULL, 'S' },
	{ "trace", required_argument, NULL, 'T' },
	{ "log-level", required_argument, NULL, 'l' },
	{ "listen", required_argument, NULL, 'L' },
	{ "seed", required_argument, NULL, 'e' },
	{ "pid-file", required_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};
/* ":" first: a missing argument is ours to report, as ':'. */
static const char shortopts[] = "+:c:d:jS:T:hV";

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: gnode [-hjV] [-c FILE] [-d DIR] [--share DIR]... "
	    "--headless [options]\n"
	    "       gnode [-c FILE] [-d DIR] [--share DIR]... [options]\n"
	    "       gnode --demo [--headless] [-d DIR]\n"
	    "       gnode -S SOCKET\n"
	    "       gnode [-j] [-c FILE] [-S SOCKET] COMMAND [ARGS...]\n"
	    "\n"
	    "gnode is a Gnutella 0.6 servent. With no command it runs the node "
	    "with a gnode>\nprompt (logging to DATA_DIR/gnode.log), or with -S "
	    "attaches the prompt to the\nnode at SOCKET.\n"
	    "\n"
	    "  -c, --config FILE     read settings from FILE (see gnode.conf(5))\n"
	    "  -d, --data-dir DIR    keep the node's database in DIR\n"
	    "      --share DIR       share DIR (repeatable; adds to the file's)\n"
	    "      --headless        run the node with no terminal, log to stderr\n"
	    "      --demo            join four more nodes run in this process on\n"
	    "                        127.0.0.2-5, sharing files (in DATA_DIR/demo)\n"
	    "  -S, --socket PATH     the control socket (default DATA_DIR/control)\n"
	    "                        to attach to, or (--headless) to create\n"
	    "      --listen IP:PORT  listen here (default 127.0.0.1:6346)\n"
	    "      --seed IP:PORT    a host to bootstrap from (repeatable)\n"
	    "      --pid-file FILE   write the node's pid to FILE\n"
	    "      --log-level LVL   error, warn, info or debug\n"
	    "  -T, --trace LIST      debug lines for wire,route,net,http,share,ctl\n"
	    "  -j, --json            answer as one JSON document\n"
	    "  -h, --help            show this help and exit\n"
	    "  -V, --version         show the version and the protocol, and exit\n"
	    "\n"
	    "Commands (those marked * talk to the running node):\n");
}

static void
usage_commands(FILE *fp)
{
	const struct cmd_entry	*ce;
	size_t			 i;

	for (i = 0; (ce = cmd_at(i)) != NULL; i++)
		fprintf(fp, "%c %s\n", ce->online ? '*' : ' ', ce->usage);
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

/*
 * Whether a node answers on the control socket of this data_dir: then a
 * second one says where to attach, before it opens a log or a database.
 */
static int
node_running(const struct conf *conf, char **cause)
{
	struct sockaddr_un	 sun;
	char			*path = conf_control_path(conf);
	int			 fd, rv = 0;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) < sizeof sun.sun_path &&
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0) {
		strcpy(sun.sun_path, path);
		if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0) {
			xasprintf(cause, "a node is already running on %s; "
			    "attach to it with: gnode -S %s", conf->data_dir,
			    path);
			rv = 1;
		}
		close(fd);
	}
	free(path);
	return rv;
}

/*
 * What a node needs from the machine before it makes anything (data_dir,
 * gnode.db, the control socket): share dirs that are there, and a listen
 * address that is one of this host's. The address is tried on port 0, so
 * a port another process holds is still found where it is bound, after
 * the control socket has said whether a node runs on this data_dir.
 */
static int
start_check(const struct conf *conf, char **cause)
{
	struct sockaddr_in	 sin;
	int			 fd, rv, saved;

	if (conf_check_dirs(conf, cause) != 0 || node_running(conf, cause))
		return -1;
	if (conf->listen_ip == INADDR_ANY)
		return 0;
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(conf->listen_ip);
	rv = bind(fd, (struct sockaddr *)&sin, sizeof sin);
	saved = errno;
	close(fd);
	if (rv != 0) {
		xasprintf(cause, "listen on %s:%u: %s", inet_ntoa(sin.sin_addr),
		    conf->listen_port, strerror(saved));
		return -1;
	}
	return 0;
}

/* One flag that overrides a config key. */
static int
flag_apply(struct conf *conf, struct opts *o, int ch, const char *arg,
    char **cause)
{
	char	*real;
	int	 rc;

	switch (ch) {
	case 'd':
		return conf_set(conf, "node", "data_dir", arg, cause);
	case 's':
		/* Relative paths are taken from where gnode was run. */
		if ((real = realpath(arg, NULL)) == NULL) {
			xasprintf(cause, "--share %s: %s", arg, strerror(errno));
			return -1;
		}
		rc = conf_set(conf, "share", "dir", real, cause);
		free(real);
		if (rc == 0)
			conf->nshare_flags++;	/* saved with the node */
		return rc;
	case 'S':
		if (o->headless)
			return conf_set(conf, "node", "control", arg, cause);
		return 0;
	case 'T':
		return conf_set(conf, "node", "trace", arg, cause);
	case 'l':
		return conf_set(conf, "node", "log_level", arg, cause);
	case 'L':
		return conf_set(conf, "node", "listen", arg, cause);
	case 'e':
		return conf_set(conf, "net", "seed", arg, cause);
	case 'p':
		if ((real = realpath(".", NULL)) == NULL || arg[0] == '/')
			rc = conf_set(conf, "node", "pid_file", arg, cause);
		else {
			char	*abs;

			xasprintf(&abs, "%s/%s", real, arg);
			rc = conf_set(conf, "node", "pid_file", abs, cause);
			free(abs);
		}
		free(real);
		return rc;
	}
	return 0;
}

/* A flag getopt did not take: one line, and where the help is. */
static void
bad_flag(const struct opts *o, int ch)
{
	const char	*arg = o->argv[optind - 1];

	if (ch == ':')
		fprintf(stderr, "gnode: %s needs an argument; try gnode "
		    "--help\n", arg);
	else if (optopt != 0 && strncmp(arg, "--", 2) != 0)
		fprintf(stderr, "gnode: unknown flag -%c; try gnode --help\n",
		    optopt);
	else
		fprintf(stderr, "gnode: unknown flag %s; try gnode --help\n",
		    arg);
}

/*
 * Flags, then the config file, then the flags that override it. Returns
 * -1 to go on, else an exit status. Also the SIGHUP reload, so a reload
 * keeps the command line's overrides.
 */
static int
setup(struct opts *o, struct conf *conf, char **cause)
{
	int	 ch;

	conf_defaults(conf);
	optind = 0;
	opterr = 0;	/* one line of ours, not getopt's */
	o->config = NULL;
	while ((ch = getopt_long(o->argc, o->argv, shortopts, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'H':
			o->headless = 1;
			break;
		case 'D':
			o->demo = 1;
			break;
		case 'S':
			o->socket = optarg;
			break;
		case 'h':
			usage(stdout);
			usage_commands(stdout);
			return EXIT_SUCCESS;
		case 'V':
			version();
			return EXIT_SUCCESS;
		case '?':
		case ':':
			bad_flag(o, ch);
			return 2;
		}
	}
	o->first = optind;
	if (o->config != NULL && conf_load(conf, o->config, cause) != 0)
		return 2;
	optind = 0;
	while ((ch = getopt_long(o->argc, o->argv, shortopts, longopts,
	    NULL)) != -1)
		if (flag_apply(conf, o, ch, optarg, cause) != 0)
			return 2;
	if (conf_check(conf, cause) != 0)
		return 2;
	return -1;
}

/* SIGHUP: the config file again, under the same command line. */
static int
reload(void *arg, struct conf *conf, char **cause)
{
	struct opts	*o = arg;

	if (setup(o, conf, cause) != -1) {
		conf_free(conf);
		if (*cause == NULL)
			xasprintf(cause, "cannot reload");
		return -1;
	}
	return 0;
}

/* Send one command to the node at path; the exit status. */
static int
remote(const char *path, struct opts *o)
{
	char	*cause = NULL, cols[16], **argv;
	int	 st, argc = o->argc - o->first, i;

	fflush(stdout);
	/* Text fits the terminal, or 80 columns ($COLUMNS) in a pipe. */
	argv = xcalloc((size_t)argc + 3, sizeof *argv);
	i = 0;
	if (!o->json) {
		snprintf(cols, sizeof cols, "%d", shell_width());
		argv[i++] = (char *)"--width";
		argv[i++] = cols;
	}
	memcpy(argv + i, o->argv + o->first, (size_t)argc * sizeof *argv);
	st = ctl_client_run(path, argc + i, argv, o->json, stdout, &cause);
	free(argv);
	if (st < 0) {
		fprintf(stderr, "gnode: %s\n", cause);
		free(cause);
		return EXIT_FAILURE;
	}
	return st == CTL_OK ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* The node on this terminal, with the gnode> shell; its log goes to a
 * file so that it does not write over the prompt. */
static int
shell_local(struct conf *conf, struct opts *o, daemon_load_fn load,
    const struct daemon_hook *extra)
{
	const struct daemon_hook	*hooks[3];
	size_t				 n = 0;
	struct shell			*sh;
	char				*logpath, *histpath, *cause = NULL;
	FILE				*fp;
	int				 fd, rc, created, started;

	if (make_dirs(conf->data_dir) != 0) {
		fprintf(stderr, "gnode: data directory %s: %s\n",
		    conf->data_dir, strerror(errno));
		conf_free(conf);
		free(conf);
		return EXIT_FAILURE;
	}
	xasprintf(&logpath, "%s/gnode.log", conf->data_dir);
	xasprintf(&histpath, "%s/history", conf->data_dir);
	fp = NULL;
	created = access(logpath, F_OK) != 0;
	if ((fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600)) < 0 || (fp = fdopen(fd, "a")) == NULL) {
		fprintf(stderr, "gnode: %s: %s\n", logpath, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(logpath);
		free(histpath);
		conf_free(conf);
		free(conf);
		return EXIT_FAILURE;
	}
	log_init(fp, conf->log_level);
	log_set_trace(conf->trace);
	sh = shell_new(histpath, logpath);
	if (extra != NULL)
		hooks[n++] = extra;	/* started first, stopped last */
	hooks[n++] = shell_hook(sh);
	hooks[n] = NULL;
	rc = daemon_run(conf, load, o, hooks, &cause);
	started = shell_started(sh);
	shell_free(sh);
	log_init(stderr, LOG_LVL_WARN);
	fclose(fp);
	if (cause != NULL) {
		/* A node that never came up leaves no log of its own. */
		if (!started && created)
			unlink(logpath);
		if (started)
			fprintf(stderr, "gnode: error: %s (see %s)\n", cause,
			    logpath);
		else
			fprintf(stderr, "gnode: error: %s\n", cause);
		free(cause);
	}
	free(logpath);
	free(histpath);
	return rc;
}

/* SIGHUP in the demo: it has no config file to go back to. */
static int
demo_reload(void *arg, struct conf *conf, char **cause)
{
	(void)arg;
	(void)conf;
	xasprintf(cause, "a demo node has no config file to re-read");
	return -1;
}

/* gnode --demo: the node, headless or with the shell, among four more. */
static int
demo(struct conf *conf, struct opts *o)
{
	const struct daemon_hook	*hooks[2];
	struct demo			*d;
	char				*dir, *cause = NULL;
	int				 rc;

	xasprintf(&dir, "%s/demo", conf->data_dir);
	d = demo_new(dir, !o->headless);
	free(dir);
	if (make_dirs(conf->data_dir) != 0) {
		fprintf(stderr, "gnode: data directory %s: %s\n",
		    conf->data_dir, strerror(errno));
		rc = EXIT_FAILURE;
	} else if (demo_prepare(d, conf, &cause) != 0 ||
	    (o->socket != NULL && conf_set(conf, "node", "control",
	    o->socket, &cause) != 0)) {
		fprintf(stderr, "gnode: %s\n", cause);
		free(cause);
		rc = EXIT_FAILURE;
	} else {
		if (o->headless) {
			log_set_level(conf->log_level);
			hooks[0] = demo_hook(d);
			hooks[1] = NULL;
			rc = daemon_run(conf, demo_reload, o, hooks, NULL);
		} else
			rc = shell_local(conf, o, demo_reload, demo_hook(d));
		demo_free(d);
		return rc;	/* conf went to the runner */
	}
	demo_free(d);
	conf_free(conf);
	free(conf);
	return rc;
}

/* The shell, attached to the node at path. The history is the user's
 * own (data_dir/history), never a file beside a socket that may sit in a
 * shared directory. */
static int
shell_remote(const struct conf *conf, const char *path)
{
	char	*histpath = NULL;
	int	 rc;

	if (make_dirs(conf->data_dir) == 0)
		xasprintf(&histpath, "%s/history", conf->data_dir);
	rc = shell_attach(path, histpath);
	free(histpath);
	return rc;
}

/* An offline command against the node's own database. */
static int
local(struct conf *conf, struct opts *o)
{
	struct cmd_ctx	 ctx;
	char		*cause = NULL, *dbpath = NULL;
	int		 rc = EXIT_FAILURE;

	memset(&ctx, 0, sizeof ctx);
	ctx.out = stdout;
	ctx.err = stderr;
	ctx.json = o->json;
	ctx.width = shell_width();
	ctx.conf = conf;
	if (strcmp(o->argv[o->first], "help") != 0) {
		if (make_dirs(conf->data_dir) != 0) {
			fprintf(stderr, "gnode: data directory %s: %s\n",
			    conf->data_dir, strerror(errno));
			return EXIT_FAILURE;
		}
		dbpath = conf_db_path(conf);
		if ((ctx.share = share_open(dbpath, &cause)) == NULL) {
			fprintf(stderr, "gnode: %s\n", cause);
			free(cause);
			free(dbpath);
			return EXIT_FAILURE;
		}
		ctx.dbpath = dbpath;
	}
	if (cmd_exec(&ctx, o->argc - o->first, o->argv + o->first) == CMD_OK)
		rc = EXIT_SUCCESS;
	share_close(ctx.share);
	free(dbpath);
	return rc;
}

int
main(int argc, char **argv)
{
	struct opts		 o;
	struct conf		*conf = xcalloc(1, sizeof *conf);
	const struct cmd_entry	*ce;
	char			*cause = NULL, *path;
	int			 rc;

	log_init(stderr, LOG_LVL_WARN);
	memset(&o, 0, sizeof o);
	o.argc = argc;
	o.argv = argv;
	if ((rc = setup(&o, conf, &cause)) >= 0) {
		if (cause != NULL)
			fprintf(stderr, "gnode: %s\n", cause);
		goto out;
	}
	if (o.demo) {
		if (o.first != argc || (o.socket != NULL && !o.headless)) {
			fprintf(stderr, "gnode: --demo takes no command, and "
			    "-S only with --headless\n");
			rc = 2;
			goto out;
		}
		rc = demo(conf, &o);
		conf = NULL;
		goto out;
	}
	if (o.headless) {
		if (o.first != argc) {
			fprintf(stderr, "gnode: --headless takes no command\n");
			rc = 2;
			goto out;
		}
		log_set_level(conf->log_level);
		log_set_trace(conf->trace);
		if (start_check(conf, &cause) != 0) {
			fprintf(stderr, "gnode: %s\n", cause);
			rc = EXIT_FAILURE;
			goto out;
		}
		if (make_dirs(conf->data_dir) != 0) {
			fprintf(stderr, "gnode: data directory %s: %s\n",
			    conf->data_dir, strerror(errno));
			rc = EXIT_FAILURE;
			goto out;
		}
		rc = daemon_run(conf, reload, &o, NULL, &cause);
		conf = NULL;
		if (cause != NULL)
			fprintf(stderr, "gnode: error: %s\n", cause);
		goto out;
	}
	log_set_level(conf->log_level < LOG_LVL_WARN ? conf->log_level :
	    LOG_LVL_WARN);
	if (o.first == argc) {
		if (o.json) {
			fprintf(stderr, "gnode: --json needs a command\n");
			rc = 2;
		} else if (o.socket != NULL)
			rc = shell_remote(conf, o.socket);
		else if (start_check(conf, &cause) != 0) {
			fprintf(stderr, "gnode: %s\n", cause);
			rc = EXIT_FAILURE;
		} else {
			rc = shell_local(conf, &o, reload, NULL);
			conf = NULL;
		}
		goto out;
	}
	ce = cmd_find(argv[o.first]);
	if (o.socket != NULL)
		rc = remote(o.socket, &o);
	else if (ce != NULL && ce->online) {
		path = conf_control_path(conf);
		rc = remote(path, &o);
		free(path);
	} else
		rc = local(conf, &o);
out:
	free(cause);
	if (conf != NULL) {
		conf_free(conf);
		free(conf);
	}
	return rc;
}
