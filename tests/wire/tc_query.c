/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_query.c: Query payloads: the big-endian flags word, text and
 * extension area (text URNs, GGEP "H" even with NUL bytes in its data,
 * bare legacy URNs), the 1024-byte kick size, encoding and round trips,
 * and every truncation of a full query.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wire/query.h"
#include "wire/tc.h"

#define SHA1_A_B32	"6O2DFRAIZKTOJES7NTV6GGZLB2IYGZSF"
#define SHA1_A_HEX	"f3b432c408caa6e4925f6cebe31b2b0e91836645"
#define SHA1_B_B32	"3JEJTDWLH6V5XRGKZ2OQPMUKEEBZB2Z4"
#define SHA1_B_HEX	"da48998ecb3fabdbc4cace9d07b28a210390eb3c"
/* bytes 00..13: the first data byte of this hash is a NUL */
#define SHA1_Z_BIN	"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09" \
			"\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13"
#define SHA1_Z_HEX	"000102030405060708090a0b0c0d0e0f10111213"
#define TIGER_B32	"JZDZGQBEEZPLKBC7PIGQS5ANDJJZMEFQGTZQOIQ"
#define TIGER_BIN	"\x4e\x47\x93\x40\x24\x26\x5e\xb5\x04\x5f\x7a\x0d" \
			"\x09\x74\x0d\x1a\x53\x96\x10\xb0\x34\xf3\x07\x22"

/* GGEP blocks: one last extension "H", 21 or 45 bytes, no COBS */
#define GGEP_H1(sha)	"\xc3\x81H\x55\x01" sha
#define GGEP_H2(sha)	"\xc3\x81H\x6d\x02" sha TIGER_BIN

#define P(s)		s, sizeof(s) - 1

static const struct {
	const char		*in;
	size_t			 len;
	enum wire_status	 want;
	uint16_t		 flags;
	const char		*text;
	size_t			 extlen;
	size_t			 nsha1;
	const char		*sha1[QUERY_MAX_URNS];	/* hex */
	size_t			 ggeplen;
} query_cases[] = {
	/* plain legacy query, with and without the final NUL */
	{ P("\x88\x00" "abc\0"), WIRE_OK, 0x8800, "abc", 0, 0, { 0 }, 0 },
	{ P("\x88\x00" "abc\0\0"), WIRE_OK, 0x8800, "abc", 0, 0, { 0 }, 0 },
	{ P("\x00\x00" "\0"), WIRE_OK, 0, "", 0, 0, { 0 }, 0 },
	/* bare "urn:" and "urn:sha1:" ask for URNs and name nothing */
	{ P("\x88\x00" "abc\0urn:\0"), WIRE_OK, 0x8800, "abc", 4, 0, { 0 },
	    0 },
	{ P("\x88\x00" "abc\0urn:sha1:"), WIRE_OK, 0x8800, "abc", 9, 0,
	    { 0 }, 0 },
	{ P("\x88\x00" "abc\0URN:SHA1:\x1curn:\0"), WIRE_OK, 0x8800, "abc",
	    14, 0, { 0 }, 0 },
	/* one URN, with and without the final NUL */
	{ P("\x88\x00" "abc\0urn:sha1:" SHA1_A_B32 "\0"), WIRE_OK, 0x8800,
	    "abc", 41, 1, { SHA1_A_HEX }, 0 },
	{ P("\xb9\x00" "x\0urn:sha1:" SHA1_A_B32), WIRE_OK, 0xb900, "x", 41,
	    1, { SHA1_A_HEX }, 0 },
	/* bitprint, lower case; the same hash twice is kept once */
	{ P("\x88\x00" "q\0urn:bitprint:" SHA1_B_B32 "." TIGER_B32
	    "\x1curn:sha1:3jejtdwlh6v5xrgkz2oqpmukeebzb2z4\0"), WIRE_OK,
	    0x8800, "q", 85 + 1 + 41, 1, { SHA1_B_HEX }, 0 },
	/* at most QUERY_MAX_URNS are kept, the rest still checked */
	{ P("\x88\x00" "q\0urn:sha1:" SHA1_A_B32
	    "\x1curn:sha1:" SHA1_B_B32
	    "\x1curn:sha1:AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT"
	    "\x1curn:sha1:" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "\x1curn:sha1:" "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\0"), WIRE_OK,
	    0x8800, "q", 5 * 41 + 4, 4, { SHA1_A_HEX, SHA1_B_HEX, SHA1_Z_HEX,
	    "0000000000000000000000000000000000000000" }, 0 },
	{ P("\x88\x00" "q\0urn:sha1:" SHA1_A_B32
	    "\x1curn:sha1:" SHA1_B_B32
	    "\x1curn:sha1:AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT"
	    "\x1curn:sha1:" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "\x1curn:sha1:" "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\0"),
	    WIRE_MALFORMED, 0, NULL, 0, 0, { 0 }, 0 },
	/* other URN kinds, XML and plain text are passed over */
	{ P("\x88\x00" "q\0urn:md5:xyz\x1c<q/>\x1cplain\0"), WIRE_OK, 0x8800,
	    "q", 22, 0, { 0 }, 0 },
	/* GGEP H type 1 whose data holds a NUL: framing, not the NUL, ends it */
	{ P("\x88\x00" "q\0" GGEP_H1(SHA1_Z_BIN) "\0"), WIRE_OK, 0x8800, "q",
	    25, 1, { SHA1_Z_HEX }, 25 },
	{ P("\x88\x00" "q\0" GGEP_H1(SHA1_Z_BIN)), WIRE_OK, 0x8800, "q", 25,
	    1, { SHA1_Z_HEX }, 25 },
	/* GGEP H bitprint after a text URN of another file */
	{ P("\x88\x00" "q\0urn:sha1:" SHA1_A_B32 "\x1c"
	    GGEP_H2("\xda\x48\x99\x8e\xcb\x3f\xab\xdb\xc4\xca\xce\x9d\x07\xb2"
	    "\x8a\x21\x03\x90\xeb\x3c") "\0"), WIRE_OK, 0x8800, "q",
	    41 + 1 + 49, 2, { SHA1_A_HEX, SHA1_B_HEX }, 49 },
	/* GGEP H of type 3 (MD5) carries no SHA-1 */
	{ P("\x88\x00" "q\0\xc3\x81H\x42\x03\x01\0"), WIRE_OK, 0x8800, "q",
	    6, 0, { 0 }, 6 },
	/* the area stops at its NUL; bytes after it are not read as URNs */
	{ P("\x88\x00" "q\0<x/>\0urn:sha1:short"), WIRE_OK, 0x8800, "q", 4,
	    0, { 0 }, 0 },

	/* too short, no NUL after the text */
	{ P(""), WIRE_SHORT, 0, NULL, 0, 0, { 0 }, 0 },
	{ P("\x88"), WIRE_SHORT, 0, NULL, 0, 0, { 0 }, 0 },
	{ P("\x88\x00"), WIRE_SHORT, 0, NULL, 0, 0, { 0 }, 0 },
	{ P("\x88\x00" "a"), WIRE_MALFORMED, 0, NULL, 0, 0, { 0 }, 0 },
	{ P("\x88\x00" "abc"), WIRE_MALFORMED, 0, NULL, 0, 0, { 0 }, 0 },
	/* URN of 31 and of 33 characters */
	{ P("\x88\x00" "q\0urn:sha1:6O2DFRAIZKTOJES7NTV6GGZLB2IYGZS\0"),
	    WIRE_MALFORMED, 0, NULL, 0, 0, { 0 }, 0 },
	{ P("\x88\x00" "q\0urn:sha1:" SHA1_A_B32 "A\0"), WIRE_MALFORMED, 0,
	    NULL, 0, 0, { 0 }, 0 },
	{ P("\x88\x00" "q\0urn:bitprint:" SHA1_B_B32 "\0"), WIRE_MALFORMED, 0,
	    NULL, 0, 0, { 0 }, 0 },
	{ P("\x88\x00" "q\0urn:sha1:6O2D\0"), WIRE_MALFORMED, 0, NULL, 0, 0,
	    { 0 }, 0 },
	/* GGEP: cut short, no last flag, H of the wrong length */
	{ P("\x88\x00" "q\0\xc3\x81H\x55\x01\0"), WIRE_MALFORMED, 0, NULL, 0,
	    0, { 0 }, 0 },
	{ P("\x88\x00" "q\0\xc3\x01H\x41\x01\0"), WIRE_MALFORMED, 0, NULL, 0,
	    0, { 0 }, 0 },
	{ P("\x88\x00" "q\0\xc3\x81H\x42\x01\x01\0"), WIRE_MALFORMED, 0, NULL,
	    0, 0, { 0 }, 0 },
};

START_TEST(test_query_decode_table)
{
	struct query		 q;
	uint8_t			*p, want[SHA1_LEN];
	size_t			 len = query_cases[_i].len, k;
	enum wire_status	 st;

	p = malloc(len > 0 ? len : 1);
	ck_assert_ptr_nonnull(p);
	memcpy(p, query_cases[_i].in, len);
	st = query_decode(p, len, &q);
	ck_assert_msg(st == query_cases[_i].want, "case %d: got %s", _i,
	    wire_strstatus(st));
	if (st == WIRE_OK) {
		ck_assert_uint_eq(q.flags, query_cases[_i].flags);
		ck_assert_uint_eq(q.textlen, strlen(query_cases[_i].text));
		ck_assert(memcmp(q.text, query_cases[_i].text, q.textlen) == 0);
		ck_assert_ptr_eq(q.text, (const char *)p + 2);
		ck_assert_ptr_eq(q.ext, p + 2 + q.textlen + 1);
		ck_assert_msg(q.extlen == query_cases[_i].extlen,
		    "case %d: extlen %zu", _i, q.extlen);
		ck_assert_msg(q.nsha1 == query_cases[_i].nsha1,
		    "case %d: nsha1 %zu", _i, q.nsha1);
		for (k = 0; k < q.nsha1; k++) {
			ck_assert_int_eq(tu_hex(query_cases[_i].sha1[k], want,
			    sizeof want), SHA1_LEN);
			ck_assert_msg(memcmp(q.sha1[k], want, SHA1_LEN) == 0,
			    "case %d: sha1 %zu", _i, k);
		}
		ck_assert_uint_eq(q.ggeplen, query_cases[_i].ggeplen);
		if (query_cases[_i].ggeplen > 0) {
			ck_assert_ptr_nonnull(q.ggep);
			ck_assert_int_eq(q.ggep[0], 0xc3);
			ck_assert(q.ggep >= q.ext &&
			    q.ggep + q.ggeplen <= q.ext + q.extlen);
		} else
			ck_assert_ptr_null(q.ggep);
	}
	free(p);
}
END_TEST

/* Flags are big-endian; gtkg's own set and single bits from the spec. */
static const struct {
	const char	*hex;
	uint16_t	 flags;
} query_flag_cases[] = {
	{ "8800", QUERY_F_MARK | QUERY_F_GGEP_H },
	{ "b900", QUERY_F_MARK | QUERY_F_XML | QUERY_F_LEAF_GUIDED |
	    QUERY_F_GGEP_H | QUERY_F_SR_UDP },
	{ "c400", QUERY_F_MARK | QUERY_F_FIREWALLED | QUERY_F_OOB },
	{ "8232", QUERY_F_MARK | QUERY_F_FW2FW | 50 },
	{ "0000", 0 },
	{ "0040", 64 },
};

START_TEST(test_query_flags)
{
	uint8_t		 buf[8], out[8];
	struct query	 q;
	long		 n;

	n = tu_hex(query_flag_cases[_i].hex, buf, sizeof buf);
	ck_assert_int_eq(n, 2);
	buf[2] = 'a';
	buf[3] = '\0';
	ck_assert_int_eq(query_decode(buf, 4, &q), WIRE_OK);
	ck_assert_uint_eq(q.flags, query_flag_cases[_i].flags);
	ck_assert_uint_eq(q.flags & QUERY_F_MAXHITS,
	    query_flag_cases[_i].flags & 0xff);

	/* and back: the encoder writes the same two bytes */
	ck_assert_uint_eq(query_encode(&q, out, sizeof out), 5);
	ck_assert(memcmp(out, buf, 4) == 0);
	ck_assert_int_eq(out[4], 0);
}
END_TEST

START_TEST(test_query_kick_size)
{
	static uint8_t	 buf[QUERY_KICK_LEN + 1];
	struct query	 q;

	memset(buf, 'a', sizeof buf);
	poke_be16(buf, QUERY_F_MARK);
	buf[QUERY_KICK_LEN - 1] = '\0';
	ck_assert_int_eq(query_decode(buf, QUERY_KICK_LEN, &q), WIRE_OK);
	ck_assert_uint_eq(q.textlen, QUERY_KICK_LEN - 3);
	buf[QUERY_KICK_LEN] = '\0';
	ck_assert_int_eq(query_decode(buf, QUERY_KICK_LEN + 1, &q),
	    WIRE_TOOBIG);
}
END_TEST

START_TEST(test_query_roundtrip_text)
{
	struct query	 q, d;
	uint8_t		 out[64];
	const char	*want = "\xb9\x00zebrafish alpha\0\0";
	size_t		 n, cap;

	memset(&q, 0, sizeof q);
	q.flags = 0xb900;
	q.text = "zebrafish alpha";
	q.textlen = strlen(q.text);
	n = query_encode(&q, out, sizeof out);
	ck_assert_uint_eq(n, 2 + 15 + 2);
	ck_assert(memcmp(out, want, n) == 0);
	ck_assert_int_eq(query_decode(out, n, &d), WIRE_OK);
	ck_assert_uint_eq(d.flags, 0xb900);
	ck_assert_uint_eq(d.textlen, q.textlen);
	ck_assert(memcmp(d.text, q.text, d.textlen) == 0);
	ck_assert_uint_eq(d.nsha1, 0);
	ck_assert_uint_eq(d.extlen, 0);
	ck_assert_ptr_null(d.ggep);
	for (cap = 0; cap < n; cap++)
		ck_assert_uint_eq(query_encode(&q, out, cap), 0);
}
END_TEST

/* "M" = 0x04 (audio), then "NP" empty and last */
static const uint8_t query_ggep[] = {
	0xc3, 0x01, 'M', 0x41, 0x04, 0x82, 'N', 'P', 0x40
};

START_TEST(test_query_roundtrip_urns_ggep)
{
	struct query	 q, d;
	uint8_t		 out[256];
	size_t		 n, cap, off;

	memset(&q, 0, sizeof q);
	q.flags = QUERY_F_MARK | QUERY_F_GGEP_H | QUERY_F_LEAF_GUIDED;
	q.text = "quokka blob";
	q.textlen = strlen(q.text);
	ck_assert_int_eq(tu_hex(SHA1_A_HEX, q.sha1[0], SHA1_LEN), SHA1_LEN);
	ck_assert_int_eq(tu_hex(SHA1_Z_HEX, q.sha1[1], SHA1_LEN), SHA1_LEN);
	q.nsha1 = 2;
	q.ggep = query_ggep;
	q.ggeplen = sizeof query_ggep;

	n = query_encode(&q, out, sizeof out);
	ck_assert_uint_eq(n, 2 + 11 + 1 + 41 + 1 + 41 + 1 + 9 + 1);
	/* the layout, byte for byte */
	ck_assert(memcmp(out, "\x98\x00quokka blob\0urn:sha1:" SHA1_A_B32
	    "\x1curn:sha1:AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT\x1c", 2 + 12 + 84)
	    == 0);
	off = 2 + 12 + 84;
	ck_assert(memcmp(out + off, query_ggep, sizeof query_ggep) == 0);
	ck_assert_int_eq(out[n - 1], 0);

	ck_assert_int_eq(query_decode(out, n, &d), WIRE_OK);
	ck_assert_uint_eq(d.flags, q.flags);
	ck_assert_uint_eq(d.textlen, q.textlen);
	ck_assert(memcmp(d.text, q.text, q.textlen) == 0);
	ck_assert_uint_eq(d.nsha1, 2);
	ck_assert(memcmp(d.sha1, q.sha1, 2 * SHA1_LEN) == 0);
	ck_assert_uint_eq(d.ggeplen, sizeof query_ggep);
	ck_assert(memcmp(d.ggep, query_ggep, sizeof query_ggep) == 0);
	ck_assert_uint_eq(d.extlen, n - 2 - 12 - 1);

	for (cap = 0; cap < n; cap++)
		ck_assert_uint_eq(query_encode(&q, out, cap), 0);
	ck_assert_uint_eq(query_encode(&q, out, n), n);

	/* GGEP alone: no separator before it */
	q.nsha1 = 0;
	n = query_encode(&q, out, sizeof out);
	ck_assert_uint_eq(n, 2 + 12 + 9 + 1);
	ck_assert(memcmp(out + 14, query_ggep, sizeof query_ggep) == 0);
	ck_assert_int_eq(query_decode(out, n, &d), WIRE_OK);
	ck_assert_uint_eq(d.nsha1, 0);
	ck_assert_uint_eq(d.ggeplen, sizeof query_ggep);
}
END_TEST

START_TEST(test_query_encode_refuses)
{
	struct query	 q;
	uint8_t		 out[512];

	memset(&q, 0, sizeof q);
	q.text = "a\0b";
	q.textlen = 3;
	ck_assert_uint_eq(query_encode(&q, out, sizeof out), 0);
	q.textlen = 1;
	q.nsha1 = QUERY_MAX_URNS + 1;
	ck_assert_uint_eq(query_encode(&q, out, sizeof out), 0);
	q.nsha1 = QUERY_MAX_URNS;
	ck_assert_uint_eq(query_encode(&q, out, sizeof out),
	    2 + 1 + 1 + 4 * 42);
}
END_TEST

/* Every prefix of a full query decodes without overreading, and an OK
 * prefix agrees with the whole. */
START_TEST(test_query_truncation)
{
	static const char	 full[] = "\x98\x00" "quokka\0urn:sha1:"
	    SHA1_A_B32 "\x1c" GGEP_H1(SHA1_Z_BIN) "\0";
	size_t			 len = sizeof full - 1, cut;
	size_t			 urn_end = 2 + 7 + 41, ggep_start = urn_end + 1;
	struct query		 q;
	uint8_t			*p;
	enum wire_status	 st;

	ck_assert_int_eq(query_decode((const uint8_t *)full, len, &q),
	    WIRE_OK);
	ck_assert_uint_eq(q.nsha1, 2);
	for (cut = 0; cut < len; cut++) {
		p = malloc(cut > 0 ? cut : 1);
		ck_assert_ptr_nonnull(p);
		memcpy(p, full, cut);
		st = query_decode(p, cut, &q);
		if (cut < 3)
			ck_assert_int_eq(st, WIRE_SHORT);
		else if (cut < 9)
			ck_assert_int_eq(st, WIRE_MALFORMED);
		else if (cut > ggep_start && cut < len - 1)
			ck_assert_msg(st == WIRE_MALFORMED, "cut %zu", cut);
		if (st == WIRE_OK) {
			ck_assert_uint_eq(q.textlen, 6);
			ck_assert(memcmp(q.text, "quokka", 6) == 0);
			ck_assert_uint_le(q.extlen, cut - 9);
			ck_assert_uint_eq(q.nsha1, cut == len - 1 ? 2 :
			    cut >= urn_end ? 1 : 0);
		}
		free(p);
	}
}
END_TEST

TCase *
tc_query(void)
{
	TCase	*tc = tcase_create("query");

	tcase_add_loop_test(tc, test_query_decode_table, 0,
	    sizeof query_cases / sizeof query_cases[0]);
	tcase_add_loop_test(tc, test_query_flags, 0,
	    sizeof query_flag_cases / sizeof query_flag_cases[0]);
	tcase_add_test(tc, test_query_kick_size);
	tcase_add_test(tc, test_query_roundtrip_text);
	tcase_add_test(tc, test_query_roundtrip_urns_ggep);
	tcase_add_test(tc, test_query_encode_refuses);
	tcase_add_test(tc, test_query_truncation);
	return tc;
}
