/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * log.h: OpenBSD-style logging. log_warn appends strerror(errno); fatal and
 * fatalx exit. Trace bits select per-subsystem debug lines (-T route).
 */
#ifndef GNODE_LOG_H
#define GNODE_LOG_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

enum log_level {
	LOG_LVL_ERROR,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

#define TRACE_WIRE	0x01
#define TRACE_ROUTE	0x02
#define TRACE_NET	0x04
#define TRACE_HTTP	0x08
#define TRACE_SHARE	0x10
#define TRACE_CTL	0x20

/* The log is process state owned by the program, not by any node. */
void	log_init(FILE *, enum log_level);
void	log_set_level(enum log_level);
enum log_level log_get_level(void);
/* Parse "route,net" into trace bits; -1 on an unknown name. */
long	log_trace_parse(const char *);
void	log_set_trace(uint32_t);
uint32_t log_get_trace(void);
/* Where timestamps come from (the simulator points it at virtual time). */
void	log_set_clock(uint64_t (*)(void *), void *);
/*
 * Which node a line comes from, for a process that runs several (the
 * demo): with tagging on, each line carries after the time the name of
 * the node set when it was logged, or dflt when none is (the process's
 * own node: its commands and signals). NULL turns tagging off. The node
 * is per thread; log_set_node returns the one it replaces, to put back.
 */
void	log_set_tagged(const char *dflt);
const char *log_set_node(const char *);
const char *log_get_node(void);

void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_trace(uint32_t, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
