/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * qrp.c: QRP RESET and PATCH messages, patch (de)compression, and the
 * keyword hash shared by every servent that builds or reads a QRP table.
 */
#include <string.h>
#include <zlib.h>

#include "wire/qrp.h"

/* Decode a RESET or PATCH message, checking every field's range. */
enum wire_status
qrp_decode(const uint8_t *p, size_t len, struct qrp *q)
{
	memset(q, 0, sizeof *q);
	if (len < 1)
		return WIRE_SHORT;
	q->variant = p[0];
	switch (q->variant) {
	case QRP_RESET:
		if (len < QRP_RESET_LEN)
			return WIRE_SHORT;
		if (len > QRP_RESET_LEN)
			return WIRE_MALFORMED;
		q->table_len = peek_le32(p + 1);
		q->infinity = p[5];
		if (q->table_len < QRP_MIN_TABLE || q->table_len > QRP_MAX_TABLE ||
		    (q->table_len & (q->table_len - 1)) != 0 || q->infinity == 0)
			return WIRE_MALFORMED;
		return WIRE_OK;
	case QRP_PATCH:
		if (len < QRP_PATCH_HDR_LEN)
			return WIRE_SHORT;
		q->seq_no = p[1];
		q->seq_size = p[2];
		q->compressor = p[3];
		q->entry_bits = p[4];
		q->data = p + QRP_PATCH_HDR_LEN;
		q->datalen = len - QRP_PATCH_HDR_LEN;
		if (q->seq_no == 0 || q->seq_size == 0 || q->seq_no > q->seq_size)
			return WIRE_MALFORMED;
		if (q->compressor != QRP_COMP_NONE &&
		    q->compressor != QRP_COMP_ZLIB)
			return WIRE_MALFORMED;
		if (q->entry_bits != 1 && q->entry_bits != 2 &&
		    q->entry_bits != 4 && q->entry_bits != 8)
			return WIRE_MALFORMED;
		return WIRE_OK;
	}
	return WIRE_BADTYPE;
}

/* Encode a RESET (6 bytes) or a PATCH header and its data. */
size_t
qrp_encode(const struct qrp *q, uint8_t *out, size_t cap)
{
	switch (q->variant) {
	case QRP_RESET:
		if (cap < QRP_RESET_LEN)
			return 0;
		out[0] = QRP_RESET;
		poke_le32(out + 1, q->table_len);
		out[5] = q->infinity;
		return QRP_RESET_LEN;
	case QRP_PATCH:
		if (cap < QRP_PATCH_HDR_LEN || cap - QRP_PATCH_HDR_LEN < q->datalen)
			return 0;
		out[0] = QRP_PATCH;
		out[1] = q->seq_no;
		out[2] = q->seq_size;
		out[3] = q->compressor;
		out[4] = q->entry_bits;
		if (q->datalen > 0)
			memcpy(out + QRP_PATCH_HDR_LEN, q->data, q->datalen);
		return QRP_PATCH_HDR_LEN + q->datalen;
	}
	return 0;
}

/*
 * Inflate patch data (zlib format). The output is bounded by cap, so a
 * patch that would inflate past the table it patches is refused as soon as
 * it overflows rather than after inflating all of it.
 */
enum wire_status
qrp_inflate(const uint8_t *in, size_t inlen, uint8_t *out, size_t cap,
    size_t *outlen)
{
	z_stream	 zs;
	uint8_t		 spill;
	int		 rc;

	*outlen = 0;
	memset(&zs, 0, sizeof zs);
	if (inflateInit(&zs) != Z_OK)
		return WIRE_BADZLIB;
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)inlen;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	rc = inflate(&zs, Z_FINISH);
	if (rc != Z_STREAM_END && zs.avail_out == 0) {
		/* Output full: one more byte tells an exact fit from a bomb. */
		zs.next_out = &spill;
		zs.avail_out = 1;
		rc = inflate(&zs, Z_FINISH);
		if (zs.avail_out == 0) {
			inflateEnd(&zs);
			return WIRE_TOOBIG;
		}
	}
	*outlen = zs.total_out;
	inflateEnd(&zs);
	return rc == Z_STREAM_END ? WIRE_OK : WIRE_BADZLIB;
}

/* Compress patch data in zlib format, as QRP compressor 1 expects. */
size_t
qrp_deflate(const uint8_t *in, size_t inlen, uint8_t *out, size_t cap)
{
	uLongf	 n = (uLongf)cap;

	if (compress2(out, &n, in, (uLong)inlen, Z_BEST_COMPRESSION) != Z_OK)
		return 0;
	return (size_t)n;
}

/*
 * The QRP hash: XOR the keyword's lower-cased bytes into a 32-bit word, 4
 * bytes at a time little-endian, multiply by 0x4F1BBCDC (the golden ratio
 * times 2^31) and keep the top `bits` bits.
 */
uint32_t
qrp_hash(const char *s, size_t len, unsigned bits)
{
	uint32_t	 x = 0;
	size_t		 i;
	uint8_t		 c;

	if (bits == 0 || bits > 32)
		return 0;
	for (i = 0; i < len; i++) {
		c = (uint8_t)s[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		x ^= (uint32_t)c << ((i & 3) * 8);
	}
	x *= QRP_HASH_MULT;
	return bits == 32 ? x : x >> (32 - bits);
}

size_t
qrp_table_msgs(uint32_t slots, uint8_t infinity, const uint8_t *data,
    size_t len, size_t max, int (*fn)(void *, const struct qrp *), void *arg)
{
	struct qrp	 q;
	size_t		 chunk, nmsg, off;

	if (max <= QRP_PATCH_HDR_LEN || len == 0)
		return 0;
	chunk = max - QRP_PATCH_HDR_LEN;
	if ((nmsg = (len + chunk - 1) / chunk) > 255)
		return 0;
	memset(&q, 0, sizeof q);
	q.variant = QRP_RESET;
	q.table_len = slots;
	q.infinity = infinity;
	if (fn(arg, &q) != 0)
		return nmsg;
	for (off = 0; off < len; off += chunk) {
		memset(&q, 0, sizeof q);
		q.variant = QRP_PATCH;
		q.seq_no = (uint8_t)(off / chunk + 1);
		q.seq_size = (uint8_t)nmsg;
		q.compressor = QRP_COMP_ZLIB;
		q.entry_bits = 4;
		q.data = data + off;
		q.datalen = len - off < chunk ? len - off : chunk;
		if (fn(arg, &q) != 0)
			break;
	}
	return nmsg;
}
