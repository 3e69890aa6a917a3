/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * thex.h: the THEX reply to /uri-res/N2X: a DIME message of two records.
 * The first, of media type "text/xml", is the <hashtree> description (file
 * size, 1024-byte segments, 24-byte Tiger digests, and the serialised
 * tree's depth, type and uri); the second, whose type is the absolute URI
 * THEX_TREE_TYPE and whose id is that uri, holds the tree breadth-first
 * from the root, 24 bytes per node.
 *
 * DIME records: a 12-byte header (version 1 in the top five bits of the
 * first byte, then the flags MB (first record), ME (last) and CF (chunked);
 * the type format in the top four bits of the second; big-endian lengths of
 * options (16 bits), id (16), type (16) and data (32)), then options, id,
 * type and data, each padded with zero bytes to a multiple of four.
 */
#ifndef GNODE_THEX_H
#define GNODE_THEX_H

#include "wire/wire.h"

#define THEX_NODE_LEN	24
#define THEX_SEGMENT	1024
#define THEX_MAX_DEPTH	63		/* a 64-bit file size needs 54 */
#define THEX_URI_MAX	255		/* longest uri we write */
#define THEX_UUID_LEN	41		/* "uuid:" and 36 characters */
#define THEX_TREE_TYPE	"http://open-content.net/spec/thex/breadthfirst"
#define THEX_DIGEST	"http://open-content.net/spec/digest/tiger"

/* A decoded THEX message; pointers are into the caller's input. */
struct thex {
	uint64_t	 filesize;
	unsigned	 depth;		/* serializedtree depth, as sent */
	const uint8_t	*nodes;		/* the tree record's data */
	size_t		 nnodes;	/* whole THEX_NODE_LEN nodes */
	const char	*uri;		/* the tree's uri (not NUL-ended) */
	size_t		 urilen;	/* 0 if the XML had none */
};

/*
 * "uuid:" and a UUID made of the first 16 bytes of a tree root, a stable
 * name for the tree: NUL-terminated into out (THEX_UUID_LEN + 1 bytes at
 * least). Returns THEX_UUID_LEN, or 0 if out is too small.
 */
size_t		 thex_uuid(const uint8_t root[THEX_NODE_LEN], char *, size_t);
/*
 * The exact length thex_encode writes for these arguments, or 0 if they
 * cannot be encoded: a uri over THEX_URI_MAX bytes or holding a byte that
 * is not printable ASCII or is one of " & < >, or a tree over 4 GiB.
 * uri may be NULL: the tree record then has no id.
 */
size_t		 thex_size(uint64_t filesize, unsigned depth, size_t nnodes,
		     const char *uri);
/* Write the DIME message for a tree; its length, or 0 if it does not fit
 * in cap or cannot be encoded (see thex_size). */
size_t		 thex_encode(uint64_t filesize, unsigned depth,
		     const uint8_t *nodes, size_t nnodes, const char *uri,
		     uint8_t *, size_t cap);
/*
 * Decode a whole DIME message: WIRE_SHORT if it ends before the record
 * flagged ME does (bytes after that record are ignored); WIRE_MALFORMED
 * for a DIME version other than 1, a reserved type format, misplaced MB,
 * chunked records, non-zero padding, no XML or tree record, an XML record
 * without a file size or a tree depth or with another segment size, digest
 * or tree type, or a tree that is empty or not whole nodes. The tree
 * record is the one of type THEX_TREE_TYPE whose id is the XML's uri, or
 * the first of that type. Whether the nodes fit the size and depth is for
 * the caller (tt_check_tree).
 */
enum wire_status thex_decode(const uint8_t *, size_t, struct thex *);

#endif
