/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * share_dirs.c: the directories shared from the command line, saved in
 * the "share_dirs" table so that `gnode --share DIR` once is enough: a
 * later scan (a plain `share rescan`, a restart without the flag) walks
 * them with the config file's until `share forget DIR` drops one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/xmalloc.h"
#include "share/share_impl.h"

int
share_dirs_add(struct share *sh, const char *path, int64_t now)
{
	sqlite3_stmt	*st;

	if ((st = share_stmt(sh, ST_DIRS_ADD)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	if (share_done(sh, st) != 0)
		return -1;
	return sqlite3_changes(sh->db) > 0;
}

int
share_dirs_forget(struct share *sh, const char *path)
{
	sqlite3_stmt	*st;

	if ((st = share_stmt(sh, ST_DIRS_DEL)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	if (share_done(sh, st) != 0)
		return -1;
	return sqlite3_changes(sh->db) > 0;
}

void
share_dirs_free(char **v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

long
share_dirs_list(struct share *sh, char ***out)
{
	sqlite3_stmt	*st;
	const char	*p;
	char		**v = NULL;
	size_t		 n = 0, cap = 0;
	int		 rc;

	*out = NULL;
	if ((st = share_stmt(sh, ST_DIRS_LIST)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((p = (const char *)sqlite3_column_text(st, 0)) == NULL ||
		    p[0] != '/')
			continue;	/* not a row --share saved */
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[n++] = xstrdup(p);
	}
	if (rc != SQLITE_DONE) {
		share_sqlerr(sh, "reading the saved share directories");
		sqlite3_reset(st);
		share_dirs_free(v, n);
		return -1;
	}
	sqlite3_reset(st);
	*out = v;
	return (long)n;
}

static int
share_dirs_has(char *const *v, size_t n, const char *path)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], path) == 0)
			return 1;
	return 0;
}

int
share_dirs_scan(struct share *sh, char *const *dirs, size_t n,
    size_t nsaved, char ***out, size_t *nout)
{
	char		**saved, **v;
	long		 ns;
	size_t		 i, k = 0;

	*out = NULL;
	*nout = 0;
	if (nsaved > n)
		nsaved = n;
	for (i = n - nsaved; i < n; i++)
		if (share_dirs_add(sh, dirs[i], (int64_t)time(NULL)) < 0)
			return -1;
	if ((ns = share_dirs_list(sh, &saved)) < 0)
		return -1;
	v = xcalloc(n + (size_t)ns + 1, sizeof *v);
	for (i = 0; i < n; i++)
		if (!share_dirs_has(v, k, dirs[i]))
			v[k++] = xstrdup(dirs[i]);
	for (i = 0; i < (size_t)ns; i++)
		if (!share_dirs_has(v, k, saved[i]))
			v[k++] = xstrdup(saved[i]);
	share_dirs_free(saved, (size_t)ns);
	*out = v;
	*nout = k;
	return 0;
}
