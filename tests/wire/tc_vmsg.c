/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc_vmsg.c: vendor messages: gtk-gnutella's Messages Supported and Features
 * Supported captures, round trips, malformed bodies and every truncation.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wire/tc.h"
#include "wire/vmsg.h"

#define HDR	23	/* descriptor header in front of each capture */

/* Load a capture, check its header and return the payload length. */
static size_t
load_payload(const char *name, uint8_t *buf, size_t cap, size_t want)
{
	size_t	 n;

	n = tu_vector(name, buf, cap);
	ck_assert_uint_eq(n, HDR + want);
	ck_assert_uint_eq(buf[16], 0x31);
	ck_assert_uint_eq(peek_le32(buf + 19), want);
	return want;
}

static const struct {
	size_t		 i;
	const char	*vendor;
	uint16_t	 selector;
	uint16_t	 version;
} supported_items[] = {
	{ 0, "BEAR", 4, 1 },
	{ 2, "BEAR", 11, 1 },	/* query status request */
	{ 3, "BEAR", 12, 1 },	/* query status answer */
	{ 5, "GTKG", 7, 2 },
	{ 11, "GTKG", 24, 1 },
	{ 14, "LIME", 11, 3 },
	{ 21, "LIME", 22, 1 },
	{ 26, "LIME", 24, 2 },
};

START_TEST(test_vmsg_golden_supported)
{
	uint8_t			 buf[512], out[512];
	struct vmsg_item	 items[27], it;
	struct vmsg		 v;
	size_t			 len, count, i;

	len = load_payload("vendor-messages-supported.hex", buf, sizeof buf,
	    226);
	ck_assert_int_eq(vmsg_decode(buf + HDR, len, &v), WIRE_OK);
	ck_assert(memcmp(v.vendor, "\0\0\0\0", 4) == 0);
	ck_assert_uint_eq(v.selector, VMSG_SEL_SUPPORTED);
	ck_assert_uint_eq(v.version, 0);
	ck_assert_ptr_eq(v.body, buf + HDR + VMSG_HDR_LEN);
	ck_assert_uint_eq(v.bodylen, 218);
	ck_assert_int_eq(vmsg_supported_decode(v.body, v.bodylen, &count),
	    WIRE_OK);
	ck_assert_uint_eq(count, 27);
	for (i = 0; i < sizeof supported_items / sizeof supported_items[0];
	    i++) {
		vmsg_supported_item(v.body, supported_items[i].i, &it);
		ck_assert(memcmp(it.vendor, supported_items[i].vendor, 4) == 0);
		ck_assert_uint_eq(it.selector, supported_items[i].selector);
		ck_assert_uint_eq(it.version, supported_items[i].version);
	}

	/* re-encoding what we read gives gtkg's bytes back */
	for (i = 0; i < count; i++)
		vmsg_supported_item(v.body, i, &items[i]);
	ck_assert_uint_eq(vmsg_supported_encode(items, count, out, sizeof out),
	    218);
	ck_assert(memcmp(out, v.body, 218) == 0);
	ck_assert_uint_eq(vmsg_encode(&v, out, sizeof out), 226);
	ck_assert(memcmp(out, buf + HDR, 226) == 0);
}
END_TEST

static const struct {
	size_t		 i;
	const char	*name;
	uint16_t	 version;
} feature_items[] = {
	{ 0, "HSEP", 1 },
	{ 1, "WHAT", 1 },
	{ 2, "QRP1", 1 },
	{ 3, "F2FT", 0xffff },
	{ 4, "TCPI", 1 },
	{ 5, "TLS!", 1 },
};

START_TEST(test_vmsg_golden_features)
{
	uint8_t			 buf[256], out[256];
	struct vmsg_item	 items[6], it;
	struct vmsg		 v;
	size_t			 len, count, i;

	len = load_payload("vendor-features-supported.hex", buf, sizeof buf,
	    46);
	ck_assert_int_eq(vmsg_decode(buf + HDR, len, &v), WIRE_OK);
	ck_assert(memcmp(v.vendor, "\0\0\0\0", 4) == 0);
	ck_assert_uint_eq(v.selector, VMSG_SEL_FEATURES);
	ck_assert_uint_eq(v.version, 0);
	ck_assert_uint_eq(v.bodylen, 38);
	ck_assert_int_eq(vmsg_features_decode(v.body, v.bodylen, &count),
	    WIRE_OK);
	ck_assert_uint_eq(count, 6);
	for (i = 0; i < sizeof feature_items / sizeof feature_items[0]; i++) {
		vmsg_features_item(v.body, feature_items[i].i, &it);
		ck_assert(memcmp(it.vendor, feature_items[i].name, 4) == 0);
		ck_assert_uint_eq(it.selector, 0);
		ck_assert_uint_eq(it.version, feature_items[i].version);
	}
	/* gtkg's features use 6-byte items: the 8-byte reader must refuse */
	ck_assert_int_eq(vmsg_supported_decode(v.body, v.bodylen, &count),
	    WIRE_MALFORMED);

	for (i = 0; i < 6; i++)
		vmsg_features_item(v.body, i, &items[i]);
	ck_assert_uint_eq(vmsg_features_encode(items, 6, out, sizeof out), 38);
	ck_assert(memcmp(out, v.body, 38) == 0);
}
END_TEST

static const struct {
	const char	*vendor;
	uint16_t	 selector;
	uint16_t	 version;
	const char	*bodyhex;
} vmsg_rt_cases[] = {
	{ "BEAR", 4, 1, "01" },			/* Hops Flow */
	{ "LIME", 22, 2, "7f000001 da3f" },	/* push-proxy ACK */
	{ "GTKG", 0xfffe, 0x8001, "" },		/* empty body */
	{ "\0\0\0\0", 0, 0, "0000" },		/* nothing supported */
};

START_TEST(test_vmsg_round_trip)
{
	uint8_t		 body[64], out[128], *p;
	struct vmsg	 in, back;
	long		 bl;
	size_t		 n;

	bl = tu_hex(vmsg_rt_cases[_i].bodyhex, body, sizeof body);
	ck_assert_int_ge(bl, 0);
	memcpy(in.vendor, vmsg_rt_cases[_i].vendor, 4);
	in.selector = vmsg_rt_cases[_i].selector;
	in.version = vmsg_rt_cases[_i].version;
	in.body = body;
	in.bodylen = (size_t)bl;
	n = vmsg_encode(&in, out, sizeof out);
	ck_assert_uint_eq(n, VMSG_HDR_LEN + (size_t)bl);
	ck_assert(memcmp(out, vmsg_rt_cases[_i].vendor, 4) == 0);
	ck_assert_uint_eq(peek_le16(out + 4), in.selector);
	ck_assert_uint_eq(peek_le16(out + 6), in.version);
	p = malloc(n);
	ck_assert_ptr_nonnull(p);
	memcpy(p, out, n);
	ck_assert_int_eq(vmsg_decode(p, n, &back), WIRE_OK);
	ck_assert(memcmp(back.vendor, in.vendor, 4) == 0);
	ck_assert_uint_eq(back.selector, in.selector);
	ck_assert_uint_eq(back.version, in.version);
	ck_assert_uint_eq(back.bodylen, (size_t)bl);
	ck_assert(memcmp(back.body, body, (size_t)bl) == 0);
	free(p);
}
END_TEST

START_TEST(test_vmsg_list_round_trip)
{
	/* char-list initializers: the names have no room for a NUL */
	struct vmsg_item	 in[3] = {
		{ { 'G', 'T', 'K', 'G' }, 7, 2 },
		{ { 'L', 'I', 'M', 'E' }, 0xffff, 0x0102 },
		{ { 'B', 'E', 'A', 'R' }, 0, 0 },
	};
	struct vmsg_item	 it;
	uint8_t			 out[64];
	size_t			 n, count, i;

	n = vmsg_supported_encode(in, 3, out, sizeof out);
	ck_assert_uint_eq(n, 2 + 3 * VMSG_ITEM_LEN);
	ck_assert_int_eq(vmsg_supported_decode(out, n, &count), WIRE_OK);
	ck_assert_uint_eq(count, 3);
	for (i = 0; i < 3; i++) {
		vmsg_supported_item(out, i, &it);
		ck_assert(memcmp(it.vendor, in[i].vendor, 4) == 0);
		ck_assert_uint_eq(it.selector, in[i].selector);
		ck_assert_uint_eq(it.version, in[i].version);
	}

	/* features drop the selector on the wire */
	n = vmsg_features_encode(in, 3, out, sizeof out);
	ck_assert_uint_eq(n, 2 + 3 * VMSG_FEATURE_LEN);
	ck_assert_int_eq(vmsg_features_decode(out, n, &count), WIRE_OK);
	ck_assert_uint_eq(count, 3);
	for (i = 0; i < 3; i++) {
		vmsg_features_item(out, i, &it);
		ck_assert(memcmp(it.vendor, in[i].vendor, 4) == 0);
		ck_assert_uint_eq(it.selector, 0);
		ck_assert_uint_eq(it.version, in[i].version);
	}

	/* an empty list is just a zero count */
	ck_assert_uint_eq(vmsg_supported_encode(in, 0, out, sizeof out), 2);
	ck_assert_uint_eq(peek_le16(out), 0);
	ck_assert_uint_eq(vmsg_features_encode(in, 0, out, sizeof out), 2);
	ck_assert_uint_eq(peek_le16(out), 0);
}
END_TEST

enum which { VMSG, SUPPORTED, FEATURES };

static const struct {
	enum which		 which;
	const char		*hex;
	enum wire_status	 want;
	size_t			 count;
} vmsg_bad_cases[] = {
	{ VMSG, "", WIRE_SHORT, 0 },
	{ VMSG, "42454152", WIRE_SHORT, 0 },
	{ VMSG, "42454152 0400 01", WIRE_SHORT, 0 },
	{ VMSG, "42454152 0400 0100", WIRE_OK, 0 },
	{ SUPPORTED, "", WIRE_SHORT, 0 },
	{ SUPPORTED, "01", WIRE_SHORT, 0 },
	{ SUPPORTED, "0000", WIRE_OK, 0 },
	{ SUPPORTED, "0000 00", WIRE_MALFORMED, 0 },
	{ SUPPORTED, "0100", WIRE_MALFORMED, 0 },
	{ SUPPORTED, "0100 42454152 0400 01", WIRE_MALFORMED, 0 },
	{ SUPPORTED, "0100 42454152 0400 0100", WIRE_OK, 1 },
	{ SUPPORTED, "0100 42454152 0400 0100 00", WIRE_MALFORMED, 0 },
	{ SUPPORTED, "0200 42454152 0400 0100", WIRE_MALFORMED, 0 },
	{ SUPPORTED, "ffff 42454152 0400 0100", WIRE_MALFORMED, 0 },
	/* a count read big-endian would match here: it must not */
	{ SUPPORTED, "0001 42454152 0400 0100", WIRE_MALFORMED, 0 },
	{ FEATURES, "", WIRE_SHORT, 0 },
	{ FEATURES, "00", WIRE_SHORT, 0 },
	{ FEATURES, "0000", WIRE_OK, 0 },
	{ FEATURES, "0100 544c5321 01", WIRE_MALFORMED, 0 },
	{ FEATURES, "0100 544c5321 0100", WIRE_OK, 1 },
	{ FEATURES, "0100 544c5321 0100 0000", WIRE_MALFORMED, 0 },
	{ FEATURES, "0200 544c5321 0100", WIRE_MALFORMED, 0 },
};

START_TEST(test_vmsg_malformed)
{
	uint8_t			 buf[64], *p;
	struct vmsg		 v;
	long			 n;
	size_t			 count = 12345;
	enum wire_status	 st = WIRE_END;

	n = tu_hex(vmsg_bad_cases[_i].hex, buf, sizeof buf);
	ck_assert_int_ge(n, 0);
	p = malloc(n > 0 ? (size_t)n : 1);
	ck_assert_ptr_nonnull(p);
	memcpy(p, buf, (size_t)n);
	switch (vmsg_bad_cases[_i].which) {
	case VMSG:
		st = vmsg_decode(p, (size_t)n, &v);
		break;
	case SUPPORTED:
		st = vmsg_supported_decode(p, (size_t)n, &count);
		break;
	case FEATURES:
		st = vmsg_features_decode(p, (size_t)n, &count);
		break;
	}
	ck_assert_msg(st == vmsg_bad_cases[_i].want, "case %d: got %s", _i,
	    wire_strstatus(st));
	if (st == WIRE_OK && vmsg_bad_cases[_i].which != VMSG)
		ck_assert_uint_eq(count, vmsg_bad_cases[_i].count);
	free(p);
}
END_TEST

/*
 * Any prefix of 8 bytes or more is a vendor message with a shorter body, so
 * the header decodes; the list inside must then fail until it is whole.
 */
static void
truncate_list(const char *name, size_t plen,
    enum wire_status (*list)(const uint8_t *, size_t, size_t *))
{
	uint8_t			 buf[512], *p;
	struct vmsg		 v;
	size_t			 n, count;
	enum wire_status	 st;

	load_payload(name, buf, sizeof buf, plen);
	for (n = 0; n <= plen; n++) {
		p = malloc(n > 0 ? n : 1);
		ck_assert_ptr_nonnull(p);
		memcpy(p, buf + HDR, n);
		st = vmsg_decode(p, n, &v);
		if (n < VMSG_HDR_LEN) {
			ck_assert_msg(st == WIRE_SHORT, "%s: %zu", name, n);
			free(p);
			continue;
		}
		ck_assert_int_eq(st, WIRE_OK);
		ck_assert_uint_eq(v.bodylen, n - VMSG_HDR_LEN);
		st = list(v.body, v.bodylen, &count);
		if (n == plen)
			ck_assert_int_eq(st, WIRE_OK);
		else if (n < VMSG_HDR_LEN + 2)
			ck_assert_msg(st == WIRE_SHORT, "%s: %zu", name, n);
		else
			ck_assert_msg(st == WIRE_MALFORMED, "%s: %zu", name, n);
		free(p);
	}
}

START_TEST(test_vmsg_truncation)
{
	truncate_list("vendor-messages-supported.hex", 226,
	    vmsg_supported_decode);
	truncate_list("vendor-features-supported.hex", 46,
	    vmsg_features_decode);
}
END_TEST

START_TEST(test_vmsg_nospace)
{
	struct vmsg_item	 items[2] = {
		{ { 'G', 'T', 'K', 'G' }, 7, 2 },
		{ { 'T', 'L', 'S', '!' }, 0, 1 },
	};
	uint8_t			 body[5] = { 1, 2, 3, 4, 5 }, out[32];
	struct vmsg		 v;
	size_t			 cap;

	memcpy(v.vendor, "GTKG", 4);
	v.selector = 22;
	v.version = 1;
	v.body = body;
	v.bodylen = sizeof body;
	for (cap = 0; cap < 13; cap++)
		ck_assert_msg(vmsg_encode(&v, out, cap) == 0, "cap %zu", cap);
	ck_assert_uint_eq(vmsg_encode(&v, out, 13), 13);
	for (cap = 0; cap < 18; cap++)
		ck_assert_msg(vmsg_supported_encode(items, 2, out, cap) == 0,
		    "cap %zu", cap);
	ck_assert_uint_eq(vmsg_supported_encode(items, 2, out, 18), 18);
	for (cap = 0; cap < 14; cap++)
		ck_assert_msg(vmsg_features_encode(items, 2, out, cap) == 0,
		    "cap %zu", cap);
	ck_assert_uint_eq(vmsg_features_encode(items, 2, out, 14), 14);
}
END_TEST

/* 65535 items is the most the count field holds; one more is refused. */
START_TEST(test_vmsg_count_limit)
{
	static struct vmsg_item	 many[0x10000];
	static uint8_t		 out[2 + 0x10000 * VMSG_ITEM_LEN];
	size_t			 count;

	ck_assert_uint_eq(vmsg_supported_encode(many, 0xffff, out, sizeof out),
	    2 + 0xffff * VMSG_ITEM_LEN);
	ck_assert_int_eq(vmsg_supported_decode(out, 2 + 0xffff * VMSG_ITEM_LEN,
	    &count), WIRE_OK);
	ck_assert_uint_eq(count, 0xffff);
	ck_assert_uint_eq(vmsg_supported_encode(many, 0x10000, out, sizeof out),
	    0);
	ck_assert_uint_eq(vmsg_features_encode(many, 0xffff, out, sizeof out),
	    2 + 0xffff * VMSG_FEATURE_LEN);
	ck_assert_uint_eq(vmsg_features_encode(many, 0x10000, out, sizeof out),
	    0);
}
END_TEST

/* Query status answers (BEAR/12): a count, 2 bytes LE; 0xFFFF stops;
 * a longer body is read for its count, a shorter one is short. */
START_TEST(test_vmsg_qstat)
{
	static const uint8_t	 body[] = { 0x34, 0x12, 0xff, 0xff, 9 };
	struct vmsg		 vm;
	uint16_t		 kept = 0;

	ck_assert_int_eq(vmsg_qstat_decode(body, 2, &kept), WIRE_OK);
	ck_assert_uint_eq(kept, 0x1234);
	ck_assert_int_eq(vmsg_qstat_decode(body + 2, 2, &kept), WIRE_OK);
	ck_assert_uint_eq(kept, VMSG_QSTAT_STOP);
	ck_assert_int_eq(vmsg_qstat_decode(body, 5, &kept), WIRE_OK);
	ck_assert_uint_eq(kept, 0x1234);
	ck_assert_int_eq(vmsg_qstat_decode(body, 1, &kept), WIRE_SHORT);
	ck_assert_int_eq(vmsg_qstat_decode(body, 0, &kept), WIRE_SHORT);
	memset(&vm, 0, sizeof vm);
	memcpy(vm.vendor, "BEAR", 4);
	vm.selector = VMSG_SEL_QSTAT_ANS;
	ck_assert(vmsg_is(&vm, VMSG_VENDOR_BEAR, VMSG_SEL_QSTAT_ANS));
	ck_assert(!vmsg_is(&vm, VMSG_VENDOR_BEAR, VMSG_SEL_QSTAT_REQ));
	memcpy(vm.vendor, "LIME", 4);
	ck_assert(!vmsg_is(&vm, VMSG_VENDOR_BEAR, VMSG_SEL_QSTAT_ANS));
}
END_TEST

/* OOB reply numbers and acks: the count byte, the unsolicited bit of a
 * reply number, a v3 GGEP tail left alone, an empty body short, an ack
 * of version 1 malformed; the requester's address in a MUID. */
START_TEST(test_vmsg_oob)
{
	static const uint8_t	 rn[] = { 7, 1, 0xc3, 0x82, 'S', 'O', 0 };
	static const uint8_t	 ack[] = { 10 };
	struct vmsg		 vm;
	uint8_t			 count = 0, guid[16];
	uint32_t		 ip;
	uint16_t		 port;
	int			 unsol;

	memset(&vm, 0, sizeof vm);
	memcpy(vm.vendor, "LIME", 4);
	vm.selector = VMSG_SEL_OOB_REPLY;
	vm.version = 3;
	vm.body = rn;
	vm.bodylen = sizeof rn;
	ck_assert_int_eq(vmsg_oob_decode(&vm, &count, &unsol), WIRE_OK);
	ck_assert_uint_eq(count, 7);
	ck_assert_int_eq(unsol, 1);
	vm.version = 1;
	vm.bodylen = 1;
	ck_assert_int_eq(vmsg_oob_decode(&vm, &count, &unsol), WIRE_OK);
	ck_assert_int_eq(unsol, 0);
	vm.bodylen = 0;
	ck_assert_int_eq(vmsg_oob_decode(&vm, &count, &unsol), WIRE_SHORT);
	vm.selector = VMSG_SEL_OOB_ACK;
	vm.version = 2;
	vm.body = ack;
	vm.bodylen = sizeof ack;
	ck_assert_int_eq(vmsg_oob_decode(&vm, &count, &unsol), WIRE_OK);
	ck_assert_uint_eq(count, 10);
	vm.version = 1;
	ck_assert_int_eq(vmsg_oob_decode(&vm, &count, &unsol),
	    WIRE_MALFORMED);

	memset(guid, 0xee, sizeof guid);
	vmsg_oob_guid_set(guid, 0x7f000009u, 6346);
	ck_assert_uint_eq(guid[0], 127);
	ck_assert_uint_eq(guid[3], 9);
	ck_assert_uint_eq(guid[13], 6346 & 0xff);
	ck_assert_uint_eq(guid[14], 6346 >> 8);
	ck_assert_uint_eq(guid[8], 0xee);
	vmsg_oob_guid_get(guid, &ip, &port);
	ck_assert_uint_eq(ip, 0x7f000009u);
	ck_assert_uint_eq(port, 6346);
}
END_TEST

/* The vmsg test case. */
TCase *
tc_vmsg(void)
{
	TCase	*tc = tcase_create("vmsg");

	tcase_add_test(tc, test_vmsg_golden_supported);
	tcase_add_test(tc, test_vmsg_golden_features);
	tcase_add_loop_test(tc, test_vmsg_round_trip, 0,
	    sizeof vmsg_rt_cases / sizeof vmsg_rt_cases[0]);
	tcase_add_test(tc, test_vmsg_list_round_trip);
	tcase_add_loop_test(tc, test_vmsg_malformed, 0,
	    sizeof vmsg_bad_cases / sizeof vmsg_bad_cases[0]);
	tcase_add_test(tc, test_vmsg_truncation);
	tcase_add_test(tc, test_vmsg_nospace);
	tcase_add_test(tc, test_vmsg_count_limit);
	tcase_add_test(tc, test_vmsg_qstat);
	tcase_add_test(tc, test_vmsg_oob);
	return tc;
}
