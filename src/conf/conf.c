/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * conf.c: the key table, value parsing and cross-key checks. Unknown
 * sections and keys are errors, not silently ignored: a misspelt key in a
 * deployment's config should stop the node, not change what it does.
 */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

enum conf_type {
	CONF_PATH,
	CONF_LOGLEVEL,
	CONF_SIZE,
	CONF_PATHLIST,		/* repeatable key, one value each */
	CONF_WORDLIST,		/* comma-separated */
};

struct conf_key {
	const char	*section;
	const char	*name;
	enum conf_type	 type;
	size_t		 off;		/* field in struct conf */
	size_t		 countoff;	/* list length field */
};

#define OFF(f)	offsetof(struct conf, f)

static const struct conf_key conf_keys[] = {
	{ "node", "data_dir", CONF_PATH, OFF(data_dir), 0 },
	{ "node", "log_level", CONF_LOGLEVEL, OFF(log_level), 0 },
	{ "share", "dir", CONF_PATHLIST, OFF(share_dirs), OFF(nshare_dirs) },
	{ "share", "min_size", CONF_SIZE, OFF(share_min_size), 0 },
	{ "share", "max_size", CONF_SIZE, OFF(share_max_size), 0 },
	{ "share", "extensions", CONF_WORDLIST, OFF(share_exts),
	    OFF(nshare_exts) },
};

static const char *const conf_levels[] = { "error", "warn", "info", "debug" };

/* "~/x" is $HOME/x; anything else as given. */
static char *
conf_expand(const char *v)
{
	const char	*home = getenv("HOME");
	char		*s;

	if (v[0] == '~' && (v[1] == '/' || v[1] == '\0') && home != NULL) {
		xasprintf(&s, "%s%s", home, v + 1);
		return s;
	}
	return xstrdup(v);
}

void
conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof *c);
	c->data_dir = conf_expand("~/.gnode");
	c->log_level = LOG_LVL_INFO;
	c->share_min_size = 1;
}

void
conf_free(struct conf *c)
{
	size_t	 i;

	free(c->data_dir);
	for (i = 0; i < c->nshare_dirs; i++)
		free(c->share_dirs[i]);
	free(c->share_dirs);
	for (i = 0; i < c->nshare_exts; i++)
		free(c->share_exts[i]);
	free(c->share_exts);
	memset(c, 0, sizeof *c);
}

/* A byte count with an optional k, M or G (powers of 1024). */
static int
conf_size(const char *v, uint64_t *out)
{
	unsigned long long	 n;
	char			*end;
	int			 shift = 0;

	if (!isdigit((unsigned char)v[0]))
		return -1;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (*end != '\0' || n > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)n << shift;
	return 0;
}

static void
conf_push(char ***list, size_t *n, char *s)
{
	*list = xreallocarray(*list, *n + 1, sizeof **list);
	(*list)[(*n)++] = s;
}

/* Set one key, as the file or a command-line flag would. */
int
conf_set(struct conf *c, const char *section, const char *key,
    const char *value, char **cause)
{
	const struct conf_key	*k = NULL;
	char			*base = (char *)c, *dup, *tok, *save, *s;
	size_t			 i;

	for (i = 0; i < sizeof conf_keys / sizeof conf_keys[0]; i++)
		if (strcmp(conf_keys[i].section, section) == 0 &&
		    strcmp(conf_keys[i].name, key) == 0)
			k = &conf_keys[i];
	if (k == NULL) {
		xasprintf(cause, "unknown key [%s] %s", section, key);
		return -1;
	}
	switch (k->type) {
	case CONF_PATH:
		if (value[0] == '\0') {
			xasprintf(cause, "%s: empty path", key);
			return -1;
		}
		free(*(char **)(base + k->off));
		*(char **)(base + k->off) = conf_expand(value);
		return 0;
	case CONF_LOGLEVEL:
		for (i = 0; i < sizeof conf_levels / sizeof conf_levels[0]; i++)
			if (strcasecmp(value, conf_levels[i]) == 0) {
				*(int *)(base + k->off) = (int)i;
				return 0;
			}
		xasprintf(cause, "%s: %s is not error, warn, info or debug", key,
		    value);
		return -1;
	case CONF_SIZE:
		if (conf_size(value, (uint64_t *)(base + k->off)) != 0) {
			xasprintf(cause, "%s: bad size %s (bytes, or with k, M, G)",
			    key, value);
			return -1;
		}
		return 0;
	case CONF_PATHLIST:
		if (value[0] == '\0') {
			xasprintf(cause, "%s: empty path", key);
			return -1;
		}
		conf_push((char ***)(base + k->off), (size_t *)(base + k->countoff),
		    conf_expand(value));
		return 0;
	case CONF_WORDLIST:
		dup = xstrdup(value);
		for (tok = strtok_r(dup, ", \t", &save); tok != NULL;
		    tok = strtok_r(NULL, ", \t", &save)) {
			if (tok[0] == '.')
				tok++;
			if (tok[0] == '\0')
				continue;
			s = xstrdup(tok);
			conf_push((char ***)(base + k->off),
			    (size_t *)(base + k->countoff), s);
		}
		free(dup);
		return 0;
	}
	return -1;
}

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

/* Read an ini file over the current values. */
int
conf_load(struct conf *c, const char *path, char **cause)
{
	struct conf_load_ctx	 ctx = { c, path, NULL };
	int			 line;

	line = ini_parse(path, conf_handler, &ctx);
	if (line == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
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
	return 0;
}

char *
conf_db_path(const struct conf *c)
{
	char	*s;

	xasprintf(&s, "%s/gnode.db", c->data_dir);
	return s;
}
