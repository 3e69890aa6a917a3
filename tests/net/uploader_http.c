/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * uploader_http.c: tests/net/uploader's answers to HTTP requests, the rules
 * its flags select (caps, one connection per IP, PARQ, partial ranges, bad
 * answers) and the file it serves: hashed, its THEX tree built by gnode's
 * own tree code and encoded as the DIME answer to N2X.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/base32.h"
#include "net/uploader.h"
#include "share/hash.h"
#include "share/tt.h"
#include "wire/http.h"
#include "wire/thex.h"

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
	if (opt.nranges > 0) {
		client_of(u->ip)->told = 1;
		client_of(u->ip)->told_ms = now_ms();
	}
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
		 * which we have (a first request cannot know), unless what
		 * we said is UPLOADER_RANGES_OLD_MS old: a partial source
		 * grows, and a client may ask again to hear its ranges anew
		 * (gnode does after 2 s). */
		if (c->told && now_ms() < c->told_ms + UPLOADER_RANGES_OLD_MS)
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
int
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

void
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
void
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

