/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * workload.h: what the simulated network holds and asks for. Objects are
 * queried with Zipf popularity; replicas are placed on nodes uniformly,
 * proportionally to popularity, or by its square root (Cohen and Shenker).
 */
#ifndef GNODE_WORKLOAD_H
#define GNODE_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "lib/rng.h"

/* Draws object ids 0..n-1 with P(i) proportional to 1 / (i + 1)^s. */
struct zipf {
	uint32_t	 n;
	double		*cdf;		/* n cumulative probabilities */
};

int		 zipf_init(struct zipf *, uint32_t n, double s);
uint32_t	 zipf_draw(const struct zipf *, struct rng *);
/* Probability of object i. */
double		 zipf_prob(const struct zipf *, uint32_t i);
void		 zipf_free(struct zipf *);

enum repl_kind {
	REPL_UNIFORM,		/* every object on the same number of nodes */
	REPL_PROPORTIONAL,	/* replicas proportional to query probability */
	REPL_SQRT,		/* proportional to its square root */
};

/*
 * Replica placement. For a ratio r, the total number of replicas is
 * round(r * nodes) * objects, split over objects by kind (each object gets
 * at least 1 and at most `nodes`); each object's replicas go to distinct
 * nodes drawn uniformly. holders of object i are
 * node[off[i]] .. node[off[i + 1] - 1].
 */
struct repl {
	uint32_t	 objects;
	uint32_t	 nodes;
	uint64_t	*off;		/* objects + 1 */
	uint32_t	*node;
};

/* Parse "uniform:0.005", "proportional:0.01", "sqrt:0.01"; -1 if bad. */
int		 repl_parse(const char *, enum repl_kind *, double *ratio);
int		 repl_place(struct repl *, enum repl_kind, double ratio,
		     uint32_t objects, uint32_t nodes, const struct zipf *,
		     struct rng *, char **cause);
void		 repl_free(struct repl *);

#endif
