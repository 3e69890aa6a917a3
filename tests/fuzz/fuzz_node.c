/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_node.c: libFuzzer target for the routing engine as a whole. Node A
 * has four peers the input plays (ids 0-3; 2 and 3 are its leaves, whose
 * QRP tables gate the last hop) and a fifth, node B, that is real:
 * what A sends B is delivered to B and what B sends A comes back, so hits B
 * answers are routed through A. A has a flood search of its own running.
 *
 * The input is a stream of frames. Each starts with an op byte:
 *   0xff t	advance the clock by t * 100 ms and tick both nodes
 *   0xfe p	bring peer p % 5 up again if the node closed it
 *   0xfd p l0 l1 QRP from peer p % 4: a route-table update (TTL 1, hops 0)
 *		whose payload is the next l0 | l1 << 8 bytes (cut short by
 *		the end of the input); RESETs and PATCHes, plain or zlib
 *		(lead the corpus with some).
 *   other	low 2 bits the peer, bit 2 out of band (node_recv_oob), bits 4-6
 *		pick one of the last 8 GUIDs A sent (used when bit 3 is set),
 *		so answers can match A's queries, pings and its search;
 *		then a descriptor: 23 header bytes and the payload its length
 *		names, cut short by the end of the input.
 * Everything is deterministic (fixed seeds, a clock only the input moves)
 * and everything is freed.
 */
#include <stdlib.h>
#include <string.h>

#include "core/node.h"
#include "wire/push.h"
#include "wire/desc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FZ_PEERS	4		/* ids the input plays */
#define FZ_B		4		/* node B's id on A */
#define FZ_A		0		/* node A's id on B */
#define FZ_QMAX		64		/* messages queued between A and B */
#define FZ_STEPS	1024		/* deliveries per frame */

struct fz_msg {
	int		 to_b;
	size_t		 len;
	uint8_t		*buf;
};

struct fz {
	struct node	*a, *b;
	uint64_t	 now;
	struct fz_msg	 q[FZ_QMAX];
	size_t		 head, n;
	uint8_t		 guids[8][16];	/* the last GUIDs A sent */
	size_t		 nguid;
};

struct fz_ctx {
	struct fz	*fz;
	int		 is_b;
};

static uint8_t	 fz_buf[DESC_HDR_LEN + DESC_MAX_PAYLOAD];

static uint64_t
fz_now(void *arg)
{
	return ((struct fz_ctx *)arg)->fz->now;
}

static void
fz_queue(struct fz *fz, int to_b, const uint8_t *buf, size_t len)
{
	struct fz_msg	*m;

	if (fz->n == FZ_QMAX)
		return;		/* a full link drops, as a slow peer's would */
	m = &fz->q[(fz->head + fz->n++) % FZ_QMAX];
	m->to_b = to_b;
	m->len = len;
	if ((m->buf = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	memcpy(m->buf, buf, len);
}

static void
fz_send(void *arg, uint32_t peer, const uint8_t *buf, size_t len)
{
	struct fz_ctx	*c = arg;
	struct fz	*fz = c->fz;

	if (c->is_b) {
		if (peer == FZ_A)
			fz_queue(fz, 0, buf, len);
		return;
	}
	if (len >= 16)
		memcpy(fz->guids[fz->nguid++ % 8], buf, 16);
	if (peer == FZ_B)
		fz_queue(fz, 1, buf, len);
}

static void
fz_send_oob(void *arg, uint32_t ip, uint16_t port, const uint8_t *buf,
    size_t len)
{
	struct fz_ctx	*c = arg;

	if (!c->is_b && len >= 16)
		memcpy(c->fz->guids[c->fz->nguid++ % 8], buf, 16);
}

static void
fz_close(void *arg, uint32_t peer, uint16_t code, const char *why)
{
	struct fz_ctx	*c = arg;

	/* The link between A and B goes down on both sides. */
	if (c->is_b && peer == FZ_A)
		node_peer_down(c->fz->a, FZ_B);
	else if (!c->is_b && peer == FZ_B)
		node_peer_down(c->fz->b, FZ_A);
}

/* Both nodes share one file for any query whose text starts with 'f'. */
static size_t
fz_match(void *arg, const struct query *q, struct qhit_record *out,
    size_t max)
{
	if (max == 0 || q->textlen == 0 || q->text[0] != 'f')
		return 0;
	memset(out, 0, sizeof *out);
	out->index = 1;
	out->size = 4096;
	out->name = "fuzz.txt";
	out->namelen = 8;
	return 1;
}

static void
fz_result(void *arg, const struct node_result *r)
{
}

static void
fz_up(struct fz *fz, uint32_t p)
{
	struct peer_info	 pi;

	memset(&pi, 0, sizeof pi);
	pi.ip = 0x7f000010u + p;
	pi.port = 6346;
	pi.degree = 5;
	pi.ultra = p != 2 && p != 3;
	pi.leaf = p == 2 || p == 3;
	if (node_peer_up(fz->a, p, &pi) == 0 && p == FZ_B) {
		pi.ip = 0x7f000002u;
		(void)node_peer_up(fz->b, FZ_A, &pi);
	}
}

static void
fz_deliver(struct fz *fz)
{
	struct fz_msg	 m;
	size_t		 steps;

	for (steps = 0; fz->n > 0 && steps < FZ_STEPS; steps++) {
		m = fz->q[fz->head];
		fz->head = (fz->head + 1) % FZ_QMAX;
		fz->n--;
		if (m.to_b)
			node_recv(fz->b, FZ_A, m.buf, m.len);
		else
			node_recv(fz->a, FZ_B, m.buf, m.len);
		free(m.buf);
	}
}

/* A Push the core hands us must be for this node. */
static void
fz_push(void *arg, uint32_t peer, const struct push *pu)
{
	struct fz_ctx	*c = arg;
	struct node	*self = c->is_b ? c->fz->b : c->fz->a;

	(void)peer;
	if (self != NULL && memcmp(pu->guid, node_guid(self), 16) != 0)
		abort();
}

static void
fz_connect_back(void *arg, uint32_t peer, uint16_t port)
{
	(void)arg;
	(void)peer;
	(void)port;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct node_env env = {
		.now = fz_now, .send = fz_send, .send_oob = fz_send_oob,
		.close = fz_close, .match = fz_match, .result = fz_result,
		.oob_ok = NULL, .push = fz_push, .connect_back = fz_connect_back
	};
	struct fz		 fz;
	struct fz_ctx		 ca, cb;
	struct node_conf	 conf;
	struct search_opts	 so;
	const char		*cause;
	size_t			 off = 0, len;
	uint32_t		 dlen, p;
	uint8_t			 op;

	memset(&fz, 0, sizeof fz);
	fz.now = 1000000;
	ca.fz = cb.fz = &fz;
	ca.is_b = 0;
	cb.is_b = 1;
	node_conf_default(&conf);
	conf.ip = 0x7f000002u;
	conf.port = 6346;
	conf.seen_max = 4096;	/* small tables: eviction is exercised too */
	conf.hosts_max = 64;
	conf.oob = 1;		/* OOB offers, claims and hits (oob.c) */
	fz.a = node_new(&env, &ca, &conf, 1);
	conf.ip = 0x7f000003u;
	fz.b = node_new(&env, &cb, &conf, 2);
	for (p = 0; p <= FZ_B; p++)
		fz_up(&fz, p);
	memset(&so, 0, sizeof so);
	so.strategy = "flood";
	so.ttl = 4;
	(void)node_search(fz.a, "fuzz", &so, &cause);
	fz_deliver(&fz);

	while (off < size) {
		op = data[off++];
		if (op == 0xfd) {
			if (size - off < 3)
				break;
			p = data[off] % FZ_PEERS;
			dlen = (uint32_t)data[off + 1] |
			    (uint32_t)data[off + 2] << 8;
			off += 3;
			if (dlen > size - off)
				dlen = (uint32_t)(size - off);
			if (dlen > DESC_MAX_PAYLOAD)
				dlen = DESC_MAX_PAYLOAD;
			memset(fz_buf, 0, DESC_HDR_LEN);
			fz_buf[0] = (uint8_t)off;	/* some GUID */
			fz_buf[16] = DESC_QRP;
			fz_buf[17] = 1;
			fz_buf[19] = (uint8_t)dlen;
			fz_buf[20] = (uint8_t)(dlen >> 8);
			memcpy(fz_buf + DESC_HDR_LEN, data + off, dlen);
			off += dlen;
			node_recv(fz.a, p, fz_buf, DESC_HDR_LEN + dlen);
			fz_deliver(&fz);
			continue;
		}
		if (op == 0xff || op == 0xfe) {
			if (off == size)
				break;
			if (op == 0xff) {
				fz.now += 100u * data[off];
				node_tick(fz.a);
				node_tick(fz.b);
			} else
				fz_up(&fz, data[off] % (FZ_B + 1));
			off++;
			fz_deliver(&fz);
			continue;
		}
		if (size - off < DESC_HDR_LEN)
			break;
		/* The length field as sent, whatever desc_decode thinks of it. */
		dlen = (uint32_t)data[off + 19] | (uint32_t)data[off + 20] << 8 |
		    (uint32_t)data[off + 21] << 16 |
		    (uint32_t)data[off + 22] << 24;
		len = size - off - DESC_HDR_LEN < dlen ?
		    size - off : DESC_HDR_LEN + dlen;
		if (len > sizeof fz_buf)
			len = sizeof fz_buf;
		memcpy(fz_buf, data + off, len);
		off += len;
		if (op & 0x08)
			memcpy(fz_buf, fz.guids[(op >> 4) & 7], 16);
		if (op & 0x04)
			node_recv_oob(fz.a, 0x7f000010u + (op & 3), 6346, fz_buf,
			    len);
		else
			node_recv(fz.a, op & 3, fz_buf, len);
		fz_deliver(&fz);
	}

	node_free(fz.a);
	node_free(fz.b);
	while (fz.n > 0) {
		free(fz.q[fz.head].buf);
		fz.head = (fz.head + 1) % FZ_QMAX;
		fz.n--;
	}
	return 0;
}
