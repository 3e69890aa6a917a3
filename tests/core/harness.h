/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * harness.h: a minimal host for core tests: up to H_MAX nodes, links made
 * by hand, every message queued in FIFO order and delivered on h_run(), and
 * a log of everything sent so tests can assert exact paths. A test may also
 * play a peer itself (h_inject) and read what the node sent back.
 */
#ifndef GNODE_HARNESS_H
#define GNODE_HARNESS_H

#include "core/node.h"
#include "wire/desc.h"

#define H_MAX		16
#define H_LOG_MAX	4096
#define H_TESTER	1000	/* peer id of the test playing a peer */

struct h_msg {
	uint32_t	 from;		/* node index */
	uint32_t	 to;		/* peer id (node index or H_TESTER) */
	int		 oob;
	struct desc	 d;
	size_t		 len;
	uint8_t		*buf;
};

struct h_close {
	uint32_t	 node;
	uint32_t	 peer;
	uint16_t	 code;
};

struct harness;

/* What each node's callbacks get back: the harness and the node's index. */
struct h_ctx {
	struct harness	*h;
	uint32_t	 i;
};

struct harness {
	struct node_env	 env;
	struct node	*node[H_MAX];
	struct h_ctx	 ctx[H_MAX];
	const char	*shares[H_MAX];	/* a word node i answers, or NULL */
	uint32_t	 n;
	uint64_t	 now;
	struct h_msg	 log[H_LOG_MAX];	/* everything sent, in order */
	size_t		 nlog;
	size_t		 next;		/* next log entry to deliver */
	struct h_close	 closes[64];
	size_t		 ncloses;
	int		 stop_on_result;	/* result callback stops the search */
	uint32_t	 results[H_MAX];
	uint8_t		 first_hops[H_MAX];
	int		 up_qrp;	/* h_link: X-Ultrapeer-Query-Routing */
};

void		 h_init(struct harness *, uint32_t n, const struct node_conf *);
void		 h_free(struct harness *);
/* Link nodes a and b (both directions). */
void		 h_link(struct harness *, uint32_t a, uint32_t b);
/* Link node a to the test playing a peer. */
void		 h_link_tester(struct harness *, uint32_t a);
/* Deliver queued messages until none is left (bounded). */
void		 h_run(struct harness *);
/* Hand node a a descriptor from the tester. */
void		 h_inject(struct harness *, uint32_t a, uint8_t func, uint8_t ttl,
		     uint8_t hops, const uint8_t *guid, const uint8_t *, size_t);
/* Count logged messages matching from/to/func (UINT32_MAX: any). */
size_t		 h_count(const struct harness *, uint32_t from, uint32_t to,
		     uint32_t func);
/* The close code node a gave the tester, or -1. */
int		 h_closed(const struct harness *, uint32_t node, uint32_t peer);
/* Make node i a leaf (node_conf.leaf), before it is linked. */
void		 h_make_leaf(struct harness *, uint32_t i);
/* Link leaf node l under ultrapeer node u: u sees it as its leaf. */
void		 h_link_leaf(struct harness *, uint32_t u, uint32_t l);
/* Hand node a a descriptor from peer id from; node_recv's answer. */
int		 h_recv(struct harness *, uint32_t a, uint32_t from, uint8_t func,
		     const uint8_t *payload, size_t len);
/* Send node a, from peer id from, a QRP table holding words (NULL-ended)
 * in 2^lg slots: a RESET, then the 4-bit patch in nmsg PATCHes, zlib when
 * zlib is set. Returns the sum of node_recv's answers. */
int		 h_qrt(struct harness *, uint32_t a, uint32_t from,
		     const char *const *words, unsigned lg, int zlib,
		     unsigned nmsg);
/* A query payload for text. */
size_t		 h_query(const char *text, uint8_t *, size_t);

#endif
