/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_conf.c: libFuzzer target for the config file: the input is the file
 * (held in a memfd, read through /proc/self/fd as conf_load reads a path),
 * loaded over the defaults; what loads is checked across keys and its
 * derived paths made. Whatever fails must say why; all is freed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf/conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 fd = -1;
	static char	 path[64];
	struct conf	 c;
	char		*cause = NULL, *p;

	if (fd == -1) {
		if ((fd = memfd_create("fuzz_conf", 0)) == -1)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	conf_defaults(&c);
	if (conf_load(&c, path, &cause) != 0) {
		if (cause == NULL)
			abort();
		free(cause);
	} else if (conf_check(&c, &cause) != 0) {
		if (cause == NULL)
			abort();
		free(cause);
	} else {
		free(conf_db_path(&c));
		if ((p = conf_control_path(&c)) == NULL)
			abort();
		free(p);
	}
	conf_free(&c);
	return 0;
}
