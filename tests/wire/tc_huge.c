/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_huge.c: HUGE URNs (sha1 and bitprint, good and bad), their formatting,
 * and the extension-area walker: separators, GGEP blocks holding 0x1C,
 * broken GGEP, the golden hit record's area and every truncation.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wire/huge.h"
#include "wire/tc.h"

/* SHA-1 and Tiger root of the file in queryhit-urn-tt.hex */
#define GOLD_SHA1_B32	"6O2DFRAIZKTOJES7NTV6GGZLB2IYGZSF"
#define GOLD_SHA1_HEX	"f3b432c408caa6e4925f6cebe31b2b0e91836645"
#define GOLD_TIGER_B32	"JZDZGQBEEZPLKBC7PIGQS5ANDJJZMEFQGTZQOIQ"

static const struct {
	const char		*urn;
	enum wire_status	 want;
} huge_parse_cases[] = {
	{ "urn:sha1:" GOLD_SHA1_B32, WIRE_OK },
	{ "URN:SHA1:" GOLD_SHA1_B32, WIRE_OK },
	{ "Urn:Sha1:6o2dfraizktojes7ntv6ggzlb2iygzsf", WIRE_OK },
	{ "urn:bitprint:" GOLD_SHA1_B32 "." GOLD_TIGER_B32, WIRE_OK },
	{ "URN:BITPRINT:" GOLD_SHA1_B32 ".jzdzgqbeezplkbc7pigqs5andjjzmefqgtzqoiq",
	    WIRE_OK },
	/* 31 and 33 characters */
	{ "urn:sha1:6O2DFRAIZKTOJES7NTV6GGZLB2IYGZS", WIRE_MALFORMED },
	{ "urn:sha1:" GOLD_SHA1_B32 "A", WIRE_MALFORMED },
	/* characters outside the alphabet: 0, 1, 8, '=' */
	{ "urn:sha1:0O2DFRAIZKTOJES7NTV6GGZLB2IYGZSF", WIRE_MALFORMED },
	{ "urn:sha1:6O2DFRAIZKTOJES1NTV6GGZLB2IYGZSF", WIRE_MALFORMED },
	{ "urn:sha1:6O2DFRAIZKTOJES8NTV6GGZLB2IYGZSF", WIRE_MALFORMED },
	{ "urn:sha1:6O2DFRAIZKTOJES7NTV6GGZLB2IYGZS=", WIRE_MALFORMED },
	/* wrong or missing prefix */
	{ "urn:sha1" GOLD_SHA1_B32 "A", WIRE_MALFORMED },
	{ "urn:sha2:" GOLD_SHA1_B32, WIRE_MALFORMED },
	{ "urn:md5::" GOLD_SHA1_B32, WIRE_MALFORMED },
	{ "xrn:sha1:" GOLD_SHA1_B32, WIRE_MALFORMED },
	{ "urn:sha1:", WIRE_MALFORMED },
	{ "urn:", WIRE_MALFORMED },
	{ "", WIRE_MALFORMED },
	/* bitprint: no dot, short Tiger, bad Tiger character, bad pad bits */
	{ "urn:bitprint:" GOLD_SHA1_B32 "J" GOLD_TIGER_B32, WIRE_MALFORMED },
	{ "urn:bitprint:" GOLD_SHA1_B32 ".JZDZGQBEEZPLKBC7PIGQS5ANDJJZMEFQGTZQOI",
	    WIRE_MALFORMED },
	{ "urn:bitprint:" GOLD_SHA1_B32 ".JZDZGQBEEZPLKBC7PIGQS5ANDJJZMEFQGTZQOI1",
	    WIRE_MALFORMED },
	{ "urn:bitprint:" GOLD_SHA1_B32 ".JZDZGQBEEZPLKBC7PIGQS5ANDJJZMEFQGTZQOIR",
	    WIRE_MALFORMED },
	{ "urn:bitprint:6O2DFRAIZKTOJES7NTV6GGZLB2IYGZS!." GOLD_TIGER_B32,
	    WIRE_MALFORMED },
	/* a sha1 prefix with bitprint length, and the reverse */
	{ "urn:sha1:" GOLD_SHA1_B32 "." GOLD_TIGER_B32 "ABCD", WIRE_MALFORMED },
	{ "urn:bitprint:" GOLD_SHA1_B32, WIRE_MALFORMED },
};

START_TEST(test_huge_parse_table)
{
	const char		*urn = huge_parse_cases[_i].urn;
	size_t			 len = strlen(urn);
	uint8_t			 sha1[SHA1_LEN], want[SHA1_LEN];
	char			*p;
	enum wire_status	 st;

	/* exact-size copy without NUL, so a read past len is caught */
	p = malloc(len > 0 ? len : 1);
	ck_assert_ptr_nonnull(p);
	memcpy(p, urn, len);
	memset(sha1, 0xaa, sizeof sha1);
	st = huge_parse_sha1(p, len, sha1);
	ck_assert_msg(st == huge_parse_cases[_i].want, "case %d (%s): got %s",
	    _i, urn, wire_strstatus(st));
	if (st == WIRE_OK) {
		ck_assert_int_eq(tu_hex(GOLD_SHA1_HEX, want, sizeof want),
		    SHA1_LEN);
		ck_assert(memcmp(sha1, want, SHA1_LEN) == 0);
	}
	free(p);
}
END_TEST

START_TEST(test_huge_format)
{
	uint8_t	 sha1[SHA1_LEN], back[SHA1_LEN];
	char	 out[64];
	size_t	 i;

	ck_assert_int_eq(tu_hex(GOLD_SHA1_HEX, sha1, sizeof sha1), SHA1_LEN);
	memset(out, 'x', sizeof out);
	ck_assert_uint_eq(huge_format_sha1(sha1, out, sizeof out),
	    HUGE_URN_SHA1_LEN);
	ck_assert_str_eq(out, "urn:sha1:" GOLD_SHA1_B32);

	/* exactly 42 bytes is enough, 41 is not */
	memset(out, 'x', sizeof out);
	ck_assert_uint_eq(huge_format_sha1(sha1, out, 42), HUGE_URN_SHA1_LEN);
	ck_assert_int_eq(out[41], '\0');
	ck_assert_uint_eq(huge_format_sha1(sha1, out, 41), 0);
	ck_assert_uint_eq(huge_format_sha1(sha1, out, 0), 0);

	/* every byte value survives format then parse */
	for (i = 0; i < 256; i += 13) {
		memset(sha1, (int)i, sizeof sha1);
		sha1[i % SHA1_LEN] ^= 0x5a;
		ck_assert_uint_eq(huge_format_sha1(sha1, out, sizeof out),
		    HUGE_URN_SHA1_LEN);
		ck_assert_int_eq(huge_parse_sha1(out, HUGE_URN_SHA1_LEN, back),
		    WIRE_OK);
		ck_assert(memcmp(sha1, back, SHA1_LEN) == 0);
	}
}
END_TEST

/*
 * Extension areas: the items expected, as kind and length, then the status
 * that ends the walk. A GGEP block here is "c3 81 58 42 1c 1c": one last
 * extension "X" whose two data bytes are both the separator.
 */
#define EXT_MAXITEMS	5
static const struct {
	const char		*hex;
	int			 nitems;
	struct {
		enum ext_kind	 kind;
		size_t		 len;
	}			 items[EXT_MAXITEMS];
	enum wire_status	 end;
} ext_cases[] = {
	{ "", 0, { { 0, 0 } }, WIRE_END },
	{ "1c 1c 1c", 0, { { 0, 0 } }, WIRE_END },
	/* bare "urn:" */
	{ "75726e3a", 1, { { EXT_URN, 4 } }, WIRE_END },
	/* "URN:x" 1c "<a>" 1c "{}" 1c "foo" */
	{ "55524e3a78 1c 3c613e 1c 7b7d 1c 666f6f", 4,
	    { { EXT_URN, 5 }, { EXT_XML, 3 }, { EXT_XML, 2 },
	    { EXT_OTHER, 3 } }, WIRE_END },
	/* empty items between, before and after */
	{ "1c 1c 666f6f 1c 1c 626172 1c", 2,
	    { { EXT_OTHER, 3 }, { EXT_OTHER, 3 } }, WIRE_END },
	/* "ur" is too short to be a URN */
	{ "7572", 1, { { EXT_OTHER, 2 } }, WIRE_END },
	/* GGEP with 0x1C inside, then text with no separator */
	{ "c3 81 58 42 1c 1c 666f6f", 2,
	    { { EXT_GGEP, 6 }, { EXT_OTHER, 3 } }, WIRE_END },
	/* GGEP, separator, URN */
	{ "c3 81 58 42 1c 1c 1c 75726e3a", 2,
	    { { EXT_GGEP, 6 }, { EXT_URN, 4 } }, WIRE_END },
	/* two GGEP blocks back to back, the second "YY" empty */
	{ "c3 81 58 42 1c 1c c3 82 5959 40", 2,
	    { { EXT_GGEP, 6 }, { EXT_GGEP, 5 } }, WIRE_END },
	/* text, separator, GGEP */
	{ "666f6f 1c c3 81 58 42 1c 1c", 2,
	    { { EXT_OTHER, 3 }, { EXT_GGEP, 6 } }, WIRE_END },
	/* 0xC3 inside an item (UTF-8 in XML) is not a GGEP block */
	{ "3c61 c3a9 3e 1c 78", 2,
	    { { EXT_XML, 5 }, { EXT_OTHER, 1 } }, WIRE_END },
	/* GGEP claiming 5 data bytes with 1 left */
	{ "666f6f 1c c3 81 58 45 1c", 1, { { EXT_OTHER, 3 } }, WIRE_BADGGEP },
	/* a lone magic byte; a zero flags byte */
	{ "c3", 0, { { 0, 0 } }, WIRE_BADGGEP },
	{ "c3 00 58 40", 0, { { 0, 0 } }, WIRE_BADGGEP },
	/* a good block, then a broken one */
	{ "c3 81 58 42 1c 1c 1c c3 81", 1, { { EXT_GGEP, 6 } }, WIRE_BADGGEP },
};

START_TEST(test_ext_table)
{
	struct ext_iter		 it;
	struct ext_item		 item;
	uint8_t			 buf[128], *p;
	long			 n;
	int			 k = 0;
	enum wire_status	 st;

	n = tu_hex(ext_cases[_i].hex, buf, sizeof buf);
	ck_assert_int_ge(n, 0);
	p = malloc(n > 0 ? (size_t)n : 1);
	ck_assert_ptr_nonnull(p);
	memcpy(p, buf, (size_t)n);
	ext_iter_init(&it, p, (size_t)n);
	while ((st = ext_next(&it, &item)) == WIRE_OK) {
		ck_assert_msg(k < ext_cases[_i].nitems, "case %d: extra item",
		    _i);
		ck_assert_msg(item.kind == ext_cases[_i].items[k].kind,
		    "case %d item %d: kind %d", _i, k, item.kind);
		ck_assert_msg(item.len == ext_cases[_i].items[k].len,
		    "case %d item %d: len %zu", _i, k, item.len);
		ck_assert(item.data >= p && item.data + item.len <= p + n);
		k++;
	}
	ck_assert_msg(k == ext_cases[_i].nitems, "case %d: %d items", _i, k);
	ck_assert_msg(st == ext_cases[_i].end, "case %d: ended with %s", _i,
	    wire_strstatus(st));
	/* the end is sticky */
	if (st == WIRE_END)
		ck_assert_int_eq(ext_next(&it, &item), WIRE_END);
	free(p);
}
END_TEST

/* The extension area of the record in queryhit-urn-tt.hex. */
#define GOLD_EXT_OFF	(23 + 11 + 8 + 25)
#define GOLD_EXT_LEN	(41 + 1 + 37)

START_TEST(test_ext_golden)
{
	struct ext_iter		 it;
	struct ext_item		 item;
	uint8_t			 msg[512], sha1[SHA1_LEN], want[SHA1_LEN];
	size_t			 n;

	n = tu_vector("queryhit-urn-tt.hex", msg, sizeof msg);
	ck_assert_uint_ge(n, GOLD_EXT_OFF + GOLD_EXT_LEN + 1);
	ck_assert_int_eq(msg[GOLD_EXT_OFF - 1], 0);
	ck_assert_int_eq(msg[GOLD_EXT_OFF + GOLD_EXT_LEN], 0);
	ext_iter_init(&it, msg + GOLD_EXT_OFF, GOLD_EXT_LEN);

	ck_assert_int_eq(ext_next(&it, &item), WIRE_OK);
	ck_assert_int_eq(item.kind, EXT_URN);
	ck_assert_uint_eq(item.len, HUGE_URN_SHA1_LEN);
	ck_assert_int_eq(huge_parse_sha1((const char *)item.data, item.len,
	    sha1), WIRE_OK);
	ck_assert_int_eq(tu_hex(GOLD_SHA1_HEX, want, sizeof want), SHA1_LEN);
	ck_assert(memcmp(sha1, want, SHA1_LEN) == 0);

	ck_assert_int_eq(ext_next(&it, &item), WIRE_OK);
	ck_assert_int_eq(item.kind, EXT_GGEP);
	ck_assert_uint_eq(item.len, 37);
	ck_assert_int_eq(item.data[0], 0xc3);
	ck_assert_int_eq(ext_next(&it, &item), WIRE_END);
}
END_TEST

/* Every prefix of the golden area walks without reading past its end. */
START_TEST(test_ext_truncation)
{
	struct ext_iter		 it;
	struct ext_item		 item;
	uint8_t			 msg[512], *p;
	size_t			 n, cut;
	int			 items;
	enum wire_status	 st;

	n = tu_vector("queryhit-urn-tt.hex", msg, sizeof msg);
	ck_assert_uint_ge(n, GOLD_EXT_OFF + GOLD_EXT_LEN);
	for (cut = 0; cut <= GOLD_EXT_LEN; cut++) {
		p = malloc(cut > 0 ? cut : 1);
		ck_assert_ptr_nonnull(p);
		memcpy(p, msg + GOLD_EXT_OFF, cut);
		ext_iter_init(&it, p, cut);
		items = 0;
		while ((st = ext_next(&it, &item)) == WIRE_OK) {
			ck_assert(item.data + item.len <= p + cut);
			items++;
		}
		if (cut > HUGE_URN_SHA1_LEN + 1 && cut < GOLD_EXT_LEN)
			/* the GGEP block is cut */
			ck_assert_int_eq(st, WIRE_BADGGEP);
		else
			ck_assert_int_eq(st, WIRE_END);
		ck_assert_int_le(items, 2);
		free(p);
	}
}
END_TEST

TCase *
tc_huge(void)
{
	TCase	*tc = tcase_create("huge");

	tcase_add_loop_test(tc, test_huge_parse_table, 0,
	    sizeof huge_parse_cases / sizeof huge_parse_cases[0]);
	tcase_add_test(tc, test_huge_format);
	tcase_add_loop_test(tc, test_ext_table, 0,
	    sizeof ext_cases / sizeof ext_cases[0]);
	tcase_add_test(tc, test_ext_golden);
	tcase_add_test(tc, test_ext_truncation);
	return tc;
}
