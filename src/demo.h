/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * demo.h: `gnode --demo`: four more nodes in the same process, on the same
 * loop, on 127.0.0.2 to 127.0.0.5 (ports the kernel picks), each sharing a
 * few generated files with names of its own, plus one file every one of
 * them shares (for a download from four sources at once), each uploading
 * at most 128 KiB/s so that such a download can be watched. Their files
 * and databases live under one directory, DATA_DIR/demo, made afresh at
 * the start of the next demo; the user's node's (DATA_DIR/demo/you: its
 * database, downloads and history) stay. Nothing leaves loopback. The
 * log's lines name the node each is from (127.0.0.1 to 127.0.0.5).
 */
#ifndef GNODE_DEMO_H
#define GNODE_DEMO_H

#include <stddef.h>

struct conf;
struct daemon_hook;
struct demo;

#define DEMO_PEERS	4

/*
 * The demo for the node runner (daemon.h), in dir: its prestart writes
 * the peers' files, starts them on the node's loop and makes them the
 * node's seeds; its shutdown (after the node's Byes) has them say theirs;
 * its stop frees them. greet: say on stdout what to try, for the shell.
 */
struct demo	*demo_new(const char *dir, int greet);
/*
 * Make dir afresh (wiping the peers an earlier demo left there, not the
 * user's node; a directory a demo did not make is refused, and so is one
 * where a demo still runs), turn on the log's node names
 * and point conf at it: the user's node runs at the defaults, keeps its
 * data in dir/you, listens on 127.0.0.1 on a port the kernel picks and
 * dials every peer. Its own config's shares, seeds and download directory
 * stay out of the demo. 0, or -1 with *cause (to free).
 */
int		 demo_prepare(struct demo *, struct conf *, char **cause);
const struct daemon_hook *demo_hook(struct demo *);
/* NULL is allowed. */
void		 demo_free(struct demo *);

#endif
