/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * node.h: one Gnutella node's routing engine. It does no I/O, sets no
 * timers and holds no global state, so a process may hold many (the
 * simulator holds 100,000). Its host (net/ or sim/) hands it whole
 * descriptors from numbered peers, the time, and a periodic node_tick(); the
 * node answers through the callbacks of struct node_env.
 */
#ifndef GNODE_NODE_H
#define GNODE_NODE_H

#include <stddef.h>
#include <stdint.h>

#include "wire/qhit.h"
#include "wire/query.h"

#define NODE_SELF	UINT32_MAX	/* the peer id of our own messages */
#define NODE_VENDOR	"GNOD"		/* our vendor code in hits and vmsgs */

/* Tunables; node_conf_default() gives real servents' values. */
struct node_conf {
	uint8_t		 max_ttl;	/* relayed TTL clamp (X-Max-TTL), 4 */
	uint8_t		 query_ttl;	/* TTL of our own flooded queries, 4 */
	uint32_t	 seen_max;	/* seen/route entries, 1 Mi */
	uint32_t	 seen_age_ms;	/* their lifetime, 600 s */
	uint16_t	 dup_min;	/* duplicates before the ratio counts, 5 */
	uint16_t	 dup_ratio_bp;	/* duplicate share that closes, 1.5 % */
	uint16_t	 high_ttl_max;	/* over-TTL relays from near peers, 10 */
	uint16_t	 bad_max;	/* malformed, unknown, TTL 0, unroutable, 20 */
	uint32_t	 hosts_max;	/* host cache entries, 1000 */
	uint32_t	 ping_ms;	/* ping neighbours this often, 0 = never */
	uint32_t	 walk_hold_ms;	/* a walker waits this long for a check answer */
	uint32_t	 step_ms;	/* ring/dq wait per hop of TTL, 2400 ms */
	uint32_t	 search_life_ms;/* a search stops routing results, 10 min */
	uint32_t	 ip;		/* our address (host order), for pongs/OOB */
	uint16_t	 port;
	uint32_t	 files;		/* what we share, for pongs */
	uint32_t	 kbytes;
	uint8_t		 guid[16];	/* servent GUID; random if all zero */
	int		 leaf;		/* we are a leaf: relay nothing, answer
					   our ultrapeers, search through them */
	int		 firewalled;	/* nobody can connect to us: our hits
					   say push, name our push proxies,
					   and firewalled requesters get none
					   (firewall.c) */
	int		 oob;		/* we take UDP: our searches ask for
					   hits out of band, and we offer ours
					   to those that ask (oob.c) */
};

/* What we know of a neighbour from its handshake. */
struct peer_info {
	uint32_t	 ip;
	uint16_t	 port;
	uint16_t	 degree;	/* X-Degree, 0 if unknown */
	uint8_t		 max_ttl;	/* X-Max-TTL, 0 if unknown */
	unsigned	 ultra:1;	/* X-Ultrapeer: True */
	unsigned	 ext_probes:1;	/* X-Ext-Probes: takes higher-TTL repeats */
	unsigned	 leaf:1;	/* our leaf: said X-Ultrapeer: False to us;
					   its QRP table gates queries to it */
	unsigned	 up_qrp:1;	/* X-Ultrapeer-Query-Routing */
};

/* One record of a hit, delivered to the host for a search of ours. */
struct node_result {
	uint32_t		 search;	/* search id */
	uint32_t		 ip;		/* responder */
	uint16_t		 port;
	uint8_t			 hops;		/* how far the hit came */
	uint8_t			 status;	/* QHIT_S_* */
	const uint8_t		*guid;		/* responder's servent GUID */
	const struct qhit_record *rec;
	/* Its push proxies (GGEP PUSH), for a firewalled responder. */
	uint32_t		 pp_ip[4];
	uint16_t		 pp_port[4];
	uint8_t			 npp;
};

struct push;

struct node_env {
	/* Milliseconds, monotonic. */
	uint64_t	(*now)(void *arg);
	/* Send one whole descriptor to a connected peer. */
	void		(*send)(void *arg, uint32_t peer, const uint8_t *, size_t);
	/* Send one whole descriptor out of band (UDP) to an address. */
	void		(*send_oob)(void *arg, uint32_t ip, uint16_t port,
			    const uint8_t *, size_t);
	/* Close a peer; code is the Bye code (0 when the peer sent Bye). The
	 * node has already forgotten the peer when this is called. */
	void		(*close)(void *arg, uint32_t peer, uint16_t code,
			    const char *why);
	/* Our own files matching a query: up to max records into out. */
	size_t		(*match)(void *arg, const struct query *,
			    struct qhit_record *out, size_t max);
	/* A result for one of our searches. */
	void		(*result)(void *arg, const struct node_result *);
	/* Whether we may send to ip:port (an OOB requester); NULL: yes. */
	int		(*oob_ok)(void *arg, uint32_t ip, uint16_t port);
	/* A Push for us came from a peer: connect out and offer (GIV). */
	void		(*push)(void *arg, uint32_t peer, const struct push *);
	/* A peer asks to be connected to at its address and this port. */
	void		(*connect_back)(void *arg, uint32_t peer, uint16_t port);
	/* A pong routed to us said ip shares files: any pong with a count,
	 * or a host's own with none (may be NULL). */
	void		(*sharer)(void *arg, uint32_t ip, uint32_t files);
};

/* Search options; strategy is "flood", "ring", "walk" or "dq". */
struct search_opts {
	const char	*strategy;
	uint8_t		 ttl;		/* flood TTL; ring/dq maximum TTL */
	uint16_t	 walk_ttl;	/* steps per walker */
	uint16_t	 walkers;	/* k */
	uint16_t	 check;		/* a walker checks back every so many steps */
	uint32_t	 target;	/* results that are enough */
};

struct node_stats {
	uint64_t	 rx;		/* descriptors received */
	uint64_t	 tx;		/* descriptors sent (peers and OOB) */
	uint64_t	 dups;		/* duplicates dropped */
	uint64_t	 queries_seen;	/* distinct queries handled */
	uint64_t	 hits_sent;	/* hit descriptors we originated */
	uint64_t	 hits_routed;	/* hit descriptors relayed */
	uint64_t	 dropped;	/* TTL 0, unknown, unroutable, malformed,
					   unused vendor and QRP messages */
	uint64_t	 closed;	/* peers we closed for misbehaving */
	uint64_t	 walk_checks;	/* checks sent by walkers held here */
	uint64_t	 dq_leaf;	/* leaves' queries run as dq for them */
	uint64_t	 dq_leaf_flooded;/* ... flooded, past the bounds */
	uint64_t	 qstat_sent;	/* query status requests to leaves */
	uint64_t	 qstat_rx;	/* status answers (and requests) read */
	uint64_t	 oob_offers;	/* reply numbers sent for held hits */
	uint64_t	 oob_claims;	/* acks: ours sent and others' honoured */
	uint64_t	 oob_hits_sent;	/* hit messages sent by UDP on a claim */
	uint64_t	 oob_hits_rx;	/* claimed hit messages received */
	uint64_t	 oob_dropped;	/* offers, acks, hits nobody asked for */
	uint64_t	 pushes_rx;	/* Pushes for us */
	uint64_t	 pushes_routed;	/* Pushes passed on */
	uint64_t	 pushes_sent;	/* ours: downloads, proxy requests */
};

struct node;

void		 node_conf_default(struct node_conf *);
/* A node with its host's callbacks; arg is passed back to every one. */
struct node	*node_new(const struct node_env *, void *arg,
		     const struct node_conf *, uint64_t seed);
void		 node_free(struct node *);
/* A neighbour finished its handshake; -1 if the id is already up. */
int		 node_peer_up(struct node *, uint32_t peer, const struct peer_info *);
/* A neighbour is gone; its routes die with it. */
void		 node_peer_down(struct node *, uint32_t peer);
/* One whole descriptor (header and payload) from a peer. Returns 1 when
 * it was read and dropped for nothing (malformed, a duplicate, a vendor
 * message or a route table the node has no use for: QRP from a peer that
 * is not our leaf): the host's measure of the work a peer causes in vain.
 * QRP (RESET, PATCHes) from a leaf builds that leaf's table and returns
 * 0; a bad sequence or patch closes the leaf with its Bye code. */
int		 node_recv(struct node *, uint32_t peer, const uint8_t *, size_t);
/* One whole descriptor received out of band from ip:port. */
void		 node_recv_oob(struct node *, uint32_t ip, uint16_t port,
		     const uint8_t *, size_t);
/* Expire tables, advance searches, send pings; call every 100-1000 ms. */
void		 node_tick(struct node *);
/* The earliest time node_tick has work to do (a search's next step, a held
 * walker's deadline, a ping), or UINT64_MAX: hosts that run many nodes
 * tick only those that need it. */
uint64_t	 node_wakeup(const struct node *);
/* Start a search for text; returns its id (> 0) or 0 with *cause set. */
uint32_t	 node_search(struct node *, const char *text,
		     const struct search_opts *, const char **cause);
/* The same for a file by its SHA-1 (a HUGE URN in the query's extension
 * area), text being its words (may be empty): a hit for a file with
 * another SHA-1, or none, is not a result of it. */
uint32_t	 node_search_sha1(struct node *, const char *text,
		     const uint8_t *sha1, const struct search_opts *,
		     const char **cause);
/* Stop a search: no more messages sent or results delivered for it. */
void		 node_search_stop(struct node *, uint32_t id);
/* Results so far, or -1 for an unknown id. */
long		 node_search_results(const struct node *, uint32_t id);
/* Whether a search is still sending (ring/dq/walk not yet finished). */
int		 node_search_active(const struct node *, uint32_t id);
/* What our pongs say we share (files and KiB), after a rescan. */
void		 node_set_shared(struct node *, uint32_t files, uint32_t kbytes);
/* Ping one neighbour now, as on a new connection. */
void		 node_peer_ping(struct node *, uint32_t peer);
/* The host switched roles (leaf or not); it closes the links of the old
 * role itself. Searches already running go on as they began. */
void		 node_set_leaf(struct node *, int leaf);
/* Close a peer with a Bye code and reason, as the host asks. */
void		 node_peer_bye(struct node *, uint32_t peer, uint16_t code,
		     const char *why);
/* Hosts learned from pongs, newest first: up to max into ip/port arrays. */
size_t		 node_hosts(const struct node *, uint32_t *ip, uint16_t *port,
		     size_t max);
const struct node_stats *node_stats(const struct node *);
const uint8_t	*node_guid(const struct node *);
size_t		 node_peer_count(const struct node *);
/* Whether a leaf peer, or an ultrapeer that said
 * X-Ultrapeer-Query-Routing, has a complete QRP table (last PATCH
 * received): 1 yes, 0 not yet, -1 neither or unknown. */
int		 node_peer_qrt_ready(const struct node *, uint32_t peer);
/* OR our leaves' complete QRP tables into out, a bit a slot for 2^lg
 * slots (slot i is bit i % 8 of out[i / 8]); returns how many leaves. */
size_t		 node_leaves_qrt(const struct node *, uint8_t *out, unsigned lg);
/* Firewalled or not (node_conf.firewalled); a firewalled leaf asks its
 * ultrapeers to be its push proxies. */
void		 node_set_firewalled(struct node *, int);
/* Ask a peer to connect to our port (BEAR/7), to learn if we can be. */
void		 node_ask_connect_back(struct node *, uint32_t peer);
/* Send a Push for a file of a firewalled servent, along the path its hits
 * came by, naming our address: 0, or -1 with no route to it. */
int		 node_push(struct node *, const uint8_t *servent,
		     uint32_t index);
/* As its push proxy, pass a Push for ip:port on to our leaf of that
 * servent GUID: 0, or -1 when it is not (or no longer) our leaf. */
int		 node_push_proxy(struct node *, const uint8_t *servent,
		     uint32_t index, uint32_t ip, uint16_t port);
/* The ultrapeers that take Pushes for us: up to max. */
size_t		 node_proxies(const struct node *, uint32_t *ip,
		     uint16_t *port, size_t max);
/* Heap bytes this node holds (for the simulator's memory figures). */
size_t		 node_bytes(const struct node *);

#endif
