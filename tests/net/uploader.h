/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * uploader.h: what the pieces of tests/net/uploader share: a connection,
 * a client, the options, the counters and the file being served.
 * uploader.c runs the sockets, uploader_http.c answers HTTP by the rules
 * the flags select, uploader_gnet.c is the Gnutella peer that points
 * searches at the file.
 */
#ifndef GNODE_TEST_UPLOADER_H
#define GNODE_TEST_UPLOADER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "wire/desc.h"
#include "wire/hs.h"
#include "wire/huge.h"

#define UP_MAXCONN	64		/* connections at once, ours included */
#define UP_MAXCLIENT	32		/* client IPs remembered */
#define UP_MAXRANGES	16
#define UP_IN		(HS_MAX_BLOCK + DESC_HDR_LEN + DESC_MAX_PAYLOAD)
#define UP_IDLE_MS	60000		/* a silent connection is closed */
#define UP_SEND_MAX	(4 * 1024 * 1024)	/* one sendfile() at most */
#define UP_LONG_EXTRA	4096		/* --long-body's extra bytes */
#define UP_EARLY_SLACK	250		/* ms a timer may fire early by */
#define UP_LIFETIME	60		/* PARQ lifetime, seconds */
#define UP_CALLBACKS	3		/* QUEUE callbacks per client at most */
#define UP_BUSY_RETRY	"45"		/* gtk-gnutella's Retry-After */
#define UP_POLL_MS	200		/* callbacks and --timeout this fine */

enum uc_state {
	UC_FIRST,		/* nothing read yet: HTTP or Gnutella */
	UC_HTTP,		/* reading a request head */
	UC_SEND,		/* writing an answer */
	UC_GNET_HS,		/* waiting for the handshake's third step */
	UC_GNET,		/* a Gnutella link: descriptors */
	UC_DIAL,		/* our QUEUE callback, connecting */
};

struct uc {
	int		 fd;
	enum uc_state	 st;
	enum uc_state	 after;		/* the state once the answer is out */
	uint32_t	 ip;		/* the peer's, host order */
	int		 http;		/* has sent an HTTP request */
	int		 cb;		/* we dialled it (a QUEUE callback) */
	int		 bad;		/* we sent it a bad answer */
	int		 close_after;	/* hang up once the answer is out */
	int		 we_closed;
	uint32_t	 answers;	/* data answers served on it */
	uint8_t		*in;
	size_t		 inlen;
	char		*out;		/* head (and in-memory body) */
	size_t		 outlen, outoff;
	uint64_t	 foff, fleft;	/* file bytes after out */
	size_t		 tail;		/* garbage bytes after the file's */
	uint64_t	 last;		/* ms of the last activity */
};

struct client {
	uint32_t	 ip;
	int		 placed;	/* holds a PARQ place */
	int		 through;	/* out of the queue: served */
	unsigned	 queued;	/* 503 Queued answers so far */
	unsigned	 hangups;	/* hung up on us while placed */
	uint64_t	 last503;	/* ms */
	char		 id[33];
	uint32_t	 node_ip;	/* its listening address, for QUEUE */
	uint16_t	 node_port;
	uint64_t	 cb_at;		/* ms to call back at, 0: none due */
	unsigned	 cbs;		/* callbacks made */
	int		 bad;		/* got a bad answer from us */
	int		 told;		/* has had our X-Available-Ranges */
	uint64_t	 told_ms;	/* last time (ms, monotonic) */
};

struct range {
	uint64_t	 first, last;
};


struct up_stats {
	uint64_t	 connections, requests, served, bytes, refused, queued;
	uint64_t	 callbacks, cb_requests, bad, after_bad, early, noid;
	uint64_t	 late, dropped, lacking, gnet, hits, overflow;
	uint64_t	 max_per_ip;	/* most HTTP connections from one IP */
};

struct up_opt {
	uint32_t	 ip;
	uint16_t	 port;
	const char	*path, *name, *stats;
	uint64_t	 cap;
	int		 first_cap, one_per_ip, parq_close, parq_cb;
	int		 bad_range, long_body;
	unsigned	 parq, retry, max_hangups, cb_after, timeout;
	uint64_t	 max_bytes;
	uint32_t	 cb_ip;
	uint16_t	 cb_port;
	struct range	 ranges[UP_MAXRANGES];
	size_t		 nranges;
	char		 avail[512];	/* X-Available-Ranges value */
};

extern struct up_stats	 st;
extern struct up_opt	 opt;
extern int		 dirty;		/* counters changed since written */

/* The file. */
extern int		 file_fd;
extern uint64_t		 file_size;
extern uint8_t		 file_sha1[SHA1_LEN], file_tth[TTH_LEN];
extern char		 file_urn[HUGE_URN_SHA1_LEN + 1], thex_uri[160];
extern uint8_t		*thex_body;
extern size_t		 thex_len;
extern uint8_t		 servent_guid[16];

extern struct uc	 conns[UP_MAXCONN];

/* uploader.c */
void __attribute__((noreturn, format(printf, 1, 2))) die(const char *, ...);
uint64_t	 now_ms(void);

/* Ranges we said this long ago may be asked about again (lacking). */
#define UPLOADER_RANGES_OLD_MS	1500
const char	*ipstr(uint32_t);
struct client	*client_of(uint32_t);
void		 client_unplace(struct client *);
unsigned	 uc_others(const struct uc *);
void		 uc_put(struct uc *, const void *, size_t);

/* uploader_http.c: a request head from u->in answered (1), or more
 * needed (0); the ranges we have; the file hashed and its tree built. */
int		 http_step(struct uc *);
void		 parse_ranges(const char *);
void		 load_file(void);

/* uploader_gnet.c: 1 when a step was taken, 0 to wait, -1 to hang up. */
int		 gnet_hs(struct uc *);
int		 gnet_step(struct uc *);

#endif
