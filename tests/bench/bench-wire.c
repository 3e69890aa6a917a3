/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * bench-wire.c: how fast the codec reads and writes the two messages a node
 * handles most: a typical Query (about 60 bytes with a HUGE URN) and a
 * QueryHit with 10 records and gtkg's trailer. Prints one JSON line.
 * Build without sanitizers for meaningful figures (plain ./configure).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wire/ggep.h"
#include "wire/qhit.h"
#include "wire/query.h"

#define BENCH_MIN_NS	300000000ull	/* run each figure at least 0.3 s */

static volatile size_t	 bench_sink;

static uint64_t
bench_now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Run fn until BENCH_MIN_NS has passed; return nanoseconds per call. */
static double
bench_run(size_t (*fn)(void))
{
	uint64_t	 start, elapsed, iters = 0, batch = 1024, i;

	start = bench_now_ns();
	do {
		for (i = 0; i < batch; i++)
			bench_sink += fn();
		iters += batch;
		elapsed = bench_now_ns() - start;
	} while (elapsed < BENCH_MIN_NS);
	return (double)elapsed / (double)iters;
}

static struct query	 bq;
static uint8_t		 bq_wire[256];
static size_t		 bq_len;
static struct qhit	 bh;
static struct qhit_record bh_recs[QHIT_RECORDS_PER_MSG];
static uint8_t		 bh_wire[4096];
static size_t		 bh_len;
static uint8_t		 b_out[4096];
static char		 bh_names[QHIT_RECORDS_PER_MSG][64];

static size_t
bench_query_decode(void)
{
	struct query	 q;

	if (query_decode(bq_wire, bq_len, &q) != WIRE_OK)
		abort();
	return q.textlen + q.nsha1;
}

static size_t
bench_query_encode(void)
{
	return query_encode(&bq, b_out, sizeof b_out);
}

static size_t
bench_qhit_decode(void)
{
	struct qhit		 qh;
	struct qhit_record	 recs[QHIT_RECORDS_PER_MSG];

	if (qhit_decode(bh_wire, bh_len, &qh, recs, QHIT_RECORDS_PER_MSG) !=
	    WIRE_OK)
		abort();
	return qh.nhits + recs[9].namelen;
}

static size_t
bench_qhit_encode(void)
{
	return qhit_encode(&bh, bh_recs, QHIT_RECORDS_PER_MSG, 0, b_out,
	    sizeof b_out);
}

static void
bench_setup(void)
{
	static uint8_t		 priv[64];
	struct ggep_writer	 w;
	int			 i, j;

	memset(&bq, 0, sizeof bq);
	bq.flags = QUERY_F_MARK | QUERY_F_GGEP_H | QUERY_F_XML;
	bq.text = "debian netinst amd64";
	bq.textlen = strlen(bq.text);
	for (j = 0; j < SHA1_LEN; j++)
		bq.sha1[0][j] = (uint8_t)(j * 13 + 7);
	bq.nsha1 = 1;
	if ((bq_len = query_encode(&bq, bq_wire, sizeof bq_wire)) == 0)
		abort();

	memset(&bh, 0, sizeof bh);
	bh.port = 6346;
	bh.ip = 0x7f000002;
	bh.speed = 1000;
	memcpy(bh.vendor, "GNOD", 5);
	bh.status = QHIT_S_GGEP;
	ggep_writer_init(&w, priv, sizeof priv);
	ggep_add(&w, "BH", NULL, 0, 0);
	bh.ggeplen = ggep_finish(&w);
	bh.ggep = priv;
	for (j = 0; j < 16; j++)
		bh.guid[j] = (uint8_t)(0xa0 + j);
	for (i = 0; i < QHIT_RECORDS_PER_MSG; i++) {
		snprintf(bh_names[i], sizeof bh_names[i],
		    "Artist %d - Some Song Title (live %d).mp3", i, 1990 + i);
		bh_recs[i].index = (uint32_t)i + 1;
		bh_recs[i].size = 3000000u + (uint32_t)i * 12345u;
		bh_recs[i].name = bh_names[i];
		bh_recs[i].namelen = strlen(bh_names[i]);
		for (j = 0; j < SHA1_LEN; j++)
			bh_recs[i].sha1[j] = (uint8_t)(i * 31 + j);
		bh_recs[i].has_sha1 = 1;
	}
	if ((bh_len = bench_qhit_encode()) == 0)
		abort();
	memcpy(bh_wire, b_out, bh_len);
}

int
main(void)
{
	double	 qd, qe, hd, he;

	bench_setup();
	qd = bench_run(bench_query_decode);
	qe = bench_run(bench_query_encode);
	hd = bench_run(bench_qhit_decode);
	he = bench_run(bench_qhit_encode);
	printf("{\"bench\":\"wire\",\"query_bytes\":%zu,\"query_decode_ns\":%.1f,"
	    "\"query_decodes_per_s\":%.0f,\"query_encode_ns\":%.1f,"
	    "\"query_encodes_per_s\":%.0f,\"qhit_records\":%d,\"qhit_bytes\":%zu,"
	    "\"qhit_decode_ns\":%.1f,\"qhit_decodes_per_s\":%.0f,"
	    "\"qhit_encode_ns\":%.1f,\"qhit_encodes_per_s\":%.0f}\n",
	    bq_len, qd, 1e9 / qd, qe, 1e9 / qe, QHIT_RECORDS_PER_MSG, bh_len,
	    hd, 1e9 / hd, he, 1e9 / he);
	return 0;
}
