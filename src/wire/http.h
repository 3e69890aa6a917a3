/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * http.h: HTTP/1.x as Gnutella file transfers speak it, on both sides.
 * Request and status lines with their header blocks (kept in a struct hs,
 * with the limits of hs.h: look headers up with hs_get, hs_is and
 * hs_has_token), the values that matter to uploads and downloads (Range,
 * Content-Range, the request target, PARQ's X-Queued, X-Alt), and the
 * writers. Parsing only: a target never reaches the file system here.
 */
#ifndef GNODE_HTTP_H
#define GNODE_HTTP_H

#include "wire/hs.h"
#include "wire/huge.h"

#define HTTP_NAME_MAX	1024	/* a decoded /get/ file name, NUL included */
#define HTTP_QID_MAX	64	/* hex digits of a PARQ ID */
#define HTTP_ALT_PORT	6346	/* what an X-Alt entry without a port means */

enum http_method {
	HTTP_M_GET,
	HTTP_M_HEAD,
	HTTP_M_OTHER,		/* any other token: the server answers 501 */
};

struct http_req {
	enum http_method method;
	const char	*method_name;	/* as sent, inside hs.store */
	const char	*target;	/* as sent, inside hs.store */
	struct hs	 hs;		/* version in major.minor, headers */
};

/*
 * Parse "METHOD SP target SP HTTP/x.y" and the header block; one empty line
 * before it is skipped. WIRE_SHORT: read more. WIRE_TOOBIG: a line, the
 * header count or the block went over the limits (answer 413 or 431).
 * WIRE_MALFORMED: anything else that is wrong (answer 400). On WIRE_OK,
 * *used is the bytes consumed.
 */
enum wire_status http_parse_request(const uint8_t *, size_t, struct http_req *,
		    size_t *used);
/*
 * How a request head frames a body (RFC 9112 6.1-6.3). HTTP_BODY_NONE: no
 * body. HTTP_BODY_SOME: a Content-Length over 0 or any Transfer-Encoding,
 * a body a GET or HEAD has no use for. HTTP_BODY_BAD: both Content-Length
 * and Transfer-Encoding, Content-Lengths that disagree (a list of equal
 * values, "5, 5", is one length), or one that is not a number. A server
 * that reads no bodies answers both of the last two with 400 and closes:
 * what follows the head cannot be told apart from a next request.
 */
enum http_body {
	HTTP_BODY_NONE,
	HTTP_BODY_SOME,
	HTTP_BODY_BAD,
};
enum http_body	 http_req_body(const struct http_req *);
/* Parse "HTTP/x.y CODE reason" and headers into kind, version, code, reason. */
enum wire_status http_parse_response(const uint8_t *, size_t, struct hs *,
		    size_t *used);

/*
 * A Range value, "bytes=a-b", "bytes=a-" or "bytes=-n", against a file of
 * size bytes. 0: [*first, *last] is the range, last clamped to size - 1.
 * -1: not one byte range we understand (ignore Range, send 200).
 * -2: unsatisfiable (answer 416).
 */
int		 http_parse_range(const char *, uint64_t size, uint64_t *first,
		    uint64_t *last);
/* Content-Range "bytes a-b/size": 0; with '*' for a-b (a 416): 1; bad: -1. */
int		 http_parse_content_range(const char *, uint64_t *first,
		    uint64_t *last, uint64_t *size);
/*
 * X-Available-Ranges, "bytes a-b, c-d, ..." (PFSP; "bytes=" is taken
 * too): up to max ranges into r, each [first, last] with last clamped to
 * size - 1; ranges past the file, or reversed, are skipped. Returns how
 * many were kept, or -1 if the value is not such a list.
 */
long		 http_parse_avail(const char *, uint64_t size,
		    uint64_t (*r)[2], size_t max);
/* Write n ranges as "bytes a-b,c-d" (whole ranges, as many as fit); the
 * length, 0 (and "") when none fits. */
size_t		 http_format_avail(char *, size_t, const uint64_t (*r)[2],
		    size_t n);

enum http_target_kind {
	HTTP_T_OTHER,		/* none of the below: "/", push-proxy, ... */
	HTTP_T_N2R,		/* /uri-res/N2R?urn:sha1:<32> (or bitprint) */
	HTTP_T_N2X,		/* /uri-res/N2X?urn:sha1:<32>[;<tth 39>] */
	HTTP_T_GET,		/* /get/<index>/<name> */
};

struct http_target {
	enum http_target_kind kind;
	uint8_t		 sha1[SHA1_LEN];	/* N2R, N2X */
	uint8_t		 tth[TTH_LEN];		/* N2X, when has_tth */
	int		 has_tth;
	uint32_t	 index;			/* GET, never 0 */
	char		 name[HTTP_NAME_MAX];	/* GET, decoded, no '/' */
};

/* Classify a target: 0 with kind set, -1 if that kind is badly formed. */
int		 http_parse_target(const char *, struct http_target *);

/* PARQ: "position=N; length=L; ETA=s; lifetime=s; ID=hex", any order. */
struct http_queued {
	uint32_t	 position;
	uint32_t	 length;
	uint32_t	 eta;
	uint32_t	 lifetime;
	int		 flags;
#define HTTP_Q_LENGTH	0x1	/* length was given */
#define HTTP_Q_ETA	0x2
#define HTTP_Q_LIFETIME	0x4
	char		 id[HTTP_QID_MAX + 1];	/* hex, NUL-terminated */
};

/* Parse an X-Queued value; position and ID are required. 0 or -1. */
int		 http_parse_queued(const char *, struct http_queued *);
/* Write an X-Queued value; its length, or 0 if no room or a bad ID. */
size_t		 http_format_queued(char *, size_t, const struct http_queued *);

struct http_alt {
	uint32_t	 ip;		/* host order */
	uint16_t	 port;
};

/* A dotted quad with an optional port (HTTP_ALT_PORT if none) filling
 * all of [s, s + n): 0, or -1 (also for address 0 or port 0). */
int		 http_parse_hostport(const char *, size_t, struct http_alt *);
/* Fill up to max alternate locations from "ip[:port], ..."; the count.
 * X-Push-Proxy has the same shape. */
size_t		 http_parse_xalt(const char *, struct http_alt *, size_t max);
/* Write n of them as "ip:port,ip:port" (whole entries, as many as fit
 * in cap); the length. */
size_t		 http_format_xalt(char *, size_t, const struct http_alt *,
		    size_t n);
/* Whether an X-Features value ("queue/1.1, fwalt/0.1") names a feature. */
int		 http_has_feature(const char *, const char *name);

/* Write "METHOD target HTTP/1.1" and the fields; 0 if unsafe or no room. */
size_t		 http_format_request(char *, size_t, const char *method,
		    const char *target, const struct hs_field *, size_t);
/* Write "HTTP/1.1 code reason" and the fields; 0 if unsafe or no room. */
size_t		 http_format_response(char *, size_t, int code, const char *,
		    const struct hs_field *, size_t);

#endif
