/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * upload.c: what a request for a shared file gets. The file is found in
 * the index by SHA-1 or by index number (and its name must match), then
 * opened by the path the index holds and checked against the size and
 * modification time the index recorded: a file that changed since it was
 * hashed is not served under its old URN. Upload slots are held per
 * connection; requests beyond them are queued (PARQ) or told to retry.
 */
#include <sys/random.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "lib/base32.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "share/share.h"
#include "share/tt.h"
#include "wire/thex.h"
#include "xfer/upload.h"

struct slot {
	uint32_t	 conn;		/* 0: free */
	int64_t		 vtime;		/* its holder's place (queued.vtime) */
	uint64_t	 last_ms;	/* its holder's last request */
	/* Free, but kept for its last holder until then: a client that
	 * was given the THEX tree on it closes, to fetch the data on a
	 * fresh connection. */
	int		 thex_given;
	uint32_t	 kept_ip;
	uint64_t	 kept_until;
	struct upload_info info;
};

struct queued {
	char		 id[17];	/* 16 hex digits */
	uint32_t	 ip;
	uint64_t	 expire;	/* ms */
	int64_t		 vtime;		/* when it asked, less its head start
					 * (the queue's order), ms */
	uint64_t	 asked;		/* its last request, ms */
	unsigned	 retry_s;	/* the Retry-After it was given */
};

struct uploads {
	struct share	*share;
	struct upload_hooks hooks;
	struct slot	*slots;
	size_t		 nslots;
	struct queued	 queue[UPLOAD_QUEUE_MAX];
	size_t		 nqueue;
	uint64_t	 seq;
	struct upload_stats stats;
};

struct uploads *
uploads_new(struct share *share, size_t slots, const struct upload_hooks *h)
{
	struct uploads	*u = xcalloc(1, sizeof *u);

	u->share = share;
	if (h != NULL)
		u->hooks = *h;
	u->nslots = slots > 0 ? slots : 1;
	u->slots = xcalloc(u->nslots, sizeof *u->slots);
	return u;
}

void
uploads_free(struct uploads *u)
{
	if (u == NULL)
		return;
	free(u->slots);
	free(u);
}

/* Headers every answer carries, then the caller's, then the blank line. */
static void
upload_head(struct upload_reply *r, int code, const char *reason,
    const struct hs_field *extra, size_t nextra)
{
	struct hs_field	 f[24];
	size_t		 n = 0, i;

	f[n].name = "Server";
	f[n++].value = "gnode/" PACKAGE_VERSION;
	for (i = 0; i < nextra && n < sizeof f / sizeof f[0] - 1; i++)
		f[n++] = extra[i];
	if (r->close) {
		f[n].name = "Connection";
		f[n++].value = "close";
	}
	r->code = code;
	r->headlen = http_format_response(r->head, sizeof r->head, code, reason,
	    f, n);
}

/* A 416: the range is not here. Content-Range names the size (its text
 * in buf), after the n fields fl holds (room for two more). */
static void
upload_416(struct upload_reply *r, const char *reason, uint64_t size,
    char *buf, size_t cap, struct hs_field *fl, size_t n)
{
	snprintf(buf, cap, "bytes */%llu", (unsigned long long)size);
	fl[n].name = "Content-Range";
	fl[n++].value = buf;
	fl[n].name = "Content-Length";
	fl[n++].value = "0";
	upload_head(r, 416, reason, fl, n);
}

/* An answer with no body (errors, HEAD of an error). */
void
upload_error(struct upload_reply *r, int code, const char *reason)
{
	struct hs_field	 f[2];

	r->fd = -1;
	r->len = 0;
	r->body = NULL;
	r->close = r->close || code >= 400;
	f[0].name = "Content-Length";
	f[0].value = "0";
	upload_head(r, code, reason, f, 1);
}

static struct slot *
upload_slot_of(struct uploads *u, uint32_t conn)
{
	size_t	 i;

	for (i = 0; i < u->nslots; i++)
		if (u->slots[i].conn == conn)
			return &u->slots[i];
	return NULL;
}

static void
upload_queue_expire(struct uploads *u, uint64_t now)
{
	size_t	 i = 0;

	while (i < u->nqueue) {
		if (u->queue[i].expire <= now) {
			memmove(&u->queue[i], &u->queue[i + 1],
			    (u->nqueue - i - 1) * sizeof u->queue[0]);
			u->nqueue--;
		} else
			i++;
	}
}

/*
 * Whether a queued requester still comes back: it asked again within
 * twice its Retry-After and UPLOAD_GRACE_MS. One that went away (it got
 * the file elsewhere, or gave up) keeps its place should it return, but
 * holds no slot back from those who are asking.
 */
static int
upload_live(const struct queued *q, uint64_t now)
{
	return now <= q->asked + (uint64_t)q->retry_s * 2000 +
	    UPLOAD_GRACE_MS;
}

/* How many of the first n queued still come back. */
static size_t
upload_live_before(const struct uploads *u, size_t n, uint64_t now)
{
	size_t	 i, k = 0;

	for (i = 0; i < n && i < u->nqueue; i++)
		if (upload_live(&u->queue[i], now))
			k++;
	return k;
}

/* The first queued requester that still comes back, or NULL. */
static const struct queued *
upload_live_head(const struct uploads *u, uint64_t now)
{
	size_t	 i;

	for (i = 0; i < u->nqueue; i++)
		if (upload_live(&u->queue[i], now))
			return &u->queue[i];
	return NULL;
}

/* A requester's place in the queue: when it asks, less its head start. */
static int64_t
upload_vtime(struct uploads *u, uint32_t ip, uint64_t now)
{
	unsigned	 hs = u->hooks.head_start != NULL ?
			    u->hooks.head_start(u->hooks.arg, ip) : 0;

	return (int64_t)now - (int64_t)hs * 1000;
}

/* Copy up to 16 fields a 503 carries as well (a partial's ranges). */
static size_t
upload_also(struct hs_field *f, const struct hs_field *also, size_t n)
{
	if (n > 16)
		n = 16;
	if (n > 0)
		memcpy(f, also, n * sizeof *f);
	return n;
}

/*
 * A slot for conn, or NULL with the reply set to 503. A request that
 * names its PARQ entry keeps its place; the head of the queue (or anyone,
 * when nobody waits) gets a free slot. The queue is in the order of
 * vtime: when each asked, less its head start; a holder whose place is
 * behind the queue's head gives its slot up at its next request.
 */
static struct slot *
upload_slot_take(struct uploads *u, const struct http_req *req, uint32_t ip,
    uint32_t conn, uint64_t now, const struct hs_field *also, size_t nalso,
    struct upload_reply *r)
{
	struct http_queued	 q;
	struct hs_field		 f[4 + 16];
	struct slot		*s;
	const struct queued	*head;
	const char		*v;
	char			 xq[128], retry[16];
	size_t			 i, pos = u->nqueue, nfree = 0;
	uint64_t		 rnd;
	int64_t			 vt = 0;
	int			 held = 0;

	upload_queue_expire(u, now);
	if ((v = hs_get(&req->hs, "X-Queued")) != NULL &&
	    http_parse_queued(v, &q) == 0)
		for (i = 0; i < u->nqueue; i++)
			if (u->queue[i].ip == ip &&
			    strcmp(u->queue[i].id, q.id) == 0) {
				pos = i;
				break;
			}
	for (i = 0; i < u->nslots; i++) {
		s = &u->slots[i];
		if (s->conn != 0 || (s->kept_until > now && s->kept_ip != ip))
			continue;
		if (s->kept_until > now) {
			/* Its own, kept since it closed: back at once (out
			 * of the queue, if it had a place there too). */
			vt = s->vtime;
			if (pos < u->nqueue) {
				memmove(&u->queue[pos], &u->queue[pos + 1],
				    (u->nqueue - pos - 1) *
				    sizeof u->queue[0]);
				u->nqueue--;
			}
			goto take;
		}
		nfree++;
	}
	if ((s = upload_slot_of(u, conn)) != NULL) {
		s->last_ms = now;
		/* Between two requests, when every slot is taken, a holder
		 * gives its slot up to one waiting with a better place (it
		 * gave us more), and waits in its own place. */
		if (nfree > 0 || (head = upload_live_head(u, now)) == NULL ||
		    head->vtime >= s->vtime)
			return s;
		vt = s->vtime;
		memset(s, 0, sizeof *s);
		held = 1;
		goto queue;
	}
	/* A free slot goes to the first nfree of those still asking. */
	if (pos < u->nqueue && upload_live_before(u, pos, now) < nfree) {
		/* Its turn: leave the queue, take the slot. */
		vt = u->queue[pos].vtime;
		memmove(&u->queue[pos], &u->queue[pos + 1],
		    (u->nqueue - pos - 1) * sizeof u->queue[0]);
		u->nqueue--;
		pos = 0;
	} else if (pos == u->nqueue &&
	    upload_live_before(u, u->nqueue, now) < nfree) {
		vt = upload_vtime(u, ip, now);
		pos = 0;
	} else
		goto queue;
	for (i = 0; i < u->nslots; i++) {
		s = &u->slots[i];
		if (s->conn == 0 && s->kept_until <= now)
			goto take;
	}
	goto queue;
take:
	memset(s, 0, sizeof *s);
	s->conn = conn;
	s->vtime = vt;
	s->last_ms = now;
	s->info.conn = conn;
	s->info.ip = ip;
	s->info.started_ms = now;
	return s;
queue:
	if (pos == u->nqueue) {
		if (u->nqueue == UPLOAD_QUEUE_MAX ||
		    hs_get(&req->hs, "X-Queue") == NULL) {
			snprintf(retry, sizeof retry, "%u", UPLOAD_RETRY_S);
			f[0].name = "Retry-After";
			f[0].value = retry;
			f[1].name = "Content-Length";
			f[1].value = "0";
			r->fd = -1;
			upload_head(r, 503, "Busy", f, 2 + upload_also(f + 2,
			    also, nalso));
			return NULL;
		}
		/* In the order of when they asked, less the head start
		 * of what each gave us (xfer/credit.h); one that gave its
		 * slot up keeps the place it had. */
		if (!held)
			vt = upload_vtime(u, ip, now);
		for (pos = 0; pos < u->nqueue && u->queue[pos].vtime <= vt;
		    pos++)
			;
		memmove(&u->queue[pos + 1], &u->queue[pos],
		    (u->nqueue - pos) * sizeof u->queue[0]);
		/* Unguessable, so nobody takes another's place. */
		if (getrandom(&rnd, sizeof rnd, 0) != sizeof rnd)
			rnd = ++u->seq * 0x9e3779b97f4a7c15ull ^ now;
		snprintf(u->queue[pos].id, sizeof u->queue[pos].id, "%016llx",
		    (unsigned long long)rnd);
		u->queue[pos].ip = ip;
		u->queue[pos].vtime = vt;
		u->nqueue++;
	}
	u->queue[pos].expire = now + UPLOAD_QUEUE_LIFE_S * 1000;
	u->queue[pos].asked = now;
	memset(&q, 0, sizeof q);
	q.position = (uint32_t)pos + 1;
	q.length = (uint32_t)u->nqueue;
	q.lifetime = UPLOAD_QUEUE_LIFE_S;
	/* The next to be served ask again soon: a slot may free any time. */
	u->queue[pos].retry_s = q.position <= u->nslots ?
	    UPLOAD_RETRY_NEXT_S : UPLOAD_RETRY_S;
	q.eta = q.position <= u->nslots ? u->queue[pos].retry_s :
	    UPLOAD_RETRY_S * q.position;
	q.flags = HTTP_Q_LENGTH | HTTP_Q_ETA | HTTP_Q_LIFETIME;
	memcpy(q.id, u->queue[pos].id, sizeof u->queue[pos].id);
	http_format_queued(xq, sizeof xq, &q);
	snprintf(retry, sizeof retry, "%u", u->queue[pos].retry_s);
	f[0].name = "X-Queued";
	f[0].value = xq;
	f[1].name = "Retry-After";
	f[1].value = retry;
	f[2].name = "Content-Length";
	f[2].value = "0";
	r->fd = -1;
	upload_head(r, 503, "Queued", f, 3 + upload_also(f + 3, also, nalso));
	return NULL;
}

/* The indexed file a target names: 1, 0 (not shared), -1 (index error). */
static int
upload_lookup(struct uploads *u, const struct http_target *t,
    struct share_file *f)
{
	int	 rc;

	if (t->kind == HTTP_T_GET) {
		rc = share_by_id(u->share, t->index, f);
		if (rc == 1 && strcmp(f->name, t->name) != 0)
			rc = 0;
	} else
		rc = share_by_sha1(u->share, t->sha1, f);
	if (rc == 1 && !f->has_sha1)
		rc = 0;
	return rc;
}

/* Open the file the index names, refusing one that changed since. */
static int
upload_open(const struct share_file *f)
{
	struct stat	 sb;
	int		 fd;

	if ((fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return -1;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (uint64_t)sb.st_size != f->size ||
	    (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec !=
	    f->mtime_ns) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	return fd;
}

/* A tree as the DIME body of r: 0, or -1 if it cannot be written. */
static int
upload_thex_body(struct upload_reply *r, uint64_t size, const uint8_t *tth,
    unsigned depth, const uint8_t *nodes, size_t nnodes)
{
	char	 uuid[64];
	size_t	 cap, len;

	thex_uuid(tth, uuid, sizeof uuid);
	cap = thex_size(size, depth, nnodes, uuid);
	r->body = cap > 0 ? xmalloc(cap) : NULL;
	len = cap > 0 ? thex_encode(size, depth, nodes, nnodes, uuid, r->body,
	    cap) : 0;
	if (len == 0) {
		free(r->body);
		r->body = NULL;
		return -1;
	}
	r->len = len;
	return 0;
}

/* The THEX tree of a file as a DIME body, computed once and saved. */
static int
upload_thex(struct uploads *u, const struct share_file *f,
    struct upload_reply *r)
{
	uint8_t		*nodes = NULL;
	size_t		 nnodes = 0;
	unsigned	 depth;
	int		 fd, got;

	if (!f->has_tth)
		return -1;
	if (share_thex_get(u->share, f->id, &depth, &nodes, &nnodes) != 1) {
		if ((fd = upload_open(f)) < 0)
			return -1;
		got = tt_file_levels(fd, f->size, tt_good_depth(f->size),
		    &nodes, &nnodes);
		close(fd);
		if (got < 0)
			return -1;
		depth = (unsigned)got;
		if (memcmp(nodes, f->tth, TTH_LEN) != 0) {
			free(nodes);
			return -1;
		}
		share_thex_put(u->share, f->id, depth, nodes, nnodes);
	}
	got = upload_thex_body(r, f->size, f->tth, depth, nodes, nnodes);
	free(nodes);
	return got;
}

/* A THEX answer's head, and its body unless HEAD; a slot the connection
 * holds is kept a moment for its next one (upload_done). */
static void
upload_thex_answer(struct uploads *u, uint32_t conn, struct upload_reply *r,
    int head, struct hs_field *fl, size_t n)
{
	struct slot	*s = upload_slot_of(u, conn);
	char		 clen[24];

	if (s != NULL)
		s->thex_given = 1;
	snprintf(clen, sizeof clen, "%llu", (unsigned long long)r->len);
	fl[n].name = "Content-Type";
	fl[n++].value = "application/dime";
	fl[n].name = "Content-Length";
	fl[n++].value = clen;
	if (head) {
		free(r->body);
		r->body = NULL;
		r->len = 0;
	}
	upload_head(r, 200, "OK", fl, n);
	u->stats.served++;
}

/* The mesh's fields: X-Alt, X-Falt to a requester that reads it, and
 * where a Push reaches us when we are firewalled. */
static size_t
upload_mesh_fields(struct uploads *u, const struct http_req *req,
    const uint8_t *sha1, uint32_t ip, struct hs_field *fl, char *buf,
    size_t cap)
{
	struct upload_mesh	 m;
	const char		*feat;
	size_t			 n = 0, off = 0, len;

	if (u->hooks.mesh == NULL)
		return 0;
	u->hooks.mesh(u->hooks.arg, sha1, ip, &req->hs, &m);
	feat = hs_get(&req->hs, "X-Features");
	if (feat == NULL || !http_has_feature(feat, "fwalt"))
		m.nfalt = 0;
	if (m.nalt > 0 && (len = http_format_xalt(buf + off, cap - off,
	    m.alt, m.nalt)) > 0) {
		fl[n].name = "X-Alt";
		fl[n++].value = buf + off;
		off += len + 1;
	}
	if (m.nfalt > 0 && (len = falt_format(buf + off, cap - off, m.falt,
	    m.nfalt)) > 0) {
		fl[n].name = "X-Falt";
		fl[n++].value = buf + off;
		off += len + 1;
	}
	if (m.firewalled && (len = falt_format(buf + off, cap - off, &m.self,
	    1)) > 0) {
		fl[n].name = "X-FW-Node-Info";
		fl[n++].value = buf + off;
		off += len + 1;
		if (m.self.npp > 0 && (len = http_format_xalt(buf + off,
		    cap - off, m.self.pp, m.self.npp)) > 0) {
			fl[n].name = "X-Push-Proxy";
			fl[n++].value = buf + off;
		}
	}
	return n;
}

/*
 * A request for a file we are downloading: 0 when answered (206 with the
 * verified bytes from the asked offset on, never more than that range
 * holds; 416 when the offset is in none), -1 when we have none of it.
 */
static int
upload_partial(struct uploads *u, const struct http_req *req, uint32_t ip,
    uint32_t conn, uint64_t now, const struct http_target *t,
    struct upload_reply *r)
{
	const uint8_t		*sha1 = t->sha1;
	struct upload_partial	 p;
	struct hs_field		 fl[16];
	struct slot		*s;
	const char		*range;
	char			 urn[HUGE_URN_SHA1_LEN + 1], avail[1400];
	char			 clen[24], crange[80], mesh[2048], tth[48];
	char			 thex[160];
	uint64_t		 first, last;
	size_t			 n = 0, i;
	int			 head = req->method == HTTP_M_HEAD;

	if (u->hooks.partial == NULL ||
	    u->hooks.partial(u->hooks.arg, sha1, &p) != 1)
		return -1;
	if (p.nranges == 0 || p.size == 0) {
		close(p.fd);
		return -1;
	}
	snprintf(r->name, sizeof r->name, "%s", p.name);
	r->size = p.size;
	huge_format_sha1(sha1, urn, sizeof urn);
	fl[n].name = "X-Gnutella-Content-URN";
	fl[n++].value = urn;
	if (t->kind == HTTP_T_N2X) {
		/* The tree it came with: what every part is checked by. */
		close(p.fd);
		if (p.tree == NULL || upload_thex_body(r, p.size, p.tth,
		    p.depth, p.tree, p.ntree) != 0)
			return -1;
		upload_thex_answer(u, conn, r, head, fl, n);
		return 0;
	}
	if (p.tree != NULL) {
		base32_encode(p.tth, TTH_LEN, tth, sizeof tth);
		snprintf(thex, sizeof thex, "/uri-res/N2X?%s;%s", urn, tth);
		fl[n].name = "X-Thex-URI";
		fl[n++].value = thex;
	}
	if (http_format_avail(avail, sizeof avail,
	    (const uint64_t (*)[2])p.ranges, p.nranges) > 0) {
		fl[n].name = "X-Available-Ranges";
		fl[n++].value = avail;
	}
	n += upload_mesh_fields(u, req, sha1, ip, fl + n, mesh, sizeof mesh);
	first = 0;
	last = p.size - 1;
	range = hs_get(&req->hs, "Range");
	if (range != NULL && http_parse_range(range, p.size, &first,
	    &last) == -2)
		i = p.nranges;
	else
		for (i = 0; i < p.nranges; i++)
			if (p.ranges[i][0] <= first && first <= p.ranges[i][1])
				break;
	if (i == p.nranges) {
		/* Not a byte of it passed its check here yet: what we
		 * have is in X-Available-Ranges. */
		close(p.fd);
		r->close = 1;
		upload_416(r, "Requested Range Not Available", p.size, crange,
		    sizeof crange, fl, n);
		u->stats.refused++;
		return 0;
	}
	/* Less than asked, maybe: as far as this verified range goes. */
	if (last > p.ranges[i][1])
		last = p.ranges[i][1];
	if (!head && (s = upload_slot_take(u, req, ip, conn, now, fl, n,
	    r)) == NULL) {
		close(p.fd);
		u->stats.refused++;
		return 0;
	}
	if (head) {
		close(p.fd);
		p.fd = -1;
	}
	r->fd = p.fd;
	r->off = first;
	r->len = last - first + 1;
	fl[n].name = "Content-Type";
	fl[n++].value = "application/binary";
	snprintf(clen, sizeof clen, "%llu", (unsigned long long)r->len);
	fl[n].name = "Content-Length";
	fl[n++].value = clen;
	snprintf(crange, sizeof crange, "bytes %llu-%llu/%llu",
	    (unsigned long long)first, (unsigned long long)last,
	    (unsigned long long)p.size);
	fl[n].name = "Content-Range";
	fl[n++].value = crange;
	upload_head(r, 206, "Partial Content", fl, n);
	if (head) {
		r->len = 0;
		return 0;
	}
	s = upload_slot_of(u, conn);
	snprintf(s->info.name, sizeof s->info.name, "%s", p.name);
	s->info.size = p.size;
	s->info.requests++;
	u->stats.served++;
	return 0;
}

/* Answer one request. */
void
upload_answer(struct uploads *u, const struct http_req *req, uint32_t ip,
    uint32_t conn, uint64_t now, struct upload_reply *r)
{
	struct http_target	 t;
	struct share_file	 f;
	struct slot		*s;
	struct hs_field		 fl[16], mf[4];
	const char		*range;
	char			 urn[HUGE_URN_SHA1_LEN + 1], tth[48], thex[160];
	char			 clen[24], crange[80], mesh[2048];
	uint64_t		 first = 0, last = 0;
	size_t			 n = 0, nm;
	int			 rc, partial = 0, head;

	memset(r, 0, sizeof *r);
	r->fd = -1;
	r->close = hs_is(&req->hs, "Connection", "close") ||
	    (req->hs.major == 1 && req->hs.minor == 0 &&
	    !hs_is(&req->hs, "Connection", "keep-alive"));
	if (req->method == HTTP_M_OTHER) {
		upload_error(r, 501, "Not Implemented");
		goto refused;
	}
	head = req->method == HTTP_M_HEAD;
	if (http_parse_target(req->target, &t) != 0) {
		upload_error(r, 400, "Bad Request");
		goto refused;
	}
	if (t.kind == HTTP_T_OTHER || u->share == NULL ||
	    (rc = upload_lookup(u, &t, &f)) == 0) {
		if ((t.kind == HTTP_T_N2R || t.kind == HTTP_T_N2X) &&
		    upload_partial(u, req, ip, conn, now, &t, r) == 0)
			return;
		upload_error(r, 404, "Not Found");
		goto refused;
	}
	if (rc < 0) {
		upload_error(r, 500, "Internal Server Error");
		goto refused;
	}
	snprintf(r->name, sizeof r->name, "%s", f.name);
	r->size = f.size;
	huge_format_sha1(f.sha1, urn, sizeof urn);
	fl[n].name = "X-Gnutella-Content-URN";
	fl[n++].value = urn;
	if (t.kind == HTTP_T_N2X) {
		if (upload_thex(u, &f, r) != 0) {
			upload_error(r, 404, "Not Found");
			goto refused;
		}
		upload_thex_answer(u, conn, r, head, fl, n);
		return;
	}
	if ((range = hs_get(&req->hs, "Range")) != NULL) {
		rc = http_parse_range(range, f.size, &first, &last);
		if (rc == -2) {
			r->fd = -1;
			upload_416(r, "Range Not Satisfiable", f.size, crange,
			    sizeof crange, fl, n);
			goto refused;
		}
		partial = rc == 0;
	}
	/* A 503 carries the mesh too: who waits can fetch elsewhere. */
	nm = upload_mesh_fields(u, req, f.sha1, ip, mf, mesh, sizeof mesh);
	if (!head && (s = upload_slot_take(u, req, ip, conn, now, mf, nm,
	    r)) == NULL)
		goto refused;
	if (!partial) {
		first = 0;
		last = f.size > 0 ? f.size - 1 : 0;
	}
	if (!head && (r->fd = upload_open(&f)) < 0) {
		log_warnx("upload: %s: %s (rescan to share it again)", f.path,
		    errno == ESTALE ? "changed since it was indexed" :
		    strerror(errno));
		upload_error(r, errno == ESTALE ? 404 : 500, errno == ESTALE ?
		    "Not Found" : "Internal Server Error");
		goto refused;
	}
	r->off = first;
	r->len = f.size == 0 ? 0 : last - first + 1;
	if (f.has_tth) {
		base32_encode(f.tth, TTH_LEN, tth, sizeof tth);
		snprintf(thex, sizeof thex, "/uri-res/N2X?%s;%s", urn, tth);
		fl[n].name = "X-Thex-URI";
		fl[n++].value = thex;
	}
	memcpy(fl + n, mf, nm * sizeof mf[0]);
	n += nm;
	fl[n].name = "Content-Type";
	fl[n++].value = "application/binary";
	snprintf(clen, sizeof clen, "%llu", (unsigned long long)r->len);
	fl[n].name = "Content-Length";
	fl[n++].value = clen;
	if (partial) {
		snprintf(crange, sizeof crange, "bytes %llu-%llu/%llu",
		    (unsigned long long)first, (unsigned long long)last,
		    (unsigned long long)f.size);
		fl[n].name = "Content-Range";
		fl[n++].value = crange;
	}
	upload_head(r, partial ? 206 : 200, partial ? "Partial Content" : "OK",
	    fl, n);
	if (head) {
		r->len = 0;
		return;
	}
	s = upload_slot_of(u, conn);
	snprintf(s->info.name, sizeof s->info.name, "%s", f.name);
	s->info.size = f.size;
	s->info.requests++;
	u->stats.served++;
	return;
refused:
	u->stats.refused++;
}

void
upload_sent(struct uploads *u, uint32_t conn, uint64_t bytes)
{
	struct slot	*s = upload_slot_of(u, conn);

	u->stats.bytes += bytes;
	if (s != NULL)
		s->info.sent += bytes;
}

void
upload_done(struct uploads *u, uint32_t conn)
{
	struct slot	*s = upload_slot_of(u, conn);
	uint32_t	 ip;
	uint64_t	 last;
	int64_t		 vt;
	int		 keep;

	if (s == NULL)
		return;
	ip = s->info.ip;
	last = s->last_ms;
	vt = s->vtime;
	keep = s->thex_given;
	memset(s, 0, sizeof *s);
	if (keep) {
		s->kept_ip = ip;
		s->kept_until = last + UPLOAD_KEEP_MS;
		s->vtime = vt;
	}
}

size_t
uploads_list(struct uploads *u, struct upload_info *out, size_t max)
{
	size_t	 i, n = 0;

	for (i = 0; i < u->nslots && n < max; i++)
		if (u->slots[i].conn != 0)
			out[n++] = u->slots[i].info;
	return n;
}

void
uploads_stats(struct uploads *u, struct upload_stats *st)
{
	size_t	 i;

	*st = u->stats;
	st->slots = u->nslots;
	st->active = 0;
	for (i = 0; i < u->nslots; i++)
		if (u->slots[i].conn != 0)
			st->active++;
	st->queued = u->nqueue;
}
