/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * upload.h: answering HTTP requests for shared files. A request names a
 * file by URN (/uri-res/N2R?urn:sha1:...) or by index (/get/INDEX/NAME);
 * either is looked up in the share index, so no request path ever reaches
 * the file system. A URN being downloaded is served from its partial
 * file, its verified ranges only (X-Available-Ranges; 416 for the rest).
 * The answer is a response head plus, for GET, a byte range of the file (sent by the caller, zero-copy) or a THEX tree. A
 * limited number of upload slots; requests beyond them are queued the
 * PARQ 1.1 way (503 with X-Queued and Retry-After), ordered by when each
 * asked less the head start its credit gives it.
 */
#ifndef GNODE_UPLOAD_H
#define GNODE_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "wire/giv.h"
#include "wire/http.h"
#include "wire/huge.h"

#define UPLOAD_HEAD_MAX		4096
#define UPLOAD_QUEUE_MAX	256	/* PARQ entries kept */
#define UPLOAD_QUEUE_LIFE_S	300	/* an entry waits this long for a retry */
#define UPLOAD_RETRY_S		3	/* Retry-After for queued requests */
#define UPLOAD_RETRY_NEXT_S	1	/* and for the next to be served */
#define UPLOAD_GRACE_MS		5000	/* a queued one late past twice its
					 * Retry-After holds no slot back */
#define UPLOAD_KEEP_MS		2000	/* a slot waits for its holder's
					 * next connection this long */

struct share;
struct uploads;

/* What to send back for one request. */
struct upload_reply {
	int		 code;		/* HTTP status, for logs */
	char		 head[UPLOAD_HEAD_MAX];
	size_t		 headlen;
	int		 fd;		/* body from this file, or -1 */
	uint64_t	 off;		/* first byte */
	uint64_t	 len;		/* bytes of body */
	uint8_t		*body;		/* or this buffer (THEX), to free */
	int		 close;		/* close after the reply */
	char		 name[256];	/* file name, for `uploads` and logs */
	uint64_t	 size;		/* the whole file */
};

/* An upload in progress, for `uploads`. */
struct upload_info {
	uint32_t	 conn;
	uint32_t	 ip;
	char		 name[256];
	uint64_t	 size;
	uint64_t	 sent;		/* body bytes sent on this connection */
	uint64_t	 requests;
	uint64_t	 started_ms;
	/* What the requester gave us (filled by the node, xfer/credit.h):
	 * bytes (decayed), files it shares, its queue head start (s). */
	uint64_t	 credit_bytes;
	uint32_t	 credit_files;
	unsigned	 head_start;
};

struct upload_stats {
	size_t		 slots;		/* configured */
	size_t		 active;	/* held */
	size_t		 queued;	/* PARQ entries */
	uint64_t	 served;	/* 200/206 answers */
	uint64_t	 refused;	/* 4xx/5xx answers */
	uint64_t	 bytes;		/* body bytes sent */
};

#define UPLOAD_ALTS	10	/* addresses in X-Alt */
#define UPLOAD_FALTS	4	/* firewalled locations in X-Falt */

/* What an answer says of the file's other sources, and of us. */
struct upload_mesh {
	struct http_alt	 alt[UPLOAD_ALTS];	/* X-Alt */
	size_t		 nalt;
	struct falt	 falt[UPLOAD_FALTS];	/* X-Falt, to those that
						 * say fwalt */
	size_t		 nfalt;
	/* We are firewalled: X-FW-Node-Info (our GUID, our push proxies)
	 * and X-Push-Proxy, so that a downloader can push us again. */
	int		 firewalled;
	struct falt	 self;
};

/* Fill the mesh for a URN asked for by requester (host order), whose
 * request's fields may tell of other sources. */
typedef void	(*upload_mesh_fn)(void *arg, const uint8_t *sha1,
		    uint32_t requester, const struct hs *req,
		    struct upload_mesh *);

#define UPLOAD_RANGES_MAX	64	/* verified ranges a partial offers */

/*
 * A file still being downloaded, as an upload serves it: only the byte
 * ranges whose chunks passed their Tiger tree node (sorted, apart), from
 * fd, opened for this answer and owned by it.
 */
struct upload_partial {
	int		 fd;
	char		 name[256];
	uint64_t	 size;
	uint8_t		 tth[TTH_LEN];	/* its Tiger root, when has_tree */
	const uint8_t	*tree;		/* its THEX tree, breadth-first, or
					 * NULL (valid during the answer) */
	size_t		 ntree;
	unsigned	 depth;
	uint64_t	 ranges[UPLOAD_RANGES_MAX][2];	/* first, last */
	size_t		 nranges;
};

/* The partial file of this SHA-1 with at least one verified range: 1
 * with p filled, or 0 (none, partial sharing off, nothing verified). */
typedef int	(*upload_partial_fn)(void *arg, const uint8_t *sha1,
		    struct upload_partial *p);

/* A requester's head start in the PARQ queue, seconds (what it gave us,
 * xfer/credit.h; 0 for everyone when [xfer] reward is off). */
typedef unsigned (*upload_head_start_fn)(void *arg, uint32_t ip);

/* What uploads ask of the node that runs them. */
struct upload_hooks {
	upload_mesh_fn	  mesh;
	upload_partial_fn partial;
	upload_head_start_fn head_start;
	void		 *arg;
};

struct uploads	*uploads_new(struct share *, size_t slots,
		     const struct upload_hooks *);
void		 uploads_free(struct uploads *);
/*
 * Answer one parsed request from ip on connection conn at now (ms); the
 * connection keeps its slot until upload_done. Never touches a path that
 * is not a shared file's indexed path.
 */
void		 upload_answer(struct uploads *, const struct http_req *,
		     uint32_t ip, uint32_t conn, uint64_t now,
		     struct upload_reply *);
/* Body bytes of conn's current reply went out. */
void		 upload_sent(struct uploads *, uint32_t conn, uint64_t bytes);
/* The connection closed: its slot is free. */
void		 upload_done(struct uploads *, uint32_t conn);
/* An error answer for a request that could not be parsed. */
void		 upload_error(struct upload_reply *, int code, const char *);
size_t		 uploads_list(struct uploads *, struct upload_info *, size_t);
void		 uploads_stats(struct uploads *, struct upload_stats *);

#endif
