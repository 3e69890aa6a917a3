/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * heap.c: array-backed binary heap with sift-up and sift-down.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/heap.h"
#include "lib/xmalloc.h"

#define HEAP_AT(h, i)	((h)->items + (i) * (h)->size)

static inline int
heap_less(const struct heap *h, size_t a, size_t b)
{
	const struct heap_item	*x = (const void *)HEAP_AT(h, a);
	const struct heap_item	*y = (const void *)HEAP_AT(h, b);

	return x->key < y->key || (x->key == y->key && x->seq < y->seq);
}

static void
heap_swap(struct heap *h, size_t a, size_t b)
{
	uint8_t	 tmp[256];
	size_t	 left = h->size, off = 0, n;

	while (left > 0) {
		n = left < sizeof tmp ? left : sizeof tmp;
		memcpy(tmp, HEAP_AT(h, a) + off, n);
		memcpy(HEAP_AT(h, a) + off, HEAP_AT(h, b) + off, n);
		memcpy(HEAP_AT(h, b) + off, tmp, n);
		off += n;
		left -= n;
	}
}

void
heap_init(struct heap *h, size_t itemsize)
{
	memset(h, 0, sizeof *h);
	h->size = itemsize;
}

void
heap_free(struct heap *h)
{
	free(h->items);
	h->items = NULL;
	h->count = h->cap = 0;
}

/* Copy item in, stamping its seq. */
void
heap_push(struct heap *h, void *item)
{
	size_t	 i, parent;

	((struct heap_item *)item)->seq = h->seq++;
	if (h->count == h->cap) {
		h->cap = h->cap == 0 ? 64 : h->cap * 2;
		h->items = xreallocarray(h->items, h->cap, h->size);
	}
	i = h->count++;
	memcpy(HEAP_AT(h, i), item, h->size);
	while (i > 0) {
		parent = (i - 1) / 2;
		if (!heap_less(h, i, parent))
			break;
		heap_swap(h, i, parent);
		i = parent;
	}
}

/* Copy the smallest item out; 0 if empty. */
int
heap_pop(struct heap *h, void *item)
{
	size_t	 i = 0, l, r, m;

	if (h->count == 0)
		return 0;
	memcpy(item, HEAP_AT(h, 0), h->size);
	if (--h->count > 0) {
		memcpy(HEAP_AT(h, 0), HEAP_AT(h, h->count), h->size);
		for (;;) {
			l = 2 * i + 1;
			r = l + 1;
			m = i;
			if (l < h->count && heap_less(h, l, m))
				m = l;
			if (r < h->count && heap_less(h, r, m))
				m = r;
			if (m == i)
				break;
			heap_swap(h, i, m);
			i = m;
		}
	}
	return 1;
}

const void *
heap_peek(const struct heap *h)
{
	return h->count > 0 ? h->items : NULL;
}
