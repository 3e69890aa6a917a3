/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * tc.h: the test cases of the wire suite, one per codec module.
 */
#ifndef GNODE_TC_WIRE_H
#define GNODE_TC_WIRE_H

#include <check.h>

TCase	*tc_addr(void);
TCase	*tc_base32(void);
TCase	*tc_desc(void);
TCase	*tc_ggep(void);
TCase	*tc_hs(void);
TCase	*tc_http(void);
TCase	*tc_ping(void);
TCase	*tc_bye(void);
TCase	*tc_push(void);
TCase	*tc_giv(void);
TCase	*tc_huge(void);
TCase	*tc_query(void);
TCase	*tc_qhit(void);
TCase	*tc_vmsg(void);
TCase	*tc_qrp(void);
TCase	*tc_thex(void);
TCase	*tc_magnet(void);
TCase	*tc_ratelimit(void);
TCase	*tc_buf(void);

#endif
