/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * json.c: JSON output with RFC 8259 escaping. File names are bytes, not
 * always UTF-8: bytes that do not form valid UTF-8 are written as U+FFFD so
 * the document stays valid.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "lib/json.h"

void
json_init(struct json *j, FILE *fp)
{
	j->fp = fp;
	j->depth = 0;
	j->first[0] = 1;
}

/* Length of the valid UTF-8 sequence at s[len], or 0. */
static size_t
json_utf8(const unsigned char *s, size_t len)
{
	uint32_t	 cp;
	size_t		 n, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static void
json_quote(struct json *j, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;

	fputc('"', j->fp);
	while (i < len) {
		switch (p[i]) {
		case '"':	fputs("\\\"", j->fp); i++; continue;
		case '\\':	fputs("\\\\", j->fp); i++; continue;
		case '\n':	fputs("\\n", j->fp); i++; continue;
		case '\r':	fputs("\\r", j->fp); i++; continue;
		case '\t':	fputs("\\t", j->fp); i++; continue;
		}
		if (p[i] < 0x20) {
			fprintf(j->fp, "\\u%04x", p[i]);
			i++;
			continue;
		}
		if ((n = json_utf8(p + i, len - i)) == 0) {
			fputs("\\ufffd", j->fp);
			i++;
			continue;
		}
		fwrite(p + i, 1, n, j->fp);
		i += n;
	}
	fputc('"', j->fp);
}

static void
json_key(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->fp);
	j->first[j->depth] = 0;
	if (key != NULL) {
		json_quote(j, key, strlen(key));
		fputc(':', j->fp);
	}
}

static void
json_push(struct json *j, const char *key, int c)
{
	json_key(j, key);
	fputc(c, j->fp);
	if (j->depth < JSON_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = 1;
}

static void
json_pop(struct json *j, int c)
{
	fputc(c, j->fp);
	if (j->depth > 0)
		j->depth--;
	if (j->depth == 0)
		fputc('\n', j->fp);
}

void
json_open(struct json *j, const char *key)
{
	json_push(j, key, '{');
}

void
json_close(struct json *j)
{
	json_pop(j, '}');
}

void
json_array(struct json *j, const char *key)
{
	json_push(j, key, '[');
}

void
json_end(struct json *j)
{
	json_pop(j, ']');
}

void
json_str(struct json *j, const char *key, const char *s)
{
	json_strn(j, key, s, strlen(s));
}

void
json_strn(struct json *j, const char *key, const char *s, size_t len)
{
	json_key(j, key);
	json_quote(j, s, len);
}

void
json_int(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	fprintf(j->fp, "%" PRId64, v);
}

void
json_uint(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	fprintf(j->fp, "%" PRIu64, v);
}

/* Non-finite numbers have no JSON form: they are written as null. */
void
json_double(struct json *j, const char *key, double v)
{
	json_key(j, key);
	if (isfinite(v))
		fprintf(j->fp, "%.6g", v);
	else
		fputs("null", j->fp);
}

void
json_bool(struct json *j, const char *key, int v)
{
	json_key(j, key);
	fputs(v ? "true" : "false", j->fp);
}
