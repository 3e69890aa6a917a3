/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * topo.c: the overlays gnode-sim runs on: Erdos-Renyi, power-law (PLRG),
 * 2-D grid, or an edge list read from a file (a crawl). Every generator
 * collects an edge list, then turns it into sorted, deduplicated CSR
 * adjacency; the random ones then tie stray components to the largest.
 * Nothing depends on addresses, hash order or sort stability, so a seed
 * always gives the same graph, byte for byte.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "lib/xmalloc.h"
#include "sim/topo.h"

/* Undirected edges as pairs: v[2k] and v[2k + 1]. */
struct edges {
	uint32_t	*v;
	size_t		 len;		/* pairs */
	size_t		 cap;		/* pairs */
};

/* Dense renumbering of file ids: open addressing, UINT32_MAX is empty. */
struct idmap {
	uint32_t	*key;
	uint32_t	*val;
	size_t		 cap;		/* slots, a power of two */
	size_t		 len;
};

static void
edges_reserve(struct edges *e, size_t want)
{
	if (want <= e->cap)
		return;
	e->v = xreallocarray(e->v, want, 2 * sizeof *e->v);
	e->cap = want;
}

static void
edges_add(struct edges *e, uint32_t a, uint32_t b)
{
	if (e->len == e->cap)
		edges_reserve(e, e->cap < 64 ? 64 : e->cap + e->cap / 2);
	e->v[2 * e->len] = a;
	e->v[2 * e->len + 1] = b;
	e->len++;
}

static void
edges_free(struct edges *e)
{
	free(e->v);
	memset(e, 0, sizeof *e);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * Turn an edge list into CSR. Self-loops are skipped here; duplicates are
 * removed by sorting each neighbour list and squeezing out repeats. Both
 * directions of an edge carry the same multiplicity, so the result stays
 * symmetric. Equal uint32 keys are indistinguishable, so qsort's lack of
 * stability cannot change the output.
 */
static void
topo_build(struct topo *t, uint32_t n, const struct edges *e)
{
	uint64_t	*off, *pos, start, end, w;
	uint32_t	*adj, a, b, *p;
	size_t		 k;
	uint32_t	 i;

	off = xcalloc((size_t)n + 1, sizeof *off);
	for (k = 0; k < e->len; k++) {
		a = e->v[2 * k];
		b = e->v[2 * k + 1];
		if (a == b)
			continue;
		off[a + 1]++;
		off[b + 1]++;
	}
	for (i = 0; i < n; i++)
		off[i + 1] += off[i];

	adj = xreallocarray(NULL, off[n] > 0 ? off[n] : 1, sizeof *adj);
	pos = xreallocarray(NULL, n, sizeof *pos);
	memcpy(pos, off, (size_t)n * sizeof *pos);
	for (k = 0; k < e->len; k++) {
		a = e->v[2 * k];
		b = e->v[2 * k + 1];
		if (a == b)
			continue;
		adj[pos[a]++] = b;
		adj[pos[b]++] = a;
	}
	free(pos);

	/*
	 * Compact in place: the write index never passes the start of the
	 * list being read, so nothing unread is overwritten. off[i + 1] is
	 * read before it is rewritten on the next pass.
	 */
	w = 0;
	end = off[0];
	for (i = 0; i < n; i++) {
		start = end;
		end = off[i + 1];
		off[i] = w;
		if (end == start)
			continue;
		p = adj + start;
		qsort(p, (size_t)(end - start), sizeof *p, cmp_u32);
		adj[w++] = p[0];
		for (k = 1; k < end - start; k++) {
			if (p[k] != adj[w - 1])
				adj[w++] = p[k];
		}
	}
	off[n] = w;
	if (w > 0)
		adj = xreallocarray(adj, w, sizeof *adj);

	t->n = n;
	t->m = w / 2;
	t->off = off;
	t->adj = adj;
}

/*
 * Label connected components by iterative BFS (no recursion: a 100,000
 * node path would overflow the stack). Labels are handed out in order of
 * each component's lowest node, so they are deterministic. queue must
 * hold n entries. Returns the number of components.
 */
static uint32_t
topo_label(const struct topo *t, uint32_t *label, uint32_t *queue)
{
	uint32_t	 s, u, v, head, tail, c = 0;
	uint64_t	 k;

	for (s = 0; s < t->n; s++)
		label[s] = UINT32_MAX;
	for (s = 0; s < t->n; s++) {
		if (label[s] != UINT32_MAX)
			continue;
		label[s] = c;
		head = tail = 0;
		queue[tail++] = s;
		while (head < tail) {
			u = queue[head++];
			for (k = t->off[u]; k < t->off[u + 1]; k++) {
				v = t->adj[k];
				if (label[v] == UINT32_MAX) {
					label[v] = c;
					queue[tail++] = v;
				}
			}
		}
		c++;
	}
	return c;
}

/*
 * Join every component but the largest to the largest with one edge
 * between random members of each, then rebuild. The two ends are always
 * in different components, so the new edge is neither a loop nor a
 * duplicate. Ties for largest go to the lowest label.
 */
static void
topo_join(struct topo *t, struct edges *e, struct rng *r)
{
	uint32_t	*label, *memb, *size, *coff, *fill;
	uint32_t	 n = t->n, nc, big, c, i, a, b;

	label = xreallocarray(NULL, n, sizeof *label);
	memb = xreallocarray(NULL, n, sizeof *memb);
	nc = topo_label(t, label, memb);
	t->linked = 0;
	if (nc <= 1) {
		free(memb);
		free(label);
		return;
	}

	/* Group nodes by label (a counting sort) to pick members by index. */
	size = xcalloc(nc, sizeof *size);
	coff = xcalloc((size_t)nc + 1, sizeof *coff);
	fill = xreallocarray(NULL, nc, sizeof *fill);
	for (i = 0; i < n; i++)
		size[label[i]]++;
	big = 0;
	for (c = 0; c < nc; c++) {
		coff[c + 1] = coff[c] + size[c];
		if (size[c] > size[big])
			big = c;
	}
	memcpy(fill, coff, (size_t)nc * sizeof *fill);
	for (i = 0; i < n; i++)
		memb[fill[label[i]]++] = i;

	for (c = 0; c < nc; c++) {
		if (c == big)
			continue;
		a = memb[coff[c] + (uint32_t)rng_below(r, size[c])];
		b = memb[coff[big] + (uint32_t)rng_below(r, size[big])];
		edges_add(e, a, b);
	}
	free(fill);
	free(coff);
	free(size);
	free(memb);
	free(label);

	topo_free(t);
	topo_build(t, n, e);
	t->linked = nc - 1;
}

/* Parameters shared by the random generators; 0 if usable. */
static int
check_size(uint32_t n, double degree, char **cause)
{
	if (n < 2) {
		xasprintf(cause, "need at least 2 nodes, not %u", n);
		return -1;
	}
	if (!(degree > 0) || degree > (double)(n - 1)) {
		xasprintf(cause, "degree %g out of range (0, %u]", degree,
		    n - 1);
		return -1;
	}
	return 0;
}

/*
 * G(n, p) by geometric skipping (Batagelj and Brandes): walk the candidate
 * pairs (v, w), w < v, in order and jump straight to the next chosen one;
 * the gap before each success is geometric, so one log per edge replaces
 * one coin per pair and the cost is O(n + m), not O(n^2).
 */
int
topo_random(struct topo *t, uint32_t n, double degree, struct rng *r,
    char **cause)
{
	struct edges	 e;
	double		 p, lp, skip;
	int64_t		 v, w;

	memset(t, 0, sizeof *t);
	if (check_size(n, degree, cause) != 0)
		return -1;
	memset(&e, 0, sizeof e);
	edges_reserve(&e, (size_t)(degree * n / 2 * 1.1) + 16);

	p = degree / (double)(n - 1);
	if (p > 1)
		p = 1;
	lp = log1p(-p);		/* -inf when p is 1: every gap is 0 */
	v = 1;
	w = -1;
	while (lp < 0 && v < (int64_t)n) {
		skip = floor(log1p(-rng_double(r)) / lp);
		if (!(skip < 0x1p62))	/* beyond any pair: w runs off */
			skip = 0x1p62;
		w += 1 + (int64_t)skip;
		while (w >= v && v < (int64_t)n) {
			w -= v;
			v++;
		}
		if (v < (int64_t)n)
			edges_add(&e, (uint32_t)v, (uint32_t)w);
	}

	topo_build(t, n, &e);
	topo_join(t, &e, r);
	edges_free(&e);
	return 0;
}

/* Sum of max(1, round(c * w[i])): the stubs a scale c would hand out. */
static uint64_t
plrg_stubs(const double *wt, uint32_t n, double c)
{
	uint64_t	 sum = 0;
	double		 x;
	uint32_t	 i;

	for (i = 0; i < n; i++) {
		x = floor(c * wt[i] + 0.5);
		sum += x < 1 ? 1 : (uint64_t)x;
	}
	return sum;
}

/*
 * PLRG as a configuration model. The scale is found by bisection so that
 * the stub total, after raising every node to at least one stub, is as
 * close to n * degree as possible: scaling by the raw weights alone would
 * overshoot the mean, since most nodes of a steep power law want less than
 * one stub.
 */
int
topo_plrg(struct topo *t, uint32_t n, double degree, double alpha,
    struct rng *r, char **cause)
{
	struct edges	 e;
	double		*wt, lo, hi, mid, target, x;
	uint64_t	 sum, total, k, j, c;
	uint32_t	*stub, tmp;
	uint32_t	 i;
	int		 it;

	memset(t, 0, sizeof *t);
	if (check_size(n, degree, cause) != 0)
		return -1;
	if (!(alpha > 0) || alpha > 4) {
		xasprintf(cause, "alpha %g out of range (0, 4]", alpha);
		return -1;
	}

	wt = xreallocarray(NULL, n, sizeof *wt);
	for (i = 0; i < n; i++)
		wt[i] = pow((double)i + 1, -alpha);

	/* plrg_stubs grows with c; at c = target / w[0] node 0 alone has
	 * all the target, so the answer lies below. */
	target = degree * (double)n;
	lo = 0;
	hi = target / wt[0];
	for (it = 0; it < 64; it++) {
		mid = (lo + hi) / 2;
		if ((double)plrg_stubs(wt, n, mid) < target)
			lo = mid;
		else
			hi = mid;
	}
	if (target - (double)plrg_stubs(wt, n, lo) <
	    (double)plrg_stubs(wt, n, hi) - target)
		hi = lo;

	/* Pairing needs an even total; an odd one gives node 0 one more. */
	sum = plrg_stubs(wt, n, hi);
	total = sum + (sum & 1);
	if (total > SIZE_MAX / sizeof *stub) {
		free(wt);
		xasprintf(cause, "too many stubs (%llu)",
		    (unsigned long long)total);
		return -1;
	}
	stub = xreallocarray(NULL, (size_t)total, sizeof *stub);
	k = 0;
	for (i = 0; i < n; i++) {
		x = floor(hi * wt[i] + 0.5);
		c = x < 1 ? 1 : (uint64_t)x;
		if (i == 0)
			c += sum & 1;
		while (c-- > 0)
			stub[k++] = i;
	}
	free(wt);

	/* Fisher-Yates, then pair neighbouring stubs. */
	for (k = total - 1; k > 0; k--) {
		j = rng_below(r, k + 1);
		tmp = stub[k];
		stub[k] = stub[j];
		stub[j] = tmp;
	}
	memset(&e, 0, sizeof e);
	edges_reserve(&e, (size_t)(total / 2));
	for (k = 0; k < total; k += 2) {
		if (stub[k] != stub[k + 1])
			edges_add(&e, stub[k], stub[k + 1]);
	}
	free(stub);

	topo_build(t, n, &e);
	topo_join(t, &e, r);
	edges_free(&e);
	return 0;
}

/*
 * A grid needs no joining: the last row may be short, but each of its
 * nodes sits under a node of the full row above.
 */
int
topo_grid(struct topo *t, uint32_t n, char **cause)
{
	struct edges	 e;
	uint64_t	 cols, i;

	memset(t, 0, sizeof *t);
	if (n < 2) {
		xasprintf(cause, "need at least 2 nodes, not %u", n);
		return -1;
	}
	cols = (uint64_t)sqrt((double)n);
	while (cols * cols < n)
		cols++;
	while (cols > 1 && (cols - 1) * (cols - 1) >= n)
		cols--;

	memset(&e, 0, sizeof e);
	edges_reserve(&e, 2 * (size_t)n);
	for (i = 0; i < n; i++) {
		if ((i + 1) % cols != 0 && i + 1 < n)
			edges_add(&e, (uint32_t)i, (uint32_t)(i + 1));
		if (i + cols < n)
			edges_add(&e, (uint32_t)i, (uint32_t)(i + cols));
	}
	topo_build(t, n, &e);
	edges_free(&e);
	return 0;
}

static void
idmap_init(struct idmap *m)
{
	m->cap = 1024;
	m->len = 0;
	m->key = xreallocarray(NULL, m->cap, sizeof *m->key);
	m->val = xreallocarray(NULL, m->cap, sizeof *m->val);
	memset(m->val, 0xff, m->cap * sizeof *m->val);
}

static void
idmap_free(struct idmap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof *m);
}

static size_t
idmap_slot(const struct idmap *m, uint32_t key)
{
	size_t	 i;

	/* Fibonacci hashing spreads sequential crawl ids over the table. */
	i = (size_t)(((uint64_t)key * 0x9e3779b97f4a7c15ull) >> 32) &
	    (m->cap - 1);
	while (m->val[i] != UINT32_MAX && m->key[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* Dense id of key, given the next free one if new; -1 when full. */
static int
idmap_get(struct idmap *m, uint32_t key, uint32_t *id)
{
	struct idmap	 big;
	size_t		 i, s;

	s = idmap_slot(m, key);
	if (m->val[s] != UINT32_MAX) {
		*id = m->val[s];
		return 0;
	}
	if (m->len >= UINT32_MAX - 1)
		return -1;
	if (2 * (m->len + 1) > m->cap) {
		big.cap = 2 * m->cap;
		big.len = m->len;
		big.key = xreallocarray(NULL, big.cap, sizeof *big.key);
		big.val = xreallocarray(NULL, big.cap, sizeof *big.val);
		memset(big.val, 0xff, big.cap * sizeof *big.val);
		for (i = 0; i < m->cap; i++) {
			if (m->val[i] == UINT32_MAX)
				continue;
			s = idmap_slot(&big, m->key[i]);
			big.key[s] = m->key[i];
			big.val[s] = m->val[i];
		}
		idmap_free(m);
		*m = big;
		s = idmap_slot(m, key);
	}
	m->key[s] = key;
	m->val[s] = (uint32_t)m->len;
	*id = (uint32_t)m->len++;
	return 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One decimal id at *pp; 0, -1 if none, -2 if above UINT32_MAX. */
static int
parse_id(const char **pp, const char *end, uint32_t *out)
{
	const char	*p = *pp;
	uint64_t	 x = 0;

	if (p == end || *p < '0' || *p > '9')
		return -1;
	while (p < end && *p >= '0' && *p <= '9') {
		x = x * 10 + (uint64_t)(*p - '0');
		if (x > UINT32_MAX)
			return -2;
		p++;
	}
	*out = (uint32_t)x;
	*pp = p;
	return 0;
}

/* Parse one line into a pair; 1 if it holds one, 0 if none, -1 if bad. */
static int
parse_line(const char *line, size_t len, uint32_t *a, uint32_t *b,
    const char **why)
{
	const char	*p = line, *end = line + len;
	int		 rc;

	if (p < end && end[-1] == '\n')
		end--;
	if (p < end && end[-1] == '\r')
		end--;
	while (p < end && is_blank(*p))
		p++;
	if (p == end || *p == '#')
		return 0;
	if ((rc = parse_id(&p, end, a)) != 0)
		goto bad;
	if (p == end || !is_blank(*p)) {
		rc = -1;
		goto bad;
	}
	while (p < end && is_blank(*p))
		p++;
	if ((rc = parse_id(&p, end, b)) != 0)
		goto bad;
	while (p < end && is_blank(*p))
		p++;
	if (p != end && *p != '#') {
		*why = "text after the two ids";
		return -1;
	}
	return 1;

bad:
	if (rc == -2)
		*why = "id above 4294967295";
	else
		*why = "expected two non-negative integer ids";
	return -1;
}

/*
 * Ids count as nodes as soon as they appear, self-loop or not: a crawl
 * that names a host says it was there.
 */
int
topo_file(struct topo *t, const char *path, char **cause)
{
	FILE		*f;
	struct edges	 e;
	struct idmap	 map;
	char		*line = NULL;
	size_t		 linesz = 0;
	ssize_t		 len;
	unsigned long	 lineno = 0;
	uint32_t	 a, b, ia, ib;
	const char	*why = NULL;
	int		 rc, ret = -1;

	memset(t, 0, sizeof *t);
	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	memset(&e, 0, sizeof e);
	idmap_init(&map);
	while ((len = getline(&line, &linesz, f)) != -1) {
		lineno++;
		rc = parse_line(line, (size_t)len, &a, &b, &why);
		if (rc == 0)
			continue;
		if (rc < 0) {
			xasprintf(cause, "%s:%lu: %s", path, lineno, why);
			goto out;
		}
		if (idmap_get(&map, a, &ia) != 0 ||
		    idmap_get(&map, b, &ib) != 0) {
			xasprintf(cause, "%s:%lu: too many nodes", path,
			    lineno);
			goto out;
		}
		if (ia != ib)
			edges_add(&e, ia, ib);
	}
	if (ferror(f)) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (e.len == 0) {
		xasprintf(cause, "%s: no edges", path);
		goto out;
	}
	topo_build(t, (uint32_t)map.len, &e);
	ret = 0;

out:
	free(line);
	fclose(f);
	idmap_free(&map);
	edges_free(&e);
	return ret;
}

/* Two tiers: an ultrapeer mesh, leaves hanging under leaf_ups of them. */
int
topo_two_tier(struct topo *t, uint32_t n, double share, double up_degree,
    uint32_t leaf_ups, struct rng *r, char **cause)
{
	struct topo	 mesh;
	struct edges	 e;
	uint32_t	 ups, i, k, want, got, pick[64], tries;
	uint64_t	 x;

	memset(t, 0, sizeof *t);
	if (!(share > 0) || share > 1) {
		xasprintf(cause, "ultrapeer share %g out of range (0, 1]", share);
		return -1;
	}
	ups = (uint32_t)llround(share * n);
	if (ups < 2)
		ups = 2;
	if (ups > n) {
		xasprintf(cause, "need at least 2 nodes, not %u", n);
		return -1;
	}
	if (leaf_ups == 0 || leaf_ups > 64) {
		xasprintf(cause, "leaf ultrapeers %u out of range 1-64", leaf_ups);
		return -1;
	}
	if (up_degree > ups - 1)
		up_degree = ups - 1;
	if (topo_random(&mesh, ups, up_degree, r, cause) != 0)
		return -1;
	memset(&e, 0, sizeof e);
	edges_reserve(&e, mesh.m + (size_t)(n - ups) * leaf_ups + 16);
	for (i = 0; i < ups; i++)
		for (x = mesh.off[i]; x < mesh.off[i + 1]; x++)
			if (mesh.adj[x] > i)
				edges_add(&e, i, mesh.adj[x]);
	want = leaf_ups < ups ? leaf_ups : ups;
	for (i = ups; i < n; i++) {
		/* Distinct ultrapeers; bounded tries, then whatever we have. */
		for (got = 0, tries = 0; got < want && tries < want * 64;
		    tries++) {
			pick[got] = (uint32_t)rng_below(r, ups);
			for (k = 0; k < got && pick[k] != pick[got]; k++)
				;
			if (k == got)
				got++;
		}
		for (k = 0; k < got; k++)
			edges_add(&e, i, pick[k]);
	}
	topo_build(t, n, &e);
	t->linked = mesh.linked;
	t->ups = ups;
	t->leaf = xcalloc(n, 1);
	for (i = ups; i < n; i++)
		t->leaf[i] = 1;
	edges_free(&e);
	topo_free(&mesh);
	return 0;
}

/* Free the arrays; the struct itself belongs to the caller. */
void
topo_free(struct topo *t)
{
	if (t == NULL)
		return;
	free(t->off);
	free(t->adj);
	free(t->leaf);
	memset(t, 0, sizeof *t);
}

/* BFS with an array queue: memory is bounded by n, not by depth. */
uint32_t
topo_bfs(const struct topo *t, uint32_t src, uint32_t *dist)
{
	uint32_t	*queue, head = 0, tail = 0, u, v;
	uint64_t	 k;

	for (u = 0; u < t->n; u++)
		dist[u] = UINT32_MAX;
	if (src >= t->n)
		return 0;
	queue = xreallocarray(NULL, t->n, sizeof *queue);
	dist[src] = 0;
	queue[tail++] = src;
	while (head < tail) {
		u = queue[head++];
		for (k = t->off[u]; k < t->off[u + 1]; k++) {
			v = t->adj[k];
			if (dist[v] == UINT32_MAX) {
				dist[v] = dist[u] + 1;
				queue[tail++] = v;
			}
		}
	}
	free(queue);
	return tail;
}

/* Count components with the same labelling the joiner uses. */
uint32_t
topo_components(const struct topo *t)
{
	uint32_t	*label, *queue, nc;

	if (t->n == 0)
		return 0;
	label = xreallocarray(NULL, t->n, sizeof *label);
	queue = xreallocarray(NULL, t->n, sizeof *queue);
	nc = topo_label(t, label, queue);
	free(queue);
	free(label);
	return nc;
}
