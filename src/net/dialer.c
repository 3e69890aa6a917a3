/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * dialer.c: the hosts a node knows and the connections it makes. Hosts
 * come from the seed list, the host cache saved in the node's database,
 * X-Try-Ultrapeers headers and pongs. Once a second the dialer tops the
 * neighbour count up to min_peers, a few connects at a time; a host that
 * fails, however it fails, waits DIAL_BACKOFF_MS, doubling per failure up
 * to ten minutes. Every address passes net_scope_ok() before it is stored
 * or dialled, so a node on loopback never reaches outside it whatever its
 * peers tell it.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf/conf.h"
#include "lib/addr.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"
#include "share/share.h"

#define DIAL_PONG_MERGE	64	/* hosts taken from the core per tick */
#define DIAL_TRIES_TICK	(2 * DIAL_PARALLEL)	/* dials started per tick */

static const char *const dial_sources[] = {
	"seed", "cache", "try", "pong", "user", "peer",
};

const char *
dialer_source_name(uint8_t s)
{
	return s < sizeof dial_sources / sizeof dial_sources[0] ?
	    dial_sources[s] : "?";
}

/* Whether an address may be dialled or sent to at all: never a bogon
 * (0.x.x.x, link-local, multicast, reserved or broadcast), never port 0. */
int
dialer_usable(uint32_t ip, uint16_t port)
{
	return port != 0 && !addr_bogon(ip);
}

/*
 * The addresses this node may reach follow from where it listens: a
 * loopback listener only loopback (its socket could reach no further, and
 * a test node must never touch the internet); a private one the private
 * ranges, loopback and [net] scope; a public one, or 0.0.0.0, anyone.
 */
int
net_scope_ok(const struct gnet *g, uint32_t ip)
{
	enum addr_class	 c = addr_class(ip);

	if (c == ADDR_BOGON)
		return 0;
	switch (g->ip == 0 ? ADDR_PUBLIC : addr_class(g->ip)) {
	case ADDR_PUBLIC:
		return 1;
	case ADDR_LOOPBACK:
		return c == ADDR_LOOPBACK;
	case ADDR_PRIVATE:
		if (c != ADDR_PUBLIC)
			return 1;
		break;
	case ADDR_BOGON:	/* a link-local listener: its own machine */
		if (c == ADDR_LOOPBACK)
			return 1;
		break;
	}
	return addr_net_match(g->conf->scope, g->conf->nscope, ip);
}

/* A failed dial, whatever failed (the connect at once, later, or the
 * handshake): the host waits twice as long as last time. */
static void
dialer_backoff(struct gnet *g, struct dhost *h)
{
	uint64_t	 delay;

	h->fails++;
	delay = (uint64_t)DIAL_BACKOFF_MS << (h->fails < 10 ? h->fails - 1 : 9);
	h->next_try = gnet_now(g) + (delay < DIAL_BACKOFF_MAX ? delay :
	    DIAL_BACKOFF_MAX);
}

/* Our own listening address. A node on 0.0.0.0 cannot tell; the GUID in
 * the handshake catches a connection to self. */
static int
dialer_is_self(struct gnet *g, uint32_t ip, uint16_t port)
{
	return port == g->port && ip == g->ip;
}

static int
dialer_loopback(uint32_t ip)
{
	return (ip >> 24) == 127;
}

static struct dhost *
dialer_find(struct gnet *g, uint32_t ip, uint16_t port)
{
	size_t	 i;

	for (i = 0; i < g->nhosts; i++)
		if (g->hosts[i].ip == ip && g->hosts[i].port == port)
			return &g->hosts[i];
	return NULL;
}

/* Learn a host; returns its entry, or NULL for an unusable address or one
 * outside our scope. When the table is full the least useful entry (not a
 * seed, not in use) goes. */
struct dhost *
dialer_add(struct gnet *g, uint32_t ip, uint16_t port, enum dial_source src)
{
	struct dhost	*h, *worst = NULL;
	size_t		 i, max = g->conf->hosts_max;

	if (!dialer_usable(ip, port) || !net_scope_ok(g, ip) ||
	    dialer_is_self(g, ip, port))
		return NULL;
	if ((h = dialer_find(g, ip, port)) != NULL) {
		if (src != DIAL_CACHE)
			h->last_seen = time(NULL);
		if (src == DIAL_SEED)
			h->source = DIAL_SEED;
		return h;
	}
	if (g->nhosts >= max) {
		for (i = 0; i < g->nhosts; i++) {
			h = &g->hosts[i];
			if (h->source == DIAL_SEED || h->conn != 0)
				continue;
			if (worst == NULL || h->fails > worst->fails ||
			    (h->fails == worst->fails &&
			    h->last_seen < worst->last_seen))
				worst = h;
		}
		if (worst == NULL)
			return NULL;
		h = worst;
	} else {
		g->hosts = xreallocarray(g->hosts, g->nhosts + 1,
		    sizeof *g->hosts);
		h = &g->hosts[g->nhosts++];
	}
	memset(h, 0, sizeof *h);
	h->ip = ip;
	h->port = port;
	h->source = (uint8_t)src;
	h->last_seen = src == DIAL_SEED || src == DIAL_CACHE ? 0 : time(NULL);
	log_trace(TRACE_NET, "hosts: learned %s:%u from %s",
	    inet_ntoa((struct in_addr){ htonl(ip) }), port,
	    dialer_source_name(h->source));
	return h;
}

/* Learn every "ip:port" of a comma-separated header value a peer at from
 * sent: an address is only as local as the peer that names it. */
void
dialer_learn_list(struct gnet *g, const char *v, enum dial_source src,
    uint32_t from)
{
	char		 tmp[64];
	size_t		 len;
	uint32_t	 ip;
	uint16_t	 port;
	int		 n = 0;

	while (v != NULL && *v != '\0' && n++ < 100) {
		v += strspn(v, " \t,");
		len = strcspn(v, " \t,");
		if (len > 0 && len < sizeof tmp) {
			memcpy(tmp, v, len);
			tmp[len] = '\0';
			if (conf_parse_addr(tmp, &ip, &port) == 0 &&
			    addr_heard_ok(ip, from))
				dialer_add(g, ip, port, src);
		}
		v += len;
	}
}

/* Whether an established or pending connection already reaches ip:port. */
static int
dialer_linked(struct gnet *g, uint32_t ip, uint16_t port)
{
	struct conn	*c;

	for (c = g->conns; c != NULL; c = c->next) {
		if (c->state == CONN_DEAD || c->dl)
			continue;
		if ((c->outgoing && c->ip == ip && c->port == port) ||
		    (c->node_ip == ip && c->node_port == port))
			return 1;
	}
	return 0;
}

/*
 * A non-blocking TCP connect to ip:port from our own address (a loopback
 * address can only reach loopback, so others get the kernel's pick): the
 * socket, or -1 for a local failure, -2 when the connect itself was
 * refused and -3 for an address outside our scope (no connect made), with
 * *cause (to free) when cause is not NULL. Every outgoing connection, the
 * dialer's and downloads', leaves this way, so this is where the scope
 * holds.
 */
int
dialer_socket(struct gnet *g, uint32_t ip, uint16_t port, char **cause)
{
	struct sockaddr_in	 sin;
	int			 fd, one = 1;

	if (!net_scope_ok(g, ip)) {
		g->stats.dial_scope++;
		log_debug("dial: %s:%u is outside this node's scope",
		    inet_ntoa((struct in_addr){ htonl(ip) }), port);
		if (cause != NULL)
			xasprintf(cause, "%s:%u is outside this node's scope",
			    inet_ntoa((struct in_addr){ htonl(ip) }), port);
		return -3;
	}
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) < 0) {
		if (cause != NULL)
			xasprintf(cause, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	if (g->ip != 0 && dialer_loopback(g->ip) == dialer_loopback(ip)) {
		sin.sin_addr.s_addr = htonl(g->ip);
		if (bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0) {
			if (cause != NULL)
				xasprintf(cause, "bind: %s", strerror(errno));
			close(fd);
			return -1;
		}
	}
	sin.sin_addr.s_addr = htonl(ip);
	sin.sin_port = htons(port);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0 &&
	    errno != EINPROGRESS) {
		if (cause != NULL)
			xasprintf(cause, "connect %s:%u: %s",
			    inet_ntoa(sin.sin_addr), port, strerror(errno));
		close(fd);
		return -2;
	}
	return fd;
}

/* Start a connection to ip:port; its id, or 0 with *cause (to free). */
uint32_t
dialer_dial(struct gnet *g, uint32_t ip, uint16_t port, char **cause)
{
	struct dhost		*h;
	struct conn		*c;
	int			 fd;

	if (!dialer_usable(ip, port)) {
		xasprintf(cause, "not an address to dial");
		return 0;
	}
	if (dialer_is_self(g, ip, port)) {
		xasprintf(cause, "that is this node's own address");
		return 0;
	}
	h = dialer_add(g, ip, port, DIAL_USER);
	if ((fd = dialer_socket(g, ip, port, cause)) < 0) {
		/* Backing off a local failure too keeps dialer_tick from
		 * picking the same host again at once. */
		if (h != NULL)
			dialer_backoff(g, h);
		if (fd != -3)
			g->stats.dial_failed++;
		return 0;
	}
	g->stats.dialled++;
	c = conn_new(g, fd, 1, ip, port);
	if (h != NULL)
		h->conn = c->id;
	return c->id;
}

/* A connection reached CONN_UP (up), or ended (!up). */
void
dialer_result(struct gnet *g, struct conn *c, int up)
{
	struct dhost	*h;
	uint64_t	 now = gnet_now(g);
	size_t		 i;

	if (up) {
		/* A leaf is no host to dial, nor to name in X-Try-Ultrapeers. */
		if (c->node_port != 0 && !c->leaf &&
		    addr_heard_ok(c->node_ip, c->ip) &&
		    (h = dialer_add(g, c->node_ip, c->node_port,
		    c->outgoing ? DIAL_USER : DIAL_PEER)) != NULL) {
			h->conn = c->id;
			h->fails = 0;
			h->last_seen = time(NULL);
			if (c->node_ip == c->ip)
				h->verified = 1;
		}
		if (c->outgoing && (h = dialer_find(g, c->ip, c->port)) != NULL) {
			h->conn = c->id;
			h->fails = 0;
			h->last_seen = time(NULL);
			h->verified = 1;
		}
		return;
	}
	if (c->outgoing && !c->dl && !c->was_up)
		g->stats.dial_failed++;
	for (i = 0; i < g->nhosts; i++) {
		h = &g->hosts[i];
		if (h->conn != c->id)
			continue;
		h->conn = 0;
		if (c->was_up) {
			h->next_try = now + DIAL_AGAIN_MS;
			continue;
		}
		dialer_backoff(g, h);
	}
}

/* Whether a is a better host to dial than b. */
static int
dialer_better(const struct dhost *a, const struct dhost *b)
{
	if (b == NULL)
		return 1;
	if (a->fails != b->fails)
		return a->fails < b->fails;
	if ((a->source == DIAL_SEED) != (b->source == DIAL_SEED))
		return a->source == DIAL_SEED;
	return a->last_seen > b->last_seen;
}

/* Once a second: learn the core's hosts, dial up to min_peers, save. */
void
dialer_tick(struct gnet *g)
{
	uint32_t	 ips[DIAL_PONG_MERGE];
	uint16_t	 ports[DIAL_PONG_MERGE];
	struct conn	*c;
	struct dhost	*best, *h;
	uint64_t	 now = gnet_now(g);
	size_t		 n, i, up = 0, flying = 0, tries = 0, target;
	char		*cause;

	n = node_hosts(g->node, ips, ports, DIAL_PONG_MERGE);
	for (i = 0; i < n; i++)
		dialer_add(g, ips[i], ports[i], DIAL_PONG);
	/* Leaves are not links to the network: an ultrapeer dials up to
	 * min_peers others, a leaf up to leaf_ultrapeers ultrapeers. */
	target = g->leaf ? g->conf->leaf_ultrapeers : g->conf->min_peers;
	for (c = g->conns; c != NULL; c = c->next) {
		if (c->state == CONN_UP && !c->leaf)
			up++;
		else if (c->outgoing && !c->dl && c->state < CONN_UP)
			flying++;
	}
	while (!g->shutdown && up + flying < target &&
	    flying < DIAL_PARALLEL && tries++ < DIAL_TRIES_TICK) {
		best = NULL;
		for (i = 0; i < g->nhosts; i++) {
			h = &g->hosts[i];
			/* net_scope_ok: a reload may have narrowed it. */
			if (h->conn == 0 && h->next_try <= now &&
			    net_scope_ok(g, h->ip) &&
			    !dialer_linked(g, h->ip, h->port) &&
			    dialer_better(h, best))
				best = h;
		}
		if (best == NULL)
			break;
		cause = NULL;
		if (dialer_dial(g, best->ip, best->port, &cause) == 0) {
			log_debug("dial: %s", cause);
			free(cause);
		} else
			flying++;
	}
	if (now - g->hosts_saved >= HOSTS_SAVE_MS) {
		g->hosts_saved = now;
		dialer_save(g);
	}
}

/* The saved host cache and the configured seeds. */
void
dialer_load(struct gnet *g)
{
	struct share_host	*sh;
	struct dhost		*h;
	uint32_t		 ip;
	uint16_t		 port;
	long			 n, i;
	size_t			 j;

	for (j = 0; j < g->conf->nseeds; j++) {
		if (conf_parse_addr(g->conf->seeds[j], &ip, &port) != 0)
			continue;
		if (!net_scope_ok(g, ip))
			log_warnx("seed %s is outside this node's scope "
			    "(see listen and scope in gnode.conf(5))",
			    g->conf->seeds[j]);
		else
			dialer_add(g, ip, port, DIAL_SEED);
	}
	if (g->share == NULL)
		return;
	sh = xreallocarray(NULL, g->conf->hosts_max, sizeof *sh);
	n = share_hosts_load(g->share, sh, g->conf->hosts_max);
	for (i = 0; i < n; i++)
		if ((h = dialer_add(g, sh[i].ip, sh[i].port, DIAL_CACHE)) !=
		    NULL) {
			h->last_seen = sh[i].last_seen;
			h->fails = sh[i].fails;
		}
	if (n > 0)
		log_info("hosts: %ld from the saved host cache", n);
	free(sh);
}

/* Persist every known host, seeds excepted (they live in the config). */
void
dialer_save(struct gnet *g)
{
	struct share_host	*sh;
	size_t			 i, n = 0;

	if (g->share == NULL)
		return;
	sh = xreallocarray(NULL, g->nhosts + 1, sizeof *sh);
	for (i = 0; i < g->nhosts; i++) {
		if (g->hosts[i].source == DIAL_SEED &&
		    g->hosts[i].last_seen == 0)
			continue;
		sh[n].ip = g->hosts[i].ip;
		sh[n].port = g->hosts[i].port;
		sh[n].last_seen = g->hosts[i].last_seen;
		sh[n].fails = g->hosts[i].fails;
		n++;
	}
	if (share_hosts_save(g->share, sh, n) != 0)
		log_warnx("hosts: cannot save the host cache");
	free(sh);
}

void
dialer_free(struct gnet *g)
{
	free(g->hosts);
	g->hosts = NULL;
	g->nhosts = 0;
}
