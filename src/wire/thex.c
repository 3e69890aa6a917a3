/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * thex.c: THEX replies as DIME messages. The encoder writes them as
 * gtk-gnutella does: the XML record first (MB), the tree record last (ME),
 * its id the XML's uri. The decoder walks every record within the length
 * and takes the XML and tree records by type, as servents differ in order
 * and ids; the XML is read with a small bounded scanner of tags and
 * attributes that knows the three elements it needs and skips everything
 * else (declarations, comments, unknown elements).
 */
#include <string.h>

#include "wire/thex.h"

#define DIME_HDR_LEN	12
#define DIME_VERSION	1
#define DIME_MB		0x04		/* first record of the message */
#define DIME_ME		0x02		/* last record of the message */
#define DIME_CF		0x01		/* data continues in the next record */
#define DIME_T_MEDIA	0x01		/* type is a media type (RFC 2616) */
#define DIME_T_URI	0x02		/* type is an absolute URI */
#define DIME_T_MAX	0x04		/* higher type formats are reserved */
#define DIME_PAD(n)	(((uint64_t)(n) + 3) & ~(uint64_t)3)

#define THEX_XML_TYPE	"text/xml"

/* Output that counts what it would write, and writes while it fits. */
struct thex_out {
	uint8_t		*p;		/* NULL: count only */
	size_t		 cap;
	uint64_t	 len;
};

/* One DIME record; pointers into the message. */
struct thex_rec {
	uint8_t		 flags;
	const uint8_t	*id;
	size_t		 idlen;
	const uint8_t	*type;
	size_t		 typelen;
	const uint8_t	*data;
	size_t		 datalen;
};

/* What the XML scanner is inside. */
enum thex_elem {
	THEX_E_OTHER,		/* anything else, or a second of a kind */
	THEX_E_FILE,		/* <file size segmentsize> */
	THEX_E_DIGEST,		/* <digest algorithm outputsize> */
	THEX_E_TREE,		/* <serializedtree depth type uri> */
};

struct thex_xml {
	unsigned	 seen;		/* 1 << enum thex_elem, first one wins */
	int		 have_size;
	int		 have_depth;
};

static void
thex_put(struct thex_out *o, const void *s, size_t n)
{
	if (o->p != NULL && o->len <= o->cap && n <= o->cap - o->len &&
	    n > 0)
		memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void
thex_puts(struct thex_out *o, const char *s)
{
	thex_put(o, s, strlen(s));
}

static void
thex_put_u64(struct thex_out *o, uint64_t v)
{
	char	 digits[20];
	size_t	 i = sizeof digits;

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	thex_put(o, digits + i, sizeof digits - i);
}

static void
thex_pad(struct thex_out *o, size_t n)
{
	static const uint8_t	 zero[3];

	thex_put(o, zero, (size_t)(DIME_PAD(n) - n));
}

static void
thex_header(struct thex_out *o, uint8_t flags, uint8_t tnf, size_t idlen,
    size_t typelen, uint32_t datalen)
{
	uint8_t	 h[DIME_HDR_LEN];

	h[0] = (uint8_t)(DIME_VERSION << 3 | flags);
	h[1] = (uint8_t)(tnf << 4);
	poke_be16(h + 2, 0);			/* no options */
	poke_be16(h + 4, (uint16_t)idlen);
	poke_be16(h + 6, (uint16_t)typelen);
	poke_be32(h + 8, datalen);
	thex_put(o, h, sizeof h);
}

/* The <hashtree> document, as the THEX draft lays it out. */
static void
thex_xml_put(struct thex_out *o, uint64_t filesize, unsigned depth,
    const char *uri)
{
	thex_puts(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
	    "<!DOCTYPE hashtree SYSTEM "
	    "\"http://open-content.net/spec/thex/thex.dtd\">\r\n"
	    "<hashtree>\r\n<file size=\"");
	thex_put_u64(o, filesize);
	thex_puts(o, "\" segmentsize=\"1024\"/>\r\n"
	    "<digest algorithm=\"" THEX_DIGEST "\" outputsize=\"24\"/>\r\n"
	    "<serializedtree depth=\"");
	thex_put_u64(o, depth);
	thex_puts(o, "\" type=\"" THEX_TREE_TYPE "\"");
	if (uri != NULL) {
		thex_puts(o, " uri=\"");
		thex_puts(o, uri);
		thex_puts(o, "\"");
	}
	thex_puts(o, "/>\r\n</hashtree>\r\n");
}

/* Whether a uri can go between double quotes and into a record id. */
static int
thex_uri_ok(const char *uri)
{
	size_t	 i;
	char	 c;

	for (i = 0; (c = uri[i]) != '\0'; i++) {
		if (i == THEX_URI_MAX || c <= ' ' || c > '~' || c == '"' ||
		    c == '&' || c == '<' || c == '>')
			return 0;
	}
	return 1;
}

/* The whole message into o; 0 if the arguments cannot be encoded. */
static int
thex_write(struct thex_out *o, uint64_t filesize, unsigned depth,
    const uint8_t *nodes, size_t nnodes, const char *uri)
{
	struct thex_out	 count = { NULL, 0, 0 };
	size_t		 idlen, typelen = sizeof THEX_TREE_TYPE - 1;

	if (nnodes == 0 || nnodes > UINT32_MAX / THEX_NODE_LEN ||
	    (uri != NULL && !thex_uri_ok(uri)))
		return 0;
	idlen = uri != NULL ? strlen(uri) : 0;
	thex_xml_put(&count, filesize, depth, uri);

	thex_header(o, DIME_MB, DIME_T_MEDIA, 0, sizeof THEX_XML_TYPE - 1,
	    (uint32_t)count.len);
	thex_puts(o, THEX_XML_TYPE);
	thex_pad(o, sizeof THEX_XML_TYPE - 1);
	thex_xml_put(o, filesize, depth, uri);
	thex_pad(o, (size_t)count.len);

	thex_header(o, DIME_ME, DIME_T_URI, idlen, typelen,
	    (uint32_t)(nnodes * THEX_NODE_LEN));
	if (uri != NULL) {
		thex_put(o, uri, idlen);
		thex_pad(o, idlen);
	}
	thex_put(o, THEX_TREE_TYPE, typelen);
	thex_pad(o, typelen);
	thex_put(o, nodes, nnodes * THEX_NODE_LEN);
	return 1;
}

/* A stable "uuid:" name for the tree with this root. */
size_t
thex_uuid(const uint8_t root[THEX_NODE_LEN], char *out, size_t cap)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i, k = 5;

	if (cap < THEX_UUID_LEN + 1)
		return 0;
	memcpy(out, "uuid:", 5);
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = hex[root[i] >> 4];
		out[k++] = hex[root[i] & 0xf];
	}
	out[k] = '\0';
	return k;
}

/* Length of the message thex_encode writes. */
size_t
thex_size(uint64_t filesize, unsigned depth, size_t nnodes, const char *uri)
{
	struct thex_out	 o = { NULL, 0, 0 };

	if (!thex_write(&o, filesize, depth, NULL, nnodes, uri) ||
	    o.len > SIZE_MAX)
		return 0;
	return (size_t)o.len;
}

/* Write the THEX DIME message for a tree. */
size_t
thex_encode(uint64_t filesize, unsigned depth, const uint8_t *nodes,
    size_t nnodes, const char *uri, uint8_t *out, size_t cap)
{
	struct thex_out	 o = { out, cap, 0 };

	if (!thex_write(&o, filesize, depth, nodes, nnodes, uri) ||
	    o.len > cap)
		return 0;
	return (size_t)o.len;
}

/* One field of n bytes and its padding at *off; the padding must be zero. */
static enum wire_status
thex_field(const uint8_t *p, size_t len, size_t *off, size_t n,
    const uint8_t **field)
{
	uint64_t	 padded = DIME_PAD(n);
	size_t		 i;

	if (padded > len - *off)
		return WIRE_SHORT;
	for (i = n; i < padded; i++)
		if (p[*off + i] != 0)
			return WIRE_MALFORMED;
	*field = p + *off;
	*off += (size_t)padded;
	return WIRE_OK;
}

/* The record at the start of p[len] and its length with padding. */
static enum wire_status
thex_record(const uint8_t *p, size_t len, struct thex_rec *r, size_t *used)
{
	const uint8_t		*options;
	enum wire_status	 st;
	size_t			 off = DIME_HDR_LEN;

	if (len < DIME_HDR_LEN)
		return WIRE_SHORT;
	if (p[0] >> 3 != DIME_VERSION || p[1] >> 4 > DIME_T_MAX ||
	    (p[0] & DIME_CF))
		return WIRE_MALFORMED;
	r->flags = p[0] & (DIME_MB | DIME_ME);
	r->idlen = peek_be16(p + 4);
	r->typelen = peek_be16(p + 6);
	r->datalen = peek_be32(p + 8);
	if ((st = thex_field(p, len, &off, peek_be16(p + 2), &options)) !=
	    WIRE_OK ||
	    (st = thex_field(p, len, &off, r->idlen, &r->id)) != WIRE_OK ||
	    (st = thex_field(p, len, &off, r->typelen, &r->type)) != WIRE_OK ||
	    (st = thex_field(p, len, &off, r->datalen, &r->data)) != WIRE_OK)
		return st;
	*used = off;
	return WIRE_OK;
}

static int
thex_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* ASCII case-insensitive equality of a[alen) and b[blen). */
static int
thex_same(const void *a, size_t alen, const void *b, size_t blen)
{
	const uint8_t	*x = a, *y = b;
	size_t		 i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++)
		if (thex_lower(x[i]) != thex_lower(y[i]))
			return 0;
	return 1;
}

/* The same against a string. */
static int
thex_eq(const void *p, size_t n, const char *s)
{
	return thex_same(p, n, s, strlen(s));
}

/* "text/xml", allowing parameters after it ("; charset=UTF-8"). */
static int
thex_is_xml(const struct thex_rec *r)
{
	size_t	 n = sizeof THEX_XML_TYPE - 1;

	if (r->typelen < n || !thex_eq(r->type, n, THEX_XML_TYPE))
		return 0;
	return r->typelen == n || r->type[n] == ';' || r->type[n] == ' ';
}

static int
thex_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
thex_namechar(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ':' ||
	    c == '.';
}

/* A decimal number, spaces around it allowed: 0, or -1 if it is not one. */
static int
thex_number(const uint8_t *p, size_t n, uint64_t *v)
{
	size_t	 i = 0, digits = 0;

	*v = 0;
	while (i < n && thex_space(p[i]))
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++, digits++) {
		if (*v > (UINT64_MAX - (uint64_t)(p[i] - '0')) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(p[i] - '0');
	}
	while (i < n && thex_space(p[i]))
		i++;
	return digits > 0 && i == n ? 0 : -1;
}

/* p[n) without the spaces around it. */
static void
thex_trim(const uint8_t **p, size_t *n)
{
	while (*n > 0 && thex_space(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && thex_space((*p)[*n - 1]))
		(*n)--;
}

/* One attribute of an element we know: take it, or refuse the document. */
static enum wire_status
thex_attr(enum thex_elem e, const uint8_t *name, size_t namelen,
    const uint8_t *v, size_t vlen, struct thex *t, struct thex_xml *x)
{
	uint64_t	 n;

	thex_trim(&v, &vlen);
	switch (e) {
	case THEX_E_FILE:
		if (thex_eq(name, namelen, "size")) {
			if (thex_number(v, vlen, &t->filesize) != 0)
				return WIRE_MALFORMED;
			x->have_size = 1;
		} else if (thex_eq(name, namelen, "segmentsize") &&
		    (thex_number(v, vlen, &n) != 0 || n != THEX_SEGMENT))
			return WIRE_MALFORMED;
		break;
	case THEX_E_DIGEST:
		if (thex_eq(name, namelen, "algorithm") &&
		    !thex_eq(v, vlen, THEX_DIGEST))
			return WIRE_MALFORMED;
		if (thex_eq(name, namelen, "outputsize") &&
		    (thex_number(v, vlen, &n) != 0 || n != THEX_NODE_LEN))
			return WIRE_MALFORMED;
		break;
	case THEX_E_TREE:
		if (thex_eq(name, namelen, "depth")) {
			if (thex_number(v, vlen, &n) != 0 ||
			    n > THEX_MAX_DEPTH)
				return WIRE_MALFORMED;
			t->depth = (unsigned)n;
			x->have_depth = 1;
		} else if (thex_eq(name, namelen, "type") &&
		    !thex_eq(v, vlen, THEX_TREE_TYPE))
			return WIRE_MALFORMED;
		else if (thex_eq(name, namelen, "uri") && t->urilen == 0) {
			t->uri = (const char *)v;
			t->urilen = vlen;
		}
		break;
	case THEX_E_OTHER:
		break;
	}
	return WIRE_OK;
}

/* Skip from *i to just after the string end (or to n if it never comes). */
static void
thex_skip_to(const uint8_t *p, size_t n, size_t *i, const char *end)
{
	size_t	 k = strlen(end);

	while (*i < n && (n - *i < k || memcmp(p + *i, end, k) != 0))
		(*i)++;
	*i = *i < n ? *i + k : n;
}

/* The element named at p[*i], and its attributes up to the '>'. */
static enum wire_status
thex_tag(const uint8_t *p, size_t n, size_t *i, struct thex *t,
    struct thex_xml *x)
{
	enum thex_elem		 e = THEX_E_OTHER;
	enum wire_status	 st;
	size_t			 name, namelen, v, vlen;
	uint8_t			 q;

	for (name = *i; *i < n && thex_namechar(p[*i]); (*i)++)
		;
	namelen = *i - name;
	if (thex_eq(p + name, namelen, "file"))
		e = THEX_E_FILE;
	else if (thex_eq(p + name, namelen, "digest"))
		e = THEX_E_DIGEST;
	else if (thex_eq(p + name, namelen, "serializedtree"))
		e = THEX_E_TREE;
	if (x->seen & 1u << e)
		e = THEX_E_OTHER;	/* a second one is ignored */
	else if (e != THEX_E_OTHER)
		x->seen |= 1u << e;

	while (*i < n) {
		if (thex_space(p[*i]) || p[*i] == '/') {
			(*i)++;
			continue;
		}
		if (p[*i] == '>') {
			(*i)++;
			break;
		}
		if (p[*i] == '<')
			break;		/* unterminated: the next tag starts */
		for (name = *i; *i < n && thex_namechar(p[*i]); (*i)++)
			;
		if ((namelen = *i - name) == 0) {
			(*i)++;		/* a stray byte */
			continue;
		}
		while (*i < n && thex_space(p[*i]))
			(*i)++;
		if (*i == n || p[*i] != '=')
			continue;	/* an attribute without a value */
		for ((*i)++; *i < n && thex_space(p[*i]); (*i)++)
			;
		if (*i == n)
			break;
		if (p[*i] == '"' || p[*i] == '\'') {
			q = p[(*i)++];
			for (v = *i; *i < n && p[*i] != q; (*i)++)
				;
			if (*i == n)
				break;	/* the value never ends */
			vlen = (*i)++ - v;
		} else {
			for (v = *i; *i < n && !thex_space(p[*i]) &&
			    p[*i] != '>'; (*i)++)
				;
			vlen = *i - v;
		}
		if ((st = thex_attr(e, p + name, namelen, p + v, vlen, t,
		    x)) != WIRE_OK)
			return st;
	}
	return WIRE_OK;
}

/* The <hashtree> document: file size, tree depth and uri into t. */
static enum wire_status
thex_xml_parse(const uint8_t *p, size_t n, struct thex *t)
{
	struct thex_xml		 x;
	enum wire_status	 st;
	size_t			 i = 0;

	memset(&x, 0, sizeof x);
	while (i < n) {
		if (p[i++] != '<')
			continue;
		if (n - i >= 3 && memcmp(p + i, "!--", 3) == 0)
			thex_skip_to(p, n, &i, "-->");
		else if (n - i >= 8 && memcmp(p + i, "![CDATA[", 8) == 0)
			thex_skip_to(p, n, &i, "]]>");
		else if (i < n && (p[i] == '!' || p[i] == '?' || p[i] == '/'))
			thex_skip_to(p, n, &i, ">");
		else if ((st = thex_tag(p, n, &i, t, &x)) != WIRE_OK)
			return st;
	}
	if (!x.have_size || !x.have_depth)
		return WIRE_MALFORMED;
	return WIRE_OK;
}

/* Decode a THEX reply. */
enum wire_status
thex_decode(const uint8_t *p, size_t len, struct thex *t)
{
	struct thex_rec		 r, xml, tree;
	enum wire_status	 st;
	size_t			 off, end, used;
	int			 have_xml = 0, have_tree = 0;

	memset(t, 0, sizeof *t);
	memset(&xml, 0, sizeof xml);
	memset(&tree, 0, sizeof tree);
	for (off = 0;; off += used) {
		if ((st = thex_record(p + off, len - off, &r, &used)) !=
		    WIRE_OK)
			return st;
		if ((off == 0) != ((r.flags & DIME_MB) != 0))
			return WIRE_MALFORMED;
		if (!have_xml && thex_is_xml(&r)) {
			xml = r;
			have_xml = 1;
		}
		if (r.flags & DIME_ME)
			break;
	}
	end = off + used;
	if (!have_xml)
		return WIRE_MALFORMED;
	if ((st = thex_xml_parse(xml.data, xml.datalen, t)) != WIRE_OK)
		return st;

	/* The tree record named by the uri, else the first tree record. */
	for (off = 0; off < end; off += used) {
		if (thex_record(p + off, end - off, &r, &used) != WIRE_OK)
			return WIRE_MALFORMED;	/* cannot happen: read above */
		if (!thex_eq(r.type, r.typelen, THEX_TREE_TYPE))
			continue;
		if (!have_tree || (t->urilen > 0 && !thex_same(tree.id,
		    tree.idlen, t->uri, t->urilen) && thex_same(r.id, r.idlen,
		    t->uri, t->urilen)))
			tree = r;
		have_tree = 1;
	}
	if (!have_tree || tree.datalen == 0 ||
	    tree.datalen % THEX_NODE_LEN != 0)
		return WIRE_MALFORMED;
	t->nodes = tree.data;
	t->nnodes = tree.datalen / THEX_NODE_LEN;
	return WIRE_OK;
}
