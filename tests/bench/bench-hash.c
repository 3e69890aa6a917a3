/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * bench-hash.c: how fast a node hashes what it shares, next to sha1sum on
 * the same files. Every regular file under DIR (symbolic links are not
 * followed) is read once to warm the page cache, then hashed three ways:
 * hash_fd (SHA-1 and Tiger tree), hash_fd_sha1, and sha1sum run on the
 * file list. Each is timed three times, interleaved, and the best run
 * counts. Without DIR, 8 files of 64 MiB of pseudo-random bytes are made
 * in a temporary directory and removed afterwards. One JSON line on
 * stdout (MB are 10^6 bytes); a readable line on stderr unless --json.
 * Build without sanitizers for meaningful figures (plain ./configure).
 *
 * usage: bench-hash [--json] [DIR]
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "share/hash.h"

#define BENCH_RUNS		3
#define BENCH_GEN_FILES		8
#define BENCH_GEN_SIZE		(64ull * 1024 * 1024)
#define BENCH_ARGV_BYTES	(512 * 1024)	/* per sha1sum, under ARG_MAX */
#define BENCH_BUF		(1024 * 1024)

struct bench_files {
	char		**paths;
	size_t		 n;
	size_t		 cap;
	uint64_t	 bytes;
};

static struct bench_files	 bench_list;

static uint64_t
bench_now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int
bench_walk_one(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	if (type != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	if (bench_list.n == bench_list.cap) {
		bench_list.cap = bench_list.cap ? bench_list.cap * 2 : 256;
		bench_list.paths = xreallocarray(bench_list.paths,
		    bench_list.cap, sizeof *bench_list.paths);
	}
	bench_list.paths[bench_list.n++] = xstrdup(path);
	bench_list.bytes += (uint64_t)st->st_size;
	return 0;
}

/* Read every file once, so that all three ways read from the cache. */
static void
bench_warm(void)
{
	uint8_t	*buf = xmalloc(BENCH_BUF);
	ssize_t	 n;
	size_t	 i;
	int	 fd;

	for (i = 0; i < bench_list.n; i++) {
		if ((fd = open(bench_list.paths[i], O_RDONLY)) == -1)
			fatal("open %s", bench_list.paths[i]);
		while ((n = read(fd, buf, BENCH_BUF)) != 0)
			if (n == -1 && errno != EINTR)
				fatal("read %s", bench_list.paths[i]);
		close(fd);
	}
	free(buf);
}

/* Hash every file with hash_fd (both) or hash_fd_sha1; nanoseconds. */
static uint64_t
bench_ours(int both)
{
	struct hash_result	 r;
	uint8_t			 sha1[HASH_SHA1_LEN];
	uint64_t		 start;
	size_t			 i;
	int			 fd, rv;

	start = bench_now_ns();
	for (i = 0; i < bench_list.n; i++) {
		if ((fd = open(bench_list.paths[i], O_RDONLY)) == -1)
			fatal("open %s", bench_list.paths[i]);
		rv = both ? hash_fd(fd, &r, NULL) : hash_fd_sha1(fd, sha1);
		if (rv == -1)
			fatal("hash %s", bench_list.paths[i]);
		close(fd);
	}
	return bench_now_ns() - start;
}

/* Run sha1sum on paths[first..last) with its output thrown away. */
static void
bench_sha1sum_batch(size_t first, size_t last)
{
	char	**argv;
	size_t	 i;
	pid_t	 pid;
	int	 status, null;

	argv = xreallocarray(NULL, last - first + 3, sizeof *argv);
	argv[0] = (char *)"sha1sum";
	argv[1] = (char *)"--";
	for (i = first; i < last; i++)
		argv[2 + i - first] = bench_list.paths[i];
	argv[2 + last - first] = NULL;

	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid == 0) {
		if ((null = open("/dev/null", O_WRONLY)) == -1 ||
		    dup2(null, STDOUT_FILENO) == -1)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			fatal("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fatalx("sha1sum failed (status %d)", status);
	free(argv);
}

/* sha1sum over every file, in as few processes as ARG_MAX allows. */
static uint64_t
bench_sha1sum(void)
{
	uint64_t	 start;
	size_t		 first = 0, i, argbytes = 0;

	start = bench_now_ns();
	for (i = 0; i < bench_list.n; i++) {
		argbytes += strlen(bench_list.paths[i]) + 1 + sizeof(char *);
		if (argbytes > BENCH_ARGV_BYTES && i > first) {
			bench_sha1sum_batch(first, i);
			first = i;
			argbytes = strlen(bench_list.paths[i]) + 1 +
			    sizeof(char *);
		}
	}
	if (first < bench_list.n)
		bench_sha1sum_batch(first, bench_list.n);
	return bench_now_ns() - start;
}

/* Make the default data set: files of xorshift bytes; returns the dir. */
static char *
bench_generate(void)
{
	char		 tmpl[] = "/tmp/bench-hash-XXXXXX", *dir, *path;
	uint64_t	*buf, x = 0x2545f4914f6cdd1dull, off;
	size_t		 words = BENCH_BUF / sizeof *buf, i, f;
	ssize_t		 w;
	int		 fd;

	if ((dir = mkdtemp(tmpl)) == NULL)
		fatal("mkdtemp");
	dir = xstrdup(dir);
	buf = xmalloc(BENCH_BUF);
	for (f = 0; f < BENCH_GEN_FILES; f++) {
		xasprintf(&path, "%s/f%zu", dir, f);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd == -1)
			fatal("open %s", path);
		for (off = 0; off < BENCH_GEN_SIZE; off += BENCH_BUF) {
			for (i = 0; i < words; i++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				buf[i] = x;
			}
			if ((w = write(fd, buf, BENCH_BUF)) != BENCH_BUF)
				fatal("write %s", path);
		}
		close(fd);
		free(path);
	}
	free(buf);
	return dir;
}

static void
bench_remove(const char *dir)
{
	size_t	 i;

	for (i = 0; i < bench_list.n; i++)
		if (unlink(bench_list.paths[i]) == -1)
			log_warn("unlink %s", bench_list.paths[i]);
	if (rmdir(dir) == -1)
		log_warn("rmdir %s", dir);
}

static double
bench_mb_s(uint64_t bytes, uint64_t ns)
{
	return ns == 0 ? 0.0 : (double)bytes * 1e3 / (double)ns;
}

int
main(int argc, char **argv)
{
	uint64_t	 t, best_both = UINT64_MAX, best_sha1 = UINT64_MAX;
	uint64_t	 best_sum = UINT64_MAX;
	double		 both, sha1, sum;
	char		*dir = NULL, *made = NULL;
	size_t		 k;
	int		 i, json = 0;

	log_init(stderr, LOG_LVL_WARN);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (argv[i][0] != '-' && dir == NULL)
			dir = argv[i];
		else {
			fprintf(stderr, "usage: bench-hash [--json] [DIR]\n");
			return 2;
		}
	}
	hash_init();
	if (dir == NULL)
		dir = made = bench_generate();
	if (nftw(dir, bench_walk_one, 32, FTW_PHYS) == -1)
		fatal("nftw %s", dir);
	if (bench_list.n == 0)
		fatalx("no regular files under %s", dir);

	bench_warm();
	for (i = 0; i < BENCH_RUNS; i++) {
		if ((t = bench_sha1sum()) < best_sum)
			best_sum = t;
		if ((t = bench_ours(0)) < best_sha1)
			best_sha1 = t;
		if ((t = bench_ours(1)) < best_both)
			best_both = t;
	}
	both = bench_mb_s(bench_list.bytes, best_both);
	sha1 = bench_mb_s(bench_list.bytes, best_sha1);
	sum = bench_mb_s(bench_list.bytes, best_sum);

	if (!json)
		fprintf(stderr, "%zu files, %.1f MB: SHA-1+TTH %.0f MB/s, "
		    "SHA-1 %.0f MB/s, sha1sum %.0f MB/s\n", bench_list.n,
		    (double)bench_list.bytes / 1e6, both, sha1, sum);
	printf("{\"bench\":\"hash\",\"files\":%zu,\"bytes\":%llu,"
	    "\"both_mb_s\":%.1f,\"sha1_mb_s\":%.1f,\"sha1sum_mb_s\":%.1f,"
	    "\"sha1_vs_sha1sum\":%.2f}\n", bench_list.n,
	    (unsigned long long)bench_list.bytes, both, sha1, sum,
	    sum > 0 ? sha1 / sum : 0.0);

	if (made != NULL) {
		bench_remove(made);
		free(made);
	}
	for (k = 0; k < bench_list.n; k++)
		free(bench_list.paths[k]);
	free(bench_list.paths);
	return 0;
}
