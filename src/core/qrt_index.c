/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * qrt_index.c: which of an ultrapeer's leaves may match a query, found
 * for all of them at once. Each leaf's QRP table, seen through 2^13
 * coarse slots (a word's coarse slot is its QRP hash at 13 bits, the top
 * bits of its hash at any larger size), is one column of a bit matrix
 * whose rows are the coarse slots. A query's candidates are the AND of
 * its words' rows; only they are judged against their whole tables
 * (lqrt_q_match), so the last hop costs a few words of bits and a
 * handful of exact checks rather than one check per leaf (which held
 * bench-ultrapeer's 300 leaves to a quarter of the flat relay rate).
 *
 * An ultrapeer with few leaves gains little from it, and the simulator
 * runs thousands of ultrapeers in one process: the matrix is built once
 * LQX_MIN leaves have tables, and kept up from then on.
 */
#include <stdlib.h>
#include <string.h>

#include "core/node_impl.h"
#include "lib/xmalloc.h"
#include "wire/qrp.h"

#define LQX_ROWS	(1u << LQRT_COARSE)
#define LQX_MIN		32	/* leaves with tables before it is built */

/* Grow to at least cols columns, keeping what the rows hold. */
static void
lqx_grow(struct lqx *x, uint32_t cols)
{
	uint32_t	 words = (cols + 63) / 64, r, c;
	uint64_t	*rows;

	if (words <= x->words)
		return;
	rows = xcalloc((size_t)LQX_ROWS * words, sizeof *rows);
	for (r = 0; r < LQX_ROWS && x->rows != NULL; r++)
		memcpy(rows + (size_t)r * words, x->rows + (size_t)r * x->words,
		    x->words * sizeof *rows);
	free(x->rows);
	x->rows = rows;
	x->col_id = xreallocarray(x->col_id, (size_t)words * 64,
	    sizeof *x->col_id);
	for (c = x->words * 64; c < words * 64; c++)
		x->col_id[c] = NODE_SELF;	/* free */
	x->words = words;
}

/* Clear column c in every row. */
static void
lqx_wipe(struct lqx *x, uint32_t c)
{
	uint64_t	 keep = ~(1ull << (c % 64));
	uint32_t	 r;

	for (r = 0; r < LQX_ROWS; r++)
		x->rows[(size_t)r * x->words + c / 64] &= keep;
}

/* Write leaf p's table into its column (one found for it if need be). */
static void
lqx_put(struct node *n, struct peer *p)
{
	struct lqx	*x = &n->lqx;
	uint8_t		 coarse[LQX_ROWS / 8];
	uint32_t	 c, r;

	if (p->qcol == 0) {
		for (c = 0; c < x->words * 64 && x->col_id[c] != NODE_SELF; c++)
			;
		if (c == x->words * 64)
			lqx_grow(x, c + 1);
		x->col_id[c] = p->id;
		p->qcol = (int32_t)c + 1;
	}
	c = (uint32_t)p->qcol - 1;
	lqx_wipe(x, c);
	memset(coarse, 0, sizeof coarse);
	lqrt_coarse(p->qrt, coarse, LQRT_COARSE);
	for (r = 0; r < LQX_ROWS; r++)
		if ((coarse[r / 8] >> (r % 8)) & 1)
			x->rows[(size_t)r * x->words + c / 64] |=
			    1ull << (c % 64);
}

void
lqx_update(struct node *n, struct peer *p)
{
	uint32_t	 i, ready = 0;

	if (!p->leaf || !lqrt_ready(p->qrt))
		return;
	if (n->lqx.on) {
		lqx_put(n, p);
		return;
	}
	for (i = 0; i < n->npeers; i++)
		if (n->peers[i].leaf && lqrt_ready(n->peers[i].qrt))
			ready++;
	if (ready < LQX_MIN)
		return;
	n->lqx.on = 1;
	for (i = 0; i < n->npeers; i++)
		if (n->peers[i].leaf && lqrt_ready(n->peers[i].qrt))
			lqx_put(n, &n->peers[i]);
}

void
lqx_drop(struct node *n, struct peer *p)
{
	struct lqx	*x = &n->lqx;
	uint32_t	 c;

	if (p->qcol == 0)
		return;
	c = (uint32_t)p->qcol - 1;
	lqx_wipe(x, c);
	x->col_id[c] = NODE_SELF;
	p->qcol = 0;
}

size_t
lqx_candidates(struct node *n, struct lqrt_q *lq, uint32_t *ids, size_t max)
{
	struct lqx	*x = &n->lqx;
	const uint64_t	*row[LQRT_WORDS];
	uint64_t	 m;
	size_t		 i, k = 0;
	uint32_t	 w, h;

	for (i = 0; i < lq->n; i++) {
		h = qrp_hash(lq->w[i], lq->len[i], LQRT_COARSE);
		row[i] = x->rows + (size_t)h * x->words;
	}
	for (w = 0; w < x->words; w++) {
		m = ~0ull;
		for (i = 0; i < lq->n && m != 0; i++)
			m &= row[i][w];
		while (m != 0 && k < max) {
			ids[k++] = x->col_id[w * 64 + (uint32_t)__builtin_ctzll(m)];
			m &= m - 1;
		}
	}
	return k;
}

void
lqx_free(struct lqx *x)
{
	free(x->rows);
	free(x->col_id);
	memset(x, 0, sizeof *x);
}
