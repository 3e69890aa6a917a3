/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * qrt.c: building the QRP table from the index's names.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"
#include "wire/norm.h"
#include "share/qrt.h"
#include "wire/qrp.h"

/* Byte length of the first n characters of a word. */
static size_t
qrt_prefix_bytes(const char *w, size_t len, size_t n)
{
	size_t	 i, k = 0;

	for (i = 0; i < len; i++) {
		if (((unsigned char)w[i] & 0xc0) != 0x80 && k++ == n)
			return i;
	}
	return len;
}

static void
qrt_set(struct qrt *t, const char *w, size_t len)
{
	uint32_t	 h = qrp_hash(w, len, t->bits);

	t->words++;
	if (!t->present[h]) {
		t->present[h] = 1;
		t->filled++;
	}
}

/* A word and its truncations down to QRT_MIN_WORD characters. */
static void
qrt_word(void *arg, const char *w, size_t len)
{
	struct qrt	*t = arg;
	size_t		 chars = norm_chars(w, len), cut;

	if (chars < QRT_MIN_WORD)
		return;
	qrt_set(t, w, len);
	for (cut = 1; cut <= QRT_MAX_CUTS && chars - cut >= QRT_MIN_WORD; cut++)
		qrt_set(t, w, qrt_prefix_bytes(w, len, chars - cut));
}

static void
qrt_name(void *arg, const char *name, size_t len)
{
	norm_words(name, len, qrt_word, arg);
}

/* Build the table of the share's hashed files. */
int
qrt_build(struct share *sh, unsigned bits, struct qrt *t)
{
	memset(t, 0, sizeof *t);
	t->bits = bits;
	t->present = xcalloc((size_t)1 << bits, 1);
	if (share_each_name(sh, qrt_name, t) != 0) {
		qrt_free(t);
		return -1;
	}
	return 0;
}

struct qrt_probe {
	const struct qrt	*t;
	int			 all;
	int			 any;
};

static void
qrt_probe_word(void *arg, const char *w, size_t len)
{
	struct qrt_probe	*p = arg;

	if (norm_chars(w, len) < QRT_MIN_WORD)
		return;
	p->any = 1;
	if (!p->t->present[qrp_hash(w, len, p->t->bits)])
		p->all = 0;
}

/* Whether every keyword of a query could be in the table. */
int
qrt_has(const struct qrt *t, const char *s, size_t len)
{
	struct qrt_probe	 p = { t, 1, 0 };

	norm_words(s, len, qrt_probe_word, &p);
	return p.any && p.all;
}

/* The PATCH data for a fresh table: present slots go from infinity to 1. */
size_t
qrt_patch(const struct qrt *t, uint8_t infinity, uint8_t *out, size_t cap)
{
	size_t		 slots = (size_t)1 << t->bits, i, n;
	uint8_t		*nib = xcalloc(slots / 2, 1);
	uint8_t		 d = (uint8_t)((1 - (int)infinity) & 0x0f);

	for (i = 0; i < slots; i++)
		if (t->present[i])
			nib[i / 2] |= (i & 1) ? d : (uint8_t)(d << 4);
	n = qrp_deflate(nib, slots / 2, out, cap);
	free(nib);
	return n;
}

void
qrt_free(struct qrt *t)
{
	free(t->present);
	t->present = NULL;
}
