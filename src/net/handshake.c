/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * handshake.c: the first bytes of a connection. The first line picks the
 * handler (a Gnutella handshake, or an HTTP request for httpd.c),
 * then the 0.6 three-way handshake runs in either direction: our headers,
 * theirs read, the roles (an ultrapeer's leaves counted apart from its
 * peers; a leaf takes ultrapeers only), refusals with a status and
 * X-Try-Ultrapeers, deflate negotiated per direction, and the greeting
 * once the link is up (a leaf's QRP table too).
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "conf/conf.h"
#include "lib/addr.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"
#include "wire/desc.h"
#include "wire/hs.h"
#include "wire/vmsg.h"

/*
 * When the node started, as gtk-gnutella writes X-Live-Since (RFC 822:
 * "Wed, 02 Dec 2026 00:52:39 +0000") and reads it back (it takes RFC
 * 1123 and asctime forms too). Our own English names: strftime's follow
 * the locale.
 */
static void
conn_live_since(time_t t, char *out, size_t cap)
{
	static const char	 days[7][4] = { "Sun", "Mon", "Tue", "Wed",
	    "Thu", "Fri", "Sat" };
	static const char	 months[12][4] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm		 tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_wday < 0 || tm.tm_wday > 6 ||
	    tm.tm_mon < 0 || tm.tm_mon > 11) {
		out[0] = '\0';
		return;
	}
	snprintf(out, cap, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Our handshake headers, for a request, a 200 or a refusal. */
static size_t
conn_headers(struct conn *c, struct hs_field *f, char *store, size_t cap,
    int refusal)
{
	struct gnet	*g = c->g;
	const uint8_t	*guid = node_guid(g->node);
	size_t		 n = 0, off = 0;
	uint32_t	 myip = g->ip != 0 ? g->ip : c->local_ip;
	int		 i;
	const char	*v;
	char		*s, since[40];

#define PUT(nm, ...) do {						\
	s = store + off;						\
	off += (size_t)snprintf(s, cap - off, __VA_ARGS__) + 1;		\
	f[n].name = (nm);						\
	f[n++].value = s;						\
} while (0)
	PUT("User-Agent", "gnode/%s", PACKAGE_VERSION);
	conn_live_since(g->live_since, since, sizeof since);
	if (since[0] != '\0')
		PUT("X-Live-Since", "%s", since);
	if (!refusal) {
		PUT("X-Ultrapeer", "%s", g->leaf ? "False" : "True");
		PUT("Node", "%s:%u", inet_ntoa((struct in_addr){ htonl(myip) }),
		    g->port);
		PUT("Remote-IP", "%s", inet_ntoa((struct in_addr){
		    htonl(c->ip) }));
		s = store + off;
		for (i = 0; i < 16; i++)
			snprintf(s + 2 * i, 3, "%02x", guid[i]);
		off += 33;
		f[n].name = "GUID";
		f[n++].value = s;
		PUT("GGEP", "0.5");
		PUT("Pong-Caching", "0.1");
		PUT("Vendor-Message", "0.2");
		/*
		 * A leaf sends its table (qrp_send.c); an ultrapeer reads its
		 * leaves' (the core). Between ultrapeers no table goes yet
		 * (doc/INTEROP.md, "Not yet done"), but gtk-gnutella takes
		 * X-Ultrapeer-Query-Routing as what an ultrapeer of today
		 * says. A leaf says what LimeWire's leaves say, fixed.
		 */
		PUT("X-Query-Routing", "0.2");
		PUT("X-Ultrapeer-Query-Routing", "0.1");
		if (g->leaf) {
			PUT("X-Max-TTL", "4");
			PUT("X-Degree", "32");
			PUT("X-Dynamic-Querying", "0.1");
		} else {
			PUT("X-Max-TTL", "%u", g->conf->max_ttl);
			/* The bound we hold to: past max_peers we refuse. A
			 * gtk-gnutella leaf refuses an ultrapeer under 16. */
			PUT("X-Degree", "%u", g->conf->max_peers);
			PUT("X-Dynamic-Querying", "0.1");
			PUT("X-Ext-Probes", "0.1");
		}
		/* Leaf guidance, to an ultrapeer that dialled us (role.c). */
		if (!c->outgoing && (v = role_needed(g, c)) != NULL)
			PUT("X-Ultrapeer-Needed", "%s", v);
		PUT("Bye-Packet", "0.1");
		if (g->conf->compress)
			PUT("Accept-Encoding", "deflate");
	}
	s = store + off;
	if (conn_try_hosts(g, c->ip, s, cap - off) > 0) {
		off += strlen(s) + 1;
		f[n].name = "X-Try-Ultrapeers";
		f[n++].value = s;
	}
#undef PUT
	return n;
}

/* Write a handshake line and headers; extra is "Content-Encoding". */
static void
conn_hs_send(struct conn *c, int code, const char *reason, int deflate)
{
	struct hs_field	 f[24];
	char		 store[2048], out[HS_MAX_BLOCK];
	size_t		 n, len;

	n = conn_headers(c, f, store, sizeof store, code != 0 && code != 200);
	if (deflate) {
		f[n].name = "Content-Encoding";
		f[n++].value = "deflate";
	}
	if (code == 0)
		len = hs_format_request(out, sizeof out, f, n);
	else
		len = hs_format_response(out, sizeof out, code, reason, f, n);
	conn_write_raw(c, out, len);
	conn_flush(c);
}

/*
 * The third step, ours when we dialled: the status and only what answers
 * the peer's reply. Everything else was said in the first step, and a
 * repeated header is read as a change of mind (gtk-gnutella takes a
 * second X-Query-Routing as the version finally agreed on, and warns).
 * The one change of mind we make: X-Ultrapeer: False when the peer's
 * leaf guidance made us its leaf.
 */
static void
conn_hs_ack(struct conn *c, int deflate, int now_leaf)
{
	struct hs_field	 f[2];
	char		 out[256];
	size_t		 n = 0, len;

	if (now_leaf) {
		f[n].name = "X-Ultrapeer";
		f[n++].value = "False";
	}
	if (deflate) {
		f[n].name = "Content-Encoding";
		f[n++].value = "deflate";
	}
	len = hs_format_response(out, sizeof out, 200, "OK", f, n);
	conn_write_raw(c, out, len);
	conn_flush(c);
}

/* The outgoing handshake's first step, once the TCP connect is done. */
void
conn_hs_start(struct conn *c)
{
	conn_set_state(c, CONN_HS_SENT);
	ev_io_start(c->g->loop, &c->rio);
	conn_hs_send(c, 0, NULL, 0);
}

/* Refuse a handshake with a status and close once it is written. */
void
conn_refuse(struct conn *c, int code, const char *reason)
{
	gnet_logrl(c->g, NET_LOG_HS_REFUSE, "conn %u %s:%u: refused: %d %s",
	    c->id, inet_ntoa((struct in_addr){ htonl(c->ip) }), c->port, code,
	    reason);
	c->g->stats.refused++;
	if (code == 400 || code == 413)	/* malformed, not a full node */
		ban_strike(c->g, c->ip, code);
	conn_hs_send(c, code, reason, 0);
	conn_linger(c, reason);
}

/* A header "ip:port", or 0. */
static void
conn_hs_addr(const struct hs *h, struct conn *c)
{
	static const char *const names[] = { "Node", "Listen-IP",
	    "X-My-Address", "X-Node" };
	const char	*v;
	char		 tmp[64];
	size_t		 i, len;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if ((v = hs_get(h, names[i])) == NULL)
			continue;
		len = strcspn(v, ", ");
		if (len >= sizeof tmp)
			continue;
		memcpy(tmp, v, len);
		tmp[len] = '\0';
		if (conf_parse_addr(tmp, &c->node_ip, &c->node_port) == 0) {
			/* A node behind NAT may not know its own address,
			 * and one may claim to be on our loopback or LAN
			 * from outside: trust the socket's, and its port. */
			if (!addr_heard_ok(c->node_ip, c->ip))
				c->node_ip = c->ip;
			return;
		}
	}
	c->node_ip = c->ip;
	c->node_port = c->outgoing ? c->port : 0;
}

static int
conn_hex_guid(const char *v, uint8_t *guid)
{
	unsigned	 x;
	int		 i;

	if (v == NULL || strlen(v) != 32)
		return -1;
	for (i = 0; i < 16; i++) {
		if (sscanf(v + 2 * i, "%2x", &x) != 1)
			return -1;
		guid[i] = (uint8_t)x;
	}
	return 0;
}

/* Read what the peer says about itself; the refusal reason if it cannot
 * join, or NULL. *code gets the status. */
static const char *
conn_hs_peer(struct conn *c, const struct hs *h, int *code)
{
	struct gnet	*g = c->g;
	struct conn	*o;
	const char	*v;
	int		 keep_out;

	if ((v = hs_get(h, "User-Agent")) != NULL) {
		free(c->agent);
		c->agent = xstrndup(v, 128);
	}
	c->has_guid = conn_hex_guid(hs_get(h, "GUID"), c->guid) == 0;
	c->ultra = hs_is(h, "X-Ultrapeer", "True");
	c->said_role = hs_get(h, "X-Ultrapeer") != NULL;
	/* A peer that says it is a leaf is ours only when we are an
	 * ultrapeer; a leaf refuses it (conn_role_refusal). */
	c->leaf = !g->leaf && c->said_role && !c->ultra;
	c->up_qrp = hs_get(h, "X-Ultrapeer-Query-Routing") != NULL;
	c->ext_probes = hs_get(h, "X-Ext-Probes") != NULL;
	c->accept_deflate = hs_has_token(h, "Accept-Encoding", "deflate");
	if ((v = hs_get(h, "X-Degree")) != NULL)
		c->degree = (uint16_t)strtoul(v, NULL, 10);
	if ((v = hs_get(h, "X-Max-TTL")) != NULL)
		c->max_ttl = (uint8_t)strtoul(v, NULL, 10);
	conn_hs_addr(h, c);
	dialer_learn_list(g, hs_get(h, "X-Try-Ultrapeers"), DIAL_TRY, c->ip);
	dialer_learn_list(g, hs_get(h, "X-Try"), DIAL_TRY, c->ip);
	*code = 409;
	if (!c->has_guid)
		goto guid_done;
	if (memcmp(c->guid, node_guid(g->node), 16) == 0)
		return "Connected to self";
	for (o = g->conns; o != NULL; o = o->next) {
		if (o == c || !o->has_guid || o->state == CONN_DEAD ||
		    o->state == CONN_CLOSING || memcmp(o->guid, c->guid, 16) != 0)
			continue;
		if (o->state == CONN_UP || o->outgoing == c->outgoing)
			return "Already connected to this GUID";
		/*
		 * Both ends dialled each other at once. Both keep the link
		 * dialled by the side with the smaller GUID, so exactly one
		 * survives.
		 */
		keep_out = memcmp(node_guid(g->node), c->guid, 16) < 0;
		if ((int)c->outgoing != keep_out)
			return "Already connected to this GUID";
		conn_kill(o, "crossed handshake");
	}
guid_done:
	*code = 503;
	if (g->shutdown)
		return "Servent Shutdown";
	return NULL;
}

/*
 * Whether the peer's role leaves room for it here: into reason the refusal
 * and *code its status, or NULL. An ultrapeer takes max_peers ultrapeers
 * (and peers that say no role) and max_leaves leaves apart; a leaf takes
 * ultrapeers only, leaf_ultrapeers of them, and answers anything else as
 * gtk-gnutella's leaves do (204, "Shielded leaf node").
 */
static const char *
conn_role_refusal(struct conn *c, char *reason, size_t cap, int *code,
    int strict)
{
	struct gnet	*g = c->g;
	const struct conf *cf = g->conf;

	*code = 503;
	if (g->leaf) {
		if (!c->ultra) {
			*code = 204;
			snprintf(reason, cap, "Shielded leaf node (%u peers max)",
			    cf->leaf_ultrapeers);
			return reason;
		}
		if (conn_count_role(g, 0, c) >= cf->leaf_ultrapeers) {
			snprintf(reason, cap, "Too many ultra connections "
			    "(%u max)", cf->leaf_ultrapeers);
			return reason;
		}
		return NULL;
	}
	if (c->leaf) {
		if (conn_count_role(g, 1, c) >= cf->max_leaves) {
			snprintf(reason, cap, "Too many leaf connections "
			    "(%u max)", cf->max_leaves);
			return reason;
		}
		return NULL;
	}
	if (conn_count_role(g, 0, c) >= cf->max_peers) {
		/* Full of ultrapeers with room for a leaf: an ultrapeer
		 * that dialled us hears X-Ultrapeer-Needed: False and may
		 * turn leaf in its third step (strict: that step came). */
		if (!strict && !c->outgoing && c->ultra &&
		    role_needed(g, c) != NULL)
			return NULL;
		snprintf(reason, cap, "Too many connections (%u max)",
		    cf->max_peers);
		return reason;
	}
	return NULL;
}

/* What our Messages Supported lists. */
static const struct {
	char		 vendor[5];
	uint16_t	 selector;
	uint16_t	 version;
} hs_supported[] = {
	{ NODE_VENDOR, 1, 1 },			/* walker check */
	{ NODE_VENDOR, 2, 1 },			/* its answer */
	{ VMSG_VENDOR_LIME, VMSG_SEL_PPROXY_REQ, 2 },
	{ VMSG_VENDOR_LIME, VMSG_SEL_PPROXY_ACK, 2 },
	{ VMSG_VENDOR_BEAR, VMSG_SEL_CONNECT_BACK, 1 },
};

/* Established: set up inflate/deflate, tell the core, greet the peer. */
static void
conn_up(struct conn *c, int deflate_in, int deflate_out)
{
	struct gnet		*g = c->g;
	struct peer_info	 pi;
	struct vmsg_item	 items[8];
	struct vmsg		 vm;
	struct desc		 d;
	uint8_t			 msg[DESC_HDR_LEN + 96], body[80];
	size_t			 len, blen, i;
	int			 sndbuf;

	if (deflate_in) {
		c->zin = xcalloc(1, sizeof *c->zin);
		if (inflateInit(c->zin) != Z_OK) {
			conn_kill(c, "inflateInit failed");
			return;
		}
	}
	if (deflate_out) {
		c->zout = xcalloc(1, sizeof *c->zout);
		if (deflateInit(c->zout, Z_DEFAULT_COMPRESSION) != Z_OK) {
			conn_kill(c, "deflateInit failed");
			return;
		}
	}
	conn_set_state(c, CONN_UP);
	c->was_up = 1;
	/*
	 * Without a cap the kernel grows a peer's send buffer to megabytes,
	 * and a peer that stops reading is never flow-controlled by ours.
	 */
	sndbuf = g->conf->send_queue / 2;
	sndbuf = sndbuf < 16384 ? 16384 : sndbuf > 1048576 ? 1048576 : sndbuf;
	setsockopt(c->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
	conn_timer_set(c, (uint64_t)g->conf->idle_timeout * 1000);
	memset(&pi, 0, sizeof pi);
	pi.ip = c->node_ip;
	pi.port = c->node_port;
	pi.degree = c->degree;
	pi.max_ttl = c->max_ttl;
	pi.ultra = c->ultra;
	pi.ext_probes = c->ext_probes;
	pi.leaf = c->leaf;
	pi.up_qrp = c->up_qrp;
	if (node_peer_up(g->node, c->id, &pi) != 0) {
		conn_kill(c, "core refused the peer");
		return;
	}
	c->in_core = 1;
	log_info("peer %u %s:%u: up (%s, %s, %s%s)", c->id,
	    inet_ntoa((struct in_addr){ htonl(c->node_ip) }), c->node_port,
	    c->outgoing ? "out" : "in", c->leaf ? "our leaf" : c->ultra ?
	    "ultrapeer" : "normal", c->agent[0] != '\0' ? c->agent : "?",
	    deflate_in || deflate_out ? ", deflate" : "");
	dialer_result(g, c, 1);

	/* Messages Supported: our walker check and its answer, push
	 * proxies (request and ack) and connect-back. */
	memset(items, 0, sizeof items);
	for (i = 0; i < sizeof hs_supported / sizeof hs_supported[0]; i++) {
		memcpy(items[i].vendor, hs_supported[i].vendor, 4);
		items[i].selector = hs_supported[i].selector;
		items[i].version = hs_supported[i].version;
	}
	blen = vmsg_supported_encode(items, i, body, sizeof body);
	memset(&vm, 0, sizeof vm);
	vm.selector = VMSG_SEL_SUPPORTED;
	vm.body = body;
	vm.bodylen = blen;
	len = vmsg_encode(&vm, msg + DESC_HDR_LEN, sizeof msg - DESC_HDR_LEN);
	memset(&d, 0, sizeof d);
	rng_bytes(&g->rng, d.guid, sizeof d.guid);
	d.guid[8] = 0xff;
	d.guid[15] = 0;
	d.func = DESC_VENDOR;
	d.ttl = 1;
	d.len = (uint32_t)len;
	desc_encode(&d, msg, DESC_HDR_LEN);
	conn_send(c, msg, DESC_HDR_LEN + len);
	node_peer_ping(g->node, c->id);
	push_link_up(g, c);
	if (g->leaf && c->ultra)
		qrp_send_table(c);
	else
		qrp_up_send(c);
}

/* Move what followed the handshake block out of the input buffer and feed
 * it as stream data (it may be compressed). */
static void
conn_leftover(struct conn *c)
{
	uint8_t		*tmp;
	size_t		 len = c->in.len;

	if (len == 0)
		return;
	tmp = xmalloc(len);
	memcpy(tmp, buf_head(&c->in), len);
	buf_consume(&c->in, len);
	conn_feed(c, tmp, len);
	free(tmp);
}

/* The handshake block in the input buffer; 1 when parsed into h, 0 to
 * wait for more, -1 when it was refused. */
static int
conn_hs_read(struct conn *c, struct hs *h)
{
	enum wire_status	 st;
	size_t			 used;

	st = hs_parse(buf_head(&c->in), c->in.len, h, &used);
	if (st == WIRE_SHORT)
		return 0;
	if (st == WIRE_TOOBIG) {
		conn_refuse(c, 413, "Header line too long");
		return -1;
	}
	if (st != WIRE_OK) {
		conn_refuse(c, 400, "Malformed handshake");
		return -1;
	}
	buf_consume(&c->in, used);
	return 1;
}

/* Incoming step 1: "GNUTELLA CONNECT/0.6" and headers. */
static void
conn_on_request(struct conn *c)
{
	struct gnet	*g = c->g;
	struct hs	*h = xmalloc(sizeof *h);
	const char	*why;
	char		 reason[64];
	int		 code, deflate;

	if (conn_hs_read(c, h) <= 0)
		goto out;
	if (h->kind != HS_REQUEST) {
		conn_refuse(c, 400, "Expected GNUTELLA CONNECT");
		goto out;
	}
	if (h->major == 0 && h->minor < 6) {
		conn_refuse(c, 406, "Protocol not acceptable");
		goto out;
	}
	if ((why = conn_hs_peer(c, h, &code)) != NULL) {
		conn_refuse(c, code, why);
		goto out;
	}
	if ((why = conn_role_refusal(c, reason, sizeof reason, &code, 0)) !=
	    NULL) {
		conn_refuse(c, code, why);
		goto out;
	}
	deflate = c->accept_deflate && g->conf->compress;
	conn_set_state(c, CONN_HS_REPLIED);
	conn_hs_send(c, 200, "OK", deflate);
	c->accept_deflate = deflate;
out:
	free(h);
}

/*
 * A role said again in the client's third step: an ultrapeer that took
 * our leaf guidance says X-Ultrapeer: False (a leaf saying True is read
 * the same way). 1 when the role changed; *refused when there is no room
 * for the peer in its role now: a switch where there is none (Bye 504,
 * as gtk-gnutella says it), or an ultrapeer we let through full of
 * ultrapeers that did not take the guidance (Bye 503).
 */
static int
conn_hs_switch(struct conn *c, const struct hs *h, int *refused)
{
	const char	*v = hs_get(h, "X-Ultrapeer");
	char		 reason[64];
	int		 ultra, code, changed = 0;

	if (v != NULL) {
		ultra = strcasecmp(v, "True") == 0;
		if (ultra != (int)c->ultra || !c->said_role) {
			c->ultra = (unsigned)ultra;
			c->said_role = 1;
			c->leaf = !c->g->leaf && !ultra;
			changed = 1;
		}
	}
	*refused = conn_role_refusal(c, reason, sizeof reason, &code, 1) !=
	    NULL ? (changed ? 504 : 503) : 0;
	return changed;
}

/* Incoming step 3: the client's final 200 (and its Content-Encoding). */
void
conn_on_ack(struct conn *c)
{
	struct hs	*h = xmalloc(sizeof *h);
	int		 rc, switched, refused;

	if ((rc = conn_hs_read(c, h)) <= 0)
		goto out;
	if (h->kind != HS_RESPONSE || h->code != 200) {
		log_info("conn %u: handshake declined: %d %s", c->id,
		    h->kind == HS_RESPONSE ? h->code : 0,
		    h->kind == HS_RESPONSE ? h->reason : "(request)");
		conn_kill(c, "handshake declined");
		goto out;
	}
	switched = conn_hs_switch(c, h, &refused);
	conn_up(c, hs_has_token(h, "Content-Encoding", "deflate"),
	    c->accept_deflate);
	if (c->state != CONN_UP)
		goto out;
	if (refused) {
		/* Up only to say why: a Bye is what a peer that has
		 * finished its handshake reads. */
		conn_bye(c, (uint16_t)refused, refused == 504 ? "Switched "
		    "Between Leaf/Ultra During Handshake" : "Too many "
		    "connections");
		goto out;
	}
	if (switched)
		log_info("peer %u: switched to %s in its third step", c->id,
		    c->leaf ? "our leaf" : "ultrapeer");
	conn_leftover(c);
out:
	free(h);
}

/* Outgoing step 2: the server's answer. */
void
conn_on_reply(struct conn *c)
{
	struct gnet	*g = c->g;
	struct hs	*h = xmalloc(sizeof *h);
	const char	*why;
	char		 reason[64];
	int		 code, deflate_out, deflate_in, now_leaf = 0;

	if (conn_hs_read(c, h) <= 0)
		goto out;
	if (h->kind != HS_RESPONSE) {
		conn_kill(c, "reply is not a response");
		goto out;
	}
	if (h->code != 200) {
		dialer_learn_list(g, hs_get(h, "X-Try-Ultrapeers"), DIAL_TRY,
		    c->ip);
		dialer_learn_list(g, hs_get(h, "X-Try"), DIAL_TRY, c->ip);
		log_info("conn %u %s:%u: refused us: %d %s", c->id,
		    inet_ntoa((struct in_addr){ htonl(c->ip) }), c->port,
		    h->code, h->reason);
		conn_kill(c, "refused");
		goto out;
	}
	if ((why = conn_hs_peer(c, h, &code)) != NULL) {
		conn_refuse(c, code, why);
		goto out;
	}
	/*
	 * A leaf wants an ultrapeer; an ultrapeer takes what it dialled
	 * (a leaf that answers as one becomes ours) while there is room:
	 * the dialer keeps within the bounds, `connect` may go past them.
	 */
	if (g->leaf && !c->ultra) {
		conn_refuse(c, 503, "Looking for an ultra node");
		goto out;
	}
	if (c->leaf && (why = conn_role_refusal(c, reason, sizeof reason,
	    &code, 1)) != NULL) {
		conn_refuse(c, code, why);
		goto out;
	}
	/* Leaf guidance: an ultrapeer with ultrapeers enough tells us to be
	 * its leaf, and an auto ultrapeer without leaves does (role.c). */
	if (c->ultra && role_follows(g, hs_get(h, "X-Ultrapeer-Needed"))) {
		role_set(g, 1, c, "an ultrapeer said X-Ultrapeer-Needed: False");
		now_leaf = 1;
	}
	deflate_out = c->accept_deflate && g->conf->compress;
	deflate_in = hs_has_token(h, "Content-Encoding", "deflate");
	conn_hs_ack(c, deflate_out, now_leaf);
	conn_up(c, deflate_in, deflate_out);
	if (c->state == CONN_UP)
		conn_leftover(c);
out:
	free(h);
}

/* The first line of an incoming connection picks the handler. */
void
conn_on_first(struct conn *c)
{
	const char	*p = (const char *)buf_head(&c->in);
	size_t		 len = c->in.len;

	if (len >= 17 && memcmp(p, "GNUTELLA CONNECT/", 17) == 0) {
		conn_on_request(c);
		return;
	}
	if (len < 17 && memcmp(p, "GNUTELLA CONNECT/", len) == 0)
		return;
	/* A firewalled source's answer to our Push. */
	if (len >= 4 ? memcmp(p, "GIV ", 4) == 0 : memcmp(p, "GIV ", len) == 0) {
		if (len >= 4)
			push_giv(c);
		return;
	}
	/* A connect-back someone did for us (BEAR/7): "\n\n", and the
	 * accept was what counted (role.c). One empty line before an HTTP
	 * request is still HTTP's (RFC 9112 2.2). */
	if (len > 0 && (p[0] == '\n' || p[0] == '\r')) {
		if ((len >= 2 && memcmp(p, "\n\n", 2) == 0) ||
		    (len >= 4 && memcmp(p, "\r\n\r\n", 4) == 0)) {
			conn_kill(c, "connect-back received");
			return;
		}
		if (len < 4 && memcmp(p, "\r\n\r\n", len) == 0)
			return;
		if (len < 2 && p[0] == '\n')
			return;
	}
	/* A PARQ callback: a source we are queued at has a slot now. */
	if (len >= 6 ? memcmp(p, "QUEUE ", 6) == 0 :
	    memcmp(p, "QUEUE ", len) == 0) {
		if (len >= 6)
			download_queue_callback(c);
		return;
	}
	/* Some other Gnutella line ("GNUTELLA/0.6 200", "GNUTELLA OK"):
	 * a Gnutella refusal is what its sender can read. */
	if (len >= 8 ? memcmp(p, "GNUTELLA", 8) == 0 :
	    memcmp(p, "GNUTELLA", len) == 0) {
		if (len >= 8)
			conn_refuse(c, 400, "Unknown protocol");
		return;
	}
	/*
	 * Everything else is HTTP's to answer: GET and HEAD are served,
	 * another method gets 501, and a line that is no request line
	 * (POST with a body, "get", binary junk) gets an HTTP 400, a status
	 * a browser or a script can read, never a GNUTELLA/0.6 one.
	 */
	http_start(c);
}

/*
 * "ip:port,ip:port" of hosts worth trying, for X-Try-Ultrapeers to a peer
 * at to: never a bogon, nor an address that would mean another host to it
 * (our loopback or LAN to a peer outside them), and only hosts we checked
 * ourselves, so a Node: header cannot make us send others to a victim:
 * a peer we dialled, as we dialled it; a peer that dialled us, when the
 * address it names is the one it came from; a host the dialer marked
 * verified (struct dhost).
 */
size_t
conn_try_hosts(struct gnet *g, uint32_t to, char *out, size_t cap)
{
	struct conn	*c;
	size_t		 off = 0, n = 0, i;
	uint32_t	 ip;
	uint16_t	 port;
	int		 w;

	out[0] = '\0';
	for (c = g->conns; c != NULL && n < NET_TRY_HOSTS; c = c->next) {
		if (c->state != CONN_UP || c->leaf)
			continue;
		if (c->outgoing) {
			ip = c->ip;
			port = c->port;
		} else if (c->node_ip == c->ip) {
			ip = c->node_ip;
			port = c->node_port;
		} else
			continue;
		if (port == 0 || !addr_heard_ok(ip, to))
			continue;
		w = snprintf(out + off, cap - off, "%s%s:%u", n > 0 ? "," : "",
		    inet_ntoa((struct in_addr){ htonl(ip) }), port);
		if (w < 0 || (size_t)w >= cap - off)
			break;
		off += (size_t)w;
		n++;
	}
	for (i = 0; i < g->nhosts && n < NET_TRY_HOSTS; i++) {
		if (g->hosts[i].conn != 0 || g->hosts[i].fails > 0 ||
		    !g->hosts[i].verified ||
		    !addr_heard_ok(g->hosts[i].ip, to))
			continue;
		w = snprintf(out + off, cap - off, "%s%s:%u", n > 0 ? "," : "",
		    inet_ntoa((struct in_addr){ htonl(g->hosts[i].ip) }),
		    g->hosts[i].port);
		if (w < 0 || (size_t)w >= cap - off)
			break;
		off += (size_t)w;
		n++;
	}
	return n;
}
