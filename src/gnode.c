/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * gnode.c: main(): command-line flags. The node, its shell and its headless
 * mode grow here as the layers under them land; today the program reports
 * what it is and how it was built.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#include "config.h"
#include "wire/desc.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: gnode [-hV]\n"
	    "\n"
	    "gnode is a Gnutella 0.6 servent.\n"
	    "\n"
	    "  -h, --help      show this help and exit\n"
	    "  -V, --version   show the version and the protocol it speaks, and exit\n"
	    "\n"
	    "See gnode(1) and gnode.conf(5).\n");
}

static void
version(void)
{
	printf("gnode %s\n", PACKAGE_VERSION);
	printf("protocol: Gnutella 0.6, GGEP 0.51, HUGE 0.94, QRP 1.0; "
	    "payloads up to %u bytes\n", (unsigned)DESC_MAX_PAYLOAD);
	printf("zlib %s\n", zlibVersion());
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch;

	while ((ch = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		case 'V':
			version();
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "gnode: unexpected argument: %s\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	fprintf(stderr, "gnode: the node itself is not built yet in this "
	    "version; try --help or --version\n");
	return 1;
}
