/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * testutil.c: hex vectors and golden files for the Check suites. Data files
 * are found under $top_srcdir/tests/data (set by make check), or ./tests/data.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

static int
tu_nibble(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

long
tu_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t	 n = 0;
	int	 hi, lo;

	while (*s != '\0') {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if ((hi = tu_nibble(s[0])) < 0 || s[1] == '\0' ||
		    (lo = tu_nibble(s[1])) < 0 || n >= cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return (long)n;
}

size_t
tu_file(const char *name, uint8_t *out, size_t cap)
{
	const char	*top = getenv("top_srcdir");
	char		 path[4096];
	FILE		*fp;
	size_t		 n;

	snprintf(path, sizeof path, "%s/tests/data/%s", top ? top : ".", name);
	if ((fp = fopen(path, "rb")) == NULL) {
		perror(path);
		abort();
	}
	n = fread(out, 1, cap, fp);
	if (!feof(fp) && n == cap) {
		fprintf(stderr, "%s: larger than %zu bytes\n", path, cap);
		abort();
	}
	fclose(fp);
	return n;
}

size_t
tu_vector(const char *name, uint8_t *out, size_t cap)
{
	static char	 text[1 << 18];
	size_t		 n;
	long		 r;

	n = tu_file(name, (uint8_t *)text, sizeof text - 1);
	text[n] = '\0';
	if ((r = tu_hex(text, out, cap)) < 0) {
		fprintf(stderr, "%s: bad hex\n", name);
		abort();
	}
	return (size_t)r;
}
