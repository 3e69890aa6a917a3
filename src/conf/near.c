/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * near.c: how far a mistyped name is from a known one (Levenshtein
 * distance), for the config's "did you mean" hints. Pure: no I/O.
 */
#include <string.h>

#include "conf/near.h"

/* Edits from a to b (see near.h). */
size_t
conf_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, row[CONF_NAME_MAX + 1];
	size_t	 diag, up;

	if (la > CONF_NAME_MAX || lb > CONF_NAME_MAX)
		return CONF_NEAR_MAX + 1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
		}
	}
	return row[lb];
}
