/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * table.h: a command's table, fitted to the reader's width (table.c).
 */
#ifndef GNODE_CMD_TABLE_H
#define GNODE_CMD_TABLE_H

#include <stddef.h>

#define TABLE_RIGHT	0x01	/* numbers: aligned on the right */
#define TABLE_FLEX	0x02	/* takes the room left, cut with an ellipsis */
#define TABLE_FLEX_MIN	16	/* columns a flexible column needs before
				 * others are dropped for it */

struct cmd_ctx;
struct table;

/* A table of ncol columns, each set with table_col before rows come. */
struct table	*table_new(size_t ncol);
/* Column i: its header, its least width (for a flexible column, the
 * room it needs before others go; 0: TABLE_FLEX_MIN), TABLE_* flags, and
 * its drop
 * rank: 0 never dropped, else the highest goes first when the row does
 * not fit. */
void		 table_col(struct table *, size_t i, const char *head, int min,
		     int flags, int drop);
/* Rows only, no header line (the widths still count the headers). */
void		 table_no_header(struct table *);
/* One row of ncol cells (copied). */
void		 table_row(struct table *, const char *const *cells);
/* Print it on ctx->out, fitted to ctx->width (0: no limit). */
void		 table_print(struct table *, struct cmd_ctx *);
/* Whether column i showed in the last table_print. */
int		 table_shown(const struct table *, size_t i);
void		 table_free(struct table *);

/* Screen columns a UTF-8 string takes (wide characters two). */
int		 cmd_text_width(const char *);
/* s cut to at most cols screen columns with an ellipsis (to free). */
char		*cmd_text_cut(const char *, int cols);

#endif
