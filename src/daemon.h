/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * daemon.h: the node runner shared by `gnode --headless` and the gnode>
 * shell: a struct gnet on the default loop, its control socket, a pid
 * file, and signals (SIGTERM/SIGINT: Bye 200 to every peer and exit;
 * SIGHUP: re-read the config's seeds and shares). What runs beside the
 * node on the same loop (the shell; more nodes for a demo) plugs in as
 * hooks, so there is one way to start and stop a node.
 */
#ifndef GNODE_DAEMON_H
#define GNODE_DAEMON_H

#include <stdint.h>
#include <stdio.h>

struct conf;
struct daemon;
struct ev_loop;

/* Build a fresh conf from the config file and the command line, for
 * SIGHUP; 0, or -1 with *cause (to free). */
typedef int	(*daemon_load_fn)(void *arg, struct conf *, char **cause);

/*
 * Something that runs beside the node on its loop. Every member may be
 * NULL. The order of a run:
 *
 *	prestart  before the node's database, socket and port are opened:
 *		  other nodes on the same loop can start here and add
 *		  themselves to conf (seeds) for the node to dial
 *	start	  the node is up (the shell opens its prompt)
 *	shutdown  the node is stopping, from a signal, `quit` or
 *		  daemon_stop, and its own Byes are out (or its drain time
 *		  is up): say Bye too
 *	drained	  polled until it says 1 (or a second drain time is up)
 *	stop	  the loop is over: free everything; called for every hook
 *		  whose prestart succeeded (or that has none), last first
 *
 * interrupt, if set, takes SIGINT instead of stopping the node (the shell
 * clears its line).
 */
struct daemon_hook {
	void	*arg;
	int	(*prestart)(void *arg, struct ev_loop *, struct conf *,
		    char **cause);
	int	(*start)(void *arg, struct daemon *, char **cause);
	void	(*shutdown)(void *arg);
	int	(*drained)(void *arg);
	void	(*stop)(void *arg);
	void	(*interrupt)(void *arg);
};

/*
 * Run the node until told to stop; the exit status. conf is the daemon's
 * to keep (and free) from now on. hooks is NULL or a NULL-terminated
 * array, run in order. If the node cannot start, the reason is logged
 * and, when cause is not NULL, also given in *cause (to free).
 */
int		 daemon_run(struct conf *, daemon_load_fn, void *arg,
		     const struct daemon_hook *const *hooks, char **cause);
/* The loop the node runs on. */
struct ev_loop	*daemon_loop(struct daemon *);
/* The running node. */
struct gnet	*daemon_gnet(struct daemon *);
/* The address the node listens on (the port the kernel gave, when the
 * configured one is 0), host order. */
void		 daemon_listen_addr(struct daemon *, uint32_t *ip,
		     uint16_t *port);
/* The node's configuration now (SIGHUP replaces it: do not keep it). */
const struct conf *daemon_conf(struct daemon *);
/* Run one command against the live node, as the control socket does:
 * the answer (text, or JSON when json is set) goes to out; CTL_OK or
 * CTL_FAILED. `quit` stops the node. */
int		 daemon_exec(struct daemon *, int argc, char **argv, int json,
		     FILE *out);
/* Stop soon, as SIGTERM does; not inside the caller's callback. */
void		 daemon_stop(struct daemon *);
/* Whether the node is stopping. */
int		 daemon_stopping(struct daemon *);

#endif
