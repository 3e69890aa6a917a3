/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_dl.c: libFuzzer target for a download's state as it is read back
 * from the database and as sources describe what they have. The input:
 *   8 bytes	the file size (little-endian)
 *   1 byte	flags: 1 a Tiger root (the first tree node), 2 the chunk size
 *		saved is not this download's, 4 offer the tree
 *   2 bytes	n, then n bytes of saved chunk states (dl_import_chunks)
 *   2 bytes	m, then m bytes: "state name\0X-Available-Ranges value"
 *   the rest	THEX tree nodes, 24 bytes each (dl_set_tree)
 * Saved states that import must export again unchanged; a wrong chunk size
 * never imports; then a source with those ranges is picked from (bounded)
 * as the download side would, and the progress must add up.
 */
#include <stdlib.h>
#include <string.h>

#include "share/tt.h"
#include "wire/http.h"
#include "xfer/dl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NAV	64

static uint16_t
fz_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t		 again[DL_CHUNKS_MAX / 4 + 16];
	static const uint8_t	 sha1[20];
	uint64_t		 av[NAV][2], fsize = 0, chunk, off, len;
	struct dl_progress	 pr;
	struct dl		*dl;
	const uint8_t		*state, *text, *nodes;
	char			*s, *ranges;
	size_t			 n, m, i, src, nnodes;
	uint32_t		 c;
	long			 k;
	uint8_t			 flags;
	int			 r, st, slot;

	if (size < 11)
		return 0;
	for (i = 0; i < 8; i++)
		fsize |= (uint64_t)data[i] << (8 * i);
	flags = data[8];
	n = fz_u16(data + 9);
	if (size - 11 < n + 2)
		return 0;
	state = data + 11;
	m = fz_u16(state + n);
	text = state + n + 2;
	if ((size_t)(data + size - text) < m)
		return 0;
	nodes = text + m;
	nnodes = (size_t)(data + size - nodes) / TT_HASH_LEN;

	dl = dl_new(1, sha1, "fuzz.bin", fsize,
	    (flags & 1) && nnodes > 0 ? nodes : NULL);
	if (dl == NULL)
		abort();
	chunk = dl_chunk_size(fsize);
	if (flags & 2)
		chunk *= 2;
	r = dl_import_chunks(dl, chunk, state, n);
	if (r == 0) {
		if (flags & 2)
			abort();
		if (dl_export_len(dl) != n ||
		    dl_export_chunks(dl, again, sizeof again) != (long)n ||
		    memcmp(again, state, n) != 0)
			abort();
	} else if (r != -1)
		abort();
	if (flags & 4)
		(void)dl_set_tree(dl, nodes, nnodes);

	/* The text as the database and a 206 answer's header give it. */
	if ((s = malloc(m + 2)) == NULL)
		abort();
	memcpy(s, text, m);
	s[m] = s[m + 1] = '\0';
	ranges = s + strlen(s) + 1;
	if ((st = dl_state_parse(s)) >= 0) {
		if (strcmp(dl_state_name((enum dl_state)st), s) != 0)
			abort();
		dl_restore_state(dl, (enum dl_state)st);
	}
	if ((slot = dl_add_source(dl, 0x7f000003u, 6346, 1)) < 0)
		abort();
	k = ranges < s + m ? http_parse_avail(ranges, fsize, av, NAV) : -1;
	if (k > NAV)
		abort();
	if (k > 0)
		dl_source_ranges(dl, (size_t)slot, (const uint64_t (*)[2])av,
		    (size_t)k);
	/* Fetch as the download side would: what is picked is in the file,
	 * and the source has its first byte. */
	for (i = 0; i < 8 && dl_pick(dl, 1000 * (i + 1), &src, &c, &off,
	    &len) == 1; i++) {
		if (off > fsize || len > fsize - off ||
		    !dl_source_has(dl, src, c))
			abort();
		(void)dl_extend(dl, src, 4);
		if (dl_chunk_fill(dl, c, len) != 0 ||
		    dl_chunk_written(dl, c) != 0)
			abort();
	}
	dl_progress(dl, &pr);
	if (pr.missing + pr.active + pr.written + pr.done != pr.chunks ||
	    pr.bytes > pr.size || pr.verified > pr.bytes || pr.percent > 100)
		abort();
	(void)dl_complete(dl);
	free(s);
	dl_free(dl);
	return 0;
}
