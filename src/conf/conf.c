/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * conf.c: the config file and the checks across keys. The file is read
 * whole and refused by line where libinih would misread it; each of its
 * keys then goes through conf_set (conf_keys.c, the key table).
 */
#include <sys/stat.h>

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "lib/xmalloc.h"

/*
 * libinih reads a line into INI_MAX_LINE bytes, its newline and NUL
 * included (a CR before the newline counts in the line). A config is a
 * few dozen lines; a file past CONF_FILE_MAX is not one.
 */
#define CONF_LINE_MAX	(INI_MAX_LINE - 2)
#define CONF_FILE_MAX	(1 << 20)

struct conf_load_ctx {
	struct conf	*c;
	const char	*path;
	char		*cause;
};

static int
conf_handler(void *arg, const char *section, const char *key,
    const char *value)
{
	struct conf_load_ctx	*ctx = arg;
	char			*why;

	if (ctx->cause != NULL)
		return 0;
	if (conf_set(ctx->c, section, key, value, &why) != 0) {
		ctx->cause = why;
		return 0;
	}
	return 1;
}

/*
 * The whole file, NUL-terminated (to free), or NULL with *cause. A
 * directory is refused (fgets on one reads nothing, which would be an
 * empty config), and so is a file past CONF_FILE_MAX.
 */
static char *
conf_read(const char *path, size_t *lenp, char **cause)
{
	struct stat	 sb;
	FILE		*fp;
	char		*buf;
	size_t		 len = 0, n;

	if ((fp = fopen(path, "re")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		xasprintf(cause, "%s: %s", path, strerror(EISDIR));
		fclose(fp);
		return NULL;
	}
	buf = xmalloc(CONF_FILE_MAX + 1);
	while ((n = fread(buf + len, 1, CONF_FILE_MAX + 1 - len, fp)) > 0)
		if ((len += n) > CONF_FILE_MAX)
			break;
	if (ferror(fp) || len > CONF_FILE_MAX) {
		if (ferror(fp))
			xasprintf(cause, "%s: %s", path, strerror(errno));
		else
			xasprintf(cause, "%s: longer than %d bytes", path,
			    CONF_FILE_MAX);
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/*
 * What libinih would misread, by line: a NUL byte (the value would end
 * there, so "5<NUL>junk" would be 5) and a line longer than its buffer
 * (the rest would be parsed as the next line, and an error blamed on
 * that). 0, or the number of the first bad line with *why: a constant,
 * or NULL for a line too long.
 */
static int
conf_lines(const char *buf, size_t len, const char **why)
{
	size_t	 i, start = 0;
	int	 line = 1;

	for (i = 0; i <= len; i++) {
		if (i < len && buf[i] == '\0') {
			*why = "a NUL byte";
			return line;
		}
		if (i == len || buf[i] == '\n') {
			if (i - start > CONF_LINE_MAX) {
				*why = NULL;
				return line;
			}
			start = i + 1;
			line++;
		}
	}
	return 0;
}

/* Read an ini file over the current values. */
int
conf_load(struct conf *c, const char *path, char **cause)
{
	struct conf_load_ctx	 ctx = { c, path, NULL };
	const char		*why;
	char			*buf;
	size_t			 len;
	int			 line;

	*cause = NULL;
	/* The length read, not strlen: a NUL must not hide what follows. */
	if ((buf = conf_read(path, &len, cause)) == NULL)
		return -1;
	if ((line = conf_lines(buf, len, &why)) != 0) {
		if (why != NULL)
			xasprintf(cause, "%s:%d: %s", path, line, why);
		else
			xasprintf(cause, "%s:%d: line longer than %d bytes",
			    path, line, CONF_LINE_MAX);
		free(buf);
		return -1;
	}
	line = ini_parse_string(buf, conf_handler, &ctx);
	free(buf);
	if (line != 0) {
		xasprintf(cause, "%s:%d: %s", path, line, ctx.cause != NULL ?
		    ctx.cause : "syntax error");
		free(ctx.cause);
		return -1;
	}
	return 0;
}

/* Whether path is dir or lies under it. */
static int
conf_under(const char *path, const char *dir)
{
	size_t	 n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Checks across keys. */
int
conf_check(const struct conf *c, char **cause)
{
	size_t	 i;

	for (i = 0; i < c->nshare_dirs; i++) {
		if (c->share_dirs[i][0] != '/') {
			xasprintf(cause, "share dir %s: not an absolute path",
			    c->share_dirs[i]);
			return -1;
		}
		/* The node never writes inside what it shares. */
		if (conf_under(c->data_dir, c->share_dirs[i])) {
			xasprintf(cause, "data_dir %s lies inside the shared "
			    "directory %s", c->data_dir, c->share_dirs[i]);
			return -1;
		}
	}
	if (c->share_max_size != 0 && c->share_max_size < c->share_min_size) {
		xasprintf(cause, "max_size is below min_size");
		return -1;
	}
	if (c->min_peers > c->max_peers) {
		xasprintf(cause, "[net] min_peers (%u) is above max_peers (%u)",
		    c->min_peers, c->max_peers);
		return -1;
	}
	return 0;
}

/* Whether every share dir is a directory now: the start refuses one that
 * is not, a reload only warns (conf_check stays free of the disk). */
int
conf_check_dirs(const struct conf *c, char **cause)
{
	struct stat	 sb;
	size_t		 i;

	for (i = 0; i < c->nshare_dirs; i++) {
		if (stat(c->share_dirs[i], &sb) != 0) {
			xasprintf(cause, "share dir %s: %s", c->share_dirs[i],
			    strerror(errno));
			return -1;
		}
		if (!S_ISDIR(sb.st_mode)) {
			xasprintf(cause, "share dir %s: %s", c->share_dirs[i],
			    strerror(ENOTDIR));
			return -1;
		}
	}
	return 0;
}

/* Path of the node's database inside data_dir (to free). */
char *
conf_db_path(const struct conf *c)
{
	char	*s;

	xasprintf(&s, "%s/gnode.db", c->data_dir);
	return s;
}

/* Path of the control socket: control, or data_dir/control (to free). */
char *
conf_control_path(const struct conf *c)
{
	char	*s;

	if (c->control != NULL)
		return xstrdup(c->control);
	xasprintf(&s, "%s/control", c->data_dir);
	return s;
}
