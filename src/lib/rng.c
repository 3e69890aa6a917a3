/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * rng.c: xoshiro256** seeded through splitmix64 (Blackman and Vigna's
 * public-domain algorithms, written afresh here).
 */
#include <stddef.h>

#include "lib/rng.h"

/* splitmix64's output for state x: advance by the golden gamma, mix. */
uint64_t
rng_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t	 z = rng_mix(*x);

	*x += 0x9e3779b97f4a7c15ull;
	return z;
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* Seed the four words of state from one 64-bit seed. */
void
rng_seed(struct rng *r, uint64_t seed)
{
	int	 i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

/* Derive an independent stream: same parent state, same child. */
void
rng_split(struct rng *parent, struct rng *child)
{
	rng_seed(child, rng_next(parent));
}

/* Next 64 random bits. */
uint64_t
rng_next(struct rng *r)
{
	uint64_t	*s = r->s;
	uint64_t	 result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform below n by rejection, so small ranges carry no modulo bias. */
uint64_t
rng_below(struct rng *r, uint64_t n)
{
	uint64_t	 x, limit;

	if (n <= 1)
		return 0;
	limit = UINT64_MAX - UINT64_MAX % n;
	do
		x = rng_next(r);
	while (x >= limit);
	return x % n;
}

/* Uniform double in [0, 1) from the top 53 bits. */
double
rng_double(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Fill a buffer with random bytes. */
void
rng_bytes(struct rng *r, uint8_t *p, size_t n)
{
	uint64_t	 x = 0;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if ((i & 7) == 0)
			x = rng_next(r);
		p[i] = (uint8_t)x;
		x >>= 8;
	}
}
