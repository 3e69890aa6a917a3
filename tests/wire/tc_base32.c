/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_base32.c: RFC 4648 base32 vectors and rejections.
 */
#include <string.h>

#include "lib/base32.h"
#include "wire/tc.h"

/* RFC 4648 section 10, without the padding HUGE leaves out. */
static const struct {
	const char	*raw;
	const char	*b32;
} b32_vectors[] = {
	{ "", "" },
	{ "f", "MY" },
	{ "fo", "MZXQ" },
	{ "foo", "MZXW6" },
	{ "foob", "MZXW6YQ" },
	{ "fooba", "MZXW6YTB" },
	{ "foobar", "MZXW6YTBOI" },
};

START_TEST(test_base32_rfc4648)
{
	const char	*raw = b32_vectors[_i].raw, *b32 = b32_vectors[_i].b32;
	char		 enc[32];
	uint8_t		 dec[32];
	long		 n;

	ck_assert_uint_eq(base32_encode((const uint8_t *)raw, strlen(raw), enc,
	    sizeof enc), strlen(b32));
	ck_assert_str_eq(enc, b32);
	n = base32_decode(b32, strlen(b32), dec, sizeof dec);
	ck_assert_int_eq(n, (long)strlen(raw));
	ck_assert_mem_eq(dec, raw, strlen(raw));
}
END_TEST

START_TEST(test_base32_sha1_roundtrip)
{
	uint8_t		 sha1[20], back[20];
	char		 text[33];
	int		 i;

	for (i = 0; i < 20; i++)
		sha1[i] = (uint8_t)(i * 37 + 11);
	ck_assert_uint_eq(base32_encode(sha1, 20, text, sizeof text), 32);
	ck_assert_int_eq(base32_decode(text, 32, back, sizeof back), 20);
	ck_assert_mem_eq(sha1, back, 20);
	/* Lower case decodes the same. */
	for (i = 0; i < 32; i++)
		if (text[i] >= 'A' && text[i] <= 'Z')
			text[i] += 'a' - 'A';
	ck_assert_int_eq(base32_decode(text, 32, back, sizeof back), 20);
	ck_assert_mem_eq(sha1, back, 20);
}
END_TEST

START_TEST(test_base32_rejects)
{
	uint8_t		 out[8];
	char		 small[4];

	ck_assert_int_eq(base32_decode("MZXW1", 5, out, sizeof out), -1);
	ck_assert_int_eq(base32_decode("MZ=W6", 5, out, sizeof out), -1);
	/* "MZ" has 2 leftover bits that must be zero; "M3" does not. */
	ck_assert_int_eq(base32_decode("M3", 2, out, sizeof out), -1);
	/* Three characters are never a whole number of bytes. */
	ck_assert_int_eq(base32_decode("MZX", 3, out, sizeof out), -1);
	ck_assert_int_eq(base32_decode("MZXW6YTBOI", 10, out, 5), -1);
	ck_assert_uint_eq(base32_encode((const uint8_t *)"foo", 3, small,
	    sizeof small), 0);
}
END_TEST

TCase *
tc_base32(void)
{
	TCase	*tc = tcase_create("base32");

	tcase_add_loop_test(tc, test_base32_rfc4648, 0,
	    sizeof b32_vectors / sizeof b32_vectors[0]);
	tcase_add_test(tc, test_base32_sha1_roundtrip);
	tcase_add_test(tc, test_base32_rejects);
	return tc;
}
