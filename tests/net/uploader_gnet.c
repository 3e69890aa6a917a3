/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * uploader_gnet.c: tests/net/uploader as a Gnutella 0.6 peer on its HTTP
 * port: it takes a node's handshake, answers pings, and answers every
 * query with one hit for its file at its own address (SHA-1 and Tiger
 * root), so a node finds it by any search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/uploader.h"
#include "wire/ping.h"
#include "wire/qhit.h"
#include "wire/query.h"

static void
gnet_send(struct uc *u, const uint8_t *guid, uint8_t func, uint8_t ttl,
    const uint8_t *payload, size_t len)
{
	struct desc	 d;
	uint8_t		 h[DESC_HDR_LEN];

	memset(&d, 0, sizeof d);
	memcpy(d.guid, guid, DESC_GUID_LEN);
	d.func = func;
	d.ttl = ttl;
	d.len = (uint32_t)len;
	desc_encode(&d, h, sizeof h);
	uc_put(u, h, sizeof h);
	uc_put(u, payload, len);
}

/* Our hit for any query: the file, at our address. */
static void
gnet_hit(struct uc *u, const struct desc *d)
{
	struct qhit		 qh;
	struct qhit_record	 r;
	uint8_t			 out[1024];
	size_t			 len;

	memset(&qh, 0, sizeof qh);
	qh.port = opt.port;
	qh.ip = opt.ip;
	qh.speed = 100000;
	memcpy(qh.vendor, "GTKG", 5);
	memcpy(qh.guid, servent_guid, 16);
	memset(&r, 0, sizeof r);
	r.index = 1;
	r.size = file_size;
	r.name = opt.name;
	r.namelen = strlen(opt.name);
	memcpy(r.sha1, file_sha1, SHA1_LEN);
	memcpy(r.tth, file_tth, TTH_LEN);
	r.has_sha1 = r.has_tth = 1;
	if ((len = qhit_encode(&qh, &r, 1, 0, out, sizeof out)) == 0)
		die("cannot encode a hit");
	gnet_send(u, d->guid, DESC_QHIT, d->hops + 1 < DESC_HARD_TTL ?
	    d->hops + 1 : DESC_HARD_TTL, out, len);
	st.hits++;
	dirty = 1;
}

/* Descriptors in: pongs for pings, hits for queries; 0 to wait, -1 to
 * hang up. */
int
gnet_step(struct uc *u)
{
	struct desc	 d;
	struct pong	 po;
	struct query	 q;
	uint8_t		 out[PONG_FIXED_LEN];
	size_t		 whole;

	if (u->inlen < DESC_HDR_LEN)
		return 0;
	if (desc_decode(u->in, u->inlen, &d) != WIRE_OK)
		return -1;
	whole = DESC_HDR_LEN + d.len;
	if (u->inlen < whole)
		return 0;
	if (d.func == DESC_PING) {
		memset(&po, 0, sizeof po);
		po.port = opt.port;
		po.ip = opt.ip;
		po.files = 1;
		po.kbytes = (uint32_t)(file_size / 1024);
		if (pong_encode(&po, out, sizeof out) == PONG_FIXED_LEN)
			gnet_send(u, d.guid, DESC_PONG, d.hops + 1, out,
			    sizeof out);
	} else if (d.func == DESC_QUERY && query_decode(u->in + DESC_HDR_LEN,
	    d.len, &q) == WIRE_OK)
		gnet_hit(u, &d);
	else if (d.func == DESC_BYE)
		return -1;
	memmove(u->in, u->in + whole, u->inlen - whole);
	u->inlen -= whole;
	return 1;
}

/* The node's handshake (step 1) or its third step. */
int
gnet_hs(struct uc *u)
{
	struct hs	*h;
	struct hs_field	 f[6];
	char		 out[1024], guid[33];
	size_t		 used, len, i;
	enum wire_status ws;

	if ((h = malloc(sizeof *h)) == NULL)
		die("out of memory");
	ws = hs_parse(u->in, u->inlen, h, &used);
	if (ws != WIRE_OK) {
		free(h);
		return ws == WIRE_SHORT ? 0 : -1;
	}
	memmove(u->in, u->in + used, u->inlen - used);
	u->inlen -= used;
	if (u->st == UC_GNET_HS) {
		if (h->kind != HS_RESPONSE || h->code != 200) {
			free(h);
			return -1;
		}
		free(h);
		u->st = u->after = UC_GNET;	/* the link is up */
		st.gnet++;
		dirty = 1;
		return 1;
	}
	free(h);
	for (i = 0; i < 16; i++)
		snprintf(guid + 2 * i, 3, "%02X", servent_guid[i]);
	f[0].name = "User-Agent";
	f[0].value = "gnode-test-uploader";
	f[1].name = "X-Ultrapeer";
	f[1].value = "True";
	f[2].name = "GUID";
	f[2].value = guid;
	f[3].name = "X-Degree";
	f[3].value = "32";
	f[4].name = "X-Max-TTL";
	f[4].value = "4";
	f[5].name = "Pong-Caching";
	f[5].value = "0.1";
	if ((len = hs_format_response(out, sizeof out, 200, "OK", f, 6)) == 0)
		return -1;
	uc_put(u, out, len);
	u->after = UC_GNET_HS;		/* then its third step */
	return 1;
}

