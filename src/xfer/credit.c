/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * credit.c: the credit table (see credit.h). A small array searched
 * linearly: at most CREDIT_MAX hosts, looked up once per upload request
 * and once per checked chunk or pong.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"
#include "xfer/credit.h"

#define CREDIT_MIB	(1024ull * 1024)

struct credits {
	struct share_credit	 e[CREDIT_MAX];
	size_t		 n;
};

struct credits *
credits_new(void)
{
	return xcalloc(1, sizeof(struct credits));
}

void
credits_free(struct credits *c)
{
	free(c);
}

/* bytes, as of then, decayed to now: halved per whole half-life, and
 * linearly within the last one (a curve close enough to 2^-t). */
static uint64_t
credit_decay(uint64_t bytes, uint64_t then, uint64_t now)
{
	uint64_t	 half = (uint64_t)CREDIT_HALF_LIFE_S * 1000, dt, k;

	if (now <= then)
		return bytes;
	dt = now - then;
	k = dt / half;
	if (k >= 64)
		return 0;
	bytes >>= k;
	dt %= half;
	/* Between 1 and 1/2 of it over the half-life left. */
	return bytes - (bytes / 2) * dt / half;
}

/* ip's entry, made if need be (the least recently heard of gives way). */
static struct share_credit *
credit_entry(struct credits *c, uint32_t ip, uint64_t now)
{
	size_t	 i, old = 0;

	for (i = 0; i < c->n; i++)
		if (c->e[i].ip == ip) {
			c->e[i].bytes = credit_decay(c->e[i].bytes,
			    c->e[i].at, now);
			c->e[i].at = now;
			return &c->e[i];
		}
	if (c->n < CREDIT_MAX)
		i = c->n++;
	else {
		for (i = 1; i < c->n; i++)
			if (c->e[i].at < c->e[old].at)
				old = i;
		i = old;
	}
	memset(&c->e[i], 0, sizeof c->e[i]);
	c->e[i].ip = ip;
	c->e[i].at = now;
	return &c->e[i];
}

void
credit_gave(struct credits *c, uint32_t ip, uint64_t bytes, uint64_t now)
{
	struct share_credit	*e;

	if (ip == 0 || bytes == 0)
		return;
	e = credit_entry(c, ip, now);
	e->bytes = e->bytes + bytes < e->bytes ? UINT64_MAX : e->bytes + bytes;
}

void
credit_shares(struct credits *c, uint32_t ip, uint32_t files, uint64_t now)
{
	if (ip == 0)
		return;
	credit_entry(c, ip, now)->files = files;
}

int
credit_get(struct credits *c, uint32_t ip, uint64_t now, struct share_credit *out)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		if (c->e[i].ip == ip) {
			*out = c->e[i];
			out->bytes = credit_decay(out->bytes, out->at, now);
			return 1;
		}
	return 0;
}

unsigned
credit_head_start(struct credits *c, uint32_t ip, uint64_t now)
{
	struct share_credit	 e;
	uint64_t	 mib;
	unsigned	 s = 0, extra = 0;

	if (!credit_get(c, ip, now, &e))
		return 0;
	if (e.files > 0)
		s += CREDIT_SHARE_S;
	if ((mib = e.bytes / CREDIT_MIB) > 0) {
		/* 1 MiB: CREDIT_GAVE_S; each doubling after it, 15 s more. */
		while (mib > 1 && CREDIT_GAVE_S + extra < CREDIT_GAVE_MAX_S) {
			mib >>= 1;
			extra += 15;
		}
		s += CREDIT_GAVE_S + extra;
	}
	return s;
}

void
credits_import(struct credits *c, const struct share_credit *in, size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n && c->n < CREDIT_MAX; i++) {
		if (in[i].ip == 0)
			continue;
		for (j = 0; j < c->n && c->e[j].ip != in[i].ip; j++)
			;
		if (j == c->n)
			c->e[c->n++] = in[i];
	}
}

size_t
credits_export(struct credits *c, uint64_t now, struct share_credit *out,
    size_t max)
{
	size_t	 i, n = 0;

	for (i = 0; i < c->n && n < max; i++) {
		out[n] = c->e[i];
		out[n].bytes = credit_decay(out[n].bytes, out[n].at, now);
		out[n].at = now;
		n++;
	}
	return n;
}
