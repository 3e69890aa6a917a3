/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * share_hosts.c: what the node knows of other hosts, saved in the same
 * database as the index: its host cache ("hosts"), so a restarted node
 * knows whom to dial before any seed, and what each host gave us
 * ("credits", for [xfer] reward). The node keeps both in memory and
 * writes each whole now and then: a save replaces every row in one
 * transaction, so a crash leaves either the old table or the new one.
 */
#include <stdint.h>
#include <stdlib.h>

#include "share/share_impl.h"

static int
share_hosts_put(struct share *sh, const struct share_host *h, size_t n)
{
	sqlite3_stmt	*st;
	size_t		 i;

	if (share_exec(sh, ST_HOSTS_CLEAR) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((st = share_stmt(sh, ST_HOSTS_PUT)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, (sqlite3_int64)h[i].ip);
		sqlite3_bind_int(st, 2, h[i].port);
		sqlite3_bind_int64(st, 3, h[i].last_seen);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)h[i].fails);
		if (share_done(sh, st) != 0)
			return -1;
	}
	return 0;
}

/* Replace the saved host cache with these n hosts, in one transaction. */
int
share_hosts_save(struct share *sh, const struct share_host *hosts, size_t n)
{
	int	 own;

	if (share_unit_begin(sh, &own) != 0)
		return -1;
	return share_unit_end(sh, own, share_hosts_put(sh, hosts, n) == 0);
}

/* The saved hosts, most recently seen first, at most max. */
long
share_hosts_load(struct share *sh, struct share_host *out, size_t max)
{
	sqlite3_stmt	*st;
	sqlite3_int64	 fails;
	size_t		 n = 0;
	int		 rc = SQLITE_DONE;

	if (max == 0)
		return 0;
	if ((st = share_stmt(sh, ST_HOSTS_LOAD)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (uint64_t)max > INT64_MAX ? INT64_MAX :
	    (sqlite3_int64)max);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		out[n].ip = (uint32_t)sqlite3_column_int64(st, 0);
		out[n].port = (uint16_t)sqlite3_column_int(st, 1);
		out[n].last_seen = sqlite3_column_int64(st, 2);
		fails = sqlite3_column_int64(st, 3);
		if (fails < 0)
			fails = 0;
		else if (fails > UINT32_MAX)
			fails = UINT32_MAX;
		out[n].fails = (uint32_t)fails;
		n++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		share_sqlerr(sh, "reading hosts");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return (long)n;
}

static int
share_credits_put(struct share *sh, const struct share_credit *c, size_t n)
{
	sqlite3_stmt	*st;
	size_t		 i;

	if (share_exec(sh, ST_CREDITS_CLEAR) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((st = share_stmt(sh, ST_CREDITS_PUT)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, (sqlite3_int64)c[i].ip);
		sqlite3_bind_int64(st, 2, c[i].bytes > INT64_MAX ? INT64_MAX :
		    (sqlite3_int64)c[i].bytes);
		sqlite3_bind_int64(st, 3, c[i].at > INT64_MAX ? INT64_MAX :
		    (sqlite3_int64)c[i].at);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)c[i].files);
		if (share_done(sh, st) != 0)
			return -1;
	}
	return 0;
}

int
share_credits_save(struct share *sh, const struct share_credit *c, size_t n)
{
	int	 own;

	if (share_unit_begin(sh, &own) != 0)
		return -1;
	return share_unit_end(sh, own, share_credits_put(sh, c, n) == 0);
}

long
share_credits_load(struct share *sh, struct share_credit *out, size_t max)
{
	sqlite3_stmt	*st;
	size_t		 n = 0;
	int		 rc = SQLITE_DONE;

	if (max == 0)
		return 0;
	if ((st = share_stmt(sh, ST_CREDITS_LOAD)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (uint64_t)max > INT64_MAX ? INT64_MAX :
	    (sqlite3_int64)max);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		out[n].ip = (uint32_t)sqlite3_column_int64(st, 0);
		out[n].bytes = (uint64_t)sqlite3_column_int64(st, 1);
		out[n].at = (uint64_t)sqlite3_column_int64(st, 2);
		out[n].files = (uint32_t)sqlite3_column_int64(st, 3);
		n++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		share_sqlerr(sh, "reading credits");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return (long)n;
}
