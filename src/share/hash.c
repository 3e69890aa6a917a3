/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * hash.c: a file's SHA-1 (OpenSSL's EVP, which uses the CPU's SHA
 * instructions where it has them) and Tiger tree root (librhash's THEX),
 * fed from one read pass in large chunks. Tiger is the slow half, so on a
 * machine with two or more CPUs a big file's tree is hashed on a second
 * thread while the calling thread reads and does SHA-1: the pass then runs
 * at Tiger's speed instead of the sum of both.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <rhash.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "share/hash.h"

/*
 * 1 MiB per read: few system calls, and still small enough for the
 * pipeline's slots to stay in the last-level cache between the read and
 * the two hashes.
 */
#define HASH_CHUNK	(1024 * 1024)
#define HASH_SLOTS	4		/* chunks in flight to the tree */
#define HASH_SPLIT_MIN	(2ull * 1024 * 1024) /* smaller: a thread costs more */

/*
 * The pipeline between the reader (which also does SHA-1) and the tree
 * thread. Slot k % HASH_SLOTS holds chunk k. The reader fills a slot only
 * when posted - done < HASH_SLOTS, i.e. the tree thread has finished with
 * what the slot held before; the tree thread takes chunks in order while
 * done < posted, and stops at eof once it has caught up.
 */
struct hash_pipe {
	pthread_mutex_t	 lock;
	pthread_cond_t	 more;		/* a chunk was posted, or eof */
	pthread_cond_t	 room;		/* a slot was freed */
	uint8_t		*buf;		/* HASH_SLOTS * HASH_CHUNK */
	size_t		 len[HASH_SLOTS];
	uint64_t	 posted;
	uint64_t	 done;
	int		 eof;
	rhash		 tth;
};

static pthread_once_t	 hash_once = PTHREAD_ONCE_INIT;
static EVP_MD		*hash_md;	/* SHA-1, fetched once for all calls */
static int		 hash_ncpu;

static void
hash_init_once(void)
{
	cpu_set_t	 set;

	rhash_library_init();
	/* An explicit fetch spares each EVP_DigestInit_ex a provider lookup. */
	if ((hash_md = EVP_MD_fetch(NULL, "SHA1", NULL)) == NULL)
		fatalx("hash: OpenSSL has no SHA-1");
	hash_ncpu = 1;
	if (sched_getaffinity(0, sizeof set, &set) == 0)
		hash_ncpu = CPU_COUNT(&set);
}

/* Set up librhash and OpenSSL once; later calls do nothing. */
void
hash_init(void)
{
	pthread_once(&hash_once, hash_init_once);
}

static EVP_MD_CTX *
hash_sha1_new(void)
{
	EVP_MD_CTX	*ctx;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		fatalx("hash: EVP_MD_CTX_new");
	if (EVP_DigestInit_ex(ctx, hash_md, NULL) != 1)
		fatalx("hash: EVP_DigestInit_ex");
	return ctx;
}

static void
hash_sha1_update(EVP_MD_CTX *ctx, const void *p, size_t n)
{
	if (EVP_DigestUpdate(ctx, p, n) != 1)
		fatalx("hash: EVP_DigestUpdate");
}

static void
hash_sha1_end(EVP_MD_CTX *ctx, uint8_t *out)
{
	if (out != NULL && EVP_DigestFinal_ex(ctx, out, NULL) != 1)
		fatalx("hash: EVP_DigestFinal_ex");
	EVP_MD_CTX_free(ctx);
}

static rhash
hash_tth_new(void)
{
	rhash	 ctx;

	if ((ctx = rhash_init(RHASH_TTH)) == NULL)
		fatalx("hash: rhash_init");
	return ctx;
}

/* librhash returns the root in the order urn:tree:tiger/ prints in base32. */
static void
hash_tth_end(rhash ctx, uint8_t *out)
{
	if (out != NULL && rhash_final(ctx, out) != 0)
		fatalx("hash: rhash_final");
	rhash_free(ctx);
}

/* One read, retried on EINTR; a short read is fine as both hashes stream. */
static ssize_t
hash_read(int fd, uint8_t *buf, size_t len)
{
	ssize_t	 n;

	do
		n = read(fd, buf, len);
	while (n == -1 && errno == EINTR);
	return n;
}

static void
hash_progress(volatile uint64_t *progress, size_t n)
{
	/* Atomic, as several hashing threads may share one counter. */
	if (progress != NULL)
		__atomic_fetch_add(progress, (uint64_t)n, __ATOMIC_RELAXED);
}

static void
hash_advise(int fd)
{
	/* Pipes and some file systems refuse; reading works all the same. */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
}

static void *
hash_pipe_main(void *arg)
{
	struct hash_pipe	*p = arg;
	size_t			 slot, len;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->done == p->posted && !p->eof)
			pthread_cond_wait(&p->more, &p->lock);
		if (p->done == p->posted)
			break;
		slot = p->done % HASH_SLOTS;
		len = p->len[slot];
		pthread_mutex_unlock(&p->lock);

		rhash_update(p->tth, p->buf + slot * HASH_CHUNK, len);

		pthread_mutex_lock(&p->lock);
		p->done++;
		pthread_cond_signal(&p->room);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/*
 * Hash on two threads. Returns 0, -1 with errno on a read error, or 1 if
 * the tree thread could not be started (nothing has been read then).
 */
static int
hash_fd_split(int fd, struct hash_result *res, volatile uint64_t *progress)
{
	struct hash_pipe	 p;
	pthread_t		 thread;
	sigset_t		 all, old;
	EVP_MD_CTX		*sha;
	uint8_t			*chunk;
	ssize_t			 n;
	uint64_t		 total = 0;
	int			 error = 0, rv;

	memset(&p, 0, sizeof p);
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.more, NULL);
	pthread_cond_init(&p.room, NULL);
	p.buf = xmalloc((size_t)HASH_SLOTS * HASH_CHUNK);
	p.tth = hash_tth_new();
	/* The tree thread must not take the signals the program handles. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rv = pthread_create(&thread, NULL, hash_pipe_main, &p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rv != 0) {
		hash_tth_end(p.tth, NULL);
		free(p.buf);
		pthread_cond_destroy(&p.room);
		pthread_cond_destroy(&p.more);
		pthread_mutex_destroy(&p.lock);
		return 1;
	}
	sha = hash_sha1_new();

	for (;;) {
		pthread_mutex_lock(&p.lock);
		while (p.posted - p.done == HASH_SLOTS)
			pthread_cond_wait(&p.room, &p.lock);
		chunk = p.buf + (p.posted % HASH_SLOTS) * HASH_CHUNK;
		pthread_mutex_unlock(&p.lock);

		if ((n = hash_read(fd, chunk, HASH_CHUNK)) <= 0) {
			if (n == -1)
				error = errno;
			break;
		}

		/* Post first so that both hashes read the chunk at once. */
		pthread_mutex_lock(&p.lock);
		p.len[p.posted % HASH_SLOTS] = (size_t)n;
		p.posted++;
		pthread_cond_signal(&p.more);
		pthread_mutex_unlock(&p.lock);

		hash_sha1_update(sha, chunk, (size_t)n);
		total += (uint64_t)n;
		hash_progress(progress, (size_t)n);
	}

	pthread_mutex_lock(&p.lock);
	p.eof = 1;
	pthread_cond_signal(&p.more);
	pthread_mutex_unlock(&p.lock);
	pthread_join(thread, NULL);

	hash_sha1_end(sha, error ? NULL : res->sha1);
	hash_tth_end(p.tth, error ? NULL : res->tth);
	free(p.buf);
	pthread_cond_destroy(&p.room);
	pthread_cond_destroy(&p.more);
	pthread_mutex_destroy(&p.lock);
	if (error) {
		errno = error;
		return -1;
	}
	res->bytes = total;
	return 0;
}

/* Hash on the calling thread only. */
static int
hash_fd_serial(int fd, struct hash_result *res, volatile uint64_t *progress)
{
	EVP_MD_CTX	*sha;
	rhash		 tth;
	uint8_t		*buf;
	ssize_t		 n;
	uint64_t	 total = 0;
	int		 error = 0;

	buf = xmalloc(HASH_CHUNK);
	sha = hash_sha1_new();
	tth = hash_tth_new();
	while ((n = hash_read(fd, buf, HASH_CHUNK)) != 0) {
		if (n == -1) {
			error = errno;
			break;
		}
		hash_sha1_update(sha, buf, (size_t)n);
		rhash_update(tth, buf, (size_t)n);
		total += (uint64_t)n;
		hash_progress(progress, (size_t)n);
	}
	hash_sha1_end(sha, error ? NULL : res->sha1);
	hash_tth_end(tth, error ? NULL : res->tth);
	free(buf);
	if (error) {
		errno = error;
		return -1;
	}
	res->bytes = total;
	return 0;
}

/* SHA-1 and Tiger tree root of fd from its offset to its end. */
int
hash_fd(int fd, struct hash_result *res, volatile uint64_t *progress)
{
	struct stat	 st;
	int		 rv;

	if (fstat(fd, &st) == -1)
		return -1;
	hash_advise(fd);
	if (hash_ncpu > 1 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size >= HASH_SPLIT_MIN) {
		if ((rv = hash_fd_split(fd, res, progress)) != 1)
			return rv;
		log_debug("hash: no tree thread, hashing on one");
	}
	return hash_fd_serial(fd, res, progress);
}

/* SHA-1 alone of fd from its offset to its end. */
int
hash_fd_sha1(int fd, uint8_t sha1[HASH_SHA1_LEN])
{
	EVP_MD_CTX	*sha;
	uint8_t		*buf;
	ssize_t		 n;
	int		 error = 0;

	hash_advise(fd);
	buf = xmalloc(HASH_CHUNK);
	sha = hash_sha1_new();
	while ((n = hash_read(fd, buf, HASH_CHUNK)) != 0) {
		if (n == -1) {
			error = errno;
			break;
		}
		hash_sha1_update(sha, buf, (size_t)n);
	}
	hash_sha1_end(sha, error ? NULL : sha1);
	free(buf);
	if (error) {
		errno = error;
		return -1;
	}
	return 0;
}

/* SHA-1 and Tiger tree root of a buffer. */
void
hash_buf(const void *p, size_t n, struct hash_result *res)
{
	EVP_MD_CTX	*sha;

	sha = hash_sha1_new();
	hash_sha1_update(sha, p, n);
	hash_sha1_end(sha, res->sha1);
	if (rhash_msg(RHASH_TTH, p, n, res->tth) != 0)
		fatalx("hash: rhash_msg");
	res->bytes = n;
}
