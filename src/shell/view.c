/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * view.c: what the shell puts on screen. A command's answer is shown as
 * the command wrote it, with colour on a terminal that takes it (errors
 * red, column headers bold). Rows that come in while the user types (the
 * search being followed) go above the prompt: the half-typed line is
 * wiped, the rows printed, and readline draws the line again where the
 * user left it. `downloads` is redrawn in place every second while a
 * download runs, until a key is pressed.
 *
 * Both work the same locally and attached, since they only run commands:
 * `results --after N ID` gives the rows past the last one shown, and
 * `--json downloads` says whether anything still runs.
 */
#include <sys/ioctl.h>

#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <readline/readline.h>

#include "ctl/ctl.h"
#include "shell/shell_impl.h"

#define VIEW_FOLLOW_S		0.5	/* a followed search is asked this often */
#define VIEW_FOLLOW_GRACE_S	60.0	/* ... and this long after the last news */
#define VIEW_WATCH_S		1.0	/* downloads redrawn this often */
#define VIEW_NOTICE_S		1.0	/* downloads looked at for their end */

#define VIEW_RED	"\033[31m"
#define VIEW_BOLD	"\033[1m"
#define VIEW_DIM	"\033[2m"
#define VIEW_RESET	"\033[0m"

static const char view_hint[] =
    "(refreshing every second; press any key to stop)";

/* A table's column header: every word capitalised, no lower case. */
static int
view_is_header(const char *p, size_t n)
{
	size_t	 i;
	int	 words = 0, start = 1;

	for (i = 0; i < n; i++) {
		if (p[i] == ' ') {
			start = 1;
			continue;
		}
		if (start) {
			if (p[i] < 'A' || p[i] > 'Z')
				return 0;
			words++;
			start = 0;
		} else if (p[i] >= 'a' && p[i] <= 'z')
			return 0;
	}
	return words >= 2;
}

/* Show a command's answer; with colour, line by line. */
void
view_show(struct shell *sh, const char *buf, size_t len)
{
	const char	*p = buf, *end = buf + len, *nl, *color;
	size_t		 n;

	if (!sh->color) {
		fwrite(buf, 1, len, stdout);
		fflush(stdout);
		return;
	}
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		color = NULL;
		if (n >= 6 && strncmp(p, "error:", 6) == 0)
			color = VIEW_RED;
		else if (view_is_header(p, n))
			color = VIEW_BOLD;
		if (color != NULL)
			fputs(color, stdout);
		fwrite(p, 1, n, stdout);
		if (color != NULL)
			fputs(VIEW_RESET, stdout);
		if (nl != NULL)
			fputc('\n', stdout);
		p += n + (nl != NULL);
	}
	fflush(stdout);
}

/* Show text while the prompt may be on screen, then draw it again. */
void
view_async(struct shell *sh, const char *buf, size_t len)
{
	if (!sh->prompt || sh->in_line) {
		view_show(sh, buf, len);
		return;
	}
	rl_clear_visible_line();
	view_show(sh, buf, len);
	rl_on_new_line();
	rl_redisplay();
}

/* Every "key":N in a JSON document. The key with its quotes cannot occur
 * inside a string value, whose quotes are escaped. */
size_t
view_json_uints(const char *doc, const char *key, uint32_t *out, size_t max)
{
	char		 pat[64];
	const char	*p = doc;
	char		*end;
	unsigned long	 v;
	size_t		 n = 0;

	snprintf(pat, sizeof pat, "\"%s\":", key);
	while (n < max && (p = strstr(p, pat)) != NULL) {
		p += strlen(pat);
		if (*p < '0' || *p > '9')
			continue;
		v = strtoul(p, &end, 10);
		p = end;
		if (v <= UINT32_MAX)
			out[n++] = (uint32_t)v;
	}
	return n;
}

/* The terminal's size, 80x24 if it will not say. */
static void
view_size(int *cols, int *rows)
{
	struct winsize	 ws;

	*cols = 80;
	*rows = 24;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 &&
	    ws.ws_row > 0) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
}

/* Columns to fit: the terminal's; on no terminal, $COLUMNS or 80. */
int
view_width(void)
{
	struct winsize	 ws;
	const char	*env = getenv("COLUMNS");
	long		 v;
	char		*end;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (env != NULL && *env != '\0') {
		v = strtol(env, &end, 10);
		if (*end == '\0' && v > 0 && v <= 10000)
			return (int)v;
	}
	return 80;
}

/* Screen rows one line of text takes, wrapped at cols. */
static int
view_line_rows(const char *p, size_t n, int cols)
{
	mbstate_t	 ps;
	wchar_t		 wc;
	size_t		 k;
	int		 w = 0, cw;

	memset(&ps, 0, sizeof ps);
	while (n > 0) {
		k = mbrtowc(&wc, p, n, &ps);
		if (k == (size_t)-1 || k == (size_t)-2) {
			/* Shown as one replacement character. */
			memset(&ps, 0, sizeof ps);
			cw = 1;
			k = 1;
		} else {
			if (k == 0)
				k = 1;
			if ((cw = wcwidth(wc)) < 0)
				cw = 1;
		}
		w += cw;
		p += k;
		n -= k;
	}
	return w == 0 ? 1 : (w + cols - 1) / cols;
}

/* Screen rows a text takes. */
static int
view_rows(const char *buf, size_t len, int cols)
{
	const char	*p = buf, *end = buf + len, *nl;
	size_t		 n;
	int		 rows = 0;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		rows += view_line_rows(p, n, cols);
		p += n + (nl != NULL);
	}
	return rows;
}

/* --- a search, followed ----------------------------------------------------- */

static void
view_unfollow(struct shell *sh)
{
	ev_timer_stop(sh->loop, &sh->follow);
	sh->fsearch = 0;
}

/* Show search id's rows as they come, from the first. */
void
view_follow(struct shell *sh, uint32_t id)
{
	sh->fsearch = id;
	sh->fafter = 0;
	sh->fdone = 0;
	ev_timer_stop(sh->loop, &sh->follow);
	ev_timer_set(&sh->follow, VIEW_FOLLOW_S, VIEW_FOLLOW_S);
	ev_timer_start(sh->loop, &sh->follow);
}

/* The highest result number at the start of a line of the text. */
static uint32_t
view_last_row(const char *buf, uint32_t last)
{
	const char	*p = buf;
	unsigned long	 v;
	char		*end;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p >= '0' && *p <= '9') {
			v = strtoul(p, &end, 10);
			if (v > last && v <= UINT32_MAX)
				last = (uint32_t)v;
			p = end;
		}
		p += strcspn(p, "\n");
		if (*p == '\n')
			p++;
	}
	return last;
}

/* Ask for rows past the last shown; print them above the prompt. */
static void
view_follow_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct shell	*sh = w->data;
	char		 after[16], id[16], *argv[5], *out;
	size_t		 len;
	uint32_t	 n;
	int		 rv, active, more;

	(void)revents;
	if (sh->wlines > 0 || sh->leaving)
		return;		/* the watch has the screen */
	snprintf(after, sizeof after, "%u", sh->fafter);
	snprintf(id, sizeof id, "%u", sh->fsearch);
	argv[0] = (char *)"results";
	argv[1] = (char *)"--after";
	argv[2] = after;
	argv[3] = id;
	argv[4] = NULL;
	rv = shell_capture(sh, 4, argv, 1, &out, &len);
	active = rv == CTL_OK && strstr(out, "\"active\":true") != NULL;
	more = rv == CTL_OK && view_json_uints(out, "number", &n, 1) > 0;
	free(out);
	if (rv != CTL_OK) {
		/* The search was forgotten, or the node is gone. */
		view_unfollow(sh);
		shell_check_lost(sh);
		return;
	}
	if (more) {
		rv = shell_capture(sh, 4, argv, 0, &out, &len);
		if (rv == CTL_OK) {
			sh->fafter = view_last_row(out, sh->fafter);
			view_async(sh, out, len);
		}
		free(out);
		if (shell_check_lost(sh))
			return;
	}
	if (active || more)
		sh->fdone = 0;
	else if (sh->fdone == 0)
		sh->fdone = ev_now(loop);
	else if (ev_now(loop) - sh->fdone >= VIEW_FOLLOW_GRACE_S)
		view_unfollow(sh);
}

/* --- downloads, watched ----------------------------------------------------- */

/* Whether a download is queued, active or being checked; -1 on failure. */
static int
view_running(struct shell *sh)
{
	char	*argv[2], *out;
	size_t	 len;
	int	 rv;

	argv[0] = (char *)"downloads";
	argv[1] = NULL;
	if (shell_capture(sh, 1, argv, 1, &out, &len) != CTL_OK)
		rv = -1;
	else
		rv = strstr(out, "\"state\":\"active\"") != NULL ||
		    strstr(out, "\"state\":\"queued\"") != NULL ||
		    strstr(out, "\"state\":\"verifying\"") != NULL;
	free(out);
	return rv;
}

static void
view_show_hint(struct shell *sh)
{
	if (sh->color)
		printf(VIEW_DIM "%s" VIEW_RESET "\n", view_hint);
	else
		printf("%s\n", view_hint);
	fflush(stdout);
}

static void
view_watch_end(struct shell *sh)
{
	ev_timer_stop(sh->loop, &sh->watch);
	sh->wlines = 0;
	shell_prompt_on(sh);
}

/* Start redrawing what `downloads` showed while something runs. */
int
view_watch(struct shell *sh, const char *buf, size_t len)
{
	int	 cols, rows, n;

	if (!sh->fancy || sh->leaving)
		return 0;
	view_size(&cols, &rows);
	/* Only what fits can be drawn again in place. */
	if ((n = view_rows(buf, len, cols)) + 2 > rows)
		return 0;
	if (view_running(sh) != 1)
		return 0;
	shell_prompt_off(sh, 1);
	view_show_hint(sh);
	sh->wlines = n + 1;
	ev_timer_set(&sh->watch, VIEW_WATCH_S, VIEW_WATCH_S);
	ev_timer_start(sh->loop, &sh->watch);
	return 1;
}

static void
view_watch_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct shell	*sh = w->data;
	char		*argv[2], *out;
	size_t		 len;
	int		 running, cols, rows, n;

	(void)loop;
	(void)revents;
	/* First whether it runs, then the table: a table that says done
	 * is never followed by another. */
	running = view_running(sh);
	argv[0] = (char *)"downloads";
	argv[1] = NULL;
	if (running < 0 || shell_capture(sh, 1, argv, 0, &out, &len) !=
	    CTL_OK) {
		if (running >= 0)
			free(out);
		view_watch_end(sh);
		shell_check_lost(sh);
		return;
	}
	view_size(&cols, &rows);
	n = view_rows(out, len, cols);
	printf("\033[%dA\r\033[J", sh->wlines);
	view_show(sh, out, len);
	free(out);
	if (running && n + 2 <= rows) {
		view_show_hint(sh);
		sh->wlines = n + 1;
	} else
		view_watch_end(sh);
}

/* A key (drain: read it) or ^C during the watch: stop it there. */
void
view_watch_key(struct shell *sh, int drain)
{
	char	 buf[256];

	if (drain && read(STDIN_FILENO, buf, sizeof buf) < 0)
		buf[0] = '\0';
	/* The hint goes; the table stays as it was last drawn. */
	printf("\033[1A\r\033[J");
	fflush(stdout);
	view_watch_end(sh);
}

/* --- downloads that end, said ------------------------------------------------ */

/* Every "state":"..." of a JSON answer, in order: whether it is one a
 * download ends in (done, failed); at most max. */
static size_t
view_json_ended(const char *doc, unsigned char *out, size_t max)
{
	static const char	 pat[] = "\"state\":\"";
	const char		*p = doc;
	size_t			 n = 0;

	while (n < max && (p = strstr(p, pat)) != NULL) {
		p += sizeof pat - 1;
		out[n++] = strncmp(p, "done\"", 5) == 0 ||
		    strncmp(p, "failed\"", 7) == 0;
	}
	return n;
}

/* Whether download id was seen, and ended, at the last look. */
static int
view_was(const struct shell *sh, uint32_t id, int *ended)
{
	size_t	 i;

	for (i = 0; i < sh->nn; i++)
		if (sh->nid[i] == id) {
			*ended = sh->nended[i];
			return 1;
		}
	return 0;
}

/* One line, above the line being typed, for a download that ended. */
static void
view_say_ended(struct shell *sh, uint32_t id)
{
	char	 num[16], *argv[3], *out;
	size_t	 len;

	snprintf(num, sizeof num, "%u", id);
	argv[0] = (char *)"downloads";
	argv[1] = num;
	argv[2] = NULL;
	if (shell_capture(sh, 2, argv, 0, &out, &len) == CTL_OK)
		view_async(sh, out, len);
	free(out);
}

/*
 * Every second: the downloads' states. One that was running at the last
 * look (or came and went between two) and is done or failed now gets
 * its line; the first look only learns what is there.
 */
static void
view_notice_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct shell	*sh = w->data;
	uint32_t	 ids[SHELL_NOTICE_MAX];
	unsigned char	 ended[SHELL_NOTICE_MAX];
	char		*argv[2], *out;
	size_t		 len, n, i;
	int		 was;

	(void)loop;
	(void)revents;
	/* While the watch has the screen (or no prompt is up) nothing is
	 * learnt: what ends meanwhile is said once the prompt is back. */
	if (sh->leaving || sh->lost || sh->wlines > 0 || !sh->prompt)
		return;
	argv[0] = (char *)"downloads";
	argv[1] = NULL;
	if (shell_capture(sh, 1, argv, 1, &out, &len) != CTL_OK) {
		free(out);
		shell_check_lost(sh);
		return;
	}
	n = view_json_uints(out, "id", ids, SHELL_NOTICE_MAX);
	i = view_json_ended(out, ended, SHELL_NOTICE_MAX);
	free(out);
	if (i != n)
		return;		/* out of step: keep what was known */
	for (i = 0; sh->nknown && i < n; i++)
		if (ended[i] && (!view_was(sh, ids[i], &was) || !was))
			view_say_ended(sh, ids[i]);
	memcpy(sh->nid, ids, n * sizeof ids[0]);
	memcpy(sh->nended, ended, n);
	sh->nn = n;
	sh->nknown = 1;
}

/* The timers, once the shell has its loop. */
void
view_init(struct shell *sh)
{
	ev_init(&sh->follow, view_follow_cb);
	ev_init(&sh->watch, view_watch_cb);
	ev_init(&sh->notice, view_notice_cb);
	sh->follow.data = sh->watch.data = sh->notice.data = sh;
	sh->nn = 0;
	sh->nknown = 0;
	ev_timer_set(&sh->notice, 0., VIEW_NOTICE_S);
	ev_timer_start(sh->loop, &sh->notice);
}

/* Stop following and watching; the caller takes the terminal back. */
void
view_stop(struct shell *sh)
{
	view_unfollow(sh);
	ev_timer_stop(sh->loop, &sh->watch);
	ev_timer_stop(sh->loop, &sh->notice);
	sh->wlines = 0;
}
