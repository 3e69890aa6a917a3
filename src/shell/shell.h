/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * shell.h: the gnode> prompt. Locally it is a hook of the node runner
 * (daemon.h): it opens once the node is up and runs commands against it
 * on the same loop, so the node keeps working while the user types.
 * Attached (`gnode -S SOCKET`), it runs the same commands over the
 * control socket of a node running elsewhere. Only shell/ sees readline.
 */
#ifndef GNODE_SHELL_H
#define GNODE_SHELL_H

struct daemon_hook;
struct shell;

/* A shell for the node this process runs, as a hook for daemon_run. Its
 * history is kept in histpath; logpath is where the node logs (said once
 * at the start). */
struct shell	*shell_new(const char *histpath, const char *logpath);
/* The hook to give daemon_run; valid as long as the shell. */
const struct daemon_hook *shell_hook(struct shell *);
/* Columns text answers fit: the terminal's; off a terminal, $COLUMNS,
 * else 80. */
int		 shell_width(void);
/* Whether the node came up and the shell opened on it. */
int		 shell_started(const struct shell *);
void		 shell_free(struct shell *);

/* Attach a shell to the node at the control socket path, with its
 * history in histpath, until the user leaves; the exit status. */
int		 shell_attach(const char *path, const char *histpath);

#endif
