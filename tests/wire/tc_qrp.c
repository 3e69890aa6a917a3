/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_qrp.c: QRP messages, patch inflation and the keyword hash.
 */
#include <string.h>

#include "testutil.h"
#include "wire/desc.h"
#include "wire/qrp.h"
#include "wire/tc.h"

/* Vectors from protocol.md section 1.7. */
static const struct {
	const char	*kw;
	unsigned	 bits;
	uint32_t	 hash;
} qrp_vectors[] = {
	{ "", 13, 0 },
	{ "eb", 13, 6791 },
	{ "ebc", 13, 7082 },
	{ "ebcklmenq", 13, 3527 },
	{ "n", 16, 65003 },
	{ "ndf", 16, 4953 },
	{ "3nja9", 10, 581 },
	{ "3NJA9", 10, 581 },
	{ "test", 3, 2 },
	{ "qrp", 3, 7 },
};

START_TEST(test_qrp_hash)
{
	ck_assert_uint_eq(qrp_hash(qrp_vectors[_i].kw, strlen(qrp_vectors[_i].kw),
	    qrp_vectors[_i].bits), qrp_vectors[_i].hash);
}
END_TEST

START_TEST(test_qrp_golden_reset)
{
	uint8_t		 buf[256], out[16];
	struct desc	 d;
	struct qrp	 q;
	size_t		 n;

	n = tu_vector("qrp-reset.hex", buf, sizeof buf);
	ck_assert_int_eq(desc_decode(buf, n, &d), WIRE_OK);
	ck_assert_int_eq(qrp_decode(buf + DESC_HDR_LEN, d.len, &q), WIRE_OK);
	ck_assert_uint_eq(q.variant, QRP_RESET);
	ck_assert_uint_eq(q.table_len, 16384);
	ck_assert_uint_eq(q.infinity, 2);
	ck_assert_uint_eq(qrp_encode(&q, out, sizeof out), d.len);
	ck_assert_mem_eq(out, buf + DESC_HDR_LEN, d.len);
}
END_TEST

START_TEST(test_qrp_golden_patch)
{
	static uint8_t	 table[8192];
	uint8_t		 buf[256], out[256];
	struct desc	 d;
	struct qrp	 q;
	size_t		 n, got, i, present = 0;

	n = tu_vector("qrp-patch-4bit-zlib.hex", buf, sizeof buf);
	ck_assert_int_eq(desc_decode(buf, n, &d), WIRE_OK);
	ck_assert_int_eq(qrp_decode(buf + DESC_HDR_LEN, d.len, &q), WIRE_OK);
	ck_assert_uint_eq(q.variant, QRP_PATCH);
	ck_assert_uint_eq(q.seq_no, 1);
	ck_assert_uint_eq(q.seq_size, 1);
	ck_assert_uint_eq(q.compressor, QRP_COMP_ZLIB);
	ck_assert_uint_eq(q.entry_bits, 4);
	ck_assert_uint_eq(q.datalen, 78 - QRP_PATCH_HDR_LEN);
	/* 16384 entries of 4 bits: exactly 8192 bytes. */
	ck_assert_int_eq(qrp_inflate(q.data, q.datalen, table, sizeof table, &got),
	    WIRE_OK);
	ck_assert_uint_eq(got, 8192);
	/* A fresh table patched from all-infinity: the few keywords the node
	 * shares show as negative nibbles (0xf = -1 brings 2 down to 1). */
	for (i = 0; i < got; i++) {
		if ((table[i] >> 4) != 0)
			present++;
		if ((table[i] & 0x0f) != 0)
			present++;
	}
	ck_assert_uint_gt(present, 0);
	ck_assert_uint_lt(present, 200);
	/* One byte short of the table is refused, not truncated silently. */
	ck_assert_int_eq(qrp_inflate(q.data, q.datalen, table, 8191, &got),
	    WIRE_TOOBIG);
	ck_assert_uint_eq(qrp_encode(&q, out, sizeof out), d.len);
	ck_assert_mem_eq(out, buf + DESC_HDR_LEN, d.len);
}
END_TEST

START_TEST(test_qrp_truncated)
{
	static const char *files[] = { "qrp-reset.hex", "qrp-patch-4bit-zlib.hex" };
	uint8_t		 buf[256];
	struct desc	 d;
	struct qrp	 q;
	size_t		 n, i, f;

	for (f = 0; f < 2; f++) {
		n = tu_vector(files[f], buf, sizeof buf);
		ck_assert_int_eq(desc_decode(buf, n, &d), WIRE_OK);
		/* A patch's data may be any length; its header may not. */
		for (i = 0; i < (f == 0 ? QRP_RESET_LEN : QRP_PATCH_HDR_LEN); i++)
			ck_assert_int_eq(qrp_decode(buf + DESC_HDR_LEN, i, &q),
			    WIRE_SHORT);
	}
}
END_TEST

static const struct {
	const char		*hex;
	enum wire_status	 status;
} qrp_bad[] = {
	{ "02", WIRE_BADTYPE },
	{ "00 00400000 02 00", WIRE_MALFORMED },	/* reset with a trailing byte */
	{ "00 00300000 02", WIRE_MALFORMED },		/* length not a power of 2 */
	{ "00 20000000 02", WIRE_MALFORMED },		/* 32 entries: below minimum */
	{ "00 00004000 02", WIRE_MALFORMED },		/* 2^22 entries: above maximum */
	{ "00 00400000 00", WIRE_MALFORMED },		/* infinity 0 */
	{ "01 00 01 01 04", WIRE_MALFORMED },		/* seq no 0 */
	{ "01 02 01 01 04", WIRE_MALFORMED },		/* seq no past seq size */
	{ "01 01 00 01 04", WIRE_MALFORMED },		/* seq size 0 */
	{ "01 01 01 02 04", WIRE_MALFORMED },		/* unknown compressor */
	{ "01 01 01 01 03", WIRE_MALFORMED },		/* 3-bit entries */
	{ "01 01 01 00 10", WIRE_MALFORMED },		/* 16-bit entries */
	{ "01 01 01 00 01", WIRE_OK },			/* 1-bit entries, no data */
	{ "01 03 05 00 08 ff", WIRE_OK },
};

START_TEST(test_qrp_malformed)
{
	uint8_t		 buf[64];
	struct qrp	 q;
	long		 n;

	n = tu_hex(qrp_bad[_i].hex, buf, sizeof buf);
	ck_assert_int_ge(n, 0);
	ck_assert_int_eq(qrp_decode(buf, (size_t)n, &q), qrp_bad[_i].status);
}
END_TEST

START_TEST(test_qrp_inflate_bad)
{
	static uint8_t	 big[1 << 20], out[8192], packed[4096];
	size_t		 plen, got;

	/* A deflate bomb: 1 MiB of zeros packs to about a kilobyte. */
	plen = qrp_deflate(big, sizeof big, packed, sizeof packed);
	ck_assert_uint_gt(plen, 0);
	ck_assert_uint_lt(plen, 2048);
	ck_assert_int_eq(qrp_inflate(packed, plen, out, sizeof out, &got),
	    WIRE_TOOBIG);
	/* Truncated stream and garbage. */
	plen = qrp_deflate(big, 4096, packed, sizeof packed);
	ck_assert_int_eq(qrp_inflate(packed, plen - 3, out, sizeof out, &got),
	    WIRE_BADZLIB);
	ck_assert_int_eq(qrp_inflate((const uint8_t *)"garbage!", 8, out,
	    sizeof out, &got), WIRE_BADZLIB);
	ck_assert_int_eq(qrp_inflate(packed, 0, out, sizeof out, &got),
	    WIRE_BADZLIB);
	/* An exact fit is fine. */
	ck_assert_int_eq(qrp_inflate(packed, plen, out, 4096, &got), WIRE_OK);
	ck_assert_uint_eq(got, 4096);
}
END_TEST

START_TEST(test_qrp_patch_roundtrip)
{
	uint8_t		 table[512], packed[1024], msg[1100], back[512];
	struct qrp	 q, r;
	size_t		 i, plen, mlen, got;

	for (i = 0; i < sizeof table; i++)
		table[i] = (i % 37 == 0) ? 0xf0 : 0;
	plen = qrp_deflate(table, sizeof table, packed, sizeof packed);
	ck_assert_uint_gt(plen, 0);
	memset(&q, 0, sizeof q);
	q.variant = QRP_PATCH;
	q.seq_no = 1;
	q.seq_size = 1;
	q.compressor = QRP_COMP_ZLIB;
	q.entry_bits = 4;
	q.data = packed;
	q.datalen = plen;
	ck_assert_uint_eq(qrp_encode(&q, msg, QRP_PATCH_HDR_LEN + plen - 1), 0);
	mlen = qrp_encode(&q, msg, sizeof msg);
	ck_assert_uint_eq(mlen, QRP_PATCH_HDR_LEN + plen);
	ck_assert_int_eq(qrp_decode(msg, mlen, &r), WIRE_OK);
	ck_assert_int_eq(qrp_inflate(r.data, r.datalen, back, sizeof back, &got),
	    WIRE_OK);
	ck_assert_uint_eq(got, sizeof table);
	ck_assert_mem_eq(back, table, sizeof table);
}
END_TEST

TCase *
tc_qrp(void)
{
	TCase	*tc = tcase_create("qrp");

	tcase_add_loop_test(tc, test_qrp_hash, 0,
	    sizeof qrp_vectors / sizeof qrp_vectors[0]);
	tcase_add_test(tc, test_qrp_golden_reset);
	tcase_add_test(tc, test_qrp_golden_patch);
	tcase_add_test(tc, test_qrp_truncated);
	tcase_add_loop_test(tc, test_qrp_malformed, 0,
	    sizeof qrp_bad / sizeof qrp_bad[0]);
	tcase_add_test(tc, test_qrp_inflate_bad);
	tcase_add_test(tc, test_qrp_patch_roundtrip);
	return tc;
}
