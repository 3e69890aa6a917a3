/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_magnet.c: libFuzzer target for the magnet link parser. A link that
 * parses is formatted and parsed again, which must give the same file,
 * name, size and sources; a link that does not must say why, on one line.
 */
#include <stdlib.h>
#include <string.h>

#include "wire/magnet.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct magnet	 m, again;
	static char		 out[MAGNET_MAX_LEN * 2];
	size_t			 n, i;

	if (magnet_parse((const char *)data, size, &m) != WIRE_OK) {
		if (m.why[0] == '\0' || strpbrk(m.why, "\r\n") != NULL)
			abort();
		return 0;
	}
	if (!m.has_sha1 || m.nsrc > MAGNET_MAX_SOURCES ||
	    strlen(m.name) > MAGNET_NAME_MAX)
		abort();
	/* The name may hold bytes no link can carry back: control bytes
	 * are percent-encoded like the rest, so every name can. */
	if ((n = magnet_format(&m, out, sizeof out)) == 0 || n != strlen(out))
		abort();
	if (magnet_parse(out, n, &again) != WIRE_OK)
		abort();
	if (memcmp(again.sha1, m.sha1, SHA1_LEN) != 0 ||
	    again.has_tth != m.has_tth ||
	    (m.has_tth && memcmp(again.tth, m.tth, TTH_LEN) != 0) ||
	    again.has_name != m.has_name || strcmp(again.name, m.name) != 0 ||
	    again.has_size != m.has_size || again.size != m.size ||
	    again.nsrc != m.nsrc)
		abort();
	for (i = 0; i < m.nsrc; i++)
		if (again.src[i].ip != m.src[i].ip ||
		    again.src[i].port != m.src[i].port)
			abort();
	return 0;
}
