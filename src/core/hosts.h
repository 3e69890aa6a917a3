/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * hosts.h: the host cache (addresses learned from Pongs and handshakes, read
 * by the dialer) and the pong cache (recent Pongs kept to answer Pings
 * without broadcasting them; Rohrs and Falco's ping/pong caching).
 */
#ifndef GNODE_HOSTS_H
#define GNODE_HOSTS_H

#include "core/node_impl.h"
#include "wire/ping.h"

/* Remember an address (newest first; the oldest goes when full). */
void	 hosts_add(struct node *, uint32_t ip, uint16_t port);
/* A pong reached us from the neighbour at from: its host to the host
 * cache, itself to the pong cache, unless its address is a bogon or more
 * local than from (addr_heard_ok). */
void	 hosts_pong(struct node *, const struct pong *, uint8_t hops,
	    uint32_t from);
/* Answer a ping: our pong, then up to PONG_CACHE - 1 cached ones. */
void	 hosts_answer_ping(struct node *, uint32_t peer, const struct desc *);
/* Ping every neighbour to refresh the pong cache (TTL 1... our max). */
void	 hosts_ping(struct node *);
void	 hosts_free(struct node *);
size_t	 hosts_bytes(const struct node *);

#endif
