#!/bin/sh
# dlrules.sh: a real gnode downloader D (127.0.0.2) against test uploaders
# (tests/net/uploader, 127.0.0.3 and up) that hold it to the rules real
# uploaders (gtk-gnutella) enforce. Each uploader is also a Gnutella peer
# that answers every query with a hit for its file, so D finds it with
# `connect` and `search` and fetches it with `get`. Every rule gets its own
# random file of 3 MiB + 12345 bytes (chunks and caps do not line up), and
# its download must end done, with the file's SHA-1, from uploaders whose
# counters say D never had two connections open to one of them at once
# (max_per_ip) and broke none of its rules (violations). The rules:
#   cap512      every answer cut to 512 KiB (a 206 shorter than asked);
#   cap300k     every answer cut to 300000 bytes;
#   first300k   only the first answer on a connection cut to 300000;
#   gtkg        as gtk-gnutella: the first answer cut to 512 KiB, and a
#               second connection from D refused with 503 (none may come);
#   parq        3 answers "503 Queued" (X-Queued, Retry-After: 2) on a
#               connection kept open: D keeps its place (comes back no
#               sooner, with the ID) without hanging up more than once;
#   parqclose   the same, but the uploader hangs up after each 503: D
#               dials again with its X-Queued ID;
#   callback    one 503 Queued (Retry-After: 30), then the uploader dials
#               the address D's X-Node named with "QUEUE ID IP:PORT": D
#               sends its GET on that connection;
#   ranges      two uploaders with a part each (X-Available-Ranges:
#               0-1700000 and 1500000-end, ends that fall inside chunks,
#               each chunk whole at one of them): D asks each only for
#               what it has (no 416 once it has been told);
#   rangesplit  the same with 0-1650000 and 1600000-end: the 256 KiB chunk
#               at 1572864 is whole at neither, so D must finish it with
#               bytes from both (issue 12: "a chunk may be finished by a
#               later answer or by another source");
#   badrange    an uploader answering with a Content-Range one byte off
#               what was asked: D bans it (sources_banned) and never comes
#               back, and finishes from a good source (held with SIGSTOP
#               until the ban, or 25 s);
#   longbody    the same with a body 4096 bytes longer than Content-Length:
#               the extra bytes stand where the next answer's status line
#               should, so D bans it at once and never comes back.
# DLRULES="cap512 parq" runs only those. GNODE_TEST_KEEP=1 keeps $tmp.
# Every wait is bounded; no duration is asserted.
# shellcheck disable=SC2016,SC2034,SC2317
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
uploader=$top/tests/net/uploader
if [ ! -x "$uploader" ]; then
	echo "SKIP: $uploader not built"
	exit 77
fi
need_loopback 2 18
stopped=""	# uploaders we sent SIGSTOP and not yet SIGCONT
cleanup_first() {
	for p in $stopped; do kill -CONT "$p" 2>/dev/null; done
}
log_tail() {
	grep -v "ping\|pong" "$1" | tail -n 40
}
setup_tmp
size=$((3 * 1048576 + 12345))
all="cap512 cap300k first300k gtkg parq parqclose callback ranges rangesplit badrange longbody"
rules=${DLRULES:-$all}

# g NAME COMMAND... (bounded, instead of lib.sh's): JSON out.
if command -v timeout >/dev/null 2>&1; then
	bounded="timeout 20"
else
	bounded=""
fi
g() {
	_g_n=$1
	shift
	$bounded "$gnode" -S "$tmp/$_g_n/sock" --json "$@" 2>/dev/null
}

# --- the downloader ------------------------------------------------------------

mkdir -p "$tmp/D/data" "$tmp/D/downloads" "$tmp/files"
{
	node_section "$tmp/D" 2
	printf '[net]\nmin_peers = 0\nmax_peers = 16\n'
	printf '[search]\nstrategy = flood\n'
	printf '[xfer]\ndownload_dir = %s\n' "$tmp/D/downloads"
} > "$tmp/D/conf"
start D
check "D answers its control socket" 'wait_until 20 answers D' || exit 1

# --- uploaders -------------------------------------------------------------------

# upl NAME OCTET FILE ARGS...: an uploader of FILE on 127.0.0.OCTET, its
# counters in $tmp/NAME.stats (and its last line in $tmp/NAME.out).
upl() {
	_u_n=$1
	_u_o=$2
	_u_f=$3
	shift 3
	rm -f "$tmp/$_u_n.stats"
	"$uploader" --listen "127.0.0.$_u_o:$port" --file "$_u_f" \
	    --stats "$tmp/$_u_n.stats" --timeout 300 "$@" \
	    > "$tmp/$_u_n.out" 2> "$tmp/$_u_n.err" &
	eval "pid_$_u_n=$!"
	eval "ip_$_u_n=127.0.0.$_u_o"
	pids="$pids $!"
	wait_until 20 test -s "$tmp/$_u_n.stats" ||
	    { check "uploader $_u_n started ($(cat "$tmp/$_u_n.err"))" false;
	    return 1; }
}
# ctr NAME KEY: one of an uploader's counters.
ctr() {
	sed -n "s/.* $2=\([0-9]*\).*/\1/p" "$tmp/$1.stats"
}

# --- D's side ----------------------------------------------------------------------

has_peer() {
	g D peers | json 'peers[state=up].address' | grep -qx "$1:$port"
}
nsrc_is() {
	[ "$(g D results "$1" | json "results[name=$2].sources[].address" |
	    wc -l)" -eq "$3" ]
}
dl() {
	g D downloads | json "downloads[id=$1].$2"
}
dl_done() {
	_d_s=$(dl "$1" state)
	case $_d_s in
	done) return 0 ;;
	failed|cancelled) dl_gaveup=$_d_s; return 0 ;;
	esac
	return 1
}
banned() {
	_b=$(dl "$1" sources_banned)
	[ -n "$_b" ] && [ "$_b" -ge 1 ]
}
# queued ID: D waits in a source's PARQ queue and says where, in JSON
# and in the text view ("queued 1/1").
queued() {
	_q=$(dl "$1" queue_position)
	[ -n "$_q" ] && [ "$_q" -ge 1 ] &&
	    "$gnode" -S "$tmp/D/sock" downloads 2>/dev/null |
	    grep -q "^ *$1  queued $_q"
}

# newfile RULE: a fresh random file for the rule; sets $file and $fname.
newfile() {
	fname=$1-$rnd.bin
	file=$tmp/files/$fname
	head -c "$size" /dev/urandom > "$file"
}
# find RULE NAMES...: D links to the uploaders NAMES and searches until
# the result for the rule's file lists every one of them; sets $num.
find_it() {
	_f_r=$1
	shift
	id=""
	for _f_u in "$@"; do
		_f_ip=""
		eval "_f_ip=\$ip_$_f_u"
		g D connect "$_f_ip:$port" >/dev/null
		check "$_f_r: D is linked to $_f_u ($_f_ip)" \
		    'wait_until 15 has_peer "$_f_ip"' || return 1
	done
	_f_k=$#
	_f_sid=$(g D search "$_f_r$rnd" | json id)
	check "$_f_r: the result for $fname has $_f_k source(s)" \
	    '[ -n "$_f_sid" ] && wait_until 20 nsrc_is "$_f_sid" "$fname" $_f_k' ||
	    return 1
	num=$(g D results "$_f_sid" | json "results[name=$fname].number")
}
# get_it RULE: get result $num; sets $id.
get_it() {
	id=$(g D get "$num" | json id)
	check "$1: get $num starts a download" '[ -n "$id" ]'
}
fetch() {
	find_it "$@" && get_it "$1"
}
# finished RULE SECONDS: the download ends done within SECONDS, with the
# file's SHA-1.
finished() {
	dl_gaveup=""
	_n_t=$2
	check "$1: download $id is done" \
	    'wait_until $_n_t dl_done "$id" && [ -z "$dl_gaveup" ]' ||
	    info "$1: $(g D downloads | json "downloads[id=$id]")"
	_n_dst=$tmp/D/downloads/$fname
	check "$1: the saved file's SHA-1 is the uploader's" \
	    '[ -f "$_n_dst" ] && [ "$(sha1 "$_n_dst")" = "$(sha1 "$file")" ]'
}
# clean UPLOADER RULE: one connection at a time, no rule broken.
clean() {
	_c_u=$1
	info "$2: $(cat "$tmp/$1.stats")"
	check "$2: $1 saw at most one connection from D at a time" \
	    '[ "$(ctr $_c_u max_per_ip)" -le 1 ] && [ "$(ctr $_c_u refused)" = 0 ]'
	check "$2: $1 counted no violation" \
	    '[ "$(ctr $_c_u violations)" = 0 ]'
	check "$2: $1 served data" '[ "$(ctr $_c_u bytes)" -gt 0 ]'
}
# done_with RULE NAMES...: stop the uploaders; cancel the download if it
# is not done, so it leaves D alone.
done_with() {
	_w_r=$1
	shift
	[ -z "$id" ] || [ "$(dl "$id" state)" = "done" ] ||
	    g D cancel "$id" >/dev/null
	for _w_u in "$@"; do
		case " $stopped " in *" $(pid_of "$_w_u") "*) thaw "$_w_u" ;; esac
		stop "$_w_u" TERM
	done
}

# --- the rules ---------------------------------------------------------------------

oct=3		# the next uploader's address
# simple RULE SECONDS ARGS...: one uploader with ARGS.
simple() {
	_s_r=$1
	_s_t=$2
	shift 2
	newfile "$_s_r"
	upl "U$oct" "$oct" "$file" "$@" || return
	_s_u=U$oct
	oct=$((oct + 1))
	if fetch "$_s_r" "$_s_u"; then
		[ -n "${during:-}" ] && "$during" "$_s_r"
		finished "$_s_r" "$_s_t"
		clean "$_s_u" "$_s_r"
	fi
	done_with "$_s_r" "$_s_u"
	last=$_s_u
}

rule_cap512() {
	simple cap512 60 --cap 524288
}
rule_cap300k() {
	simple cap300k 60 --cap 300000
}
rule_first300k() {
	simple first300k 60 --cap 300000 --first-cap
}
rule_gtkg() {
	simple gtkg 60 --cap 524288 --first-cap --one-per-ip
}
rule_parq() {
	simple parq 60 --parq 3 --retry-after 2 --max-hangups 1
	check "parq: D was queued 3 times" '[ "$(ctr $last queued)" -ge 3 ]'
}
rule_parqclose() {
	simple parqclose 60 --parq 2 --retry-after 2 --parq-close
	check "parqclose: D was queued 2 times" '[ "$(ctr $last queued)" -ge 2 ]'
}
# in_queue RULE: while it waits, `downloads` shows D's place.
in_queue() {
	check "$1: downloads shows the place in the queue" \
	    'wait_until 20 queued "$id"'
}
rule_callback() {
	during=in_queue
	simple callback 90 --parq-callback --retry-after 30 --callback-after 1
	during=""
	check "callback: the uploader called D back and D sent its GET on it" \
	    '[ "$(ctr $last callbacks)" -ge 1 ] && [ "$(ctr $last cb_requests)" -ge 1 ]'
}
# parts RULE A_LAST B_FIRST: two partial uploaders, 0-A_LAST and
# B_FIRST-end.
parts() {
	newfile "$1"
	_r_a=U$oct
	_r_b=U$((oct + 1))
	upl "$_r_a" "$oct" "$file" --ranges "0-$2" || return
	upl "$_r_b" $((oct + 1)) "$file" --ranges "$3-$((size - 1))" || return
	oct=$((oct + 2))
	if fetch "$1" "$_r_a" "$_r_b"; then
		finished "$1" 60
		clean "$_r_a" "$1"
		clean "$_r_b" "$1"
	fi
	done_with "$1" "$_r_a" "$_r_b"
}
rule_ranges() {
	parts ranges 1700000 1500000
}
rule_rangesplit() {
	# Both ends of the overlap fall inside the chunk at 1572864.
	parts rangesplit 1650000 1600000
}
# bad RULE FLAG AGAIN: a bad uploader and a good one held back until D
# bans the bad one; D may come back to the bad one on AGAIN new
# connections after its first bad answer.
bad() {
	_x_again=$3
	newfile "$1"
	_x_b=U$oct
	_x_g=U$((oct + 1))
	upl "$_x_b" "$oct" "$file" "$2" || return
	upl "$_x_g" $((oct + 1)) "$file" || return
	oct=$((oct + 2))
	# The good one is held back from the start, so the bad one is
	# asked first.
	if find_it "$1" "$_x_b" "$_x_g" && freeze "$_x_g" && get_it "$1"; then
		check "$1: D bans the bad source" 'wait_until 25 banned "$id"'
		thaw "$_x_g"
		finished "$1" 60
		info "$1: $(cat "$tmp/$_x_b.stats")"
		check "$1: $_x_b sent a bad answer" '[ "$(ctr $_x_b bad)" -ge 1 ]'
		check "$1: D came back to $_x_b at most $_x_again time(s) after its bad answer" \
		    '[ "$(ctr $_x_b after_bad)" -le $_x_again ]'
		check "$1: ... and at most one connection at a time" \
		    '[ "$(ctr $_x_b max_per_ip)" -le 1 ]'
		clean "$_x_g" "$1"
	fi
	done_with "$1" "$_x_b" "$_x_g"
}
rule_badrange() {
	bad badrange --bad-range 0
}
rule_longbody() {
	bad longbody --long-body 0
}

for r in $rules; do
	case " $all " in
	*" $r "*) ;;
	*) echo "unknown rule: $r"; fail=1; continue ;;
	esac
	info "--- rule $r ($(date '+%T'))"
	"rule_$r"
	check "D still answers after $r" 'answers D' || break
done
stop D TERM
rc=$?
check "D exits 0 on SIGTERM" '[ $rc -eq 0 ]'
exit $fail
