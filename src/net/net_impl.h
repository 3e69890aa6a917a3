/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * net_impl.h: the inside of a struct gnet and its connections, shared by
 * net/'s files and by nothing outside net/.
 */
#ifndef GNODE_NET_IMPL_H
#define GNODE_NET_IMPL_H

#include <time.h>

#include <ev.h>
#include <zlib.h>

#include "lib/buf.h"
#include "lib/log.h"
#include "lib/ratelimit.h"
#include "lib/rng.h"
#include "net/net.h"
#include "share/qrt.h"
#include "wire/huge.h"

#define NET_IN_MAX	(2 * (23 + 65536))	/* input held: two descriptors */
#define NET_OUT_SLACK	(128 * 1024)	/* output past send_queue: a Bye */
#define NET_HTTP_HEAD_MS 10000	/* an HTTP request head must arrive in this */
#define NET_HTTP_IDLE_MS 60000	/* keep-alive between requests, stalled body */
#define NET_SENDFILE_MAX (1024 * 1024)	/* bytes per sendfile call */
#define NET_LINGER_MS	2000	/* a closing connection flushes for this */
#define NET_TICK_MS	1000	/* dialer, hosts, scan progress */
#define NET_KEEP_BUF	16384	/* an idle buffer keeps at most this */
#define NET_TRY_HOSTS	10	/* addresses in X-Try-Ultrapeers */
#define NET_BYE_LOG	160	/* bytes of a peer's Bye reason logged */
#define NET_REFUSE_LOGS	5	/* refusal lines a second, per cause */
#define NET_HTTP_LOGS	20	/* HTTP requests logged at info a second */
#define DIAL_PARALLEL	4	/* connects in flight at once */
#define DIAL_BACKOFF_MS	2000	/* first back-off; doubles per failure */
#define DIAL_BACKOFF_MAX 600000	/* ten minutes at most */
#define DIAL_AGAIN_MS	2000	/* after an established link ends */
#define HOSTS_SAVE_MS	60000	/* persist the host cache this often */
#define CREDIT_SAVE_MS	60000	/* and what hosts gave us (reward.c) */
#define CONN_BUCKETS	256	/* id -> connection, for every send */

/*
 * A connection's life. The state changes only in conn_set_state(), which
 * traces every transition.
 *
 *   CONNECTING --conn_hs_start--> HS_SENT --conn_on_reply--> UP
 *   FIRST --conn_on_request--> HS_REPLIED --conn_on_ack--> UP
 *   FIRST --http_start--> HTTP_REQ --http_request--> HTTP_BODY
 *         --http_body_done--> HTTP_REQ (keep-alive) or CLOSING
 *   CONNECTING --download_connected--> DL_HEAD --gdl_head--> DL_BODY
 *         --gdl_chunk_in--> DL_HEAD (next chunk, keep-alive) or DEAD
 *   DL_BODY --short answer--> DL_HEAD (the rest of the run)
 *   DL_HEAD --503 Queued, kept open--> DL_WAIT --Retry-After--> DL_HEAD
 *   FIRST --"QUEUE id ip:port" callback--> DL_HEAD
 *   any --conn_linger--> CLOSING --(flushed or NET_LINGER_MS)--> DEAD
 *   any --conn_kill--> DEAD; the reaper frees DEAD ones before the loop
 *   blocks again, so no callback frees a connection still in use.
 */
enum conn_state {
	CONN_CONNECTING,	/* outgoing TCP connect in flight */
	CONN_FIRST,		/* incoming: waiting for the first line */
	CONN_HS_SENT,		/* outgoing: CONNECT sent, reply awaited */
	CONN_HS_REPLIED,	/* incoming: 200 sent, final 200 awaited */
	CONN_UP,		/* Gnutella descriptors flow */
	CONN_HTTP_REQ,		/* HTTP: reading a request head */
	CONN_HTTP_BODY,		/* HTTP: sending a reply's body */
	CONN_DL_HEAD,		/* download: request sent, head awaited */
	CONN_DL_BODY,		/* download: receiving a chunk or a tree */
	CONN_DL_WAIT,		/* download: queued (PARQ), asking again
				 * on the same connection when told */
	CONN_PUSH_REPLY,	/* push-proxy request sent, status awaited */
	CONN_CLOSING,		/* flushing its last bytes (a Bye) */
	CONN_DEAD,		/* closed; freed by the reaper */
};

/* What an outgoing connection that is no link nor download is for
 * (push.c). */
enum conn_aux {
	CONN_AUX_NONE,
	CONN_AUX_GIV,		/* a Push for us: GIV, then we serve HTTP */
	CONN_AUX_CBACK,		/* a connect-back: "\n\n" and close */
	CONN_AUX_PPROXY,	/* our push-proxy request for a download */
};

/* [net] firewalled */
enum gnet_fw {
	GNET_FW_AUTO,
	GNET_FW_YES,
	GNET_FW_NO,
};

struct gnet;
struct hs;
struct dl_source;
struct push;
struct http_req;
struct upload_reply;

struct conn {
	/*
	 * What conn_find and conn_send touch, first and together: a relayed
	 * query is one conn_send per ultrapeer, and with hundreds of links
	 * each is a cold struct (bench-ultrapeer: most of a send's cost was
	 * misses on fields spread over six cache lines). The struct is
	 * allocated on a cache line's boundary (conn_new).
	 */
	struct conn	*hnext;		/* in its id bucket */
	uint32_t	 id;
	enum conn_state	 state;
	unsigned	 writing:1;	/* wio started */
	unsigned	 overflow:1;	/* send queue passed its limit */
	struct buf	 out;		/* bytes to write, compressed if zout */
	struct buf	 pend;		/* plain bytes waiting for zout */
	z_stream	*zout;		/* we deflate to the peer */
	uint64_t	 tx_msgs, dropped;
	struct gnet	*g;
	struct conn	*next;
	int		 fd;
	ev_io		 rio;
	ev_io		 wio;
	ev_timer	 timer;		/* handshake, idle and linger deadline */
	struct buf	 in;		/* bytes read (inflated) not yet used */
	z_stream	*zin;		/* the peer deflates to us */
	uint32_t	 ip;		/* remote socket address */
	uint16_t	 port;
	uint32_t	 node_ip;	/* its listening address (Node:) */
	uint16_t	 node_port;
	uint32_t	 local_ip;	/* our end of the socket */
	uint8_t		 guid[16];
	char		*agent;
	uint64_t	 started;	/* ms */
	uint64_t	 last_rx;	/* ms */
	uint64_t	 rx_msgs, rx_bytes, tx_bytes;
	uint16_t	 degree;
	uint8_t		 max_ttl;
	unsigned	 outgoing:1;
	unsigned	 has_guid:1;
	unsigned	 ultra:1;
	unsigned	 leaf:1;	/* our leaf: said X-Ultrapeer: False to
					 * us, an ultrapeer */
	unsigned	 said_role:1;	/* it said X-Ultrapeer at all */
	unsigned	 up_qrp:1;	/* X-Ultrapeer-Query-Routing */
	unsigned	 ext_probes:1;	/* it said X-Ext-Probes */
	unsigned	 accept_deflate:1;	/* it said Accept-Encoding: deflate */
	unsigned	 in_core:1;	/* node_peer_up done, not yet down */
	unsigned	 was_up:1;	/* reached CONN_UP once */
	unsigned	 http:1;	/* an HTTP connection, not Gnutella */
	unsigned	 http_close:1;	/* close once the reply is out */
	unsigned	 http_more:1;	/* requests wait behind a finished body */
	unsigned	 throttled:1;	/* waiting for upload_rate tokens */
	uint64_t	 up_epoch;	/* the refill its up_taken counts in */
	uint64_t	 up_taken;	/* bytes it sent of that refill's */
	int		 body_fd;	/* HTTP: the file being sent, or -1 */
	uint64_t	 body_off;	/* its next byte */
	uint64_t	 body_left;	/* bytes still to send */
	uint64_t	 http_requests;
	unsigned	 dl:1;		/* fetching for a download */
	unsigned	 dl_busy:1;	/* a run of our chunks is in flight */
	unsigned	 dl_thex:1;	/* the request is for the THEX tree */
	unsigned	 dl_close:1;	/* the answer said it closes after */
	unsigned	 dl_piped:1;	/* the rest is asked for already */
	uint32_t	 dl_id;		/* the download */
	size_t		 dl_src;	/* its source slot */
	uint32_t	 dl_chunk;	/* the chunk coming in now */
	uint64_t	 dl_chunk_end;	/* where it ends (file offset) */
	uint64_t	 dl_off;	/* what is left of the run: from dl_off, */
	uint64_t	 dl_len;	/* dl_len bytes, asked in one request */
	uint64_t	 dl_pos;	/* the next byte of the file to come */
	uint64_t	 dl_left;	/* body bytes of this answer to come */
	uint64_t	 dl_got;	/* body bytes of this answer so far */
	uint64_t	 dl_skip;	/* a queued answer's body, to discard */
	enum conn_aux	 aux;
	unsigned	 pp_answered:1;	/* CONN_AUX_PPROXY: its proxy said 202 */
	uint32_t	 dl_answers;	/* bodies received on this connection */
	char		 dl_thex_uri[160];	/* the source's X-Thex-URI */
	/* The read budget (budget.c): this second's spending, and the
	 * deflated bytes left unread while it is spent. */
	uint64_t	 bud_inflated;	/* bytes inflated */
	uint64_t	 bud_ignored;	/* bytes of descriptors dropped unused */
	struct buf	 zrest;
	uint16_t	 bud_strikes;	/* seconds over, less calm ones */
	unsigned	 bud_over:1;	/* reading waits for the next second */
	/* The descriptor the core is being handed, so that the close it
	 * may call back for a Bye can log the peer's code and reason. */
	const uint8_t	*rx_desc;
	size_t		 rx_len;
};

/* Lines a peer can make us write, each limited on its own. */
enum net_logcause {
	NET_LOG_HTTP,		/* HTTP requests answered 2xx/3xx */
	NET_LOG_HTTP_REFUSE,	/* HTTP 4xx/5xx we send */
	NET_LOG_HS_REFUSE,	/* Gnutella handshakes we refuse */
	NET_LOG_BYE,		/* Byes we send for bad input (code >= 400) */
	NET_LOG_BAN,		/* addresses banned (ban.c): not lost among
				 * the Byes that led to them */
	NET_LOG_NCAUSE,
};

/* An address struck for bad input (ban.c). */
struct ban {
	uint32_t	 ip;
	uint16_t	 strikes;	/* since `last` began a run */
	uint64_t	 last;		/* ms of the last strike; 0: free */
	uint64_t	 until;		/* ms: refused until then */
};
#define NET_BANS	1024
#define NET_BAN_FILTER	250	/* in the listener's BPF filter at most */

/* A host the dialer knows. */
struct dhost {
	uint32_t	 ip;
	uint16_t	 port;
	uint8_t		 source;	/* enum dial_source */
	uint32_t	 fails;
	uint64_t	 next_try;	/* ms */
	int64_t		 last_seen;	/* Unix seconds */
	uint32_t	 conn;		/* connection id while in use, else 0 */
	/* We reached it (a connection to ip:port came up), or a peer at
	 * that address completed a handshake with us naming it as its own
	 * (this run only): what X-Try-Ultrapeers may name. */
	uint8_t		 verified;
};

enum dial_source {
	DIAL_SEED,
	DIAL_CACHE,
	DIAL_TRY,
	DIAL_PONG,
	DIAL_USER,
	DIAL_PEER,
};

/*
 * The first line of a libev callback that works for node g: the lines it
 * logs carry g's name (when several nodes share the process: the demo),
 * and whatever was named before is named again when the callback returns.
 */
#define GNET_LOG_AS(g)							\
	const char *gnet_log_was __attribute__((cleanup(gnet_log_back))) =\
	    log_set_node((g)->logname)
static inline void
gnet_log_back(const char **was)
{
	log_set_node(*was);
}

struct gnet {
	struct ev_loop		*loop;
	char			 logname[16];	/* listen address */
	const struct conf	*conf;
	struct share		*share;
	char			*dbpath;	/* the share's file, for scans */
	struct node		*node;
	struct node_env		 env;
	struct results		*results;
	struct uploads		*uploads;
	struct gdl		*downloads;
	struct gmagnet		*magnets;	/* gets waiting for a hit's size */
	struct credits		*credits;	/* what hosts gave us (reward.c) */
	uint64_t		 credits_saved;	/* ms of the last save */
	struct mesh_file	*mesh;		/* sources requesters told us of
					 * (mesh.c), MESH_FILES of them */
	struct verifier		*verifier;	/* hashes downloads' chunks */
	uint32_t		 dl_gen;	/* the last gdl.gen given */
	ev_timer		 throttle;	/* refills the upload budget */
	uint64_t		 up_tokens;	/* bytes uploads may send now */
	uint64_t		 up_refill;	/* ms of the last refill */
	uint64_t		 up_share;	/* what each sending upload may
					 * take of it (httpd.c) */
	uint32_t		 up_sending;	/* connections in CONN_HTTP_BODY
					 * (conn_set_state keeps it) */
	struct rng		 rng;
	struct search_opts	 sdefault;
	uint32_t		 ip;		/* listening address */
	uint16_t		 port;
	int			 lfd;		/* TCP listener */
	int			 ufd;		/* UDP, same address */
	ev_io			 lio;
	ev_io			 uio;
	ev_timer		 tick;
	ev_timer		 wake;		/* node_wakeup() */
	ev_timer		 accept_again;	/* after EMFILE */
	ev_prepare		 prepare;	/* flush, reap, re-arm wake */
	struct conn		*conns;
	struct conn		*byid[CONN_BUCKETS];
	uint32_t		 next_id;
	struct dhost		*hosts;
	size_t			 nhosts;
	uint64_t		 hosts_saved;
	struct qrt		 qrt;
	int			 has_qrt;
	int			 leaf;		/* our role now (role.c) */
	int			 mode_auto;	/* [node] mode = auto */
	int			 reachable;	/* a connection came in from
						   another host */
	enum gnet_fw		 fw_mode;	/* [net] firewalled (push.c) */
	struct ratelimit	 push_rl;	/* GIV connections we open */
	unsigned		 cback_asked;	/* peers asked to connect back */
	uint64_t		 role_at;	/* ms: start, or the last switch */
	uint64_t		 alone_since;	/* ms: no ultrapeer link since; 0
						   while there is one */
	uint64_t		 leaf_seen_at;	/* ms: we last had a leaf */
	int			 promoted_alone; /* for want of an ultrapeer */
	uint64_t		 qrt_sum;	/* of the table our ultrapeers have */
	int			 qrt_sent;	/* qrt_sum is set */
	uint64_t		 up_qrt_sum;	/* merged table our ultrapeers have */
	uint64_t		 up_qrt_at;	/* when it was last looked at, ms */
	struct scan		*scan;
	struct gnet_stats	 stats;
	/* What a peer can make us log, bounded per cause (gnet_logrl). */
	struct ratelimit	 logrl[NET_LOG_NCAUSE];
	uint64_t		 started;
	time_t			 live_since;	/* wall clock at start */
	int			 quitting;
	int			 shutdown;
	struct ban		 bans[NET_BANS];
	size_t			 ban_filtered;	/* addresses in the filter */
	uint64_t		 ban_refilter;	/* ms: the first ban to end */
	uint8_t			 rbuf[65536];
};

/* net.c */
uint64_t	 gnet_now(struct gnet *);
/* The same clock read afresh: the loop's time is when its iteration
 * began, which a long iteration leaves behind the wall. */
uint64_t	 gnet_now_fresh(struct gnet *);
/* Log at info under cause's rate limit, with "(and N more like it)" on
 * the line after the ones held back; 0 if this one was held back. */
int		 gnet_logrl(struct gnet *, enum net_logcause, const char *, ...)
		     __attribute__((format(printf, 3, 4)));

/* conn.c */
struct conn	*conn_new(struct gnet *, int fd, int outgoing, uint32_t ip,
		     uint16_t port);
struct conn	*conn_find(struct gnet *, uint32_t id);
void		 conn_send(struct conn *, const uint8_t *, size_t);
void		 conn_flush(struct conn *);
/* Close now, without a Bye (the peer went away, or sent Bye). */
void		 conn_kill(struct conn *, const char *why);
/* Close after flushing what is queued (a Bye), at most NET_LINGER_MS. */
void		 conn_linger(struct conn *, const char *why);
/* Close an established peer with a Bye code, or kill one in handshake. */
void		 conn_bye(struct conn *, uint16_t code, const char *why);
void		 conn_free(struct conn *);
const char	*conn_state_name(enum conn_state);
void		 conn_set_state(struct conn *, enum conn_state);
void		 conn_timer_set(struct conn *, uint64_t ms);
void		 conn_write_raw(struct conn *, const void *, size_t);
/* Stream bytes of an established connection (inflated if need be). */
void		 conn_feed(struct conn *, const uint8_t *, size_t);
/* Hand the whole descriptors read so far to the core. */
void		 conn_parse(struct conn *);

/* ban.c: addresses refused at accept after ban_after bad closes */
/* Whether a Bye with this code is for bad input (a strike). */
int		 ban_bye_bad(int code);
/* A close for ip's bad input, with its code (Bye, HTTP or handshake). */
void		 ban_strike(struct gnet *, uint32_t ip, int code);
/* Whether a new connection from ip is to be closed at once. */
int		 ban_refuses(struct gnet *, uint32_t ip);
/* An accepted socket: the listener's filter taken off it. */
void		 ban_accepted(struct gnet *, int fd);
/* Bans that ended leave the listener's filter. */
void		 ban_tick(struct gnet *);

/* budget.c: a peer's read budget, a second at a time */
/* Count bytes inflated and bytes of descriptors dropped unused; 1 when the
 * peer is over its budget and reading it waits for the next tick. */
int		 budget_spend(struct conn *, uint64_t inflated,
		     uint64_t ignored);
/* Hold deflated bytes not inflated yet; -1 if they do not fit. */
int		 budget_keep(struct conn *, const uint8_t *, size_t);
/* A second is over: strikes and Bye 410, or reading again. */
void		 budget_tick(struct gnet *);

/* handshake.c */
void		 conn_hs_start(struct conn *);
void		 conn_refuse(struct conn *, int code, const char *reason);
void		 conn_on_first(struct conn *);
void		 conn_on_reply(struct conn *);
void		 conn_on_ack(struct conn *);
/* X-Try-Ultrapeers for a peer at to: hosts it may use, none it cannot. */
size_t		 conn_try_hosts(struct gnet *, uint32_t to, char *, size_t);

/* role.c: leaf or ultrapeer, and the switch between them */
void		 role_init(struct gnet *);
void		 role_reached(struct gnet *, const struct conn *);
void		 role_tick(struct gnet *);
/* What keeps an auto leaf from promoting, into out (its length), or 0. */
size_t		 role_blocker(struct gnet *, char *out, size_t cap);
/* X-Ultrapeer-Needed for our answer to c, or NULL to say nothing. */
const char	*role_needed(struct gnet *, const struct conn *c);
/* Whether we, an ultrapeer dialling, become a leaf on this answer. */
int		 role_follows(struct gnet *, const char *needed);
/* Take the role; every Gnutella link but keep is closed (Bye 203). */
void		 role_set(struct gnet *, int leaf, struct conn *keep,
		     const char *why);

/* qrp_send.c: a leaf's QRP table to its ultrapeers */
/* RESET, then 4-bit zlib PATCHes of at most QRP_SEND_MAX bytes each. */
#define QRP_SEND_MAX	4096
void		 qrp_send_table(struct conn *);
void		 qrp_send_qrt(struct conn *, const struct qrt *, const char *);
/* After a (re)load of the share: the table again to every ultrapeer,
 * if it changed. */
void		 qrp_share_changed(struct gnet *);
/* qrp_up.c: an ultrapeer's merged table to ultrapeers that route by it */
void		 qrp_up_send(struct conn *);
void		 qrp_up_tick(struct gnet *);
/* Our links in that role (leaf or not) up or accepted, but c. */
size_t		 conn_count_role(struct gnet *, int leaf, const struct conn *c);

/* httpd.c */
void		 http_start(struct conn *);
void		 http_read(struct conn *);
int		 http_write(struct conn *);
void		 http_timeout(struct conn *);
void		 http_closed(struct conn *);
void		 http_throttle_init(struct gnet *);

/* One download as the node runs it (download.c, download_ctl.c). */
struct gdl {
	struct gdl	*next;
	struct dl	*dl;
	int		 fd;		/* the partial file */
	struct vfile	*vf;		/* the same, shared with the verifier */
	uint32_t	 gen;		/* tells its verifier answers from a
					 * forgotten download's of that id */
	char		*part;		/* its path */
	char		*path;		/* the finished file's, once done */
	char		 urn[HUGE_URN_SHA1_LEN + 1];
	unsigned	 conns;		/* connections fetching for it */
	unsigned	 waiting;	/* of those, waiting in a PARQ queue */
	int		 thex_tried;	/* a THEX fetch was made */
	int		 sha1_posted;	/* the file's SHA-1 is being computed */
	int		 dirty;		/* progress not saved yet */
	int		 root_trusted;	/* the Tiger root came with the hit */
	char		*words;		/* its name's words, for queries
					 * (partial.c), made when first asked */
	uint8_t		*tree;		/* the THEX tree as it came and held
					 * (breadth-first nodes), to serve
					 * while partial; NULL until then */
	size_t		 ntree;
	unsigned	 tree_depth;
	uint64_t	 window;	/* bytes since the last rate sample */
	double		 rate;		/* bytes per second, smoothed */
	int		 stall_errno;	/* STALLED: why its write failed */
	int		 unmoved;	/* done, but left at path (partial/):
					 * download_dir had no room */
	int		 save_failed;	/* the last gdl_save failed (said) */
	uint64_t	 retry_at;	/* ms: next look for space (stalled,
					 * unmoved) or next save (failed) */
};

/* download.c */
#define GDL_HEAD_MS	30000		/* a response head must come in this */
#define GDL_BODY_MS	60000		/* a body may stall this long */
struct gdl	*gdl_find(struct gnet *, uint32_t id);
struct gdl	*gdl_add(struct gnet *, struct dl *);
void		 gdl_save(struct gnet *, struct gdl *);
void		 gdl_save_source(struct gnet *, struct gdl *, size_t src);
void		 gdl_close_conns(struct gnet *, struct gdl *);
/* Close the partial file (jobs on it keep it until they are done). */
void		 gdl_close_file(struct gdl *);
int		 gdl_file_public(struct gdl *);
/* data_dir/sub, or download_dir for "downloads" (to free). */
char		*gdl_dir(struct gnet *, const char *sub);
/* Looks for space again this often, in ms (a stalled download, a done
 * file still to move, progress the database would not take). */
#define GDL_SPACE_MS		5000
/* Free bytes a stalled download waits for (or what it still lacks). */
#define GDL_SPACE_MIN		(1024 * 1024)
/* Its partial file is full (err ENOSPC or EDQUOT): say so once, stop
 * fetching, and look for space every GDL_SPACE_MS. */
void		 gdl_stall(struct gnet *, struct gdl *, int err);
/* A stalled download runs again if its file system has room. */
void		 gdl_space_check(struct gnet *, struct gdl *);

/* download_check.c */
/* Hand a written chunk to the verifier (or check it on the loop). */
void		 gdl_verify(struct gnet *, struct gdl *, uint32_t chunk);
/* Every chunk is in: check the whole file, then move it into place. */
void		 gdl_finish(struct gnet *, struct gdl *);
/* Try again to move a done file left in partial/ into download_dir. */
void		 gdl_move_retry(struct gnet *, struct gdl *);
/* A running download with every chunk in and checked goes to its file
 * check: 1 if it did. */
int		 gdl_settle(struct gnet *, struct gdl *);
/* The verifier for the node's downloads. */
void		 download_init(struct gnet *);
void		 gdl_forget(struct gnet *, struct gdl *);
void		 download_read(struct conn *, const uint8_t *, size_t);
void		 download_connected(struct conn *);
void		 download_closed(struct conn *);
void		 gdl_request_chunk(struct conn *, struct gdl *);
void		 gdl_next(struct conn *, struct gdl *);
void		 gdl_fill(struct gnet *, struct gdl *);
void		 gdl_pipe(struct conn *, struct gdl *, uint64_t from);
void		 gdl_overrun(struct conn *, struct gdl *);
/* download_head.c */
void		 gdl_head(struct conn *, struct gdl *);
void		 gdl_take_run(struct conn *, struct gdl *, uint32_t chunk,
		     uint64_t off);
int		 gdl_host_free(void *g, const struct dl_source *);
/* download_queue.c */
void		 gdl_busy(struct conn *, struct gdl *, const struct hs *,
		     uint64_t clen);
void		 gdl_requeue(struct conn *, struct gdl *);
void		 gdl_wait_read(struct conn *, struct gdl *, const uint8_t *,
		     size_t);
int		 download_queue_callback(struct conn *);
void		 gdl_adopt(struct conn *, struct gdl *, size_t src,
		     uint32_t chunk, uint64_t off);
void		 gdl_queue_place(struct gnet *, const struct gdl *,
		     uint32_t *pos, uint32_t *len);
void		 download_timeout(struct conn *);
void		 download_tick(struct gnet *);
/* download_ctl.c: a hit for a file being downloaded adds its source. */
void		 download_hit(struct gnet *, const struct node_result *);
void		 download_load(struct gnet *);
void		 download_free(struct gnet *);

/* mesh.c: the other sources of a file that HTTP heads carry */
struct upload_mesh;
struct hs_field;
void		 mesh_init(struct gnet *);
void		 mesh_free(struct gnet *);
/* What an answer to one of our downloads says of other sources. */
void		 mesh_learn(struct conn *, struct gdl *, const struct hs *);
/* Learn what a request says of other sources (X-Alt, X-NAlt), then fill
 * the answer's mesh (upload_mesh_fn). */
void		 mesh_offer(void *g, const uint8_t *sha1, uint32_t requester,
		     const struct hs *req, struct upload_mesh *);
/* The mesh fields of one of our requests: X-Alt (us, when we share a
 * verified part of it, and its sources that gave good chunks), X-NAlt
 * (those that gave bad ones). buf holds the values; how many fields. */
size_t		 mesh_request_fields(struct conn *, struct gdl *,
		     struct hs_field *, char *buf, size_t cap);

/* net.c: the share index changed (a scan, a finished download): the QRP
 * table and the counts our pongs carry are made again. */
void		 gnet_share_loaded(struct gnet *);

/* partial.c: sharing what we are downloading */
struct upload_partial;
/* [xfer] partial_sharing is on. */
int		 partial_on(const struct gnet *);
/* A download's verified byte ranges, merged, up to max; their bytes. */
size_t		 partial_ranges(const struct dl *, uint64_t (*r)[2],
		     size_t max, uint64_t *bytes);
/* The upload hook (upload_partial_fn). */
int		 partial_upload(void *g, const uint8_t *sha1,
		     struct upload_partial *);
/* A download is done and in place: into the share index when its place
 * is shared. */
void		 partial_finished(struct gnet *, struct gdl *);
/* Our partial files matching a query, up to max records into out. */
struct query;
struct qhit_record;
size_t		 partial_match(struct gnet *, const struct query *,
		     struct qhit_record *, size_t max);

/* reward.c: giving back */
int		 reward_on(const struct gnet *);
void		 reward_init(struct gnet *);
void		 reward_free(struct gnet *);
/* Once a second: the credits saved now and then. */
void		 reward_tick(struct gnet *);
/* The upload hook (upload_head_start_fn). */
unsigned	 reward_head_start(void *g, uint32_t ip);
/* A chunk passed its check: its source gave us its bytes. */
void		 reward_chunk(struct gnet *, struct gdl *, uint32_t chunk);
/* The core's hook: a pong said ip shares files. */
void		 reward_sharer(void *g, uint32_t ip, uint32_t files);
/* A hit of our searches came from ip. */
void		 reward_hit(struct gnet *, uint32_t ip);
/* ip's credit, for `uploads`: 1 if known. */
int		 reward_of(struct gnet *, uint32_t ip, uint64_t *bytes,
		     uint32_t *files, unsigned *head_start);

/* push.c: firewalled transfers */
int		 gnet_firewalled(const struct gnet *);
void		 push_init(struct gnet *);
void		 push_reachable(struct gnet *);
void		 push_link_up(struct gnet *, struct conn *);
void		 push_connect_back(struct gnet *, uint32_t peer, uint16_t port);
void		 push_for_us(struct gnet *, uint32_t peer, const struct push *);
/* A download picked its firewalled source: Push it, wait for its GIV. */
int		 gdl_push(struct gnet *, struct gdl *, size_t src);
int		 push_giv(struct conn *);
void		 push_connected(struct conn *);
void		 push_proxy_reply(struct conn *);
void		 push_proxy_closed(struct conn *);
int		 push_proxy_answer(struct gnet *, const struct http_req *,
		     struct upload_reply *);

/* listen.c */
int		 listen_open(struct gnet *, char **cause);
void		 listen_close(struct gnet *);
void		 listen_send_udp(struct gnet *, uint32_t ip, uint16_t port,
		     const uint8_t *, size_t);

/* dialer.c */
struct dhost	*dialer_add(struct gnet *, uint32_t ip, uint16_t port,
		     enum dial_source);
/* Learn the "ip:port" list v that a peer at from told us. */
void		 dialer_learn_list(struct gnet *, const char *v,
		     enum dial_source, uint32_t from);
void		 dialer_tick(struct gnet *);
int		 dialer_socket(struct gnet *, uint32_t ip, uint16_t port,
		     char **cause);
uint32_t	 dialer_dial(struct gnet *, uint32_t ip, uint16_t port,
		     char **cause);
void		 dialer_result(struct gnet *, struct conn *, int up);
void		 dialer_load(struct gnet *);
void		 dialer_save(struct gnet *);
void		 dialer_free(struct gnet *);
const char	*dialer_source_name(uint8_t);
int		 dialer_usable(uint32_t ip, uint16_t port);
/* Whether this node may dial ip (host order) at all: no bogon, and
 * inside the scope its listening address and [net] scope give it. */
int		 net_scope_ok(const struct gnet *, uint32_t ip);

#endif
