/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * qrt_leaf.c: our leaves' Query Routing Tables (protocol.md 1.7) and the
 * last hop they gate. A leaf sends a RESET (table size, infinity), then a
 * sequence of PATCHes whose data, concatenated (and inflated if zlib), is
 * the signed difference from the table before. We keep one bit a slot
 * ("a word hashes here"): a negative entry sets it, a positive one clears
 * it, zero keeps it, which is exact for the two-valued tables leaves send
 * and is 16 KiB for a 2^17-slot table. A table in use with few slots set
 * (a leaf of a few hundred words sets about a thousand) is kept as their
 * sorted numbers instead, whichever is smaller, with a coarse bitmap of
 * 2^13 slots in front that turns most absent words away before the
 * binary search: 5 KiB, not 16. A sequence is built aside and used
 * once complete; until a leaf's first table is complete it gets no query.
 * A query goes to a leaf, as the last hop (TTL 1), only when every word of
 * 3 characters or more (normalised as the share does, share/norm.c) hashes
 * to a set slot, the rule the share's own table (share/qrt.c) is built by.
 * Any protocol violation closes the leaf with 413, as gtk-gnutella does.
 */
#include <stdlib.h>
#include <string.h>

#include "core/node_impl.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "wire/norm.h"
#include "wire/qrp.h"

#define LQRT_MIN_WORD	3	/* share/qrt.h QRT_MIN_WORD */
#define LQRT_IDS_STACK	512	/* leaves lqrt_route gathers without malloc */

struct lqrt {
	uint8_t		*bits;		/* the table in use, as bits, or */
	uint32_t	*set;		/* ... as its set slots, sorted */
	uint8_t		*coarse;	/* with set: 2^LQRT_COARSE slots, 1 bit */
	uint32_t	 nset;
	uint8_t		 ready;		/* a table is in use (bits or set) */
	uint8_t		*next;		/* the one a sequence builds */
	uint8_t		*z;		/* zlib data gathered so far */
	size_t		 zlen;
	uint32_t	 slots;		/* from the last RESET, 0 before one */
	uint32_t	 pos;		/* entries applied by this sequence */
	uint8_t		 lg;		/* log2(slots) */
	uint8_t		 infinity;
	uint8_t		 seq_next;	/* next seq_no expected, 0 = none open */
	uint8_t		 seq_size;
	uint8_t		 comp;
	uint8_t		 ebits;
	uint8_t		 bits_lg;	/* log2 of bits' size, for hashing */
};

static size_t
lqrt_bytes_of(uint32_t slots)
{
	return ((size_t)slots + 7) / 8;
}

/* Most a sequence's data may be: the raw table, plus deflate's worst. */
static size_t
lqrt_raw_len(const struct lqrt *t)
{
	return ((size_t)t->slots * t->ebits + 7) / 8;
}

void
lqrt_free(struct lqrt *t)
{
	if (t == NULL)
		return;
	free(t->bits);
	free(t->set);
	free(t->coarse);
	free(t->next);
	free(t->z);
	free(t);
}

size_t
lqrt_bytes(const struct lqrt *t)
{
	size_t	 b;

	if (t == NULL)
		return 0;
	b = sizeof *t + t->zlen;
	if (t->bits != NULL)
		b += lqrt_bytes_of(1u << t->bits_lg);
	b += (size_t)t->nset * sizeof *t->set;
	if (t->coarse != NULL)
		b += lqrt_bytes_of(1u << LQRT_COARSE);
	if (t->next != NULL)
		b += lqrt_bytes_of(t->slots);
	return b;
}

int
lqrt_ready(const struct lqrt *t)
{
	return t != NULL && t->ready;
}

/* Whether slot h of the table in use is set. */
static int
lqrt_has(const struct lqrt *t, uint32_t h)
{
	uint32_t	 lo = 0, hi = t->nset, mid;

	if (t->bits != NULL)
		return (t->bits[h / 8] >> (h % 8)) & 1;
	if (t->coarse != NULL) {
		mid = h >> (t->bits_lg - LQRT_COARSE);
		if (!((t->coarse[mid / 8] >> (mid % 8)) & 1))
			return 0;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->set[mid] == h)
			return 1;
		if (t->set[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Keep a finished table (bits of 2^lg slots) as bits or as its set slots,
 * whichever takes less room. */
static void
lqrt_install(struct lqrt *t, uint8_t *bits, uint8_t lg)
{
	uint32_t	 i, c, n = 0, slots = 1u << lg;

	free(t->bits);
	free(t->set);
	free(t->coarse);
	t->bits = NULL;
	t->set = NULL;
	t->coarse = NULL;
	t->nset = 0;
	t->bits_lg = lg;
	t->ready = 1;
	for (i = 0; i < slots; i++)
		n += (bits[i / 8] >> (i % 8)) & 1;
	if (lg <= LQRT_COARSE || (size_t)n * sizeof *t->set +
	    lqrt_bytes_of(1u << LQRT_COARSE) >= lqrt_bytes_of(slots)) {
		t->bits = bits;
		return;
	}
	t->set = xreallocarray(NULL, n > 0 ? n : 1, sizeof *t->set);
	t->coarse = xcalloc(lqrt_bytes_of(1u << LQRT_COARSE), 1);
	for (i = 0; i < slots; i++) {
		if ((bits[i / 8] >> (i % 8)) & 1) {
			t->set[t->nset++] = i;
			c = i >> (lg - LQRT_COARSE);
			t->coarse[c / 8] |= (uint8_t)(1u << (c % 8));
		}
	}
	free(bits);
}

/* Close the leaf: a QRP violation is fatal. */
static int
lqrt_fail(struct node *n, uint32_t id, const char *why)
{
	node_kick(n, id, 413, why);
	return -1;
}

static void
lqrt_drop_seq(struct lqrt *t)
{
	free(t->z);
	t->z = NULL;
	t->zlen = 0;
	t->seq_next = 0;
	t->pos = 0;
}

/* Apply entries (ebits each, first in the high bits) from raw[len]. */
static void
lqrt_apply(struct lqrt *t, const uint8_t *raw, size_t len)
{
	size_t		 i;
	uint32_t	 per = 8u / t->ebits, k;
	int		 v;

	for (i = 0; i < len && t->pos < t->slots; i++) {
		for (k = 0; k < per && t->pos < t->slots; k++) {
			if (t->ebits == 8)
				v = (int8_t)raw[i];
			else {
				v = (raw[i] >> (4 - 4 * k)) & 0x0f;
				if (v & 0x08)
					v -= 16;
			}
			if (v < 0)
				t->next[t->pos / 8] |= (uint8_t)(1u << (t->pos % 8));
			else if (v > 0)
				t->next[t->pos / 8] &= (uint8_t)~(1u << (t->pos % 8));
			t->pos++;
		}
	}
}

static int
lqrt_reset(struct node *n, struct peer *p, struct lqrt *t, const struct qrp *m)
{
	uint32_t	 lg = 0;

	if (m->table_len < QRP_MIN_TABLE || m->table_len > LQRT_MAX_SLOTS ||
	    (m->table_len & (m->table_len - 1)) != 0)
		return lqrt_fail(n, p->id, "Invalid QRP table size");
	if (m->infinity < 1)
		return lqrt_fail(n, p->id, "Invalid QRP infinity");
	while ((1u << lg) < m->table_len)
		lg++;
	lqrt_drop_seq(t);
	free(t->next);
	t->slots = m->table_len;
	t->lg = (uint8_t)lg;
	t->infinity = m->infinity;
	/* After a RESET the next sequence patches an empty table. */
	t->next = xcalloc(lqrt_bytes_of(t->slots), 1);
	return 0;
}

static int
lqrt_finish(struct node *n, struct peer *p, struct lqrt *t)
{
	uint8_t			*raw;
	size_t			 rawlen = lqrt_raw_len(t), got;
	enum wire_status	 st;

	if (t->comp == QRP_COMP_ZLIB) {
		raw = xmalloc(rawlen > 0 ? rawlen : 1);
		st = qrp_inflate(t->z, t->zlen, raw, rawlen, &got);
		if (st != WIRE_OK) {
			free(raw);
			return lqrt_fail(n, p->id, "Invalid QRP patch");
		}
		lqrt_apply(t, raw, got);
		free(raw);
	}
	lqrt_install(t, t->next, t->lg);
	t->next = NULL;
	lqrt_drop_seq(t);
	lqx_update(n, p);
	log_trace(TRACE_ROUTE, "peer %u: QRP table of %u slots", p->id,
	    t->slots);
	return 0;
}

static int
lqrt_patch(struct node *n, struct peer *p, struct lqrt *t, const struct qrp *m)
{
	size_t		 cap;

	if (t->slots == 0)
		return lqrt_fail(n, p->id, "QRP PATCH without RESET");
	if (m->seq_no != (t->seq_next == 0 ? 1 : t->seq_next) ||
	    m->seq_size == 0 || m->seq_no > m->seq_size)
		return lqrt_fail(n, p->id, "Invalid QRP seq number");
	if (m->seq_no == 1) {
		if (m->entry_bits != 4 && m->entry_bits != 8)
			return lqrt_fail(n, p->id, "Invalid QRP entry bits");
		if (m->compressor != QRP_COMP_NONE &&
		    m->compressor != QRP_COMP_ZLIB)
			return lqrt_fail(n, p->id, "Invalid QRP compressor");
		t->seq_size = m->seq_size;
		t->comp = m->compressor;
		t->ebits = m->entry_bits;
		t->pos = 0;
		if (t->next == NULL) {
			/* A patch to the table in use (no RESET before it). */
			t->next = xcalloc(lqrt_bytes_of(t->slots), 1);
			if (t->ready && t->bits_lg == t->lg) {
				uint32_t	 k;

				for (k = 0; k < t->slots; k++)
					if (lqrt_has(t, k))
						t->next[k / 8] |=
						    (uint8_t)(1u << (k % 8));
			}
		}
	} else if (m->seq_size != t->seq_size || m->compressor != t->comp ||
	    m->entry_bits != t->ebits)
		return lqrt_fail(n, p->id, "Invalid QRP seq number");
	if (t->comp == QRP_COMP_NONE) {
		if ((size_t)t->pos + (m->datalen * 8 / t->ebits) >
		    (size_t)t->slots)
			return lqrt_fail(n, p->id, "QRP patch too large");
		lqrt_apply(t, m->data, m->datalen);
	} else {
		/* Deflated data is at most a little over the raw table. */
		cap = lqrt_raw_len(t) + lqrt_raw_len(t) / 8 + 1024;
		if (t->zlen + m->datalen > cap)
			return lqrt_fail(n, p->id, "QRP patch too large");
		t->z = xreallocarray(t->z, t->zlen + m->datalen + 1, 1);
		memcpy(t->z + t->zlen, m->data, m->datalen);
		t->zlen += m->datalen;
	}
	if (m->seq_no == m->seq_size)
		return lqrt_finish(n, p, t);
	t->seq_next = (uint8_t)(m->seq_no + 1);
	return 0;
}

/* A QRP message from a peer. Returns 1 when it is dropped unused (the
 * peer is neither our leaf nor an ultrapeer that said
 * X-Ultrapeer-Query-Routing, or we are a leaf), 0 when used, -1 when it
 * closed the peer. An ultrapeer's table is read by the same rules as a
 * leaf's (gtk-gnutella closes either for a bad one). */
int
lqrt_recv(struct node *n, struct peer *p, const uint8_t *payload, size_t len)
{
	struct qrp	 m;

	if ((!p->leaf && !p->up_qrp) || n->conf.leaf) {
		n->stats.dropped++;
		return 1;
	}
	if (qrp_decode(payload, len, &m) != WIRE_OK)
		return lqrt_fail(n, p->id, "Invalid QRP message");
	if (p->qrt == NULL)
		p->qrt = xcalloc(1, sizeof *p->qrt);
	if (m.variant == QRP_RESET)
		return lqrt_reset(n, p, p->qrt, &m);
	return lqrt_patch(n, p, p->qrt, &m);
}

struct lqrt_probe {
	const struct lqrt	*t;
	int			 all;
	int			 any;
};

static void
lqrt_probe_word(void *arg, const char *w, size_t len)
{
	struct lqrt_probe	*pr = arg;
	uint32_t		 h;

	if (norm_chars(w, len) < LQRT_MIN_WORD)
		return;
	pr->any = 1;
	h = qrp_hash(w, len, pr->t->bits_lg);
	if (!lqrt_has(pr->t, h))
		pr->all = 0;
}

/* Whether every word of the query could be in the leaf's table. */
int
lqrt_match(const struct lqrt *t, const struct query *q)
{
	struct lqrt_probe	 pr = { t, 1, 0 };

	if (!lqrt_ready(t))
		return 0;
	norm_words(q->text, q->textlen, lqrt_probe_word, &pr);
	return pr.any && pr.all;
}

/*
 * The last hop to an ultrapeer that sent us its table (its words and its
 * leaves', merged): a copy that would reach it with TTL 1 goes only if
 * the table has every word. Until its first table is complete, and for a
 * peer that sends none, everything goes (the spec's rule), so this never
 * hides a query from a peer that could answer it.
 */
int
lqrt_up_skip(const struct peer *p, uint8_t ttl, struct lqrt_q *words)
{
	return ttl == 1 && !p->leaf && p->up_qrp && words != NULL &&
	    lqrt_ready(p->qrt) && !lqrt_q_match(words, p->qrt);
}

/* Spread a table of 2^from slots over out, 2^lg slots (the spec's
 * interpolation: the QRP hash at fewer bits is the top bits of the hash
 * at more, so a slot maps to one slot, or to a run of them). */
static void
lqrt_or_into(const struct lqrt *t, uint8_t *out, unsigned lg)
{
	uint32_t	 i, j, k, slots, run;
	unsigned	 from = t->bits_lg;

	slots = t->bits != NULL ? 1u << from : t->nset;
	for (k = 0; k < slots; k++) {
		if (t->bits != NULL) {
			i = k;
			if (!lqrt_has(t, i))
				continue;
		} else
			i = t->set[k];
		if (from >= lg) {
			j = i >> (from - lg);
			out[j / 8] |= (uint8_t)(1u << (j % 8));
			continue;
		}
		run = 1u << (lg - from);
		for (j = i * run; j < (i + 1) * run; j++)
			out[j / 8] |= (uint8_t)(1u << (j % 8));
	}
}

void
lqrt_coarse(const struct lqrt *t, uint8_t *out, unsigned lg)
{
	if (lqrt_ready(t))
		lqrt_or_into(t, out, lg);
}

size_t
node_leaves_qrt(const struct node *n, uint8_t *out, unsigned lg)
{
	uint32_t	 i;
	size_t		 merged = 0;

	for (i = 0; i < n->npeers; i++) {
		if (!n->peers[i].leaf || !lqrt_ready(n->peers[i].qrt))
			continue;
		lqrt_or_into(n->peers[i].qrt, out, lg);
		merged++;
	}
	return merged;
}

static void
lqrt_q_word(void *arg, const char *w, size_t len)
{
	struct lqrt_q	*lq = arg;

	if (norm_chars(w, len) < LQRT_MIN_WORD)
		return;
	if (lq->n == LQRT_WORDS || lq->used + len > sizeof lq->buf) {
		lq->over = 1;
		return;
	}
	memcpy(lq->buf + lq->used, w, len);
	lq->w[lq->n] = lq->buf + lq->used;
	lq->len[lq->n++] = len;
	lq->used += len;
}

void
lqrt_q_init(struct lqrt_q *lq, const struct query *q)
{
	lq->q = q;
	lq->used = lq->n = 0;
	lq->over = 0;
	lq->lg = -1;
	norm_words(q->text, q->textlen, lqrt_q_word, lq);
}

int
lqrt_q_match(struct lqrt_q *lq, const struct lqrt *t)
{
	size_t		 i;

	if (lq->over)
		return lqrt_match(t, lq->q);
	if (!lqrt_ready(t) || lq->n == 0)
		return 0;
	if (lq->lg != t->bits_lg) {
		for (i = 0; i < lq->n; i++)
			lq->h[i] = qrp_hash(lq->w[i], lq->len[i], t->bits_lg);
		lq->lg = t->bits_lg;
	}
	for (i = 0; i < lq->n; i++)
		if (!lqrt_has(t, lq->h[i]))
			return 0;
	return 1;
}

/* The last hop: a query (from a peer or our own, from = NODE_SELF) goes
 * to each of our leaves whose table has all its words, with TTL 1. */
void
lqrt_route(struct node *n, uint32_t from, const uint8_t *guid, uint8_t hops,
    const uint8_t *payload, size_t len, struct lqrt_q *words)
{
	struct query	 q;
	struct lqrt_q	 own;
	struct peer	*p;
	uint32_t	 i, nleaves = 0, *ids, k, stack[LQRT_IDS_STACK];

	if (n->conf.leaf || len > QUERY_MAX_TEXT)
		return;
	if (n->lqx.on)
		nleaves = n->lqx.words * 64;	/* the candidates' bound */
	else
		for (i = 0; i < n->npeers; i++)
			if (n->peers[i].leaf)
				nleaves++;
	if (nleaves == 0)
		return;
	if (words == NULL) {
		if (query_decode(payload, len, &q) != WIRE_OK)
			return;
		lqrt_q_init(&own, &q);
		words = &own;
	}
	if (words->n == 0 && !words->over)
		return;		/* no word can be in a table */
	/* Sending may close peers and move the array: gather ids first
	 * (on the stack for a usual house of leaves: this runs per query). */
	ids = nleaves <= LQRT_IDS_STACK ? stack :
	    xreallocarray(NULL, nleaves, sizeof *ids);
	if (n->lqx.on && !words->over) {
		k = (uint32_t)lqx_candidates(n, words, ids, nleaves);
		for (i = 0, nleaves = 0; i < k; i++)
			if ((p = node_peer(n, ids[i])) != NULL && p->leaf &&
			    p->id != from && lqrt_q_match(words, p->qrt))
				ids[nleaves++] = p->id;
	} else {
		nleaves = 0;
		for (i = 0; i < n->npeers; i++)
			if (n->peers[i].leaf && n->peers[i].id != from &&
			    lqrt_q_match(words, n->peers[i].qrt))
				ids[nleaves++] = n->peers[i].id;
	}
	for (i = 0; i < nleaves; i++)
		if (node_peer(n, ids[i]) != NULL)
			node_send(n, ids[i], guid, DESC_QUERY, 1, hops, payload,
			    len);
	if (ids != stack)
		free(ids);
}
