/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * ctl.h: the control socket's line protocol, both ends. A client sends one
 * request per line: words separated by single spaces, where a word that is
 * empty or holds a space, a double quote or a backslash is written in
 * double quotes with \" and \\ escapes; bytes below 0x20 are never allowed.
 * A first word of --json asks for the answer as one JSON document. The
 * server answers with any number of data lines, each starting with one
 * space (then the text the command printed), and one status line starting
 * with three digits:
 *
 *	> peers
 *	<  1  127.0.0.3:6346  up  out  gnode/0.5.0
 *	< 100 ok
 *	> connect nowhere
 *	<  error: bad address: nowhere
 *	< 400 command failed
 *
 * Status codes: 100 ok; 400 the command failed; 403 another user;
 * 408 no complete request line within the node's control_timeout;
 * 413 the request line is too long; 500 the node failed; 503 the node
 * has control_clients clients already. A connection may carry many
 * requests (an attached shell). One that has finished a request and owes
 * no line may stay idle: the attached shell opens with an empty line
 * (answered 400 empty request) for that.
 */
#ifndef GNODE_CTL_H
#define GNODE_CTL_H

#include <stddef.h>
#include <stdio.h>

#define CTL_MAX_LINE	65536	/* request line, newline excluded */
#define CTL_MAX_ARGS	64

#define CTL_OK		100
#define CTL_FAILED	400
#define CTL_FORBIDDEN	403
#define CTL_TIMEOUT	408
#define CTL_TOOLONG	413
#define CTL_INTERNAL	500
#define CTL_BUSY	503

/*
 * Split one request line (no newline) of len bytes into words, copied
 * into store (of storelen bytes) and pointed to by argv (room for max).
 * Never reads past len. Returns the word count, or -1 with *cause (a
 * constant) on an unterminated quote, a bad escape, a control byte, too
 * many words or no room.
 */
int	 ctl_split(const char *line, size_t len, char *store, size_t storelen,
	    char **argv, int max, const char **cause);
/* Write argv as one request line with its newline; bytes written, or 0
 * if it does not fit in cap or a word holds a control byte. */
size_t	 ctl_join(int argc, char *const *argv, char *out, size_t cap);

/*
 * Client: connect to the socket at path, send one request (json adds
 * --json), copy the data lines (without their leading space) to out, and
 * return the status code, or -1 with *cause (to free) when there is no
 * node at path or the connection fails.
 */
int	 ctl_client_run(const char *path, int argc, char *const *argv,
	    int json, FILE *out, char **cause);

/*
 * The same over one connection kept open (the attached shell): open it,
 * send any number of requests one after the other, close it. A request
 * that fails (-1) leaves the connection unusable: later ones fail too.
 */
struct ctl_conn;
struct ctl_conn	*ctl_conn_open(const char *path, char **cause);
int	 ctl_conn_request(struct ctl_conn *, int argc, char *const *argv,
	    int json, FILE *out, char **cause);
/* The socket: readable between requests means the node went away. */
int	 ctl_conn_fd(const struct ctl_conn *);
/* Whether requests can still go over it (no request broke it). */
int	 ctl_conn_usable(const struct ctl_conn *);
void	 ctl_conn_close(struct ctl_conn *);

#endif
