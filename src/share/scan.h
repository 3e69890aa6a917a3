/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * scan.h: bring the index in line with the shared directories. A scan walks
 * every shared directory (recursively; hidden entries skipped; symlinks
 * followed only when they lead inside a shared directory), hashes new and
 * changed files, keeps unchanged ones (same size and mtime) without hashing
 * them again, and at the end removes what vanished. It runs on its own
 * thread with its own database connection, so the node keeps answering.
 * Writes are committed as it goes: a scan killed half way leaves a database
 * that the next scan completes without hashing done files again.
 */
#ifndef GNODE_SCAN_H
#define GNODE_SCAN_H

#include <stddef.h>
#include <stdint.h>

struct scan_conf {
	const char	*const *dirs;
	size_t		 ndirs;
	uint64_t	 min_size;
	uint64_t	 max_size;	/* 0: no limit */
	const char	*const *exts;	/* without dots; none: every file */
	size_t		 nexts;
};

enum scan_phase {
	SCAN_WALKING,
	SCAN_HASHING,
	SCAN_DONE,
	SCAN_FAILED,
};

/* A snapshot of a scan's progress. */
struct scan_report {
	enum scan_phase	 phase;
	uint64_t	 files;		/* shareable files found */
	uint64_t	 unchanged;	/* kept without hashing */
	uint64_t	 to_hash;	/* files that need hashing */
	uint64_t	 hashed;	/* of which done */
	uint64_t	 bytes_to_hash;
	uint64_t	 bytes_hashed;
	uint64_t	 retry;		/* changed or vanished while hashed */
	uint64_t	 skipped;	/* unreadable, filtered, outside links */
	int64_t		 removed;	/* rows swept at the end */
	double		 seconds;
	double		 mb_per_s;	/* hashing rate so far */
};

struct scan;

/* Start scanning into the database at dbpath on a new thread. NULL with
 * *cause (to free) if the thread or database cannot start. */
struct scan	*scan_start(const char *dbpath, const struct scan_conf *,
		     char **cause);
/* Progress so far (any thread). */
void		 scan_progress(struct scan *, struct scan_report *);
/* Whether the scan has finished (done or failed). */
int		 scan_finished(struct scan *);
/* Ask the scan to stop at the next file; scan_free waits for it. */
void		 scan_cancel(struct scan *);
/* Wait for the thread, fill the final report, free. 0 if it completed. */
int		 scan_free(struct scan *, struct scan_report *);

#endif
