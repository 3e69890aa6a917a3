/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * topo.h: overlay topologies for the simulator, as compressed adjacency
 * (CSR): the neighbours of node i are adj[off[i]] .. adj[off[i + 1] - 1].
 * Graphs are simple (no self-loops, no multi-edges) and undirected (each
 * edge stored in both directions). Generators are deterministic for a
 * given rng state.
 */
#ifndef GNODE_TOPO_H
#define GNODE_TOPO_H

#include <stddef.h>
#include <stdint.h>

#include "lib/rng.h"

struct topo {
	uint32_t	 n;		/* nodes */
	uint64_t	 m;		/* undirected edges */
	uint64_t	*off;		/* n + 1 offsets into adj */
	uint32_t	*adj;		/* 2m neighbour ids */
	uint32_t	 linked;	/* edges added to join components */
	uint8_t		*leaf;		/* two-tier: 1 for a leaf; NULL if flat */
	uint32_t	 ups;		/* two-tier: ultrapeers, ids 0 .. ups-1 */
};

/*
 * Erdos-Renyi G(n, p) with p = degree / (n - 1). Then, as for plrg and
 * grid, every component but the largest is joined to the largest by one
 * edge between random members, so the overlay is connected (counted in
 * ->linked). 0 on success, -1 with *cause on bad parameters.
 */
int		 topo_random(struct topo *, uint32_t n, double degree, struct rng *,
		     char **cause);
/*
 * Power-law random graph (Aiello, Chung, Lu; as Lv et al. 2002 use it):
 * node i (0-based rank) wants weight (i + 1)^-alpha, scaled so the mean
 * degree is `degree`, each at least 1, rounded to whole stubs; stubs are
 * shuffled and paired, self-loops and duplicate edges dropped.
 */
int		 topo_plrg(struct topo *, uint32_t n, double degree, double alpha,
		     struct rng *, char **cause);
/* A 2-D grid of n nodes: rows of ceil(sqrt(n)), 4-neighbourhood, no wrap. */
int		 topo_grid(struct topo *, uint32_t n, char **cause);
/*
 * An edge list: one "a b" pair of non-negative integers a line, '#'
 * comments and blank lines ignored; ids are renumbered densely in order of
 * first appearance; self-loops and duplicates dropped; not joined (a crawl
 * is taken as it is). -1 with *cause naming the line on bad input.
 */
int		 topo_file(struct topo *, const char *path, char **cause);
/*
 * Two tiers: round(share * n) ultrapeers (ids first) in a connected random
 * mesh of mean degree up_degree, every other node a leaf linked to
 * leaf_ups distinct ultrapeers drawn uniformly (all of them if fewer).
 */
int		 topo_two_tier(struct topo *, uint32_t n, double share,
		     double up_degree, uint32_t leaf_ups, struct rng *,
		     char **cause);
void		 topo_free(struct topo *);

static inline uint32_t
topo_degree(const struct topo *t, uint32_t i)
{
	return (uint32_t)(t->off[i + 1] - t->off[i]);
}

/* Breadth-first distances from src (UINT32_MAX when unreachable) into
 * dist[n]; returns the number of nodes reached, src included. */
uint32_t	 topo_bfs(const struct topo *, uint32_t src, uint32_t *dist);
/* Number of connected components. */
uint32_t	 topo_components(const struct topo *);

#endif
