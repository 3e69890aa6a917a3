/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * qhit.h: QueryHit (0x81).
 *   num_hits(1) port(2 LE) ip(4 BE) speed(4 LE)
 *   { index(4 LE) size(4 LE) name NUL extensions NUL } * num_hits
 *   [ vendor(4) open_size(1) open[open_size] private area (GGEP) ]
 *   servent GUID(16)
 */
#ifndef GNODE_QHIT_H
#define GNODE_QHIT_H

#include "wire/huge.h"

#define QHIT_FIXED_LEN		11
#define QHIT_MAX_PAYLOAD	65536	/* gtkg kicks above 64 KiB */
#define QHIT_RECORDS_PER_MSG	10	/* what we put in one hit ("LimeWire doesn't like more") */

/* Status bits: open[0] says which bits of open[1] are meaningful;
 * gtkg reads status = open[0] & open[1]. */
#define QHIT_S_PUSH		0x01	/* firewalled: push needed */
#define QHIT_S_BUSY		0x04
#define QHIT_S_UPLOADED		0x08
#define QHIT_S_GGEP		0x20

#define QHIT_ENC_GGEP_H		0x01	/* hashes as GGEP H, not text URNs */

#define QHIT_GGEP_H_SHA1	0x01	/* GGEP H: 20-byte SHA-1 */
#define QHIT_GGEP_H_BITPRINT	0x02	/* GGEP H: SHA-1 then Tiger root */

struct qhit_record {
	uint32_t	 index;
	uint64_t	 size;		/* from GGEP LF when present */
	const char	*name;		/* not NUL-terminated; namelen bytes */
	size_t		 namelen;
	uint8_t		 sha1[SHA1_LEN];
	uint8_t		 tth[TTH_LEN];
	unsigned	 has_sha1:1;
	unsigned	 has_tth:1;
	/* A partial file (GGEP PRU, as gtk-gnutella writes it: the time of
	 * its last change, 4 bytes big-endian, then its bytes available,
	 * little-endian, shortest form; an empty value is partial too). */
	unsigned	 partial:1;
	uint32_t	 pru_stamp;
	uint64_t	 pru_avail;
	const uint8_t	*ext;		/* raw extension area of the record */
	size_t		 extlen;
};

struct qhit {
	uint8_t		 nhits;
	uint16_t	 port;
	uint32_t	 ip;		/* host order */
	uint32_t	 speed;		/* kbit/s */
	int		 has_trailer;
	char		 vendor[5];	/* NUL-terminated */
	uint8_t		 open_size;
	uint8_t		 open[4];	/* first four bytes of open data */
	uint8_t		 status;	/* QHIT_S_*, open[0] & open[1] */
	const uint8_t	*priv;		/* private area, GGEP or not */
	size_t		 privlen;
	const uint8_t	*ggep;		/* the GGEP block in it, or NULL */
	size_t		 ggeplen;
	uint8_t		 guid[16];	/* servent GUID of the responder */
};

/*
 * Decode a hit and every record; the first maxrecs go to recs (which may
 * be NULL), all of them are checked. WIRE_MALFORMED when a record runs into
 * the GUID or a URN or GGEP block is broken.
 */
enum wire_status qhit_decode(const uint8_t *, size_t, struct qhit *,
		     struct qhit_record *recs, size_t maxrecs);
/*
 * Encode a hit with n records (n <= 255). The trailer is written when
 * qh->vendor[0] is set, with gtkg's open data built from qh->status and
 * qh->ggep copied as the private area. Each record gets its URN as text or,
 * with QHIT_ENC_GGEP_H, as GGEP H; a Tiger root as GGEP TT (or bitprint H);
 * a size of 2^31 or more as GGEP LF with 0xFFFFFFFF in the size field;
 * a partial file's mark as GGEP PRU.
 */
size_t		 qhit_encode(const struct qhit *, const struct qhit_record *,
		     size_t n, unsigned opts, uint8_t *, size_t);

#endif
