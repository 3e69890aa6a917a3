/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * sim.h: a deterministic discrete-event simulator that runs real core
 * nodes (struct node) over virtual links. Every message a node sends is the
 * wire encoding the core produced, delivered after the link's latency to the
 * other node's node_recv(), which decodes it again. Events are ordered by
 * (virtual time, sequence), so one seed gives one run.
 *
 * On a two-tier topology (topo->leaf set) a leaf vertex runs with
 * node_conf.leaf, its ultrapeers see it as their leaf, and whenever a leaf
 * and an ultrapeer link up the leaf hands the ultrapeer its QRP table
 * (RESET, then a 4-bit zlib PATCH of 2^SIM_QRT_BITS slots) built from the
 * objects it holds by the share's word rule (words of 3+ characters and
 * their truncations down to 3). A query from a leaf starts at its first
 * ultrapeer, which searches on its behalf with the query's strategy.
 */
#ifndef GNODE_SIM_H
#define GNODE_SIM_H

#include <stdint.h>

#include "core/node.h"
#include "sim/topo.h"
#include "sim/workload.h"

#define SIM_IP_BASE	0x7f000002u	/* node i is 127.0.0.2 + i, port 6346 */
#define SIM_PORT	6346
#define SIM_QRT_BITS	14	/* slots of a leaf's table: few words each */

struct sim_conf {
	uint64_t	 seed;
	uint32_t	 lat_min_ms;	/* link latency range */
	uint32_t	 lat_max_ms;
	struct node_conf node;		/* template; address and GUID per node */
};

/* What became of one query. */
struct sim_query {
	uint32_t	 node;		/* requester */
	uint32_t	 obj;
	uint64_t	 issued;	/* virtual ms */
	uint32_t	 results;
	uint64_t	 first_ms;	/* time to first hit */
	uint8_t		 first_hops;
	uint8_t		 started;	/* 0 if the requester was down */
};

struct sim_totals {
	uint64_t	 msgs;		/* every descriptor sent, link or OOB */
	uint64_t	 oob;		/* of which out of band */
	uint64_t	 dups;		/* duplicate receptions at nodes */
	uint64_t	 queries_seen;	/* distinct query receptions at nodes */
	uint32_t	 peak_node_rx;	/* most descriptors one node received */
	uint64_t	 events;
	uint32_t	 leaves;
	uint32_t	 joins;
	uint32_t	 leaf_nodes;	/* two-tier: vertices that are leaves */
	uint64_t	 leaf_rx;	/* descriptors delivered to leaves */
	uint64_t	 qrp_msgs;	/* QRP RESET/PATCHes leaves sent */
};

struct sim;

/* Nodes for every vertex, linked along every edge. */
struct sim	*sim_new(const struct topo *, const struct repl *,
		     const struct sim_conf *);
void		 sim_free(struct sim *);
/* Ask for obj from node at virtual time at; returns the query index. */
uint32_t	 sim_add_query(struct sim *, uint64_t at, uint32_t node,
		     uint32_t obj, const struct search_opts *);
/* Take node down at leave and back up (fresh state) at join. */
void		 sim_add_churn(struct sim *, uint32_t node, uint64_t leave,
		     uint64_t join);
/* Run until no event is left. */
void		 sim_run(struct sim *);
uint64_t	 sim_now(const struct sim *);
const struct sim_query *sim_queries(const struct sim *, uint32_t *count);
/* Totals; node counters are read now, plus those of nodes that left. */
void		 sim_totals(const struct sim *, struct sim_totals *);
/* Heap bytes of the nodes, the simulator's per-node state and the graph. */
uint64_t	 sim_bytes(const struct sim *);
/* The core node of vertex i (NULL while down), for tests. */
struct node	*sim_node(const struct sim *, uint32_t i);

#endif
