/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * download.c: swarming downloads on net/ connections. Each download
 * (xfer/dl.c holds its chunks and sources) gets up to GDL_CONNS HTTP
 * connections, at most one per source host, each fetching a run of
 * chunks (up to GDL_RUN_BYTES) with one Range request and keep-alive. A
 * source may answer with less than asked: what came is kept and the rest
 * asked for at once, pipelined behind the short answer. A chunk is
 * written to the partial file as it comes and, once whole, handed to
 * download_check.c to be checked against the Tiger tree level (fetched
 * as THEX from a source, over the same connection) on the verifier
 * thread while the connection goes on with the next. What an answer's
 * head says is download_head.c's, a 503's download_queue.c's; the
 * partial file and the saved progress are download_store.c's.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "conf/conf.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"
#include "net/verify.h"
#include "wire/http.h"
#include "wire/thex.h"
#include "xfer/dl.h"

#define GDL_CONNS	8		/* connections per download */
#define GDL_RUN_BYTES	(4 * 1024 * 1024)	/* one request asks this much */

/*
 * Write "GET ... Range" for len bytes from off (or, for the THEX tree, no
 * Range), with the PARQ ID of the place we hold in the source's queue,
 * if any.
 */
static void
gdl_send(struct conn *c, struct gdl *gd, const char *target, uint64_t off,
    uint64_t dlen)
{
	struct dl_source	*s = &gd->dl->src[c->dl_src];
	struct hs_field		 f[11];
	char			 host[32], range[64], node[32], queued[120];
	char			 mesh[512];
	char			 head[2048];
	size_t			 n = 0, len;

	snprintf(host, sizeof host, "%s:%u",
	    inet_ntoa((struct in_addr){ htonl(c->ip) }), c->port);
	f[n].name = "Host";
	f[n++].value = host;
	f[n].name = "User-Agent";
	f[n++].value = "gnode/" PACKAGE_VERSION;
	if (!c->dl_thex) {
		snprintf(range, sizeof range, "bytes=%llu-%llu",
		    (unsigned long long)off,
		    (unsigned long long)(off + dlen - 1));
		f[n].name = "Range";
		f[n++].value = range;
	}
	/* PARQ 1.x: we queue, and this is where a QUEUE callback finds us. */
	f[n].name = "X-Queue";
	f[n++].value = "1.0";
	if (c->g->port != 0) {
		snprintf(node, sizeof node, "%s:%u",
		    inet_ntoa((struct in_addr){ htonl(c->g->ip) }),
		    c->g->port);
		f[n].name = "X-Node";
		f[n++].value = node;
	}
	if (s->queue_id[0] != '\0') {
		if (s->queue_until > gnet_now(c->g)) {
			snprintf(queued, sizeof queued, "position=%u; ID=%s",
			    s->queue_pos, s->queue_id);
			f[n].name = "X-Queued";
			f[n++].value = queued;
		} else
			dl_source_unqueue(gd->dl, c->dl_src);
	}
	/* A node that can take a GIV can use firewalled sources: their
	 * X-Falt is welcome (gtk-gnutella sends it only then). */
	if (!gnet_firewalled(c->g)) {
		f[n].name = "X-Features";
		f[n++].value = "fwalt/0.1";
	}
	n += mesh_request_fields(c, gd, f + n, mesh, sizeof mesh);
	f[n].name = "Connection";
	f[n++].value = "Keep-Alive";
	len = http_format_request(head, sizeof head, "GET", target, f, n);
	conn_write_raw(c, head, len);
	conn_flush(c);
}

/* Ask for the connection's run (or its THEX) and wait for the answer. */
static void
gdl_request(struct conn *c, struct gdl *gd, const char *target)
{
	/* The state first: the write may fail and kill the connection. */
	conn_set_state(c, CONN_DL_HEAD);
	conn_timer_set(c, GDL_HEAD_MS);
	c->dl_got = 0;
	c->dl_piped = 0;
	gdl_send(c, gd, target, c->dl_off, c->dl_len);
}

/* Ask for what is left of the connection's run, from dl_off. */
void
gdl_request_chunk(struct conn *c, struct gdl *gd)
{
	char	 target[80];

	c->dl_thex = 0;
	c->dl_busy = 1;
	snprintf(target, sizeof target, "/uri-res/N2R?%s", gd->urn);
	gdl_request(c, gd, target);
}

/*
 * A short answer's head came: ask for the rest of the run now, while its
 * body arrives, so the source never waits for us between two answers
 * (gtk-gnutella cuts every answer; a request and its reply per 512 KiB
 * would otherwise cost a round trip each).
 */
/* Whether the source has, by the ranges it said last, the rest of the
 * run from from: an answer cut where its ranges end is not asked on
 * for bytes it has just said it lacks. */
static int
gdl_has_rest(const struct conn *c, const struct gdl *gd, uint64_t from)
{
	return dl_source_reach(gd->dl, c->dl_src, from) >=
	    c->dl_off + c->dl_len;
}

void
gdl_pipe(struct conn *c, struct gdl *gd, uint64_t from)
{
	char	 target[80];

	if (!gdl_has_rest(c, gd, from))
		return;		/* the run ends with this answer */

	snprintf(target, sizeof target, "/uri-res/N2R?%s", gd->urn);
	gdl_send(c, gd, target, from, c->dl_off + c->dl_len - from);
	c->dl_piped = 1;
}

/* The short answer is in and the request for the rest went out with
 * its head: what follows is that answer's head. */
static void
gdl_piped(struct conn *c, struct gdl *gd)
{
	(void)gd;
	c->dl_len -= c->dl_pos - c->dl_off;
	c->dl_off = c->dl_pos;
	c->dl_piped = 0;
	c->dl_got = 0;
	conn_set_state(c, CONN_DL_HEAD);
	conn_timer_set(c, GDL_HEAD_MS);
}

/*
 * How many chunks one request may ask for: GDL_RUN_BYTES' worth, but no
 * more than a fair share of what is missing, so that near the end every
 * source still has some to fetch.
 */
static uint32_t
gdl_run_max(const struct conn *c, const struct gdl *gd)
{
	struct dl_progress	 p;
	uint64_t		 n = GDL_RUN_BYTES / gd->dl->chunk, fair;

	/* A connection's first run, before the tree is in, is one chunk:
	 * the tree is asked for after it, and until it comes no chunk is
	 * checked, so none can be shared. */
	if (!gd->dl->level && !gd->thex_tried && c->dl_answers == 0)
		return 1;
	dl_progress(gd->dl, &p);
	fair = (p.missing + 1) / (2 * (p.sources > 0 ? p.sources : 1));
	if (n > fair)
		n = fair;
	return n < 1 ? 1 : (uint32_t)n;
}

/* c's source was given chunk, whose missing bytes start at off:
 * lengthen that into a run for one request. */
void
gdl_take_run(struct conn *c, struct gdl *gd, uint32_t chunk, uint64_t off)
{
	uint64_t	 coff, clen, loff, llen, reach;
	uint32_t	 n;

	if ((n = dl_extend(gd->dl, c->dl_src, gdl_run_max(c, gd))) == 0)
		n = 1;
	dl_chunk_span(gd->dl, chunk, &coff, &clen);
	dl_chunk_span(gd->dl, chunk + n - 1, &loff, &llen);
	c->dl_chunk = chunk;
	c->dl_chunk_end = coff + clen;
	c->dl_off = off;
	c->dl_pos = off;
	c->dl_len = loff + llen - off;
	/* A partial source is asked only for as far as it has: the end of
	 * a chunk it has in part comes from another. */
	reach = dl_source_reach(gd->dl, c->dl_src, off);
	if (reach < off + c->dl_len && reach > off)
		c->dl_len = reach - off;
	c->dl_busy = 1;
}

/*
 * Whether a download may open a connection to this source: one per host
 * at a time, whatever the download, as gtk-gnutella allows
 * (max_uploads_ip = 1): a second gets "503 Another connection is still
 * active". The THEX tree and every run then share the one connection.
 */
int
gdl_host_free(void *arg, const struct dl_source *s)
{
	struct gnet	*g = arg;
	struct conn	*c;

	for (c = g->conns; c != NULL; c = c->next)
		if (c->dl && c->ip == s->ip && c->state != CONN_DEAD)
			return 0;
	return 1;
}

/* Start a connection to a source for a chunk dl_pick gave it: 0, or -1
 * when no socket can be had now. */
static int
gdl_dial(struct gnet *g, struct gdl *gd, size_t src, uint32_t chunk,
    uint64_t off)
{
	struct dl_source	*s = &gd->dl->src[src];
	struct conn		*c;
	int			 fd;

	if (s->push)
		return gdl_push(g, gd, src);
	if ((fd = dialer_socket(g, s->ip, s->port, NULL)) == -1) {
		/* No socket now (descriptors, limits): the next tick tries. */
		dl_source_idle(gd->dl, src);
		return -1;
	}
	if (fd < 0) {
		dl_source_failed(gd->dl, src, DL_FAIL_CONNECT, gnet_now(g));
		return 0;
	}
	c = conn_new(g, fd, 1, s->ip, s->port);
	c->dl = 1;
	c->dl_id = (uint32_t)gd->dl->id;
	c->dl_src = src;
	gdl_take_run(c, gd, chunk, off);
	gd->conns++;
	if (gd->dl->state == DL_QUEUED)
		gd->dl->state = DL_ACTIVE;
	return 0;
}

/* Whether the chunk c is receiving is still its own: a ban or a pause
 * gives it back, and then not one more byte of c's may land in it. */
static int
gdl_owns(const struct conn *c, const struct gdl *gd)
{
	const struct dl_chunk	*ch;

	if (!c->dl_busy || c->dl_chunk >= gd->dl->nchunks)
		return 0;
	ch = &gd->dl->chunks[c->dl_chunk];
	return ch->state == DL_CHUNK_ACTIVE && ch->src == c->dl_src;
}

/* A THEX body arrived: take the tree if it holds under the root. */
static void
gdl_thex(struct gnet *g, struct gdl *gd, const uint8_t *p, size_t len)
{
	struct thex	 t;
	long		 ch;

	if (gd->fd < 0 || (gd->dl->state != DL_ACTIVE &&
	    gd->dl->state != DL_QUEUED))
		return;		/* done, paused or cancelled meanwhile */
	if (thex_decode(p, len, &t) != WIRE_OK ||
	    dl_set_tree(gd->dl, t.nodes, t.nnodes) != 0) {
		log_info("download %lld: no usable THEX tree; the whole file "
		    "will be checked against its SHA-1", (long long)gd->dl->id);
		return;
	}
	log_info("download %lld: Tiger tree received, chunks checked from "
	    "now on", (long long)gd->dl->id);
	/* Kept, so that those who fetch the file from us can check it. */
	free(gd->tree);
	gd->tree = xmalloc(t.nnodes * THEX_NODE_LEN);
	memcpy(gd->tree, t.nodes, t.nnodes * THEX_NODE_LEN);
	gd->ntree = t.nnodes;
	gd->tree_depth = t.depth;
	for (ch = dl_next_unchecked(gd->dl, 0); ch >= 0;
	    ch = dl_next_unchecked(gd->dl, (uint32_t)ch + 1))
		gdl_verify(g, gd, (uint32_t)ch);
}

/* The connection is free: its next chunk, the THEX tree, or close. */
void
gdl_next(struct conn *c, struct gdl *gd)
{
	uint32_t	 chunk;
	uint64_t	 off, len;

	if (c->dl_close) {
		conn_kill(c, "download: the source closes after each answer");
		return;
	}
	if (c->dl_thex_uri[0] != '\0' && !gd->dl->level && !gd->thex_tried &&
	    gd->dl->has_tth) {
		gd->thex_tried = 1;
		c->dl_thex = 1;
		gdl_request(c, gd, c->dl_thex_uri);
		return;
	}
	if (dl_pick_for(gd->dl, c->dl_src, gnet_now(c->g), &chunk, &off,
	    &len) == 1) {
		gdl_take_run(c, gd, chunk, off);
		gdl_request_chunk(c, gd);
		return;
	}
	conn_kill(c, "download: nothing left for this source");
}

/*
 * The answer ended before the run did (a source may send less than was
 * asked): ask for the rest on the same connection, unless it closes.
 */
static void
gdl_rest(struct conn *c, struct gdl *gd)
{
	if (c->dl_close) {
		/* What came is kept (the chunk's fill); the run goes back,
		 * and the source is asked again on a new connection. */
		c->dl_busy = 0;
		dl_source_idle(gd->dl, c->dl_src);
		conn_kill(c, "download: the source closes after each answer");
		return;
	}
	if (!gdl_has_rest(c, gd, c->dl_pos)) {
		/* It lacks part of the rest: the run goes back (what came
		 * is kept) and the next is one it has. */
		c->dl_busy = 0;
		dl_source_idle(gd->dl, c->dl_src);
		gdl_next(c, gd);
		return;
	}
	c->dl_len -= c->dl_pos - c->dl_off;
	c->dl_off = c->dl_pos;
	gdl_request_chunk(c, gd);
}

/*
 * The current chunk's bytes are all in: on to the run's next chunk, or,
 * at the run's end, the next request. 0 while the answer goes on, -1 if
 * the connection moved on (or died).
 */
static int
gdl_chunk_in(struct conn *c, struct gdl *gd)
{
	struct gnet	*g = c->g;
	uint64_t	 off, len;

	if (dl_chunk_written(gd->dl, c->dl_chunk) == 0) {
		gd->dirty = 1;
		if (gd->dl->level != NULL)
			gdl_verify(g, gd, c->dl_chunk);
	}
	if (c->state == CONN_DEAD)
		return -1;	/* its source was banned meanwhile */
	if (c->dl_pos < c->dl_off + c->dl_len) {
		c->dl_chunk++;
		dl_chunk_span(gd->dl, c->dl_chunk, &off, &len);
		c->dl_chunk_end = off + len;
		return 0;
	}
	c->dl_busy = 0;
	if (gdl_settle(g, gd)) {
		conn_kill(c, "download complete");
		return -1;
	}
	if (gd->dl->src[c->dl_src].status == DL_SRC_BANNED) {
		conn_kill(c, "source banned for this file");
		return -1;
	}
	gdl_next(c, gd);
	return -1;
}

/* The source sent more than its answer held: a body longer than its
 * Content-Length. Nothing of it is kept, and the source is not asked
 * for this file again. */
void
gdl_overrun(struct conn *c, struct gdl *gd)
{
	log_info("download %lld: %s:%u sent more than its Content-Length; "
	    "banned for this file", (long long)gd->dl->id,
	    inet_ntoa((struct in_addr){ htonl(c->ip) }), c->port);
	c->dl_busy = 0;
	dl_source_ban(gd->dl, c->dl_src);
	gdl_save_source(c->g, gd, c->dl_src);
	conn_kill(c, "download: body longer than its Content-Length");
}

/*
 * Write all of p at off: 0, or -1 with errno from the write that failed
 * (a short write is followed by one that says why, ENOSPC on a full
 * disk; errno after a short write alone is whatever came before).
 */
static int
gdl_write(int fd, const uint8_t *p, size_t n, uint64_t off)
{
	ssize_t		 w;

	while (n > 0) {
		if ((w = pwrite(fd, p, n, (off_t)off)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = ENOSPC;
			return -1;
		}
		p += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

/*
 * Body bytes for the run (or the THEX tree): how many of the n were its.
 * What is left, when the answer ends with the rest already asked for, is
 * the next answer's head (download_read goes on with it).
 */
static size_t
gdl_body(struct conn *c, struct gdl *gd, const uint8_t *p, size_t n)
{
	uint64_t	 coff, clen;
	size_t		 take, n0 = n;
	int		 err;

	while (n > 0 && c->state == CONN_DL_BODY) {
		take = n < c->dl_left ? n : (size_t)c->dl_left;
		if (c->dl_thex) {
			if (buf_append(&c->in, p, take) != 0) {
				conn_kill(c, "THEX body too large");
				return n0 - n;
			}
			c->dl_got += take;
			c->dl_left -= take;
			gd->window += take;
			p += take;
			n -= take;
			if (c->dl_left > 0)
				continue;
			gdl_thex(c->g, gd, buf_head(&c->in), c->in.len);
			buf_consume(&c->in, c->in.len);
			c->dl_thex = 0;
			if (c->state == CONN_DEAD)
				return n0 - n;	/* its source lied, or the file is done */
			if (n > 0) {
				gdl_overrun(c, gd);
				return n0 - n;
			}
			/*
			 * gtk-gnutella caps each request on a connection to
			 * about 20 s of what the one before it ran at, timed
			 * in whole seconds: the tree's kilobyte would make the
			 * next cap 16 KiB, growing a quarter a request. On a
			 * new connection the first request is cut at 512 KiB
			 * and measured fairly.
			 */
			conn_kill(c, "download: THEX tree in; data on a fresh "
			    "connection");
			/* At once, not at the next tick. */
			gdl_fill(c->g, gd);
			return n0 - n;
		}
		if (!gdl_owns(c, gd)) {
			c->dl_busy = 0;
			conn_kill(c, "download: the chunk is no longer ours");
			return n0 - n;
		}
		if (take > c->dl_chunk_end - c->dl_pos)
			take = (size_t)(c->dl_chunk_end - c->dl_pos);
		if (gdl_write(gd->fd, p, take, c->dl_pos) != 0) {
			err = errno;	/* before any other call */
			if (err == ENOSPC || err == EDQUOT) {
				/* Not the source's fault: no back-off;
				 * this connection closes with the rest. */
				gdl_stall(c->g, gd, err);
				return n0 - n;
			}
			log_warnx("download %lld: %s: %s",
			    (long long)gd->dl->id, gd->part, strerror(err));
			conn_kill(c, "cannot write the partial file");
			return n0 - n;
		}
		c->dl_pos += take;
		c->dl_got += take;
		c->dl_left -= take;
		gd->window += take;
		p += take;
		n -= take;
		dl_chunk_span(gd->dl, c->dl_chunk, &coff, &clen);
		dl_chunk_fill(gd->dl, c->dl_chunk, c->dl_pos - coff);
		if (c->dl_pos == c->dl_chunk_end && gdl_chunk_in(c, gd) != 0) {
			/* The run is over: a new request went out (or the
			 * connection is gone), so bytes still here were sent
			 * before the source could have read it. */
			if (n > 0 && c->state != CONN_DEAD)
				gdl_overrun(c, gd);
			return n0 - n;
		}
		if (c->dl_left == 0) {
			if (c->dl_piped && c->dl_pos < c->dl_off + c->dl_len) {
				gdl_piped(c, gd);
				return n0 - n;
			}
			if (n > 0) {
				gdl_overrun(c, gd);
				return n0 - n;
			}
			if (c->dl_pos < c->dl_off + c->dl_len) {
				gdl_rest(c, gd);
				return n0 - n;
			}
			/* All it has of this chunk is in (the run ended
			 * where the source's ranges do): the chunk keeps
			 * its fill for another source; this one goes on. */
			c->dl_busy = 0;
			dl_source_idle(gd->dl, c->dl_src);
			gdl_next(c, gd);
			return n0 - n;
		}
	}
	return n0 - n;
}

/*
 * Bytes read on a download connection: a head, the body it announces,
 * and, behind a short answer whose rest was asked for at once, the next
 * answer's head, in a loop (a source sending many tiny answers in one
 * read costs no recursion and no copy).
 */
void
download_read(struct conn *c, const uint8_t *p, size_t n)
{
	struct gdl	*gd = gdl_find(c->g, c->dl_id);
	size_t		 used, left;

	if (gd == NULL) {
		conn_kill(c, "download gone");
		return;
	}
	while (n > 0 && c->state != CONN_DEAD) {
		if (c->state == CONN_DL_BODY) {
			used = gdl_body(c, gd, p, n);
			p += used;
			n -= used;
			continue;
		}
		if (c->state == CONN_DL_WAIT) {
			gdl_wait_read(c, gd, p, n);
			return;
		}
		if (c->state != CONN_DL_HEAD) {
			conn_kill(c, "download: bytes it was not asked for");
			return;
		}
		if (buf_append(&c->in, p, n) != 0) {
			conn_kill(c, "download: response head too large");
			return;
		}
		gdl_head(c, gd);
		if (c->state != CONN_DL_BODY && c->state != CONN_DL_WAIT)
			return;	/* a head still coming, or the end */
		/* What followed the head came with these n bytes: go on
		 * with it from here, not from a copy. */
		left = c->in.len < n ? c->in.len : n;
		buf_consume(&c->in, c->in.len);
		p += n - left;
		n = left;
	}
}

/* The TCP connect to a source is done. */
void
download_connected(struct conn *c)
{
	struct gdl	*gd = gdl_find(c->g, c->dl_id);

	if (gd == NULL) {
		conn_kill(c, "download gone");
		return;
	}
	ev_io_start(c->g->loop, &c->rio);
	gdl_request_chunk(c, gd);
}

/* A download connection closed: a chunk in flight goes back. */
void
download_closed(struct conn *c)
{
	struct gdl	*gd = gdl_find(c->g, c->dl_id);

	if (gd == NULL)
		return;
	if (gd->conns > 0)
		gd->conns--;
	if (c->state == CONN_DL_WAIT && gd->waiting > 0)
		gd->waiting--;
	if (c->dl_busy && gdl_owns(c, gd)) {
		c->dl_busy = 0;
		dl_source_failed(gd->dl, c->dl_src, DL_FAIL_CONNECT,
		    gnet_now(c->g));
	} else if (gd->dl->src[c->dl_src].status == DL_SRC_BUSY)
		dl_source_idle(gd->dl, c->dl_src);
}

/* A deadline passed on a download connection. A body's deadline is a
 * stall: set once for the whole run, it is pushed on from the last byte
 * read, so a slow source that keeps sending keeps its run. */
void
download_timeout(struct conn *c)
{
	uint64_t	 idle = gnet_now(c->g) - c->last_rx;

	if (c->state == CONN_DL_BODY && idle < GDL_BODY_MS) {
		conn_timer_set(c, GDL_BODY_MS - idle);
		return;
	}
	if (c->state == CONN_DL_WAIT) {
		struct gdl	*gd = gdl_find(c->g, c->dl_id);

		if (gd == NULL)
			conn_kill(c, "download gone");
		else
			gdl_requeue(c, gd);
		return;
	}
	conn_kill(c, c->state == CONN_DL_BODY ? "download: source stalled" :
	    "download: no answer");
}

/* Connections for the chunks still missing, up to GDL_CONNS (those
 * waiting in a queue do not hold up the rest). */
void
gdl_fill(struct gnet *g, struct gdl *gd)
{
	size_t		 src;
	uint32_t	 chunk;
	uint64_t	 off, len, now = gnet_now(g);

	while (gd->conns - gd->waiting < GDL_CONNS &&
	    dl_pick_if(gd->dl, now, gdl_host_free, g, &src, &chunk, &off,
	    &len) == 1)
		if (gdl_dial(g, gd, src, chunk, off) != 0)
			break;
}

/* Once a second: rates, and connections for chunks still missing. */
void
download_tick(struct gnet *g)
{
	struct gdl	*gd;
	uint64_t	 now = gnet_now(g);

	for (gd = g->downloads; gd != NULL; gd = gd->next) {
		gd->rate = gd->rate * 0.5 + (double)gd->window * 0.5;
		gd->window = 0;
		if (gd->dirty && (!gd->save_failed || now >= gd->retry_at))
			gdl_save(g, gd);
		if (gd->unmoved && now >= gd->retry_at && !g->shutdown)
			gdl_move_retry(g, gd);
		if (g->shutdown || gd->fd < 0)
			continue;
		if (gd->dl->state == DL_STALLED && now >= gd->retry_at)
			gdl_space_check(g, gd);
		gdl_fill(g, gd);
		/* Every chunk is in: queue places are of no more use. */
		if (gd->dl->state == DL_VERIFYING && gd->waiting > 0 &&
		    gd->conns == gd->waiting)
			gdl_close_conns(g, gd);
		if (gd->dl->state == DL_VERIFYING && gd->conns == 0)
			gdl_finish(g, gd);
	}
}
