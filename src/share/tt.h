/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tt.h: Tiger trees as THEX defines them, level by level, so a download can
 * check each chunk against a node and an upload can serve the top of the
 * tree. Leaves are 1024-byte blocks (one empty leaf for an empty file),
 * leaf = Tiger(0x00 || block), node = Tiger(0x01 || left || right), and a
 * node left without a partner at the end of a level is promoted unchanged.
 *
 * Depth counts down from the root (depth 0); the height of a file's tree is
 * the depth of its leaves. A node at depth d covers tt_block_at(size, d)
 * bytes starting at a multiple of that size (the last node of a level may
 * cover less), and its hash is exactly tt_root_buf() of those bytes: a
 * chunk that covers whole nodes can be checked without the rest of the file.
 */
#ifndef GNODE_TT_H
#define GNODE_TT_H

#include <stddef.h>
#include <stdint.h>

#define TT_HASH_LEN	24
#define TT_BLOCK	1024		/* bytes per leaf */
#define TT_MAX_GOOD	11		/* deepest tree tt_good_depth asks for */

/* Depth of the leaves of a file of this size: 0 up to 1024 bytes. */
unsigned	 tt_height(uint64_t size);
/* Nodes at a depth (the leaf count at and below the height). */
uint64_t	 tt_leaves_at(uint64_t size, unsigned depth);
/* Bytes each node at a depth covers: TT_BLOCK << (height - depth). */
uint64_t	 tt_block_at(uint64_t size, unsigned depth);
/* Nodes in the levels from the root down to depth (clamped to the
 * height): the length of a breadth-first tree, in nodes. */
uint64_t	 tt_nodes_to(uint64_t size, unsigned depth);
/*
 * The depth gtk-gnutella serves and expects: 0 below 256 KiB, one more per
 * doubling (1 below 512 KiB, ..., 8 below 64 MiB), 9 below 256 MiB, 10
 * below 1 GiB, 11 above.
 */
unsigned	 tt_good_depth(uint64_t size);

/* The Tiger tree root of a buffer. */
void		 tt_root_buf(const void *, size_t, uint8_t root[TT_HASH_LEN]);
/*
 * The tree of the first size bytes of fd (read with pread from offset 0,
 * the descriptor's offset is left alone), breadth-first from the root down
 * to depth, or to the leaves if depth is larger than the height: the
 * nodes as THEX serialises them. *nodes is malloc'd for the caller, who
 * frees it; *nnodes is tt_nodes_to(size, depth). Returns the depth
 * computed (min(depth, height)), or -1 with errno (EIO if the file is
 * shorter than size).
 */
int		 tt_file_levels(int fd, uint64_t size, unsigned depth,
		     uint8_t **nodes, size_t *nnodes);
/*
 * Check a breadth-first tree received for a file of this size: its first
 * node must be root, and every node of each complete level must be made of
 * its children in the next (hashed as a pair, or promoted). Nodes after the
 * last complete level are ignored. Returns the deepest complete level, whose
 * nodes can check data, or -1 if the tree is empty or wrong.
 */
int		 tt_check_tree(const uint8_t *nodes, size_t nnodes,
		     uint64_t size, const uint8_t root[TT_HASH_LEN]);

#endif
