/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * attacker_probe.c: the attacker's "probe" class, which is no attack: a
 * well-behaved peer that sends a query for WORD (TTL 1), times the node's
 * hit to it, and asks again 100 ms later, until its seconds are over;
 * then "probe sent N answered A median_ms X p90_ms Y" (bench-hostile's
 * good peer). See attacker.c for the command line.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wire/desc.h"
#include "wire/query.h"
#include "attacker.h"

#define AT_PROBE_GAP_MS	100	/* between a hit and the next query */
#define AT_PROBE_MAX	10000	/* queries a probe run sends at most */

static int
at_cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Wait for the hit to muid; its latency in microseconds, or -1. */
static int64_t
at_probe_wait(struct at_link *l, const uint8_t *muid, const struct timespec *t0)
{
	struct timespec	 t1;
	struct pollfd	 pfd;
	uint64_t	 deadline = at_now() + 5000;
	size_t		 off, len;
	uint32_t	 plen;
	ssize_t		 r;

	while (at_left(deadline) > 0) {
		pfd.fd = l->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, at_left(deadline)) < 1)
			break;
		if (l->inlen == AT_IN)
			l->inlen = 0;
		r = recv(l->fd, l->in + l->inlen, AT_IN - l->inlen, 0);
		if (r <= 0)
			return -2;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		l->inlen += (size_t)r;
		for (off = 0; l->inlen - off >= DESC_HDR_LEN; off += len) {
			plen = peek_le32(l->in + off + 19) & 0x1ffff;
			len = DESC_HDR_LEN + plen;
			if (l->inlen - off < len)
				break;
			if (l->in[off + 16] == DESC_QHIT &&
			    memcmp(l->in + off, muid, DESC_GUID_LEN) == 0) {
				memmove(l->in, l->in + off + len,
				    l->inlen - off - len);
				l->inlen -= off + len;
				return (int64_t)(t1.tv_sec - t0->tv_sec) *
				    1000000 + (t1.tv_nsec - t0->tv_nsec) / 1000;
			}
			if (l->in[off + 16] == DESC_BYE)
				return -2;
		}
		memmove(l->in, l->in + off, l->inlen - off);
		l->inlen -= off;
	}
	return -1;
}

int
at_probe(const struct at_opt *o)
{
	static uint8_t	 in[AT_IN];
	static uint64_t	 lat[AT_PROBE_MAX];
	struct at_link	 l;
	struct query	 q;
	struct timespec	 t0;
	uint8_t		 msg[DESC_HDR_LEN + 512], payload[512];
	uint64_t	 deadline;
	unsigned long	 sent = 0, got = 0;
	size_t		 n, plen;
	int64_t		 us;
	char		 why[256];

	memset(&l, 0, sizeof l);
	l.in = in;
	if ((l.fd = at_dial(o, 0)) == -1 ||
	    at_handshake(&l, 0, why, sizeof why) != 0) {
		printf("probe: not up: %s\n", l.fd == -1 ? strerror(errno) :
		    why);
		return 1;
	}
	printf("up\n");
	fflush(stdout);
	memset(&q, 0, sizeof q);
	q.flags = QUERY_F_MARK | QUERY_F_GGEP_H;
	q.text = o->word;
	q.textlen = strlen(o->word);
	if ((plen = query_encode(&q, payload, sizeof payload)) == 0)
		return 2;
	deadline = at_now() + (uint64_t)o->secs * 1000;
	while (at_now() < deadline && sent < AT_PROBE_MAX) {
		n = at_desc(msg, DESC_QUERY, payload, plen);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (at_write_all(l.fd, msg, n, at_now() + AT_WAIT_MS) != 0)
			break;
		sent++;
		if ((us = at_probe_wait(&l, msg, &t0)) == -2)
			break;
		if (us >= 0)
			lat[got++] = (uint64_t)us;
		(void)poll(NULL, 0, AT_PROBE_GAP_MS);
	}
	close(l.fd);
	qsort(lat, got, sizeof lat[0], at_cmp);
	printf("probe sent %lu answered %lu median_ms %.3f p90_ms %.3f\n",
	    sent, got, got ? (double)lat[got / 2] / 1000 : -1.0,
	    got ? (double)lat[got * 9 / 10] / 1000 : -1.0);
	return got > 0 ? 0 : 1;
}
