/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * shell_impl.h: the shell's state and the functions its files share
 * (shell.c: the prompt and running commands; view.c: what comes on
 * screen, including rows that arrive while the user types; complete.c:
 * tab completion). For shell/ only.
 */
#ifndef GNODE_SHELL_IMPL_H
#define GNODE_SHELL_IMPL_H

#include <ev.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon.h"

#define SHELL_PROMPT		"gnode> "
#define SHELL_HISTORY_MAX	1000	/* lines kept in the history file */
#define SHELL_SEARCHES		64	/* search ids kept for completion */
#define SHELL_NOTICE_MAX	512	/* downloads watched for their end */

struct ctl_conn;

/*
 * One per process: readline's callbacks take no argument, so they find
 * it through the one static pointer in shell.c. Exactly one of d (local)
 * and conn (attached) is set while the shell runs.
 */
struct shell {
	struct ev_loop		*loop;
	struct daemon		*d;		/* local: the node we run */
	struct daemon_hook	 hook;
	char			*path;		/* attached: the socket */
	struct ctl_conn		*conn;
	char			*histpath;
	char			*logpath;
	int			 status;	/* attached: the exit status */

	ev_io			 in;		/* stdin: keys for readline */
	ev_io			 gone;		/* attached: the node went away */
	ev_signal		 sigwinch;
	ev_signal		 sigint, sigterm, sighup;	/* attached */
	ev_timer		 follow;	/* a search's new rows */
	ev_timer		 watch;		/* downloads, redrawn */
	ev_timer		 leave;		/* leave on the next loop pass */
	ev_timer		 notice;	/* downloads that end, said */

	unsigned		 prompt:1;	/* readline's handler is installed */
	unsigned		 started:1;	/* readline set up */
	unsigned		 leaving:1;
	unsigned		 in_line:1;	/* inside readline's line handler */
	unsigned		 raw:1;		/* we put the terminal in raw mode */
	unsigned		 lost:1;	/* attached: no node to talk to */
	unsigned		 fancy:1;	/* a terminal that moves its cursor */
	unsigned		 color:1;	/* ... and may show colour */

	uint32_t		 fsearch;	/* followed search, 0: none */
	uint32_t		 fafter;	/* rows up to this number shown */
	ev_tstamp		 fdone;		/* when it was last seen active */

	int			 wlines;	/* watch: lines on screen to redraw */

	/* The downloads as last seen, to say the ones that end. */
	uint32_t		 nid[SHELL_NOTICE_MAX];
	unsigned char		 nended[SHELL_NOTICE_MAX];
	size_t			 nn;
	unsigned		 nknown:1;	/* the first look was taken */

	uint32_t		 searches[SHELL_SEARCHES];	/* ring */
	size_t			 nsearches;

	char			**cand;		/* completion candidates */
	size_t			 ncand;
	size_t			 ccur;		/* next one to offer */
};

/* shell.c */
/* The shell of this process (readline's callbacks need it). */
struct shell	*shell_current(void);
/* Leave: the prompt goes now, the rest on the next loop pass. */
void		 shell_leave(struct shell *, int status);
/* If an attached shell lost its node: say so, leave, and return 1. */
int		 shell_check_lost(struct shell *);
/* Run one command, its answer into *out (to free) and *len; the control
 * protocol's status (CTL_OK ...), or -1 when there is no node to ask. */
int		 shell_capture(struct shell *, int argc, char **argv, int json,
		     char **out, size_t *len);
/* Put readline's prompt back, or take it away (and the terminal out of
 * readline's mode when raw is 0). */
void		 shell_prompt_on(struct shell *);
void		 shell_prompt_off(struct shell *, int raw);

/* view.c */
void		 view_init(struct shell *);
/* Columns the answers fit: the terminal's, else $COLUMNS, else 80. */
int		 view_width(void);
/* Show a command's answer as it is, or with colour on a terminal. */
void		 view_show(struct shell *, const char *, size_t);
/* The same while the prompt may be on screen: the line being typed is
 * put back under it. */
void		 view_async(struct shell *, const char *, size_t);
/* After `search`: follow search id, showing its rows as they come. */
void		 view_follow(struct shell *, uint32_t id);
/* After `downloads`: redraw them every second while any is running;
 * 1 if the watch started (the prompt is off until it ends). */
int		 view_watch(struct shell *, const char *, size_t);
/* A key (drain: read it from stdin) or ^C during the watch: stop it. */
void		 view_watch_key(struct shell *, int drain);
/* Stop following and watching (the shell is leaving). */
void		 view_stop(struct shell *);
/* Every "key":N in a JSON answer, at most max into out; the count. */
size_t		 view_json_uints(const char *, const char *key, uint32_t *out,
		     size_t max);

/* complete.c */
void		 complete_init(void);
/* Forget the candidates of the last completion. */
void		 complete_free(struct shell *);

#endif
