/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_qrt.c: the QRP table built from an index: words and truncations in,
 * short words out, and a patch that inflates to the right nibbles.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "share/qrt.h"
#include "wire/qrp.h"

TCase	*tc_qrt(void);

static struct share *
qrt_index(void)
{
	static const char *const names[] = {
		"Beatles - Yesterday.mp3", "Crazy_in_Love.flac", "ab.txt",
	};
	struct share_file	 f;
	struct share		*sh;
	char			*cause = NULL, path[64];
	size_t			 i;

	sh = share_open(":memory:", &cause);
	ck_assert_ptr_nonnull(sh);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		memset(&f, 0, sizeof f);
		snprintf(path, sizeof path, "/srv/%s", names[i]);
		f.path = path;
		f.size = 100 + i;
		memset(f.sha1, (int)i + 1, sizeof f.sha1);
		f.has_sha1 = 1;
		ck_assert_int_eq(share_put(sh, &f, 1), 0);
	}
	return sh;
}

START_TEST(test_qrt_words_and_truncations)
{
	struct share	*sh = qrt_index();
	struct qrt	 t;

	ck_assert_int_eq(qrt_build(sh, 16, &t), 0);
	ck_assert(qrt_has(&t, "beatles", 7));
	ck_assert(qrt_has(&t, "beat", 4));	/* a truncation */
	ck_assert(qrt_has(&t, "BEA", 3));	/* case folded */
	ck_assert(qrt_has(&t, "crazy love", 10));
	ck_assert(qrt_has(&t, "yesterday mp3", 13));
	ck_assert(!qrt_has(&t, "ab", 2));	/* under 3 characters */
	ck_assert(!qrt_has(&t, "beatles zzyzx", 13));
	/* 9 words of 3+ characters plus their truncations. */
	ck_assert_uint_ge(t.words, 9);
	ck_assert_uint_le(t.filled, t.words);
	ck_assert_uint_gt(t.filled, 0);
	qrt_free(&t);
	share_close(sh);
}
END_TEST

START_TEST(test_qrt_patch_inflates)
{
	static uint8_t	 packed[1 << 16], nib[1 << 15];
	struct share	*sh = qrt_index();
	struct qrt	 t;
	size_t		 plen, got, i, set = 0;
	uint8_t		 v;

	ck_assert_int_eq(qrt_build(sh, 16, &t), 0);
	plen = qrt_patch(&t, 7, packed, sizeof packed);
	ck_assert_uint_gt(plen, 0);
	ck_assert_int_eq(qrp_inflate(packed, plen, nib, sizeof nib, &got),
	    WIRE_OK);
	ck_assert_uint_eq(got, (1u << 16) / 2);
	for (i = 0; i < (1u << 16); i++) {
		v = (i & 1) ? nib[i / 2] & 0x0f : nib[i / 2] >> 4;
		/* Present slots go from infinity 7 to 1: a nibble of -6. */
		ck_assert_uint_eq(v, t.present[i] ? 0x0a : 0);
		set += t.present[i];
	}
	ck_assert_uint_eq(set, t.filled);
	qrt_free(&t);
	share_close(sh);
}
END_TEST

TCase *
tc_qrt(void)
{
	TCase	*tc = tcase_create("qrt");

	tcase_add_test(tc, test_qrt_words_and_truncations);
	tcase_add_test(tc, test_qrt_patch_inflates);
	return tc;
}
