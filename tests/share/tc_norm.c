/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_norm.c: names and query texts as keywords: case, accents, scripts,
 * separators, invalid UTF-8, the word length cap, and never a byte read
 * past the length given (each input is copied to a buffer of exactly its
 * length, so ASan sees an over-read).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wire/norm.h"

TCase	*tc_norm(void);

struct norm_out {
	char	 s[4096];
	size_t	 len;
	size_t	 calls;
};

/* Words joined by '|', to compare with the table's expectations. */
static void
norm_collect(void *arg, const char *w, size_t len)
{
	struct norm_out	*o = arg;

	ck_assert_uint_gt(len, 0);
	ck_assert_uint_le(len, NORM_WORD_MAX);
	ck_assert_uint_lt(o->len + len + 1, sizeof o->s);
	if (o->calls++ > 0)
		o->s[o->len++] = '|';
	memcpy(o->s + o->len, w, len);
	o->len += len;
	o->s[o->len] = '\0';
}

/* norm_words over an exact-length heap copy of s[0..len). */
static size_t
norm_run(const char *s, size_t len, struct norm_out *o)
{
	char	*copy = malloc(len > 0 ? len : 1);
	size_t	 n;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, s, len);
	memset(o, 0, sizeof *o);
	n = norm_words(copy, len, norm_collect, o);
	free(copy);
	return n;
}

static const struct {
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	const char	*words;		/* joined by '|' */
} norm_cases[] = {
	{ "Crazy_in_Love.flac", 0, "crazy|in|love|flac" },
	{ "Beyoncé - Halo (2008).flac", 0, "beyonce|halo|2008|flac" },
	{ "Some.Movie.2019.1080p.x264.mkv", 0,
	    "some|movie|2019|1080p|x264|mkv" },
	{ "report_2021_v3.pdf", 0, "report|2021|v3|pdf" },
	{ "foo_bar-baz.qux+quux,a;b'c", 0, "foo|bar|baz|qux|quux|a|b|c" },
	{ "Straße", 0, "strasse" },
	{ "Œuvre Ærø Øre", 0, "oeuvre|aero|ore" },
	{ "Łódź Đorđe Ħal", 0, "lodz|dorde|hal" },
	{ "ÀÉÎÕÜ àéîõü Çç Ññ Ÿÿ", 0, "aeiou|aeiou|cc|nn|yy" },
	{ "Þór ÐÐ", 0, "thor|dd" },
	{ "Škoda Žižek Ćevapi Ğ", 0, "skoda|zizek|cevapi|g" },
	{ "2×3÷4", 0, "2|3|4" },
	{ "ª º µ ²³", 0, "a|o|\xce\xbc|23" },
	/* A decomposed é (e + U+0301) is the precomposed one. */
	{ "Caf\x65\xcc\x81 Cafe\xcc\x81", 0, "cafe|cafe" },
	{ "ＡＢＣ１２３！ｘ", 0, "abc123|x" },
	{ "Привет МИР Ёлка", 0, "привет|мир|елка" },
	{ "ΣΟΦΙΑ σοφίας", 0, "σοφια|σοφίασ" },	/* ς is σ */
	{ "東京タワー・夜景", 0, "東京タワー|夜景" },
	{ "日本語。テスト、「歌」", 0, "日本語|テスト|歌" },
	{ "مرحبا، عالم", 0, "مرحبا|عالم" },
	{ "a\xe2\x80\x94" "b\xe2\x80\x9c" "c\xe2\x80\x9d", 0, "a|b|c" },
	{ "100€ 5™", 0, "100|5" },
	{ "smile\xf0\x9f\x98\x80" "face", 0, "smile|face" },
	{ "tab\there\nnew\rline", 0, "tab|here|new|line" },
	{ "x\0y", 3, "x|y" },
	{ "AND OR NEAR(a b) \"q\" col:x ^y * -z", 0,
	    "and|or|near|a|b|q|col|x|y|z" },
	{ "", 0, "" },
	{ "   ", 0, "" },
	{ "\\", 0, "" },
	{ "._-()[]{}", 0, "" },
	/* Only len bytes count. */
	{ "abcdef", 3, "abc" },
	{ "é", 1, "" },
	{ "aé", 2, "a" },
	/* Invalid UTF-8: the bad bytes separate words. */
	{ "ab\xff" "cd", 0, "ab|cd" },
	{ "a\x80" "b", 0, "a|b" },
	{ "\xc0\xaf" "x", 0, "x" },			/* overlong '/' */
	{ "a\xe0\x80\xaf" "b", 0, "a|b" },	/* overlong, 3 bytes */
	{ "a\xf0\x80\x80\xaf" "b", 0, "a|b" },	/* overlong, 4 bytes */
	{ "a\xed\xa0\x80" "b", 0, "a|b" },		/* surrogate */
	{ "a\xf4\x90\x80\x80" "b", 0, "a|b" },	/* beyond U+10FFFF */
	{ "a\xf8\x88\x80\x80\x80" "b", 0, "a|b" },	/* 5-byte form */
	{ "caf\xc3", 0, "caf" },			/* cut at the end */
	{ "caf\xc3" "x", 0, "caf|x" },
	{ "\xe6\x9d\xb1\xe4", 0, "東" },
	{ "\xff\xfe", 0, "" },
};

START_TEST(test_norm_words)
{
	const char	*in = norm_cases[_i].in;
	size_t		 len = norm_cases[_i].len, n, want = 0;
	struct norm_out	 o;
	const char	*w;

	if (len == 0)
		len = strlen(in);
	n = norm_run(in, len, &o);
	ck_assert_msg(strcmp(o.s, norm_cases[_i].words) == 0,
	    "case %d: got \"%s\", want \"%s\"", _i, o.s, norm_cases[_i].words);
	for (w = norm_cases[_i].words; *w != '\0'; w++)
		want += *w == '|';
	if (*norm_cases[_i].words != '\0')
		want++;
	ck_assert_uint_eq(n, want);
	ck_assert_uint_eq(o.calls, want);
}
END_TEST

/* Every output word is valid UTF-8, whatever went in. */
START_TEST(test_norm_output_valid)
{
	struct norm_out	 o;
	char		 in[512];
	size_t		 i;
	unsigned	 x = 12345;

	for (i = 0; i < sizeof in; i++) {
		x = x * 1103515245u + 12345u;
		in[i] = (char)(x >> 16);
	}
	norm_run(in, sizeof in, &o);
	ck_assert(norm_utf8_valid(o.s, o.len));
	ck_assert_ptr_null(memchr(o.s, '\0', o.len));
}
END_TEST

START_TEST(test_norm_word_cap)
{
	struct norm_out	 o;
	char		 in[1200];
	size_t		 i;

	/* ASCII: cut at NORM_WORD_MAX bytes, then the next word. */
	memset(in, 'a', 300);
	memcpy(in + 300, " bc", 3);
	norm_run(in, 303, &o);
	ck_assert_uint_eq(o.calls, 2);
	ck_assert_uint_eq(o.len, NORM_WORD_MAX + 1 + 2);
	ck_assert_str_eq(o.s + NORM_WORD_MAX, "|bc");

	/* 200 × "é" folds to 200 bytes: no cut. */
	for (i = 0; i < 200; i++)
		memcpy(in + 2 * i, "\xc3\xa9", 2);
	norm_run(in, 400, &o);
	ck_assert_uint_eq(o.len, 200);

	/* 3-byte characters are never split: 85 of them fit in 256. */
	for (i = 0; i < 100; i++)
		memcpy(in + 3 * i, "東", 3);
	norm_run(in, 300, &o);
	ck_assert_uint_eq(o.calls, 1);
	ck_assert_uint_eq(o.len, 255);
	ck_assert(norm_utf8_valid(o.s, o.len));
}
END_TEST

static const struct {
	const char	*s;
	size_t		 len;
	int		 valid;
} utf8_cases[] = {
	{ "", 0, 1 },
	{ "plain ascii", 0, 1 },
	{ "Beyoncé 東京 😀", 0, 1 },
	{ "\xf4\x8f\xbf\xbf", 0, 1 },		/* U+10FFFF */
	{ "x\0y", 3, 1 },
	{ "\xff", 0, 0 },
	{ "\x80", 0, 0 },
	{ "\xc3", 0, 0 },
	{ "\xc3\xa9", 1, 0 },			/* cut by len */
	{ "\xc0\x80", 0, 0 },			/* overlong NUL */
	{ "\xe0\x9f\xbf", 0, 0 },
	{ "\xed\xbf\xbf", 0, 0 },		/* surrogate */
	{ "\xf4\x90\x80\x80", 0, 0 },
	{ "\xf5\x80\x80\x80", 0, 0 },
	{ "ab\xe6\x9d", 0, 0 },
};

START_TEST(test_norm_utf8_valid)
{
	size_t	 len = utf8_cases[_i].len;
	char	*copy;

	if (len == 0)
		len = strlen(utf8_cases[_i].s);
	copy = malloc(len > 0 ? len : 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, utf8_cases[_i].s, len);
	ck_assert_msg(norm_utf8_valid(copy, len) == utf8_cases[_i].valid,
	    "case %d", _i);
	free(copy);
}
END_TEST

TCase *
tc_norm(void)
{
	TCase	*tc = tcase_create("norm");

	tcase_add_loop_test(tc, test_norm_words, 0,
	    (int)(sizeof norm_cases / sizeof norm_cases[0]));
	tcase_add_test(tc, test_norm_output_valid);
	tcase_add_test(tc, test_norm_word_cap);
	tcase_add_loop_test(tc, test_norm_utf8_valid, 0,
	    (int)(sizeof utf8_cases / sizeof utf8_cases[0]));
	return tc;
}
