/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * bench-ultrapeer.c: one real gnode as an ultrapeer with a full house of
 * leaves. The node runs headless on 127.0.0.2 (mode = ultrapeer). P
 * synthetic ultrapeers connect from 127.0.1.1-P, then L synthetic leaves
 * from 127.0.2.1-150 and 127.0.1.101-250 (one address each, so no
 * per-address handshake bound is near). Each leaf sends a real QRP table
 * (RESET, then 4-bit zlib PATCHes, 2^17 slots) of W words drawn from a
 * vocabulary of V. The growth of the node's resident set from before the
 * leaves to after their tables are in (the node's `peers` shows every
 * table) is shared out among them: KiB per leaf.
 *
 * Then the first four ultrapeers write queries (TTL 2, so the node relays
 * them to the other ultrapeers at TTL 1 and gives each its QRP last hop)
 * as fast as the node reads them for S seconds: 9 in 10 of two words no
 * leaf has, 1 in 10 one vocabulary word (a few leaves have it). Every
 * peer and leaf reads what it gets. Queries routed per second is the
 * growth of the node's queries_seen (distinct queries handled, `stats`)
 * over the S seconds. With --relay PATH, bench-relay runs first with as
 * many peers, its flat relay rate the comparison (the target is half of
 * it). One thread around poll(): the bench can be the bottleneck, so
 * compare runs on the same machine only, in a build without sanitizers.
 *
 * usage: bench-ultrapeer [--peers P] [--leaves L] [--words W]
 *			  [--seconds S] [--relay PATH] [--json] [--gnode PATH]
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
#include "wire/qrp.h"
#include "wire/query.h"

#define BU_HS_TIMEOUT		5	/* seconds for one handshake reply */
#define BU_HS_MAX		8192	/* longest reply header accepted */
#define BU_SENDERS		4	/* ultrapeers that write queries */
#define BU_QRP_BITS		17
#define BU_PATCH_MAX		4096
#define BU_VOCAB		20000
#define BU_TABLES_WAIT_MS	30000
#define BU_SETTLE_MS		1000
#define BU_QUERY_TTL		2
#define BU_OUTBUF		65536
#define BU_INBUF		65536

struct bu_peer {
	int		 fd;
	uint8_t		 hdr[DESC_HDR_LEN];	/* header being gathered */
	size_t		 hlen;
	uint32_t	 skip;		/* payload bytes still to pass over */
	uint64_t	 queries;	/* query descriptors read */
	/* a sender's queries waiting to go out */
	uint8_t		*out;
	size_t		 off, len;
	uint64_t	 seq;
};

/* What the cleanup needs when any step fails. */
static uint16_t			 bu_port;	/* the node's listening port */
static unsigned int		 bu_npeers = 32, bu_nleaves = 300;

static void
bu_write_conf(const char *path, uint16_t port)
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
	    "max_peers = %u\n"
	    "max_leaves = %u\n"
	    "ping_interval = 3600\n"
	    "idle_timeout = 3600\n"
	    "send_queue = 64M\n",
	    bn_dir, BN_NODE_ADDR, (unsigned int)port, bn_dir,
	    bu_npeers + 8, bu_nleaves + 8);
	if (fclose(f) == EOF)
		bn_fail("%s: %s", path, strerror(errno));
}


/* Pass read bytes through the descriptor framing, counting queries. */
static void
bu_feed(struct bu_peer *p, const uint8_t *data, size_t len, const char *who)
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
		if (d.func == DESC_QUERY)
			p->queries++;
		p->skip = d.len;
	}
}

/* One read of what is waiting on a non-blocking peer; fail on EOF. */
static void
bu_read(struct bu_peer *p, const char *who)
{
	uint8_t	 buf[BU_INBUF];
	ssize_t	 n;

	n = recv(p->fd, buf, sizeof buf, 0);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	if (n <= 0) {
		bn_sleep_ms(100);
		bn_check_node();
		if (n == -1)
			bn_fail("%s: recv: %s", who, strerror(errno));
		bn_fail("%s: the node closed the connection", who);
	}
	bu_feed(p, buf, (size_t)n, who);
}

static const char *
bu_first_line(char *hdr)
{
	hdr[strcspn(hdr, "\r\n")] = '\0';
	return hdr;
}

/*
 * Connect from src and run the three-way handshake, as an ultrapeer or a
 * leaf, without link compression; then the socket is non-blocking.
 */
static void
bu_handshake(struct bu_peer *p, const char *src, int leaf, uint64_t seed,
    const char *who)
{
	struct timeval	 tv;
	char		 hello[512], reply[BU_HS_MAX + 1], *end;
	const char	*ok = "GNUTELLA/0.6 200 OK\r\n\r\n";
	uint64_t	 g0, g1;
	size_t		 have = 0, hlen;
	ssize_t		 n;
	int		 err = 0, code;

	memset(p, 0, sizeof *p);
	if ((p->fd = bn_connect(src, bu_port, &err)) == -1)
		bn_fail("%s: connect: %s", who, strerror(err));
	tv.tv_sec = BU_HS_TIMEOUT;
	tv.tv_usec = 0;
	if (setsockopt(p->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == -1)
		bn_fail("%s: SO_RCVTIMEO: %s", who, strerror(errno));

	g0 = rng_mix(seed);
	g1 = rng_mix(g0 ^ seed);
	snprintf(hello, sizeof hello, "GNUTELLA CONNECT/0.6\r\n"
	    "User-Agent: bench-ultrapeer/1\r\n"
	    "X-Ultrapeer: %s\r\n"
	    "X-Query-Routing: 0.2\r\n"
	    "GUID: %016llx%016llx\r\n"
	    "X-Max-TTL: 4\r\n"
	    "Bye-Packet: 0.1\r\n"
	    "Node: %s:6346\r\n"
	    "\r\n", leaf ? "False" : "True", (unsigned long long)g0,
	    (unsigned long long)g1, src);
	bn_send_all(p->fd, hello, strlen(hello), who);

	for (;;) {
		reply[have] = '\0';
		if ((end = memmem(reply, have, "\r\n\r\n", 4)) != NULL)
			break;
		if (have == BU_HS_MAX)
			bn_fail("%s: reply header longer than %d bytes: %s",
			    who, BU_HS_MAX, bu_first_line(reply));
		n = recv(p->fd, reply + have, BU_HS_MAX - have, 0);
		if (n == -1 && errno == EINTR) {
			bn_check_interrupt();
			continue;
		}
		if (n == -1)
			bn_fail("%s: no handshake reply: %s", who,
			    strerror(errno));
		if (n == 0)
			bn_fail("%s: the node closed the connection during "
			    "the handshake%s%s", who, have > 0 ? ": " : "",
			    have > 0 ? bu_first_line(reply) : "");
		have += (size_t)n;
	}
	hlen = (size_t)(end - reply) + 4;
	if (memchr(reply, '\0', hlen) != NULL)
		bn_fail("%s: NUL byte in the reply header", who);
	end[2] = '\0';
	if (strncmp(reply, "GNUTELLA/", 9) != 0 ||
	    sscanf(reply + 9, "%*u.%*u %d", &code) != 1 || code != 200)
		bn_fail("%s: handshake refused: %s", who, bu_first_line(reply));
	bn_send_all(p->fd, ok, strlen(ok), who);
	if (have > hlen)
		bu_feed(p, (uint8_t *)reply + hlen, have - hlen, who);
}

static void
bu_nonblock(struct bu_peer *p, const char *who)
{
	if (fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK) == -1)
		bn_fail("%s: O_NONBLOCK: %s", who, strerror(errno));
}

static void
bu_send_desc(int fd, uint8_t func, const uint8_t *p, size_t n, uint64_t key,
    const char *who)
{
	uint8_t		 out[DESC_HDR_LEN + BU_PATCH_MAX];
	struct desc	 d;

	memset(&d, 0, sizeof d);
	poke_le64(d.guid, rng_mix(key));
	poke_le64(d.guid + 8, rng_mix(key ^ 0x5555));
	d.func = func;
	d.ttl = 1;
	d.len = (uint32_t)n;
	desc_encode(&d, out, DESC_HDR_LEN);
	memcpy(out + DESC_HDR_LEN, p, n);
	bn_send_all(fd, (const char *)out, DESC_HDR_LEN + n, who);
}

struct bu_qrp {
	int		 fd;
	uint64_t	 key;
	const char	*who;
};

static int
bu_send_qrp(void *arg, const struct qrp *q)
{
	struct bu_qrp	*bq = arg;
	uint8_t		 msg[BU_PATCH_MAX];
	size_t		 n = qrp_encode(q, msg, sizeof msg);

	if (n == 0)
		bn_fail("%s: cannot encode a QRP message", bq->who);
	bu_send_desc(bq->fd, DESC_QRP, msg, n, bq->key++, bq->who);
	return 0;
}

/* The vocabulary's word k. */
static size_t
bu_word(char *w, size_t cap, uint32_t k)
{
	return (size_t)snprintf(w, cap, "vocab%05u", (unsigned int)k);
}

/* A leaf's table of nwords vocabulary words, as RESET + zlib PATCHes. */
static void
bu_send_table(struct bu_peer *p, struct rng *rng, unsigned int nwords,
    const char *who)
{
	size_t		 slots = (size_t)1 << BU_QRP_BITS, len, i;
	uint8_t		*nib, *z;
	struct bu_qrp	 bq = { p->fd, rng_next(rng), who };
	char		 w[32];
	uint32_t	 h;

	nib = xcalloc(slots / 2, 1);
	z = xmalloc(slots);
	for (i = 0; i < nwords; i++) {
		len = bu_word(w, sizeof w,
		    (uint32_t)(rng_next(rng) % BU_VOCAB));
		h = qrp_hash(w, len, BU_QRP_BITS);
		nib[h / 2] |= (h & 1) ? 0x0a : 0xa0;	/* -6: "here" */
	}
	if ((len = qrp_deflate(nib, slots / 2, z, slots)) == 0 ||
	    qrp_table_msgs((uint32_t)slots, 7, z, len, BU_PATCH_MAX,
	    bu_send_qrp, &bq) == 0)
		bn_fail("%s: cannot build the QRP table", who);
	free(nib);
	free(z);
}

/* One query: 9 in 10 two words no leaf has, else a vocabulary word. */
static size_t
bu_query(uint8_t *out, size_t cap, uint64_t key, uint64_t seq)
{
	struct desc	 d;
	struct query	 q;
	char		 text[64];
	uint64_t	 a;
	size_t		 plen;

	if (cap < DESC_HDR_LEN)
		return 0;
	memset(&d, 0, sizeof d);
	memset(&q, 0, sizeof q);
	a = rng_mix(key ^ seq);
	poke_le64(d.guid, a);
	poke_le64(d.guid + 8, rng_mix(a));
	d.guid[8] = 0xff;
	d.guid[15] = 0x00;
	d.func = DESC_QUERY;
	d.ttl = BU_QUERY_TTL;
	if (a % 10 == 0)
		bu_word(text, sizeof text, (uint32_t)(rng_mix(a) % BU_VOCAB));
	else
		snprintf(text, sizeof text, "nowhere%08x absent%08x",
		    (unsigned int)(a >> 32), (unsigned int)a);
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

/* Refill a sender's buffer with whole queries. */
static void
bu_fill(struct bu_peer *p, uint64_t key)
{
	size_t	 n;

	p->off = p->len = 0;
	for (;;) {
		n = bu_query(p->out + p->len, BU_OUTBUF - p->len, key, p->seq);
		if (n == 0)
			break;
		p->len += n;
		p->seq++;
	}
}

/* A number the node's `--json CMD` says, the first "KEY": in it; with
 * count, how many times "KEY":true occurs. -1 when unread. */
static long long
bu_ctl(const char *gnode, const char *cmd, const char *key, int count)
{
	char		 line[PATH_MAX + 128], pat[64], *buf, *p;
	FILE		*f;
	size_t		 len = 0, n, cap = 1 << 20;
	long long	 v = -1;

	snprintf(line, sizeof line, "'%s' -S '%s/ctl' --json %s 2>/dev/null",
	    gnode, bn_dir, cmd);
	if ((f = popen(line, "r")) == NULL)
		return -1;
	buf = xmalloc(cap + 1);
	while ((n = fread(buf + len, 1, cap - len, f)) > 0)
		len += n;
	pclose(f);
	buf[len] = '\0';
	snprintf(pat, sizeof pat, count ? "\"%s\":true" : "\"%s\":", key);
	if (count) {
		v = 0;
		for (p = buf; (p = strstr(p, pat)) != NULL; p += strlen(pat))
			v++;
	} else if ((p = strstr(buf, pat)) != NULL)
		v = strtoll(p + strlen(pat), NULL, 10);
	free(buf);
	return v;
}

/* Poll every connection for ms, reading what comes, and writing the
 * senders' queries while writing is on. */
static void
bu_pump(struct bu_peer *all, size_t n, unsigned int ms, int writing,
    uint64_t key)
{
	struct pollfd	*pfd;
	uint64_t	 end = bn_now_ms() + ms, now;
	size_t		 i;
	ssize_t		 w;
	char		 who[32];

	pfd = xcalloc(n, sizeof *pfd);
	while ((now = bn_now_ms()) < end) {
		bn_check_interrupt();
		for (i = 0; i < n; i++) {
			pfd[i].fd = all[i].fd;
			pfd[i].events = POLLIN;
			if (writing && i < BU_SENDERS)
				pfd[i].events |= POLLOUT;
			pfd[i].revents = 0;
		}
		if (poll(pfd, n, (int)(end - now < 50 ? end - now : 50)) == -1) {
			if (errno == EINTR)
				continue;
			bn_fail("poll: %s", strerror(errno));
		}
		for (i = 0; i < n; i++) {
			snprintf(who, sizeof who, "%s %zu", i < bu_npeers ?
			    "peer" : "leaf", i < bu_npeers ? i : i - bu_npeers);
			if (pfd[i].revents & POLLOUT) {
				if (all[i].off == all[i].len)
					bu_fill(&all[i], key ^ (uint64_t)i << 56);
				w = send(all[i].fd, all[i].out + all[i].off,
				    all[i].len - all[i].off,
				    MSG_NOSIGNAL | MSG_DONTWAIT);
				if (w == -1 && errno != EAGAIN &&
				    errno != EWOULDBLOCK && errno != EINTR)
					bn_fail("%s: send: %s", who,
					    strerror(errno));
				if (w > 0)
					all[i].off += (size_t)w;
			}
			if (pfd[i].revents & (POLLIN | POLLERR | POLLHUP))
				bu_read(&all[i], who);
		}
	}
	free(pfd);
}

/* Finish the senders' partial queries, so the node is left none half. */
static void
bu_flush(struct bu_peer *all)
{
	size_t	 i;

	for (i = 0; i < BU_SENDERS && i < bu_npeers; i++) {
		fcntl(all[i].fd, F_SETFL, fcntl(all[i].fd, F_GETFL) &
		    ~O_NONBLOCK);
		bn_send_all(all[i].fd, (const char *)all[i].out + all[i].off,
		    all[i].len - all[i].off, "sender");
		all[i].off = all[i].len = 0;
		bu_nonblock(&all[i], "sender");
	}
}

/* bench-relay's flat rate with as many peers: queries_in_per_s. */
static double
bu_relay(const char *relay, const char *gnode, unsigned int seconds)
{
	char	 cmd[2 * PATH_MAX + 128], line[4096], *p;
	FILE	*f;
	double	 v = -1;

	snprintf(cmd, sizeof cmd, "'%s' --json --gnode '%s' --peers %u "
	    "--seconds %u", relay, gnode, bu_npeers, seconds);
	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if ((p = strstr(line, "\"queries_in_per_s\":")) != NULL)
			v = strtod(p + strlen("\"queries_in_per_s\":"), NULL);
	if (pclose(f) != 0)
		return -1;
	return v;
}

static void
bu_usage(void)
{
	fprintf(stderr, "usage: bench-ultrapeer [--peers P] [--leaves L] "
	    "[--words W] [--seconds S] [--relay PATH] [--json] "
	    "[--gnode PATH]\n");
	exit(1);
}

static unsigned int
bu_number(const char *s, unsigned int min, unsigned int max)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "bench-ultrapeer: %s: want a number from %u "
		    "to %u\n", s, min, max);
		exit(1);
	}
	return (unsigned int)v;
}

/* Enough descriptors for every peer; the soft limit is often 1024. */
static void
bu_raise_nofile(size_t want)
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
	struct bu_peer		*all;
	struct rng		 rng[1];
	char			*gnode;
	const char		*tmp, *relay = NULL;
	char			 tmpl[PATH_MAX], path[PATH_MAX + 32];
	char			 who[32], src[32];
	unsigned int		 nwords = 300, seconds = 5;
	uint64_t		 seed, rss0, rss1, t0, t1, key;
	uint64_t		 leafq = 0, upq = 0;
	long long		 tables = -1, seen0, seen1;
	size_t			 i, n;
	double			 qps, kib, flat = -1;
	int			 k, json = 0;

	bn_prog = "bench-ultrapeer";
	if ((gnode = getenv("GNODE")) == NULL || *gnode == '\0')
		gnode = "./gnode";
	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--json") == 0)
			json = 1;
		else if (strcmp(argv[k], "--peers") == 0 && k + 1 < argc)
			bu_npeers = bu_number(argv[++k], BU_SENDERS + 1, 100);
		else if (strcmp(argv[k], "--leaves") == 0 && k + 1 < argc)
			bu_nleaves = bu_number(argv[++k], 1, 300);
		else if (strcmp(argv[k], "--words") == 0 && k + 1 < argc)
			nwords = bu_number(argv[++k], 1, 5000);
		else if (strcmp(argv[k], "--seconds") == 0 && k + 1 < argc)
			seconds = bu_number(argv[++k], 1, 86400);
		else if (strcmp(argv[k], "--relay") == 0 && k + 1 < argc)
			relay = argv[++k];
		else if (strcmp(argv[k], "--gnode") == 0 && k + 1 < argc)
			gnode = argv[++k];
		else
			bu_usage();
	}
	if (strchr(gnode, '/') != NULL && access(gnode, X_OK) == -1) {
		fprintf(stderr, "bench-ultrapeer: %s: %s\n", gnode,
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
	n = (size_t)bu_npeers + bu_nleaves;
	bu_raise_nofile(n + 64);

	/* The flat figure first, before our node is up. */
	if (relay != NULL)
		flat = bu_relay(relay, gnode, seconds);

	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(tmpl, sizeof tmpl, "%s/bench-ultrapeer.XXXXXX",
	    tmp) >= sizeof tmpl) {
		fprintf(stderr, "bench-ultrapeer: TMPDIR too long\n");
		return 1;
	}
	if (mkdtemp(tmpl) == NULL) {
		fprintf(stderr, "bench-ultrapeer: mkdtemp %s: %s\n", tmpl,
		    strerror(errno));
		return 1;
	}
	memcpy(bn_dir, tmpl, strlen(tmpl) + 1);
	snprintf(path, sizeof path, "%s/data", bn_dir);
	if (mkdir(path, 0700) == -1)
		bn_fail("mkdir %s: %s", path, strerror(errno));
	bu_port = bn_free_port();
	snprintf(path, sizeof path, "%s/gnode.conf", bn_dir);
	bu_write_conf(path, bu_port);
	bn_spawn(gnode, path);
	bn_wait_listen(bu_port);

	seed = rng_mix((uint64_t)getpid() ^ (uint64_t)time(NULL) << 20);
	rng_seed(rng, seed);
	all = xcalloc(n, sizeof *all);
	for (i = 0; i < bu_npeers; i++) {
		bn_check_interrupt();
		snprintf(who, sizeof who, "peer %zu", i);
		snprintf(src, sizeof src, "127.0.1.%zu", 1 + i);
		bu_handshake(&all[i], src, 0, seed ^ i, who);
		bu_nonblock(&all[i], who);
		if (i < BU_SENDERS)
			all[i].out = xmalloc(BU_OUTBUF);
	}
	bu_pump(all, bu_npeers, BU_SETTLE_MS, 0, 0);
	rss0 = bn_proc_rss();

	for (i = 0; i < bu_nleaves; i++) {
		bn_check_interrupt();
		snprintf(who, sizeof who, "leaf %zu", i);
		if (i < 150)
			snprintf(src, sizeof src, "127.0.2.%zu", 1 + i);
		else
			snprintf(src, sizeof src, "127.0.1.%zu", 101 + i - 150);
		bu_handshake(&all[bu_npeers + i], src, 1, seed ^ (0x10000 + i),
		    who);
		bu_send_table(&all[bu_npeers + i], rng, nwords, who);
		bu_nonblock(&all[bu_npeers + i], who);
	}
	/* Until the node's peers show every table in, within a bound. */
	t0 = bn_now_ms();
	while (bn_now_ms() - t0 < BU_TABLES_WAIT_MS) {
		bu_pump(all, n, 200, 0, 0);
		if ((tables = bu_ctl(gnode, "peers", "qrt", 1)) >=
		    (long long)bu_nleaves)
			break;
	}
	if (tables < (long long)bu_nleaves)
		bn_fail("only %lld of %u leaves' tables are in", tables,
		    bu_nleaves);
	bu_pump(all, n, BU_SETTLE_MS, 0, 0);
	rss1 = bn_proc_rss();

	key = rng_next(rng);
	if ((seen0 = bu_ctl(gnode, "stats", "queries_seen", 0)) < 0)
		bn_fail("cannot read the node's queries_seen");
	t0 = bn_now_ms();
	bu_pump(all, n, seconds * 1000, 1, key);
	bu_flush(all);
	t1 = bn_now_ms();
	if ((seen1 = bu_ctl(gnode, "stats", "queries_seen", 0)) < 0)
		bn_fail("cannot read the node's queries_seen");
	/* What is still on its way is read, so the node is left idle. */
	bu_pump(all, n, 500, 0, 0);
	for (i = 0; i < n; i++) {
		if (i < bu_npeers)
			upq += all[i].queries;
		else
			leafq += all[i].queries;
		close(all[i].fd);
		free(all[i].out);
	}
	free(all);
	bn_cleanup();

	/* The stats are read after the flush: a little past t1 at most. */
	qps = (double)(seen1 - seen0) * 1000.0 / (double)(t1 - t0);
	kib = ((double)rss1 - (double)rss0) / bu_nleaves;
	if (json) {
		printf("{\"bench\":\"ultrapeer\",\"peers\":%u,\"leaves\":%u,"
		    "\"words\":%u,\"seconds\":%u,\"queries\":%lld,"
		    "\"queries_per_s\":%.1f,\"peer_queries_in\":%llu,"
		    "\"leaf_queries_in\":%llu,\"rss_kib\":%llu,"
		    "\"kib_per_leaf\":%.2f", bu_npeers, bu_nleaves, nwords,
		    seconds, seen1 - seen0, qps, (unsigned long long)upq,
		    (unsigned long long)leafq, (unsigned long long)rss1, kib);
		if (flat >= 0)
			printf(",\"relay_flat_qps\":%.1f", flat);
		printf(",\"targets\":{\"queries_per_s\":\">= relay_flat_qps "
		    "/ 2\",\"kib_per_leaf\":\"<= 16\"");
		if (flat >= 0)
			printf(",\"queries_per_s_met\":%s",
			    qps >= flat / 2 ? "true" : "false");
		printf(",\"kib_per_leaf_met\":%s}}\n",
		    kib <= 16 ? "true" : "false");
	} else {
		printf("ultrapeer: %u peers (%d senders), %u leaves of %u "
		    "words, %u s\n", bu_npeers, BU_SENDERS, bu_nleaves, nwords,
		    seconds);
		printf("  queries routed    %lld (%.1f/s)\n", seen1 - seen0,
		    qps);
		if (flat >= 0)
			printf("  flat relay        %.1f/s (bench-relay, %u "
			    "peers)\n", flat, bu_npeers);
		printf("  to peers, leaves  %llu, %llu queries\n",
		    (unsigned long long)upq, (unsigned long long)leafq);
		printf("  node rss          %llu KiB\n",
		    (unsigned long long)rss1);
		printf("  per leaf          %.2f KiB\n", kib);
	}
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "bench-ultrapeer: stdout: %s\n",
		    strerror(errno));
		return 1;
	}
	return 0;
}
