/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_thex.c: libFuzzer target for the THEX DIME decoder. Whatever decodes
 * must point inside the input; it is encoded again and decoded again, and
 * the second decode must give the same size, depth, nodes and uri. The
 * nodes go on to the Tiger-tree check, as a download hands them on.
 */
#include <stdlib.h>
#include <string.h>

#include "share/tt.h"
#include "wire/thex.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Decode, check, encode and decode again. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t		 out[(4 << 20) + 4096];	/* a 4 MiB body, again */
	static char		 uri[THEX_URI_MAX + 1];
	struct thex		 t, again;
	const char		*u = NULL;
	size_t			 n, len;
	int			 d;

	if (thex_decode(data, size, &t) != WIRE_OK)
		return 0;
	if (t.nnodes == 0 || t.nodes < data ||
	    t.nnodes > (size - (size_t)(t.nodes - data)) / THEX_NODE_LEN ||
	    t.depth > THEX_MAX_DEPTH)
		abort();
	if (t.urilen > 0 && ((const uint8_t *)t.uri < data ||
	    t.urilen > size - (size_t)((const uint8_t *)t.uri - data)))
		abort();
	d = tt_check_tree(t.nodes, t.nnodes, t.filesize, t.nodes);
	if (d < -1 || (d >= 0 && ((unsigned)d > tt_height(t.filesize) ||
	    tt_nodes_to(t.filesize, (unsigned)d) > t.nnodes)))
		abort();

	/* The uri goes back only if the encoder can write it. */
	if (t.urilen > 0 && t.urilen <= THEX_URI_MAX) {
		memcpy(uri, t.uri, t.urilen);
		uri[t.urilen] = '\0';
		if (strlen(uri) == t.urilen)
			u = uri;
	}
	len = thex_size(t.filesize, t.depth, t.nnodes, u);
	if (len == 0 && u != NULL)
		len = thex_size(t.filesize, t.depth, t.nnodes, u = NULL);
	if (len == 0 || len > sizeof out)
		return 0;
	n = thex_encode(t.filesize, t.depth, t.nodes, t.nnodes, u, out, len);
	if (n != len)
		abort();
	if (thex_decode(out, n, &again) != WIRE_OK)
		abort();
	if (again.filesize != t.filesize || again.depth != t.depth ||
	    again.nnodes != t.nnodes ||
	    memcmp(again.nodes, t.nodes, t.nnodes * THEX_NODE_LEN) != 0)
		abort();
	if (u != NULL && (again.urilen != t.urilen ||
	    memcmp(again.uri, u, t.urilen) != 0))
		abort();
	return 0;
}
