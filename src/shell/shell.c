/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * shell.c: the gnode> prompt on readline's callback interface: an ev_io
 * on stdin feeds rl_callback_read_char, so the loop (and the node, when
 * it runs in this process) goes on while the user types. A line is split
 * as the control socket splits it (ctl_split), so quoting is the same
 * everywhere, and run either against the node of this process
 * (daemon_exec) or over the control socket of another (ctl_conn_request).
 * The answer comes back as text and view.c puts it on screen.
 *
 * Locally the shell is a hook of the node runner: it starts once the node
 * is up, and quit, exit and ^D all stop the node (Bye to every peer).
 * Attached, quit stops the remote node (it is the node's command) and
 * exit or ^D only leave.
 */
#include <sys/socket.h>

#include <errno.h>
#include <ev.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/readline.h>
#include <readline/history.h>

#include "cmd/cmd.h"
#include "conf/conf.h"
#include "config.h"
#include "ctl/ctl.h"
#include "daemon.h"
#include "lib/xmalloc.h"
#include "shell/shell.h"
#include "shell/shell_impl.h"

#define SHELL_HISTORY_LINE	4096	/* longer lines are not remembered */

/* readline's callbacks take no argument: this is how they find us. */
static struct shell	*shell_self;
static int		 shell_atexit_set;

static void	 shell_atexit(void);

static void	shell_line_cb(char *);

/* The shell of this process, for readline's callbacks. */
struct shell *
shell_current(void)
{
	return shell_self;
}

static const char *
shell_prompt(struct shell *sh)
{
	/* \001 and \002 tell readline the escapes take no room. */
	return sh->color ? "\001\033[1;36m\002gnode>\001\033[0m\002 " :
	    SHELL_PROMPT;
}

/* Show the prompt and take keys for it. */
void
shell_prompt_on(struct shell *sh)
{
	if (sh->prompt || sh->leaving)
		return;
	if (sh->raw) {
		rl_deprep_terminal();
		sh->raw = 0;
	}
	rl_callback_handler_install(shell_prompt(sh), shell_line_cb);
	sh->prompt = 1;
}

/*
 * Take the prompt away: inside the line handler readline has already left
 * the line; elsewhere the half-typed line is wiped from the screen. With
 * raw, the terminal stays in readline's mode (keys one at a time, no echo)
 * for a watch that ends on any key.
 */
void
shell_prompt_off(struct shell *sh, int raw)
{
	if (sh->prompt) {
		if (!sh->in_line) {
			rl_clear_visible_line();
			fflush(stdout);
		}
		rl_callback_handler_remove();
		sh->prompt = 0;
	}
	if (raw && !sh->raw) {
		rl_prep_terminal(0);
		sh->raw = 1;
	} else if (!raw && sh->raw) {
		rl_deprep_terminal();
		sh->raw = 0;
	}
}

/* A line of our own, shown like a command's answer. */
static void
shell_say(struct shell *sh, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
shell_say(struct shell *sh, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	view_async(sh, msg, (size_t)n);
	free(msg);
}

static void
shell_leave_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct shell	*sh = w->data;

	(void)revents;
	if (sh->d != NULL)
		daemon_stop(sh->d);
	else
		ev_break(loop, EVBREAK_ALL);
}

/*
 * Leave the shell: the prompt goes at once (so readline does not show it
 * again after the line handler returns), the rest on the next loop pass.
 * Locally that stops the node.
 */
void
shell_leave(struct shell *sh, int status)
{
	if (sh->leaving)
		return;
	view_stop(sh);
	shell_prompt_off(sh, 0);
	sh->leaving = 1;
	sh->status = status;
	ev_io_stop(sh->loop, &sh->in);
	ev_io_stop(sh->loop, &sh->gone);
	if (sh->d != NULL)
		shell_say(sh, "stopping the node (Bye to its peers)\n");
	ev_timer_set(&sh->leave, 0., 0.);
	ev_timer_start(sh->loop, &sh->leave);
}

/* Run a command over the control socket; when the connection breaks, one
 * new connection for the next request, or the node is lost. */
static int
shell_remote(struct shell *sh, int argc, char **argv, int json, FILE *fp)
{
	char	*cause = NULL;
	int	 rv;

	if (sh->conn == NULL)
		return -1;
	rv = ctl_conn_request(sh->conn, argc, argv, json, fp, &cause);
	if (rv >= 0)
		return rv;
	fprintf(fp, "error: %s\n", cause);
	free(cause);
	if (ctl_conn_usable(sh->conn))
		return -1;	/* the request never left: too long */
	ev_io_stop(sh->loop, &sh->gone);
	ctl_conn_close(sh->conn);
	if ((sh->conn = ctl_conn_open(sh->path, &cause)) == NULL) {
		free(cause);
		sh->lost = 1;
		return -1;
	}
	ev_io_set(&sh->gone, ctl_conn_fd(sh->conn), EV_READ);
	ev_io_start(sh->loop, &sh->gone);
	return -1;
}

/* Run one command; its answer (text or JSON) into *out. */
int
shell_capture(struct shell *sh, int argc, char **argv, int json, char **out,
    size_t *len)
{
	FILE	*fp;
	char	 cols[16], *wargv[CTL_MAX_ARGS + 3];
	int	 rv, i;

	*out = NULL;
	*len = 0;
	/* Text is for this screen: tables fit its width. */
	if (!json && argc <= CTL_MAX_ARGS - 2) {
		snprintf(cols, sizeof cols, "%d", view_width());
		wargv[0] = (char *)"--width";
		wargv[1] = cols;
		for (i = 0; i < argc; i++)
			wargv[2 + i] = argv[i];
		wargv[2 + argc] = NULL;
		argv = wargv;
		argc += 2;
	}
	if ((fp = open_memstream(out, len)) == NULL)
		return -1;
	if (sh->d != NULL)
		rv = daemon_stopping(sh->d) ? -1 :
		    daemon_exec(sh->d, argc, argv, json, fp);
	else
		rv = shell_remote(sh, argc, argv, json, fp);
	if (fclose(fp) != 0)
		rv = -1;
	if (*out == NULL) {
		*out = xstrdup("");
		*len = 0;
	}
	return rv;
}

/* The node of an attached shell is gone: say so and leave. */
int
shell_check_lost(struct shell *sh)
{
	if (!sh->lost)
		return 0;
	shell_say(sh, "gnode: the node at %s is gone\n", sh->path);
	shell_leave(sh, 1);
	return 1;
}

/* What `help` adds in the shell. */
static void
shell_help_words(struct shell *sh)
{
	/* The node's list ends with its Node group: ours go under it. */
	if (sh->d != NULL)
		shell_say(sh, "  %-12s%s\n  %-12s%s\n\nIn the shell, quit, "
		    "exit and Ctrl-D stop the node;\nTab completes, Ctrl-C "
		    "clears the line.\n", "clear", "clear the screen", "exit",
		    "stop the node and leave, as quit does");
	else
		shell_say(sh, "  %-12s%s\n  %-12s%s\n\nexit and Ctrl-D leave "
		    "the shell, the node keeps running; quit stops the node.\n"
		    "Tab completes, Ctrl-C clears the line.\n", "clear",
		    "clear the screen", "exit",
		    "leave the shell; the node keeps running");
}

/* A command line split into words: the shell's own, or the node's. */
static void
shell_command(struct shell *sh, int argc, char **argv)
{
	const char	*name;
	char		*out;
	size_t		 len;
	unsigned	 id;
	int		 json = 0, rv;

	if (strcmp(argv[0], "--json") == 0) {
		json = 1;
		argc--;
		argv++;
		if (argc == 0) {
			shell_say(sh, "error: usage: --json COMMAND "
			    "[ARGS...]\n");
			return;
		}
	}
	name = argv[0];
	if (strcmp(name, "exit") == 0) {
		if (argc > 1)
			shell_say(sh, "error: usage: exit\n");
		else
			shell_leave(sh, 0);
		return;
	}
	if (strcmp(name, "clear") == 0) {
		if (argc > 1)
			shell_say(sh, "error: usage: clear\n");
		else if (sh->fancy) {
			/* Home, then wipe the screen; the prompt comes back
			 * on the top line. */
			fputs("\033[H\033[2J", stdout);
			fflush(stdout);
		}
		return;
	}
	if (strcmp(name, "help") == 0 && argc == 2 &&
	    strcmp(argv[1], "clear") == 0) {
		shell_say(sh, "usage: clear\nClear the screen.\n");
		return;
	}
	if (strcmp(name, "help") == 0 && argc == 2 &&
	    strcmp(argv[1], "exit") == 0) {
		shell_say(sh, "usage: exit\n%s\n", sh->d != NULL ?
		    "Stop the node and leave, as quit and Ctrl-D do." :
		    "Leave the shell; the node keeps running (quit stops it).");
		return;
	}

	rv = shell_capture(sh, argc, argv, json, &out, &len);
	view_show(sh, out, len);
	if (shell_check_lost(sh)) {
		free(out);
		return;
	}
	if (rv == CTL_OK && !json) {
		if (strcmp(name, "help") == 0 && argc == 1)
			shell_help_words(sh);
		else if (strcmp(name, "search") == 0 &&
		    sscanf(out, "search %u started:", &id) == 1) {
			sh->searches[sh->nsearches++ % SHELL_SEARCHES] = id;
			view_follow(sh, id);
		} else if (strcmp(name, "downloads") == 0)
			view_watch(sh, out, len);
	}
	free(out);
	if (rv == CTL_OK && strcmp(name, "quit") == 0) {
		/* Locally the node is stopping already; attached, there is
		 * nothing left to talk to. */
		shell_leave(sh, 0);
	}
}

static void
shell_history_add(const char *line)
{
	HIST_ENTRY	*last;

	if (strlen(line) > SHELL_HISTORY_LINE)
		return;
	last = history_get(history_base + history_length - 1);
	if (last != NULL && strcmp(last->line, line) == 0)
		return;
	add_history(line);
}

/* One line from readline: NULL on ^D at an empty prompt. */
static void
shell_line_cb(char *line)
{
	struct shell	*sh = shell_self;
	char		*store, *argv[CTL_MAX_ARGS + 1];
	const char	*cause;
	size_t		 len;
	int		 argc;

	sh->in_line = 1;
	if (line == NULL) {
		/* On a terminal readline has moved past the prompt. */
		if (!isatty(STDIN_FILENO))
			fputc('\n', stdout);
		shell_leave(sh, 0);
		sh->in_line = 0;
		return;
	}
	len = strlen(line);
	if (len > CTL_MAX_LINE) {
		shell_say(sh, "error: line too long (%zu bytes, at most %d)\n",
		    len, CTL_MAX_LINE);
		goto out;
	}
	/* Words never take more room than the line they came from. */
	store = xmalloc(len + 1);
	argc = ctl_split(line, len, store, len + 1, argv, CTL_MAX_ARGS, &cause);
	if (argc < 0)
		shell_say(sh, "error: %s\n", cause);
	else if (argc > 0) {
		argv[argc] = NULL;
		shell_history_add(line);
		shell_command(sh, argc, argv);
	}
	free(store);
out:
	free(line);
	sh->in_line = 0;
}

static void
shell_stdin_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct shell	*sh = w->data;

	(void)revents;
	if (sh->wlines > 0)
		view_watch_key(sh, 1);
	else if (sh->prompt)
		rl_callback_read_char();
	else
		ev_io_stop(loop, w);	/* nobody to read for */
}

/* ^C: clear the line being typed (or end a watch), as shells do. */
static void
shell_interrupt(void *arg)
{
	struct shell	*sh = arg;

	if (sh->wlines > 0) {
		view_watch_key(sh, 0);
		return;
	}
	if (!sh->prompt)
		return;
	rl_callback_sigcleanup();
	rl_point = rl_end;
	rl_redisplay();
	fputs("^C\n", stdout);
	rl_replace_line("", 0);
	rl_on_new_line();
	rl_redisplay();
}

static void
shell_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct shell	*sh = w->data;

	(void)loop;
	(void)revents;
	switch (w->signum) {
	case SIGWINCH:
		if (sh->prompt)
			rl_resize_terminal();
		break;
	case SIGINT:
		shell_interrupt(sh);
		break;
	default:
		shell_leave(sh, 0);
		break;
	}
}

/* The node at an attached shell's socket closed: it stopped. */
static void
shell_gone_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct shell	*sh = w->data;
	char		 c;

	(void)revents;
	if (recv(w->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) < 0 &&
	    (errno == EAGAIN || errno == EINTR))
		return;
	ev_io_stop(loop, w);
	shell_say(sh, "gnode: the node at %s has stopped\n", sh->path);
	shell_leave(sh, 1);
}

/* Readline, history, stdin and the first words. */
static void
shell_begin(struct shell *sh)
{
	const char	*term = getenv("TERM"), *nocolor = getenv("NO_COLOR");

	shell_self = sh;
	if (!shell_atexit_set) {
		/* fatal() exits from anywhere: the terminal goes back even
		 * then, not left without echo. */
		atexit(shell_atexit);
		shell_atexit_set = 1;
	}
	/* Characters for readline; numbers stay in the C locale (JSON). */
	setlocale(LC_CTYPE, "");
	sh->fancy = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO) &&
	    term != NULL && *term != '\0' && strcmp(term, "dumb") != 0;
	sh->color = sh->fancy && (nocolor == NULL || *nocolor == '\0');

	rl_readline_name = "gnode";
	/* The loop owns the signals; readline must not take them. */
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	complete_init();
	using_history();
	stifle_history(SHELL_HISTORY_MAX);
	if (sh->histpath != NULL)
		(void)read_history(sh->histpath);
	sh->started = 1;

	ev_io_init(&sh->in, shell_stdin_cb, STDIN_FILENO, EV_READ);
	ev_signal_init(&sh->sigwinch, shell_signal_cb, SIGWINCH);
	ev_init(&sh->leave, shell_leave_cb);
	sh->in.data = sh->sigwinch.data = sh->leave.data = sh;
	ev_io_start(sh->loop, &sh->in);
	ev_signal_start(sh->loop, &sh->sigwinch);
	view_init(sh);
	shell_prompt_on(sh);
}

/* At exit: readline's terminal mode undone if it is still on. */
static void
shell_atexit(void)
{
	struct shell	*sh = shell_self;

	if (sh == NULL || !sh->started)
		return;
	if (sh->prompt)
		rl_callback_handler_remove();
	if (sh->raw)
		rl_deprep_terminal();
}

/* Put the terminal back and save the history. */
static void
shell_end(struct shell *sh)
{
	if (!sh->started)
		return;
	view_stop(sh);
	shell_prompt_off(sh, 0);
	ev_io_stop(sh->loop, &sh->in);
	ev_io_stop(sh->loop, &sh->gone);
	ev_signal_stop(sh->loop, &sh->sigwinch);
	ev_timer_stop(sh->loop, &sh->leave);
	if (sh->histpath != NULL && write_history(sh->histpath) == 0)
		(void)history_truncate_file(sh->histpath, SHELL_HISTORY_MAX);
	clear_history();
	complete_free(sh);
	fflush(stdout);
	sh->started = 0;
	shell_self = NULL;
}

/* --- local: a hook of the node runner ------------------------------------- */

static int
shell_hook_start(void *arg, struct daemon *d, char **cause)
{
	struct shell		*sh = arg;
	char			 addr[32];
	uint32_t		 ip;
	uint16_t		 port;

	(void)cause;
	sh->d = d;
	sh->loop = daemon_loop(d);
	daemon_listen_addr(d, &ip, &port);
	printf("gnode %s: a node on %s; its log goes to %s\n"
	    "help lists the commands; quit, exit or Ctrl-D stops the node.\n",
	    PACKAGE_VERSION, cmd_addr(addr, sizeof addr, ip, port),
	    sh->logpath != NULL ? sh->logpath : "stderr");
	shell_begin(sh);
	return 0;
}

/* The node is stopping, whoever asked: no more prompt. */
static void
shell_hook_shutdown(void *arg)
{
	struct shell	*sh = arg;

	if (sh->leaving || !sh->started)
		return;
	view_stop(sh);
	shell_prompt_off(sh, 0);
	sh->leaving = 1;
	ev_io_stop(sh->loop, &sh->in);
	shell_say(sh, "the node is stopping\n");
}

static void
shell_hook_stop(void *arg)
{
	shell_end(arg);
}

/* A shell for the node of this process; it runs as a daemon_run hook. */
struct shell *
shell_new(const char *histpath, const char *logpath)
{
	struct shell	*sh = xcalloc(1, sizeof *sh);

	if (histpath != NULL)
		sh->histpath = xstrdup(histpath);
	if (logpath != NULL)
		sh->logpath = xstrdup(logpath);
	sh->hook.arg = sh;
	sh->hook.start = shell_hook_start;
	sh->hook.shutdown = shell_hook_shutdown;
	sh->hook.stop = shell_hook_stop;
	sh->hook.interrupt = shell_interrupt;
	return sh;
}

/* The hook to give daemon_run. */
const struct daemon_hook *
shell_hook(struct shell *sh)
{
	return &sh->hook;
}

/* Columns a one-shot answer fits (see view_width). */
int
shell_width(void)
{
	return view_width();
}

/* Whether the node came up (the hook's start ran). */
int
shell_started(const struct shell *sh)
{
	return sh->d != NULL;
}

/* Put the terminal back (if still needed) and free the shell. */
void
shell_free(struct shell *sh)
{
	if (sh == NULL)
		return;
	shell_end(sh);
	ctl_conn_close(sh->conn);
	free(sh->path);
	free(sh->histpath);
	free(sh->logpath);
	free(sh);
}

/* --- attached: a node elsewhere ------------------------------------------- */

/* A shell for the node at the socket path, until the user leaves. */
int
shell_attach(const char *path, const char *histpath)
{
	struct shell	*sh;
	char		*cause = NULL;
	int		 status;

	sh = shell_new(histpath, NULL);
	sh->path = xstrdup(path);
	if ((sh->conn = ctl_conn_open(path, &cause)) == NULL) {
		fprintf(stderr, "gnode: %s\n", cause);
		free(cause);
		shell_free(sh);
		return EXIT_FAILURE;
	}
	signal(SIGPIPE, SIG_IGN);
	sh->loop = ev_default_loop(EVFLAG_AUTO);
	ev_signal_init(&sh->sigint, shell_signal_cb, SIGINT);
	ev_signal_init(&sh->sigterm, shell_signal_cb, SIGTERM);
	ev_signal_init(&sh->sighup, shell_signal_cb, SIGHUP);
	ev_io_init(&sh->gone, shell_gone_cb, ctl_conn_fd(sh->conn), EV_READ);
	sh->sigint.data = sh->sigterm.data = sh->sighup.data = sh;
	sh->gone.data = sh;
	ev_signal_start(sh->loop, &sh->sigint);
	ev_signal_start(sh->loop, &sh->sigterm);
	ev_signal_start(sh->loop, &sh->sighup);
	ev_io_start(sh->loop, &sh->gone);
	printf("gnode %s: attached to the node at %s\n"
	    "help lists the commands; exit or Ctrl-D leaves (the node keeps "
	    "running), quit stops the node.\n", PACKAGE_VERSION, path);
	shell_begin(sh);
	ev_run(sh->loop, 0);
	shell_end(sh);
	ev_signal_stop(sh->loop, &sh->sigint);
	ev_signal_stop(sh->loop, &sh->sigterm);
	ev_signal_stop(sh->loop, &sh->sighup);
	status = sh->status;
	shell_free(sh);
	return status;
}
