/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * credit.h: what other hosts gave us, for giving back ([xfer] reward).
 * A host is known by its address. It earns credit two ways: the bytes it
 * uploaded to us that passed their check (decaying by half every
 * CREDIT_HALF_LIFE_S, so that old gifts fade), and the files it says it
 * shares (its pongs, its hits). The credit is a head start in our upload
 * queue: a requester is placed as if it had asked that many seconds
 * earlier, so a sharer goes ahead of a free rider who came at the same
 * time, and a free rider who has waited longer than the largest head
 * start goes ahead of anyone new: served later, never starved. Pure data,
 * bounded (CREDIT_MAX hosts, the least recently heard of out first).
 */
#ifndef GNODE_CREDIT_H
#define GNODE_CREDIT_H

#include <stddef.h>
#include <stdint.h>

#include "share/share.h"

#define CREDIT_MAX		1024
#define CREDIT_HALF_LIFE_S	(7 * 24 * 3600)
#define CREDIT_SHARE_S		60	/* head start for sharing files */
#define CREDIT_GAVE_S		120	/* and for having given us 1 MiB */
#define CREDIT_GAVE_MAX_S	240	/* at most, for having given more */

/* An entry is a struct share_credit (share/share.h): the form the
 * database keeps, bytes decayed to at (ms, wall clock). */
struct credits;

struct credits	*credits_new(void);
void		 credits_free(struct credits *);
/* ip uploaded bytes to us that checked out, at now (ms, wall clock). */
void		 credit_gave(struct credits *, uint32_t ip, uint64_t bytes,
		     uint64_t now);
/* ip says it shares files. */
void		 credit_shares(struct credits *, uint32_t ip, uint32_t files,
		     uint64_t now);
/* What we know of ip at now (bytes decayed), or 0 if nothing. */
int		 credit_get(struct credits *, uint32_t ip, uint64_t now,
		     struct share_credit *);
/* Its head start in the upload queue, seconds: 0 for a free rider,
 * CREDIT_SHARE_S for a sharer, plus CREDIT_GAVE_S for 1 MiB given,
 * growing with the log of what it gave up to CREDIT_GAVE_MAX_S. */
unsigned	 credit_head_start(struct credits *, uint32_t ip, uint64_t now);
/* Entries saved earlier, each as it was at its at (bytes decay from
 * there); a host already known keeps what it has. */
void		 credits_import(struct credits *, const struct share_credit *,
		     size_t n);
/* Every entry, for saving: up to max into out, each decayed to now (its
 * at); how many. */
size_t		 credits_export(struct credits *, uint64_t now,
		     struct share_credit *out, size_t max);

#endif
