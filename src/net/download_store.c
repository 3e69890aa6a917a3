/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * download_store.c: what a download keeps between connections and across
 * restarts: its record in the node's list, its partial file (named by the
 * SHA-1 under data_dir/partial, opened at its full size and shared with
 * the verifier threads), and its progress and sources in the database.
 */
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf/conf.h"
#include "lib/base32.h"
#include "lib/log.h"
#include "lib/rng.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"
#include "net/verify.h"
#include "share/share.h"
#include "xfer/dl.h"

struct gdl *
gdl_find(struct gnet *g, uint32_t id)
{
	struct gdl	*gd;

	for (gd = g->downloads; gd != NULL; gd = gd->next)
		if ((uint32_t)gd->dl->id == id)
			return gd;
	return NULL;
}

char *
gdl_dir(struct gnet *g, const char *sub)
{
	char	*p;

	if (strcmp(sub, "downloads") == 0 && g->conf->download_dir != NULL)
		return xstrdup(g->conf->download_dir);
	xasprintf(&p, "%s/%s", g->conf->data_dir, sub);
	return p;
}

/* Save the download's state and chunks; failures are logged, not fatal. */
void
gdl_save(struct gnet *g, struct gdl *gd)
{
	size_t		 len = dl_export_len(gd->dl);
	uint8_t		*buf = xmalloc(len + 1);
	long		 n;

	if (g->share == NULL) {
		free(buf);
		return;
	}
	n = dl_export_chunks(gd->dl, buf, len + 1);
	if (n < 0 || share_dl_save_progress(g->share, gd->dl->id,
	    dl_state_name(gd->dl->state), gd->dl->chunk, buf, (size_t)n,
	    time(NULL)) != 0) {
		/* A full disk under the database fails every save: say it
		 * once, and try again only now and then (download_tick). */
		if (!gd->save_failed)
			log_warnx("download %lld: cannot save progress; "
			    "trying again every %d s", (long long)gd->dl->id,
			    GDL_SPACE_MS / 1000);
		gd->save_failed = 1;
		gd->dirty = 1;
		gd->retry_at = gnet_now(g) + GDL_SPACE_MS;
	} else {
		if (gd->save_failed)
			log_info("download %lld: progress saved again",
			    (long long)gd->dl->id);
		gd->save_failed = 0;
		gd->dirty = 0;
	}
	free(buf);
}

void
gdl_stall(struct gnet *g, struct gdl *gd, int err)
{
	if (dl_stall(gd->dl) != 0)
		return;
	gd->stall_errno = err;
	gd->retry_at = gnet_now(g) + GDL_SPACE_MS;
	log_warnx("download %lld %s: %s: %s; stalled until space returns",
	    (long long)gd->dl->id, gd->dl->name, gd->part, strerror(err));
	gdl_close_conns(g, gd);
	gdl_save(g, gd);
}

/*
 * statvfs costs one system call every GDL_SPACE_MS; a write tried again
 * would cost a connection. The space asked for is what is left to fetch,
 * at most GDL_SPACE_MIN: a download whose file fills what came back
 * stalls again, once more, no more often than space comes back.
 */
void
gdl_space_check(struct gnet *g, struct gdl *gd)
{
	struct statvfs	 sv;
	char		*dir;
	uint64_t	 room, want;
	int		 ok;

	gd->retry_at = gnet_now(g) + GDL_SPACE_MS;
	dir = gdl_dir(g, "partial");
	ok = statvfs(dir, &sv) == 0;
	free(dir);
	if (!ok)
		return;
	room = (uint64_t)sv.f_bavail * (uint64_t)sv.f_frsize;
	want = gd->dl->size - gd->dl->bytes;
	if (want > GDL_SPACE_MIN)
		want = GDL_SPACE_MIN;
	if (room < want || dl_unstall(gd->dl) != 0)
		return;
	log_info("download %lld %s: %llu bytes free again; resuming",
	    (long long)gd->dl->id, gd->dl->name, (unsigned long long)room);
	gd->stall_errno = 0;
	gdl_save(g, gd);
}

void
gdl_save_source(struct gnet *g, struct gdl *gd, size_t src)
{
	struct share_dl_source	 s;

	/* A firewalled source is reached through this run's routes and
	 * proxies only; its address alone would be dialled after a restart. */
	if (g->share == NULL || gd->dl->src[src].push)
		return;
	s.ip = gd->dl->src[src].ip;
	s.port = gd->dl->src[src].port;
	s.idx = gd->dl->src[src].index;
	s.banned = gd->dl->src[src].status == DL_SRC_BANNED;
	share_dl_save_source(g->share, gd->dl->id, &s);
}

/*
 * The process's umask, read without changing it where Linux says it
 * (/proc/self/status, 4.7 on): umask(2) can only read it by setting it,
 * and meanwhile a scan or verifier thread may be creating a file.
 */
static mode_t
gdl_umask(void)
{
	FILE		*fp;
	char		 line[128];
	unsigned	 m;
	mode_t		 was;

	if ((fp = fopen("/proc/self/status", "re")) != NULL) {
		while (fgets(line, sizeof line, fp) != NULL)
			if (sscanf(line, "Umask: %o", &m) == 1) {
				fclose(fp);
				return (mode_t)(m & 0777);
			}
		fclose(fp);
	}
	was = umask(077);
	umask(was);
	return was;
}

/*
 * A finished file is the user's, with the mode the user's umask gives a
 * new file (0644 under 022); the partial file was private (0600) while
 * it could still be wrong. 0, or -1 with errno.
 */
int
gdl_file_public(struct gdl *gd)
{
	if (gd->fd < 0) {
		errno = EBADF;
		return -1;
	}
	return fchmod(gd->fd, 0666 & ~gdl_umask());
}

/* Open (or create) the partial file at its full size. */
static int
gdl_open(struct gnet *g, struct gdl *gd)
{
	char		*dir = gdl_dir(g, "partial");
	char		 b32[40];

	mkdir(dir, 0700);
	base32_encode(gd->dl->sha1, SHA1_LEN, b32, sizeof b32);
	free(gd->part);
	xasprintf(&gd->part, "%s/%s.part", dir, b32);
	free(dir);
	if ((gd->fd = open(gd->part, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return -1;
	gd->vf = vfile_new(gd->fd);
	if (ftruncate(gd->fd, (off_t)gd->dl->size) != 0) {
		gdl_close_file(gd);
		return -1;
	}
	return 0;
}

void
gdl_close_file(struct gdl *gd)
{
	vfile_release(gd->vf);
	gd->vf = NULL;
	gd->fd = -1;
}

struct gdl *
gdl_add(struct gnet *g, struct dl *dl)
{
	struct gdl	*gd = xcalloc(1, sizeof *gd), **gp;

	gd->dl = dl;
	gd->fd = -1;
	gd->gen = ++g->dl_gen;
	/* Each node asks a seed for a different part first (dl.h). */
	dl->spread = (uint32_t)rng_next(&g->rng);
	huge_format_sha1(dl->sha1, gd->urn, sizeof gd->urn);
	for (gp = &g->downloads; *gp != NULL; gp = &(*gp)->next)
		;
	*gp = gd;
	if (dl->state != DL_DONE && dl->state != DL_CANCELLED &&
	    gdl_open(g, gd) != 0) {
		log_warn("download %lld: %s", (long long)dl->id, gd->part);
		dl_pause(dl);
	}
	return gd;
}

/* Close every connection working for a download. */
void
gdl_close_conns(struct gnet *g, struct gdl *gd)
{
	struct conn	*c;

	for (c = g->conns; c != NULL; c = c->next)
		if (c->dl && c->dl_id == (uint32_t)gd->dl->id &&
		    c->state != CONN_DEAD) {
			c->dl_busy = 0;	/* dl_pause/cancel freed the chunk */
			conn_kill(c, "download stopped");
		}
}
