/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_desc.c: the 23-byte descriptor header against golden captures.
 */
#include <string.h>

#include "testutil.h"
#include "wire/desc.h"
#include "wire/tc.h"

static const struct {
	const char	*file;
	uint8_t		 func;
	uint8_t		 ttl;
	uint8_t		 hops;
	uint32_t	 len;
} desc_golden[] = {
	{ "pong-ggep.hex", DESC_PONG, 1, 0, 41 },
	{ "queryhit-urn-tt.hex", DESC_QHIT, 6, 0, 179 },
	{ "queryhit-ggep-h-bitprint.hex", DESC_QHIT, 6, 0, 155 },
	{ "qrp-reset.hex", DESC_QRP, 1, 0, 6 },
	{ "qrp-patch-4bit-zlib.hex", DESC_QRP, 1, 0, 78 },
	{ "vendor-messages-supported.hex", DESC_VENDOR, 1, 0, 226 },
	{ "vendor-features-supported.hex", DESC_VENDOR, 1, 0, 46 },
};

START_TEST(test_desc_golden)
{
	uint8_t		 buf[1024], again[DESC_HDR_LEN];
	struct desc	 d;
	size_t		 n;

	n = tu_vector(desc_golden[_i].file, buf, sizeof buf);
	ck_assert_int_eq(desc_decode(buf, n, &d), WIRE_OK);
	ck_assert_uint_eq(d.func, desc_golden[_i].func);
	ck_assert_uint_eq(d.ttl, desc_golden[_i].ttl);
	ck_assert_uint_eq(d.hops, desc_golden[_i].hops);
	ck_assert_uint_eq(d.len, desc_golden[_i].len);
	ck_assert_uint_eq(n, DESC_HDR_LEN + d.len);
	ck_assert_mem_eq(d.guid, buf, DESC_GUID_LEN);
	ck_assert(desc_func_known(d.func));
	/* Encoding what was decoded gives the same 23 bytes. */
	ck_assert_uint_eq(desc_encode(&d, again, sizeof again), DESC_HDR_LEN);
	ck_assert_mem_eq(again, buf, DESC_HDR_LEN);
}
END_TEST

START_TEST(test_desc_truncated)
{
	uint8_t		 buf[1024];
	struct desc	 d;
	size_t		 n, i;

	n = tu_vector("pong-ggep.hex", buf, sizeof buf);
	ck_assert_uint_gt(n, DESC_HDR_LEN);
	for (i = 0; i < DESC_HDR_LEN; i++)
		ck_assert_int_eq(desc_decode(buf, i, &d), WIRE_SHORT);
	ck_assert_int_eq(desc_decode(buf, DESC_HDR_LEN, &d), WIRE_OK);
}
END_TEST

/* Payload lengths at and around the 64 KiB limit, marked and not. */
static const struct {
	uint32_t		 raw;
	enum wire_status	 status;
	uint32_t		 len;
	uint16_t		 sflags;
} desc_sizes[] = {
	{ 0, WIRE_OK, 0, 0 },
	{ 65535, WIRE_OK, 65535, 0 },
	{ 65536, WIRE_OK, 65536, 0 },
	{ 65537, WIRE_TOOBIG, 65537, 0 },
	{ 1u << 20, WIRE_TOOBIG, 1u << 20, 0 },
	{ 0x7fffffffu, WIRE_TOOBIG, 0x7fffffffu, 0 },
	{ 0x80010040u, WIRE_OK, 0x40, 0x8001 },	/* sflag: flags 0x0001, 64 bytes */
	{ 0xffffffffu, WIRE_OK, 0xffff, 0xffff },
};

START_TEST(test_desc_sizes)
{
	uint8_t		 hdr[DESC_HDR_LEN], again[DESC_HDR_LEN];
	struct desc	 d;

	memset(hdr, 0x5a, sizeof hdr);
	hdr[16] = DESC_QUERY;
	poke_le32(hdr + 19, desc_sizes[_i].raw);
	ck_assert_int_eq(desc_decode(hdr, sizeof hdr, &d), desc_sizes[_i].status);
	ck_assert_uint_eq(d.len, desc_sizes[_i].len);
	ck_assert_uint_eq(d.sflags, desc_sizes[_i].sflags);
	if (desc_sizes[_i].status == WIRE_OK) {
		ck_assert_uint_eq(desc_encode(&d, again, sizeof again),
		    DESC_HDR_LEN);
		ck_assert_mem_eq(again, hdr, DESC_HDR_LEN);
	}
}
END_TEST

START_TEST(test_desc_encode)
{
	struct desc	 d, back;
	uint8_t		 out[DESC_HDR_LEN];
	int		 i;

	memset(&d, 0, sizeof d);
	for (i = 0; i < DESC_GUID_LEN; i++)
		d.guid[i] = (uint8_t)(0xf0 - i);
	d.func = DESC_QUERY;
	d.ttl = 4;
	d.hops = 2;
	d.len = 0x1234;
	ck_assert_uint_eq(desc_encode(&d, out, DESC_HDR_LEN - 1), 0);
	ck_assert_uint_eq(desc_encode(&d, out, sizeof out), DESC_HDR_LEN);
	/* Little-endian length on the wire. */
	ck_assert_uint_eq(out[19], 0x34);
	ck_assert_uint_eq(out[20], 0x12);
	ck_assert_uint_eq(out[21], 0);
	ck_assert_uint_eq(out[22], 0);
	ck_assert_int_eq(desc_decode(out, sizeof out, &back), WIRE_OK);
	ck_assert_mem_eq(back.guid, d.guid, DESC_GUID_LEN);
	ck_assert_uint_eq(back.func, d.func);
	ck_assert_uint_eq(back.ttl, 4);
	ck_assert_uint_eq(back.hops, 2);
	ck_assert_uint_eq(back.len, 0x1234);
	/* A marked size cannot carry more than 16 bits of length. */
	d.sflags = 0x8000;
	d.len = 0x10000;
	ck_assert_uint_eq(desc_encode(&d, out, sizeof out), 0);
}
END_TEST

START_TEST(test_desc_names)
{
	ck_assert_str_eq(desc_func_name(DESC_QUERY), "query");
	ck_assert_str_eq(desc_func_name(DESC_QHIT), "qhit");
	ck_assert_str_eq(desc_func_name(0x77), "unknown");
	ck_assert(!desc_func_known(0x77));
	ck_assert(!desc_func_known(DESC_HSEP));
	ck_assert_str_eq(wire_strstatus(WIRE_TOOBIG), "too large");
}
END_TEST

TCase *
tc_desc(void)
{
	TCase	*tc = tcase_create("desc");

	tcase_add_loop_test(tc, test_desc_golden, 0,
	    sizeof desc_golden / sizeof desc_golden[0]);
	tcase_add_test(tc, test_desc_truncated);
	tcase_add_loop_test(tc, test_desc_sizes, 0,
	    sizeof desc_sizes / sizeof desc_sizes[0]);
	tcase_add_test(tc, test_desc_encode);
	tcase_add_test(tc, test_desc_names);
	return tc;
}
