/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * attacker.h: what the parts of tests/net/attacker share: the clock, a
 * bounded connect from a chosen loopback address, a Gnutella link and its
 * handshake, and the classes of each file (attacker.c: the Gnutella
 * streams; attacker_http.c: half-open handshakes, HTTP smuggling shapes
 * and refusal floods; attacker_probe.c: the good peer's timed searches).
 */
#ifndef GNODE_ATTACKER_H
#define GNODE_ATTACKER_H

#include <sys/types.h>
#include <netinet/in.h>

#include <stdint.h>

#define AT_WAIT_MS	10000	/* the longest any one wait may take */
#define AT_IN		(256 * 1024)	/* what the node sent, unread */
#define AT_BYE_TEXT	128	/* a Bye's text as printed */

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
/* One Gnutella link to the node. */
struct at_link {
	int		 fd;
	uint8_t		*in;
	size_t		 inlen;
	int		 bye;		/* a Bye came: code and text below */
	unsigned	 code;
	char		 text[AT_BYE_TEXT];
};

/* A socket bound to the source address, connected to the node within
 * AT_WAIT_MS; blocking unless nonblock. -1 (errno set) on failure. */
int		at_dial(const struct at_opt *, int nonblock);
/* Pace: sleep so that the n-th event since start comes no earlier than
 * n / rate seconds after it (rate 0: never sleeps). */
void		at_pace(uint64_t start, unsigned long n, unsigned rate);

/* One descriptor (a fresh MUID, TTL 1, hops 0) into out; its length. */
size_t		at_desc(uint8_t *out, uint8_t func, const uint8_t *payload,
		    size_t len);
int		at_write_all(int fd, const void *, size_t, uint64_t deadline);
/* The handshake as an ultrapeer; 0 when up, else -1 and the status line
 * (or what went wrong) in why. */
int		at_handshake(struct at_link *, int deflate, char *why,
		    size_t cap);

int		at_gnutella(const struct at_opt *, const char *class);
int		at_handshakes(const struct at_opt *);
int		at_http(const struct at_opt *);
int		at_probe(const struct at_opt *);

#endif
