/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * node_impl.h: the inside of struct node, shared by the core's files and
 * by nothing outside core/.
 */
#ifndef GNODE_NODE_IMPL_H
#define GNODE_NODE_IMPL_H

#include "core/node.h"
#include "core/seen.h"
#include "lib/rng.h"
#include "wire/desc.h"
#include "wire/query.h"

#define PONG_CACHE	10	/* pongs kept to answer pings (MAX_PONGS) */
#define HIT_FLUSH_LEN	2016	/* start a new hit message past this */
#define MATCH_MAX	64	/* records we answer one query with */
#define WALK_GGEP_ID	"GNW"	/* marks a random walker in a query */
#define WALK_GGEP_LEN	12
#define WALK_MAX_STEPS	1024	/* a relayed walker may not ask for more */
#define WALK_MAX_CHECK	16	/* it must check back at least this often */
#define VMSG_WALK_CHECK	1	/* GNOD/1: a walker asks "go on?" */
#define VMSG_WALK_ANSWER 2	/* GNOD/2: the requester says go on or stop */

#define LQRT_MAX_SLOTS	(1u << 20)	/* larger leaf tables are refused */

struct lqrt;

/* A neighbour and what it has done to us. */
struct peer {
	uint32_t	 id;
	uint32_t	 ip;
	uint16_t	 port;
	uint16_t	 degree;
	uint8_t		 max_ttl;
	uint8_t		 ultra;
	uint8_t		 ext_probes;	/* relay deeper repeats to it */
	uint8_t		 leaf;		/* our leaf: last hop only, via qrt */
	uint8_t		 up_qrp;	/* X-Ultrapeer-Query-Routing */
	struct lqrt	*qrt;		/* a leaf's QRP table, made on use */
	int32_t		 qcol;		/* its column in the node's lqx + 1,
					   0 for none */
	uint16_t	 high_ttl;	/* relays over the hops+TTL limit */
	uint16_t	 bad;		/* malformed, unknown, TTL 0, unroutable */
	uint64_t	 bad_at;	/* ms: bad was last halved (node_bad) */
	uint32_t	 queries;	/* queries received */
	uint32_t	 dups;		/* of which duplicates */
	/* firewall.c: a leaf we take Pushes for (LIME/21), an ultrapeer
	 * that takes them for us (LIME/22), a connect-back answered. */
	uint8_t		 pp_guid[16];
	uint8_t		 pp_guid_set;
	uint8_t		 cb_done;
	uint16_t	 proxy_port;
	uint32_t	 proxy_ip;
};

struct pong_entry {
	uint32_t	 ip;
	uint16_t	 port;
	uint8_t		 hops;
	uint32_t	 files;
	uint32_t	 kbytes;
};

struct host {
	uint32_t	 ip;
	uint16_t	 port;
	uint32_t	 seen_s;
};

/* A random walker waiting here for the requester's go-ahead. */
struct held {
	struct held	*next;
	uint8_t		 guid[16];
	uint8_t		 walker;
	uint32_t	 from;		/* peer it came from */
	uint64_t	 deadline;
	size_t		 len;
	uint8_t		*msg;		/* the whole descriptor to forward */
};

/* The walker extension: which walker, how far it has gone, whom to ask.
 * GGEP "GNW": walker(1) steps_left(2 LE) steps_done(2 LE) check(1)
 * requester ip(4 BE) port(2 LE). */
struct walk_info {
	uint8_t		 walker;
	uint16_t	 steps_left;
	uint16_t	 steps_done;
	uint8_t		 check;
	uint32_t	 ip;
	uint16_t	 port;
};

struct fwd;

struct dq_sent {
	uint32_t	 peer;
	uint8_t		 ttl;
};

/* One search of ours. */
struct search {
	struct search	*next;
	uint32_t	 id;
	uint8_t		 guid[16];
	const struct fwd *fwd;
	struct search_opts o;
	uint8_t		*payload;	/* the encoded query */
	size_t		 plen;
	uint64_t	 started;
	uint64_t	 next_ms;	/* when the strategy acts next */
	uint64_t	 expire;
	uint32_t	 results;
	uint8_t		 sha1[SHA1_LEN];	/* the file searched for, if has_sha1 */
	uint8_t		 has_sha1;
	uint8_t		 ttl_now;	/* ring: current TTL */
	uint8_t		 active;	/* still sending */
	uint8_t		 probed;	/* dq: probe sent */
	struct dq_sent	*sent;		/* dq: peers queried, with their TTL */
	uint32_t	 nsent;
	double		 horizon;	/* dq: hosts reached so far (estimate) */
	/* A leaf's query we run for it (dq_leaf.c), not one of ours. */
	uint8_t		 for_leaf;
	uint8_t		 guided;	/* the leaf answers status requests */
	uint8_t		 kept_known;	/* results: what the leaf said it kept */
	uint8_t		 hops;		/* hops our copies carry (0 ours) */
	uint32_t	 leaf;		/* its peer id, for_leaf */
	uint32_t	 qstat_at;	/* nsent at the last status request */
	uint8_t		 oob;		/* says OOB: UDP hits need a claim */
};

/* A forwarding strategy: how our own searches spread (chosen by name). */
struct fwd {
	const char	*name;
	void		(*start)(struct node *, struct search *);
	/* Called from node_tick when now >= s->next_ms while active. */
	void		(*step)(struct node *, struct search *, uint64_t now);
};

extern const struct fwd fwd_flood, fwd_ring, fwd_walk, fwd_dq;

/* qrt_index.c: the leaves' tables as columns of coarse rows. */
#define LQRT_COARSE	13	/* log2 of the coarse slots of a table */
struct lqx {
	uint64_t	*rows;		/* 2^LQRT_COARSE rows of words each */
	uint32_t	*col_id;	/* column -> leaf id, NODE_SELF free */
	uint32_t	 words;		/* 64-bit words a row */
	int		 on;		/* built (enough leaves had tables) */
};

struct node {
	const struct node_env *env;
	void		*arg;
	struct node_conf conf;
	struct rng	 rng;
	struct peer	*peers;		/* sorted by id */
	struct lqx	 lqx;		/* which leaves a query may match */
	uint32_t	 npeers;
	uint32_t	 peers_cap;
	uint32_t	*ups;		/* indices in peers of the non-leaves */
	uint32_t	 nups;
	int		 ups_stale;	/* peers changed since ups was made */
	struct seen	*seen;		/* (MUID, function) -> from; made on use */
	struct seen	*pushes;	/* servent GUID -> peer a hit came from */
	struct host	*hosts;		/* host cache, made on use */
	uint32_t	 nhosts;
	struct pong_entry *pongs;	/* pong cache ring, made on use */
	uint32_t	 npongs;
	uint32_t	 pong_next;
	struct search	*searches;
	uint32_t	 next_search;
	struct held	*held;
	struct oob	*oob;		/* oob.c's tables, made on use */
	uint64_t	 next_ping;
	struct node_stats stats;
};

/* A TTL no higher than what the peer said it accepts (X-Max-TTL). */
static inline uint8_t
peer_ttl(const struct peer *p, uint8_t ttl)
{
	return p->max_ttl != 0 && ttl > p->max_ttl ? p->max_ttl : ttl;
}

uint64_t	 node_now(struct node *);
struct seen	*node_seen(struct node *);
/* Send a descriptor built from parts to one peer. */
void		 node_send(struct node *, uint32_t peer, const uint8_t *guid,
		     uint8_t func, uint8_t ttl, uint8_t hops, const uint8_t *,
		     size_t);
/* The same, out of band, with TTL 1. */
void		 node_send_oob(struct node *, uint32_t ip, uint16_t port,
		     const uint8_t *guid, uint8_t func, uint8_t hops,
		     const uint8_t *, size_t);
void		 guid_new(struct rng *, uint8_t *);

/* peer.c: the neighbours */
/* The connected peer with this id, or NULL. */
struct peer	*node_peer(struct node *, uint32_t id);
/* Close a peer for misbehaving, with a Bye. */
void		 node_kick(struct node *, uint32_t peer, uint16_t code,
		     const char *why);
/* Make n->ups true to n->peers again if they changed (peer.c). */
void		 node_ups_fresh(struct node *);
/* Drop a bad message, counted against its sender (halving every ten
 * minutes); past bad_max the sender is kicked with code and why. */
void		 node_bad(struct node *, struct peer *, uint16_t code,
		     const char *why);

/* firewall.c: Pushes, push proxies, connect-back */
#define FW_PROXIES_MAX	4	/* push proxies named in a hit */
struct vmsg;
struct seen	*node_pushes(struct node *);
void		 node_on_push(struct node *, struct peer *, const struct desc *,
		     const uint8_t *);
/* A peer came up: a firewalled leaf asks it to be a push proxy. */
void		 fw_peer_up(struct node *, struct peer *);
/* Push proxy and connect-back vendor messages: 1 used, 0 not ours. */
int		 fw_vmsg(struct node *, struct peer *, const struct desc *,
		     const struct vmsg *);
/* The GGEP block of our hits' trailer (push proxies while firewalled):
 * its length, 0 for none. */
size_t		 fw_hit_ggep(const struct node *, uint8_t *, size_t);

/* qrt_leaf.c: our leaves' QRP tables and the last hop */
/* A QRP message from a peer: 1 dropped unused (not our leaf), 0 used,
 * -1 the peer was closed for it (413). */
int		 lqrt_recv(struct node *, struct peer *, const uint8_t *, size_t);
int		 lqrt_ready(const struct lqrt *);
int		 lqrt_match(const struct lqrt *, const struct query *);
/*
 * A query's words, normalised once for every table that judges it (the
 * last hop to 300 leaves and to 31 ultrapeers), with their hashes for the
 * table size last asked (tables are mostly one size): normalising the
 * query again for each table made the last hop cost 40 times a flat
 * relay (bench-ultrapeer).
 */
#define LQRT_WORDS	64
struct lqrt_q {
	const struct query *q;
	char		 buf[2 * QUERY_MAX_TEXT + LQRT_WORDS];
	size_t		 used;
	const char	*w[LQRT_WORDS];
	size_t		 len[LQRT_WORDS];
	uint32_t	 h[LQRT_WORDS];
	size_t		 n;
	int		 over;		/* did not fit: judge the slow way */
	int		 lg;		/* hashes are for 2^lg, -1 none yet */
};
void		 lqrt_q_init(struct lqrt_q *, const struct query *);
/* Whether every word can be in the table (a table not yet whole: no). */
int		 lqrt_q_match(struct lqrt_q *, const struct lqrt *);
/* Send a query, TTL 1, to every leaf but from whose table matches it;
 * words, when the caller has them already, or NULL. */
void		 lqrt_route(struct node *, uint32_t from, const uint8_t *guid,
		     uint8_t hops, const uint8_t *payload, size_t len,
		     struct lqrt_q *words);
size_t		 lqrt_bytes(const struct lqrt *);
/* OR the table, spread or folded to 2^lg slots, into out (bits). */
void		 lqrt_coarse(const struct lqrt *, uint8_t *out, unsigned lg);
/* A leaf's table is in (again): its column, once the index is built. */
void		 lqx_update(struct node *, struct peer *);
/* The leaf is going: its column is freed. */
void		 lqx_drop(struct node *, struct peer *);
/* Ids of the leaves whose coarse rows have every word (at most max). */
size_t		 lqx_candidates(struct node *, struct lqrt_q *, uint32_t *ids,
		     size_t max);
void		 lqx_free(struct lqx *);
int		 lqrt_up_skip(const struct peer *, uint8_t ttl,
		     struct lqrt_q *words);
void		 lqrt_free(struct lqrt *);

/* search.c */
struct search	*search_by_guid(struct node *, const uint8_t *);
void		 search_hit(struct node *, struct search *, const struct qhit *,
		     const struct qhit_record *, size_t, uint8_t hops);
void		 search_tick(struct node *, uint64_t now);
void		 search_free_all(struct node *);
void		 search_send_query(struct node *, struct search *, uint32_t peer,
		     uint8_t ttl);

void		 search_free(struct search *);

/* dq_leaf.c: dynamic querying for our leaves, leaf guidance */
struct vmsg;
/* Run a fresh query from our leaf as a dq; 0 if it must be flooded. */
int		 dq_leaf_start(struct node *, uint32_t from, const struct desc *,
		     const uint8_t *payload, const struct query *);
/* nrec records routed back to the leaf for the query guid. */
void		 dq_leaf_hit(struct node *, uint32_t leaf, const uint8_t *guid,
		     size_t nrec);
/* After fwd_dq queried another connection. */
void		 dq_leaf_stepped(struct node *, struct search *);
/* A vendor message it handles (BEAR/11, BEAR/12): 1 used, 0 not. */
int		 dq_leaf_vmsg(struct node *, uint32_t from, const struct desc *,
		     const struct vmsg *);
void		 dq_leaf_gone(struct node *, uint32_t leaf);

/* oob.c: out-of-band hits */
struct oob;
struct oob_offer;
/* Hits for this query are to be held and offered by UDP: the offer, or
 * NULL (answer in band). */
struct oob_offer *oob_offer_new(struct node *, const struct desc *,
		     const struct query *);
int		 oob_offer_add(struct oob_offer *, const uint8_t *, size_t,
		     size_t nrec);
/* All hits held: send the reply number (or drop an empty offer). */
void		 oob_offer_done(struct node *, struct oob_offer *);
/* A LIME vendor message by UDP: 1 handled (or dropped), 0 not LIME. */
int		 oob_vmsg(struct node *, uint32_t ip, uint16_t port,
		     const struct desc *, const uint8_t *payload);
/* Whether UDP hits from ip for guid were claimed (and count them). */
int		 oob_hit_claimed(struct node *, uint32_t ip, const uint8_t *guid,
		     size_t nrec);
void		 oob_free(struct node *);

/* fwd_walk.c: walkers passing through */
int		 walk_parse(const struct query *, struct walk_info *);
/* Build a query payload carrying a walker extension into out[cap]. */
size_t		 walk_payload(const struct query *, const struct walk_info *,
		     uint8_t *, size_t);
void		 walk_relay(struct node *, uint32_t from, const struct desc *,
		     const uint8_t *payload, const struct query *);
void		 walk_oob(struct node *, uint32_t ip, uint16_t port,
		     const struct desc *, const uint8_t *);
void		 walk_tick(struct node *, uint64_t now);
void		 walk_free_all(struct node *);

#endif
