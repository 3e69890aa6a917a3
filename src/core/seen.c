/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * seen.c: entries live in a ring in arrival order, so the oldest is at the
 * head and expiry or eviction pops from there; an open-addressing index of
 * ring positions (linear probing, backward-shift deletion) finds them. The
 * ring doubles from a small start up to the configured maximum.
 *
 * Every query a node relays is one add and, once full, one pop, and at a
 * million entries neither the ring nor the index stays in cache. So an
 * index slot carries, above its ring position, a tag of the GUID's hash:
 * a probe past another entry is settled in the index without a miss on
 * the ring. Each entry keeps its hash's low bits (its home slot), so a pop
 * finds its own slot and a backward shift moves entries without hashing.
 */
#include <stdlib.h>
#include <string.h>

#include "core/seen.h"
#include "lib/xmalloc.h"

#define SEEN_START	16
#define SEEN_MAX	(1u << 22)	/* so no position is all ones */
#define SEEN_POS_BITS	23
#define SEEN_POS_MASK	((1u << SEEN_POS_BITS) - 1)
#define SEEN_EMPTY	UINT32_MAX	/* position all ones: never a ring's */

struct seen {
	struct seen_entry *ring;
	uint32_t	 cap;		/* ring slots, a power of two */
	uint32_t	 head;		/* oldest entry */
	uint32_t	 count;
	uint32_t	 max;
	uint32_t	 age_s;
	uint32_t	*index;		/* 2 * cap slots: tag | ring position */
	uint32_t	 imask;
};

/* GUIDs are random but some bytes are fixed markers (8, 15): both halves
 * are mixed in. The low bits pick the home slot, the top bits the tag. */
static inline uint32_t
seen_hash(const uint8_t *guid, uint8_t func)
{
	uint64_t	 a, b, x;

	memcpy(&a, guid, 8);
	memcpy(&b, guid + 8, 8);
	x = (a ^ func) * 0x9e3779b97f4a7c15ull;
	x ^= (x >> 29) ^ b;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 32;
	return (uint32_t)x;
}

static inline uint32_t
seen_tag(uint32_t h)
{
	return h & ~SEEN_POS_MASK;
}

/* The home slot kept in the entry (the index is at most 2^23 slots). */
static inline uint32_t
seen_home(const struct seen_entry *e)
{
	return (uint32_t)e->home[0] | (uint32_t)e->home[1] << 8 |
	    (uint32_t)e->home[2] << 16;
}

static inline uint32_t
seen_now_s(uint64_t now_ms)
{
	return (uint32_t)(now_ms / 1000);
}

/* A table of at most max entries, each living age_ms. */
struct seen *
seen_new(uint32_t max, uint32_t age_ms)
{
	struct seen	*s = xcalloc(1, sizeof *s);

	/* The ring's size is a power of two: so is the bound. */
	if (max > SEEN_MAX)
		max = SEEN_MAX;
	s->max = SEEN_START;
	while (s->max * 2 <= max)
		s->max *= 2;
	s->age_s = age_ms / 1000 > 0 ? age_ms / 1000 : 1;
	return s;
}

void
seen_free(struct seen *s)
{
	if (s == NULL)
		return;
	free(s->ring);
	free(s->index);
	free(s);
}

static uint32_t
seen_slot(const struct seen *s, uint32_t h, const uint8_t *guid, uint8_t func,
    int *found)
{
	uint32_t		 i = h & s->imask, tag = seen_tag(h), v;
	const struct seen_entry	*e;

	for (;;) {
		if ((v = s->index[i]) == SEEN_EMPTY) {
			*found = 0;
			return i;
		}
		if (seen_tag(v) == tag) {
			e = &s->ring[v & SEEN_POS_MASK];
			if (e->func == func && memcmp(e->guid, guid, 16) == 0) {
				*found = 1;
				return i;
			}
		}
		i = (i + 1) & s->imask;
	}
}

/* Remove index slot i, shifting back the entries probed past it. */
static void
seen_unindex(struct seen *s, uint32_t i)
{
	uint32_t	 j = i, k;

	for (;;) {
		j = (j + 1) & s->imask;
		if (s->index[j] == SEEN_EMPTY)
			break;
		k = seen_home(&s->ring[s->index[j] & SEEN_POS_MASK]) &
		    s->imask;
		/* Move j back to i unless its home k lies cyclically in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		s->index[i] = s->index[j];
		i = j;
	}
	s->index[i] = SEEN_EMPTY;
}

/* Drop the oldest entry: its slot is the one holding its position. */
static void
seen_pop(struct seen *s)
{
	uint32_t	 i = seen_home(&s->ring[s->head]) & s->imask;

	while (s->index[i] != SEEN_EMPTY &&
	    (s->index[i] & SEEN_POS_MASK) != s->head)
		i = (i + 1) & s->imask;
	if (s->index[i] != SEEN_EMPTY)
		seen_unindex(s, i);
	s->head = (s->head + 1) & (s->cap - 1);
	s->count--;
}

/* Index ring position pos, whose GUID hashes to h, at the free slot i. */
static void
seen_index(struct seen *s, uint32_t i, uint32_t pos, uint32_t h)
{
	struct seen_entry	*e = &s->ring[pos];

	e->home[0] = (uint8_t)h;
	e->home[1] = (uint8_t)(h >> 8);
	e->home[2] = (uint8_t)(h >> 16);
	s->index[i] = seen_tag(h) | pos;
}

/* Rebuild with a ring of newcap slots, oldest entry first. */
static void
seen_resize(struct seen *s, uint32_t newcap)
{
	struct seen_entry	*ring = xcalloc(newcap, sizeof *ring);
	uint32_t		 i, slot, h;
	int			 found;

	for (i = 0; i < s->count; i++)
		ring[i] = s->ring[(s->head + i) & (s->cap - 1)];
	free(s->ring);
	free(s->index);
	s->ring = ring;
	s->cap = newcap;
	s->head = 0;
	s->imask = newcap * 2 - 1;
	s->index = xreallocarray(NULL, newcap * 2, sizeof *s->index);
	memset(s->index, 0xff, (size_t)newcap * 2 * sizeof *s->index);
	for (i = 0; i < s->count; i++) {
		h = seen_hash(ring[i].guid, ring[i].func);
		slot = seen_slot(s, h, ring[i].guid, ring[i].func, &found);
		seen_index(s, slot, i, h);
	}
}

/* The live entry for (guid, func), or NULL. */
struct seen_entry *
seen_find(struct seen *s, const uint8_t *guid, uint8_t func, uint64_t now_ms)
{
	struct seen_entry	*e;
	uint32_t		 i;
	int			 found;

	if (s->count == 0)
		return NULL;
	i = seen_slot(s, seen_hash(guid, func), guid, func, &found);
	if (!found)
		return NULL;
	e = &s->ring[s->index[i] & SEEN_POS_MASK];
	if ((int32_t)(e->expire - seen_now_s(now_ms)) < 0)
		return NULL;
	return e;
}

/* Record (guid, func) unless present; 1 if new, 0 for a duplicate. */
int
seen_add(struct seen *s, const uint8_t *guid, uint8_t func, uint32_t peer,
    uint64_t now_ms, struct seen_entry **ep)
{
	struct seen_entry	*e;
	uint32_t		 i, pos, h = seen_hash(guid, func);
	int			 found;

	seen_expire(s, now_ms);
	if (s->count > 0) {
		i = seen_slot(s, h, guid, func, &found);
		if (found) {
			*ep = &s->ring[s->index[i] & SEEN_POS_MASK];
			return 0;
		}
	}
	if (s->count == s->cap) {
		if (s->cap < s->max)
			seen_resize(s, s->cap == 0 ? SEEN_START : s->cap * 2);
		else
			seen_pop(s);
	}
	pos = (s->head + s->count) & (s->cap - 1);
	e = &s->ring[pos];
	memcpy(e->guid, guid, 16);
	e->func = func;
	e->ttl = 0;
	e->peer_ttl = 0;
	e->reach = 0;
	e->flags = 0;
	e->peer = peer;
	e->expire = seen_now_s(now_ms) + s->age_s;
	i = seen_slot(s, h, guid, func, &found);
	seen_index(s, i, pos, h);
	s->count++;
	*ep = e;
	return 1;
}

/* Give an entry a full lifetime again. */
void
seen_refresh(struct seen *s, struct seen_entry *e, uint64_t now_ms)
{
	e->expire = seen_now_s(now_ms) + s->age_s;
}

/* Drop entries from the head while their time has passed. A refreshed
 * entry at the head holds the ones behind it back; lookups still see them
 * as expired. */
void
seen_expire(struct seen *s, uint64_t now_ms)
{
	uint32_t	 now = seen_now_s(now_ms);

	while (s->count > 0 &&
	    (int32_t)(s->ring[s->head].expire - now) < 0)
		seen_pop(s);
}

size_t
seen_count(const struct seen *s)
{
	return s->count;
}

/* Heap bytes held: the struct, the ring and its index. */
size_t
seen_bytes(const struct seen *s)
{
	return sizeof *s + (size_t)s->cap * sizeof *s->ring +
	    (size_t)s->cap * 2 * sizeof *s->index;
}
