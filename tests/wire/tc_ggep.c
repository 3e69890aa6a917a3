/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_ggep.c: GGEP blocks: the 6-bit length vectors of the spec, the pong
 * block a real gtk-gnutella sent, malformed framing, every truncation, COBS
 * vectors and round trips, deflate through the writer and ggep_value, a
 * deflate bomb, blocks packed one after another, and writer overflow.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "testutil.h"
#include "wire/ggep.h"
#include "wire/tc.h"

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

static size_t
hexbuf(const char *s, uint8_t *out, size_t cap)
{
	long	 n;

	n = tu_hex(s, out, cap);
	ck_assert_msg(n >= 0, "bad test hex: %s", s);
	return (size_t)n;
}

/* An exact-size heap copy, so ASan sees a read one byte past the end. */
static uint8_t *
exact(const uint8_t *p, size_t n)
{
	uint8_t	*q;

	q = malloc(n > 0 ? n : 1);
	ck_assert_ptr_nonnull(q);
	if (n > 0)
		memcpy(q, p, n);
	return q;
}

/* A repeatable byte stream; zero_every > 0 puts a 0x00 about that often. */
static void
fill(uint8_t *p, size_t n, uint32_t seed, unsigned int zero_every)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
		if (zero_every > 0 && (seed >> 8) % zero_every == 0)
			p[i] = 0;
		else if (p[i] == 0)
			p[i] = 0x5a;
	}
}

/* The spec's boundary cases, both ways. */
static const struct {
	size_t		 v;
	const char	*hex;
} len_vectors[] = {
	{ 0, "40" },
	{ 63, "7f" },
	{ 64, "8140" },
	{ 4095, "bf7f" },
	{ 4096, "818040" },
	{ 262143, "bfbf7f" },
	{ 1, "41" },
	{ 300, "846c" },
};

START_TEST(test_ggep_len_vectors)
{
	uint8_t		 want[4], out[4], *p;
	size_t		 n, wn, v, used, cap;

	wn = hexbuf(len_vectors[_i].hex, want, sizeof want);
	n = ggep_len_encode(len_vectors[_i].v, out, sizeof out);
	ck_assert_uint_eq(n, wn);
	ck_assert(memcmp(out, want, n) == 0);
	/* one byte short of room refuses */
	for (cap = 0; cap < wn; cap++)
		ck_assert_uint_eq(ggep_len_encode(len_vectors[_i].v, out, cap),
		    0);
	p = exact(want, wn);
	ck_assert_int_eq(ggep_len_decode(p, wn, &v, &used), WIRE_OK);
	ck_assert_uint_eq(v, len_vectors[_i].v);
	ck_assert_uint_eq(used, wn);
	free(p);
}
END_TEST

static const struct {
	const char		*hex;
	enum wire_status	 want;
} len_bad[] = {
	{ "", WIRE_SHORT },
	{ "00", WIRE_BADGGEP },		/* a 0x00 header byte */
	{ "3f", WIRE_BADGGEP },		/* neither "more" nor "last" */
	{ "c0", WIRE_BADGGEP },		/* both */
	{ "ff", WIRE_BADGGEP },
	{ "81", WIRE_SHORT },
	{ "8181", WIRE_SHORT },
	{ "81c0", WIRE_BADGGEP },
	{ "8100", WIRE_BADGGEP },
	{ "818100", WIRE_BADGGEP },
	{ "818181", WIRE_BADGGEP },	/* a 4th byte would be needed */
	{ "81818140", WIRE_BADGGEP },
};

START_TEST(test_ggep_len_bad)
{
	uint8_t			 buf[8], *p;
	size_t			 n, v, used;
	enum wire_status	 st;

	n = hexbuf(len_bad[_i].hex, buf, sizeof buf);
	p = exact(buf, n);
	st = ggep_len_decode(p, n, &v, &used);
	ck_assert_msg(st == len_bad[_i].want, "case %d (%s): got %s", _i,
	    len_bad[_i].hex, wire_strstatus(st));
	free(p);
}
END_TEST

START_TEST(test_ggep_len_misc)
{
	uint8_t		 out[4], in[4];
	size_t		 v, used;

	ck_assert_uint_eq(ggep_len_encode(GGEP_MAX_LEN + 1, out, sizeof out),
	    0);
	/* a longer form than needed is still understood; trailing bytes
	 * after the last chunk are not part of the length */
	hexbuf("8040 55", in, sizeof in);
	ck_assert_int_eq(ggep_len_decode(in, 3, &v, &used), WIRE_OK);
	ck_assert_uint_eq(v, 0);
	ck_assert_uint_eq(used, 2);
	/* every value round trips and the short form is the shortest */
	for (v = 0; v <= GGEP_MAX_LEN; v += 61) {
		size_t	 n, back;

		n = ggep_len_encode(v, out, sizeof out);
		ck_assert_uint_eq(n, v < 64 ? 1 : v < 4096 ? 2 : 3);
		ck_assert_int_eq(ggep_len_decode(out, n, &back, &used),
		    WIRE_OK);
		ck_assert_uint_eq(back, v);
		ck_assert_uint_eq(used, n);
	}
}
END_TEST

/* The GGEP block of a pong captured from gtk-gnutella 1.2.3. */
START_TEST(test_ggep_pong_golden)
{
	static const struct {
		const char	*id;
		uint8_t		 flags;
		const char	*hex;
	} want[] = {
		{ "VC", 0x02, "47544b4783" },
		{ "UP", 0x02, "02ff31" },
		{ "DU", 0x02, "01" },
		{ "TLS", 0x83, "" },
	};
	uint8_t			 desc[256], *p, val[64], wv[16];
	struct ggep_iter	 it;
	struct ggep_ext		 e;
	size_t			 n, len, blen, vlen, wn, i;

	n = tu_vector("pong-ggep.hex", desc, sizeof desc);
	ck_assert_uint_eq(n, 23 + 41);
	ck_assert_uint_eq(desc[16], 0x01);
	len = n - 23 - 14;
	p = exact(desc + 23 + 14, len);
	ck_assert_uint_eq(p[0], GGEP_MAGIC);
	ck_assert_int_eq(ggep_check(p, len, &blen), WIRE_OK);
	ck_assert_uint_eq(blen, len);
	ck_assert_uint_eq(ggep_block_len(p, len), len);

	ck_assert_int_eq(ggep_iter_init(&it, p, len), WIRE_OK);
	for (i = 0; i < NELEM(want); i++) {
		ck_assert_int_eq(ggep_next(&it, &e), WIRE_OK);
		ck_assert_str_eq(e.id, want[i].id);
		ck_assert_uint_eq(e.idlen, strlen(want[i].id));
		ck_assert_uint_eq(e.flags, want[i].flags);
		wn = hexbuf(want[i].hex, wv, sizeof wv);
		ck_assert_uint_eq(e.len, wn);
		ck_assert(wn == 0 || memcmp(e.data, wv, wn) == 0);
		ck_assert(e.data >= p && e.data + e.len <= p + len);
		ck_assert_int_eq(ggep_value(&e, val, sizeof val, &vlen),
		    WIRE_OK);
		ck_assert_uint_eq(vlen, wn);
		ck_assert(wn == 0 || memcmp(val, wv, wn) == 0);
	}
	ck_assert_int_eq(ggep_next(&it, &e), WIRE_END);
	ck_assert_int_eq(ggep_next(&it, &e), WIRE_END);

	ck_assert_int_eq(ggep_find(p, len, "DU", &e), WIRE_OK);
	ck_assert_uint_eq(e.len, 1);
	ck_assert_uint_eq(e.data[0], 0x01);
	ck_assert_int_eq(ggep_find(p, len, "TLS", &e), WIRE_OK);
	ck_assert_uint_eq(e.len, 0);
	ck_assert_int_eq(ggep_find(p, len, "VC", &e), WIRE_OK);
	ck_assert(memcmp(e.data, "GTKG\x83", 5) == 0);
	ck_assert_int_eq(ggep_find(p, len, "V", &e), WIRE_END);
	ck_assert_int_eq(ggep_find(p, len, "TL", &e), WIRE_END);
	ck_assert_int_eq(ggep_find(p, len, "GUE", &e), WIRE_END);
	ck_assert_int_eq(ggep_find(p, len, "", &e), WIRE_END);
	free(p);
}
END_TEST

static const struct {
	const char		*hex;
	enum wire_status	 want;
} malformed[] = {
	{ "", WIRE_SHORT },
	{ "c3", WIRE_SHORT },
	{ "c2 82 5643 40", WIRE_BADGGEP },		/* missing magic */
	{ "00 c3 82 5643 40", WIRE_BADGGEP },
	{ "c3 00 5643 40", WIRE_BADGGEP },		/* 0x00 flags */
	{ "c3 92 5643 40", WIRE_BADGGEP },		/* reserved bit */
	{ "c3 12 5643 40", WIRE_BADGGEP },
	{ "c3 80 40", WIRE_BADGGEP },			/* id length 0 */
	{ "c3 e0 40", WIRE_BADGGEP },
	{ "c3 82 5600 40", WIRE_BADGGEP },		/* 0x00 in the id */
	{ "c3 82 0043 40", WIRE_BADGGEP },
	{ "c3 82 5643 00", WIRE_BADGGEP },		/* 0x00 length byte */
	{ "c3 82 5643 81818140", WIRE_BADGGEP },	/* 4-byte length */
	{ "c3 82 5643 c1 00", WIRE_BADGGEP },		/* both length bits */
	{ "c3 82 5643 01 00", WIRE_BADGGEP },		/* neither */
	{ "c3 82 5643 43 0102", WIRE_SHORT },		/* data past end */
	{ "c3 82 5643 8141 00", WIRE_SHORT },
	{ "c3 82 5643", WIRE_SHORT },			/* no length */
	{ "c3 82 56", WIRE_SHORT },			/* id cut */
	{ "c3 8f 414243", WIRE_SHORT },
	{ "c3 02 5643 41 01", WIRE_SHORT },		/* no last flag */
	{ "c3 02 5643 40 02 5550 40", WIRE_SHORT },
	{ "c3 02 5643 40 00", WIRE_BADGGEP },		/* 2nd flags 0x00 */
	{ "c3 02 5643 40 92 5550 40", WIRE_BADGGEP },
	{ "c3 02 5643 40 82 5550 c0", WIRE_BADGGEP },
	/* good ones, to show the table can tell */
	{ "c3 82 5643 40", WIRE_OK },
	{ "c3 02 5643 40 82 5550 41 00", WIRE_OK },
	{ "c3 8f 414243444546474849 4a4b4c4d4e4f 40", WIRE_OK },
	{ "c3 e2 5643 41 01", WIRE_OK },	/* flags are framing only */
};

START_TEST(test_ggep_malformed)
{
	uint8_t			 buf[64], *p;
	struct ggep_iter	 it;
	struct ggep_ext		 e;
	size_t			 n, blen;
	enum wire_status	 st, st2;

	n = hexbuf(malformed[_i].hex, buf, sizeof buf);
	p = exact(buf, n);
	st = ggep_check(p, n, &blen);
	ck_assert_msg(st == malformed[_i].want, "case %d (%s): got %s", _i,
	    malformed[_i].hex, wire_strstatus(st));
	if (st == WIRE_OK) {
		ck_assert_uint_eq(blen, n);
		ck_assert_uint_eq(ggep_block_len(p, n), n);
	} else {
		ck_assert_uint_eq(blen, 0);
		ck_assert_uint_eq(ggep_block_len(p, n), 0);
		ck_assert_int_eq(ggep_find(p, n, "VC", &e), st);
		/* the iterator stops on the same fault, and stays there */
		st2 = ggep_iter_init(&it, p, n);
		while (st2 == WIRE_OK)
			st2 = ggep_next(&it, &e);
		ck_assert_int_eq(st2, st);
		if (n > 0 && p[0] == GGEP_MAGIC)
			ck_assert_int_eq(ggep_next(&it, &e), st);
	}
	free(p);
}
END_TEST

/* A block with 1-, 2- and 3-byte lengths, built by the writer. */
static size_t
build_multi(uint8_t *out, size_t cap)
{
	static uint8_t		 big[5000];
	struct ggep_writer	 w;

	fill(big, sizeof big, 7, 0);
	ggep_writer_init(&w, out, cap);
	ck_assert_int_eq(ggep_add(&w, "VC", "GTKG\x83", 5, 0), WIRE_OK);
	ck_assert_int_eq(ggep_add(&w, "MID", big, 100, 0), WIRE_OK);
	ck_assert_int_eq(ggep_add(&w, "T", NULL, 0, 0), WIRE_OK);
	ck_assert_int_eq(ggep_add(&w, "BIG", big, sizeof big, 0), WIRE_OK);
	ck_assert_int_eq(ggep_add(&w, "END", "x", 1, 0), WIRE_OK);
	return ggep_finish(&w);
}

/* No prefix of a block is a block, and nothing reads past the end. */
START_TEST(test_ggep_truncation)
{
	static uint8_t		 full[8192];
	uint8_t			*p;
	struct ggep_ext		 e;
	size_t			 len, n, blen;

	len = build_multi(full, sizeof full - 3);
	ck_assert_uint_eq(len, 1 + (1 + 2 + 1 + 5) + (1 + 3 + 2 + 100) +
	    (1 + 1 + 1) + (1 + 3 + 3 + 5000) + (1 + 3 + 1 + 1));
	for (n = 0; n < len; n++) {
		p = exact(full, n);
		ck_assert_msg(ggep_check(p, n, &blen) == WIRE_SHORT,
		    "prefix %zu", n);
		ck_assert_uint_eq(ggep_block_len(p, n), 0);
		ck_assert_int_eq(ggep_find(p, n, "VC", &e), WIRE_SHORT);
		free(p);
	}
	p = exact(full, len);
	ck_assert_int_eq(ggep_check(p, len, &blen), WIRE_OK);
	ck_assert_uint_eq(blen, len);
	ck_assert_int_eq(ggep_find(p, len, "BIG", &e), WIRE_OK);
	ck_assert_uint_eq(e.len, 5000);
	ck_assert_int_eq(ggep_find(p, len, "END", &e), WIRE_OK);
	ck_assert_ptr_eq(e.data, p + len - 1);
	free(p);
	/* trailing bytes are not part of the block */
	memcpy(full + len, "\x01\x02\x03", 3);
	ck_assert_int_eq(ggep_check(full, len + 3, &blen), WIRE_OK);
	ck_assert_uint_eq(blen, len);
}
END_TEST

/* Cheshire & Baker vectors, without the trailing 0x00 delimiter. */
static const struct {
	const char	*raw;
	const char	*enc;
} cobs_vectors[] = {
	{ "", "01" },
	{ "00", "0101" },
	{ "0000", "010101" },
	{ "001100", "01021101" },
	{ "11220033", "0311220233" },
	{ "11223344", "0511223344" },
	{ "11000000", "0211010101" },
	{ "41", "0241" },
	{ "4100", "024101" },
};

START_TEST(test_ggep_cobs_vectors)
{
	uint8_t		 raw[16], enc[16], out[32], *p;
	size_t		 rn, en, n;

	rn = hexbuf(cobs_vectors[_i].raw, raw, sizeof raw);
	en = hexbuf(cobs_vectors[_i].enc, enc, sizeof enc);
	n = cobs_encode(raw, rn, out, sizeof out);
	ck_assert_uint_eq(n, en);
	ck_assert(memcmp(out, enc, en) == 0);
	ck_assert_uint_eq(cobs_encode(raw, rn, out, en - 1), 0);
	p = exact(enc, en);
	ck_assert_int_eq(cobs_decode(p, en, out, sizeof out, &n), WIRE_OK);
	ck_assert_uint_eq(n, rn);
	ck_assert(rn == 0 || memcmp(out, raw, rn) == 0);
	/* exact room is enough, one byte less is not */
	ck_assert_int_eq(cobs_decode(p, en, out, rn, &n), WIRE_OK);
	ck_assert_uint_eq(n, rn);
	if (rn > 0)
		ck_assert_int_eq(cobs_decode(p, en, out, rn - 1, &n),
		    WIRE_NOSPACE);
	free(p);
}
END_TEST

/* The 254-byte group boundary, from the Wikipedia table of examples. */
START_TEST(test_ggep_cobs_long)
{
	uint8_t		 raw[300], want[300], out[300];
	size_t		 n, i;

	/* 01..fe: one full group, no final code */
	for (i = 0; i < 254; i++)
		raw[i] = (uint8_t)(i + 1);
	want[0] = 0xff;
	memcpy(want + 1, raw, 254);
	n = cobs_encode(raw, 254, out, sizeof out);
	ck_assert_uint_eq(n, 255);
	ck_assert(memcmp(out, want, 255) == 0);

	/* 00 01..fe */
	raw[0] = 0;
	for (i = 1; i < 255; i++)
		raw[i] = (uint8_t)i;
	want[0] = 0x01;
	want[1] = 0xff;
	memcpy(want + 2, raw + 1, 254);
	n = cobs_encode(raw, 255, out, sizeof out);
	ck_assert_uint_eq(n, 256);
	ck_assert(memcmp(out, want, 256) == 0);

	/* 01..ff */
	for (i = 0; i < 255; i++)
		raw[i] = (uint8_t)(i + 1);
	want[0] = 0xff;
	memcpy(want + 1, raw, 254);
	want[255] = 0x02;
	want[256] = 0xff;
	n = cobs_encode(raw, 255, out, sizeof out);
	ck_assert_uint_eq(n, 257);
	ck_assert(memcmp(out, want, 257) == 0);

	/* 02..ff 00 */
	for (i = 0; i < 254; i++)
		raw[i] = (uint8_t)(i + 2);
	raw[254] = 0;
	want[0] = 0xff;
	memcpy(want + 1, raw, 254);
	want[255] = 0x01;
	want[256] = 0x01;
	n = cobs_encode(raw, 255, out, sizeof out);
	ck_assert_uint_eq(n, 257);
	ck_assert(memcmp(out, want, 257) == 0);

	/* 03..ff 00 01 */
	for (i = 0; i < 253; i++)
		raw[i] = (uint8_t)(i + 3);
	raw[253] = 0;
	raw[254] = 1;
	want[0] = 0xfe;
	memcpy(want + 1, raw, 253);
	want[254] = 0x02;
	want[255] = 0x01;
	n = cobs_encode(raw, 255, out, sizeof out);
	ck_assert_uint_eq(n, 256);
	ck_assert(memcmp(out, want, 256) == 0);
}
END_TEST

static void
cobs_trip(const uint8_t *raw, size_t n)
{
	uint8_t		*enc, *p, *dec;
	size_t		 cap = n + n / 254 + 1, en, dn, i;

	enc = malloc(cap);
	dec = malloc(n > 0 ? n : 1);
	ck_assert(enc != NULL && dec != NULL);
	en = cobs_encode(raw, n, enc, cap);
	ck_assert_msg(en > 0 && en <= cap, "n %zu: encoded %zu", n, en);
	for (i = 0; i < en; i++)
		ck_assert_msg(enc[i] != 0, "n %zu: 0x00 at %zu", n, i);
	ck_assert_uint_eq(cobs_encode(raw, n, enc + 0, en - 1), 0);
	en = cobs_encode(raw, n, enc, en);
	p = exact(enc, en);
	ck_assert_int_eq(cobs_decode(p, en, dec, n, &dn), WIRE_OK);
	ck_assert_uint_eq(dn, n);
	ck_assert(n == 0 || memcmp(dec, raw, n) == 0);
	free(p);
	free(enc);
	free(dec);
}

START_TEST(test_ggep_cobs_round_trip)
{
	static uint8_t	 raw[2048];
	size_t		 n, k;
	unsigned int	 z;

	cobs_trip(raw, 0);
	/* all zeros */
	memset(raw, 0, sizeof raw);
	for (n = 1; n < 600; n++)
		cobs_trip(raw, n);
	/* non-zero runs around the 254-byte group, alone and with zeros */
	for (n = 250; n < 520; n++) {
		memset(raw, 0xab, n);
		cobs_trip(raw, n);
		raw[n] = 0;
		cobs_trip(raw, n + 1);
		for (k = 0; k < n; k += 127) {
			memset(raw, 0xab, n + 1);
			raw[k] = 0;
			cobs_trip(raw, n);
		}
	}
	/* varied data and zero density */
	for (z = 0; z < 6; z++)
		for (n = 0; n < sizeof raw; n += 37) {
			fill(raw, n, (uint32_t)(n * 31 + z),
			    z == 0 ? 0 : 1u << (2 * z));
			cobs_trip(raw, n);
		}
}
END_TEST

static const struct {
	const char		*enc;
	enum wire_status	 want;
	const char		*raw;
} cobs_bad[] = {
	{ "00", WIRE_BADCOBS, NULL },		/* code 0 */
	{ "02", WIRE_BADCOBS, NULL },		/* run past the end */
	{ "0311", WIRE_BADCOBS, NULL },
	{ "024100", WIRE_BADCOBS, NULL },	/* 0x00 as a code */
	{ "0200", WIRE_BADCOBS, NULL },		/* 0x00 in a run */
	{ "0341004142", WIRE_BADCOBS, NULL },
	{ "01020041", WIRE_BADCOBS, NULL },
	{ "ff41", WIRE_BADCOBS, NULL },
	/* accepted: empty input, and a redundant final empty group */
	{ "", WIRE_OK, "" },
	{ "0101", WIRE_OK, "00" },
	{ "02410101", WIRE_OK, "410000" },
};

START_TEST(test_ggep_cobs_bad)
{
	uint8_t			 enc[16], raw[16], out[64], *p;
	size_t			 en, rn, n;
	enum wire_status	 st;

	en = hexbuf(cobs_bad[_i].enc, enc, sizeof enc);
	p = exact(enc, en);
	st = cobs_decode(p, en, out, sizeof out, &n);
	ck_assert_msg(st == cobs_bad[_i].want, "case %d (%s): got %s", _i,
	    cobs_bad[_i].enc, wire_strstatus(st));
	if (st == WIRE_OK) {
		rn = hexbuf(cobs_bad[_i].raw, raw, sizeof raw);
		ck_assert_uint_eq(n, rn);
		ck_assert(rn == 0 || memcmp(out, raw, rn) == 0);
	} else
		ck_assert_uint_eq(n, 0);
	free(p);
}
END_TEST

/* COBS extensions on the wire and from the writer. */
START_TEST(test_ggep_cobs_ext)
{
	uint8_t			 buf[64], blk[64], out[64], *p;
	struct ggep_writer	 w;
	struct ggep_ext		 e;
	size_t			 n, len, i;

	/* hand-made: AB = COBS(11 22 00 33) */
	n = hexbuf("c3 c2 4142 45 0311220233", buf, sizeof buf);
	p = exact(buf, n);
	ck_assert_int_eq(ggep_find(p, n, "AB", &e), WIRE_OK);
	ck_assert_uint_eq(e.flags & GGEP_F_COBS, GGEP_F_COBS);
	ck_assert_uint_eq(e.len, 5);
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_OK);
	ck_assert_uint_eq(len, 4);
	ck_assert(memcmp(out, "\x11\x22\x00\x33", 4) == 0);
	ck_assert_int_eq(ggep_value(&e, out, 4, &len), WIRE_OK);
	ck_assert_int_eq(ggep_value(&e, out, 3, &len), WIRE_TOOBIG);
	free(p);

	/* framing is fine, the COBS is not */
	n = hexbuf("c3 c2 4142 42 0511", buf, sizeof buf);
	ck_assert_int_eq(ggep_find(buf, n, "AB", &e), WIRE_OK);
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len),
	    WIRE_BADCOBS);
	n = hexbuf("c3 c2 4142 42 0200", buf, sizeof buf);
	ck_assert_int_eq(ggep_find(buf, n, "AB", &e), WIRE_OK);
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len),
	    WIRE_BADCOBS);

	/* asked for */
	ggep_writer_init(&w, blk, sizeof blk);
	ck_assert_int_eq(ggep_add(&w, "AB", "\x11\x22\x00\x33", 4,
	    GGEP_F_COBS), WIRE_OK);
	n = ggep_finish(&w);
	ck_assert_uint_eq(n, 10);
	ck_assert_uint_eq(hexbuf("c3 c2 4142 45 0311220233", buf, sizeof buf),
	    n);
	ck_assert(memcmp(blk, buf, n) == 0);

	/* nul_free: COBS only where a 0x00 would show */
	ggep_writer_init(&w, blk, sizeof blk);
	w.nul_free = 1;
	ck_assert_int_eq(ggep_add(&w, "Z", "a\0b", 3, 0), WIRE_OK);
	ck_assert_int_eq(ggep_add(&w, "N", "abc", 3, 0), WIRE_OK);
	ck_assert_int_eq(ggep_add(&w, "E", "", 0, 0), WIRE_OK);
	n = ggep_finish(&w);
	ck_assert_uint_gt(n, 0);
	for (i = 0; i < n; i++)
		ck_assert_msg(blk[i] != 0, "0x00 at %zu", i);
	ck_assert_int_eq(ggep_find(blk, n, "Z", &e), WIRE_OK);
	ck_assert_uint_eq(e.flags & GGEP_F_COBS, GGEP_F_COBS);
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_OK);
	ck_assert_uint_eq(len, 3);
	ck_assert(memcmp(out, "a\0b", 3) == 0);
	ck_assert_int_eq(ggep_find(blk, n, "N", &e), WIRE_OK);
	ck_assert_uint_eq(e.flags & GGEP_F_COBS, 0);
	ck_assert(e.len == 3 && memcmp(e.data, "abc", 3) == 0);
	ck_assert_int_eq(ggep_find(blk, n, "E", &e), WIRE_OK);
	ck_assert_uint_eq(e.flags & GGEP_F_COBS, 0);
	ck_assert_uint_eq(e.len, 0);

	/* without nul_free the 0x00 goes out as is */
	ggep_writer_init(&w, blk, sizeof blk);
	ck_assert_int_eq(ggep_add(&w, "Z", "a\0b", 3, 0), WIRE_OK);
	n = ggep_finish(&w);
	ck_assert_int_eq(ggep_find(blk, n, "Z", &e), WIRE_OK);
	ck_assert_uint_eq(e.flags, GGEP_F_LAST | 1);
	ck_assert(e.len == 3 && memcmp(e.data, "a\0b", 3) == 0);
}
END_TEST

static int
is_zlib_header(const uint8_t *p, size_t n)
{
	return n >= 2 && (p[0] & 0x0f) == 8 && (p[0] << 8 | p[1]) % 31 == 0;
}

/* Deflate through the writer, back through ggep_value. */
START_TEST(test_ggep_deflate_round_trip)
{
	static uint8_t		 val[GGEP_MAX_INFLATED], blk[80000];
	static uint8_t		 out[GGEP_MAX_INFLATED + 1];
	static const size_t	 sizes[] = { 2, 40, 300, 2000, 20000, 60000,
				    GGEP_MAX_INFLATED };
	struct ggep_writer	 w;
	struct ggep_ext		 e;
	size_t			 n, len, i, k, sz;
	uint8_t			 want;

	for (k = 0; k < 2 * NELEM(sizes); k++)
		for (i = 0; i < 3; i++) {
			if (k < NELEM(sizes)) {
				/* text-like, very compressible */
				for (n = 0; n < sizes[k]; n++)
					val[n] = (uint8_t)"gnutella \0"[
					    (n * 7 + n / 13) % 10];
			} else {
				/* 4 bits of noise a byte: deflates to
				 * about half, with long non-zero runs */
				fill(val, GGEP_MAX_INFLATED, (uint32_t)k, 0);
				for (n = 0; n < GGEP_MAX_INFLATED; n++)
					val[n] = 0x40 | (val[n] & 0x0f);
			}
			sz = sizes[k % NELEM(sizes)];
			ggep_writer_init(&w, blk, sizeof blk);
			w.nul_free = i == 2;
			want = i == 1 ? GGEP_F_COBS : 0;
			ck_assert_int_eq(ggep_add(&w, "DATA", val, sz,
			    GGEP_F_DEFLATE | want), WIRE_OK);
			n = ggep_finish(&w);
			ck_assert_int_eq(ggep_find(blk, n, "DATA", &e),
			    WIRE_OK);
			if (sz <= 2) {
				/* too small to shrink: sent plain */
				ck_assert_uint_eq(e.flags & GGEP_F_DEFLATE, 0);
			} else if (k >= NELEM(sizes) && sz < 300) {
				/* noise this short may not shrink */
				ck_assert(!(e.flags & GGEP_F_DEFLATE) ||
				    (e.flags & GGEP_F_COBS) || e.len < sz);
			} else {
				ck_assert_uint_eq(e.flags & GGEP_F_DEFLATE,
				    GGEP_F_DEFLATE);
				ck_assert_uint_lt(e.len, sz);
				if (!(e.flags & GGEP_F_COBS))
					ck_assert(is_zlib_header(e.data,
					    e.len));
			}
			if (i == 1)
				ck_assert_uint_eq(e.flags & GGEP_F_COBS,
				    GGEP_F_COBS);
			if (i == 2 || i == 1)
				ck_assert(memchr(e.data, 0, e.len) == NULL);
			if (i == 0)
				ck_assert_uint_eq(e.flags & GGEP_F_COBS, 0);
			ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len),
			    WIRE_OK);
			ck_assert_uint_eq(len, sz);
			ck_assert(memcmp(out, val, len) == 0);
			/* the caller's cap binds too */
			ck_assert_int_eq(ggep_value(&e, out, sz, &len),
			    WIRE_OK);
			ck_assert_int_eq(ggep_value(&e, out, sz - 1,
			    &len), WIRE_TOOBIG);
		}

	/* random bytes do not shrink: deflate is dropped */
	fill(val, 500, 99, 0);
	ggep_writer_init(&w, blk, sizeof blk);
	ck_assert_int_eq(ggep_add(&w, "R", val, 500, GGEP_F_DEFLATE),
	    WIRE_OK);
	n = ggep_finish(&w);
	ck_assert_uint_eq(n, 1 + 1 + 1 + 2 + 500);
	ck_assert_int_eq(ggep_find(blk, n, "R", &e), WIRE_OK);
	ck_assert_uint_eq(e.flags, GGEP_F_LAST | 1);
	ck_assert(memcmp(e.data, val, 500) == 0);
}
END_TEST

/* A deflated value from outside the writer: zlib's own compress2. */
static size_t
zpack(const uint8_t *in, size_t n, uint8_t *out, size_t cap, int wbits)
{
	z_stream	 z;
	size_t		 len;

	memset(&z, 0, sizeof z);
	ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, wbits, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	len = z.total_out;
	deflateEnd(&z);
	return len;
}

/* Deflate is kept only when strictly shorter: find values on the edge. */
START_TEST(test_ggep_deflate_only_if_shorter)
{
	uint8_t			 val[512], z[600], blk[700];
	struct ggep_writer	 w;
	struct ggep_ext		 e;
	size_t			 n, zn, len;
	uint32_t		 seed;
	int			 equal = 0, shorter = 0;

	for (seed = 1; seed < 200 && (equal < 3 || shorter < 3); seed++)
		for (n = 16; n < sizeof val; n += 5) {
			fill(val, n, seed, 3);
			zn = zpack(val, n, z, sizeof z, 15);
			if (zn != n && zn != n - 1)
				continue;
			ggep_writer_init(&w, blk, sizeof blk);
			ck_assert_int_eq(ggep_add(&w, "E", val, n,
			    GGEP_F_DEFLATE), WIRE_OK);
			len = ggep_finish(&w);
			ck_assert_int_eq(ggep_find(blk, len, "E", &e), WIRE_OK);
			if (zn == n) {
				equal++;
				ck_assert_uint_eq(e.flags & GGEP_F_DEFLATE, 0);
				ck_assert_uint_eq(e.len, n);
			} else {
				shorter++;
				ck_assert_uint_eq(e.flags & GGEP_F_DEFLATE,
				    GGEP_F_DEFLATE);
				ck_assert(e.len == zn && memcmp(e.data, z, zn)
				    == 0);
			}
		}
	ck_assert_int_gt(equal, 0);
	ck_assert_int_gt(shorter, 0);
}
END_TEST

START_TEST(test_ggep_inflate_limits)
{
	static uint8_t		 val[GGEP_MAX_INFLATED + 1];
	static uint8_t		 out[GGEP_MAX_INFLATED + 64];
	static uint8_t		 z[4096], zc[4200];
	struct ggep_ext		 e;
	size_t			 zn, len;

	memset(val, 'q', sizeof val);
	memset(&e, 0, sizeof e);
	e.flags = GGEP_F_DEFLATE | 1;
	e.idlen = 1;
	e.id[0] = 'Z';

	/* exactly the limit inflates; one byte more does not */
	zn = zpack(val, GGEP_MAX_INFLATED, z, sizeof z, 15);
	e.data = z;
	e.len = zn;
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_OK);
	ck_assert_uint_eq(len, GGEP_MAX_INFLATED);
	zn = zpack(val, GGEP_MAX_INFLATED + 1, z, sizeof z, 15);
	e.len = zn;
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_TOOBIG);
	ck_assert_uint_eq(len, 0);

	/* the same through COBS, streamed in small pieces */
	zn = zpack(val, GGEP_MAX_INFLATED, z, sizeof z, 15);
	e.flags |= GGEP_F_COBS;
	e.data = zc;
	e.len = cobs_encode(z, zn, zc, sizeof zc);
	ck_assert_uint_gt(e.len, 0);
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_OK);
	ck_assert_uint_eq(len, GGEP_MAX_INFLATED);
	ck_assert(memcmp(out, val, len) == 0);
	ck_assert_int_eq(ggep_value(&e, out, 1000, &len), WIRE_TOOBIG);

	/* an empty value inflates into no room at all */
	zn = zpack(val, 0, z, sizeof z, 15);
	e.flags = GGEP_F_DEFLATE | 1;
	e.data = z;
	e.len = zn;
	ck_assert_int_eq(ggep_value(&e, NULL, 0, &len), WIRE_OK);
	ck_assert_uint_eq(len, 0);
}
END_TEST

/* Inputs that must not inflate, each built from a good stream. */
START_TEST(test_ggep_bad_zlib)
{
	static const uint8_t	 text[] = "a value that deflates, a value";
	uint8_t			 z[256], zc[300], out[256];
	struct ggep_ext		 e;
	size_t			 zn, len, k;

	memset(&e, 0, sizeof e);
	e.flags = GGEP_F_DEFLATE | 1;
	e.idlen = 1;
	e.id[0] = 'Z';
	e.data = z;

	/* sanity: the good one */
	zn = zpack(text, sizeof text, z, sizeof z, 15);
	e.len = zn;
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_OK);
	ck_assert_uint_eq(len, sizeof text);

	/* every truncation of it */
	for (k = 0; k < zn; k++) {
		uint8_t	*p = exact(z, k);

		e.data = p;
		e.len = k;
		ck_assert_msg(ggep_value(&e, out, sizeof out, &len) ==
		    WIRE_BADZLIB, "cut at %zu", k);
		free(p);
	}
	e.data = z;

	/* broken adler-32 trailer */
	z[zn - 1] ^= 0x01;
	e.len = zn;
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_BADZLIB);

	/* raw deflate and gzip: no zlib header */
	e.len = zpack(text, sizeof text, z, sizeof z, -15);
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_BADZLIB);
	e.len = zpack(text, sizeof text, z, sizeof z, 31);
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_BADZLIB);

	/* garbage */
	memcpy(z, "\x01\x02\x03\x04", 4);
	e.len = 4;
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_BADZLIB);

	/* COBS fault under deflate reports COBS */
	zn = zpack(text, sizeof text, z, sizeof z, 15);
	len = cobs_encode(z, zn, zc, sizeof zc);
	zc[len - 1] = 0;
	e.flags |= GGEP_F_COBS;
	e.data = zc;
	e.len = len;
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_BADCOBS);
	/* COBS fine, nothing inside */
	zc[0] = 0x01;
	e.len = 1;
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_BADZLIB);
}
END_TEST

/*
 * 1 MiB of zeros deflates to about a kilobyte. It must be refused without
 * being inflated in full: cut in half, a full inflate would end in a zlib
 * error, while a bounded one stops at the cap long before the cut.
 */
START_TEST(test_ggep_deflate_bomb)
{
	static uint8_t		 zeros[1 << 20], out[GGEP_MAX_INFLATED];
	static uint8_t		 z[4096], zc[4200];
	struct ggep_ext		 e;
	size_t			 zn, len;

	zn = zpack(zeros, sizeof zeros, z, sizeof z, 15);
	ck_assert_uint_lt(zn, 1200);
	memset(&e, 0, sizeof e);
	e.flags = GGEP_F_DEFLATE | 1;
	e.idlen = 1;
	e.id[0] = 'B';
	e.data = z;
	e.len = zn;
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_TOOBIG);
	ck_assert_uint_eq(len, 0);
	e.len = zn / 2;
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_TOOBIG);

	e.flags |= GGEP_F_COBS;
	e.data = zc;
	e.len = cobs_encode(z, zn / 2, zc, sizeof zc);
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_TOOBIG);
}
END_TEST

/* Several blocks may follow one another. */
START_TEST(test_ggep_two_blocks)
{
	uint8_t			 buf[64], out[8], *p;
	struct ggep_ext		 e;
	size_t			 n, blen, len;

	n = hexbuf("c3 82 4142 41 01  c3 02 4344 41 02 82 4546 41 03",
	    buf, sizeof buf);
	p = exact(buf, n);
	ck_assert_int_eq(ggep_check(p, n, &blen), WIRE_OK);
	ck_assert_uint_eq(blen, 6);
	ck_assert_uint_eq(ggep_block_len(p, n), 6);
	ck_assert_int_eq(ggep_find(p, n, "AB", &e), WIRE_OK);
	ck_assert_ptr_eq(e.data, p + 5);
	ck_assert_int_eq(ggep_find(p, n, "CD", &e), WIRE_OK);
	ck_assert_ptr_eq(e.data, p + 11);
	ck_assert_int_eq(ggep_value(&e, out, sizeof out, &len), WIRE_OK);
	ck_assert(len == 1 && out[0] == 0x02);
	ck_assert_int_eq(ggep_find(p, n, "EF", &e), WIRE_OK);
	ck_assert_ptr_eq(e.data, p + 16);
	ck_assert_int_eq(ggep_find(p, n, "GH", &e), WIRE_END);
	free(p);

	/* the first block wins on a duplicate id */
	n = hexbuf("c3 82 4142 41 01 c3 82 4142 41 02", buf, sizeof buf);
	ck_assert_int_eq(ggep_find(buf, n, "AB", &e), WIRE_OK);
	ck_assert_uint_eq(e.data[0], 0x01);

	/* something else after the first block ends the search */
	n = hexbuf("c3 82 4142 41 01 00 c3 82 4344 41 02", buf, sizeof buf);
	ck_assert_int_eq(ggep_find(buf, n, "CD", &e), WIRE_END);
	ck_assert_int_eq(ggep_find(buf, n, "AB", &e), WIRE_OK);

	/* a broken follower is not searched, the first block still is */
	n = hexbuf("c3 82 4142 41 01 c3 02 4344 41 02", buf, sizeof buf);
	p = exact(buf, n);
	ck_assert_int_eq(ggep_find(p, n, "CD", &e), WIRE_END);
	ck_assert_int_eq(ggep_find(p, n, "AB", &e), WIRE_OK);
	free(p);
	n = hexbuf("c3 82 4142 41 01 c3", buf, sizeof buf);
	p = exact(buf, n);
	ck_assert_int_eq(ggep_find(p, n, "CD", &e), WIRE_END);
	free(p);
}
END_TEST

/* The writer reproduces gtk-gnutella's pong block byte for byte. */
START_TEST(test_ggep_writer_golden)
{
	uint8_t			 desc[256], blk[64];
	struct ggep_writer	 w;
	size_t			 n, glen;
	const uint8_t		*g;

	n = tu_vector("pong-ggep.hex", desc, sizeof desc);
	g = desc + 23 + 14;
	glen = n - 23 - 14;
	ggep_writer_init(&w, blk, sizeof blk);
	w.nul_free = 1;
	ck_assert_uint_eq(ggep_finish(&w), 0);
	ck_assert_int_eq(ggep_add(&w, "VC", "GTKG\x83", 5, 0), WIRE_OK);
	ck_assert_int_eq(ggep_add(&w, "UP", "\x02\xff\x31", 3, 0), WIRE_OK);
	ck_assert_int_eq(ggep_add(&w, "DU", "\x01", 1, GGEP_F_DEFLATE),
	    WIRE_OK);
	ck_assert_int_eq(ggep_add(&w, "TLS", NULL, 0, 0), WIRE_OK);
	ck_assert_uint_eq(ggep_finish(&w), glen);
	ck_assert(memcmp(blk, g, glen) == 0);
	/* finishing again changes nothing */
	ck_assert_uint_eq(ggep_finish(&w), glen);
	ck_assert(memcmp(blk, g, glen) == 0);
}
END_TEST

START_TEST(test_ggep_writer_nospace)
{
	static uint8_t		 big[300];
	uint8_t			 full[512], blk[512];
	struct ggep_writer	 w;
	struct ggep_ext		 e;
	enum wire_status	 st;
	size_t			 len, cap, r;
	int			 failed;

	fill(big, sizeof big, 3, 0);
	ggep_writer_init(&w, full, sizeof full);
	ck_assert_int_eq(ggep_add(&w, "A", "abc", 3, 0), WIRE_OK);
	ck_assert_int_eq(ggep_add(&w, "BIG", big, sizeof big, 0), WIRE_OK);
	ck_assert_int_eq(ggep_add(&w, "C", "\0\0", 2, GGEP_F_COBS), WIRE_OK);
	len = ggep_finish(&w);
	ck_assert_uint_eq(len, 1 + (3 + 3) + (6 + 300) + (3 + 3));

	for (cap = 0; cap <= len; cap++) {
		memset(blk, 0xee, sizeof blk);
		ggep_writer_init(&w, blk, cap);
		failed = 0;
		st = ggep_add(&w, "A", "abc", 3, 0);
		failed |= st != WIRE_OK;
		st = ggep_add(&w, "BIG", big, sizeof big, 0);
		ck_assert(!failed || st == WIRE_NOSPACE);
		failed |= st != WIRE_OK;
		st = ggep_add(&w, "C", "\0\0", 2, GGEP_F_COBS);
		ck_assert(!failed || st == WIRE_NOSPACE);
		failed |= st != WIRE_OK;
		r = ggep_finish(&w);
		/* nothing written past the cap */
		ck_assert_uint_eq(blk[cap], 0xee);
		if (cap < len) {
			ck_assert_msg(failed, "cap %zu", cap);
			ck_assert_uint_eq(r, 0);
			/* sticky: even a tiny extension is refused now */
			ck_assert_int_eq(ggep_add(&w, "D", NULL, 0, 0),
			    WIRE_NOSPACE);
			ck_assert_uint_eq(ggep_finish(&w), 0);
		} else {
			ck_assert(!failed);
			ck_assert_uint_eq(r, len);
			ck_assert(memcmp(blk, full, len) == 0);
		}
	}

	/* deflate lets a value fit that would not fit plain */
	ggep_writer_init(&w, blk, 30);
	memset(big, 'x', sizeof big);
	ck_assert_int_eq(ggep_add(&w, "BIG", big, sizeof big, GGEP_F_DEFLATE),
	    WIRE_OK);
	len = ggep_finish(&w);
	ck_assert_uint_gt(len, 0);
	ck_assert_uint_le(len, 30);
	ck_assert_int_eq(ggep_find(blk, len, "BIG", &e), WIRE_OK);
	ck_assert_uint_eq(e.flags & GGEP_F_DEFLATE, GGEP_F_DEFLATE);
	ck_assert_int_eq(ggep_value(&e, full, sizeof full, &r), WIRE_OK);
	ck_assert_uint_eq(r, sizeof big);
	ck_assert(memcmp(full, big, r) == 0);

	/* bad ids */
	ggep_writer_init(&w, blk, sizeof blk);
	ck_assert_int_eq(ggep_add(&w, "", "x", 1, 0), WIRE_BADGGEP);
	ck_assert_uint_eq(ggep_finish(&w), 0);
	ggep_writer_init(&w, blk, sizeof blk);
	ck_assert_int_eq(ggep_add(&w, "0123456789abcdefg", "x", 1, 0),
	    WIRE_BADGGEP);
	ck_assert_uint_eq(ggep_finish(&w), 0);
	ggep_writer_init(&w, blk, sizeof blk);
	ck_assert_int_eq(ggep_add(&w, "0123456789abcde", "x", 1, 0),
	    WIRE_OK);
	ck_assert_uint_eq(ggep_finish(&w), 1 + 1 + 15 + 1 + 1);
}
END_TEST

/* Adding after finish moves the last flag; the 3-byte length limit. */
START_TEST(test_ggep_writer_limits)
{
	static uint8_t		 val[GGEP_MAX_LEN + 1], blk[GGEP_MAX_LEN + 64];
	struct ggep_writer	 w;
	struct ggep_iter	 it;
	struct ggep_ext		 e;
	size_t			 n;

	ggep_writer_init(&w, blk, 64);
	ck_assert_int_eq(ggep_add(&w, "A", "1", 1, 0), WIRE_OK);
	ck_assert_uint_eq(ggep_finish(&w), 5);
	ck_assert_int_eq(ggep_add(&w, "B", "2", 1, 0), WIRE_OK);
	n = ggep_finish(&w);
	ck_assert_uint_eq(n, 9);
	ck_assert_int_eq(ggep_iter_init(&it, blk, n), WIRE_OK);
	ck_assert_int_eq(ggep_next(&it, &e), WIRE_OK);
	ck_assert_uint_eq(e.flags, 0x01);
	ck_assert_int_eq(ggep_next(&it, &e), WIRE_OK);
	ck_assert_uint_eq(e.flags, GGEP_F_LAST | 0x01);
	ck_assert_int_eq(ggep_next(&it, &e), WIRE_END);

	memset(val, 'v', sizeof val);
	ggep_writer_init(&w, blk, sizeof blk);
	ck_assert_int_eq(ggep_add(&w, "MAX", val, GGEP_MAX_LEN, 0), WIRE_OK);
	n = ggep_finish(&w);
	ck_assert_uint_eq(n, 1 + 1 + 3 + 3 + GGEP_MAX_LEN);
	ck_assert(memcmp(blk + 5, "\xbf\xbf\x7f", 3) == 0);
	ck_assert_int_eq(ggep_find(blk, n, "MAX", &e), WIRE_OK);
	ck_assert_uint_eq(e.len, GGEP_MAX_LEN);

	ggep_writer_init(&w, blk, sizeof blk);
	ck_assert_int_eq(ggep_add(&w, "MAX", val, GGEP_MAX_LEN + 1, 0),
	    WIRE_TOOBIG);
	ck_assert_uint_eq(ggep_finish(&w), 0);
}
END_TEST

/* The ggep test case. */
TCase *
tc_ggep(void)
{
	TCase	*tc = tcase_create("ggep");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_ggep_len_vectors, 0, NELEM(len_vectors));
	tcase_add_loop_test(tc, test_ggep_len_bad, 0, NELEM(len_bad));
	tcase_add_test(tc, test_ggep_len_misc);
	tcase_add_test(tc, test_ggep_pong_golden);
	tcase_add_loop_test(tc, test_ggep_malformed, 0, NELEM(malformed));
	tcase_add_test(tc, test_ggep_truncation);
	tcase_add_loop_test(tc, test_ggep_cobs_vectors, 0,
	    NELEM(cobs_vectors));
	tcase_add_test(tc, test_ggep_cobs_long);
	tcase_add_test(tc, test_ggep_cobs_round_trip);
	tcase_add_loop_test(tc, test_ggep_cobs_bad, 0, NELEM(cobs_bad));
	tcase_add_test(tc, test_ggep_cobs_ext);
	tcase_add_test(tc, test_ggep_deflate_round_trip);
	tcase_add_test(tc, test_ggep_deflate_only_if_shorter);
	tcase_add_test(tc, test_ggep_inflate_limits);
	tcase_add_test(tc, test_ggep_bad_zlib);
	tcase_add_test(tc, test_ggep_deflate_bomb);
	tcase_add_test(tc, test_ggep_two_blocks);
	tcase_add_test(tc, test_ggep_writer_golden);
	tcase_add_test(tc, test_ggep_writer_nospace);
	tcase_add_test(tc, test_ggep_writer_limits);
	return tc;
}
