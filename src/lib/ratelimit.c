/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * ratelimit.c: a fixed window limiter. A window lets burst events through;
 * the rest are counted, and the count is handed to the next event let
 * through (or to ratelimit_flush) so a log can say how many it left out.
 * A fixed window lets at most 2 * burst through in any window_ms, which
 * is bound enough for a log and needs no arithmetic on rates.
 */
#include <stddef.h>

#include "lib/ratelimit.h"

void
ratelimit_init(struct ratelimit *rl, uint32_t burst, uint32_t window_ms)
{
	rl->start = UINT64_MAX;	/* the first event starts a window */
	rl->window_ms = window_ms > 0 ? window_ms : 1;
	rl->burst = burst > 0 ? burst : 1;
	rl->used = 0;
	rl->held = 0;
	rl->total_held = 0;
}

/* Start a new window when now is past the current one (or before it). */
static void
ratelimit_roll(struct ratelimit *rl, uint64_t now)
{
	if (now < rl->start || now - rl->start >= rl->window_ms) {
		rl->start = now;
		rl->used = 0;
	}
}

int
ratelimit_allow(struct ratelimit *rl, uint64_t now, uint64_t *held)
{
	ratelimit_roll(rl, now);
	if (rl->used >= rl->burst) {
		rl->held++;
		rl->total_held++;
		return 0;
	}
	rl->used++;
	if (held != NULL)
		*held = rl->held;
	rl->held = 0;
	return 1;
}

uint64_t
ratelimit_flush(struct ratelimit *rl, uint64_t now)
{
	uint64_t	 n;

	if (rl->held == 0 || (now >= rl->start &&
	    now - rl->start < rl->window_ms))
		return 0;
	n = rl->held;
	rl->held = 0;
	return n;
}
