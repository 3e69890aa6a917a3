/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * hs.h: the Gnutella 0.6 handshake. A start line ("GNUTELLA CONNECT/0.6" or
 * "GNUTELLA/0.6 200 OK") and a block of "Name: value" header lines ending
 * with an empty line. Names compare case-insensitively; a line starting with
 * a space or tab continues the previous header (folding). Everything is kept
 * inside struct hs, so parsing allocates nothing. HTTP (http.h) keeps its
 * header blocks in a struct hs too, so hs_get() and friends work on both.
 */
#ifndef GNODE_HS_H
#define GNODE_HS_H

#include "wire/wire.h"

#define HS_MAX_LINE	1024	/* one physical line, CRLF excluded */
#define HS_MAX_HEADERS	64
#define HS_MAX_BLOCK	8192	/* the whole handshake, start line included */

enum hs_kind {
	HS_REQUEST,	/* GNUTELLA CONNECT/<major>.<minor> */
	HS_RESPONSE,	/* GNUTELLA/<major>.<minor> <code> <reason> */
};

struct hs_header {
	const char	*name;		/* NUL-terminated, inside hs.store */
	const char	*value;		/* NUL-terminated, folded, trimmed */
};

struct hs {
	enum hs_kind	 kind;
	int		 major;
	int		 minor;
	int		 code;		/* responses only */
	const char	*reason;	/* responses only, inside store */
	struct hs_header hdr[HS_MAX_HEADERS];
	size_t		 nhdr;
	char		 store[HS_MAX_BLOCK];
	size_t		 storelen;
};

/*
 * Parse a handshake from the start of a buffer. WIRE_SHORT means the blank
 * line has not arrived yet (read more); WIRE_TOOBIG means a line, the header
 * count or the block went over its limit (answer 413); WIRE_MALFORMED means
 * a bad start line or header line. On WIRE_OK *used is the bytes consumed,
 * so binary messages that follow stay in the caller's buffer.
 */
enum wire_status hs_parse(const uint8_t *, size_t, struct hs *, size_t *used);
/* Value of a header by case-insensitive name, or NULL. */
const char	*hs_get(const struct hs *, const char *name);
/* Whether a header's value equals s case-insensitively ("True"). */
int		 hs_is(const struct hs *, const char *name, const char *s);
/* Whether a comma-separated header holds token s ("deflate"). */
int		 hs_has_token(const struct hs *, const char *name, const char *s);

/* One header to write. */
struct hs_field {
	const char	*name;
	const char	*value;
};

/* Format "GNUTELLA CONNECT/0.6" and the fields; length, or 0 if no room. */
size_t		 hs_format_request(char *, size_t, const struct hs_field *,
		     size_t);
/* Format "GNUTELLA/0.6 <code> <reason>" and the fields. */
size_t		 hs_format_response(char *, size_t, int code, const char *,
		     const struct hs_field *, size_t);

#endif
