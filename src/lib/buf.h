/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * buf.h: a bounded byte buffer: data[off .. off+len) is what is held, and
 * it never grows past max. Storage is allocated on first use and may be
 * given back with buf_shrink when empty, so an idle connection's buffers
 * cost nothing.
 */
#ifndef GNODE_BUF_H
#define GNODE_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t		*data;
	size_t		 off;		/* first byte held */
	size_t		 len;		/* bytes held */
	size_t		 cap;		/* bytes allocated */
	size_t		 max;		/* len never exceeds this */
};

void	 buf_init(struct buf *, size_t max);
void	 buf_free(struct buf *);
/* Room for n more bytes at the end (moving or growing the storage), or
 * NULL if len + n would pass max. Call buf_added with what was written. */
uint8_t	*buf_space(struct buf *, size_t n);
void	 buf_added(struct buf *, size_t n);
/* Append a copy of n bytes; -1 (nothing appended) if it would pass max. */
int	 buf_append(struct buf *, const void *, size_t n);
/* Forget the first n bytes held. */
void	 buf_consume(struct buf *, size_t n);
/* Free the storage if nothing is held and it is bigger than keep. */
void	 buf_shrink(struct buf *, size_t keep);

static inline const uint8_t *
buf_head(const struct buf *b)
{
	return b->data + b->off;
}

#endif
