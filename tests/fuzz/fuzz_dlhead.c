/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_dlhead.c: libFuzzer target for the download side as a real node
 * reads a source's answers: status line and head (206, 503 with PARQ,
 * 416 with X-Available-Ranges, X-Alt, X-Falt, X-FW-Node-Info,
 * X-Push-Proxy, X-Thex-URI, Content-Range, Content-Length, Connection), the body written into the partial file,
 * pipelined and short answers, and the THEX tree when the head offers
 * one (net/download*.c). One real node (gnet on a libev loop, its
 * database and partial files in a temporary directory) lives for the
 * whole run. Each input starts a download of a 512 KiB file by magnet
 * link from a source this target plays on 127.0.0.1; the input is cut
 * into answers, one per connection the node opens:
 *   repeated: 2 bytes n (little-endian), then n bytes sent as that
 *	       connection's answer, in pieces as the node reads; then the
 *	       source hangs up
 * The download is cancelled at the end (its partial file removed), and
 * the node must have freed every connection.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "conf/conf.h"
#include "lib/log.h"
#include "net/net.h"
#include "net/net_impl.h"
#include "share/share.h"
#include "wire/magnet.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FZ_ANSWERS	4	/* connections played per input */
#define FZ_WAIT		256	/* loop passes waiting for the node to dial */
#define FZ_SPINS	512	/* loop passes writing one answer, at most */
#define FZ_SIZE		(512 * 1024)

static struct ev_loop	*fz_loop;
static struct conf	 fz_conf;
static struct share	*fz_share;
static struct gnet	*fz_g;
static int		 fz_lfd = -1;
static uint16_t		 fz_port;

static char		 fz_dir[256];

static int
fz_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The temporary directory goes when the fuzzer exits. */
static void
fz_cleanup(void)
{
	if (fz_dir[0] != '\0')
		nftw(fz_dir, fz_rm, 16, FTW_DEPTH | FTW_PHYS);
}

static void
fz_init(void)
{
	char			 tmpl[256], *dir;
	const char		*tmp = getenv("TMPDIR");
	char			 path[256], *cause = NULL;
	struct sockaddr_in	 sin;
	socklen_t		 slen = sizeof sin;

	/* FUZZ_DEBUG=1: the node's debug log, to see what an input does. */
	log_init(stderr, getenv("FUZZ_DEBUG") != NULL ? LOG_LVL_DEBUG :
	    LOG_LVL_ERROR);
	snprintf(tmpl, sizeof tmpl, "%s/fuzz_dlhead.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if ((dir = mkdtemp(tmpl)) == NULL)
		abort();
	snprintf(fz_dir, sizeof fz_dir, "%s", dir);
	atexit(fz_cleanup);
	conf_defaults(&fz_conf);
	snprintf(path, sizeof path, "%s/dl", dir);
	if (mkdir(path, 0700) != 0 ||
	    conf_set(&fz_conf, "node", "data_dir", dir, &cause) != 0 ||
	    conf_set(&fz_conf, "xfer", "download_dir", path, &cause) != 0 ||
	    conf_set(&fz_conf, "net", "min_peers", "0", &cause) != 0) {
		fprintf(stderr, "fuzz_dlhead: %s\n", cause);
		abort();
	}
	fz_conf.listen_ip = 0x7f000001;
	fz_conf.listen_port = 0;
	snprintf(path, sizeof path, "%s/gnode.db", dir);
	if ((fz_share = share_open(path, &cause)) == NULL) {
		fprintf(stderr, "fuzz_dlhead: %s\n", cause);
		abort();
	}
	fz_loop = ev_loop_new(EVFLAG_AUTO);
	if ((fz_g = gnet_new(fz_loop, &fz_conf, fz_share, &cause)) == NULL) {
		fprintf(stderr, "fuzz_dlhead: %s\n", cause);
		abort();
	}
	/* The source: a listener the node dials. */
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(0x7f000001);
	if ((fz_lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(fz_lfd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(fz_lfd, 16) != 0 ||
	    getsockname(fz_lfd, (struct sockaddr *)&sin, &slen) != 0)
		abort();
	fcntl(fz_lfd, F_SETFL, O_NONBLOCK);
	fz_port = ntohs(sin.sin_port);
}

static void
fz_spin(unsigned passes)
{
	unsigned	 i;

	for (i = 0; i < passes; i++)
		ev_run(fz_loop, EVRUN_NOWAIT);
}

/* The node's next connection to the source, or -1 if none comes. */
static int
fz_accept(void)
{
	unsigned	 i;
	int		 fd;

	for (i = 0; i < FZ_WAIT; i++) {
		if ((fd = accept(fz_lfd, NULL, NULL)) >= 0) {
			fcntl(fd, F_SETFL, O_NONBLOCK);
			return fd;
		}
		ev_run(fz_loop, EVRUN_NOWAIT);
		if (i % 64 == 63)
			download_tick(fz_g);	/* its retry comes sooner */
	}
	return -1;
}

/* Play one answer on fd: read what the node asks, write p as it reads. */
static void
fz_answer(int fd, const uint8_t *p, size_t len)
{
	uint8_t		 junk[16384];
	unsigned	 i;
	ssize_t		 n;

	for (i = 0; i < FZ_SPINS; i++) {
		while (read(fd, junk, sizeof junk) > 0)
			;
		if (len > 0 && (n = send(fd, p, len, MSG_NOSIGNAL)) > 0) {
			p += n;
			len -= (size_t)n;
		}
		ev_run(fz_loop, EVRUN_NOWAIT);
		if (len == 0 && i > 8)
			break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct magnet	 m;
	const char	*why;
	char		*cause = NULL;
	uint32_t	 id, search = 0;
	size_t		 n;
	unsigned	 k;
	int		 fd;

	if (fz_g == NULL)
		fz_init();
	memset(&m, 0, sizeof m);
	memset(m.sha1, 0x5a, sizeof m.sha1);
	m.has_sha1 = m.has_name = m.has_size = 1;
	snprintf(m.name, sizeof m.name, "fuzz.bin");
	m.size = FZ_SIZE;
	m.src[0].ip = 0x7f000001;
	m.src[0].port = fz_port;
	m.nsrc = 1;
	if ((id = gnet_get_magnet(fz_g, &m, &search, &cause)) == 0) {
		fprintf(stderr, "fuzz_dlhead: %s\n", cause != NULL ? cause :
		    "no download");
		abort();
	}
	for (k = 0; k < FZ_ANSWERS && size >= 2; k++) {
		n = (size_t)(data[0] | data[1] << 8);
		data += 2;
		size -= 2;
		if (n > size)
			n = size;
		if ((fd = fz_accept()) < 0)
			break;
		fz_answer(fd, data, n);
		close(fd);
		fz_spin(4);
		data += n;
		size -= n;
	}
	if (gnet_download_cancel(fz_g, id, &why) != 0) {
		fprintf(stderr, "fuzz_dlhead: cancel: %s\n", why);
		abort();
	}
	/* A dial the node began and nobody took: refuse it. */
	while ((fd = accept(fz_lfd, NULL, NULL)) >= 0)
		close(fd);
	for (k = 0; k < 16 && fz_g->conns != NULL; k++)
		fz_spin(8);
	if (fz_g->conns != NULL) {
		fprintf(stderr, "fuzz_dlhead: connection %u (%s) never freed\n",
		    fz_g->conns->id, conn_state_name(fz_g->conns->state));
		abort();
	}
	return 0;
}
