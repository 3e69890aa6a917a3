/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * hash.h: a file's SHA-1 (its urn:sha1) and Tiger tree root (THEX: Tiger
 * over 1024-byte leaves, 0x00-prefixed leaves, 0x01-prefixed nodes, an odd
 * node promoted), computed in one pass over the file.
 */
#ifndef GNODE_HASH_H
#define GNODE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_SHA1_LEN	20
#define HASH_TTH_LEN	24

struct hash_result {
	uint8_t		 sha1[HASH_SHA1_LEN];
	uint8_t		 tth[HASH_TTH_LEN];
	uint64_t	 bytes;		/* how many were read */
};

/* Must run once before any hashing (librhash's tables). */
void	 hash_init(void);
/*
 * Hash an open file from its current offset to its end: SHA-1 and Tiger
 * tree root together. If progress is not NULL, bytes read are added to it
 * as they are read (so another thread can show MB/s). 0, or -1 with errno.
 */
int	 hash_fd(int fd, struct hash_result *, volatile uint64_t *progress);
/* SHA-1 only, for the benchmark against sha1sum. 0 or -1 with errno. */
int	 hash_fd_sha1(int fd, uint8_t sha1[HASH_SHA1_LEN]);
/* Both hashes of a buffer. */
void	 hash_buf(const void *, size_t, struct hash_result *);

#endif
