/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * buf.c: the bounded byte buffer. Held bytes are moved to the front
 * when that costs no more than the room it wins back (or the storage may
 * not grow), so a buffer read as fast as it is written stays at its
 * working size and a long one drained slowly is not moved over and over.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/xmalloc.h"

#define BUF_MIN		4096

void
buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->off = b->len = b->cap = 0;
}

/* Room for n more bytes at the end, or NULL past max. */
uint8_t *
buf_space(struct buf *b, size_t n)
{
	size_t	 want;

	if (n > b->max - b->len)
		return NULL;
	if (b->off + b->len + n <= b->cap)
		return b->data + b->off + b->len;
	/*
	 * Moving the held bytes to the front costs len: do it when that is
	 * no more than the room it wins back, or when the storage may not
	 * grow past the front's bytes. Else grow: a long backlog drained a
	 * little at a time was moved again for each little (bench-ultrapeer,
	 * a peer's send queue: 7% of the node's time in memmove).
	 */
	if (b->off > 0 && (b->off >= b->len || b->off + b->len + n > b->max)) {
		memmove(b->data, b->data + b->off, b->len);
		b->off = 0;
		if (b->len + n <= b->cap)
			return b->data + b->len;
	}
	want = b->cap < BUF_MIN ? BUF_MIN : b->cap;
	while (want < b->off + b->len + n)
		want *= 2;
	if (want > b->max && b->off + b->len + n <= b->max)
		want = b->max;
	b->data = xreallocarray(b->data, want, 1);
	b->cap = want;
	return b->data + b->off + b->len;
}

void
buf_added(struct buf *b, size_t n)
{
	b->len += n;
}

/* Append a copy; -1 if it would pass max. */
int
buf_append(struct buf *b, const void *p, size_t n)
{
	uint8_t	*dst;

	if (n == 0)
		return 0;
	if ((dst = buf_space(b, n)) == NULL)
		return -1;
	memcpy(dst, p, n);
	b->len += n;
	return 0;
}

void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		b->off = b->len = 0;
		return;
	}
	b->off += n;
	b->len -= n;
}

/* Give back the storage of an empty buffer bigger than keep. */
void
buf_shrink(struct buf *b, size_t keep)
{
	if (b->len == 0 && b->cap > keep)
		buf_free(b);
}
