/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_ctl.c: libFuzzer target for the control socket's request line.
 * Whatever splits is joined back into a line and split again; the words
 * must come back the same, or ctl_join writes something ctl_split reads
 * differently. The input is copied to a buffer of exactly its size, so a
 * read past len trips ASan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A quoted word at worst doubles, plus its quotes and a space. */
#define FUZZ_CTL_JOINED	(2 * CTL_MAX_LINE + 3 * CTL_MAX_ARGS + 2)

/* Split, join, split again and compare. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	 store[CTL_MAX_LINE + 1], store2[FUZZ_CTL_JOINED];
	static char	 joined[FUZZ_CTL_JOINED];
	char		*argv[CTL_MAX_ARGS + 1], *again[CTL_MAX_ARGS + 1];
	char		*line;
	const char	*cause = NULL;
	size_t		 n;
	int		 argc, argc2, i;

	if (size > CTL_MAX_LINE)
		return 0;
	line = malloc(size > 0 ? size : 1);
	if (line == NULL)
		return 0;
	memcpy(line, data, size);
	argc = ctl_split(line, size, store, sizeof store, argv, CTL_MAX_ARGS,
	    &cause);
	free(line);
	if (argc < 0) {
		if (cause == NULL)
			abort();
		return 0;
	}
	if (argc > CTL_MAX_ARGS || (argc < CTL_MAX_ARGS && argv[argc] != NULL))
		abort();

	n = ctl_join(argc, argv, joined, sizeof joined);
	if (n == 0 || n >= sizeof joined || joined[n - 1] != '\n' ||
	    joined[n] != '\0')
		abort();
	argc2 = ctl_split(joined, n - 1, store2, sizeof store2, again,
	    CTL_MAX_ARGS, &cause);
	if (argc2 != argc)
		abort();
	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], again[i]) != 0)
			abort();
	return 0;
}
