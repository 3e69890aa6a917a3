/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * ctl-client.c: the blocking end of the control socket, used by
 * `gnode -S SOCKET cmd ...` and the attached shell. It sends one request
 * line and copies the answer to a stream as it arrives, so a long answer
 * needs no more memory than one read. Every wait is bounded by a poll
 * timeout, so a stuck node cannot hang a script for ever.
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
 * the status line ends it. Returns the status, or -1 with *cause.
 */
static int
ctl_client_reply(int fd, const char *path, FILE *out, char **cause)
{
	char		 buf[16384], status[CTL_CLIENT_STATUS];
	enum ctl_rstate	 state = CTL_R_START;
	size_t		 slen = 0, i, start;
	ssize_t		 n;

	for (;;) {
		if (ctl_client_wait(fd, POLLIN) != 0) {
			if (errno == ETIMEDOUT)
				xasprintf(cause, "no answer from the node at "
				    "%s in %d s", path, CTL_CLIENT_TIMEOUT);
			else
				xasprintf(cause, "poll: %s", strerror(errno));
			return -1;
		}
		n = recv(fd, buf, sizeof buf, 0);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			xasprintf(cause, "read from %s: %s", path,
			    strerror(errno));
			return -1;
		}
		if (n == 0) {
			xasprintf(cause, "the node at %s closed the "
			    "connection without an answer", path);
			return -1;
		}

		i = 0;
		while (i < (size_t)n) {
			switch (state) {
			case CTL_R_START:
				if (buf[i] == ' ') {
					state = CTL_R_DATA;
					i++;
				} else if (buf[i] >= '0' && buf[i] <= '9') {
					state = CTL_R_STATUS;
					slen = 0;
				} else {
					xasprintf(cause, "bad answer from the "
					    "node at %s", path);
					return -1;
				}
				break;
			case CTL_R_DATA:
				start = i;
				while (i < (size_t)n && buf[i] != '\n')
					i++;
				if (i < (size_t)n) {
					i++;
					state = CTL_R_START;
				}
				if (fwrite(buf + start, 1, i - start, out) !=
				    i - start) {
					xasprintf(cause, "write: %s",
					    strerror(errno));
					return -1;
				}
				break;
			case CTL_R_STATUS:
				while (i < (size_t)n && buf[i] != '\n') {
					/* The text past what we keep is
					 * only for people; drop it. */
					if (slen < sizeof status - 1)
						status[slen++] = buf[i];
					i++;
				}
				if (i == (size_t)n)
					break;
				status[slen] = '\0';
				if (slen < 3 ||
				    status[1] < '0' || status[1] > '9' ||
				    status[2] < '0' || status[2] > '9' ||
				    (slen > 3 && status[3] != ' ')) {
					xasprintf(cause, "bad status line from "
					    "the node at %s", path);
					return -1;
				}
				return (status[0] - '0') * 100 +
				    (status[1] - '0') * 10 + (status[2] - '0');
			}
		}
	}
}

/* Send one request to the node at path and copy its answer to out. */
int
ctl_client_run(const char *path, int argc, char *const *argv, int json,
    FILE *out, char **cause)
{
	char	**words, *line;
	size_t	 len;
	int	 fd, i, n, rv, saved;

	*cause = NULL;
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

	fd = ctl_client_connect(path, cause);
	if (fd < 0) {
		free(line);
		return -1;
	}
	if (ctl_client_send(fd, line, len) != 0) {
		saved = errno;
		free(line);
		/* A node that refuses us (403) closes before reading, but
		 * its reason is still waiting to be read. */
		rv = -1;
		if (saved == EPIPE || saved == ECONNRESET)
			rv = ctl_client_reply(fd, path, out, cause);
		close(fd);
		if (rv == -1) {
			free(*cause);
			xasprintf(cause, "write to %s: %s", path,
			    strerror(saved));
		}
		return rv;
	}
	free(line);
	rv = ctl_client_reply(fd, path, out, cause);
	close(fd);
	return rv;
}
