/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * reward.c: giving back ([xfer] reward, on by default). What hosts gave
 * us is kept in a credit table (xfer/credit.c): the bytes of every chunk
 * a source sent that passed its check, and the files a host says it
 * shares (the pongs routed to us; a hit of our searches says at least
 * one). Our upload queue places a requester by when it asked less the
 * head start that credit gives it, so sharers go before free riders,
 * who are still served. The table is kept in the database ("credits")
 * across restarts: loaded at start, saved every CREDIT_SAVE_MS and at
 * the end.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/conf.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "net/net_impl.h"
#include "share/share.h"
#include "xfer/credit.h"
#include "xfer/dl.h"

/* Wall-clock ms: credit fades over days, across restarts. */
static uint64_t
reward_clock(void)
{
	return (uint64_t)time(NULL) * 1000;
}

int
reward_on(const struct gnet *g)
{
	return g->conf->reward == NULL || strcmp(g->conf->reward, "off") != 0;
}

void
reward_init(struct gnet *g)
{
	struct share_credit	*sc;
	long			 n;

	g->credits = credits_new();
	g->credits_saved = gnet_now(g);
	if (g->share == NULL)
		return;
	sc = xreallocarray(NULL, CREDIT_MAX, sizeof *sc);
	if ((n = share_credits_load(g->share, sc, CREDIT_MAX)) > 0) {
		credits_import(g->credits, sc, (size_t)n);
		log_info("credit: %ld host%s from the database", n,
		    n == 1 ? "" : "s");
	}
	free(sc);
}

/* Every credit into the database, replacing what was there. */
static void
reward_save(struct gnet *g)
{
	struct share_credit	*sc;
	size_t			 n;

	if (g->share == NULL || g->credits == NULL)
		return;
	sc = xreallocarray(NULL, CREDIT_MAX, sizeof *sc);
	n = credits_export(g->credits, reward_clock(), sc, CREDIT_MAX);
	if (share_credits_save(g->share, sc, n) != 0)
		log_warnx("credit: cannot save the credits");
	free(sc);
}

void
reward_tick(struct gnet *g)
{
	uint64_t	 now = gnet_now(g);

	if (now - g->credits_saved >= CREDIT_SAVE_MS) {
		g->credits_saved = now;
		reward_save(g);
	}
}

void
reward_free(struct gnet *g)
{
	reward_save(g);
	credits_free(g->credits);
	g->credits = NULL;
}

unsigned
reward_head_start(void *arg, uint32_t ip)
{
	struct gnet	*g = arg;

	if (!reward_on(g) || g->credits == NULL)
		return 0;
	return credit_head_start(g->credits, ip, reward_clock());
}

void
reward_chunk(struct gnet *g, struct gdl *gd, uint32_t chunk)
{
	uint64_t	 off, len;
	uint8_t		 s;

	if (g->credits == NULL || chunk >= gd->dl->nchunks)
		return;
	s = gd->dl->chunks[chunk].src;
	if (s >= gd->dl->nsrc || gd->dl->src[s].push)
		return;
	dl_chunk_span(gd->dl, chunk, &off, &len);
	credit_gave(g->credits, gd->dl->src[s].ip, len, reward_clock());
}

void
reward_sharer(void *arg, uint32_t ip, uint32_t files)
{
	struct gnet	*g = arg;
	struct share_credit	 c;
	int		 known;

	if (g->credits == NULL || ip == 0)
		return;
	known = credit_get(g->credits, ip, reward_clock(), &c);
	credit_shares(g->credits, ip, files, reward_clock());
	if (!known || c.files != files)
		log_debug("credit: %s shares %u file%s", inet_ntoa((struct
		    in_addr){ htonl(ip) }), files, files == 1 ? "" : "s");
}

void
reward_hit(struct gnet *g, uint32_t ip)
{
	struct share_credit	 c;

	/* A hit says one file at least; a pong says how many. */
	if (g->credits != NULL && (!credit_get(g->credits, ip, reward_clock(),
	    &c) || c.files == 0))
		credit_shares(g->credits, ip, 1, reward_clock());
}

int
reward_of(struct gnet *g, uint32_t ip, uint64_t *bytes, uint32_t *files,
    unsigned *head_start)
{
	struct share_credit	 c;
	uint64_t	 now = reward_clock();

	*bytes = 0;
	*files = 0;
	*head_start = 0;
	if (g->credits == NULL || !credit_get(g->credits, ip, now, &c))
		return 0;
	*bytes = c.bytes;
	*files = c.files;
	*head_start = reward_on(g) ? credit_head_start(g->credits, ip, now) :
	    0;
	return 1;
}
