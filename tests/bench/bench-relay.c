/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * bench-relay.c: how fast one real gnode relays queries, and what an idle
 * connection costs it. The node runs headless on 127.0.0.2 with its own
 * configuration in a temporary directory. N ultrapeers connect from
 * 127.0.0.3: peer 0 writes queries (TTL 2) as fast as the node reads them
 * for S seconds, and peers 1..N-1 read what the node floods to them. The
 * node's CPU time is taken from /proc over those S seconds. Then 200 more
 * peers connect from 127.0.0.4 and stay idle, and the growth of the node's
 * resident set is shared out among them.
 *
 * Rates count what reached the receivers within the S seconds; the relay
 * ratio also counts what was still queued and arrived in a short drain
 * afterwards. Everything runs in one thread around poll(), so on a slow
 * machine the bench itself can be the bottleneck: compare runs on the
 * same machine only. Build without sanitizers for meaningful figures
 * (plain ./configure); ASan inflates the node's resident set.
 *
 * usage: bench-relay [--peers N] [--seconds S] [--json] [--gnode PATH]
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "benchnode.h"
#include "lib/rng.h"
#include "lib/xmalloc.h"
#include "wire/desc.h"
#include "wire/query.h"

#define BR_PEER_ADDR		"127.0.0.3"	/* relay peers */
#define BR_IDLE_ADDR		"127.0.0.4"	/* idle peers */
#define BR_PEER_PORT0		20000	/* Node: header ports, relay peers */
#define BR_IDLE_PORT0		30000	/* Node: header ports, idle peers */
#define BR_IDLE_CONNS		200
#define BR_HS_TIMEOUT		5	/* seconds for one handshake reply */
#define BR_HS_MAX		8192	/* longest reply header accepted */
#define BR_DRAIN_QUIET_MS	300	/* drain ends after this long quiet */
#define BR_DRAIN_MAX_MS		3000
#define BR_SETTLE_MS		1000	/* idle peers settle before the RSS */
#define BR_QUERY_TTL		2
#define BR_OUTBUF		65536
#define BR_INBUF		65536

struct br_peer {
	int		 fd;
	uint8_t		 hdr[DESC_HDR_LEN];	/* header being gathered */
	size_t		 hlen;
	uint32_t	 skip;		/* payload bytes still to pass over */
	uint64_t	 queries;	/* query descriptors read */
	uint64_t	 msgs;		/* all descriptors read */
};

/* What the cleanup needs when any step fails. */
static uint16_t			 br_port;	/* the node's listening port */

static void
br_write_conf(const char *path, uint16_t port)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL)
		bn_fail("%s: %s", path, strerror(errno));
	fprintf(f, "[node]\n"
	    "data_dir = %s/data\n"
	    "listen = %s:%u\n"
	    "control = %s/ctl\n"
	    "log_level = warn\n"
	    "mode = ultrapeer\n"
	    "[net]\n"
	    "compress = false\n"
	    "min_peers = 0\n"
	    "max_peers = 1000\n"
	    "ping_interval = 3600\n"
	    "idle_timeout = 3600\n"
	    "send_queue = 64M\n",
	    bn_dir, BN_NODE_ADDR, (unsigned int)port, bn_dir);
	if (fclose(f) == EOF)
		bn_fail("%s: %s", path, strerror(errno));
}

/* Pass read bytes through the descriptor framing, counting as we go. */
static void
br_feed(struct br_peer *p, const uint8_t *data, size_t len, const char *who)
{
	struct desc	 d;
	size_t		 n;

	while (len > 0) {
		if (p->skip > 0) {
			n = len < p->skip ? len : p->skip;
			p->skip -= (uint32_t)n;
			data += n;
			len -= n;
			continue;
		}
		n = DESC_HDR_LEN - p->hlen;
		if (n > len)
			n = len;
		memcpy(p->hdr + p->hlen, data, n);
		p->hlen += n;
		data += n;
		len -= n;
		if (p->hlen < DESC_HDR_LEN)
			break;
		p->hlen = 0;
		if (desc_decode(p->hdr, DESC_HDR_LEN, &d) != WIRE_OK)
			bn_fail("%s: descriptor (function 0x%02x) with payload "
			    "length %u over the limit", who, p->hdr[16],
			    peek_le32(p->hdr + 19));
		p->msgs++;
		if (d.func == DESC_QUERY)
			p->queries++;
		p->skip = d.len;
	}
}

/*
 * Read what is waiting on a non-blocking peer; fail on EOF or error. Only
 * one read per call, so no one socket starves the others.
 */
static void
br_read(struct br_peer *p, const char *who)
{
	uint8_t	 buf[BR_INBUF];
	ssize_t	 n;

	n = recv(p->fd, buf, sizeof buf, 0);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	if (n <= 0) {
		/* Say so if the node died, rather than blame the socket. */
		bn_sleep_ms(100);
		bn_check_node();
		if (n == -1)
			bn_fail("%s: recv: %s", who, strerror(errno));
		bn_fail("%s: the node closed the connection", who);
	}
	br_feed(p, buf, (size_t)n, who);
}

/* The first line of a reply header, for messages. */
static const char *
br_first_line(char *hdr)
{
	hdr[strcspn(hdr, "\r\n")] = '\0';
	return hdr;
}

/*
 * Connect from src and run the three-way handshake as an ultrapeer without
 * link compression. The Node: port and GUID tell this peer apart.
 */
static void
br_handshake(struct br_peer *p, const char *src, uint16_t nport,
    uint64_t seed, const char *who)
{
	struct timeval	 tv;
	char		 hello[512], reply[BR_HS_MAX + 1], *end;
	const char	*ok = "GNUTELLA/0.6 200 OK\r\n\r\n";
	uint64_t	 g0, g1;
	size_t		 have = 0, hlen;
	ssize_t		 n;
	int		 err = 0, code;

	memset(p, 0, sizeof *p);
	if ((p->fd = bn_connect(src, br_port, &err)) == -1)
		bn_fail("%s: connect: %s", who, strerror(err));
	tv.tv_sec = BR_HS_TIMEOUT;
	tv.tv_usec = 0;
	if (setsockopt(p->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == -1)
		bn_fail("%s: SO_RCVTIMEO: %s", who, strerror(errno));

	g0 = rng_mix(seed);
	g1 = rng_mix(g0 ^ seed);
	snprintf(hello, sizeof hello, "GNUTELLA CONNECT/0.6\r\n"
	    "User-Agent: bench-relay/1\r\n"
	    "X-Ultrapeer: True\r\n"
	    "GUID: %016llx%016llx\r\n"
	    "X-Max-TTL: 4\r\n"
	    "Bye-Packet: 0.1\r\n"
	    "Node: %s:%u\r\n"
	    "\r\n", (unsigned long long)g0, (unsigned long long)g1, src,
	    (unsigned int)nport);
	bn_send_all(p->fd, hello, strlen(hello), who);

	for (;;) {
		reply[have] = '\0';
		if ((end = memmem(reply, have, "\r\n\r\n", 4)) != NULL)
			break;
		if (have == BR_HS_MAX)
			bn_fail("%s: reply header longer than %d bytes: %s",
			    who, BR_HS_MAX, br_first_line(reply));
		n = recv(p->fd, reply + have, BR_HS_MAX - have, 0);
		if (n == -1 && errno == EINTR) {
			bn_check_interrupt();
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			bn_fail("%s: no handshake reply within %d s%s%s", who,
			    BR_HS_TIMEOUT, have > 0 ? ": " : "",
			    br_first_line(reply));
		if (n == -1)
			bn_fail("%s: recv: %s", who, strerror(errno));
		if (n == 0)
			bn_fail("%s: the node closed the connection during "
			    "the handshake%s%s", who, have > 0 ? ": " : "",
			    have > 0 ? br_first_line(reply) : "");
		have += (size_t)n;
	}
	hlen = (size_t)(end - reply) + 4;
	/* A NUL in the header would hide the rest from the string calls. */
	if (memchr(reply, '\0', hlen) != NULL)
		bn_fail("%s: NUL byte in the reply header", who);
	end[2] = '\0';
	if (strncmp(reply, "GNUTELLA/", 9) != 0 ||
	    sscanf(reply + 9, "%*u.%*u %d", &code) != 1 || code != 200)
		bn_fail("%s: handshake refused: %s", who, br_first_line(reply));
	if (strcasestr(reply, "\ncontent-encoding:") != NULL)
		bn_fail("%s: the node compresses its output although we did "
		    "not offer Accept-Encoding", who);
	bn_send_all(p->fd, ok, strlen(ok), who);

	/* Anything after the header is binary already; count it. */
	if (have > hlen)
		br_feed(p, (uint8_t *)reply + hlen, have - hlen, who);

	if (fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK) == -1)
		bn_fail("%s: O_NONBLOCK: %s", who, strerror(errno));
}

/* The node's CPU time so far (user plus system), in clock ticks. */
static uint64_t
br_proc_cpu(void)
{
	char			 path[64], buf[1024], *p;
	FILE			*f;
	size_t			 n;
	unsigned long long	 ut, st;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)bn_pid);
	if ((f = fopen(path, "r")) == NULL)
		bn_fail("%s: %s", path, strerror(errno));
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/*
	 * The command name (field 2) may hold spaces and parentheses, so
	 * count from the last ')': state is field 3, utime 14, stime 15.
	 */
	if ((p = strrchr(buf, ')')) == NULL || sscanf(p + 1,
	    " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
	    &ut, &st) != 2)
		bn_fail("%s: cannot read utime and stime", path);
	return (uint64_t)(ut + st);
}

/*
 * One query descriptor with a MUID of its own: rng_mix is a bijection, so
 * distinct seq give distinct first eight bytes. Every query has the same
 * length, which lets bytes written be turned into queries sent.
 */
static size_t
br_query(uint8_t *out, size_t cap, uint64_t key, uint64_t seq)
{
	struct desc	 d;
	struct query	 q;
	char		 text[32];
	uint64_t	 a;
	size_t		 plen;

	if (cap < DESC_HDR_LEN)
		return 0;
	memset(&d, 0, sizeof d);
	memset(&q, 0, sizeof q);
	a = rng_mix(key ^ seq);
	poke_le64(d.guid, a);
	poke_le64(d.guid + 8, rng_mix(a));
	d.guid[8] = 0xff;	/* "modern" MUID */
	d.guid[15] = 0x00;
	d.func = DESC_QUERY;
	d.ttl = BR_QUERY_TTL;
	d.hops = 0;

	snprintf(text, sizeof text, "bench relay %08x",
	    (unsigned int)(seq & 0xffffffffu));
	q.flags = QUERY_F_MARK;
	q.text = text;
	q.textlen = strlen(text);
	if ((plen = query_encode(&q, out + DESC_HDR_LEN,
	    cap - DESC_HDR_LEN)) == 0)
		return 0;
	d.len = (uint32_t)plen;
	if (desc_encode(&d, out, cap) != DESC_HDR_LEN)
		return 0;
	return DESC_HDR_LEN + plen;
}

/* Queries waiting to go out on peer 0. */
struct br_sender {
	uint8_t		 buf[BR_OUTBUF];
	size_t		 off;		/* next byte to send */
	size_t		 len;
	size_t		 qlen;		/* bytes in one query */
	uint64_t	 key;		/* mixed into every MUID */
	uint64_t	 seq;		/* queries built so far */
	uint64_t	 written;	/* bytes the socket took */
};

static void
br_fill(struct br_sender *s)
{
	size_t	 n;

	s->off = s->len = 0;
	while (s->len + s->qlen <= sizeof s->buf) {
		n = br_query(s->buf + s->len, sizeof s->buf - s->len, s->key,
		    s->seq);
		if (n != s->qlen)
			bn_fail("cannot encode query %llu",
			    (unsigned long long)s->seq);
		s->len += n;
		s->seq++;
	}
}

struct br_result {
	uint64_t	 sent;		/* queries the node took */
	uint64_t	 in_min;	/* fewest one receiver got, in window */
	uint64_t	 in_sum;	/* all receivers, drain included */
	uint64_t	 msgs;		/* descriptors receivers got, in window */
	double		 cpu_s;
	uint64_t	 rss_kib;
	double		 kib_per_conn;
	long long	 throttled;	/* the node's budget_throttled, -1 unread */
};

/* The node's budget_throttled counter, read with `gnode -S ctl --json
 * stats`: the flooder is a well-behaved peer at full rate and must never
 * reach its read budget. -1 when it cannot be read. */
static long long
br_throttled(const char *gnode)
{
	char		 cmd[PATH_MAX + 64], line[4096], *p;
	FILE		*f;
	long long	 v = -1;

	snprintf(cmd, sizeof cmd, "'%s' -S '%s/ctl' --json stats 2>/dev/null",
	    gnode, bn_dir);
	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if ((p = strstr(line, "\"budget_throttled\":")) != NULL)
			v = strtoll(p + strlen("\"budget_throttled\":"), NULL,
			    10);
	pclose(f);
	return v;
}

static void
br_who(char *who, size_t len, const char *what, size_t i)
{
	snprintf(who, len, "%s %zu", what, i);
}

/* Read from every peer poll found ready; n is the number of pollfds. */
static void
br_read_ready(struct pollfd *pfd, struct br_peer *peers, size_t n,
    const char *what)
{
	char	 who[32];
	size_t	 i;

	for (i = 0; i < n; i++) {
		if ((pfd[i].revents & (POLLIN | POLLERR | POLLHUP)) == 0)
			continue;
		br_who(who, sizeof who, what, i);
		br_read(&peers[i], who);
	}
}

static uint64_t
br_received(const struct br_peer *peers, size_t n)
{
	uint64_t	 sum = 0;
	size_t		 i;

	for (i = 1; i < n; i++)
		sum += peers[i].queries;
	return sum;
}

/*
 * Peer 0 writes queries for the given seconds while the others read; then
 * whatever the node still has queued is drained until it goes quiet.
 */
static void
br_relay(struct br_peer *peers, size_t n, unsigned int seconds,
    struct br_result *r)
{
	struct br_sender	*s;
	struct pollfd		*pfd;
	uint64_t		 start, end, now, quiet, got, prev, t0;
	size_t			 i, limit;
	ssize_t			 w;
	int			 timeout, snapped = 0;

	s = xcalloc(1, sizeof *s);
	s->key = rng_mix((uint64_t)getpid() << 32 ^ (uint64_t)time(NULL));
	if ((s->qlen = br_query(s->buf, sizeof s->buf, s->key, 0)) == 0)
		bn_fail("cannot encode a query");
	pfd = xcalloc(n, sizeof *pfd);

	t0 = br_proc_cpu();
	start = bn_now_ms();
	end = start + (uint64_t)seconds * 1000;
	for (;;) {
		bn_check_interrupt();
		now = bn_now_ms();
		if (now >= end && !snapped) {
			r->cpu_s = (double)(br_proc_cpu() - t0) /
			    (double)sysconf(_SC_CLK_TCK);
			r->in_min = UINT64_MAX;
			for (i = 1; i < n; i++) {
				if (peers[i].queries < r->in_min)
					r->in_min = peers[i].queries;
				r->msgs += peers[i].msgs;
			}
			snapped = 1;
		}
		/* Never leave the node half a query. */
		if (now >= end && s->written % s->qlen == 0)
			break;
		if (now >= end + BR_DRAIN_MAX_MS)
			bn_fail("the node stopped reading queries");
		if (now < end && s->off == s->len)
			br_fill(s);

		for (i = 0; i < n; i++) {
			pfd[i].fd = peers[i].fd;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		pfd[0].events |= POLLOUT;
		timeout = now < end && end - now < 100 ? (int)(end - now) : 100;
		if (poll(pfd, n, timeout) == -1) {
			if (errno == EINTR)
				continue;
			bn_fail("poll: %s", strerror(errno));
		}
		if (pfd[0].revents & POLLOUT) {
			limit = s->len;
			if (now >= end)
				limit = s->off + s->qlen - s->written % s->qlen;
			w = send(peers[0].fd, s->buf + s->off, limit - s->off,
			    MSG_NOSIGNAL | MSG_DONTWAIT);
			if (w == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				bn_fail("peer 0: send: %s", strerror(errno));
			if (w > 0) {
				s->off += (size_t)w;
				s->written += (uint64_t)w;
			}
		}
		br_read_ready(pfd, peers, n, "peer");
	}
	r->sent = s->written / s->qlen;

	start = quiet = bn_now_ms();
	prev = br_received(peers, n);
	for (;;) {
		bn_check_interrupt();
		now = bn_now_ms();
		if (now - quiet >= BR_DRAIN_QUIET_MS ||
		    now - start >= BR_DRAIN_MAX_MS ||
		    prev >= r->sent * (n - 1))
			break;
		for (i = 0; i < n; i++) {
			pfd[i].fd = peers[i].fd;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		if (poll(pfd, n, 50) == -1) {
			if (errno == EINTR)
				continue;
			bn_fail("poll: %s", strerror(errno));
		}
		br_read_ready(pfd, peers, n, "peer");
		if ((got = br_received(peers, n)) != prev) {
			prev = got;
			quiet = bn_now_ms();
		}
	}
	r->in_sum = prev;
	free(pfd);
	free(s);
}

/*
 * Open idle connections and share the node's RSS growth among them. The
 * relay peers stay open and are drained too, so nothing backs up.
 */
static void
br_idle(struct br_peer *peers, size_t n, uint64_t seed, struct br_result *r)
{
	struct br_peer	*all;
	struct pollfd	*pfd;
	uint64_t	 before, after, start;
	size_t		 i, total = n + BR_IDLE_CONNS;
	char		 who[32];

	all = xcalloc(total, sizeof *all);
	memcpy(all, peers, n * sizeof *peers);
	pfd = xcalloc(total, sizeof *pfd);

	before = bn_proc_rss();
	for (i = 0; i < BR_IDLE_CONNS; i++) {
		bn_check_interrupt();
		br_who(who, sizeof who, "idle peer", i);
		br_handshake(&all[n + i], BR_IDLE_ADDR,
		    (uint16_t)(BR_IDLE_PORT0 + i), seed ^ (0x10000 + i), who);
	}

	start = bn_now_ms();
	while (bn_now_ms() - start < BR_SETTLE_MS) {
		bn_check_interrupt();
		for (i = 0; i < total; i++) {
			pfd[i].fd = all[i].fd;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		if (poll(pfd, total, 50) == -1) {
			if (errno == EINTR)
				continue;
			bn_fail("poll: %s", strerror(errno));
		}
		br_read_ready(pfd, all, total, "peer");
	}
	after = bn_proc_rss();

	r->rss_kib = before;
	r->kib_per_conn = ((double)after - (double)before) / BR_IDLE_CONNS;
	for (i = n; i < total; i++)
		close(all[i].fd);
	free(pfd);
	free(all);
}

static void
br_usage(void)
{
	fprintf(stderr, "usage: bench-relay [--peers N] [--seconds S] "
	    "[--json] [--gnode PATH]\n");
	exit(1);
}

static unsigned int
br_number(const char *s, unsigned int min, unsigned int max)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "bench-relay: %s: want a number from %u to "
		    "%u\n", s, min, max);
		exit(1);
	}
	return (unsigned int)v;
}

/* Enough descriptors for every peer; the soft limit is often 1024. */
static void
br_raise_nofile(size_t want)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = want < rl.rlim_max ? want : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

int
main(int argc, char **argv)
{
	struct sigaction	 sa;
	struct br_peer		*peers;
	struct br_result	 r;
	char			*gnode;
	const char		*tmp;
	char			 tmpl[PATH_MAX], path[PATH_MAX + 32];
	char			 who[32];
	unsigned int		 npeers = 8, seconds = 10;
	uint64_t		 seed;
	size_t			 i, n;
	double			 in_s, msgs_s, ratio;
	int			 k, json = 0;

	bn_prog = "bench-relay";
	if ((gnode = getenv("GNODE")) == NULL || *gnode == '\0')
		gnode = "./gnode";
	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--json") == 0)
			json = 1;
		else if (strcmp(argv[k], "--peers") == 0 && k + 1 < argc)
			npeers = br_number(argv[++k], 2, 900);
		else if (strcmp(argv[k], "--seconds") == 0 && k + 1 < argc)
			seconds = br_number(argv[++k], 1, 86400);
		else if (strcmp(argv[k], "--gnode") == 0 && k + 1 < argc)
			gnode = argv[++k];
		else
			br_usage();
	}
	n = npeers;
	if (strchr(gnode, '/') != NULL && access(gnode, X_OK) == -1) {
		fprintf(stderr, "bench-relay: %s: %s\n", gnode,
		    strerror(errno));
		return 1;
	}

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = bn_on_signal;	/* no SA_RESTART: wake blocked calls */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	br_raise_nofile(n + BR_IDLE_CONNS + 64);

	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(tmpl, sizeof tmpl, "%s/bench-relay.XXXXXX",
	    tmp) >= sizeof tmpl) {
		fprintf(stderr, "bench-relay: TMPDIR too long\n");
		return 1;
	}
	if (mkdtemp(tmpl) == NULL) {
		fprintf(stderr, "bench-relay: mkdtemp %s: %s\n", tmpl,
		    strerror(errno));
		return 1;
	}
	memcpy(bn_dir, tmpl, strlen(tmpl) + 1);

	snprintf(path, sizeof path, "%s/data", bn_dir);
	if (mkdir(path, 0700) == -1)
		bn_fail("mkdir %s: %s", path, strerror(errno));
	br_port = bn_free_port();
	snprintf(path, sizeof path, "%s/gnode.conf", bn_dir);
	br_write_conf(path, br_port);
	bn_spawn(gnode, path);
	bn_wait_listen(br_port);

	seed = rng_mix((uint64_t)getpid() ^ (uint64_t)time(NULL) << 20);
	peers = xcalloc(n, sizeof *peers);
	for (i = 0; i < n; i++) {
		bn_check_interrupt();
		br_who(who, sizeof who, "peer", i);
		br_handshake(&peers[i], BR_PEER_ADDR,
		    (uint16_t)(BR_PEER_PORT0 + i), seed ^ i, who);
	}

	memset(&r, 0, sizeof r);
	br_relay(peers, n, seconds, &r);
	if (r.sent == 0)
		bn_fail("the node took no queries in %u s", seconds);
	r.throttled = br_throttled(gnode);
	br_idle(peers, n, seed, &r);

	for (i = 0; i < n; i++)
		close(peers[i].fd);
	free(peers);
	bn_cleanup();

	in_s = (double)r.in_min / seconds;
	msgs_s = (double)r.msgs / seconds;
	ratio = (double)r.in_sum / ((double)r.sent * (double)(n - 1));
	if (json) {
		printf("{\"bench\":\"relay\",\"peers\":%zu,\"seconds\":%u,"
		    "\"queries_sent\":%llu,\"queries_in_per_s\":%.1f,"
		    "\"msgs_out_per_s\":%.1f,\"relay_ratio\":%.4f,"
		    "\"cpu_s\":%.2f,\"rss_kib\":%llu,\"kib_per_conn\":%.2f,"
		    "\"idle_conns\":%d,\"budget_throttled\":%lld}\n", n,
		    seconds, (unsigned long long)r.sent, in_s, msgs_s, ratio,
		    r.cpu_s, (unsigned long long)r.rss_kib, r.kib_per_conn,
		    BR_IDLE_CONNS, r.throttled);
	} else {
		printf("relay: %zu peers (1 sender, %zu receivers), %u s\n",
		    n, n - 1, seconds);
		printf("  queries sent      %llu (%.1f/s)\n",
		    (unsigned long long)r.sent, (double)r.sent / seconds);
		printf("  queries relayed   %.1f/s (slowest receiver)\n", in_s);
		printf("  messages out      %.1f/s (all receivers)\n", msgs_s);
		printf("  relay ratio       %.4f\n", ratio);
		printf("  budget throttled  %lld peer-seconds\n", r.throttled);
		printf("  node cpu          %.2f s (%.0f%% of one core)\n",
		    r.cpu_s, 100.0 * r.cpu_s / seconds);
		printf("  node rss          %llu KiB\n",
		    (unsigned long long)r.rss_kib);
		printf("  idle connection   %.2f KiB each (%d connections)\n",
		    r.kib_per_conn, BR_IDLE_CONNS);
	}
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "bench-relay: stdout: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
