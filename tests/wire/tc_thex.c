/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_thex.c: THEX DIME messages: round trips, the exact layout, every
 * truncation, broken framing (version, flags, type formats, padding,
 * lengths), XML as other servents write it and as they get it wrong, the
 * choice of tree record, and the encoder's refusals.
 */
#include <stdlib.h>
#include <string.h>

#include "wire/tc.h"
#include "wire/thex.h"

#define TYPE_XML	"text/xml"
#define ID		"uuid:00010203-0405-0607-0809-0a0b0c0d0e0f"

/* Nodes whose bytes say where they are. */
static void
thex_nodes(uint8_t *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n * THEX_NODE_LEN; i++)
		p[i] = (uint8_t)(i * 7 + 3);
}

/* Decode an exact-size copy, so ASan sees any read past the end. */
static enum wire_status
thex_decode_copy(const uint8_t *p, size_t n, struct thex *t, uint8_t **copy)
{
	enum wire_status	 st;
	uint8_t			*q;

	q = malloc(n > 0 ? n : 1);
	ck_assert_ptr_nonnull(q);
	memcpy(q, p, n);
	st = thex_decode(q, n, t);
	if (copy != NULL)
		*copy = q;
	else
		free(q);
	return st;
}

/* One DIME record, fields zero-padded; returns its length. */
static size_t
rec(uint8_t *out, uint8_t b0, uint8_t b1, const char *id, const char *type,
    const void *data, size_t datalen)
{
	size_t	 idlen = id != NULL ? strlen(id) : 0;
	size_t	 typelen = type != NULL ? strlen(type) : 0, off = 12;

	out[0] = b0;
	out[1] = b1;
	poke_be16(out + 2, 0);
	poke_be16(out + 4, (uint16_t)idlen);
	poke_be16(out + 6, (uint16_t)typelen);
	poke_be32(out + 8, (uint32_t)datalen);
	memset(out + off, 0, ((idlen + 3) & ~3u) + ((typelen + 3) & ~3u) +
	    ((datalen + 3) & ~(size_t)3));
	if (idlen > 0)
		memcpy(out + off, id, idlen);
	off += (idlen + 3) & ~3u;
	if (typelen > 0)
		memcpy(out + off, type, typelen);
	off += (typelen + 3) & ~3u;
	if (datalen > 0)
		memcpy(out + off, data, datalen);
	return off + ((datalen + 3) & ~(size_t)3);
}

#define B0_FIRST	0x0c	/* version 1, MB */
#define B0_LAST		0x0a	/* version 1, ME */
#define B0_ONLY		0x0e	/* version 1, MB and ME */
#define B0_MIDDLE	0x08
#define B1_MEDIA	0x10
#define B1_URI		0x20

/* An XML record then a tree record of n nodes with id. */
static size_t
msg(uint8_t *out, const char *xml, const char *id, size_t n)
{
	uint8_t	 nodes[10 * THEX_NODE_LEN];
	size_t	 len;

	thex_nodes(nodes, n);
	len = rec(out, B0_FIRST, B1_MEDIA, NULL, TYPE_XML, xml, strlen(xml));
	return len + rec(out + len, B0_LAST, B1_URI, id, THEX_TREE_TYPE, nodes,
	    n * THEX_NODE_LEN);
}

static const struct {
	uint64_t	 filesize;
	unsigned	 depth;
	size_t		 nnodes;
	const char	*uri;
} rt_cases[] = {
	{ 0, 0, 1, ID },
	{ 1, 0, 1, NULL },
	{ 5 * 1024, 3, 11, ID },
	{ 300 * 1024 + 1, 1, 3, "uuid:x" },
	{ 1ull << 40, 11, 4095, ID },
	{ UINT64_MAX, 63, 2, "u" },
	{ 123456789, 7, 1, "uuid:abc" },
};

START_TEST(test_thex_round_trip)
{
	struct thex	 t;
	size_t		 n = rt_cases[_i].nnodes, len, i;
	uint8_t		*nodes, *out, *copy;

	nodes = malloc(n * THEX_NODE_LEN);
	ck_assert_ptr_nonnull(nodes);
	thex_nodes(nodes, n);
	len = thex_size(rt_cases[_i].filesize, rt_cases[_i].depth, n,
	    rt_cases[_i].uri);
	ck_assert_uint_gt(len, 0);
	ck_assert_uint_eq(len % 4, 0);
	out = malloc(len);
	ck_assert_ptr_nonnull(out);
	/* Too small by a byte, or by a lot: nothing. */
	ck_assert_uint_eq(thex_encode(rt_cases[_i].filesize,
	    rt_cases[_i].depth, nodes, n, rt_cases[_i].uri, out, len - 1), 0);
	ck_assert_uint_eq(thex_encode(rt_cases[_i].filesize,
	    rt_cases[_i].depth, nodes, n, rt_cases[_i].uri, out, 10), 0);
	ck_assert_uint_eq(thex_encode(rt_cases[_i].filesize,
	    rt_cases[_i].depth, nodes, n, rt_cases[_i].uri, out, len), len);

	ck_assert_int_eq(thex_decode_copy(out, len, &t, &copy), WIRE_OK);
	ck_assert_uint_eq(t.filesize, rt_cases[_i].filesize);
	ck_assert_uint_eq(t.depth, rt_cases[_i].depth);
	ck_assert_uint_eq(t.nnodes, n);
	ck_assert_ptr_eq(t.nodes, copy + len - n * THEX_NODE_LEN);
	ck_assert_mem_eq(t.nodes, nodes, n * THEX_NODE_LEN);
	if (rt_cases[_i].uri == NULL)
		ck_assert_uint_eq(t.urilen, 0);
	else {
		ck_assert_uint_eq(t.urilen, strlen(rt_cases[_i].uri));
		ck_assert(memcmp(t.uri, rt_cases[_i].uri, t.urilen) == 0);
		ck_assert(t.uri > (const char *)copy &&
		    t.uri < (const char *)copy + len);
	}
	free(copy);

	/* Every truncation is short, never read past (a sample of the
	 * offsets of a big tree: each copy costs its length). */
	for (i = 0; i < len; i += len > 4096 && i > 256 && i < len - 256 ?
	    61 : 1)
		ck_assert_msg(thex_decode_copy(out, i, &t, NULL) == WIRE_SHORT,
		    "cut at %zu of %zu", i, len);
	free(out);
	free(nodes);
}
END_TEST

/* Whether the XML holds the string s. */
static int
has(const char *xml, size_t len, const char *s)
{
	return memmem(xml, len, s, strlen(s)) != NULL;
}

/* The bytes, record by record. */
START_TEST(test_thex_layout)
{
	uint8_t		 nodes[3 * THEX_NODE_LEN], out[1024];
	size_t		 len, xmllen, off;
	const char	*xml;

	thex_nodes(nodes, 3);
	len = thex_encode(300 * 1024 + 1, 1, nodes, 3, ID, out, sizeof out);
	ck_assert_uint_gt(len, 0);

	ck_assert_uint_eq(out[0], 0x0c);	/* version 1, MB */
	ck_assert_uint_eq(out[1], 0x10);	/* media type */
	ck_assert_uint_eq(peek_be16(out + 2), 0);
	ck_assert_uint_eq(peek_be16(out + 4), 0);
	ck_assert_uint_eq(peek_be16(out + 6), 8);
	xmllen = peek_be32(out + 8);
	ck_assert(memcmp(out + 12, "text/xml", 8) == 0);
	xml = (const char *)out + 20;
	ck_assert(memcmp(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n",
	    40) == 0);
	ck_assert(has(xml, xmllen, "<hashtree>"));
	ck_assert(has(xml, xmllen,
	    "<file size=\"307201\" segmentsize=\"1024\"/>"));
	ck_assert(has(xml, xmllen, "<digest algorithm=\"" THEX_DIGEST
	    "\" outputsize=\"24\"/>"));
	ck_assert(has(xml, xmllen, "<serializedtree depth=\"1\" type=\""
	    THEX_TREE_TYPE "\" uri=\"" ID "\"/>"));
	ck_assert(memcmp(xml + xmllen - 13, "</hashtree>\r\n", 13) == 0);
	off = 20 + ((xmllen + 3) & ~(size_t)3);
	for (; 20 + xmllen < off; xmllen++)
		ck_assert_uint_eq(out[20 + xmllen], 0);

	ck_assert_uint_eq(out[off], 0x0a);	/* version 1, ME */
	ck_assert_uint_eq(out[off + 1], 0x20);	/* absolute URI */
	ck_assert_uint_eq(peek_be16(out + off + 2), 0);
	ck_assert_uint_eq(peek_be16(out + off + 4), THEX_UUID_LEN);
	ck_assert_uint_eq(peek_be16(out + off + 6), 46);
	ck_assert_uint_eq(peek_be32(out + off + 8), 3 * THEX_NODE_LEN);
	ck_assert(memcmp(out + off + 12, ID, THEX_UUID_LEN) == 0);
	ck_assert_uint_eq(out[off + 12 + 41], 0);	/* padding to 44 */
	ck_assert_uint_eq(out[off + 12 + 43], 0);
	ck_assert(memcmp(out + off + 56, THEX_TREE_TYPE, 46) == 0);
	ck_assert(memcmp(out + off + 104, nodes, sizeof nodes) == 0);
	ck_assert_uint_eq(len, off + 104 + sizeof nodes);
}
END_TEST

START_TEST(test_thex_uuid)
{
	uint8_t	 root[THEX_NODE_LEN];
	char	 out[THEX_UUID_LEN + 1];
	size_t	 i;

	for (i = 0; i < sizeof root; i++)
		root[i] = (uint8_t)i;
	ck_assert_uint_eq(thex_uuid(root, out, sizeof out), THEX_UUID_LEN);
	ck_assert_str_eq(out, ID);
	ck_assert_uint_eq(thex_uuid(root, out, sizeof out - 1), 0);
}
END_TEST

START_TEST(test_thex_encode_refuses)
{
	static const char	*bad[] = {
		"uuid:a b", "uuid:\"", "a&b", "<", ">", "\x7f", "\xc3\xa9", "",
	};
	char			 longuri[THEX_URI_MAX + 2];
	uint8_t			 nodes[THEX_NODE_LEN], out[1024];
	size_t			 i;

	thex_nodes(nodes, 1);
	ck_assert_uint_eq(thex_encode(1, 0, nodes, 0, ID, out, sizeof out),
	    0);
	ck_assert_uint_eq(thex_size(1, 0, 0, ID), 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (bad[i][0] == '\0')
			continue;	/* an empty uri is allowed */
		ck_assert_msg(thex_encode(1, 0, nodes, 1, bad[i], out,
		    sizeof out) == 0, "uri %zu", i);
		ck_assert_uint_eq(thex_size(1, 0, 1, bad[i]), 0);
	}
	memset(longuri, 'u', sizeof longuri);
	longuri[THEX_URI_MAX + 1] = '\0';
	ck_assert_uint_eq(thex_size(1, 0, 1, longuri), 0);
	longuri[THEX_URI_MAX] = '\0';
	ck_assert_uint_gt(thex_size(1, 0, 1, longuri), 0);
	ck_assert_uint_eq(thex_size(1, 0, (size_t)UINT32_MAX, ID), 0);
}
END_TEST

#define XML_OK(depth, more) \
	"<hashtree><file size=\"5120\" segmentsize=\"1024\"/>" \
	"<digest algorithm=\"" THEX_DIGEST "\" outputsize=\"24\"/>" \
	"<serializedtree depth=\"" depth "\" type=\"" THEX_TREE_TYPE "\"" \
	more "/></hashtree>"

/* XML documents: how others write them, and what must be refused. */
static const struct {
	const char		*xml;
	enum wire_status	 want;
	uint64_t		 filesize;
	unsigned		 depth;
	const char		*uri;
} xml_cases[] = {
	{ XML_OK("3", " uri=\"" ID "\""), WIRE_OK, 5120, 3, ID },
	{ XML_OK("0", ""), WIRE_OK, 5120, 0, NULL },
	/* single quotes, spaces, other order, upper case, comments */
	{ "<?xml version='1.0'?>\n<!-- <file size=\"1\"/> -->\n"
	  "<HashTree>\n <serializedtree  uri = 'uuid:q'\tdepth = ' 2 '\n"
	  "  type='HTTP://open-content.net/spec/thex/BREADTHFIRST' />\n"
	  " <FILE segmentsize='1024' size='77'></FILE>\n"
	  " <digest outputsize='24' algorithm='" THEX_DIGEST "'/>\n"
	  "</HashTree>", WIRE_OK, 77, 2, "uuid:q" },
	/* only what is needed; no closing tag (GnucDNA) */
	{ "<hashtree><file size=\"9\"/><serializedtree depth=\"1\"/>",
	  WIRE_OK, 9, 1, NULL },
	/* unquoted values, a DOCTYPE, CDATA holding a tag */
	{ "<!DOCTYPE hashtree SYSTEM \"x.dtd\"><![CDATA[<file size=\"1\">]]>"
	  "<file size=12 /><serializedtree depth=4>", WIRE_OK, 12, 4, NULL },
	/* a second element of a kind is ignored */
	{ "<file size=\"3\"/><file size=\"4\"/><file size=\"x\"/>"
	  "<serializedtree depth=\"1\"/>", WIRE_OK, 3, 1, NULL },
	/* the largest size and depth */
	{ "<file size=\"18446744073709551615\"/><serializedtree depth=\"63\"/>",
	  WIRE_OK, UINT64_MAX, 63, NULL },
	/* attributes without values and stray bytes are skipped */
	{ "<file checked size=\"8\" ;;/><serializedtree = depth=\"1\"/>",
	  WIRE_OK, 8, 1, NULL },
	/* refusals */
	{ "<file/><serializedtree depth=\"1\"/>", WIRE_MALFORMED, 0, 0, NULL },
	{ "<file size=\"1\"/><serializedtree/>", WIRE_MALFORMED, 0, 0, NULL },
	{ "<file size=\"1\"/>", WIRE_MALFORMED, 0, 0, NULL },
	{ "", WIRE_MALFORMED, 0, 0, NULL },
	{ "<file size=\"18446744073709551616\"/><serializedtree depth=\"1\"/>",
	  WIRE_MALFORMED, 0, 0, NULL },
	{ "<file size=\"12a\"/><serializedtree depth=\"1\"/>",
	  WIRE_MALFORMED, 0, 0, NULL },
	{ "<file size=\"-1\"/><serializedtree depth=\"1\"/>",
	  WIRE_MALFORMED, 0, 0, NULL },
	{ "<file size=\"\"/><serializedtree depth=\"1\"/>",
	  WIRE_MALFORMED, 0, 0, NULL },
	{ "<file size=\"1\"/><serializedtree depth=\"64\"/>",
	  WIRE_MALFORMED, 0, 0, NULL },
	{ "<file size=\"1\" segmentsize=\"2048\"/><serializedtree depth=\"1\"/>",
	  WIRE_MALFORMED, 0, 0, NULL },
	{ "<file size=\"1\"/><digest outputsize=\"20\"/>"
	  "<serializedtree depth=\"1\"/>", WIRE_MALFORMED, 0, 0, NULL },
	{ "<file size=\"1\"/><digest algorithm=\"sha1\"/>"
	  "<serializedtree depth=\"1\"/>", WIRE_MALFORMED, 0, 0, NULL },
	{ "<file size=\"1\"/><serializedtree depth=\"1\" type=\"depthfirst\"/>",
	  WIRE_MALFORMED, 0, 0, NULL },
	/* a value that never ends is not taken */
	{ "<file size=\"1\"/><serializedtree depth=\"1", WIRE_MALFORMED, 0, 0,
	  NULL },
	/* a comment that never ends hides the rest */
	{ "<file size=\"1\"/><!-- <serializedtree depth=\"1\"/>",
	  WIRE_MALFORMED, 0, 0, NULL },
};

START_TEST(test_thex_xml)
{
	uint8_t			 buf[2048];
	struct thex		 t;
	enum wire_status	 st;
	size_t			 len;
	uint8_t			*copy;

	len = msg(buf, xml_cases[_i].xml, xml_cases[_i].uri != NULL ?
	    xml_cases[_i].uri : "other", 2);
	st = thex_decode_copy(buf, len, &t, &copy);
	ck_assert_msg(st == xml_cases[_i].want, "case %d: %s", _i,
	    wire_strstatus(st));
	if (st != WIRE_OK) {
		free(copy);
		return;
	}
	ck_assert_uint_eq(t.filesize, xml_cases[_i].filesize);
	ck_assert_uint_eq(t.depth, xml_cases[_i].depth);
	ck_assert_uint_eq(t.nnodes, 2);
	if (xml_cases[_i].uri == NULL)
		ck_assert_uint_eq(t.urilen, 0);
	else {
		ck_assert_uint_eq(t.urilen, strlen(xml_cases[_i].uri));
		ck_assert(memcmp(t.uri, xml_cases[_i].uri, t.urilen) == 0);
	}
	free(copy);
}
END_TEST

/* Framing: version, flags, type formats, padding, lengths. */
START_TEST(test_thex_framing)
{
	static const char	 xml[] = XML_OK("1", " uri=\"" ID "\"");
	uint8_t			 good[1024], buf[1100], nodes[48];
	struct thex		 t;
	size_t			 len, xlen, n;

	len = msg(good, xml, ID, 2);
	xlen = 20 + ((sizeof xml - 1 + 3) & ~(size_t)3);
	ck_assert_uint_ne((sizeof xml - 1) % 4, 0);	/* there is padding */
	ck_assert_int_eq(thex_decode_copy(good, len, &t, NULL), WIRE_OK);

#define BAD(what, off, val, want) do {					\
	memcpy(buf, good, len);						\
	buf[off] = (val);						\
	ck_assert_msg(thex_decode_copy(buf, len, &t, NULL) == (want),	\
	    "%s", what);						\
} while (0)
	BAD("version 0", 0, 0x04, WIRE_MALFORMED);
	BAD("version 2", 0, 0x14, WIRE_MALFORMED);
	BAD("version 2 in the tree", xlen, 0x12, WIRE_MALFORMED);
	BAD("chunked", 0, 0x0d, WIRE_MALFORMED);
	BAD("chunked tree", xlen, 0x0b, WIRE_MALFORMED);
	BAD("no MB", 0, 0x08, WIRE_MALFORMED);
	BAD("MB twice", xlen, 0x0e, WIRE_MALFORMED);
	BAD("reserved type format", 1, 0x50, WIRE_MALFORMED);
	BAD("reserved type format in the tree", xlen + 1, 0xf0,
	    WIRE_MALFORMED);
	BAD("padding after the XML", xlen - 1, ' ', WIRE_MALFORMED);
	BAD("padding after the id", xlen + 12 + 43, 1, WIRE_MALFORMED);
	BAD("padding after the type", xlen + 56 + 47, 1, WIRE_MALFORMED);
	BAD("no ME", xlen, 0x08, WIRE_SHORT);
	BAD("XML type", 12, 'T', WIRE_OK);	/* case does not matter */
	BAD("XML type", 13, 'x', WIRE_MALFORMED);
	BAD("tree type", xlen + 56, 'H', WIRE_OK);
	BAD("tree type", xlen + 57, 'x', WIRE_MALFORMED);
	/* the reserved nibble and the record type formats are not checked */
	BAD("reserved bits", 1, 0x1f, WIRE_OK);
	BAD("XML as a URI", 1, 0x20, WIRE_OK);
	/* lengths that run past the end */
	BAD("data length", 8, 0xff, WIRE_SHORT);
	BAD("options length", 2, 0x01, WIRE_SHORT);
	BAD("tree data length", xlen + 8, 0x80, WIRE_SHORT);
	BAD("id length", xlen + 4, 0x10, WIRE_SHORT);
#undef BAD

	/* Bytes after the last record are ignored. */
	memcpy(buf, good, len);
	memset(buf + len, 0xee, 9);
	ck_assert_int_eq(thex_decode_copy(buf, len + 9, &t, NULL), WIRE_OK);

	/* An options field, padded, is skipped. */
	memcpy(buf, good, 12);
	poke_be16(buf + 2, 3);
	memcpy(buf + 12, "opt", 3);
	buf[15] = 0;
	memcpy(buf + 16, good + 12, len - 12);
	ck_assert_int_eq(thex_decode_copy(buf, len + 4, &t, NULL), WIRE_OK);
	ck_assert_uint_eq(t.depth, 1);

	/* A tree that is not whole nodes, or empty. */
	thex_nodes(nodes, 2);
	n = rec(buf, B0_FIRST, B1_MEDIA, NULL, TYPE_XML, xml, sizeof xml - 1);
	n += rec(buf + n, B0_LAST, B1_URI, ID, THEX_TREE_TYPE, nodes, 25);
	ck_assert_int_eq(thex_decode_copy(buf, n, &t, NULL), WIRE_MALFORMED);
	n = rec(buf, B0_FIRST, B1_MEDIA, NULL, TYPE_XML, xml, sizeof xml - 1);
	n += rec(buf + n, B0_LAST, B1_URI, ID, THEX_TREE_TYPE, nodes, 0);
	ck_assert_int_eq(thex_decode_copy(buf, n, &t, NULL), WIRE_MALFORMED);

	/* No tree record, no XML record. */
	n = rec(buf, B0_ONLY, B1_MEDIA, NULL, TYPE_XML, xml, sizeof xml - 1);
	ck_assert_int_eq(thex_decode_copy(buf, n, &t, NULL), WIRE_MALFORMED);
	n = rec(buf, B0_ONLY, B1_URI, ID, THEX_TREE_TYPE, nodes, 48);
	ck_assert_int_eq(thex_decode_copy(buf, n, &t, NULL), WIRE_MALFORMED);
	ck_assert_int_eq(thex_decode_copy(buf, 0, &t, NULL), WIRE_SHORT);
}
END_TEST

/* Which tree record: the uri's, else the first; in any order. */
START_TEST(test_thex_records)
{
	static const char	 xml[] = XML_OK("1", " uri=\"" ID "\"");
	static const char	 xml_noid[] = XML_OK("1", "");
	uint8_t			 buf[2048], a[48], b[72], *copy;
	struct thex		 t;
	size_t			 n;

	memset(a, 0xaa, sizeof a);
	memset(b, 0xbb, sizeof b);

	/* Tree first, XML last. */
	n = rec(buf, B0_FIRST, B1_URI, ID, THEX_TREE_TYPE, a, sizeof a);
	n += rec(buf + n, B0_LAST, B1_MEDIA, NULL, "text/xml; charset=UTF-8",
	    xml, sizeof xml - 1);
	ck_assert_int_eq(thex_decode_copy(buf, n, &t, NULL), WIRE_OK);
	ck_assert_uint_eq(t.nnodes, 2);

	/* The second tree record has the id: it is the one. */
	n = rec(buf, B0_FIRST, B1_MEDIA, NULL, TYPE_XML, xml, sizeof xml - 1);
	n += rec(buf + n, B0_MIDDLE, B1_URI, "\"" ID, THEX_TREE_TYPE, a,
	    sizeof a);
	n += rec(buf + n, B0_MIDDLE, 0x40, NULL, NULL, NULL, 0);
	n += rec(buf + n, B0_LAST, B1_URI, "UUID:00010203-0405-0607-0809-"
	    "0A0B0C0D0E0F", THEX_TREE_TYPE, b, sizeof b);
	ck_assert_int_eq(thex_decode_copy(buf, n, &t, &copy), WIRE_OK);
	ck_assert_uint_eq(t.nnodes, 3);
	ck_assert_uint_eq(t.nodes[0], 0xbb);
	free(copy);

	/* No record has it (BearShare's bogus quote): the first. */
	n = rec(buf, B0_FIRST, B1_MEDIA, NULL, TYPE_XML, xml, sizeof xml - 1);
	n += rec(buf + n, B0_MIDDLE, B1_URI, "\"" ID, THEX_TREE_TYPE, a,
	    sizeof a);
	n += rec(buf + n, B0_LAST, B1_URI, NULL, THEX_TREE_TYPE, b, sizeof b);
	ck_assert_int_eq(thex_decode_copy(buf, n, &t, &copy), WIRE_OK);
	ck_assert_uint_eq(t.nnodes, 2);
	ck_assert_uint_eq(t.nodes[0], 0xaa);
	free(copy);

	/* No uri in the XML: the first. */
	n = rec(buf, B0_FIRST, B1_MEDIA, NULL, TYPE_XML, xml_noid,
	    sizeof xml_noid - 1);
	n += rec(buf + n, B0_MIDDLE, B1_URI, NULL, THEX_TREE_TYPE, b,
	    sizeof b);
	n += rec(buf + n, B0_LAST, B1_URI, ID, THEX_TREE_TYPE, a, sizeof a);
	ck_assert_int_eq(thex_decode_copy(buf, n, &t, &copy), WIRE_OK);
	ck_assert_uint_eq(t.nodes[0], 0xbb);
	free(copy);

	/* A second XML record is not read. */
	n = rec(buf, B0_FIRST, B1_MEDIA, NULL, TYPE_XML, xml, sizeof xml - 1);
	n += rec(buf + n, B0_MIDDLE, B1_MEDIA, NULL, TYPE_XML, "junk", 4);
	n += rec(buf + n, B0_LAST, B1_URI, ID, THEX_TREE_TYPE, a, sizeof a);
	ck_assert_int_eq(thex_decode_copy(buf, n, &t, NULL), WIRE_OK);
	ck_assert_uint_eq(t.filesize, 5120);
}
END_TEST

/* The thex test case. */
TCase *
tc_thex(void)
{
	TCase	*tc = tcase_create("thex");

	tcase_add_loop_test(tc, test_thex_round_trip, 0,
	    sizeof rt_cases / sizeof rt_cases[0]);
	tcase_add_test(tc, test_thex_layout);
	tcase_add_test(tc, test_thex_uuid);
	tcase_add_test(tc, test_thex_encode_refuses);
	tcase_add_loop_test(tc, test_thex_xml, 0,
	    sizeof xml_cases / sizeof xml_cases[0]);
	tcase_add_test(tc, test_thex_framing);
	tcase_add_test(tc, test_thex_records);
	return tc;
}
