/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * complete.c: Tab at the gnode> prompt. The first word completes from the
 * command table (and the shell's own exit); a later word from what the
 * command's usage line says stands there, so a new command completes
 * without a line here: a literal (share list|find|rescan|dirs, search
 * -s flood|ring|walk|dq), a file name for DIR, FILE or PATH, or a number
 * the node knows (the table below): result numbers after get and magnet,
 * search ids after results, download ids after pause, resume and cancel,
 * connection ids after disconnect. The numbers come from the node through the same
 * commands any client runs (--json results, downloads, peers), so this
 * works alike locally and attached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "cmd/cmd.h"
#include "ctl/ctl.h"
#include "lib/xmalloc.h"
#include "shell/shell_impl.h"

#define COMPLETE_WORDS		16	/* words of the line looked at */
#define COMPLETE_WORD_LEN	64	/* longest word of a usage line */
#define COMPLETE_IDS		1024	/* numbers offered at most */

enum complete_src {
	COMPLETE_NONE,
	COMPLETE_COMMANDS,
	COMPLETE_FILES,
	COMPLETE_RESULTS,
	COMPLETE_SEARCHES,
	COMPLETE_DOWNLOADS,
	COMPLETE_PEERS,
};

/* A usage word that stands for something we can list. */
static const struct {
	const char		*cmd;		/* NULL: any command */
	const char		*arg;		/* as the usage writes it */
	enum complete_src	 src;
} complete_args[] = {
	{ NULL, "COMMAND", COMPLETE_COMMANDS },
	{ NULL, "DIR", COMPLETE_FILES },
	{ NULL, "FILE", COMPLETE_FILES },
	{ NULL, "PATH", COMPLETE_FILES },
	{ "get", "N|urn:sha1:SHA1|MAGNET", COMPLETE_RESULTS },
	{ "magnet", "N", COMPLETE_RESULTS },
	{ "results", "ID", COMPLETE_SEARCHES },
	{ "pause", "ID", COMPLETE_DOWNLOADS },
	{ "resume", "ID", COMPLETE_DOWNLOADS },
	{ "cancel", "ID", COMPLETE_DOWNLOADS },
	{ "disconnect", "ID", COMPLETE_PEERS },
};

/* The words of a usage line after the command name. */
struct complete_usage {
	char	 w[COMPLETE_WORDS][COMPLETE_WORD_LEN];
	int	 n;
};

/* Forget the last completion's candidates. */
void
complete_free(struct shell *sh)
{
	size_t	 i;

	for (i = 0; i < sh->ncand; i++)
		free(sh->cand[i]);
	free(sh->cand);
	sh->cand = NULL;
	sh->ncand = sh->ccur = 0;
}

static void
complete_add(struct shell *sh, const char *w, size_t len)
{
	size_t	 i;

	for (i = 0; i < sh->ncand; i++)
		if (strlen(sh->cand[i]) == len &&
		    strncmp(sh->cand[i], w, len) == 0)
			return;
	sh->cand = xreallocarray(sh->cand, sh->ncand + 1, sizeof *sh->cand);
	sh->cand[sh->ncand++] = xstrndup(w, len);
}

/* readline's generator: the candidates that start with text. */
static char *
complete_next(const char *text, int state)
{
	struct shell	*sh = shell_current();
	size_t		 len = strlen(text);
	const char	*w;

	if (state == 0)
		sh->ccur = 0;
	while (sh->ccur < sh->ncand) {
		w = sh->cand[sh->ccur++];
		if (strncmp(w, text, len) == 0)
			return xstrdup(w);
	}
	return NULL;
}

/* Numbers from the node: every "key":N of a --json command's answer. */
static void
complete_ids(struct shell *sh, char *cmd, const char *key)
{
	uint32_t	*ids;
	char		*argv[2], *out, num[16];
	size_t		 len, n, i;

	argv[0] = cmd;
	argv[1] = NULL;
	if (shell_capture(sh, 1, argv, 1, &out, &len) == CTL_OK) {
		ids = xreallocarray(NULL, COMPLETE_IDS, sizeof *ids);
		n = view_json_uints(out, key, ids, COMPLETE_IDS);
		for (i = 0; i < n; i++) {
			snprintf(num, sizeof num, "%u", ids[i]);
			complete_add(sh, num, strlen(num));
		}
		free(ids);
	}
	free(out);
}

/* Candidates from a source; 1 if file names are wanted instead. */
static int
complete_source(struct shell *sh, enum complete_src src)
{
	const struct cmd_entry	*ce;
	char			 num[16];
	size_t			 i, n;

	switch (src) {
	case COMPLETE_NONE:
		break;
	case COMPLETE_COMMANDS:
		for (i = 0; (ce = cmd_at(i)) != NULL; i++)
			complete_add(sh, ce->name, strlen(ce->name));
		complete_add(sh, "exit", 4);
		complete_add(sh, "clear", 5);
		break;
	case COMPLETE_FILES:
		return 1;
	case COMPLETE_RESULTS:
		complete_ids(sh, "results", "number");
		break;
	case COMPLETE_SEARCHES:
		n = sh->nsearches < SHELL_SEARCHES ? sh->nsearches :
		    SHELL_SEARCHES;
		for (i = 0; i < n; i++) {
			snprintf(num, sizeof num, "%u", sh->searches[i]);
			complete_add(sh, num, strlen(num));
		}
		break;
	case COMPLETE_DOWNLOADS:
		complete_ids(sh, "downloads", "id");
		break;
	case COMPLETE_PEERS:
		complete_ids(sh, "peers", "id");
		break;
	}
	return 0;
}

/* A usage word with its brackets and "..." taken off, into out. */
static void
complete_bare(const char *w, char *out, size_t cap)
{
	size_t	 n;

	while (*w == '[')
		w++;
	snprintf(out, cap, "%s", w);
	n = strlen(out);
	while (n > 0 && out[n - 1] == ']')
		out[--n] = '\0';
	if (n >= 3 && strcmp(out + n - 3, "...") == 0)
		out[n - 3] = '\0';
}

/* What one usage word offers for the command cmd; 1 for file names. */
static int
complete_word(struct shell *sh, const char *cmd, const char *uw)
{
	char		 w[COMPLETE_WORD_LEN];
	const char	*p, *bar;
	size_t		 i;
	int		 lower = 0;

	complete_bare(uw, w, sizeof w);
	for (i = 0; i < sizeof complete_args / sizeof complete_args[0]; i++)
		if ((complete_args[i].cmd == NULL ||
		    strcmp(complete_args[i].cmd, cmd) == 0) &&
		    strcmp(complete_args[i].arg, w) == 0)
			return complete_source(sh, complete_args[i].src);
	/* A literal, or literals between bars: lower case only. */
	for (p = w; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			return 0;
		if (*p >= 'a' && *p <= 'z')
			lower = 1;
	}
	if (!lower)
		return 0;
	for (p = w; *p != '\0'; p = *bar != '\0' ? bar + 1 : bar) {
		bar = p + strcspn(p, "|");
		if (bar > p)
			complete_add(sh, p, (size_t)(bar - p));
	}
	return 0;
}

/* Split s (up to len bytes) at spaces into u. */
static void
complete_split(const char *s, size_t len, struct complete_usage *u)
{
	size_t	 i = 0, start;

	u->n = 0;
	while (i < len && u->n < COMPLETE_WORDS) {
		while (i < len && s[i] == ' ')
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && s[i] != ' ')
			i++;
		snprintf(u->w[u->n], COMPLETE_WORD_LEN, "%.*s",
		    (int)(i - start), s + start);
		u->n++;
	}
}

/*
 * The word at position k (0: the first after the command) of a line that
 * has the words a[0..k-1] before it, from the command's usage line.
 * Alternatives (" | ") are told apart by their first word; options
 * ("[-s VALUE]") take their value from the usage word after the flag.
 * 1 if file names are wanted.
 */
static int
complete_usage(struct shell *sh, const struct cmd_entry *ce,
    struct complete_usage *a, int k, const char *text)
{
	struct complete_usage	 u;
	const char		*rest, *alt, *end;
	char			 flag[COMPLETE_WORD_LEN];
	int			 i, j, pos, opt;

	if ((rest = strchr(ce->usage, ' ')) == NULL)
		return 0;
	rest++;
	if (strstr(rest, " | ") != NULL) {
		for (alt = rest; alt != NULL; alt = end != NULL ? end + 3 :
		    NULL) {
			end = strstr(alt, " | ");
			complete_split(alt, end != NULL ? (size_t)(end - alt) :
			    strlen(alt), &u);
			if (u.n == 0)
				continue;
			if (k == 0)
				complete_word(sh, ce->name, u.w[0]);
			else if (strcmp(u.w[0], a->w[0]) == 0)
				return k < u.n ? complete_word(sh, ce->name,
				    u.w[k]) : 0;
		}
		return 0;
	}
	complete_split(rest, strlen(rest), &u);

	/* The value of the option just typed. */
	if (k > 0 && a->w[k - 1][0] == '-')
		for (i = 0; i + 1 < u.n; i++) {
			complete_bare(u.w[i], flag, sizeof flag);
			if (u.w[i][0] == '[' && strcmp(flag, a->w[k - 1]) == 0 &&
			    strchr(u.w[i], ']') == NULL)
				return complete_word(sh, ce->name, u.w[i + 1]);
		}
	if (text[0] == '-') {
		for (i = 0; i < u.n; i++)
			if (u.w[i][0] == '[' && u.w[i][1] == '-') {
				complete_bare(u.w[i], flag, sizeof flag);
				complete_add(sh, flag, strlen(flag));
			}
		return 0;
	}
	/* Positional words: the typed ones that are no option or value. */
	for (pos = 0, j = 0; j < k; j++) {
		if (a->w[j][0] == '-') {
			j++;	/* and its value */
			continue;
		}
		pos++;
	}
	for (i = 0; i < u.n; i++) {
		opt = u.w[i][0] == '[' && u.w[i][1] == '-';
		if (opt) {
			if (strchr(u.w[i], ']') == NULL)
				i++;
			continue;
		}
		if (pos == 0 || (i == u.n - 1 &&
		    strstr(u.w[i], "...") != NULL))
			return complete_word(sh, ce->name, u.w[i]);
		pos--;
	}
	return 0;
}

/* readline's hook: the matches for text, which starts at start. */
static char **
complete_cb(const char *text, int start, int end)
{
	struct shell		*sh = shell_current();
	const struct cmd_entry	*ce;
	struct complete_usage	 a;
	int			 files = 0, k;

	(void)end;
	/* Never readline's default (file names) where we know better. */
	rl_attempted_completion_over = 1;
	complete_free(sh);
	complete_split(rl_line_buffer, (size_t)start, &a);
	k = 0;
	if (a.n > 0 && strcmp(a.w[0], "--json") == 0)
		k = 1;
	if (a.n == k)
		files = complete_source(sh, COMPLETE_COMMANDS);
	else if ((ce = cmd_find(a.w[k])) != NULL && a.n < COMPLETE_WORDS) {
		/* a.w[k + 1 ...] are the words typed after the name. */
		memmove(a.w[0], a.w[k + 1], (size_t)(a.n - k - 1) *
		    sizeof a.w[0]);
		a.n -= k + 1;
		files = complete_usage(sh, ce, &a, a.n, text);
	}
	if (files)
		return rl_completion_matches(text,
		    rl_filename_completion_function);
	if (sh->ncand == 0)
		return NULL;
	return rl_completion_matches(text, complete_next);
}

/* Make Tab ours: commands, usage words, ids, file names. */
void
complete_init(void)
{
	rl_attempted_completion_function = complete_cb;
	rl_completer_quote_characters = "\"";
	rl_basic_word_break_characters = " ";
	rl_completer_word_break_characters = (char *)" ";
}
