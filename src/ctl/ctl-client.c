/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * ctl-client.c: the blocking end of the control socket, used by
 * `gnode -S SOCKET cmd ...` (one request) and the attached shell (many
 * requests on one connection). It sends one request line and copies the
 * answer to a stream as it arrives, so a long answer needs no more memory
 * than one read. Every wait is bounded by a poll timeout, so a stuck node
 * cannot hang a script for ever.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "lib/xmalloc.h"

#define CTL_CLIENT_TIMEOUT	120	/* seconds of silence from the node */
#define CTL_CLIENT_STATUS	256	/* longest status line kept */
#define CTL_CLIENT_BUF		16384	/* one read */

struct ctl_conn {
	int		 fd;
	char		*path;
	char		 buf[CTL_CLIENT_BUF];
	size_t		 off;		/* read past an answer, kept */
	size_t		 len;
	int		 broken;	/* a request failed half-way */
};

/* Where the reply reader stands within the current line. */
enum ctl_rstate {
	CTL_R_START,		/* at the first byte of a line */
	CTL_R_DATA,		/* inside a data line: copy to out */
	CTL_R_STATUS,		/* inside the status line: collect */
};

/* Wait until fd is ready for events; 0, or -1 with errno (ETIMEDOUT). */
static int
ctl_client_wait(int fd, short events)
{
	struct pollfd	 pfd;
	int		 n;

	pfd.fd = fd;
	pfd.events = events;
	for (;;) {
		n = poll(&pfd, 1, CTL_CLIENT_TIMEOUT * 1000);
		if (n > 0)
			return 0;
		if (n == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (errno != EINTR)
			return -1;
	}
}

/* Send all of buf; 0, or -1 with errno. */
static int
ctl_client_send(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if (ctl_client_wait(fd, POLLOUT) != 0)
			return -1;
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Connect to the node at path; the fd, or -1 with *cause. */
static int
ctl_client_connect(const char *path, char **cause)
{
	struct sockaddr_un	 sun;
	int			 fd, saved;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		xasprintf(cause, "socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return -1;
	}
	while (connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		if (errno == EINTR)
			continue;
		saved = errno;
		close(fd);
		if (saved == ENOENT || saved == ECONNREFUSED)
			xasprintf(cause, "no node running at %s", path);
		else
			xasprintf(cause, "connect %s: %s", path,
			    strerror(saved));
		return -1;
	}
	return fd;
}

/*
 * Read the answer: data lines go to out without their leading space, and
 * the status line ends it. Bytes read past it stay in the connection's
 * buffer for the next answer. Returns the status, or -1 with *cause.
 */
static int
ctl_client_reply(struct ctl_conn *c, FILE *out, char **cause)
{
	char		 status[CTL_CLIENT_STATUS];
	enum ctl_rstate	 state = CTL_R_START;
	size_t		 slen = 0, i, start, n;
	ssize_t		 got;

	for (;;) {
		if (c->off == c->len) {
			c->off = c->len = 0;
			if (ctl_client_wait(c->fd, POLLIN) != 0) {
				if (errno == ETIMEDOUT)
					xasprintf(cause, "no answer from the "
					    "node at %s in %d s", c->path,
					    CTL_CLIENT_TIMEOUT);
				else
					xasprintf(cause, "poll: %s",
					    strerror(errno));
				return -1;
			}
			got = recv(c->fd, c->buf, sizeof c->buf, 0);
			if (got < 0) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				xasprintf(cause, "read from %s: %s", c->path,
				    strerror(errno));
				return -1;
			}
			if (got == 0) {
				xasprintf(cause, "the node at %s closed the "
				    "connection without an answer", c->path);
				return -1;
			}
			c->len = (size_t)got;
		}

		i = c->off;
		n = c->len;
		while (i < n) {
			switch (state) {
			case CTL_R_START:
				if (c->buf[i] == ' ') {
					state = CTL_R_DATA;
					i++;
				} else if (c->buf[i] >= '0' &&
				    c->buf[i] <= '9') {
					state = CTL_R_STATUS;
					slen = 0;
				} else {
					xasprintf(cause, "bad answer from the "
					    "node at %s", c->path);
					return -1;
				}
				break;
			case CTL_R_DATA:
				start = i;
				while (i < n && c->buf[i] != '\n')
					i++;
				if (i < n) {
					i++;
					state = CTL_R_START;
				}
				if (fwrite(c->buf + start, 1, i - start, out) !=
				    i - start) {
					xasprintf(cause, "write: %s",
					    strerror(errno));
					return -1;
				}
				break;
			case CTL_R_STATUS:
				while (i < n && c->buf[i] != '\n') {
					/* The text past what we keep is
					 * only for people; drop it. */
					if (slen < sizeof status - 1)
						status[slen++] = c->buf[i];
					i++;
				}
				if (i == n)
					break;
				c->off = i + 1;
				status[slen] = '\0';
				if (slen < 3 ||
				    status[1] < '0' || status[1] > '9' ||
				    status[2] < '0' || status[2] > '9' ||
				    (slen > 3 && status[3] != ' ')) {
					xasprintf(cause, "bad status line from "
					    "the node at %s", c->path);
					return -1;
				}
				return (status[0] - '0') * 100 +
				    (status[1] - '0') * 10 + (status[2] - '0');
			}
		}
		c->off = c->len;
	}
}

/* Connect to the node at path. */
static struct ctl_conn *
ctl_conn_connect(const char *path, char **cause)
{
	struct ctl_conn	*c;
	int		 fd;

	*cause = NULL;
	if ((fd = ctl_client_connect(path, cause)) < 0)
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	c->path = xstrdup(path);
	return c;
}

/*
 * A connection kept for a shell: it opens with an empty request line, so
 * the node takes it for a session, which its control_timeout leaves alone
 * while idle (ctl.h). The answer (400 empty request) is read and dropped;
 * a node that refuses us (403, 503) says why here.
 */
static struct ctl_conn *
ctl_conn_session(struct ctl_conn *c, char **cause)
{
	FILE	*fp;
	char	*buf = NULL, *p;
	size_t	 size = 0;
	int	 rv;

	if ((fp = open_memstream(&buf, &size)) == NULL) {
		xasprintf(cause, "open_memstream: %s", strerror(errno));
		ctl_conn_close(c);
		return NULL;
	}
	/* A node that refuses us closes before reading; its reason is
	 * still waiting to be read. */
	rv = -1;
	if (ctl_client_send(c->fd, "\n", 1) == 0 || errno == EPIPE ||
	    errno == ECONNRESET)
		rv = ctl_client_reply(c, fp, cause);
	else
		xasprintf(cause, "write to %s: %s", c->path, strerror(errno));
	fclose(fp);
	if (rv == CTL_FAILED || rv == CTL_OK) {
		free(buf);
		return c;
	}
	if (*cause == NULL) {
		/* Refused (403, 503): the reason its data line gave. */
		p = buf;
		if (size >= 7 && strncmp(p, "error: ", 7) == 0) {
			p += 7;
			size -= 7;
		}
		while (size > 0 && p[size - 1] == '\n')
			size--;
		xasprintf(cause, "%.*s (%d)", (int)size, p, rv);
	}
	free(buf);
	ctl_conn_close(c);
	return NULL;
}

/* Connect to the node at path, for as many requests as wanted. */
struct ctl_conn *
ctl_conn_open(const char *path, char **cause)
{
	struct ctl_conn	*c;

	if ((c = ctl_conn_connect(path, cause)) == NULL)
		return NULL;
	return ctl_conn_session(c, cause);
}

/* The socket, to watch for the node going away between requests. */
int
ctl_conn_fd(const struct ctl_conn *c)
{
	return c->fd;
}

/* A request that failed half-way leaves the connection out of step. */
int
ctl_conn_usable(const struct ctl_conn *c)
{
	return !c->broken;
}

void
ctl_conn_close(struct ctl_conn *c)
{
	if (c == NULL)
		return;
	close(c->fd);
	free(c->path);
	free(c);
}

/* One request on the connection; its answer to out. */
int
ctl_conn_request(struct ctl_conn *c, int argc, char *const *argv, int json,
    FILE *out, char **cause)
{
	char	**words, *line;
	size_t	 len;
	int	 i, n, rv, saved;

	*cause = NULL;
	if (c->broken) {
		xasprintf(cause, "the connection to %s is lost", c->path);
		return -1;
	}
	words = xreallocarray(NULL, (size_t)argc + 2, sizeof *words);
	n = 0;
	if (json)
		words[n++] = (char *)"--json";
	for (i = 0; i < argc; i++)
		words[n++] = argv[i];
	words[n] = NULL;

	/* Room for the longest line, its newline and the NUL. */
	line = xmalloc(CTL_MAX_LINE + 2);
	len = ctl_join(n, words, line, CTL_MAX_LINE + 2);
	free(words);
	if (len == 0) {
		free(line);
		xasprintf(cause, "request too long or holds a control "
		    "character");
		return -1;
	}

	if (ctl_client_send(c->fd, line, len) != 0) {
		saved = errno;
		free(line);
		c->broken = 1;
		/* A node that refuses us (403) closes before reading, but
		 * its reason is still waiting to be read. */
		rv = -1;
		if (saved == EPIPE || saved == ECONNRESET)
			rv = ctl_client_reply(c, out, cause);
		if (rv == -1) {
			free(*cause);
			xasprintf(cause, "write to %s: %s", c->path,
			    strerror(saved));
		}
		return rv;
	}
	free(line);
	if ((rv = ctl_client_reply(c, out, cause)) < 0)
		c->broken = 1;
	return rv;
}

/* Send one request to the node at path and copy its answer to out. */
int
ctl_client_run(const char *path, int argc, char *const *argv, int json,
    FILE *out, char **cause)
{
	struct ctl_conn	*c;
	int		 rv;

	if ((c = ctl_conn_connect(path, cause)) == NULL)
		return -1;
	rv = ctl_conn_request(c, argc, argv, json, out, cause);
	ctl_conn_close(c);
	return rv;
}
