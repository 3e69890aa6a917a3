/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * ctl-server.c: the daemon's end of the control socket. It listens on a
 * UNIX socket that only its own user may reach, reads request lines from
 * each client, runs them through the exec callback and queues the answer
 * in the line format of ctl/ctl.h. Input and output are both bounded per
 * client: a line too long is answered 413 and the client closed, and a
 * client that stops reading is closed once its queue passes a limit.
 * Clients are bounded too: past max_clients at once a new one is answered
 * 503 and closed, and one that has sent no complete request line for the
 * idle timeout, or sits that long on a line it does not finish, is
 * answered 408 and closed. A client that has finished a request and has
 * nothing pending is a session (the attached shell, which opens with an
 * empty line) and may stay idle as long as it likes.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <ev.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/ctl-server.h"

#define CTL_SERVER_MAX_OUT	(8u << 20)	/* queued answer bytes */
#define CTL_SERVER_BACKLOG	16
#define CTL_SERVER_INBUF	(CTL_MAX_LINE + 1)	/* line and newline */
#define CTL_SERVER_CLIENTS	16	/* at once, until ctl_server_limits */
#define CTL_SERVER_IDLE		60.	/* seconds, likewise */

struct ctl_client {
	struct ctl_server	*srv;
	int			 fd;
	ev_io			 rio;
	ev_io			 wio;
	ev_timer		 idle;		/* since the last request */
	unsigned long		 served;	/* complete lines read */
	char			*in;		/* CTL_SERVER_INBUF bytes */
	size_t			 inlen;
	char			*out;
	size_t			 outoff;	/* sent so far */
	size_t			 outlen;	/* queued, sent included */
	size_t			 outcap;
	int			 flags;
#define CTL_CLIENT_CLOSING	0x1	/* close once out is sent */
#define CTL_CLIENT_DEAD		0x2	/* close now */
	LIST_ENTRY(ctl_client)	 entry;
};

struct ctl_server {
	struct ev_loop		*loop;
	int			 fd;
	ev_io			 io;
	ev_timer		 pause;		/* accept paused on EMFILE */
	char			*path;
	dev_t			 dev;		/* of the socket we bound */
	ino_t			 ino;
	ctl_exec_fn		 exec;
	void			*arg;
	LIST_HEAD(, ctl_client)	 clients;
	unsigned		 nclients;
	unsigned		 max_clients;
	ev_tstamp		 idle;
	ev_tstamp		 busy_logged;	/* last "too many" warning */
	unsigned long		 busy_unlogged;	/* refused since then */
};

static void	ctl_server_accept_cb(struct ev_loop *, ev_io *, int);
static void	ctl_server_read_cb(struct ev_loop *, ev_io *, int);
static void	ctl_server_write_cb(struct ev_loop *, ev_io *, int);

/* Stop watching and close one client; it must not be in use after this. */
static void
ctl_client_free(struct ctl_client *c)
{
	struct ev_loop	*loop = c->srv->loop;

	log_trace(TRACE_CTL, "ctl: client %d closed", c->fd);
	ev_io_stop(EV_A_ &c->rio);
	ev_io_stop(EV_A_ &c->wio);
	ev_timer_stop(EV_A_ &c->idle);
	LIST_REMOVE(c, entry);
	c->srv->nclients--;
	close(c->fd);
	free(c->in);
	free(c->out);
	free(c);
}

/* Queue bytes for the client; past the limit the client is marked dead. */
static void
ctl_client_queue(struct ctl_client *c, const char *p, size_t n)
{
	size_t	 pending, want;

	if (c->flags & CTL_CLIENT_DEAD)
		return;
	pending = c->outlen - c->outoff;
	if (n > CTL_SERVER_MAX_OUT - pending) {
		log_warnx("ctl: client %d does not read its answers; closing",
		    c->fd);
		c->flags |= CTL_CLIENT_DEAD;
		return;
	}
	if (c->outoff > 0) {
		memmove(c->out, c->out + c->outoff, pending);
		c->outoff = 0;
		c->outlen = pending;
	}
	if (c->outlen + n > c->outcap) {
		want = c->outcap > 0 ? c->outcap : 4096;
		while (want < c->outlen + n)
			want *= 2;
		c->out = xreallocarray(c->out, want, 1);
		c->outcap = want;
	}
	memcpy(c->out + c->outlen, p, n);
	c->outlen += n;
}

/* Queue a status line, after the reason as a data line when it is ours. */
static void
ctl_client_status(struct ctl_client *c, int code, const char *text, int why)
{
	char	 line[256];
	int	 n;

	if (why) {
		n = snprintf(line, sizeof line, " error: %s\n", text);
		if (n > 0 && (size_t)n < sizeof line)
			ctl_client_queue(c, line, (size_t)n);
	}
	n = snprintf(line, sizeof line, "%03d %s\n", code, text);
	if (n > 0 && (size_t)n < sizeof line)
		ctl_client_queue(c, line, (size_t)n);
}

/* Send what is queued without blocking; wait for POLLOUT for the rest. */
static void
ctl_client_flush(struct ctl_client *c)
{
	struct ev_loop	*loop = c->srv->loop;
	ssize_t		 n;

	while (c->outoff < c->outlen && !(c->flags & CTL_CLIENT_DEAD)) {
		n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			log_trace(TRACE_CTL, "ctl: client %d: %s", c->fd,
			    strerror(errno));
			c->flags |= CTL_CLIENT_DEAD;
			break;
		}
		c->outoff += (size_t)n;
	}
	if (c->outoff == c->outlen) {
		c->outoff = c->outlen = 0;
		ev_io_stop(EV_A_ &c->wio);
	} else if (!(c->flags & CTL_CLIENT_DEAD))
		ev_io_start(EV_A_ &c->wio);
}

/* Free the client if it is done; callbacks end with this, nothing else. */
static void
ctl_client_settle(struct ctl_client *c)
{
	if (c->flags & CTL_CLIENT_DEAD)
		ctl_client_free(c);
	else if ((c->flags & CTL_CLIENT_CLOSING) && c->outlen == 0)
		ctl_client_free(c);
}

/* Queue the command's output as data lines: one space before each. */
static void
ctl_client_data(struct ctl_client *c, const char *p, size_t n)
{
	const char	*nl;
	size_t		 k;

	while (n > 0 && !(c->flags & CTL_CLIENT_DEAD)) {
		nl = memchr(p, '\n', n);
		k = nl != NULL ? (size_t)(nl - p) : n;
		ctl_client_queue(c, " ", 1);
		ctl_client_queue(c, p, k);
		ctl_client_queue(c, "\n", 1);
		if (nl == NULL)
			break;
		p += k + 1;
		n -= k + 1;
	}
}

/*
 * Run one request line (newline removed) and queue its answer. The exec
 * callback may stop the loop but must not free the server under us.
 */
static void
ctl_client_line(struct ctl_client *c, char *line, size_t len)
{
	struct ctl_server	*srv = c->srv;
	char			*argv[CTL_MAX_ARGS + 1], *buf = NULL;
	char			 store[CTL_MAX_LINE + 1];
	const char		*cause;
	size_t			 size = 0;
	FILE			*fp;
	int			 argc, json = 0, rv;

	if (len > 0 && line[len - 1] == '\r')	/* typed through nc -C */
		len--;
	argc = ctl_split(line, len, store, sizeof store, argv, CTL_MAX_ARGS,
	    &cause);
	if (argc < 0) {
		ctl_client_status(c, CTL_FAILED, cause, 1);
		return;
	}
	argv[argc] = NULL;
	if (argc > 0 && strcmp(argv[0], "--json") == 0) {
		json = 1;
		memmove(argv, argv + 1, (size_t)argc * sizeof *argv);
		argc--;
	}
	if (argc == 0) {
		ctl_client_status(c, CTL_FAILED, "empty request", 1);
		return;
	}
	log_trace(TRACE_CTL, "ctl: client %d: %s%s (%d words)", c->fd,
	    json ? "--json " : "", argv[0], argc);

	fp = open_memstream(&buf, &size);
	if (fp == NULL) {
		log_warn("ctl: open_memstream");
		ctl_client_status(c, CTL_INTERNAL, "node failed", 1);
		return;
	}
	rv = srv->exec(srv->arg, argc, argv, json, fp);
	if (fclose(fp) != 0) {
		log_warn("ctl: answer to %s", argv[0]);
		free(buf);
		ctl_client_status(c, CTL_INTERNAL, "node failed", 1);
		return;
	}
	ctl_client_data(c, buf, size);
	free(buf);
	if (rv == CTL_OK)
		ctl_client_status(c, CTL_OK, "ok", 0);
	else
		ctl_client_status(c, CTL_FAILED, "command failed", 0);
}

/*
 * Read what the client sent and run each complete line in order. The
 * client is never freed before the end, whatever a line did to it.
 */
static void
ctl_server_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_client	*c = (struct ctl_client *)((char *)w -
				    offsetof(struct ctl_client, rio));
	char			*nl;
	size_t			 start = 0, was = c->inlen;
	unsigned long		 served = c->served;
	ssize_t			 n;

	n = recv(c->fd, c->in + c->inlen, CTL_SERVER_INBUF - c->inlen, 0);
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		log_trace(TRACE_CTL, "ctl: client %d: %s", c->fd,
		    strerror(errno));
		c->flags |= CTL_CLIENT_DEAD;
		ctl_client_settle(c);
		return;
	}
	if (n == 0) {
		/* Answers already queued still go out (echo cmd | nc -U). */
		ev_io_stop(EV_A_ &c->rio);
		c->flags |= CTL_CLIENT_CLOSING;
		ctl_client_settle(c);
		return;
	}
	c->inlen += (size_t)n;

	while (!(c->flags & CTL_CLIENT_DEAD)) {
		nl = memchr(c->in + start, '\n', c->inlen - start);
		if (nl == NULL)
			break;
		c->served++;
		ctl_client_line(c, c->in + start,
		    (size_t)(nl - (c->in + start)));
		start = (size_t)(nl - c->in) + 1;
	}
	if (start > 0) {
		memmove(c->in, c->in + start, c->inlen - start);
		c->inlen -= start;
	}
	/* The idle clock runs from the last request, or from the first
	 * byte of a line after a quiet session. */
	if (c->served != served || (was == 0 && c->inlen > 0))
		ev_timer_again(EV_A_ &c->idle);
	if (c->inlen == CTL_SERVER_INBUF && !(c->flags & CTL_CLIENT_DEAD)) {
		log_warnx("ctl: client %d: request line too long", c->fd);
		ctl_client_status(c, CTL_TOOLONG, "request line too long", 1);
		ev_io_stop(EV_A_ &c->rio);
		c->flags |= CTL_CLIENT_CLOSING;
	}
	ctl_client_flush(c);
	ctl_client_settle(c);
}

/* The client can take more of its answer. */
static void
ctl_server_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_client	*c = (struct ctl_client *)((char *)w -
				    offsetof(struct ctl_client, wio));

	ctl_client_flush(c);
	ctl_client_settle(c);
}

/* The idle timeout: a client that owes a request line is closed; a
 * session with nothing pending stays. */
static void
ctl_server_idle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ctl_client	*c = (struct ctl_client *)((char *)w -
				    offsetof(struct ctl_client, idle));

	(void)loop;
	(void)revents;
	if (c->served > 0 && c->inlen == 0)
		return;
	log_trace(TRACE_CTL, "ctl: client %d idle for %.0f s; closing",
	    c->fd, c->srv->idle);
	ctl_client_status(c, CTL_TIMEOUT, "no complete request in time", 1);
	ev_io_stop(EV_A_ &c->rio);
	ev_timer_stop(EV_A_ &c->idle);
	c->flags |= CTL_CLIENT_CLOSING;
	ctl_client_flush(c);
	ctl_client_settle(c);
}

/* Past max_clients: one answer, closed at once, and a warning at most
 * once a second with the count of the ones not logged. */
static void
ctl_server_busy(struct ctl_server *srv, int fd)
{
	static const char	 busy[] = " error: too many control clients\n"
				    "503 too many control clients\n";
	struct ev_loop		*loop = srv->loop;

	(void)send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	close(fd);
	srv->busy_unlogged++;
	if (ev_now(EV_A) - srv->busy_logged < 1.)
		return;
	log_warnx("ctl: %u clients at once; refused %lu", srv->max_clients,
	    srv->busy_unlogged);
	srv->busy_logged = ev_now(EV_A);
	srv->busy_unlogged = 0;
}

/* Take a connection if it comes from our own user (or root). */
static void
ctl_server_take(struct ctl_server *srv, int fd)
{
	static const char	 refuse[] = " error: not your node\n"
				    "403 not your node\n";
	struct ev_loop		*loop = srv->loop;
	struct ctl_client	*c;
	struct ucred		 cred;
	socklen_t		 len = sizeof cred;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
		log_warn("ctl: SO_PEERCRED");
		close(fd);
		return;
	}
	if (cred.uid != geteuid() && cred.uid != 0) {
		log_warnx("ctl: refused uid %lu (pid %ld)",
		    (unsigned long)cred.uid, (long)cred.pid);
		/* Best effort: the socket is new, so this fits at once. */
		(void)send(fd, refuse, sizeof refuse - 1,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		close(fd);
		return;
	}
	if (srv->nclients >= srv->max_clients) {
		ctl_server_busy(srv, fd);
		return;
	}

	c = xcalloc(1, sizeof *c);
	c->srv = srv;
	c->fd = fd;
	c->in = xmalloc(CTL_SERVER_INBUF);
	ev_io_init(&c->rio, ctl_server_read_cb, fd, EV_READ);
	ev_io_init(&c->wio, ctl_server_write_cb, fd, EV_WRITE);
	ev_timer_init(&c->idle, ctl_server_idle_cb, srv->idle, srv->idle);
	ev_io_start(EV_A_ &c->rio);
	ev_timer_start(EV_A_ &c->idle);
	LIST_INSERT_HEAD(&srv->clients, c, entry);
	srv->nclients++;
	log_trace(TRACE_CTL, "ctl: client %d from pid %ld", fd,
	    (long)cred.pid);
}

/* Accept again after a pause for file descriptors. */
static void
ctl_server_resume_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ctl_server	*srv = (struct ctl_server *)((char *)w -
				    offsetof(struct ctl_server, pause));

	ev_io_start(EV_A_ &srv->io);
}

/* Take every waiting connection. */
static void
ctl_server_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_server	*srv = (struct ctl_server *)((char *)w -
				    offsetof(struct ctl_server, io));
	int			 fd;

	for (;;) {
		fd = accept4(srv->fd, NULL, NULL,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			ctl_server_take(srv, fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EMFILE || errno == ENFILE) {
			/* Level-triggered: without a pause this would spin. */
			log_warn("ctl: accept (pausing 1 s)");
			ev_io_stop(EV_A_ &srv->io);
			ev_timer_set(&srv->pause, 1., 0.);
			ev_timer_start(EV_A_ &srv->pause);
		} else if (errno != EAGAIN && errno != EWOULDBLOCK)
			log_warn("ctl: accept");
		return;
	}
}

/*
 * Make sure no live node answers at path and clear a stale socket left by
 * one that died. 0, or -1 with *cause.
 */
static int
ctl_server_probe(const struct sockaddr_un *sun, const char *path,
    char **cause)
{
	struct stat	 sb;
	int		 fd, rv;

	if (lstat(path, &sb) != 0) {
		if (errno == ENOENT)
			return 0;
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(sb.st_mode)) {
		xasprintf(cause, "%s exists and is not a socket", path);
		return -1;
	}

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return -1;
	}
	do
		rv = connect(fd, (const struct sockaddr *)sun, sizeof *sun);
	while (rv != 0 && errno == EINTR);
	if (rv == 0) {
		close(fd);
		xasprintf(cause, "a node is already running at %s", path);
		return -1;
	}
	if (errno != ECONNREFUSED && errno != ENOENT) {
		xasprintf(cause, "connect %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (unlink(path) != 0 && errno != ENOENT) {
		xasprintf(cause, "unlink %s: %s", path, strerror(errno));
		return -1;
	}
	log_info("ctl: removed stale socket %s", path);
	return 0;
}

/* Listen for control clients at path on loop. */
struct ctl_server *
ctl_server_new(struct ev_loop *loop, const char *path, ctl_exec_fn exec,
    void *arg, char **cause)
{
	struct ctl_server	*srv;
	struct sockaddr_un	 sun;
	struct stat		 sb;
	mode_t			 old;
	int			 fd, rv, saved;

	*cause = NULL;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		xasprintf(cause, "socket path too long: %s", path);
		return NULL;
	}
	strcpy(sun.sun_path, path);
	if (ctl_server_probe(&sun, path, cause) != 0)
		return NULL;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return NULL;
	}
	/* The umask closes the window between bind and chmod. */
	old = umask(S_IXUSR | S_IRWXG | S_IRWXO);
	rv = bind(fd, (struct sockaddr *)&sun, sizeof sun);
	saved = errno;
	umask(old);
	if (rv != 0) {
		xasprintf(cause, "bind %s: %s", path, strerror(saved));
		close(fd);
		return NULL;
	}
	if (chmod(path, S_IRUSR | S_IWUSR) != 0 || stat(path, &sb) != 0) {
		xasprintf(cause, "chmod %s: %s", path, strerror(errno));
		unlink(path);
		close(fd);
		return NULL;
	}
	if (listen(fd, CTL_SERVER_BACKLOG) != 0) {
		xasprintf(cause, "listen %s: %s", path, strerror(errno));
		unlink(path);
		close(fd);
		return NULL;
	}

	srv = xcalloc(1, sizeof *srv);
	srv->loop = loop;
	srv->fd = fd;
	srv->path = xstrdup(path);
	srv->dev = sb.st_dev;
	srv->ino = sb.st_ino;
	srv->exec = exec;
	srv->arg = arg;
	srv->max_clients = CTL_SERVER_CLIENTS;
	srv->idle = CTL_SERVER_IDLE;
	LIST_INIT(&srv->clients);
	ev_io_init(&srv->io, ctl_server_accept_cb, fd, EV_READ);
	ev_timer_init(&srv->pause, ctl_server_resume_cb, 1., 0.);
	ev_io_start(EV_A_ &srv->io);
	log_debug("ctl: listening on %s", path);
	return srv;
}

/* How many clients at once, and the idle timeout in seconds, for clients
 * taken from now on. */
void
ctl_server_limits(struct ctl_server *srv, unsigned max_clients,
    unsigned idle)
{
	if (max_clients > 0)
		srv->max_clients = max_clients;
	if (idle > 0)
		srv->idle = idle;
}

/* Close every client and the socket, and unlink the path if still ours. */
void
ctl_server_free(struct ctl_server *srv)
{
	struct ev_loop		*loop;
	struct ctl_client	*c;
	struct stat		 sb;

	if (srv == NULL)
		return;
	loop = srv->loop;
	while ((c = LIST_FIRST(&srv->clients)) != NULL)
		ctl_client_free(c);
	ev_io_stop(EV_A_ &srv->io);
	ev_timer_stop(EV_A_ &srv->pause);
	close(srv->fd);
	if (lstat(srv->path, &sb) == 0 && sb.st_dev == srv->dev &&
	    sb.st_ino == srv->ino)
		unlink(srv->path);
	free(srv->path);
	free(srv);
}
