/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * search.c: our own searches. A search owns a MUID; the seen-table maps it
 * to NODE_SELF so hits for it end here. Its strategy (fwd_*.c) decides whom
 * to send the query to and when to send more.
 */
#include <stdlib.h>
#include <string.h>

#include "core/node_impl.h"
#include "lib/xmalloc.h"
#include "wire/ggep.h"
#include "wire/giv.h"
#include "wire/vmsg.h"

static const struct fwd *const search_fwds[] = {
	&fwd_flood, &fwd_ring, &fwd_walk, &fwd_dq,
};

static struct search *search_by_id(const struct node *, uint32_t);

static const struct fwd *
search_fwd(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof search_fwds / sizeof search_fwds[0]; i++)
		if (strcmp(search_fwds[i]->name, name) == 0)
			return search_fwds[i];
	return NULL;
}

/* Start a search; its id, or 0 with *cause set. */
uint32_t
node_search(struct node *n, const char *text, const struct search_opts *o,
    const char **cause)
{
	return node_search_sha1(n, text, NULL, o, cause);
}

/* Start a search for words, a file's SHA-1, or both. */
uint32_t
node_search_sha1(struct node *n, const char *text, const uint8_t *sha1,
    const struct search_opts *o, const char **cause)
{
	struct seen_entry	*e;
	struct search		*s;
	struct query		 q;
	const struct fwd	*f;
	uint8_t			 buf[QUERY_MAX_TEXT + HUGE_URN_SHA1_LEN + 8];
	uint64_t		 now = node_now(n);
	size_t			 len;
	uint32_t		 id, i;
	int			 oob;

	if ((f = search_fwd(o->strategy != NULL ? o->strategy : "flood")) ==
	    NULL) {
		*cause = "unknown strategy (flood, ring, walk, dq)";
		return 0;
	}
	if ((text[0] == '\0' && sha1 == NULL) ||
	    strlen(text) > QUERY_MAX_TEXT - 4) {
		*cause = "search text must be 1 to 252 bytes";
		return 0;
	}
	memset(&q, 0, sizeof q);
	q.flags = QUERY_F_MARK | QUERY_F_GGEP_H;
	/* A leaf answers its ultrapeers' status requests (dq_leaf.c). */
	if (n->conf.leaf)
		q.flags |= QUERY_F_LEAF_GUIDED;
	/* Firewalled responders need not answer a firewalled requester. */
	if (n->conf.firewalled)
		q.flags |= QUERY_F_FIREWALLED;
	/* Hits by UDP when we take it (oob.c); walkers have their own. */
	oob = n->conf.oob && n->conf.ip != 0 && n->conf.port != 0 &&
	    f != &fwd_walk;
	if (oob)
		q.flags |= QUERY_F_OOB;
	q.text = text;
	q.textlen = strlen(text);
	if (sha1 != NULL) {
		memcpy(q.sha1[0], sha1, SHA1_LEN);
		q.nsha1 = 1;
	}
	if ((len = query_encode(&q, buf, sizeof buf)) == 0) {
		*cause = "search text does not fit a query";
		return 0;
	}
	/* Servents relay no longer query (node_flood neither). */
	if (len > QUERY_MAX_TEXT) {
		*cause = "search text with a URN must be at most 211 bytes";
		return 0;
	}
	s = xcalloc(1, sizeof *s);
	s->id = n->next_search++;
	guid_new(&n->rng, s->guid);
	if (oob) {
		vmsg_oob_guid_set(s->guid, n->conf.ip, n->conf.port);
		s->oob = 1;
	}
	s->fwd = f;
	s->o = *o;
	if (sha1 != NULL) {
		memcpy(s->sha1, sha1, SHA1_LEN);
		s->has_sha1 = 1;
	}
	if (s->o.target == 0)
		s->o.target = 1;
	/* Never send what our own rules (and every servent's) would refuse. */
	if (s->o.ttl == 0 || s->o.ttl > n->conf.max_ttl)
		s->o.ttl = s->o.ttl == 0 ? n->conf.query_ttl : n->conf.max_ttl;
	if (s->o.ttl > DESC_HARD_TTL)
		s->o.ttl = DESC_HARD_TTL;
	s->payload = xmalloc(len);
	memcpy(s->payload, buf, len);
	s->plen = len;
	s->started = now;
	s->expire = now + n->conf.search_life_ms;
	s->active = 1;
	seen_add(node_seen(n), s->guid, DESC_QUERY, NODE_SELF, now, &e);
	e->flags |= SEEN_F_ANSWERED;
	e->ttl = UINT8_MAX;	/* our own query never comes back as a probe */
	s->next = n->searches;
	n->searches = s;
	if (n->conf.leaf) {
		/* A leaf's search goes to each of its ultrapeers, which
		 * carry it on (dynamic querying is theirs to do). */
		id = s->id;
		for (i = 0; i < n->npeers; i++)
			node_send(n, n->peers[i].id, s->guid, DESC_QUERY,
			    peer_ttl(&n->peers[i], s->o.ttl), 0, s->payload,
			    s->plen);
		if ((s = search_by_id(n, id)) != NULL)
			s->active = 0;
		return id;
	}
	id = s->id;
	f->start(n, s);
	/* Our leaves whose tables match get it once, as the last hop. */
	if ((s = search_by_id(n, id)) != NULL)
		lqrt_route(n, NODE_SELF, s->guid, 0, s->payload, s->plen,
		    NULL);
	return id;
}

static struct search *
search_by_id(const struct node *n, uint32_t id)
{
	struct search	*s;

	for (s = n->searches; s != NULL; s = s->next)
		if (s->id == id)
			return s;
	return NULL;
}

struct search *
search_by_guid(struct node *n, const uint8_t *guid)
{
	struct search	*s;

	for (s = n->searches; s != NULL; s = s->next)
		if (!s->for_leaf && memcmp(s->guid, guid, 16) == 0)
			return s;
	return NULL;
}

void
search_free(struct search *s)
{
	free(s->payload);
	free(s->sent);
	free(s);
}

/* Stop a search: nothing more is sent or delivered for it. */
void
node_search_stop(struct node *n, uint32_t id)
{
	struct search	**sp, *s;

	for (sp = &n->searches; (s = *sp) != NULL; sp = &s->next) {
		if (s->id == id) {
			*sp = s->next;
			search_free(s);
			return;
		}
	}
}

long
node_search_results(const struct node *n, uint32_t id)
{
	const struct search	*s = search_by_id(n, id);

	return s != NULL ? (long)s->results : -1;
}

int
node_search_active(const struct node *n, uint32_t id)
{
	const struct search	*s = search_by_id(n, id);

	return s != NULL && s->active;
}

/* Hand each record of a hit to the host. */
void
search_hit(struct node *n, struct search *s, const struct qhit *qh,
    const struct qhit_record *recs, size_t nrec, uint8_t hops)
{
	struct node_result	 r;
	struct ggep_ext		 ext;
	uint8_t			 ppv[6 * 8];
	uint32_t		 id = s->id;
	size_t			 i, pplen;

	r.search = id;
	r.ip = qh->ip;
	r.port = qh->port;
	r.hops = hops == UINT8_MAX ? hops : hops + 1;
	r.status = qh->status;
	r.guid = qh->guid;
	r.npp = 0;
	if ((qh->status & QHIT_S_PUSH) && qh->ggep != NULL &&
	    ggep_find(qh->ggep, qh->ggeplen, "PUSH", &ext) == WIRE_OK &&
	    ggep_value(&ext, ppv, sizeof ppv, &pplen) == WIRE_OK)
		r.npp = (uint8_t)pproxy_list_decode(ppv, pplen, r.pp_ip,
		    r.pp_port, 4);
	for (i = 0; i < nrec; i++) {
		/* A search by hash asks for one file: servents answer its
		 * words as well (so do we), and those files are not it. */
		if (s->has_sha1 && (!recs[i].has_sha1 ||
		    memcmp(recs[i].sha1, s->sha1, SHA1_LEN) != 0))
			continue;
		s->results++;
		r.rec = &recs[i];
		if (n->env->result == NULL)
			continue;
		n->env->result(n->arg, &r);
		/* The host may have stopped (freed) the search meanwhile. */
		if ((s = search_by_id(n, id)) == NULL)
			return;
	}
	if (s->results >= s->o.target && s->fwd != &fwd_walk)
		s->active = 0;
}

/* Send our query to one peer with a TTL. */
void
search_send_query(struct node *n, struct search *s, uint32_t peer, uint8_t ttl)
{
	const struct peer	*p = node_peer(n, peer);

	/* Leaves are reached by lqrt_route only. */
	if (p != NULL && !p->leaf)
		node_send(n, peer, s->guid, DESC_QUERY, peer_ttl(p, ttl),
		    s->hops, s->payload, s->plen);
}

/* Strategies act when due; expired searches go. */
void
search_tick(struct node *n, uint64_t now)
{
	struct search	**sp, *s;

	for (sp = &n->searches; (s = *sp) != NULL;) {
		if (now >= s->expire) {
			*sp = s->next;
			search_free(s);
			continue;
		}
		if (s->active && now >= s->next_ms && s->fwd->step != NULL)
			s->fwd->step(n, s, now);
		sp = &s->next;
	}
}

void
search_free_all(struct node *n)
{
	struct search	*s;

	while ((s = n->searches) != NULL) {
		n->searches = s->next;
		search_free(s);
	}
}
