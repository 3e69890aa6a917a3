/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * ctl.c: the words of a control request line, taken apart and put back
 * together. Both ends use these, so what ctl_join writes ctl_split reads
 * back word for word. Nothing here allocates or does I/O; every loop is
 * bounded by the length it was given, never by a NUL.
 */
#include <string.h>

#include "ctl/ctl.h"

/* A word needs quotes when it is empty or holds one of these. */
static int
ctl_special(unsigned char ch)
{
	return ch == ' ' || ch == '"' || ch == '\\';
}

/*
 * Split a request line into words. Runs of spaces separate words (a person
 * typing at the socket may use several). A word starting with a double
 * quote runs to the matching quote and may hold spaces, \" and \\; outside
 * quotes a quote or backslash is an error, so there is one way to write
 * each word. When there is room, argv[argc] is set to NULL.
 */
int
ctl_split(const char *line, size_t len, char *store, size_t storelen,
    char **argv, int max, const char **cause)
{
	const unsigned char	*p = (const unsigned char *)line;
	size_t			 i = 0, used = 0;
	int			 argc = 0;
	unsigned char		 ch;

	for (;;) {
		while (i < len && p[i] == ' ')
			i++;
		if (i == len)
			break;
		if (argc >= max) {
			*cause = "too many words";
			return -1;
		}
		argv[argc] = store + used;

		if (p[i] == '"') {
			i++;
			for (;;) {
				if (i == len) {
					*cause = "unterminated quote";
					return -1;
				}
				ch = p[i++];
				if (ch == '"')
					break;
				if (ch < 0x20) {
					*cause = "control character in request";
					return -1;
				}
				if (ch == '\\') {
					if (i == len) {
						*cause = "unterminated quote";
						return -1;
					}
					ch = p[i++];
					if (ch != '"' && ch != '\\') {
						*cause = "bad escape in quotes";
						return -1;
					}
				}
				if (used >= storelen) {
					*cause = "no room for the words";
					return -1;
				}
				store[used++] = (char)ch;
			}
			if (i < len && p[i] != ' ') {
				*cause = "no space after closing quote";
				return -1;
			}
		} else {
			while (i < len && p[i] != ' ') {
				ch = p[i++];
				if (ch < 0x20) {
					*cause = "control character in request";
					return -1;
				}
				if (ch == '"' || ch == '\\') {
					*cause = "quote or backslash inside a "
					    "word (quote the word)";
					return -1;
				}
				if (used >= storelen) {
					*cause = "no room for the words";
					return -1;
				}
				store[used++] = (char)ch;
			}
		}
		if (used >= storelen) {
			*cause = "no room for the words";
			return -1;
		}
		store[used++] = '\0';
		argc++;
	}
	if (argc < max)
		argv[argc] = NULL;
	return argc;
}

/*
 * Join words into one request line ending in a newline. The output is also
 * NUL-terminated, so cap must leave room for that NUL; the count returned
 * leaves it out.
 */
size_t
ctl_join(int argc, char *const *argv, char *out, size_t cap)
{
	const unsigned char	*w;
	size_t			 n = 0, k, wlen;
	int			 i, quote;

	for (i = 0; i < argc; i++) {
		w = (const unsigned char *)argv[i];
		wlen = strlen(argv[i]);
		quote = wlen == 0;
		for (k = 0; k < wlen; k++) {
			if (w[k] < 0x20)
				return 0;
			if (ctl_special(w[k]))
				quote = 1;
		}

		if (i > 0) {
			if (n >= cap)
				return 0;
			out[n++] = ' ';
		}
		if (!quote) {
			if (wlen > cap || n > cap - wlen)
				return 0;
			memcpy(out + n, w, wlen);
			n += wlen;
			continue;
		}
		if (n >= cap)
			return 0;
		out[n++] = '"';
		for (k = 0; k < wlen; k++) {
			if (w[k] == '"' || w[k] == '\\') {
				if (n >= cap)
					return 0;
				out[n++] = '\\';
			}
			if (n >= cap)
				return 0;
			out[n++] = (char)w[k];
		}
		if (n >= cap)
			return 0;
		out[n++] = '"';
	}
	if (cap - n < 2)
		return 0;
	out[n++] = '\n';
	out[n] = '\0';
	return n;
}
