/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * netpeer.c: a raw TCP peer for tests/net.sh. It talks to a running node
 * the way a broken or hostile servent would (garbage instead of a
 * handshake, an over-long header line, an oversized descriptor, the same
 * query again and again, a peer that stops reading, a flood of fresh
 * queries) and prints what the node did about it. Every wait is bounded,
 * so a node that hangs fails the test instead of stalling it. It also
 * reads the one-line JSON that `gnode --json` prints, so the script needs
 * neither jq nor python. For tests/upload.sh it also plays the HTTP
 * clients curl will not: many that never finish their request head, and
 * one whose head never ends. For tests/scope.sh it names hosts the node
 * must not dial: -H adds handshake headers (X-Try-Ultrapeers ...), -P
 * answers every ping with one more pong about an address, and "refuse"
 * listens and turns each handshake down with 503 and those headers;
 * "silent" listens and never answers, for the node's handshake timeout.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "wire/bye.h"
#include "wire/desc.h"
#include "wire/ping.h"
#include "wire/query.h"

#define NP_WAIT_MS	10000		/* the longest any one wait may take */
#define NP_BUF		(512 * 1024)	/* received bytes not yet consumed */
#define NP_MAX_PAYLOAD	(128 * 1024)	/* larger from the node: give up */
#define NP_LINE		4096
#define NP_DUPS		200		/* copies of one query for "dups" */
#define NP_DUP_GAP_MS	20		/* listen this long between copies */
#define NP_KEEPALIVE_MS	3000		/* "hold", "stall" ping this often */
#define NP_STALL_RCVBUF	2048		/* "stall"'s receive buffer */
#define NP_FLOOD_BATCH	64		/* queries per write for "flood" */
#define NP_FLOOD_MAX	99999999UL	/* "flood" texts count in 8 digits */
#define NP_FLOOD_TEXT	240		/* a flood query's text: relayed whole
					 * (the payload stays within 256) */
#define NP_DRAIN_MS	30000		/* the node catching up on a flood */
#define NP_SLOW_MAX	10000		/* "slowhttp" connections at most */
#define NP_SLOW_WAIT_MS	20000		/* each must get its 408 and close */
#define NP_HTTP_LINE	256		/* a status line we keep */
#define NP_BIGHEAD	(1024 * 1024)	/* "bighead"'s header bytes */
#define NP_BIGHEAD_LINE	1024		/* one padding header, CRLF included */
#define NP_JSON_MAX	(16 * 1024 * 1024)
#define NP_JSON_DEPTH	64
#define NP_EXTRA_MAX	8		/* -H headers at most */
#define NP_PONGS_MAX	16		/* -P pongs at most */
#define NP_REFUSE_MAX	1000		/* "refuse" connections at most */
#define NP_RAW_MAX	5000		/* "raw" connections at most */
#define NP_RAW_IN	(2 * 1024 * 1024)	/* "raw" request bytes at most */

/* What a wait for input ended with. */
enum np_io {
	NP_DATA,		/* more bytes are in the buffer */
	NP_CLOSED,		/* the node closed (FIN or reset) */
	NP_TIMEOUT,		/* nothing before the deadline */
	NP_FAIL,		/* our own error (buffer full, bad deflate) */
};

/* One connection to the node. */
struct np {
	int		 fd;
	uint8_t		*buf;		/* received, inflated when zon */
	size_t		 off;		/* consumed up to here */
	size_t		 len;		/* filled up to here */
	z_stream	 z;
	int		 zon;		/* the node deflates what it sends */
	char		 node[64];	/* our "listening" address, ip:port */
	uint32_t	 ip;		/* our address (host order) */
	uint16_t	 port;
};

static const char	*np_extra[NP_EXTRA_MAX];	/* -H "Name: value" */
static size_t		 np_nextra;
static struct pong	 np_pongs[NP_PONGS_MAX];	/* -P ip:port */
static size_t		 np_npongs;

/* The -H headers as handshake lines, into buf (cut when too long). */
static const char *
np_extra_lines(char *buf, size_t cap)
{
	size_t	 i, off = 0;
	int	 n;

	buf[0] = '\0';
	for (i = 0; i < np_nextra; i++) {
		n = snprintf(buf + off, cap - off, "%s\r\n", np_extra[i]);
		if (n < 0 || (size_t)n >= cap - off)
			break;
		off += (size_t)n;
	}
	return buf;
}

static uint64_t
np_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Milliseconds left before a deadline, for poll(). */
static int
np_left(uint64_t deadline)
{
	uint64_t	 now = np_now();

	if (now >= deadline)
		return 0;
	return (int)(deadline - now);
}

static void
np_random(uint8_t *p, size_t n)
{
	static unsigned	 fallback;
	FILE		*f;
	size_t		 i, got = 0;

	if ((f = fopen("/dev/urandom", "rb")) != NULL) {
		got = fread(p, 1, n, f);
		fclose(f);
	}
	if (fallback == 0)
		fallback = (unsigned)time(NULL) ^ (unsigned)getpid() << 8;
	for (i = got; i < n; i++) {
		fallback = fallback * 1103515245u + 12345u;
		p[i] = (uint8_t)(fallback >> 16);
	}
}

/* A fresh message id marked "modern" the way gtkg marks its own. */
static void
np_muid(uint8_t *g)
{
	np_random(g, DESC_GUID_LEN);
	g[8] = 0xff;
	g[15] = 0x00;
}

/*
 * Connect to host:port, from src when given (a loopback alias such as
 * 127.0.0.20, so each hostile client has an address of its own). The
 * connect itself is bounded too.
 */
static int
np_connect(struct np *np, const char *host, const char *port, const char *src,
    int rcvbuf)
{
	struct sockaddr_in	 sin, me;
	socklen_t		 melen = sizeof me;
	struct pollfd		 pfd;
	int			 fd, err = 0, fl;
	socklen_t		 errlen = sizeof err;
	long			 p;
	char			*end;

	memset(np, 0, sizeof *np);
	np->fd = -1;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	p = strtol(port, &end, 10);
	if (*end != '\0' || p < 1 || p > 65535 ||
	    inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
		fprintf(stderr, "netpeer: bad address %s:%s\n", host, port);
		return -1;
	}
	sin.sin_port = htons((uint16_t)p);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1) {
		perror("netpeer: socket");
		return -1;
	}
	if (src != NULL && *src != '\0') {
		memset(&me, 0, sizeof me);
		me.sin_family = AF_INET;
		if (inet_pton(AF_INET, src, &me.sin_addr) != 1) {
			fprintf(stderr, "netpeer: bad source address %s\n",
			    src);
			close(fd);
			return -1;
		}
		if (bind(fd, (struct sockaddr *)&me, sizeof me) == -1) {
			perror("netpeer: bind");
			close(fd);
			return -1;
		}
	}
	/* Before connect, so the window we announce is small from the SYN. */
	if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
	    sizeof rcvbuf) == -1) {
		perror("netpeer: SO_RCVBUF");
		close(fd);
		return -1;
	}
	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		if (errno != EINPROGRESS) {
			perror("netpeer: connect");
			close(fd);
			return -1;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, NP_WAIT_MS) != 1) {
			fprintf(stderr, "netpeer: connect timed out\n");
			close(fd);
			return -1;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) == -1 ||
		    err != 0) {
			fprintf(stderr, "netpeer: connect: %s\n",
			    strerror(err != 0 ? err : errno));
			close(fd);
			return -1;
		}
	}
	if (getsockname(fd, (struct sockaddr *)&me, &melen) == 0) {
		np->ip = ntohl(me.sin_addr.s_addr);
		np->port = ntohs(me.sin_port);
		snprintf(np->node, sizeof np->node, "%s:%u",
		    inet_ntoa(me.sin_addr), (unsigned)np->port);
	} else
		snprintf(np->node, sizeof np->node, "127.0.0.1:1");
	if ((np->buf = malloc(NP_BUF)) == NULL) {
		close(fd);
		return -1;
	}
	np->fd = fd;
	return 0;
}

static void
np_close(struct np *np)
{
	if (np->fd != -1)
		close(np->fd);
	if (np->zon)
		inflateEnd(&np->z);
	free(np->buf);
	np->fd = -1;
	np->buf = NULL;
	np->zon = 0;
}

/* Write everything before the deadline; -1 if the node is gone. */
static int
np_write(struct np *np, const void *data, size_t len, uint64_t deadline)
{
	const uint8_t	*p = data;
	struct pollfd	 pfd;
	ssize_t		 n;

	while (len > 0) {
		n = send(np->fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			pfd.fd = np->fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, np_left(deadline)) < 1)
				return -1;
			continue;
		}
		return -1;
	}
	return 0;
}

/* Append what a read brought, through inflate when the node deflates. */
static enum np_io
np_take(struct np *np, uint8_t *raw, size_t n)
{
	int	 rc;

	if (!np->zon) {
		if (n > NP_BUF - np->len)
			return NP_FAIL;
		memcpy(np->buf + np->len, raw, n);
		np->len += n;
		return NP_DATA;
	}
	np->z.next_in = raw;
	np->z.avail_in = (uInt)n;
	while (np->z.avail_in > 0) {
		if (np->len == NP_BUF)
			return NP_FAIL;
		np->z.next_out = np->buf + np->len;
		np->z.avail_out = (uInt)(NP_BUF - np->len);
		rc = inflate(&np->z, Z_SYNC_FLUSH);
		np->len = NP_BUF - np->z.avail_out;
		if (rc == Z_BUF_ERROR && np->z.avail_out > 0)
			break;
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			return NP_FAIL;
	}
	return NP_DATA;
}

/* Wait for more bytes from the node, at most until the deadline. */
static enum np_io
np_more(struct np *np, uint64_t deadline)
{
	uint8_t		 raw[16384];
	struct pollfd	 pfd;
	ssize_t		 n;
	int		 rc;

	if (np->off > 0) {
		memmove(np->buf, np->buf + np->off, np->len - np->off);
		np->len -= np->off;
		np->off = 0;
	}
	for (;;) {
		pfd.fd = np->fd;
		pfd.events = POLLIN;
		rc = poll(&pfd, 1, np_left(deadline));
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == -1)
			return NP_FAIL;
		if (rc == 0)
			return NP_TIMEOUT;
		n = recv(np->fd, raw, sizeof raw, 0);
		if (n == -1 && (errno == EINTR || errno == EAGAIN ||
		    errno == EWOULDBLOCK))
			continue;
		if (n == 0 || (n == -1 && (errno == ECONNRESET ||
		    errno == EPIPE)))
			return NP_CLOSED;
		if (n == -1)
			return NP_FAIL;
		return np_take(np, raw, (size_t)n);
	}
}

/* Discard bytes until the node closes; NP_CLOSED if it did in time. */
static enum np_io
np_wait_close(struct np *np, uint64_t deadline)
{
	enum np_io	 io;

	for (;;) {
		np->off = np->len;
		if ((io = np_more(np, deadline)) != NP_DATA)
			return io;
	}
}

/*
 * One CRLF- (or LF-) terminated line into line, without the line end.
 * A line longer than the buffer is cut and the rest skipped.
 */
static enum np_io
np_line(struct np *np, char *line, size_t cap, uint64_t deadline)
{
	uint8_t		*nl;
	size_t		 n;
	enum np_io	 io;

	for (;;) {
		nl = memchr(np->buf + np->off, '\n', np->len - np->off);
		if (nl != NULL) {
			n = (size_t)(nl - (np->buf + np->off));
			if (n > 0 && np->buf[np->off + n - 1] == '\r')
				n--;
			if (n >= cap)
				n = cap - 1;
			memcpy(line, np->buf + np->off, n);
			line[n] = '\0';
			np->off = (size_t)(nl - np->buf) + 1;
			return NP_DATA;
		}
		if ((io = np_more(np, deadline)) != NP_DATA)
			return io;
	}
}

/* Turn on inflate for everything after the handshake. */
static int
np_start_inflate(struct np *np)
{
	uint8_t	*rest;
	size_t	 n = np->len - np->off;

	memset(&np->z, 0, sizeof np->z);
	if (inflateInit(&np->z) != Z_OK)
		return -1;
	np->zon = 1;
	if ((rest = malloc(n + 1)) == NULL)
		return -1;
	memcpy(rest, np->buf + np->off, n);
	np->off = np->len = 0;
	if (n > 0 && np_take(np, rest, n) != NP_DATA) {
		free(rest);
		return -1;
	}
	free(rest);
	return 0;
}

/*
 * The three-way handshake as an ultrapeer that does not offer deflate, so
 * whatever follows can be read raw (a node that deflates anyway is
 * inflated). Prints "refused <status>" or what went wrong and returns -1
 * when the node does not accept us.
 */
static int
np_handshake(struct np *np, const char *host)
{
	char		 hello[4096], line[NP_LINE], guid[33], extra[2048];
	uint8_t		 g[16];
	uint64_t	 deadline = np_now() + NP_WAIT_MS;
	enum np_io	 io;
	size_t		 i;
	int		 n, deflated = 0;
	const char	*v;

	np_random(g, sizeof g);
	for (i = 0; i < sizeof g; i++)
		snprintf(guid + 2 * i, 3, "%02X", g[i]);
	n = snprintf(hello, sizeof hello,
	    "GNUTELLA CONNECT/0.6\r\n"
	    "Node: %s\r\n"
	    "Remote-IP: %s\r\n"
	    "User-Agent: netpeer/0.1\r\n"
	    "Pong-Caching: 0.1\r\n"
	    "Bye-Packet: 0.1\r\n"
	    "GGEP: 0.5\r\n"
	    "GUID: %s\r\n"
	    "Vendor-Message: 0.2\r\n"
	    "X-Query-Routing: 0.2\r\n"
	    "X-Ultrapeer: True\r\n"
	    "X-Ultrapeer-Query-Routing: 0.1\r\n"
	    "X-Degree: 32\r\n"
	    "X-Max-TTL: 4\r\n"
	    "X-Dynamic-Querying: 0.1\r\n"
	    "%s\r\n", np->node, host, guid,
	    np_extra_lines(extra, sizeof extra));
	if (n < 0 || (size_t)n >= sizeof hello ||
	    np_write(np, hello, (size_t)n, deadline) == -1) {
		printf("closed before the handshake\n");
		return -1;
	}
	if ((io = np_line(np, line, sizeof line, deadline)) != NP_DATA) {
		printf("%s\n", io == NP_CLOSED ? "closed" : "timeout");
		return -1;
	}
	if (strncmp(line, "GNUTELLA/", 9) != 0 || strchr(line, ' ') == NULL ||
	    atoi(strchr(line, ' ') + 1) != 200) {
		printf("refused %s\n", line);
		return -1;
	}
	for (;;) {
		if ((io = np_line(np, line, sizeof line, deadline)) !=
		    NP_DATA) {
			printf("%s in the handshake\n",
			    io == NP_CLOSED ? "closed" : "timeout");
			return -1;
		}
		if (line[0] == '\0')
			break;
		if (strncasecmp(line, "Content-Encoding:", 17) == 0) {
			v = line + 17;
			while (*v == ' ' || *v == '\t')
				v++;
			if (strncasecmp(v, "deflate", 7) == 0)
				deflated = 1;
		}
	}
	if (np_write(np, "GNUTELLA/0.6 200 OK\r\n\r\n", 23, deadline) == -1) {
		printf("closed in the handshake\n");
		return -1;
	}
	if (deflated && np_start_inflate(np) == -1) {
		printf("inflate failed\n");
		return -1;
	}
	return 0;
}

/* Send one descriptor: header then payload. */
static int
np_send_desc(struct np *np, const uint8_t *guid, uint8_t func, uint8_t ttl,
    uint8_t hops, const uint8_t *payload, size_t len, uint64_t deadline)
{
	struct desc	 d;
	uint8_t		 hdr[DESC_HDR_LEN];

	memset(&d, 0, sizeof d);
	memcpy(d.guid, guid, DESC_GUID_LEN);
	d.func = func;
	d.ttl = ttl;
	d.hops = hops;
	d.len = (uint32_t)len;
	if (desc_encode(&d, hdr, sizeof hdr) != DESC_HDR_LEN)
		return -1;
	if (np_write(np, hdr, sizeof hdr, deadline) == -1)
		return -1;
	if (len > 0 && np_write(np, payload, len, deadline) == -1)
		return -1;
	return 0;
}

static int
np_send_bye(struct np *np, uint16_t code, const char *why)
{
	struct bye	 b;
	uint8_t		 g[DESC_GUID_LEN], out[256];
	size_t		 n;

	b.code = code;
	b.text = why;
	b.textlen = strlen(why);
	if ((n = bye_encode(&b, out, sizeof out)) == 0)
		return -1;
	np_muid(g);
	return np_send_desc(np, g, DESC_BYE, 1, 0, out, n,
	    np_now() + NP_WAIT_MS);
}

/*
 * Whether a whole descriptor sits in the buffer; if so, its header in *d,
 * its payload at *payload, and it is consumed. -1 if the node announced
 * a payload we will not hold.
 */
static int
np_next_desc(struct np *np, struct desc *d, const uint8_t **payload)
{
	const uint8_t	*h = np->buf + np->off;
	size_t		 have = np->len - np->off;

	if (have < DESC_HDR_LEN)
		return 0;
	memset(d, 0, sizeof *d);
	memcpy(d->guid, h, DESC_GUID_LEN);
	d->func = h[16];
	d->ttl = h[17];
	d->hops = h[18];
	d->len = peek_le32(h + 19);
	if (d->len & DESC_SIZE_MARKED)
		d->len &= 0xffff;
	if (d->len > NP_MAX_PAYLOAD)
		return -1;
	if (have < DESC_HDR_LEN + d->len)
		return 0;
	*payload = h + DESC_HDR_LEN;
	np->off += DESC_HDR_LEN + d->len;
	return 1;
}

/* Answer a ping with a pong about us, as a live peer would. */
static void
np_answer_ping(struct np *np, const struct desc *d)
{
	struct pong	 po;
	uint8_t		 out[PONG_FIXED_LEN];
	size_t		 i;

	memset(&po, 0, sizeof po);
	po.port = np->port;
	po.ip = np->ip;
	if (pong_encode(&po, out, sizeof out) == PONG_FIXED_LEN)
		(void)np_send_desc(np, d->guid, DESC_PONG,
		    d->hops < DESC_HARD_TTL ? d->hops + 1 : DESC_HARD_TTL, 0,
		    out, sizeof out, np_now() + NP_WAIT_MS);
	/* The -P pongs, as if from hosts one hop behind us. */
	for (i = 0; i < np_npongs; i++)
		if (pong_encode(&np_pongs[i], out, sizeof out) ==
		    PONG_FIXED_LEN)
			(void)np_send_desc(np, d->guid, DESC_PONG,
			    d->hops < DESC_HARD_TTL ? d->hops + 1 :
			    DESC_HARD_TTL, 1, out, sizeof out,
			    np_now() + NP_WAIT_MS);
}

/*
 * Consume every descriptor in the buffer. Returns 1 with the code in
 * *code once a Bye came, -1 on a payload too large to hold, 0 otherwise.
 */
static int
np_scan(struct np *np, int answer, unsigned *code)
{
	struct desc	 d;
	const uint8_t	*p;
	int		 rc;

	while ((rc = np_next_desc(np, &d, &p)) == 1) {
		if (d.func == DESC_BYE) {
			*code = d.len >= 2 ? peek_le16(p) : 0;
			return 1;
		}
		if (answer && d.func == DESC_PING)
			np_answer_ping(np, &d);
	}
	return rc;
}

/* After a Bye the node must close: print "bye CODE"; 0 if it closed. */
static int
np_after_bye(struct np *np, unsigned code)
{
	if (np_wait_close(np, np_now() + NP_WAIT_MS) != NP_CLOSED) {
		printf("bye %u (but the connection stayed open)\n", code);
		return 1;
	}
	printf("bye %u\n", code);
	return 0;
}

/*
 * Read descriptors until a Bye, a close or the deadline, then print what
 * happened. Returns the exit status: 0 when the node closed the
 * connection (after a Bye or not), 1 when it kept it open.
 */
static int
np_expect_bye(struct np *np)
{
	uint64_t	 deadline = np_now() + NP_WAIT_MS;
	unsigned	 code;
	enum np_io	 io;
	int		 rc;

	for (;;) {
		if ((rc = np_scan(np, 0, &code)) == 1)
			break;
		if (rc == -1) {
			printf("oversized descriptor from the node\n");
			return 1;
		}
		if ((io = np_more(np, deadline)) != NP_DATA) {
			printf("%s\n", io == NP_CLOSED ? "closed" :
			    io == NP_TIMEOUT ? "timeout" : "error");
			return io == NP_CLOSED ? 0 : 1;
		}
	}
	return np_after_bye(np, code);
}

/* Bytes that are no handshake at all. */
static int
np_mode_garbage(struct np *np)
{
	static const char	 junk[] = "HELLO THERE\r\n\r\n";
	uint64_t		 deadline = np_now() + NP_WAIT_MS;
	char			 line[NP_LINE];
	enum np_io		 io;

	if (np_write(np, junk, sizeof junk - 1, deadline) == -1) {
		printf("closed\n");
		return 0;
	}
	io = np_line(np, line, sizeof line, deadline);
	if (io == NP_TIMEOUT) {
		printf("timeout\n");
		return 1;
	}
	if (io == NP_DATA && line[0] != '\0') {
		if (np_wait_close(np, deadline) != NP_CLOSED) {
			printf("status %s (but the connection stayed open)\n",
			    line);
			return 1;
		}
		printf("status %s\n", line);
		return 0;
	}
	if (io == NP_DATA && np_wait_close(np, deadline) != NP_CLOSED) {
		printf("timeout\n");
		return 1;
	}
	printf("closed\n");
	return 0;
}

/* A handshake whose second line is far over any sane line length. */
static int
np_mode_longline(struct np *np)
{
	uint64_t	 deadline = np_now() + NP_WAIT_MS;
	char		 out[64 + 4000 + 4], line[NP_LINE];
	size_t		 n = 0, hdr;
	enum np_io	 io;

	n = (size_t)snprintf(out, sizeof out, "GNUTELLA CONNECT/0.6\r\n");
	hdr = (size_t)snprintf(out + n, sizeof out - n, "X-Padding: ");
	memset(out + n + hdr, 'a', 4000 - hdr - 2);
	n += 4000 - 2;
	memcpy(out + n, "\r\n\r\n", 4);
	n += 4;
	if (np_write(np, out, n, deadline) == -1) {
		printf("closed\n");
		return 0;
	}
	io = np_line(np, line, sizeof line, deadline);
	if (io == NP_TIMEOUT) {
		printf("timeout\n");
		return 1;
	}
	if (io != NP_DATA) {
		printf("closed\n");
		return 0;
	}
	if (np_wait_close(np, deadline) != NP_CLOSED) {
		printf("status %s (but the connection stayed open)\n", line);
		return 1;
	}
	printf("status %s\n", line);
	return 0;
}

/* A query header announcing 1 MiB of payload, and a little of it. */
static int
np_mode_bigdesc(struct np *np, const char *host)
{
	struct desc	 d;
	uint8_t		 out[DESC_HDR_LEN + 512];

	if (np_handshake(np, host) == -1)
		return 1;
	memset(&d, 0, sizeof d);
	np_muid(d.guid);
	d.func = DESC_QUERY;
	d.ttl = 1;
	d.hops = 0;
	d.len = 1048576;
	if (desc_encode(&d, out, sizeof out) != DESC_HDR_LEN)
		return 2;
	memset(out + DESC_HDR_LEN, 'x', sizeof out - DESC_HDR_LEN);
	/* A node that closes at once may cut this write short: fine. */
	(void)np_write(np, out, sizeof out, np_now() + NP_WAIT_MS);
	return np_expect_bye(np);
}

/*
 * One query sent again and again with the same MUID and TTL. Between
 * copies we listen a little and stop sending once the node said Bye, so
 * the node is not closing on a socket full of our unread bytes (which
 * would turn its close into a reset that can swallow the Bye).
 */
static int
np_mode_dups(struct np *np, const char *host)
{
	struct query	 q;
	uint8_t		 guid[DESC_GUID_LEN], payload[128];
	static const char text[] = "netpeer duplicate probe";
	struct pollfd	 pfd;
	enum np_io	 io;
	unsigned	 code;
	size_t		 len;
	int		 i, rc;

	if (np_handshake(np, host) == -1)
		return 1;
	memset(&q, 0, sizeof q);
	q.flags = QUERY_F_MARK | QUERY_F_GGEP_H;
	q.text = text;
	q.textlen = sizeof text - 1;
	if ((len = query_encode(&q, payload, sizeof payload)) == 0)
		return 2;
	np_muid(guid);
	for (i = 0; i < NP_DUPS; i++) {
		if (np_send_desc(np, guid, DESC_QUERY, 2, 0, payload, len,
		    np_now() + NP_WAIT_MS) == -1)
			break;
		pfd.fd = np->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, NP_DUP_GAP_MS) < 1)
			continue;
		io = np_more(np, np_now());
		if (io == NP_CLOSED || io == NP_FAIL)
			break;
		if ((rc = np_scan(np, 0, &code)) == 1)
			return np_after_bye(np, code);
		if (rc == -1) {
			printf("oversized descriptor from the node\n");
			return 1;
		}
	}
	return np_expect_bye(np);
}

/* A well-behaved, quiet peer for some seconds: it answers alive pings and
 * pings now and then so that no idle timeout applies to it. */
static int
np_mode_hold(struct np *np, const char *host, unsigned secs)
{
	uint64_t	 end, next_ping;
	uint8_t		 g[DESC_GUID_LEN];
	enum np_io	 io;
	unsigned	 code;
	int		 rc;

	if (np_handshake(np, host) == -1)
		return 1;
	end = np_now() + (uint64_t)secs * 1000;
	next_ping = np_now() + NP_KEEPALIVE_MS;
	while (np_now() < end) {
		if ((rc = np_scan(np, 1, &code)) == 1) {
			printf("bye %u after %.1f s\n", code,
			    secs - (double)np_left(end) / 1000);
			return 1;
		}
		if (rc == -1) {
			printf("oversized descriptor from the node\n");
			return 1;
		}
		if (np_now() >= next_ping) {
			np_muid(g);
			if (np_send_desc(np, g, DESC_PING, 1, 0, NULL, 0,
			    np_now() + NP_WAIT_MS) == -1) {
				printf("closed\n");
				return 1;
			}
			next_ping = np_now() + NP_KEEPALIVE_MS;
		}
		io = np_more(np, next_ping < end ? next_ping : end);
		if (io == NP_CLOSED || io == NP_FAIL) {
			printf("%s\n", io == NP_CLOSED ? "closed" : "error");
			return 1;
		}
	}
	printf("held %u\n", secs);
	(void)np_send_bye(np, 200, "Servent Shutdown");
	return 0;
}

static volatile sig_atomic_t	np_stop;	/* SIGTERM: end a stall early */

static void
np_on_term(int sig)
{
	(void)sig;
	np_stop = 1;
}

/*
 * A peer that stops reading: a small receive buffer (set before connect),
 * the handshake, then nothing read for secs seconds, so what the node
 * sends us piles up in its send queue. It still writes a ping now and
 * then, so the node's idle timeout does not end the stall. Prints
 * "up ADDR" (the Node address the node lists us under) once connected,
 * then "stalled SECS", or "stopped after N s" on SIGTERM; 0 either way.
 */
static int
np_mode_stall(struct np *np, const char *host, unsigned secs)
{
	struct sigaction	 sa;
	uint64_t		 start, end, next_ping, wake;
	uint8_t			 g[DESC_GUID_LEN];
	int			 wfail = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = np_on_term;	/* no SA_RESTART: poll returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	if (np_handshake(np, host) == -1)
		return 1;
	printf("up %s\n", np->node);
	start = np_now();
	end = start + (uint64_t)secs * 1000;
	next_ping = start + NP_KEEPALIVE_MS;
	while (!np_stop && np_now() < end) {
		if (!wfail && np_now() >= next_ping) {
			np_muid(g);
			if (np_send_desc(np, g, DESC_PING, 1, 0, NULL, 0,
			    np_now() + NP_WAIT_MS) == -1) {
				printf("ping failed after %.1f s (closed?)\n",
				    (double)(np_now() - start) / 1000);
				wfail = 1;
			}
			next_ping = np_now() + NP_KEEPALIVE_MS;
		}
		wake = next_ping < end ? next_ping : end;
		(void)poll(NULL, 0, np_left(wake));
	}
	if (np_stop)
		printf("stopped after %.1f s\n",
		    (double)(np_now() - start) / 1000);
	else
		printf("stalled %u\n", secs);
	return 0;
}

/*
 * Queries as fast as the node takes them, each with a fresh MUID, TTL 2
 * and hops 0, so the node answers each from its share and relays it to
 * its other peers with TTL 1. Whatever the node sends meanwhile is read
 * and dropped, so it is never blocked on us. The texts have one length,
 * so what went out counts whole queries. A ping ends the flood: its pong
 * means the node has handled every query. Prints "sent N", then "no bye"
 * (exit 0) or "bye CODE", "closed", "timeout" (exit 1).
 */
static int
np_mode_flood(struct np *np, const char *host, unsigned long count)
{
	struct query	 q;
	struct desc	 d;
	struct pollfd	 pfd;
	uint8_t		*batch, pg[DESC_GUID_LEN];
	const uint8_t	*p;
	char		 text[NP_FLOOD_TEXT + 1];
	size_t		 qlen = 0, blen = 0, boff = 0, len;
	unsigned long	 made = 0, batched = 0, i;
	uint64_t	 deadline;
	enum np_io	 io;
	unsigned	 code = 0;
	ssize_t		 n;
	int		 rc, bye = 0, pong = 0;
	const char	*why = NULL;

	if (np_handshake(np, host) == -1)
		return 1;
	if ((batch = malloc(NP_FLOOD_BATCH *
	    (DESC_HDR_LEN + NP_FLOOD_TEXT + 8))) == NULL)
		return 2;
	memset(&q, 0, sizeof q);
	q.flags = QUERY_F_MARK | QUERY_F_GGEP_H;
	q.text = text;
	deadline = np_now() + NP_WAIT_MS;
	while (!bye && why == NULL && (made < count || boff < blen)) {
		if (boff == blen) {
			/* The next batch: NP_FLOOD_BATCH queries at most. */
			blen = boff = 0;
			batched = made;
			for (i = 0; i < NP_FLOOD_BATCH && made < count; i++) {
				/* "netpeer flood N" padded with one long word
				 * to NP_FLOOD_TEXT: whole queries per write. */
				q.textlen = (size_t)snprintf(text, sizeof text,
				    "netpeer flood %08lu %0*d", made,
				    NP_FLOOD_TEXT - 23, 0);
				len = query_encode(&q, batch + blen +
				    DESC_HDR_LEN, NP_FLOOD_TEXT + 8);
				memset(&d, 0, sizeof d);
				np_muid(d.guid);
				d.func = DESC_QUERY;
				d.ttl = 2;
				d.hops = 0;
				d.len = (uint32_t)len;
				if (len == 0 || desc_encode(&d, batch + blen,
				    DESC_HDR_LEN) != DESC_HDR_LEN) {
					free(batch);
					return 2;
				}
				qlen = DESC_HDR_LEN + len;
				blen += qlen;
				made++;
			}
		}
		n = send(np->fd, batch + boff, blen - boff, MSG_NOSIGNAL);
		if (n > 0) {
			boff += (size_t)n;
			deadline = np_now() + NP_WAIT_MS;
		} else if (n == -1 && errno != EINTR && errno != EAGAIN &&
		    errno != EWOULDBLOCK) {
			why = "closed";
			break;
		}
		/* Read what came, without waiting unless we cannot send. */
		pfd.fd = np->fd;
		pfd.events = POLLIN | (n == -1 ? POLLOUT : 0);
		rc = poll(&pfd, 1, n == -1 ? np_left(deadline) : 0);
		if (rc == 0 && n == -1) {
			why = "timeout";
			break;
		}
		if (rc < 1 || !(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		io = np_more(np, np_now());
		if (io == NP_CLOSED || io == NP_FAIL) {
			/* A Bye may sit in the buffer before the close. */
			if (np_scan(np, 0, &code) == 1)
				bye = 1;
			else
				why = io == NP_CLOSED ? "closed" : "error";
			break;
		}
		if ((rc = np_scan(np, 0, &code)) == 1)
			bye = 1;
		else if (rc == -1)
			why = "oversized descriptor from the node";
	}
	free(batch);
	printf("sent %lu\n", qlen > 0 ? batched + boff / qlen : 0);
	if (bye)
		return np_after_bye(np, code);
	if (why != NULL) {
		printf("%s\n", why);
		return 1;
	}
	np_muid(pg);
	if (np_send_desc(np, pg, DESC_PING, 1, 0, NULL, 0,
	    np_now() + NP_WAIT_MS) == -1) {
		printf("closed\n");
		return 1;
	}
	deadline = np_now() + NP_DRAIN_MS;
	while (!pong) {
		while ((rc = np_next_desc(np, &d, &p)) == 1) {
			if (d.func == DESC_BYE)
				return np_after_bye(np,
				    d.len >= 2 ? peek_le16(p) : 0);
			if (d.func == DESC_PONG &&
			    memcmp(d.guid, pg, DESC_GUID_LEN) == 0)
				pong = 1;
		}
		if (rc == -1) {
			printf("oversized descriptor from the node\n");
			return 1;
		}
		if (pong)
			break;
		if ((io = np_more(np, deadline)) != NP_DATA) {
			printf("%s\n", io == NP_CLOSED ? "closed" :
			    io == NP_TIMEOUT ? "timeout" : "error");
			return 1;
		}
	}
	printf("no bye\n");
	(void)np_send_bye(np, 200, "Servent Shutdown");
	return 0;
}

/* One of "slowhttp"'s connections. */
struct np_slow {
	int		 fd;		/* -1 once closed */
	char		 line[NP_HTTP_LINE];	/* the status line */
	size_t		 n;
	int		 eol;		/* the status line is whole */
	uint64_t	 closed_ms;	/* when the node closed, from the start */
};

/* Raise the descriptor limit to at least want, as the hard limit allows. */
static int
np_nofile(rlim_t want)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return -1;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
		return -1;
	rl.rlim_cur = want;
	return setrlimit(RLIMIT_NOFILE, &rl);
}

/* What one read brought to a "slowhttp" connection; 1 once it closed. */
static int
np_slow_read(struct np_slow *s)
{
	char		 raw[4096], *nl;
	ssize_t		 n;
	size_t		 take;

	n = recv(s->fd, raw, sizeof raw, 0);
	if (n == -1 && (errno == EINTR || errno == EAGAIN ||
	    errno == EWOULDBLOCK))
		return 0;
	if (n <= 0)
		return 1;	/* FIN, reset or any error: gone */
	if (!s->eol) {
		nl = memchr(raw, '\n', (size_t)n);
		take = nl != NULL ? (size_t)(nl - raw) : (size_t)n;
		if (take > sizeof s->line - 1 - s->n)
			take = sizeof s->line - 1 - s->n;
		memcpy(s->line + s->n, raw, take);
		s->n += take;
		s->line[s->n] = '\0';
		if (nl != NULL) {
			s->eol = 1;
			if (s->n > 0 && s->line[s->n - 1] == '\r')
				s->line[--s->n] = '\0';
		}
	}
	return 0;
}

/*
 * COUNT HTTP clients that never finish their request: each sends a
 * request line and one header, never the blank line, and then waits.
 * Prints "open N" once all are connected and have sent, then, once every
 * connection is closed or NP_SLOW_WAIT_MS passed, "408 K/N": K of them got
 * an "HTTP/1.1 408" status line and were closed. Exit 0 if all were.
 */
static int
np_mode_slowhttp(const char *host, const char *port, const char *src,
    unsigned long count)
{
	static const char	 req[] = "GET /get/1/x HTTP/1.1\r\nHost: a\r\n";
	struct np_slow		*s;
	struct pollfd		*pfd;
	struct np		 np;
	uint64_t		 start, deadline, first408 = 0, last = 0;
	unsigned long		 i, k, open, ok = 0, other = 0, bare = 0;
	unsigned long		 held = 0;
	const char		*example = NULL;
	ssize_t			 n;
	int			 rc;

	if (np_nofile((rlim_t)count + 32) == -1) {
		printf("cannot raise the descriptor limit to %lu\n",
		    count + 32);
		return 2;
	}
	s = calloc(count, sizeof *s);
	pfd = calloc(count, sizeof *pfd);
	if (s == NULL || pfd == NULL) {
		free(s);
		free(pfd);
		return 2;
	}
	for (i = 0; i < count; i++)
		s[i].fd = -1;
	rc = 0;
	for (i = 0; i < count && rc == 0; i++) {
		if (np_connect(&np, host, port, src, 0) == -1) {
			printf("connect failed after %lu\n", i);
			rc = 2;
			break;
		}
		free(np.buf);
		s[i].fd = np.fd;
		n = send(s[i].fd, req, sizeof req - 1, MSG_NOSIGNAL);
		if (n != (ssize_t)(sizeof req - 1)) {
			printf("send failed on connection %lu\n", i);
			rc = 2;
		}
	}
	if (rc != 0) {
		for (i = 0; i < count; i++)
			if (s[i].fd != -1)
				close(s[i].fd);
		free(s);
		free(pfd);
		return rc;
	}
	start = np_now();
	printf("open %lu\n", count);
	deadline = start + NP_SLOW_WAIT_MS;
	for (;;) {
		open = 0;
		for (i = 0; i < count; i++)
			if (s[i].fd != -1) {
				pfd[open].fd = s[i].fd;
				pfd[open].events = POLLIN;
				pfd[open].revents = 0;
				open++;
			}
		if (open == 0 || np_left(deadline) == 0)
			break;
		rc = poll(pfd, (nfds_t)open, np_left(deadline));
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == -1)
			break;
		for (k = 0, i = 0; i < count && k < open; i++) {
			if (s[i].fd == -1)
				continue;
			if (pfd[k++].revents != 0 && np_slow_read(&s[i])) {
				close(s[i].fd);
				s[i].fd = -1;
				s[i].closed_ms = np_now() - start;
			}
			if (s[i].eol && first408 == 0 &&
			    strncmp(s[i].line, "HTTP/1.1 408", 12) == 0)
				first408 = np_now() - start;
		}
	}
	for (i = 0; i < count; i++) {
		if (s[i].fd != -1) {
			held++;
			close(s[i].fd);
		} else if (s[i].eol &&
		    strncmp(s[i].line, "HTTP/1.1 408", 12) == 0)
			ok++;
		else if (s[i].eol) {
			other++;
			if (example == NULL)
				example = s[i].line;
		} else
			bare++;
		if (s[i].fd == -1 && s[i].closed_ms > last)
			last = s[i].closed_ms;
	}
	printf("408 %lu/%lu\n", ok, count);
	printf("first 408 after %.1f s, last close after %.1f s\n",
	    (double)first408 / 1000, (double)last / 1000);
	if (other > 0)
		printf("other status: %lu (such as \"%s\")\n", other, example);
	if (bare > 0)
		printf("closed without a status line: %lu\n", bare);
	if (held > 0)
		printf("still open after %d s: %lu\n", NP_SLOW_WAIT_MS / 1000,
		    held);
	free(s);
	free(pfd);
	return ok == count ? 0 : 1;
}

/*
 * An HTTP request head that never ends: the request line, then
 * NP_BIGHEAD bytes of headers of NP_BIGHEAD_LINE bytes each (every one
 * well within a line's limit), then the blank line. Writing stops when
 * the node closes; what it sends meanwhile is read as it comes. Prints
 * "sent N of M bytes", "status LINE" (or "no status"), and "closed" or
 * "open". Exit 0 if a status line came and the node closed.
 */
static int
np_mode_bighead(struct np *np)
{
	static const char	 reqline[] = "GET /get/1/x HTTP/1.1\r\n";
	struct pollfd		 pfd;
	char			*head, line[NP_LINE];
	size_t			 len, off = 0, i, w;
	uint64_t		 deadline;
	enum np_io		 io;
	ssize_t			 n;
	int			 rc, closed = 0, got;

	if ((head = malloc(sizeof reqline + NP_BIGHEAD + 2)) == NULL)
		return 2;
	memcpy(head, reqline, sizeof reqline - 1);
	len = sizeof reqline - 1;
	for (i = 0; i < NP_BIGHEAD / NP_BIGHEAD_LINE; i++) {
		w = (size_t)snprintf(head + len, 32, "X-Pad-%06zu: ", i);
		memset(head + len + w, 'a', NP_BIGHEAD_LINE - w - 2);
		memcpy(head + len + NP_BIGHEAD_LINE - 2, "\r\n", 2);
		len += NP_BIGHEAD_LINE;
	}
	memcpy(head + len, "\r\n", 2);
	len += 2;
	deadline = np_now() + NP_WAIT_MS;
	while (off < len && !closed) {
		n = send(np->fd, head + off, len - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			deadline = np_now() + NP_WAIT_MS;
		} else if (n == -1 && errno != EINTR && errno != EAGAIN &&
		    errno != EWOULDBLOCK) {
			closed = 1;	/* reset: the node is gone */
			break;
		}
		/* Take what the node sent; wait only when we cannot send. */
		pfd.fd = np->fd;
		pfd.events = POLLIN | (n == -1 ? POLLOUT : 0);
		rc = poll(&pfd, 1, n == -1 ? np_left(deadline) : 0);
		if (rc == 0 && n == -1)
			break;		/* neither reading nor closing */
		if (rc < 1 || !(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		io = np_more(np, np_now());
		if (io == NP_CLOSED || io == NP_FAIL)
			closed = 1;
	}
	free(head);
	printf("sent %zu of %zu bytes\n", off, len);
	deadline = np_now() + NP_WAIT_MS;
	io = np_line(np, line, sizeof line, deadline);
	got = io == NP_DATA;
	if (got)
		printf("status %s\n", line);
	else
		printf("no status (%s)\n", io == NP_CLOSED ? "closed" :
		    io == NP_TIMEOUT ? "timeout" : "error");
	if (!closed)
		closed = io == NP_CLOSED ||
		    np_wait_close(np, np_now() + NP_WAIT_MS) == NP_CLOSED;
	printf("%s\n", closed ? "closed" : "open");
	return got && closed ? 0 : 1;
}

/* Whether a socket can be bound to this address (loopback aliases). */
static int
np_mode_bind(const char *ip)
{
	struct sockaddr_in	 sin;
	int			 fd, rc;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	if (inet_pton(AF_INET, ip, &sin.sin_addr) != 1)
		return 2;
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return 2;
	rc = bind(fd, (struct sockaddr *)&sin, sizeof sin);
	close(fd);
	return rc == 0 ? 0 : 1;
}

/*
 * JSON: just enough to pick fields out of gnode's answers. A path is
 * dot-separated steps; a step is a member name, optionally followed by
 * [] (every element), [N] (element N) or [key=value] (the elements that
 * are objects whose member key equals value). Strings print unescaped,
 * anything else as its JSON text; one match per line.
 */
enum js_step_kind {
	JS_KEY,
	JS_ALL,
	JS_INDEX,
	JS_FILTER,
};

struct js_step {
	enum js_step_kind kind;
	char		*name;		/* JS_KEY, JS_FILTER's member */
	char		*value;		/* JS_FILTER */
	long		 index;		/* JS_INDEX */
};

#define JS_MAX_STEPS	32

struct js_path {
	struct js_step	 step[JS_MAX_STEPS];
	size_t		 n;
	char		*copy;		/* the steps' strings point into it */
};

static const char *
js_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
	    *p == '\r'))
		p++;
	return p;
}

/* Past the end of the value at p (which must be at a value), or NULL. */
static const char *
js_skip(const char *p, const char *end, int depth)
{
	if (depth > NP_JSON_DEPTH || p >= end)
		return NULL;
	switch (*p) {
	case '"':
		for (p++; p < end; p++) {
			if ((unsigned char)*p < 0x20)
				return NULL;
			if (*p == '\\') {
				if (++p >= end)
					return NULL;
			} else if (*p == '"')
				return p + 1;
		}
		return NULL;
	case '{':
	case '[': {
		char	 close = *p == '{' ? '}' : ']';
		int	 obj = *p == '{';

		p = js_ws(p + 1, end);
		if (p < end && *p == close)
			return p + 1;
		for (;;) {
			if (obj) {
				if (p >= end || *p != '"' ||
				    (p = js_skip(p, end, depth + 1)) == NULL)
					return NULL;
				p = js_ws(p, end);
				if (p >= end || *p != ':')
					return NULL;
				p = js_ws(p + 1, end);
			}
			if ((p = js_skip(p, end, depth + 1)) == NULL)
				return NULL;
			p = js_ws(p, end);
			if (p < end && *p == ',') {
				p = js_ws(p + 1, end);
				continue;
			}
			if (p < end && *p == close)
				return p + 1;
			return NULL;
		}
	}
	default:
		if (strchr("-0123456789", *p) != NULL) {
			while (p < end && strchr("+-.0123456789eE", *p) != NULL)
				p++;
			return p;
		}
		if (end - p >= 4 && (strncmp(p, "true", 4) == 0 ||
		    strncmp(p, "null", 4) == 0))
			return p + 4;
		if (end - p >= 5 && strncmp(p, "false", 5) == 0)
			return p + 5;
		return NULL;
	}
}

static void
js_utf8(char **o, unsigned long c)
{
	char	*q = *o;

	if (c < 0x80)
		*q++ = (char)c;
	else if (c < 0x800) {
		*q++ = (char)(0xc0 | c >> 6);
		*q++ = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*q++ = (char)(0xe0 | c >> 12);
		*q++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*q++ = (char)(0x80 | (c & 0x3f));
	} else {
		*q++ = (char)(0xf0 | c >> 18);
		*q++ = (char)(0x80 | ((c >> 12) & 0x3f));
		*q++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*q++ = (char)(0x80 | (c & 0x3f));
	}
	*o = q;
}

/*
 * The text of a value [p, e): a string unescaped, anything else as it is.
 * Returns a malloc'd string.
 */
static char *
js_text(const char *p, const char *e)
{
	char		*out, *o, hex[5];
	unsigned long	 c, lo;

	if ((out = malloc((size_t)(e - p) * 2 + 1)) == NULL) {
		perror("netpeer");
		exit(2);
	}
	if (*p != '"') {
		memcpy(out, p, (size_t)(e - p));
		out[e - p] = '\0';
		return out;
	}
	o = out;
	for (p++, e--; p < e; p++) {
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		switch (*++p) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			if (e - p < 5)
				break;
			memcpy(hex, p + 1, 4);
			hex[4] = '\0';
			c = strtoul(hex, NULL, 16);
			p += 4;
			if (c >= 0xd800 && c < 0xdc00 && e - p >= 7 &&
			    p[1] == '\\' && p[2] == 'u') {
				memcpy(hex, p + 3, 4);
				lo = strtoul(hex, NULL, 16);
				if (lo >= 0xdc00 && lo < 0xe000) {
					c = 0x10000 + ((c - 0xd800) << 10) +
					    (lo - 0xdc00);
					p += 6;
				}
			}
			js_utf8(&o, c);
			break;
		default:
			*o++ = *p;
			break;
		}
	}
	*o = '\0';
	return out;
}

/* The member named name of the object at p, or NULL; *vend its end. */
static const char *
js_member(const char *p, const char *end, const char *name,
    const char **vend)
{
	const char	*k, *kend, *v;
	char		*key;
	int		 hit;

	if (*p != '{')
		return NULL;
	p = js_ws(p + 1, end);
	while (p < end && *p == '"') {
		k = p;
		kend = js_skip(p, end, 0);
		p = js_ws(kend, end);
		v = js_ws(p + 1, end);
		p = js_skip(v, end, 0);
		key = js_text(k, kend);
		hit = strcmp(key, name) == 0;
		free(key);
		if (hit) {
			*vend = p;
			return v;
		}
		p = js_ws(p, end);
		if (p < end && *p == ',')
			p = js_ws(p + 1, end);
	}
	return NULL;
}

static int	js_eval(const struct js_path *, size_t, const char *,
		    const char *, const char *);

/* Walk the elements of the array at p, applying step i to each. */
static int
js_elements(const struct js_path *path, size_t i, const char *p,
    const char *end)
{
	const struct js_step	*s = &path->step[i];
	const char		*v, *vend, *m, *mend;
	char			*t;
	long			 n = 0;
	int			 found = 0, take;

	if (*p != '[')
		return 0;
	p = js_ws(p + 1, end);
	while (p < end && *p != ']') {
		v = p;
		vend = js_skip(v, end, 0);
		take = 0;
		switch (s->kind) {
		case JS_ALL:
			take = 1;
			break;
		case JS_INDEX:
			take = n == s->index;
			break;
		case JS_FILTER:
			if ((m = js_member(v, vend, s->name, &mend)) != NULL) {
				t = js_text(m, mend);
				take = strcmp(t, s->value) == 0;
				free(t);
			}
			break;
		case JS_KEY:
			break;
		}
		if (take)
			found |= js_eval(path, i + 1, v, vend, end);
		n++;
		p = js_ws(vend, end);
		if (p < end && *p == ',')
			p = js_ws(p + 1, end);
	}
	return found;
}

/* Apply steps i.. to the value [p, e); print what they reach. */
static int
js_eval(const struct js_path *path, size_t i, const char *p, const char *e,
    const char *end)
{
	const char	*v, *vend;
	char		*t, *c;

	if (i == path->n) {
		t = js_text(p, e);
		/* Keep one match per line whatever the node put in it. */
		for (c = t; *c != '\0'; c++)
			if (*c == '\n' || *c == '\r')
				*c = ' ';
		printf("%s\n", t);
		free(t);
		return 1;
	}
	if (path->step[i].kind != JS_KEY)
		return js_elements(path, i, p, e);
	if ((v = js_member(p, e, path->step[i].name, &vend)) == NULL)
		return 0;
	return js_eval(path, i + 1, v, vend, end);
}

/*
 * Split a path into steps. Brackets are taken whole, so a filter value
 * may hold dots ("results[name=a.bin].sources[].address").
 */
static int
js_parse_path(const char *spec, struct js_path *path)
{
	struct js_step	*st;
	char		*p, *close, *eq, *endn;
	int		 bracket = 0;	/* p is just inside a '[' */

	memset(path, 0, sizeof *path);
	if ((path->copy = strdup(spec)) == NULL)
		return -1;
	p = path->copy;
	while (*p != '\0' || bracket) {
		if (path->n == JS_MAX_STEPS)
			return -1;
		st = &path->step[path->n];
		if (!bracket && *p == '.') {
			p++;
			continue;
		}
		if (!bracket && *p == '[') {
			bracket = 1;
			p++;
			continue;
		}
		if (!bracket) {
			st->kind = JS_KEY;
			st->name = p;
			p += strcspn(p, ".[");
			if (*p == '[')
				bracket = 1;
			if (*p != '\0')
				*p++ = '\0';
			path->n++;
			continue;
		}
		/* Inside brackets: "" (all), "N" or "key=value". */
		if ((close = strchr(p, ']')) == NULL)
			return -1;
		*close = '\0';
		if (*p == '\0')
			st->kind = JS_ALL;
		else if ((eq = strchr(p, '=')) != NULL) {
			*eq = '\0';
			st->kind = JS_FILTER;
			st->name = p;
			st->value = eq + 1;
		} else {
			st->kind = JS_INDEX;
			st->index = strtol(p, &endn, 10);
			if (*endn != '\0')
				return -1;
		}
		path->n++;
		bracket = 0;
		p = close + 1;
		if (*p != '\0' && *p != '.' && *p != '[')
			return -1;
	}
	return 0;
}

/* Read JSON documents from stdin; exit 0 if the path matched, 1 if not,
 * 2 on a bad path or bad JSON. */
static int
np_mode_json(const char *spec)
{
	struct js_path	 path;
	char		*doc;
	const char	*p, *e, *end;
	size_t		 len = 0, n;
	int		 found = 0;

	if (js_parse_path(spec, &path) == -1) {
		fprintf(stderr, "netpeer: bad path %s\n", spec);
		free(path.copy);
		return 2;
	}
	if ((doc = malloc(NP_JSON_MAX)) == NULL) {
		free(path.copy);
		return 2;
	}
	while ((n = fread(doc + len, 1, NP_JSON_MAX - len, stdin)) > 0)
		len += n;
	end = doc + len;
	for (p = js_ws(doc, end); p < end; p = js_ws(e, end)) {
		if ((e = js_skip(p, end, 0)) == NULL) {
			fprintf(stderr, "netpeer: bad JSON at byte %zu\n",
			    (size_t)(p - doc));
			free(doc);
			free(path.copy);
			return 2;
		}
		found |= js_eval(&path, 0, p, e, end);
	}
	free(doc);
	free(path.copy);
	return found ? 0 : 1;
}

/*
 * Listen on host:port for secs seconds and turn every handshake down with
 * 503 and the -H headers, as a full servent does; print the node's
 * X-Try-Ultrapeers as "try LIST", and how many came. Silent, answer
 * nothing: print the first line the node sends after its request head
 * ("got LINE"; its handshake timeout should say 408), or "closed".
 */
static int
np_mode_refuse(const char *host, const char *port, unsigned secs, int silent)
{
	struct sockaddr_in	 sin;
	struct pollfd		 pfd;
	struct np		 np;
	char			 out[4096], line[NP_LINE], extra[2048];
	uint64_t		 end = np_now() + (uint64_t)secs * 1000, dl;
	unsigned		 count = 0;
	long			 p;
	char			*e;
	int			 lfd, fd, one = 1, n;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	p = strtol(port, &e, 10);
	if (*e != '\0' || p < 1 || p > 65535 ||
	    inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
		fprintf(stderr, "netpeer: bad address %s:%s\n", host, port);
		return 2;
	}
	sin.sin_port = htons((uint16_t)p);
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1 ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(lfd, 16) == -1) {
		perror("netpeer: listen");
		return 2;
	}
	n = snprintf(out, sizeof out, "GNUTELLA/0.6 503 Full\r\n"
	    "User-Agent: netpeer/0.1\r\n%s\r\n",
	    np_extra_lines(extra, sizeof extra));
	while (np_now() < end && count < NP_REFUSE_MAX) {
		pfd.fd = lfd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, np_left(end)) < 1)
			continue;
		if ((fd = accept(lfd, NULL, NULL)) == -1)
			continue;
		count++;
		memset(&np, 0, sizeof np);
		np.fd = fd;
		if ((np.buf = malloc(NP_BUF)) == NULL) {
			close(fd);
			break;
		}
		/* The node's request head, then our refusal. */
		dl = np_now() + 2000;
		while (np_line(&np, line, sizeof line, dl) == NP_DATA &&
		    line[0] != '\0')
			if (strncasecmp(line, "X-Try-Ultrapeers:", 17) == 0)
				printf("try %s\n", line + 17);
		if (silent) {
			if (np_line(&np, line, sizeof line, end) == NP_DATA)
				printf("got %s\n", line);
			else
				printf("closed\n");
		} else
			(void)np_write(&np, out, (size_t)n, dl);
		np_close(&np);
	}
	close(lfd);
	printf("refused %u\n", count);
	return 0;
}

/* "a.b.c.d:port" into a pong about that host. */
static int
np_parse_ip_port(const char *s, struct pong *po)
{
	struct in_addr	 in;
	char		 host[INET_ADDRSTRLEN];
	const char	*colon = strchr(s, ':');
	unsigned long	 p;
	char		*end;

	if (colon == NULL || (size_t)(colon - s) >= sizeof host)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (inet_pton(AF_INET, host, &in) != 1 || errno != 0 || *end != '\0' ||
	    p == 0 || p > 65535)
		return -1;
	memset(po, 0, sizeof *po);
	po->ip = ntohl(in.s_addr);
	po->port = (uint16_t)p;
	return 0;
}

/* Status lines ("HTTP/..." or "GNUTELLA/...") at a line start in n bytes. */
static unsigned long
np_statuses(const uint8_t *p, size_t n)
{
	unsigned long	 k = 0;
	size_t		 i;

	for (i = 0; i < n; i++)
		if ((i == 0 || p[i - 1] == '\n') &&
		    ((n - i >= 5 && memcmp(p + i, "HTTP/", 5) == 0) ||
		    (n - i >= 9 && memcmp(p + i, "GNUTELLA/", 9) == 0)))
			k++;
	return k;
}

/* Whether a whole head (up to a blank line) came in. */
static int
np_head_end(const struct np *np)
{
	size_t	 i;

	for (i = 0; i + 3 < np->len; i++)
		if (memcmp(np->buf + i, "\r\n\r\n", 4) == 0)
			return 1;
	return 0;
}

/*
 * The bytes on stdin, sent as they are over count connections one after
 * the other, each read until the node closes it (a form feed in them: the
 * bytes after it are sent once a head came back). With count 1, what came
 * back is printed as it is, then "closed" or "open" (still open when the
 * wait ran out); else one line: "sent N closed C one-status S first LINE",
 * S the connections answered with exactly one status line.
 */
static int
np_mode_raw(const char *host, const char *port, const char *src,
    unsigned long count)
{
	static uint8_t	 in[NP_RAW_IN];
	struct np	 np;
	uint64_t	 deadline;
	unsigned long	 i, closed = 0, one = 0;
	size_t		 n = 0, k;
	ssize_t		 r;
	enum np_io	 io;
	uint8_t		*ff;
	char		 first[NP_LINE] = "";

	while (n < sizeof in && (r = read(0, in + n, sizeof in - n)) != 0) {
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return 2;
		n += (size_t)r;
	}
	for (i = 0; i < count; i++) {
		if (np_connect(&np, host, port, src, 0) == -1) {
			printf("connect failed after %lu\n", i);
			return 2;
		}
		deadline = np_now() + NP_WAIT_MS;
		/* The node may close before it read everything: fine. */
		io = NP_DATA;
		if ((ff = memchr(in, '\f', n)) == NULL)
			(void)np_write(&np, in, n, deadline);
		else {
			/* A form feed: the rest waits for the node's head
			 * (a handshake's third step after its second). */
			(void)np_write(&np, in, (size_t)(ff - in), deadline);
			while (np_head_end(&np) == 0 &&
			    (io = np_more(&np, deadline)) == NP_DATA)
				;
			if (io == NP_DATA)
				(void)np_write(&np, ff + 1,
				    n - (size_t)(ff - in) - 1, deadline);
		}
		while (io == NP_DATA && (io = np_more(&np, deadline)) == NP_DATA)
			;
		if (io == NP_CLOSED)
			closed++;
		if (np_statuses(np.buf, np.len) == 1)
			one++;
		if (i == 0) {
			for (k = 0; k < np.len && k < sizeof first - 1 &&
			    np.buf[k] != '\r' && np.buf[k] != '\n'; k++)
				first[k] = (char)np.buf[k];
			first[k] = '\0';
		}
		if (count == 1) {
			fwrite(np.buf, 1, np.len, stdout);
			printf("%s\n", io == NP_CLOSED ? "closed" : "open");
		}
		np_close(&np);
	}
	if (count > 1)
		printf("sent %lu closed %lu one-status %lu first %s\n", count,
		    closed, one, first);
	return 0;
}

static void
np_usage(void)
{
	fprintf(stderr,
	    "usage: netpeer [-H HEADER]... [-P IP:PORT]... MODE ...\n"
	    "       netpeer garbage|longline|bigdesc|dups HOST PORT [SRC_IP]\n"
	    "       netpeer hold HOST PORT [SRC_IP [SECONDS]]\n"
	    "       netpeer stall HOST PORT SRC_IP SECONDS\n"
	    "       netpeer flood HOST PORT SRC_IP COUNT\n"
	    "       netpeer slowhttp HOST PORT SRC_IP COUNT\n"
	    "       netpeer bighead HOST PORT SRC_IP\n"
	    "       netpeer raw HOST PORT SRC_IP COUNT < REQUEST\n"
	    "       netpeer bind IP\n"
	    "       netpeer refuse|silent IP PORT SECONDS\n"
	    "       netpeer json PATH < DOCUMENT\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct np	 np;
	const char	*mode, *src;
	unsigned long	 num = 0;
	unsigned	 secs = 5;
	int		 rc, rcvbuf = 0;
	char		*end;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	/* -H and -P come before the mode; the mode's arguments follow. */
	while (argc > 2 && (strcmp(argv[1], "-H") == 0 ||
	    strcmp(argv[1], "-P") == 0)) {
		if (argv[1][1] == 'H') {
			if (np_nextra == NP_EXTRA_MAX ||
			    strpbrk(argv[2], "\r\n") != NULL)
				np_usage();
			np_extra[np_nextra++] = argv[2];
		} else {
			if (np_npongs == NP_PONGS_MAX || np_parse_ip_port(
			    argv[2], &np_pongs[np_npongs]) != 0)
				np_usage();
			np_npongs++;
		}
		argc -= 2;
		argv += 2;
	}
	if (argc < 3)
		np_usage();
	mode = argv[1];
	if (strcmp(mode, "refuse") == 0 || strcmp(mode, "silent") == 0) {
		if (argc != 5)
			np_usage();
		errno = 0;
		num = strtoul(argv[4], &end, 10);
		if (errno != 0 || *end != '\0' || num == 0 || num > 3600)
			np_usage();
		return np_mode_refuse(argv[2], argv[3], (unsigned)num,
		    mode[0] == 's');
	}
	if (strcmp(mode, "raw") == 0) {
		if (argc != 6)
			np_usage();
		errno = 0;
		num = strtoul(argv[5], &end, 10);
		if (errno != 0 || *end != '\0' || num == 0 || num > NP_RAW_MAX)
			np_usage();
		return np_mode_raw(argv[2], argv[3], argv[4], num);
	}
	if (strcmp(mode, "json") == 0 || strcmp(mode, "bind") == 0) {
		if (argc != 3)
			np_usage();
		return mode[0] == 'j' ? np_mode_json(argv[2]) :
		    np_mode_bind(argv[2]);
	}
	if (argc < 4 || argc > 6)
		np_usage();
	src = argc >= 5 ? argv[4] : NULL;
	if ((strcmp(mode, "stall") == 0 || strcmp(mode, "flood") == 0 ||
	    strcmp(mode, "slowhttp") == 0) && argc != 6)
		np_usage();
	if (strcmp(mode, "bighead") == 0 && argc != 5)
		np_usage();
	if (argc == 6) {
		if (strcmp(mode, "hold") != 0 && strcmp(mode, "stall") != 0 &&
		    strcmp(mode, "flood") != 0 && strcmp(mode, "slowhttp") != 0)
			np_usage();
		errno = 0;
		num = strtoul(argv[5], &end, 10);
		if (errno != 0 || *end != '\0' || num == 0 ||
		    num > (mode[0] == 'f' ? NP_FLOOD_MAX :
		    strcmp(mode, "slowhttp") == 0 ? NP_SLOW_MAX : 86400))
			np_usage();
		secs = (unsigned)num;
	}
	if (strcmp(mode, "slowhttp") == 0)
		return np_mode_slowhttp(argv[2], argv[3], src, num);
	if (strcmp(mode, "stall") == 0)
		rcvbuf = NP_STALL_RCVBUF;
	if (np_connect(&np, argv[2], argv[3], src, rcvbuf) == -1) {
		printf("connect failed\n");
		return 2;
	}
	if (strcmp(mode, "garbage") == 0)
		rc = np_mode_garbage(&np);
	else if (strcmp(mode, "longline") == 0)
		rc = np_mode_longline(&np);
	else if (strcmp(mode, "bigdesc") == 0)
		rc = np_mode_bigdesc(&np, argv[2]);
	else if (strcmp(mode, "dups") == 0)
		rc = np_mode_dups(&np, argv[2]);
	else if (strcmp(mode, "hold") == 0)
		rc = np_mode_hold(&np, argv[2], secs);
	else if (strcmp(mode, "stall") == 0)
		rc = np_mode_stall(&np, argv[2], secs);
	else if (strcmp(mode, "flood") == 0)
		rc = np_mode_flood(&np, argv[2], num);
	else if (strcmp(mode, "bighead") == 0)
		rc = np_mode_bighead(&np);
	else {
		np_close(&np);
		np_usage();
		return 2;
	}
	np_close(&np);
	return rc;
}
