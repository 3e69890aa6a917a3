/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * near.h: the edit distance between two names (near.c).
 */
#ifndef GNODE_CONF_NEAR_H
#define GNODE_CONF_NEAR_H

#include <stddef.h>

#define CONF_NEAR_MAX	3	/* edits a hint may be away, at most */
#define CONF_NAME_MAX	64	/* longer names are near nothing */

/* Edits (insert, delete, change a character) from a to b; past
 * CONF_NAME_MAX characters, CONF_NEAR_MAX + 1. */
size_t	conf_distance(const char *a, const char *b);

#endif
