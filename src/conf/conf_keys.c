/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * conf_keys.c: the key table and value parsing. Every key is one row
 * (section, name, type, default, range) and conf_set the one way in, for
 * the defaults, the file (conf.c) and command-line flags alike. Unknown
 * sections and keys are errors, not silently ignored: a misspelt key in a
 * deployment's config should stop the node, not change what it does.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf.h"
#include "conf/near.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

enum conf_type {
	CONF_PATH,
	CONF_OPTPATH,		/* empty: unset (NULL) */
	CONF_LOGLEVEL,
	CONF_SIZE,		/* within min-max */
	CONF_UINT,		/* within min-max */
	CONF_BOOL,
	CONF_ADDR,		/* ip:port into off (ip) and aux (port) */
	CONF_ADDRLIST,		/* repeatable ip:port, kept as text */
	CONF_WORD,		/* one of words, kept as text */
	CONF_TRACE,		/* comma-separated trace names */
	CONF_PATHLIST,		/* repeatable key, one value each */
	CONF_WORDLIST,		/* comma-separated */
	CONF_NETLIST,		/* repeatable, comma-separated CIDRs */
};

struct conf_key {
	const char		*section;
	const char		*name;
	enum conf_type		 type;
	size_t			 off;	/* field in struct conf */
	size_t			 aux;	/* list length or port field */
	const char		*def;	/* default, as the file spells it */
	uint64_t		 min;	/* CONF_UINT, CONF_SIZE */
	uint64_t		 max;
	const char *const	*words;	/* CONF_WORD: NULL-ended */
};

#define OFF(f)		offsetof(struct conf, f)
#define NOLIMIT		0, UINT64_MAX
#define KIB		1024ull
#define MIB		(1024ull * 1024)

static const char *const conf_levels[] = {
	"error", "warn", "info", "debug", NULL
};
static const char *const conf_modes[] = {
	"auto", "ultrapeer", "leaf", NULL
};
static const char *const conf_firewalled[] = {
	"auto", "yes", "no", NULL
};
static const char *const conf_onoff[] = {
	"on", "off", NULL
};
static const char *const conf_strategies[] = {
	"flood", "ring", "walk", "dq", NULL
};

/*
 * Every key. conf_defaults sets each key with a default through conf_set,
 * so a default is checked like any value in a file. Lists have none.
 */
static const struct conf_key conf_keys[] = {
	{ "node", "data_dir", CONF_PATH, OFF(data_dir), 0, "~/.gnode",
	    0, 0, NULL },
	{ "node", "log_level", CONF_LOGLEVEL, OFF(log_level), 0, "info",
	    0, 0, conf_levels },
	{ "node", "trace", CONF_TRACE, OFF(trace), 0, "", 0, 0, NULL },
	/* Loopback: a node run with the defaults never faces the internet. */
	{ "node", "listen", CONF_ADDR, OFF(listen_ip), OFF(listen_port),
	    "127.0.0.1:6346", 0, 0, NULL },
	{ "node", "control", CONF_OPTPATH, OFF(control), 0, "", 0, 0, NULL },
	{ "node", "pid_file", CONF_OPTPATH, OFF(pid_file), 0, "", 0, 0, NULL },
	/* Control clients at once, and how long one may sit on a request
	 * it has not finished (or never sent): past either it is closed. */
	{ "node", "control_clients", CONF_UINT, OFF(control_clients), 0, "16",
	    1, 1024, NULL },
	{ "node", "control_timeout", CONF_UINT, OFF(control_timeout), 0, "60",
	    1, 86400, NULL },
	/* An ultrapeer carries queries and takes leaves; a leaf hangs under
	 * leaf_ultrapeers ultrapeers and relays nothing; auto starts as a
	 * leaf and promotes itself by net/role.c's rule. */
	{ "node", "mode", CONF_WORD, OFF(mode), 0, "auto", 0, 0,
	    conf_modes },
	/* An auto leaf's time in that role before it may promote: an hour,
	 * as gtk-gnutella's NODE_MIN_UPTIME. */
	{ "node", "promote_uptime", CONF_UINT, OFF(promote_uptime), 0, "3600",
	    0, 604800, NULL },
	/* An auto leaf on a loopback or LAN listener with no ultrapeer for
	 * this long (four times as long when nobody dialled it) becomes
	 * one; 0: never. */
	{ "node", "promote_alone", CONF_UINT, OFF(promote_alone), 0, "30",
	    0, 86400, NULL },
	/* No default seed: nothing shipped reaches out on its own. */
	{ "net", "seed", CONF_ADDRLIST, OFF(seeds), OFF(nseeds), NULL,
	    0, 0, NULL },
	{ "net", "min_peers", CONF_UINT, OFF(min_peers), 0, "3", 0, 1000,
	    NULL },
	/* 32: what ultrapeers of today hold, and X-Degree says it; a
	 * gtk-gnutella leaf refuses an ultrapeer under 16. */
	{ "net", "max_peers", CONF_UINT, OFF(max_peers), 0, "32", 1, 1000,
	    NULL },
	/* Leaves an ultrapeer takes besides its max_peers (gtk-gnutella's
	 * default max_leaves is 32 too); past it a leaf gets 503. */
	{ "net", "max_leaves", CONF_UINT, OFF(max_leaves), 0, "32", 0, 1000,
	    NULL },
	/* How often an ultrapeer may send its merged QRP table (its words
	 * and its leaves') again to ultrapeers that route by it, when it
	 * changed; gtk-gnutella recomputes its own at most every 300 s. */
	{ "net", "up_qrp_interval", CONF_UINT, OFF(up_qrp_interval), 0, "60",
	    1, 3600, NULL },
	/* Out-of-band hits by UDP: our searches ask for them, and our
	 * hits for a query that asks go to its requester by UDP once it
	 * claims them (only inside the dial scope). */
	{ "net", "oob", CONF_BOOL, OFF(oob), 0, "true", 0, 0, NULL },
	/* Whether others can connect to us: auto until a connection comes
	 * in from another host (or a connect-back we asked for does);
	 * firewalled hits say push and name our push proxies (net/push.c). */
	{ "net", "firewalled", CONF_WORD, OFF(firewalled), 0, "auto", 0, 0,
	    conf_firewalled },
	/* Ultrapeers a leaf keeps, as gtk-gnutella and LimeWire leaves. */
	{ "net", "leaf_ultrapeers", CONF_UINT, OFF(leaf_ultrapeers), 0, "3",
	    1, 32, NULL },
	{ "net", "compress", CONF_BOOL, OFF(compress), 0, "true", 0, 0, NULL },
	{ "net", "ping_interval", CONF_UINT, OFF(ping_interval), 0, "20",
	    1, 3600, NULL },
	{ "net", "idle_timeout", CONF_UINT, OFF(idle_timeout), 0, "90",
	    5, 86400, NULL },
	/* Incoming connections still in their handshake (or silent before
	 * their first byte), per source address and in all: past
	 * either, a new one is closed at once. A handshake has
	 * handshake_timeout seconds, then gets a 408 and is closed. */
	{ "net", "handshakes_per_addr", CONF_UINT, OFF(handshakes_per_addr), 0,
	    "8", 1, 1024, NULL },
	{ "net", "handshakes_max", CONF_UINT, OFF(handshakes_max), 0, "64",
	    1, 65536, NULL },
	{ "net", "handshake_timeout", CONF_UINT, OFF(handshake_timeout), 0,
	    "20", 1, 600, NULL },
	/* What one peer may make the node read for nothing, a second:
	 * bytes inflated from its deflate stream, and bytes of descriptors
	 * dropped unused. Past either, reading it waits for the next
	 * second; peer_budget_strikes seconds over (a calm second takes one
	 * back) get Bye 410. */
	{ "net", "peer_inflate_budget", CONF_SIZE, OFF(peer_inflate_budget), 0,
	    "8m", 64 * KIB, 1024 * MIB, NULL },
	{ "net", "peer_ignored_budget", CONF_SIZE, OFF(peer_ignored_budget), 0,
	    "256k", 16 * KIB, 1024 * MIB, NULL },
	{ "net", "peer_budget_strikes", CONF_UINT, OFF(peer_budget_strikes), 0,
	    "10", 1, 3600, NULL },
	/* An address closed ban_after times for bad input within
	 * ban_time seconds is refused at accept for ban_time seconds;
	 * ban_after = 0: never. */
	{ "net", "ban_after", CONF_UINT, OFF(ban_after), 0, "5", 0, 1000,
	    NULL },
	{ "net", "ban_time", CONF_UINT, OFF(ban_time), 0, "300", 1, 86400,
	    NULL },
	{ "net", "max_ttl", CONF_UINT, OFF(max_ttl), 0, "4", 1, 15, NULL },
	{ "net", "send_queue", CONF_SIZE, OFF(send_queue), 0, "256k",
	    16 * KIB, 64 * MIB, NULL },
	{ "net", "hosts_max", CONF_UINT, OFF(hosts_max), 0, "1000",
	    10, 100000, NULL },
	/* More the node may dial than its listening address allows. */
	{ "net", "scope", CONF_NETLIST, OFF(scope), OFF(nscope), NULL,
	    0, 0, NULL },
	{ "search", "strategy", CONF_WORD, OFF(strategy), 0, "flood",
	    0, 0, conf_strategies },
	{ "search", "ttl", CONF_UINT, OFF(ttl), 0, "4", 1, 15, NULL },
	{ "search", "walkers", CONF_UINT, OFF(walkers), 0, "16", 1, 64, NULL },
	{ "search", "walk_ttl", CONF_UINT, OFF(walk_ttl), 0, "1024",
	    1, 1024, NULL },
	{ "search", "check", CONF_UINT, OFF(check), 0, "4", 1, 16, NULL },
	{ "search", "target", CONF_UINT, OFF(target), 0, "150",
	    1, 100000, NULL },
	{ "xfer", "upload_slots", CONF_UINT, OFF(upload_slots), 0, "4",
	    1, 100, NULL },
	{ "xfer", "upload_rate", CONF_SIZE, OFF(upload_rate), 0, "0",
	    NOLIMIT, NULL },
	{ "xfer", "download_dir", CONF_OPTPATH, OFF(download_dir), 0, "",
	    0, 0, NULL },
	{ "xfer", "partial_sharing", CONF_WORD, OFF(partial_sharing), 0, "on",
	    0, 0, conf_onoff },
	{ "xfer", "reward", CONF_WORD, OFF(reward), 0, "on", 0, 0,
	    conf_onoff },
	{ "share", "dir", CONF_PATHLIST, OFF(share_dirs), OFF(nshare_dirs),
	    NULL, 0, 0, NULL },
	{ "share", "min_size", CONF_SIZE, OFF(share_min_size), 0, "1",
	    NOLIMIT, NULL },
	{ "share", "max_size", CONF_SIZE, OFF(share_max_size), 0, "0",
	    NOLIMIT, NULL },
	{ "share", "extensions", CONF_WORDLIST, OFF(share_exts),
	    OFF(nshare_exts), NULL, 0, 0, NULL },
};

#define CONF_NKEYS	(sizeof conf_keys / sizeof conf_keys[0])

/* "~/x" is $HOME/x; anything else as given. */
static char *
conf_expand(const char *v)
{
	const char	*home = getenv("HOME");
	char		*s;

	if (v[0] == '~' && (v[1] == '/' || v[1] == '\0') && home != NULL) {
		xasprintf(&s, "%s%s", home, v + 1);
		return s;
	}
	return xstrdup(v);
}

static void
conf_free_list(char **list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/* Every key at its default. */
void
conf_defaults(struct conf *c)
{
	char	*cause;
	size_t	 i;

	memset(c, 0, sizeof *c);
	for (i = 0; i < CONF_NKEYS; i++) {
		if (conf_keys[i].def == NULL)
			continue;
		if (conf_set(c, conf_keys[i].section, conf_keys[i].name,
		    conf_keys[i].def, &cause) != 0)
			fatalx("default: %s", cause);
	}
}

/* Free what the keys hold and zero the struct. */
void
conf_free(struct conf *c)
{
	free(c->data_dir);
	free(c->control);
	free(c->pid_file);
	free(c->download_dir);
	free(c->strategy);
	free(c->mode);
	free(c->firewalled);
	free(c->partial_sharing);
	free(c->reward);
	conf_free_list(c->seeds, c->nseeds);
	conf_free_list(c->share_dirs, c->nshare_dirs);
	conf_free_list(c->share_exts, c->nshare_exts);
	memset(c, 0, sizeof *c);
}

/* A byte count with an optional k, M or G (powers of 1024). */
static int
conf_size(const char *v, uint64_t *out)
{
	unsigned long long	 n;
	char			*end;
	int			 shift = 0;

	if (!isdigit((unsigned char)v[0]))
		return -1;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (*end != '\0' || n > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)n << shift;
	return 0;
}

/* A size as a person would write it: 64M, 16k or 1000. */
static void
conf_size_str(uint64_t n, char *buf, size_t len)
{
	if (n != 0 && n % MIB == 0)
		snprintf(buf, len, "%lluM", (unsigned long long)(n / MIB));
	else if (n != 0 && n % KIB == 0)
		snprintf(buf, len, "%lluk", (unsigned long long)(n / KIB));
	else
		snprintf(buf, len, "%llu", (unsigned long long)n);
}

/* Digits only (no sign, space or suffix), at most max. */
static int
conf_number(const char *v, uint64_t max, uint64_t *out)
{
	unsigned long long	 n;
	char			*end;

	if (!isdigit((unsigned char)v[0]))
		return -1;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno != 0 || *end != '\0' || n > max)
		return -1;
	*out = n;
	return 0;
}

/* Parse "a.b.c.d:port" (port 1-65535) into host-order parts. */
int
conf_parse_addr(const char *s, uint32_t *ip, uint16_t *port)
{
	struct in_addr	 in;
	const char	*colon;
	char		 host[INET_ADDRSTRLEN];
	uint64_t	 n;

	if ((colon = strchr(s, ':')) == NULL ||
	    (size_t)(colon - s) >= sizeof host)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	if (inet_pton(AF_INET, host, &in) != 1)
		return -1;
	if (conf_number(colon + 1, 65535, &n) != 0 || n == 0)
		return -1;
	*ip = ntohl(in.s_addr);
	*port = (uint16_t)n;
	return 0;
}

/* The index of v (any case) in a NULL-ended list, or -1. */
static int
conf_choice(const char *v, const char *const *words)
{
	int	 i;

	for (i = 0; words[i] != NULL; i++)
		if (strcasecmp(v, words[i]) == 0)
			return i;
	return -1;
}

/* "a, b or c" from a NULL-ended list (to free). */
static char *
conf_choices(const char *const *words)
{
	char	*s = xstrdup(""), *t;
	size_t	 i;

	for (i = 0; words[i] != NULL; i++) {
		xasprintf(&t, "%s%s%s", s, i == 0 ? "" : words[i + 1] == NULL ?
		    " or " : ", ", words[i]);
		free(s);
		s = t;
	}
	return s;
}

static const char *const conf_true[] = { "true", "yes", "on", "1", NULL };
static const char *const conf_false[] = { "false", "no", "off", "0", NULL };

/* true, yes, on or 1; false, no, off or 0 (any case). */
static int
conf_bool(const char *v, int *out)
{
	if (conf_choice(v, conf_true) != -1)
		*out = 1;
	else if (conf_choice(v, conf_false) != -1)
		*out = 0;
	else
		return -1;
	return 0;
}

/* Trace names, with spaces allowed around the commas; empty is none. */
static int
conf_trace(const char *v, uint32_t *out)
{
	char	*dup = xmalloc(strlen(v) + 1), *d = dup;
	long	 bits;

	for (; *v != '\0'; v++)
		if (!isspace((unsigned char)*v))
			*d++ = *v;
	*d = '\0';
	bits = log_trace_parse(dup);
	free(dup);
	if (bits < 0)
		return -1;
	*out = (uint32_t)bits;
	return 0;
}

static void
conf_push(char ***list, size_t *n, char *s)
{
	*list = xreallocarray(*list, *n + 1, sizeof **list);
	(*list)[(*n)++] = s;
}

/* Store one value of key k; -1 with *why (to free) saying what is wrong. */
static int
conf_value(struct conf *c, const struct conf_key *k, const char *value,
    char **why)
{
	char		*base = (char *)c, *dup, *tok, *save, *list;
	const char	*bad;
	size_t		 n_bad, n_nets;
	char		**sp, lo[32], hi[32];
	uint64_t	 n;
	uint32_t	 ip;
	uint16_t	 port;
	int		 i;

	sp = (char **)(base + k->off);
	switch (k->type) {
	case CONF_PATH:
		if (value[0] == '\0') {
			*why = xstrdup("empty path");
			return -1;
		}
		free(*sp);
		*sp = conf_expand(value);
		return 0;
	case CONF_OPTPATH:
		free(*sp);
		*sp = value[0] == '\0' ? NULL : conf_expand(value);
		return 0;
	case CONF_LOGLEVEL:
	case CONF_WORD:
		if ((i = conf_choice(value, k->words)) == -1) {
			list = conf_choices(k->words);
			xasprintf(why, "%s is not %s", value, list);
			free(list);
			return -1;
		}
		if (k->type == CONF_LOGLEVEL)
			*(int *)(base + k->off) = i;
		else {
			free(*sp);
			*sp = xstrdup(k->words[i]);
		}
		return 0;
	case CONF_SIZE:
		if (conf_size(value, &n) != 0) {
			xasprintf(why, "bad size %s (bytes, or with k, M, G)",
			    value);
			return -1;
		}
		if (n < k->min || n > k->max) {
			conf_size_str(k->min, lo, sizeof lo);
			conf_size_str(k->max, hi, sizeof hi);
			xasprintf(why, "size %s is not within %s-%s", value,
			    lo, hi);
			return -1;
		}
		*(uint64_t *)(base + k->off) = n;
		return 0;
	case CONF_UINT:
		if (conf_number(value, UINT64_MAX, &n) != 0 || n < k->min ||
		    n > k->max) {
			xasprintf(why, "%s is not a whole number within "
			    "%llu-%llu", value, (unsigned long long)k->min,
			    (unsigned long long)k->max);
			return -1;
		}
		*(unsigned *)(base + k->off) = (unsigned)n;
		return 0;
	case CONF_BOOL:
		if (conf_bool(value, (int *)(base + k->off)) != 0) {
			xasprintf(why, "%s is not true or false (yes/no, "
			    "on/off, 1/0)", value);
			return -1;
		}
		return 0;
	case CONF_ADDR:
	case CONF_ADDRLIST:
		if (conf_parse_addr(value, &ip, &port) != 0) {
			xasprintf(why, "%s is not an IPv4 address and port "
			    "(a.b.c.d:1-65535)", value);
			return -1;
		}
		if (k->type == CONF_ADDR) {
			*(uint32_t *)(base + k->off) = ip;
			*(uint16_t *)(base + k->aux) = port;
			return 0;
		}
		if (ip == 0) {
			xasprintf(why, "%s: 0.0.0.0 is nobody to dial", value);
			return -1;
		}
		conf_push((char ***)sp, (size_t *)(base + k->aux),
		    xstrdup(value));
		return 0;
	case CONF_TRACE:
		if (conf_trace(value, (uint32_t *)(base + k->off)) != 0) {
			xasprintf(why, "%s: trace names are wire, route, net, "
			    "http, share, ctl or all, comma-separated", value);
			return -1;
		}
		return 0;
	case CONF_PATHLIST:
		if (value[0] == '\0') {
			*why = xstrdup("empty path");
			return -1;
		}
		conf_push((char ***)sp, (size_t *)(base + k->aux),
		    conf_expand(value));
		return 0;
	case CONF_WORDLIST:
		dup = xstrdup(value);
		for (tok = strtok_r(dup, ", \t", &save); tok != NULL;
		    tok = strtok_r(NULL, ", \t", &save)) {
			if (tok[0] == '.')
				tok++;
			if (tok[0] == '\0')
				continue;
			conf_push((char ***)sp, (size_t *)(base + k->aux),
			    xstrdup(tok));
		}
		free(dup);
		return 0;
	case CONF_NETLIST:
		/* All of the line or none of it: the count moves on success. */
		n_nets = *(size_t *)(base + k->aux);
		if (addr_cidr_list(value, strlen(value),
		    (struct addr_net *)(base + k->off), ADDR_NET_MAX,
		    &n_nets, &bad, &n_bad) != 0) {
			if (n_bad > 64)
				n_bad = 64;
			if (n_nets >= ADDR_NET_MAX)
				xasprintf(why, "more than %d ranges",
				    ADDR_NET_MAX);
			else if (strlen(value) > ADDR_TEXT_MAX)
				xasprintf(why, "longer than %d bytes",
				    ADDR_TEXT_MAX);
			else
				xasprintf(why, "%.*s is not a CIDR range "
				    "(a.b.c.d/0-32, host bits zero)",
				    (int)n_bad, bad);
			return -1;
		}
		*(size_t *)(base + k->aux) = n_nets;
		return 0;
	}
	*why = xstrdup("unknown type");
	return -1;
}

/* The known name nearest to name (section names when key is NULL, else
 * the keys of that section), if it is a slip of the keys: at most a
 * third of its letters wrong (one for short names). NULL if none. */
static const char *
conf_nearest(const char *section, const char *name)
{
	const char	*best = NULL, *cand;
	size_t		 i, d, bestd, max;

	max = strlen(name) / 3;
	if (max < 1)
		max = 1;
	if (max > CONF_NEAR_MAX)
		max = CONF_NEAR_MAX;
	bestd = max + 1;
	for (i = 0; i < CONF_NKEYS; i++) {
		if (section != NULL && strcmp(conf_keys[i].section, section))
			continue;
		cand = section != NULL ? conf_keys[i].name :
		    conf_keys[i].section;
		if ((d = conf_distance(name, cand)) < bestd) {
			bestd = d;
			best = cand;
		}
	}
	return best;
}

/* Why [section] key is not a key, with the nearest right one. */
static void
conf_unknown(const char *section, const char *key, char **cause)
{
	const char	*near, *other = NULL;
	size_t		 i;
	int		 known = 0;

	for (i = 0; i < CONF_NKEYS; i++) {
		if (strcmp(conf_keys[i].section, section) == 0)
			known = 1;
		else if (strcmp(conf_keys[i].name, key) == 0 && other == NULL)
			other = conf_keys[i].section;
	}
	if (!known) {
		if ((near = conf_nearest(NULL, section)) != NULL)
			xasprintf(cause, "unknown section [%s] (did you mean "
			    "[%s]?)", section, near);
		else
			xasprintf(cause, "unknown section [%s]", section);
	} else if (other != NULL)
		xasprintf(cause, "unknown key [%s] %s (%s is a key of [%s])",
		    section, key, key, other);
	else if ((near = conf_nearest(section, key)) != NULL)
		xasprintf(cause, "unknown key [%s] %s (did you mean %s?)",
		    section, key, near);
	else
		xasprintf(cause, "unknown key [%s] %s", section, key);
}

/* Set one key, as the file or a command-line flag would. */
int
conf_set(struct conf *c, const char *section, const char *key,
    const char *value, char **cause)
{
	const struct conf_key	*k = NULL;
	char			*why;
	size_t			 i;

	for (i = 0; i < CONF_NKEYS; i++)
		if (strcmp(conf_keys[i].section, section) == 0 &&
		    strcmp(conf_keys[i].name, key) == 0)
			k = &conf_keys[i];
	if (k == NULL) {
		conf_unknown(section, key, cause);
		return -1;
	}
	if (conf_value(c, k, value, &why) != 0) {
		xasprintf(cause, "bad value for [%s] %s: %s", section, key,
		    why);
		free(why);
		return -1;
	}
	return 0;
}
