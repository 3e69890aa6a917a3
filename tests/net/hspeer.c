/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * hspeer.c: one Gnutella 0.6 handshake with a running node, for
 * tests/handshake.sh, printing every header the node sent, then a Bye.
 *
 *   hspeer accept IP PORT CODE REASON
 *	listen on IP:PORT and take the node's one dial: print its request
 *	("request: Name: value"), answer 200 with Accept-Encoding: deflate,
 *	print its third step ("ack: GNUTELLA/0.6 200 OK", "ack: Name:
 *	value"), then send Bye CODE REASON and wait for the node to close.
 *   hspeer dial IP PORT CODE REASON SRC
 *	dial the node from address SRC and print its answer ("reply:
 *	..."), send the third step, then the Bye.
 *   hspeer switch IP PORT CODE REASON SRC
 *	the same, but say X-Ultrapeer: True in the first step and False in
 *	the third (an ultrapeer turning leaf); then read what the node
 *	sends and print its Bye ("bye: CODE REASON") if one comes, else
 *	send ours if none came.
 *   hspeer stay IP PORT CODE REASON SRC
 *	the same with a plain third step (an ultrapeer staying one).
 *
 * The reason is sent as given, control bytes and all. "listening" is
 * printed (and flushed) once the socket listens, so a script can start
 * the node after it; "closed" once the node hung up after the Bye. Every
 * wait is bounded: a node that never dials, answers or closes makes it
 * exit 1.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wire/bye.h"
#include "wire/desc.h"
#include "wire/hs.h"

#define HP_WAIT_MS	20000	/* the longest any one wait may take */
#define HP_GUID		"0123456789ABCDEF0123456789ABCDEF"

static uint8_t	 hp_buf[HS_MAX_BLOCK + 65536];
static size_t	 hp_len;

static uint64_t
hp_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Wait for fd to be readable before deadline: 1, or 0 on timeout. */
static int
hp_wait(int fd, uint64_t deadline)
{
	struct pollfd	 pfd;
	uint64_t	 now;
	int		 rc;

	for (;;) {
		if ((now = hp_now()) >= deadline)
			return 0;
		pfd.fd = fd;
		pfd.events = POLLIN;
		rc = poll(&pfd, 1, (int)(deadline - now));
		if (rc > 0)
			return 1;
		if (rc == 0)
			return 0;
		if (errno != EINTR)
			return 0;
	}
}

static int
hp_write(int fd, const void *p, size_t n)
{
	const uint8_t	*b = p;
	ssize_t		 w;

	while (n > 0) {
		if ((w = write(fd, b, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One handshake block into h; what followed it stays in hp_buf. */
static int
hp_read_block(int fd, struct hs *h, const char *what)
{
	uint64_t		 deadline = hp_now() + HP_WAIT_MS;
	enum wire_status	 st;
	size_t			 used;
	ssize_t			 r;

	for (;;) {
		st = hs_parse(hp_buf, hp_len, h, &used);
		if (st == WIRE_OK)
			break;
		if (st != WIRE_SHORT) {
			printf("bad %s: %s\n", what, wire_strstatus(st));
			return -1;
		}
		if (hp_len == sizeof hp_buf || !hp_wait(fd, deadline)) {
			printf("no %s\n", what);
			return -1;
		}
		if ((r = read(fd, hp_buf + hp_len, sizeof hp_buf - hp_len)) <= 0) {
			printf("closed before the %s\n", what);
			return -1;
		}
		hp_len += (size_t)r;
	}
	memmove(hp_buf, hp_buf + used, hp_len - used);
	hp_len -= used;
	return 0;
}

static void
hp_print(const struct hs *h, const char *tag)
{
	size_t	 i;

	if (h->kind == HS_RESPONSE)
		printf("%s: GNUTELLA/%d.%d %d %s\n", tag, h->major, h->minor,
		    h->code, h->reason);
	for (i = 0; i < h->nhdr; i++)
		printf("%s: %s: %s\n", tag, h->hdr[i].name, h->hdr[i].value);
	fflush(stdout);
}

/* Send Bye code reason, then read (and drop) until the node closes. */
static int
hp_bye(int fd, unsigned code, const char *reason)
{
	struct desc	 d;
	struct bye	 b;
	uint8_t		 out[DESC_HDR_LEN + BYE_MAX_LEN], junk[4096];
	uint64_t	 deadline;
	size_t		 n;
	ssize_t		 r;

	b.code = (uint16_t)code;
	b.text = reason;
	b.textlen = strlen(reason);
	if ((n = bye_encode(&b, out + DESC_HDR_LEN, BYE_MAX_LEN)) == 0) {
		printf("reason too long\n");
		return -1;
	}
	memset(&d, 0, sizeof d);
	memset(d.guid, 0x42, sizeof d.guid);
	d.guid[8] = 0xff;
	d.guid[15] = 0;
	d.func = DESC_BYE;
	d.ttl = 1;
	d.hops = 0;
	d.len = (uint32_t)n;
	desc_encode(&d, out, DESC_HDR_LEN);
	if (hp_write(fd, out, DESC_HDR_LEN + n) != 0) {
		printf("closed before the bye\n");
		return -1;
	}
	deadline = hp_now() + HP_WAIT_MS;
	for (;;) {
		if (!hp_wait(fd, deadline)) {
			printf("not closed after the bye\n");
			return -1;
		}
		if ((r = read(fd, junk, sizeof junk)) == 0 ||
		    (r == -1 && errno != EINTR && errno != EAGAIN)) {
			printf("closed\n");
			return 0;
		}
	}
}

static int
hp_addr(const char *ip, const char *port, struct sockaddr_in *sin)
{
	long	 p;
	char	*end;

	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	p = strtol(port, &end, 10);
	if (*end != '\0' || p < 1 || p > 65535 ||
	    inet_pton(AF_INET, ip, &sin->sin_addr) != 1) {
		fprintf(stderr, "hspeer: bad address %s:%s\n", ip, port);
		return -1;
	}
	sin->sin_port = htons((uint16_t)p);
	return 0;
}

static int
hp_accept(const char *ip, const char *port, unsigned code, const char *why)
{
	static const char	 reply[] = "GNUTELLA/0.6 200 OK\r\n"
	    "User-Agent: hspeer/0.1\r\n"
	    "X-Ultrapeer: True\r\n"
	    "GUID: " HP_GUID "\r\n"
	    "X-Degree: 32\r\n"
	    "X-Query-Routing: 0.2\r\n"
	    "Accept-Encoding: deflate\r\n"
	    "\r\n";
	struct sockaddr_in	 sin;
	struct hs		*h;
	int			 lfd, fd, one = 1, rc = -1;

	if (hp_addr(ip, port, &sin) != 0)
		return -1;
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    listen(lfd, 4) == -1) {
		perror("hspeer: listen");
		return -1;
	}
	printf("listening\n");
	fflush(stdout);
	if (!hp_wait(lfd, hp_now() + HP_WAIT_MS) ||
	    (fd = accept(lfd, NULL, NULL)) == -1) {
		printf("no dial\n");
		close(lfd);
		return -1;
	}
	close(lfd);
	h = malloc(sizeof *h);
	if (h != NULL && hp_read_block(fd, h, "request") == 0) {
		hp_print(h, "request");
		if (hp_write(fd, reply, sizeof reply - 1) == 0 &&
		    hp_read_block(fd, h, "third step") == 0) {
			hp_print(h, "ack");
			rc = hp_bye(fd, code, why);
		}
	}
	free(h);
	close(fd);
	return rc;
}

/*
 * Read the node's descriptors (it does not deflate: we never offered to
 * inflate) until its Bye, printed; "no bye" when the node closes without
 * one or the wait ends.
 */
static int
hp_read_bye(int fd)
{
	uint64_t	 deadline = hp_now() + HP_WAIT_MS;
	struct desc	 d;
	struct bye	 b;
	ssize_t		 r;

	for (;;) {
		while (hp_len >= DESC_HDR_LEN &&
		    desc_decode(hp_buf, hp_len, &d) == WIRE_OK &&
		    hp_len >= DESC_HDR_LEN + d.len) {
			if (d.func == DESC_BYE && bye_decode(hp_buf +
			    DESC_HDR_LEN, d.len, &b) == WIRE_OK) {
				printf("bye: %u %.*s\n", b.code,
				    (int)b.textlen, b.text);
				return 0;
			}
			memmove(hp_buf, hp_buf + DESC_HDR_LEN + d.len,
			    hp_len - DESC_HDR_LEN - d.len);
			hp_len -= DESC_HDR_LEN + d.len;
		}
		if (hp_len == sizeof hp_buf || !hp_wait(fd, deadline))
			break;
		if ((r = read(fd, hp_buf + hp_len, sizeof hp_buf - hp_len)) <= 0)
			break;
		hp_len += (size_t)r;
	}
	printf("no bye\n");
	return 1;
}

static int
hp_dial(const char *ip, const char *port, unsigned code, const char *why,
    const char *src, int turn_leaf)
{
	static const char	 hello[] = "GNUTELLA CONNECT/0.6\r\n"
	    "User-Agent: hspeer/0.1\r\n"
	    "X-Ultrapeer: True\r\n"
	    "GUID: " HP_GUID "\r\n"
	    "X-Degree: 32\r\n"
	    "\r\n";
	static const char	 ack[] = "GNUTELLA/0.6 200 OK\r\n\r\n";
	static const char	 ack_leaf[] = "GNUTELLA/0.6 200 OK\r\n"
	    "X-Ultrapeer: False\r\n\r\n";
	struct sockaddr_in	 sin, me;
	struct hs		*h;
	int			 fd, rc = -1;

	if (hp_addr(ip, port, &sin) != 0 || hp_addr(src, "1", &me) != 0)
		return -1;
	me.sin_port = 0;
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&me, sizeof me) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		perror("hspeer: connect");
		return -1;
	}
	h = malloc(sizeof *h);
	if (h != NULL && hp_write(fd, hello, sizeof hello - 1) == 0 &&
	    hp_read_block(fd, h, "reply") == 0) {
		hp_print(h, "reply");
		if (turn_leaf && h->code == 200 &&
		    (turn_leaf == 2 ? hp_write(fd, ack, sizeof ack - 1) :
		    hp_write(fd, ack_leaf, sizeof ack_leaf - 1)) == 0) {
			if (hp_read_bye(fd) == 0)
				rc = 0;
			else
				rc = hp_bye(fd, code, why);
		} else if (h->code == 200 &&
		    hp_write(fd, ack, sizeof ack - 1) == 0)
			rc = hp_bye(fd, code, why);
	}
	free(h);
	close(fd);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned long	 code;
	char		*end;

	if (argc != 6 + (argc > 1 && (strcmp(argv[1], "dial") == 0 ||
	    strcmp(argv[1], "switch") == 0 || strcmp(argv[1], "stay") == 0))) {
		fprintf(stderr, "usage: hspeer accept IP PORT CODE REASON\n"
		    "       hspeer dial|switch|stay IP PORT CODE REASON SRC\n");
		return 2;
	}
	code = strtoul(argv[4], &end, 10);
	if (*end != '\0' || code > 65535) {
		fprintf(stderr, "hspeer: bad code %s\n", argv[4]);
		return 2;
	}
	if (strcmp(argv[1], "accept") == 0)
		return hp_accept(argv[2], argv[3], (unsigned)code, argv[5]) ==
		    0 ? 0 : 1;
	if (strcmp(argv[1], "dial") == 0 || strcmp(argv[1], "switch") == 0 ||
	    strcmp(argv[1], "stay") == 0)
		return hp_dial(argv[2], argv[3], (unsigned)code, argv[5],
		    argv[6], strcmp(argv[1], "switch") == 0 ? 1 :
		    strcmp(argv[1], "stay") == 0 ? 2 : 0) == 0 ? 0 : 1;
	fprintf(stderr, "hspeer: accept, dial, switch or stay\n");
	return 2;
}
