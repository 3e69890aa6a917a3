/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * attacker.c: a hostile peer for tests/hostile.sh and bench-hostile. It
 * connects to a running node from a loopback address of its own, runs
 * one attack class for SECS seconds, and prints what the node did about
 * it. Every loop that opens connections is bounded (by -R, by the
 * class's own cap, and by SECS), and every wait is bounded.
 *
 *   attacker [-R N] [-r RATE] [-c CONNS] [-w WORD] CLASS HOST PORT SRC SECS
 *
 * Classes on a Gnutella link (handshake as an ultrapeer, then as fast as
 * the socket takes; what the node sends is read all along, so it is never
 * stuck on us):
 *   zbomb-vendor  the link deflated (Content-Encoding: deflate in the
 *		   third step): 64 KiB vendor messages of zeros, some
 *		   800 to 1 on the wire
 *   zbomb-qrp	   the same with 64 KiB QRP PATCH messages
 *   junk	   not deflated: 64 KiB vendor and QRP messages of random
 *		   bytes (each one the node reads and ignores)
 *   junk-bad	   not deflated: unknown functions and vendor messages too
 *		   short to hold a vendor header (what the bad counter sees)
 * Each connection's end is one line, "conn N: bye CODE TEXT (after T s,
 * W wire bytes, M message bytes)", or "closed (no bye)", "reset (no
 * bye)", "refused STATUS LINE", "open" (still up when SECS ran out). With
 * -R N the attacker connects again, N times at most (-r RATE: at most
 * RATE connections a second), when the node closed it before SECS. "up"
 * is printed (and flushed) once the first link is up.
 * The last line: "end CLASS conns C wire W messages M secs S".
 *
 *   handshakes	   (attacker_http.c) up to -c (64) connections at once from
 *		   SRC, each a "GNUTELLA CONNECT/0.6" line and then a byte a
 *		   second, reopened as the node closes them (-r, 200 a
 *		   second at most; 20000 in all)
 *   http	   (attacker_http.c) one connection after another (-r a
 *		   second, else as fast as the node answers; 200000 in all),
 *		   each one request of six shapes in turn: GET with a body
 *		   holding a second request, Transfer-Encoding: chunked,
 *		   Content-Length and Transfer-Encoding, two Content-Lengths,
 *		   POST, lower-case get
 *   probe	   (attacker_probe.c) not an attack: a well-behaved peer that sends a query for
 *		   WORD (TTL 1), waits for its hit, and again every 100 ms;
 *		   "probe sent N answered A median_ms X p90_ms Y"
 *
 * Exit status: 0 when the class ran (whatever the node did), 1 when the
 * node could not be reached at all, 2 on a usage or local error.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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
#include "wire/query.h"
#include "attacker.h"

#define AT_PAYLOAD	DESC_MAX_PAYLOAD	/* every attack message: 64 KiB */
#define AT_BATCH	16		/* messages per deflate flush */
#define AT_CONNS_MAX	100000		/* -R at most */

/* The bytes one Gnutella class sends: a first piece, then one piece again
 * and again (junk-bad: two in turn). */
struct at_stream {
	uint8_t		*first;
	size_t		 firstlen;
	uint8_t		*rep[2];
	size_t		 replen[2];
	uint64_t	 repmsg[2];	/* message bytes a piece carries */
	uint64_t	 firstmsg;
	int		 nrep;
	int		 deflate;	/* say Content-Encoding: deflate */
};


uint64_t
at_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
at_left(uint64_t deadline)
{
	uint64_t	 now = at_now();

	return now >= deadline ? 0 : (int)(deadline - now);
}

void
at_pace(uint64_t start, unsigned long n, unsigned rate)
{
	uint64_t	 due;
	int		 ms;

	if (rate == 0)
		return;
	due = start + (uint64_t)n * 1000 / rate;
	if ((ms = at_left(due)) > 0)
		(void)poll(NULL, 0, ms);
}

int
at_dial(const struct at_opt *o, int nonblock)
{
	struct pollfd	 pfd;
	int		 fd, err = 0, fl, rc;
	socklen_t	 len = sizeof err;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	if (bind(fd, (const struct sockaddr *)&o->src, sizeof o->src) == -1 ||
	    (fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		goto fail;
	rc = connect(fd, (const struct sockaddr *)&o->node, sizeof o->node);
	if (rc == -1 && errno != EINPROGRESS)
		goto fail;
	if (nonblock)
		return fd;
	if (rc == -1) {
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, AT_WAIT_MS) != 1) {
			errno = ETIMEDOUT;
			goto fail;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1 ||
		    err != 0) {
			errno = err != 0 ? err : errno;
			goto fail;
		}
	}
	if (fcntl(fd, F_SETFL, fl) == -1)
		goto fail;
	return fd;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

static void
at_random(uint8_t *p, size_t n)
{
	FILE	*f;
	size_t	 got = 0;
	unsigned x = (unsigned)getpid() * 2654435761u;

	if ((f = fopen("/dev/urandom", "rb")) != NULL) {
		got = fread(p, 1, n, f);
		fclose(f);
	}
	for (; got < n; got++) {
		x = x * 1103515245u + 12345u;
		p[got] = (uint8_t)(x >> 16);
	}
}

/* One descriptor (header and payload) into out; its length. */
size_t
at_desc(uint8_t *out, uint8_t func, const uint8_t *payload, size_t len)
{
	struct desc	 d;

	memset(&d, 0, sizeof d);
	at_random(d.guid, sizeof d.guid);
	d.guid[8] = 0xff;
	d.guid[15] = 0;
	d.func = func;
	d.ttl = 1;
	d.hops = 0;
	d.len = (uint32_t)len;
	desc_encode(&d, out, DESC_HDR_LEN);
	memcpy(out + DESC_HDR_LEN, payload, len);
	return DESC_HDR_LEN + len;
}

/* Deflate AT_BATCH copies of msg with a sync flush into *out. */
static int
at_deflate_batch(z_stream *z, const uint8_t *msg, size_t len, uint8_t **out,
    size_t *outlen)
{
	size_t	 cap = 64 * 1024, i;
	uint8_t	*b;
	int	 rc;

	if ((b = malloc(cap)) == NULL)
		return -1;
	z->next_out = b;
	z->avail_out = (uInt)cap;
	for (i = 0; i < AT_BATCH; i++) {
		z->next_in = (Bytef *)(uintptr_t)msg;
		z->avail_in = (uInt)len;
		rc = deflate(z, i + 1 == AT_BATCH ? Z_SYNC_FLUSH : Z_NO_FLUSH);
		if (rc != Z_OK || z->avail_in != 0 || z->avail_out == 0) {
			free(b);
			return -1;
		}
	}
	*out = b;
	*outlen = cap - z->avail_out;
	return 0;
}

/* Whether first + rep * 3 inflate to 5 * AT_BATCH copies of msg. */
static int
at_zcheck(const struct at_stream *s, const uint8_t *msg, size_t len)
{
	z_stream	 z;
	uint8_t		*out;
	size_t		 want = 5 * AT_BATCH * len, i;
	int		 ok = 1, rc;

	if ((out = malloc(want + 1)) == NULL)
		return 0;
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK) {
		free(out);
		return 0;
	}
	z.next_out = out;
	z.avail_out = (uInt)(want + 1);
	for (i = 0; i < 4 && ok; i++) {
		z.next_in = i == 0 ? s->first : s->rep[0];
		z.avail_in = (uInt)(i == 0 ? s->firstlen : s->replen[0]);
		rc = inflate(&z, Z_SYNC_FLUSH);
		ok = (rc == Z_OK || rc == Z_BUF_ERROR) && z.avail_in == 0;
	}
	ok = ok && z.avail_out == 1;
	for (i = 0; ok && i < 5 * AT_BATCH; i++)
		ok = memcmp(out + i * len, msg, len) == 0;
	inflateEnd(&z);
	free(out);
	return ok;
}

/*
 * The zbomb streams. Once deflate's window holds nothing but the repeated
 * message, a batch comes out the same every time: the attacker deflates
 * three batches once and then sends the third again and again, checked
 * here by inflating it, so its own CPU is not what limits the attack.
 */
static int
at_zbomb(struct at_stream *s, uint8_t func)
{
	static uint8_t	 msg[DESC_HDR_LEN + AT_PAYLOAD];
	uint8_t		 payload[AT_PAYLOAD];
	uint8_t		*b[3];
	size_t		 blen[3], len;
	z_stream	 z;
	int		 i;

	memset(payload, 0, sizeof payload);
	if (func == DESC_QRP) {
		payload[0] = 1;		/* PATCH */
		payload[1] = 1;		/* sequence 1 */
		payload[2] = 1;		/* of 1 */
		payload[3] = 0;		/* not compressed */
		payload[4] = 4;		/* 4-bit entries */
	}
	len = at_desc(msg, func, payload, sizeof payload);
	memset(&z, 0, sizeof z);
	if (deflateInit(&z, Z_BEST_COMPRESSION) != Z_OK)
		return -1;
	for (i = 0; i < 3; i++)
		if (at_deflate_batch(&z, msg, len, &b[i], &blen[i]) != 0)
			return -1;
	deflateEnd(&z);
	/* first: batches 1 and 2 joined; rep: batch 3. */
	if ((s->first = malloc(blen[0] + blen[1])) == NULL)
		return -1;
	memcpy(s->first, b[0], blen[0]);
	memcpy(s->first + blen[0], b[1], blen[1]);
	s->firstlen = blen[0] + blen[1];
	s->firstmsg = 2 * AT_BATCH * len;
	s->rep[0] = b[2];
	s->replen[0] = blen[2];
	s->repmsg[0] = AT_BATCH * len;
	s->nrep = 1;
	s->deflate = 1;
	i = blen[1] == blen[2] && memcmp(b[2], b[1], blen[1]) == 0 &&
	    at_zcheck(s, msg, len);
	free(b[0]);
	free(b[1]);
	if (!i) {
		fprintf(stderr, "attacker: deflate batches differ\n");
		return -1;
	}
	return 0;
}

/* junk: a vendor message and a QRP message of random bytes, in turn
 * (one piece holds both). junk-bad: an unknown function, then a vendor
 * message of 4 bytes. */
static int
at_junk(struct at_stream *s, int bad)
{
	uint8_t		*payload, *b;
	size_t		 n;

	if ((payload = malloc(AT_PAYLOAD)) == NULL ||
	    (b = malloc(2 * (DESC_HDR_LEN + AT_PAYLOAD))) == NULL)
		return -1;
	at_random(payload, AT_PAYLOAD);
	if (bad) {
		n = at_desc(b, 0x77, payload, 1024);
		n += at_desc(b + n, DESC_VENDOR, payload, 4);
	} else {
		n = at_desc(b, DESC_VENDOR, payload, AT_PAYLOAD);
		payload[0] = 0;		/* a RESET, then the rest */
		n += at_desc(b + n, DESC_QRP, payload, AT_PAYLOAD);
	}
	free(payload);
	s->first = NULL;
	s->firstlen = 0;
	s->rep[0] = b;
	s->replen[0] = n;
	s->repmsg[0] = n;
	s->nrep = 1;
	s->deflate = 0;
	return 0;
}

int
at_write_all(int fd, const void *p, size_t n, uint64_t deadline)
{
	const uint8_t	*b = p;
	struct pollfd	 pfd;
	ssize_t		 w;

	while (n > 0) {
		w = send(fd, b, n, MSG_NOSIGNAL);
		if (w > 0) {
			b += w;
			n -= (size_t)w;
			continue;
		}
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, at_left(deadline)) < 1)
				return -1;
			continue;
		}
		return -1;
	}
	return 0;
}

/*
 * The handshake as an ultrapeer (no Accept-Encoding, so the node's side
 * stays plain). 0 when up; else -1 with why (the status line) in why.
 */
int
at_handshake(struct at_link *l, int deflate, char *why, size_t cap)
{
	static const char hello[] = "GNUTELLA CONNECT/0.6\r\n"
	    "User-Agent: attacker/0.1\r\n"
	    "X-Ultrapeer: True\r\n"
	    "X-Degree: 32\r\n"
	    "X-Query-Routing: 0.2\r\n"
	    "Vendor-Message: 0.2\r\n"
	    "Bye-Packet: 0.1\r\n"
	    "\r\n";
	uint64_t	 deadline = at_now() + AT_WAIT_MS;
	struct pollfd	 pfd;
	uint8_t		*end;
	size_t		 n, head;
	ssize_t		 r;
	const char	*ack = deflate ?
	    "GNUTELLA/0.6 200 OK\r\nContent-Encoding: deflate\r\n\r\n" :
	    "GNUTELLA/0.6 200 OK\r\n\r\n";

	snprintf(why, cap, "closed");
	if (at_write_all(l->fd, hello, sizeof hello - 1, deadline) != 0)
		return -1;
	for (;;) {
		end = l->inlen >= 4 ? memmem(l->in, l->inlen, "\r\n\r\n", 4) :
		    NULL;
		if (end != NULL)
			break;
		pfd.fd = l->fd;
		pfd.events = POLLIN;
		if (l->inlen == AT_IN || poll(&pfd, 1, at_left(deadline)) < 1) {
			snprintf(why, cap, "timeout");
			return -1;
		}
		if ((r = recv(l->fd, l->in + l->inlen, AT_IN - l->inlen, 0)) <= 0)
			return -1;
		l->inlen += (size_t)r;
	}
	head = (size_t)(end - l->in) + 4;
	for (n = 0; n < head && n + 1 < cap && l->in[n] != '\r'; n++)
		why[n] = (char)l->in[n];
	why[n] = '\0';
	if (strncmp(why, "GNUTELLA/0.6 200", 16) != 0)
		return -1;
	memmove(l->in, l->in + head, l->inlen - head);
	l->inlen -= head;
	return at_write_all(l->fd, ack, strlen(ack), deadline);
}

/* Consume whole descriptors from the node; note a Bye. */
static void
at_scan(struct at_link *l)
{
	struct bye	 b;
	size_t		 off = 0, len, i, k = 0;
	uint32_t	 plen;

	while (!l->bye && l->inlen - off >= DESC_HDR_LEN) {
		plen = peek_le32(l->in + off + 19);
		if (plen & DESC_SIZE_MARKED)
			plen &= 0xffff;
		if (plen > AT_IN - DESC_HDR_LEN) {	/* cannot hold: drop */
			off = l->inlen;
			break;
		}
		len = DESC_HDR_LEN + plen;
		if (l->inlen - off < len)
			break;
		if (l->in[off + 16] == DESC_BYE && bye_decode(l->in + off +
		    DESC_HDR_LEN, plen, &b) == WIRE_OK) {
			l->bye = 1;
			l->code = b.code;
			for (i = 0; i < b.textlen && k + 1 < sizeof l->text &&
			    b.text[i] != '\r' && b.text[i] != '\n'; i++)
				l->text[k++] = b.text[i] >= 0x20 &&
				    b.text[i] < 0x7f ? b.text[i] : '?';
			l->text[k] = '\0';
		}
		off += len;
	}
	memmove(l->in, l->in + off, l->inlen - off);
	l->inlen -= off;
}

/* Read what is there; 0 on EOF, -1 on a reset, 1 otherwise. */
static int
at_read(struct at_link *l)
{
	ssize_t	 r;

	if (l->inlen == AT_IN)		/* a partial giant: drop it */
		l->inlen = 0;
	r = recv(l->fd, l->in + l->inlen, AT_IN - l->inlen, MSG_DONTWAIT);
	if (r == 0)
		return 0;
	if (r < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR ? 1 : -1;
	l->inlen += (size_t)r;
	at_scan(l);
	return 1;
}

/*
 * One link: up, then the stream until the node says Bye or closes, or
 * the deadline. Prints its line; *wire and *msgs grow by what it sent.
 * Returns 1 if the node ended it, 0 if the deadline did, -1 if it never
 * came up.
 */
static int
at_link_run(const struct at_opt *o, const struct at_stream *s, unsigned no,
    uint64_t deadline, uint64_t *wire, uint64_t *msgs)
{
	static uint8_t	 in[AT_IN];
	struct at_link	 l;
	struct pollfd	 pfd;
	uint64_t	 start = at_now(), sent = 0, carried = 0, end;
	const uint8_t	*cur;
	size_t		 curlen, off = 0;
	int		 piece = 0, rc = 0;
	ssize_t		 w;
	char		 why[256];
	const char	*how = "open";

	memset(&l, 0, sizeof l);
	l.in = in;
	if ((l.fd = at_dial(o, 0)) == -1) {
		printf("conn %u: connect failed: %s\n", no, strerror(errno));
		return -1;
	}
	if (at_handshake(&l, s->deflate, why, sizeof why) != 0) {
		printf("conn %u: refused %s\n", no, why);
		close(l.fd);
		return -1;
	}
	if (no == 1) {
		printf("up\n");
		fflush(stdout);
	}
	at_scan(&l);
	cur = s->firstlen > 0 ? s->first : s->rep[0];
	curlen = s->firstlen > 0 ? s->firstlen : s->replen[0];
	piece = s->firstlen > 0 ? -1 : 0;
	while (!l.bye && at_now() < deadline) {
		pfd.fd = l.fd;
		pfd.events = POLLIN | POLLOUT;
		if (poll(&pfd, 1, at_left(deadline) < 100 ?
		    at_left(deadline) : 100) < 1)
			continue;
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			if ((rc = at_read(&l)) <= 0) {
				how = rc == 0 ? "closed" : "reset";
				break;
			}
		}
		if (!(pfd.revents & POLLOUT) || l.bye)
			continue;
		w = send(l.fd, cur + off, curlen - off, MSG_NOSIGNAL |
		    MSG_DONTWAIT);
		if (w == -1 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (w <= 0) {
			/* Read what may have come before the reset. */
			while (at_read(&l) > 0 && !l.bye)
				;
			how = "reset";
			rc = -1;
			break;
		}
		sent += (uint64_t)w;
		if ((off += (size_t)w) < curlen)
			continue;
		carried += piece == -1 ? s->firstmsg : s->repmsg[piece];
		piece = piece + 1 >= s->nrep ? 0 : piece + 1;
		cur = s->rep[piece];
		curlen = s->replen[piece];
		off = 0;
	}
	end = at_now();
	if (l.bye) {
		/* The node closes after its Bye: wait for it, bounded. */
		uint64_t dl = at_now() + AT_WAIT_MS;

		while (at_left(dl) > 0) {
			pfd.fd = l.fd;
			pfd.events = POLLIN;
			if (poll(&pfd, 1, at_left(dl)) < 1 || at_read(&l) <= 0)
				break;
		}
		printf("conn %u: bye %u %s", no, l.code, l.text);
	} else
		printf("conn %u: %s%s", no, how,
		    strcmp(how, "open") == 0 ? "" : " (no bye)");
	printf(" (after %.1f s, %llu wire bytes, %llu message bytes)\n",
	    (double)(end - start) / 1000, (unsigned long long)sent,
	    (unsigned long long)carried);
	fflush(stdout);
	close(l.fd);
	*wire += sent;
	*msgs += carried;
	return l.bye || strcmp(how, "open") != 0 ? 1 : 0;
}

int
at_gnutella(const struct at_opt *o, const char *class)
{
	struct at_stream s;
	uint64_t	 start = at_now(), deadline, wire = 0, msgs = 0;
	unsigned	 no, ups = 0;
	int		 rc;

	memset(&s, 0, sizeof s);
	if (strcmp(class, "zbomb-vendor") == 0)
		rc = at_zbomb(&s, DESC_VENDOR);
	else if (strcmp(class, "zbomb-qrp") == 0)
		rc = at_zbomb(&s, DESC_QRP);
	else
		rc = at_junk(&s, strcmp(class, "junk-bad") == 0);
	if (rc != 0)
		return 2;
	deadline = start + (uint64_t)o->secs * 1000;
	for (no = 1; no <= o->reconnects + 1 && at_now() < deadline; no++) {
		at_pace(start, no - 1, o->rate);
		if (at_now() >= deadline)
			break;
		rc = at_link_run(o, &s, no, deadline, &wire, &msgs);
		if (rc >= 0)
			ups++;
		if (rc == 0)
			break;
		if (rc < 0)	/* refused: not at once again */
			(void)poll(NULL, 0, 200);
	}
	printf("end %s conns %u wire %llu messages %llu secs %.1f\n", class,
	    ups, (unsigned long long)wire, (unsigned long long)msgs,
	    (double)(at_now() - start) / 1000);
	free(s.first);
	free(s.rep[0]);
	return ups > 0 ? 0 : 1;
}

static int
at_addr(const char *ip, const char *port, struct sockaddr_in *sin)
{
	char	*end;
	long	 p;

	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	p = strtol(port, &end, 10);
	if (*end != '\0' || p < 0 || p > 65535 ||
	    inet_pton(AF_INET, ip, &sin->sin_addr) != 1) {
		fprintf(stderr, "attacker: bad address %s:%s\n", ip, port);
		return -1;
	}
	sin->sin_port = htons((uint16_t)p);
	return 0;
}

static void
at_usage(void)
{
	fprintf(stderr, "usage: attacker [-R RECONNECTS] [-r RATE] "
	    "[-c CONNS] [-w WORD] CLASS HOST PORT SRC SECS\n"
	    "classes: zbomb-vendor zbomb-qrp junk junk-bad handshakes http "
	    "probe\n");
	exit(2);
}

static unsigned
at_num(const char *s, unsigned long max)
{
	char		*end;
	unsigned long	 v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v > max)
		at_usage();
	return (unsigned)v;
}

int
main(int argc, char **argv)
{
	struct at_opt	 o;
	const char	*class;
	int		 ch;

	memset(&o, 0, sizeof o);
	o.conns = 64;
	o.word = "attacker";
	while ((ch = getopt(argc, argv, "R:r:c:w:")) != -1) {
		switch (ch) {
		case 'R':
			o.reconnects = at_num(optarg, AT_CONNS_MAX);
			break;
		case 'r':
			o.rate = at_num(optarg, 100000);
			break;
		case 'c':
			o.conns = at_num(optarg, 1000);
			break;
		case 'w':
			o.word = optarg;
			break;
		default:
			at_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 5)
		at_usage();
	class = argv[0];
	if (at_addr(argv[1], argv[2], &o.node) != 0 ||
	    at_addr(argv[3], "0", &o.src) != 0)
		return 2;
	o.secs = at_num(argv[4], 3600);
	if (o.conns == 0)
		at_usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(class, "handshakes") == 0)
		return at_handshakes(&o);
	if (strcmp(class, "http") == 0)
		return at_http(&o);
	if (strcmp(class, "probe") == 0)
		return at_probe(&o);
	if (strcmp(class, "zbomb-vendor") == 0 ||
	    strcmp(class, "zbomb-qrp") == 0 || strcmp(class, "junk") == 0 ||
	    strcmp(class, "junk-bad") == 0)
		return at_gnutella(&o, class);
	at_usage();
	return 2;
}
