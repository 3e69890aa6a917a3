/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_ping.c: Ping and Pong: gtk-gnutella's GGEP pong capture, byte order,
 * the GGEP rules for each, round trips, truncation and short buffers.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wire/ggep.h"
#include "wire/ping.h"
#include "wire/tc.h"

#define HDR	23	/* descriptor header in front of the capture */

/* An exact-size heap copy, so ASan sees any read past the end. */
static uint8_t *
dup_exact(const uint8_t *p, size_t n)
{
	uint8_t	*q = malloc(n > 0 ? n : 1);

	ck_assert_ptr_nonnull(q);
	if (n > 0)
		memcpy(q, p, n);
	return q;
}

static const struct {
	const char		*hex;
	enum wire_status	 want;
	size_t			 ggeplen;
} ping_cases[] = {
	{ "", WIRE_OK, 0 },
	/* SCP, empty value, last */
	{ "c3 83 534350 40", WIRE_OK, 6 },
	/* SCP with a one-byte value */
	{ "c3 83 534350 41 01", WIRE_OK, 7 },
	/* QK then DHT in one block */
	{ "c3 02 514b 40 83 444854 40", WIRE_OK, 10 },
	/* two blocks back to back */
	{ "c3 82 514b 40 c3 83 444854 40", WIRE_OK, 11 },
	/* not GGEP at all */
	{ "00", WIRE_BADGGEP, 0 },
	{ "41 42 43", WIRE_BADGGEP, 0 },
	/* magic alone */
	{ "c3", WIRE_BADGGEP, 0 },
	/* id but no length */
	{ "c3 83 534350", WIRE_BADGGEP, 0 },
	/* length says 1, data missing */
	{ "c3 83 534350 41", WIRE_BADGGEP, 0 },
	/* no extension carries the last flag */
	{ "c3 03 534350 40", WIRE_BADGGEP, 0 },
	/* a valid block followed by junk */
	{ "c3 83 534350 40 00", WIRE_BADGGEP, 0 },
	/* a valid block followed by a broken one */
	{ "c3 83 534350 40 c3 83", WIRE_BADGGEP, 0 },
	/* id length 0 */
	{ "c3 80 40", WIRE_BADGGEP, 0 },
};

START_TEST(test_ping_decode_table)
{
	uint8_t			 buf[64], *p;
	struct ping		 pi;
	long			 n;
	enum wire_status	 st;

	n = tu_hex(ping_cases[_i].hex, buf, sizeof buf);
	ck_assert_int_ge(n, 0);
	p = dup_exact(buf, (size_t)n);
	st = ping_decode(p, (size_t)n, &pi);
	ck_assert_msg(st == ping_cases[_i].want, "case %d: got %s", _i,
	    wire_strstatus(st));
	if (st == WIRE_OK) {
		ck_assert_uint_eq(pi.ggeplen, ping_cases[_i].ggeplen);
		if (n == 0)
			ck_assert_ptr_null(pi.ggep);
		else
			ck_assert_ptr_eq(pi.ggep, p);
	}
	free(p);
}
END_TEST

START_TEST(test_ping_round_trip_truncation)
{
	uint8_t		 ggep[32], out[32], *p;
	struct ping	 in, back;
	long		 gl;
	size_t		 n, cap;

	/* empty ping: zero bytes, and it decodes back to empty */
	in.ggep = NULL;
	in.ggeplen = 0;
	ck_assert_uint_eq(ping_encode(&in, out, sizeof out), 0);
	ck_assert_int_eq(ping_decode(out, 0, &back), WIRE_OK);
	ck_assert_ptr_null(back.ggep);

	gl = tu_hex("c3 02 514b 40 83 444854 42 0102", ggep, sizeof ggep);
	ck_assert_int_eq(gl, 12);
	in.ggep = ggep;
	in.ggeplen = (size_t)gl;
	n = ping_encode(&in, out, sizeof out);
	ck_assert_uint_eq(n, 12);
	ck_assert(memcmp(out, ggep, n) == 0);
	ck_assert_int_eq(ping_decode(out, n, &back), WIRE_OK);
	ck_assert_uint_eq(back.ggeplen, 12);

	for (cap = 0; cap < n; cap++)
		ck_assert_msg(ping_encode(&in, out, cap) == 0, "cap %zu", cap);

	/* only the empty prefix is itself a ping */
	for (cap = 1; cap < n; cap++) {
		p = dup_exact(ggep, cap);
		ck_assert_msg(ping_decode(p, cap, &back) == WIRE_BADGGEP,
		    "prefix %zu", cap);
		free(p);
	}
}
END_TEST

START_TEST(test_pong_golden)
{
	uint8_t		 buf[128], out[128];
	struct pong	 po;
	struct ggep_ext	 ext;
	size_t		 n;

	n = tu_vector("pong-ggep.hex", buf, sizeof buf);
	ck_assert_uint_eq(n, HDR + 41);
	ck_assert_uint_eq(buf[16], 0x01);
	ck_assert_uint_eq(peek_le32(buf + 19), 41);
	ck_assert_int_eq(pong_decode(buf + HDR, 41, &po), WIRE_OK);
	ck_assert_uint_eq(po.port, 16346);
	ck_assert_uint_eq(po.ip, 0x7f000001);
	ck_assert_uint_eq(po.files, 2);
	ck_assert_uint_eq(po.kbytes, 256);
	ck_assert_ptr_eq(po.ggep, buf + HDR + PONG_FIXED_LEN);
	ck_assert_uint_eq(po.ggeplen, 27);
	ck_assert_uint_eq(po.ggep[0], GGEP_MAGIC);

	/* the block is usable as given: UP = 02 ff 31 */
	ck_assert_int_eq(ggep_find(po.ggep, po.ggeplen, "UP", &ext), WIRE_OK);
	ck_assert_uint_eq(ext.len, 3);
	ck_assert(memcmp(ext.data, "\x02\xff\x31", 3) == 0);

	ck_assert_uint_eq(pong_encode(&po, out, sizeof out), 41);
	ck_assert(memcmp(out, buf + HDR, 41) == 0);
}
END_TEST

static const struct {
	const char		*hex;
	enum wire_status	 want;
	uint16_t		 port;
	uint32_t		 ip;
	uint32_t		 files;
	uint32_t		 kbytes;
	size_t			 ggeplen;	/* 0: ggep is NULL */
} pong_cases[] = {
	/* each field's byte order, no trailer */
	{ "3412 c0a80102 78563412 efbeadde", WIRE_OK,
	    0x1234, 0xc0a80102, 0x12345678, 0xdeadbeef, 0 },
	/* legacy junk after the fixed part: accepted, not GGEP */
	{ "da3f 7f000001 02000000 00010000 00 01 02", WIRE_OK,
	    16346, 0x7f000001, 2, 256, 0 },
	{ "da3f 7f000001 02000000 00010000 41", WIRE_OK,
	    16346, 0x7f000001, 2, 256, 0 },
	/* a GGEP block, then junk that is left out of ggeplen */
	{ "da3f 7f000001 02000000 00010000 c3 83 544c53 40 00 00", WIRE_OK,
	    16346, 0x7f000001, 2, 256, 6 },
	/* two GGEP blocks */
	{ "da3f 7f000001 02000000 00010000 c3 83 544c53 40 c3 81 36 40",
	    WIRE_OK, 16346, 0x7f000001, 2, 256, 10 },
	/* a broken block after a good one only ends the GGEP run */
	{ "da3f 7f000001 02000000 00010000 c3 83 544c53 40 c3", WIRE_OK,
	    16346, 0x7f000001, 2, 256, 6 },
	{ "da3f 7f000001 02000000 00010000 c3 83 544c53 40 c3 03 36 40",
	    WIRE_OK, 16346, 0x7f000001, 2, 256, 6 },
	/* broken GGEP */
	{ "da3f 7f000001 02000000 00010000 c3", WIRE_BADGGEP, 0, 0, 0, 0, 0 },
	{ "da3f 7f000001 02000000 00010000 c3 03 544c53 40", WIRE_BADGGEP,
	    0, 0, 0, 0, 0 },
	{ "da3f 7f000001 02000000 00010000 c3 83 544c53 45 00", WIRE_BADGGEP,
	    0, 0, 0, 0, 0 },
	/* too short */
	{ "", WIRE_SHORT, 0, 0, 0, 0, 0 },
	{ "da3f 7f000001 02000000 000100", WIRE_SHORT, 0, 0, 0, 0, 0 },
};

START_TEST(test_pong_decode_table)
{
	uint8_t			 buf[64], *p;
	struct pong		 po;
	long			 n;
	enum wire_status	 st;

	n = tu_hex(pong_cases[_i].hex, buf, sizeof buf);
	ck_assert_int_ge(n, 0);
	p = dup_exact(buf, (size_t)n);
	st = pong_decode(p, (size_t)n, &po);
	ck_assert_msg(st == pong_cases[_i].want, "case %d: got %s", _i,
	    wire_strstatus(st));
	if (st == WIRE_OK) {
		ck_assert_uint_eq(po.port, pong_cases[_i].port);
		ck_assert_uint_eq(po.ip, pong_cases[_i].ip);
		ck_assert_uint_eq(po.files, pong_cases[_i].files);
		ck_assert_uint_eq(po.kbytes, pong_cases[_i].kbytes);
		ck_assert_uint_eq(po.ggeplen, pong_cases[_i].ggeplen);
		if (pong_cases[_i].ggeplen == 0)
			ck_assert_ptr_null(po.ggep);
		else
			ck_assert_ptr_eq(po.ggep, p + PONG_FIXED_LEN);
	}
	free(p);
}
END_TEST

START_TEST(test_pong_round_trip_nospace)
{
	uint8_t		 ggep[16], out[64];
	struct pong	 in, back;
	long		 gl;
	size_t		 n, cap;

	in.port = 6346;
	in.ip = 0x0a000102;
	in.files = 0xfffffffe;
	in.kbytes = 7;
	in.ggep = NULL;
	in.ggeplen = 0;
	n = pong_encode(&in, out, sizeof out);
	ck_assert_uint_eq(n, PONG_FIXED_LEN);
	/* the address goes out in network order */
	ck_assert(memcmp(out + 2, "\x0a\x00\x01\x02", 4) == 0);
	ck_assert_int_eq(pong_decode(out, n, &back), WIRE_OK);
	ck_assert_uint_eq(back.port, in.port);
	ck_assert_uint_eq(back.ip, in.ip);
	ck_assert_uint_eq(back.files, in.files);
	ck_assert_uint_eq(back.kbytes, in.kbytes);
	ck_assert_ptr_null(back.ggep);
	for (cap = 0; cap < PONG_FIXED_LEN; cap++)
		ck_assert_msg(pong_encode(&in, out, cap) == 0, "cap %zu", cap);

	gl = tu_hex("c3 02 4455 41 01 83 544c53 40", ggep, sizeof ggep);
	ck_assert_int_eq(gl, 11);
	in.ggep = ggep;
	in.ggeplen = (size_t)gl;
	n = pong_encode(&in, out, sizeof out);
	ck_assert_uint_eq(n, PONG_FIXED_LEN + 11);
	ck_assert_int_eq(pong_decode(out, n, &back), WIRE_OK);
	ck_assert_uint_eq(back.ggeplen, 11);
	ck_assert(memcmp(back.ggep, ggep, 11) == 0);
	for (cap = 0; cap < n; cap++)
		ck_assert_msg(pong_encode(&in, out, cap) == 0, "cap %zu", cap);
}
END_TEST

/*
 * Cut the capture at every length: below 14 bytes it is short, at exactly
 * 14 it is a plain pong, and between there and the end the GGEP is broken.
 */
START_TEST(test_pong_truncation)
{
	uint8_t			 buf[128], *p;
	struct pong		 po;
	size_t			 n;
	enum wire_status	 st;

	ck_assert_uint_eq(tu_vector("pong-ggep.hex", buf, sizeof buf),
	    HDR + 41);
	for (n = 0; n <= 41; n++) {
		p = dup_exact(buf + HDR, n);
		st = pong_decode(p, n, &po);
		if (n < PONG_FIXED_LEN)
			ck_assert_msg(st == WIRE_SHORT, "%zu: %s", n,
			    wire_strstatus(st));
		else if (n == PONG_FIXED_LEN) {
			ck_assert_int_eq(st, WIRE_OK);
			ck_assert_ptr_null(po.ggep);
		} else if (n < 41)
			ck_assert_msg(st == WIRE_BADGGEP, "%zu: %s", n,
			    wire_strstatus(st));
		else {
			ck_assert_int_eq(st, WIRE_OK);
			ck_assert_uint_eq(po.ggeplen, 27);
		}
		free(p);
	}
}
END_TEST

/* The ping test case (Ping and Pong). */
TCase *
tc_ping(void)
{
	TCase	*tc = tcase_create("ping");

	tcase_add_loop_test(tc, test_ping_decode_table, 0,
	    sizeof ping_cases / sizeof ping_cases[0]);
	tcase_add_test(tc, test_ping_round_trip_truncation);
	tcase_add_test(tc, test_pong_golden);
	tcase_add_loop_test(tc, test_pong_decode_table, 0,
	    sizeof pong_cases / sizeof pong_cases[0]);
	tcase_add_test(tc, test_pong_round_trip_nospace);
	tcase_add_test(tc, test_pong_truncation);
	return tc;
}
