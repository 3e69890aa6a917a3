/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * rng.h: a seeded pseudo-random generator with explicit state
 * (xoshiro256**), so every node and every simulation run is reproducible
 * from one seed and nothing shares hidden state (no rand()).
 */
#ifndef GNODE_RNG_H
#define GNODE_RNG_H

#include <stdint.h>

struct rng {
	uint64_t	s[4];
};

void		rng_seed(struct rng *, uint64_t);
/* A fixed 64-bit mix (splitmix64's step): nearby inputs, far outputs. */
uint64_t	rng_mix(uint64_t);
/* Seed child from parent's stream, for an independent sub-stream. */
void		rng_split(struct rng *parent, struct rng *child);
uint64_t	rng_next(struct rng *);
/* Uniform in [0, n); n > 0. No modulo bias. */
uint64_t	rng_below(struct rng *, uint64_t n);
/* Uniform in [0, 1). */
double		rng_double(struct rng *);
void		rng_bytes(struct rng *, uint8_t *, size_t);

#endif
