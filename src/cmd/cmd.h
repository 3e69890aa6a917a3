/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * cmd.h: the command language shared by the one-shot command line, the
 * control socket and (next) the gnode> shell. A command is one file
 * with one table entry; it writes through cmd_print/cmd_error or, with
 * --json, one JSON document through ctx->j, and never touches stdout itself.
 */
#ifndef GNODE_CMD_H
#define GNODE_CMD_H

#include <stdio.h>

#include "lib/json.h"

enum cmd_retval {
	CMD_OK,
	CMD_ERROR,
};

struct conf;
struct gnet;
struct share;

struct cmd_ctx {
	FILE		*out;		/* answers */
	FILE		*err;		/* progress for people; never JSON */
	int		 json;		/* answer as one JSON document */
	int		 width;		/* columns tables fit, 0: no limit */
	struct json	 j;
	const struct conf *conf;
	const char	*dbpath;
	struct share	*share;
	struct gnet	*net;		/* the running node; NULL offline */
};

struct cmd_entry {
	const char	*name;
	const char	*usage;
	const char	*help;
	int		 min_args;	/* after the name */
	int		 max_args;	/* -1: any */
	int		 online;	/* needs the running node (ctx->net) */
	enum cmd_retval	(*exec)(struct cmd_ctx *, int, char **);
};

/* What an online command says when no node runs here. */
#define CMD_NO_NODE	"no running node (start gnode --headless, or use -S SOCKET)"

extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_share_entry;
extern const struct cmd_entry cmd_peers_entry;
extern const struct cmd_entry cmd_connect_entry;
extern const struct cmd_entry cmd_disconnect_entry;
extern const struct cmd_entry cmd_hosts_entry;
extern const struct cmd_entry cmd_search_entry;
extern const struct cmd_entry cmd_results_entry;
extern const struct cmd_entry cmd_stats_entry;
extern const struct cmd_entry cmd_quit_entry;
extern const struct cmd_entry cmd_uploads_entry;
extern const struct cmd_entry cmd_get_entry;
extern const struct cmd_entry cmd_downloads_entry;
extern const struct cmd_entry cmd_pause_entry;
extern const struct cmd_entry cmd_resume_entry;
extern const struct cmd_entry cmd_cancel_entry;
extern const struct cmd_entry cmd_magnet_entry;

/* The i-th command in the table, or NULL past the end. */
const struct cmd_entry *cmd_at(size_t);
/* The command called name, or NULL. */
const struct cmd_entry *cmd_find(const char *name);
/* Run argv[0] with its arguments; usage errors are reported as errors.
 * A first "--width N" says how wide the reader's tables may be (the
 * shell's terminal, a one-shot's); it sets ctx->width. */
enum cmd_retval	 cmd_exec(struct cmd_ctx *, int argc, char **argv);
void		 cmd_print(struct cmd_ctx *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
/* Report a failure: "error: ..." on out, or {"error": "..."} with --json. */
enum cmd_retval	 cmd_error(struct cmd_ctx *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
/* Sizes for people: 1.5 MiB. */
const char	*cmd_size(char *, size_t, uint64_t);
/* "1 file", "2 files": n and the word, in number (plural adds s). */
const char	*cmd_count(char *, size_t, uint64_t n, const char *word);
/* An address (host order) as "a.b.c.d:port". */
const char	*cmd_addr(char *, size_t, uint32_t ip, uint16_t port);
/* Milliseconds as "hh:mm:ss", with "Nd " in front past a day. */
const char	*cmd_duration(char *, size_t, uint64_t ms);
/* n bytes as lower-case hex into out (2n + 1 bytes). */
const char	*cmd_hex(char *out, const uint8_t *, size_t n);
/* A copy of a string from the network with control bytes as '?', safe
 * to print on a terminal (to free). */
char		*cmd_printable(const char *);
/* A number as the user typed it: decimal digits only, 0 to UINT32_MAX.
 * 0, or -1 if it is not one. */
int		 cmd_parse_number(const char *, uint32_t *);
/* The same for an id, which is never 0. */
int		 cmd_parse_id(const char *, uint32_t *);

struct magnet;
/* A file's name into a magnet link, cut at a UTF-8 character when it is
 * longer than a link holds. */
void		 cmd_magnet_name(struct magnet *, const char *);

struct gnet;
struct gnet_download;
/* Every download of the node, oldest first, into *out (to free); how many.
 * The strings stay valid until the loop runs again. */
size_t		 cmd_downloads_all(struct gnet *, struct gnet_download **out);
/* pause/resume/cancel: run op on the download numbered arg; done and
 * state are what the answer says ("paused", "paused"). */
enum cmd_retval	 cmd_download_op(struct cmd_ctx *, const char *arg,
		     int (*op)(struct gnet *, uint32_t, const char **),
		     const char *verb, const char *done, const char *state);

#endif
