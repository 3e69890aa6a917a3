/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * table.c: the tables commands print (downloads, results, peers,
 * uploads), fitted to the width the reader has (ctx->width: the shell's
 * terminal, or a one-shot's). Columns are as wide as their widest cell or
 * their minimum; when the row is wider than the reader, the columns least
 * worth their room go first (the highest drop rank), and the one flexible
 * column (a name) takes what is left, cut with an ellipsis. Widths count
 * screen columns of UTF-8 text, not bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/table.h"
#include "lib/xmalloc.h"

#define TABLE_GAP	2	/* spaces between columns */
#define TABLE_ELLIPSIS	"\xe2\x80\xa6"	/* U+2026, one column */

struct table_col {
	const char	*head;
	int		 min;
	int		 flags;
	int		 drop;		/* 0: never; higher goes first */
	int		 width;
	int		 shown;
};

struct table {
	struct table_col *col;
	size_t		  ncol;
	char		**cell;		/* nrow * ncol, copies */
	size_t		  nrow;
	size_t		  cap;
	int		  header;
};

/* The next code point of a UTF-8 string at *p, which it passes; an
 * invalid byte is one code point of its own. */
static unsigned long
table_next(const unsigned char **pp)
{
	const unsigned char	*p = *pp;
	unsigned long		 c;
	int			 n, i;

	if (p[0] < 0x80) {
		*pp = p + 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 1;
		c = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 2;
		c = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 3;
		c = p[0] & 0x07;
	} else {
		*pp = p + 1;
		return 0xfffd;
	}
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*pp = p + 1;
			return 0xfffd;
		}
		c = (c << 6) | (p[i] & 0x3f);
	}
	*pp = p + n + 1;
	return c;
}

/* Screen columns of one code point: combining marks none, the wide
 * East Asian blocks two. */
static int
table_cp_width(unsigned long c)
{
	if ((c >= 0x300 && c <= 0x36f) || c == 0x200b)
		return 0;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) ||
	    (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

/* Screen columns a UTF-8 string takes. */
int
cmd_text_width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	int			 w = 0;

	while (*p != '\0')
		w += table_cp_width(table_next(&p));
	return w;
}

/* s cut to at most cols screen columns, an ellipsis for what is left
 * out; a copy (to free). */
char *
cmd_text_cut(const char *s, int cols)
{
	const unsigned char	*p = (const unsigned char *)s, *q;
	char			*out;
	int			 w = 0, cw;

	if (cmd_text_width(s) <= cols)
		return xstrdup(s);
	if (cols < 1)
		return xstrdup("");
	/* Room for the ellipsis's one column. */
	while (*p != '\0') {
		q = p;
		cw = table_cp_width(table_next(&q));
		if (w + cw > cols - 1)
			break;
		w += cw;
		p = q;
	}
	out = xmalloc((size_t)(p - (const unsigned char *)s) +
	    sizeof TABLE_ELLIPSIS);
	memcpy(out, s, (size_t)(p - (const unsigned char *)s));
	memcpy(out + (p - (const unsigned char *)s), TABLE_ELLIPSIS,
	    sizeof TABLE_ELLIPSIS);
	return out;
}

struct table *
table_new(size_t ncol)
{
	struct table	*t = xcalloc(1, sizeof *t);

	t->col = xcalloc(ncol, sizeof *t->col);
	t->ncol = ncol;
	t->header = 1;
	return t;
}

void
table_col(struct table *t, size_t i, const char *head, int min, int flags,
    int drop)
{
	t->col[i].head = head;
	t->col[i].min = min;
	t->col[i].flags = flags;
	t->col[i].drop = drop;
}

void
table_no_header(struct table *t)
{
	t->header = 0;
}

void
table_row(struct table *t, const char *const *cells)
{
	size_t	 i;

	if (t->nrow == t->cap) {
		t->cap = t->cap == 0 ? 16 : t->cap * 2;
		t->cell = xreallocarray(t->cell, t->cap * t->ncol,
		    sizeof *t->cell);
	}
	for (i = 0; i < t->ncol; i++)
		t->cell[t->nrow * t->ncol + i] = xstrdup(cells[i] != NULL ?
		    cells[i] : "");
	t->nrow++;
}

/* Which columns show, and how wide, for a reader width columns wide. */
static void
table_fit(struct table *t, int width)
{
	struct table_col	*c, *worst;
	size_t			 i, r;
	int			 total, shown, flexmin, w;

	for (i = 0; i < t->ncol; i++) {
		c = &t->col[i];
		c->shown = 1;
		c->width = c->min;
		if (t->header && (w = cmd_text_width(c->head)) > c->width)
			c->width = w;
		if (c->flags & TABLE_FLEX)
			continue;
		for (r = 0; r < t->nrow; r++)
			if ((w = cmd_text_width(t->cell[r * t->ncol + i])) >
			    c->width)
				c->width = w;
	}
	if (width <= 0) {
		/* No limit: the flexible column as wide as its widest. */
		for (i = 0; i < t->ncol; i++)
			if (t->col[i].flags & TABLE_FLEX)
				for (r = 0; r < t->nrow; r++)
					if ((w = cmd_text_width(t->cell[r *
					    t->ncol + i])) > t->col[i].width)
						t->col[i].width = w;
		return;
	}
	for (;;) {
		/* The flexible column counts at its minimum room, whatever
		 * the names: what shows depends on the width alone. */
		total = 0;
		shown = 0;
		for (i = 0; i < t->ncol; i++) {
			c = &t->col[i];
			if (!c->shown)
				continue;
			flexmin = c->min > 0 ? c->min : TABLE_FLEX_MIN;
			if (c->width > flexmin)
				flexmin = c->width;
			total += (c->flags & TABLE_FLEX) ? flexmin : c->width;
			shown++;
		}
		total += (shown - 1) * TABLE_GAP;
		if (total <= width)
			break;
		worst = NULL;
		for (i = 0; i < t->ncol; i++) {
			c = &t->col[i];
			if (c->shown && c->drop > 0 &&
			    (worst == NULL || c->drop > worst->drop))
				worst = c;
		}
		if (worst == NULL)
			break;
		worst->shown = 0;
	}
	/* What is left is the flexible column's. */
	total = 0;
	shown = 0;
	for (i = 0; i < t->ncol; i++)
		if (t->col[i].shown && !(t->col[i].flags & TABLE_FLEX)) {
			total += t->col[i].width;
			shown++;
		}
	for (i = 0; i < t->ncol; i++) {
		c = &t->col[i];
		if (!c->shown || !(c->flags & TABLE_FLEX))
			continue;
		flexmin = c->width;	/* its widest cell, or its head */
		for (r = 0; r < t->nrow; r++)
			if ((w = cmd_text_width(t->cell[r * t->ncol + i])) >
			    flexmin)
				flexmin = w;
		w = width - total - shown * TABLE_GAP;
		if (w > flexmin)
			w = flexmin;
		c->width = w > 1 ? w : 1;
	}
}

/* One cell, padded to its column unless it ends the line. */
static void
table_cell(struct cmd_ctx *ctx, const struct table_col *c, const char *s,
    int first, int last)
{
	char	*cut = NULL;
	int	 pad;

	if (c->flags & TABLE_FLEX)
		s = cut = cmd_text_cut(s, c->width);
	pad = c->width - cmd_text_width(s);
	if (pad < 0)
		pad = 0;
	if (!first)
		cmd_print(ctx, "%*s", TABLE_GAP, "");
	if (c->flags & TABLE_RIGHT)
		cmd_print(ctx, "%*s%s", pad, "", s);
	else if (last)
		cmd_print(ctx, "%s", s);
	else
		cmd_print(ctx, "%s%*s", s, pad, "");
	free(cut);
}

static void
table_line(struct table *t, struct cmd_ctx *ctx, const char *const *cells)
{
	size_t	 i, last = 0;
	int	 first = 1;

	for (i = 0; i < t->ncol; i++)
		if (t->col[i].shown)
			last = i;
	for (i = 0; i < t->ncol; i++) {
		if (!t->col[i].shown)
			continue;
		table_cell(ctx, &t->col[i], cells[i], first, i == last);
		first = 0;
	}
	cmd_print(ctx, "\n");
}

/* The table, fitted to ctx->width (0: as wide as it is). */
void
table_print(struct table *t, struct cmd_ctx *ctx)
{
	const char	**head;
	size_t		  i, r;

	table_fit(t, ctx->width);
	if (t->header) {
		head = xcalloc(t->ncol, sizeof *head);
		for (i = 0; i < t->ncol; i++)
			head[i] = t->col[i].head;
		table_line(t, ctx, head);
		free(head);
	}
	for (r = 0; r < t->nrow; r++)
		table_line(t, ctx, (const char *const *)&t->cell[r * t->ncol]);
}

/* Whether column i shows once printed. */
int
table_shown(const struct table *t, size_t i)
{
	return t->col[i].shown;
}

void
table_free(struct table *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrow * t->ncol; i++)
		free(t->cell[i]);
	free(t->cell);
	free(t->col);
	free(t);
}
