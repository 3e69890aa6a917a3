# tests/interop_lib.sh: the harness of the tests against a real
# gtk-gnutella (tests/interop.sh, tests/interop_push.sh), sourced right
# after tests/lib.sh: it skips (77) where gtk-gnutella, unshare, root,
# libfaketime or gtk-gnutella's libraries are missing, re-executes the
# calling script in a private network namespace with only lo up, and
# gives the helpers: gtkg_start, gsh, gdir, g, prand, b32sha1, size_of,
# case_begin/case_end/case_fail, mknode, peer_id, search_urn, dl_wait,
# got, start_get. gnode nodes live on 127.0.0.2-12, whitelisted in
# every gtk-gnutella (its connection-rate ban spares them).
# shellcheck shell=sh disable=SC2016,SC2034,SC2317
idir=${GNODE_INTEROP_DIR:-$top_srcdir/../shared/interop}
skip() {
	echo "SKIP: $*"
	exit 77
}
if [ ! -x "$idir/gtk-gnutella" ] || [ ! -x "$idir/gtkg" ]; then
	skip "no gtk-gnutella in $idir"
fi
idir=$(cd "$idir" && pwd)

# --- into a private network namespace ----------------------------------------

if [ -z "${GNODE_INTEROP_NETNS:-}" ]; then
	command -v unshare >/dev/null 2>&1 || skip "unshare is missing"
	# gtkg adds user gtkg and runs gtk-gnutella as it (it refuses root).
	[ "$(id -u)" -eq 0 ] || skip "gtkg needs root (it su's to user gtkg)"
	for c in ip ss python3 su timeout; do
		command -v $c >/dev/null 2>&1 || skip "$c is missing"
	done
	ft=$(dpkg -L libfaketime 2>/dev/null | grep 'libfaketime.so.1$' | head -n 1)
	if [ -z "$ft" ] || [ ! -f "$ft" ]; then
		skip "libfaketime is missing (apt-get install faketime)"
	fi
	if command -v ldd >/dev/null 2>&1; then
		nf=$(ldd "$idir/gtk-gnutella" 2>&1 | grep 'not found' | tr -s ' \t' ' ')
		[ -z "$nf" ] || skip "gtk-gnutella's libraries are missing:$nf"
	fi
	unshare --net true 2>/dev/null ||
	    skip "unshare --net fails here (no privilege for a network namespace)"
	GNODE_INTEROP_NETNS=1
	export GNODE_INTEROP_NETNS
	exec unshare --net sh -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
	echo "Bail out: cannot exec unshare"
	exit 1
fi
others=$(ip -o link show | awk -F': ' '{ print $2 }' | grep -v '^lo$')
if [ -n "$others" ]; then
	echo "Bail out: not in a private network namespace (found: $others)"
	exit 1
fi

# --- helpers ---------------------------------------------------------------------

gtkgs=""	# gtk-gnutella instances started, stopped by cleanup
gtkg_whitelist=$(seq 2 12 | sed 's/^/127.0.0./' | tr '\n' ' ')
# cleanup_first: stop every gtk-gnutella we started; after a failure,
# what each said about gnode's addresses.
cleanup_first() {
	if [ "$fail" -ne 0 ]; then
		for _c_n in $gtkgs; do
			echo "--- $_c_n: gtkg.log lines about 127.0.0.2-9 (last 60)"
			grep '127\.0\.0\.[2-9]' "$GTKG_RUN/$_c_n/gtkg.log" 2>/dev/null |
			    grep -v 'pong\|ping' | tail -n 60
		done
	fi
	for _c_n in $gtkgs; do
		timeout 30 "$idir/gtkg" stop "$_c_n" >/dev/null 2>&1
	done
	gtkgs=""
}
log_tail() {
	grep -v "ping\|pong\|-> 206 " "$1" | tail -n 40
}
setup_tmp
GTKG_RUN=$tmp/gtkg
export GTKG_RUN
mkdir -p "$GTKG_RUN"

# gtkg_start NAME PORT SHARE_DIR PROPS [ROLE]: one gtk-gnutella, online,
# ultra unless ROLE says leaf.
# gtk-gnutella itself has crashed (SIGSEGV, its own crash log) within its
# first second, before it spoke to anyone: one more start, then give up
# (the wrapper makes its directory afresh each time).
gtkg_start() {
	gtkgs="$gtkgs $1"
	gtkg_start1 "$@" && return 0
	echo "# $1: gtk-gnutella did not start; once more"
	gtkg_start1 "$@"
}
gtkg_start1() {
	GTKG_PROPS=$4 GTKG_WHITELIST="$gtkg_whitelist" \
	    timeout 90 "$idir/gtkg" start "$1" "$2" "$3" "${5:-ultra}" online
}
# gsh NAME CMD...: gtk-gnutella's shell, bounded.
gsh() {
	timeout 30 "$idir/gtkg" shell "$@" 2>&1
}
gdir() {
	echo "$GTKG_RUN/$1"
}
# g NAME COMMAND... (instead of lib.sh's): bounded, JSON out, errors dropped.
g() {
	_g_n=$1
	shift
	timeout 20 "$gnode" -S "$tmp/$_g_n/sock" --json "$@" 2>/dev/null
}
# prand SEED BYTES: pseudo-random bytes, the same for the same seed, fast.
prand() {
	python3 -c '
import random, sys
r = random.Random(sys.argv[1]); n = int(sys.argv[2]); o = sys.stdout.buffer
while n > 0:
    k = min(n, 1 << 20); o.write(r.randbytes(k)); n -= k
' "$1" "$2"
}
# b32sha1 FILE: the SHA-1 in base32, as urn:sha1: has it.
b32sha1() {
	python3 -c '
import base64, hashlib, sys
h = hashlib.sha1()
with open(sys.argv[1], "rb") as f:
    for b in iter(lambda: f.read(1 << 20), b""):
        h.update(b)
print(base64.b32encode(h.digest()).decode())' "$1"
}
size_of() {
	wc -c < "$1" | tr -d ' '
}

# Cases: case_begin ID TEXT; checks (lib.sh's check) set $fail; case_end
# prints the case's line.
npass=0
nfail=0
case_begin() {
	case_id=$1
	case_text=$2
	fail_before=$fail
	fail=0
	echo "# $1: $2"
}
case_end() {
	if [ "$fail" -eq 0 ]; then
		echo "ok $case_id - $case_text"
		npass=$((npass + 1))
		fail=$fail_before
	else
		echo "not ok $case_id - $case_text"
		nfail=$((nfail + 1))
	fi
}
case_fail() {
	echo "FAIL: $*"
	fail=1
}

# mknode NAME OCTET MIN_PEERS COMPRESS [SEED...]: a gnode node's config.
mknode() {
	_m_d=$tmp/$1
	mkdir -p "$_m_d/data" "$_m_d/share" "$_m_d/downloads"
	{
		node_section "$_m_d" "$2"
		printf '[net]\nmin_peers = %s\nmax_peers = 8\ncompress = %s\n' \
		    "$3" "$4"
		shift 4
		for _m_s in "$@"; do
			printf 'seed = %s\n' "$_m_s"
		done
		printf '[search]\nstrategy = flood\n'
		printf '[share]\ndir = %s\n' "$_m_d/share"
		printf '[xfer]\ndownload_dir = %s\n' "$_m_d/downloads"
	} > "$_m_d/conf"
}
log_has() {
	grep -q "$2" "$tmp/$1/log"
}
# peer_id NAME ADDRESS DIRECTION: the id of NAME's link up to ADDRESS.
peer_id() {
	g "$1" peers > "$tmp/$1.peers" || return 1
	"$netpeer" json 'peers[].id' < "$tmp/$1.peers" | while read -r _p_id; do
		[ "$(json "peers[id=$_p_id].state" < "$tmp/$1.peers")" = up ] &&
		    [ "$(json "peers[id=$_p_id].direction" < "$tmp/$1.peers")" = "$3" ] &&
		    json "peers[id=$_p_id].address" < "$tmp/$1.peers" |
		    grep -q "^$2" && echo "$_p_id" && break
	done
}
has_link() {
	[ -n "$(peer_id "$@")" ]
}
peer_field() {
	g "$1" peers | json "peers[id=$2].$3"
}
# search_urn NAME WORDS URN...: search from NAME until a result has each
# URN at G1 (or G2), every 5 s for a minute at most, since gtk-gnutella
# hashes its files after it starts; each time with the words in another
# order, because it drops a query it has just seen from the same peer.
# Sets $sid.
search_urn() {
	_s_n=$1
	_s_w=$2
	shift 2
	_s_try=0
	while [ $_s_try -lt 12 ]; do
		# shellcheck disable=SC2086
		sid=$(g "$_s_n" search $_s_w | json id)
		[ -n "$sid" ] || return 1
		if wait_until 5 has_urns "$_s_n" "$sid" "$@"; then
			return 0
		fi
		_s_w="${_s_w#* } ${_s_w%% *}"
		_s_try=$((_s_try + 1))
	done
	return 1
}
has_urns() {
	_h_n=$1
	_h_s=$2
	shift 2
	g "$_h_n" results "$_h_s" > "$tmp/$_h_n.results" || return 1
	for _h_u in "$@"; do
		json "results[urn=$_h_u].sources[].address" < "$tmp/$_h_n.results" |
		    grep -q "^127.0.0.1:1634[67]$" || return 1
	done
}
# num_of NAME SEARCH URN: the result number of URN in the search.
num_of() {
	g "$1" results "$2" | json "results[urn=$3].number"
}
dl() {
	g "$1" downloads | json "downloads[id=$2].$3"
}
# dl_wait NAME ID SECONDS [BYTES]: poll download ID until it is done (or
# failed, cancelled), or has BYTES, for at most SECONDS, giving up when its
# bytes have not grown and its rate has been 0 for 60 s (counted from
# $dl_t0, when the download started, while it has no bytes); sets dl_end
# to done, failed, cancelled, bytes, stalled or timeout, and dl_bytes.
dl_wait() {
	_d_end=$(($(now) + $3))
	_d_last=0
	_d_since=${dl_t0:-$(now)}
	while :; do
		g "$1" downloads > "$tmp/$1.dl"
		_d_st=$(json "downloads[id=$2].state" < "$tmp/$1.dl")
		dl_bytes=$(json "downloads[id=$2].bytes" < "$tmp/$1.dl")
		case $_d_st in done|failed|cancelled) dl_end=$_d_st; return ;; esac
		if [ $# -ge 4 ] && [ "${dl_bytes:-0}" -ge "$4" ]; then
			dl_end=bytes
			return
		fi
		# bytes counts whole chunks only: a slow source's progress
		# shows in rate first.
		_d_r=$(json "downloads[id=$2].rate" < "$tmp/$1.dl")
		if [ "${dl_bytes:-0}" != "$_d_last" ] ||
		    [ "${_d_r:-0}" != 0 ]; then
			_d_last=${dl_bytes:-0}
			_d_since=$(now)
		elif [ $(($(now) - _d_since)) -ge 60 ]; then
			dl_end=stalled
			return
		fi
		[ "$(now)" -lt $_d_end ] || { dl_end=timeout; return; }
		if [ $# -ge 4 ]; then sleep 0.2; else sleep 0.5; fi
	done
}
# got NAME ID FILE ORIGINAL WHAT: the checks of a finished download.
got() {
	_o_n=$1
	_o_id=$2
	_o_f=$3
	_o_orig=$4
	info "$5: $(g "$_o_n" downloads | json "downloads[id=$_o_id]")"
	check "$5: download $_o_id is done ($dl_end)" '[ "$dl_end" = done ]' || {
		info "$5: $_o_n's log on it:" \
		    "$(grep "download ${_o_id}[ :]" "$tmp/$_o_n/log" | tail -n 8 | tr '\n' '|')"
		return 1
	}
	_o_p=$(dl "$_o_n" "$_o_id" path)
	check "$5: the saved file ($_o_p) has the SHA-1 of the original" \
	    '[ -f "$_o_p" ] && [ "$(sha1 "$_o_p")" = "$(sha1 "$_o_orig")" ]'
	check "$5: the log says the Tiger tree checked the chunks" \
	    'log_has "$_o_n" "download $_o_id: Tiger tree received, chunks checked"'
	check "$5: the log says it was checked and saved" \
	    'grep -F "download $_o_id $_o_f: done, " "$tmp/$_o_n/log" |
	     grep -qF " checked, saved as $_o_p"'
}
# start_get NAME SEARCH URN: `get N` of the result with URN; sets $id.
start_get() {
	_t_num=$(num_of "$1" "$2" "$3")
	id=""
	[ -n "$_t_num" ] || return 1
	id=$(g "$1" get "$_t_num" | json id)
	echo "$id" | grep -Eq '^[0-9]+$'
}
# found NAME SEARCH FILE: the search has a result named FILE.
found() {
	g "$1" results "$2" | json "results[].name" | grep -qx "$3"
}
# search_found NAME WORDS FILE: search until FILE is a result, every 5 s
# for a minute at most (a fresh table takes gtk-gnutella a moment); each
# time with the words in another order. Sets $sid.
search_found() {
	_f_w=$2
	_f_try=0
	while [ "$_f_try" -lt 12 ]; do
		# shellcheck disable=SC2086
		sid=$(g "$1" search $_f_w | json id)
		[ -n "$sid" ] || return 1
		wait_until 5 found "$1" "$sid" "$3" && return 0
		_f_w="${_f_w#* } ${_f_w%% *}"
		_f_try=$((_f_try + 1))
	done
	return 1
}
