/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * base32.c: RFC 4648 base32 without padding.
 */
#include "lib/base32.h"

static const char b32_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* Each valid character's value with bit 7 set (either case); 0 marks an
 * invalid one, so a group's validity is the AND of its entries' bit 7. */
#define V(x)	(0x80 | (x))
static const uint8_t b32_tab[256] = {
	['A'] = V(0), ['a'] = V(0), ['B'] = V(1), ['b'] = V(1),
	['C'] = V(2), ['c'] = V(2), ['D'] = V(3), ['d'] = V(3),
	['E'] = V(4), ['e'] = V(4), ['F'] = V(5), ['f'] = V(5),
	['G'] = V(6), ['g'] = V(6), ['H'] = V(7), ['h'] = V(7),
	['I'] = V(8), ['i'] = V(8), ['J'] = V(9), ['j'] = V(9),
	['K'] = V(10), ['k'] = V(10), ['L'] = V(11), ['l'] = V(11),
	['M'] = V(12), ['m'] = V(12), ['N'] = V(13), ['n'] = V(13),
	['O'] = V(14), ['o'] = V(14), ['P'] = V(15), ['p'] = V(15),
	['Q'] = V(16), ['q'] = V(16), ['R'] = V(17), ['r'] = V(17),
	['S'] = V(18), ['s'] = V(18), ['T'] = V(19), ['t'] = V(19),
	['U'] = V(20), ['u'] = V(20), ['V'] = V(21), ['v'] = V(21),
	['W'] = V(22), ['w'] = V(22), ['X'] = V(23), ['x'] = V(23),
	['Y'] = V(24), ['y'] = V(24), ['Z'] = V(25), ['z'] = V(25),
	['2'] = V(26), ['3'] = V(27), ['4'] = V(28), ['5'] = V(29),
	['6'] = V(30), ['7'] = V(31),
};
#undef V

/* Encode n bytes as base32 without padding. Whole 5-byte groups go as one
 * 40-bit word into 8 characters; the tail bit by bit. */
size_t
base32_encode(const uint8_t *src, size_t n, char *out, size_t cap)
{
	size_t		 need = BASE32_LEN(n), o = 0, i = 0;
	uint64_t	 w;
	uint32_t	 acc = 0;
	unsigned	 bits = 0;
	int		 k;

	if (cap < need)
		return 0;
	for (; i + 5 <= n; i += 5) {
		w = (uint64_t)src[i] << 32 | (uint64_t)src[i + 1] << 24 |
		    (uint64_t)src[i + 2] << 16 | (uint64_t)src[i + 3] << 8 |
		    src[i + 4];
		for (k = 7; k >= 0; k--)
			out[o + 7 - k] = b32_alpha[(w >> (k * 5)) & 0x1f];
		o += 8;
	}
	for (; i < n; i++) {
		acc = (acc << 8) | src[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = b32_alpha[(acc >> bits) & 0x1f];
		}
	}
	if (bits > 0)
		out[o++] = b32_alpha[(acc << (5 - bits)) & 0x1f];
	if (o < cap)
		out[o] = '\0';
	return o;
}

/* Decode base32; the leftover bits of the last character must be zero. */
long
base32_decode(const char *src, size_t n, uint8_t *out, size_t cap)
{
	const uint8_t	*s = (const uint8_t *)src;
	size_t		 o = 0, i = 0;
	uint64_t	 w;
	uint32_t	 acc = 0;
	unsigned	 bits = 0, v, ok;

	if (cap < n * 5 / 8)
		return -1;
	/* Whole groups: 8 characters, 40 bits, 5 bytes. */
	for (; i + 8 <= n; i += 8) {
		const uint8_t	 v0 = b32_tab[s[i]], v1 = b32_tab[s[i + 1]],
				 v2 = b32_tab[s[i + 2]], v3 = b32_tab[s[i + 3]],
				 v4 = b32_tab[s[i + 4]], v5 = b32_tab[s[i + 5]],
				 v6 = b32_tab[s[i + 6]], v7 = b32_tab[s[i + 7]];

		ok = v0 & v1 & v2 & v3 & v4 & v5 & v6 & v7 & 0x80;
		if (ok == 0)
			return -1;
		w = (uint64_t)(v0 & 0x1f) << 35 | (uint64_t)(v1 & 0x1f) << 30 |
		    (uint64_t)(v2 & 0x1f) << 25 | (uint64_t)(v3 & 0x1f) << 20 |
		    (uint64_t)(v4 & 0x1f) << 15 | (uint64_t)(v5 & 0x1f) << 10 |
		    (uint64_t)(v6 & 0x1f) << 5 | (uint64_t)(v7 & 0x1f);
		out[o] = (uint8_t)(w >> 32);
		out[o + 1] = (uint8_t)(w >> 24);
		out[o + 2] = (uint8_t)(w >> 16);
		out[o + 3] = (uint8_t)(w >> 8);
		out[o + 4] = (uint8_t)w;
		o += 5;
	}
	for (; i < n; i++) {
		if ((v = b32_tab[s[i]]) == 0)
			return -1;
		acc = (acc << 5) | (v & 0x1f);
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (bits >= 5 || (acc & ((1u << bits) - 1)) != 0)
		return -1;
	return (long)o;
}
