/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_dirs.c: the share directories --share saves: what a scan walks is
 * the config's and the saved ones, each once, the config's first; the
 * flag's are saved and stay when the flag is gone, across a close and
 * open of the file; forget drops one (and says when there was none).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "share/share.h"

TCase	*tc_dirs(void);

static struct share *
dirs_open(const char *path)
{
	struct share	*sh;
	char		*cause = NULL;

	sh = share_open(path, &cause);
	ck_assert_msg(sh != NULL, "%s", cause != NULL ? cause : "");
	return sh;
}

/* The scan's list, joined with spaces. */
static char *
dirs_scan(struct share *sh, char *const *dirs, size_t n, size_t nsaved)
{
	static char	 buf[512];
	char		**v;
	size_t		 nv, i;

	ck_assert_int_eq(share_dirs_scan(sh, dirs, n, nsaved, &v, &nv), 0);
	buf[0] = '\0';
	for (i = 0; i < nv; i++) {
		if (i > 0)
			strcat(buf, " ");
		strcat(buf, v[i]);
	}
	share_dirs_free(v, nv);
	return buf;
}

START_TEST(dirs_saved_and_forgotten)
{
	char		 dir[] = "/tmp/gnode-tc-dirs-XXXXXX", db[64];
	char		*conf[] = { "/srv/music", "/home/u/a",
			    "/home/u/b" };
	char		*only[] = { "/srv/music" };
	char		**v;
	struct share	*sh;
	long		 n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/gnode.db", dir);
	sh = dirs_open(db);
	ck_assert_int_eq(share_dirs_list(sh, &v), 0);
	ck_assert_str_eq(dirs_scan(sh, only, 1, 0), "/srv/music");
	ck_assert_int_eq(share_dirs_list(sh, &v), 0);

	/* The config's first, then the two flags', saved. */
	ck_assert_str_eq(dirs_scan(sh, conf, 3, 2),
	    "/srv/music /home/u/a /home/u/b");
	share_close(sh);

	/* Without the flags, in a new connection: still walked, once. */
	sh = dirs_open(db);
	ck_assert_str_eq(dirs_scan(sh, only, 1, 0),
	    "/srv/music /home/u/a /home/u/b");
	ck_assert_str_eq(dirs_scan(sh, conf, 2, 1),
	    "/srv/music /home/u/a /home/u/b");
	ck_assert_int_eq(share_dirs_add(sh, "/home/u/a", 5), 0);
	n = share_dirs_list(sh, &v);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(v[0], "/home/u/a");
	ck_assert_str_eq(v[1], "/home/u/b");
	share_dirs_free(v, (size_t)n);

	/* Forgotten: gone from the scan; forgetting again finds none. */
	ck_assert_int_eq(share_dirs_forget(sh, "/home/u/a"), 1);
	ck_assert_int_eq(share_dirs_forget(sh, "/home/u/a"), 0);
	ck_assert_int_eq(share_dirs_forget(sh, "/srv/music"), 0);
	ck_assert_str_eq(dirs_scan(sh, only, 1, 0), "/srv/music /home/u/b");
	share_close(sh);
	unlink(db);
	snprintf(db, sizeof db, "%s/gnode.db-wal", dir);
	unlink(db);
	snprintf(db, sizeof db, "%s/gnode.db-shm", dir);
	unlink(db);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

TCase *
tc_dirs(void)
{
	TCase	*tc = tcase_create("dirs");

	tcase_add_test(tc, dirs_saved_and_forgotten);
	return tc;
}
