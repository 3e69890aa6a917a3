/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_hs.c: libFuzzer target for the handshake parser. Whatever parses is
 * looked up, written back with the formatter and parsed again; the second
 * parse must give the same headers, or the formatter and parser disagree.
 */
#include <stdlib.h>
#include <string.h>

#include "wire/hs.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Longest line in a formatted block, CRLF excluded. */
static size_t
longest_line(const char *p, size_t n)
{
	size_t	 i, start = 0, max = 0;

	for (i = 0; i < n; i++) {
		if (p[i] != '\n')
			continue;
		if (i - start > max)
			max = i - start;
		start = i + 1;
	}
	return max > 0 ? max - 1 : 0;
}

/* Parse, look up, format and parse again. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hs	 hs, again;
	static struct hs_field	 f[HS_MAX_HEADERS];
	static char		 out[2 * HS_MAX_BLOCK + HS_MAX_HEADERS * 4];
	enum wire_status	 st;
	size_t			 used, used2, n, i;

	if (hs_parse(data, size, &hs, &used) != WIRE_OK)
		return 0;
	if (used > size || used > HS_MAX_BLOCK || hs.storelen > HS_MAX_BLOCK)
		abort();

	(void)hs_get(&hs, "User-Agent");
	(void)hs_is(&hs, "X-Ultrapeer", "True");
	(void)hs_has_token(&hs, "Accept-Encoding", "deflate");
	(void)hs_has_token(&hs, "X-Features", "tls/1.0");
	if (hs.nhdr > 0 && hs_get(&hs, hs.hdr[0].name) != hs.hdr[0].value)
		abort();

	for (i = 0; i < hs.nhdr; i++) {
		f[i].name = hs.hdr[i].name;
		f[i].value = hs.hdr[i].value;
	}
	if (hs.kind == HS_REQUEST)
		n = hs_format_request(out, sizeof out, f, hs.nhdr);
	else
		n = hs_format_response(out, sizeof out, hs.code, hs.reason, f,
		    hs.nhdr);
	if (n == 0 || n >= sizeof out)
		abort();

	st = hs_parse((const uint8_t *)out, n, &again, &used2);
	if (st != WIRE_OK) {
		/* "N:v\n" grows to "N: v\r\n", folds join: limits may trip. */
		if (st == WIRE_TOOBIG &&
		    (n > HS_MAX_BLOCK || longest_line(out, n) > HS_MAX_LINE))
			return 0;
		abort();
	}
	if (used2 != n || again.kind != hs.kind || again.nhdr != hs.nhdr)
		abort();
	if (hs.kind == HS_RESPONSE && (again.code != hs.code ||
	    strcmp(again.reason, hs.reason) != 0))
		abort();
	for (i = 0; i < hs.nhdr; i++)
		if (strcmp(again.hdr[i].name, hs.hdr[i].name) != 0 ||
		    strcmp(again.hdr[i].value, hs.hdr[i].value) != 0)
			abort();
	return 0;
}
