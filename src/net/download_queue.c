/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * download_queue.c: the PARQ client. A source that answers 503 Queued
 * (X-Queued: position, length, lifetime, ID) keeps a place for us; we ask
 * again no sooner than its Retry-After (gtk-gnutella drops an early
 * request) and before the place's lifetime ends, with the same ID, on
 * the same connection when the source keeps it open, and never hang up
 * and redial in a loop (it drops such clients: "too many
 * disconnections"). A source may also call us back on the listening port
 * ("QUEUE <ID> <ip>:<port>") when our slot is ready; the GET then goes
 * out on that connection.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "net/net_impl.h"
#include "wire/http.h"
#include "xfer/dl.h"

#define GDL_RETRY_DEFAULT 30		/* s, a 503 without Retry-After */
#define GDL_BUSY_MIN	5		/* s, the least wait for a plain 503 */
#define GDL_REQUEUE_MS	5000		/* hold a queue place this long more */
#define GDL_SKIP_MAX	65536		/* a 503's body we read past */
#define GDL_QLINE_MAX	256		/* a QUEUE callback line */

/*
 * 503: busy, or a place in its PARQ queue. A queued place is kept: the
 * ID goes back with the next request, made no sooner than Retry-After
 * (gtk-gnutella drops an early one) and before the place's lifetime
 * ends, on this connection if the source keeps it open, so that no
 * hang-up counts against us ("too many disconnections").
 */
void
gdl_busy(struct conn *c, struct gdl *gd, const struct hs *h, uint64_t clen)
{
	struct gnet		*g = c->g;
	struct http_queued	 q;
	const char		*v;
	uint64_t		 now = gnet_now(g), life;
	int			 retry;

	retry = (v = hs_get(h, "Retry-After")) != NULL ? atoi(v) : 0;
	retry = retry < 1 ? GDL_RETRY_DEFAULT : retry > 3600 ? 3600 : retry;
	c->dl_busy = 0;
	if ((v = hs_get(h, "X-Queued")) == NULL ||
	    http_parse_queued(v, &q) != 0) {
		/* Busy with no place kept: a new connection later, and not
		 * sooner than GDL_BUSY_MIN whatever it says. */
		if (retry < GDL_BUSY_MIN)
			retry = GDL_BUSY_MIN;
		dl_source_wait(gd->dl, c->dl_src, now + (uint64_t)retry * 1000);
		conn_kill(c, "download: source busy");
		return;
	}
	/* A place in its queue: as soon as it says, on this connection. */
	dl_source_wait(gd->dl, c->dl_src, now + (uint64_t)retry * 1000);
	/* Without a lifetime, PARQ keeps a place 300 s past a retry. */
	life = (q.flags & HTTP_Q_LIFETIME) ? (uint64_t)q.lifetime * 1000 :
	    (uint64_t)retry * 1000 + 300000;
	dl_source_queued(gd->dl, c->dl_src, q.id, q.position,
	    (q.flags & HTTP_Q_LENGTH) ? q.length : 0, now + life);
	log_info("download %lld: queued at %s:%u, %u of %u; asking again in "
	    "%d s", (long long)gd->dl->id,
	    inet_ntoa((struct in_addr){ htonl(c->ip) }), c->port, q.position,
	    (q.flags & HTTP_Q_LENGTH) ? q.length : 0, retry);
	if (c->dl_close || clen > GDL_SKIP_MAX) {
		conn_kill(c, "download: queued; the source closes");
		return;
	}
	c->dl_skip = clen == UINT64_MAX ? 0 : clen;
	conn_set_state(c, CONN_DL_WAIT);
	conn_timer_set(c, (uint64_t)retry * 1000);
	gd->waiting++;
}

/* A queued connection's Retry-After is up: ask again on it. */
void
gdl_requeue(struct conn *c, struct gdl *gd)
{
	struct dl_source	*s = &gd->dl->src[c->dl_src];
	uint32_t		 chunk;
	uint64_t		 off, len, now = gnet_now(c->g);

	if (s->status == DL_SRC_BACKOFF && s->until <= now &&
	    dl_pick_for(gd->dl, c->dl_src, now, &chunk, &off, &len) == 1) {
		if (gd->waiting > 0)
			gd->waiting--;	/* it leaves DL_WAIT here */
		gdl_take_run(c, gd, chunk, off);
		gdl_request_chunk(c, gd);
		return;
	}
	/* Every missing chunk is being fetched by someone else: hold the
	 * place a little longer while it lasts, else let it go. */
	if ((gd->dl->state == DL_ACTIVE || gd->dl->state == DL_QUEUED) &&
	    s->queue_until > now + GDL_REQUEUE_MS &&
	    (s->status == DL_SRC_BACKOFF || s->status == DL_SRC_USABLE)) {
		conn_timer_set(c, GDL_REQUEUE_MS);
		return;
	}
	dl_source_unqueue(gd->dl, c->dl_src);
	conn_kill(c, "download: nothing left for this source");
}

/* Bytes while queued: the rest of the 503's body, then nothing. */
void
gdl_wait_read(struct conn *c, struct gdl *gd, const uint8_t *p, size_t n)
{
	(void)p;
	if (n <= c->dl_skip) {
		c->dl_skip -= n;
		return;
	}
	c->dl_busy = 0;
	dl_source_unqueue(gd->dl, c->dl_src);
	conn_kill(c, "download: bytes while queued");
}

/*
 * "QUEUE <ID> <ip>:<port>" on the listening port: a source whose PARQ
 * queue we are in has a slot for us now, and opened the connection to
 * say so (we had closed ours, or it had). The GET goes back on it.
 * Returns 0 when the line was taken (the connection is a download's
 * now, or closed), 1 when more bytes are needed.
 */
int
download_queue_callback(struct conn *c)
{
	struct gnet	*g = c->g;
	struct gdl	*gd;
	const char	*p = (const char *)buf_head(&c->in), *eol;
	char		 line[GDL_QLINE_MAX + 1], id[DL_QID_MAX + 1];
	size_t		 s, len;
	uint32_t	 chunk;
	uint64_t	 off, dlen, now = gnet_now(g);

	if ((eol = memchr(p, '\n', c->in.len)) == NULL) {
		if (c->in.len > GDL_QLINE_MAX)
			conn_kill(c, "QUEUE: line too long");
		return c->state == CONN_DEAD ? 0 : 1;
	}
	len = (size_t)(eol - p);
	if (len > GDL_QLINE_MAX) {
		conn_kill(c, "QUEUE: line too long");
		return 0;
	}
	memcpy(line, p, len);
	line[len] = '\0';
	buf_consume(&c->in, len + 1);
	if (sscanf(line, "QUEUE %64s", id) != 1) {
		conn_kill(c, "QUEUE: malformed");
		return 0;
	}
	for (gd = g->downloads; gd != NULL; gd = gd->next) {
		if (gd->fd < 0)
			continue;
		for (s = 0; s < gd->dl->nsrc; s++)
			if (gd->dl->src[s].queue_id[0] != '\0' &&
			    strcasecmp(gd->dl->src[s].queue_id, id) == 0 &&
			    gd->dl->src[s].ip == c->ip)
				goto found;
	}
	log_info("QUEUE from %s: no download queued there under %s",
	    inet_ntoa((struct in_addr){ htonl(c->ip) }), id);
	conn_kill(c, "QUEUE: unknown ID");
	return 0;
found:
	if (!gdl_host_free(g, &gd->dl->src[s])) {
		conn_kill(c, "QUEUE: a connection to that host is open");
		return 0;
	}
	/* The place is ready: the source is usable at once. */
	if (gd->dl->src[s].status == DL_SRC_BACKOFF)
		dl_source_wait(gd->dl, s, now);
	if (dl_pick_for(gd->dl, s, now, &chunk, &off, &dlen) != 1) {
		conn_kill(c, "QUEUE: nothing left for this source");
		return 0;
	}
	log_info("download %lld: %s:%u called us back from its queue",
	    (long long)gd->dl->id, inet_ntoa((struct in_addr){ htonl(c->ip) }),
	    gd->dl->src[s].port);
	c->port = gd->dl->src[s].port;
	gdl_adopt(c, gd, s, chunk, off);
	return 0;
}

/* A connection the source opened to us (a QUEUE call-back, a GIV) is
 * the download's now: its run from chunk at off is asked for on it. */
void
gdl_adopt(struct conn *c, struct gdl *gd, size_t s, uint32_t chunk,
    uint64_t off)
{
	c->dl = 1;
	c->http = 0;
	c->dl_id = (uint32_t)gd->dl->id;
	c->dl_src = s;
	gd->conns++;
	gd->dl->state = DL_ACTIVE;
	buf_consume(&c->in, c->in.len);
	gdl_take_run(c, gd, chunk, off);
	gdl_request_chunk(c, gd);
}

/* The best PARQ place a download holds, for `downloads`, while no
 * source is sending: 0 when it holds none. */
void
gdl_queue_place(struct gnet *g, const struct gdl *gd, uint32_t *pos,
    uint32_t *len)
{
	const struct dl_source	*s;
	uint64_t		 now = gnet_now(g);
	size_t			 i;

	*pos = *len = 0;
	if (gd->dl->state != DL_ACTIVE && gd->dl->state != DL_QUEUED)
		return;
	for (i = 0; i < gd->dl->nsrc; i++)
		if (gd->dl->src[i].status == DL_SRC_BUSY)
			return;
	for (i = 0; i < gd->dl->nsrc; i++) {
		s = &gd->dl->src[i];
		if (s->queue_id[0] == '\0' || s->queue_until <= now ||
		    s->queue_pos == 0 || (*pos != 0 && s->queue_pos >= *pos))
			continue;
		*pos = s->queue_pos;
		*len = s->queue_len;
	}
}
