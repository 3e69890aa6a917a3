/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * httpd.c: HTTP on the node's port, the serving side: read a request
 * head (bounded by the codec's limits and by NET_HTTP_HEAD_MS), let
 * xfer/upload.c decide the answer, then send the head and the body, a
 * file range with sendfile(2), and go back for the next request when the
 * client keeps the connection alive.
 */
#include <sys/sendfile.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"
#include "xfer/upload.h"

/* The least share of a refill an upload is given (bytes): below it,
 * many uploads under a low cap would send in crumbs. */
#define HTTP_SHARE_MIN	1024

/* Methods are case-sensitive and registered upper-case (RFC 9110 9.1):
 * "get" is not GET, nor a method anyone could mean. */
static int
http_method_ok(const char *m)
{
	for (; *m != '\0'; m++)
		if ((*m < 'A' || *m > 'Z') && *m != '-' && *m != '_')
			return 0;
	return 1;
}

/* The first line is not Gnutella's: this connection speaks HTTP now, and
 * an answer to anything else is an HTTP status line too. */
void
http_start(struct conn *c)
{
	c->http = 1;
	c->body_fd = -1;
	conn_set_state(c, CONN_HTTP_REQ);
	conn_timer_set(c, NET_HTTP_HEAD_MS);
	http_read(c);
}

/* Queue one reply; a file body is sent by http_write. */
static void
http_reply(struct conn *c, struct upload_reply *r, const struct http_req *req)
{
	/* Every request costs a line only up to a rate: the client chooses
	 * how many it sends, and a refused one costs it nothing. */
	c->g->stats.http_requests++;
	if (r->code >= 400)
		c->g->stats.http_refused++;
	/* A malformed request is the client's fault; a missing file or a
	 * full queue is not. */
	if (r->code == 400 || r->code == 413 || r->code == 431 ||
	    r->code == 501)
		ban_strike(c->g, c->ip, r->code);
	gnet_logrl(c->g, r->code >= 400 ? NET_LOG_HTTP_REFUSE : NET_LOG_HTTP,
	    "http %u %s: %s %s -> %d%s%s", c->id,
	    inet_ntoa((struct in_addr){ htonl(c->ip) }),
	    req != NULL ? req->method_name : "?",
	    req != NULL ? req->target : "(bad request)", r->code,
	    r->name[0] != '\0' ? " " : "", r->name);
	conn_write_raw(c, r->head, r->headlen);
	if (r->body != NULL) {
		conn_write_raw(c, r->body, r->len);
		free(r->body);
		r->body = NULL;
	} else if (r->fd >= 0 && r->len > 0) {
		c->body_fd = r->fd;
		c->body_off = r->off;
		c->body_left = r->len;
		conn_set_state(c, CONN_HTTP_BODY);
		conn_timer_set(c, NET_HTTP_IDLE_MS);
	} else if (r->fd >= 0)
		close(r->fd);
	if (r->close)
		c->http_close = 1;
}

/*
 * Tokens for the time since the last refill, at most a tenth of a
 * second's worth banked, so a cap is smooth rather than bursty. Each
 * refill is shared out evenly among the uploads sending a body: without
 * shares, the first connection the throttle timer flushes takes every
 * token of every tick, and the uploads behind it starve until their
 * downloaders give up (a swarm's seed served one downloader at a time).
 */
static void
http_refill(struct gnet *g)
{
	uint64_t	 now = gnet_now(g), cap = g->conf->upload_rate / 10;

	if (cap < 16384)
		cap = 16384;
	if (now <= g->up_refill && g->up_share > 0)
		return;
	if (now > g->up_refill) {
		g->up_tokens += (now - g->up_refill) * g->conf->upload_rate /
		    1000;
		if (g->up_tokens > cap)
			g->up_tokens = cap;
		g->up_refill = now;
	}
	g->up_share = g->up_tokens /
	    (g->up_sending > 0 ? g->up_sending : 1);
	if (g->up_share < HTTP_SHARE_MIN)
		g->up_share = HTTP_SHARE_MIN;
}

/* What c may send now under upload_rate: its share of this refill. */
static uint64_t
http_allowance(struct conn *c)
{
	struct gnet	*g = c->g;

	http_refill(g);
	if (c->up_epoch != g->up_refill) {
		c->up_epoch = g->up_refill;
		c->up_taken = 0;
	}
	if (g->up_tokens == 0 || c->up_taken >= g->up_share)
		return 0;
	return g->up_share - c->up_taken < g->up_tokens ?
	    g->up_share - c->up_taken : g->up_tokens;
}

static void
http_throttle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct gnet	*g = w->data;
	struct conn	*c;
	int		 any = 0;
	GNET_LOG_AS(g);

	(void)revents;
	for (c = g->conns; c != NULL; c = c->next)
		if (c->throttled && c->state == CONN_HTTP_BODY) {
			c->throttled = 0;
			conn_flush(c);
			if (c->http_more)
				http_read(c);
			any |= c->throttled;
		}
	if (!any)
		ev_timer_stop(loop, w);
}

/* The upload budget's timer (10 ms ticks while an upload waits). */
void
http_throttle_init(struct gnet *g)
{
	ev_init(&g->throttle, http_throttle_cb);
	g->throttle.repeat = 0.01;
	g->throttle.data = g;
	g->up_refill = gnet_now(g);
}

/* Send the body once the head is out: 1 while the socket is full, 0 when
 * the body is done (the connection is then back to reading requests, or
 * closing, or dead). */
static int
http_body(struct conn *c)
{
	struct gnet	*g = c->g;
	off_t		 off;
	ssize_t		 n;
	size_t		 want;
	uint64_t	 budget = 4 * NET_SENDFILE_MAX, allow;

	while (c->body_left > 0 && budget > 0) {
		want = c->body_left < NET_SENDFILE_MAX ? (size_t)c->body_left :
		    NET_SENDFILE_MAX;
		if (g->conf->upload_rate > 0) {
			if ((allow = http_allowance(c)) == 0) {
				/* The throttle timer flushes us again. */
				c->throttled = 1;
				if (!ev_is_active(&g->throttle))
					ev_timer_again(g->loop, &g->throttle);
				return 2;
			}
			if (want > allow)
				want = (size_t)allow;
		}
		off = (off_t)c->body_off;
		n = sendfile(c->fd, c->body_fd, &off, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 1;
			conn_kill(c, strerror(errno));
			return 0;
		}
		if (n == 0) {
			/* The file shrank under us: the length we promised
			 * cannot be kept, so the connection cannot either. */
			conn_kill(c, "shared file shrank while sent");
			return 0;
		}
		c->body_off += (uint64_t)n;
		c->body_left -= (uint64_t)n;
		if (g->conf->upload_rate > 0) {
			g->up_tokens -= (uint64_t)n < g->up_tokens ?
			    (uint64_t)n : g->up_tokens;
			c->up_taken += (uint64_t)n;
		}
		c->tx_bytes += (uint64_t)n;
		g->stats.tx_bytes += (uint64_t)n;
		upload_sent(g->uploads, c->id, (uint64_t)n);
		budget -= (uint64_t)n < budget ? (uint64_t)n : budget;
	}
	conn_timer_set(c, NET_HTTP_IDLE_MS);
	if (c->body_left > 0)
		return 1;	/* budget spent: let other connections run */
	close(c->body_fd);
	c->body_fd = -1;
	conn_set_state(c, CONN_HTTP_REQ);
	if (c->http_close)
		conn_linger(c, "HTTP reply sent");
	return 0;
}

/*
 * Requests in the input buffer, one at a time: parse, answer, and send
 * the body at once while the socket takes it. Returns with the body
 * pending (conn_flush resumes it through http_write) or with no request
 * left to answer.
 */
void
http_read(struct conn *c)
{
	struct gnet		*g = c->g;
	struct http_req		*req;
	struct upload_reply	*r;
	enum wire_status	 st;
	size_t			 used;

	c->http_more = 0;
	while (c->state == CONN_HTTP_REQ && !c->http_close && c->in.len > 0) {
		req = xmalloc(sizeof *req);
		st = http_parse_request(buf_head(&c->in), c->in.len, req, &used);
		if (st == WIRE_SHORT) {
			free(req);
			break;
		}
		r = xcalloc(1, sizeof *r);
		r->fd = -1;
		if (st == WIRE_TOOBIG) {
			r->close = 1;
			upload_error(r, 431, "Request Header Fields Too Large");
		} else if (st != WIRE_OK) {
			r->close = 1;
			upload_error(r, 400, "Bad Request");
		} else if (http_req_body(req) != HTTP_BODY_NONE ||
		    !http_method_ok(req->method_name)) {
			/*
			 * We read no request bodies (RFC 9112 6.3): the
			 * bytes after this head would be taken for the
			 * next request, a request the client never showed
			 * a proxy in front of us. One 400 and the end.
			 * A method that is no upper-case token ("get") is
			 * a bad request too; an unknown one gets 501.
			 */
			r->close = 1;
			upload_error(r, 400, "Bad Request");
		} else {
			buf_consume(&c->in, used);
			c->http_requests++;
			if (!push_proxy_answer(g, req, r))
				upload_answer(g->uploads, req, c->ip, c->id,
				    gnet_now(g), r);
		}
		http_reply(c, r, st == WIRE_OK ? req : NULL);
		free(r);
		free(req);
		if (c->state == CONN_HTTP_BODY) {
			/* The head goes first, then the body. */
			conn_flush(c);
			if (c->state != CONN_HTTP_REQ)
				return;
		}
		conn_timer_set(c, NET_HTTP_IDLE_MS);
	}
	if (c->state == CONN_HTTP_REQ && c->http_close)
		conn_linger(c, "HTTP reply sent");
	else
		conn_flush(c);
}

/* From conn_flush, once the head is out: go on with the body, then with
 * any request that came meanwhile. 1 while the socket is full. */
int
http_write(struct conn *c)
{
	int	 rc;

	if ((rc = http_body(c)) != 0)
		return rc;	/* 1: socket full, 2: waiting for tokens */
	if (c->state == CONN_HTTP_REQ && c->in.len > 0 && !c->http_close)
		c->http_more = 1;
	return 0;
}

/* No request head in time, or a client that stopped reading. */
void
http_timeout(struct conn *c)
{
	static const char timeout[] = "HTTP/1.1 408 Request Timeout\r\n"
	    "Content-Length: 0\r\nConnection: close\r\n\r\n";

	if (c->state == CONN_HTTP_REQ && c->in.len > 0) {
		c->g->stats.http_refused++;
		gnet_logrl(c->g, NET_LOG_HTTP_REFUSE,
		    "http %u %s: 408, no request head in time", c->id,
		    inet_ntoa((struct in_addr){ htonl(c->ip) }));
		conn_write_raw(c, timeout, sizeof timeout - 1);
		conn_linger(c, "HTTP 408");
		return;
	}
	conn_kill(c, c->state == CONN_HTTP_BODY ? "HTTP client stalled" :
	    "HTTP keep-alive ended");
}

/* The connection is gone: its file and upload slot go with it. */
void
http_closed(struct conn *c)
{
	if (c->body_fd >= 0) {
		close(c->body_fd);
		c->body_fd = -1;
	}
	upload_done(c->g->uploads, c->id);
}
