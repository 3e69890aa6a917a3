/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * dl.h: the state of one swarming download, with no I/O and no clock of
 * its own: the network layer asks it which chunk to fetch from which
 * source, tells it what came back, and saves what it exports. Times are
 * milliseconds on the caller's monotonic clock.
 *
 * A file is cut into chunks that are whole Tiger tree nodes, so each chunk
 * can be checked on its own against one node of the file's tree. Without
 * a tree, chunks are only written, and the whole file is checked against
 * its SHA-1 at the end. A chunk is fetched by one source at a time.
 *
 * Chunk life:  MISSING -pick-> ACTIVE -written-> WRITTEN -check-> DONE
 *              ACTIVE -source failed/idle/banned-> MISSING
 *              WRITTEN -check fails-> MISSING (the writer is banned)
 *
 * A source may send less than it was asked (gtk-gnutella cuts its
 * answers to 512 KiB, then to about 20 s of its rate), so a chunk keeps
 * its fill: the bytes from its start already written, in order. A later
 * answer, or another source, goes on from there. The chunk is judged by
 * its tree node only when whole; when its bytes came from more than one
 * source and it fails, nobody can be blamed, so it is fetched again whole
 * from one source, and a second failure bans that one.
 * Download:    QUEUED -pick-> ACTIVE -all chunks in-> VERIFYING -ok-> DONE
 *              VERIFYING -bad file-> ACTIVE (chunks refetched) or FAILED
 *              QUEUED/ACTIVE <-> PAUSED; any but DONE -> CANCELLED
 *              QUEUED/ACTIVE -disk full-> STALLED -space back-> QUEUED
 */
#ifndef GNODE_DL_H
#define GNODE_DL_H

#include <stddef.h>
#include <stdint.h>

#include "wire/huge.h"

/*
 * Chunk size: the smallest Tiger tree node size (1024 bytes times a power
 * of two) that is at least DL_CHUNK_MIN, gives at most DL_CHUNKS_MAX
 * chunks, and is no smaller than the nodes of the level gtk-gnutella
 * serves (tt_good_depth): a tree from any such peer then has one node per
 * chunk. A file no bigger than one such node is one chunk; an empty file
 * has none.
 */
#define DL_CHUNK_MIN		(256 * 1024)
#define DL_CHUNKS_MAX		4096
#define DL_SOURCES_MAX		64
#define DL_BACKOFF_MS		5000	/* first back-off after a failure */
#define DL_BACKOFF_MAX_MS	(10 * 60 * 1000)
#define DL_FAILS_MAX		10	/* failures in a row: gone */
#define DL_RETRIES_MAX		3	/* whole-file checks that may fail */
#define DL_NOSRC		0xff	/* chunk written by no known source */
#define DL_MIXED		0xfe	/* bytes of a chunk from several */
#define DL_QID_MAX		64	/* hex digits of a PARQ queue ID */
#define DL_PROXIES_MAX		4	/* push proxies kept a source */
#define DL_PUSH_TRIES		3	/* Pushes with no GIV: unreachable */

enum dl_state {
	DL_QUEUED,		/* nothing fetched this run yet */
	DL_ACTIVE,		/* chunks being fetched */
	DL_PAUSED,		/* by the user; nothing is picked */
	DL_VERIFYING,		/* every chunk in: the caller checks the file */
	DL_DONE,		/* the file checked out */
	DL_FAILED,		/* the file failed its check too often */
	DL_CANCELLED,		/* by the user */
	DL_STALLED		/* its partial file could not be written
				 * (a full disk): nothing is picked until
				 * the caller sees space again */
};

enum dl_chunk_state {
	DL_CHUNK_MISSING,
	DL_CHUNK_ACTIVE,	/* being fetched by chunk.src */
	DL_CHUNK_WRITTEN,	/* on disk, not checked against the tree */
	DL_CHUNK_DONE		/* on disk and checked */
};

enum dl_src_status {
	DL_SRC_USABLE,		/* idle, may be given a chunk */
	DL_SRC_BUSY,		/* fetching source.chunk */
	DL_SRC_BACKOFF,		/* usable again at source.until */
	DL_SRC_BANNED,		/* sent a chunk that failed its check */
	DL_SRC_GONE		/* 404, wrong URN, or failed too often */
};

/* How a source let us down, for dl_source_failed. */
enum dl_fail {
	DL_FAIL_CONNECT,	/* refused, timed out, dropped: back off */
	DL_FAIL_GONE		/* 404, 410, wrong Content-URN: never again */
};

struct dl_chunk {
	uint8_t		 state;		/* enum dl_chunk_state */
	uint8_t		 src;		/* fetcher or writer, or DL_NOSRC */
	uint8_t		 writer;	/* of the fill (or the chunk, once
					 * written): a slot, DL_MIXED or
					 * DL_NOSRC */
	uint8_t		 solo;		/* failed mixed: one source, whole */
	uint64_t	 fill;		/* MISSING or ACTIVE: bytes from the
					 * start already written */
};

struct dl_source {
	uint32_t	 ip;		/* host order */
	uint16_t	 port;
	uint32_t	 index;		/* file index for /get/, 0 unknown */
	enum dl_src_status status;
	uint32_t	 chunk;		/* while DL_SRC_BUSY: its run's first */
	uint32_t	 nrun;		/* active chunks from chunk on */
	uint64_t	 until;		/* while DL_SRC_BACKOFF, ms */
	uint32_t	 fails;		/* failures in a row */
	uint64_t	 bytes;		/* bytes of chunks it wrote */
	uint32_t	 ok;		/* chunks that passed their check */
	uint32_t	 bad;		/* chunks that failed it */
	uint64_t	(*avail)[2];	/* the byte ranges it has (first,
					 * last), sorted, from
					 * X-Available-Ranges; NULL: all */
	size_t		 navail;
	uint64_t	 avail_until;	/* ms: avail is believed until then
					 * (a partial source grows); 0:
					 * always */
	/* A PARQ place in the source's queue (503 Queued), while
	 * queue_until (ms) has not passed: the ID goes back with every
	 * request, and the position is shown. */
	char		 queue_id[DL_QID_MAX + 1];
	uint32_t	 queue_pos;
	uint32_t	 queue_len;
	uint64_t	 queue_until;
	/* A firewalled source (its hit said push): reached only by asking
	 * it, with a Push, to connect to us (GIV), by its servent GUID;
	 * ip and port are what its hit said, and may be of no use. */
	uint8_t		 guid[16];
	unsigned	 push:1;
	unsigned	 unreachable:1;	/* gone: no GIV after DL_PUSH_TRIES */
	uint8_t		 push_tries;	/* Pushes sent since the last GIV */
	uint8_t		 push_asks;	/* proxies asked for the last one and
					 * not yet failed */
	unsigned	 push_routed:1;	/* the last went along a route */
	uint8_t		 npp;		/* its push proxies */
	uint32_t	 pp_ip[DL_PROXIES_MAX];
	uint16_t	 pp_port[DL_PROXIES_MAX];
};

/*
 * One download. Read its fields freely; change them only through the
 * functions below, which keep the counts and the byte totals in step.
 */
struct dl {
	int64_t		 id;		/* the caller's (the database row) */
	uint8_t		 sha1[SHA1_LEN];
	uint8_t		 tth[TTH_LEN];
	int		 has_tth;
	char		*name;		/* owned */
	uint64_t	 size;
	uint64_t	 chunk;		/* per chunk; the last may be less */
	uint32_t	 nchunks;
	struct dl_chunk	*chunks;	/* owned, nchunks */
	uint32_t	 count[4];	/* chunks in each dl_chunk_state */
	uint64_t	 bytes;		/* in written or done chunks */
	uint64_t	 verified;	/* in done chunks */
	enum dl_state	 state;
	unsigned	 retries;	/* whole-file checks failed */

	/* The tree level that checks chunks: node i covers chunk i. */
	uint8_t		*level;		/* owned, nchunks nodes, or NULL */
	unsigned	 level_depth;

	struct dl_source src[DL_SOURCES_MAX];
	size_t		 nsrc;		/* slots in use, some may be gone */

	/* Where a source with the whole file starts its runs: a number
	 * the caller draws, so that the downloaders of one file ask its
	 * seed for different parts and get the rest from one another.
	 * Such a source is given first the chunks no partial source of
	 * ours has. 0: from the start. */
	uint32_t	 spread;
};

struct dl_progress {
	uint64_t	 size;
	uint64_t	 bytes;		/* written or done, and the parts of
					 * chunks in so far (their fills) */
	uint64_t	 verified;	/* done */
	unsigned	 percent;	/* of bytes, 0 to 100 */
	size_t		 sources;	/* neither banned nor gone */
	size_t		 busy;		/* fetching now */
	uint32_t	 chunks;
	uint32_t	 missing, active, written, done;
};

/* Bytes per chunk for a file of this size (see DL_CHUNK_MIN). */
uint64_t	 dl_chunk_size(uint64_t size);
/* The tree depth whose nodes are chunks of this size, or -1 if no level
 * of this file's tree has nodes of that size. */
int		 dl_tree_depth_for(uint64_t size, uint64_t chunk);

/* A new download, QUEUED, every chunk missing. name is copied; tth may be
 * NULL (no Tiger root known). Free with dl_free. */
struct dl	*dl_new(int64_t id, const uint8_t *sha1, const char *name,
		     uint64_t size, const uint8_t *tth);
/* Free a download and all it owns; NULL is allowed. */
void		 dl_free(struct dl *);
/* Bytes from the start of the file and length of a chunk. */
void		 dl_chunk_span(const struct dl *, uint32_t chunk, uint64_t *off,
		     uint64_t *len);

/*
 * Add a source, or refresh one with the same address (its file index is
 * updated, a gone one is usable again; a banned one stays banned).
 * Returns its slot, or -1 if the address is 0 or the table is full of
 * sources that are not gone. A slot whose source went gone may be given
 * to a new source, so a caller drops a slot once it reported it gone.
 */
int		 dl_add_source(struct dl *, uint32_t ip, uint16_t port,
		     uint32_t index);
/*
 * The same for a firewalled source, known by its servent GUID (a source
 * with the same GUID is refreshed: its address, index and proxies, given
 * as n pairs, replace the old; a gone one is usable again with its tries
 * forgotten). ip and port may be 0. Returns its slot or -1.
 */
int		 dl_add_push_source(struct dl *, const uint8_t *guid,
		     uint32_t ip, uint16_t port, uint32_t index,
		     const uint32_t *pp_ip, const uint16_t *pp_port, size_t n);
/*
 * A Push was sent to a firewalled source picked for a chunk, along a
 * route (routed) and through asks of its proxies: the chunk is missing
 * again and the source waits until until for its GIV. Returns the tries
 * so far (1 for the first); past DL_PUSH_TRIES the source is gone as
 * unreachable instead, and 0 is returned.
 */
unsigned	 dl_source_pushed(struct dl *, size_t src, uint64_t until,
		     int routed, unsigned asks);
/* One of those proxies could not be asked (no connection, no 202): when
 * it was the last hope of this try (no route, no other ask), the wait
 * ends at now, so the next try (or the verdict) comes at once. */
void		 dl_source_push_lost(struct dl *, size_t src, uint64_t now);
/* Its GIV came: the source is usable now and its tries start again. */
void		 dl_source_given(struct dl *, size_t src);
/* No way to send it a Push (no route, no proxy): gone as unreachable. */
void		 dl_source_unreachable(struct dl *, size_t src);

/*
 * Offer the file's THEX tree (breadth-first, 24 bytes a node, nodes
 * copied). 0 if it holds together under the download's Tiger root and
 * reaches the depth where nodes are chunks: from now on each chunk is
 * checked against its node. -1 otherwise (no root, a wrong or short
 * tree): chunks stay unchecked until the whole file is.
 */
int		 dl_set_tree(struct dl *, const uint8_t *nodes, size_t nnodes);

/*
 * Pick a source and a chunk for it: 1 with the source's slot, the chunk
 * and its byte range (the chunk becomes ACTIVE, the source BUSY), or 0 if
 * the download is not running, no chunk is missing, or no source may be
 * used at now. The best source has the fewest failures in a row, then the
 * most checked chunks, then the most bytes; chunks go in file order, one
 * source each. A download with every chunk in turns VERIFYING here.
 */
int		 dl_pick(struct dl *, uint64_t now, size_t *src,
		     uint32_t *chunk, uint64_t *off, uint64_t *len);
/* The same among the sources ok(arg, source) allows (the caller's own
 * rules: one connection per host, say); ok NULL allows every one. */
int		 dl_pick_if(struct dl *, uint64_t now,
		     int (*ok)(void *, const struct dl_source *), void *arg,
		     size_t *src, uint32_t *chunk, uint64_t *off, uint64_t *len);
/* The same for one given source (to reuse its open connection): 1 or 0.
 * The range given is what the chunk still lacks: from its fill on. */
int		 dl_pick_for(struct dl *, size_t src, uint64_t now,
		     uint32_t *chunk, uint64_t *off, uint64_t *len);
/*
 * Lengthen a busy source's run: the MISSING chunks right after it become
 * its too, up to max chunks in all, so that one request can fetch them.
 * Returns the run's length in chunks (0 if the source is not busy).
 */
uint32_t	 dl_extend(struct dl *, size_t src, uint32_t max);
/*
 * The first bytes bytes of an ACTIVE chunk are written (bytes grows as
 * they come; no more than the chunk). 0, or -1 if the chunk is not
 * active or bytes is past its end.
 */
int		 dl_chunk_fill(struct dl *, uint32_t chunk, uint64_t bytes);
/*
 * An ACTIVE chunk was received whole and written: it becomes WRITTEN, and
 * when it was the last of its source's run (chunks come in file order)
 * the source is free for the next one. Without a tree this is the last
 * word on it until the file is checked. 0, or -1 if it was not active.
 */
int		 dl_chunk_written(struct dl *, uint32_t chunk);
/*
 * Check a WRITTEN chunk's data[0..len) against its tree node: 1 it is
 * DONE; 0 there is no tree, so it stays WRITTEN; -1 it does not match (a
 * wrong length does not either): it is MISSING again, and its writer (put
 * in *liar, else -1) is banned for this file; -2 the chunk was not
 * WRITTEN, nothing changed.
 */
int		 dl_chunk_check(struct dl *, uint32_t chunk, const void *data,
		     size_t len, int *liar);
/*
 * The same check when the chunk's Tiger tree root was computed elsewhere
 * (off the event loop): root is that of the chunk's bytes, or NULL when
 * they could not be read back, which makes the chunk MISSING again with
 * no one to blame.
 */
int		 dl_chunk_verdict(struct dl *, uint32_t chunk,
		     const uint8_t *root, int *liar);
/* The first WRITTEN chunk at or after from that a tree can still check
 * (one kept across a restart before the tree came), or -1. */
long		 dl_next_unchecked(const struct dl *, uint32_t from);

/* A source failed: its chunk is missing again; DL_FAIL_CONNECT backs it
 * off (doubling from DL_BACKOFF_MS, capped, gone after DL_FAILS_MAX in a
 * row), DL_FAIL_GONE drops it. */
void		 dl_source_failed(struct dl *, size_t src, enum dl_fail,
		     uint64_t now);
/* A source asked us to come back at until (503 with Retry-After, a PARQ
 * queue slot): its chunk is missing again; no failure is counted. */
void		 dl_source_wait(struct dl *, size_t src, uint64_t until);
/* A source's fetch was stopped by us: its chunk is missing again and the
 * source is usable. */
void		 dl_source_idle(struct dl *, size_t src);
/* Never use a source again for this file (a persisted ban, or a lie
 * found by the caller); its chunk is missing again. */
void		 dl_source_ban(struct dl *, size_t src);
/*
 * What a source has (X-Available-Ranges): n byte ranges, first and last
 * inclusive, in any order (n may be 0: it has nothing yet). It is asked
 * for a chunk when it has the chunk's next byte (after its fill), and
 * only for as far as it has; a run goes on only through chunks it has
 * whole. ranges NULL: it has the whole file again.
 */
void		 dl_source_ranges(struct dl *, size_t src,
		     const uint64_t (*ranges)[2], size_t n);
/* A partial source's ranges hold until at (ms): from then on, when they
 * show nothing we lack, it is asked for the first missing chunk anyway,
 * and its answer says its ranges anew. */
void		 dl_source_recheck(struct dl *, size_t src, uint64_t at);
/* Whether the source has the chunk's next byte (see dl_source_ranges). */
int		 dl_source_has(const struct dl *, size_t src, uint32_t chunk);
/* How far the source has the file from byte off on, without a gap: the
 * offset just past that, UINT64_MAX when it has the whole file, off
 * itself when it lacks byte off. */
uint64_t	 dl_source_reach(const struct dl *, size_t src, uint64_t off);
/* Keep a PARQ place: id (up to DL_QID_MAX characters; longer ones are
 * not kept), position and length, valid until until (ms). */
void		 dl_source_queued(struct dl *, size_t src, const char *id,
		     uint32_t pos, uint32_t len, uint64_t until);
/* The place is ours no more (served, or it expired). */
void		 dl_source_unqueue(struct dl *, size_t src);

/* Every chunk is in: none missing or active, and none waiting for a tree
 * check. An empty file is complete at once. */
int		 dl_complete(const struct dl *);
/*
 * The caller checked the whole file (SHA-1) while VERIFYING: ok, it is
 * DONE; not ok, every chunk is missing again and the tree dropped (it
 * disagrees with the SHA-1), and the download runs again, or FAILED after
 * DL_RETRIES_MAX bad files. 0, or -1 if it was not VERIFYING.
 */
int		 dl_file_checked(struct dl *, int ok);
void		 dl_progress(const struct dl *, struct dl_progress *);

/* Stop picking; active chunks are missing again and busy sources usable
 * (the caller closes their connections). 0, or -1 if not running. */
int		 dl_pause(struct dl *);
/* A paused, failed or stalled download runs again (QUEUED). 0 or -1. */
int		 dl_resume(struct dl *);
/* Its file cannot grow (no space left): stop picking as dl_pause does,
 * but STALLED, which the caller lifts by itself with dl_unstall. 0, or
 * -1 if not running. A stalled download may still be paused. */
int		 dl_stall(struct dl *);
/* Space is back: a STALLED download runs again (QUEUED). 0, or -1. */
int		 dl_unstall(struct dl *);
/* Give up for good (as dl_pause, then CANCELLED). 0, or -1 if DONE. */
int		 dl_cancel(struct dl *);
/* The state after a restart: a download that was running (ACTIVE,
 * VERIFYING or STALLED) starts QUEUED, any other keeps its state. */
void		 dl_restore_state(struct dl *, enum dl_state);

const char	*dl_state_name(enum dl_state);
/* The state of a name from dl_state_name, or -1. */
int		 dl_state_parse(const char *);
const char	*dl_src_status_name(enum dl_src_status);

/*
 * The chunk states to persist: two bits a chunk, chunk i in bits 2*(i%4)
 * of byte i/4: 0 missing, 1 written, 2 done. Only what survives a restart
 * is kept: done chunks, and written ones when there is no tree (with a
 * tree they are missing until checked); active ones are missing.
 * dl_export_len gives the bytes; dl_export_chunks writes them into buf
 * (cap bytes) and returns the length, or -1 if cap is too small.
 */
size_t		 dl_export_len(const struct dl *);
long		 dl_export_chunks(const struct dl *, uint8_t *buf, size_t cap);
/*
 * Restore chunk states exported for chunks of chunk bytes. 0, or -1 (and
 * nothing changed) if the chunk size is not this download's, the length
 * is wrong, a value is unknown, or a chunk is active.
 */
int		 dl_import_chunks(struct dl *, uint64_t chunk,
		     const uint8_t *buf, size_t len);

#endif
