/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * check_conf.c: gnode.conf parsing: every key, its errors, and the checks
 * across keys.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "lib/log.h"

static char	 conf_path[64];

/* Write text to a temp file and load it over the defaults. */
static int
load(struct conf *c, const char *text, char **cause)
{
	FILE	*fp;
	int	 fd;

	strcpy(conf_path, "/tmp/gnode-conf-XXXXXX");
	fd = mkstemp(conf_path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fputs(text, fp);
	fclose(fp);
	conf_defaults(c);
	*cause = NULL;
	fd = conf_load(c, conf_path, cause);
	unlink(conf_path);
	return fd;
}

START_TEST(test_conf_every_key)
{
	struct conf	 c;
	char		*cause;

	ck_assert_int_eq(load(&c,
	    "# comment\n"
	    "[node]\n"
	    "data_dir = /var/lib/gnode\n"
	    "log_level = debug\n"
	    "[share]\n"
	    "dir = /srv/music\n"
	    "dir = /srv/films\n"
	    "min_size = 1k\n"
	    "max_size = 4G\n"
	    "extensions = mp3, .OGG,flac\n", &cause), 0);
	ck_assert_str_eq(c.data_dir, "/var/lib/gnode");
	ck_assert_int_eq(c.log_level, LOG_LVL_DEBUG);
	ck_assert_uint_eq(c.nshare_dirs, 2);
	ck_assert_str_eq(c.share_dirs[1], "/srv/films");
	ck_assert_uint_eq(c.share_min_size, 1024);
	ck_assert_uint_eq(c.share_max_size, 4ull << 30);
	ck_assert_uint_eq(c.nshare_exts, 3);
	ck_assert_str_eq(c.share_exts[1], "OGG");
	ck_assert_int_eq(conf_check(&c, &cause), 0);
	conf_free(&c);
}
END_TEST

static const struct {
	const char	*text;
	const char	*cause;		/* a part of the message */
} conf_bad[] = {
	{ "[node]\nport = 6346\n", ":2: unknown key [node] port" },
	{ "[nod]\ndata_dir = /x\n", ":2: unknown key [nod] data_dir" },
	{ "[node]\nlog_level = loud\n", "not error, warn, info or debug" },
	{ "[share]\nmin_size = lots\n", "bad size lots" },
	{ "[share]\nmin_size = 99999999999999999999\n", "bad size" },
	{ "[share]\nmax_size = 5T\n", "bad size 5T" },
	{ "[node]\ndata_dir =\n", "empty path" },
	{ "[node\n", ":1:" },
};

START_TEST(test_conf_errors)
{
	struct conf	 c;
	char		*cause;

	ck_assert_int_eq(load(&c, conf_bad[_i].text, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strstr(cause, conf_bad[_i].cause) != NULL,
	    "cause \"%s\" lacks \"%s\"", cause, conf_bad[_i].cause);
	free(cause);
	conf_free(&c);
}
END_TEST

START_TEST(test_conf_checks)
{
	struct conf	 c;
	char		*cause = NULL;

	conf_defaults(&c);
	ck_assert_int_eq(conf_set(&c, "share", "dir", "relative/dir", &cause), 0);
	ck_assert_int_eq(conf_check(&c, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "not an absolute path"));
	free(cause);
	conf_free(&c);

	conf_defaults(&c);
	conf_set(&c, "share", "dir", "/srv/share/", &cause);
	conf_set(&c, "node", "data_dir", "/srv/share/.gnode", &cause);
	ck_assert_int_eq(conf_check(&c, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "inside the shared directory"));
	free(cause);
	/* A sibling with a common prefix is not inside. */
	conf_set(&c, "node", "data_dir", "/srv/share2", &cause);
	ck_assert_int_eq(conf_check(&c, &cause), 0);
	conf_free(&c);

	conf_defaults(&c);
	conf_set(&c, "share", "min_size", "10", &cause);
	conf_set(&c, "share", "max_size", "5", &cause);
	ck_assert_int_eq(conf_check(&c, &cause), -1);
	free(cause);
	conf_free(&c);
}
END_TEST

START_TEST(test_conf_home)
{
	struct conf	 c;
	char		*cause = NULL;

	setenv("HOME", "/home/tester", 1);
	conf_defaults(&c);
	ck_assert_str_eq(c.data_dir, "/home/tester/.gnode");
	conf_set(&c, "share", "dir", "~/Music", &cause);
	ck_assert_str_eq(c.share_dirs[0], "/home/tester/Music");
	conf_free(&c);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("conf");
	TCase	*tc = tcase_create("conf");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_conf_every_key);
	tcase_add_loop_test(tc, test_conf_errors, 0,
	    sizeof conf_bad / sizeof conf_bad[0]);
	tcase_add_test(tc, test_conf_checks);
	tcase_add_test(tc, test_conf_home);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
