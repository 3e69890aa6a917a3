/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * ggep.c: GGEP 0.51 blocks. A reader that walks the extensions of a block
 * and checks every header byte, the 6-bit length codec, COBS as GGEP uses it
 * (Cheshire & Baker with a phantom final zero and no delimiter), inflation
 * of deflated values with a hard output cap, and a writer that builds a
 * block in a caller buffer. Nothing here allocates except zlib's own state.
 */
#define ZLIB_CONST

#include <string.h>
#include <zlib.h>

#include "wire/ggep.h"

/* COBS-decoded bytes handed to zlib at a time when a value is both. */
#define GGEP_COBS_CHUNK		256

/*
 * Incremental COBS decoder. Each code byte c announces c - 1 literal bytes;
 * a zero follows them unless c is 0xff or the group ends the input (that
 * last zero is the phantom one the encoder appended and never sent).
 */
struct cobs_rd {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
	size_t		 run;		/* literal bytes left in the group */
	int		 zero;		/* a zero follows the group */
};

static void
cobs_rd_init(struct cobs_rd *rd, const uint8_t *p, size_t len)
{
	rd->p = p;
	rd->len = len;
	rd->off = 0;
	rd->run = 0;
	rd->zero = 0;
}

/* Decode up to cap bytes; *n is 0 only once the input is used up. */
static enum wire_status
cobs_rd_read(struct cobs_rd *rd, uint8_t *out, size_t cap, size_t *n)
{
	size_t	 got = 0, take, i;
	uint8_t	 code;

	*n = 0;
	while (got < cap) {
		if (rd->run > 0) {
			take = rd->run < cap - got ? rd->run : cap - got;
			for (i = 0; i < take; i++) {
				if ((out[got + i] = rd->p[rd->off + i]) == 0)
					return WIRE_BADCOBS;
			}
			rd->off += take;
			rd->run -= take;
			got += take;
			continue;
		}
		if (rd->zero) {
			out[got++] = 0;
			rd->zero = 0;
			continue;
		}
		if (rd->off == rd->len)
			break;
		code = rd->p[rd->off++];
		if (code == 0 || (size_t)code - 1 > rd->len - rd->off)
			return WIRE_BADCOBS;
		rd->run = (size_t)code - 1;
		rd->zero = code != 0xff && rd->off + rd->run < rd->len;
	}
	*n = got;
	return WIRE_OK;
}

/* Length cobs_encode will produce for these bytes. */
static size_t
cobs_len(const uint8_t *in, size_t n)
{
	size_t		 i, len = 1;
	unsigned int	 code = 1;
	int		 full = 0;

	for (i = 0; i < n; i++) {
		len++;
		full = 0;
		if (in[i] == 0)
			code = 1;
		else if (++code == 0xff) {
			code = 1;
			len++;
			full = 1;
		}
	}
	/* A group closed by 0xff at the very end needs no empty group after. */
	return full ? len - 1 : len;
}

/* COBS-encode n bytes; return the length, or 0 if it does not fit in cap. */
size_t
cobs_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	size_t	 i, o, cp;
	uint8_t	 c, code = 1, last = 0;

	/*
	 * Each input byte is read before anything is written at or past its
	 * own position, so the writer may encode forward out of the tail of
	 * its own buffer.
	 */
	if (cobs_len(in, n) > cap)
		return 0;
	cp = 0;
	o = 1;
	for (i = 0; i < n; i++) {
		c = in[i];
		if (c == 0) {
			out[cp] = last = code;
			cp = o++;
			code = 1;
			continue;
		}
		out[o++] = c;
		if (++code == 0xff) {
			out[cp] = last = code;
			cp = o++;
			code = 1;
		}
	}
	if (last == 0xff && code == 1)
		return cp;
	out[cp] = code;
	return o;
}

/* Undo COBS into out[cap]; empty input decodes to nothing. */
enum wire_status
cobs_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap,
    size_t *outlen)
{
	struct cobs_rd		 rd;
	enum wire_status	 st;
	uint8_t			 extra;
	size_t			 got, more;

	*outlen = 0;
	cobs_rd_init(&rd, in, n);
	if ((st = cobs_rd_read(&rd, out, cap, &got)) != WIRE_OK)
		return st;
	/* Trailing empty groups yield nothing, so probe instead of peeking. */
	if ((st = cobs_rd_read(&rd, &extra, 1, &more)) != WIRE_OK)
		return st;
	if (more != 0)
		return WIRE_NOSPACE;
	*outlen = got;
	return WIRE_OK;
}

/* Encode a GGEP data length in its shortest 1 to 3 byte form. */
size_t
ggep_len_encode(size_t v, uint8_t *out, size_t cap)
{
	size_t	 n, i;

	if (v > GGEP_MAX_LEN)
		return 0;
	n = v < 64 ? 1 : v < 4096 ? 2 : 3;
	if (cap < n)
		return 0;
	for (i = 0; i < n; i++) {
		out[i] = (v >> (6 * (n - 1 - i))) & 0x3f;
		out[i] |= i == n - 1 ? 0x40 : 0x80;
	}
	return n;
}

/* Decode a GGEP data length; exactly one of bits 7 and 6 in every byte. */
enum wire_status
ggep_len_decode(const uint8_t *p, size_t n, size_t *len, size_t *used)
{
	size_t	 v = 0, i;
	uint8_t	 b;

	*len = 0;
	*used = 0;
	for (i = 0; i < 3; i++) {
		if (i >= n)
			return WIRE_SHORT;
		b = p[i];
		if ((b & 0xc0) == 0 || (b & 0xc0) == 0xc0)
			return WIRE_BADGGEP;
		v = v << 6 | (b & 0x3f);
		if (b & 0x40) {
			*len = v;
			*used = i + 1;
			return WIRE_OK;
		}
	}
	return WIRE_BADGGEP;
}

/* Start at a block's magic byte; WIRE_BADGGEP if it is not there. */
enum wire_status
ggep_iter_init(struct ggep_iter *it, const uint8_t *p, size_t len)
{
	it->p = p;
	it->len = len;
	it->off = 0;
	it->done = 0;
	if (len == 0)
		return WIRE_SHORT;
	if (p[0] != GGEP_MAGIC)
		return WIRE_BADGGEP;
	it->off = 1;
	return WIRE_OK;
}

/* Next extension; WIRE_END after the one flagged last. */
enum wire_status
ggep_next(struct ggep_iter *it, struct ggep_ext *e)
{
	struct ggep_ext		 x;
	enum wire_status	 st;
	const uint8_t		*p = it->p;
	size_t			 off = it->off, dlen, used, i;
	uint8_t			 flags;

	/* A failed step leaves the offset alone: calling again fails again. */
	if (it->done)
		return WIRE_END;
	if (off >= it->len)
		return WIRE_SHORT;
	flags = p[off++];
	if (flags == 0 || (flags & GGEP_F_RESERVED) ||
	    (flags & GGEP_F_IDLEN) == 0)
		return WIRE_BADGGEP;
	memset(&x, 0, sizeof x);
	x.flags = flags;
	x.idlen = flags & GGEP_F_IDLEN;
	if (it->len - off < x.idlen)
		return WIRE_SHORT;
	for (i = 0; i < x.idlen; i++) {
		if (p[off + i] == 0)
			return WIRE_BADGGEP;
		x.id[i] = (char)p[off + i];
	}
	off += x.idlen;
	if ((st = ggep_len_decode(p + off, it->len - off, &dlen, &used)) !=
	    WIRE_OK)
		return st;
	off += used;
	if (it->len - off < dlen)
		return WIRE_SHORT;
	x.data = p + off;
	x.len = dlen;
	it->off = off + dlen;
	if (flags & GGEP_F_LAST)
		it->done = 1;
	*e = x;
	return WIRE_OK;
}

/* Validate a whole block and set *blocklen to its length. */
enum wire_status
ggep_check(const uint8_t *p, size_t len, size_t *blocklen)
{
	struct ggep_iter	 it;
	struct ggep_ext		 e;
	enum wire_status	 st;

	*blocklen = 0;
	if ((st = ggep_iter_init(&it, p, len)) != WIRE_OK)
		return st;
	while ((st = ggep_next(&it, &e)) == WIRE_OK)
		continue;
	if (st != WIRE_END)
		return st;
	*blocklen = it.off;
	return WIRE_OK;
}

/* Bytes from the magic to the end of the last extension, or 0 if broken. */
size_t
ggep_block_len(const uint8_t *p, size_t len)
{
	size_t	 n;

	if (ggep_check(p, len, &n) != WIRE_OK)
		return 0;
	return n;
}

/* Find extension id in a block and the blocks packed after it. */
enum wire_status
ggep_find(const uint8_t *p, size_t len, const char *id, struct ggep_ext *e)
{
	struct ggep_iter	 it;
	struct ggep_ext		 x;
	enum wire_status	 st;
	size_t			 idlen, off = 0, blen;

	/*
	 * Only the first block's faults are reported: what follows it may be
	 * a later format that happens to start with 0xc3, so a broken
	 * follower just ends the search.
	 */
	idlen = strlen(id);
	if ((st = ggep_check(p, len, &blen)) != WIRE_OK)
		return st;
	if (idlen == 0 || idlen > GGEP_MAX_ID)
		return WIRE_END;
	for (;;) {
		(void)ggep_iter_init(&it, p + off, blen);
		while (ggep_next(&it, &x) == WIRE_OK) {
			if (x.idlen == idlen && memcmp(x.id, id, idlen) == 0) {
				*e = x;
				return WIRE_OK;
			}
		}
		off += blen;
		if (off >= len || p[off] != GGEP_MAGIC)
			return WIRE_END;
		if (ggep_check(p + off, len - off, &blen) != WIRE_OK)
			return WIRE_END;
	}
}

/*
 * Inflate a zlib-format value into out[limit], undoing COBS on the way in
 * through a small stack buffer if needed. Output stops at the limit: one
 * spare byte beyond it tells a value that fits exactly from a bomb.
 */
static enum wire_status
ggep_inflate(const struct ggep_ext *e, uint8_t *out, size_t limit,
    size_t *outlen)
{
	z_stream		 z;
	struct cobs_rd		 rd;
	enum wire_status	 st = WIRE_BADZLIB;
	uint8_t			 chunk[GGEP_COBS_CHUNK], spare;
	size_t			 n;
	int			 zr, cobs, eof = 0, over = 0;

	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK)
		return WIRE_BADZLIB;
	cobs = (e->flags & GGEP_F_COBS) != 0;
	if (cobs)
		cobs_rd_init(&rd, e->data, e->len);
	else {
		z.next_in = e->data;
		z.avail_in = (uInt)e->len;
		eof = 1;
	}
	z.next_out = out;
	z.avail_out = (uInt)limit;
	for (;;) {
		if (cobs && !eof && z.avail_in == 0) {
			if ((st = cobs_rd_read(&rd, chunk, sizeof chunk, &n)) !=
			    WIRE_OK)
				break;
			st = WIRE_BADZLIB;
			z.next_in = chunk;
			z.avail_in = (uInt)n;
			eof = n == 0;
		}
		if (z.avail_out == 0 && !over) {
			z.next_out = &spare;
			z.avail_out = 1;
			over = 1;
		}
		zr = inflate(&z, Z_NO_FLUSH);
		if (over && z.avail_out == 0) {
			st = WIRE_TOOBIG;
			break;
		}
		if (zr == Z_STREAM_END) {
			/* Bytes after the stream are ignored, as gtkg does. */
			*outlen = (size_t)z.total_out;
			st = WIRE_OK;
			break;
		}
		if (zr == Z_OK ||
		    (zr == Z_BUF_ERROR && !eof && z.avail_in == 0))
			continue;
		break;
	}
	inflateEnd(&z);
	return st;
}

/* Decoded value of an extension (COBS undone, inflated) into out[cap]. */
enum wire_status
ggep_value(const struct ggep_ext *e, uint8_t *out, size_t cap,
    size_t *outlen)
{
	enum wire_status	 st;

	*outlen = 0;
	if (e->len > GGEP_MAX_LEN)
		return WIRE_TOOBIG;
	if (e->flags & GGEP_F_DEFLATE)
		return ggep_inflate(e, out,
		    cap < GGEP_MAX_INFLATED ? cap : GGEP_MAX_INFLATED, outlen);
	if (e->flags & GGEP_F_COBS) {
		st = cobs_decode(e->data, e->len, out, cap, outlen);
		return st == WIRE_NOSPACE ? WIRE_TOOBIG : st;
	}
	if (e->len > cap)
		return WIRE_TOOBIG;
	if (e->len > 0)
		memcpy(out, e->data, e->len);
	*outlen = e->len;
	return WIRE_OK;
}

/* Start an empty block in buf[cap]; set nul_free afterwards if wanted. */
void
ggep_writer_init(struct ggep_writer *w, uint8_t *buf, size_t cap)
{
	memset(w, 0, sizeof *w);
	w->buf = buf;
	w->cap = cap;
}

static enum wire_status
ggep_fail(struct ggep_writer *w, enum wire_status st)
{
	w->failed = 1;
	return st;
}

/* Deflate n bytes into out[cap]; 0 unless the whole stream fits. */
static size_t
ggep_deflate(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	z_stream	 z;
	size_t		 len = 0;

	memset(&z, 0, sizeof z);
	if (deflateInit(&z, Z_BEST_COMPRESSION) != Z_OK)
		return 0;
	z.next_in = in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) == Z_STREAM_END)
		len = (size_t)z.total_out;
	deflateEnd(&z);
	return len;
}

/* Append an extension; any failure is sticky and voids the block. */
enum wire_status
ggep_add(struct ggep_writer *w, const char *id, const void *data,
    size_t len, uint8_t flags)
{
	const uint8_t	*src = data;
	uint8_t		*buf = w->buf, lenbuf[3];
	size_t		 idlen, start, hdr, room, vlen = len, elen, lenlen;
	size_t		 dpos;
	int		 deflated = 0, cobs;

	/*
	 * A deflated value is first written just past the longest possible
	 * header. If it then needs COBS it is moved to the end of the buffer
	 * and encoded forward into place, which cobs_encode allows; the
	 * length field can only be written once the final size is known.
	 */
	if (w->failed)
		return WIRE_NOSPACE;
	idlen = id != NULL ? strlen(id) : 0;
	if (idlen == 0 || idlen > GGEP_MAX_ID)
		return ggep_fail(w, WIRE_BADGGEP);
	start = w->count == 0 ? 1 : w->len;
	hdr = start + 1 + idlen;
	if (hdr >= w->cap)
		return ggep_fail(w, WIRE_NOSPACE);

	if ((flags & GGEP_F_DEFLATE) && len > 1 && len <= GGEP_MAX_INFLATED &&
	    hdr + 3 < w->cap) {
		room = w->cap - (hdr + 3);
		if (room > len - 1)
			room = len - 1;	/* keep it only if it is shorter */
		if ((vlen = ggep_deflate(src, len, buf + hdr + 3, room)) > 0) {
			deflated = 1;
			src = buf + hdr + 3;
		} else
			vlen = len;
	}

	cobs = (flags & GGEP_F_COBS) ||
	    (w->nul_free && vlen > 0 && memchr(src, 0, vlen) != NULL);
	elen = cobs ? cobs_len(src, vlen) : vlen;
	if (elen > GGEP_MAX_LEN)
		return ggep_fail(w, WIRE_TOOBIG);
	lenlen = ggep_len_encode(elen, lenbuf, sizeof lenbuf);
	dpos = hdr + lenlen;
	if (dpos > w->cap || elen > w->cap - dpos)
		return ggep_fail(w, WIRE_NOSPACE);

	if (deflated && cobs) {
		memmove(buf + w->cap - vlen, src, vlen);
		(void)cobs_encode(buf + w->cap - vlen, vlen, buf + dpos,
		    w->cap - dpos);
	} else if (deflated)
		memmove(buf + dpos, src, vlen);
	else if (cobs)
		(void)cobs_encode(src, vlen, buf + dpos, w->cap - dpos);
	else if (vlen > 0)
		memcpy(buf + dpos, src, vlen);

	if (w->count == 0)
		buf[0] = GGEP_MAGIC;
	else
		buf[w->last] &= ~GGEP_F_LAST;
	buf[start] = (uint8_t)idlen | (cobs ? GGEP_F_COBS : 0) |
	    (deflated ? GGEP_F_DEFLATE : 0);
	memcpy(buf + start + 1, id, idlen);
	memcpy(buf + hdr, lenbuf, lenlen);
	w->last = start;
	w->len = dpos + elen;
	w->count++;
	return WIRE_OK;
}

/* Set the last flag; returns the block length, or 0 if empty or failed. */
size_t
ggep_finish(struct ggep_writer *w)
{
	if (w->failed || w->count == 0)
		return 0;
	w->buf[w->last] |= GGEP_F_LAST;
	return w->len;
}
