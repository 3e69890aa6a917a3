/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * json.h: a small streaming JSON writer for command output. Commas and
 * escaping are its business; the caller says what goes where.
 */
#ifndef GNODE_JSON_H
#define GNODE_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH	16

struct json {
	FILE		*fp;
	int		 depth;
	int		 first[JSON_DEPTH];	/* no member written yet */
};

void	json_init(struct json *, FILE *);
void	json_open(struct json *, const char *key);	/* { ; key NULL in arrays */
void	json_close(struct json *);			/* } */
void	json_array(struct json *, const char *key);	/* [ */
void	json_end(struct json *);			/* ] */
void	json_str(struct json *, const char *key, const char *);
/* A string of len bytes; invalid UTF-8 bytes become U+FFFD. */
void	json_strn(struct json *, const char *key, const char *, size_t);
void	json_int(struct json *, const char *key, int64_t);
void	json_uint(struct json *, const char *key, uint64_t);
void	json_double(struct json *, const char *key, double);
void	json_bool(struct json *, const char *key, int);

#endif
