/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_buf.c: lib/buf.c, the bounded byte buffer every connection queues
 * through: what goes in comes out in order whatever the pattern of
 * appends and partial drains, it never holds more than its max, and a
 * long backlog drained a little at a time keeps its bytes.
 */
#include <check.h>
#include <string.h>

#include "lib/buf.h"
#include "wire/tc.h"

/* Byte i of the stream written. */
static uint8_t
tb_byte(size_t i)
{
	return (uint8_t)(i * 131 + (i >> 8));
}

/* Append in runs of `in` bytes, drain `out` at a time, checking every byte
 * drained; hold about `backlog` bytes between them. */
static void
tb_stream(size_t in, size_t out, size_t backlog, size_t total)
{
	struct buf	 b;
	uint8_t		 chunk[4096];
	const uint8_t	*h;
	size_t		 wr = 0, rd = 0, k, n, bad = 0;

	buf_init(&b, 1u << 20);
	while (rd < total) {
		while (wr < total && b.len < backlog) {
			n = in < total - wr ? in : total - wr;
			for (k = 0; k < n; k++)
				chunk[k] = tb_byte(wr + k);
			ck_assert_int_eq(buf_append(&b, chunk, n), 0);
			wr += n;
		}
		n = out < b.len ? out : b.len;
		h = buf_head(&b);
		for (k = 0; k < n; k++)
			bad += h[k] != tb_byte(rd + k);
		buf_consume(&b, n);
		rd += n;
		if (b.cap > b.max)
			bad++;
	}
	ck_assert_uint_eq(bad, 0);
	buf_free(&b);
}

START_TEST(test_buf_in_order)
{
	tb_stream(1, 1, 10, 5000);		/* byte by byte */
	tb_stream(53, 4096, 200000, 600000);	/* a long backlog, big drains */
	tb_stream(4096, 70, 900000, 1000000);	/* near max, drained slowly */
	tb_stream(61, 3000, 1u << 19, 1500000);	/* descriptors to a slow peer */
}
END_TEST

/* Past max an append fails and leaves what is held as it was. */
START_TEST(test_buf_bounded)
{
	struct buf	 b;
	uint8_t		 x[100];

	memset(x, 7, sizeof x);
	buf_init(&b, 250);
	ck_assert_int_eq(buf_append(&b, x, 100), 0);
	ck_assert_int_eq(buf_append(&b, x, 100), 0);
	ck_assert_int_eq(buf_append(&b, x, 100), -1);
	ck_assert_uint_eq(b.len, 200);
	buf_consume(&b, 150);
	ck_assert_int_eq(buf_append(&b, x, 100), 0);	/* moved to the front */
	ck_assert_int_eq(buf_append(&b, x, 100), 0);
	ck_assert_uint_eq(b.len, 250);
	ck_assert_uint_le(b.cap, 4096);
	buf_free(&b);
}
END_TEST

TCase *
tc_buf(void)
{
	TCase	*tc = tcase_create("buf");

	tcase_add_test(tc, test_buf_in_order);
	tcase_add_test(tc, test_buf_bounded);
	return tc;
}
