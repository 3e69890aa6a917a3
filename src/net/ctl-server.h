/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * ctl-server.h: the daemon's end of the control socket (protocol in
 * ctl/ctl.h). A UNIX stream socket created mode 0600 that refuses other
 * users (SO_PEERCRED), and refuses to start when a live node already
 * answers at the path. Each request line is split and handed to exec.
 */
#ifndef GNODE_CTL_SERVER_H
#define GNODE_CTL_SERVER_H

#include <stdio.h>

struct ev_loop;
struct ctl_server;

/* Run one request: write the answer to out; return CTL_OK or CTL_FAILED. */
typedef int	(*ctl_exec_fn)(void *arg, int argc, char **argv, int json,
		    FILE *out);

/* Listen at path on loop; NULL with *cause (to free) on failure. */
struct ctl_server *ctl_server_new(struct ev_loop *, const char *path,
		    ctl_exec_fn, void *arg, char **cause);
/* At most max_clients at once (16 until set), and idle seconds (60) for a
 * client that owes a request line; 0 keeps a value. */
void		 ctl_server_limits(struct ctl_server *, unsigned max_clients,
		    unsigned idle);
/* Close every client and the socket, and unlink the path. */
void		 ctl_server_free(struct ctl_server *);

#endif
