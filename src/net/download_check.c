/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * download_check.c: what makes a download's bytes count. Each written
 * chunk goes to the verifier thread (verify.c) and its answer comes back
 * here: a chunk that matches its Tiger tree node is done, one that does
 * not bans its source for the file and is fetched again. When every chunk
 * is in, the whole file is checked (by the tree itself when the hit gave
 * its root, else by its SHA-1 on the same thread) and only then linked or
 * copied into the download directory under a name that cannot leave it.
 */
#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"
#include "net/verify.h"
#include "share/hash.h"
#include "share/share.h"
#include "share/tt.h"
#include "xfer/dl.h"

/* A file name from the network made safe for one directory entry: no
 * separators, no control bytes, never "." or "..". To free. */
static char *
gdl_safe_name(const char *name, const char *urn)
{
	char	*s = xstrdup(name), *p;

	for (p = s; *p != '\0'; p++)
		if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20 ||
		    *p == 0x7f)
			*p = '_';
	if (s[0] == '\0' || s[0] == '.') {
		free(s);
		xasprintf(&s, "download-%s", urn + 9);
	}
	return s;
}

/* Write all of buf: 0, or -1 with errno (a short write alone leaves it
 * stale, so the rest is tried to learn why). */
static int
gdl_copy_write(int fd, const char *buf, size_t n)
{
	ssize_t		 w;

	while (n > 0) {
		if ((w = write(fd, buf, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = ENOSPC;
			return -1;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copy the partial file to path (another file system): 0 or -1 with
 * errno. */
static int
gdl_copy(int from, const char *path, uint64_t size)
{
	char		 buf[65536];
	uint64_t	 off = 0;
	ssize_t		 n;
	int		 to, e;

	if ((to = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0666)) < 0)	/* the umask decides, as for any new file */
		return -1;
	while (off < size) {
		if ((n = pread(from, buf, sizeof buf, (off_t)off)) <= 0 ||
		    gdl_copy_write(to, buf, (size_t)n) != 0) {
			e = n == 0 ? EIO : errno;
			close(to);
			unlink(path);
			errno = e;	/* ENOSPC, said by the caller */
			return -1;
		}
		off += (uint64_t)n;
	}
	if (fsync(to) != 0 || close(to) != 0) {
		e = errno;
		unlink(path);
		errno = e;
		return -1;
	}
	return 0;
}

/*
 * Link (or copy, from another file system) the checked file from, open
 * on fd, into the download directory under a name not taken: its path
 * (to free), or NULL with errno. loud: a failure other than no room is
 * logged (a retry stays quiet).
 */
static char *
gdl_place(struct gnet *g, struct gdl *gd, const char *from, int fd, int loud)
{
	char		*dir, *path = NULL, *name;
	int		 i, err = EEXIST, placed = 0;

	dir = gdl_dir(g, "downloads");
	mkdir(dir, 0755);
	name = gdl_safe_name(gd->dl->name, gd->urn);
	for (i = 0; i < 100 && !placed; i++) {
		free(path);
		if (i == 0)
			xasprintf(&path, "%s/%s", dir, name);
		else
			xasprintf(&path, "%s/%s.%d", dir, name, i);
		if (link(from, path) == 0) {
			placed = 1;
			break;
		}
		err = errno;
		if (err == EXDEV) {
			if (gdl_copy(fd, path, gd->dl->size) == 0) {
				placed = 1;
				break;
			}
			err = errno;
		}
		if (err != EEXIST) {
			if (loud && err != ENOSPC && err != EDQUOT)
				log_warnx("download %lld: %s: %s",
				    (long long)gd->dl->id, path,
				    strerror(err));
			break;
		}
	}
	free(name);
	free(dir);
	if (!placed) {
		free(path);
		errno = err;
		return NULL;
	}
	return path;
}

void
gdl_move_retry(struct gnet *g, struct gdl *gd)
{
	char		*path;
	int		 fd;

	gd->retry_at = gnet_now(g) + GDL_SPACE_MS;
	if (gd->path == NULL ||
	    (fd = open(gd->path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (gd->path == NULL || errno == ENOENT)
			gd->unmoved = 0;	/* gone: nothing to move */
		return;
	}
	path = gdl_place(g, gd, gd->path, fd, 0);
	close(fd);
	if (path == NULL)
		return;
	unlink(gd->path);
	log_info("download %lld %s: moved from %s to %s",
	    (long long)gd->dl->id, gd->dl->name, gd->path, path);
	free(gd->path);
	gd->path = path;
	gd->unmoved = 0;
	if (g->share != NULL && share_dl_set_path(g->share, gd->dl->id,
	    path) != 0)
		log_warnx("download %lld: cannot save its path",
		    (long long)gd->dl->id);
	partial_finished(g, gd);
}

/* The whole file's check is in: move it into place, or fetch it again. */
static void
gdl_checked(struct gnet *g, struct gdl *gd, int ok, const char *how)
{
	char		*path;
	int		 err;

	if (dl_file_checked(gd->dl, ok) != 0)
		return;
	if (!ok) {
		log_warnx("download %lld %s: the file does not match its "
		    "SHA-1; fetching it again", (long long)gd->dl->id,
		    gd->dl->name);
		gdl_save(g, gd);
		return;
	}
	if (gdl_file_public(gd) != 0)
		log_warn("download %lld: %s: cannot set its mode",
		    (long long)gd->dl->id, gd->part);
	path = gdl_place(g, gd, gd->part, gd->fd, 1);
	if (path == NULL) {
		/*
		 * Checked, but it could not be moved: it stays where it is,
		 * said as such, and download_tick tries again (download_dir
		 * full, most likely: a copy from another file system).
		 */
		err = errno;
		path = xstrdup(gd->part);
		gd->unmoved = 1;
		gd->retry_at = gnet_now(g) + GDL_SPACE_MS;
		log_warnx("download %lld %s: done, %s checked, but not moved "
		    "into the download directory (%s): it stays at %s; "
		    "trying again every %d s", (long long)gd->dl->id,
		    gd->dl->name, how, strerror(err), path,
		    GDL_SPACE_MS / 1000);
	} else {
		unlink(gd->part);
		log_info("download %lld %s: done, %s checked, saved as %s",
		    (long long)gd->dl->id, gd->dl->name, how, path);
	}
	gdl_close_file(gd);
	free(gd->path);
	gd->path = path;
	gdl_save(g, gd);
	if (g->share != NULL && share_dl_set_path(g->share, gd->dl->id,
	    path) != 0)
		log_warnx("download %lld: cannot save its path",
		    (long long)gd->dl->id);
	gdl_close_conns(g, gd);	/* a tree still coming is not needed */
	partial_finished(g, gd);
}

/* Queue a job on the download's file. */
static int
gdl_post(struct gnet *g, struct gdl *gd, enum vjob_kind kind, uint32_t chunk,
    uint64_t off, uint64_t len)
{
	struct vjob	 req;

	memset(&req, 0, sizeof req);
	req.kind = kind;
	req.dl_id = (uint32_t)gd->dl->id;
	req.gen = gd->gen;
	req.chunk = chunk;
	req.off = off;
	req.len = len;
	return verifier_post(g->verifier, gd->vf, &req);
}

/* Every chunk is in: check the whole file, on the verifier's thread
 * unless the tree has checked it already. */
void
gdl_finish(struct gnet *g, struct gdl *gd)
{
	uint8_t		 sha1[SHA1_LEN];
	int		 ok;

	/*
	 * Every chunk checked against a tree whose root the hit gave (as it
	 * gave the SHA-1) is the whole file checked: the Tiger tree is a
	 * hash of it. Otherwise, and when the root came from a source, the
	 * SHA-1 decides.
	 */
	if (gd->root_trusted && gd->dl->level != NULL &&
	    gd->dl->count[DL_CHUNK_DONE] == gd->dl->nchunks) {
		gdl_checked(g, gd, 1, "Tiger tree");
		return;
	}
	if (gd->sha1_posted)
		return;
	if (gd->fd >= 0 && gdl_post(g, gd, VJOB_SHA1, 0, 0,
	    gd->dl->size) == 0) {
		gd->sha1_posted = 1;
		return;
	}
	/* No thread to be had: the loop does it. */
	ok = gd->fd >= 0 && lseek(gd->fd, 0, SEEK_SET) == 0 &&
	    hash_fd_sha1(gd->fd, sha1) == 0 &&
	    memcmp(sha1, gd->dl->sha1, SHA1_LEN) == 0;
	gdl_checked(g, gd, ok, "SHA-1");
}

/* A running download with every chunk in and checked goes to its file
 * check: 1 if it did. */
int
gdl_settle(struct gnet *g, struct gdl *gd)
{
	if (!dl_complete(gd->dl) || (gd->dl->state != DL_ACTIVE &&
	    gd->dl->state != DL_QUEUED && gd->dl->state != DL_VERIFYING))
		return 0;
	gd->dl->state = DL_VERIFYING;
	gdl_finish(g, gd);
	return 1;
}

/* Close the connections of a source banned for this download. */
static void
gdl_drop_source(struct gnet *g, struct gdl *gd, size_t src)
{
	struct conn	*c;

	for (c = g->conns; c != NULL; c = c->next)
		if (c->dl && c->dl_id == (uint32_t)gd->dl->id &&
		    c->dl_src == src && c->state != CONN_DEAD) {
			c->dl_busy = 0;
			conn_kill(c, "source banned for this file");
		}
}

static void	 gdl_verified(void *, const struct vjob *);

/* Hand a written chunk to the verifier thread, or check it here when
 * there is no thread to be had. */
void
gdl_verify(struct gnet *g, struct gdl *gd, uint32_t chunk)
{
	struct vjob	 j;
	uint64_t	 off, len;
	uint8_t		*buf;

	dl_chunk_span(gd->dl, chunk, &off, &len);
	if (gdl_post(g, gd, VJOB_TIGER, chunk, off, len) == 0)
		return;
	memset(&j, 0, sizeof j);
	j.kind = VJOB_TIGER;
	j.dl_id = (uint32_t)gd->dl->id;
	j.gen = gd->gen;
	j.chunk = chunk;
	buf = xmalloc(len > 0 ? (size_t)len : 1);
	if (pread(gd->fd, buf, (size_t)len, (off_t)off) == (ssize_t)len) {
		tt_root_buf(buf, (size_t)len, j.hash);
		j.ok = 1;
	}
	free(buf);
	gdl_verified(g, &j);
}

/* The verifier's answer, on the loop. */
static void
gdl_verified(void *arg, const struct vjob *j)
{
	struct gnet	*g = arg;
	struct gdl	*gd = gdl_find(g, j->dl_id);
	int		 rc, liar;

	if (gd == NULL || gd->gen != j->gen)
		return;		/* forgotten, maybe started again since */
	if (j->kind == VJOB_SHA1) {
		gd->sha1_posted = 0;
		if (gd->fd >= 0)
			gdl_checked(g, gd, j->ok && memcmp(j->hash,
			    gd->dl->sha1, SHA1_LEN) == 0, "SHA-1");
		return;
	}
	if (gd->fd < 0)
		return;		/* cancelled meanwhile */
	rc = dl_chunk_verdict(gd->dl, j->chunk, j->ok ? j->hash : NULL, &liar);
	if (rc == 0 || rc == -2)
		return;		/* no tree any more, or judged already */
	gd->dirty = 1;
	if (rc == 1)
		reward_chunk(g, gd, j->chunk);
	if (rc == -1 && liar >= 0) {
		log_warnx("download %lld %s: chunk %u from %s:%u does not "
		    "match the Tiger tree: source dropped for this file",
		    (long long)gd->dl->id, gd->dl->name, j->chunk,
		    inet_ntoa((struct in_addr){
		    htonl(gd->dl->src[liar].ip) }), gd->dl->src[liar].port);
		gdl_save_source(g, gd, (size_t)liar);
		gdl_drop_source(g, gd, (size_t)liar);
		gdl_save(g, gd);
	} else if (rc == -1)
		log_warnx("download %lld %s: chunk %u cannot be read back; "
		    "fetching it again", (long long)gd->dl->id, gd->dl->name,
		    j->chunk);
	gdl_settle(g, gd);
}

/* The verifier for the node's downloads (its thread starts on demand). */
void
download_init(struct gnet *g)
{
	g->verifier = verifier_new(g->loop, gdl_verified, g);
}
