/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * benchnode.h: a real gnode under a benchmark (benchnode.c).
 */
#ifndef GNODE_BENCHNODE_H
#define GNODE_BENCHNODE_H

#include <sys/types.h>
#include <netinet/in.h>

#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define BN_NODE_ADDR		"127.0.0.2"	/* where the node listens */

extern const char		*bn_prog;	/* our name, for messages */
extern pid_t			 bn_pid;	/* the node, -1 when none */
extern char			 bn_dir[PATH_MAX];	/* removed by cleanup */
extern volatile sig_atomic_t	 bn_interrupted;

uint64_t	 bn_now_ms(void);
void		 bn_sleep_ms(unsigned int);
/* SIGINT/SIGTERM handler: sets bn_interrupted. */
void		 bn_on_signal(int);
/* Stop the node (our child only) and remove bn_dir. */
void		 bn_cleanup(void);
void		 bn_fail(const char *, ...)
		    __attribute__((format(printf, 1, 2), noreturn));
void		 bn_check_interrupt(void);
/* Fail if the node has exited, saying how. */
void		 bn_check_node(void);
void		 bn_addr(struct sockaddr_in *, const char *ip, uint16_t port);
/* A port on BN_NODE_ADDR that nothing listens on just now. */
uint16_t	 bn_free_port(void);
/* Start gnode --headless -c conf; its stdout to our stderr. */
void		 bn_spawn(char *gnode, char *conf);
/* A blocking connection from src (any port; NULL: any address). */
int		 bn_connect(const char *src, uint16_t port, int *err);
/* Wait, within a bound, until the node accepts on port. */
void		 bn_wait_listen(uint16_t port);
void		 bn_send_all(int fd, const char *, size_t, const char *who);
/* The node's resident set now, in KiB. */
uint64_t	 bn_proc_rss(void);

#endif
