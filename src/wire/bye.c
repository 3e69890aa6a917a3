/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * bye.c: the Bye payload, sent once just before a servent drops a link.
 *   code(2, LE) | reason text | NUL
 * Some servents leave out the final NUL, so the decoder takes the text up
 * to the first NUL or to the end of the payload, whichever comes first.
 */
#include <string.h>

#include "wire/bye.h"

/* Decode a Bye; text points into p and is not NUL-terminated. */
enum wire_status
bye_decode(const uint8_t *p, size_t len, struct bye *b)
{
	const uint8_t	*nul;
	size_t		 avail;

	if (len > BYE_MAX_LEN)
		return WIRE_TOOBIG;
	if (len < 2)
		return WIRE_SHORT;
	b->code = peek_le16(p);
	avail = len - 2;
	b->text = (const char *)(p + 2);
	b->textlen = avail;
	if (avail > 0 && (nul = memchr(p + 2, '\0', avail)) != NULL)
		b->textlen = (size_t)(nul - (p + 2));
	return WIRE_OK;
}

/* Encode a Bye with its final NUL; 0 if it cannot be written faithfully. */
size_t
bye_encode(const struct bye *b, uint8_t *out, size_t cap)
{
	size_t	 total;

	/* An embedded NUL would cut the reason short at the peer. */
	if (b->textlen > 0 && memchr(b->text, '\0', b->textlen) != NULL)
		return 0;
	if (b->textlen > BYE_MAX_LEN - 3)
		return 0;
	total = 2 + b->textlen + 1;
	if (total > cap)
		return 0;
	poke_le16(out, b->code);
	if (b->textlen > 0)
		memcpy(out + 2, b->text, b->textlen);
	out[2 + b->textlen] = '\0';
	return total;
}
