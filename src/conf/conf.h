/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * conf.h: gnode.conf, an ini file read with libinih. Every key is one row
 * of the table in conf_keys.c (section, name, type, default, help), so the
 * parser, command-line overrides and the documentation agree.
 */
#ifndef GNODE_CONF_H
#define GNODE_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

struct conf {
	char		*data_dir;	/* [node] data_dir: database, logs */
	int		 log_level;	/* [node] log_level: enum log_level */
	uint32_t	 trace;		/* [node] trace: TRACE_* bits */
	uint32_t	 listen_ip;	/* [node] listen = ip:port (host order) */
	uint16_t	 listen_port;
	char		*control;	/* [node] control socket; NULL: default */
	char		*pid_file;	/* [node] pid_file; NULL: none */
	unsigned	 control_clients;	/* [node] control_clients */
	unsigned	 control_timeout;	/* [node] control_timeout, s */
	char		*mode;		/* [node] mode: "auto", "ultrapeer"
					   or "leaf" */
	unsigned	 promote_uptime; /* [node] auto: s as a leaf first */
	unsigned	 promote_alone;	/* [node] auto on a LAN: s alone */
	char		**seeds;	/* [net] seed = ip:port (repeatable) */
	size_t		 nseeds;
	unsigned	 min_peers;	/* [net] min_peers: dial below this */
	unsigned	 max_peers;	/* [net] max_peers: refuse at this */
	unsigned	 max_leaves;	/* [net] max_leaves: leaves we take */
	unsigned	 up_qrp_interval; /* [net] merged QRP table resent, s */
	int		 oob;		/* [net] oob: hits out of band */
	char		*firewalled;	/* [net] firewalled: "auto", "yes",
					   "no" */
	unsigned	 leaf_ultrapeers;	/* [net] a leaf's ultrapeers */
	int		 compress;	/* [net] compress: deflate on links */
	unsigned	 ping_interval;	/* [net] ping_interval, seconds */
	unsigned	 idle_timeout;	/* [net] idle_timeout, seconds */
	unsigned	 handshakes_per_addr;	/* [net] handshakes_per_addr */
	unsigned	 handshakes_max;	/* [net] handshakes_max */
	unsigned	 handshake_timeout;	/* [net] handshake_timeout, s */
	unsigned	 max_ttl;	/* [net] max_ttl: relay clamp, X-Max-TTL */
	uint64_t	 send_queue;	/* [net] send_queue: Bye 502 past it */
	uint64_t	 peer_inflate_budget;	/* [net] a peer's, a second */
	uint64_t	 peer_ignored_budget;	/* [net] likewise */
	unsigned	 peer_budget_strikes;	/* [net] seconds over: Bye 410 */
	unsigned	 ban_after;	/* [net] bad closes before a ban; 0 off */
	unsigned	 ban_time;	/* [net] its window and length, s */
	unsigned	 hosts_max;	/* [net] hosts_max: host cache size */
	struct addr_net	 scope[ADDR_NET_MAX];	/* [net] scope: more to dial */
	size_t		 nscope;
	char		*strategy;	/* [search] strategy */
	unsigned	 ttl;		/* [search] ttl */
	unsigned	 walkers;	/* [search] walkers */
	unsigned	 walk_ttl;	/* [search] walk_ttl */
	unsigned	 check;		/* [search] check */
	unsigned	 target;	/* [search] target */
	unsigned	 upload_slots;	/* [xfer] upload_slots */
	uint64_t	 upload_rate;	/* [xfer] upload_rate, bytes/s, 0: none */
	char		*download_dir;	/* [xfer] download_dir; NULL: default */
	char		*partial_sharing;	/* [xfer] partial_sharing: "on",
					 * "off" */
	char		*reward;	/* [xfer] reward: "on", "off" */
	char		**share_dirs;	/* [share] dir (repeatable) */
	size_t		 nshare_dirs;
	size_t		 nshare_flags;	/* the last n: --share's */
	uint64_t	 share_min_size;	/* [share] min_size */
	uint64_t	 share_max_size;	/* [share] max_size, 0 = none */
	char		**share_exts;	/* [share] extensions, empty = all */
	size_t		 nshare_exts;
};

/* Built-in defaults ($HOME/.gnode, info, no shares). */
void	 conf_defaults(struct conf *);
/* Read an ini file over the current values; -1 with *cause (to free)
 * naming the file and line of the first error. */
int	 conf_load(struct conf *, const char *path, char **cause);
/* Set one key, as the file or a command-line flag would. */
int	 conf_set(struct conf *, const char *section, const char *key,
	    const char *value, char **cause);
/* Checks across keys: absolute share dirs, data_dir outside every share,
 * min_peers at most max_peers. */
int	 conf_check(const struct conf *, char **cause);
/* Whether each share dir exists and is a directory; -1 with *cause. */
int	 conf_check_dirs(const struct conf *, char **cause);
void	 conf_free(struct conf *);
/* Path of the node's database inside data_dir (to free). */
char	*conf_db_path(const struct conf *);
/* Path of the control socket: control, or data_dir/control (to free). */
char	*conf_control_path(const struct conf *);
/* Parse "a.b.c.d:port" (port 1-65535) into host-order parts; 0 or -1. */
int	 conf_parse_addr(const char *, uint32_t *ip, uint16_t *port);

#endif
