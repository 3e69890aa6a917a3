/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_qhit.c: QueryHit payloads: the two golden gtkg hits decoded field by
 * field and rebuilt byte for byte, round trips of ten records with text
 * URNs and with GGEP H, 64-bit sizes through GGEP LF, the status bits of
 * the trailer, malformed hits, the 64 KiB cap and every truncation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wire/ggep.h"
#include "wire/qhit.h"
#include "wire/tc.h"

#define HDR_LEN		23
#define GUID_HEX	"bd18310273e7b224f665d42ff1ead7f3"

#define G1_FILE		"queryhit-urn-tt.hex"
#define G1_LEN		179
#define G1_NAME		"zebrafish_alpha_test.txt"
#define G1_SHA1		"f3b432c408caa6e4925f6cebe31b2b0e91836645"
#define G1_TTH		"4e47934024265eb5045f7a0d09740d1a539610b034f30722"
/* payload offsets: extension area, the TT flags byte, CT, trailer */
#define G1_EXT		(11 + 8 + 25)
#define G1_TTFLAGS	(G1_EXT + 41 + 1 + 1)
#define G1_CT		(G1_EXT + 41 + 1 + 29)
#define G1_TRAILER	(G1_CT + 8 + 1)

#define G2_FILE		"queryhit-ggep-h-bitprint.hex"
#define G2_LEN		155
#define G2_NAME		"quokka_binary_blob.bin"
#define G2_SHA1		"da48998ecb3fabdbc4cace9d07b28a210390eb3c"
#define G2_TTH		"ca179347efc3ff9022d880ae932d52a14edefc267269b5fc"
#define G2_EXT		(11 + 8 + 23)
#define G2_CT		(G2_EXT + 49)
#define G2_TRAILER	(G2_CT + 8 + 1)

/* The trailer's private GGEP: GTKGV (19 bytes) and TLS, 32 in all. */
#define GOLD_PRIV_LEN	32

static uint8_t *
tdup(const void *p, size_t n)
{
	uint8_t	*q = malloc(n > 0 ? n : 1);

	ck_assert_ptr_nonnull(q);
	if (n > 0)
		memcpy(q, p, n);
	return q;
}

static void
hex_eq(const uint8_t *got, const char *hex, size_t n)
{
	uint8_t	 want[64];

	ck_assert_int_eq(tu_hex(hex, want, sizeof want), (long)n);
	ck_assert(memcmp(got, want, n) == 0);
}

/* Load a golden hit; returns its payload (len bytes) in an exact copy. */
static uint8_t *
golden(const char *file, size_t len)
{
	uint8_t	 msg[512];
	size_t	 n;

	n = tu_vector(file, msg, sizeof msg);
	ck_assert_uint_eq(n, HDR_LEN + len);
	ck_assert_int_eq(msg[16], 0x81);
	ck_assert_uint_eq(peek_le32(msg + 19), len);
	return tdup(msg + HDR_LEN, len);
}

static void
check_trailer(const struct qhit *qh, const uint8_t *p, size_t len,
    size_t trailer, uint8_t open1, uint8_t status)
{
	struct ggep_ext	 e;

	ck_assert_uint_eq(qh->nhits, 1);
	ck_assert_uint_eq(qh->port, 16346);
	ck_assert_uint_eq(qh->ip, 0x7f000001);
	ck_assert_uint_eq(qh->speed, 16);
	ck_assert_int_eq(qh->has_trailer, 1);
	ck_assert_str_eq(qh->vendor, "GTKG");
	ck_assert_uint_eq(qh->open_size, 2);
	ck_assert_uint_eq(qh->open[0], 0x2c);
	ck_assert_uint_eq(qh->open[1], open1);
	ck_assert_uint_eq(qh->status, status);
	ck_assert_ptr_eq(qh->priv, p + trailer + 7);
	ck_assert_uint_eq(qh->privlen, GOLD_PRIV_LEN);
	ck_assert_uint_eq(trailer + 7 + GOLD_PRIV_LEN + 16, len);
	ck_assert_ptr_eq(qh->ggep, qh->priv);
	ck_assert_uint_eq(qh->ggeplen, GOLD_PRIV_LEN);
	ck_assert_int_eq(ggep_find(qh->ggep, qh->ggeplen, "GTKGV", &e),
	    WIRE_OK);
	ck_assert_uint_eq(e.len, 19);
	ck_assert_int_eq(ggep_find(qh->ggep, qh->ggeplen, "TLS", &e),
	    WIRE_OK);
	ck_assert_uint_eq(e.len, 0);
	hex_eq(qh->guid, GUID_HEX, 16);
}

START_TEST(test_qhit_golden_urn_tt)
{
	struct qhit		 qh;
	struct qhit_record	 r;
	uint8_t			*p = golden(G1_FILE, G1_LEN);

	ck_assert_int_eq(qhit_decode(p, G1_LEN, &qh, &r, 1), WIRE_OK);
	check_trailer(&qh, p, G1_LEN, G1_TRAILER, 0x21, QHIT_S_GGEP);
	ck_assert_uint_eq(r.index, 2);
	ck_assert_uint_eq(r.size, 2650);
	ck_assert_uint_eq(r.namelen, strlen(G1_NAME));
	ck_assert(memcmp(r.name, G1_NAME, r.namelen) == 0);
	ck_assert_int_eq(r.has_sha1, 1);
	hex_eq(r.sha1, G1_SHA1, SHA1_LEN);
	ck_assert_int_eq(r.has_tth, 1);
	hex_eq(r.tth, G1_TTH, TTH_LEN);
	ck_assert_ptr_eq(r.ext, p + G1_EXT);
	ck_assert_uint_eq(r.extlen, 41 + 1 + 37);

	/* recs may be NULL, or hold fewer than nhits */
	ck_assert_int_eq(qhit_decode(p, G1_LEN, &qh, NULL, 0), WIRE_OK);
	ck_assert_int_eq(qhit_decode(p, G1_LEN, &qh, &r, 0), WIRE_OK);
	free(p);
}
END_TEST

START_TEST(test_qhit_golden_bitprint)
{
	struct qhit		 qh;
	struct qhit_record	 r;
	uint8_t			*p = golden(G2_FILE, G2_LEN);

	ck_assert_int_eq(qhit_decode(p, G2_LEN, &qh, &r, 1), WIRE_OK);
	check_trailer(&qh, p, G2_LEN, G2_TRAILER, 0x29,
	    QHIT_S_GGEP | QHIT_S_UPLOADED);
	ck_assert_uint_eq(r.index, 1);
	ck_assert_uint_eq(r.size, 300000);
	ck_assert_uint_eq(r.namelen, strlen(G2_NAME));
	ck_assert(memcmp(r.name, G2_NAME, r.namelen) == 0);
	ck_assert_int_eq(r.has_sha1, 1);
	hex_eq(r.sha1, G2_SHA1, SHA1_LEN);
	ck_assert_int_eq(r.has_tth, 1);
	hex_eq(r.tth, G2_TTH, TTH_LEN);
	ck_assert_uint_eq(r.extlen, 49 + 8);
	free(p);
}
END_TEST

/*
 * Re-encode a golden hit from its decoded form. We do not write CT, and our
 * last extension carries the last flag, so the expected bytes are the
 * golden ones with CT cut out and the flags byte before it marked last.
 */
static void
reencode(const char *file, size_t len, size_t flagsoff, size_t ctoff,
    unsigned opts)
{
	struct qhit		 qh;
	struct qhit_record	 r;
	uint8_t			*p = golden(file, len), want[256], out[256];
	size_t			 n, wlen;

	ck_assert_int_eq(qhit_decode(p, len, &qh, &r, 1), WIRE_OK);
	memcpy(want, p, ctoff);
	want[flagsoff] |= GGEP_F_LAST;
	memcpy(want + ctoff, p + ctoff + 8, len - ctoff - 8);
	wlen = len - 8;

	n = qhit_encode(&qh, &r, 1, opts, out, sizeof out);
	ck_assert_uint_eq(n, wlen);
	ck_assert(memcmp(out, want, wlen) == 0);
	for (n = 0; n < wlen; n++)
		ck_assert_uint_eq(qhit_encode(&qh, &r, 1, opts, out, n), 0);
	free(p);
}

START_TEST(test_qhit_golden_reencode)
{
	reencode(G1_FILE, G1_LEN, G1_TTFLAGS, G1_CT, 0);
	reencode(G2_FILE, G2_LEN, G2_EXT + 1, G2_CT, QHIT_ENC_GGEP_H);
}
END_TEST

static void
rec_eq(const struct qhit_record *a, const struct qhit_record *b)
{
	ck_assert_uint_eq(a->index, b->index);
	ck_assert_uint_eq(a->size, b->size);
	ck_assert_uint_eq(a->namelen, b->namelen);
	ck_assert(memcmp(a->name, b->name, a->namelen) == 0);
	ck_assert_uint_eq(a->has_sha1, b->has_sha1);
	if (a->has_sha1)
		ck_assert(memcmp(a->sha1, b->sha1, SHA1_LEN) == 0);
	ck_assert_uint_eq(a->has_tth, b->has_tth);
	if (a->has_tth)
		ck_assert(memcmp(a->tth, b->tth, TTH_LEN) == 0);
}

static const uint64_t rt_sizes[QHIT_RECORDS_PER_MSG] = {
	0, 1, 2650, 300000, 0x7fffffffull, 0x80000000ull, 0xfffffffeull,
	0xffffffffull, 5ull << 30, 0x0102030405060708ull
};

/* Ten records: hashes with and without NUL bytes, some Tiger roots,
 * one record with no hash at all. */
static void
rt_records(struct qhit_record *r, char names[][32])
{
	size_t	 i, j;

	memset(r, 0, QHIT_RECORDS_PER_MSG * sizeof *r);
	for (i = 0; i < QHIT_RECORDS_PER_MSG; i++) {
		snprintf(names[i], 32, "file-%zu.bin", i * 37);
		r[i].index = (uint32_t)(i * 1000003u);
		r[i].size = rt_sizes[i];
		r[i].name = names[i];
		r[i].namelen = strlen(names[i]);
		r[i].has_sha1 = i != 4;
		r[i].has_tth = i % 3 != 0;
		for (j = 0; j < SHA1_LEN; j++)
			r[i].sha1[j] = (uint8_t)(i % 2 ? 0x80 | j : j * i);
		for (j = 0; j < TTH_LEN; j++)
			r[i].tth[j] = (uint8_t)(i % 4 ? 0xff - j : j);
	}
}

static void
roundtrip(unsigned opts)
{
	struct qhit		 qh, d;
	struct qhit_record	 r[QHIT_RECORDS_PER_MSG], o[QHIT_RECORDS_PER_MSG];
	char			 names[QHIT_RECORDS_PER_MSG][32];
	static const uint8_t	 priv[] = { 0xc3, 0x83, 'T', 'L', 'S', 0x40 };
	uint8_t			 out[4096], *p;
	size_t			 n, i, cap;

	rt_records(r, names);
	memset(&qh, 0, sizeof qh);
	qh.port = 6346;
	qh.ip = 0xc0a80102;
	qh.speed = 1000;
	memcpy(qh.vendor, "GNOD", 5);
	qh.status = QHIT_S_PUSH | QHIT_S_BUSY;
	qh.ggep = priv;
	qh.ggeplen = sizeof priv;
	for (i = 0; i < 16; i++)
		qh.guid[i] = (uint8_t)(0xf0 + i);

	n = qhit_encode(&qh, r, QHIT_RECORDS_PER_MSG, opts, out, sizeof out);
	ck_assert_uint_gt(n, 0);
	/* header as laid out on the wire */
	ck_assert_int_eq(out[0], 10);
	ck_assert_int_eq(out[1], 6346 & 0xff);
	ck_assert_int_eq(out[2], 6346 >> 8);
	ck_assert_int_eq(out[3], 0xc0);
	ck_assert_int_eq(out[6], 0x02);
	ck_assert_int_eq(peek_le32(out + 7), 1000);
	/* trailer: push in both bytes, busy stated, GGEP stated */
	ck_assert(memcmp(out + n - 16 - sizeof priv - 7, "GNOD\x02\x2d\x25",
	    7) == 0);

	p = tdup(out, n);
	ck_assert_int_eq(qhit_decode(p, n, &d, o, QHIT_RECORDS_PER_MSG),
	    WIRE_OK);
	ck_assert_uint_eq(d.nhits, 10);
	ck_assert_uint_eq(d.port, 6346);
	ck_assert_uint_eq(d.ip, 0xc0a80102);
	ck_assert_uint_eq(d.speed, 1000);
	ck_assert_str_eq(d.vendor, "GNOD");
	ck_assert_uint_eq(d.status, QHIT_S_PUSH | QHIT_S_BUSY | QHIT_S_GGEP);
	ck_assert_uint_eq(d.ggeplen, sizeof priv);
	ck_assert(memcmp(d.ggep, priv, sizeof priv) == 0);
	ck_assert(memcmp(d.guid, qh.guid, 16) == 0);
	for (i = 0; i < QHIT_RECORDS_PER_MSG; i++) {
		rec_eq(&o[i], &r[i]);
		/* how the hash went out */
		if (!r[i].has_sha1)
			continue;
		if (opts & QHIT_ENC_GGEP_H)
			ck_assert_int_eq(o[i].ext[0], 0xc3);
		else
			ck_assert(memcmp(o[i].ext, "urn:sha1:", 9) == 0);
		/* a size over 31 bits puts 0xFFFFFFFF in the old field */
		ck_assert_uint_eq(peek_le32((const uint8_t *)o[i].name - 4),
		    r[i].size >= 0x80000000ull ? 0xffffffffu :
		    (uint32_t)r[i].size);
	}
	free(p);

	for (cap = 0; cap < n; cap++)
		ck_assert_uint_eq(qhit_encode(&qh, r, QHIT_RECORDS_PER_MSG,
		    opts, out, cap), 0);
}

START_TEST(test_qhit_roundtrip_text)
{
	roundtrip(0);
}
END_TEST

START_TEST(test_qhit_roundtrip_ggep_h)
{
	roundtrip(QHIT_ENC_GGEP_H);
}
END_TEST

/* A partial file: GGEP PRU, its stamp big-endian and its bytes
 * available little-endian, as gtk-gnutella writes it; an empty PRU (older
 * gtk-gnutella) still says partial. */
START_TEST(test_qhit_partial)
{
	struct qhit		 qh, d;
	struct qhit_record	 r, o;
	uint8_t			 out[256];
	/* GGEP: magic, then the last extension, a 3-byte id, length 0 */
	static const uint8_t	 pru[] = { 0xc3, 0x83, 'P', 'R', 'U', 0x40 };
	size_t			 n;

	memset(&qh, 0, sizeof qh);
	memset(&r, 0, sizeof r);
	r.index = 3;
	r.size = 64ull << 20;
	r.name = "part.bin";
	r.namelen = 8;
	r.partial = 1;
	r.pru_stamp = 0x6a0b0c0d;
	r.pru_avail = 3ull << 20;
	n = qhit_encode(&qh, &r, 1, 0, out, sizeof out);
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(qhit_decode(out, n, &d, &o, 1), WIRE_OK);
	ck_assert(o.partial);
	ck_assert_uint_eq(o.pru_stamp, 0x6a0b0c0d);
	ck_assert_uint_eq(o.pru_avail, 3ull << 20);
	ck_assert_uint_eq(o.size, 64ull << 20);
	/* a whole file says nothing of the kind */
	r.partial = 0;
	n = qhit_encode(&qh, &r, 1, 0, out, sizeof out);
	ck_assert_int_eq(qhit_decode(out, n, &d, &o, 1), WIRE_OK);
	ck_assert(!o.partial);
	/* the empty PRU of gtk-gnutella before 0.98.4 (last flag, length 0) */
	n = 11;
	memset(out, 0, n);
	out[0] = 1;
	memcpy(out + n, "\x03\0\0\0\x10\0\0\0x\0", 10);
	n += 10;
	memcpy(out + n, pru, sizeof pru);
	n += sizeof pru;
	out[n++] = 0;
	memset(out + n, 0xaa, 16);
	n += 16;
	ck_assert_int_eq(qhit_decode(out, n, &d, &o, 1), WIRE_OK);
	ck_assert(o.partial);
	ck_assert_uint_eq(o.pru_avail, 0);
}
END_TEST

/* 5 GiB: LF holds 00 00 00 40 01, so its value needs COBS. */
START_TEST(test_qhit_large_file)
{
	struct qhit		 qh, d;
	struct qhit_record	 r, o;
	struct ggep_iter	 gi;
	struct ggep_ext		 e;
	uint8_t			 out[256], v[16];
	size_t			 n, vlen, ext;

	memset(&qh, 0, sizeof qh);
	memset(&r, 0, sizeof r);
	r.index = 7;
	r.size = 5ull << 30;
	r.name = "big.iso";
	r.namelen = 7;
	n = qhit_encode(&qh, &r, 1, 0, out, sizeof out);
	ck_assert_uint_gt(n, 0);
	/* no vendor: no trailer, the GUID follows the record */
	ck_assert_uint_eq(peek_le32(out + 15), 0xffffffffu);
	ext = 11 + 8 + 8;
	ck_assert_int_eq(out[ext], 0xc3);
	ck_assert_ptr_null(memchr(out + ext, 0, n - 16 - 1 - ext));
	ck_assert_int_eq(out[n - 17], 0);
	ck_assert_int_eq(ggep_iter_init(&gi, out + ext, n - 17 - ext),
	    WIRE_OK);
	ck_assert_int_eq(ggep_next(&gi, &e), WIRE_OK);
	ck_assert_str_eq(e.id, "LF");
	ck_assert(e.flags & GGEP_F_COBS);
	ck_assert_int_eq(ggep_value(&e, v, sizeof v, &vlen), WIRE_OK);
	ck_assert_uint_eq(vlen, 5);
	hex_eq(v, "0000004001", 5);

	ck_assert_int_eq(qhit_decode(out, n, &d, &o, 1), WIRE_OK);
	ck_assert_int_eq(d.has_trailer, 0);
	ck_assert_ptr_null(d.priv);
	ck_assert_uint_eq(o.size, 5ull << 30);
	ck_assert_int_eq(o.has_sha1, 0);

	/* just under 2^31 stays in the old field */
	r.size = 0x7fffffff;
	n = qhit_encode(&qh, &r, 1, 0, out, sizeof out);
	ck_assert_uint_eq(n, 11 + 8 + 8 + 1 + 16);
	ck_assert_uint_eq(peek_le32(out + 15), 0x7fffffff);
}
END_TEST

/* Two records in one hit: a trailer, a header and a record prefix. */
#define HDR	"\x02\xda\x3f\x7f\x00\x00\x01\x10\x00\x00\x00"
#define HDR1	"\x01\xda\x3f\x7f\x00\x00\x01\x10\x00\x00\x00"
#define HDR0	"\x00\xda\x3f\x7f\x00\x00\x01\x10\x00\x00\x00"
#define REC	"\x05\x00\x00\x00\x5a\x0a\x00\x00"
#define REC_FF	"\x05\x00\x00\x00\xff\xff\xff\xff"
#define URN_A	"urn:sha1:6O2DFRAIZKTOJES7NTV6GGZLB2IYGZSF"
#define TRL	"GTKG\x02\x2c\x21"
#define P(s)	s, sizeof(s) - 1

/* The hit's GUID is appended by the test. */
static const struct {
	const char		*in;
	size_t			 len;
	enum wire_status	 want;
	uint64_t		 size;		/* of the first record */
	int			 has_sha1;
	int			 has_trailer;
	uint8_t			 status;
	int			 ggepoff;	/* in priv, or -1 */
} qhit_cases[] = {
	/* legacy hit: no hash, no trailer */
	{ P(HDR1 REC "a\0\0"), WIRE_OK, 2650, 0, 0, 0, -1 },
	{ P(HDR REC "a\0" URN_A "\0" REC "b\0\0"), WIRE_OK, 2650, 1, 0, 0,
	    -1 },
	/* trailer with GGEP, then after junk; a broken block is let be */
	{ P(HDR1 REC "a\0\0" TRL "\xc3\x83TLS\x40"), WIRE_OK, 2650, 0, 1,
	    0x20, 0 },
	{ P(HDR1 REC "a\0\0" TRL "xy\xc3\x83TLS\x40"), WIRE_OK, 2650, 0, 1,
	    0x20, 2 },
	{ P(HDR1 REC "a\0\0" TRL "\xc3\x83TLS\x45"), WIRE_OK, 2650, 0, 1,
	    0x20, -1 },
	{ P(HDR1 REC "a\0\0" TRL "\xc3"), WIRE_OK, 2650, 0, 1, 0x20, -1 },
	{ P(HDR1 REC "a\0\0" TRL), WIRE_OK, 2650, 0, 1, 0x20, -1 },
	/* open sizes 0, 1 (NapShare) and 4 (LimeWire, with XML size) */
	{ P(HDR1 REC "a\0\0" "NAPS\x00"), WIRE_OK, 2650, 0, 1, 0, -1 },
	{ P(HDR1 REC "a\0\0" "NAPS\x01\x1d"), WIRE_OK, 2650, 0, 1, 0x01, -1 },
	{ P(HDR1 REC "a\0\0" "LIME\x04\x1c\x3d\x00\x00"), WIRE_OK, 2650, 0,
	    1, 0x1c, -1 },
	/* LF in place of the old size, then LF with a normal size field */
	{ P(HDR1 REC_FF "a\0\xc3\x82LF\x45\x01\x02\x03\x04\x05\0"), WIRE_OK,
	    0x0504030201ull, 0, 0, 0, -1 },
	{ P(HDR1 REC "a\0\xc3\x82LF\x41\x07\0"), WIRE_OK, 7, 0, 0, 0, -1 },
	{ P(HDR1 REC_FF "a\0\0"), WIRE_OK, 0xffffffffull, 0, 0, 0, -1 },
	/* H as SHA-1 only, other URN kinds passed over */
	{ P(HDR1 REC "a\0urn:md5:x\x1c\xc3\x81H\x55\x01"
	    "\xf3\xb4\x32\xc4\x08\xca\xa6\xe4\x92\x5f\x6c\xeb\xe3\x1b\x2b\x0e"
	    "\x91\x83\x66\x45\0"), WIRE_OK, 2650, 1, 0, 0, -1 },

	{ P(""), WIRE_SHORT, 0, 0, 0, 0, -1 },
	{ P(HDR1), WIRE_SHORT, 0, 0, 0, 0, -1 },
	/* no hits */
	{ P(HDR0 REC "a\0\0"), WIRE_MALFORMED, 0, 0, 0, 0, -1 },
	/* NULs missing: the second, both, a record cut short */
	{ P(HDR1 REC "a\0"), WIRE_MALFORMED, 0, 0, 0, 0, -1 },
	{ P(HDR1 REC "a"), WIRE_MALFORMED, 0, 0, 0, 0, -1 },
	{ P(HDR1 REC), WIRE_MALFORMED, 0, 0, 0, 0, -1 },
	{ P(HDR1 "\x05\x00\x00"), WIRE_MALFORMED, 0, 0, 0, 0, -1 },
	/* two hits announced, one present: the GUID cannot be a record */
	{ P(HDR REC "a\0\0"), WIRE_MALFORMED, 0, 0, 0, 0, -1 },
	/* URN of 31 characters */
	{ P(HDR1 REC "a\0urn:sha1:6O2DFRAIZKTOJES7NTV6GGZLB2IYGZS\0"),
	    WIRE_MALFORMED, 0, 0, 0, 0, -1 },
	/* record GGEP: cut, H too short, TT of 23 bytes, LF of 0 and 9 */
	{ P(HDR1 REC "a\0\xc3\x82LF\x45\x01\0"), WIRE_MALFORMED, 0, 0, 0, 0,
	    -1 },
	{ P(HDR1 REC "a\0\xc3\x81H\x42\x01\x01\0"), WIRE_MALFORMED, 0, 0, 0,
	    0, -1 },
	{ P(HDR1 REC "a\0\xc3\x82TT\x57" "01234567890123456789012\0"),
	    WIRE_MALFORMED, 0, 0, 0, 0, -1 },
	{ P(HDR1 REC "a\0\xc3\x82LF\x40\0"), WIRE_MALFORMED, 0, 0, 0, 0, -1 },
	{ P(HDR1 REC "a\0\xc3\x82LF\x49" "123456789\0"), WIRE_MALFORMED, 0, 0,
	    0, 0, -1 },
	/* bad COBS inside a record's GGEP */
	{ P(HDR1 REC "a\0\xc3\xc2LF\x42\x05\x01\0"), WIRE_MALFORMED, 0, 0, 0,
	    0, -1 },
	/* trailers too short for vendor and open size, or for open data */
	{ P(HDR1 REC "a\0\0" "GTK"), WIRE_MALFORMED, 0, 0, 0, 0, -1 },
	{ P(HDR1 REC "a\0\0" "G"), WIRE_MALFORMED, 0, 0, 0, 0, -1 },
	{ P(HDR1 REC "a\0\0" "GTKG\x02\x2c"), WIRE_MALFORMED, 0, 0, 0, 0,
	    -1 },
};

START_TEST(test_qhit_decode_table)
{
	struct qhit		 qh;
	struct qhit_record	 r;
	uint8_t			 buf[256], *p;
	size_t			 len = qhit_cases[_i].len + 16;
	enum wire_status	 st;

	ck_assert_uint_le(len, sizeof buf);
	memcpy(buf, qhit_cases[_i].in, qhit_cases[_i].len);
	ck_assert_int_eq(tu_hex(GUID_HEX, buf + qhit_cases[_i].len, 16), 16);
	/* the bare-header cases are shorter than a GUID: leave it off */
	if (qhit_cases[_i].want == WIRE_SHORT)
		len = qhit_cases[_i].len;
	p = tdup(buf, len);
	st = qhit_decode(p, len, &qh, &r, 1);
	ck_assert_msg(st == qhit_cases[_i].want, "case %d: got %s", _i,
	    wire_strstatus(st));
	if (st == WIRE_OK) {
		ck_assert_uint_eq(r.index, 5);
		ck_assert_uint_eq(r.namelen, 1);
		ck_assert_int_eq(r.name[0], 'a');
		ck_assert_uint_eq(r.size, qhit_cases[_i].size);
		ck_assert_int_eq(r.has_sha1, qhit_cases[_i].has_sha1);
		if (r.has_sha1)
			hex_eq(r.sha1, G1_SHA1, SHA1_LEN);
		ck_assert_int_eq(qh.has_trailer, qhit_cases[_i].has_trailer);
		ck_assert_uint_eq(qh.status, qhit_cases[_i].status);
		if (qhit_cases[_i].ggepoff >= 0) {
			ck_assert_ptr_eq(qh.ggep,
			    qh.priv + qhit_cases[_i].ggepoff);
			ck_assert_uint_eq(qh.ggeplen, 6);
		} else
			ck_assert_ptr_null(qh.ggep);
		if (qh.has_trailer)
			ck_assert_ptr_eq(qh.priv + qh.privlen, p + len - 16);
		hex_eq(qh.guid, GUID_HEX, 16);
	}
	free(p);
}
END_TEST

START_TEST(test_qhit_size_cap)
{
	static uint8_t		 buf[QHIT_MAX_PAYLOAD + 1];
	struct qhit		 qh;
	struct qhit_record	 r;
	size_t			 len;

	/* one record whose name fills exactly 64 KiB */
	len = QHIT_MAX_PAYLOAD;
	memset(buf, 'n', sizeof buf);
	memcpy(buf, HDR1 REC, 19);
	buf[len - 16 - 2] = '\0';
	buf[len - 16 - 1] = '\0';
	ck_assert_int_eq(qhit_decode(buf, len, &qh, &r, 1), WIRE_OK);
	ck_assert_uint_eq(r.namelen, len - 16 - 2 - 19);
	/* one byte more is over the kick size, whatever it holds */
	ck_assert_int_eq(qhit_decode(buf, len + 1, &qh, &r, 1), WIRE_TOOBIG);
}
END_TEST

START_TEST(test_qhit_encode_limits)
{
	static struct qhit_record	 r[256];
	static uint8_t			 out[QHIT_MAX_PAYLOAD + 4096];
	static char			 name[QHIT_MAX_PAYLOAD];
	struct qhit			 qh, d;
	size_t				 n, i;

	memset(name, 'z', sizeof name);
	memset(&qh, 0, sizeof qh);
	memset(r, 0, sizeof r);
	for (i = 0; i < 256; i++) {
		r[i].index = (uint32_t)i;
		r[i].name = "x";
		r[i].namelen = 1;
	}
	ck_assert_uint_eq(qhit_encode(&qh, r, 0, 0, out, sizeof out), 0);
	ck_assert_uint_eq(qhit_encode(&qh, r, 256, 0, out, sizeof out), 0);
	n = qhit_encode(&qh, r, 255, 0, out, sizeof out);
	ck_assert_uint_eq(n, 11 + 255 * 11 + 16);
	ck_assert_int_eq(qhit_decode(out, n, &d, NULL, 0), WIRE_OK);
	ck_assert_uint_eq(d.nhits, 255);

	/* a name holding a NUL cannot be framed */
	r[3].name = "a\0b";
	r[3].namelen = 3;
	ck_assert_uint_eq(qhit_encode(&qh, r, 5, 0, out, sizeof out), 0);

	/* exactly 64 KiB is built; one byte more never is, even with room */
	r[0].name = name;
	r[0].namelen = QHIT_MAX_PAYLOAD - 37;
	ck_assert_uint_eq(qhit_encode(&qh, r, 1, 0, out, sizeof out),
	    QHIT_MAX_PAYLOAD);
	ck_assert_int_eq(qhit_decode(out, QHIT_MAX_PAYLOAD, &d, NULL, 0),
	    WIRE_OK);
	r[0].namelen++;
	ck_assert_uint_eq(qhit_encode(&qh, r, 1, 0, out, sizeof out), 0);
}
END_TEST

/* Text URNs in a record: bitprint and Tiger-only give the Tiger root. */
#define TIGER_B32	"JZDZGQBEEZPLKBC7PIGQS5ANDJJZMEFQGTZQOIQ"
static const struct {
	const char		*in;
	size_t			 len;
	enum wire_status	 want;
	int			 has_sha1, has_tth;
} qhit_urn_cases[] = {
	{ P(HDR1 REC "a\0urn:bitprint:6O2DFRAIZKTOJES7NTV6GGZLB2IYGZSF."
	    TIGER_B32 "\0"), WIRE_OK, 1, 1 },
	{ P(HDR1 REC "a\0urn:tree:tiger/:" TIGER_B32 "\0"), WIRE_OK, 0, 1 },
	{ P(HDR1 REC "a\0URN:SHA1:\x1curn:bitprint:\0"), WIRE_OK, 0, 0 },
	/* a bad Tiger-only URN is passed over */
	{ P(HDR1 REC "a\0urn:tree:tiger/:" "JZDZ\0"), WIRE_OK, 0, 0 },
	/* 4 characters of hash are neither a hash nor a bare prefix */
	{ P(HDR1 REC "a\0urn:sha1:6O2D\0"), WIRE_MALFORMED, 0, 0 },
	{ P(HDR1 REC "a\0urn:bitprint:6O2D\0"), WIRE_MALFORMED, 0, 0 },
};

START_TEST(test_qhit_text_urns)
{
	struct qhit		 qh;
	struct qhit_record	 r;
	uint8_t			 buf[256], *p;
	size_t			 len = qhit_urn_cases[_i].len + 16;
	enum wire_status	 st;

	memcpy(buf, qhit_urn_cases[_i].in, qhit_urn_cases[_i].len);
	memset(buf + qhit_urn_cases[_i].len, 0x47, 16);
	p = tdup(buf, len);
	st = qhit_decode(p, len, &qh, &r, 1);
	ck_assert_msg(st == qhit_urn_cases[_i].want, "case %d: got %s", _i,
	    wire_strstatus(st));
	if (st == WIRE_OK) {
		ck_assert_int_eq(r.has_sha1, qhit_urn_cases[_i].has_sha1);
		ck_assert_int_eq(r.has_tth, qhit_urn_cases[_i].has_tth);
		if (r.has_sha1)
			hex_eq(r.sha1, G1_SHA1, SHA1_LEN);
		if (r.has_tth)
			hex_eq(r.tth, G1_TTH, TTH_LEN);
	}
	free(p);
}
END_TEST

/* Status bits as gtkg writes them, read back through open[0] & open[1]. */
static const struct {
	uint8_t		 status;
	int		 ggep;
	uint8_t		 open0, open1, back;
} qhit_status_cases[] = {
	{ 0, 0, 0x2c, 0x01, 0 },
	{ 0, 1, 0x2c, 0x21, QHIT_S_GGEP },
	{ QHIT_S_PUSH, 0, 0x2d, 0x01, QHIT_S_PUSH },
	{ QHIT_S_BUSY, 0, 0x2c, 0x05, QHIT_S_BUSY },
	{ QHIT_S_UPLOADED, 1, 0x2c, 0x29, QHIT_S_UPLOADED | QHIT_S_GGEP },
	/* the GGEP bit follows the block, not the status asked for */
	{ QHIT_S_GGEP, 0, 0x2c, 0x01, 0 },
	{ 0xff, 1, 0x2d, 0x2d, 0x2d },
};

START_TEST(test_qhit_status)
{
	static const uint8_t	 priv[] = { 0xc3, 0x83, 'T', 'L', 'S', 0x40 };
	struct qhit		 qh, d;
	struct qhit_record	 r;
	uint8_t			 out[128];
	size_t			 n;

	memset(&qh, 0, sizeof qh);
	memset(&r, 0, sizeof r);
	r.name = "f";
	r.namelen = 1;
	memcpy(qh.vendor, "GTKG", 5);
	qh.status = qhit_status_cases[_i].status;
	if (qhit_status_cases[_i].ggep) {
		qh.ggep = priv;
		qh.ggeplen = sizeof priv;
	}
	n = qhit_encode(&qh, &r, 1, 0, out, sizeof out);
	ck_assert_uint_eq(n, 11 + 11 + 7 + qh.ggeplen + 16);
	ck_assert(memcmp(out + 22, "GTKG\x02", 5) == 0);
	ck_assert_uint_eq(out[27], qhit_status_cases[_i].open0);
	ck_assert_uint_eq(out[28], qhit_status_cases[_i].open1);
	ck_assert_int_eq(qhit_decode(out, n, &d, NULL, 0), WIRE_OK);
	ck_assert_uint_eq(d.status, qhit_status_cases[_i].back);
	ck_assert_uint_eq(d.ggeplen, qh.ggeplen);
}
END_TEST

/*
 * Every prefix of each golden hit. The last 16 bytes of a prefix are taken
 * as the GUID, so a prefix that cuts only the private area may still be a
 * valid hit; it must then agree with the whole on the record.
 */
static void
truncate_all(const char *file, size_t len, size_t trailer)
{
	struct qhit		 qh, whole;
	struct qhit_record	 r, rw;
	uint8_t			*g = golden(file, len), *p;
	size_t			 cut;
	enum wire_status	 st;

	ck_assert_int_eq(qhit_decode(g, len, &whole, &rw, 1), WIRE_OK);
	for (cut = 0; cut < len; cut++) {
		p = tdup(g, cut);
		st = qhit_decode(p, cut, &qh, &r, 1);
		if (cut < trailer + 16)
			ck_assert_msg(st != WIRE_OK, "cut %zu", cut);
		if (st == WIRE_OK) {
			ck_assert_uint_eq(qh.nhits, 1);
			ck_assert_uint_eq(r.index, rw.index);
			ck_assert_uint_eq(r.size, rw.size);
			ck_assert_uint_eq(r.namelen, rw.namelen);
			ck_assert_uint_eq(r.extlen, rw.extlen);
			ck_assert(memcmp(r.sha1, rw.sha1, SHA1_LEN) == 0);
			ck_assert(memcmp(r.tth, rw.tth, TTH_LEN) == 0);
			if (qh.has_trailer)
				ck_assert_str_eq(qh.vendor, "GTKG");
			ck_assert(qh.priv + qh.privlen <= p + cut - 16);
			if (qh.ggep != NULL)
				ck_assert(qh.ggep + qh.ggeplen <=
				    p + cut - 16);
		}
		free(p);
	}
	free(g);
}

START_TEST(test_qhit_truncation)
{
	truncate_all(G1_FILE, G1_LEN, G1_TRAILER);
	truncate_all(G2_FILE, G2_LEN, G2_TRAILER);
}
END_TEST

TCase *
tc_qhit(void)
{
	TCase	*tc = tcase_create("qhit");

	tcase_add_test(tc, test_qhit_golden_urn_tt);
	tcase_add_test(tc, test_qhit_partial);
	tcase_add_test(tc, test_qhit_golden_bitprint);
	tcase_add_test(tc, test_qhit_golden_reencode);
	tcase_add_test(tc, test_qhit_roundtrip_text);
	tcase_add_test(tc, test_qhit_roundtrip_ggep_h);
	tcase_add_test(tc, test_qhit_large_file);
	tcase_add_loop_test(tc, test_qhit_decode_table, 0,
	    sizeof qhit_cases / sizeof qhit_cases[0]);
	tcase_add_loop_test(tc, test_qhit_text_urns, 0,
	    sizeof qhit_urn_cases / sizeof qhit_urn_cases[0]);
	tcase_add_test(tc, test_qhit_size_cap);
	tcase_add_test(tc, test_qhit_encode_limits);
	tcase_add_loop_test(tc, test_qhit_status, 0,
	    sizeof qhit_status_cases / sizeof qhit_status_cases[0]);
	tcase_add_test(tc, test_qhit_truncation);
	return tc;
}
