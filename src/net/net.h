/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * net.h: one networked Gnutella node, a struct node (core/) run on real
 * sockets by libev: a listening TCP port whose first line picks the
 * handler, a UDP socket on the same port for out-of-band messages, peer
 * connections with the 0.6 handshake and deflate, a dialer that keeps the
 * neighbour count between its bounds, and the store of our searches'
 * results. There are no globals: several gnets may share one loop.
 *
 * The command layer (cmd/) reads and drives a gnet only through this
 * header; it never sees a socket or an ev_ watcher.
 */
#ifndef GNODE_NET_H
#define GNODE_NET_H

#include <stddef.h>
#include <stdint.h>

#include "core/node.h"

struct conf;
struct ev_loop;
struct gnet;
struct results;
struct share;

/* A peer connection as `peers` shows it. */
struct gnet_peer {
	uint32_t	 id;		/* connection id, for disconnect */
	uint32_t	 ip;		/* remote address (host order) */
	uint16_t	 port;		/* its listening port (Node:) or remote */
	int		 outgoing;	/* we dialled it */
	const char	*state;		/* conn_state_name(): "up", "connecting", ... */
	const char	*agent;		/* User-Agent, "" before the handshake */
	uint8_t		 guid[16];	/* servent GUID, zero if not told */
	uint64_t	 up_ms;		/* time since the connection started */
	uint64_t	 rx_msgs, tx_msgs;
	uint64_t	 rx_bytes, tx_bytes;	/* on the wire (compressed) */
	uint64_t	 dropped;	/* queries dropped by flow control */
	size_t		 queued;	/* bytes waiting to be sent */
	unsigned	 deflate_in:1;	/* the peer compresses to us */
	unsigned	 deflate_out:1;	/* we compress to it */
	unsigned	 ultra:1;	/* X-Ultrapeer: True */
	unsigned	 leaf:1;	/* our leaf (X-Ultrapeer: False) */
	int		 qrt;		/* a leaf's QRP table: 1 complete, 0 not
					 * yet; -1 not a leaf */
	const char	*role;		/* "leaf", "ultrapeer", "normal" (said
					 * no X-Ultrapeer), "" before the
					 * handshake */
};

/* A host the dialer knows, as `hosts` shows it. */
struct gnet_host {
	uint32_t	 ip;
	uint16_t	 port;
	const char	*source;	/* "seed", "cache", "try", "pong", "user", "peer" */
	unsigned	 fails;		/* failures in a row */
	uint64_t	 retry_ms;	/* ms until the dialer may try it, 0 = now */
	int		 connected;
};

/* Counters for `stats`. */
struct gnet_stats {
	const struct node_stats *node;	/* the routing core's counters */
	size_t		 peers;		/* established */
	size_t		 leaves;	/* of them, our leaves */
	int		 leaf;		/* this node is a leaf */
	int		 mode_auto;	/* [node] mode = auto */
	int		 reachable;	/* a connection came in from outside */
	int		 firewalled;	/* we say so in hits ([net] firewalled) */
	int		 firewalled_auto;	/* ... by the auto rule */
	uint64_t	 push_asked;	/* Pushes we sent for downloads */
	uint64_t	 giv_rx;	/* GIVs that started a download's run */
	uint64_t	 giv_bad;	/* GIVs refused: malformed, unasked */
	uint64_t	 giv_sent;	/* GIV connections we opened (Pushes) */
	uint64_t	 push_dropped;	/* Pushes for us not acted on */
	uint64_t	 pproxy_sent;	/* push-proxy requests passed to leaves */
	uint64_t	 role_changes;	/* switches between leaf and ultrapeer */
	char		 promote_blocker[96];	/* auto leaf: why not yet */
	size_t		 connecting;	/* dialling or in a handshake */
	size_t		 hosts;		/* known to the dialer */
	uint64_t	 uptime_ms;
	uint64_t	 accepted, dialled;	/* connections ever */
	uint64_t	 refused;	/* handshakes we refused */
	uint64_t	 http_requests;	/* HTTP requests answered */
	uint64_t	 http_refused;	/* of them, with a 4xx or 5xx */
	uint64_t	 byes_bad;	/* Byes we sent for bad input (>= 400) */
	uint64_t	 logs_held;	/* refusal and request lines left out */
	uint64_t	 budget_throttled;	/* peer-seconds over the budget */
	uint64_t	 budget_closed;	/* peers closed for it (Bye 410) */
	uint64_t	 banned;	/* addresses refused for bad input */
	uint64_t	 ban_refused;	/* their connections closed at accept */
	uint64_t	 dial_scope;	/* dials refused: outside our scope */
	uint64_t	 dial_failed;	/* dials that never came up */
	uint64_t	 rx_bytes, tx_bytes;
	uint64_t	 flow_dropped;	/* queries dropped by flow control */
	uint64_t	 udp_rx, udp_tx;
	uint64_t	 files, kbytes;	/* what we share */
	int		 scanning;	/* a share scan is running */
	uint8_t		 guid[16];	/* our servent GUID */
};

/*
 * A node on loop, configured by conf (listen address, seeds, bounds, TTLs,
 * search defaults), answering queries from share (may be NULL: shares
 * nothing). Binds its port at once; NULL with *cause (to free) if it
 * cannot. The host cache is loaded from the share's database and saved
 * back by gnet_free. The conf and share must outlive the gnet.
 */
struct gnet	*gnet_new(struct ev_loop *, const struct conf *,
		     struct share *, char **cause);
/* Say Bye (code 200) to every peer, save the host cache, free it all. */
void		 gnet_free(struct gnet *);
/* Bye 200 to every peer and stop listening; gnet_drained() says when the
 * Byes are flushed (a closing connection lingers NET_LINGER_MS at most). */
void		 gnet_shutdown(struct gnet *);
/* Re-read the seed list and share directories from conf (after the caller
 * reloaded it) and start a rescan. */
void		 gnet_reload(struct gnet *, const struct conf *);
/* Start a rescan of the shares; -1 with *cause if one is running. */
int		 gnet_rescan(struct gnet *, char **cause);

/* Peers, established first, at most max into out; strings stay valid until
 * the loop runs again. Returns the count. */
size_t		 gnet_peers(struct gnet *, struct gnet_peer *out, size_t max);
/* Dial "ip:port" now, whatever the bounds; the connection id, or 0 with
 * *cause (to free). */
uint32_t	 gnet_connect(struct gnet *, const char *hostport, char **cause);
/* Close a connection with Bye 201 (User Manual Removal); -1 if no such id. */
int		 gnet_disconnect(struct gnet *, uint32_t id);
/* Hosts the dialer knows, most promising first. */
size_t		 gnet_hosts(struct gnet *, struct gnet_host *out, size_t max);
void		 gnet_stats(struct gnet *, struct gnet_stats *);

/* Start a search; opts NULL takes the configured defaults ([search]).
 * Returns its id (> 0), or 0 with *cause (a constant). */
uint32_t	 gnet_search(struct gnet *, const char *text,
		     const struct search_opts *, const char **cause);
/* A search for the file with this SHA-1 (its URN goes in the query),
 * text its words (may be empty, though gtk-gnutella's QRP then lets the
 * query reach no leaf); only hits for that file are its results. */
uint32_t	 gnet_search_sha1(struct gnet *, const char *text,
		     const uint8_t *sha1, const struct search_opts *,
		     const char **cause);
/* Bytes of words a query with a URN carries and servents still relay. */
#define GNET_URN_WORDS	211
/* A file name as search words into out[cap]: normalised, each once, none
 * shorter than three characters (gtk-gnutella's QRP tables hold none),
 * as many as fit. Returns the length. */
size_t		 gnet_name_words(const char *name, char *out, size_t cap);
/* The results store (see results.h), to read. */
const struct results *gnet_results(struct gnet *);
/* Whether the core still sends for this search. */
int		 gnet_search_active(struct gnet *, uint32_t id);
/* The address we listen on (host order), for messages and tests. */
void		 gnet_listen_addr(struct gnet *, uint32_t *ip, uint16_t *port);
/* A download as `downloads` shows it. */
struct gnet_download {
	uint32_t	 id;
	const char	*name;
	const char	*state;		/* dl_state_name(): queued, active, ... */
	char		 urn[48];	/* urn:sha1:... */
	uint64_t	 size;
	uint64_t	 bytes;		/* received (checked or not) */
	uint64_t	 verified;	/* checked against the tree */
	unsigned	 percent;
	double		 rate;		/* bytes per second, recent */
	int64_t		 eta_s;		/* -1 when unknown */
	size_t		 sources_active;	/* fetching now */
	size_t		 sources_known;		/* neither banned nor gone */
	size_t		 sources_banned;
	size_t		 sources_served;	/* wrote bytes of it, this run */
	uint32_t	 queue_pos;	/* our best place in a source's PARQ
					 * queue, when none is sending; 0 */
	uint32_t	 queue_len;	/* that queue's length, 0 unknown */
	const char	*path;		/* where it was saved, once done */
	const char	*stall;		/* state "stalled": why ("disk full") */
	char		 note[48];	/* firewalled sources: "waiting for push
					 * (2 of 3)", "failed: source
					 * unreachable"; or empty */
	int		 unmoved;	/* done, but path is still the partial
					 * file: download_dir had no room (it
					 * is moved when room comes back) */
};

/*
 * Download what, a result number from `results` or "urn:sha1:...", from
 * every source known to have it. Returns the download id, or 0 with
 * *cause (to free). A URN already downloading gives its id.
 */
uint32_t	 gnet_get(struct gnet *, const char *what, char **cause);
struct magnet;
/*
 * Download the file of a magnet link (wire/magnet.h) from the sources it
 * names and from every hit of a search by its SHA-1 and name, started
 * here. The download id; or 0 with *search set to that search's id when
 * the link gives no size (xl) and no result knows it yet: the download
 * starts with the first hit for the file; or 0 with *cause (to free).
 */
uint32_t	 gnet_get_magnet(struct gnet *, const struct magnet *,
		     uint32_t *search, char **cause);
/* Downloads, oldest first, at most max; strings valid until the loop
 * runs again. */
size_t		 gnet_downloads(struct gnet *, struct gnet_download *, size_t max);
/* Pause, resume or cancel (the partial file is removed) a download:
 * 0, or -1 with *cause (a constant). */
int		 gnet_download_pause(struct gnet *, uint32_t id, const char **);
int		 gnet_download_resume(struct gnet *, uint32_t id, const char **);
int		 gnet_download_cancel(struct gnet *, uint32_t id, const char **);

/* Uploads in progress (struct upload_info, xfer/upload.h), at most max. */
struct upload_info;
struct upload_stats;
size_t		 gnet_uploads(struct gnet *, struct upload_info *, size_t max);
void		 gnet_upload_stats(struct gnet *, struct upload_stats *);
/* Whether every connection is gone (after gnet_shutdown). */
int		 gnet_drained(struct gnet *);
/* Ask the loop to stop: `quit` from the control socket. */
void		 gnet_quit(struct gnet *);
/* Whether gnet_quit was called. */
int		 gnet_quitting(struct gnet *);

#endif
