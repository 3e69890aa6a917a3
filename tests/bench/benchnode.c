/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * benchnode.c: what the benchmarks that drive a real gnode share: a
 * temporary directory, the node started as our child (and only that pid
 * stopped, SIGTERM then SIGKILL), failing with cleanup, TCP connections
 * from a chosen loopback source to it, its resident set from /proc.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "benchnode.h"

#define BN_START_TRIES		200	/* x BN_START_WAIT_MS for the listener */
#define BN_START_WAIT_MS	25
#define BN_STOP_TRIES		100	/* x 50 ms after SIGTERM, then SIGKILL */

const char			*bn_prog = "bench";
pid_t				 bn_pid = -1;
char				 bn_dir[PATH_MAX];
volatile sig_atomic_t		 bn_interrupted;

uint64_t
bn_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void
bn_sleep_ms(unsigned int ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	nanosleep(&ts, NULL);
}

void
bn_on_signal(int sig)
{
	bn_interrupted = 1;
}

static int
bn_rm_entry(const char *path, const struct stat *sb, int type,
    struct FTW *ftw)
{
	if (remove(path) == -1 && errno != ENOENT)
		fprintf(stderr, "%s: remove %s: %s\n", bn_prog, path,
		    strerror(errno));
	return 0;
}

/* Stop the node (only the child we started) and remove the temp dir. */
void
bn_cleanup(void)
{
	int	 status, i;

	if (bn_pid > 0) {
		kill(bn_pid, SIGTERM);
		for (i = 0; i < BN_STOP_TRIES; i++) {
			if (waitpid(bn_pid, &status, WNOHANG) != 0)
				break;
			bn_sleep_ms(50);
		}
		if (i == BN_STOP_TRIES) {
			fprintf(stderr, "%s: gnode ignored SIGTERM, "
			    "killing it\n", bn_prog);
			kill(bn_pid, SIGKILL);
			waitpid(bn_pid, &status, 0);
		}
		bn_pid = -1;
	}
	if (bn_dir[0] != '\0') {
		nftw(bn_dir, bn_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		bn_dir[0] = '\0';
	}
}

void
bn_fail(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "%s: ", bn_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	bn_cleanup();
	exit(1);
}

void
bn_check_interrupt(void)
{
	if (bn_interrupted)
		bn_fail("interrupted");
}

/* Fail if the node has exited, saying how. */
void
bn_check_node(void)
{
	int	 status;
	pid_t	 pid;

	pid = waitpid(bn_pid, &status, WNOHANG);
	if (pid != bn_pid)
		return;
	bn_pid = -1;
	if (WIFEXITED(status))
		bn_fail("gnode exited with status %d", WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		bn_fail("gnode died of signal %d", WTERMSIG(status));
	bn_fail("gnode is gone");
}

void
bn_addr(struct sockaddr_in *sin, const char *ip, uint16_t port)
{
	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	if (inet_pton(AF_INET, ip, &sin->sin_addr) != 1)
		bn_fail("bad address %s", ip);
}

/* A port on the node's address that nothing listens on just now. */
uint16_t
bn_free_port(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		bn_fail("socket: %s", strerror(errno));
	bn_addr(&sin, BN_NODE_ADDR, 0);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1)
		bn_fail("bind %s:0: %s", BN_NODE_ADDR, strerror(errno));
	if (getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		bn_fail("getsockname: %s", strerror(errno));
	close(fd);
	return ntohs(sin.sin_port);
}

/* Start the node; its stdout goes to our stderr to keep stdout clean. */
void
bn_spawn(char *gnode, char *conf)
{
	char	*argv[5];
	pid_t	 pid;

	argv[0] = gnode;
	argv[1] = (char *)"--headless";
	argv[2] = (char *)"-c";
	argv[3] = conf;
	argv[4] = NULL;

	fflush(NULL);
	if ((pid = fork()) == -1)
		bn_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(gnode, argv);
		fprintf(stderr, "%s: exec %s: %s\n", bn_prog, gnode,
		    strerror(errno));
		_exit(127);
	}
	bn_pid = pid;
}

/* A blocking TCP connection from address src (any port) to the node. */
int
bn_connect(const char *src, uint16_t port, int *err)
{
	struct sockaddr_in	 sin;
	int			 fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		bn_fail("socket: %s", strerror(errno));
	if (src != NULL) {
		bn_addr(&sin, src, 0);
		if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1)
			bn_fail("bind %s:0: %s", src, strerror(errno));
	}
	bn_addr(&sin, BN_NODE_ADDR, port);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		*err = errno;
		close(fd);
		return -1;
	}
	return fd;
}

/* Wait, within a bound, until the node accepts connections on port. */
void
bn_wait_listen(uint16_t port)
{
	int	 fd, err = 0, i;

	for (i = 0; i < BN_START_TRIES; i++) {
		bn_check_interrupt();
		bn_check_node();
		if ((fd = bn_connect(NULL, port, &err)) != -1) {
			close(fd);
			return;
		}
		bn_sleep_ms(BN_START_WAIT_MS);
	}
	bn_fail("gnode does not listen on %s:%u after %d ms: %s",
	    BN_NODE_ADDR, (unsigned int)port, BN_START_TRIES * BN_START_WAIT_MS,
	    strerror(err));
}

void
bn_send_all(int fd, const char *s, size_t len, const char *who)
{
	ssize_t	 n;

	while (len > 0) {
		n = send(fd, s, len, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR) {
				bn_check_interrupt();
				continue;
			}
			bn_fail("%s: send: %s", who, strerror(errno));
		}
		s += n;
		len -= (size_t)n;
	}
}

/* The node's resident set now, in KiB. */
uint64_t
bn_proc_rss(void)
{
	char			 path[64], line[256];
	FILE			*f;
	unsigned long long	 kib;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)bn_pid);
	if ((f = fopen(path, "r")) == NULL)
		bn_fail("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "VmRSS: %llu kB", &kib) == 1) {
			fclose(f);
			return (uint64_t)kib;
		}
	}
	fclose(f);
	bn_fail("%s: no VmRSS line", path);
}
