/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * log.c: the process log. Lines are "time level: message" on one stream,
 * or "time node level: message" where nodes are tagged (the demo).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "lib/log.h"

static FILE		*log_fp;
static enum log_level	 log_level = LOG_LVL_INFO;
static uint32_t		 log_trace_bits;
static uint64_t		(*log_clock)(void *);
static void		*log_clock_arg;
static char		*log_tagged;	/* lines name their node */
/* The node whose work this thread is doing: set by a node's callbacks
 * (and its scan thread), so lines from the demo's five nodes, which
 * share one process, say whose they are. */
static _Thread_local const char *log_node;

static const struct {
	const char	*name;
	uint32_t	 bit;
} log_traces[] = {
	{ "wire", TRACE_WIRE }, { "route", TRACE_ROUTE }, { "net", TRACE_NET },
	{ "http", TRACE_HTTP }, { "share", TRACE_SHARE }, { "ctl", TRACE_CTL },
	{ "all", 0xffffffffu },
};

/* Send log lines to fp (stderr when NULL) at the given level. */
void
log_init(FILE *fp, enum log_level level)
{
	log_fp = fp;
	log_level = level;
}

void
log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

/* Parse a comma-separated list of trace names. */
long
log_trace_parse(const char *s)
{
	uint32_t	 bits = 0;
	const char	*p = s, *e;
	size_t		 i, n;

	while (*p != '\0') {
		e = strchr(p, ',');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		for (i = 0; i < sizeof log_traces / sizeof log_traces[0]; i++) {
			if (strlen(log_traces[i].name) == n &&
			    strncasecmp(log_traces[i].name, p, n) == 0)
				break;
		}
		if (i == sizeof log_traces / sizeof log_traces[0])
			return -1;
		bits |= log_traces[i].bit;
		p += n;
		if (*p == ',')
			p++;
	}
	return (long)bits;
}

void
log_set_trace(uint32_t bits)
{
	log_trace_bits = bits;
}

uint32_t
log_get_trace(void)
{
	return log_trace_bits;
}

void
log_set_clock(uint64_t (*clock)(void *), void *arg)
{
	log_clock = clock;
	log_clock_arg = arg;
}

void
log_set_tagged(const char *dflt)
{
	free(log_tagged);
	log_tagged = dflt != NULL ? strdup(dflt) : NULL;
}

const char *
log_set_node(const char *name)
{
	const char	*was = log_node;

	log_node = name;
	return was;
}

const char *
log_get_node(void)
{
	return log_node;
}

static void log_vwrite(const char *, const char *, va_list, int)
    __attribute__((format(printf, 2, 0)));

static void
log_vwrite(const char *level, const char *fmt, va_list ap, int err)
{
	FILE		*fp = log_fp != NULL ? log_fp : stderr;
	char		 when[32];
	struct timespec	 ts;
	struct tm	 tm;
	uint64_t	 ms;

	if (log_clock != NULL) {
		ms = log_clock(log_clock_arg);
		snprintf(when, sizeof when, "t=%llu.%03u",
		    (unsigned long long)(ms / 1000), (unsigned)(ms % 1000));
	} else {
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	}
	if (log_tagged != NULL)
		fprintf(fp, "%s %s %s: ", when, log_node != NULL ? log_node :
		    log_tagged, level);
	else
		fprintf(fp, "%s %s: ", when, level);
	vfprintf(fp, fmt, ap);
	if (err != 0)
		fprintf(fp, ": %s", strerror(err));
	fputc('\n', fp);
	fflush(fp);
}

#define LOG_BODY(lvl, name, err) do {			\
	va_list	 ap;					\
	if (log_level < (lvl))				\
		return;					\
	va_start(ap, fmt);				\
	log_vwrite((name), fmt, ap, (err));		\
	va_end(ap);					\
} while (0)

void
log_warn(const char *fmt, ...)
{
	int	 saved = errno;

	LOG_BODY(LOG_LVL_WARN, "warn", saved);
}

void
log_warnx(const char *fmt, ...)
{
	LOG_BODY(LOG_LVL_WARN, "warn", 0);
}

void
log_info(const char *fmt, ...)
{
	LOG_BODY(LOG_LVL_INFO, "info", 0);
}

void
log_debug(const char *fmt, ...)
{
	LOG_BODY(LOG_LVL_DEBUG, "debug", 0);
}

/* A debug line shown only when its subsystem is traced. */
void
log_trace(uint32_t bit, const char *fmt, ...)
{
	va_list	 ap;

	if ((log_trace_bits & bit) == 0)
		return;
	va_start(ap, fmt);
	log_vwrite("trace", fmt, ap, 0);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vwrite("fatal", fmt, ap, saved);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite("fatal", fmt, ap, 0);
	va_end(ap);
	exit(1);
}
