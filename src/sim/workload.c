/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * workload.c: Zipf query popularity and replica placement for gnode-sim.
 * Zipf draws are a binary search in a cumulative table; replicas of each
 * object go to distinct nodes picked by Floyd's sampling, so the cost is
 * the number of replicas, not the number of nodes, per object.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"
#include "sim/workload.h"

/* Build the cumulative table; -1 if n is 0 or s negative or not finite. */
int
zipf_init(struct zipf *z, uint32_t n, double s)
{
	double		 h = 0, run = 0;
	uint32_t	 i;

	memset(z, 0, sizeof *z);
	if (n == 0 || !(s >= 0) || !isfinite(s))
		return -1;
	z->cdf = xreallocarray(NULL, n, sizeof *z->cdf);
	for (i = 0; i < n; i++)
		h += pow((double)i + 1, -s);
	for (i = 0; i < n; i++) {
		run += pow((double)i + 1, -s);
		z->cdf[i] = run / h;
	}
	/* Rounding must not leave a gap above the last entry for a draw. */
	z->cdf[n - 1] = 1.0;
	z->n = n;
	return 0;
}

/* The first object whose cumulative probability exceeds a uniform draw. */
uint32_t
zipf_draw(const struct zipf *z, struct rng *r)
{
	double		 u = rng_double(r);
	uint32_t	 lo = 0, hi = z->n - 1, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (z->cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Probability of object i (0 past the end). */
double
zipf_prob(const struct zipf *z, uint32_t i)
{
	if (i >= z->n)
		return 0;
	return i == 0 ? z->cdf[0] : z->cdf[i] - z->cdf[i - 1];
}

/* Free the table; the struct belongs to the caller. */
void
zipf_free(struct zipf *z)
{
	if (z == NULL)
		return;
	free(z->cdf);
	memset(z, 0, sizeof *z);
}

/*
 * A plain decimal (digits, optional fraction, optional exponent) parsed by
 * hand rather than by strtod, so a program that called setlocale() cannot
 * make "0.005" mean something else, and "nan", "inf", hex floats and
 * leading spaces are refused.
 */
static int
parse_ratio(const char *s, double *out)
{
	uint64_t	 mant = 0;
	int		 exp10 = 0, e = 0, esign = 1, digits = 0, i;
	double		 scale;

	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (mant < 100000000000000000ull)
			mant = mant * 10 + (uint64_t)(*s - '0');
		else
			exp10++;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
			if (mant < 100000000000000000ull) {
				mant = mant * 10 + (uint64_t)(*s - '0');
				exp10--;
			}
		}
	}
	if (digits == 0)
		return -1;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			esign = *s++ == '-' ? -1 : 1;
		if (*s < '0' || *s > '9')
			return -1;
		for (; *s >= '0' && *s <= '9'; s++) {
			if (e < 10000)
				e = e * 10 + (*s - '0');
		}
		exp10 += esign * e;
	}
	if (*s != '\0')
		return -1;

	/* Powers of ten up to 1e22 are exact doubles, so for the usual
	 * short ratios one division gives the correctly rounded value. */
	if (exp10 >= -22 && exp10 <= 22) {
		scale = 1;
		for (i = 0; i < abs(exp10); i++)
			scale *= 10;
		*out = exp10 < 0 ? (double)mant / scale : (double)mant * scale;
	} else
		*out = (double)mant * pow(10, exp10);
	return 0;
}

/* Parse KIND:RATIO with 0 < RATIO <= 1. */
int
repl_parse(const char *s, enum repl_kind *kind, double *ratio)
{
	static const struct {
		const char	*name;
		enum repl_kind	 kind;
	} kinds[] = {
		{ "uniform", REPL_UNIFORM },
		{ "proportional", REPL_PROPORTIONAL },
		{ "sqrt", REPL_SQRT },
	};
	const char	*colon;
	size_t		 len, i;
	double		 x;

	if (s == NULL || (colon = strchr(s, ':')) == NULL)
		return -1;
	len = (size_t)(colon - s);
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (strlen(kinds[i].name) == len &&
		    strncmp(s, kinds[i].name, len) == 0)
			break;
	}
	if (i == sizeof kinds / sizeof kinds[0])
		return -1;
	if (parse_ratio(colon + 1, &x) != 0 || !(x > 0) || x > 1)
		return -1;
	*kind = kinds[i].kind;
	*ratio = x;
	return 0;
}

static int
repl_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * Floyd's algorithm: for j from nodes - k to nodes - 1 take a uniform
 * t <= j, or j itself if t is already taken; every k-subset comes out
 * equally likely with exactly k draws. seen is all zero on entry and on
 * return. The holders come out sorted, so the result does not depend on
 * which of the two ways below produced it: reading the bitmap back when
 * it is dense enough to be cheaper than sorting, qsort otherwise.
 */
static void
repl_pick(uint32_t *dst, uint32_t k, uint32_t nodes, uint64_t *seen,
    struct rng *r)
{
	uint64_t	 j, t, word, nw = ((uint64_t)nodes + 63) / 64;
	uint32_t	 c = 0;

	for (j = (uint64_t)nodes - k; j < nodes; j++) {
		t = rng_below(r, j + 1);
		if (seen[t >> 6] & (1ull << (t & 63)))
			t = j;
		seen[t >> 6] |= 1ull << (t & 63);
		dst[c++] = (uint32_t)t;
	}
	if ((uint64_t)k * 16 >= nw) {
		c = 0;
		for (j = 0; j < nw; j++) {
			for (word = seen[j]; word != 0; word &= word - 1)
				dst[c++] = (uint32_t)(j * 64 +
				    (uint64_t)__builtin_ctzll(word));
			seen[j] = 0;
		}
		return;
	}
	for (c = 0; c < k; c++)
		seen[dst[c] >> 6] &= ~(1ull << (dst[c] & 63));
	qsort(dst, k, sizeof *dst, repl_cmp);
}

/*
 * Count replicas per object, then place each object's replicas. For the
 * weighted kinds, weight i is p_i or sqrt(p_i) over the sum of weights.
 */
int
repl_place(struct repl *rp, enum repl_kind kind, double ratio,
    uint32_t objects, uint32_t nodes, const struct zipf *z, struct rng *r,
    char **cause)
{
	uint64_t	*off, *seen, total;
	double		 per, w, sum = 0, x;
	uint32_t	 i, k;

	memset(rp, 0, sizeof *rp);
	if (objects == 0 || nodes == 0) {
		xasprintf(cause, "need objects and nodes (%u, %u)", objects,
		    nodes);
		return -1;
	}
	if (!(ratio > 0) || ratio > 1) {
		xasprintf(cause, "replication ratio %g out of range (0, 1]",
		    ratio);
		return -1;
	}
	if (kind != REPL_UNIFORM && kind != REPL_PROPORTIONAL &&
	    kind != REPL_SQRT) {
		xasprintf(cause, "unknown replication kind %d", (int)kind);
		return -1;
	}
	if (kind != REPL_UNIFORM && (z == NULL || z->n != objects)) {
		xasprintf(cause, "replication by popularity needs a zipf "
		    "table of %u objects", objects);
		return -1;
	}

	per = floor(ratio * nodes + 0.5);
	if (kind != REPL_UNIFORM) {
		for (i = 0; i < objects; i++) {
			w = zipf_prob(z, i);
			sum += kind == REPL_SQRT ? sqrt(w) : w;
		}
	}
	off = xreallocarray(NULL, (size_t)objects + 1, sizeof *off);
	off[0] = 0;
	for (i = 0; i < objects; i++) {
		if (kind == REPL_UNIFORM)
			x = per;
		else {
			w = zipf_prob(z, i);
			w = kind == REPL_SQRT ? sqrt(w) : w;
			x = sum > 0 ? floor(per * objects * w / sum + 0.5) : 1;
		}
		if (!(x >= 1))
			x = 1;
		if (x > nodes)
			x = nodes;
		off[i + 1] = off[i] + (uint64_t)x;
	}
	total = off[objects];
	if (total > SIZE_MAX / sizeof *rp->node) {
		free(off);
		xasprintf(cause, "too many replicas (%llu)",
		    (unsigned long long)total);
		return -1;
	}

	rp->objects = objects;
	rp->nodes = nodes;
	rp->off = off;
	rp->node = xreallocarray(NULL, (size_t)total, sizeof *rp->node);
	seen = xcalloc(((size_t)nodes + 63) / 64, sizeof *seen);
	for (i = 0; i < objects; i++) {
		k = (uint32_t)(off[i + 1] - off[i]);
		repl_pick(rp->node + off[i], k, nodes, seen, r);
	}
	free(seen);
	return 0;
}

/* Free the arrays; the struct belongs to the caller. */
void
repl_free(struct repl *rp)
{
	if (rp == NULL)
		return;
	free(rp->off);
	free(rp->node);
	memset(rp, 0, sizeof *rp);
}
