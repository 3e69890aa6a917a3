/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * verify.c: hashing threads, one per core up to VERIFY_THREADS, per node.
 * Jobs go in a queue under a mutex; a thread takes the next, reads its
 * bytes back with pread (the page cache still holds what the loop just
 * wrote), hashes, and moves it to the done list, waking the loop with an
 * ev_async. The loop owns everything else: callbacks run there, never on
 * a thread.
 */
#include <errno.h>
#include <ev.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/verify.h"
#include "share/hash.h"
#include "share/tt.h"

/* Tiger runs at about 400 MiB/s a core, slower than loopback: a second
 * thread keeps a single fast source from waiting on the first. */
#define VERIFY_THREADS	2

struct vfile {
	int		 fd;
	atomic_int	 refs;
};

struct vfile *
vfile_new(int fd)
{
	struct vfile	*f = xcalloc(1, sizeof *f);

	f->fd = fd;
	atomic_init(&f->refs, 1);
	return f;
}

int
vfile_fd(const struct vfile *f)
{
	return f->fd;
}

void
vfile_release(struct vfile *f)
{
	if (f != NULL && atomic_fetch_sub(&f->refs, 1) == 1) {
		close(f->fd);
		free(f);
	}
}

struct verifier {
	struct ev_loop		*loop;
	verifier_done_fn	 done;
	void			*arg;
	ev_async		 wake;
	const char		*logname;	/* its node's, to log */

	pthread_t		 thread[VERIFY_THREADS];
	int			 nthreads;	/* started */
	int			 started;
	pthread_mutex_t		 lock;
	pthread_cond_t		 more;
	struct vjob		*queue, **queue_tail;	/* under lock */
	struct vjob		*ready, **ready_tail;	/* under lock */
	int			 stop;			/* under lock */
	size_t			 pending;		/* loop only */
};

/* Read [off, off + len) of fd whole: 0, or -1. */
static int
verify_pread(int fd, uint8_t *buf, uint64_t off, uint64_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = pread(fd, buf, (size_t)len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

static void
verify_run(struct vjob *j, uint8_t **buf, size_t *cap)
{
	int	 fd = j->file->fd;

	j->ok = 0;
	if (j->kind == VJOB_SHA1) {
		/* The file's offset is used by nobody else: the loop uses
		 * pread and pwrite only. */
		j->ok = lseek(fd, 0, SEEK_SET) == 0 &&
		    hash_fd_sha1(fd, j->hash) == 0;
		return;
	}
	if (j->len > SIZE_MAX)
		return;
	if (*cap < j->len) {
		free(*buf);
		*cap = (size_t)j->len;
		*buf = xmalloc(*cap > 0 ? *cap : 1);
	}
	if (verify_pread(fd, *buf, j->off, j->len) != 0)
		return;
	tt_root_buf(*buf, (size_t)j->len, j->hash);
	j->ok = 1;
}

static void *
verify_main(void *arg)
{
	struct verifier	*v = arg;
	struct vjob	*j;
	uint8_t		*buf = NULL;
	size_t		 cap = 0;

	pthread_mutex_lock(&v->lock);
	for (;;) {
		while (v->queue == NULL && !v->stop)
			pthread_cond_wait(&v->more, &v->lock);
		if (v->stop)
			break;
		j = v->queue;
		if ((v->queue = j->next) == NULL)
			v->queue_tail = &v->queue;
		pthread_mutex_unlock(&v->lock);

		verify_run(j, &buf, &cap);
		vfile_release(j->file);
		j->file = NULL;
		j->next = NULL;

		pthread_mutex_lock(&v->lock);
		*v->ready_tail = j;
		v->ready_tail = &j->next;
		ev_async_send(v->loop, &v->wake);
	}
	pthread_mutex_unlock(&v->lock);
	free(buf);
	return NULL;
}

/* On the loop: hand the finished jobs to the caller. */
static void
verify_wake_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct verifier	*v = w->data;
	struct vjob	*list, *j;
	const char	*was = log_set_node(v->logname);

	(void)loop;
	(void)revents;
	pthread_mutex_lock(&v->lock);
	list = v->ready;
	v->ready = NULL;
	v->ready_tail = &v->ready;
	pthread_mutex_unlock(&v->lock);
	while ((j = list) != NULL) {
		list = j->next;
		v->pending--;
		v->done(v->arg, j);
		free(j);
	}
	log_set_node(was);
}

struct verifier *
verifier_new(struct ev_loop *loop, verifier_done_fn done, void *arg)
{
	struct verifier	*v = xcalloc(1, sizeof *v);

	v->loop = loop;
	v->done = done;
	v->arg = arg;
	v->logname = log_get_node();	/* made on its node's behalf */
	v->queue_tail = &v->queue;
	v->ready_tail = &v->ready;
	pthread_mutex_init(&v->lock, NULL);
	pthread_cond_init(&v->more, NULL);
	ev_async_init(&v->wake, verify_wake_cb);
	v->wake.data = v;
	ev_async_start(loop, &v->wake);
	/* Only the loop's own work keeps it running, not this watcher. */
	ev_unref(loop);
	return v;
}

static void
verify_drop(struct vjob *list)
{
	struct vjob	*j;

	while ((j = list) != NULL) {
		list = j->next;
		vfile_release(j->file);
		free(j);
	}
}

void
verifier_free(struct verifier *v)
{
	if (v == NULL)
		return;
	int	 i;

	if (v->nthreads > 0) {
		pthread_mutex_lock(&v->lock);
		v->stop = 1;
		pthread_cond_broadcast(&v->more);
		pthread_mutex_unlock(&v->lock);
		for (i = 0; i < v->nthreads; i++)
			pthread_join(v->thread[i], NULL);
	}
	verify_drop(v->queue);
	verify_drop(v->ready);
	ev_ref(v->loop);
	ev_async_stop(v->loop, &v->wake);
	pthread_cond_destroy(&v->more);
	pthread_mutex_destroy(&v->lock);
	free(v);
}

int
verifier_post(struct verifier *v, struct vfile *file, const struct vjob *req)
{
	struct vjob	*j;
	sigset_t	 all, old;
	long		 ncpu;
	int		 error = 0, want;

	if (!v->started) {
		v->started = 1;
		hash_init();
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		want = ncpu > VERIFY_THREADS ? VERIFY_THREADS : ncpu < 1 ? 1 :
		    (int)ncpu;
		/* Signals are the loop's (libev's handlers): not these
		 * threads' to take. */
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		while (v->nthreads < want && (error = pthread_create(
		    &v->thread[v->nthreads], NULL, verify_main, v)) == 0)
			v->nthreads++;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (v->nthreads == 0) {
		errno = error != 0 ? error : EAGAIN;
		return -1;
	}
	j = xmalloc(sizeof *j);
	*j = *req;
	j->ok = 0;
	j->next = NULL;
	j->file = file;
	atomic_fetch_add(&file->refs, 1);
	pthread_mutex_lock(&v->lock);
	*v->queue_tail = j;
	v->queue_tail = &j->next;
	pthread_cond_signal(&v->more);
	pthread_mutex_unlock(&v->lock);
	v->pending++;
	return 0;
}

size_t
verifier_pending(const struct verifier *v)
{
	return v->pending;
}
