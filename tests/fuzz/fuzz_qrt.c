/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_qrt.c: libFuzzer target for the QRP table updates a leaf sends its
 * ultrapeer (core/qrt_leaf.c). An ultrapeer node has a leaf (peer 1) the
 * input plays and an ultrapeer peer (2). The input is a stream of frames,
 * len(2, LE) then that many bytes (cut short by the end of the input),
 * each one QRP payload from the leaf. After each frame the ultrapeer peer
 * sends a query for the frame's first bytes as a word and for a fixed
 * one, and the target checks what a user would see: a leaf without a
 * complete table, or closed, gets no query; a closed leaf was closed with
 * 413; the node's memory stays bounded (two tables of 2^20 bits and one
 * sequence's data at most).
 */
#include <stdlib.h>
#include <string.h>

#include "core/node.h"
#include "wire/desc.h"
#include "wire/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FQ_LEAF		1
#define FQ_UP		2
#define FQ_MAX_BYTES	(4u << 20)

struct fq {
	uint64_t	 now;
	int		 closed;
	uint16_t	 code;
	unsigned	 to_leaf;
};

static uint8_t	 fq_buf[DESC_HDR_LEN + DESC_MAX_PAYLOAD];

static uint64_t
fq_now(void *arg)
{
	return ((struct fq *)arg)->now;
}

static void
fq_send(void *arg, uint32_t peer, const uint8_t *buf, size_t len)
{
	struct fq	*f = arg;

	if (peer == FQ_LEAF && len > 16 && buf[16] == DESC_QUERY)
		f->to_leaf++;
}

static void
fq_close(void *arg, uint32_t peer, uint16_t code, const char *why)
{
	struct fq	*f = arg;

	(void)why;
	if (peer == FQ_LEAF) {
		f->closed = 1;
		f->code = code;
	}
}

static void
fq_desc(uint8_t func, uint8_t ttl, uint32_t n, const uint8_t *p, size_t len)
{
	memset(fq_buf, 0, DESC_HDR_LEN);
	fq_buf[0] = (uint8_t)n;
	fq_buf[1] = (uint8_t)(n >> 8);
	fq_buf[2] = (uint8_t)(n >> 16);
	fq_buf[8] = 0xff;
	fq_buf[16] = func;
	fq_buf[17] = ttl;
	fq_buf[19] = (uint8_t)len;
	fq_buf[20] = (uint8_t)(len >> 8);
	if (len > 0)
		memcpy(fq_buf + DESC_HDR_LEN, p, len);
}

/* The ultrapeer peer relays a query for text through the node. */
static void
fq_query(struct node *n, uint32_t seq, const char *text, size_t tlen)
{
	uint8_t		 q[QUERY_MAX_TEXT + 8];
	struct query	 qq;
	size_t		 len;

	memset(&qq, 0, sizeof qq);
	qq.text = text;
	qq.textlen = tlen;
	if ((len = query_encode(&qq, q, sizeof q)) == 0)
		return;
	fq_desc(DESC_QUERY, 3, seq, q, len);
	node_recv(n, FQ_UP, fq_buf, DESC_HDR_LEN + len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct node_env env = {
		fq_now, fq_send, NULL, fq_close, NULL, NULL
	};
	struct node_conf	 conf;
	struct peer_info	 pi;
	struct fq		 f;
	struct node		*n;
	char			 word[8];
	size_t			 off = 0, len, i, wl;
	uint32_t		 seq = 1;
	unsigned		 before;
	int			 ready;

	memset(&f, 0, sizeof f);
	f.now = 1000000;
	node_conf_default(&conf);
	conf.seen_max = 4096;
	n = node_new(&env, &f, &conf, 1);
	memset(&pi, 0, sizeof pi);
	pi.ip = 0x7f000010u;
	pi.port = 6346;
	pi.leaf = 1;
	(void)node_peer_up(n, FQ_LEAF, &pi);
	pi.ip = 0x7f000011u;
	pi.leaf = 0;
	pi.ultra = 1;
	(void)node_peer_up(n, FQ_UP, &pi);

	while (off + 2 <= size && !f.closed) {
		len = (size_t)data[off] | (size_t)data[off + 1] << 8;
		off += 2;
		if (len > size - off)
			len = size - off;
		if (len > DESC_MAX_PAYLOAD)
			len = DESC_MAX_PAYLOAD;
		fq_desc(DESC_QRP, 1, seq++, data + off, len);
		(void)node_recv(n, FQ_LEAF, fq_buf, DESC_HDR_LEN + len);
		for (i = 0, wl = 0; i < len && wl < sizeof word; i++)
			if (data[off + i] >= 'a' && data[off + i] <= 'z')
				word[wl++] = (char)data[off + i];
		off += len;
		if (f.closed) {
			if (f.code != 413)
				abort();
			if (node_peer_qrt_ready(n, FQ_LEAF) != -1)
				abort();
			break;
		}
		if (node_bytes(n) > FQ_MAX_BYTES)
			abort();
		ready = node_peer_qrt_ready(n, FQ_LEAF);
		if (ready < 0)
			abort();
		before = f.to_leaf;
		if (wl > 0)
			fq_query(n, seq++, word, wl);
		fq_query(n, seq++, "fuzz", 4);
		if (!ready && f.to_leaf != before)
			abort();
		if (f.to_leaf > before + 2)
			abort();
	}
	node_free(n);
	return 0;
}
