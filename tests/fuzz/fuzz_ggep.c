/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_ggep.c: libFuzzer target for the GGEP reader, COBS and the writer.
 * Parses the input as a block and decodes every value into a 64 KiB buffer;
 * checks that COBS round-trips the raw input, that any input which decodes
 * as COBS re-encodes to something decoding the same, and that a value put
 * through the writer (flags from the first byte) comes back unchanged.
 *   clang -g -fsanitize=fuzzer,address,undefined -Isrc tests/fuzz/fuzz_ggep.c \
 *       src/wire/ggep.c src/wire/wire.c -lz -o fuzz_ggep
 */
#include <stdlib.h>
#include <string.h>

#include "wire/ggep.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t	value[65536];

static void
fuzz_parse(const uint8_t *data, size_t size)
{
	struct ggep_iter	 it;
	struct ggep_ext		 e;
	size_t			 blen, n;
	enum wire_status	 st;

	st = ggep_check(data, size, &blen);
	if (st == WIRE_OK && (blen == 0 || blen > size))
		abort();
	if ((st == WIRE_OK) != (ggep_block_len(data, size) != 0))
		abort();
	if (ggep_iter_init(&it, data, size) == WIRE_OK) {
		while (ggep_next(&it, &e) == WIRE_OK) {
			if (e.data < data || e.len > size ||
			    e.data + e.len > data + size)
				abort();
			if (ggep_value(&e, value, sizeof value, &n) ==
			    WIRE_OK && n > sizeof value)
				abort();
		}
	}
	(void)ggep_find(data, size, "VC", &e);
}

static void
fuzz_cobs(const uint8_t *data, size_t size)
{
	uint8_t		*enc, *dec, *re;
	size_t		 cap = size + size / 254 + 1, en, dn, rn, i;

	enc = malloc(cap);
	dec = malloc(size + 1);
	if (enc == NULL || dec == NULL)
		abort();
	en = cobs_encode(data, size, enc, cap);
	if (en == 0)
		abort();
	for (i = 0; i < en; i++)
		if (enc[i] == 0)
			abort();
	if (cobs_decode(enc, en, dec, size, &dn) != WIRE_OK || dn != size ||
	    memcmp(dec, data, size) != 0)
		abort();

	/* the input as COBS: decoding never grows, and it re-encodes */
	if (cobs_decode(data, size, dec, size, &dn) == WIRE_OK) {
		if (dn > size)
			abort();
		re = malloc(dn + dn / 254 + 1);
		if (re == NULL)
			abort();
		rn = cobs_encode(dec, dn, re, dn + dn / 254 + 1);
		if (rn == 0 || cobs_decode(re, rn, enc, size, &en) !=
		    WIRE_OK || en != dn || memcmp(enc, dec, dn) != 0)
			abort();
		free(re);
	}
	free(enc);
	free(dec);
}

static void
fuzz_writer(const uint8_t *data, size_t size)
{
	struct ggep_writer	 w;
	struct ggep_ext		 e;
	uint8_t			*blk, flags;
	size_t			 cap, n, vlen;

	if (size < 1 || size - 1 > sizeof value)
		return;
	flags = data[0] & (GGEP_F_COBS | GGEP_F_DEFLATE);
	cap = size + size / 254 + 32;
	if ((blk = malloc(cap)) == NULL)
		abort();
	ggep_writer_init(&w, blk, cap);
	w.nul_free = data[0] & 1;
	if (ggep_add(&w, "FZ", data + 1, size - 1, flags) != WIRE_OK)
		abort();
	n = ggep_finish(&w);
	if (n == 0 || ggep_find(blk, n, "FZ", &e) != WIRE_OK)
		abort();
	if (w.nul_free && memchr(blk, 0, n) != NULL)
		abort();
	if (ggep_value(&e, value, sizeof value, &vlen) != WIRE_OK ||
	    vlen != size - 1 || memcmp(value, data + 1, vlen) != 0)
		abort();
	free(blk);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(data, size);
	fuzz_cobs(data, size);
	fuzz_writer(data, size);
	return 0;
}
