/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * seen.h: the table of (GUID, function) pairs a node has handled. It is
 * both the duplicate filter and the reverse-path route table: an entry
 * remembers the peer a Ping or Query came from, so its Pongs and QueryHits
 * go back there. Bounded in entries (the oldest is dropped when full) and in
 * age (an entry older than the age limit is gone). Storage grows on demand,
 * so a node that routes nothing holds nothing.
 */
#ifndef GNODE_SEEN_H
#define GNODE_SEEN_H

#include <stddef.h>
#include <stdint.h>

#define SEEN_F_ANSWERED	0x01	/* we already answered this query */
#define SEEN_F_WALK	0x02	/* a random walker passed here */
#define SEEN_F_DEEPER	0x04	/* a shorter-path repeat was relayed */

struct seen_entry {
	uint8_t		 guid[16];
	uint8_t		 func;
	uint8_t		 ttl;		/* highest TTL it was relayed with */
	uint8_t		 flags;		/* SEEN_F_* */
	uint8_t		 peer_ttl;	/* TTL `peer` last sent it with */
	uint8_t		 reach;		/* highest hops + TTL: the probe's depth */
	uint8_t		 home[3];	/* seen.c's: its index home slot */
	uint32_t	 peer;		/* where it came from */
	uint32_t	 expire;	/* seconds on the node clock */
};

struct seen;

/* A table of at most max entries (rounded down to a power of two, 16 to
 * 2^22), each living age_ms. */
struct seen	*seen_new(uint32_t max, uint32_t age_ms);
void		 seen_free(struct seen *);
/* The live entry for (guid, func), or NULL. */
struct seen_entry *seen_find(struct seen *, const uint8_t *guid, uint8_t func,
		     uint64_t now_ms);
/*
 * Record (guid, func) from peer unless present: returns 1 and sets *e to
 * the new entry, or 0 with *e the existing one (a duplicate). The oldest
 * entry makes room when the table is full.
 */
int		 seen_add(struct seen *, const uint8_t *guid, uint8_t func,
		     uint32_t peer, uint64_t now_ms, struct seen_entry **e);
/* Give an entry a full lifetime again (a route that is still in use).
 * Eviction stays in arrival order. */
void		 seen_refresh(struct seen *, struct seen_entry *, uint64_t now_ms);
/* Drop entries whose age has passed. */
void		 seen_expire(struct seen *, uint64_t now_ms);
size_t		 seen_count(const struct seen *);
/* Heap bytes the table holds. */
size_t		 seen_bytes(const struct seen *);

#endif
