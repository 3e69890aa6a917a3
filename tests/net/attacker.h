/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * attacker.h: what the two halves of tests/net/attacker share: the
 * clock, a bounded connect from a chosen loopback address, and the
 * classes that live in attacker_http.c (half-open handshakes, HTTP
 * smuggling shapes and refusal floods).
 */
#ifndef GNODE_ATTACKER_H
#define GNODE_ATTACKER_H

#include <sys/types.h>
#include <netinet/in.h>

#include <stdint.h>

#define AT_WAIT_MS	10000	/* the longest any one wait may take */

/* Where to attack from and what: filled in by main(). */
struct at_opt {
	struct sockaddr_in	 node;		/* the target */
	struct sockaddr_in	 src;		/* our address (port 0) */
	unsigned		 secs;		/* how long the attack runs */
	unsigned		 reconnects;	/* -R: connections after the first */
	unsigned		 rate;		/* -r: connections a second, 0 any */
	unsigned		 conns;		/* -c: "handshakes" held at once */
	const char		*word;		/* -w: "probe"'s search text */
};

uint64_t	at_now(void);
int		at_left(uint64_t deadline);
/* A socket bound to the source address, connected to the node within
 * AT_WAIT_MS; blocking unless nonblock. -1 (errno set) on failure. */
int		at_dial(const struct at_opt *, int nonblock);
/* Pace: sleep so that the n-th event since start comes no earlier than
 * n / rate seconds after it (rate 0: never sleeps). */
void		at_pace(uint64_t start, unsigned long n, unsigned rate);

int		at_handshakes(const struct at_opt *);
int		at_http(const struct at_opt *);

#endif
