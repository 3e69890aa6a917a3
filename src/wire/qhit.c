/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * qhit.c: QueryHit (0x81) payloads. Each record names a shared file and may
 * carry its hashes and a 64-bit size as HUGE text or GGEP; the optional
 * trailer after the records holds the vendor code, the status flags and a
 * private area that gtkg fills with GGEP. The servent GUID closes it all.
 */
#include <string.h>

#include "lib/base32.h"
#include "wire/ggep.h"
#include "wire/qhit.h"

#define QHIT_GUID_LEN		16
#define QHIT_REC_MIN		10	/* index, size and two NULs */
#define QHIT_TRAILER_MIN	5	/* vendor and open_size */
#define QHIT_SIZE_LF		0xffffffffu
#define QHIT_SIZE_LIMIT		0x80000000ull	/* from here on, GGEP LF */
#define QHIT_VALUE_MAX		64
#define QHIT_TIGER_B32		39

/* What gtkg puts in open[0]: the flags whose value open[1] gives. */
#define QHIT_OPEN0		(QHIT_S_BUSY | QHIT_S_UPLOADED | QHIT_S_GGEP)

static enum wire_status
qhit_urn(struct qhit_record *r, const struct ext_item *item)
{
	const char	*s = (const char *)item->data;
	size_t		 len = item->len, tlen;
	int		 bp;

	/* The common case first: a plain SHA-1 URN. */
	bp = !huge_is_sha1(item->data, len) &&
	    wire_prefix((const char *)item->data, len, "urn:bitprint:");
	if (bp || huge_is_sha1(item->data, len)) {
		/* A bare prefix asks for hashes; it names no file. */
		if (len == (bp ? 13 : 9))
			return WIRE_OK;
		if (huge_parse_sha1(s, len, r->sha1) != WIRE_OK)
			return WIRE_MALFORMED;
		r->has_sha1 = 1;
		/* A bitprint also gives the Tiger root after the dot. */
		if (bp && base32_decode(s + len - QHIT_TIGER_B32, QHIT_TIGER_B32,
		    r->tth, TTH_LEN) == TTH_LEN)
			r->has_tth = 1;
		return WIRE_OK;
	}
	/* Some servents name the Tiger root alone; a bad one is not fatal. */
	tlen = strlen("urn:tree:tiger/:");
	if (wire_prefix((const char *)item->data, len, "urn:tree:tiger/:") &&
	    len == tlen + QHIT_TIGER_B32 &&
	    base32_decode(s + tlen, QHIT_TIGER_B32, r->tth, TTH_LEN) ==
	    TTH_LEN)
		r->has_tth = 1;
	return WIRE_OK;
}

static enum wire_status
qhit_ggep(struct qhit_record *r, const struct ext_item *item, int *has_lf)
{
	struct ggep_iter	 gi;
	struct ggep_ext		 ge;
	uint8_t			 v[QHIT_VALUE_MAX];
	size_t			 vlen, i;
	enum wire_status	 st;

	if (ggep_iter_init(&gi, item->data, item->len) != WIRE_OK)
		return WIRE_MALFORMED;
	while ((st = ggep_next(&gi, &ge)) == WIRE_OK) {
		if (strcmp(ge.id, "H") != 0 && strcmp(ge.id, "TT") != 0 &&
		    strcmp(ge.id, "LF") != 0 && strcmp(ge.id, "PRU") != 0)
			continue;
		if (ggep_value(&ge, v, sizeof v, &vlen) != WIRE_OK)
			return WIRE_MALFORMED;
		if (strcmp(ge.id, "H") == 0) {
			if (vlen == 1 + SHA1_LEN && v[0] == QHIT_GGEP_H_SHA1) {
				memcpy(r->sha1, v + 1, SHA1_LEN);
				r->has_sha1 = 1;
			} else if (vlen == 1 + SHA1_LEN + TTH_LEN &&
			    v[0] == QHIT_GGEP_H_BITPRINT) {
				memcpy(r->sha1, v + 1, SHA1_LEN);
				memcpy(r->tth, v + 1 + SHA1_LEN, TTH_LEN);
				r->has_sha1 = 1;
				r->has_tth = 1;
			} else if (vlen == 0 || v[0] == QHIT_GGEP_H_SHA1 ||
			    v[0] == QHIT_GGEP_H_BITPRINT)
				return WIRE_MALFORMED;
			/* other hash types (MD5, UUID) are not used here */
		} else if (strcmp(ge.id, "TT") == 0) {
			if (vlen != TTH_LEN)
				return WIRE_MALFORMED;
			memcpy(r->tth, v, TTH_LEN);
			r->has_tth = 1;
		} else if (strcmp(ge.id, "PRU") == 0) {
			/* Before 0.98.4 gtk-gnutella sent it empty. */
			r->partial = 1;
			if (vlen >= 4 && vlen <= 12) {
				r->pru_stamp = peek_be32(v);
				for (i = vlen; i > 4; i--)
					r->pru_avail = r->pru_avail << 8 |
					    v[i - 1];
			}
		} else {
			if (vlen < 1 || vlen > 8)
				return WIRE_MALFORMED;
			r->size = 0;
			for (i = vlen; i > 0; i--)
				r->size = r->size << 8 | v[i - 1];
			*has_lf = 1;
		}
	}
	return st == WIRE_END ? WIRE_OK : WIRE_MALFORMED;
}

/* One record at p[off..end); *off moves past it. */
static enum wire_status
qhit_record(const uint8_t *p, size_t end, size_t *off, struct qhit_record *r)
{
	struct ext_iter		 it;
	struct ext_item		 item;
	const uint8_t		*nul;
	size_t			 o = *off;
	uint32_t		 size32;
	int			 has_lf = 0;
	enum wire_status	 st;

	if (end - o < QHIT_REC_MIN)
		return WIRE_MALFORMED;
	memset(r, 0, sizeof *r);
	r->index = peek_le32(p + o);
	size32 = peek_le32(p + o + 4);
	o += 8;
	if ((nul = memchr(p + o, '\0', end - o)) == NULL)
		return WIRE_MALFORMED;
	r->name = (const char *)(p + o);
	r->namelen = (size_t)(nul - (p + o));
	o += r->namelen + 1;
	/* Record GGEP is NUL-free by rule, so the next NUL ends the area. */
	if ((nul = memchr(p + o, '\0', end - o)) == NULL)
		return WIRE_MALFORMED;
	r->ext = p + o;
	r->extlen = (size_t)(nul - (p + o));
	o += r->extlen + 1;

	/* Most records carry exactly one text SHA-1 URN: read it directly. */
	if (r->extlen == HUGE_URN_SHA1_LEN && huge_is_sha1(r->ext, r->extlen)) {
		if (base32_decode((const char *)r->ext + 9, HUGE_SHA1_B32,
		    r->sha1, SHA1_LEN) != SHA1_LEN)
			return WIRE_MALFORMED;
		r->has_sha1 = 1;
		r->size = size32;
		*off = o;
		return WIRE_OK;
	}
	ext_iter_init(&it, r->ext, r->extlen);
	while ((st = ext_next(&it, &item)) == WIRE_OK) {
		if (item.kind == EXT_URN)
			st = qhit_urn(r, &item);
		else if (item.kind == EXT_GGEP)
			st = qhit_ggep(r, &item, &has_lf);
		if (st != WIRE_OK)
			return st;
	}
	if (st != WIRE_END)
		return WIRE_MALFORMED;
	if (!has_lf)
		r->size = size32;
	*off = o;
	return WIRE_OK;
}

static enum wire_status
qhit_trailer(const uint8_t *p, size_t len, struct qhit *qh)
{
	size_t	 i, n, blen;

	if (len < QHIT_TRAILER_MIN)
		return WIRE_MALFORMED;
	qh->has_trailer = 1;
	memcpy(qh->vendor, p, 4);
	qh->vendor[4] = '\0';
	qh->open_size = p[4];
	if (qh->open_size > len - QHIT_TRAILER_MIN)
		return WIRE_MALFORMED;
	n = qh->open_size < sizeof qh->open ? qh->open_size : sizeof qh->open;
	memcpy(qh->open, p + QHIT_TRAILER_MIN, n);
	/* gtkg's rule: open[0] enables the bits open[1] states; NapShare's
	 * single byte can only say "push". */
	if (qh->open_size >= 2)
		qh->status = qh->open[0] & qh->open[1];
	else if (qh->open_size == 1)
		qh->status = qh->open[0] & QHIT_S_PUSH;
	qh->priv = p + QHIT_TRAILER_MIN + qh->open_size;
	qh->privlen = len - QHIT_TRAILER_MIN - qh->open_size;

	/* Private data is vendor-specific: a block we cannot read is left
	 * alone rather than failing the whole hit. */
	for (i = 0; i < qh->privlen; i++) {
		if (qh->priv[i] != GGEP_MAGIC)
			continue;
		if (ggep_check(qh->priv + i, qh->privlen - i, &blen) ==
		    WIRE_OK && blen > 0 && blen <= qh->privlen - i) {
			qh->ggep = qh->priv + i;
			qh->ggeplen = blen;
		}
		break;
	}
	return WIRE_OK;
}

/* Decode a QueryHit payload; every record is checked, maxrecs kept. */
enum wire_status
qhit_decode(const uint8_t *p, size_t len, struct qhit *qh,
    struct qhit_record *recs, size_t maxrecs)
{
	struct qhit_record	 tmp, *r;
	size_t			 off, end, i;
	enum wire_status	 st;

	if (len > QHIT_MAX_PAYLOAD)
		return WIRE_TOOBIG;
	if (len < QHIT_FIXED_LEN + QHIT_GUID_LEN)
		return WIRE_SHORT;
	memset(qh, 0, sizeof *qh);
	qh->nhits = p[0];
	qh->port = peek_le16(p + 1);
	qh->ip = peek_be32(p + 3);
	qh->speed = peek_le32(p + 7);
	if (qh->nhits == 0)
		return WIRE_MALFORMED;
	end = len - QHIT_GUID_LEN;
	memcpy(qh->guid, p + end, QHIT_GUID_LEN);

	off = QHIT_FIXED_LEN;
	for (i = 0; i < qh->nhits; i++) {
		r = (recs != NULL && i < maxrecs) ? &recs[i] : &tmp;
		if ((st = qhit_record(p, end, &off, r)) != WIRE_OK)
			return st;
	}
	if (off < end)
		return qhit_trailer(p + off, end - off, qh);
	return WIRE_OK;
}

/* Shortest little-endian form of v, for GGEP LF and PRU. */
static size_t
qhit_lf(uint64_t v, uint8_t out[8])
{
	size_t	 n = 0;

	do {
		out[n++] = v & 0xff;
		v >>= 8;
	} while (v != 0 && n < 8);
	return n;
}

/* A record at out[cap]; returns its length or 0 if it does not fit. */
static size_t
qhit_encode_record(const struct qhit_record *r, unsigned opts, uint8_t *out,
    size_t cap)
{
	struct ggep_writer	 w;
	uint8_t			 h[1 + SHA1_LEN + TTH_LEN], lf[8], pru[12];
	char			 urn[HUGE_URN_SHA1_LEN + 1];
	size_t			 off, blen, lflen = 0;
	int			 big, use_h, text, tt;

	if (r->namelen > 0 && memchr(r->name, '\0', r->namelen) != NULL)
		return 0;
	big = r->size >= QHIT_SIZE_LIMIT;
	use_h = r->has_sha1 && (opts & QHIT_ENC_GGEP_H);
	text = r->has_sha1 && !use_h;
	tt = r->has_tth && !use_h;	/* else the Tiger root rides in H */

	if (cap < QHIT_REC_MIN + r->namelen)
		return 0;
	poke_le32(out, r->index);
	poke_le32(out + 4, big ? QHIT_SIZE_LF : (uint32_t)r->size);
	off = 8;
	if (r->namelen > 0)
		memcpy(out + off, r->name, r->namelen);
	off += r->namelen;
	out[off++] = '\0';

	if (text) {
		if (huge_format_sha1(r->sha1, urn, sizeof urn) == 0 ||
		    cap - off < HUGE_URN_SHA1_LEN + 1)
			return 0;
		memcpy(out + off, urn, HUGE_URN_SHA1_LEN);
		off += HUGE_URN_SHA1_LEN;
	}
	if (use_h || tt || big || r->partial) {
		if (text) {
			if (cap - off < 1)
				return 0;
			out[off++] = HUGE_SEP;
		}
		/* Keep one byte back for the record's closing NUL. */
		if (cap - off < 1)
			return 0;
		ggep_writer_init(&w, out + off, cap - off - 1);
		w.nul_free = 1;
		if (use_h) {
			memcpy(h + 1, r->sha1, SHA1_LEN);
			if (r->has_tth) {
				h[0] = QHIT_GGEP_H_BITPRINT;
				memcpy(h + 1 + SHA1_LEN, r->tth, TTH_LEN);
				ggep_add(&w, "H", h, sizeof h, 0);
			} else {
				h[0] = QHIT_GGEP_H_SHA1;
				ggep_add(&w, "H", h, 1 + SHA1_LEN, 0);
			}
		}
		if (tt)
			ggep_add(&w, "TT", r->tth, TTH_LEN, 0);
		if (big) {
			lflen = qhit_lf(r->size, lf);
			ggep_add(&w, "LF", lf, lflen, 0);
		}
		if (r->partial) {
			poke_be32(pru, r->pru_stamp);
			ggep_add(&w, "PRU", pru, 4 + qhit_lf(r->pru_avail,
			    pru + 4), 0);
		}
		if ((blen = ggep_finish(&w)) == 0)
			return 0;
		off += blen;
	}
	if (cap - off < 1)
		return 0;
	out[off++] = '\0';
	return off;
}

/* Encode a QueryHit payload; 0 if it does not fit or n is out of range. */
size_t
qhit_encode(const struct qhit *qh, const struct qhit_record *recs, size_t n,
    unsigned opts, uint8_t *out, size_t cap)
{
	size_t	 off, i, rlen, ggeplen;

	if (n == 0 || n > 255 || cap < QHIT_FIXED_LEN)
		return 0;
	out[0] = (uint8_t)n;
	poke_le16(out + 1, qh->port);
	poke_be32(out + 3, qh->ip);
	poke_le32(out + 7, qh->speed);
	off = QHIT_FIXED_LEN;

	for (i = 0; i < n; i++) {
		rlen = qhit_encode_record(&recs[i], opts, out + off, cap - off);
		if (rlen == 0)
			return 0;
		off += rlen;
	}

	if (qh->vendor[0] != '\0') {
		ggeplen = qh->ggep != NULL ? qh->ggeplen : 0;
		if (cap - off < QHIT_TRAILER_MIN + 2 + ggeplen)
			return 0;
		memcpy(out + off, qh->vendor, 4);
		out[off + 4] = 2;
		/* Push goes in both bytes: gtkg reads open[0] & open[1]. */
		out[off + 5] = QHIT_OPEN0 | (qh->status & QHIT_S_PUSH);
		out[off + 6] = 0x01 |
		    (qh->status & (QHIT_S_BUSY | QHIT_S_UPLOADED)) |
		    (ggeplen > 0 ? QHIT_S_GGEP : 0);
		off += QHIT_TRAILER_MIN + 2;
		if (ggeplen > 0)
			memcpy(out + off, qh->ggep, ggeplen);
		off += ggeplen;
	}

	if (cap - off < QHIT_GUID_LEN)
		return 0;
	memcpy(out + off, qh->guid, QHIT_GUID_LEN);
	off += QHIT_GUID_LEN;
	/* A hit past this size gets its sender kicked: never build one. */
	if (off > QHIT_MAX_PAYLOAD)
		return 0;
	return off;
}
