/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * testutil.h: small helpers shared by the Check suites.
 */
#ifndef GNODE_TESTUTIL_H
#define GNODE_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Decode a hex string (spaces ignored) into out; returns bytes or -1. */
long	 tu_hex(const char *, uint8_t *, size_t cap);
/* Read tests/data/<name> (a .hex file) into out; returns bytes, aborts on error. */
size_t	 tu_vector(const char *name, uint8_t *out, size_t cap);
/* Read tests/data/<name> as raw bytes; returns bytes, aborts on error. */
size_t	 tu_file(const char *name, uint8_t *out, size_t cap);

#endif
