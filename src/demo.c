/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * demo.c: the demo network. Each peer is a whole node (a conf, a SQLite
 * share, a struct gnet) on the caller's loop: the core and net layers
 * keep no globals, so five nodes share one process and one loop as they
 * would share a LAN. The files are text from a seeded generator, the same
 * on every run. The peers are made afresh each run; the user's node (its
 * database, downloads and shell history, in DIR/you) is kept.
 */
#define _XOPEN_SOURCE 700	/* nftw */

#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "daemon.h"
#include "demo.h"
#include "lib/log.h"
#include "lib/rng.h"
#include "lib/xmalloc.h"
#include "net/net.h"
#include "share/share.h"

#define DEMO_MARK	".gnode-demo"	/* a directory a demo made */
#define DEMO_SCAN_S	60		/* the peers' first scans, at most */
#define DEMO_JOIN_S	10		/* the node joining them, at most */
#define DEMO_YOU	"you"		/* the user's node: kept */
/*
 * Each peer's upload cap, bytes/s: the welcome pack (8 MiB, every peer's)
 * comes in about 16 s from four of them, so the swarm can be watched at
 * work in `downloads`; a file only one peer has takes 1 s per 128 KiB.
 */
#define DEMO_UPLOAD_RATE "128k"

/* What the peers share: peer 0 to 3, or -1 for every one of them. */
static const struct {
	int		 peer;
	const char	*name;
	unsigned	 kib;
} demo_files[] = {
	{ 0, "lighthouse-keepers-logbook.txt", 1536 },
	{ 0, "lighthouse-tidal-charts-1887.csv", 320 },
	{ 0, "foghorn-maintenance-notes.txt", 96 },
	{ 1, "orchard-harvest-almanac.txt", 2048 },
	{ 1, "orchard-heirloom-apple-varieties.csv", 256 },
	{ 1, "cider-pressing-guide.txt", 128 },
	{ 2, "mountain-railway-timetable.txt", 1024 },
	{ 2, "railway-switchback-survey.txt", 640 },
	{ 2, "tunnel-boring-diary.txt", 192 },
	{ 3, "deep-sea-sonar-survey.txt", 3072 },
	{ 3, "sonar-abyssal-species-catalogue.csv", 448 },
	{ 3, "submarine-cable-route.txt", 160 },
	{ -1, "gnode-demo-welcome-pack.txt", 8192 },
};

static const char *const demo_words[] = {
	"tide", "lantern", "granite", "harbour", "copper", "meadow", "signal",
	"compass", "ledger", "summit", "current", "orchard", "basalt", "relay",
	"beacon", "valley", "anchor", "furrow", "gauge", "quartz", "ember",
	"channel", "drift", "harvest", "ridge", "switch", "fathom", "bloom",
	"cable", "echo", "storm", "keel",
};

struct demo_peer {
	struct conf	 conf;
	struct share	*share;
	struct gnet	*net;
	char		 addr[24];	/* "127.0.0.N:PORT" once listening */
	char		 name[16];	/* "127.0.0.N": its log lines' */
};

struct demo {
	struct daemon_hook hook;
	struct ev_loop	*loop;
	char		*dir;
	int		 greet;
	int		 lock;		/* the mark's, locked; or -1 */
	struct demo_peer peer[DEMO_PEERS];
	size_t		 npeers;	/* started */
};

/* Remove a file or directory under an earlier demo's directory. */
static int
demo_rm(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)f;
	if (type == FTW_DP)
		return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
	return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* Everything an earlier demo left in dir but its mark (which stays
 * locked) and the user's node (its history, database and downloads). */
static int
demo_clear(const char *dir)
{
	DIR		*dp;
	struct dirent	*de;
	char		*path;
	int		 rc = 0;

	if ((dp = opendir(dir)) == NULL)
		return -1;
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, DEMO_MARK) == 0 ||
		    strcmp(de->d_name, DEMO_YOU) == 0)
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		rc = nftw(path, demo_rm, 16, FTW_DEPTH | FTW_PHYS);
		free(path);
	}
	closedir(dp);
	return rc;
}

/*
 * dir, empty but for its mark and the user's node: made afresh, or
 * cleared if an earlier demo made it. The mark stays locked while this
 * demo runs, so a second demo on the same directory stops here instead
 * of wiping the first one's.
 * The lock's descriptor, or -1 with *cause.
 */
static int
demo_fresh_dir(const char *dir, char **cause)
{
	char	*mark;
	int	 fd = -1, made = 0;

	xasprintf(&mark, "%s/%s", dir, DEMO_MARK);
	if (mkdir(dir, 0700) == 0)
		made = 1;
	else if (errno != EEXIST) {
		xasprintf(cause, "demo: %s: %s", dir, strerror(errno));
		goto fail;
	}
	if ((fd = open(mark, O_RDWR | O_CLOEXEC | (made ? O_CREAT : 0),
	    0600)) < 0) {
		/* Not ours: a directory a demo did not make is left alone. */
		xasprintf(cause, "demo: %s: %s", dir, errno == ENOENT ?
		    "exists and was not made by gnode --demo" :
		    strerror(errno));
		goto fail;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		xasprintf(cause, "demo: %s: %s", dir, errno == EWOULDBLOCK ?
		    "another demo is running there" : strerror(errno));
		goto fail;
	}
	if (!made && demo_clear(dir) != 0) {
		xasprintf(cause, "demo: cannot clear %s: %s", dir,
		    strerror(errno));
		goto fail;
	}
	free(mark);
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	free(mark);
	return -1;
}

/* One generated text file of kib KiB: numbered lines of words. */
static int
demo_write_file(const char *path, const char *name, unsigned kib)
{
	struct rng	 r;
	FILE		*fp;
	uint64_t	 want = (uint64_t)kib * 1024, seed = 0;
	unsigned	 line = 0, i;
	const char	*p;
	long		 at;

	for (p = name; *p != '\0'; p++)
		seed = rng_mix(seed ^ (unsigned char)*p);
	rng_seed(&r, seed);
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	fprintf(fp, "%s: a file from the gnode demo network.\n", name);
	while ((at = ftell(fp)) >= 0 && (uint64_t)at < want) {
		fprintf(fp, "%06u", ++line);
		for (i = 0; i < 10; i++)
			fprintf(fp, " %s", demo_words[rng_below(&r,
			    sizeof demo_words / sizeof demo_words[0])]);
		fputc('\n', fp);
	}
	return fclose(fp) == 0 && at >= 0 ? 0 : -1;
}

/* Peer i's directories, config and files. */
static int
demo_peer_setup(struct demo *d, size_t i, char **cause)
{
	struct demo_peer	*p = &d->peer[i];
	char			*base, *data, *share, *path, addr[24];
	size_t			 k;
	int			 rc = -1;

	xasprintf(&base, "%s/peer%zu", d->dir, i + 2);
	xasprintf(&data, "%s/data", base);
	xasprintf(&share, "%s/share", base);
	if (mkdir(base, 0700) != 0 || mkdir(data, 0700) != 0 ||
	    mkdir(share, 0700) != 0) {
		xasprintf(cause, "demo: %s: %s", base, strerror(errno));
		goto out;
	}
	for (k = 0; k < sizeof demo_files / sizeof demo_files[0]; k++) {
		if (demo_files[k].peer != -1 && (size_t)demo_files[k].peer != i)
			continue;
		xasprintf(&path, "%s/%s", share, demo_files[k].name);
		if (demo_write_file(path, demo_files[k].name,
		    demo_files[k].kib) != 0) {
			xasprintf(cause, "demo: %s: %s", path, strerror(errno));
			free(path);
			goto out;
		}
		free(path);
	}
	conf_defaults(&p->conf);
	snprintf(addr, sizeof addr, "127.0.0.%zu:6346", i + 2);
	/* Five ultrapeers in a mesh: a flat demo net, each node a
	 * neighbour of every other from the first second. */
	if (conf_set(&p->conf, "node", "data_dir", data, cause) != 0 ||
	    conf_set(&p->conf, "node", "listen", addr, cause) != 0 ||
	    conf_set(&p->conf, "node", "mode", "ultrapeer", cause) != 0 ||
	    conf_set(&p->conf, "share", "dir", share, cause) != 0 ||
	    conf_set(&p->conf, "xfer", "upload_rate", DEMO_UPLOAD_RATE,
	    cause) != 0)
		goto out;
	p->conf.listen_port = 0;	/* the kernel picks: never in use */
	/* Each peer bootstraps from the ones started before it. */
	for (k = 0; k < i; k++)
		if (conf_set(&p->conf, "net", "seed", d->peer[k].addr,
		    cause) != 0)
			goto out;
	rc = conf_check(&p->conf, cause);
out:
	free(share);
	free(data);
	free(base);
	return rc;
}

static int
demo_peer_start(struct demo *d, size_t i, char **cause)
{
	struct demo_peer	*p = &d->peer[i];
	char			*db, *why = NULL;
	const char		*was;
	uint32_t		 ip;
	uint16_t		 port;
	int			 rc = -1;

	/* What it logs while it opens is its own (its gnet names the rest). */
	snprintf(p->name, sizeof p->name, "127.0.0.%zu", i + 2);
	was = log_set_node(p->name);
	db = conf_db_path(&p->conf);
	p->share = share_open(db, cause);
	free(db);
	if (p->share == NULL)
		goto out;
	if ((p->net = gnet_new(d->loop, &p->conf, p->share, cause)) == NULL)
		goto out;
	gnet_listen_addr(p->net, &ip, &port);
	snprintf(p->addr, sizeof p->addr, "%u.%u.%u.%u:%u", ip >> 24,
	    (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff, port);
	if (gnet_rescan(p->net, &why) != 0) {
		log_warnx("demo: peer %s: %s", p->addr, why);
		free(why);
	}
	log_info("demo: peer %s up", p->addr);
	rc = 0;
out:
	log_set_node(was);
	return rc;
}

int
demo_prepare(struct demo *d, struct conf *conf, char **cause)
{
	char	*you;
	int	 level = conf->log_level, rc = -1;
	uint32_t trace = conf->trace;

	if ((d->lock = demo_fresh_dir(d->dir, cause)) < 0)
		return -1;
	/* Five nodes log to one file: each line says which (the user's node
	 * is the one lines outside the peers' work come from). */
	log_set_tagged("127.0.0.1");
	conf_free(conf);
	conf_defaults(conf);
	conf->log_level = level;
	conf->trace = trace;
	xasprintf(&you, "%s/%s", d->dir, DEMO_YOU);
	if (mkdir(you, 0700) != 0 && errno != EEXIST)
		xasprintf(cause, "demo: %s: %s", you, strerror(errno));
	else if (conf_set(conf, "node", "data_dir", you, cause) == 0 &&
	    conf_set(conf, "node", "listen", "127.0.0.1:6346", cause) == 0 &&
	    conf_set(conf, "node", "mode", "ultrapeer", cause) == 0) {
		conf->listen_port = 0;
		/* Joined to every peer, not the usual three. */
		conf->min_peers = DEMO_PEERS;
		rc = conf_check(conf, cause);
	}
	free(you);
	return rc;
}

/* Whether a peer is still indexing its files. */
static int
demo_scanning(struct demo *d)
{
	struct gnet_stats	 st;
	size_t			 i;

	for (i = 0; i < d->npeers; i++) {
		gnet_stats(d->peer[i].net, &st);
		if (st.scanning)
			return 1;
	}
	return 0;
}

/* Start the peers, and make them the node's seeds. */
static int
demo_prestart(void *arg, struct ev_loop *loop, struct conf *conf,
    char **cause)
{
	struct demo	*d = arg;
	ev_tstamp	 until;
	size_t		 i;

	d->loop = loop;
	for (i = 0; i < DEMO_PEERS; i++) {
		if (demo_peer_setup(d, i, cause) != 0) {
			conf_free(&d->peer[i].conf);
			return -1;
		}
		d->npeers = i + 1;
		if (demo_peer_start(d, i, cause) != 0)
			return -1;
		if (conf_set(conf, "net", "seed", d->peer[i].addr, cause) != 0)
			return -1;
	}
	/* Their files are indexed before anyone can search for them (a few
	 * seconds at most; bounded all the same). */
	for (until = ev_time() + DEMO_SCAN_S; demo_scanning(d) &&
	    ev_time() < until; )
		ev_run(loop, EVRUN_ONCE);
	return 0;
}

/*
 * The user's node is up: wait (a few seconds at most) until it has joined
 * the four, so that a search typed at the first prompt reaches them, and
 * only then say what to try.
 */
static int
demo_start(void *arg, struct daemon *dm, char **cause)
{
	struct demo		*d = arg;
	struct gnet_stats	 st;
	ev_tstamp		 until = ev_time() + DEMO_JOIN_S;

	(void)cause;
	for (;;) {
		gnet_stats(daemon_gnet(dm), &st);
		if (st.peers >= d->npeers || ev_time() >= until)
			break;
		ev_run(d->loop, EVRUN_ONCE);
	}
	if (d->greet) {
		printf("demo: four nodes in this process, on 127.0.0.2 to "
		    "127.0.0.%d, share files;\n"
		    "demo: try `search lighthouse`, `get 1`, `downloads` "
		    "(files in %s)\n", DEMO_PEERS + 1, d->dir);
		fflush(stdout);
	}
	return 0;
}

static void
demo_shutdown(void *arg)
{
	struct demo	*d = arg;
	size_t		 i;

	for (i = 0; i < d->npeers; i++)
		gnet_shutdown(d->peer[i].net);
}

static int
demo_drained(void *arg)
{
	struct demo	*d = arg;
	size_t		 i;

	for (i = 0; i < d->npeers; i++)
		if (!gnet_drained(d->peer[i].net))
			return 0;
	return 1;
}

static void
demo_stop(void *arg)
{
	struct demo	*d = arg;
	size_t		 i;

	for (i = 0; i < d->npeers; i++) {
		gnet_free(d->peer[i].net);
		share_close(d->peer[i].share);
		conf_free(&d->peer[i].conf);
	}
	d->npeers = 0;
}

struct demo *
demo_new(const char *dir, int greet)
{
	struct demo	*d = xcalloc(1, sizeof *d);

	d->dir = xstrdup(dir);
	d->greet = greet;
	d->lock = -1;
	d->hook.arg = d;
	d->hook.prestart = demo_prestart;
	d->hook.start = demo_start;
	d->hook.shutdown = demo_shutdown;
	d->hook.drained = demo_drained;
	d->hook.stop = demo_stop;
	return d;
}

const struct daemon_hook *
demo_hook(struct demo *d)
{
	return &d->hook;
}

void
demo_free(struct demo *d)
{
	if (d == NULL)
		return;
	demo_stop(d);
	log_set_tagged(NULL);
	if (d->lock >= 0)
		close(d->lock);
	free(d->dir);
	free(d);
}
