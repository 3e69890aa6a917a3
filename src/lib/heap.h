/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * heap.h: a binary min-heap of fixed-size items ordered by (key, seq). The
 * sequence number, given at push time, breaks ties so equal keys pop in
 * push order: the simulator's runs are then the same for the same seed.
 */
#ifndef GNODE_HEAP_H
#define GNODE_HEAP_H

#include <stddef.h>
#include <stdint.h>

struct heap {
	uint8_t		*items;
	size_t		 size;		/* bytes per item, key and seq first */
	size_t		 count;
	size_t		 cap;
	uint64_t	 seq;
};

/* Items begin with this header; the rest is the caller's. */
struct heap_item {
	uint64_t	 key;
	uint64_t	 seq;
};

void	 heap_init(struct heap *, size_t itemsize);
void	 heap_free(struct heap *);
/* Copy item in, stamping its seq; item must start with struct heap_item. */
void	 heap_push(struct heap *, void *item);
/* Copy the smallest item out; 0 if empty. */
int	 heap_pop(struct heap *, void *item);
/* The smallest item, or NULL. */
const void *heap_peek(const struct heap *);

#endif
