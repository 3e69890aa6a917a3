/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * conn.c: one TCP connection on the node's port: reading, the state it is
 * in, and closing (handshake.c holds the handshake). Once it is up, whole
 * descriptors go to the core and the core's sends come back here, through
 * a deflate stream when the peer asked for one. Output is queued
 * per connection and written before the loop blocks, so one read that
 * relays a thousand queries makes one write per peer, not a thousand.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"
#include "wire/desc.h"

static const char *const conn_states[] = {
	"connecting", "first-line", "hs-sent", "hs-replied", "up", "http-request",
	"http-body", "dl-head", "dl-body", "dl-wait", "push-reply", "closing",
	"dead",
};

static void	conn_read_cb(struct ev_loop *, ev_io *, int);
static void	conn_write_cb(struct ev_loop *, ev_io *, int);
static void	conn_timer_cb(struct ev_loop *, ev_timer *, int);

const char *
conn_state_name(enum conn_state s)
{
	return conn_states[s];
}

/* The one place a connection changes state. */
void
conn_set_state(struct conn *c, enum conn_state s)
{
	log_trace(TRACE_NET, "conn %u: %s -> %s", c->id,
	    conn_states[c->state], conn_states[s]);
	/* The uploads sending a body, among which upload_rate is shared
	 * (httpd.c). */
	if (c->state == CONN_HTTP_BODY && s != CONN_HTTP_BODY)
		c->g->up_sending--;
	else if (c->state != CONN_HTTP_BODY && s == CONN_HTTP_BODY)
		c->g->up_sending++;
	c->state = s;
}

/* (Re)arm the connection's one deadline, ms from now. */
void
conn_timer_set(struct conn *c, uint64_t ms)
{
	c->timer.repeat = (ev_tstamp)ms / 1000.0;
	ev_timer_again(c->g->loop, &c->timer);
}

/* A connection on fd (non-blocking), accepted or being dialled. */
struct conn *
conn_new(struct gnet *g, int fd, int outgoing, uint32_t ip, uint16_t port)
{
	struct conn		*c = xcalloc_aligned(64, sizeof *c);
	struct sockaddr_in	 sin;
	socklen_t		 slen = sizeof sin;

	c->g = g;
	c->id = ++g->next_id;
	if (c->id == 0)
		c->id = ++g->next_id;
	c->fd = fd;
	c->outgoing = outgoing;
	c->ip = ip;
	c->port = port;
	c->state = outgoing ? CONN_CONNECTING : CONN_FIRST;
	c->started = c->last_rx = gnet_now(g);
	c->agent = xstrdup("");
	if (getsockname(fd, (struct sockaddr *)&sin, &slen) == 0)
		c->local_ip = ntohl(sin.sin_addr.s_addr);
	/* conn_send keeps the queue under send_queue; the margin is for the
	 * handshake, a Bye, and deflate's worst case. */
	buf_init(&c->in, NET_IN_MAX);
	buf_init(&c->out, (size_t)g->conf->send_queue + NET_OUT_SLACK);
	buf_init(&c->pend, (size_t)g->conf->send_queue + NET_OUT_SLACK);
	buf_init(&c->zrest, sizeof g->rbuf);
	ev_io_init(&c->rio, conn_read_cb, fd, EV_READ);
	ev_io_init(&c->wio, conn_write_cb, fd, EV_WRITE);
	ev_init(&c->timer, conn_timer_cb);
	c->rio.data = c->wio.data = c->timer.data = c;
	if (outgoing) {
		ev_io_start(g->loop, &c->wio);
		c->writing = 1;
	} else
		ev_io_start(g->loop, &c->rio);
	conn_timer_set(c, (uint64_t)g->conf->handshake_timeout * 1000);
	c->next = g->conns;
	g->conns = c;
	c->hnext = g->byid[c->id % CONN_BUCKETS];
	g->byid[c->id % CONN_BUCKETS] = c;
	log_trace(TRACE_NET, "conn %u: %s %s:%u", c->id,
	    outgoing ? "dialling" : "accepted",
	    inet_ntoa((struct in_addr){ htonl(ip) }), port);
	return c;
}

struct conn *
conn_find(struct gnet *g, uint32_t id)
{
	struct conn	*c;

	for (c = g->byid[id % CONN_BUCKETS]; c != NULL; c = c->hnext)
		if (c->id == id)
			return c->state != CONN_DEAD ? c : NULL;
	return NULL;
}

static void
conn_zfree(struct conn *c)
{
	if (c->zin != NULL) {
		inflateEnd(c->zin);
		free(c->zin);
		c->zin = NULL;
	}
	if (c->zout != NULL) {
		deflateEnd(c->zout);
		free(c->zout);
		c->zout = NULL;
	}
}

/* Free a dead connection: the reaper's job, outside every callback. */
void
conn_free(struct conn *c)
{
	struct conn	**cp = &c->g->byid[c->id % CONN_BUCKETS];

	while (*cp != NULL && *cp != c)
		cp = &(*cp)->hnext;
	if (*cp == c)
		*cp = c->hnext;
	conn_zfree(c);
	buf_free(&c->in);
	buf_free(&c->out);
	buf_free(&c->pend);
	buf_free(&c->zrest);
	free(c->agent);
	free(c);
}

/* Close now, without a Bye. The core forgets the peer if it knew it. */
void
conn_kill(struct conn *c, const char *why)
{
	struct gnet	*g = c->g;

	if (c->state == CONN_DEAD)
		return;
	/* A peer that never came up (a refused handshake) costs no info
	 * line: whoever floods us chooses how many of those there are. */
	if (!c->http && c->was_up &&
	    (c->state == CONN_UP || c->state == CONN_CLOSING))
		log_info("peer %u %s:%u: closed: %s", c->id,
		    inet_ntoa((struct in_addr){ htonl(c->ip) }), c->port, why);
	else
		log_debug("conn %u: closed: %s", c->id, why);
	if (c->in_core) {
		c->in_core = 0;
		node_peer_down(g->node, c->id);
	}
	if (c->http)
		http_closed(c);
	if (c->dl)
		download_closed(c);
	if (c->aux == CONN_AUX_PPROXY)
		push_proxy_closed(c);
	ev_io_stop(g->loop, &c->rio);
	ev_io_stop(g->loop, &c->wio);
	ev_timer_stop(g->loop, &c->timer);
	close(c->fd);
	c->fd = -1;
	dialer_result(g, c, 0);
	conn_set_state(c, CONN_DEAD);
}

/* Stop reading; write what is queued (a Bye, a refusal), then close. */
void
conn_linger(struct conn *c, const char *why)
{
	if (c->state == CONN_DEAD || c->state == CONN_CLOSING)
		return;
	if (c->state == CONN_UP)
		log_info("peer %u %s:%u: closing: %s", c->id,
		    inet_ntoa((struct in_addr){ htonl(c->ip) }), c->port, why);
	if (c->in_core) {
		c->in_core = 0;
		node_peer_down(c->g->node, c->id);
	}
	ev_io_stop(c->g->loop, &c->rio);
	conn_set_state(c, CONN_CLOSING);
	conn_timer_set(c, NET_LINGER_MS);
	conn_flush(c);
}

/* Close with a Bye when the peer is up; a handshake is simply dropped. */
void
conn_bye(struct conn *c, uint16_t code, const char *why)
{
	if (c->in_core)
		node_peer_bye(c->g->node, c->id, code, why);	/* -> linger */
	else
		conn_kill(c, why);
}

/* Queue bytes as they are, bypassing flow control and compression. */
void
conn_write_raw(struct conn *c, const void *p, size_t len)
{
	buf_append(&c->out, p, len);
}

/*
 * The core's send. Past half the send queue a query is dropped (queries
 * are the traffic a slow peer can best do without); past all of it the
 * peer is marked and closed with Bye 502 once the core has returned.
 */
void
conn_send(struct conn *c, const uint8_t *p, size_t len)
{
	struct gnet	*g = c->g;
	size_t		 queued, limit = (size_t)g->conf->send_queue;

	if (c->state != CONN_UP && !(c->state == CONN_CLOSING &&
	    len > DESC_HDR_LEN && p[16] == DESC_BYE))
		return;
	queued = c->out.len + c->pend.len;
	/* Before dropping anything, give the socket a chance: a peer that
	 * reads promptly should not lose queries because one read of ours
	 * relayed a thousand at once. Not when it is known to be full. */
	if (queued + len > limit / 2 && !c->writing && p[16] != DESC_BYE) {
		conn_flush(c);
		if (c->state != CONN_UP)
			return;
		queued = c->out.len + c->pend.len;
	}
	if (p[16] != DESC_BYE) {
		if (queued + len > limit) {
			c->overflow = 1;
			c->dropped++;
			g->stats.flow_dropped++;
			return;
		}
		if (p[16] == DESC_QUERY && queued > limit / 2) {
			c->dropped++;
			g->stats.flow_dropped++;
			return;
		}
	}
	buf_append(c->zout != NULL ? &c->pend : &c->out, p, len);
	c->tx_msgs++;
}

/* Deflate the pending plain bytes into out, ending with a sync flush so
 * the peer can decode every message we queued. */
static int
conn_deflate(struct conn *c)
{
	z_stream	*z = c->zout;
	uint8_t		*dst;
	size_t		 room;
	int		 rc;

	if (c->pend.len == 0)
		return 0;
	z->next_in = (Bytef *)(uintptr_t)buf_head(&c->pend);
	z->avail_in = (uInt)c->pend.len;
	do {
		room = c->pend.len / 2 + 1024;
		if ((dst = buf_space(&c->out, room)) == NULL)
			return -1;
		z->next_out = dst;
		z->avail_out = (uInt)room;
		rc = deflate(z, Z_SYNC_FLUSH);
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			return -1;
		buf_added(&c->out, room - z->avail_out);
	} while (z->avail_out == 0);
	buf_consume(&c->pend, c->pend.len);
	buf_shrink(&c->pend, NET_KEEP_BUF);
	return 0;
}

/* Write what is queued, as much as the socket takes; the rest waits for
 * the socket to be writable. */
void
conn_flush(struct conn *c)
{
	struct gnet	*g = c->g;
	ssize_t		 n;

	if (c->state == CONN_DEAD || c->state == CONN_CONNECTING)
		return;
	if (c->zout != NULL && conn_deflate(c) != 0) {
		conn_kill(c, "deflate failed");
		return;
	}
	while (c->out.len > 0) {
		n = send(c->fd, buf_head(&c->out), c->out.len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			conn_kill(c, strerror(errno));
			return;
		}
		buf_consume(&c->out, (size_t)n);
		c->tx_bytes += (uint64_t)n;
		g->stats.tx_bytes += (uint64_t)n;
	}
	if (c->out.len > 0 || (c->state == CONN_HTTP_BODY &&
	    http_write(c) == 1)) {
		if (c->state != CONN_DEAD && !c->writing) {
			ev_io_start(g->loop, &c->wio);
			c->writing = 1;
		}
		return;
	}
	if (c->state == CONN_DEAD)
		return;
	buf_shrink(&c->out, NET_KEEP_BUF);
	if (c->writing) {
		ev_io_stop(g->loop, &c->wio);
		c->writing = 0;
	}
	if (c->state == CONN_CLOSING)
		conn_kill(c, "flushed");
}

static void
conn_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn	*c = w->data;
	int		 err = 0;
	socklen_t	 len = sizeof err;
	GNET_LOG_AS(c->g);

	(void)loop;
	(void)revents;
	if (c->state != CONN_CONNECTING) {
		conn_flush(c);
		if (c->http_more)
			http_read(c);
		return;
	}
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
	if (err != 0) {
		conn_kill(c, strerror(err));
		return;
	}
	ev_io_stop(c->g->loop, &c->wio);
	c->writing = 0;
	if (c->dl)
		download_connected(c);
	else if (c->aux != CONN_AUX_NONE)
		push_connected(c);
	else
		conn_hs_start(c);
}

/* Hand whole descriptors in the input buffer to the core, as long as the
 * peer's read budget lasts. */
void
conn_parse(struct conn *c)
{
	struct gnet		*g = c->g;
	struct desc		 d;
	const uint8_t		*p;
	size_t			 used = 0, total;
	enum wire_status	 st;

	while (c->state == CONN_UP && !c->bud_over &&
	    c->in.len - used >= DESC_HDR_LEN) {
		p = buf_head(&c->in) + used;
		if ((st = desc_decode(p, DESC_HDR_LEN, &d)) != WIRE_OK) {
			conn_bye(c, 400, "Message Too Large");
			break;
		}
		total = DESC_HDR_LEN + (size_t)d.len;
		if (c->in.len - used < total)
			break;
		c->rx_msgs++;
		c->rx_desc = p;
		c->rx_len = total;
		if (node_recv(g->node, c->id, p, total))
			budget_spend(c, 0, total);
		c->rx_desc = NULL;
		used += total;
	}
	buf_consume(&c->in, used);
	buf_shrink(&c->in, NET_KEEP_BUF);
}

/*
 * Stream bytes of an established connection, inflated if need be: 64 KiB
 * of output at a time, each parsed before the next, until the input is
 * used up or the peer's read budget is; then what is left of the input
 * waits in zrest for the next second (budget.c). With len 0 it only
 * drains what inflate holds back from the last call.
 */
void
conn_feed(struct conn *c, const uint8_t *p, size_t len)
{
	z_stream	*z = c->zin;
	uint8_t		*dst;
	size_t		 room = 65536, got;
	int		 rc;

	if (z == NULL) {
		if (buf_append(&c->in, p, len) != 0) {
			conn_bye(c, 400, "Message Too Large");
			return;
		}
		conn_parse(c);
		return;
	}
	z->next_in = (Bytef *)(uintptr_t)p;
	z->avail_in = (uInt)len;
	while (c->state == CONN_UP && !c->bud_over) {
		if ((dst = buf_space(&c->in, room)) == NULL) {
			conn_bye(c, 400, "Message Too Large");
			return;
		}
		z->next_out = dst;
		z->avail_out = (uInt)room;
		rc = inflate(z, Z_SYNC_FLUSH);
		got = room - z->avail_out;
		buf_added(&c->in, got);
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			conn_bye(c, 501, "Protocol Desynchronized");
			return;
		}
		budget_spend(c, got, 0);
		conn_parse(c);
		/* Done when inflate had room to spare: it has given all it
		 * could from this input. */
		if (z->avail_out > 0)
			break;
	}
	if (c->state == CONN_UP && z->avail_in > 0 &&
	    budget_keep(c, z->next_in, z->avail_in) != 0)
		conn_bye(c, 400, "Message Too Large");
}

static void
conn_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn	*c = w->data;
	struct gnet	*g = c->g;
	uint8_t		*dst;
	ssize_t		 n;
	GNET_LOG_AS(g);

	(void)loop;
	(void)revents;
	if (c->state == CONN_UP || c->dl) {
		n = recv(c->fd, g->rbuf, sizeof g->rbuf, 0);
		dst = g->rbuf;
	} else {
		if ((dst = buf_space(&c->in, 4096)) == NULL) {
			if (c->http)	/* pipelined past our input bound */
				conn_kill(c, "HTTP input overflow");
			else
				conn_refuse(c, 413, "Header too large");
			return;
		}
		n = recv(c->fd, dst, 4096, 0);
	}
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		conn_kill(c, strerror(errno));
		return;
	}
	if (n == 0) {
		conn_kill(c, "closed by peer");
		return;
	}
	c->rx_bytes += (uint64_t)n;
	g->stats.rx_bytes += (uint64_t)n;
	c->last_rx = gnet_now(g);
	if (c->dl) {
		download_read(c, dst, (size_t)n);
		return;
	}
	switch (c->state) {
	case CONN_UP:
		conn_feed(c, dst, (size_t)n);
		break;
	case CONN_FIRST:
		buf_added(&c->in, (size_t)n);
		conn_on_first(c);
		break;
	case CONN_HS_SENT:
		buf_added(&c->in, (size_t)n);
		conn_on_reply(c);
		break;
	case CONN_HS_REPLIED:
		buf_added(&c->in, (size_t)n);
		conn_on_ack(c);
		break;
	case CONN_HTTP_REQ:
		buf_added(&c->in, (size_t)n);
		http_read(c);
		break;
	case CONN_HTTP_BODY:
		buf_added(&c->in, (size_t)n);	/* pipelined: after the body */
		break;
	case CONN_PUSH_REPLY:
		buf_added(&c->in, (size_t)n);
		push_proxy_reply(c);
		break;
	default:
		break;
	}
}

/* Handshake deadline, idle timeout, or the end of lingering. */
static void
conn_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct conn	*c = w->data;
	struct gnet	*g = c->g;
	uint64_t	 now = gnet_now(g), idle;
	GNET_LOG_AS(g);

	(void)loop;
	(void)revents;
	switch (c->state) {
	case CONN_UP:
		idle = (uint64_t)g->conf->idle_timeout * 1000;
		if (now - c->last_rx < idle) {
			conn_timer_set(c, idle - (now - c->last_rx));
			return;
		}
		conn_bye(c, 405, "Activity Timeout");
		break;
	case CONN_CLOSING:
		conn_kill(c, "linger timeout");
		break;
	case CONN_HTTP_REQ:
	case CONN_HTTP_BODY:
		http_timeout(c);
		break;
	case CONN_DL_HEAD:
	case CONN_DL_BODY:
	case CONN_DL_WAIT:
		download_timeout(c);
		break;
	case CONN_FIRST:
	case CONN_HS_REPLIED:
	case CONN_HS_SENT:
		/* A handshake that did not finish: an incoming one (a silent
		 * connection, or a partial "GNUTELLA CONNECT"; anything
		 * else went to HTTP at its first byte, with its own 408),
		 * or our CONNECT that got no answer, where the status line
		 * stands in for our third step: say why before closing. */
		conn_refuse(c, 408, "Handshake Timeout");
		break;
	default:
		conn_kill(c, "handshake timeout");
		break;
	}
}
