/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * daemon.c: the node runner of `gnode --headless` and of the gnode> shell:
 * the node, its control socket and its signals on the default libev loop,
 * and the hooks that run beside it (daemon.h). Stopping is in steps:
 * gnet_shutdown says Bye to every peer and the loop runs until those are
 * flushed (or the drain time passes); then each hook's shutdown says its
 * own (the demo's nodes, which were the node's peers, hear the node's Bye
 * first), and the loop runs until they are flushed too; then the database
 * is closed.
 */
#include <sys/stat.h>

#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "conf/conf.h"
#include "ctl/ctl.h"
#include "daemon.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/ctl-server.h"
#include "net/net.h"
#include "share/share.h"

#define DAEMON_DRAIN_S	2.5	/* Byes get this long to go out */

struct daemon {
	struct ev_loop		*loop;
	struct conf		*conf;
	daemon_load_fn		 load;
	void			*load_arg;
	const struct daemon_hook *const *hooks;
	size_t			 nhooks;
	size_t			 nready;	/* hooks to stop at the end */
	struct share		*share;
	struct gnet		*net;
	struct ctl_server	*ctl;
	char			*dbpath;
	ev_signal		 sigterm, sigint, sighup;
	ev_timer		 stop;		/* polls for a drained node */
	ev_tstamp		 stop_by;
	int			 asked;		/* daemon_stop was called */
	int			 stopping;	/* the node's Byes are out */
	int			 hooks_stopping;	/* the hooks' too */
};

/* Whether every hook has said its Byes. */
static int
daemon_hooks_drained(struct daemon *d)
{
	const struct daemon_hook	*h;
	size_t				 i;

	for (i = 0; i < d->nhooks; i++) {
		h = d->hooks[i];
		if (h->drained != NULL && !h->drained(h->arg))
			return 0;
	}
	return 1;
}

static void
daemon_stop_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct daemon			*d = w->data;
	const struct daemon_hook	*h;
	size_t				 i;

	(void)revents;
	if (!d->stopping) {
		d->stopping = 1;
		log_info("shutting down");
		gnet_shutdown(d->net);
		d->stop_by = ev_now(loop) + DAEMON_DRAIN_S;
		ev_timer_set(w, 0.02, 0.02);
		ev_timer_start(loop, w);
		return;
	}
	if (!d->hooks_stopping) {
		if (!gnet_drained(d->net) && ev_now(loop) < d->stop_by)
			return;
		d->hooks_stopping = 1;
		for (i = 0; i < d->nhooks; i++) {
			h = d->hooks[i];
			if (h->shutdown != NULL)
				h->shutdown(h->arg);
		}
		d->stop_by = ev_now(loop) + DAEMON_DRAIN_S;
		return;
	}
	if (daemon_hooks_drained(d) || ev_now(loop) >= d->stop_by) {
		ev_timer_stop(loop, w);
		ev_break(loop, EVBREAK_ALL);
	}
}

/* Stop soon, from a signal, `quit` or a hook: not inside the callback
 * that asked, so the answer to `quit` is written first. */
void
daemon_stop(struct daemon *d)
{
	if (d->asked)
		return;
	d->asked = 1;
	ev_timer_set(&d->stop, 0.05, 0.0);
	ev_timer_start(d->loop, &d->stop);
}

/* Whether the node was told to stop. */
int
daemon_stopping(struct daemon *d)
{
	return d->asked;
}

/* The loop the node runs on. */
struct ev_loop *
daemon_loop(struct daemon *d)
{
	return d->loop;
}

struct gnet *
daemon_gnet(struct daemon *d)
{
	return d->net;
}

/* The node's configuration now; SIGHUP may replace it. */
void
daemon_listen_addr(struct daemon *d, uint32_t *ip, uint16_t *port)
{
	gnet_listen_addr(d->net, ip, port);
}

const struct conf *
daemon_conf(struct daemon *d)
{
	return d->conf;
}

static void
daemon_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon	*d = w->data;
	struct conf	*nc;
	char		*cause = NULL;
	size_t		 i;

	(void)loop;
	(void)revents;
	if (w->signum == SIGINT) {
		/* A front end with a prompt takes ^C for itself. */
		for (i = 0; i < d->nhooks; i++)
			if (d->hooks[i]->interrupt != NULL) {
				d->hooks[i]->interrupt(d->hooks[i]->arg);
				return;
			}
	}
	if (w->signum != SIGHUP) {
		log_info("signal %d", w->signum);
		daemon_stop(d);
		return;
	}
	nc = xcalloc(1, sizeof *nc);
	if (d->load(d->load_arg, nc, &cause) != 0) {
		log_warnx("SIGHUP: config not reloaded: %s", cause);
		free(cause);
		free(nc);
		return;
	}
	/* A share dir gone is said, and the rest reloads: the node stays. */
	if (conf_check_dirs(nc, &cause) != 0) {
		log_warnx("SIGHUP: %s", cause);
		free(cause);
		cause = NULL;
	}
	log_info("SIGHUP: reloading seeds and shares");
	log_set_level(nc->log_level);
	log_set_trace(nc->trace);
	gnet_reload(d->net, nc);
	conf_free(d->conf);
	free(d->conf);
	d->conf = nc;
}

/* One command against the live node, from the control socket or a hook. */
int
daemon_exec(struct daemon *d, int argc, char **argv, int json, FILE *out)
{
	struct cmd_ctx	 ctx;
	enum cmd_retval	 rv;

	memset(&ctx, 0, sizeof ctx);
	ctx.out = out;
	ctx.err = out;
	ctx.json = json;
	ctx.conf = d->conf;
	ctx.dbpath = d->dbpath;
	ctx.share = d->share;
	ctx.net = d->net;
	log_trace(TRACE_CTL, "ctl: %s%s", argc > 2 && strcmp(argv[0],
	    "--width") == 0 ? argv[2] : argv[0], json ? " --json" : "");
	rv = cmd_exec(&ctx, argc, argv);
	if (gnet_quitting(d->net))
		daemon_stop(d);
	return rv == CMD_OK ? CTL_OK : CTL_FAILED;
}

static int
daemon_ctl_exec(void *arg, int argc, char **argv, int json, FILE *out)
{
	return daemon_exec(arg, argc, argv, json, out);
}

static int
daemon_pidfile(const char *path)
{
	char	 buf[32];
	int	 fd, n;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) < 0)
		return -1;
	n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)n) != n) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Run the node until SIGTERM, SIGINT or `quit`, with its hooks. */
int
daemon_run(struct conf *conf, daemon_load_fn load, void *arg,
    const struct daemon_hook *const *hooks, char **causep)
{
	struct daemon			 d;
	const struct daemon_hook	*h;
	char				*cause = NULL, *ctlpath = NULL;
	char				*pidfile = NULL;
	size_t				 i;
	int				 rc = EXIT_FAILURE;

	memset(&d, 0, sizeof d);
	d.conf = conf;
	d.load = load;
	d.load_arg = arg;
	d.hooks = hooks;
	while (hooks != NULL && hooks[d.nhooks] != NULL)
		d.nhooks++;
	if (causep != NULL)
		*causep = NULL;
	signal(SIGPIPE, SIG_IGN);
	d.loop = ev_default_loop(EVFLAG_AUTO);
	ev_init(&d.stop, daemon_stop_cb);
	d.stop.data = &d;
	for (; d.nready < d.nhooks; d.nready++) {
		h = hooks[d.nready];
		if (h->prestart != NULL &&
		    h->prestart(h->arg, d.loop, d.conf, &cause) != 0)
			goto fail;
	}
	d.dbpath = conf_db_path(conf);
	if ((d.share = share_open(d.dbpath, &cause)) == NULL)
		goto fail;
	/* The control socket first: a second node on the same data
	 * directory stops here, before it touches the network. */
	ctlpath = conf_control_path(conf);
	if ((d.ctl = ctl_server_new(d.loop, ctlpath, daemon_ctl_exec, &d,
	    &cause)) == NULL)
		goto fail;
	ctl_server_limits(d.ctl, conf->control_clients, conf->control_timeout);
	if ((d.net = gnet_new(d.loop, conf, d.share, &cause)) == NULL)
		goto fail;
	if (conf->pid_file != NULL) {
		if (daemon_pidfile(conf->pid_file) != 0) {
			xasprintf(&cause, "pid file %s: %s", conf->pid_file,
			    strerror(errno));
			goto fail;
		}
		pidfile = xstrdup(conf->pid_file);
	}
	/* The node shares what its config says: a rescan with no
	 * directories empties the index. */
	if (gnet_rescan(d.net, &cause) != 0) {
		log_warnx("share: %s", cause);
		free(cause);
		cause = NULL;
	}
	ev_signal_init(&d.sigterm, daemon_signal_cb, SIGTERM);
	ev_signal_init(&d.sigint, daemon_signal_cb, SIGINT);
	ev_signal_init(&d.sighup, daemon_signal_cb, SIGHUP);
	d.sigterm.data = d.sigint.data = d.sighup.data = &d;
	ev_signal_start(d.loop, &d.sigterm);
	ev_signal_start(d.loop, &d.sigint);
	ev_signal_start(d.loop, &d.sighup);
	log_info("control socket %s", ctlpath);
	for (i = 0; i < d.nhooks; i++) {
		h = hooks[i];
		if (h->start != NULL && h->start(h->arg, &d, &cause) != 0) {
			/* The node is up: it says its Byes on the way out. */
			daemon_stop(&d);
			break;
		}
	}
	ev_run(d.loop, 0);
	ev_signal_stop(d.loop, &d.sigterm);
	ev_signal_stop(d.loop, &d.sigint);
	ev_signal_stop(d.loop, &d.sighup);
	/* Stopping the watchers gives the signals back their default, which
	 * would let a second SIGTERM (an impatient init, or a test sending
	 * it twice) kill the node while it closes its database: we are
	 * stopping already. */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	rc = cause == NULL ? EXIT_SUCCESS : EXIT_FAILURE;
	log_info("stopped");
fail:
	ev_timer_stop(d.loop, &d.stop);
	if (cause != NULL) {
		/* A caller that takes the cause reports it (a start-up
		 * failure is the process's error, not a warning). */
		if (causep == NULL)
			log_warnx("%s", cause);
		if (causep != NULL)
			*causep = cause;
		else
			free(cause);
	}
	while (d.nready > 0) {
		h = hooks[--d.nready];
		if (h->stop != NULL)
			h->stop(h->arg);
	}
	ctl_server_free(d.ctl);
	gnet_free(d.net);
	share_close(d.share);
	if (pidfile != NULL)
		unlink(pidfile);
	free(pidfile);
	free(ctlpath);
	free(d.dbpath);
	conf_free(d.conf);
	free(d.conf);
	return rc;
}
