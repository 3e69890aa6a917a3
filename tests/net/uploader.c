/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * uploader.c: a test uploader for tests/dlrules.sh and bench-xfer. It
 * serves one file over real sockets the way gtk-gnutella's uploads do
 * (GET /uri-res/N2R?urn:sha1:..., the THEX tree at the X-Thex-URI it
 * names, built by gnode's own tree code, keep-alive, Content-Range,
 * X-Gnutella-Content-URN) and enforces, each behind a flag, the rules
 * real uploaders hold a downloader to:
 *   --cap BYTES [--first-cap]  every answer (or the first on a connection)
 *                      cut to BYTES: a 206 shorter than the Range asked;
 *   --one-per-ip       a second HTTP connection from a client IP while one
 *                      is open gets "503 Another connection is still
 *                      active" and Retry-After: 45 (counted: refused);
 *   --parq N           a client's first N requests for the file get
 *                      "503 Queued" with X-Queued (position counting down,
 *                      one ID per client, lifetime) and Retry-After
 *                      (--retry-after S, default 2). Coming back sooner,
 *                      later than the lifetime, or without the ID loses
 *                      the place (violations early, late, noid); hanging
 *                      up on us more than --max-hangups K times (3) while
 *                      queued drops the client (violation dropped). With
 *                      --parq-close we hang up after each 503 ourselves;
 *   --parq-callback    one 503 Queued (and we hang up), then after
 *                      --callback-after S (1) we dial the client's
 *                      listening address (its X-Node, else --callback-to)
 *                      and send "QUEUE ID IP:PORT\r\n"; the GET that comes
 *                      on that connection is served;
 *   --ranges a-b,c-d   we have only those bytes: X-Available-Ranges on
 *                      every answer, an answer cut at the end of the range
 *                      it starts in, 416 for a start we lack (as
 *                      gtk-gnutella does; violation lacking if the client
 *                      had our X-Available-Ranges already);
 *   --bad-range        every data answer's Content-Range is one byte off
 *                      what was asked (the bytes are that range's);
 *   --long-body        every data answer sends 4096 bytes more than its
 *                      Content-Length.
 * After a --bad-range or --long-body answer, a request on a new connection
 * is counted as after_bad: a downloader that banned us sends none.
 *
 * So that a node can find it without a magnet, it also answers on the same
 * port as a Gnutella 0.6 peer: it takes a node's handshake, answers pings,
 * and answers every query with one hit for its file (at its own address,
 * with the SHA-1 and the Tiger root). A node given it as a seed finds the
 * file with any search.
 *
 * One line of counters goes to stdout at exit (SIGTERM, SIGINT, --timeout,
 * --max-bytes): HTTP connections, requests, answers served, body bytes,
 * refused (second connections), queued (503 Queued), callbacks and the
 * requests that came on them, bad answers and after_bad, violations (the
 * sum of early, noid, late, dropped and lacking), max_per_ip (the most
 * HTTP connections one client IP had open at once, a refused one
 * included), gnet links and hits. --stats FILE keeps the same line there,
 * rewritten as it changes, so a script can wait on it. Everything is bounded: connections
 * (UP_MAXCONN), clients, idle time, the run (--timeout, default 600 s).
 */
#include <sys/types.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "lib/base32.h"
#include "share/hash.h"
#include "share/tt.h"
#include "wire/desc.h"
#include "wire/http.h"
#include "wire/ping.h"
#include "wire/qhit.h"
#include "wire/query.h"
#include "wire/thex.h"

#define UP_MAXCONN	64		/* connections at once, ours included */
#define UP_MAXCLIENT	32		/* client IPs remembered */
#define UP_MAXRANGES	16
#define UP_IN		(HS_MAX_BLOCK + DESC_HDR_LEN + DESC_MAX_PAYLOAD)
#define UP_IDLE_MS	60000		/* a silent connection is closed */
#define UP_SEND_MAX	(4 * 1024 * 1024)	/* one sendfile() at most */
#define UP_LONG_EXTRA	4096		/* --long-body's extra bytes */
#define UP_EARLY_SLACK	250		/* ms a timer may fire early by */
#define UP_LIFETIME	60		/* PARQ lifetime, seconds */
#define UP_CALLBACKS	3		/* QUEUE callbacks per client at most */
#define UP_BUSY_RETRY	"45"		/* gtk-gnutella's Retry-After */

enum uc_state {
	UC_FIRST,		/* nothing read yet: HTTP or Gnutella */
	UC_HTTP,		/* reading a request head */
	UC_SEND,		/* writing an answer */
	UC_GNET_HS,		/* waiting for the handshake's third step */
	UC_GNET,		/* a Gnutella link: descriptors */
	UC_DIAL,		/* our QUEUE callback, connecting */
	UC_DEAD,
};

struct uc {
	int		 fd;
	enum uc_state	 st;
	enum uc_state	 after;		/* the state once the answer is out */
	uint32_t	 ip;		/* the peer's, host order */
	int		 http;		/* has sent an HTTP request */
	int		 cb;		/* we dialled it (a QUEUE callback) */
	int		 bad;		/* we sent it a bad answer */
	int		 close_after;	/* hang up once the answer is out */
	int		 we_closed;
	uint32_t	 answers;	/* data answers served on it */
	uint8_t		*in;
	size_t		 inlen;
	char		*out;		/* head (and in-memory body) */
	size_t		 outlen, outoff;
	uint64_t	 foff, fleft;	/* file bytes after out */
	size_t		 tail;		/* garbage bytes after the file's */
	uint64_t	 last;		/* ms of the last activity */
};

struct client {
	uint32_t	 ip;
	int		 placed;	/* holds a PARQ place */
	int		 through;	/* out of the queue: served */
	unsigned	 queued;	/* 503 Queued answers so far */
	unsigned	 hangups;	/* hung up on us while placed */
	uint64_t	 last503;	/* ms */
	char		 id[33];
	uint32_t	 node_ip;	/* its listening address, for QUEUE */
	uint16_t	 node_port;
	uint64_t	 cb_at;		/* ms to call back at, 0: none due */
	unsigned	 cbs;		/* callbacks made */
	int		 bad;		/* got a bad answer from us */
	int		 told;		/* has had our X-Available-Ranges */
};

struct range {
	uint64_t	 first, last;
};

static struct {
	uint64_t	 connections, requests, served, bytes, refused, queued;
	uint64_t	 callbacks, cb_requests, bad, after_bad, early, noid;
	uint64_t	 late, dropped, lacking, gnet, hits, overflow;
	uint64_t	 max_per_ip;	/* most HTTP connections from one IP */
} st;

static struct {
	uint32_t	 ip;
	uint16_t	 port;
	const char	*path, *name, *stats;
	uint64_t	 cap;
	int		 first_cap, one_per_ip, parq_close, parq_cb;
	int		 bad_range, long_body;
	unsigned	 parq, retry, max_hangups, cb_after, timeout;
	uint64_t	 max_bytes;
	uint32_t	 cb_ip;
	uint16_t	 cb_port;
	struct range	 ranges[UP_MAXRANGES];
	size_t		 nranges;
	char		 avail[512];	/* X-Available-Ranges value */
} opt;

/* The file. */
static int		 file_fd = -1;
static uint64_t		 file_size;
static uint8_t		 file_sha1[SHA1_LEN], file_tth[TTH_LEN];
static char		 file_urn[HUGE_URN_SHA1_LEN + 1], thex_uri[160];
static uint8_t		*thex_body;
static size_t		 thex_len;
static uint8_t		 servent_guid[16];

static struct uc	 conns[UP_MAXCONN];
static struct client	 clients[UP_MAXCLIENT];
static size_t		 nclients;
static volatile sig_atomic_t quit;
static int		 dirty = 1;	/* counters changed since written */

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "uploader: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

static uint64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static const char *
ipstr(uint32_t ip)
{
	static char	 s[4][16];
	static int	 k;
	struct in_addr	 a = { htonl(ip) };

	k = (k + 1) % 4;
	snprintf(s[k], sizeof s[k], "%s", inet_ntoa(a));
	return s[k];
}

/* --- counters ------------------------------------------------------------- */

static int
counters(char *buf, size_t cap)
{
	uint64_t	 v = st.early + st.noid + st.late + st.dropped +
			    st.lacking;

	return snprintf(buf, cap, "uploader %s:%u: connections=%llu"
	    " requests=%llu served=%llu bytes=%llu refused=%llu queued=%llu"
	    " callbacks=%llu cb_requests=%llu bad=%llu after_bad=%llu"
	    " violations=%llu early=%llu noid=%llu late=%llu dropped=%llu"
	    " lacking=%llu max_per_ip=%llu gnet=%llu hits=%llu overflow=%llu\n",
	    ipstr(opt.ip), opt.port,
	    (unsigned long long)st.connections,
	    (unsigned long long)st.requests, (unsigned long long)st.served,
	    (unsigned long long)st.bytes, (unsigned long long)st.refused,
	    (unsigned long long)st.queued, (unsigned long long)st.callbacks,
	    (unsigned long long)st.cb_requests, (unsigned long long)st.bad,
	    (unsigned long long)st.after_bad, (unsigned long long)v,
	    (unsigned long long)st.early, (unsigned long long)st.noid,
	    (unsigned long long)st.late, (unsigned long long)st.dropped,
	    (unsigned long long)st.lacking,
	    (unsigned long long)st.max_per_ip, (unsigned long long)st.gnet,
	    (unsigned long long)st.hits, (unsigned long long)st.overflow);
}

/* Rewrite --stats FILE (a temporary file renamed over it, so a reader
 * never sees half a line). */
static void
stats_write(void)
{
	char	 line[1024], tmp[4096];
	FILE	*f;

	if (opt.stats == NULL || !dirty)
		return;
	dirty = 0;
	counters(line, sizeof line);
	snprintf(tmp, sizeof tmp, "%s.tmp", opt.stats);
	if ((f = fopen(tmp, "w")) == NULL)
		return;
	fputs(line, f);
	if (fclose(f) == 0)
		rename(tmp, opt.stats);
}

/* --- clients ---------------------------------------------------------------- */

static struct client *
client_of(uint32_t ip)
{
	struct client	*c;
	size_t		 i;

	for (i = 0; i < nclients; i++)
		if (clients[i].ip == ip)
			return &clients[i];
	if (nclients == UP_MAXCLIENT)
		return &clients[UP_MAXCLIENT - 1];	/* bounded: shared */
	c = &clients[nclients++];
	memset(c, 0, sizeof *c);
	c->ip = ip;
	/* One PARQ ID per client, fixed for the run. */
	snprintf(c->id, sizeof c->id, "%08X%08X%08X%08X", ip, opt.ip,
	    (unsigned)opt.port, (unsigned)nclients);
	return c;
}

static void
client_unplace(struct client *c)
{
	c->placed = 0;
	c->queued = 0;
	c->hangups = 0;
	c->cb_at = 0;
}

/* --- connections -------------------------------------------------------------- */

static struct uc *
uc_new(int fd, uint32_t ip, enum uc_state s)
{
	size_t	 i;

	for (i = 0; i < UP_MAXCONN; i++)
		if (conns[i].fd < 0) {
			memset(&conns[i], 0, sizeof conns[i]);
			conns[i].fd = fd;
			conns[i].ip = ip;
			conns[i].st = s;
			conns[i].in = malloc(UP_IN);
			if (conns[i].in == NULL)
				die("out of memory");
			conns[i].last = now_ms();
			return &conns[i];
		}
	return NULL;
}

static void
uc_close(struct uc *u, int by_us)
{
	struct client	*c;

	if (u->fd < 0)
		return;
	if (u->http && !by_us && !u->we_closed) {
		c = client_of(u->ip);
		if (c->placed && !c->through && ++c->hangups > opt.max_hangups) {
			/* gtk-gnutella: "too many disconnections" */
			st.dropped++;
			client_unplace(c);
			dirty = 1;
		}
	}
	close(u->fd);
	free(u->in);
	free(u->out);
	memset(u, 0, sizeof *u);
	u->fd = -1;
}

/* How many other HTTP connections from this IP are still open. A peer
 * that hung up but whose EOF we have not read yet does not count. */
static unsigned
uc_others(const struct uc *self)
{
	char		 b;
	size_t		 i;
	ssize_t		 n;
	unsigned	 k = 0;

	for (i = 0; i < UP_MAXCONN; i++) {
		if (&conns[i] == self || conns[i].fd < 0 || !conns[i].http ||
		    conns[i].ip != self->ip)
			continue;
		n = recv(conns[i].fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN &&
		    errno != EWOULDBLOCK)) {
			uc_close(&conns[i], 0);
			continue;
		}
		k++;
	}
	return k;
}

/* Queue bytes to write (after what is queued already). */
static void
uc_put(struct uc *u, const void *p, size_t len)
{
	char	*o;

	if ((o = realloc(u->out, u->outlen + len)) == NULL)
		die("out of memory");
	memcpy(o + u->outlen, p, len);
	u->out = o;
	u->outlen += len;
	u->st = UC_SEND;
}

/* --- HTTP ----------------------------------------------------------------------- */

/* An answer head with our usual headers and the extra ones. */
static void
answer(struct uc *u, int code, const char *reason, struct hs_field *extra,
    size_t nextra, uint64_t clen)
{
	struct hs_field	 f[24];
	char		 head[4096], len[24];
	size_t		 n = 0, i, hl;

	f[n].name = "Server";
	f[n++].value = "gnode-test-uploader";
	f[n].name = "X-Gnutella-Content-URN";
	f[n++].value = file_urn;
	f[n].name = "X-Thex-URI";
	f[n++].value = thex_uri;
	if (opt.nranges > 0) {
		f[n].name = "X-Available-Ranges";
		f[n++].value = opt.avail;
	}
	for (i = 0; i < nextra && n < 22; i++)
		f[n++] = extra[i];
	snprintf(len, sizeof len, "%llu", (unsigned long long)clen);
	f[n].name = "Content-Length";
	f[n++].value = len;
	f[n].name = "Connection";
	f[n++].value = u->close_after ? "close" : "Keep-Alive";
	if ((hl = http_format_response(head, sizeof head, code, reason, f,
	    n)) == 0)
		die("answer head too long");
	if (opt.nranges > 0)
		client_of(u->ip)->told = 1;
	uc_put(u, head, hl);
}

/* The range of the file we have that starts at first, or NULL. */
static const struct range *
range_at(uint64_t first)
{
	static struct range	 whole;
	size_t			 i;

	if (opt.nranges == 0) {
		whole.first = 0;
		whole.last = file_size - 1;
		return first < file_size ? &whole : NULL;
	}
	for (i = 0; i < opt.nranges; i++)
		if (first >= opt.ranges[i].first && first <= opt.ranges[i].last)
			return &opt.ranges[i];
	return NULL;
}

/* PARQ: 1 if the request was answered 503 Queued (or lost its place and
 * was queued again), 0 if it goes through. */
static int
parq(struct uc *u, struct client *c, const struct http_req *req)
{
	struct http_queued	 q;
	struct hs_field		 f[2];
	const char		*v;
	char			 xq[160], ra[16];
	uint64_t		 t = now_ms();
	unsigned		 ra_s = opt.retry;
	int			 ok;

	if (opt.parq == 0 || c->through)
		return 0;
	if (u->cb) {
		/* The GET our QUEUE callback asked for. */
		c->through = 1;
		return 0;
	}
	if (c->placed) {
		v = hs_get(&req->hs, "X-Queued");
		ok = v != NULL && http_parse_queued(v, &q) == 0 &&
		    strcasecmp(q.id, c->id) == 0;
		if (!ok) {
			st.noid++;
			client_unplace(c);
		} else if (t + UP_EARLY_SLACK < c->last503 +
		    (uint64_t)opt.retry * 1000) {
			st.early++;
			client_unplace(c);
		} else if (t > c->last503 + UP_LIFETIME * 1000) {
			st.late++;
			client_unplace(c);
		} else if (opt.parq_cb || c->queued >= opt.parq) {
			/* Back on its own after Retry-After, or its turn. */
			c->through = 1;
			c->cb_at = 0;
			return 0;
		}
	}
	if (opt.parq_cb && c->cbs < UP_CALLBACKS) {
		/* Where to call back: its X-Node, else --callback-to. */
		v = hs_get(&req->hs, "X-Node");
		c->node_ip = opt.cb_ip;
		c->node_port = opt.cb_port;
		if (v != NULL) {
			char		 a[64];
			struct in_addr	 in;
			char		*colon;

			snprintf(a, sizeof a, "%.*s", (int)strcspn(v, ", "), v);
			if ((colon = strchr(a, ':')) != NULL) {
				*colon = '\0';
				if (inet_aton(a, &in) != 0 &&
				    atoi(colon + 1) > 0 &&
				    atoi(colon + 1) < 65536) {
					c->node_ip = ntohl(in.s_addr);
					c->node_port =
					    (uint16_t)atoi(colon + 1);
				}
			}
		}
		if (c->node_port != 0)
			c->cb_at = t + (uint64_t)opt.cb_after * 1000;
		u->close_after = 1;
	}
	c->placed = 1;
	c->last503 = t;
	memset(&q, 0, sizeof q);
	q.position = opt.parq > c->queued ? opt.parq - c->queued : 1;
	q.length = opt.parq + 1;
	q.eta = ra_s;
	q.lifetime = UP_LIFETIME;
	q.flags = HTTP_Q_LENGTH | HTTP_Q_ETA | HTTP_Q_LIFETIME;
	snprintf(q.id, sizeof q.id, "%s", c->id);
	if (http_format_queued(xq, sizeof xq, &q) == 0)
		die("cannot write X-Queued");
	c->queued++;
	st.queued++;
	if (opt.parq_close)
		u->close_after = 1;
	snprintf(ra, sizeof ra, "%u", ra_s);
	f[0].name = "X-Queued";
	f[0].value = xq;
	f[1].name = "Retry-After";
	f[1].value = ra;
	answer(u, 503, "Queued", f, 2, 0);
	return 1;
}

/* One request head, parsed: queue the answer. */
static void
serve(struct uc *u, const struct http_req *req)
{
	struct http_target	 t;
	struct client		*c = client_of(u->ip);
	const struct range	*have;
	struct hs_field		 f[2];
	const char		*range;
	char			 cr[96];
	uint64_t		 first, last, cfirst, clast;
	int			 rc, partial = 0, head;

	st.requests++;
	dirty = 1;
	if (!u->http) {
		u->http = 1;
		st.connections++;
		if (c->bad && !u->bad)
			st.after_bad++;
		if (uc_others(u) + 1 > st.max_per_ip)
			st.max_per_ip = uc_others(u) + 1;
	}
	if (u->cb)
		st.cb_requests++;
	u->close_after = hs_is(&req->hs, "Connection", "close") ||
	    (req->hs.major == 1 && req->hs.minor == 0 &&
	    !hs_is(&req->hs, "Connection", "keep-alive"));
	head = req->method == HTTP_M_HEAD;
	if (req->method == HTTP_M_OTHER) {
		u->close_after = 1;
		answer(u, 501, "Not Implemented", NULL, 0, 0);
		return;
	}
	if (http_parse_target(req->target, &t) != 0 ||
	    (t.kind != HTTP_T_N2R && t.kind != HTTP_T_N2X) ||
	    memcmp(t.sha1, file_sha1, SHA1_LEN) != 0) {
		answer(u, 404, "Not Found", NULL, 0, 0);
		return;
	}
	if (opt.one_per_ip && uc_others(u) > 0) {
		st.refused++;
		u->close_after = 1;
		f[0].name = "Retry-After";
		f[0].value = UP_BUSY_RETRY;
		answer(u, 503, "Another connection is still active", f, 1, 0);
		return;
	}
	if (t.kind == HTTP_T_N2X) {
		f[0].name = "Content-Type";
		f[0].value = "application/dime";
		answer(u, 200, "OK", f, 1, thex_len);
		if (!head)
			uc_put(u, thex_body, thex_len);
		return;
	}
	if (!head && parq(u, c, req))
		return;
	first = 0;
	last = file_size - 1;
	if ((range = hs_get(&req->hs, "Range")) != NULL) {
		rc = http_parse_range(range, file_size, &first, &last);
		if (rc == -2) {
			snprintf(cr, sizeof cr, "bytes */%llu",
			    (unsigned long long)file_size);
			f[0].name = "Content-Range";
			f[0].value = cr;
			answer(u, 416, "Range Not Satisfiable", f, 1, 0);
			return;
		}
		partial = rc == 0;
		if (!partial) {
			first = 0;
			last = file_size - 1;
		}
	}
	if ((have = range_at(first)) == NULL) {
		/* Asked for bytes we lack: a violation once we have said
		 * which we have (a first request cannot know). */
		if (c->told)
			st.lacking++;
		snprintf(cr, sizeof cr, "bytes */%llu",
		    (unsigned long long)file_size);
		f[0].name = "Content-Range";
		f[0].value = cr;
		answer(u, 416, "Requested Range Not Available", f, 1, 0);
		return;
	}
	if (last > have->last)
		last = have->last;
	if (opt.cap > 0 && (!opt.first_cap || u->answers == 0) &&
	    last - first + 1 > opt.cap)
		last = first + opt.cap - 1;
	partial = partial || first > 0 || last < file_size - 1;
	cfirst = first;
	clast = last;
	if (opt.bad_range && partial) {
		/* One byte off what was asked: outside it either way. */
		if (last + 1 < file_size) {
			cfirst = first + 1;
			clast = last + 1;
		} else if (first > 0) {
			cfirst = first - 1;
			clast = last - 1;
		}
		u->bad = c->bad = 1;
		st.bad++;
	}
	snprintf(cr, sizeof cr, "bytes %llu-%llu/%llu",
	    (unsigned long long)cfirst, (unsigned long long)clast,
	    (unsigned long long)file_size);
	f[0].name = "Content-Type";
	f[0].value = "application/binary";
	f[1].name = "Content-Range";
	f[1].value = cr;
	answer(u, partial ? 206 : 200, partial ? "Partial Content" : "OK", f,
	    partial ? 2 : 1, clast - cfirst + 1);
	u->answers++;
	st.served++;
	if (head)
		return;
	u->foff = cfirst;
	u->fleft = clast - cfirst + 1;
	if (opt.long_body) {
		u->tail = UP_LONG_EXTRA;
		u->bad = c->bad = 1;
		st.bad++;
	}
}

/* Read a request head from what came in; 0 to wait for more. */
static int
http_step(struct uc *u)
{
	struct http_req	*req;
	enum wire_status ws;
	size_t		 used;

	if ((req = malloc(sizeof *req)) == NULL)
		die("out of memory");
	ws = http_parse_request(u->in, u->inlen, req, &used);
	if (ws == WIRE_SHORT) {
		free(req);
		return 0;
	}
	if (ws != WIRE_OK) {
		free(req);
		u->close_after = 1;
		answer(u, ws == WIRE_TOOBIG ? 431 : 400, "Bad Request", NULL,
		    0, 0);
		u->inlen = 0;
		return 1;
	}
	serve(u, req);
	free(req);
	memmove(u->in, u->in + used, u->inlen - used);
	u->inlen -= used;
	return 1;
}

/* --- the Gnutella face ----------------------------------------------------------- */

static void
gnet_send(struct uc *u, const uint8_t *guid, uint8_t func, uint8_t ttl,
    const uint8_t *payload, size_t len)
{
	struct desc	 d;
	uint8_t		 h[DESC_HDR_LEN];

	memset(&d, 0, sizeof d);
	memcpy(d.guid, guid, DESC_GUID_LEN);
	d.func = func;
	d.ttl = ttl;
	d.len = (uint32_t)len;
	desc_encode(&d, h, sizeof h);
	uc_put(u, h, sizeof h);
	uc_put(u, payload, len);
}

/* Our hit for any query: the file, at our address. */
static void
gnet_hit(struct uc *u, const struct desc *d)
{
	struct qhit		 qh;
	struct qhit_record	 r;
	uint8_t			 out[1024];
	size_t			 len;

	memset(&qh, 0, sizeof qh);
	qh.port = opt.port;
	qh.ip = opt.ip;
	qh.speed = 100000;
	memcpy(qh.vendor, "GTKG", 5);
	memcpy(qh.guid, servent_guid, 16);
	memset(&r, 0, sizeof r);
	r.index = 1;
	r.size = file_size;
	r.name = opt.name;
	r.namelen = strlen(opt.name);
	memcpy(r.sha1, file_sha1, SHA1_LEN);
	memcpy(r.tth, file_tth, TTH_LEN);
	r.has_sha1 = r.has_tth = 1;
	if ((len = qhit_encode(&qh, &r, 1, 0, out, sizeof out)) == 0)
		die("cannot encode a hit");
	gnet_send(u, d->guid, DESC_QHIT, d->hops + 1 < DESC_HARD_TTL ?
	    d->hops + 1 : DESC_HARD_TTL, out, len);
	st.hits++;
	dirty = 1;
}

/* Descriptors in: pongs for pings, hits for queries; 0 to wait, -1 to
 * hang up. */
static int
gnet_step(struct uc *u)
{
	struct desc	 d;
	struct pong	 po;
	struct query	 q;
	uint8_t		 out[PONG_FIXED_LEN];
	size_t		 whole;

	if (u->inlen < DESC_HDR_LEN)
		return 0;
	if (desc_decode(u->in, u->inlen, &d) != WIRE_OK)
		return -1;
	whole = DESC_HDR_LEN + d.len;
	if (u->inlen < whole)
		return 0;
	if (d.func == DESC_PING) {
		memset(&po, 0, sizeof po);
		po.port = opt.port;
		po.ip = opt.ip;
		po.files = 1;
		po.kbytes = (uint32_t)(file_size / 1024);
		if (pong_encode(&po, out, sizeof out) == PONG_FIXED_LEN)
			gnet_send(u, d.guid, DESC_PONG, d.hops + 1, out,
			    sizeof out);
	} else if (d.func == DESC_QUERY && query_decode(u->in + DESC_HDR_LEN,
	    d.len, &q) == WIRE_OK)
		gnet_hit(u, &d);
	else if (d.func == DESC_BYE)
		return -1;
	memmove(u->in, u->in + whole, u->inlen - whole);
	u->inlen -= whole;
	return 1;
}

/* The node's handshake (step 1) or its third step. */
static int
gnet_hs(struct uc *u)
{
	struct hs	*h;
	struct hs_field	 f[6];
	char		 out[1024], guid[33];
	size_t		 used, len, i;
	enum wire_status ws;

	if ((h = malloc(sizeof *h)) == NULL)
		die("out of memory");
	ws = hs_parse(u->in, u->inlen, h, &used);
	if (ws != WIRE_OK) {
		free(h);
		return ws == WIRE_SHORT ? 0 : -1;
	}
	memmove(u->in, u->in + used, u->inlen - used);
	u->inlen -= used;
	if (u->st == UC_GNET_HS) {
		if (h->kind != HS_RESPONSE || h->code != 200) {
			free(h);
			return -1;
		}
		free(h);
		u->st = u->after = UC_GNET;	/* the link is up */
		st.gnet++;
		dirty = 1;
		return 1;
	}
	free(h);
	for (i = 0; i < 16; i++)
		snprintf(guid + 2 * i, 3, "%02X", servent_guid[i]);
	f[0].name = "User-Agent";
	f[0].value = "gnode-test-uploader";
	f[1].name = "X-Ultrapeer";
	f[1].value = "True";
	f[2].name = "GUID";
	f[2].value = guid;
	f[3].name = "X-Degree";
	f[3].value = "32";
	f[4].name = "X-Max-TTL";
	f[4].value = "4";
	f[5].name = "Pong-Caching";
	f[5].value = "0.1";
	if ((len = hs_format_response(out, sizeof out, 200, "OK", f, 6)) == 0)
		return -1;
	uc_put(u, out, len);
	u->after = UC_GNET_HS;		/* then its third step */
	return 1;
}

/* --- I/O ------------------------------------------------------------------------- */

/* What came in, by state. */
static void
uc_input(struct uc *u)
{
	int	 r;

	for (;;) {
		if (u->st == UC_FIRST) {
			if (u->inlen >= 17 &&
			    memcmp(u->in, "GNUTELLA CONNECT/", 17) == 0) {
				r = gnet_hs(u);
			} else if (u->inlen < 17 && memcmp(u->in,
			    "GNUTELLA CONNECT/", u->inlen) == 0)
				return;
			else {
				u->st = u->after = UC_HTTP;
				continue;
			}
		} else if (u->st == UC_HTTP)
			r = http_step(u);
		else if (u->st == UC_GNET_HS)
			r = gnet_hs(u);
		else if (u->st == UC_GNET)
			r = gnet_step(u);
		else
			return;		/* answering: the rest waits */
		if (r < 0) {
			uc_close(u, 1);
			return;
		}
		if (r == 0)
			return;
	}
}

/* Write what is queued: head, file bytes (sendfile), tail. */
static void
uc_output(struct uc *u)
{
	static const char	 junk[UP_LONG_EXTRA];
	ssize_t			 n;
	off_t			 off;
	size_t			 want;

	while (u->outoff < u->outlen) {
		n = send(u->fd, u->out + u->outoff, u->outlen - u->outoff,
		    MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			uc_close(u, 0);
			return;
		}
		u->outoff += (size_t)n;
		u->last = now_ms();
	}
	while (u->fleft > 0) {
		off = (off_t)u->foff;
		want = u->fleft > UP_SEND_MAX ? UP_SEND_MAX : (size_t)u->fleft;
		n = sendfile(u->fd, file_fd, &off, want);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			uc_close(u, 0);
			return;
		}
		u->foff += (uint64_t)n;
		u->fleft -= (uint64_t)n;
		st.bytes += (uint64_t)n;
		dirty = 1;
		u->last = now_ms();
	}
	while (u->tail > 0) {
		n = send(u->fd, junk, u->tail, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			uc_close(u, 0);
			return;
		}
		u->tail -= (size_t)n;
	}
	free(u->out);
	u->out = NULL;
	u->outlen = u->outoff = 0;
	if (u->close_after) {
		u->we_closed = 1;
		uc_close(u, 1);
		return;
	}
	u->st = u->after;
	uc_input(u);		/* a request that came while we wrote */
}

static void
uc_read(struct uc *u)
{
	ssize_t	 n;

	if (u->inlen == UP_IN) {
		uc_close(u, 1);		/* a head or descriptor too large */
		return;
	}
	n = recv(u->fd, u->in + u->inlen, UP_IN - u->inlen, 0);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	if (n <= 0) {
		uc_close(u, 0);
		return;
	}
	u->inlen += (size_t)n;
	u->last = now_ms();
	uc_input(u);
}

/* A QUEUE callback: dial the client's listening address from ours. */
static void
callback(struct client *c)
{
	struct sockaddr_in	 sin;
	struct uc		*u;
	int			 fd;

	c->cb_at = 0;
	c->cbs++;
	fprintf(stderr, "uploader: QUEUE callback to %s:%u\n",
	    ipstr(c->node_ip), c->node_port);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0)
		return;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(opt.ip);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0) {
		close(fd);
		return;
	}
	sin.sin_addr.s_addr = htonl(c->node_ip);
	sin.sin_port = htons(c->node_port);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		return;
	}
	if ((u = uc_new(fd, c->node_ip, UC_DIAL)) == NULL) {
		st.overflow++;
		close(fd);
		return;
	}
	u->cb = 1;
	st.callbacks++;
	dirty = 1;
}

static void
dial_done(struct uc *u)
{
	struct client	*c = client_of(u->ip);
	char		 line[128];
	int		 err = 0, n;
	socklen_t	 len = sizeof err;

	if (getsockopt(u->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 ||
	    err != 0) {
		uc_close(u, 1);
		return;
	}
	n = snprintf(line, sizeof line, "QUEUE %s %s:%u\r\n", c->id,
	    ipstr(opt.ip), opt.port);
	uc_put(u, line, (size_t)n);
	u->after = UC_HTTP;	/* once it is out, the client's GET comes */
}

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

/* --- setup ----------------------------------------------------------------------- */

static void
usage(void)
{
	fprintf(stderr, "usage: uploader --listen IP:PORT --file PATH"
	    " [--name NAME] [--stats FILE]\n"
	    "\t[--cap BYTES [--first-cap]] [--one-per-ip]\n"
	    "\t[--parq N [--retry-after S] [--max-hangups K] [--parq-close]]\n"
	    "\t[--parq-callback [--callback-after S] [--callback-to IP:PORT]]\n"
	    "\t[--ranges a-b,c-d] [--bad-range] [--long-body]\n"
	    "\t[--timeout S] [--max-bytes N]\n");
	exit(2);
}

static uint64_t
num(const char *s, const char *what)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '\0' || *s == '-' || errno != 0)
		die("%s: not a number: %s", what, s);
	if (*end == 'k' || *end == 'K')
		v *= 1024, end++;
	else if (*end == 'm' || *end == 'M')
		v *= 1048576, end++;
	if (*end != '\0')
		die("%s: not a number: %s", what, s);
	return v;
}

static void
addr(const char *s, uint32_t *ip, uint16_t *port)
{
	char		 a[64], *colon;
	struct in_addr	 in;
	uint64_t	 p;

	snprintf(a, sizeof a, "%s", s);
	if ((colon = strchr(a, ':')) == NULL)
		die("not IP:PORT: %s", s);
	*colon = '\0';
	if (inet_aton(a, &in) == 0)
		die("not an IPv4 address: %s", a);
	*ip = ntohl(in.s_addr);
	if ((*ip >> 24) != 127)
		die("%s: loopback (127.0.0.0/8) only", a);
	p = num(colon + 1, "port");
	if (p == 0 || p > 65535)
		die("bad port: %s", colon + 1);
	*port = (uint16_t)p;
}

static void
parse_ranges(const char *s)
{
	const char	*p = s;
	char		*end;
	size_t		 n;
	int		 w;

	n = (size_t)snprintf(opt.avail, sizeof opt.avail, "bytes");
	while (*p != '\0') {
		if (opt.nranges == UP_MAXRANGES)
			die("--ranges: at most %d", UP_MAXRANGES);
		opt.ranges[opt.nranges].first = strtoull(p, &end, 10);
		if (end == p || *end != '-')
			die("--ranges: not a-b,c-d: %s", s);
		p = end + 1;
		opt.ranges[opt.nranges].last = strtoull(p, &end, 10);
		if (end == p || (*end != ',' && *end != '\0') ||
		    opt.ranges[opt.nranges].last <
		    opt.ranges[opt.nranges].first)
			die("--ranges: not a-b,c-d: %s", s);
		w = snprintf(opt.avail + n, sizeof opt.avail - n, "%s %llu-%llu",
		    opt.nranges > 0 ? "," : "",
		    (unsigned long long)opt.ranges[opt.nranges].first,
		    (unsigned long long)opt.ranges[opt.nranges].last);
		if (w < 0 || (size_t)w >= sizeof opt.avail - n)
			die("--ranges: too long");
		n += (size_t)w;
		opt.nranges++;
		p = *end == ',' ? end + 1 : end;
	}
	if (opt.nranges == 0)
		die("--ranges: empty");
}

/* Hash the file, build its tree and the DIME answer to N2X. */
static void
load_file(void)
{
	struct hash_result	 h;
	struct stat		 sb;
	uint8_t			*nodes;
	size_t			 nnodes, cap;
	char			 uuid[64], tth[48];
	int			 depth;
	size_t			 i;

	if ((file_fd = open(opt.path, O_RDONLY)) < 0 ||
	    fstat(file_fd, &sb) != 0)
		die("%s: %s", opt.path, strerror(errno));
	file_size = (uint64_t)sb.st_size;
	if (file_size == 0)
		die("%s: empty", opt.path);
	for (i = 0; i < opt.nranges; i++)
		if (opt.ranges[i].last >= file_size)
			die("--ranges: past the end of the file");
	hash_init();
	if (hash_fd(file_fd, &h, NULL) != 0 || h.bytes != file_size)
		die("%s: cannot hash it", opt.path);
	memcpy(file_sha1, h.sha1, SHA1_LEN);
	memcpy(file_tth, h.tth, TTH_LEN);
	huge_format_sha1(file_sha1, file_urn, sizeof file_urn);
	base32_encode(file_tth, TTH_LEN, tth, sizeof tth);
	snprintf(thex_uri, sizeof thex_uri, "/uri-res/N2X?%s;%s", file_urn,
	    tth);
	if ((depth = tt_file_levels(file_fd, file_size,
	    tt_good_depth(file_size), &nodes, &nnodes)) < 0)
		die("%s: cannot build its tree", opt.path);
	if (memcmp(nodes, file_tth, TTH_LEN) != 0)
		die("%s: its tree's root is not its Tiger root", opt.path);
	thex_uuid(file_tth, uuid, sizeof uuid);
	cap = thex_size(file_size, (unsigned)depth, nnodes, uuid);
	if (cap == 0 || (thex_body = malloc(cap)) == NULL ||
	    (thex_len = thex_encode(file_size, (unsigned)depth, nodes,
	    nnodes, uuid, thex_body, cap)) == 0)
		die("cannot encode the tree");
	free(nodes);
	for (i = 0; i < 16; i++)
		servent_guid[i] = (uint8_t)(h.sha1[i] ^ (opt.ip >> (i % 4 * 8)));
	servent_guid[8] = 0xff;		/* "modern servent", as gtkg marks */
	servent_guid[15] = 0x00;
}

static int
listener(void)
{
	struct sockaddr_in	 sin;
	int			 fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(opt.ip);
	sin.sin_port = htons(opt.port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(fd, 64) != 0)
		die("%s:%u: %s", ipstr(opt.ip), opt.port, strerror(errno));
	return fd;
}

static void
on_accept(int lfd)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 fd, one = 1, k;

	for (k = 0; k < 16; k++) {
		if ((fd = accept4(lfd, (struct sockaddr *)&sin, &len,
		    SOCK_NONBLOCK)) < 0)
			return;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		if (uc_new(fd, ntohl(sin.sin_addr.s_addr), UC_FIRST) == NULL) {
			st.overflow++;
			dirty = 1;
			close(fd);
		}
		len = sizeof sin;
	}
}

int
main(int argc, char **argv)
{
	struct pollfd	 pfd[UP_MAXCONN + 1];
	struct uc	*map[UP_MAXCONN + 1];
	struct sigaction sa;
	char		 line[1024];
	uint64_t	 t, end;
	size_t		 i, n;
	int		 lfd, a, wait;

	opt.retry = 2;
	opt.max_hangups = 3;
	opt.cb_after = 1;
	opt.timeout = 600;
	for (a = 1; a < argc; a++) {
#define ARG()	(a + 1 < argc ? argv[++a] : (usage(), ""))
		if (strcmp(argv[a], "--listen") == 0)
			addr(ARG(), &opt.ip, &opt.port);
		else if (strcmp(argv[a], "--file") == 0)
			opt.path = ARG();
		else if (strcmp(argv[a], "--name") == 0)
			opt.name = ARG();
		else if (strcmp(argv[a], "--stats") == 0)
			opt.stats = ARG();
		else if (strcmp(argv[a], "--cap") == 0)
			opt.cap = num(ARG(), "--cap");
		else if (strcmp(argv[a], "--first-cap") == 0)
			opt.first_cap = 1;
		else if (strcmp(argv[a], "--one-per-ip") == 0)
			opt.one_per_ip = 1;
		else if (strcmp(argv[a], "--parq") == 0)
			opt.parq = (unsigned)num(ARG(), "--parq");
		else if (strcmp(argv[a], "--retry-after") == 0)
			opt.retry = (unsigned)num(ARG(), "--retry-after");
		else if (strcmp(argv[a], "--max-hangups") == 0)
			opt.max_hangups = (unsigned)num(ARG(), "--max-hangups");
		else if (strcmp(argv[a], "--parq-close") == 0)
			opt.parq_close = 1;
		else if (strcmp(argv[a], "--parq-callback") == 0)
			opt.parq_cb = 1;
		else if (strcmp(argv[a], "--callback-after") == 0)
			opt.cb_after = (unsigned)num(ARG(), "--callback-after");
		else if (strcmp(argv[a], "--callback-to") == 0)
			addr(ARG(), &opt.cb_ip, &opt.cb_port);
		else if (strcmp(argv[a], "--ranges") == 0)
			parse_ranges(ARG());
		else if (strcmp(argv[a], "--bad-range") == 0)
			opt.bad_range = 1;
		else if (strcmp(argv[a], "--long-body") == 0)
			opt.long_body = 1;
		else if (strcmp(argv[a], "--timeout") == 0)
			opt.timeout = (unsigned)num(ARG(), "--timeout");
		else if (strcmp(argv[a], "--max-bytes") == 0)
			opt.max_bytes = num(ARG(), "--max-bytes");
		else
			usage();
#undef ARG
	}
	if (opt.port == 0 || opt.path == NULL)
		usage();
	if (opt.parq_cb && opt.parq == 0)
		opt.parq = 1;
	if (opt.timeout == 0 || opt.timeout > 86400)
		die("--timeout: 1 to 86400 seconds");
	if (opt.name == NULL)
		opt.name = strrchr(opt.path, '/') != NULL ?
		    strrchr(opt.path, '/') + 1 : opt.path;
	load_file();
	for (i = 0; i < UP_MAXCONN; i++)
		conns[i].fd = -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	lfd = listener();
	fprintf(stderr, "uploader %s:%u: %s, %llu bytes, %s\n", ipstr(opt.ip),
	    opt.port, opt.name, (unsigned long long)file_size, file_urn);
	end = now_ms() + (uint64_t)opt.timeout * 1000;
	while (!quit && now_ms() < end &&
	    (opt.max_bytes == 0 || st.bytes < opt.max_bytes)) {
		stats_write();
		t = now_ms();
		wait = 200;
		for (i = 0; i < nclients; i++) {
			if (clients[i].cb_at != 0 && clients[i].cb_at <= t)
				callback(&clients[i]);
		}
		n = 0;
		pfd[n].fd = lfd;
		pfd[n].events = POLLIN;
		map[n++] = NULL;
		for (i = 0; i < UP_MAXCONN; i++) {
			if (conns[i].fd < 0)
				continue;
			/* last may be after t: a callback just dialled. */
			if (t > conns[i].last + UP_IDLE_MS) {
				conns[i].we_closed = 1;
				uc_close(&conns[i], 1);
				continue;
			}
			pfd[n].fd = conns[i].fd;
			pfd[n].events = conns[i].st == UC_DIAL ? POLLOUT :
			    conns[i].st == UC_SEND ? POLLIN | POLLOUT : POLLIN;
			map[n++] = &conns[i];
		}
		if (poll(pfd, n, wait) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		if (pfd[0].revents & POLLIN)
			on_accept(lfd);
		for (i = 1; i < n; i++) {
			struct uc	*u = map[i];

			if (u->fd != pfd[i].fd || pfd[i].revents == 0)
				continue;
			if (u->st == UC_DIAL) {
				dial_done(u);
				continue;
			}
			if (u->st == UC_SEND && (pfd[i].revents &
			    (POLLOUT | POLLERR | POLLHUP)))
				uc_output(u);
			if (u->fd == pfd[i].fd && (pfd[i].revents &
			    (POLLIN | POLLHUP | POLLERR)))
				uc_read(u);
		}
	}
	for (i = 0; i < UP_MAXCONN; i++)
		if (conns[i].fd >= 0) {
			conns[i].we_closed = 1;
			uc_close(&conns[i], 1);
		}
	dirty = 1;
	stats_write();
	counters(line, sizeof line);
	fputs(line, stdout);
	fflush(stdout);
	return 0;
}
