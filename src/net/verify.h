/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * verify.h: the hashing a download needs, done on threads of their own
 * so that the event loop goes on receiving the next chunk (on the
 * machine's other core) while the last ones are checked. A job reads a
 * span of a partial file back and gives its Tiger tree root, or reads the
 * whole file and gives its SHA-1; the answer comes back on the loop,
 * through the callback, as jobs finish (not always in the order they
 * were posted). The threads start with the first job, so a node that
 * never downloads never has them.
 */
#ifndef GNODE_VERIFY_H
#define GNODE_VERIFY_H

#include <stddef.h>
#include <stdint.h>

struct ev_loop;
struct verifier;

/*
 * A file the verifier reads: a descriptor shared by its owner and the
 * jobs on it, closed when the last of them lets go, so that closing a
 * download never pulls the file from under a job, and a thousand jobs
 * cost one descriptor.
 */
struct vfile;
/* Take fd (it is the vfile's from now on). */
struct vfile	*vfile_new(int fd);
int		 vfile_fd(const struct vfile *);
/* Let go; the last one closes the descriptor. NULL is allowed. */
void		 vfile_release(struct vfile *);

enum vjob_kind {
	VJOB_TIGER,		/* Tiger tree root of [off, off + len) */
	VJOB_SHA1		/* SHA-1 of the file from its start */
};

struct vjob {
	enum vjob_kind	 kind;
	uint32_t	 dl_id;		/* the caller's, given back */
	uint32_t	 gen;		/* the caller's, given back */
	uint32_t	 chunk;
	uint64_t	 off, len;
	int		 ok;		/* the bytes could be read */
	uint8_t		 hash[24];	/* the root, or the SHA-1 (20) */
	/* the verifier's own */
	struct vfile	*file;
	struct vjob	*next;
};

typedef void	(*verifier_done_fn)(void *arg, const struct vjob *);

/* A verifier answering on loop through done. Never fails: the thread is
 * started by the first verifier_post. */
struct verifier	*verifier_new(struct ev_loop *, verifier_done_fn, void *arg);
/* Stop the threads (after the jobs they are on), drop the jobs not done. */
void		 verifier_free(struct verifier *);
/* Queue a job like req (kind, dl_id, gen, chunk, off, len) on file,
 * which it holds until it is done. 0, or -1 with errno (no thread). */
int		 verifier_post(struct verifier *, struct vfile *,
		     const struct vjob *req);
/* Jobs posted and not yet answered. */
size_t		 verifier_pending(const struct verifier *);

#endif
