/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * listen.c: the node's one port: a TCP listener whose connections go to
 * conn.c, and a UDP socket on the same address for out-of-band messages
 * (walker check-backs, hits sent straight to the searcher). Accepting
 * pauses for a second when the process runs out of descriptors.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"

#define ACCEPT_BATCH	64	/* accepts per wake-up */
#define UDP_BATCH	64	/* datagrams per wake-up */

static int
listen_nonblock(int fd)
{
	int	 fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/*
 * Whether one more connection from ip may start a handshake: incoming
 * connections before their first line or in the Gnutella handshake are
 * held to handshakes_per_addr from one address and handshakes_max in
 * all, so slow or silent peers cannot take every descriptor. An HTTP
 * request head is not counted: it has its own deadline and 408
 * (httpd.c). A walk over the connections: they are bounded by the
 * descriptors we have, and this runs once an accept.
 */
static int
listen_hs_room(struct gnet *g, uint32_t ip)
{
	struct conn	*c;
	unsigned	 all = 0, from = 0;

	for (c = g->conns; c != NULL; c = c->next) {
		if (c->outgoing || (c->state != CONN_FIRST &&
		    c->state != CONN_HS_REPLIED))
			continue;
		all++;
		if (c->ip == ip)
			from++;
	}
	return from < g->conf->handshakes_per_addr &&
	    all < g->conf->handshakes_max;
}

static void
listen_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct gnet		*g = w->data;
	struct sockaddr_in	 sin;
	socklen_t		 len;
	struct conn		*c;
	int			 fd, i, one = 1;
	GNET_LOG_AS(g);

	(void)revents;
	for (i = 0; i < ACCEPT_BATCH; i++) {
		len = sizeof sin;
		fd = accept4(g->lfd, (struct sockaddr *)&sin, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				log_warn("accept (pausing for a second)");
				ev_io_stop(loop, &g->lio);
				ev_timer_set(&g->accept_again, 1.0, 0.0);
				ev_timer_start(loop, &g->accept_again);
			}
			return;
		}
		if (g->shutdown) {
			close(fd);
			continue;
		}
		if (ban_refuses(g, ntohl(sin.sin_addr.s_addr))) {
			/* Counted, not logged: the ban's start was. */
			g->stats.ban_refused++;
			close(fd);
			continue;
		}
		if (!listen_hs_room(g, ntohl(sin.sin_addr.s_addr))) {
			/* Nothing written: a status would cost what the
			 * bound is there to save. */
			g->stats.refused++;
			gnet_logrl(g, NET_LOG_HS_REFUSE, "%s:%u: refused: too "
			    "many handshakes in progress", inet_ntoa(
			    sin.sin_addr), ntohs(sin.sin_port));
			close(fd);
			continue;
		}
		ban_accepted(g, fd);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		g->stats.accepted++;
		if ((c = conn_new(g, fd, 0, ntohl(sin.sin_addr.s_addr),
		    ntohs(sin.sin_port))) != NULL)
			role_reached(g, c);
	}
}

static void
listen_again_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct gnet	*g = w->data;
	GNET_LOG_AS(g);

	(void)revents;
	ev_io_start(loop, &g->lio);
}

static void
listen_udp_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct gnet		*g = w->data;
	struct sockaddr_in	 sin;
	socklen_t		 len;
	ssize_t			 n;
	int			 i;
	GNET_LOG_AS(g);

	(void)loop;
	(void)revents;
	for (i = 0; i < UDP_BATCH; i++) {
		len = sizeof sin;
		n = recvfrom(g->ufd, g->rbuf, sizeof g->rbuf, 0,
		    (struct sockaddr *)&sin, &len);
		if (n < 0)
			return;
		g->stats.udp_rx++;
		node_recv_oob(g->node, ntohl(sin.sin_addr.s_addr),
		    ntohs(sin.sin_port), g->rbuf, (size_t)n);
	}
}

/* Send one datagram; a full socket buffer drops it, as UDP may. */
void
listen_send_udp(struct gnet *g, uint32_t ip, uint16_t port, const uint8_t *p,
    size_t len)
{
	struct sockaddr_in	 sin;

	if (g->ufd < 0 || !dialer_usable(ip, port) ||
	    !net_scope_ok(g, ip))
		return;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(ip);
	sin.sin_port = htons(port);
	if (sendto(g->ufd, p, len, 0, (struct sockaddr *)&sin, sizeof sin) >= 0)
		g->stats.udp_tx++;
}

static int
listen_socket(struct gnet *g, int type, char **cause)
{
	struct sockaddr_in	 sin;
	socklen_t		 slen = sizeof sin;
	int			 fd, one = 1;

	if ((fd = socket(AF_INET, type | SOCK_CLOEXEC, 0)) < 0) {
		xasprintf(cause, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(g->ip);
	sin.sin_port = htons(g->port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    (type == SOCK_STREAM && listen(fd, 128) != 0) ||
	    listen_nonblock(fd) != 0) {
		xasprintf(cause, "listen on %s:%u (%s): %s",
		    inet_ntoa(sin.sin_addr), g->port,
		    type == SOCK_STREAM ? "tcp" : "udp", strerror(errno));
		close(fd);
		return -1;
	}
	/* Port 0 asks the kernel; UDP then takes the port TCP got. */
	if (g->port == 0 && getsockname(fd, (struct sockaddr *)&sin,
	    &slen) == 0)
		g->port = ntohs(sin.sin_port);
	return fd;
}

/* Bind the TCP and UDP sockets on the configured address. */
int
listen_open(struct gnet *g, char **cause)
{
	if ((g->lfd = listen_socket(g, SOCK_STREAM, cause)) < 0)
		return -1;
	if ((g->ufd = listen_socket(g, SOCK_DGRAM, cause)) < 0) {
		close(g->lfd);
		g->lfd = -1;
		return -1;
	}
	ev_io_init(&g->lio, listen_accept_cb, g->lfd, EV_READ);
	ev_io_init(&g->uio, listen_udp_cb, g->ufd, EV_READ);
	ev_init(&g->accept_again, listen_again_cb);
	g->lio.data = g->uio.data = g->accept_again.data = g;
	ev_io_start(g->loop, &g->lio);
	ev_io_start(g->loop, &g->uio);
	return 0;
}

void
listen_close(struct gnet *g)
{
	if (g->lfd >= 0) {
		ev_io_stop(g->loop, &g->lio);
		ev_timer_stop(g->loop, &g->accept_again);
		close(g->lfd);
		g->lfd = -1;
	}
	if (g->ufd >= 0) {
		ev_io_stop(g->loop, &g->uio);
		close(g->ufd);
		g->ufd = -1;
	}
}
