/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_bye.c: the Bye payload: decoding with and without the final NUL, the
 * 4096-byte cap, encoding and its refusals, and every truncation.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wire/bye.h"
#include "wire/tc.h"

static const struct {
	const char		*hex;
	enum wire_status	 want;
	uint16_t		 code;
	const char		*text;
} bye_decode_cases[] = {
	/* 200 "Servent Shutdown" with its NUL */
	{ "c800 53657276656e742053687574646f776e 00", WIRE_OK, 200,
	    "Servent Shutdown" },
	/* the same, NUL left out */
	{ "c800 53657276656e742053687574646f776e", WIRE_OK, 200,
	    "Servent Shutdown" },
	/* 401 with no text at all, then with only the NUL */
	{ "9101", WIRE_OK, 401, "" },
	{ "9101 00", WIRE_OK, 401, "" },
	/* text stops at the first NUL; what follows is ignored */
	{ "f601 41 00 42 43 00", WIRE_OK, 502, "A" },
	/* HTTP-style reason with header lines */
	{ "9301 78 0d0a 5365727665723a2078 0d0a 0d0a 00", WIRE_OK, 403,
	    "x\r\nServer: x\r\n\r\n" },
	/* high code byte order */
	{ "3412 7a", WIRE_OK, 0x1234, "z" },
	{ "", WIRE_SHORT, 0, NULL },
	{ "c8", WIRE_SHORT, 0, NULL },
};

START_TEST(test_bye_decode_table)
{
	uint8_t			*p;
	uint8_t			 buf[256];
	long			 n;
	struct bye		 b;
	enum wire_status	 st;

	n = tu_hex(bye_decode_cases[_i].hex, buf, sizeof buf);
	ck_assert_int_ge(n, 0);
	/* an exact-size copy lets ASan see any read past the end */
	p = malloc(n > 0 ? (size_t)n : 1);
	ck_assert_ptr_nonnull(p);
	memcpy(p, buf, (size_t)n);
	st = bye_decode(p, (size_t)n, &b);
	ck_assert_msg(st == bye_decode_cases[_i].want, "case %d: got %s",
	    _i, wire_strstatus(st));
	if (st == WIRE_OK) {
		ck_assert_uint_eq(b.code, bye_decode_cases[_i].code);
		ck_assert_uint_eq(b.textlen, strlen(bye_decode_cases[_i].text));
		ck_assert(memcmp(b.text, bye_decode_cases[_i].text,
		    b.textlen) == 0);
		ck_assert_ptr_eq(b.text, (const char *)p + 2);
	}
	free(p);
}
END_TEST

START_TEST(test_bye_size_cap)
{
	static uint8_t		 buf[BYE_MAX_LEN + 1];
	struct bye		 b;

	memset(buf, 'a', sizeof buf);
	poke_le16(buf, 200);
	ck_assert_int_eq(bye_decode(buf, BYE_MAX_LEN + 1, &b), WIRE_TOOBIG);
	ck_assert_int_eq(bye_decode(buf, BYE_MAX_LEN, &b), WIRE_OK);
	ck_assert_uint_eq(b.textlen, BYE_MAX_LEN - 2);
	buf[BYE_MAX_LEN - 1] = '\0';
	ck_assert_int_eq(bye_decode(buf, BYE_MAX_LEN, &b), WIRE_OK);
	ck_assert_uint_eq(b.textlen, BYE_MAX_LEN - 3);
}
END_TEST

static const struct {
	uint16_t	 code;
	const char	*text;
} bye_rt_cases[] = {
	{ 200, "Servent Shutdown" },
	{ 406, "No Reply to Alive Pings" },
	{ 502, "Send Queue Full\r\nServer: gnode\r\n\r\n" },
	{ 0, "" },
	{ 0xffff, "\xff\x01 binary-ish" },
};

START_TEST(test_bye_round_trip)
{
	uint8_t		 out[128];
	struct bye	 in, back;
	size_t		 n, tl = strlen(bye_rt_cases[_i].text);

	in.code = bye_rt_cases[_i].code;
	in.text = bye_rt_cases[_i].text;
	in.textlen = tl;
	n = bye_encode(&in, out, sizeof out);
	ck_assert_uint_eq(n, 2 + tl + 1);
	ck_assert_uint_eq(peek_le16(out), in.code);
	ck_assert(memcmp(out + 2, in.text, tl) == 0);
	ck_assert_uint_eq(out[n - 1], 0);
	ck_assert_int_eq(bye_decode(out, n, &back), WIRE_OK);
	ck_assert_uint_eq(back.code, in.code);
	ck_assert_uint_eq(back.textlen, tl);
	ck_assert(memcmp(back.text, in.text, tl) == 0);
}
END_TEST

START_TEST(test_bye_encode_refuses)
{
	static uint8_t	 big[BYE_MAX_LEN + 16];
	static char	 text[BYE_MAX_LEN];
	uint8_t		 out[64];
	struct bye	 b;
	size_t		 cap;

	/* a NUL inside the reason */
	b.code = 200;
	b.text = "bad\0reason";
	b.textlen = 10;
	ck_assert_uint_eq(bye_encode(&b, out, sizeof out), 0);

	/* 2 + 4093 + 1 is exactly the cap; one more byte is over */
	memset(text, 'r', sizeof text);
	b.text = text;
	b.textlen = BYE_MAX_LEN - 3;
	ck_assert_uint_eq(bye_encode(&b, big, sizeof big), BYE_MAX_LEN);
	b.textlen = BYE_MAX_LEN - 2;
	ck_assert_uint_eq(bye_encode(&b, big, sizeof big), 0);

	/* every capacity below the need */
	b.text = "Servent Shutdown";
	b.textlen = 16;
	for (cap = 0; cap < 19; cap++)
		ck_assert_msg(bye_encode(&b, out, cap) == 0, "cap %zu", cap);
	ck_assert_uint_eq(bye_encode(&b, out, 19), 19);
}
END_TEST

/* Every prefix of a Bye is itself a Bye with a shorter reason. */
START_TEST(test_bye_truncation)
{
	static const char	 text[] = "Too Many Duplicates";
	uint8_t			 full[64], *p;
	struct bye		 b, in;
	size_t			 len, n, want;

	in.code = 401;
	in.text = text;
	in.textlen = sizeof text - 1;
	len = bye_encode(&in, full, sizeof full);
	ck_assert_uint_eq(len, sizeof text + 2);
	for (n = 0; n <= len; n++) {
		p = malloc(n > 0 ? n : 1);
		ck_assert_ptr_nonnull(p);
		memcpy(p, full, n);
		if (n < 2)
			ck_assert_int_eq(bye_decode(p, n, &b), WIRE_SHORT);
		else {
			ck_assert_int_eq(bye_decode(p, n, &b), WIRE_OK);
			ck_assert_uint_eq(b.code, 401);
			want = n - 2 < in.textlen ? n - 2 : in.textlen;
			ck_assert_uint_eq(b.textlen, want);
			ck_assert(memcmp(b.text, text, want) == 0);
		}
		free(p);
	}
}
END_TEST

/* The bye test case. */
TCase *
tc_bye(void)
{
	TCase	*tc = tcase_create("bye");

	tcase_add_loop_test(tc, test_bye_decode_table, 0,
	    sizeof bye_decode_cases / sizeof bye_decode_cases[0]);
	tcase_add_test(tc, test_bye_size_cap);
	tcase_add_loop_test(tc, test_bye_round_trip, 0,
	    sizeof bye_rt_cases / sizeof bye_rt_cases[0]);
	tcase_add_test(tc, test_bye_encode_refuses);
	tcase_add_test(tc, test_bye_truncation);
	return tc;
}
