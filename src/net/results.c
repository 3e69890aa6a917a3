/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * results.c: the store behind `results`. Searches sit in an array, oldest
 * first; past RESULTS_MAX_SEARCHES the oldest is freed with its results.
 * A hit record joins the result of its search with the same SHA-1, or,
 * when it has none, the result without a SHA-1 of the same name and size.
 * Lookups are linear: a search holds at most RESULTS_MAX_PER_SEARCH
 * results, so a hit costs at most that many comparisons.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"
#include "net/results.h"
#include "wire/qhit.h"

struct results {
	struct result_search	*s[RESULTS_MAX_SEARCHES];	/* oldest first */
	size_t			 ns;
	uint32_t		 next_number;
};

static void
results_free_result(struct result *r)
{
	free(r->name);
	free(r->src);
	free(r);
}

static void
results_free_search(struct result_search *s)
{
	size_t	 i;

	for (i = 0; i < s->nres; i++)
		results_free_result(s->res[i]);
	free(s->res);
	free(s->text);
	free(s);
}

/* An empty store. */
struct results *
results_new(void)
{
	struct results	*rs;

	rs = xcalloc(1, sizeof *rs);
	rs->next_number = 1;
	return rs;
}

/* Free the store, its searches and their results. */
void
results_free(struct results *rs)
{
	size_t	 i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->ns; i++)
		results_free_search(rs->s[i]);
	free(rs);
}

static struct result_search *
results_find(const struct results *rs, uint32_t id)
{
	size_t	 i;

	for (i = 0; i < rs->ns; i++)
		if (rs->s[i]->id == id)
			return rs->s[i];
	return NULL;
}

/* Remember a new search; a known id is left as it is. */
void
results_search_add(struct results *rs, uint32_t id, const char *text,
    const char *strategy, uint64_t now_ms)
{
	struct result_search	*s;

	if (results_find(rs, id) != NULL)
		return;
	if (rs->ns == RESULTS_MAX_SEARCHES) {
		results_free_search(rs->s[0]);
		memmove(&rs->s[0], &rs->s[1], (rs->ns - 1) * sizeof rs->s[0]);
		rs->ns--;
	}
	s = xcalloc(1, sizeof *s);
	s->id = id;
	s->text = xstrdup(text != NULL ? text : "");
	snprintf(s->strategy, sizeof s->strategy, "%s",
	    strategy != NULL ? strategy : "");
	s->started_ms = now_ms;
	rs->s[rs->ns++] = s;
}

/* A search by hash: its results are that file only. */
void
results_search_sha1(struct results *rs, uint32_t id, const uint8_t sha1[20])
{
	struct result_search	*s;

	if ((s = results_find(rs, id)) == NULL)
		return;
	memcpy(s->sha1, sha1, sizeof s->sha1);
	s->has_sha1 = 1;
}

/* Whether the record describes the same file as the result. */
static int
results_same(const struct result *r, const struct qhit_record *rec)
{
	if (rec->has_sha1)
		return r->has_sha1 && memcmp(r->sha1, rec->sha1, SHA1_LEN) == 0;
	return !r->has_sha1 && r->size == rec->size &&
	    strlen(r->name) == rec->namelen &&
	    memcmp(r->name, rec->name, rec->namelen) == 0;
}

static struct result *
results_create(struct results *rs, struct result_search *s,
    const struct qhit_record *rec)
{
	struct result	*r;

	if (s->nres == s->res_cap) {
		s->res_cap = s->res_cap == 0 ? 16 : s->res_cap * 2;
		if (s->res_cap > RESULTS_MAX_PER_SEARCH)
			s->res_cap = RESULTS_MAX_PER_SEARCH;
		s->res = xreallocarray(s->res, s->res_cap, sizeof *s->res);
	}
	r = xcalloc(1, sizeof *r);
	r->number = rs->next_number++;
	r->search = s->id;
	r->name = xmalloc(rec->namelen + 1);
	memcpy(r->name, rec->name, rec->namelen);
	r->name[rec->namelen] = '\0';
	r->size = rec->size;
	if (rec->has_sha1) {
		memcpy(r->sha1, rec->sha1, SHA1_LEN);
		r->has_sha1 = 1;
	}
	if (rec->has_tth) {
		memcpy(r->tth, rec->tth, TTH_LEN);
		r->has_tth = 1;
	}
	s->res[s->nres++] = r;
	return r;
}

/* The push proxies a firewalled source's latest hit named. */
static void
results_source_proxies(struct result_source *src, const struct node_result *nr)
{
	size_t	 i;

	if (nr->npp == 0)
		return;
	src->npp = nr->npp < RESULTS_PROXIES ? nr->npp : RESULTS_PROXIES;
	for (i = 0; i < src->npp; i++) {
		src->pp_ip[i] = nr->pp_ip[i];
		src->pp_port[i] = nr->pp_port[i];
	}
}

/* Add the hit's address to r unless it is there or r is full. */
static void
results_add_source(struct result *r, const struct node_result *nr)
{
	struct result_source	*src;
	size_t			 i;

	/* A firewalled source is its servent GUID: hosts behind one NAT
	 * may all say the same address. */
	for (i = 0; i < r->nsrc; i++)
		if ((nr->status & QHIT_S_PUSH) && nr->guid != NULL ?
		    (r->src[i].status & QHIT_S_PUSH) &&
		    memcmp(r->src[i].guid, nr->guid, 16) == 0 :
		    !(r->src[i].status & QHIT_S_PUSH) &&
		    r->src[i].ip == nr->ip && r->src[i].port == nr->port)
			break;
	if (i < r->nsrc) {
		results_source_proxies(&r->src[i], nr);
		return;
	}
	if (r->nsrc == RESULTS_MAX_SOURCES)
		return;
	if (r->nsrc == r->src_cap) {
		r->src_cap = r->src_cap == 0 ? 4 : r->src_cap * 2;
		if (r->src_cap > RESULTS_MAX_SOURCES)
			r->src_cap = RESULTS_MAX_SOURCES;
		r->src = xreallocarray(r->src, r->src_cap, sizeof *r->src);
	}
	src = &r->src[r->nsrc++];
	memset(src, 0, sizeof *src);
	src->ip = nr->ip;
	src->port = nr->port;
	src->index = nr->rec->index;
	if (nr->guid != NULL)
		memcpy(src->guid, nr->guid, sizeof src->guid);
	src->hops = nr->hops;
	src->status = nr->status;
	src->partial = nr->rec->partial;
	src->avail = nr->rec->pru_avail;
	results_source_proxies(src, nr);
}

/*
 * Add one hit record. A record that matches a result joins it even when
 * the result already holds RESULTS_MAX_SOURCES addresses (its address is
 * then not kept) or the same address: that result is returned. NULL means
 * nothing holds the record: the search is unknown, or it is a new file
 * and the search is full.
 */
const struct result *
results_add(struct results *rs, const struct node_result *nr)
{
	struct result_search	*s;
	struct result		*r = NULL;
	size_t			 i;

	if (nr->rec == NULL || (s = results_find(rs, nr->search)) == NULL)
		return NULL;
	/* The core filters these already; the store holds to it too. */
	if (s->has_sha1 && (!nr->rec->has_sha1 ||
	    memcmp(nr->rec->sha1, s->sha1, SHA1_LEN) != 0))
		return NULL;
	s->hits++;
	for (i = 0; i < s->nres; i++) {
		if (results_same(s->res[i], nr->rec)) {
			r = s->res[i];
			break;
		}
	}
	if (r == NULL) {
		if (s->nres == RESULTS_MAX_PER_SEARCH)
			return NULL;
		r = results_create(rs, s, nr->rec);
	}
	results_add_source(r, nr);
	return r;
}

/* A search by id, or NULL. */
const struct result_search *
results_search(const struct results *rs, uint32_t id)
{
	return results_find(rs, id);
}

void
results_sources(const struct results *rs, const uint8_t *sha1,
    void (*fn)(void *, const struct result_source *), void *arg)
{
	const struct result_search	*s;
	const struct result		*r;
	size_t				 i, j, k;

	for (i = 0; (s = results_search_at(rs, i)) != NULL; i++)
		for (j = 0; j < s->nres; j++) {
			r = s->res[j];
			if (!r->has_sha1 || memcmp(r->sha1, sha1, 20) != 0)
				continue;
			for (k = 0; k < r->nsrc; k++)
				fn(arg, &r->src[k]);
		}
}

/* The i-th remembered search, oldest first. */
const struct result_search *
results_search_at(const struct results *rs, size_t i)
{
	return i < rs->ns ? rs->s[i] : NULL;
}

/* The newest search's id, 0 if none. */
uint32_t
results_last(const struct results *rs)
{
	return rs->ns > 0 ? rs->s[rs->ns - 1]->id : 0;
}

/* A result by number: numbers rise in arrival order within a search, so
 * each search is bisected. */
const struct result *
results_by_number(const struct results *rs, uint32_t number)
{
	const struct result_search	*s;
	size_t				 i, lo, hi, mid;

	for (i = 0; i < rs->ns; i++) {
		s = rs->s[i];
		lo = 0;
		hi = s->nres;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (s->res[mid]->number == number)
				return s->res[mid];
			if (s->res[mid]->number < number)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return NULL;
}
