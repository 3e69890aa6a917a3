/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_giv.c: libFuzzer target for what firewalled transfers read from
 * peers: the first byte picks a decoder for the rest.
 *   0: a GIV line: one that parses is written back and parses to the same
 *      index and GUID (the name as given, or "file");
 *   1: a push-proxy request target (NUL-terminated copy): one that parses
 *      is formatted with its GUID and parses back to it;
 *   2: a GGEP PUSH proxy list: what decodes encodes back to the same bytes
 *      when no entry was skipped;
 *   3: a LIME/22 ack body, v1 and v2;
 *   4: an X-Falt value (an exact-size copy, no NUL): every entry it gives
 *      is formatted and parses back the same; and, NUL-terminated, an
 *      X-Features value asked for "fwalt".
 */
#include <stdlib.h>
#include <string.h>

#include "wire/giv.h"
#include "wire/vmsg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_giv_line(const uint8_t *p, size_t n)
{
	char		 out[GIV_NAME_MAX + 128], *name;
	struct giv	 gv, back;
	size_t		 len;

	if (giv_parse((const char *)p, n, &gv) != WIRE_OK)
		return;
	if ((const uint8_t *)gv.name < p || gv.name + gv.namelen > (const char *)p + n)
		abort();
	if ((name = malloc(gv.namelen + 1)) == NULL)
		abort();
	memcpy(name, gv.name, gv.namelen);
	name[gv.namelen] = '\0';
	len = giv_format(out, sizeof out, gv.index, gv.guid, name);
	free(name);
	if (len < 4 || out[len - 1] != '\n' || out[len - 2] != '\n' ||
	    giv_parse(out, len - 2, &back) != WIRE_OK ||
	    back.index != gv.index || memcmp(back.guid, gv.guid, 16) != 0 ||
	    memchr(back.name, '\n', back.namelen) != NULL)
		abort();
}

static void
fuzz_giv_target(const uint8_t *p, size_t n)
{
	struct pproxy_req	 r, back;
	char			*s, t[128];

	if ((s = malloc(n + 1)) == NULL)
		abort();
	memcpy(s, p, n);
	s[n] = '\0';
	if (pproxy_parse_target(s, &r) == 1) {
		if (pproxy_format_target(t, sizeof t, r.guid) == 0 ||
		    pproxy_parse_target(t, &back) != 1 ||
		    memcmp(back.guid, r.guid, 16) != 0)
			abort();
	}
	free(s);
}

static void
fuzz_giv_list(const uint8_t *p, size_t n)
{
	uint32_t	 ip[64];
	uint16_t	 port[64];
	uint8_t		 out[6 * 64];
	size_t		 k, len;

	k = pproxy_list_decode(p, n, ip, port, 64);
	if (k > 64 || (n % 6 != 0 && k != 0))
		abort();
	len = pproxy_list_encode(ip, port, k, out, sizeof out);
	if (len != 6 * k)
		abort();
	if (k == n / 6 && memcmp(out, p, len) != 0)
		abort();
}

static void
fuzz_giv_ack(const uint8_t *p, size_t n)
{
	struct vmsg	 vm;
	uint32_t	 ip;
	uint16_t	 port;
	uint16_t	 v;

	memset(&vm, 0, sizeof vm);
	vm.body = p;
	vm.bodylen = n;
	for (v = 1; v <= 2; v++) {
		vm.version = v;
		if (vmsg_pproxy_ack_decode(&vm, &ip, &port) == WIRE_OK &&
		    (n < (v == 1 ? 2u : 6u) || (v == 1 && ip != 0)))
			abort();
	}
}

static void
fuzz_giv_falt(const uint8_t *p, size_t n)
{
	struct falt	 f[8], back[8];
	char		*s, out[8 * 160];
	size_t		 k, i, j, len;

	if ((s = malloc(n + 1)) == NULL)
		abort();
	memcpy(s, p, n);
	k = falt_parse(s, n, f, 8);
	if (k > 8)
		abort();
	for (i = 0; i < k; i++) {
		if (f[i].npp > FALT_PROXIES || (f[i].ip != 0) != (f[i].port != 0))
			abort();
		for (j = 0; j < f[i].npp; j++)
			if (f[i].pp[j].ip == 0 || f[i].pp[j].port == 0)
				abort();
	}
	len = falt_format(out, sizeof out, f, k);
	if (len != strlen(out) || falt_parse(out, len, back, 8) != k)
		abort();
	for (i = 0; i < k; i++) {
		if (memcmp(back[i].guid, f[i].guid, 16) != 0 ||
		    back[i].ip != f[i].ip || back[i].port != f[i].port ||
		    back[i].npp != f[i].npp)
			abort();
		for (j = 0; j < f[i].npp; j++)
			if (back[i].pp[j].ip != f[i].pp[j].ip ||
			    back[i].pp[j].port != f[i].pp[j].port)
				abort();
	}
	s[n] = '\0';
	(void)http_has_feature(s, "fwalt");
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 5) {
	case 0:
		fuzz_giv_line(data + 1, size - 1);
		break;
	case 1:
		fuzz_giv_target(data + 1, size - 1);
		break;
	case 2:
		fuzz_giv_list(data + 1, size - 1);
		break;
	case 3:
		fuzz_giv_ack(data + 1, size - 1);
		break;
	default:
		fuzz_giv_falt(data + 1, size - 1);
		break;
	}
	return 0;
}
