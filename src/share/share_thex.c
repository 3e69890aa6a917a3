/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * share_thex.c: THEX trees saved in the "thex" table, one per file, so an
 * upload reads a file for its tree once. A row goes with its file (ON
 * DELETE CASCADE); a file hashed again keeps its id, so a row is only
 * trusted while its first node is still the file's Tiger root and its
 * length fits the file's size and the depth.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"
#include "share/share_impl.h"
#include "share/tt.h"

/* The saved tree of a file, if it still matches the file. */
int
share_thex_get(struct share *sh, int64_t id, unsigned *depth,
    uint8_t **nodes, size_t *nnodes)
{
	sqlite3_stmt	*st;
	const void	*blob, *tth;
	sqlite3_int64	 d;
	uint64_t	 size;
	size_t		 len;
	int		 rc, found = 0;

	if ((st = share_stmt(sh, ST_THEX_GET)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		d = sqlite3_column_int64(st, 0);
		blob = sqlite3_column_blob(st, 1);
		len = (size_t)sqlite3_column_bytes(st, 1);
		size = (uint64_t)sqlite3_column_int64(st, 2);
		tth = sqlite3_column_blob(st, 3);
		if (blob != NULL && tth != NULL &&
		    sqlite3_column_bytes(st, 3) == TT_HASH_LEN &&
		    d >= 0 && d <= (sqlite3_int64)tt_height(size) &&
		    len % TT_HASH_LEN == 0 &&
		    len / TT_HASH_LEN == tt_nodes_to(size, (unsigned)d) &&
		    memcmp(blob, tth, TT_HASH_LEN) == 0) {
			*depth = (unsigned)d;
			*nodes = xmalloc(len);
			memcpy(*nodes, blob, len);
			*nnodes = len / TT_HASH_LEN;
			found = 1;
		}
	} else if (rc != SQLITE_DONE) {
		share_sqlerr(sh, "reading a THEX tree");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return found;
}

/* Save the tree of a file, replacing any earlier one. */
int
share_thex_put(struct share *sh, int64_t id, unsigned depth,
    const uint8_t *nodes, size_t nnodes)
{
	sqlite3_stmt	*st;

	if (nnodes == 0 || nnodes > INT32_MAX / TT_HASH_LEN)
		return -1;
	if ((st = share_stmt(sh, ST_THEX_PUT)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, depth);
	sqlite3_bind_blob(st, 3, nodes, (int)(nnodes * TT_HASH_LEN),
	    SQLITE_STATIC);
	return share_done(sh, st);
}
