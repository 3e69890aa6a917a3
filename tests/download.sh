#!/bin/sh
# download.sh: swarming downloads between real gnode nodes on loopback.
# A downloader D (127.0.0.40) shares nothing and has the sources S1..S4
# (.41-.44) and S5 (.45) as its seeds (min_peers 5; they dial nobody), so
# every source is D's direct peer and answers D's searches, also after D
# is restarted. D is driven through its control socket:
# search, results, get N, downloads, pause, resume, cancel. Scenarios:
#   1) a 6 MiB file from one source (S1): done, the SHA-1 of the saved
#      file is the source's, it is in download_dir, no .part is left;
#   2) a 12 MiB file shared by S1..S4: the result has 4 sources, the file
#      checks out, and each of the four served part of it (uploads bytes
#      and Range GETs in its log);
#   3) a 16 MiB file shared by S1..S4, S4's copy corrupted at every
#      256 KiB after it was indexed (size and mtime kept): the download
#      still checks out, and D drops S4, and only S4, as a liar (log,
#      sources_banned); S4's chunk comes after the tree (S4 held back
#      until D has it from S1..S3); 3b) the same with the tree from S4,
#      coming after S4's first chunk (S1..S3 held back until then);
#      3c) the same with nobody held back;
#   4) pause and resume, then cancel (files of S5): states, the .part kept
#      while paused and removed on cancel;
#   5) resume across a crash: D is killed -9 in the middle of a 48 MiB
#      download and restarted: the download is listed again with bytes
#      kept ("resumed at N of M bytes", N > 0), completes, checks out;
#   6) a 1 MiB file (4 chunks, one for each of S1..S4) whose Tiger tree,
#      asked of the first source done, may well come after the file is
#      done: it checks out, and D still answers.
# To hold a download at a point (scenarios 3, 4 and 5) sources are stopped
# with SIGSTOP and let go with SIGCONT. Every wait is a bounded poll on a
# condition; no duration is asserted.
# GNODE_TEST_KEEP=1 keeps the temporary directory (configs, logs).
# shellcheck disable=SC2016,SC2034,SC2317
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
need_loopback 40 45
stopped=""	# nodes we sent SIGSTOP and not yet SIGCONT
# cleanup: let the stopped nodes go first; after a failure, the logs
# without pings, pongs and served chunks.
cleanup_first() {
	for p in $stopped; do kill -CONT "$p" 2>/dev/null; done
}
log_tail() {
	grep -v "ping\|pong\|-> 206 " "$1" | tail -n 40
}
setup_tmp

# --- nodes -------------------------------------------------------------------

# mknode NAME LAST_OCTET MIN_PEERS MAX_PEERS [SEED_OCTET...]: a data dir,
# a share, a download dir, a config.
mknode() {
	_m_d=$tmp/$1
	mkdir -p "$_m_d/data" "$_m_d/share" "$_m_d/downloads"
	{
		node_section "$_m_d" "$2"
		printf '[net]\n'
		printf 'min_peers = %s\n' "$3"
		printf 'max_peers = %s\n' "$4"
		shift 4
		for _m_s in "$@"; do
			printf 'seed = 127.0.0.%s:%s\n' "$_m_s" "$port"
		done
		printf '[search]\n'
		printf 'strategy = flood\n'
		printf '[share]\n'
		printf 'dir = %s\n' "$_m_d/share"
		printf '[xfer]\n'
		printf 'download_dir = %s\n' "$_m_d/downloads"
	} > "$_m_d/conf"
}
# g NAME COMMAND... (instead of the one of lib.sh): one control command,
# JSON out, errors dropped. A node that does not answer in 20 s is marked hung ($tmp/NAME.hung):
# later commands to it fail at once, and the test bails out.
if command -v timeout >/dev/null 2>&1; then
	bounded="timeout 20"
else
	bounded=""
fi
g() {
	_g_n=$1
	shift
	[ ! -e "$tmp/$_g_n.hung" ] || return 124
	$bounded "$gnode" -S "$tmp/$_g_n/sock" --json "$@" 2>/dev/null
	_g_rc=$?
	[ $_g_rc -ne 124 ] || [ -z "$bounded" ] || : > "$tmp/$_g_n.hung"
	return $_g_rc
}
# bail_if_hung: stop here if a node stopped answering its control socket.
bail_if_hung() {
	for _h in "$tmp"/*.hung; do
		[ -e "$_h" ] || continue
		_h=$(basename "$_h" .hung)
		_h_pid=$(pid_of "$_h")
		_h_st=$(ps -o stat= -o pcpu= -p "$_h_pid" 2>/dev/null)
		check "$_h answers its control socket (pid $_h_pid: ${_h_st:-gone})" false
		echo "Bail out: $_h does not answer"
		exit 1
	done
}
log_has() {
	grep -q "$2" "$tmp/$1/log"
}
has_peer() {
	g "$1" peers | json 'peers[state=up].address' | grep -qx "$2:$port"
}
# search_for NAME WORD FILE COUNT: search from NAME until the result FILE
# has COUNT sources; sets $num (its result number) and $rid (the search).
search_for() {
	rid=$(g "$1" search "$2" | json id)
	[ -n "$rid" ] || return 1
	wait_until 20 nsrc_is "$1" "$rid" "$3" "$4" || return 1
	num=$(g "$1" results "$rid" | json "results[name=$3].number")
	[ -n "$num" ]
}
nsrc_is() {
	[ "$(g "$1" results "$2" | json "results[name=$3].sources[].address" |
	    wc -l)" -eq "$4" ]
}
# dl NAME ID FIELD: one field of download ID in NAME's downloads --json.
dl() {
	g "$1" downloads | json "downloads[id=$2].$3"
}
dl_state_is() {
	[ "$(dl "$1" "$2" state)" = "$3" ]
}
# Downloads that end in failed or cancelled will not end in done: stop
# polling at once.
dl_done() {
	_d_s=$(dl "$1" "$2" state)
	case $_d_s in
	done) return 0 ;;
	failed|cancelled) dl_gaveup=$_d_s; return 0 ;;
	esac
	return 1
}
# get NAME RESULT_NUMBER: start a download, print its id.
get() {
	g "$1" get "$2" | json id
}
# up NAME FIELD: one number from the node's uploads --json.
up() {
	g "$1" uploads | json "$2"
}
parts() {
	find "$tmp/D/data/partial" -name '*.part' 2>/dev/null | wc -l
}
# finished NAME ID FILE SOURCE_COPY WHAT: the checks every completed
# download gets.
finished() {
	_n_n=$1
	_n_id=$2
	_n_file=$3
	_n_dst=$tmp/$1/downloads/$3
	dl_gaveup=""
	check "$5: download $_n_id is done" \
	    'wait_until 60 dl_done "$_n_n" "$_n_id" && [ -z "$dl_gaveup" ]' ||
	    info "downloads: $(g "$_n_n" downloads)"
	g "$_n_n" downloads > "$tmp/dl.json"
	info "$5: $(json "downloads[id=$_n_id]" < "$tmp/dl.json")"
	_n_size=$(wc -c < "$4" | tr -d ' ')
	check "$5: ... bytes, verified and size are $_n_size, percent 100" \
	    '[ "$(json "downloads[id=$_n_id].bytes" < "$tmp/dl.json")" = "$_n_size" ] &&
	     [ "$(json "downloads[id=$_n_id].verified" < "$tmp/dl.json")" = "$_n_size" ] &&
	     [ "$(json "downloads[id=$_n_id].size" < "$tmp/dl.json")" = "$_n_size" ] &&
	     [ "$(json "downloads[id=$_n_id].percent" < "$tmp/dl.json")" = 100 ]'
	check "$5: ... path is $_n_dst" \
	    '[ "$(json "downloads[id=$_n_id].path" < "$tmp/dl.json")" = "$_n_dst" ]'
	_n_src=$4
	check "$5: ... the saved file's SHA-1 is the source's" \
	    '[ -f "$_n_dst" ] && [ "$(sha1 "$_n_dst")" = "$(sha1 "$_n_src")" ] &&
	     cmp -s "$_n_dst" "$_n_src"'
	check "$5: ... the log says it was checked and saved" \
	    'grep -F "download $_n_id $_n_file: done, " "$tmp/$_n_n/log" | grep -qF " checked, saved as $_n_dst"'
}
# fails WHAT NAME COMMAND...: a control command that must be refused.
fails() {
	_e_what=$1
	shift
	_e_out=$(g "$@")
	_e_rc=$?
	check "$_e_what (exit $_e_rc: $_e_out)" \
	    '[ $_e_rc -ne 0 ] && echo "$_e_out" | json error >/dev/null'
}

# --- the nodes ---------------------------------------------------------------

echo "# the nodes: D downloads, S1..S5 share"
mknode D 40 5 8 41 42 43 44 45
for i in 1 2 3 4 5; do mknode S$i 4$i 0 4; done
solo=solo-$rnd.bin
swarm=swarm-$rnd.bin
liar=liar-$rnd.bin
tliar=treeliar-$rnd.bin
fliar=freeliar-$rnd.bin
late=latetree-$rnd.bin
pz=pausing-$rnd.bin
cz=cancelled-$rnd.bin
big=resumed-$rnd.bin
mkdir "$tmp/orig"
head -c $((6 * 1048576)) /dev/urandom > "$tmp/orig/$solo"
head -c $((12 * 1048576)) /dev/urandom > "$tmp/orig/$swarm"
head -c $((16 * 1048576)) /dev/urandom > "$tmp/orig/$liar"
head -c $((16 * 1048576)) /dev/urandom > "$tmp/orig/$tliar"
head -c $((16 * 1048576)) /dev/urandom > "$tmp/orig/$fliar"
head -c 1048576 /dev/urandom > "$tmp/orig/$late"
head -c $((24 * 1048576)) /dev/urandom > "$tmp/orig/$pz"
head -c $((8 * 1048576)) /dev/urandom > "$tmp/orig/$cz"
head -c $((48 * 1048576)) /dev/urandom > "$tmp/orig/$big"
cp "$tmp/orig/$solo" "$tmp/S1/share/"
for i in 1 2 3 4; do
	cp "$tmp/orig/$swarm" "$tmp/orig/$liar" "$tmp/orig/$tliar" \
	    "$tmp/orig/$fliar" "$tmp/orig/$late" "$tmp/S$i/share/"
done
cp "$tmp/orig/$pz" "$tmp/orig/$cz" "$tmp/orig/$big" "$tmp/S5/share/"
start D
check "D answers its control socket" 'wait_until 15 answers D'
if [ "$fail" -ne 0 ]; then
	echo "Bail out: the node does not start"
	exit 1
fi
for i in 1 2 3 4 5; do start S$i; done
check "S1..S5 answer their control sockets" \
    'wait_until 15 answers S1 && wait_until 15 answers S2 &&
     wait_until 15 answers S3 && wait_until 15 answers S4 &&
     wait_until 15 answers S5'
check "S1 scanned its share (6 files), S2..S4 (5 files), S5 (3 files)" \
    'wait_until 60 scanned S1 6 && wait_until 60 scanned S2 5 &&
     wait_until 60 scanned S3 5 && wait_until 60 scanned S4 5 &&
     wait_until 60 scanned S5 3'
check "D has S1..S5 as peers" \
    'wait_until 30 has_peer D 127.0.0.41 && wait_until 30 has_peer D 127.0.0.42 &&
     wait_until 30 has_peer D 127.0.0.43 && wait_until 30 has_peer D 127.0.0.44 &&
     wait_until 30 has_peer D 127.0.0.45'

# --- 1) one source -----------------------------------------------------------

echo "# 1) $solo (6 MiB) from S1"
num=""
check "1: a search for solo finds $solo at S1 only" \
    'search_for D solo "$solo" 1 &&
     g D results "$rid" | json "results[name=$solo].sources[].address" |
     grep -qx "127.0.0.41:$port"'
id=$(get D "$num")
check "1: get $num starts download '$id'" 'echo "$id" | grep -Eq "^[0-9]+$"'
finished D "$id" "$solo" "$tmp/orig/$solo" 1
check "1: D's partial dir has no .part left ($(parts))" '[ "$(parts)" -eq 0 ]'
check "1: S1's log shows D's Range GETs (206)" \
    'grep -q "http [0-9]* 127.0.0.40: GET /uri-res/N2R?urn:sha1:[A-Z2-7]* -> 206 $solo" "$tmp/S1/log"'

bail_if_hung

# --- 2) four sources -----------------------------------------------------

echo "# 2) $swarm (12 MiB) from S1..S4"
for i in 1 2 3 4; do eval "before_S$i=\$(up S$i bytes)"; done
check "2: a search for swarm finds $swarm with 4 sources" \
    'search_for D swarm "$swarm" 4'
id=$(get D "$num")
check "2: get $num starts download '$id'" 'echo "$id" | grep -Eq "^[0-9]+$"'
check "2: downloads --json knows 4 sources" \
    '[ "$(dl D "$id" sources_known)" = 4 ]'
finished D "$id" "$swarm" "$tmp/orig/$swarm" 2
total=0
b0=0
for i in 1 2 3 4; do
	b=$(up S$i bytes)
	eval "b0=\$before_S$i"
	ranges=$(grep -c "http [0-9]* 127.0.0.40: GET /uri-res/N2R?urn:sha1:[A-Z2-7]* -> 206 $swarm" "$tmp/S$i/log")
	check "2: S$i served part of it (uploads bytes $b0 -> $b, $ranges Range GETs)" \
	    '[ "$b" -gt "$b0" ] && [ "$ranges" -gt 0 ]'
	total=$((total + b - b0))
done
info "2: the four sent $total bytes for a file of $((12 * 1048576))"
check "2: D's partial dir has no .part left ($(parts))" '[ "$(parts)" -eq 0 ]'

bail_if_hung

# --- 3) a liar among four sources --------------------------------------------

# corrupt FILE: overwrite a few bytes in every 256 KiB of FILE (so any
# chunk it gives is bad), keeping its size and its mtime (to the
# nanosecond) as the index has them.
corrupt() {
	cp -p "$1" "$tmp/ref"
	_k_size=$(wc -c < "$1" | tr -d ' ')
	_k_off=0
	while [ "$_k_off" -lt "$_k_size" ]; do
		printf 'LIAR%08x' "$_k_off" |
		    dd of="$1" bs=1 seek=$((_k_off + 1000)) conv=notrunc \
		    2>/dev/null
		_k_off=$((_k_off + 262144))
	done
	touch -r "$tmp/ref" "$1"
	! cmp -s "$1" "$tmp/ref" &&
	    [ "$(stat -c "%s %y" "$1")" = "$(stat -c "%s %y" "$tmp/ref")" ]
}
# liar_checks WHAT ID FILE: S4, and only S4, was dropped as a liar.
liar_checks() {
	_l_lines=$(grep "download $2 $3: chunk [0-9]* from 127.0.0.44:$port does not match the Tiger tree: source dropped" "$tmp/D/log")
	info "$1: $(echo "$_l_lines" | head -n 1)"
	check "$1: D's log names S4 (127.0.0.44:$port) as the source dropped" \
	    '[ -n "$_l_lines" ]'
	_l_other=$(grep "download $2 $3: chunk [0-9]* from" "$tmp/D/log" |
	    grep -v "from 127.0.0.44:$port ")
	check "$1: ... and no honest source" '[ -z "$_l_other" ]' ||
	    info "$1: $_l_other"
	_l_banned=$(dl D "$2" sources_banned)
	check "$1: downloads --json: sources_banned 1 ($_l_banned)" \
	    '[ "$_l_banned" = 1 ]'
	info "$1: S4 answered $(grep -c "http [0-9]* 127.0.0.40: GET /uri-res/N2R?urn:sha1:[A-Z2-7]* -> 206 $3" "$tmp/S4/log") Range GETs for $3"
}

echo "# 3) $liar (16 MiB) from S1..S4, S4's copy corrupted"
check "3: S4's copy corrupted, same size and mtime (ns)" \
    'corrupt "$tmp/S4/share/$liar"'
check "3: a search for liar finds $liar with 4 sources" \
    'search_for D liar "$liar" 4'
# S4 is stopped until D has the tree from an honest source: its chunk is
# then checked as it comes.
freeze S4
id=$(get D "$num")
check "3: get $num starts download '$id' (S4 stopped)" \
    'echo "$id" | grep -Eq "^[0-9]+$"'
check "3: D has the Tiger tree (from S1..S3)" \
    'wait_until 30 log_has D "download $id: Tiger tree received"'
thaw S4
finished D "$id" "$liar" "$tmp/orig/$liar" 3
liar_checks 3 "$id" "$liar"

echo "# 3b) $tliar (16 MiB) from S1..S4, S4's copy corrupted, the tree from S4"
check "3b: S4's copy corrupted, same size and mtime (ns)" \
    'corrupt "$tmp/S4/share/$tliar"'
check "3b: a search for treeliar finds $tliar with 4 sources" \
    'search_for D treeliar "$tliar" 4'
turn=$(g D results "$rid" | json "results[name=$tliar].urn")
# S1..S3 are stopped until D asked S4 for the tree, so S4's first chunk
# is written before the tree comes and checked when it does. (The tree
# S4 gives is right: it serves only a tree with the root it indexed.)
freeze S1
freeze S2
freeze S3
id=$(get D "$num")
check "3b: get $num starts download '$id' (S1..S3 stopped)" \
    'echo "$id" | grep -Eq "^[0-9]+$"'
check "3b: D asks S4 for the tree" \
    'wait_until 30 log_has S4 "127.0.0.40: GET /uri-res/N2X?$turn;"'
thaw S1
thaw S2
thaw S3
info "3b: D on the tree:" \
    "$(grep "download $id: .*\(THEX\|Tiger\)" "$tmp/D/log" | tr '\n' ' ')"
finished D "$id" "$tliar" "$tmp/orig/$tliar" 3b
liar_checks 3b "$id" "$tliar"

echo "# 3c) $fliar (16 MiB) from S1..S4, S4's copy corrupted, nobody held back"
check "3c: S4's copy corrupted, same size and mtime (ns)" \
    'corrupt "$tmp/S4/share/$fliar"'
check "3c: a search for freeliar finds $fliar with 4 sources" \
    'search_for D freeliar "$fliar" 4'
id=$(get D "$num")
check "3c: get $num starts download '$id'" 'echo "$id" | grep -Eq "^[0-9]+$"'
finished D "$id" "$fliar" "$tmp/orig/$fliar" 3c
liar_checks 3c "$id" "$fliar"

bail_if_hung

# --- 4) pause, resume, cancel ----------------------------------------------

echo "# 4) pause, resume, cancel ($pz, $cz at S5)"
check "4: a search for pausing finds $pz at S5" 'search_for D pausing "$pz" 1'
pnum=$num
check "4: a search for cancelled finds $cz at S5" \
    'search_for D cancelled "$cz" 1'
cnum=$num
# S5 stopped: D's connections wait for an answer, no byte comes.
freeze S5
id=$(get D "$pnum")
check "4: get $pnum starts download '$id' (S5 stopped)" \
    'echo "$id" | grep -Eq "^[0-9]+$"'
st=$(dl D "$id" state)
check "4: it is queued or active ($st)" \
    '[ "$st" = queued ] || [ "$st" = active ]'
out=$(g D pause "$id")
info "4: pause: $out"
check "4: pause $id: state paused" \
    '[ "$(echo "$out" | json state)" = paused ] && dl_state_is D "$id" paused'
check "4: ... its .part is kept ($(parts))" '[ "$(parts)" -eq 1 ]'
fails "4: pause again is an error" D pause "$id"
thaw S5
check "4: S5, let go, has no upload to D open (the paused download's closed)" \
    'wait_until 30 eval "[ \"\$(up S5 active)\" = 0 ]"'
pbytes=$(dl D "$id" bytes)
check "4: ... and D is still paused ($pbytes bytes)" 'dl_state_is D "$id" paused'
out=$(g D resume "$id")
info "4: resume: $out"
st=$(dl D "$id" state)
check "4: resume $id: queued, active or done ($st)" \
    'case $st in queued|active|verifying|done) true ;; *) false ;; esac'
finished D "$id" "$pz" "$tmp/orig/$pz" 4
fails "4: resume of a done download is an error" D resume "$id"
fails "4: cancel of a done download is an error" D cancel "$id"
check "4: ... it stays done, the file stays" \
    'dl_state_is D "$id" done && [ -f "$tmp/D/downloads/$pz" ]'

freeze S5
cid=$(get D "$cnum")
check "4: get $cnum starts download '$cid' (S5 stopped)" \
    'echo "$cid" | grep -Eq "^[0-9]+$"'
check "4: ... its .part is there ($(parts))" '[ "$(parts)" -eq 1 ]'
out=$(g D cancel "$cid")
info "4: cancel: $out"
check "4: cancel $cid: state cancelled" \
    '[ "$(echo "$out" | json state)" = cancelled ] &&
     dl_state_is D "$cid" cancelled'
check "4: ... its .part is removed ($(parts))" '[ "$(parts)" -eq 0 ]'
thaw S5
check "4: S5, let go, has no upload to D open" \
    'wait_until 30 eval "[ \"\$(up S5 active)\" = 0 ]"'
check "4: ... D's cancelled download stays cancelled, nothing was saved" \
    'dl_state_is D "$cid" cancelled && [ "$(parts)" -eq 0 ] &&
     [ ! -e "$tmp/D/downloads/$cz" ]'
fails "4: resume of a cancelled download is an error" D resume "$cid"

bail_if_hung

# --- 5) a crash in the middle ----------------------------------------------

echo "# 5) $big (48 MiB) from S5, D killed -9 half-way"
bsize=$((48 * 1048576))
check "5: a search for resumed finds $big at S5" 'search_for D resumed "$big" 1'
# S5 runs in short steps between SIGSTOPs until D has some bytes, so the
# download stops part-way whatever the speed of the machine.
freeze S5
id=$(get D "$num")
check "5: get $num starts download '$id' (S5 stopped)" \
    'echo "$id" | grep -Eq "^[0-9]+$"'
check "5: ... an id of its own (not $cid, the cancelled one's): listed once" \
    '[ "$id" != "$cid" ] &&
     [ "$(g D downloads | json "downloads[id=$id].name")" = "$big" ]'
got_some() {
	b=$(dl D "$id" bytes)
	[ -n "$b" ] && [ "$b" -gt 0 ] 2>/dev/null
}
steps=0
end=$(($(now) + 30))
while ! got_some && [ "$(now)" -lt "$end" ]; do
	thaw S5
	sleep 0.02
	freeze S5
	steps=$((steps + 1))
done
b=$(dl D "$id" bytes)
info "5: S5 stopped after $steps steps with D at $b of $bsize bytes"
check "5: D has part of the file ($b of $bsize bytes)" \
    '[ -n "$b" ] && [ "$b" -gt 0 ] 2>/dev/null && [ "$b" -lt "$bsize" ]'
# Progress is saved once a second: with S5 stopped nothing changes, so
# what D shows now is what it has saved two seconds on.
sleep 2
stop D 9
check "5: D's .part is still there ($(parts))" '[ "$(parts)" -eq 1 ]'
start D
check "5: D answers after the restart" 'wait_until 15 answers D'
g D downloads > "$tmp/dl.json"
info "5: after the restart: $(json "downloads[id=$id]" < "$tmp/dl.json")"
rb=$(json "downloads[id=$id].bytes" < "$tmp/dl.json")
rs=$(json "downloads[id=$id].state" < "$tmp/dl.json")
check "5: downloads lists $id again, not done, with bytes kept ($rb)" \
    '[ -n "$rb" ] && [ "$rb" -gt 0 ] && [ "$rb" -lt "$bsize" ] &&
     [ "$rs" != done ]'
check "5: ... and its source ($(json "downloads[id=$id].sources_known" < "$tmp/dl.json"))" \
    '[ "$(json "downloads[id=$id].sources_known" < "$tmp/dl.json")" = 1 ]'
check "5: ... the earlier downloads are listed done" \
    '[ "$(json "downloads[name=$solo].state" < "$tmp/dl.json")" = done ] &&
     [ "$(json "downloads[name=$liar].state" < "$tmp/dl.json")" = done ]'
spath=$(json "downloads[name=$solo].path" < "$tmp/dl.json")
check "5: ... $solo still shows where it was saved ($spath)" \
    '[ -n "$spath" ] && cmp -s "$spath" "$tmp/orig/$solo"'
cst=$(json "downloads[name=$cz].state" < "$tmp/dl.json")
check "5: ... the cancelled one is gone or still cancelled (${cst:-gone})" \
    '[ -z "$cst" ] || [ "$cst" = cancelled ]'
rline=$(grep "download $id $big: resumed at [0-9]* of $bsize bytes" "$tmp/D/log" | tail -n 1)
info "5: $rline"
rn=$(echo "$rline" | sed -n 's/.* resumed at \([0-9]*\) of .*/\1/p')
check "5: D's log: resumed at N of $bsize bytes with N > 0 (N = $rn)" \
    '[ -n "$rn" ] && [ "$rn" -gt 0 ]'
thaw S5
finished D "$id" "$big" "$tmp/orig/$big" 5
check "5: D's partial dir has no .part left ($(parts))" '[ "$(parts)" -eq 0 ]'

# --- 6) the tree after the file ---------------------------------------------

echo "# 6) $late (1 MiB, 4 chunks) from S1..S4"
# One chunk for each source: the tree, asked of the first one done, may
# well come after the other three and so after the file is done.
check "6: D has S1..S4 as peers again" \
    'wait_until 30 has_peer D 127.0.0.41 && wait_until 30 has_peer D 127.0.0.42 &&
     wait_until 30 has_peer D 127.0.0.43 && wait_until 30 has_peer D 127.0.0.44'
check "6: a search for latetree finds $late with 4 sources" \
    'search_for D latetree "$late" 4'
id=$(get D "$num")
check "6: get $num starts download '$id'" 'echo "$id" | grep -Eq "^[0-9]+$"'
finished D "$id" "$late" "$tmp/orig/$late" 6
wait_until 5 eval 'grep -q "download $id: .*\(THEX\|Tiger\)" "$tmp/D/log"'
info "6: D's log:" "$(grep "download ${id}[ :]" "$tmp/D/log" |
    sed 's/^[^ ]* //' | tr '\n' '|')"
check "6: D still answers" 'answers D'
bail_if_hung

for n in D S1 S2 S3 S4 S5; do
	stop $n TERM
	rc=$?
	check "SIGTERM stops $n with exit 0 (got $rc)" '[ $rc -eq 0 ]'
done
exit $fail
