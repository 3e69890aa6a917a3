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
 *                      had our X-Available-Ranges, said less than 1.5 s
 *                      before: later it may ask to hear them anew);
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

#include "net/uploader.h"


struct up_stats		 st;
struct up_opt		 opt;

int			 file_fd = -1;
uint64_t		 file_size;
uint8_t			 file_sha1[SHA1_LEN], file_tth[TTH_LEN];
char			 file_urn[HUGE_URN_SHA1_LEN + 1], thex_uri[160];
uint8_t			*thex_body;
size_t			 thex_len;
uint8_t			 servent_guid[16];

struct uc		 conns[UP_MAXCONN];
static struct client	 clients[UP_MAXCLIENT];
static size_t		 nclients;
static volatile sig_atomic_t quit;
int			 dirty = 1;	/* counters changed since written */

void __attribute__((noreturn, format(printf, 1, 2)))
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

uint64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

const char *
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
stats_write(int force)
{
	static uint64_t	 last;
	char		 line[1024], tmp[4096];
	FILE		*f;

	/* A file written per poll pass while answers stream would cost
	 * more than the answers it counts (every 512 KiB when capped). */
	if (opt.stats == NULL || !dirty || (!force && now_ms() < last + 100))
		return;
	last = now_ms();
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

struct client *
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

void
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
unsigned
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
void
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
	int		 lfd, a;

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
		/* At once when nothing is being sent (a test reads the file
		 * once a download is done), else at most ten times a
		 * second. */
		for (i = 0; i < UP_MAXCONN; i++)
			if (conns[i].fd >= 0 && conns[i].st == UC_SEND)
				break;
		stats_write(i == UP_MAXCONN);
		t = now_ms();
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
		if (poll(pfd, n, UP_POLL_MS) < 0) {
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
	stats_write(1);
	counters(line, sizeof line);
	fputs(line, stdout);
	fflush(stdout);
	return 0;
}
