/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * fuzz_desc.c: libFuzzer target for every descriptor decoder. The input is
 * read as a stream of descriptors, as a peer's link delivers them: a header,
 * then its payload handed to the decoder its function names.
 */
#include <stdlib.h>
#include <string.h>

#include "wire/bye.h"
#include "wire/desc.h"
#include "wire/ggep.h"
#include "wire/ping.h"
#include "wire/push.h"
#include "wire/qhit.h"
#include "wire/qrp.h"
#include "wire/query.h"
#include "wire/vmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint8_t	 fz_out[QHIT_MAX_PAYLOAD + 1024];

static void
fz_payload(uint8_t func, const uint8_t *p, size_t len)
{
	static struct qhit_record recs[255];
	struct ping	 pi;
	struct pong	 po;
	struct bye	 by;
	struct push	 pu;
	struct query	 q;
	struct qhit	 qh;
	struct vmsg	 vm;
	struct vmsg_item item;
	uint16_t	 kept;
	uint8_t		 oobn;
	int		 unsol;
	struct qrp	 qr;
	size_t		 n, i, got;

	switch (func) {
	case DESC_PING:
		(void)ping_decode(p, len, &pi);
		break;
	case DESC_PONG:
		if (pong_decode(p, len, &po) == WIRE_OK &&
		    pong_encode(&po, fz_out, sizeof fz_out) == 0)
			abort();
		break;
	case DESC_BYE:
		(void)bye_decode(p, len, &by);
		break;
	case DESC_PUSH:
		if (push_decode(p, len, &pu) == WIRE_OK &&
		    push_encode(&pu, fz_out, sizeof fz_out) == 0)
			abort();
		break;
	case DESC_QUERY:
		if (query_decode(p, len, &q) == WIRE_OK)
			(void)query_encode(&q, fz_out, sizeof fz_out);
		break;
	case DESC_QHIT:
		if (qhit_decode(p, len, &qh, recs, 255) == WIRE_OK)
			(void)qhit_encode(&qh, recs, qh.nhits, 0, fz_out,
			    sizeof fz_out);
		break;
	case DESC_VENDOR:
	case DESC_VENDOR_STD:
		if (vmsg_decode(p, len, &vm) != WIRE_OK)
			break;
		if (vmsg_supported_decode(vm.body, vm.bodylen, &n) == WIRE_OK)
			for (i = 0; i < n; i++)
				vmsg_supported_item(vm.body, i, &item);
		if (vmsg_is(&vm, VMSG_VENDOR_BEAR, VMSG_SEL_QSTAT_ANS))
			(void)vmsg_qstat_decode(vm.body, vm.bodylen, &kept);
		if (vmsg_is(&vm, VMSG_VENDOR_LIME, VMSG_SEL_OOB_REPLY) ||
		    vmsg_is(&vm, VMSG_VENDOR_LIME, VMSG_SEL_OOB_ACK))
			(void)vmsg_oob_decode(&vm, &oobn, &unsol);
		break;
	case DESC_QRP:
		if (qrp_decode(p, len, &qr) == WIRE_OK &&
		    qr.variant == QRP_PATCH && qr.compressor == QRP_COMP_ZLIB)
			(void)qrp_inflate(qr.data, qr.datalen, fz_out,
			    sizeof fz_out, &got);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct desc	 d;
	size_t		 off = 0;

	while (size - off >= DESC_HDR_LEN) {
		if (desc_decode(data + off, size - off, &d) != WIRE_OK)
			break;
		off += DESC_HDR_LEN;
		if (d.len > size - off) {
			/* What the peer sent so far: decoders see a short payload. */
			fz_payload(d.func, data + off, size - off);
			break;
		}
		fz_payload(d.func, data + off, d.len);
		off += d.len;
	}
	return 0;
}
