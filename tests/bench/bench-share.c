/* gnode: Gnutella 0.6 servent. License: MIT (see COPYING).
 *
 * bench-share.c: how fast the share index is built and searched. A share
 * of N synthetic files is made up deterministically from a seed, the way
 * shares look: directories of related files (albums of numbered tracks by
 * one artist, TV seasons and films in release naming such as
 * "Some.Movie.2019.1080p.x264-GRP.mkv", folders of documents such as
 * "report_2021_v3.pdf" and e-books, camera photo folders, software
 * archives), titles in English, French, German and Spanish with their
 * accents, Russian and Japanese, words picked with a skew so some are
 * common. Files are put in directory order, as a scan walks them (ids
 * follow directories); --shuffle puts them in random order instead, the
 * worst case for locality. Rows get sizes and random SHA-1s and Tiger
 * roots (hashing is bench-hash's business) and are put in transactions
 * of 10,000, then swept as a scan ends; build_s counts only the time spent
 * in share_* calls, not in making names up. Then Q searches of two
 * keywords taken from the words of random indexed names (so most find
 * something) are each timed around share_find with at most 64 hits, after
 * 1,000 untimed ones that warm SQLite's caches as a running node's would
 * be. The database size is measured after closing it (the last close
 * checkpoints the WAL into the file). query_p99_cpu_us, the 99th
 * percentile of the thread's CPU time per search, tells a slow search
 * from one that waited for the CPU on a busy machine.
 *
 * Build without sanitizers for meaningful figures (plain ./configure).
 *
 * usage: bench-share [--files N] [--queries Q] [--seed S] [--db PATH]
 *	      [--shuffle] [--json]
 * Without --db the database is a temporary file, removed at the end.
 */
#include <sys/stat.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/rng.h"
#include "lib/xmalloc.h"
#include "wire/norm.h"
#include "share/share.h"

#define BENCH_BATCH		10000
#define BENCH_MAX_HITS		64
#define BENCH_WARM		1000
#define BENCH_NAME_MAX		512

#define NELEM(a)		(sizeof (a) / sizeof (a)[0])

static const char *const w_en[] = {
	"love", "night", "dream", "heart", "summer", "river", "fire", "light",
	"blue", "dance", "city", "road", "home", "world", "star", "rain",
	"time", "girl", "boy", "moon", "sun", "golden", "broken", "wild",
	"sweet", "forever", "baby", "crazy", "little", "black", "white",
	"red", "angel", "tonight", "money", "lonely", "shadow", "ocean",
	"storm", "winter", "memories", "yesterday", "tomorrow", "kingdom",
	"highway", "paradise", "freedom", "thunder", "whisper", "echo",
	"silver", "midnight", "morning", "secret", "stranger", "journey",
	"wonderful", "beautiful", "electric", "lost", "found", "rising",
	"falling", "burning", "running", "dancing", "sky", "heaven", "hell",
	"devil", "soul", "blood", "tears", "kiss", "hello", "goodbye",
	"without", "together", "alone", "never", "always", "again",
	"nothing", "everything", "people", "children", "mother", "father",
	"brother", "sister", "friend", "king", "queen", "island", "desert",
	"mountain", "valley", "garden", "window", "door", "train", "station",
	"letter", "story", "song", "ballad", "blues", "rock", "soul",
	"groove", "rhythm", "party", "holiday", "weekend", "sunday",
	"monday", "december", "history", "science", "guide", "manual",
	"introduction", "advanced", "complete", "collection", "edition",
	"chapter", "lesson", "project", "design", "network", "security",
	"system", "data", "analysis", "budget", "meeting", "notes", "invoice",
	"summary", "annual", "quarterly", "draft", "final", "review",
};
static const char *const w_fr[] = {
	"été", "café", "rêve", "cœur", "fenêtre", "élève", "garçon",
	"forêt", "hôtel", "château", "noël", "français", "chanson",
	"soleil", "lumière", "première", "déjà", "très", "même", "fête",
	"amour", "nuit", "étoile", "mer", "ciel", "rose", "vie", "temps",
	"âme", "baiser", "éternité", "mélodie", "départ", "bientôt",
	"ça", "là", "où", "voilà", "après", "naïve", "hiver", "printemps",
	"écoute", "souvenir", "île", "océan", "rivière", "prière",
};
static const char *const w_de[] = {
	"straße", "mädchen", "größe", "über", "schön", "müde", "frühling",
	"träume", "könig", "weiß", "fußball", "brücke", "liebe", "nacht",
	"herz", "sonne", "mond", "stern", "himmel", "feuer", "wasser",
	"zeit", "welt", "leben", "lied", "tränen", "glück", "grüße",
	"märchen", "hölle", "schloß", "fräulein", "übermorgen", "dunkel",
	"licht", "wald", "winter", "sehnsucht", "heimat", "kälte",
};
static const char *const w_es[] = {
	"canción", "corazón", "niño", "mañana", "señor", "año", "música",
	"fiesta", "vida", "amor", "noche", "sol", "luna", "estrella",
	"cielo", "mar", "fuego", "agua", "tiempo", "mundo", "alegría",
	"dolor", "pasión", "ilusión", "camión", "también", "último",
	"pequeña", "bonita", "guitarra", "baile", "sueño", "olvidé",
};
static const char *const w_ru[] = {
	"привет", "мир", "любовь", "ночь", "звезда", "песня", "город",
	"солнце", "весна", "зима", "дорога", "сердце", "небо", "река",
	"море", "время", "жизнь", "мечта", "осень", "ветер", "Москва",
	"кино", "фильм", "книга", "сказка", "война", "память",
};
static const char *const w_ja[] = {
	"東京", "夜", "桜", "愛", "夢", "音楽", "映画", "アニメ",
	"さくら", "ありがとう", "君の名は", "新宿", "大阪", "花火",
	"未来", "世界", "空", "海", "星", "恋", "雨", "ラジオ",
	"ドラマ", "第1話", "ライブ", "ベスト",
};
static const char *const first[] = {
	"John", "Paul", "Maria", "Anna", "David", "Sarah", "Michael",
	"Laura", "Carlos", "Sofía", "Jürgen", "Hélène", "François", "Zoë",
	"Björk", "Søren", "Ólafur", "Agnès", "José", "Łukasz", "Dmitri",
	"Yuki", "Kenji", "Aiko", "Marcus", "Elena", "Tom", "Lisa", "Kate",
	"Peter", "Nina", "Oscar", "Lena", "Hugo", "Iris", "Leo",
};
static const char *const last[] = {
	"Smith", "Johnson", "Brown", "Miller", "Davis", "García", "Müller",
	"Schröder", "Dubois", "Lefèvre", "Rossi", "Novák", "Kowalski",
	"Ivanov", "Tanaka", "Suzuki", "Nakamura", "Jensen", "Larsson",
	"Martínez", "López", "O'Brien", "MacLeod", "Öztürk", "Dvořák",
	"Beyoncé", "Gaga", "Cohen", "Fischer", "Weber", "Moreau", "Fontaine",
};
static const char *const band_adj[] = {
	"Black", "Electric", "Rolling", "Velvet", "Silver", "Arctic",
	"Crimson", "Flaming", "Midnight", "Royal", "Neon", "Broken",
};
static const char *const band_noun[] = {
	"Keys", "Stones", "Monkeys", "Lips", "Pumpkins", "Tigers", "Wolves",
	"Strokes", "Killers", "Drums", "Beatles", "Doors", "Hearts",
};
static const char *const audio_ext[] = {
	"mp3", "mp3", "mp3", "flac", "ogg", "m4a", "wav", "opus",
};
static const char *const video_ext[] = { "mkv", "mkv", "mp4", "avi" };
static const char *const doc_ext[] = {
	"pdf", "pdf", "docx", "doc", "odt", "xlsx", "txt", "pptx",
};
static const char *const res[] = { "1080p", "720p", "2160p", "480p" };
static const char *const codec[] = { "x264", "x265", "HEVC", "XviD" };
static const char *const source[] = {
	"BluRay", "WEBRip", "WEB-DL", "HDTV", "DVDRip", "BRRip",
};
static const char *const group[] = {
	"SPARKS", "YIFY", "RARBG", "FGT", "AMIABLE", "NTb", "DIMENSION",
	"LOL", "KiNGS", "EVO",
};
static const char *const sw[] = {
	"linux", "firefox", "gimp", "inkscape", "blender", "vlc", "python",
	"openoffice", "audacity", "gnutella", "kernel", "debian", "ubuntu",
	"freebsd", "openbsd", "emacs", "vim", "tor", "wine", "qemu",
};
static const char *const arch[] = {
	"amd64", "i386", "x86_64", "arm64", "win32", "macos", "src",
};
static const char *const archive_ext[] = {
	"tar.gz", "zip", "iso", "deb", "rpm", "exe", "dmg", "tar.xz",
};
static const char *const place[] = {
	"Paris", "Berlin", "London", "Roma", "Barcelona", "Kyoto", "Praha",
	"Zürich", "Kraków", "Montréal", "São Paulo", "Reykjavík", "Beach",
	"Wedding", "Birthday", "Holiday", "Christmas", "Mountains",
};

struct bench_lang {
	const char	*const *w;
	size_t		 n;
	unsigned	 weight;
};

static const struct bench_lang langs[] = {
	{ w_en, NELEM(w_en), 50 },
	{ w_fr, NELEM(w_fr), 12 },
	{ w_de, NELEM(w_de), 12 },
	{ w_es, NELEM(w_es), 12 },
	{ w_ru, NELEM(w_ru), 7 },
	{ w_ja, NELEM(w_ja), 7 },
};

struct bench_name {
	char		 s[BENCH_NAME_MAX];
	size_t		 len;
};

enum bench_kind {
	BENCH_ALBUM,
	BENCH_SEASON,
	BENCH_MOVIES,
	BENCH_DOCS,
	BENCH_PHOTOS,
	BENCH_SOFTWARE,
};

/* Directories: how often each kind comes, and how many files it holds. */
static const struct {
	enum bench_kind	 kind;
	unsigned	 weight;
	unsigned	 min;
	unsigned	 spread;	/* files: min + [0, spread) */
	const char	*top;
} bench_kinds[] = {
	{ BENCH_ALBUM, 30, 6, 12, "Music" },
	{ BENCH_SEASON, 8, 6, 19, "Video/TV" },
	{ BENCH_MOVIES, 15, 1, 3, "Video/Movies" },
	{ BENCH_DOCS, 12, 3, 28, "Documents" },
	{ BENCH_PHOTOS, 2, 20, 181, "Pictures" },
	{ BENCH_SOFTWARE, 12, 1, 6, "Software" },
};

/* What the files of one directory have in common. */
struct bench_dir {
	unsigned		 kind;		/* index in bench_kinds */
	unsigned		 nfiles;
	unsigned		 style;
	int			 year;
	unsigned		 num;
	struct bench_name	 who;	/* artist, show, topic, place */
	struct bench_name	 what;		/* album */
	const char		*ext;
	const char		*res, *src, *codec, *grp;
};

static uint64_t
bench_clock_ns(clockid_t clock)
{
	struct timespec	 ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t
bench_now_ns(void)
{
	return bench_clock_ns(CLOCK_MONOTONIC);
}

/* An index skewed toward the start: the first words are the common ones. */
static size_t
bench_skew(struct rng *r, size_t n)
{
	double	 u = rng_double(r);

	return (size_t)((double)n * u * u);
}

#define PICK(r, a)	((a)[bench_skew((r), NELEM(a))])
#define ANY(r, a)	((a)[rng_below((r), NELEM(a))])

static void
bench_add(struct bench_name *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
bench_add(struct bench_name *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (b->len >= sizeof b->s - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->len, sizeof b->s - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += (size_t)n < sizeof b->s - b->len ? (size_t)n :
		    sizeof b->s - b->len - 1;
}

/* Append s with every space replaced by c. */
static void
bench_add_sep(struct bench_name *b, const struct bench_name *s, char c)
{
	size_t	 i, start = b->len;

	bench_add(b, "%s", s->s);
	for (i = start; i < b->len; i++)
		if (b->s[i] == ' ')
			b->s[i] = c;
}

static const struct bench_lang *
bench_lang(struct rng *r)
{
	unsigned	 x = (unsigned)rng_below(r, 100);
	size_t		 i;

	for (i = 0; i < NELEM(langs) - 1; i++) {
		if (x < langs[i].weight)
			return &langs[i];
		x -= langs[i].weight;
	}
	return &langs[NELEM(langs) - 1];
}

/* 1 to max title words of one language, separated by sep; the first one
 * capitalised when it is ASCII. */
static void
bench_title(struct rng *r, struct bench_name *b, unsigned max, char sep)
{
	const struct bench_lang	*l = bench_lang(r);
	unsigned		 i, n = 1 + (unsigned)rng_below(r, max);
	const char		*w;

	for (i = 0; i < n; i++) {
		w = l->w[bench_skew(r, l->n)];
		if (i > 0)
			bench_add(b, "%c", sep);
		if (w[0] >= 'a' && w[0] <= 'z' && rng_below(r, 3) != 0)
			bench_add(b, "%c%s", w[0] - 'a' + 'A', w + 1);
		else
			bench_add(b, "%s", w);
	}
}

static void
bench_artist(struct rng *r, struct bench_name *b)
{
	if (rng_below(r, 3) == 0)
		bench_add(b, "The %s %s", PICK(r, band_adj),
		    PICK(r, band_noun));
	else
		bench_add(b, "%s %s", PICK(r, first), PICK(r, last));
}

static int
bench_year(struct rng *r)
{
	/* Recent years are the common ones. */
	return 2024 - (int)bench_skew(r, 65);
}

static void
bench_seed(struct rng *r, uint64_t seed, uint64_t d, uint64_t j)
{
	rng_seed(r, seed ^ (d * 0x9e3779b97f4a7c15ull) ^
	    (j * 0xc2b2ae3d27d4eb4full));
}

/* Directory d: its kind, size and what its files share. */
static void
bench_dir(uint64_t seed, uint64_t d, struct bench_dir *dir)
{
	struct rng	 r;
	unsigned	 x, k;

	bench_seed(&r, seed, d, UINT64_MAX);
	memset(dir, 0, sizeof *dir);
	for (k = 0, x = 0; k < NELEM(bench_kinds); k++)
		x += bench_kinds[k].weight;
	x = (unsigned)rng_below(&r, x);
	for (k = 0; x >= bench_kinds[k].weight; k++)
		x -= bench_kinds[k].weight;
	dir->kind = k;
	dir->nfiles = bench_kinds[k].min +
	    (unsigned)rng_below(&r, bench_kinds[k].spread);
	dir->style = (unsigned)rng_below(&r, 4);
	dir->year = bench_year(&r);
	dir->num = (unsigned)rng_below(&r, 90000);
	switch (bench_kinds[k].kind) {
	case BENCH_ALBUM:
		bench_artist(&r, &dir->who);
		bench_title(&r, &dir->what, 3, ' ');
		dir->ext = PICK(&r, audio_ext);
		break;
	case BENCH_SEASON:
	case BENCH_MOVIES:
		bench_title(&r, &dir->who, 4, ' ');
		dir->res = PICK(&r, res);
		dir->src = PICK(&r, source);
		dir->codec = PICK(&r, codec);
		dir->grp = ANY(&r, group);
		dir->ext = PICK(&r, video_ext);
		break;
	case BENCH_DOCS:
		bench_add(&dir->who, "%s", PICK(&r, w_en));
		break;
	case BENCH_PHOTOS:
		bench_add(&dir->who, "%s", PICK(&r, place));
		break;
	case BENCH_SOFTWARE:
		bench_add(&dir->who, "%s", PICK(&r, sw));
		break;
	}
}

/* The directory's path under the share, made unique by its number. */
static void
bench_dir_path(const struct bench_dir *dir, uint64_t d, struct bench_name *p)
{
	p->len = 0;
	p->s[0] = '\0';
	bench_add(p, "/home/gnode/share/%s/", bench_kinds[dir->kind].top);
	switch (bench_kinds[dir->kind].kind) {
	case BENCH_ALBUM:
		bench_add(p, "%s/%s (%d)", dir->who.s, dir->what.s, dir->year);
		break;
	case BENCH_SEASON:
		bench_add(p, "%s/Season %u", dir->who.s, 1 + dir->num % 9);
		break;
	case BENCH_MOVIES:
		bench_add(p, "%s (%d)", dir->who.s, dir->year);
		break;
	case BENCH_PHOTOS:
		bench_add(p, "%d/%s", dir->year, dir->who.s);
		break;
	default:
		bench_add(p, "%s", dir->who.len > 0 ? dir->who.s : "misc");
		break;
	}
	bench_add(p, " [%llu]", (unsigned long long)d);
}

/* File j of directory d: its name and size. */
static uint64_t
bench_file(uint64_t seed, uint64_t d, unsigned j, const struct bench_dir *dir,
    struct bench_name *b)
{
	struct rng	 r;

	bench_seed(&r, seed, d, j);
	b->len = 0;
	b->s[0] = '\0';
	switch (bench_kinds[dir->kind].kind) {
	case BENCH_ALBUM:
		switch (dir->style) {
		case 0:
			bench_add(b, "%02u - ", j + 1);
			bench_title(&r, b, 5, ' ');
			break;
		case 1:
			bench_add(b, "%02u. %s - ", j + 1, dir->who.s);
			bench_title(&r, b, 4, ' ');
			break;
		case 2:
			bench_add(b, "%02u_", j + 1);
			bench_add_sep(b, &dir->who, '_');
			bench_add(b, "_-_");
			bench_title(&r, b, 4, '_');
			break;
		default:
			bench_add(b, "%s - %s - %02u - ", dir->who.s,
			    dir->what.s, j + 1);
			bench_title(&r, b, 4, ' ');
			break;
		}
		bench_add(b, ".%s", dir->ext);
		return 2000000 + rng_below(&r, 40000000);
	case BENCH_SEASON:
		bench_add_sep(b, &dir->who, '.');
		bench_add(b, ".S%02uE%02u.%s.%s.%s-%s.%s", 1 + dir->num % 9,
		    j + 1, dir->res, dir->src, dir->codec, dir->grp, dir->ext);
		return 200000000 + rng_below(&r, 2000000000ull);
	case BENCH_MOVIES:
		/* The film, then maybe its sample and its subtitles. */
		bench_add_sep(b, &dir->who, '.');
		bench_add(b, ".%d.%s.%s.%s-%s%s.%s", dir->year, dir->res,
		    dir->src, dir->codec, dir->grp, j == 1 ? ".sample" : "",
		    j == 2 ? "srt" : dir->ext);
		return j == 0 ? 700000000 + rng_below(&r, 8000000000ull) :
		    50000 + rng_below(&r, 50000000);
	case BENCH_DOCS:
		/* Numbered by j, so that no two names of a folder clash. */
		if (rng_below(&r, 5) < 3) {
			bench_add(b, "%s_%s_%d_v%u.%s", dir->who.s,
			    PICK(&r, w_en), bench_year(&r), j + 1,
			    PICK(&r, doc_ext));
		} else {
			bench_add(b, "%s - %02u - ", PICK(&r, last), j + 1);
			bench_title(&r, b, 5, ' ');
			bench_add(b, rng_below(&r, 2) ? ".epub" : ".pdf");
		}
		return 20000 + rng_below(&r, 20000000);
	case BENCH_PHOTOS:
		if (dir->style == 0)
			bench_add(b, "IMG_%d%02u%02u_%02u%02u%02u.jpg",
			    dir->year, 1 + dir->num % 12, 1 + dir->num % 28,
			    8 + j / 3600 % 16, j / 60 % 60, j % 60);
		else if (dir->style == 1)
			bench_add(b, "DSC%05u.JPG", (dir->num + j) % 100000);
		else
			bench_add(b, "%s %d %03u.jpg", dir->who.s, dir->year,
			    j + 1);
		return 500000 + rng_below(&r, 8000000);
	case BENCH_SOFTWARE:
		bench_add(b, "%s-%u.%u.%u-%s.%s", dir->who.s, dir->num % 30,
		    (unsigned)rng_below(&r, 20), j, PICK(&r, arch),
		    PICK(&r, archive_ext));
		return 1000000 + rng_below(&r, 4000000000ull);
	}
	return 0;
}

/* Where each directory starts in the numbering of all files. */
struct bench_share {
	uint64_t	 seed;
	uint64_t	 files;
	uint64_t	*start;		/* ndirs + 1 entries */
	uint64_t	 ndirs;
};

static void
bench_layout(struct bench_share *sh, uint64_t seed, uint64_t files)
{
	struct bench_dir	 dir;
	uint64_t		 cap = 1024, n = 0;

	sh->seed = seed;
	sh->files = files;
	sh->start = xreallocarray(NULL, cap, sizeof *sh->start);
	sh->ndirs = 0;
	while (n < files) {
		if (sh->ndirs + 2 > cap) {
			cap *= 2;
			sh->start = xreallocarray(sh->start, cap,
			    sizeof *sh->start);
		}
		bench_dir(seed, sh->ndirs, &dir);
		sh->start[sh->ndirs++] = n;
		n += dir.nfiles;
	}
	sh->start[sh->ndirs] = files;	/* the last directory is cut */
}

/* File i of the share: its path (if p is not NULL), name and size. */
static uint64_t
bench_make(const struct bench_share *sh, uint64_t i, struct bench_name *name,
    struct bench_name *p)
{
	struct bench_dir	 dir;
	uint64_t		 lo = 0, hi = sh->ndirs, mid, size;

	while (hi - lo > 1) {		/* start[lo] <= i < start[hi] */
		mid = lo + (hi - lo) / 2;
		if (sh->start[mid] <= i)
			lo = mid;
		else
			hi = mid;
	}
	bench_dir(sh->seed, lo, &dir);
	size = bench_file(sh->seed, lo, (unsigned)(i - sh->start[lo]), &dir,
	    name);
	if (p != NULL) {
		bench_dir_path(&dir, lo, p);
		bench_add(p, "/%s", name->s);
	}
	return size;
}

struct bench_words {
	char	 w[64][NORM_WORD_MAX + 1];
	size_t	 n;
};

static void
bench_word(void *arg, const char *w, size_t len)
{
	struct bench_words	*ws = arg;
	size_t			 i, chars = 0;

	for (i = 0; i < len; i++)
		chars += ((unsigned char)w[i] & 0xc0) != 0x80;
	if (chars < SHARE_MIN_KEYWORD || ws->n == NELEM(ws->w))
		return;
	memcpy(ws->w[ws->n], w, len);
	ws->w[ws->n++][len] = '\0';
}

/* Two different keywords of a random indexed name, as "w1 w2". */
static size_t
bench_query(struct rng *r, const struct bench_share *bs, char *q, size_t cap)
{
	struct bench_name	 b;
	struct bench_words	 ws;
	size_t			 a, c;

	for (;;) {
		bench_make(bs, rng_below(r, bs->files), &b, NULL);
		ws.n = 0;
		norm_words(b.s, b.len, bench_word, &ws);
		if (ws.n < 2)
			continue;
		a = rng_below(r, ws.n);
		c = rng_below(r, ws.n - 1);
		if (c >= a)
			c++;
		if (strcmp(ws.w[a], ws.w[c]) == 0)
			continue;
		return (size_t)snprintf(q, cap, "%s %s", ws.w[a], ws.w[c]);
	}
}

static int
bench_cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
bench_file_bytes(const char *path)
{
	struct stat	 st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* The temporary database, removed at exit even after a fatal error. */
static char	*bench_tmpdir;

static void
bench_cleanup(void)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char	*p;
	size_t	 i;

	if (bench_tmpdir == NULL)
		return;
	for (i = 0; i < NELEM(suffix); i++) {
		xasprintf(&p, "%s/share.db%s", bench_tmpdir, suffix[i]);
		unlink(p);
		free(p);
	}
	rmdir(bench_tmpdir);
	free(bench_tmpdir);
	bench_tmpdir = NULL;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench-share [--files N] [--queries Q] "
	    "[--seed S] [--db PATH] [--shuffle] [--json]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct share_file	*hits;
	struct share_file	 f;
	struct share_stats	 st;
	struct bench_name	 b, p;
	struct bench_share	 bs;
	struct share		*sh;
	struct rng		 r;
	const char		*cause;
	char			*db = NULL, *wal;
	char			*why = NULL, q[2 * NORM_WORD_MAX + 8];
	uint64_t		 files = 1000000, queries = 10000, seed = 1;
	uint64_t		 i, j, t0, c0, build_ns, *lat, *cpu;
	uint64_t		 hitsum = 0, bytes;
	uint64_t		*order = NULL;
	double			 build_s, p50, p99, cpu99, hmean, per;
	size_t			 qlen;
	long			 n;
	int			 k, json = 0, shuffle = 0;

	log_init(stderr, LOG_LVL_WARN);
	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--json") == 0)
			json = 1;
		else if (strcmp(argv[k], "--files") == 0 && k + 1 < argc)
			files = strtoull(argv[++k], NULL, 10);
		else if (strcmp(argv[k], "--queries") == 0 && k + 1 < argc)
			queries = strtoull(argv[++k], NULL, 10);
		else if (strcmp(argv[k], "--seed") == 0 && k + 1 < argc)
			seed = strtoull(argv[++k], NULL, 10);
		else if (strcmp(argv[k], "--db") == 0 && k + 1 < argc)
			db = xstrdup(argv[++k]);
		else if (strcmp(argv[k], "--shuffle") == 0)
			shuffle = 1;
		else
			usage();
	}
	if (files == 0)
		usage();
	if (db == NULL) {
		bench_tmpdir = xstrdup("/tmp/bench-share.XXXXXX");
		if (mkdtemp(bench_tmpdir) == NULL)
			fatal("mkdtemp");
		atexit(bench_cleanup);
		xasprintf(&db, "%s/share.db", bench_tmpdir);
	}
	xasprintf(&wal, "%s-wal", db);
	bench_layout(&bs, seed, files);
	if (shuffle) {
		order = xreallocarray(NULL, files, sizeof *order);
		for (i = 0; i < files; i++)
			order[i] = i;
		rng_seed(&r, seed + 1);
		for (i = files - 1; i > 0; i--) {
			j = rng_below(&r, i + 1);
			t0 = order[i];
			order[i] = order[j];
			order[j] = t0;
		}
	}

	if ((sh = share_open(db, &why)) == NULL)
		fatalx("%s", why);
	/* Only the time spent in the index counts, not making up names. */
	build_ns = 0;
	t0 = bench_now_ns();
	if (share_begin(sh) != 0)
		fatalx("share_begin failed");
	build_ns += bench_now_ns() - t0;
	for (i = 0; i < files; i++) {
		j = order != NULL ? order[i] : i;
		memset(&f, 0, sizeof f);
		f.size = bench_make(&bs, j, &b, &p);
		f.path = p.s;
		f.mtime_ns = 1500000000000000000ll + (int64_t)j * 1000;
		rng_seed(&r, ~seed ^ j);
		rng_bytes(&r, f.sha1, sizeof f.sha1);
		rng_bytes(&r, f.tth, sizeof f.tth);
		f.has_sha1 = f.has_tth = 1;
		t0 = bench_now_ns();
		if (share_put(sh, &f, 1) != 0)
			fatalx("share_put %s failed", p.s);
		if ((i + 1) % BENCH_BATCH == 0 && (share_commit(sh) != 0 ||
		    share_begin(sh) != 0))
			fatalx("commit failed");
		build_ns += bench_now_ns() - t0;
	}
	/* The end of a scan: commit, sweep (which merges the FTS index). */
	t0 = bench_now_ns();
	if (share_commit(sh) != 0 || share_sweep(sh, 1) < 0)
		fatalx("final commit failed");
	build_ns += bench_now_ns() - t0;
	if (share_stats(sh, &st) != 0)
		fatalx("share_stats failed");
	share_close(sh);
	bytes = bench_file_bytes(db) + bench_file_bytes(wal);

	if ((sh = share_open(db, &why)) == NULL)
		fatalx("%s", why);
	hits = xreallocarray(NULL, BENCH_MAX_HITS, sizeof *hits);
	lat = xreallocarray(NULL, queries > 0 ? queries : 1, sizeof *lat);
	cpu = xreallocarray(NULL, queries > 0 ? queries : 1, sizeof *cpu);
	rng_seed(&r, seed * 31 + 7);
	for (i = 0; i < BENCH_WARM; i++) {
		qlen = bench_query(&r, &bs, q, sizeof q);
		if (share_find(sh, q, qlen, hits, BENCH_MAX_HITS, &cause) < 0)
			fatalx("search [%s]: %s", q, cause);
	}
	for (i = 0; i < queries; i++) {
		qlen = bench_query(&r, &bs, q, sizeof q);
		c0 = bench_clock_ns(CLOCK_THREAD_CPUTIME_ID);
		t0 = bench_now_ns();
		n = share_find(sh, q, qlen, hits, BENCH_MAX_HITS, &cause);
		lat[i] = bench_now_ns() - t0;
		cpu[i] = bench_clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
		if (n < 0)
			fatalx("search [%s]: %s", q, cause);
		hitsum += (uint64_t)n;
	}
	share_close(sh);
	qsort(lat, queries, sizeof *lat, bench_cmp);
	qsort(cpu, queries, sizeof *cpu, bench_cmp);

	build_s = (double)build_ns / 1e9;
	p50 = queries ? (double)lat[queries / 2] / 1e3 : 0;
	p99 = queries ? (double)lat[queries * 99 / 100] / 1e3 : 0;
	cpu99 = queries ? (double)cpu[queries * 99 / 100] / 1e3 : 0;
	hmean = queries ? (double)hitsum / (double)queries : 0;
	per = (double)bytes / (double)st.files;
	if (!json)
		fprintf(stderr, "%llu files in %.1f s (%.0f/s), %.0f "
		    "bytes/file; %llu searches: p50 %.0f us, p99 %.0f us "
		    "(CPU %.0f us), %.1f hits\n",
		    (unsigned long long)st.files, build_s,
		    (double)files / build_s, per, (unsigned long long)queries,
		    p50, p99, cpu99, hmean);
	printf("{\"bench\":\"share\",\"files\":%llu,\"build_s\":%.2f,"
	    "\"files_per_s\":%.0f,\"queries\":%llu,\"query_p50_us\":%.1f,"
	    "\"query_p99_us\":%.1f,\"hits_mean\":%.1f,"
	    "\"db_bytes_per_file\":%.0f,\"query_p99_cpu_us\":%.1f}\n",
	    (unsigned long long)st.files, build_s, (double)files / build_s,
	    (unsigned long long)queries, p50, p99, hmean, per, cpu99);

	free(hits);
	free(lat);
	free(cpu);
	free(order);
	free(bs.start);
	free(wal);
	free(db);
	return 0;
}
