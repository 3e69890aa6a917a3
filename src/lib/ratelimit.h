/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * ratelimit.h: at most n events per window, for log lines an attacker
 * would otherwise write for us. Pure: the caller passes the clock, so the
 * limiter can be tested without waiting and keeps no globals.
 */
#ifndef GNODE_RATELIMIT_H
#define GNODE_RATELIMIT_H

#include <stdint.h>

struct ratelimit {
	uint64_t	 start;		/* ms, the current window's start */
	uint32_t	 window_ms;
	uint32_t	 burst;		/* events let through per window */
	uint32_t	 used;		/* let through in this window */
	uint64_t	 held;		/* held back since the last one let through */
	uint64_t	 total_held;	/* held back ever */
};

/* At most burst events per window_ms (both at least 1). */
void		 ratelimit_init(struct ratelimit *, uint32_t burst,
		    uint32_t window_ms);
/*
 * An event at now (ms; a clock that goes back starts a new window): 1 to
 * let it through, with *held set to the events held back since the last
 * one let through (say "and N more like it"), or 0 to hold it back.
 */
int		 ratelimit_allow(struct ratelimit *, uint64_t now,
		    uint64_t *held);
/* Held back events not yet told, once their window is over: the count,
 * which is then cleared (for a periodic "N more like it" line). */
uint64_t	 ratelimit_flush(struct ratelimit *, uint64_t now);

#endif
