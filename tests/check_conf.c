/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * check_conf.c: gnode.conf parsing: every key, its errors, and the checks
 * across keys.
 */
#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "lib/log.h"

static char	 conf_path[64];

/* Write text to a temp file and load it over the defaults. */
static int
load(struct conf *c, const char *text, char **cause)
{
	FILE	*fp;
	int	 fd;

	strcpy(conf_path, "/tmp/gnode-conf-XXXXXX");
	fd = mkstemp(conf_path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fputs(text, fp);
	fclose(fp);
	conf_defaults(c);
	*cause = NULL;
	fd = conf_load(c, conf_path, cause);
	unlink(conf_path);
	return fd;
}

START_TEST(test_conf_every_key)
{
	struct conf	 c;
	char		*cause;

	ck_assert_int_eq(load(&c,
	    "# comment\n"
	    "[node]\n"
	    "data_dir = /var/lib/gnode\n"
	    "log_level = debug\n"
	    "trace = wire,http\n"
	    "listen = 0.0.0.0:6347\n"
	    "control = /run/gnode/control\n"
	    "pid_file = /run/gnode/pid\n"
	    "control_clients = 4\n"
	    "control_timeout = 5\n"
	    "[net]\n"
	    "seed = 192.0.2.1:6346\n"
	    "min_peers = 5\n"
	    "max_peers = 50\n"
	    "compress = off\n"
	    "ping_interval = 30\n"
	    "idle_timeout = 120\n"
	    "max_ttl = 7\n"
	    "send_queue = 1M\n"
	    "hosts_max = 5000\n"
	    "[search]\n"
	    "strategy = walk\n"
	    "ttl = 3\n"
	    "walkers = 32\n"
	    "walk_ttl = 512\n"
	    "check = 8\n"
	    "target = 300\n"
	    "[share]\n"
	    "dir = /srv/music\n"
	    "dir = /srv/films\n"
	    "min_size = 1k\n"
	    "max_size = 4G\n"
	    "extensions = mp3, .OGG,flac\n", &cause), 0);
	ck_assert_str_eq(c.data_dir, "/var/lib/gnode");
	ck_assert_int_eq(c.log_level, LOG_LVL_DEBUG);
	ck_assert_uint_eq(c.trace, TRACE_WIRE | TRACE_HTTP);
	ck_assert_uint_eq(c.listen_ip, 0);
	ck_assert_uint_eq(c.listen_port, 6347);
	ck_assert_uint_eq(c.control_clients, 4);
	ck_assert_uint_eq(c.control_timeout, 5);
	ck_assert_str_eq(c.control, "/run/gnode/control");
	ck_assert_str_eq(c.pid_file, "/run/gnode/pid");
	ck_assert_uint_eq(c.nseeds, 1);
	ck_assert_str_eq(c.seeds[0], "192.0.2.1:6346");
	ck_assert_uint_eq(c.min_peers, 5);
	ck_assert_uint_eq(c.max_peers, 50);
	ck_assert_int_eq(c.compress, 0);
	ck_assert_uint_eq(c.ping_interval, 30);
	ck_assert_uint_eq(c.idle_timeout, 120);
	ck_assert_uint_eq(c.max_ttl, 7);
	ck_assert_uint_eq(c.send_queue, 1 << 20);
	ck_assert_uint_eq(c.hosts_max, 5000);
	ck_assert_str_eq(c.strategy, "walk");
	ck_assert_uint_eq(c.ttl, 3);
	ck_assert_uint_eq(c.walkers, 32);
	ck_assert_uint_eq(c.walk_ttl, 512);
	ck_assert_uint_eq(c.check, 8);
	ck_assert_uint_eq(c.target, 300);
	ck_assert_uint_eq(c.nshare_dirs, 2);
	ck_assert_str_eq(c.share_dirs[1], "/srv/films");
	ck_assert_uint_eq(c.share_min_size, 1024);
	ck_assert_uint_eq(c.share_max_size, 4ull << 30);
	ck_assert_uint_eq(c.nshare_exts, 3);
	ck_assert_str_eq(c.share_exts[1], "OGG");
	ck_assert_int_eq(conf_check(&c, &cause), 0);
	conf_free(&c);
}
END_TEST

static const struct {
	const char	*text;
	const char	*cause;		/* a part of the message */
} conf_bad[] = {
	{ "[node]\nport = 6346\n", ":2: unknown key [node] port" },
	{ "[nod]\ndata_dir = /x\n",
	    ":2: unknown section [nod] (did you mean [node]?)" },
	{ "[nodes]\ndata_dir = /x\n",
	    ":2: unknown section [nodes] (did you mean [node]?)" },
	{ "[zzz]\nx = 1\n", ":2: unknown section [zzz]" },
	{ "[node]\ndata_dri = /x\n",
	    ":2: unknown key [node] data_dri (did you mean data_dir?)" },
	{ "[net]\ndata_dir = /x\n",
	    ":2: unknown key [net] data_dir (data_dir is a key of [node])" },
	{ "[node]\nlog_level = loud\n", "not error, warn, info or debug" },
	{ "[share]\nmin_size = lots\n", "bad size lots" },
	{ "[share]\nmin_size = 99999999999999999999\n", "bad size" },
	{ "[share]\nmax_size = 5T\n", "bad size 5T" },
	{ "[node]\ndata_dir =\n", "empty path" },
	{ "[node\n", ":1:" },
	/* The networked node's keys: each type's bad values. */
	{ "[node]\nlisten = 127.0.0.1:0\n",
	    ":2: bad value for [node] listen: 127.0.0.1:0 is not" },
	{ "[node]\nlisten = 127.0.0.1:65536\n", "listen: 127.0.0.1:65536" },
	{ "[node]\nlisten = 1.2.3:5\n", "listen: 1.2.3:5 is not an IPv4" },
	{ "[node]\nlisten = host:1\n", "listen: host:1 is not" },
	{ "[node]\nlisten = 127.0.0.1\n", "bad value for [node] listen" },
	{ "[node]\nlisten = 127.0.0.1:\n", "bad value for [node] listen" },
	{ "[node]\nlisten = 127.0.0.1:+80\n", "bad value for [node] listen" },
	{ "[node]\nlisten = 127.0.0.1:80x\n", "bad value for [node] listen" },
	{ "[node]\nlisten = :6346\n", "bad value for [node] listen" },
	{ "[node]\nlisten = ::1:6346\n", "bad value for [node] listen" },
	{ "[node]\nlisten = 1.2.3.4.5:6\n", "bad value for [node] listen" },
	{ "[node]\nlisten = 1.2.3.256:6\n", "bad value for [node] listen" },
	{ "[node]\nlisten =\n", "bad value for [node] listen" },
	{ "[net]\nseed = 1.2.3.4:5\nseed = host:1\n",
	    ":3: bad value for [net] seed: host:1" },
	{ "[net]\nseed = 0.0.0.0:6346\n", "bad value for [net] seed" },
	{ "[net]\nseed = 1.2.3.4:0\n", "bad value for [net] seed" },
	{ "[net]\nmin_peers = 1001\n",
	    ":2: bad value for [net] min_peers: 1001 is not a whole number "
	    "within 0-1000" },
	{ "[net]\nmin_peers = -1\n", "bad value for [net] min_peers: -1" },
	{ "[net]\nmin_peers = 3x\n", "bad value for [net] min_peers: 3x" },
	{ "[net]\nmin_peers =\n", "bad value for [net] min_peers" },
	{ "[net]\nmin_peers = 99999999999999999999\n", "min_peers: 9999" },
	{ "[net]\nmax_peers = 0\n", "max_peers: 0 is not a whole number "
	    "within 1-1000" },
	{ "[net]\ncompress = maybe\n",
	    "bad value for [net] compress: maybe is not true or false" },
	{ "[net]\ncompress = 2\n", "bad value for [net] compress" },
	{ "[net]\ncompress =\n", "bad value for [net] compress" },
	{ "[net]\nping_interval = 0\n", "ping_interval: 0 is not" },
	{ "[net]\nping_interval = 3601\n", "within 1-3600" },
	{ "[net]\nidle_timeout = 4\n", "idle_timeout: 4 is not" },
	{ "[net]\nidle_timeout = 86401\n", "within 5-86400" },
	{ "[net]\nmax_ttl = 0\n", "max_ttl: 0 is not" },
	/* Junk after a number is no number, with or without a space. */
	{ "[net]\nmax_peers = 5junk\n", ":2: bad value for [net] max_peers" },
	{ "[net]\nmax_peers = 5 junk\n", ":2: bad value for [net] max_peers" },
	{ "[net]\nmax_peers = 5.0\n", ":2: bad value for [net] max_peers" },
	{ "[node]\ncontrol_clients = 0\n", "within 1-1024" },
	{ "[node]\ncontrol_clients = 1025\n", "control_clients: 1025" },
	{ "[node]\ncontrol_timeout = 0\n", "within 1-86400" },
	{ "[node]\ncontrol_timeout = 60s\n", "control_timeout: 60s" },
	{ "[net]\nmax_ttl = 16\n", "within 1-15" },
	{ "[net]\nsend_queue = 15k\n",
	    "bad value for [net] send_queue: size 15k is not within 16k-64M" },
	{ "[net]\nsend_queue = 65M\n", "send_queue: size 65M" },
	{ "[net]\nsend_queue = lots\n", "send_queue: bad size lots" },
	{ "[net]\nhosts_max = 9\n", "within 10-100000" },
	{ "[net]\nhosts_max = 100001\n", "hosts_max: 100001" },
	{ "[net]\nseeds = 1.2.3.4:5\n",
	    ":2: unknown key [net] seeds (did you mean seed?)" },
	{ "[search]\nstrategy = bfs\n",
	    ":2: bad value for [search] strategy: bfs is not flood, ring, "
	    "walk or dq" },
	{ "[search]\nstrategy =\n", "bad value for [search] strategy" },
	{ "[search]\nttl = 0\n", "[search] ttl: 0 is not" },
	{ "[search]\nttl = 16\n", "within 1-15" },
	{ "[search]\nwalkers = 65\n", "within 1-64" },
	{ "[search]\nwalk_ttl = 1025\n", "within 1-1024" },
	{ "[search]\ncheck = 17\n", "within 1-16" },
	{ "[search]\ntarget = 0\n", "within 1-100000" },
	{ "[search]\ntarget = 100001\n", "within 1-100000" },
	{ "[search]\nflood = 1\n", ":2: unknown key [search] flood" },
	{ "[node]\ntrace = route,bogus\n",
	    ":2: bad value for [node] trace: route,bogus" },
	{ "[node]\ntrace = verbose\n", "trace names are wire, route" },
	{ "[node]\ntrace = ,net\n", "bad value for [node] trace" },
	{ "[net]\nscope = 10.0.0.0/33\n",
	    ":2: bad value for [net] scope: 10.0.0.0/33 is not a CIDR range" },
	{ "[net]\nscope = 10.0.0.0/8, 10.1.2.3/8\n",
	    ":2: bad value for [net] scope: 10.1.2.3/8 is not a CIDR range "
	    "(a.b.c.d/0-32, host bits zero)" },
	{ "[net]\nscope = 192.168.0.0/16\n\nscope = 300.0.0.0/8\n",
	    ":4: bad value for [net] scope: 300.0.0.0/8" },
	{ "[net]\nscope = 10.0.0.0/8:6346\n", "scope: 10.0.0.0/8:6346" },
	{ "[net]\nscope = ten/8\n", ":2: bad value for [net] scope: ten/8" },
	{ "[net]\nscope = 0x0a000000/8\n", "scope: 0x0a000000/8" },
	/* The line of the first error, after good lines and comments. */
	{ "[node]\n# a comment\nlisten = 0.0.0.0:6346\n\n[net]\n"
	    "compress = off\nmax_ttl = 99\nmax_ttl = 100\n",
	    ":7: bad value for [net] max_ttl: 99" },
};

START_TEST(test_conf_errors)
{
	struct conf	 c;
	char		*cause;

	ck_assert_int_eq(load(&c, conf_bad[_i].text, &cause), -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strstr(cause, conf_bad[_i].cause) != NULL,
	    "cause \"%s\" lacks \"%s\"", cause, conf_bad[_i].cause);
	free(cause);
	conf_free(&c);
}
END_TEST

/* A field of struct conf and the value it must hold. */
enum conf_kind { K_INT, K_UNSIGNED, K_U16, K_U32, K_U64 };

static uint64_t
field(const struct conf *c, size_t off, enum conf_kind kind)
{
	const char	*p = (const char *)c + off;

	switch (kind) {
	case K_INT:
		return (uint64_t)*(const int *)p;
	case K_UNSIGNED:
		return *(const unsigned *)p;
	case K_U16:
		return *(const uint16_t *)p;
	case K_U32:
		return *(const uint32_t *)p;
	case K_U64:
		return *(const uint64_t *)p;
	}
	return 0;
}

#define F(f, k)	offsetof(struct conf, f), k

/* Every numeric key at its default. */
static const struct {
	size_t		 off;
	enum conf_kind	 kind;
	uint64_t	 want;
} conf_defaults_num[] = {
	{ F(log_level, K_INT), LOG_LVL_INFO },
	{ F(trace, K_U32), 0 },
	{ F(listen_ip, K_U32), 0x7f000001 },
	{ F(listen_port, K_U16), 6346 },
	{ F(min_peers, K_UNSIGNED), 3 },
	{ F(max_peers, K_UNSIGNED), 32 },
	{ F(compress, K_INT), 1 },
	{ F(ping_interval, K_UNSIGNED), 20 },
	{ F(idle_timeout, K_UNSIGNED), 90 },
	{ F(control_clients, K_UNSIGNED), 16 },
	{ F(control_timeout, K_UNSIGNED), 60 },
	{ F(handshakes_per_addr, K_UNSIGNED), 8 },
	{ F(handshakes_max, K_UNSIGNED), 64 },
	{ F(handshake_timeout, K_UNSIGNED), 20 },
	{ F(max_ttl, K_UNSIGNED), 4 },
	{ F(send_queue, K_U64), 256 * 1024 },
	{ F(hosts_max, K_UNSIGNED), 1000 },
	{ F(ttl, K_UNSIGNED), 4 },
	{ F(walkers, K_UNSIGNED), 16 },
	{ F(walk_ttl, K_UNSIGNED), 1024 },
	{ F(check, K_UNSIGNED), 4 },
	{ F(target, K_UNSIGNED), 150 },
	{ F(share_min_size, K_U64), 1 },
	{ F(share_max_size, K_U64), 0 },
};

/* [net] scope: comma- or blank-separated, repeatable, all or nothing. */
START_TEST(test_conf_scope)
{
	struct conf	 c;
	char		*cause, line[32];
	size_t		 i;

	ck_assert_int_eq(load(&c, "[net]\nscope = 10.0.0.0/8\n", &cause), 0);
	ck_assert_uint_eq(c.nscope, 1);
	ck_assert_uint_eq(c.scope[0].net, 0x0a000000u);
	ck_assert_uint_eq(c.scope[0].mask, 0xff000000u);
	ck_assert(addr_net_match(c.scope, c.nscope, 0x0a010203u));
	ck_assert(!addr_net_match(c.scope, c.nscope, 0x0b000001u));
	conf_free(&c);

	ck_assert_int_eq(load(&c, "[net]\n"
	    "scope = 100.64.0.0/10, 192.0.2.0/24\n"
	    "scope = 198.51.100.7\n", &cause), 0);
	ck_assert_uint_eq(c.nscope, 3);
	ck_assert_uint_eq(c.scope[2].mask, 0xffffffffu);
	/* A bad line adds nothing, not even its good ranges. */
	ck_assert_int_eq(conf_set(&c, "net", "scope",
	    "203.0.113.0/24 1.2.3.4/8", &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "1.2.3.4/8 is not a CIDR range"));
	free(cause);
	ck_assert_uint_eq(c.nscope, 3);
	conf_free(&c);
	ck_assert_uint_eq(c.nscope, 0);

	/* 64 ranges at most. */
	conf_defaults(&c);
	ck_assert_uint_eq(c.nscope, 0);
	for (i = 0; i < ADDR_NET_MAX; i++) {
		snprintf(line, sizeof line, "10.%zu.0.0/16", i);
		ck_assert_int_eq(conf_set(&c, "net", "scope", line, &cause), 0);
	}
	ck_assert_int_eq(conf_set(&c, "net", "scope", "10.200.0.0/16", &cause),
	    -1);
	ck_assert_ptr_nonnull(strstr(cause, "more than 64 ranges"));
	free(cause);
	ck_assert_uint_eq(c.nscope, ADDR_NET_MAX);
	conf_free(&c);
}
END_TEST

START_TEST(test_conf_defaults)
{
	struct conf	 c;
	char		*cause = NULL, *p;
	size_t		 i;

	setenv("HOME", "/home/tester", 1);
	conf_defaults(&c);
	for (i = 0; i < sizeof conf_defaults_num / sizeof conf_defaults_num[0];
	    i++)
		ck_assert_msg(field(&c, conf_defaults_num[i].off,
		    conf_defaults_num[i].kind) == conf_defaults_num[i].want,
		    "default %zu", i);
	ck_assert_str_eq(c.data_dir, "/home/tester/.gnode");
	ck_assert_str_eq(c.strategy, "flood");
	ck_assert_ptr_null(c.control);
	ck_assert_ptr_null(c.pid_file);
	ck_assert_uint_eq(c.nseeds, 0);
	ck_assert_ptr_null(c.seeds);
	ck_assert_uint_eq(c.nshare_dirs, 0);
	ck_assert_uint_eq(c.nshare_exts, 0);
	ck_assert_int_eq(conf_check(&c, &cause), 0);
	p = conf_control_path(&c);
	ck_assert_str_eq(p, "/home/tester/.gnode/control");
	free(p);
	conf_free(&c);
}
END_TEST

/* Good values of every typed key, as a file line, and what they set. */
static const struct {
	const char	*section;
	const char	*key;
	const char	*value;
	size_t		 off;
	enum conf_kind	 kind;
	uint64_t	 want;
} conf_good[] = {
	{ "node", "log_level", "WARN", F(log_level, K_INT), LOG_LVL_WARN },
	{ "node", "trace", "route,net", F(trace, K_U32),
	    TRACE_ROUTE | TRACE_NET },
	{ "node", "trace", " wire , CTL ", F(trace, K_U32),
	    TRACE_WIRE | TRACE_CTL },
	{ "node", "trace", "http,share,", F(trace, K_U32),
	    TRACE_HTTP | TRACE_SHARE },
	{ "node", "trace", "all", F(trace, K_U32), 0xffffffffu },
	{ "node", "trace", "", F(trace, K_U32), 0 },
	{ "node", "listen", "0.0.0.0:6346", F(listen_ip, K_U32), 0 },
	{ "node", "listen", "10.1.2.3:1", F(listen_ip, K_U32), 0x0a010203 },
	{ "node", "listen", "10.1.2.3:1", F(listen_port, K_U16), 1 },
	{ "node", "listen", "255.255.255.255:65535", F(listen_port, K_U16),
	    65535 },
	{ "net", "min_peers", "0", F(min_peers, K_UNSIGNED), 0 },
	{ "net", "min_peers", "1000", F(min_peers, K_UNSIGNED), 1000 },
	{ "net", "max_peers", "1", F(max_peers, K_UNSIGNED), 1 },
	{ "net", "max_peers", "1000", F(max_peers, K_UNSIGNED), 1000 },
	{ "net", "compress", "false", F(compress, K_INT), 0 },
	{ "net", "compress", "No", F(compress, K_INT), 0 },
	{ "net", "compress", "OFF", F(compress, K_INT), 0 },
	{ "net", "compress", "0", F(compress, K_INT), 0 },
	{ "net", "compress", "TRUE", F(compress, K_INT), 1 },
	{ "net", "compress", "yes", F(compress, K_INT), 1 },
	{ "net", "compress", "On", F(compress, K_INT), 1 },
	{ "net", "compress", "1", F(compress, K_INT), 1 },
	{ "net", "ping_interval", "1", F(ping_interval, K_UNSIGNED), 1 },
	{ "net", "ping_interval", "3600", F(ping_interval, K_UNSIGNED), 3600 },
	{ "net", "idle_timeout", "5", F(idle_timeout, K_UNSIGNED), 5 },
	{ "net", "idle_timeout", "86400", F(idle_timeout, K_UNSIGNED), 86400 },
	{ "net", "max_ttl", "1", F(max_ttl, K_UNSIGNED), 1 },
	{ "net", "max_ttl", "15", F(max_ttl, K_UNSIGNED), 15 },
	{ "net", "send_queue", "16k", F(send_queue, K_U64), 16384 },
	{ "net", "send_queue", "64M", F(send_queue, K_U64), 64 << 20 },
	{ "net", "send_queue", "100000", F(send_queue, K_U64), 100000 },
	{ "net", "hosts_max", "10", F(hosts_max, K_UNSIGNED), 10 },
	{ "net", "hosts_max", "100000", F(hosts_max, K_UNSIGNED), 100000 },
	{ "search", "ttl", "1", F(ttl, K_UNSIGNED), 1 },
	{ "search", "ttl", "15", F(ttl, K_UNSIGNED), 15 },
	{ "search", "walkers", "1", F(walkers, K_UNSIGNED), 1 },
	{ "search", "walkers", "64", F(walkers, K_UNSIGNED), 64 },
	{ "search", "walk_ttl", "1", F(walk_ttl, K_UNSIGNED), 1 },
	{ "search", "walk_ttl", "1024", F(walk_ttl, K_UNSIGNED), 1024 },
	{ "search", "check", "1", F(check, K_UNSIGNED), 1 },
	{ "search", "check", "16", F(check, K_UNSIGNED), 16 },
	{ "search", "target", "1", F(target, K_UNSIGNED), 1 },
	{ "search", "target", "100000", F(target, K_UNSIGNED), 100000 },
};

START_TEST(test_conf_good)
{
	struct conf	 c;
	char		 text[256], *cause;

	snprintf(text, sizeof text, "[%s]\n%s = %s\n", conf_good[_i].section,
	    conf_good[_i].key, conf_good[_i].value);
	ck_assert_msg(load(&c, text, &cause) == 0, "%s", cause);
	ck_assert_msg(field(&c, conf_good[_i].off, conf_good[_i].kind) ==
	    conf_good[_i].want, "[%s] %s = %s", conf_good[_i].section,
	    conf_good[_i].key, conf_good[_i].value);
	conf_free(&c);

	/* A command-line override sets the same. */
	conf_defaults(&c);
	ck_assert_int_eq(conf_set(&c, conf_good[_i].section, conf_good[_i].key,
	    conf_good[_i].value, &cause), 0);
	ck_assert(field(&c, conf_good[_i].off, conf_good[_i].kind) ==
	    conf_good[_i].want);
	conf_free(&c);
}
END_TEST

START_TEST(test_conf_strategy)
{
	static const char *const in[] = { "flood", "ring", "walk", "dq", "DQ",
	    "Walk" };
	static const char *const out[] = { "flood", "ring", "walk", "dq", "dq",
	    "walk" };
	struct conf	 c;
	char		*cause = NULL;
	size_t		 i;

	conf_defaults(&c);
	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		ck_assert_int_eq(conf_set(&c, "search", "strategy", in[i],
		    &cause), 0);
		ck_assert_str_eq(c.strategy, out[i]);
	}
	/* A bad value leaves the last good one. */
	ck_assert_int_eq(conf_set(&c, "search", "strategy", "bfs", &cause), -1);
	ck_assert_str_eq(cause, "bad value for [search] strategy: bfs is not "
	    "flood, ring, walk or dq");
	free(cause);
	ck_assert_str_eq(c.strategy, "walk");
	conf_free(&c);
}
END_TEST

START_TEST(test_conf_seeds)
{
	struct conf	 c;
	char		*cause;

	ck_assert_int_eq(load(&c,
	    "[net]\n"
	    "seed = 192.0.2.1:6346\n"
	    "seed = 198.51.100.7:1\n"
	    "seed = 203.0.113.9:65535\n", &cause), 0);
	ck_assert_uint_eq(c.nseeds, 3);
	ck_assert_str_eq(c.seeds[0], "192.0.2.1:6346");
	ck_assert_str_eq(c.seeds[1], "198.51.100.7:1");
	ck_assert_str_eq(c.seeds[2], "203.0.113.9:65535");
	/* conf_set adds one more; a bad one adds nothing. */
	ck_assert_int_eq(conf_set(&c, "net", "seed", "10.0.0.1:6347", &cause),
	    0);
	ck_assert_int_eq(conf_set(&c, "net", "seed", "10.0.0.1", &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "bad value for [net] seed"));
	free(cause);
	ck_assert_uint_eq(c.nseeds, 4);
	ck_assert_str_eq(c.seeds[3], "10.0.0.1:6347");
	conf_free(&c);
	ck_assert_uint_eq(c.nseeds, 0);
	ck_assert_ptr_null(c.seeds);
}
END_TEST

START_TEST(test_conf_override)
{
	struct conf	 c;
	char		*cause;

	ck_assert_int_eq(load(&c,
	    "[node]\n"
	    "listen = 0.0.0.0:6346\n"
	    "trace = route\n"
	    "[net]\n"
	    "max_peers = 20\n"
	    "compress = no\n"
	    "[search]\n"
	    "strategy = dq\n", &cause), 0);
	ck_assert_uint_eq(c.listen_ip, 0);
	ck_assert_uint_eq(c.max_peers, 20);
	ck_assert_int_eq(c.compress, 0);
	ck_assert_str_eq(c.strategy, "dq");
	ck_assert_uint_eq(c.trace, TRACE_ROUTE);
	/* A flag after the file wins; the last value of a key counts. */
	ck_assert_int_eq(conf_set(&c, "node", "listen", "127.0.0.1:7000",
	    &cause), 0);
	ck_assert_int_eq(conf_set(&c, "net", "max_peers", "5", &cause), 0);
	ck_assert_int_eq(conf_set(&c, "net", "compress", "on", &cause), 0);
	ck_assert_int_eq(conf_set(&c, "search", "strategy", "ring", &cause), 0);
	ck_assert_int_eq(conf_set(&c, "node", "trace", "", &cause), 0);
	ck_assert_uint_eq(c.listen_ip, 0x7f000001);
	ck_assert_uint_eq(c.listen_port, 7000);
	ck_assert_uint_eq(c.max_peers, 5);
	ck_assert_int_eq(c.compress, 1);
	ck_assert_str_eq(c.strategy, "ring");
	ck_assert_uint_eq(c.trace, 0);
	/* A bad override names the key but no file, and changes nothing. */
	ck_assert_int_eq(conf_set(&c, "net", "max_peers", "0", &cause), -1);
	ck_assert_str_eq(cause, "bad value for [net] max_peers: 0 is not a "
	    "whole number within 1-1000");
	free(cause);
	ck_assert_uint_eq(c.max_peers, 5);
	ck_assert_int_eq(conf_set(&c, "node", "listen", "1.2.3.4:0", &cause),
	    -1);
	free(cause);
	ck_assert_uint_eq(c.listen_port, 7000);
	ck_assert_int_eq(conf_set(&c, "net", "nope", "1", &cause), -1);
	ck_assert_str_eq(cause, "unknown key [net] nope");
	free(cause);
	conf_free(&c);
}
END_TEST

START_TEST(test_conf_paths)
{
	struct conf	 c;
	char		*cause = NULL, *p;

	setenv("HOME", "/home/tester", 1);
	conf_defaults(&c);
	conf_set(&c, "node", "data_dir", "/var/lib/gnode", &cause);
	p = conf_control_path(&c);
	ck_assert_str_eq(p, "/var/lib/gnode/control");
	free(p);
	ck_assert_int_eq(conf_set(&c, "node", "control", "/run/gnode.sock",
	    &cause), 0);
	p = conf_control_path(&c);
	ck_assert_str_eq(p, "/run/gnode.sock");
	free(p);
	ck_assert_int_eq(conf_set(&c, "node", "control", "~/gn.sock", &cause),
	    0);
	p = conf_control_path(&c);
	ck_assert_str_eq(p, "/home/tester/gn.sock");
	free(p);
	/* Empty is unset again: back to data_dir/control. */
	ck_assert_int_eq(conf_set(&c, "node", "control", "", &cause), 0);
	ck_assert_ptr_null(c.control);
	p = conf_control_path(&c);
	ck_assert_str_eq(p, "/var/lib/gnode/control");
	free(p);
	ck_assert_int_eq(conf_set(&c, "node", "pid_file", "/run/gnode.pid",
	    &cause), 0);
	ck_assert_str_eq(c.pid_file, "/run/gnode.pid");
	ck_assert_int_eq(conf_set(&c, "node", "pid_file", "", &cause), 0);
	ck_assert_ptr_null(c.pid_file);
	conf_set(&c, "node", "pid_file", "/run/gnode.pid", &cause);
	conf_set(&c, "node", "control", "/run/gnode.sock", &cause);
	conf_free(&c);
}
END_TEST

/* conf_parse_addr alone. */
static const struct {
	const char	*s;
	int		 rc;
	uint32_t	 ip;
	uint16_t	 port;
} conf_addrs[] = {
	{ "127.0.0.1:6346", 0, 0x7f000001, 6346 },
	{ "0.0.0.0:1", 0, 0, 1 },
	{ "255.255.255.255:65535", 0, 0xffffffff, 65535 },
	{ "192.0.2.10:080", 0, 0xc000020a, 80 },
	{ "127.0.0.1:0", -1, 0, 0 },
	{ "127.0.0.1:65536", -1, 0, 0 },
	{ "127.0.0.1:99999999999999999999999", -1, 0, 0 },
	{ "127.0.0.1:-1", -1, 0, 0 },
	{ "127.0.0.1: 80", -1, 0, 0 },
	{ "127.0.0.1:80 ", -1, 0, 0 },
	{ "127.0.0.1:", -1, 0, 0 },
	{ "127.0.0.1", -1, 0, 0 },
	{ "1.2.3:5", -1, 0, 0 },
	{ "1.2.3.4.5:5", -1, 0, 0 },
	{ "256.1.1.1:5", -1, 0, 0 },
	{ "host:1", -1, 0, 0 },
	{ "localhost:6346", -1, 0, 0 },
	{ "[::1]:6346", -1, 0, 0 },
	{ "1234567890123456789:1", -1, 0, 0 },
	{ ":1", -1, 0, 0 },
	{ "", -1, 0, 0 },
};

START_TEST(test_conf_parse_addr)
{
	uint32_t	 ip = 1;
	uint16_t	 port = 1;
	int		 rc;

	rc = conf_parse_addr(conf_addrs[_i].s, &ip, &port);
	ck_assert_msg(rc == conf_addrs[_i].rc, "\"%s\": %d", conf_addrs[_i].s,
	    rc);
	if (rc == 0) {
		ck_assert_uint_eq(ip, conf_addrs[_i].ip);
		ck_assert_uint_eq(port, conf_addrs[_i].port);
	}
}
END_TEST

START_TEST(test_conf_checks)
{
	struct conf	 c;
	char		*cause = NULL;

	conf_defaults(&c);
	ck_assert_int_eq(conf_set(&c, "share", "dir", "relative/dir", &cause), 0);
	ck_assert_int_eq(conf_check(&c, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "not an absolute path"));
	free(cause);
	conf_free(&c);

	conf_defaults(&c);
	conf_set(&c, "share", "dir", "/srv/share/", &cause);
	conf_set(&c, "node", "data_dir", "/srv/share/.gnode", &cause);
	ck_assert_int_eq(conf_check(&c, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "inside the shared directory"));
	free(cause);
	/* A sibling with a common prefix is not inside. */
	conf_set(&c, "node", "data_dir", "/srv/share2", &cause);
	ck_assert_int_eq(conf_check(&c, &cause), 0);
	conf_free(&c);

	conf_defaults(&c);
	conf_set(&c, "share", "min_size", "10", &cause);
	conf_set(&c, "share", "max_size", "5", &cause);
	ck_assert_int_eq(conf_check(&c, &cause), -1);
	free(cause);
	conf_free(&c);

	/* The dialer aims below max_peers, never above it. */
	conf_defaults(&c);
	conf_set(&c, "net", "min_peers", "9", &cause);
	conf_set(&c, "net", "max_peers", "8", &cause);
	ck_assert_int_eq(conf_check(&c, &cause), -1);
	ck_assert_str_eq(cause, "[net] min_peers (9) is above max_peers (8)");
	free(cause);
	conf_set(&c, "net", "max_peers", "9", &cause);
	ck_assert_int_eq(conf_check(&c, &cause), 0);
	conf_set(&c, "net", "min_peers", "0", &cause);
	ck_assert_int_eq(conf_check(&c, &cause), 0);
	conf_free(&c);
}
END_TEST

/* Bytes (NULs included) to a temp file, loaded over the defaults. */
static int
load_bytes(struct conf *c, const char *p, size_t len, char **cause)
{
	FILE	*fp;
	int	 fd;

	strcpy(conf_path, "/tmp/gnode-conf-XXXXXX");
	fd = mkstemp(conf_path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	ck_assert_uint_eq(fwrite(p, 1, len, fp), len);
	fclose(fp);
	conf_defaults(c);
	*cause = NULL;
	fd = conf_load(c, conf_path, cause);
	unlink(conf_path);
	return fd;
}

/* A NUL byte ends a C string, not a value: "5<NUL>junk" is no 5. */
START_TEST(test_conf_nul)
{
	static const char	 text[] = "[net]\nmin_peers = 2\n"
				    "max_peers = 5\0junk\n";
	static const char	 late[] = "[net]\n# fine\n\nmin_peers = 2\n"
				    "# a comment\0with a NUL\n";
	struct conf		 c;
	char			*cause;

	ck_assert_int_eq(load_bytes(&c, text, sizeof text - 1, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, ":3: a NUL byte"));
	ck_assert_uint_eq(c.max_peers, 32);
	free(cause);
	conf_free(&c);
	/* Even inside a comment, and on its own line number. */
	ck_assert_int_eq(load_bytes(&c, late, sizeof late - 1, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, ":5: a NUL byte"));
	free(cause);
	conf_free(&c);
}
END_TEST

/* A line past libinih's buffer is blamed on itself, not on the line its
 * tail would have become; one just inside the limit is read whole. */
START_TEST(test_conf_long_line)
{
	struct conf	 c;
	char		*cause, text[1024], pad[600];

	memset(pad, 'x', sizeof pad);
	/* 198 bytes: "# " and 196 more, then a good key on line 3. */
	snprintf(text, sizeof text, "[net]\n# %.*s\nmax_peers = 7\n", 196,
	    pad);
	ck_assert_int_eq(load(&c, text, &cause), 0);
	ck_assert_uint_eq(c.max_peers, 7);
	conf_free(&c);
	/* One byte more, with errors after it: line 2 is the one named. */
	snprintf(text, sizeof text, "[net]\n# %.*s\nmax_peers = 7\n"
	    "bogus = 1\n", 197, pad);
	ck_assert_int_eq(load(&c, text, &cause), -1);
	ck_assert_msg(strstr(cause, ":2: line longer than 198 bytes") != NULL,
	    "%s", cause);
	free(cause);
	conf_free(&c);
	/* A long value on line 4, after good lines. */
	snprintf(text, sizeof text, "[net]\nmin_peers = 1\n\n"
	    "scope = %.*s\nmax_peers = 7\n", 500, pad);
	ck_assert_int_eq(load(&c, text, &cause), -1);
	ck_assert_msg(strstr(cause, ":4: line longer than") != NULL, "%s",
	    cause);
	free(cause);
	conf_free(&c);
}
END_TEST

/* A directory as the config is an error, not an empty config. */
START_TEST(test_conf_directory)
{
	struct conf	 c;
	char		*cause = NULL;

	conf_defaults(&c);
	ck_assert_int_eq(conf_load(&c, "/tmp", &cause), -1);
	ck_assert_str_eq(cause, "/tmp: Is a directory");
	free(cause);
	conf_free(&c);
}
END_TEST

/* Share dirs that are not there (or not directories) fail the start. */
START_TEST(test_conf_dirs)
{
	struct conf	 c;
	char		*cause = NULL, dir[] = "/tmp/gnode-dirs-XXXXXX", *file;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	conf_defaults(&c);
	ck_assert_int_eq(conf_check_dirs(&c, &cause), 0);
	conf_set(&c, "share", "dir", dir, &cause);
	ck_assert_int_eq(conf_check_dirs(&c, &cause), 0);
	file = malloc(strlen(dir) + 8);
	sprintf(file, "%s/none", dir);
	conf_set(&c, "share", "dir", file, &cause);
	ck_assert_int_eq(conf_check_dirs(&c, &cause), -1);
	ck_assert_msg(strstr(cause, "/none: No such file or directory") !=
	    NULL, "%s", cause);
	free(cause);
	conf_free(&c);
	/* A file is no directory. */
	fclose(fopen(file, "w"));
	conf_defaults(&c);
	conf_set(&c, "share", "dir", file, &cause);
	ck_assert_int_eq(conf_check_dirs(&c, &cause), -1);
	ck_assert_ptr_nonnull(strstr(cause, "Not a directory"));
	free(cause);
	conf_free(&c);
	unlink(file);
	rmdir(dir);
	free(file);
}
END_TEST

START_TEST(test_conf_home)
{
	struct conf	 c;
	char		*cause = NULL;

	setenv("HOME", "/home/tester", 1);
	conf_defaults(&c);
	ck_assert_str_eq(c.data_dir, "/home/tester/.gnode");
	conf_set(&c, "share", "dir", "~/Music", &cause);
	ck_assert_str_eq(c.share_dirs[0], "/home/tester/Music");
	conf_free(&c);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("conf");
	TCase	*tc = tcase_create("conf");
	SRunner	*sr;
	int	 failed;

	tcase_add_test(tc, test_conf_every_key);
	tcase_add_loop_test(tc, test_conf_errors, 0,
	    sizeof conf_bad / sizeof conf_bad[0]);
	tcase_add_test(tc, test_conf_defaults);
	tcase_add_loop_test(tc, test_conf_good, 0,
	    sizeof conf_good / sizeof conf_good[0]);
	tcase_add_test(tc, test_conf_strategy);
	tcase_add_test(tc, test_conf_seeds);
	tcase_add_test(tc, test_conf_scope);
	tcase_add_test(tc, test_conf_override);
	tcase_add_test(tc, test_conf_paths);
	tcase_add_loop_test(tc, test_conf_parse_addr, 0,
	    sizeof conf_addrs / sizeof conf_addrs[0]);
	tcase_add_test(tc, test_conf_checks);
	tcase_add_test(tc, test_conf_home);
	tcase_add_test(tc, test_conf_nul);
	tcase_add_test(tc, test_conf_long_line);
	tcase_add_test(tc, test_conf_directory);
	tcase_add_test(tc, test_conf_dirs);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
