/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_addr.c: libFuzzer target for the CIDR reader ([net] scope): the
 * input is one list, as a config line gives it. A range it accepts must
 * have zero host bits and print back to text it accepts again.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct addr_net	 nets[ADDR_NET_MAX], again;
	const char	*bad;
	size_t		 n = 0, badlen, i;
	char		 buf[32];

	(void)addr_cidr_list((const char *)data, size, nets, ADDR_NET_MAX, &n,
	    &bad, &badlen);
	if (n > ADDR_NET_MAX || bad < (const char *)data ||
	    bad + badlen > (const char *)data + size)
		abort();
	for (i = 0; i < n; i++) {
		if ((nets[i].net & ~nets[i].mask) != 0)
			abort();
		addr_net_str(&nets[i], buf, sizeof buf);
		if (addr_cidr_parse(buf, strlen(buf), &again) != 0 ||
		    again.net != nets[i].net || again.mask != nets[i].mask)
			abort();
		(void)addr_class(nets[i].net);
	}
	return 0;
}
