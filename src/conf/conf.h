/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * conf.h: gnode.conf, an ini file read with libinih. Every key is one row
 * of the table in conf.c (section, name, type, default, help), so the
 * parser, command-line overrides and the documentation agree.
 */
#ifndef GNODE_CONF_H
#define GNODE_CONF_H

#include <stddef.h>
#include <stdint.h>

struct conf {
	char		*data_dir;	/* [node] data_dir: database, logs */
	int		 log_level;	/* [node] log_level: enum log_level */
	char		**share_dirs;	/* [share] dir (repeatable) */
	size_t		 nshare_dirs;
	uint64_t	 share_min_size;	/* [share] min_size */
	uint64_t	 share_max_size;	/* [share] max_size, 0 = none */
	char		**share_exts;	/* [share] extensions, empty = all */
	size_t		 nshare_exts;
};

/* Built-in defaults ($HOME/.gnode, info, no shares). */
void	 conf_defaults(struct conf *);
/* Read an ini file over the current values; -1 with *cause (to free)
 * naming the file and line of the first error. */
int	 conf_load(struct conf *, const char *path, char **cause);
/* Set one key, as the file or a command-line flag would. */
int	 conf_set(struct conf *, const char *section, const char *key,
	    const char *value, char **cause);
/* Checks across keys: absolute share dirs, data_dir outside every share. */
int	 conf_check(const struct conf *, char **cause);
void	 conf_free(struct conf *);
/* Path of the node's database inside data_dir (to free). */
char	*conf_db_path(const struct conf *);

#endif
