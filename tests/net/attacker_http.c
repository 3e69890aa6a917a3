/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * attacker_http.c: the attacker's classes that never get a link up:
 * "handshakes" (half-open handshakes from one address, slowloris-style,
 * reopened as the node turns them away) and "http" (request smuggling
 * shapes and requests that are neither Gnutella nor HTTP, one connection
 * after another). See attacker.c for the command line.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attacker.h"

#define AT_HS_OPENS	20000	/* "handshakes" connections in all, at most */
#define AT_HS_RATE	200	/* ... and a second, unless -r says */
#define AT_HS_QUICK_MS	1000	/* closed this soon, nothing said: refused */
#define AT_HS_TRICKLE_MS 1000	/* a byte this often on a held one */
#define AT_HTTP_MAX	200000	/* "http" connections in all, at most */
#define AT_HTTP_WAIT_MS	5000	/* for each answer and close */
#define AT_HTTP_IN	8192	/* what we keep of an answer */
#define AT_CODES	8	/* distinct status codes tallied per shape */

/* One of "handshakes"' connections. */
struct at_hs {
	int		 fd;		/* -1: a free slot */
	uint64_t	 opened;
	int		 connected;	/* the CONNECT line went out */
	uint64_t	 next_byte;
	char		 line[64];	/* what the node said first */
	size_t		 n;
};

struct at_hs_tally {
	unsigned long	 opened, failed, refused, timedout, other;
	char		 other_line[64];
};

/* The node closed c (or reset it): which kind of end it was. */
static void
at_hs_end(struct at_hs *c, struct at_hs_tally *t)
{
	if (c->n == 0 && at_now() - c->opened < AT_HS_QUICK_MS)
		t->refused++;
	else if (c->n >= 16 && strncmp(c->line, "GNUTELLA/0.6 408", 16) == 0)
		t->timedout++;
	else {
		if (t->other++ == 0)
			snprintf(t->other_line, sizeof t->other_line, "%s",
			    c->n > 0 ? c->line : "(closed late, nothing said)");
	}
	close(c->fd);
	c->fd = -1;
}

static void
at_hs_io(struct at_hs *c, short revents, struct at_hs_tally *t)
{
	static const char	 hello[] = "GNUTELLA CONNECT/0.6\r\n"
	    "User-Agent: attacker/0.1\r\nX-Slow: ";
	char			 buf[512];
	ssize_t			 r;
	size_t			 i;

	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		r = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
		if (r <= 0 && !(r == -1 && (errno == EAGAIN ||
		    errno == EINTR))) {
			if (!c->connected && c->n == 0 && r == -1 &&
			    errno == ECONNREFUSED) {
				t->failed++;
				close(c->fd);
				c->fd = -1;
				return;
			}
			at_hs_end(c, t);
			return;
		}
		for (i = 0; r > 0 && i < (size_t)r && c->n + 1 <
		    sizeof c->line && buf[i] != '\r' && buf[i] != '\n'; i++)
			c->line[c->n++] = buf[i];
		c->line[c->n] = '\0';
	}
	if (!c->connected && (revents & POLLOUT)) {
		if (send(c->fd, hello, sizeof hello - 1, MSG_NOSIGNAL) == -1) {
			at_hs_end(c, t);
			return;
		}
		c->connected = 1;
		c->next_byte = at_now() + AT_HS_TRICKLE_MS;
	}
}

int
at_handshakes(const struct at_opt *o)
{
	struct at_hs		*c;
	struct pollfd		*pfd;
	struct at_hs_tally	 t;
	uint64_t		 start = at_now(), deadline, now;
	unsigned		 rate = o->rate ? o->rate : AT_HS_RATE;
	unsigned		 i, open, held, maxheld = 0;

	memset(&t, 0, sizeof t);
	if ((c = calloc(o->conns, sizeof *c)) == NULL ||
	    (pfd = calloc(o->conns, sizeof *pfd)) == NULL)
		return 2;
	for (i = 0; i < o->conns; i++)
		c[i].fd = -1;
	deadline = start + (uint64_t)o->secs * 1000;
	printf("up\n");
	fflush(stdout);
	while ((now = at_now()) < deadline) {
		open = held = 0;
		for (i = 0; i < o->conns; i++) {
			if (c[i].fd == -1 && t.opened < AT_HS_OPENS &&
			    t.opened < (now - start) * rate / 1000 + 1) {
				memset(&c[i], 0, sizeof c[i]);
				if ((c[i].fd = at_dial(o, 1)) == -1) {
					t.failed++;
					continue;
				}
				c[i].opened = now;
				t.opened++;
			}
			if (c[i].fd == -1)
				continue;
			if (c[i].connected && now >= c[i].next_byte) {
				(void)send(c[i].fd, "a", 1, MSG_NOSIGNAL |
				    MSG_DONTWAIT);
				c[i].next_byte = now + AT_HS_TRICKLE_MS;
			}
			pfd[open].fd = c[i].fd;
			pfd[open].events = POLLIN |
			    (c[i].connected ? 0 : POLLOUT);
			pfd[open].revents = 0;
			open++;
			if (now - c[i].opened >= AT_HS_QUICK_MS)
				held++;
		}
		if (held > maxheld)
			maxheld = held;
		if (poll(pfd, open, 20) < 1)
			continue;
		for (i = 0, open = 0; i < o->conns; i++) {
			if (c[i].fd == -1 || pfd[open].fd != c[i].fd)
				continue;
			if (pfd[open].revents != 0)
				at_hs_io(&c[i], pfd[open].revents, &t);
			open++;
		}
	}
	for (i = 0, open = 0; i < o->conns; i++)
		if (c[i].fd != -1) {
			close(c[i].fd);
			open++;
		}
	printf("handshakes opened %lu refused %lu timeout %lu other %lu "
	    "failed %lu held %u maxheld %u secs %.1f\n", t.opened, t.refused,
	    t.timedout, t.other, t.failed, open, maxheld,
	    (double)(at_now() - start) / 1000);
	if (t.other > 0)
		printf("first other: %s\n", t.other_line);
	free(c);
	free(pfd);
	return 0;
}

/* One HTTP shape and what came of it. */
struct at_shape {
	const char	*name;
	char		 req[512];
	size_t		 len;
	unsigned long	 sent, second, open;
	unsigned	 code[AT_CODES];
	unsigned long	 count[AT_CODES];
	unsigned	 ncodes;
};

static void
at_shapes(struct at_shape *s)
{
	static const char	 inner[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	size_t			 il = sizeof inner - 1;
	int			 i;

	memset(s, 0, 6 * sizeof *s);
	s[0].name = "cl";
	snprintf(s[0].req, sizeof s[0].req, "GET / HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: %zu\r\n\r\n%s", il, inner);
	s[1].name = "te";
	snprintf(s[1].req, sizeof s[1].req, "GET / HTTP/1.1\r\nHost: x\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n%s", inner);
	s[2].name = "clte";
	snprintf(s[2].req, sizeof s[2].req, "GET / HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: %zu\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "0\r\n\r\n%s", il + 5, inner);
	s[3].name = "clcl";
	snprintf(s[3].req, sizeof s[3].req, "GET / HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 0\r\nContent-Length: %zu\r\n\r\n%s", il, inner);
	s[4].name = "post";
	snprintf(s[4].req, sizeof s[4].req, "POST / HTTP/1.1\r\nHost: x\r\n"
	    "\r\n");
	s[5].name = "lower";
	snprintf(s[5].req, sizeof s[5].req, "get / HTTP/1.1\r\nHost: x\r\n"
	    "\r\n");
	for (i = 0; i < 6; i++)
		s[i].len = strlen(s[i].req);
}

/* Status lines in an answer (at its start, or after a line end). */
static unsigned
at_statuses(const char *p, size_t n, unsigned *first)
{
	unsigned	 k = 0;
	size_t		 i;

	*first = 0;
	for (i = 0; i < n; i++) {
		if (i > 0 && p[i - 1] != '\n')
			continue;
		if ((n - i >= 7 && memcmp(p + i, "HTTP/1.", 7) == 0) ||
		    (n - i >= 9 && memcmp(p + i, "GNUTELLA/", 9) == 0)) {
			if (k++ == 0) {
				const char *sp = memchr(p + i, ' ', n - i);

				if (sp != NULL && (size_t)(sp - p) + 4 <= n)
					*first = (unsigned)strtoul(sp + 1,
					    NULL, 10);
			}
		}
	}
	return k;
}

static void
at_tally(struct at_shape *s, unsigned code)
{
	unsigned	 i;

	for (i = 0; i < s->ncodes; i++)
		if (s->code[i] == code)
			break;
	if (i == s->ncodes) {
		if (s->ncodes == AT_CODES)
			i = AT_CODES - 1;	/* the rest lumped in */
		else {
			s->code[i] = code;
			s->ncodes++;
		}
	}
	s->count[i]++;
}

/* One request over one connection, read until the node closes. */
static int
at_http_one(const struct at_opt *o, struct at_shape *s)
{
	char		 in[AT_HTTP_IN], junk[4096];
	struct pollfd	 pfd;
	uint64_t	 deadline;
	size_t		 n = 0;
	ssize_t		 r;
	unsigned	 first, k;
	int		 fd, closed = 0;

	if ((fd = at_dial(o, 0)) == -1)
		return -1;
	deadline = at_now() + AT_HTTP_WAIT_MS;
	/* The node may close before it read it all: fine. */
	(void)send(fd, s->req, s->len, MSG_NOSIGNAL);
	while (at_left(deadline) > 0) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, at_left(deadline)) < 1)
			break;
		/* Past what we keep, the rest is read and dropped. */
		if (n < sizeof in)
			r = recv(fd, in + n, sizeof in - n, 0);
		else
			r = recv(fd, junk, sizeof junk, 0);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			closed = r == 0 || errno == ECONNRESET;
			break;
		}
		if (n < sizeof in)
			n += (size_t)r;
	}
	close(fd);
	s->sent++;
	k = at_statuses(in, n, &first);
	at_tally(s, first);
	if (k > 1)
		s->second++;
	if (!closed)
		s->open++;
	return 0;
}

int
at_http(const struct at_opt *o)
{
	struct at_shape	 s[6];
	uint64_t	 start = at_now(), deadline;
	unsigned long	 n, failed = 0;
	unsigned	 i, j;
	char		 codes[256];
	size_t		 off;

	at_shapes(s);
	deadline = start + (uint64_t)o->secs * 1000;
	printf("up\n");
	fflush(stdout);
	for (n = 0; n < AT_HTTP_MAX && at_now() < deadline; n++) {
		at_pace(start, n, o->rate);
		if (at_http_one(o, &s[n % 6]) != 0) {
			failed++;
			(void)poll(NULL, 0, 10);
		}
	}
	for (i = 0; i < 6; i++) {
		codes[0] = '\0';
		for (j = 0, off = 0; j < s[i].ncodes && off < sizeof codes;
		    j++)
			off += (size_t)snprintf(codes + off, sizeof codes - off,
			    "%s%ux%lu", j ? "," : "", s[i].code[j],
			    s[i].count[j]);
		printf("http %s sent %lu codes %s second %lu open %lu\n",
		    s[i].name, s[i].sent, s[i].ncodes ? codes : "none",
		    s[i].second, s[i].open);
	}
	printf("end http conns %lu failed %lu secs %.1f\n", n - failed, failed,
	    (double)(at_now() - start) / 1000);
	return n > failed ? 0 : 1;
}
