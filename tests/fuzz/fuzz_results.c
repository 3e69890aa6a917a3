/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_results.c: libFuzzer target for the grouping of QueryHits into the
 * results a user sees. The input is a stream of frames; each starts with
 * an op byte:
 *   0x80	a new search, its id one more than the last (as the node
 *		numbers them); with 0x40 also 20 bytes of the SHA-1 it is
 *		for (a search by hash)
 *   other	a QueryHit for the search (op & 0x7f) before the newest (so
 *		hits for searches forgotten come too): its hops, 2 bytes of
 *		payload length (little-endian), the payload, decoded as the
 *		node decodes it and each record added as the node reports it
 * Every result added must be found by its number, belong to its search,
 * and every bound must hold: searches kept, results per search, sources.
 */
#include <stdlib.h>
#include <string.h>

#include "net/results.h"
#include "wire/qhit.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fz_hit(struct results *rs, uint32_t id, uint8_t hops, const uint8_t *p,
    size_t len)
{
	static struct qhit_record recs[255];
	const struct result	*res;
	const struct result_search *s;
	struct node_result	 r;
	struct qhit		 qh;
	size_t			 i;

	if (qhit_decode(p, len, &qh, recs, 255) != WIRE_OK)
		return;
	memset(&r, 0, sizeof r);
	r.search = id;
	r.ip = qh.ip;
	r.port = qh.port;
	r.hops = hops;
	r.status = qh.status;
	r.guid = qh.guid;
	for (i = 0; i < qh.nhits; i++) {
		r.rec = &recs[i];
		if ((res = results_add(rs, &r)) == NULL)
			continue;
		if (res->search != id || results_by_number(rs, res->number) !=
		    res || res->nsrc == 0 || res->nsrc > RESULTS_MAX_SOURCES ||
		    res->name == NULL)
			abort();
		if ((s = results_search(rs, id)) == NULL ||
		    s->nres > RESULTS_MAX_PER_SEARCH)
			abort();
		if (s->has_sha1 && (!res->has_sha1 ||
		    memcmp(res->sha1, s->sha1, 20) != 0))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct results	*rs;
	size_t		 off = 0, len, i;
	uint32_t	 id, last = 0;
	uint8_t		 op, hops;

	rs = results_new();
	while (off < size) {
		op = data[off++];
		if (op & 0x80) {
			id = ++last;
			results_search_add(rs, id, "fuzz", "flood", off);
			if (op & 0x40) {
				if (size - off < 20)
					break;
				results_search_sha1(rs, id, data + off);
				off += 20;
			}
			if (results_last(rs) != id)
				abort();
			continue;
		}
		if (size - off < 3)
			break;
		hops = data[off];
		len = (size_t)data[off + 1] | (size_t)data[off + 2] << 8;
		off += 3;
		if (len > size - off)
			len = size - off;
		fz_hit(rs, last - (op & 0x7f), hops, data + off, len);
		off += len;
	}
	for (i = 0; results_search_at(rs, i) != NULL; i++)
		;
	if (i > RESULTS_MAX_SEARCHES)
		abort();
	results_free(rs);
	return 0;
}
