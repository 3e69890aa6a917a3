/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * net.c: a struct gnet: the routing core given real time, sockets and a
 * share. It implements the core's env over connections, runs the core's
 * wake-ups on an ev_timer, and once per loop pass (an ev_prepare, just
 * before the loop blocks) writes every connection's queued output, closes
 * peers that overflowed their send queue, and frees dead connections.
 * What commands read of a running gnet, and ask of it, is net_ctl.c.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf/conf.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"
#include "net/results.h"
#include "net/verify.h"
#include "share/scan.h"
#include "share/share.h"
#include "wire/bye.h"
#include "wire/desc.h"
#include "xfer/upload.h"

#define GNET_PEERS_MAX	4096

uint64_t
gnet_now(struct gnet *g)
{
	return (uint64_t)(ev_now(g->loop) * 1000.0);
}

uint64_t
gnet_now_fresh(struct gnet *g)
{
	ev_now_update(g->loop);
	return gnet_now(g);
}

static uint64_t
gnet_env_now(void *arg)
{
	return gnet_now(arg);
}

static void
gnet_env_send(void *arg, uint32_t peer, const uint8_t *p, size_t len)
{
	struct conn	*c = conn_find(arg, peer);

	if (c != NULL)
		conn_send(c, p, len);
}

static void
gnet_env_push(void *arg, uint32_t peer, const struct push *pu)
{
	push_for_us(arg, peer, pu);
}

static void
gnet_env_connect_back(void *arg, uint32_t peer, uint16_t port)
{
	push_connect_back(arg, peer, port);
}

/* An OOB requester is sent to only inside our dial scope. */
static int
gnet_env_oob_ok(void *arg, uint32_t ip, uint16_t port)
{
	(void)port;
	return net_scope_ok(arg, ip);
}

static void
gnet_env_send_oob(void *arg, uint32_t ip, uint16_t port, const uint8_t *p,
    size_t len)
{
	listen_send_udp(arg, ip, port, p, len);
}

/*
 * n bytes from a peer as one printable line into out (cap > 4): bytes
 * outside printable ASCII, and the backslash, as \xNN; cut with "..."
 * where it would not fit. A reason may hold CRLF and header lines, or
 * terminal escapes meant for whoever reads the log.
 */
static void
gnet_printable(char *out, size_t cap, const char *in, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i, o = 0;
	unsigned char		 ch;

	for (i = 0; i < n; i++) {
		ch = (unsigned char)in[i];
		if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
			if (o + 1 > cap - 4)
				break;
			out[o++] = (char)ch;
			continue;
		}
		if (o + 4 > cap - 4)
			break;
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[ch >> 4];
		out[o++] = hex[ch & 0xf];
	}
	if (i < n) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

/* Append p[0..n) to out[*o..cap), as much as fits. */
static void
gnet_put(char *out, size_t cap, size_t *o, const char *p, size_t n)
{
	if (n > cap - *o)
		n = cap - *o;
	memcpy(out + *o, p, n);
	*o += n;
}

/*
 * A Bye's text on one line: the reason, then the header lines that may
 * follow it after a CRLF in parentheses, "; " between them ("User manual
 * removal (Server: gtk-gnutella/1.2.3)"). At most cap bytes; the length.
 */
static size_t
gnet_bye_line(const char *t, size_t n, char *out, size_t cap)
{
	const char	*nl;
	size_t		 i = 0, o = 0, len, next, lines = 0;

	while (i < n && o < cap) {
		nl = memchr(t + i, '\n', n - i);
		len = nl != NULL ? (size_t)(nl - (t + i)) : n - i;
		next = i + len + (nl != NULL);
		if (len > 0 && t[i + len - 1] == '\r')
			len--;
		if (len > 0) {
			if (lines == 1)
				gnet_put(out, cap, &o, " (", 2);
			else if (lines > 1)
				gnet_put(out, cap, &o, "; ", 2);
			gnet_put(out, cap, &o, t + i, len);
			lines++;
		}
		i = next;
	}
	if (lines > 1)
		gnet_put(out, cap, &o, ")", 1);
	return o;
}

/* The Bye c's peer sent (the descriptor the core is reading), at info:
 * a peer says why it leaves, and the user may want to know. */
static void
gnet_log_bye(struct conn *c)
{
	struct desc	 d;
	struct bye	 b;
	char		 line[NET_BYE_LOG + 1], reason[NET_BYE_LOG + 4];
	size_t		 len;

	if (c->rx_desc == NULL || desc_decode(c->rx_desc, c->rx_len, &d) !=
	    WIRE_OK || d.func != DESC_BYE || c->rx_len != DESC_HDR_LEN + d.len)
		return;
	if (bye_decode(c->rx_desc + DESC_HDR_LEN, d.len, &b) != WIRE_OK) {
		log_info("peer %u %s:%u: bye without a code", c->id,
		    inet_ntoa((struct in_addr){ htonl(c->ip) }), c->port);
		return;
	}
	/* One byte past what is logged, so that a longer text is cut. */
	len = gnet_bye_line(b.text, b.textlen, line, sizeof line);
	gnet_printable(reason, sizeof reason, line, len);
	log_info("peer %u %s:%u: bye %u %s", c->id,
	    inet_ntoa((struct in_addr){ htonl(c->ip) }), c->port, b.code,
	    reason);
}

/* The core closes a peer: it has already forgotten it, and queued a Bye
 * (code != 0) that we flush before closing; code 0 is a Bye the peer sent
 * (or a peer that must go without one). */
static void
gnet_env_close(void *arg, uint32_t peer, uint16_t code, const char *why)
{
	struct conn	*c = conn_find(arg, peer);

	if (c == NULL)
		return;
	c->in_core = 0;
	if (code == 0) {
		gnet_log_bye(c);
		conn_kill(c, why);
		return;
	}
	if (code >= 400) {
		/* Bad input: the peer chooses how often we say this. */
		c->g->stats.byes_bad++;
		if (ban_bye_bad(code))
			ban_strike(c->g, c->ip, code);
		gnet_logrl(c->g, NET_LOG_BYE, "peer %u: bye %u %s", peer,
		    code, why);
	} else
		log_info("peer %u: bye %u %s", peer, code, why);
	conn_linger(c, why);
}

/* Our files for a query. The QRP table of our share answers "surely not"
 * for almost every query without touching the database; partial files
 * are looked at only while there are downloads. */
static size_t
gnet_env_match(void *arg, const struct query *q, struct qhit_record *out,
    size_t max)
{
	struct gnet	*g = arg;
	size_t		 n = 0;

	if (g->share != NULL && g->has_qrt && g->stats.files > 0 &&
	    (q->nsha1 > 0 || qrt_has(&g->qrt, q->text, q->textlen)))
		n = share_match(g->share, q, out, max);
	/* And what we are downloading, while it is partial. */
	if (n < max && g->downloads != NULL)
		n += partial_match(g, q, out + n, max - n);
	return n;
}

static void
gnet_env_result(void *arg, const struct node_result *r)
{
	struct gnet	*g = arg;

	results_add(g->results, r);
	/* A file being downloaded gains the hit's servent as a source. */
	download_hit(g, r);
	if (!(r->status & QHIT_S_PUSH))
		reward_hit(g, r->ip);
}

/* Rebuild the QRP table and the counts our pongs carry. */
void
gnet_share_loaded(struct gnet *g)
{
	struct share_stats	 st;

	if (g->share == NULL)
		return;
	if (g->has_qrt)
		qrt_free(&g->qrt);
	g->has_qrt = qrt_build(g->share, QRT_BITS, &g->qrt) == 0;
	if (share_stats(g->share, &st) == 0) {
		g->stats.files = st.hashed;
		g->stats.kbytes = st.bytes / 1024;
	}
	if (g->node != NULL)
		node_set_shared(g->node, (uint32_t)g->stats.files,
		    (uint32_t)g->stats.kbytes);
	qrp_share_changed(g);
}

static void
gnet_scan_poll(struct gnet *g)
{
	struct scan_report	 r;
	int			 ok;

	if (g->scan == NULL || !scan_finished(g->scan))
		return;
	ok = scan_free(g->scan, &r);
	g->scan = NULL;
	g->stats.scanning = 0;
	gnet_share_loaded(g);
	/* The count is what the node now offers, said once it is known. */
	if (ok == 0)
		log_info("share: scan done: %llu file%s shared (%llu hashed, "
		    "%lld removed)", (unsigned long long)g->stats.files,
		    g->stats.files == 1 ? "" : "s",
		    (unsigned long long)r.hashed, (long long)r.removed);
	else
		log_warnx("share: scan failed; %llu file%s shared",
		    (unsigned long long)g->stats.files,
		    g->stats.files == 1 ? "" : "s");
}

/* Start a rescan of the configured share directories. */
int
gnet_rescan(struct gnet *g, char **cause)
{
	const struct conf	*cf = g->conf;
	struct scan_conf	 sc;
	char			**dirs;
	size_t			 ndirs;
	GNET_LOG_AS(g);

	if (g->share == NULL) {
		xasprintf(cause, "this node has no share index");
		return -1;
	}
	if (g->scan != NULL) {
		xasprintf(cause, "a scan is already running");
		return -1;
	}
	/* The config's directories, and those --share saved (now or on an
	 * earlier run): a scan without them would drop their files. */
	if (share_dirs_scan(g->share, cf->share_dirs, cf->nshare_dirs,
	    cf->nshare_flags, &dirs, &ndirs) != 0) {
		xasprintf(cause, "cannot read the saved share directories");
		return -1;
	}
	memset(&sc, 0, sizeof sc);
	sc.dirs = (const char *const *)dirs;
	sc.ndirs = ndirs;
	sc.min_size = cf->share_min_size;
	sc.max_size = cf->share_max_size;
	sc.exts = (const char *const *)cf->share_exts;
	sc.nexts = cf->nshare_exts;
	g->scan = scan_start(g->dbpath, &sc, cause);
	share_dirs_free(dirs, ndirs);
	if (g->scan == NULL)
		return -1;
	g->stats.scanning = 1;
	log_info("share: scanning %zu director%s", ndirs,
	    ndirs == 1 ? "y" : "ies");
	return 0;
}

static const char *const gnet_logrl_names[NET_LOG_NCAUSE] = {
	"http requests", "http refusals", "handshake refusals", "byes sent",
	"bans",
};

int
gnet_logrl(struct gnet *g, enum net_logcause cause, const char *fmt, ...)
{
	va_list		 ap;
	char		 line[512];
	uint64_t	 held;

	if (!ratelimit_allow(&g->logrl[cause], gnet_now(g), &held)) {
		g->stats.logs_held++;
		/* An operator who asked for debug asked for every line. */
		if (log_get_level() < LOG_LVL_DEBUG)
			return 0;
		va_start(ap, fmt);
		(void)vsnprintf(line, sizeof line, fmt, ap);
		va_end(ap);
		log_debug("%s", line);
		return 0;
	}
	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (held > 0)
		log_info("%s (and %llu more %s like it)", line,
		    (unsigned long long)held, gnet_logrl_names[cause]);
	else
		log_info("%s", line);
	return 1;
}

/* Lines held back and not told yet, once their second is over. */
static void
gnet_logrl_flush(struct gnet *g)
{
	uint64_t	 n;
	size_t		 i;

	for (i = 0; i < NET_LOG_NCAUSE; i++)
		if ((n = ratelimit_flush(&g->logrl[i], gnet_now(g))) > 0)
			log_info("... and %llu more %s like it",
			    (unsigned long long)n, gnet_logrl_names[i]);
}

static void
gnet_tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct gnet	*g = w->data;
	GNET_LOG_AS(g);

	(void)loop;
	(void)revents;
	gnet_scan_poll(g);
	gnet_logrl_flush(g);
	budget_tick(g);
	ban_tick(g);
	dialer_tick(g);
	download_tick(g);
	reward_tick(g);
	qrp_up_tick(g);
	role_tick(g);
}

static void
gnet_wake_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct gnet	*g = w->data;
	GNET_LOG_AS(g);

	(void)loop;
	(void)revents;
	node_tick(g->node);
}

/*
 * Before the loop blocks: close peers whose send queue overflowed (here,
 * outside the core, which may have been iterating its peers), write every
 * queue, free the dead, and set the timer for the core's next wake-up.
 */
static void
gnet_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct gnet	*g = w->data;
	struct conn	*c, **cp;
	uint64_t	 wake, now;
	size_t		 up = 0, hs = 0, leaves = 0;
	GNET_LOG_AS(g);

	(void)revents;
	for (c = g->conns; c != NULL; c = c->next)
		if (c->overflow && c->state == CONN_UP) {
			c->overflow = 0;
			conn_bye(c, 502, "Send Queue Full");
		}
	for (c = g->conns; c != NULL; c = c->next) {
		if (c->out.len > 0 || c->pend.len > 0)
			conn_flush(c);
		if (c->http_more)
			http_read(c);
	}
	for (cp = &g->conns; (c = *cp) != NULL;) {
		if (c->state == CONN_DEAD) {
			*cp = c->next;
			conn_free(c);
			continue;
		}
		if (c->state == CONN_UP) {
			up++;
			leaves += c->leaf;
		} else if (c->state != CONN_CLOSING && !c->http && !c->dl &&
		    c->aux == CONN_AUX_NONE)
			hs++;
		cp = &c->next;
	}
	g->stats.peers = up;
	g->stats.leaves = leaves;
	g->stats.connecting = hs;
	if (g->shutdown && g->conns == NULL) {
		ev_prepare_stop(loop, &g->prepare);
		ev_timer_stop(loop, &g->wake);
		return;
	}
	wake = node_wakeup(g->node);
	now = gnet_now(g);
	ev_timer_stop(loop, &g->wake);
	if (wake != UINT64_MAX && !g->shutdown) {
		ev_timer_set(&g->wake, wake > now ? (double)(wake - now) / 1000.0 :
		    0.0, 0.0);
		ev_timer_start(loop, &g->wake);
	}
}

static void
gnet_search_defaults(struct gnet *g)
{
	const struct conf	*cf = g->conf;

	memset(&g->sdefault, 0, sizeof g->sdefault);
	g->sdefault.strategy = cf->strategy;
	g->sdefault.ttl = (uint8_t)cf->ttl;
	g->sdefault.walk_ttl = (uint16_t)cf->walk_ttl;
	g->sdefault.walkers = (uint16_t)cf->walkers;
	g->sdefault.check = (uint16_t)cf->check;
	g->sdefault.target = cf->target;
}

/* A node on loop; binds its port now. */
struct gnet *
gnet_new(struct ev_loop *loop, const struct conf *cf, struct share *share,
    char **cause)
{
	struct gnet		*g = xcalloc(1, sizeof *g);
	struct node_conf	 nc;
	struct upload_hooks	 hooks;
	uint64_t		 seed;
	static const uint8_t	 zero_guid[16];
	int			 have_guid = 0;

	g->loop = loop;
	g->conf = cf;
	g->share = share;
	g->dbpath = conf_db_path(cf);
	g->ip = cf->listen_ip;
	g->port = cf->listen_port;
	g->lfd = g->ufd = -1;
	snprintf(g->logname, sizeof g->logname, "%s",
	    inet_ntoa((struct in_addr){ htonl(g->ip) }));
	GNET_LOG_AS(g);
	seed = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^
	    ((uint64_t)g->ip << 16) ^ g->port ^ (uint64_t)(uintptr_t)g;
	rng_seed(&g->rng, seed);
	if (listen_open(g, cause) != 0) {
		free(g->dbpath);
		free(g);
		return NULL;
	}
	gnet_share_loaded(g);
	role_init(g);
	push_init(g);
	node_conf_default(&nc);
	nc.max_ttl = (uint8_t)cf->max_ttl;
	nc.query_ttl = (uint8_t)cf->ttl;
	nc.hosts_max = cf->hosts_max;
	nc.ping_ms = cf->ping_interval * 1000;
	nc.ip = g->ip;
	nc.port = g->port;
	nc.files = (uint32_t)g->stats.files;
	nc.kbytes = (uint32_t)g->stats.kbytes;
	nc.leaf = g->leaf;
	nc.firewalled = gnet_firewalled(g);
	/* The UDP socket is bound with the listener: OOB hits both ways. */
	nc.oob = cf->oob;
	/*
	 * The servent GUID of the last start: other nodes route pushes to
	 * us by it. None saved (a new database): the core makes one, saved
	 * below, once.
	 */
	if (share != NULL && (have_guid = share_guid_get(share,
	    nc.guid)) < 0)
		log_warnx("share: no servent GUID read; a new one for this "
		    "run only");
	else if (have_guid == 1 && memcmp(nc.guid, zero_guid, 16) == 0)
		have_guid = 0;	/* the core would pick a new one each run */
	g->env.now = gnet_env_now;
	g->env.send = gnet_env_send;
	g->env.send_oob = gnet_env_send_oob;
	g->env.close = gnet_env_close;
	g->env.match = gnet_env_match;
	g->env.sharer = reward_sharer;
	g->env.result = gnet_env_result;
	g->env.oob_ok = gnet_env_oob_ok;
	g->env.push = gnet_env_push;
	g->env.connect_back = gnet_env_connect_back;
	g->node = node_new(&g->env, g, &nc, rng_next(&g->rng));
	if (share != NULL && have_guid == 0) {
		if (share_guid_set(share, node_guid(g->node)) == 0)
			log_info("node: new servent GUID saved");
		else
			log_warnx("share: the new servent GUID was not saved");
	}
	g->results = results_new();
	mesh_init(g);
	reward_init(g);
	hooks.mesh = mesh_offer;
	hooks.partial = partial_upload;
	hooks.head_start = reward_head_start;
	hooks.arg = g;
	g->uploads = uploads_new(share, cf->upload_slots, &hooks);
	gnet_search_defaults(g);
	g->started = gnet_now(g);
	g->live_since = time(NULL);
	ratelimit_init(&g->logrl[NET_LOG_HTTP], NET_HTTP_LOGS, 1000);
	ratelimit_init(&g->logrl[NET_LOG_HTTP_REFUSE], NET_REFUSE_LOGS, 1000);
	ratelimit_init(&g->logrl[NET_LOG_HS_REFUSE], NET_REFUSE_LOGS, 1000);
	ratelimit_init(&g->logrl[NET_LOG_BYE], NET_REFUSE_LOGS, 1000);
	ratelimit_init(&g->logrl[NET_LOG_BAN], NET_REFUSE_LOGS, 1000);
	g->hosts_saved = g->started;
	dialer_load(g);
	download_init(g);
	download_load(g);

	ev_timer_init(&g->tick, gnet_tick_cb, 0.05, NET_TICK_MS / 1000.0);
	ev_init(&g->wake, gnet_wake_cb);
	ev_prepare_init(&g->prepare, gnet_prepare_cb);
	g->tick.data = g->wake.data = g->prepare.data = g;
	ev_timer_start(loop, &g->tick);
	ev_prepare_start(loop, &g->prepare);
	http_throttle_init(g);
	/* What it shares is said when its scan ends (gnet_scan_poll). */
	log_info("node %s:%u up", g->logname, g->port);
	return g;
}

/* Bye 200 to every peer; handshakes are dropped; no new connections. */
void
gnet_shutdown(struct gnet *g)
{
	struct conn	*c;
	GNET_LOG_AS(g);

	if (g->shutdown)
		return;
	g->shutdown = 1;
	ev_timer_stop(g->loop, &g->tick);
	ev_timer_stop(g->loop, &g->wake);
	ev_timer_stop(g->loop, &g->throttle);
	listen_close(g);
	for (c = g->conns; c != NULL; c = c->next) {
		if (c->state == CONN_UP)
			conn_bye(c, 200, "Servent Shutdown");
		else if (c->state != CONN_CLOSING)
			conn_kill(c, "shutting down");
	}
	if (g->scan != NULL)
		scan_cancel(g->scan);
}

/* Free everything; call after gnet_shutdown and the loop has run dry. */
void
gnet_free(struct gnet *g)
{
	struct conn	*c;

	if (g == NULL)
		return;
	GNET_LOG_AS(g);
	gnet_shutdown(g);
	dialer_save(g);
	while ((c = g->conns) != NULL) {
		g->conns = c->next;
		if (c->state != CONN_DEAD) {
			ev_io_stop(g->loop, &c->rio);
			ev_io_stop(g->loop, &c->wio);
			ev_timer_stop(g->loop, &c->timer);
			close(c->fd);
		}
		conn_free(c);
	}
	ev_prepare_stop(g->loop, &g->prepare);
	if (g->scan != NULL)
		scan_free(g->scan, NULL);
	if (g->has_qrt)
		qrt_free(&g->qrt);
	node_free(g->node);
	verifier_free(g->verifier);	/* no answers after this */
	download_free(g);
	results_free(g->results);
	mesh_free(g);
	reward_free(g);
	uploads_free(g->uploads);
	dialer_free(g);
	free(g->dbpath);
	free(g);
}

/* New seeds from a reloaded conf, and a rescan of the shares. */
void
gnet_reload(struct gnet *g, const struct conf *cf)
{
	size_t		 i;
	uint32_t	 ip;
	uint16_t	 port;
	char		*cause = NULL;
	GNET_LOG_AS(g);

	g->conf = cf;
	gnet_search_defaults(g);
	for (i = 0; i < cf->nseeds; i++)
		if (conf_parse_addr(cf->seeds[i], &ip, &port) == 0)
			dialer_add(g, ip, port, DIAL_SEED);
	if (gnet_rescan(g, &cause) != 0) {
		log_warnx("reload: %s", cause);
		free(cause);
	}
}

void
gnet_quit(struct gnet *g)
{
	g->quitting = 1;
}

int
gnet_quitting(struct gnet *g)
{
	return g->quitting;
}

int
gnet_drained(struct gnet *g)
{
	return g->conns == NULL;
}
