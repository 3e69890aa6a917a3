/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_topo.c: libFuzzer target for the simulator's edge lists (a crawl
 * someone hands gnode-sim). The input is the file, held in a memfd and read
 * through /proc/self/fd as topo_file reads a path. A graph that loads must
 * be simple and undirected, as topo.h promises, and searchable from node 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sim/topo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* How many times b is among a's neighbours. */
static uint64_t
fz_has(const struct topo *t, uint32_t a, uint32_t b)
{
	uint64_t	 k, n = 0;

	for (k = t->off[a]; k < t->off[a + 1]; k++)
		if (t->adj[k] == b)
			n++;
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 fd = -1;
	static char	 path[64];
	struct topo	 t;
	uint32_t	*dist;
	char		*cause = NULL;
	uint64_t	 k;
	uint32_t	 i, j;

	if (fd == -1) {
		if ((fd = memfd_create("fuzz_topo", 0)) == -1)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	memset(&t, 0, sizeof t);
	if (topo_file(&t, path, &cause) != 0) {
		if (cause == NULL)
			abort();
		free(cause);
		return 0;
	}
	if (t.off[t.n] != 2 * t.m)
		abort();
	/* Each edge once each way (checked where degrees are small, so
	 * a hub does not make the check quadratic). */
	for (i = 0; i < t.n; i++)
		for (k = t.off[i]; k < t.off[i + 1]; k++) {
			j = t.adj[k];
			if (j >= t.n || j == i)
				abort();
			if (topo_degree(&t, i) <= 256 &&
			    topo_degree(&t, j) <= 256 &&
			    (fz_has(&t, i, j) != 1 || fz_has(&t, j, i) != 1))
				abort();
		}
	if (t.n > 0) {
		if ((dist = calloc(t.n, sizeof *dist)) == NULL)
			abort();
		(void)topo_bfs(&t, 0, dist);
		if (dist[0] != 0)
			abort();
		free(dist);
		(void)topo_components(&t);
	}
	topo_free(&t);
	return 0;
}
