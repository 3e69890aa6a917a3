/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_push.c: the Push payload: field byte order, the optional GGEP trailer,
 * round trips, truncation and short buffers.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wire/push.h"
#include "wire/tc.h"

/* guid 00 11 .. ff, index 2, 127.0.0.1, port 16346 */
#define PUSH_FIXED_HEX							\
	"00112233445566778899aabbccddeeff 02000000 7f000001 da3f"

static const uint8_t push_guid[16] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff
};

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
	uint32_t		 index;
	uint32_t		 ip;
	uint16_t		 port;
	size_t			 ggeplen;	/* 0: ggep is NULL */
} push_cases[] = {
	{ PUSH_FIXED_HEX, WIRE_OK, 2, 0x7f000001, 16346, 0 },
	/* TLS hint */
	{ PUSH_FIXED_HEX "c3 83 544c53 40", WIRE_OK, 2, 0x7f000001, 16346,
	    6 },
	/* IPv6 address and TLS in one block */
	{ PUSH_FIXED_HEX "c3 01 36 50 20010db8000000000000000000000001"
	    " 83 544c53 40", WIRE_OK, 2, 0x7f000001, 16346, 25 },
	/* legacy junk: accepted, not GGEP */
	{ PUSH_FIXED_HEX "00 00", WIRE_OK, 2, 0x7f000001, 16346, 0 },
	/* a block then junk, left out of ggeplen */
	{ PUSH_FIXED_HEX "c3 83 544c53 40 0d0a", WIRE_OK, 2, 0x7f000001,
	    16346, 6 },
	/* a broken block after a good one only ends the GGEP run */
	{ PUSH_FIXED_HEX "c3 83 544c53 40 c3 83 36", WIRE_OK, 2, 0x7f000001,
	    16346, 6 },
	/* two good blocks */
	{ PUSH_FIXED_HEX "c3 83 544c53 40 c3 81 36 44 0a000001", WIRE_OK, 2,
	    0x7f000001, 16346, 14 },
	/* byte order of every field; 0x7ffffffd asks for RUDP */
	{ "ffffffffffffffffffffffffffffffff fdffff7f c0a80001 3412", WIRE_OK,
	    0x7ffffffd, 0xc0a80001, 0x1234, 0 },
	/* broken GGEP */
	{ PUSH_FIXED_HEX "c3", WIRE_BADGGEP, 0, 0, 0, 0 },
	{ PUSH_FIXED_HEX "c3 03 544c53 40", WIRE_BADGGEP, 0, 0, 0, 0 },
	{ PUSH_FIXED_HEX "c3 83 544c53 42 01", WIRE_BADGGEP, 0, 0, 0, 0 },
	{ PUSH_FIXED_HEX "c3 83 544c53", WIRE_BADGGEP, 0, 0, 0, 0 },
	/* too short */
	{ "", WIRE_SHORT, 0, 0, 0, 0 },
	{ "00112233445566778899aabbccddeeff 02000000 7f000001 da",
	    WIRE_SHORT, 0, 0, 0, 0 },
};

START_TEST(test_push_decode_table)
{
	uint8_t			 buf[96], *p;
	struct push		 pu;
	long			 n;
	enum wire_status	 st;

	n = tu_hex(push_cases[_i].hex, buf, sizeof buf);
	ck_assert_int_ge(n, 0);
	p = dup_exact(buf, (size_t)n);
	st = push_decode(p, (size_t)n, &pu);
	ck_assert_msg(st == push_cases[_i].want, "case %d: got %s", _i,
	    wire_strstatus(st));
	if (st == WIRE_OK) {
		ck_assert(memcmp(pu.guid, p, 16) == 0);
		ck_assert_uint_eq(pu.index, push_cases[_i].index);
		ck_assert_uint_eq(pu.ip, push_cases[_i].ip);
		ck_assert_uint_eq(pu.port, push_cases[_i].port);
		ck_assert_uint_eq(pu.ggeplen, push_cases[_i].ggeplen);
		if (push_cases[_i].ggeplen == 0)
			ck_assert_ptr_null(pu.ggep);
		else
			ck_assert_ptr_eq(pu.ggep, p + PUSH_FIXED_LEN);
	}
	free(p);
}
END_TEST

START_TEST(test_push_round_trip_nospace)
{
	uint8_t		 ggep[8], out[64];
	struct push	 in, back;
	long		 gl;
	size_t		 n, cap;

	memcpy(in.guid, push_guid, 16);
	in.index = 0xa1b2c3d4;
	in.ip = 0x0a000102;
	in.port = 6346;
	in.ggep = NULL;
	in.ggeplen = 0;
	n = push_encode(&in, out, sizeof out);
	ck_assert_uint_eq(n, PUSH_FIXED_LEN);
	ck_assert(memcmp(out, push_guid, 16) == 0);
	ck_assert(memcmp(out + 16, "\xd4\xc3\xb2\xa1", 4) == 0);
	ck_assert(memcmp(out + 20, "\x0a\x00\x01\x02", 4) == 0);
	ck_assert(memcmp(out + 24, "\xca\x18", 2) == 0);
	ck_assert_int_eq(push_decode(out, n, &back), WIRE_OK);
	ck_assert(memcmp(back.guid, in.guid, 16) == 0);
	ck_assert_uint_eq(back.index, in.index);
	ck_assert_uint_eq(back.ip, in.ip);
	ck_assert_uint_eq(back.port, in.port);
	ck_assert_ptr_null(back.ggep);
	for (cap = 0; cap < PUSH_FIXED_LEN; cap++)
		ck_assert_msg(push_encode(&in, out, cap) == 0, "cap %zu", cap);

	gl = tu_hex("c3 83 544c53 40", ggep, sizeof ggep);
	ck_assert_int_eq(gl, 6);
	in.ggep = ggep;
	in.ggeplen = (size_t)gl;
	n = push_encode(&in, out, sizeof out);
	ck_assert_uint_eq(n, PUSH_FIXED_LEN + 6);
	ck_assert_int_eq(push_decode(out, n, &back), WIRE_OK);
	ck_assert_uint_eq(back.ggeplen, 6);
	ck_assert(memcmp(back.ggep, ggep, 6) == 0);
	for (cap = 0; cap < n; cap++)
		ck_assert_msg(push_encode(&in, out, cap) == 0, "cap %zu", cap);
}
END_TEST

/* Short below 26 bytes, a plain push at 26, broken GGEP until the end. */
START_TEST(test_push_truncation)
{
	uint8_t			 buf[64], *p;
	struct push		 pu;
	long			 len;
	size_t			 n;
	enum wire_status	 st;

	len = tu_hex(PUSH_FIXED_HEX "c3 03 544c53 40 81 36 44 0a000001",
	    buf, sizeof buf);
	ck_assert_int_eq(len, PUSH_FIXED_LEN + 13);
	for (n = 0; n <= (size_t)len; n++) {
		p = dup_exact(buf, n);
		st = push_decode(p, n, &pu);
		if (n < PUSH_FIXED_LEN)
			ck_assert_msg(st == WIRE_SHORT, "%zu: %s", n,
			    wire_strstatus(st));
		else if (n == PUSH_FIXED_LEN) {
			ck_assert_int_eq(st, WIRE_OK);
			ck_assert_ptr_null(pu.ggep);
		} else if (n < (size_t)len)
			ck_assert_msg(st == WIRE_BADGGEP, "%zu: %s", n,
			    wire_strstatus(st));
		else {
			ck_assert_int_eq(st, WIRE_OK);
			ck_assert_uint_eq(pu.ggeplen, 13);
		}
		free(p);
	}
}
END_TEST

/* The push test case. */
TCase *
tc_push(void)
{
	TCase	*tc = tcase_create("push");

	tcase_add_loop_test(tc, test_push_decode_table, 0,
	    sizeof push_cases / sizeof push_cases[0]);
	tcase_add_test(tc, test_push_round_trip_nospace);
	tcase_add_test(tc, test_push_truncation);
	return tc;
}
