/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * dl_impl.h: what dl.c and dl_src.c share and nobody else may call.
 */
#ifndef GNODE_DL_IMPL_H
#define GNODE_DL_IMPL_H

#include <stddef.h>

struct dl;
struct dl_source;

/* Free a busy source of its run (missing again, fills kept); it becomes
 * usable. */
void	 dl_src_release(struct dl *, size_t src);
/* Whether a is a better source than b (see dl_pick). */
int	 dl_src_better(const struct dl_source *a, const struct dl_source *b);

#endif
