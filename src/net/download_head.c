/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * download_head.c: what an answer's head says, and what the download does
 * about it: a 206 whose Content-Range starts where we asked and ends
 * inside the ask is ours (a source may send less); a range outside the
 * ask, a Content-Length that disagrees, or bytes where the next status
 * line should be ban the source for the file; X-Alt and X-Falt sources
 * join (mesh.c); X-Thex-URI and the Tiger root; X-Available-Ranges;
 * 404/410, 416 with ranges, and 503 (download_queue.c) each handled.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"
#include "wire/http.h"
#include "xfer/dl.h"

#define GDL_THEX_MAX	(4 * 1024 * 1024)	/* a THEX body we accept */
#define GDL_RANGES_MAX	64		/* X-Available-Ranges kept */
#define GDL_PARTIAL_MS	1000		/* a partial source with nothing new */
#define GDL_AVAIL_MS	2000		/* its ranges are asked for again */

/* Whether bytes that should open an answer cannot be its status line. */
static int
gdl_not_http(const uint8_t *p, size_t len)
{
	return strncasecmp((const char *)p, "HTTP/", len < 5 ? len : 5) != 0;
}

/* Take what the answer says the source has (X-Available-Ranges); none
 * means the whole file. 0, or -1 if it has nothing we lack. */
static int
gdl_avail(struct conn *c, struct gdl *gd, const struct hs *h)
{
	uint64_t	 r[GDL_RANGES_MAX][2];
	const char	*v;
	long		 n;
	uint32_t	 ch;

	if ((v = hs_get(h, "X-Available-Ranges")) == NULL) {
		dl_source_ranges(gd->dl, c->dl_src, NULL, 0);
		return 0;
	}
	/* A list we cannot read, or of nothing inside the file, is a
	 * source that has nothing yet. */
	if ((n = http_parse_avail(v, gd->dl->size, r, GDL_RANGES_MAX)) < 0)
		n = 0;
	dl_source_ranges(gd->dl, c->dl_src, (const uint64_t (*)[2])r,
	    (size_t)n);
	/* Counted from now, not from when this loop iteration began: a
	 * source is asked again GDL_AVAIL_MS after it spoke, never sooner
	 * (an uploader may take an early ask as ignoring its ranges). */
	dl_source_recheck(gd->dl, c->dl_src, gnet_now_fresh(c->g) +
	    GDL_AVAIL_MS);
	for (ch = 0; ch < gd->dl->nchunks; ch++)
		if (gd->dl->chunks[ch].state != DL_CHUNK_DONE &&
		    gd->dl->chunks[ch].state != DL_CHUNK_WRITTEN &&
		    dl_source_has(gd->dl, c->dl_src, ch))
			return 0;
	return -1;
}

/* Whether the range a 206 announces is ours: it must start where we
 * asked and end inside the ask; a source may send less than asked. 1
 * ours, 0 not where we asked (try again later), -1 outside what was
 * asked (a lie). */
static int
gdl_range_ok(const struct conn *c, const struct gdl *gd, uint64_t first,
    uint64_t last, uint64_t size, uint64_t clen)
{
	if (size != gd->dl->size || first < c->dl_off ||
	    last > c->dl_off + c->dl_len - 1 ||
	    (clen != UINT64_MAX && clen != last - first + 1))
		return -1;
	return first == c->dl_off ? 1 : 0;
}

/* The response head: check it answers our request, learn X-Alt. */
void
gdl_head(struct conn *c, struct gdl *gd)
{
	struct gnet		*g = c->g;
	struct hs		*h = xmalloc(sizeof *h);
	struct http_target	 t;
	enum wire_status	 st;
	const char		*v;
	uint64_t		 first, last, size, clen;
	size_t			 used;
	int			 ok;

	st = http_parse_response(buf_head(&c->in), c->in.len, h, &used);
	if (st == WIRE_OK || st == WIRE_SHORT) {
		if (c->dl_answers > 0 && gdl_not_http(buf_head(&c->in),
		    c->in.len)) {
			/* Where the next answer should start, more of the last
			 * one's body: it was longer than its Content-Length. */
			gdl_overrun(c, gd);
			goto out;
		}
		if (st == WIRE_SHORT)
			goto out;
	} else {
		if (c->dl_answers > 0) {
			gdl_overrun(c, gd);
			goto out;
		}
		dl_source_failed(gd->dl, c->dl_src, DL_FAIL_CONNECT, gnet_now(g));
		c->dl_busy = 0;
		conn_kill(c, "download: bad response head");
		goto out;
	}
	buf_consume(&c->in, used);
	v = hs_get(h, "Connection");
	c->dl_close = v != NULL ? strcasecmp(v, "close") == 0 :
	    (h->major == 1 && h->minor == 0);
	mesh_learn(c, gd, h);
	if ((v = hs_get(h, "X-Thex-URI")) != NULL && strlen(v) <
	    sizeof c->dl_thex_uri && http_parse_target(v, &t) == 0 &&
	    t.kind == HTTP_T_N2X && memcmp(t.sha1, gd->dl->sha1,
	    SHA1_LEN) == 0) {
		snprintf(c->dl_thex_uri, sizeof c->dl_thex_uri, "%s", v);
		if (!gd->dl->has_tth && t.has_tth) {
			/* No hit gave a root: take the source's word for it;
			 * the SHA-1 check at the end still stands. */
			memcpy(gd->dl->tth, t.tth, TTH_LEN);
			gd->dl->has_tth = 1;
		}
	}
	if ((v = hs_get(h, "X-Gnutella-Content-URN")) != NULL &&
	    strncasecmp(v, gd->urn, strlen(gd->urn)) != 0) {
		dl_source_failed(gd->dl, c->dl_src, DL_FAIL_GONE, gnet_now(g));
		c->dl_busy = 0;
		conn_kill(c, "download: source serves another URN");
		goto out;
	}
	clen = (v = hs_get(h, "Content-Length")) != NULL ?
	    strtoull(v, NULL, 10) : UINT64_MAX;
	/* A THEX answer's ranges are news too (what it said last is what
	 * its uploader holds us to); one without them says nothing of the
	 * file. */
	if (c->dl_thex && hs_get(h, "X-Available-Ranges") != NULL)
		(void)gdl_avail(c, gd, h);
	if (!c->dl_thex && gdl_avail(c, gd, h) != 0) {
		/* A partial source with nothing we lack: come back later,
		 * when it may have more. */
		c->dl_busy = 0;
		dl_source_wait(gd->dl, c->dl_src, gnet_now(g) +
		    GDL_PARTIAL_MS);
		conn_kill(c, "download: the source has nothing we lack");
		goto out;
	}
	if (h->code == 503) {
		gdl_busy(c, gd, h, clen);
		goto out;
	}
	/* A tree it does not have says nothing of the file. */
	if ((h->code == 404 || h->code == 410) && !c->dl_thex) {
		dl_source_failed(gd->dl, c->dl_src, DL_FAIL_GONE, gnet_now(g));
		c->dl_busy = 0;
		conn_kill(c, "download: source does not have it");
		goto out;
	}
	if (h->code == 416 && !c->dl_thex &&
	    hs_get(h, "X-Available-Ranges") != NULL) {
		/* It lacks what we asked, and said what it has: the next
		 * request asks for that. If what it says it has covers what
		 * it refused, it is not telling the truth: back off. */
		c->dl_busy = 0;
		if (dl_source_reach(gd->dl, c->dl_src, c->dl_off) > c->dl_off)
			dl_source_failed(gd->dl, c->dl_src, DL_FAIL_CONNECT,
			    gnet_now(g));
		else
			dl_source_idle(gd->dl, c->dl_src);
		conn_kill(c, "download: the source lacks that range");
		goto out;
	}
	if (c->dl_thex) {
		if (h->code != 200 || clen == 0 || clen > GDL_THEX_MAX) {
			c->dl_thex = 0;
			/* Another source may have it: not this one again. */
			c->dl_thex_uri[0] = '\0';
			gd->thex_tried = 0;
			/* No tree from it; a body we do not read ends the
			 * connection (the source is not blamed). */
			if (clen != 0 && clen != UINT64_MAX)
				conn_kill(c, "download: no THEX tree from it");
			else
				gdl_next(c, gd);
			goto out;
		}
		c->dl_left = clen;
	} else {
		ok = 0;
		if (h->code == 206 && (v = hs_get(h, "Content-Range")) != NULL &&
		    http_parse_content_range(v, &first, &last, &size) == 0)
			ok = gdl_range_ok(c, gd, first, last, size, clen);
		else if (h->code == 200 && c->dl_off == 0 &&
		    c->dl_len == gd->dl->size && clen == gd->dl->size) {
			ok = 1;
			last = c->dl_len - 1;
		}
		if (ok < 0) {
			log_info("download %lld: %s:%u answered %s, outside "
			    "what was asked; banned for this file",
			    (long long)gd->dl->id,
			    inet_ntoa((struct in_addr){ htonl(c->ip) }),
			    c->port, v != NULL ? v : "?");
			c->dl_busy = 0;
			dl_source_ban(gd->dl, c->dl_src);
			gdl_save_source(g, gd, c->dl_src);
			conn_kill(c, "download: a range outside what was asked");
			goto out;
		}
		if (ok == 0) {
			dl_source_failed(gd->dl, c->dl_src, DL_FAIL_CONNECT,
			    gnet_now(g));
			c->dl_busy = 0;
			log_info("download %lld: %s:%u answered %d, not our "
			    "range", (long long)gd->dl->id,
			    inet_ntoa((struct in_addr){ htonl(c->ip) }),
			    c->port, h->code);
			conn_kill(c, "download: unexpected answer");
			goto out;
		}
		/* Served: a queue place, if we had one, is spent. */
		dl_source_unqueue(gd->dl, c->dl_src);
		c->dl_left = last - c->dl_off + 1;
		if (last + 1 < c->dl_off + c->dl_len && !c->dl_close) {
			gdl_pipe(c, gd, last + 1);
			if (c->state == CONN_DEAD)
				goto out;	/* the write failed */
		}
	}
	conn_set_state(c, CONN_DL_BODY);
	conn_timer_set(c, GDL_BODY_MS);
	c->dl_got = 0;
	c->dl_answers++;
out:
	free(h);
}
