/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * norm.c: names and query texts as keywords. This is the one definition of
 * what a word is: the FTS index stores exactly these words (its tokenizer
 * only splits on the spaces we put between them), the QRP table hashes
 * them, and queries are cut the same way, so a name and a query agree
 * whatever bytes they hold.
 *
 * A letter or digit is an ASCII one, a Latin-1 or Latin Extended-A letter
 * (folded to its base letters: é -> e, ß -> ss, œ -> oe), or any code
 * point of another script that is not punctuation or a symbol. Greek and
 * Cyrillic capitals are lower-cased too, so that "ПРИВЕТ" finds "привет".
 * Combining accents are dropped, so a decomposed "e" + U+0301 is "e" like
 * the precomposed "é". Anything else separates words, as do bytes that
 * are not valid UTF-8 (overlong forms, surrogates, beyond U+10FFFF).
 */
#include <stdint.h>
#include <string.h>

#include "wire/norm.h"

/*
 * U+00C0 to U+017F, lower-cased and without accents ("" for the two signs
 * in that range, × and ÷, which separate words).
 */
static const char *const norm_latin[] = {
	/* U+00C0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* U+00C8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00D0 */ "d", "n", "o", "o", "o", "o", "o", "",
	/* U+00D8 */ "o", "u", "u", "u", "u", "y", "th", "ss",
	/* U+00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* U+00E8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00F0 */ "d", "n", "o", "o", "o", "o", "o", "",
	/* U+00F8 */ "o", "u", "u", "u", "u", "y", "th", "y",
	/* U+0100 */ "a", "a", "a", "a", "a", "a", "c", "c",
	/* U+0108 */ "c", "c", "c", "c", "c", "c", "d", "d",
	/* U+0110 */ "d", "d", "e", "e", "e", "e", "e", "e",
	/* U+0118 */ "e", "e", "e", "e", "g", "g", "g", "g",
	/* U+0120 */ "g", "g", "g", "g", "h", "h", "h", "h",
	/* U+0128 */ "i", "i", "i", "i", "i", "i", "i", "i",
	/* U+0130 */ "i", "i", "ij", "ij", "j", "j", "k", "k",
	/* U+0138 */ "k", "l", "l", "l", "l", "l", "l", "l",
	/* U+0140 */ "l", "l", "l", "n", "n", "n", "n", "n",
	/* U+0148 */ "n", "n", "n", "n", "o", "o", "o", "o",
	/* U+0150 */ "o", "o", "oe", "oe", "r", "r", "r", "r",
	/* U+0158 */ "r", "r", "s", "s", "s", "s", "s", "s",
	/* U+0160 */ "s", "s", "t", "t", "t", "t", "t", "t",
	/* U+0168 */ "u", "u", "u", "u", "u", "u", "u", "u",
	/* U+0170 */ "u", "u", "u", "u", "w", "w", "y", "y",
	/* U+0178 */ "y", "z", "z", "z", "z", "z", "z", "s",
};

enum norm_class {
	NORM_SEP,		/* ends a word */
	NORM_SKIP,		/* ignored: a combining mark */
	NORM_KEEP,		/* part of a word: cp, lower-cased */
	NORM_LATIN,		/* part of a word: norm_latin[] */
};

struct norm_state {
	char		 word[NORM_WORD_MAX];
	size_t		 len;
	size_t		 count;
	void		(*fn)(void *, const char *, size_t);
	void		*arg;
};

/*
 * Decode one code point at s[0..len), len > 0. Returns the bytes used, or
 * 0 if s does not start a valid UTF-8 sequence (the lead byte is then one
 * separator and decoding resumes at the next byte).
 */
static size_t
norm_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char	 b = s[0];
	size_t		 n, i;
	uint32_t	 c, min;

	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		n = 2;
		c = b & 0x1f;
		min = 0x80;
	} else if (b >= 0xe0 && b <= 0xef) {
		n = 3;
		c = b & 0x0f;
		min = 0x800;
	} else if (b >= 0xf0 && b <= 0xf4) {
		n = 4;
		c = b & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Lower-case the Greek and Cyrillic capitals; fold ς and ё. */
static uint32_t
norm_lower(uint32_t c)
{
	/* U+03A2 is unassigned: lowered it would be ς, which folds again. */
	if (c >= 0x0391 && c <= 0x03a9 && c != 0x03a2)
		return c + 0x20;
	if (c == 0x0386)
		return 0x03ac;
	if (c >= 0x0388 && c <= 0x038a)
		return c + 0x25;
	if (c == 0x038c)
		return 0x03cc;
	if (c == 0x038e || c == 0x038f)
		return c + 0x3f;
	if (c == 0x03c2)			/* final sigma */
		return 0x03c3;
	if (c == 0x0401 || c == 0x0451)		/* Ё, ё: written е too */
		return 0x0435;
	if (c >= 0x0400 && c <= 0x040f)
		return c + 0x50;
	if (c >= 0x0410 && c <= 0x042f)
		return c + 0x20;
	if (((c >= 0x0460 && c <= 0x0481) || (c >= 0x048a && c <= 0x04bf) ||
	    (c >= 0x04d0 && c <= 0x052f)) && (c & 1) == 0)
		return c + 1;
	if (c >= 0x04c1 && c <= 0x04ce && (c & 1) == 1)
		return c + 1;
	if (c == 0x04c0)
		return 0x04cf;
	return c;
}

/* What a code point of U+0080 or above is to a word. */
static enum norm_class
norm_classify(uint32_t c)
{
	if (c < 0xc0)		/* C1 controls, NBSP, Latin-1 signs */
		return c == 0xaa || c == 0xb5 || c == 0xba || c == 0xb2 ||
		    c == 0xb3 || c == 0xb9 ? NORM_LATIN : NORM_SEP;
	if (c <= 0x17f)
		return c == 0xd7 || c == 0xf7 ? NORM_SEP : NORM_LATIN;
	if (c < 0x2b0)		/* Latin Extended-B, IPA */
		return NORM_KEEP;
	if (c < 0x300)		/* spacing modifiers: ʼ ˆ ˜ ... */
		return NORM_SEP;
	if (c < 0x370)		/* combining diacritical marks */
		return NORM_SKIP;
	switch (c) {
	case 0x037e: case 0x0387:		/* Greek ; and · */
	case 0x0589: case 0x05be: case 0x05c0: case 0x05c3:
	case 0x05f3: case 0x05f4:		/* Armenian, Hebrew */
	case 0x060c: case 0x061b: case 0x061f: case 0x06d4:	/* Arabic */
	case 0x0964: case 0x0965:		/* Devanagari danda */
	case 0x0e2f: case 0x0e5a: case 0x0e5b:	/* Thai */
	case 0x1680: case 0x180e:		/* Ogham, Mongolian spaces */
	case 0x30fb:				/* katakana middle dot */
	case 0xfeff:				/* BOM */
		return NORM_SEP;
	}
	if ((c >= 0x1ab0 && c <= 0x1aff) || (c >= 0x1dc0 && c <= 0x1dff) ||
	    (c >= 0x20d0 && c <= 0x20ff) || (c >= 0xfe00 && c <= 0xfe0f) ||
	    (c >= 0xfe20 && c <= 0xfe2f) || (c >= 0xe0100 && c <= 0xe01ef))
		return NORM_SKIP;	/* combining marks, variants */
	if (c >= 0x2000 && c <= 0x206f)		/* general punctuation */
		return NORM_SEP;
	if (c >= 0x20a0 && c <= 0x214f)		/* currency, ™ ... */
		return NORM_SEP;
	if (c >= 0x2190 && c <= 0x2bff)		/* arrows ... symbols */
		return NORM_SEP;
	if (c >= 0x2e00 && c <= 0x2e7f)		/* more punctuation */
		return NORM_SEP;
	if (c >= 0x3000 && c <= 0x303f)		/* CJK punctuation */
		return (c >= 0x3005 && c <= 0x3007) ||
		    (c >= 0x3031 && c <= 0x3035) || c == 0x303b ||
		    c == 0x303c ? NORM_KEEP : NORM_SEP;
	if (c >= 0xd800 && c <= 0xf8ff)		/* private use */
		return NORM_SEP;
	if (c >= 0xfe10 && c <= 0xfe1f)		/* vertical forms */
		return NORM_SEP;
	if (c >= 0xfe30 && c <= 0xfe6f)		/* CJK compatibility */
		return NORM_SEP;
	if (c >= 0xff00 && c <= 0xff65)		/* full-width ASCII */
		return NORM_LATIN;
	if (c >= 0xfff0 && c <= 0xffff)		/* specials, U+FFFD */
		return NORM_SEP;
	if (c >= 0x1f000 && c <= 0x1faff)	/* emoji, game symbols */
		return NORM_SEP;
	if (c >= 0xe0000 && c <= 0xe007f)	/* tags */
		return NORM_SEP;
	if (c >= 0xf0000)			/* private use planes */
		return NORM_SEP;
	return NORM_KEEP;
}

static void
norm_flush(struct norm_state *st)
{
	if (st->len == 0)
		return;
	st->fn(st->arg, st->word, st->len);
	st->count++;
	st->len = 0;
}

/* Append bytes to the word; a character that does not fit is dropped. */
static void
norm_add(struct norm_state *st, const char *p, size_t n)
{
	if (st->len + n > sizeof st->word)
		return;
	memcpy(st->word + st->len, p, n);
	st->len += n;
}

static void
norm_add_cp(struct norm_state *st, uint32_t c)
{
	char	 u[4];
	size_t	 n;

	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	norm_add(st, u, n);
}

/* ASCII: letters and digits in a word, anything else between words. */
static void
norm_ascii(struct norm_state *st, unsigned char b)
{
	char	 c;

	if (b >= 'A' && b <= 'Z')
		b = (unsigned char)(b - 'A' + 'a');
	if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')) {
		c = (char)b;
		norm_add(st, &c, 1);
	} else
		norm_flush(st);
}

/* The small Latin-1 signs that are letters or digits, and full-width
 * ASCII, as ASCII. */
static void
norm_latin_other(struct norm_state *st, uint32_t c)
{
	static const char	 mu[] = "\xce\xbc";	/* µ: Greek mu */
	const char		*s;

	switch (c) {
	case 0xaa:
		norm_ascii(st, 'a');
		return;
	case 0xba:
		norm_ascii(st, 'o');
		return;
	case 0xb2:
		norm_ascii(st, '2');
		return;
	case 0xb3:
		norm_ascii(st, '3');
		return;
	case 0xb9:
		norm_ascii(st, '1');
		return;
	case 0xb5:
		norm_add(st, mu, 2);
		return;
	}
	if (c >= 0xff01 && c <= 0xff5e) {
		norm_ascii(st, (unsigned char)(c - 0xff01 + 0x21));
		return;
	}
	if (c >= 0xc0 && c <= 0x17f) {
		s = norm_latin[c - 0xc0];
		norm_add(st, s, strlen(s));
		return;
	}
	norm_flush(st);		/* U+FF00, U+FF5F-U+FF65: punctuation */
}

/* Call fn with each normalised word of s[0..len). */
size_t
norm_words(const char *s, size_t len,
    void (*fn)(void *, const char *, size_t), void *arg)
{
	const unsigned char	*p = (const unsigned char *)s;
	struct norm_state	 st;
	size_t			 i = 0, n;
	uint32_t		 c;

	st.len = 0;
	st.count = 0;
	st.fn = fn;
	st.arg = arg;
	while (i < len) {
		if (p[i] < 0x80) {
			norm_ascii(&st, p[i++]);
			continue;
		}
		if ((n = norm_decode(p + i, len - i, &c)) == 0) {
			norm_flush(&st);
			i++;
			continue;
		}
		i += n;
		switch (norm_classify(c)) {
		case NORM_SEP:
			norm_flush(&st);
			break;
		case NORM_SKIP:
			break;
		case NORM_LATIN:
			norm_latin_other(&st, c);
			break;
		case NORM_KEEP:
			norm_add_cp(&st, norm_lower(c));
			break;
		}
	}
	norm_flush(&st);
	return st.count;
}

/* Whether s[0..len) is valid UTF-8. */
int
norm_utf8_valid(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;
	uint32_t		 c;

	while (i < len) {
		if ((n = norm_decode(p + i, len - i, &c)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* Characters in a normalised (valid UTF-8) word: bytes that do not
 * continue a sequence. */
size_t
norm_chars(const char *w, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)w[i] & 0xc0) != 0x80)
			n++;
	return n;
}
