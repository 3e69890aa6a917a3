/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * mesh.c: the download mesh, the other sources of a file that HTTP heads
 * carry, both ways.
 * - Learning, from an answer to one of our downloads: X-Alt (sources we
 *   dial), X-Falt (firewalled sources, by servent GUID, with their push
 *   proxies: reached by Push, push.c), and, from a firewalled source
 *   itself, X-Push-Proxy and X-FW-Node-Info, its proxies as they are now.
 *   Every address must be one we may dial and none more local than the
 *   peer that named it; a bounded number a header.
 * - Offering, in our uploads' answers: X-Alt from what our searches found
 *   and our downloads use, X-Falt for the firewalled ones (only to a
 *   requester that says it reads them, X-Features fwalt), and, when we
 *   are firewalled, our own proxies.
 * - The swarm: our requests name us in X-Alt once we share a verified
 *   part of the file (partial.c), and the sources that gave us good
 *   chunks; X-NAlt the ones that gave bad ones. An uploader keeps what
 *   requests tell it (MESH_FILES files, MESH_PER_FILE sources each, the
 *   oldest out first) and offers it to the next requesters, so that the
 *   downloaders of one file find each other through its seed. X-NAlt
 *   takes a source out of that store, and out of a download only if it
 *   never gave us a good chunk (a liar cannot make us drop a good one).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"
#include "net/results.h"
#include "wire/giv.h"
#include "wire/http.h"
#include "wire/qhit.h"
#include "xfer/dl.h"
#include "xfer/upload.h"

#define MESH_LEARN_MAX	16	/* entries read from one header */
#define MESH_FILES	64	/* files whose requesters told us of sources */
#define MESH_PER_FILE	32	/* sources kept a file */
#define MESH_LIFE_MS	(30 * 60 * 1000)	/* a told source is kept */

struct mesh_file {
	uint8_t		 sha1[SHA1_LEN];
	uint64_t	 used;		/* ms, 0: a free slot */
	size_t		 n;
	struct {
		uint32_t ip;
		uint16_t port;
		uint64_t seen;		/* ms */
	} e[MESH_PER_FILE];
};

void
mesh_init(struct gnet *g)
{
	g->mesh = xcalloc(MESH_FILES, sizeof *g->mesh);
}

void
mesh_free(struct gnet *g)
{
	free(g->mesh);
	g->mesh = NULL;
}

/* Whether ip, named by from, is a source we may dial: inside our scope,
 * and no more local than the one that named it. */
static int
mesh_may_dial(struct gnet *g, uint32_t ip, uint32_t from)
{
	return net_scope_ok(g, ip) && addr_heard_ok(ip, from);
}

/* The store's file for sha1, or (make) one: the least recently used
 * slot is given up for it. */
static struct mesh_file *
mesh_file(struct gnet *g, const uint8_t *sha1, int make)
{
	struct mesh_file	*f, *old = NULL;
	size_t			 i;

	if (g->mesh == NULL)
		return NULL;
	for (i = 0; i < MESH_FILES; i++) {
		f = &g->mesh[i];
		if (f->used != 0 && memcmp(f->sha1, sha1, SHA1_LEN) == 0)
			return f;
		if (old == NULL || f->used < old->used)
			old = f;
	}
	if (!make)
		return NULL;
	memset(old, 0, sizeof *old);
	memcpy(old->sha1, sha1, SHA1_LEN);
	old->used = gnet_now(g);
	return old;
}

static void
mesh_file_drop(struct mesh_file *f, size_t i)
{
	memmove(&f->e[i], &f->e[i + 1], (f->n - i - 1) * sizeof f->e[0]);
	f->n--;
}

/* A source a requester told us of, seen now. */
static void
mesh_store_add(struct gnet *g, const uint8_t *sha1, uint32_t ip,
    uint16_t port)
{
	struct mesh_file	*f = mesh_file(g, sha1, 1);
	size_t			 i, old = 0;

	if (f == NULL)
		return;
	f->used = gnet_now(g);
	for (i = 0; i < f->n; i++)
		if (f->e[i].ip == ip && f->e[i].port == port) {
			f->e[i].seen = f->used;
			return;
		}
	if (f->n == MESH_PER_FILE) {
		for (i = 1; i < f->n; i++)
			if (f->e[i].seen < f->e[old].seen)
				old = i;
		mesh_file_drop(f, old);
	}
	f->e[f->n].ip = ip;
	f->e[f->n].port = port;
	f->e[f->n++].seen = f->used;
}

static void
mesh_store_del(struct gnet *g, const uint8_t *sha1, uint32_t ip,
    uint16_t port)
{
	struct mesh_file	*f = mesh_file(g, sha1, 0);
	size_t			 i;

	for (i = 0; f != NULL && i < f->n; i++)
		if (f->e[i].ip == ip && f->e[i].port == port) {
			mesh_file_drop(f, i);
			return;
		}
}

/* X-Alt and X-NAlt of a request for sha1 from requester. */
static void
mesh_hear(struct gnet *g, const uint8_t *sha1, uint32_t requester,
    const struct hs *req)
{
	struct http_alt	 a[MESH_LEARN_MAX];
	const char	*v;
	size_t		 i, n;

	if (req == NULL)
		return;
	if ((v = hs_get(req, "X-NAlt")) != NULL) {
		n = http_parse_xalt(v, a, MESH_LEARN_MAX);
		for (i = 0; i < n; i++)
			mesh_store_del(g, sha1, a[i].ip, a[i].port);
	}
	if ((v = hs_get(req, "X-Alt")) != NULL) {
		n = http_parse_xalt(v, a, MESH_LEARN_MAX);
		for (i = 0; i < n; i++)
			if (mesh_may_dial(g, a[i].ip, requester) &&
			    (a[i].ip != g->ip || a[i].port != g->port))
				mesh_store_add(g, sha1, a[i].ip, a[i].port);
	}
}

/* Keep, of a firewalled location named by from, only the proxies we may
 * dial; its own address likewise. How many proxies are left. */
static size_t
mesh_falt_clean(struct gnet *g, struct falt *f, uint32_t from)
{
	size_t	 i, n = 0;

	for (i = 0; i < f->npp; i++)
		if (mesh_may_dial(g, f->pp[i].ip, from))
			f->pp[n++] = f->pp[i];
	f->npp = n;
	if (f->ip != 0 && !mesh_may_dial(g, f->ip, from)) {
		f->ip = 0;
		f->port = 0;
	}
	return n;
}

/* A firewalled source for the download, by GUID: a new one, or an old
 * one's proxies brought up to date. */
static void
mesh_add_falt(struct gnet *g, struct gdl *gd, const struct falt *f,
    uint32_t index)
{
	uint32_t	 ip[FALT_PROXIES];
	uint16_t	 port[FALT_PROXIES];
	size_t		 i;

	if (memcmp(f->guid, node_guid(g->node), 16) == 0)
		return;
	for (i = 0; i < f->npp; i++) {
		ip[i] = f->pp[i].ip;
		port[i] = f->pp[i].port;
	}
	(void)dl_add_push_source(gd->dl, f->guid, f->ip, f->port, index, ip,
	    port, f->npp);
}

/* A source another says is bad or gone, if it never gave us a good
 * chunk. */
static void
mesh_gone(struct gnet *g, struct gdl *gd, uint32_t ip, uint16_t port)
{
	struct dl_source	*s;
	size_t			 i;

	for (i = 0; i < gd->dl->nsrc; i++) {
		s = &gd->dl->src[i];
		if (s->ip == ip && s->port == port && !s->push && s->ok == 0 &&
		    s->status != DL_SRC_BUSY && s->status != DL_SRC_GONE &&
		    s->status != DL_SRC_BANNED) {
			dl_source_failed(gd->dl, i, DL_FAIL_GONE, gnet_now(g));
			return;
		}
	}
}

void
mesh_learn(struct conn *c, struct gdl *gd, const struct hs *h)
{
	struct gnet		*g = c->g;
	struct dl_source	*s = &gd->dl->src[c->dl_src];
	struct http_alt		 alts[MESH_LEARN_MAX];
	struct falt		 f[MESH_LEARN_MAX];
	const char		*v;
	size_t			 i, n;
	int			 slot;

	if ((v = hs_get(h, "X-Alt")) != NULL) {
		n = http_parse_xalt(v, alts, MESH_LEARN_MAX);
		for (i = 0; i < n; i++)
			if (mesh_may_dial(g, alts[i].ip, c->ip) &&
			    (slot = dl_add_source(gd->dl, alts[i].ip,
			    alts[i].port, 0)) >= 0)
				gdl_save_source(g, gd, (size_t)slot);
	}
	/* Sources it found bad: out, unless one gave us good chunks. */
	if ((v = hs_get(h, "X-NAlt")) != NULL) {
		n = http_parse_xalt(v, alts, MESH_LEARN_MAX);
		for (i = 0; i < n; i++)
			mesh_gone(g, gd, alts[i].ip, alts[i].port);
	}
	/* A firewalled source is of use only to a node that can take its
	 * GIV; and only one with a proxy to ask, since no hit of it made a
	 * route to it here. */
	if ((v = hs_get(h, "X-Falt")) != NULL && !gnet_firewalled(g)) {
		n = falt_parse(v, strlen(v), f, MESH_LEARN_MAX);
		for (i = 0; i < n; i++)
			if (mesh_falt_clean(g, &f[i], c->ip) > 0)
				mesh_add_falt(g, gd, &f[i], 0);
	}
	if (!s->push)
		return;
	/* The firewalled source we are talking to says where its proxies
	 * are now: X-FW-Node-Info (gtk-gnutella: its GUID, then them), or
	 * X-Push-Proxy (earlier X-Push-Proxies). */
	memset(f, 0, sizeof f[0]);
	if ((v = hs_get(h, "X-FW-Node-Info")) != NULL) {
		if (falt_parse(v, strlen(v), f, 1) != 1 ||
		    memcmp(f[0].guid, s->guid, 16) != 0)
			return;
	} else if ((v = hs_get(h, "X-Push-Proxy")) != NULL ||
	    (v = hs_get(h, "X-Push-Proxies")) != NULL) {
		memcpy(f[0].guid, s->guid, 16);
		f[0].npp = http_parse_xalt(v, f[0].pp, FALT_PROXIES);
	} else
		return;
	f[0].ip = s->ip;
	f[0].port = s->port;
	if (mesh_falt_clean(g, &f[0], c->ip) > 0)
		mesh_add_falt(g, gd, &f[0], s->index);
}

/* One more firewalled location, unless its GUID is in already. */
static void
mesh_offer_falt(struct upload_mesh *m, const uint8_t *guid, uint32_t ip,
    uint16_t port, const uint32_t *pp_ip, const uint16_t *pp_port,
    size_t npp)
{
	struct falt	*f;
	size_t		 i;

	if (npp == 0 || m->nfalt == UPLOAD_FALTS)
		return;
	for (i = 0; i < m->nfalt; i++)
		if (memcmp(m->falt[i].guid, guid, 16) == 0)
			return;
	f = &m->falt[m->nfalt++];
	memset(f, 0, sizeof *f);
	memcpy(f->guid, guid, 16);
	f->ip = ip;
	f->port = port;
	for (i = 0; i < npp && i < FALT_PROXIES; i++)
		f->pp[f->npp++] = (struct http_alt){ pp_ip[i], pp_port[i] };
}

/* One more direct location, unless it is there already or the
 * requester's own. */
static void
mesh_offer_alt(struct upload_mesh *m, uint32_t ip, uint16_t port,
    uint32_t requester)
{
	size_t	 i;

	if (ip == 0 || port == 0 || ip == requester ||
	    m->nalt == UPLOAD_ALTS)
		return;
	for (i = 0; i < m->nalt; i++)
		if (m->alt[i].ip == ip && m->alt[i].port == port)
			return;
	m->alt[m->nalt++] = (struct http_alt){ ip, port };
}

struct mesh_from_results {
	struct upload_mesh	*m;
	uint32_t		 requester;
};

/* A source of the file in our searches' results. */
static void
mesh_offer_result(void *arg, const struct result_source *rs)
{
	struct mesh_from_results	*fr = arg;

	/* A firewalled servent's address is of no use but on its LAN. */
	if (rs->status & QHIT_S_PUSH)
		mesh_offer_falt(fr->m, rs->guid, rs->ip, rs->port, rs->pp_ip,
		    rs->pp_port, rs->npp);
	else
		mesh_offer_alt(fr->m, rs->ip, rs->port, fr->requester);
}

/* Sources a download of it is using that have not failed it. */
static void
mesh_offer_download(struct gnet *g, const uint8_t *sha1, uint32_t requester,
    struct upload_mesh *m)
{
	struct gdl		*gd;
	const struct dl_source	*s;
	size_t			 i;

	for (gd = g->downloads; gd != NULL; gd = gd->next)
		if (memcmp(gd->dl->sha1, sha1, SHA1_LEN) == 0)
			break;
	if (gd == NULL || gd->dl->state == DL_CANCELLED)
		return;
	for (i = 0; i < gd->dl->nsrc; i++) {
		s = &gd->dl->src[i];
		if (s->status == DL_SRC_BANNED || s->status == DL_SRC_GONE)
			continue;
		if (s->push)
			mesh_offer_falt(m, s->guid, s->ip, s->port, s->pp_ip,
			    s->pp_port, s->npp);
		else
			mesh_offer_alt(m, s->ip, s->port, requester);
	}
}

/* What requesters told us of, the latest first. */
static void
mesh_offer_store(struct gnet *g, const uint8_t *sha1, uint32_t requester,
    struct upload_mesh *m)
{
	struct mesh_file	*f = mesh_file(g, sha1, 0);
	uint64_t		 now = gnet_now(g);
	size_t			 i;

	if (f == NULL)
		return;
	for (i = f->n; i > 0; i--)
		if (f->e[i - 1].seen + MESH_LIFE_MS < now)
			mesh_file_drop(f, i - 1);
	for (i = f->n; i > 0; i--)
		mesh_offer_alt(m, f->e[i - 1].ip, f->e[i - 1].port, requester);
}

void
mesh_offer(void *arg, const uint8_t *sha1, uint32_t requester,
    const struct hs *req, struct upload_mesh *m)
{
	struct gnet			*g = arg;
	struct mesh_from_results	 fr;
	uint32_t			 ip[FALT_PROXIES];
	uint16_t			 port[FALT_PROXIES];
	size_t				 i, n;

	memset(m, 0, sizeof *m);
	mesh_hear(g, sha1, requester, req);
	mesh_offer_store(g, sha1, requester, m);
	mesh_offer_download(g, sha1, requester, m);
	fr.m = m;
	fr.requester = requester;
	results_sources(g->results, sha1, mesh_offer_result, &fr);
	if (!gnet_firewalled(g) || g->node == NULL)
		return;
	/* We are firewalled: where a Push reaches us. */
	m->firewalled = 1;
	memcpy(m->self.guid, node_guid(g->node), 16);
	n = node_proxies(g->node, ip, port, FALT_PROXIES);
	for (i = 0; i < n; i++)
		m->self.pp[m->self.npp++] = (struct http_alt){ ip[i], port[i] };
}

size_t
mesh_request_fields(struct conn *c, struct gdl *gd, struct hs_field *f,
    char *buf, size_t cap)
{
	struct gnet		*g = c->g;
	const struct dl_source	*s;
	struct http_alt		 good[UPLOAD_ALTS], bad[UPLOAD_ALTS];
	size_t			 i, ng = 0, nb = 0, n = 0, len, off = 0;

	/* Us first, when we serve a verified part of it. */
	if (partial_on(g) && !gnet_firewalled(g) && g->ip != 0 &&
	    g->port != 0 && gd->dl->count[DL_CHUNK_DONE] > 0)
		good[ng++] = (struct http_alt){ g->ip, g->port };
	for (i = 0; i < gd->dl->nsrc; i++) {
		s = &gd->dl->src[i];
		if (s->push || (s->ip == c->ip && s->port == c->port))
			continue;
		if (s->status == DL_SRC_BANNED && nb < UPLOAD_ALTS)
			bad[nb++] = (struct http_alt){ s->ip, s->port };
		else if (s->ok > 0 && s->status != DL_SRC_GONE &&
		    ng < UPLOAD_ALTS)
			good[ng++] = (struct http_alt){ s->ip, s->port };
	}
	if (ng > 0 && (len = http_format_xalt(buf, cap, good, ng)) > 0) {
		f[n].name = "X-Alt";
		f[n++].value = buf;
		off = len + 1;
	}
	if (nb > 0 && off < cap && (len = http_format_xalt(buf + off,
	    cap - off, bad, nb)) > 0) {
		f[n].name = "X-NAlt";
		f[n++].value = buf + off;
	}
	return n;
}
