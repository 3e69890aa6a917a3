/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * norm.h: how names and queries become keywords, the way Gnutella keyword
 * matching expects: UTF-8 decoded, lower-cased, Latin accents folded (é ->
 * e, ß -> ss), split on anything that is not a letter or digit (punctuation,
 * underscores, spaces); invalid UTF-8 bytes separate words too.
 */
#ifndef GNODE_NORM_H
#define GNODE_NORM_H

#include <stddef.h>

#define NORM_WORD_MAX	256	/* longer words are cut */

/* Call fn with each normalised word (not NUL-terminated); returns how many.
 * Bounded by len; never reads past it. */
size_t	 norm_words(const char *, size_t,
	    void (*fn)(void *, const char *, size_t), void *arg);
/* Characters (UTF-8 code points) in a normalised word. */
size_t	 norm_chars(const char *, size_t);
/* Whether s[len] is valid UTF-8. */
int	 norm_utf8_valid(const char *, size_t);

#endif
