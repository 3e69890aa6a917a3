/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * share.h: the index of what a node shares, in one SQLite database per node
 * (WAL mode, schema version in PRAGMA user_version, migrations applied on
 * open). A file row holds path, name, size, mtime, SHA-1 and Tiger tree
 * root; an FTS5 table holds each name's words (lower case, accents folded,
 * split on punctuation and underscores) for keyword search. Row ids are the
 * file indexes that hits and /get/INDEX/ requests use.
 *
 * Strings in a struct share_file that a call fills point into the share's
 * own buffer and stay valid until the next call on that share.
 */
#ifndef GNODE_SHARE_H
#define GNODE_SHARE_H

#include <stddef.h>
#include <stdint.h>

#include "wire/qhit.h"
#include "wire/query.h"

#define SHARE_MAX_KEYWORDS	32	/* more in one search is refused */
#define SHARE_MIN_KEYWORD	2	/* shorter words are ignored */

struct share;

struct share_file {
	int64_t		 id;		/* file index, > 0 */
	const char	*path;		/* absolute path */
	const char	*name;		/* base name, as on disk */
	uint64_t	 size;
	int64_t		 mtime_ns;
	uint8_t		 sha1[SHA1_LEN];
	uint8_t		 tth[TTH_LEN];
	unsigned	 has_sha1:1;
	unsigned	 has_tth:1;
};

struct share_stats {
	uint64_t	 files;		/* rows, hashed or not */
	uint64_t	 hashed;	/* rows with a SHA-1: what we answer with */
	uint64_t	 bytes;		/* size of the hashed files */
	uint64_t	 generation;	/* last complete scan */
};

/* Open or create the database at path (":memory:" for tests), migrating it
 * to the current schema. NULL with *cause (to free) on failure. */
struct share	*share_open(const char *path, char **cause);
void		 share_close(struct share *);

/* Group writes; a scan commits every few hundred files. 0 or -1. */
int		 share_begin(struct share *);
int		 share_commit(struct share *);

/* The row for a path: 1 found, 0 not, -1 on error. */
int		 share_by_path(struct share *, const char *path,
		     struct share_file *);
int		 share_by_id(struct share *, int64_t id, struct share_file *);
/* The row with this SHA-1 (the first, if the same content is shared
 * twice): 1, 0 or -1. */
int		 share_by_sha1(struct share *, const uint8_t *sha1,
		     struct share_file *);
/*
 * Insert or update the row for f->path with f's size, mtime and hashes,
 * seen in scan generation gen; keeps the id of an existing row (f->id is
 * ignored and set). Updates the name's words. 0 or -1.
 */
int		 share_put(struct share *, struct share_file *, uint64_t gen);
/* An unchanged file was seen again in generation gen. 0 or -1. */
int		 share_touch(struct share *, int64_t id, uint64_t gen);
/* Remove one row (and its words). 0 or -1. */
int		 share_remove(struct share *, int64_t id);
/* End of a complete scan: remove every row not seen in gen and record gen
 * as the last complete scan. Returns rows removed, or -1. */
int64_t		 share_sweep(struct share *, uint64_t gen);
/* The generation a new scan should use (last complete + 1). */
uint64_t	 share_next_generation(struct share *);

/*
 * Files whose names hold every keyword of words (as word prefixes, in any
 * case, accents folded; keywords shorter than SHARE_MIN_KEYWORD ignored),
 * hashed files only, lowest ids first, at most max. Returns the count, 0
 * when no keyword is usable, or -1 with *cause (a constant) when the text
 * has more than SHARE_MAX_KEYWORDS keywords or the database fails. FTS
 * syntax in the words has no effect: every keyword is quoted.
 */
long		 share_find(struct share *, const char *words, size_t len,
		     struct share_file *out, size_t max, const char **cause);
/* Hashed files in id order after after_id, at most max: for listing. */
long		 share_list(struct share *, int64_t after_id,
		     struct share_file *out, size_t max);
int		 share_stats(struct share *, struct share_stats *);
/* Call fn with every hashed file's name (for the QRP table). 0 or -1. */
int		 share_each_name(struct share *,
		     void (*fn)(void *, const char *, size_t), void *arg);

/*
 * Answer a query as real servents do: files matching all its keywords, or
 * any of its SHA-1 URNs (HUGE: text OR URNs), as hit records (index, size,
 * name, SHA-1, Tiger root) pointing into the share's buffer. At most max.
 */
size_t		 share_match(struct share *, const struct query *,
		     struct qhit_record *out, size_t max);

/* A host of the node's persisted host cache. */
struct share_host {
	uint32_t	 ip;		/* host order */
	uint16_t	 port;
	int64_t		 last_seen;	/* Unix seconds we last heard of it */
	uint32_t	 fails;		/* failed connects in a row */
};

/* Replace the saved host cache with these n hosts, in one transaction.
 * 0 or -1. */
int		 share_hosts_save(struct share *, const struct share_host *,
		     size_t n);
/* The saved hosts, most recently seen first, at most max: count or -1. */
long		 share_hosts_load(struct share *, struct share_host *out,
		     size_t max);

/* What a host gave us, as the node keeps it for giving back
 * (xfer/credit.h): bytes decayed to at, and the files it shares. */
struct share_credit {
	uint32_t	 ip;		/* host order */
	uint64_t	 bytes;
	uint64_t	 at;		/* ms, wall clock */
	uint32_t	 files;
};

/* Replace the saved credits with these n, in one transaction: 0 or -1. */
int		 share_credits_save(struct share *,
		     const struct share_credit *, size_t n);
/* The saved credits, most recent first, at most max: count or -1. */
long		 share_credits_load(struct share *, struct share_credit *out,
		     size_t max);

/*
 * The saved THEX tree of file id (breadth-first, 24 bytes a node, down to
 * *depth): 1 with *nodes malloc'd for the caller to free, 0 if there is
 * none or it no longer matches the file's size and Tiger root, -1 on
 * error.
 */
int		 share_thex_get(struct share *, int64_t id, unsigned *depth,
		     uint8_t **nodes, size_t *nnodes);
/* Save (or replace) the tree of file id; the nodes are copied. 0 or -1
 * (also when there is no such file). */
int		 share_thex_put(struct share *, int64_t id, unsigned depth,
		     const uint8_t *nodes, size_t nnodes);

/*
 * Downloads kept across restarts (xfer/dl.h holds the live state): one
 * row per file being fetched, its state by name and its exported chunk
 * states, plus the sources known for it. Pointers in a loaded row are
 * valid only during the callback.
 */
struct share_dl {
	int64_t		 id;
	uint8_t		 sha1[SHA1_LEN];
	uint8_t		 tth[TTH_LEN];
	unsigned	 has_tth:1;
	const char	*name;
	uint64_t	 size;
	const char	*state;
	uint64_t	 chunk_size;	/* what chunks was exported for */
	const uint8_t	*chunks;	/* NULL when nothing was saved */
	size_t		 chunks_len;
	int64_t		 created;	/* Unix seconds */
	int64_t		 updated;
	const char	*path;		/* where it was saved once done, or NULL */
};

struct share_dl_source {
	uint32_t	 ip;		/* host order */
	uint16_t	 port;
	uint32_t	 idx;		/* file index for /get/, 0 unknown */
	int		 banned;
};

/* Save a new download (id ignored) at now: 1 with *id its new row, 0
 * with *id the row already saved for that SHA-1 (left as it is), -1. */
int		 share_dl_add(struct share *, const struct share_dl *,
		     int64_t now, int64_t *id);
/* Save a download's state and chunk states (copied). 0, or -1 (also when
 * there is no such row). */
int		 share_dl_save_progress(struct share *, int64_t id,
		     const char *state, uint64_t chunk_size,
		     const uint8_t *chunks, size_t len, int64_t now);
/* Remember where a finished download was saved. 0, or -1 (also when
 * there is no such row). */
int		 share_dl_set_path(struct share *, int64_t id, const char *);
/* Save or update one source of a download. 0 or -1. */
int		 share_dl_save_source(struct share *, int64_t id,
		     const struct share_dl_source *);
/* Call fn for every saved download, oldest first, with its sources.
 * Returns the number of downloads or -1. */
long		 share_dl_load_all(struct share *, void (*fn)(void *,
		     const struct share_dl *, const struct share_dl_source *,
		     size_t), void *arg);
/* Forget a download and its sources. 0 or -1. */
int		 share_dl_remove(struct share *, int64_t id);

/*
 * The node's servent GUID, kept so that a restarted node is the same one
 * to the nodes that route pushes to it. get: 1 with guid filled, 0 when
 * none was ever saved, -1 on error. set: save or replace it, 0 or -1.
 */
#define SHARE_GUID_LEN	16
int		 share_guid_get(struct share *, uint8_t *guid);
int		 share_guid_set(struct share *, const uint8_t *guid);

/*
 * Directories shared from the command line (--share DIR), saved with the
 * node so that a later scan without the flag still walks them; the config
 * file's are the config's and are not saved. Paths are absolute, as
 * given (--share resolves them).
 *
 * add: 1 saved, 0 already saved, -1. forget: 1 dropped, 0 not saved, -1.
 * list: the saved paths, oldest first, in *out (each and the array
 * malloc'd; share_dirs_free), their count or -1.
 */
int		 share_dirs_add(struct share *, const char *path,
		     int64_t now);
int		 share_dirs_forget(struct share *, const char *path);
long		 share_dirs_list(struct share *, char ***out);
void		 share_dirs_free(char **, size_t);
/*
 * What a scan walks: the config's n directories, of which the last
 * nsaved came from --share and are saved first (share_dirs_add), then
 * every saved one not among them. *out as for share_dirs_list, its count
 * in *nout; 0, or -1 when the saved ones cannot be read or written (a
 * scan then must not run: it would drop their files).
 */
int		 share_dirs_scan(struct share *, char *const *dirs, size_t n,
		     size_t nsaved, char ***out, size_t *nout);

#endif
