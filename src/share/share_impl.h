/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * share_impl.h: the inside of struct share, shared by share.c (the
 * connection, schema and lookups), share_write.c (rows in and out),
 * share_find.c (searches), share_hosts.c (the saved host cache),
 * share_thex.c (saved THEX trees), share_dl.c (download state) and
 * share_dirs.c (directories saved from the command line);
 * nothing outside share/ includes it.
 */
#ifndef GNODE_SHARE_IMPL_H
#define GNODE_SHARE_IMPL_H

#include <sqlite3.h>

#include "share/share.h"

/* Another connection (a scan, a one-shot command) may hold the write lock
 * for one batch of rows; wait that long rather than fail. */
#define SHARE_BUSY_MS		10000
#define SHARE_CHUNK_MIN		4096
#define SHARE_PREFIX_MAX	16	/* characters of prefix indexed */
#define SHARE_OPTIMIZE_MIN	1000	/* rows of words written: optimize */
/*
 * Read the database through mmap: a search reads rows all over the files
 * table, and a mapped page costs no system call. Large enough for a few
 * million files; beyond it SQLite reads the rest as usual.
 */
#define SHARE_MMAP_BYTES	(1024ll * 1024 * 1024)
/* SQLite's page cache: reads go through mmap, so it fills only on the
 * connection that writes (a scan), where it keeps the path and SHA-1
 * indexes' pages between commits. */
#define SHARE_CACHE_KIB		65536

enum share_stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_BY_PATH,
	ST_BY_ID,
	ST_BY_SHA1,
	ST_FIND,
	ST_LIST,
	ST_LOOKUP,
	ST_OLD,
	ST_INSERT,
	ST_UPDATE,
	ST_WORDS_ADD,
	ST_WORDS_DEL,
	ST_TOUCH,
	ST_DELETE,
	ST_SWEEP_OLD,
	ST_SWEEP_DELETE,
	ST_GEN_GET,
	ST_GEN_SET,
	ST_STATS,
	ST_NAMES,
	ST_OPTIMIZE,
	ST_HOSTS_CLEAR,
	ST_HOSTS_PUT,
	ST_HOSTS_LOAD,
	ST_CREDITS_CLEAR,
	ST_CREDITS_PUT,
	ST_CREDITS_LOAD,
	ST_THEX_GET,
	ST_THEX_PUT,
	ST_DL_ADD,
	ST_DL_ID,
	ST_DL_PROGRESS,
	ST_DL_SOURCE,
	ST_DL_LOAD,
	ST_DL_PATH,
	ST_DL_SOURCES,
	ST_DL_REMOVE,
	ST_GUID_GET,
	ST_GUID_SET,
	ST_DIRS_ADD,
	ST_DIRS_DEL,
	ST_DIRS_LIST,
	ST_COUNT
};

/* Arena chunks: never moved, so earlier strings survive a later copy. */
struct share_chunk {
	struct share_chunk	*next;
	size_t			 size;
	size_t			 used;
	char			 data[];
};

/* A growable byte buffer. */
struct share_buf {
	char		*p;
	size_t		 len;
	size_t		 cap;
};

/* The keywords of one search. */
struct share_kw {
	struct share_buf	 text;	/* the keywords, each NUL-ended */
	size_t			 off[SHARE_MAX_KEYWORDS];
	size_t			 n;
	int			 toomany;
};

struct share {
	sqlite3			*db;
	sqlite3_stmt		*st[ST_COUNT];
	struct share_chunk	*arena;
	struct share_buf	 words;	/* a name's terms for the FTS table */
	struct share_buf	 old;	/* a row's previous name */
	struct share_buf	 expr;	/* a MATCH expression */
	struct share_kw		 kw;
	struct share_file	*tmp;	/* share_match's keyword hits */
	size_t			 tmpcap;
	uint64_t		 wordwrites; /* rows of words since optimize */
};

void	 share_buf_add(struct share_buf *b, const void *p, size_t n);
void	 share_buf_set(struct share_buf *b, const void *p, size_t n);
void	 share_arena_reset(struct share *sh);
const char *share_arena_copy(struct share *sh, const void *p, size_t n);
void	 share_sqlerr(struct share *sh, const char *what);
sqlite3_stmt *share_stmt(struct share *sh, enum share_stmt which);
int	 share_done(struct share *sh, sqlite3_stmt *st);
int	 share_exec(struct share *sh, enum share_stmt which);
int	 share_unit_begin(struct share *sh, int *own);
int	 share_unit_end(struct share *sh, int own, int ok);
int	 share_words(struct share *sh, int64_t id, const char *name,
	    size_t len, int del);
void	 share_row(struct share *sh, sqlite3_stmt *st, struct share_file *f);
long	 share_rows(struct share *sh, sqlite3_stmt *st,
	    struct share_file *out, size_t max);
int	 share_one(struct share *sh, sqlite3_stmt *st, struct share_file *f);
int	 share_sha1_row(struct share *sh, const uint8_t *sha1,
	    struct share_file *f);

#endif
