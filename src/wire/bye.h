/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * bye.h: Bye (0x02): code (LE) and a NUL-terminated reason. The reason may
 * carry HTTP-style header lines after a CRLF.
 */
#ifndef GNODE_BYE_H
#define GNODE_BYE_H

#include "wire/wire.h"

#define BYE_MAX_LEN	4096	/* gtkg's cap on a whole Bye payload */

struct bye {
	uint16_t	 code;
	const char	*text;		/* not NUL-terminated; textlen bytes */
	size_t		 textlen;
};

/* A missing final NUL is tolerated; text stops at the first NUL. */
enum wire_status bye_decode(const uint8_t *, size_t, struct bye *);
size_t		 bye_encode(const struct bye *, uint8_t *, size_t);

#endif
