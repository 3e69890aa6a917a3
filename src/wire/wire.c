/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * wire.c: names for the codec's statuses, for log lines and test failures.
 */
#include <string.h>

#include "wire/wire.h"

/* A prefix in ASCII case folding. */
int
wire_prefix(const char *s, size_t len, const char *pfx)
{
	size_t	 i, n = strlen(pfx);
	char	 c;

	if (len < n)
		return 0;
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != pfx[i])
			return 0;
	}
	return 1;
}

/* Return a short constant description of a codec status. */
const char *
wire_strstatus(enum wire_status s)
{
	switch (s) {
	case WIRE_OK:		return "ok";
	case WIRE_SHORT:	return "truncated";
	case WIRE_TOOBIG:	return "too large";
	case WIRE_BADTYPE:	return "unknown type";
	case WIRE_MALFORMED:	return "malformed field";
	case WIRE_BADGGEP:	return "bad GGEP framing";
	case WIRE_BADCOBS:	return "bad COBS encoding";
	case WIRE_BADZLIB:	return "bad deflate data";
	case WIRE_NOSPACE:	return "output buffer too small";
	case WIRE_END:		return "end";
	}
	return "unknown status";
}
