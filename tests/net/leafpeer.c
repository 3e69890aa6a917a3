/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * leafpeer.c: a peer of the two tiers, for tests/leaves.sh.
 *
 *   leafpeer leaf IP PORT SRC SECS WORD...
 *	dial the node from address SRC as a leaf (X-Ultrapeer: False),
 *	print its answer ("reply: GNUTELLA/0.6 200 OK", "reply: Name:
 *	value"); on a 200, send the third step, then a QRP table of the
 *	words (each hashed as gtk-gnutella does, 2^17 slots, a RESET and
 *	4-bit zlib PATCHes of at most 4 KiB), print "table sent", and for
 *	SECS seconds (or until SIGTERM) print "query: TEXT" for each query
 *	the node sends it, answering pings; then "queries: N" and a Bye.
 *   leafpeer up IP PORT SRC SECS
 *	the same as an ultrapeer (X-Ultrapeer: True, no table): prints
 *	"linked", then each query as "query: TEXT".
 *   leafpeer oob IP PORT SRC UPORT SECS claim|noclaim TEXT
 *	dial as an ultrapeer and send one query for TEXT that asks for
 *	hits out of band (the OOB flag; SRC:UPORT, where it listens for
 *	UDP, in its MUID), with hops 1 as if relayed; for SECS seconds
 *	print "offer: N" for a reply number (LIME/12) by UDP, answered
 *	with an ack (LIME/11v2 for N) when told to claim, "udp hit" for a
 *	hit by UDP and "tcp hit" for one in band; then "done".
 *   leafpeer udpflood IP PORT SRC COUNT
 *	send COUNT datagrams to IP:PORT from SRC, reply numbers and acks
 *	(LIME/12v2, LIME/11v2) for MUIDs nobody asked about; "sent COUNT".
 *   leafpeer query IP PORT SRC TEXT...
 *	dial the node as an ultrapeer and send one query (TTL 2) per TEXT,
 *	in order; then a Bye, and "sent N" once the node closed.
 *
 * Every line is flushed as it is printed, so a script can poll the
 * output. Every wait is bounded: a node that never answers makes it exit
 * 1. The node gets no Accept-Encoding, so nothing comes compressed.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wire/bye.h"
#include "wire/desc.h"
#include "wire/hs.h"
#include "wire/ping.h"
#include "wire/qrp.h"
#include "wire/query.h"
#include "wire/vmsg.h"

#define LP_WAIT_MS	20000
#define LP_BITS		17
#define LP_PATCH_MAX	4096	/* bytes of a PATCH payload at most */
#define LP_BUF		(HS_MAX_BLOCK + 4 * 65536)

static uint8_t			 lp_buf[LP_BUF];
static size_t			 lp_len;
static volatile sig_atomic_t	 lp_term;

static uint64_t
lp_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
lp_on_term(int sig)
{
	(void)sig;
	lp_term = 1;
}

static int
lp_write(int fd, const void *p, size_t n)
{
	const uint8_t	*b = p;
	ssize_t		 w;

	while (n > 0) {
		if ((w = write(fd, b, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* More bytes before deadline: 1; 0 on timeout or SIGTERM; -1 closed. */
static int
lp_more(int fd, uint64_t deadline)
{
	struct pollfd	 pfd;
	uint64_t	 now;
	ssize_t		 r;
	int		 rc;

	for (;;) {
		if (lp_term || (now = lp_now()) >= deadline)
			return 0;
		if (lp_len == sizeof lp_buf)
			return -1;
		pfd.fd = fd;
		pfd.events = POLLIN;
		rc = poll(&pfd, 1, (int)(deadline - now));
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc <= 0)
			return rc == 0 ? 0 : -1;
		r = read(fd, lp_buf + lp_len, sizeof lp_buf - lp_len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		lp_len += (size_t)r;
		return 1;
	}
}

static void
lp_consume(size_t n)
{
	memmove(lp_buf, lp_buf + n, lp_len - n);
	lp_len -= n;
}

static int
lp_send_desc(int fd, uint8_t func, uint8_t ttl, const uint8_t *guid,
    const uint8_t *p, size_t n)
{
	uint8_t		 out[DESC_HDR_LEN + 65536];
	struct desc	 d;
	size_t		 i;

	memset(&d, 0, sizeof d);
	if (guid != NULL)
		memcpy(d.guid, guid, sizeof d.guid);
	else
		for (i = 0; i < sizeof d.guid; i++)
			d.guid[i] = (uint8_t)rand();
	d.func = func;
	d.ttl = ttl;
	d.len = (uint32_t)n;
	desc_encode(&d, out, DESC_HDR_LEN);
	memcpy(out + DESC_HDR_LEN, p, n);
	return lp_write(fd, out, DESC_HDR_LEN + n);
}

static int
lp_bye(int fd)
{
	uint8_t		 p[64];
	struct bye	 b = { 200, "done", 4 };
	size_t		 n = bye_encode(&b, p, sizeof p);

	return lp_send_desc(fd, DESC_BYE, 1, NULL, p, n);
}

/* Dial ip:port from src and shake hands saying role; 0 when up. */
static int
lp_connect(const char *ip, const char *port, const char *src, int leaf)
{
	char			 hello[512];
	struct sockaddr_in	 sin, me;
	struct hs		*h;
	enum wire_status	 st;
	uint64_t		 deadline = lp_now() + LP_WAIT_MS;
	size_t			 used, i;
	int			 fd, n, up = 0;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(port));
	me = sin;
	me.sin_port = 0;
	if (inet_pton(AF_INET, ip, &sin.sin_addr) != 1 ||
	    inet_pton(AF_INET, src, &me.sin_addr) != 1) {
		fprintf(stderr, "leafpeer: bad address\n");
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&me, sizeof me) == -1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		perror("leafpeer: connect");
		return -1;
	}
	n = snprintf(hello, sizeof hello, "GNUTELLA CONNECT/0.6\r\n"
	    "User-Agent: leafpeer/0.1\r\n"
	    "X-Ultrapeer: %s\r\n"
	    "X-Query-Routing: 0.2\r\n"
	    "X-Ultrapeer-Query-Routing: 0.1\r\n"
	    "X-Degree: 32\r\n"
	    "X-Max-TTL: 4\r\n"
	    "\r\n", leaf ? "False" : "True");
	if (lp_write(fd, hello, (size_t)n) != 0)
		goto fail;
	if ((h = malloc(sizeof *h)) == NULL)
		goto fail;
	for (;;) {
		st = hs_parse(lp_buf, lp_len, h, &used);
		if (st == WIRE_OK)
			break;
		if (st != WIRE_SHORT || lp_more(fd, deadline) <= 0) {
			printf("no reply\n");
			free(h);
			goto fail;
		}
	}
	printf("reply: GNUTELLA/%d.%d %d %s\n", h->major, h->minor, h->code,
	    h->reason);
	for (i = 0; i < h->nhdr; i++)
		printf("reply: %s: %s\n", h->hdr[i].name, h->hdr[i].value);
	fflush(stdout);
	up = h->code == 200;
	free(h);
	lp_consume(used);
	if (!up)
		goto fail;
	if (lp_write(fd, "GNUTELLA/0.6 200 OK\r\n\r\n", 23) != 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

struct lp_qrp {
	int	 fd;
	int	 failed;
};

/* One QRP message of the table to the node; a failure stops the rest. */
static int
lp_send_qrp(void *arg, const struct qrp *q)
{
	struct lp_qrp	*lq = arg;
	uint8_t		 msg[LP_PATCH_MAX];
	size_t		 n = qrp_encode(q, msg, sizeof msg);

	if (n == 0 || lp_send_desc(lq->fd, DESC_QRP, 1, NULL, msg, n) != 0)
		lq->failed = 1;
	return lq->failed;
}

/* A table of the words into PATCH data, sent after a RESET. */
static int
lp_send_table(int fd, char **words, int nwords)
{
	size_t		 slots = (size_t)1 << LP_BITS, i, len, cap = slots;
	uint8_t		*nib, *z;
	uint32_t	 hh;
	char		 w[256];
	struct lp_qrp	 lq = { fd, 0 };
	int		 k, rc = 0;

	nib = calloc(slots / 2, 1);
	z = malloc(cap);
	if (nib == NULL || z == NULL) {
		free(nib);
		free(z);
		return -1;
	}
	/* Entry 7 - 6 = 1 ("here") where a word hashes, 0 elsewhere. */
	for (k = 0; k < nwords; k++) {
		for (i = 0; words[k][i] != '\0' && i < sizeof w - 1; i++)
			w[i] = (char)(words[k][i] >= 'A' && words[k][i] <= 'Z' ?
			    words[k][i] + 32 : words[k][i]);
		hh = qrp_hash(w, i, LP_BITS);
		nib[hh / 2] |= (hh & 1) ? 0x0a : 0xa0;	/* -6, 4 bits */
	}
	len = qrp_deflate(nib, slots / 2, z, cap);
	if (qrp_table_msgs((uint32_t)slots, 7, z, len, LP_PATCH_MAX,
	    lp_send_qrp, &lq) == 0 || lq.failed)
		rc = -1;
	free(nib);
	free(z);
	return rc;
}

static int
lp_leaf(const char *ip, const char *port, const char *src, unsigned secs,
    int leaf, char **words, int nwords)
{
	uint64_t	 deadline;
	struct desc	 d;
	struct query	 qu;
	struct pong	 po;
	uint8_t		 pp[64];
	unsigned long	 nq = 0;
	size_t		 n;
	int		 fd, rc;

	if ((fd = lp_connect(ip, port, src, leaf)) < 0)
		return -1;
	if (leaf && lp_send_table(fd, words, nwords) != 0) {
		printf("cannot send the table\n");
		close(fd);
		return -1;
	}
	printf(leaf ? "table sent\n" : "linked\n");
	fflush(stdout);
	deadline = lp_now() + (uint64_t)secs * 1000;
	for (;;) {
		while (lp_len >= DESC_HDR_LEN &&
		    desc_decode(lp_buf, lp_len, &d) == WIRE_OK &&
		    lp_len >= DESC_HDR_LEN + d.len) {
			if (d.func == DESC_QUERY && query_decode(lp_buf +
			    DESC_HDR_LEN, d.len, &qu) == WIRE_OK) {
				nq++;
				printf("query: %.*s\n", (int)qu.textlen,
				    qu.text);
				fflush(stdout);
			} else if (d.func == DESC_PING) {
				memset(&po, 0, sizeof po);
				inet_pton(AF_INET, src, &po.ip);
				po.ip = ntohl(po.ip);
				po.port = 6346;
				n = pong_encode(&po, pp, sizeof pp);
				lp_send_desc(fd, DESC_PONG, 1, d.guid, pp, n);
			}
			lp_consume(DESC_HDR_LEN + d.len);
		}
		if ((rc = lp_more(fd, deadline)) == 0)
			break;
		if (rc < 0) {
			printf("closed by the node\n");
			break;
		}
	}
	printf("queries: %lu\n", nq);
	fflush(stdout);
	lp_bye(fd);
	close(fd);
	return rc < 0 ? -1 : 0;
}

static int
lp_query(const char *ip, const char *port, const char *src, char **texts,
    int ntexts)
{
	struct query	 q;
	uint8_t		 p[512];
	size_t		 n;
	int		 fd, k;

	if ((fd = lp_connect(ip, port, src, 0)) < 0)
		return -1;
	for (k = 0; k < ntexts; k++) {
		memset(&q, 0, sizeof q);
		q.text = texts[k];
		q.textlen = strlen(texts[k]);
		if ((n = query_encode(&q, p, sizeof p)) == 0 ||
		    lp_send_desc(fd, DESC_QUERY, 2, NULL, p, n) != 0) {
			printf("cannot send a query\n");
			close(fd);
			return -1;
		}
	}
	lp_bye(fd);
	/* The node closes after the Bye: everything before it was read. */
	while (lp_more(fd, lp_now() + LP_WAIT_MS) > 0)
		lp_len = 0;
	printf("sent %d\n", ntexts);
	close(fd);
	return 0;
}

/* A UDP socket bound to src:port, non-blocking; -1 on failure. */
static int
lp_udp(const char *src, unsigned port)
{
	struct sockaddr_in	 me;
	int			 fd;

	memset(&me, 0, sizeof me);
	me.sin_family = AF_INET;
	me.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, src, &me.sin_addr) != 1 ||
	    (fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&me, sizeof me) == -1) {
		perror("leafpeer: bind udp");
		close(fd);
		return -1;
	}
	return fd;
}

/* One LIME OOB message (selector sel, count n) as a whole descriptor. */
static size_t
lp_oob_msg(uint8_t *out, size_t cap, const uint8_t *guid, uint16_t sel,
    uint8_t n)
{
	uint8_t		 body[2] = { n, 1 };
	struct vmsg	 vm;
	struct desc	 d;
	size_t		 len;

	memset(&vm, 0, sizeof vm);
	memcpy(vm.vendor, VMSG_VENDOR_LIME, 4);
	vm.selector = sel;
	vm.version = 2;
	vm.body = body;
	vm.bodylen = sel == VMSG_SEL_OOB_REPLY ? 2 : 1;
	if ((len = vmsg_encode(&vm, out + DESC_HDR_LEN, cap - DESC_HDR_LEN)) ==
	    0)
		return 0;
	memset(&d, 0, sizeof d);
	memcpy(d.guid, guid, 16);
	d.func = DESC_VENDOR;
	d.ttl = 1;
	d.len = (uint32_t)len;
	desc_encode(&d, out, DESC_HDR_LEN);
	return DESC_HDR_LEN + len;
}

static int
lp_oob(const char *ip, const char *port, const char *src, unsigned uport,
    unsigned secs, int claim, const char *text)
{
	uint8_t			 guid[16], p[512], msg[DESC_HDR_LEN + 512];
	uint8_t			 dg[DESC_HDR_LEN + 65536];
	struct sockaddr_in	 from;
	socklen_t		 flen;
	struct query		 q;
	struct desc		 d;
	struct in_addr		 me;
	uint64_t		 deadline;
	ssize_t			 r;
	size_t			 n, i;
	int			 fd, ufd, rc = 0;

	if ((ufd = lp_udp(src, uport)) < 0 || inet_pton(AF_INET, src, &me) != 1)
		return -1;
	if ((fd = lp_connect(ip, port, src, 0)) < 0)
		return -1;
	for (i = 0; i < sizeof guid; i++)
		guid[i] = (uint8_t)rand();
	guid[8] = 0xff;
	vmsg_oob_guid_set(guid, ntohl(me.s_addr), (uint16_t)uport);
	memset(&q, 0, sizeof q);
	q.flags = QUERY_F_MARK | QUERY_F_OOB;
	q.text = text;
	q.textlen = strlen(text);
	if ((n = query_encode(&q, p, sizeof p)) == 0)
		return -1;
	memset(&d, 0, sizeof d);
	memcpy(d.guid, guid, 16);
	d.func = DESC_QUERY;
	d.ttl = 1;
	d.hops = 1;	/* as if relayed: OOB is for requesters further off */
	d.len = (uint32_t)n;
	desc_encode(&d, msg, DESC_HDR_LEN);
	memcpy(msg + DESC_HDR_LEN, p, n);
	if (lp_write(fd, msg, DESC_HDR_LEN + n) != 0)
		return -1;
	printf("query sent\n");
	fflush(stdout);
	deadline = lp_now() + (uint64_t)secs * 1000;
	while (!lp_term && lp_now() < deadline && rc >= 0) {
		flen = sizeof from;
		while ((r = recvfrom(ufd, dg, sizeof dg, 0,
		    (struct sockaddr *)&from, &flen)) > 0) {
			struct vmsg	 vm;

			if (desc_decode(dg, (size_t)r, &d) != WIRE_OK ||
			    (size_t)r != DESC_HDR_LEN + d.len ||
			    memcmp(d.guid, guid, 16) != 0)
				continue;
			if (d.func == DESC_QHIT)
				printf("udp hit\n");
			else if (d.func == DESC_VENDOR &&
			    vmsg_decode(dg + DESC_HDR_LEN, d.len, &vm) ==
			    WIRE_OK && vmsg_is(&vm, VMSG_VENDOR_LIME,
			    VMSG_SEL_OOB_REPLY) && vm.bodylen >= 1) {
				printf("offer: %u\n", vm.body[0]);
				if (claim && (n = lp_oob_msg(msg, sizeof msg,
				    guid, VMSG_SEL_OOB_ACK, vm.body[0])) > 0)
					sendto(ufd, msg, n, 0,
					    (struct sockaddr *)&from, flen);
			}
			fflush(stdout);
			flen = sizeof from;
		}
		while (lp_len >= DESC_HDR_LEN &&
		    desc_decode(lp_buf, lp_len, &d) == WIRE_OK &&
		    lp_len >= DESC_HDR_LEN + d.len) {
			if (d.func == DESC_QHIT && memcmp(d.guid, guid, 16) == 0) {
				printf("tcp hit\n");
				fflush(stdout);
			}
			lp_consume(DESC_HDR_LEN + d.len);
		}
		rc = lp_more(fd, lp_now() + 100);
	}
	printf("done\n");
	fflush(stdout);
	lp_bye(fd);
	close(fd);
	close(ufd);
	return 0;
}

static int
lp_udpflood(const char *ip, const char *port, const char *src,
    unsigned long count)
{
	struct sockaddr_in	 to;
	uint8_t			 guid[16], msg[64];
	unsigned long		 k;
	size_t			 i, n;
	int			 ufd;

	memset(&to, 0, sizeof to);
	to.sin_family = AF_INET;
	to.sin_port = htons((uint16_t)atoi(port));
	if (inet_pton(AF_INET, ip, &to.sin_addr) != 1 ||
	    (ufd = lp_udp(src, 0)) < 0)
		return -1;
	for (k = 0; k < count && !lp_term; k++) {
		for (i = 0; i < sizeof guid; i++)
			guid[i] = (uint8_t)rand();
		n = lp_oob_msg(msg, sizeof msg, guid, k % 2 ?
		    VMSG_SEL_OOB_ACK : VMSG_SEL_OOB_REPLY, 10);
		/* A full socket buffer drops it: the flood goes on. */
		(void)sendto(ufd, msg, n, 0, (struct sockaddr *)&to, sizeof to);
	}
	printf("sent %lu\n", k);
	close(ufd);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = lp_on_term;
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	if (argc >= 7 && strcmp(argv[1], "leaf") == 0)
		return lp_leaf(argv[2], argv[3], argv[4],
		    (unsigned)strtoul(argv[5], NULL, 10), 1, argv + 6,
		    argc - 6) == 0 ? 0 : 1;
	if (argc == 6 && strcmp(argv[1], "up") == 0)
		return lp_leaf(argv[2], argv[3], argv[4],
		    (unsigned)strtoul(argv[5], NULL, 10), 0, NULL, 0) == 0 ?
		    0 : 1;
	if (argc == 9 && strcmp(argv[1], "oob") == 0)
		return lp_oob(argv[2], argv[3], argv[4],
		    (unsigned)strtoul(argv[5], NULL, 10),
		    (unsigned)strtoul(argv[6], NULL, 10),
		    strcmp(argv[7], "claim") == 0, argv[8]) == 0 ? 0 : 1;
	if (argc == 6 && strcmp(argv[1], "udpflood") == 0)
		return lp_udpflood(argv[2], argv[3], argv[4],
		    strtoul(argv[5], NULL, 10)) == 0 ? 0 : 1;
	if (argc >= 6 && strcmp(argv[1], "query") == 0)
		return lp_query(argv[2], argv[3], argv[4], argv + 5,
		    argc - 5) == 0 ? 0 : 1;
	fprintf(stderr, "usage: leafpeer leaf IP PORT SRC SECS WORD...\n"
	    "       leafpeer up IP PORT SRC SECS\n"
	    "       leafpeer oob IP PORT SRC UPORT SECS claim|noclaim TEXT\n"
	    "       leafpeer udpflood IP PORT SRC COUNT\n"
	    "       leafpeer query IP PORT SRC TEXT...\n");
	return 2;
}
