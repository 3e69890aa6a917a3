/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_norm.c: libFuzzer target for query-text normalisation and keyword
 * matching. The input is split into words; each word must be at most
 * NORM_WORD_MAX code points, valid UTF-8, and normalise again to itself
 * alone. The input is then searched in a share index held in memory (a
 * few hashed files, made once), as a query's text is: share_find must
 * answer or refuse, never fail in SQLite, whatever FTS syntax it holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/norm.h"
#include "share/share.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fz_words {
	size_t		 n;
	const char	*w;		/* the word normalised again, or NULL */
	size_t		 len;
};

static void
fz_again(void *arg, const char *w, size_t len)
{
	struct fz_words	*fw = arg;

	if (fw->n++ == 0 && (len != fw->len || memcmp(w, fw->w, len) != 0))
		abort();
}

static void
fz_word(void *arg, const char *w, size_t len)
{
	struct fz_words	 again;

	(void)arg;
	if (len == 0 || norm_chars(w, len) > NORM_WORD_MAX ||
	    !norm_utf8_valid(w, len))
		abort();
	memset(&again, 0, sizeof again);
	again.w = w;
	again.len = len;
	if (norm_words(w, len, fz_again, &again) != 1 || again.n != 1)
		abort();
}

static struct share *
fz_share(void)
{
	static struct share	*sh;
	static const char	*names[] = {
		"Fuzz Song.mp3", "fuzz_über_größe.ogg", "Ærø - ça va.flac",
		"a b c d.txt", "NEAR AND OR NOT.txt", "\"quoted\" *star*.bin",
	};
	struct share_file	 f;
	char			 path[64];
	char			*cause;
	size_t			 i;

	if (sh != NULL)
		return sh;
	if ((sh = share_open(":memory:", &cause)) == NULL)
		abort();
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		memset(&f, 0, sizeof f);
		snprintf(path, sizeof path, "/fuzz/%zu", i);
		f.path = path;
		f.name = names[i];
		f.size = 1000 + i;
		memset(f.sha1, (int)i + 1, sizeof f.sha1);
		f.has_sha1 = 1;
		if (share_put(sh, &f, 1) != 0)
			abort();
	}
	return sh;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct share_file	 out[8];
	const char		*cause;
	long			 n;

	(void)norm_words((const char *)data, size, fz_word, NULL);
	/* A query's text is at most QUERY_MAX_TEXT bytes by the time it is
	 * matched; the index is asked for what a peer can make it ask. */
	if (size > 4096)
		return 0;
	n = share_find(fz_share(), (const char *)data, size, out, 8, &cause);
	/* Refusing too many keywords is the only failure text may cause. */
	if (n < -1 || n > 8 ||
	    (n == -1 && strcmp(cause, "too many keywords") != 0))
		abort();
	return 0;
}
