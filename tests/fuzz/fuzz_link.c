/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_link.c: libFuzzer target for an established Gnutella link as the
 * node reads it: descriptor framing, the per-link inflate loop and the
 * read budget (net/conn.c, net/budget.c), into the routing core. One real
 * node (gnet on a libev loop, sharing nothing, listening on 127.0.0.1 at
 * a port the kernel picks) lives for the whole run; each input is played
 * by a peer on the far end of a socketpair that handshakes (asking for
 * deflate or not) and then streams the input's bytes:
 *   1 byte	flags: bit 0 the link is deflated, bits 1-3 a budget tick
 *		every (n + 1) writes, bits 4-7 the write size ((n + 1) KiB)
 *   the rest	the plain stream: descriptors as a peer would send them,
 *		deflated here with a sync flush per write when bit 0 is set
 * The budgets are set low (64 KiB inflated, 16 KiB ignored, 3 strikes)
 * so that throttling, the held-back deflated bytes, resuming and Bye 410
 * are all reached. Whatever the node answers is read and dropped; the
 * peer then hangs up, and the node must free the connection.
 */
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <ev.h>

#include "conf/conf.h"
#include "lib/log.h"
#include "net/net.h"
#include "net/net_impl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FZ_SPINS	64	/* loop passes with nothing to write */
#define FZ_ROUNDS	4096	/* writes at most, per input */

static struct ev_loop	*fz_loop;
static struct conf	 fz_conf;
static struct gnet	*fz_g;

static void
fz_init(void)
{
	char	*cause = NULL;

	log_init(stderr, LOG_LVL_ERROR);	/* peers' faults are not */
	fz_loop = ev_loop_new(EVFLAG_AUTO);
	conf_defaults(&fz_conf);
	/* An ultrapeer relays: the most a link's bytes can reach. */
	if (conf_set(&fz_conf, "node", "mode", "ultrapeer", &cause) != 0)
		abort();
	fz_conf.listen_ip = 0x7f000001;
	fz_conf.listen_port = 0;
	fz_conf.min_peers = 0;
	fz_conf.peer_inflate_budget = 64 * 1024;
	fz_conf.peer_ignored_budget = 16 * 1024;
	fz_conf.peer_budget_strikes = 3;
	if ((fz_g = gnet_new(fz_loop, &fz_conf, NULL, &cause)) == NULL) {
		fprintf(stderr, "fuzz_link: %s\n", cause);
		abort();
	}
}

/* Read and drop what the node wrote; 0 once it has closed its end. */
static int
fz_drain(int fd)
{
	uint8_t	 junk[65536];
	ssize_t	 n;

	while ((n = read(fd, junk, sizeof junk)) > 0)
		;
	return n == 0 ? 0 : 1;
}

static void
fz_spin(int fd, unsigned passes)
{
	unsigned	 i;

	for (i = 0; i < passes; i++) {
		ev_run(fz_loop, EVRUN_NOWAIT);
		if (fd >= 0 && !fz_drain(fd))
			return;
	}
}

/* Write all of p (len), letting the node read as the socket fills; 0 if
 * the node closed the link first. */
static int
fz_write(int fd, const uint8_t *p, size_t len, unsigned tick_every,
    unsigned *writes)
{
	ssize_t		 n;
	unsigned	 idle = 0;

	while (len > 0) {
		if ((n = send(fd, p, len, MSG_NOSIGNAL)) > 0) {
			p += n;
			len -= (size_t)n;
			idle = 0;
		} else if (n < 0 && errno != EAGAIN && errno != EINTR)
			return 0;
		ev_run(fz_loop, EVRUN_NOWAIT);
		if (!fz_drain(fd))
			return 0;
		if (++*writes % tick_every == 0)
			budget_tick(fz_g);	/* a new second */
		if (n <= 0 && ++idle > FZ_SPINS) {
			/* The node stopped reading (its budget): the
			 * next second lets it go on. */
			budget_tick(fz_g);
			idle = 0;
		}
		if (*writes > FZ_ROUNDS)
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char hs_plain[] = "GNUTELLA CONNECT/0.6\r\n"
	    "User-Agent: fuzz/1\r\nX-Ultrapeer: True\r\n\r\n";
	static const char hs_deflate[] = "GNUTELLA CONNECT/0.6\r\n"
	    "User-Agent: fuzz/1\r\nX-Ultrapeer: True\r\n"
	    "Accept-Encoding: deflate\r\n\r\n";
	static const char ack_plain[] = "GNUTELLA/0.6 200 OK\r\n\r\n";
	static const char ack_deflate[] = "GNUTELLA/0.6 200 OK\r\n"
	    "Content-Encoding: deflate\r\n\r\n";
	static uint8_t	 zbuf[64 * 1024 + 1024];
	z_stream	 z;
	size_t		 chunk, n;
	unsigned	 tick_every, writes = 0;
	int		 fds[2], deflated, one = 1 << 20;

	if (fz_g == NULL)
		fz_init();
	if (size < 1)
		return 0;
	deflated = data[0] & 1;
	tick_every = ((data[0] >> 1) & 7) + 1;
	chunk = (((size_t)data[0] >> 4) + 1) * 1024;
	data++;
	size--;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
		abort();
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	setsockopt(fds[1], SOL_SOCKET, SO_SNDBUF, &one, sizeof one);
	(void)conn_new(fz_g, fds[0], 0, 0x7f000002, 40000);
	if (!fz_write(fds[1], (const uint8_t *)(deflated ? hs_deflate :
	    hs_plain), deflated ? sizeof hs_deflate - 1 : sizeof hs_plain - 1,
	    tick_every, &writes))
		goto done;
	fz_spin(fds[1], 4);
	if (!fz_write(fds[1], (const uint8_t *)(deflated ? ack_deflate :
	    ack_plain), deflated ? sizeof ack_deflate - 1 :
	    sizeof ack_plain - 1, tick_every, &writes))
		goto done;
	memset(&z, 0, sizeof z);
	if (deflated && deflateInit(&z, Z_BEST_SPEED) != Z_OK)
		abort();
	while (size > 0) {
		n = size < chunk ? size : chunk;
		if (deflated) {
			z.next_in = (Bytef *)(uintptr_t)data;
			z.avail_in = (uInt)n;
			z.next_out = zbuf;
			z.avail_out = sizeof zbuf;
			if (deflate(&z, Z_SYNC_FLUSH) != Z_OK)
				abort();
			if (!fz_write(fds[1], zbuf, sizeof zbuf - z.avail_out,
			    tick_every, &writes))
				break;
		} else if (!fz_write(fds[1], data, n, tick_every, &writes))
			break;
		data += n;
		size -= n;
	}
	if (deflated)
		deflateEnd(&z);
	/* Let the node go through what it holds back, a second at a time. */
	for (n = 0; n < 8; n++) {
		budget_tick(fz_g);
		fz_spin(fds[1], 4);
	}
done:
	close(fds[1]);
	/* The node sees the close (a throttled link once its next second
	 * comes), and its reaper frees the connection. */
	for (n = 0; n < 8 && fz_g->conns != NULL; n++) {
		fz_spin(-1, 4);
		budget_tick(fz_g);
	}
	fz_spin(-1, 2);
	if (fz_g->conns != NULL) {
		fprintf(stderr, "fuzz_link: connection %u (%s) never freed\n",
		    fz_g->conns->id, conn_state_name(fz_g->conns->state));
		abort();
	}
	return 0;
}
