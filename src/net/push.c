/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * push.c: firewalled transfers on the node's sockets. The core routes the
 * Pushes and keeps the push proxies (core/firewall.c); this is the I/O:
 *
 * - Whether we are firewalled: `[net] firewalled` fixes it, or auto: we
 *   are until a connection comes in from another host (role.c's
 *   reachable), which a connect-back we ask our first peers for (BEAR/7)
 *   can bring. The core is told, so our hits say push and name proxies.
 * - A connect-back a peer asks of us: one connection to its address and
 *   the port it names, "\n\n", closed (once a peer, core/firewall.c).
 * - A Push for us: a connection to the address it names (inside the dial
 *   scope, at most one per requester at a time, PUSH_RATE a second), then
 *   "GIV index:GUID/name\n\n", then that connection is served as any HTTP
 *   client's: the same upload slots and PARQ queue.
 * - A download's firewalled source: a Push along its hits' route and a
 *   push-proxy request to each of its proxies, then PUSH_WAIT_MS for its
 *   GIV; DL_PUSH_TRIES times, then the source is gone as unreachable.
 * - A GIV on our port: the connection of the download that asked.
 * - As a push proxy: GET /gnutella/push-proxy?ServerId=... (and the other
 *   spellings, wire/giv.c) with X-Node: 202 when the Push went to our
 *   leaf, 410 when it is not (or no longer) ours, 400 when malformed.
 */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "lib/log.h"
#include "net/net_impl.h"
#include "share/share.h"
#include "wire/giv.h"
#include "wire/hs.h"
#include "wire/http.h"
#include "wire/push.h"
#include "xfer/dl.h"
#include "xfer/upload.h"

#define PUSH_RATE	20	/* GIV connections we open a second */
#define PUSH_WAIT_MS	20000	/* a GIV must come this soon after a Push */
#define PUSH_CBACK_MAX	3	/* peers asked for a connect-back */
#define PUSH_CONN_MS	10000	/* a GIV or proxy connection's deadline */

static const char *
push_ipstr(uint32_t ip)
{
	return inet_ntoa((struct in_addr){ htonl(ip) });
}

int
gnet_firewalled(const struct gnet *g)
{
	return g->fw_mode == GNET_FW_YES ||
	    (g->fw_mode == GNET_FW_AUTO && !g->reachable);
}

void
push_init(struct gnet *g)
{
	const char	*m = g->conf->firewalled;

	g->fw_mode = m == NULL || strcmp(m, "auto") == 0 ? GNET_FW_AUTO :
	    strcmp(m, "yes") == 0 ? GNET_FW_YES : GNET_FW_NO;
	ratelimit_init(&g->push_rl, PUSH_RATE, 1000);
}

/* role.c saw a connection come in from another host. */
void
push_reachable(struct gnet *g)
{
	if (g->node != NULL && !gnet_firewalled(g))
		node_set_firewalled(g->node, 0);
}

/* A link is up: while we do not know we can be reached, ask a few of our
 * first peers to connect back. */
void
push_link_up(struct gnet *g, struct conn *c)
{
	if (g->fw_mode != GNET_FW_AUTO || g->reachable ||
	    g->cback_asked >= PUSH_CBACK_MAX)
		return;
	g->cback_asked++;
	node_ask_connect_back(g->node, c->id);
}

/* An outgoing connection of ours that is no Gnutella link nor download. */
static struct conn *
push_dial(struct gnet *g, uint32_t ip, uint16_t port, enum conn_aux aux)
{
	struct conn	*c;
	int		 fd;

	if ((fd = dialer_socket(g, ip, port, NULL)) < 0)
		return NULL;
	c = conn_new(g, fd, 1, ip, port);
	c->aux = aux;
	conn_timer_set(c, PUSH_CONN_MS);
	return c;
}

/* The core: a peer asks us to connect to its address at port. */
void
push_connect_back(struct gnet *g, uint32_t peer, uint16_t port)
{
	struct conn	*pc = conn_find(g, peer);

	if (pc == NULL || port == 0)
		return;
	if (push_dial(g, pc->ip, port, CONN_AUX_CBACK) != NULL)
		log_info("connect-back: to %s:%u for peer %u", push_ipstr(pc->ip),
		    port, peer);
}

/* The core: a Push for us, from peer. */
void
push_for_us(struct gnet *g, uint32_t peer, const struct push *pu)
{
	struct share_file	 f;
	struct conn		*c;
	uint64_t		 held;
	char			 line[GIV_NAME_MAX + 64];
	const char		*name = NULL;
	size_t			 len;

	(void)peer;
	for (c = g->conns; c != NULL; c = c->next)
		if (c->aux == CONN_AUX_GIV && c->ip == pu->ip &&
		    c->state != CONN_DEAD) {
			g->stats.push_dropped++;
			return;
		}
	if (!ratelimit_allow(&g->push_rl, gnet_now(g), &held)) {
		g->stats.push_dropped++;
		return;
	}
	if (pu->index != 0 && g->share != NULL &&
	    share_by_id(g->share, pu->index, &f) == 1)
		name = f.name;
	if ((len = giv_format(line, sizeof line, pu->index, node_guid(g->node),
	    name)) == 0)
		return;
	if (!net_scope_ok(g, pu->ip) ||
	    (c = push_dial(g, pu->ip, pu->port, CONN_AUX_GIV)) == NULL) {
		g->stats.push_dropped++;
		gnet_logrl(g, NET_LOG_HTTP_REFUSE, "push: %s:%u cannot be "
		    "dialled", push_ipstr(pu->ip), pu->port);
		return;
	}
	g->stats.giv_sent++;
	conn_write_raw(c, line, len);
	log_info("push: GIV %u to %s:%u", pu->index, push_ipstr(pu->ip),
	    pu->port);
}

/* Ask one push proxy to pass a Push on to a firewalled source. */
static int
push_ask_proxy(struct gnet *g, struct gdl *gd, size_t src, size_t i)
{
	const struct dl_source	*s = &gd->dl->src[src];
	struct conn	*c;
	char		 target[128], node[32], req[512];
	struct hs_field	 f[3];
	size_t		 len;

	if (pproxy_format_target(target, sizeof target, s->guid) == 0)
		return -1;
	snprintf(node, sizeof node, "%s:%u", push_ipstr(g->ip), g->port);
	f[0].name = "X-Node";
	f[0].value = node;
	f[1].name = "User-Agent";
	f[1].value = "gnode/" PACKAGE_VERSION;
	f[2].name = "Connection";
	f[2].value = "close";
	if ((len = http_format_request(req, sizeof req, "GET", target, f,
	    3)) == 0 ||
	    (c = push_dial(g, s->pp_ip[i], s->pp_port[i],
	    CONN_AUX_PPROXY)) == NULL)
		return -1;
	c->dl_id = (uint32_t)gd->dl->id;
	c->dl_src = src;
	conn_write_raw(c, req, len);
	return 0;
}

int
gdl_push(struct gnet *g, struct gdl *gd, size_t src)
{
	struct dl_source	*s = &gd->dl->src[src];
	uint64_t		 now = gnet_now(g);
	unsigned		 tries;
	size_t			 i, asked = 0;
	int			 routed;

	if (g->ip == 0 || g->port == 0) {
		dl_source_unreachable(gd->dl, src);
		return 0;
	}
	/* Only the route its hits made and its proxies lead to it. */
	routed = node_push(g->node, s->guid, s->index) == 0;
	for (i = 0; i < s->npp; i++)
		if (push_ask_proxy(g, gd, src, i) == 0)
			asked++;
	if (!routed && asked == 0) {
		log_info("download %lld: firewalled source %s has no route "
		    "nor proxy left", (long long)gd->dl->id,
		    push_ipstr(s->ip));
		dl_source_unreachable(gd->dl, src);
		return 0;
	}
	if ((tries = dl_source_pushed(gd->dl, src, now + PUSH_WAIT_MS, routed,
	    (unsigned)asked)) == 0) {
		log_info("download %lld: firewalled source %s: no GIV after "
		    "%u pushes, unreachable", (long long)gd->dl->id,
		    push_ipstr(s->ip), DL_PUSH_TRIES);
		return 0;
	}
	g->stats.push_asked++;
	log_info("download %lld: push %u of %u to a firewalled source (%s%zu "
	    "%s asked)", (long long)gd->dl->id, tries, DL_PUSH_TRIES,
	    routed ? "routed, " : "", asked, asked == 1 ? "proxy" : "proxies");
	if (gd->dl->state == DL_QUEUED)
		gd->dl->state = DL_ACTIVE;
	return 0;
}

/* The source, among running downloads, that waits for this GIV. */
static struct gdl *
push_waiting(struct gnet *g, const struct giv *gv, size_t *src)
{
	struct gdl	*gd;
	size_t		 s;

	for (gd = g->downloads; gd != NULL; gd = gd->next) {
		if (gd->fd < 0)
			continue;
		for (s = 0; s < gd->dl->nsrc; s++)
			if (gd->dl->src[s].push &&
			    gd->dl->src[s].push_tries > 0 &&
			    gd->dl->src[s].status == DL_SRC_BACKOFF &&
			    memcmp(gd->dl->src[s].guid, gv->guid, 16) == 0) {
				*src = s;
				return gd;
			}
	}
	return NULL;
}

/*
 * A connection that opened with "GIV ": a firewalled source answering our
 * Push. 0 when the line was taken (the connection is a download's now, or
 * closed), 1 when more bytes are needed.
 */
int
push_giv(struct conn *c)
{
	struct gnet	*g = c->g;
	const char	*p = (const char *)buf_head(&c->in), *eol;
	struct giv	 gv;
	struct gdl	*gd;
	size_t		 s, len;
	uint32_t	 chunk;
	uint64_t	 off, dlen, now = gnet_now(g);

	if ((eol = memchr(p, '\n', c->in.len)) == NULL) {
		if (c->in.len > GIV_LINE_MAX) {
			g->stats.giv_bad++;
			gnet_logrl(g, NET_LOG_HTTP_REFUSE, "GIV from %s: line "
			    "too long", push_ipstr(c->ip));
			conn_kill(c, "GIV: line too long");
			return 0;
		}
		return 1;
	}
	len = (size_t)(eol - p);
	if (giv_parse(p, len, &gv) != WIRE_OK) {
		g->stats.giv_bad++;
		gnet_logrl(g, NET_LOG_HTTP_REFUSE, "GIV from %s: malformed",
		    push_ipstr(c->ip));
		conn_kill(c, "GIV: malformed");
		return 0;
	}
	if ((gd = push_waiting(g, &gv, &s)) == NULL) {
		g->stats.giv_bad++;
		gnet_logrl(g, NET_LOG_HTTP_REFUSE, "GIV from %s: no download "
		    "asked it", push_ipstr(c->ip));
		conn_kill(c, "GIV: nobody asked");
		return 0;
	}
	buf_consume(&c->in, len + 1);
	/* The blank line after it, as gtk-gnutella and LimeWire write. */
	if (c->in.len > 0 && buf_head(&c->in)[0] == '\r')
		buf_consume(&c->in, 1);
	if (c->in.len > 0 && buf_head(&c->in)[0] == '\n')
		buf_consume(&c->in, 1);
	dl_source_given(gd->dl, s);
	if (dl_pick_for(gd->dl, s, now, &chunk, &off, &dlen) != 1) {
		conn_kill(c, "GIV: nothing left for this source");
		return 0;
	}
	g->stats.giv_rx++;
	log_info("download %lld: GIV from the firewalled source at %s",
	    (long long)gd->dl->id, push_ipstr(c->ip));
	gdl_adopt(c, gd, s, chunk, off);
	return 0;
}

/* An outgoing connection of ours is up. */
void
push_connected(struct conn *c)
{
	static const char	 cback[] = "\n\n";

	ev_io_start(c->g->loop, &c->rio);
	switch (c->aux) {
	case CONN_AUX_CBACK:
		conn_write_raw(c, cback, sizeof cback - 1);
		conn_linger(c, "connect-back done");
		break;
	case CONN_AUX_GIV:
		/* The GIV is queued; the requester's GET comes next. */
		http_start(c);
		break;
	case CONN_AUX_PPROXY:
		conn_set_state(c, CONN_PUSH_REPLY);
		conn_flush(c);
		break;
	default:
		conn_kill(c, "unknown outgoing connection");
		break;
	}
}

/* A push proxy's answer: its status line is all we want. */
void
push_proxy_reply(struct conn *c)
{
	const char	*p = (const char *)buf_head(&c->in), *eol;
	int		 code = 0;

	if ((eol = memchr(p, '\n', c->in.len)) == NULL) {
		if (c->in.len > GIV_LINE_MAX)
			conn_kill(c, "push proxy: line too long");
		return;
	}
	if (sscanf(p, "HTTP/1.%*1[01] %3d", &code) != 1)
		code = 0;
	c->pp_answered = code == 202;
	log_info("push proxy %s:%u: %d%s", push_ipstr(c->ip), c->port, code,
	    code == 202 ? " (push sent on)" : code == 410 ?
	    " (the source is not its leaf)" : "");
	conn_kill(c, "push proxy answered");
}

/* A push-proxy connection ended: without a 202 it was of no help. */
void
push_proxy_closed(struct conn *c)
{
	struct gdl	*gd;

	if (c->pp_answered || (gd = gdl_find(c->g, c->dl_id)) == NULL)
		return;
	dl_source_push_lost(gd->dl, c->dl_src, gnet_now(c->g));
}

/*
 * A request to us as a push proxy: 1 when the target is one (r is the
 * answer), 0 when it is some other request.
 */
int
push_proxy_answer(struct gnet *g, const struct http_req *req,
    struct upload_reply *r)
{
	struct pproxy_req	 pr;
	struct http_alt		 node;
	const char		*v;
	int			 k;

	if ((k = pproxy_parse_target(req->target, &pr)) == 0)
		return 0;
	if (k < 0 || (v = hs_get(&req->hs, "X-Node")) == NULL ||
	    http_parse_xalt(v, &node, 1) != 1) {
		upload_error(r, 400, "Bad Push Proxy Request");
		return 1;
	}
	if (g->leaf || node_push_proxy(g->node, pr.guid, pr.index,
	    node.ip, node.port) != 0) {
		r->close = 1;
		upload_error(r, 410, "Push Proxy: Servent Not Connected");
		return 1;
	}
	g->stats.pproxy_sent++;
	upload_error(r, 202, "Push Proxy: Message Sent");
	return 1;
}
