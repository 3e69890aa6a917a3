/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * results.h: what our searches found, for `results` and (next) `get N`.
 * Hits are grouped per search by SHA-1 URN (by name and size when a hit
 * has no URN); each result keeps every source address that offered it.
 * Result numbers are unique across all searches of one node, so `get 12`
 * is never ambiguous. Everything is bounded: searches kept, results per
 * search and sources per result. Pure data: no I/O, no clock, no globals.
 */
#ifndef GNODE_RESULTS_H
#define GNODE_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/node.h"

#define RESULTS_MAX_SEARCHES	64	/* oldest forgotten past this */
#define RESULTS_MAX_PER_SEARCH	1000	/* further distinct files ignored */
#define RESULTS_MAX_SOURCES	64	/* addresses kept per result */
#define RESULTS_PROXIES		4	/* push proxies kept a source */

struct result_source {
	uint32_t	 ip;		/* host order */
	uint16_t	 port;
	uint32_t	 index;		/* file index at that source */
	uint8_t		 guid[16];	/* its servent GUID (for pushes) */
	uint8_t		 hops;
	uint8_t		 status;	/* QHIT_S_* flags */
	uint8_t		 partial;	/* its hit said partial (GGEP PRU) */
	uint64_t	 avail;		/* then: the bytes it said it has */
	uint8_t		 npp;		/* push proxies of a firewalled one */
	uint32_t	 pp_ip[RESULTS_PROXIES];
	uint16_t	 pp_port[RESULTS_PROXIES];
};

struct result {
	uint32_t	 number;	/* unique in this store, from 1 */
	uint32_t	 search;	/* search id */
	char		*name;
	uint64_t	 size;
	uint8_t		 sha1[20];
	uint8_t		 tth[24];	/* Tiger tree root, from the first hit */
	unsigned	 has_sha1:1;
	unsigned	 has_tth:1;
	struct result_source *src;
	size_t		 nsrc;
	size_t		 src_cap;
};

struct result_search {
	uint32_t	 id;
	char		*text;
	char		 strategy[8];
	uint64_t	 started_ms;	/* time given to results_search_add */
	uint64_t	 hits;		/* records received, duplicates too */
	uint8_t		 sha1[20];	/* a search by hash: the file's */
	unsigned	 has_sha1:1;
	struct result	**res;		/* in order of arrival */
	size_t		 nres;
	size_t		 res_cap;
};

struct results;

struct results	*results_new(void);
void		 results_free(struct results *);
/* Remember a new search (text and strategy are copied). */
void		 results_search_add(struct results *, uint32_t id,
		     const char *text, const char *strategy, uint64_t now_ms);
/* The search is for the file with this SHA-1: a hit for another file
 * is not one of its results. */
void		 results_search_sha1(struct results *, uint32_t id,
		     const uint8_t sha1[20]);
/* Add one hit record; the search must have been added (else ignored).
 * Returns the result it joined or created, or NULL if it was dropped
 * (unknown search, over a bound). */
const struct result *results_add(struct results *, const struct node_result *);
/* A search by id, or NULL. */
const struct result_search *results_search(const struct results *, uint32_t);
/* The i-th remembered search, oldest first, or NULL past the end. */
const struct result_search *results_search_at(const struct results *, size_t);
/* Call fn for every source of every result with this SHA-1. */
void		 results_sources(const struct results *, const uint8_t *sha1,
		    void (*fn)(void *, const struct result_source *),
		    void *arg);
/* The id of the newest search, 0 if none. */
uint32_t	 results_last(const struct results *);
/* A result by its number, or NULL. */
const struct result *results_by_number(const struct results *, uint32_t);

#endif
