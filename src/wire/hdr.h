/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * hdr.h: the "Name: value" header block that the Gnutella handshake (hs.c)
 * and HTTP (http.c) have in common: line splitting on LF or CRLF, folding,
 * the limits of hs.h, the string store inside struct hs, and writing fields
 * that cannot inject a line. Each protocol brings its own start-line parser.
 * This is plumbing for wire/ only; other layers include hs.h or http.h.
 */
#ifndef GNODE_HDR_H
#define GNODE_HDR_H

#include <string.h>

#include "wire/hs.h"

/*
 * A start-line parser. It sees the first line without its line end, and
 * complete says whether the line end has arrived. While an unfinished line
 * can still become valid it returns WIRE_SHORT.
 */
struct hdr_start {
	enum wire_status (*fn)(struct hs *, const uint8_t *, size_t,
			    int complete, void *arg);
	void		 *arg;
};

/* Control characters never belong on a line; tab is whitespace. */
static inline int
hdr_isctl(uint8_t c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

static inline int
hdr_isspace(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static inline int
hdr_isdigit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* RFC 9110 tchar: what a header name or HTTP method may be made of. */
static inline int
hdr_istoken(uint8_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || hdr_isdigit(c))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Parse a start line and header block up to and including the blank line. */
enum wire_status hdr_parse(const uint8_t *, size_t, struct hs *,
		    const struct hdr_start *, size_t *used);
/* Trim spaces and tabs at both ends of [*p, *p + *n). */
void		 hdr_trim(const uint8_t **, size_t *);
/* Copy n bytes and a NUL into hs->store; NULL if it is full. */
const char	*hdr_save(struct hs *, const uint8_t *, size_t);
/* Read min..max digits at *i; WIRE_SHORT if an unfinished line ends there. */
enum wire_status hdr_digits(const uint8_t *, size_t, size_t *, int complete,
		    size_t min, size_t max, int *);
/* Match a literal at *i; a partial match on an unfinished line waits. */
enum wire_status hdr_literal(const uint8_t *, size_t, size_t *, int complete,
		    const char *);
/* The " <code> [reason]" end of a status line, from *i to the end. */
enum wire_status hdr_status(struct hs *, const uint8_t *, size_t, size_t *,
		    int complete);

/* Append n bytes at *off if they fit; -1 if not. */
int		 hdr_put(char *, size_t, size_t *, const char *, size_t);
/* Whether text may go on a line: no CR, LF or other control character. */
int		 hdr_oktext(const char *);
/* Whether a string is a non-empty token (a header name, a method). */
int		 hdr_okname(const char *);
/* Write the fields and the blank line after a start line at off; 0 if not. */
size_t		 hdr_format_fields(char *, size_t, size_t,
		    const struct hs_field *, size_t);
/* Write "<proto> <code>[ <reason>]", the fields and the blank line. */
size_t		 hdr_format_status(char *, size_t, const char *, int,
		    const char *, const struct hs_field *, size_t);

#endif
