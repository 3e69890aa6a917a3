/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * scan.c: the scan thread. Phase one walks the directories with stat only
 * and marks unchanged files seen; phase two hashes what is new or changed.
 * A file is indexed only if its size and mtime are the same before and
 * after hashing, so a file that changes under us is never indexed with a
 * wrong hash: it is kept unhashed (never offered) and hashed next time.
 * The node only ever reads inside shared directories.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "share/hash.h"
#include "share/scan.h"
#include "share/share.h"
#include "share/tt.h"

#define SCAN_COMMIT_FILES	256	/* commit at least this often */
#define SCAN_COMMIT_MS		1000	/* or this often */

struct scan_item {
	char		*path;
	uint64_t	 size;
	int64_t		 mtime_ns;
};

struct scan {
	pthread_t	 thread;
	char		*dbpath;
	char		*logname;	/* whose scan it is, or NULL */
	char		**roots;	/* canonical shared directories */
	size_t		 nroots;
	uint64_t	 min_size;
	uint64_t	 max_size;
	char		**exts;
	size_t		 nexts;
	struct share	*share;
	uint64_t	 gen;
	struct scan_item *items;	/* to hash */
	size_t		 nitems;
	size_t		 itemcap;
	uint64_t	*dirs;		/* visited (dev, ino) set, open addressing */
	size_t		 dircap;
	size_t		 ndirs;
	int		 cancel;	/* atomic */
	int		 failed;	/* a write or commit failed: no sweep */
	int		 completed;
	uint64_t	 uncommitted;
	uint64_t	 last_commit_ms;
	uint64_t	 started_ms;
	struct scan_report r;		/* counters updated atomically */
};

static pthread_once_t	 scan_hash_once = PTHREAD_ONCE_INIT;

static uint64_t
scan_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
scan_add(uint64_t *field, uint64_t n)
{
	__atomic_add_fetch(field, n, __ATOMIC_RELAXED);
}

static int64_t
scan_mtime(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Insert key into an open-addressing set of cap slots; 0 if present. */
static int
scan_set_put(uint64_t *tab, size_t cap, uint64_t key)
{
	size_t	 i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (cap - 1);

	while (tab[i] != 0) {
		if (tab[i] == key)
			return 0;
		i = (i + 1) & (cap - 1);
	}
	tab[i] = key;
	return 1;
}

/* Remember a directory or file by (dev, ino); 0 if already visited (a
 * symlink loop, or a second link to the same file). */
static int
scan_visit(struct scan *s, dev_t dev, ino_t ino)
{
	uint64_t	 key = ((uint64_t)dev << 40) ^ (uint64_t)ino, *old;
	size_t		 i, oldcap;

	if (key == 0)
		key = UINT64_MAX;	/* 0 marks an empty slot */
	if ((s->ndirs + 1) * 2 > s->dircap) {
		old = s->dirs;
		oldcap = s->dircap;
		s->dircap = oldcap == 0 ? 64 : oldcap * 2;
		s->dirs = xcalloc(s->dircap, sizeof *s->dirs);
		for (i = 0; i < oldcap; i++)
			if (old[i] != 0)
				scan_set_put(s->dirs, s->dircap, old[i]);
		free(old);
	}
	if (!scan_set_put(s->dirs, s->dircap, key))
		return 0;
	s->ndirs++;
	return 1;
}

/* Whether a canonical path lies inside one of the shared directories. */
static int
scan_inside(const struct scan *s, const char *path)
{
	size_t	 i, n;

	for (i = 0; i < s->nroots; i++) {
		n = strlen(s->roots[i]);
		if (strncmp(path, s->roots[i], n) == 0 &&
		    (path[n] == '/' || path[n] == '\0' ||
		    (n == 1 && s->roots[i][0] == '/')))
			return 1;
	}
	return 0;
}

/* Whether a file passes the size and extension filters. */
static int
scan_wanted(const struct scan *s, const char *name, uint64_t size)
{
	const char	*dot;
	size_t		 i;

	if (size < s->min_size || (s->max_size != 0 && size > s->max_size))
		return 0;
	if (s->nexts == 0)
		return 1;
	if ((dot = strrchr(name, '.')) == NULL)
		return 0;
	for (i = 0; i < s->nexts; i++)
		if (strcasecmp(dot + 1, s->exts[i]) == 0)
			return 1;
	return 0;
}

/* Commit the open transaction when enough work has piled up. */
static void
scan_maybe_commit(struct scan *s, int force)
{
	uint64_t	 now = scan_ms();

	if (!force && s->uncommitted < SCAN_COMMIT_FILES &&
	    now - s->last_commit_ms < SCAN_COMMIT_MS)
		return;
	if (s->uncommitted > 0) {
		/* A failed group is rolled back whole: the touches in it are
		 * lost, so this scan must not sweep what it "did not see". */
		if (share_commit(s->share) != 0) {
			log_warnx("scan: writing the index failed; this scan "
			    "will not remove anything");
			s->failed = 1;
		}
		share_begin(s->share);
	}
	s->uncommitted = 0;
	s->last_commit_ms = now;
}

/* A file seen by the walk: keep it if unchanged, else queue it. */
static void
scan_file(struct scan *s, const char *path, const char *name,
    const struct stat *st)
{
	struct share_file	 f;
	struct scan_item	*it;
	int64_t			 mtime = scan_mtime(st);
	int			 found;

	if (!scan_wanted(s, name, (uint64_t)st->st_size)) {
		scan_add(&s->r.skipped, 1);
		return;
	}
	/* A file reached again (a symlink or hard link to one already seen)
	 * is shared once. */
	if (!scan_visit(s, st->st_dev, st->st_ino))
		return;
	scan_add(&s->r.files, 1);
	found = share_by_path(s->share, path, &f);
	if (found == 1 && f.has_sha1 && f.size == (uint64_t)st->st_size &&
	    f.mtime_ns == mtime) {
		if (share_touch(s->share, f.id, s->gen) != 0)
			s->failed = 1;
		scan_add(&s->r.unchanged, 1);
		s->uncommitted++;
		scan_maybe_commit(s, 0);
		return;
	}
	if (found == 1 && f.has_sha1) {
		/* Changed: stop offering the old hash before rehashing. */
		f.has_sha1 = 0;
		f.has_tth = 0;
		f.size = (uint64_t)st->st_size;
		f.mtime_ns = mtime;
		if (share_put(s->share, &f, s->gen) != 0)
			s->failed = 1;
		s->uncommitted++;
	}
	if (s->nitems == s->itemcap) {
		s->itemcap = s->itemcap == 0 ? 256 : s->itemcap * 2;
		s->items = xreallocarray(s->items, s->itemcap, sizeof *s->items);
	}
	it = &s->items[s->nitems++];
	it->path = xstrdup(path);
	it->size = (uint64_t)st->st_size;
	it->mtime_ns = mtime;
	scan_add(&s->r.to_hash, 1);
	scan_add(&s->r.bytes_to_hash, it->size);
}

/* Walk one shared directory without recursion: a stack of canonical paths. */
static void
scan_walk(struct scan *s, const char *root)
{
	char		**stack = NULL, *dir, *path, real[PATH_MAX];
	size_t		 nstack = 0, cap = 0;
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;

	if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		log_warn("scan: shared directory %s", root);
		scan_add(&s->r.skipped, 1);
		return;
	}
	scan_visit(s, st.st_dev, st.st_ino);
	stack = xreallocarray(NULL, cap = 16, sizeof *stack);
	stack[nstack++] = xstrdup(root);
	while (nstack > 0 && !__atomic_load_n(&s->cancel, __ATOMIC_RELAXED)) {
		dir = stack[--nstack];
		if ((d = opendir(dir)) == NULL) {
			log_warn("scan: cannot read %s, skipped", dir);
			scan_add(&s->r.skipped, 1);
			free(dir);
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			/* Hidden entries (and . and ..) are never shared. */
			if (de->d_name[0] == '.')
				continue;
			xasprintf(&path, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir,
			    de->d_name);
			if (lstat(path, &st) != 0) {
				free(path);
				continue;
			}
			if (S_ISLNK(st.st_mode)) {
				/* Followed only when it stays inside a share. */
				if (realpath(path, real) == NULL ||
				    !scan_inside(s, real) || stat(real, &st) != 0) {
					log_debug("scan: %s leads outside the "
					    "shares, skipped", path);
					scan_add(&s->r.skipped, 1);
					free(path);
					continue;
				}
				free(path);
				path = xstrdup(real);
			}
			if (S_ISDIR(st.st_mode)) {
				if (!scan_visit(s, st.st_dev, st.st_ino)) {
					free(path);
					continue;
				}
				if (nstack == cap)
					stack = xreallocarray(stack, cap *= 2,
					    sizeof *stack);
				stack[nstack++] = path;
				continue;
			}
			if (S_ISREG(st.st_mode))
				scan_file(s, path, strrchr(path, '/') + 1, &st);
			free(path);
		}
		closedir(d);
		free(dir);
	}
	while (nstack > 0)
		free(stack[--nstack]);
	free(stack);
}

/* Hash one queued file and index it if it held still while hashed. */
static void
scan_hash_one(struct scan *s, const struct scan_item *it)
{
	struct share_file	 f;
	struct hash_result	 h;
	struct stat		 before, after;
	uint8_t			*nodes = NULL;
	size_t			 nnodes = 0;
	int			 fd, rc, depth = -1;

	fd = open(it->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		if (errno == ENOENT)
			scan_add(&s->r.retry, 1);	/* vanished: swept */
		else {
			log_warn("scan: cannot open %s", it->path);
			scan_add(&s->r.skipped, 1);
		}
		return;
	}
	if (fstat(fd, &before) != 0 || !S_ISREG(before.st_mode)) {
		close(fd);
		scan_add(&s->r.skipped, 1);
		return;
	}
	rc = hash_fd(fd, &h, &s->r.bytes_hashed);
	if (rc != 0)
		log_warn("scan: reading %s", it->path);
	/* The THEX tree uploads serve, built here off the event loop so a
	 * first request for a big file is not a stall. */
	if (rc == 0 && (depth = tt_file_levels(fd, h.bytes,
	    tt_good_depth(h.bytes), &nodes, &nnodes)) >= 0 &&
	    memcmp(nodes, h.tth, sizeof h.tth) != 0) {
		free(nodes);
		nodes = NULL;
	}
	if (fstat(fd, &after) != 0)
		rc = -1;
	close(fd);
	memset(&f, 0, sizeof f);
	f.path = it->path;
	f.size = (uint64_t)before.st_size;
	f.mtime_ns = scan_mtime(&before);
	if (rc == 0 && after.st_size == before.st_size &&
	    scan_mtime(&after) == f.mtime_ns && h.bytes == f.size) {
		memcpy(f.sha1, h.sha1, sizeof f.sha1);
		memcpy(f.tth, h.tth, sizeof f.tth);
		f.has_sha1 = 1;
		f.has_tth = 1;
		scan_add(&s->r.hashed, 1);
	} else {
		/* Changed under us: keep it unhashed, hash it next scan. */
		log_info("scan: %s changed while hashed, retried next scan",
		    it->path);
		scan_add(&s->r.retry, 1);
	}
	if (share_put(s->share, &f, s->gen) != 0)
		s->failed = 1;
	else if (f.has_sha1 && nodes != NULL)
		share_thex_put(s->share, f.id, (unsigned)depth, nodes, nnodes);
	free(nodes);
	s->uncommitted++;
	scan_maybe_commit(s, 0);
}

static void
scan_hash_init(void)
{
	hash_init();
}

static void *
scan_main(void *arg)
{
	struct scan	*s = arg;
	size_t		 i;

	log_set_node(s->logname);
	s->gen = share_next_generation(s->share);
	s->last_commit_ms = scan_ms();
	share_begin(s->share);
	for (i = 0; i < s->nroots; i++)
		scan_walk(s, s->roots[i]);
	scan_maybe_commit(s, 1);
	__atomic_store_n(&s->r.phase, SCAN_HASHING, __ATOMIC_RELEASE);
	for (i = 0; i < s->nitems; i++) {
		if (__atomic_load_n(&s->cancel, __ATOMIC_RELAXED))
			break;
		scan_hash_one(s, &s->items[i]);
	}
	if (share_commit(s->share) != 0)
		s->failed = 1;
	if (!__atomic_load_n(&s->cancel, __ATOMIC_RELAXED) && !s->failed) {
		/* Only a complete scan may remove what it did not see. */
		s->r.removed = share_sweep(s->share, s->gen);
		s->completed = s->r.removed >= 0;
	}
	__atomic_store_n(&s->r.phase, s->completed ? SCAN_DONE : SCAN_FAILED,
	    __ATOMIC_RELEASE);
	return NULL;
}

/* Start scanning into the database at dbpath on a new thread. */
struct scan *
scan_start(const char *dbpath, const struct scan_conf *c, char **cause)
{
	struct scan	*s;
	char		 real[PATH_MAX];
	size_t		 i;

	pthread_once(&scan_hash_once, scan_hash_init);
	s = xcalloc(1, sizeof *s);
	s->dbpath = xstrdup(dbpath);
	if (log_get_node() != NULL)
		s->logname = xstrdup(log_get_node());
	s->min_size = c->min_size;
	s->max_size = c->max_size;
	s->roots = xcalloc(c->ndirs + 1, sizeof *s->roots);
	for (i = 0; i < c->ndirs; i++) {
		/* Symlinks in the configured path are resolved once here. */
		if (realpath(c->dirs[i], real) == NULL) {
			log_warn("scan: shared directory %s", c->dirs[i]);
			continue;
		}
		s->roots[s->nroots++] = xstrdup(real);
	}
	s->exts = xcalloc(c->nexts + 1, sizeof *s->exts);
	for (i = 0; i < c->nexts; i++)
		s->exts[s->nexts++] = xstrdup(c->exts[i]);
	s->started_ms = scan_ms();
	s->r.phase = SCAN_WALKING;
	if ((s->share = share_open(dbpath, cause)) == NULL) {
		scan_free(s, NULL);
		return NULL;
	}
	if (pthread_create(&s->thread, NULL, scan_main, s) != 0) {
		xasprintf(cause, "scan: cannot start a thread: %s",
		    strerror(errno));
		share_close(s->share);
		s->share = NULL;
		scan_free(s, NULL);
		return NULL;
	}
	return s;
}

/* Progress so far, from any thread. */
void
scan_progress(struct scan *s, struct scan_report *r)
{
	double	 secs = (double)(scan_ms() - s->started_ms) / 1000.0;

	r->phase = __atomic_load_n(&s->r.phase, __ATOMIC_ACQUIRE);
	r->files = __atomic_load_n(&s->r.files, __ATOMIC_RELAXED);
	r->unchanged = __atomic_load_n(&s->r.unchanged, __ATOMIC_RELAXED);
	r->to_hash = __atomic_load_n(&s->r.to_hash, __ATOMIC_RELAXED);
	r->hashed = __atomic_load_n(&s->r.hashed, __ATOMIC_RELAXED);
	r->bytes_to_hash = __atomic_load_n(&s->r.bytes_to_hash,
	    __ATOMIC_RELAXED);
	r->bytes_hashed = __atomic_load_n(&s->r.bytes_hashed, __ATOMIC_RELAXED);
	r->retry = __atomic_load_n(&s->r.retry, __ATOMIC_RELAXED);
	r->skipped = __atomic_load_n(&s->r.skipped, __ATOMIC_RELAXED);
	r->removed = r->phase == SCAN_DONE ? s->r.removed : 0;
	r->seconds = secs;
	r->mb_per_s = secs > 0 ? (double)r->bytes_hashed / 1048576.0 / secs : 0;
}

int
scan_finished(struct scan *s)
{
	enum scan_phase	 p = __atomic_load_n(&s->r.phase, __ATOMIC_ACQUIRE);

	return p == SCAN_DONE || p == SCAN_FAILED;
}

void
scan_cancel(struct scan *s)
{
	__atomic_store_n(&s->cancel, 1, __ATOMIC_RELAXED);
}

/* Wait for the thread, report, free. */
int
scan_free(struct scan *s, struct scan_report *r)
{
	int	 ok;
	size_t	 i;

	if (s->share != NULL) {
		pthread_join(s->thread, NULL);
		if (r != NULL)
			scan_progress(s, r);
		share_close(s->share);
	}
	ok = s->completed ? 0 : -1;
	for (i = 0; i < s->nroots; i++)
		free(s->roots[i]);
	free(s->roots);
	for (i = 0; i < s->nexts; i++)
		free(s->exts[i]);
	free(s->exts);
	for (i = 0; i < s->nitems; i++)
		free(s->items[i].path);
	free(s->items);
	free(s->dirs);
	free(s->dbpath);
	free(s->logname);
	free(s);
	return ok;
}
