/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_tt.c: libFuzzer target for the Tiger-tree check a download makes of
 * the tree a source sent. The first byte picks how the rest is read:
 *   odd	8 bytes of file size (little-endian), then nodes of 24 bytes;
 *		the first node is the root we expect: any nodes at all, as a
 *		hostile source sends them, must give -1 or a level that exists;
 *   even	the rest is a file's bytes: its real tree (to a depth from the
 *		second byte) must check to its full depth, and the same tree
 *		with one byte changed (where the third and fourth bytes say)
 *		must give -1.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "share/tt.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fz_any(const uint8_t *p, size_t len)
{
	uint64_t	 size = 0;
	size_t		 i, nnodes;
	int		 d;

	if (len < 8 + TT_HASH_LEN)
		return;
	for (i = 0; i < 8; i++)
		size |= (uint64_t)p[i] << (8 * i);
	p += 8;
	len -= 8;
	nnodes = len / TT_HASH_LEN;
	d = tt_check_tree(p, nnodes, size, p);
	if (d < -1 || (d >= 0 && ((unsigned)d > tt_height(size) ||
	    tt_nodes_to(size, (unsigned)d) > nnodes)))
		abort();
}

static void
fz_real(const uint8_t *p, size_t len)
{
	static int	 fd = -1;
	uint8_t		*nodes, root[TT_HASH_LEN];
	size_t		 nnodes, k;
	unsigned	 depth;
	int		 d;

	if (len < 3)
		return;
	depth = p[0] % 12;
	k = (size_t)p[1] << 8 | p[2];
	p += 3;
	len -= 3;
	if (fd == -1 && (fd = memfd_create("fuzz_tt", 0)) == -1)
		abort();
	if (ftruncate(fd, 0) != 0 || pwrite(fd, p, len, 0) != (ssize_t)len)
		abort();
	if ((d = tt_file_levels(fd, len, depth, &nodes, &nnodes)) < 0)
		abort();
	if ((tt_check_tree(nodes, nnodes, len, nodes)) != d)
		abort();
	/* One node changed, the root expected kept: the tree is wrong. */
	memcpy(root, nodes, TT_HASH_LEN);
	k %= nnodes * TT_HASH_LEN;
	nodes[k] ^= 0x5a;
	if (tt_check_tree(nodes, nnodes, len, root) != -1)
		abort();
	free(nodes);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		fz_any(data + 1, size - 1);
	else
		fz_real(data + 1, size - 1);
	return 0;
}
