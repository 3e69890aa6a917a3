/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * xmalloc.h: allocation that cannot fail: out of memory is fatal.
 */
#ifndef GNODE_XMALLOC_H
#define GNODE_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xcalloc_aligned(size_t align, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
