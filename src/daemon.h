/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * daemon.h: the headless node: a struct gnet on the default loop, its
 * control socket, a pid file, and signals (SIGTERM/SIGINT: Bye 200 to
 * every peer and exit; SIGHUP: re-read the config's seeds and shares).
 */
#ifndef GNODE_DAEMON_H
#define GNODE_DAEMON_H

struct conf;

/* Build a fresh conf from the config file and the command line, for
 * SIGHUP; 0, or -1 with *cause (to free). */
typedef int	(*daemon_load_fn)(void *arg, struct conf *, char **cause);

/* Run until told to stop; the exit status. conf is the daemon's to keep
 * (and free) from now on. */
int	 daemon_run(struct conf *, daemon_load_fn, void *arg);

#endif
