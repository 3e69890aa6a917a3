/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * check_ctl.c: the control socket. The line codec from tables (every line
 * is copied into a buffer of exactly its length, so ASan catches a read
 * past it), then both ends over a real UNIX socket: a forked child runs
 * ctl_server on an ev loop with an echoing exec, and the parent talks to
 * it with ctl_client_run and with raw bytes.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <ev.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "net/ctl-server.h"

/* --- ctl_split and ctl_join ----------------------------------------------- */

static const struct {
	const char	*line;
	size_t		 len;		/* 0: strlen(line) */
	int		 argc;		/* -1: an error */
	const char	*words[6];	/* or words[0]: a part of the cause */
} split_cases[] = {
	{ "peers", 0, 1, { "peers" } },
	{ "connect 10.0.0.5:6346", 0, 2, { "connect", "10.0.0.5:6346" } },
	{ "  a   b  ", 0, 2, { "a", "b" } },
	{ "", 0, 0, { NULL } },
	{ "   ", 0, 0, { NULL } },
	{ "search \"two words\"", 0, 2, { "search", "two words" } },
	{ "x \"a\\\"b\\\\c\"", 0, 2, { "x", "a\"b\\c" } },
	{ "\"\"", 0, 1, { "" } },
	{ "a \"\" b", 0, 3, { "a", "", "b" } },
	{ "\"\" \"\"", 0, 2, { "", "" } },
	{ "share add \"/srv/my music\" --now", 0, 4,
	    { "share", "add", "/srv/my music", "--now" } },
	{ "caf\xc3\xa9 \x7f", 0, 2, { "caf\xc3\xa9", "\x7f" } },
	{ "a'b", 0, 1, { "a'b" } },
	{ "\"abc", 0, -1, { "unterminated quote" } },
	{ "\"abc\\", 0, -1, { "unterminated quote" } },
	{ "\"abc\\\"", 0, -1, { "unterminated quote" } },
	{ "\"", 0, -1, { "unterminated quote" } },
	{ "\"a\\nb\"", 0, -1, { "bad escape" } },
	{ "a\tb", 0, -1, { "control character" } },
	{ "a\x01", 0, -1, { "control character" } },
	{ "\"a\rb\"", 0, -1, { "control character" } },
	{ "a\"b", 0, -1, { "quote or backslash" } },
	{ "a\\b", 0, -1, { "quote or backslash" } },
	{ "\"a\"b", 0, -1, { "no space after closing quote" } },
	/* An embedded NUL is a control byte, and len is what counts. */
	{ "ab\0cd", 5, -1, { "control character" } },
	{ "ab\0cd", 2, 1, { "ab" } },
	{ "ab cd", 3, 1, { "ab" } },
	{ "\"ab\" cd", 3, -1, { "unterminated quote" } },
};

START_TEST(test_ctl_split)
{
	const char	*cause = NULL, *line = split_cases[_i].line;
	char		*copy, store[256], *argv[8];
	size_t		 len = split_cases[_i].len;
	int		 argc, i;

	if (len == 0)
		len = strlen(line);
	copy = malloc(len > 0 ? len : 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, line, len);
	argc = ctl_split(copy, len, store, sizeof store, argv, 8, &cause);
	free(copy);

	ck_assert_int_eq(argc, split_cases[_i].argc);
	if (argc < 0) {
		ck_assert_ptr_nonnull(cause);
		ck_assert_msg(strstr(cause, split_cases[_i].words[0]) != NULL,
		    "cause \"%s\" lacks \"%s\"", cause,
		    split_cases[_i].words[0]);
		return;
	}
	for (i = 0; i < argc; i++)
		ck_assert_str_eq(argv[i], split_cases[_i].words[i]);
	ck_assert_ptr_null(argv[argc]);
}
END_TEST

START_TEST(test_ctl_split_limits)
{
	char		 line[4 * CTL_MAX_ARGS + 8], store[512];
	char		*argv[CTL_MAX_ARGS + 1];
	const char	*cause;
	size_t		 n = 0;
	int		 i;

	/* Exactly max words fit; one more does not. */
	for (i = 0; i < CTL_MAX_ARGS; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, "w%d ", i);
	ck_assert_int_eq(ctl_split(line, n, store, sizeof store, argv,
	    CTL_MAX_ARGS, &cause), CTL_MAX_ARGS);
	ck_assert_str_eq(argv[CTL_MAX_ARGS - 1], "w63");
	n += (size_t)snprintf(line + n, sizeof line - n, "last");
	cause = NULL;
	ck_assert_int_eq(ctl_split(line, n, store, sizeof store, argv,
	    CTL_MAX_ARGS, &cause), -1);
	ck_assert_str_eq(cause, "too many words");
	ck_assert_int_eq(ctl_split("a b c", 5, store, sizeof store, argv, 0,
	    &cause), -1);
	ck_assert_int_eq(ctl_split("", 0, store, sizeof store, argv, 0,
	    &cause), 0);

	/* "hello world" needs 12 bytes of store with the NULs. */
	ck_assert_int_eq(ctl_split("hello world", 11, store, 12, argv, 4,
	    &cause), 2);
	ck_assert_int_eq(ctl_split("hello world", 11, store, 11, argv, 4,
	    &cause), -1);
	ck_assert_str_eq(cause, "no room for the words");
	ck_assert_int_eq(ctl_split("hello", 5, store, 5, argv, 4, &cause), -1);
	ck_assert_int_eq(ctl_split("\"\"", 2, store, 0, argv, 4, &cause), -1);
	ck_assert_int_eq(ctl_split("\"\"", 2, store, 1, argv, 4, &cause), 1);
	ck_assert_int_eq(ctl_split("\"ab\"", 4, store, 2, argv, 4, &cause),
	    -1);
}
END_TEST

static const struct {
	int		 argc;
	char		*argv[6];
	const char	*line;		/* NULL: only the round trip */
} join_cases[] = {
	{ 1, { "peers" }, "peers\n" },
	{ 2, { "search", "two words" }, "search \"two words\"\n" },
	{ 1, { "" }, "\"\"\n" },
	{ 3, { "a", "b\"c", "d\\e" }, "a \"b\\\"c\" \"d\\\\e\"\n" },
	{ 0, { NULL }, "\n" },
	{ 2, { "--json", "stats" }, "--json stats\n" },
	{ 4, { " ", "  x  ", "\"", "\\" }, NULL },
	{ 5, { "caf\xc3\xa9", "\x7f", "'", "a'b c", "" }, NULL },
	{ 2, { "tab-free", "end\"" }, NULL },
};

START_TEST(test_ctl_join)
{
	char		 out[256], store[256], *argv[8], *again[8];
	const char	*cause;
	size_t		 n, k;
	int		 argc = join_cases[_i].argc, i;

	for (i = 0; i < argc; i++)
		argv[i] = join_cases[_i].argv[i];
	argv[argc] = NULL;
	n = ctl_join(argc, argv, out, sizeof out);
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_eq(strlen(out), n);
	ck_assert_int_eq(out[n - 1], '\n');
	if (join_cases[_i].line != NULL)
		ck_assert_str_eq(out, join_cases[_i].line);

	/* Split gives back the words. */
	ck_assert_int_eq(ctl_split(out, n - 1, store, sizeof store, again, 8,
	    &cause), argc);
	for (i = 0; i < argc; i++)
		ck_assert_str_eq(again[i], argv[i]);

	/* One byte short of the line and its NUL fails; never overflows. */
	for (k = 0; k <= n; k++)
		ck_assert_uint_eq(ctl_join(argc, argv, out, k), 0);
	ck_assert_uint_eq(ctl_join(argc, argv, out, n + 1), n);
}
END_TEST

START_TEST(test_ctl_join_control)
{
	char	*argv[2], out[64];

	argv[0] = (char *)"ok";
	argv[1] = (char *)"new\nline";
	ck_assert_uint_eq(ctl_join(2, argv, out, sizeof out), 0);
	argv[1] = (char *)"tab\there";
	ck_assert_uint_eq(ctl_join(2, argv, out, sizeof out), 0);
	argv[1] = (char *)"\x1b[31m";
	ck_assert_uint_eq(ctl_join(2, argv, out, sizeof out), 0);
}
END_TEST

/* --- the socket ----------------------------------------------------------- */

static char	 sock_dir[64];
static char	 sock_path[128];
static pid_t	 server_pid = -1;

/* The child's command runner: echo the words back, or fail on request. */
static int
echo_exec(void *arg, int argc, char **argv, int json, FILE *out)
{
	int	 i;

	if (strcmp(argv[0], "fail") == 0) {
		fprintf(out, "error: failed as asked\n");
		return CTL_FAILED;
	}
	if (strcmp(argv[0], "lines") == 0) {
		/* No newline at the end: the server adds one. */
		fputs("one\ntwo\n\n three", out);
		return CTL_OK;
	}
	if (strcmp(argv[0], "big") == 0) {
		for (i = 0; i < 100000; i++)
			fprintf(out, "%06d abcdefghijklmnopqrstuvwxyz\n", i);
		return CTL_OK;
	}
	if (strcmp(argv[0], "huge") == 0) {
		for (i = 0; i < 300000; i++)
			fprintf(out, "%06d abcdefghijklmnopqrstuvwxyz\n", i);
		return CTL_OK;
	}
	if (strcmp(argv[0], "quiet") == 0)
		return CTL_OK;
	if (json)
		fputs("json:", out);
	for (i = 0; i < argc; i++)
		fprintf(out, "%s[%s]", i > 0 ? " " : "", argv[i]);
	fputc('\n', out);
	return CTL_OK;
}

static void
server_stop_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	ev_break(EV_A_ EVBREAK_ALL);
}

/* Fork a child serving sock_path; returns once it listens. */
static void
server_start(void)
{
	struct ev_loop		*loop;
	struct ctl_server	*srv;
	ev_signal		 sig;
	char			*cause, ok;
	int			 p[2];

	ck_assert_int_eq(pipe(p), 0);
	server_pid = fork();
	ck_assert_int_ge(server_pid, 0);
	if (server_pid == 0) {
		close(p[0]);
		loop = ev_loop_new(EVFLAG_AUTO);
		srv = ctl_server_new(loop, sock_path, echo_exec, NULL, &cause);
		if (srv == NULL) {
			fprintf(stderr, "ctl_server_new: %s\n", cause);
			(void)write(p[1], "n", 1);
			_exit(2);
		}
		ev_signal_init(&sig, server_stop_cb, SIGTERM);
		ev_signal_start(loop, &sig);
		(void)write(p[1], "y", 1);
		close(p[1]);
		ev_run(loop, 0);
		ctl_server_free(srv);
		ev_signal_stop(loop, &sig);
		ev_loop_destroy(loop);
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &ok, 1), 1);
	close(p[0]);
	ck_assert_int_eq(ok, 'y');
}

/* Stop the child by its pid; it must exit cleanly and remove the socket. */
static void
server_stop(void)
{
	int	 status;

	ck_assert_int_eq(kill(server_pid, SIGTERM), 0);
	ck_assert_int_eq(waitpid(server_pid, &status, 0), server_pid);
	server_pid = -1;
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_int_eq(access(sock_path, F_OK), -1);
}

static void
setup(void)
{
	strcpy(sock_dir, "/tmp/gnode-ctl-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(sock_dir));
	snprintf(sock_path, sizeof sock_path, "%s/control", sock_dir);
}

static void
teardown(void)
{
	if (server_pid > 0) {
		kill(server_pid, SIGKILL);
		waitpid(server_pid, NULL, 0);
		server_pid = -1;
	}
	unlink(sock_path);
	rmdir(sock_dir);
}

/* Run a request through the client; the answer's data lines land in out. */
static int
run(char *out, size_t cap, int json, char **cause, int argc, ...)
{
	char	*argv[8], *buf = NULL;
	size_t	 size = 0;
	va_list	 ap;
	FILE	*fp;
	int	 i, rv;

	va_start(ap, argc);
	for (i = 0; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	argv[argc] = NULL;
	fp = open_memstream(&buf, &size);
	ck_assert_ptr_nonnull(fp);
	rv = ctl_client_run(sock_path, argc, argv, json, fp, cause);
	fclose(fp);
	snprintf(out, cap, "%s", buf);
	free(buf);
	return rv;
}

/* Send raw bytes, then read until the node closes; the reply length. */
static size_t
raw(const char *req, size_t len, int shut, char *reply, size_t cap)
{
	struct sockaddr_un	 sun;
	struct pollfd		 pfd;
	size_t			 got = 0, off = 0;
	ssize_t			 n;
	int			 fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, sock_path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof sun), 0);
	while (off < len) {
		n = send(fd, req + off, len - off, MSG_NOSIGNAL);
		if (n <= 0)
			break;		/* the node may close early (413) */
		off += (size_t)n;
	}
	if (shut)
		shutdown(fd, SHUT_WR);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (got < cap - 1) {
		ck_assert_int_eq(poll(&pfd, 1, 10000), 1);
		n = recv(fd, reply + got, cap - 1 - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	reply[got] = '\0';
	close(fd);
	return got;
}

START_TEST(test_ctl_socket_run)
{
	char	 out[256], *cause = NULL;

	server_start();
	ck_assert_int_eq(run(out, sizeof out, 0, &cause, 1, "peers"), CTL_OK);
	ck_assert_ptr_null(cause);
	ck_assert_str_eq(out, "[peers]\n");

	ck_assert_int_eq(run(out, sizeof out, 0, &cause, 3, "search",
	    "two words", ""), CTL_OK);
	ck_assert_str_eq(out, "[search] [two words] []\n");

	ck_assert_int_eq(run(out, sizeof out, 0, &cause, 2, "a\"b", "c\\d"),
	    CTL_OK);
	ck_assert_str_eq(out, "[a\"b] [c\\d]\n");

	ck_assert_int_eq(run(out, sizeof out, 1, &cause, 1, "stats"), CTL_OK);
	ck_assert_str_eq(out, "json:[stats]\n");

	ck_assert_int_eq(run(out, sizeof out, 0, &cause, 2, "fail", "x"),
	    CTL_FAILED);
	ck_assert_ptr_null(cause);
	ck_assert_str_eq(out, "error: failed as asked\n");

	ck_assert_int_eq(run(out, sizeof out, 0, &cause, 1, "lines"), CTL_OK);
	ck_assert_str_eq(out, "one\ntwo\n\n three\n");

	ck_assert_int_eq(run(out, sizeof out, 0, &cause, 1, "quiet"), CTL_OK);
	ck_assert_str_eq(out, "");

	/* A word the protocol cannot carry never leaves the client. */
	ck_assert_int_eq(run(out, sizeof out, 0, &cause, 1, "a\nb"), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	cause = NULL;

	server_stop();
	ck_assert_int_eq(run(out, sizeof out, 0, &cause, 1, "peers"), -1);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strstr(cause, "no node running at ") != NULL &&
	    strstr(cause, sock_path) != NULL, "cause: %s", cause);
	free(cause);
}
END_TEST

START_TEST(test_ctl_socket_big)
{
	char	*buf = NULL, *cause = NULL, *argv[1];
	size_t	 size = 0;
	FILE	*fp;

	server_start();
	/* 3.4 MB: more than a socket buffer, less than the queue limit. */
	argv[0] = (char *)"big";
	fp = open_memstream(&buf, &size);
	ck_assert_int_eq(ctl_client_run(sock_path, 1, argv, 0, fp, &cause),
	    CTL_OK);
	fclose(fp);
	ck_assert_uint_eq(size, 100000 * 34);
	ck_assert_int_eq(strncmp(buf + size - 34,
	    "099999 abcdefghijklmnopqrstuvwxyz\n", 34), 0);
	free(buf);

	/* 10 MB passes the limit: the node drops this client, not itself. */
	argv[0] = (char *)"huge";
	buf = NULL;
	fp = open_memstream(&buf, &size);
	ck_assert_int_eq(ctl_client_run(sock_path, 1, argv, 0, fp, &cause),
	    -1);
	fclose(fp);
	free(buf);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strstr(cause, "closed the connection") != NULL,
	    "cause: %s", cause);
	free(cause);
	cause = NULL;

	argv[0] = (char *)"after";
	buf = NULL;
	fp = open_memstream(&buf, &size);
	ck_assert_int_eq(ctl_client_run(sock_path, 1, argv, 0, fp, &cause),
	    CTL_OK);
	fclose(fp);
	ck_assert_str_eq(buf, "[after]\n");
	free(buf);
	server_stop();
}
END_TEST

/* One request on a kept connection; its data lines into out. */
static int
conn_run(struct ctl_conn *c, char *out, size_t cap, char **cause, int argc,
    char **argv)
{
	char	*buf = NULL;
	size_t	 size = 0;
	FILE	*fp;
	int	 rv;

	fp = open_memstream(&buf, &size);
	ck_assert_ptr_nonnull(fp);
	rv = ctl_conn_request(c, argc, argv, 0, fp, cause);
	fclose(fp);
	snprintf(out, cap, "%s", buf);
	free(buf);
	return rv;
}

/* The attached shell's way: many requests, one connection. */
START_TEST(test_ctl_socket_conn)
{
	struct ctl_conn	*c;
	char		 out[256], *cause = NULL, *argv[2], *buf = NULL;
	size_t		 size = 0;
	FILE		*fp;
	int		 i, fd;

	server_start();
	c = ctl_conn_open(sock_path, &cause);
	ck_assert_ptr_nonnull(c);
	fd = ctl_conn_fd(c);
	for (i = 0; i < 50; i++) {
		argv[0] = (char *)(i % 2 ? "lines" : "peers");
		ck_assert_int_eq(conn_run(c, out, sizeof out, &cause, 1, argv),
		    CTL_OK);
		ck_assert_str_eq(out, i % 2 ? "one\ntwo\n\n three\n" :
		    "[peers]\n");
		ck_assert_int_eq(ctl_conn_fd(c), fd);
	}
	argv[0] = (char *)"fail";
	ck_assert_int_eq(conn_run(c, out, sizeof out, &cause, 1, argv),
	    CTL_FAILED);
	ck_assert_str_eq(out, "error: failed as asked\n");
	/* Answers longer than one read, back to back. */
	for (i = 0; i < 2; i++) {
		argv[0] = (char *)"big";
		fp = open_memstream(&buf, &size);
		ck_assert_int_eq(ctl_conn_request(c, 1, argv, 0, fp, &cause),
		    CTL_OK);
		fclose(fp);
		ck_assert_uint_eq(size, 100000 * 34);
		free(buf);
		buf = NULL;
	}
	argv[0] = (char *)"x";
	argv[1] = (char *)"two words";
	ck_assert_int_eq(conn_run(c, out, sizeof out, &cause, 2, argv),
	    CTL_OK);
	ck_assert_str_eq(out, "[x] [two words]\n");
	ck_assert_ptr_null(cause);
	/* A word the protocol cannot carry fails here, not the connection. */
	argv[1] = (char *)"a\nb";
	ck_assert_int_eq(conn_run(c, out, sizeof out, &cause, 2, argv), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(ctl_conn_usable(c), 1);
	argv[1] = (char *)"again";
	ck_assert_int_eq(conn_run(c, out, sizeof out, &cause, 2, argv),
	    CTL_OK);
	ck_assert_str_eq(out, "[x] [again]\n");

	/* The node goes: this request fails, and so does the next. */
	server_stop();
	ck_assert_int_eq(conn_run(c, out, sizeof out, &cause, 1, argv), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	cause = NULL;
	ck_assert_int_eq(ctl_conn_usable(c), 0);
	ck_assert_int_eq(conn_run(c, out, sizeof out, &cause, 1, argv), -1);
	ck_assert_ptr_nonnull(cause);
	free(cause);
	ctl_conn_close(c);
}
END_TEST

START_TEST(test_ctl_socket_second)
{
	struct ev_loop		*loop;
	struct ctl_server	*srv;
	struct stat		 sb;
	char			*cause = NULL;

	server_start();
	ck_assert_int_eq(stat(sock_path, &sb), 0);
	ck_assert(S_ISSOCK(sb.st_mode));
	ck_assert_int_eq(sb.st_mode & 07777, 0600);

	loop = ev_loop_new(EVFLAG_AUTO);
	srv = ctl_server_new(loop, sock_path, echo_exec, NULL, &cause);
	ck_assert_ptr_null(srv);
	ck_assert_ptr_nonnull(cause);
	ck_assert_msg(strstr(cause, "a node is already running at ") != NULL,
	    "cause: %s", cause);
	free(cause);
	/* The refused node left the live socket alone. */
	ck_assert_int_eq(access(sock_path, F_OK), 0);
	server_stop();

	/* A node that died leaves a socket nobody answers: it is reused. */
	server_start();
	ck_assert_int_eq(kill(server_pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(server_pid, NULL, 0), server_pid);
	server_pid = -1;
	ck_assert_int_eq(access(sock_path, F_OK), 0);
	cause = NULL;
	srv = ctl_server_new(loop, sock_path, echo_exec, NULL, &cause);
	ck_assert_ptr_nonnull(srv);
	ctl_server_free(srv);
	ck_assert_int_eq(access(sock_path, F_OK), -1);

	/* A file that is not a socket is never removed. */
	fclose(fopen(sock_path, "w"));
	srv = ctl_server_new(loop, sock_path, echo_exec, NULL, &cause);
	ck_assert_ptr_null(srv);
	ck_assert_msg(strstr(cause, "not a socket") != NULL, "cause: %s",
	    cause);
	free(cause);
	ck_assert_int_eq(access(sock_path, F_OK), 0);
	ev_loop_destroy(loop);
}
END_TEST

START_TEST(test_ctl_socket_raw)
{
	static char	 reply[CTL_MAX_LINE + 512];
	const char	*req;
	char		*big;
	size_t		 len;

	server_start();

	/* Pipelined lines each get an answer, in order; EOF then closes. */
	req = "peers\r\nfail\n--json x \"y z\"\n";
	raw(req, strlen(req), 1, reply, sizeof reply);
	ck_assert_str_eq(reply, " [peers]\n100 ok\n"
	    " error: failed as asked\n400 command failed\n"
	    " json:[x] [y z]\n100 ok\n");

	req = "a\"b\n\n--json\n";
	raw(req, strlen(req), 1, reply, sizeof reply);
	ck_assert_str_eq(reply,
	    " error: quote or backslash inside a word (quote the word)\n"
	    "400 quote or backslash inside a word (quote the word)\n"
	    " error: empty request\n400 empty request\n"
	    " error: empty request\n400 empty request\n");

	/* The longest line is fine. */
	len = CTL_MAX_LINE + 1;
	big = malloc(CTL_MAX_LINE + 16);
	ck_assert_ptr_nonnull(big);
	memset(big, 'x', len - 1);
	big[len - 1] = '\n';
	raw(big, len, 1, reply, sizeof reply);
	ck_assert_int_eq(strncmp(reply, " [xxx", 5), 0);
	ck_assert_ptr_nonnull(strstr(reply, "\n100 ok\n"));

	/* One byte more is answered 413 and closed. */
	len = CTL_MAX_LINE + 10;
	memset(big, 'x', len);
	big[len] = '\n';
	raw(big, len + 1, 0, reply, sizeof reply);
	ck_assert_str_eq(reply, " error: request line too long\n"
	    "413 request line too long\n");
	free(big);

	/* The node still serves others. */
	raw("still\n", 6, 1, reply, sizeof reply);
	ck_assert_str_eq(reply, " [still]\n100 ok\n");
	server_stop();
}
END_TEST

START_TEST(test_ctl_socket_other_user)
{
	char	 out[256], *cause = NULL;
	pid_t	 pid;
	int	 status, rv;

	if (geteuid() != 0)
		return;		/* needs root to become someone else */
	server_start();
	/* Open the door so that only SO_PEERCRED stands in the way. */
	ck_assert_int_eq(chmod(sock_dir, 0711), 0);
	ck_assert_int_eq(chmod(sock_path, 0666), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(3);
		rv = run(out, sizeof out, 0, &cause, 1, "peers");
		_exit(rv == CTL_FORBIDDEN &&
		    strcmp(out, "error: not your node\n") == 0 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	server_stop();
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("ctl");
	SRunner	*sr;
	TCase	*tc;
	int	 failed;

	tc = tcase_create("codec");
	tcase_add_loop_test(tc, test_ctl_split, 0,
	    sizeof split_cases / sizeof split_cases[0]);
	tcase_add_test(tc, test_ctl_split_limits);
	tcase_add_loop_test(tc, test_ctl_join, 0,
	    sizeof join_cases / sizeof join_cases[0]);
	tcase_add_test(tc, test_ctl_join_control);
	suite_add_tcase(s, tc);

	tc = tcase_create("socket");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ctl_socket_run);
	tcase_add_test(tc, test_ctl_socket_big);
	tcase_add_test(tc, test_ctl_socket_conn);
	tcase_add_test(tc, test_ctl_socket_second);
	tcase_add_test(tc, test_ctl_socket_raw);
	tcase_add_test(tc, test_ctl_socket_other_user);
	suite_add_tcase(s, tc);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
