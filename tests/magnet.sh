#!/bin/sh
# magnet.sh: searches by hash and magnet links between real gnode nodes on
# loopback, driven through their control sockets (gnode -S). A (127.0.0.2)
# shares two files whose names hold the same words; B (.3) has A as its
# seed; C (.4) has no peer at all, so whatever it fetches comes from the
# sources a link names. Scenarios:
#   1) B's search by words finds both files; its search by the first
#      file's urn:sha1 and the same words (and one by a magnet with the
#      file's name) finds that file only;
#   2) `magnet N` on B prints a link with A as its source; `get LINK` on C
#      downloads the file from that xs= alone, with the right SHA-1;
#   3) `share magnet WORDS` on A prints a link whose xs= is A's address;
#      C downloads the file from it;
#   4) B gets a link with no xl and no source (nor dn): a search by URN,
#      whose first hit starts the download; and a link whose only xs is
#      dead: the search by its hash and name adds A, and it completes;
#   5) bad links and URNs, with -S one-shot and at an attached prompt: one
#      line of error naming the part that is wrong, a non-zero exit.
# Every wait is a bounded poll on a condition; no duration is asserted.
# GNODE_TEST_KEEP=1 keeps the temporary directory (configs, logs).
# shellcheck disable=SC2016,SC2317
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
need_loopback 2 4
setup_tmp

# mknode NAME LAST_OCTET MIN_PEERS [SEED_OCTET]: data, share, downloads.
mknode() {
	_m_d=$tmp/$1
	mkdir -p "$_m_d/data" "$_m_d/share" "$_m_d/downloads"
	{
		node_section "$_m_d" "$2"
		printf '[net]\n'
		printf 'min_peers = %s\n' "$3"
		printf 'max_peers = 4\n'
		[ $# -lt 4 ] || printf 'seed = 127.0.0.%s:%s\n' "$4" "$port"
		printf '[search]\n'
		printf 'strategy = flood\n'
		printf '[share]\n'
		printf 'dir = %s\n' "$_m_d/share"
		printf '[xfer]\n'
		printf 'download_dir = %s\n' "$_m_d/downloads"
	} > "$_m_d/conf"
}
has_peer() {
	g "$1" peers | json 'peers[state=up].address' | grep -qx "$2:$port"
}
# text NAME COMMAND...: the text answer (not JSON), and its exit status.
text() {
	_t_n=$1
	shift
	"$gnode" -S "$tmp/$_t_n/sock" "$@" 2>/dev/null
}
# nres NAME SEARCH: how many results the search has.
nres() {
	g "$1" results "$2" | json 'results[].number' | wc -l | tr -d ' '
}
has_result() {
	g "$1" results "$2" | json 'results[].name' | grep -qxF "$3"
}
dl() {
	g "$1" downloads | json "downloads[id=$2].$3"
}
dl_done() {
	[ "$(dl "$1" "$2" state)" = done ]
}
# dl_of NAME FILE: the id of NAME's download of FILE.
dl_of() {
	g "$1" downloads | json "downloads[name=$2].id"
}
has_dl_of() {
	[ -n "$(dl_of "$1" "$2")" ]
}
# fetched NAME ID FILE WHAT: download ID of FILE on NAME is done, and the
# saved file is A's, byte for byte.
fetched() {
	_f_n=$1
	_f_id=$2
	_f_file=$3
	check "$4: download $_f_id of $_f_file is done" \
	    'wait_until 60 dl_done "$_f_n" "$_f_id"' ||
	    info "downloads: $(g "$_f_n" downloads)"
	check "$4: ... the saved file's SHA-1 is A's" \
	    '[ -f "$tmp/$_f_n/downloads/$_f_file" ] &&
	     [ "$(sha1 "$tmp/$_f_n/downloads/$_f_file")" = "$(sha1 "$tmp/A/share/$_f_file")" ]'
}

mknode A 2 0
mknode B 3 1 2
mknode C 4 0
target=love-song-$rnd-pair.bin
decoy=love-song-$rnd-pair.dat
other=other-$rnd-three.bin
hidden=hidden-$rnd.bin
far=far-$rnd.bin
head -c 700000 /dev/urandom > "$tmp/A/share/$target"
head -c 700001 /dev/urandom > "$tmp/A/share/$decoy"
head -c 300000 /dev/urandom > "$tmp/A/share/$other"
head -c 1200000 /dev/urandom > "$tmp/A/share/$hidden"
head -c 900000 /dev/urandom > "$tmp/A/share/$far"
b32sha1() {
	python3 -c 'import base64, hashlib, sys
print(base64.b32encode(hashlib.sha1(open(sys.argv[1], "rb").read()).digest()).decode())' "$1"
}
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: python3 (for base32 SHA-1s) is missing"
	exit 77
fi
urn_target=urn:sha1:$(b32sha1 "$tmp/A/share/$target")
urn_hidden=urn:sha1:$(b32sha1 "$tmp/A/share/$hidden")
urn_far=urn:sha1:$(b32sha1 "$tmp/A/share/$far")
start A
start B
start C
check "A, B and C answer their control sockets" \
    'wait_until 15 answers A && wait_until 15 answers B &&
     wait_until 15 answers C'
check "A scanned its share (5 files)" 'wait_until 60 scanned A 5'
check "B has A as its peer" 'wait_until 30 has_peer B 127.0.0.2'
if [ "$fail" -ne 0 ]; then
	echo "Bail out: the nodes do not start"
	exit 1
fi

# --- 1) by words, by hash and words, by magnet ---------------------------------

echo "# 1) searches by hash"
rid=$(g B search love "$rnd" | json id)
check "1: a search for 'love $rnd' finds both $target and $decoy" \
    'wait_until 20 has_result B "$rid" "$decoy" &&
     wait_until 20 has_result B "$rid" "$target"'
out=$(text B search "$urn_target" love "$rnd")
info "1: $out"
check "1: search $urn_target love $rnd says so" \
    'echo "$out" | grep -qx "search [0-9]* started: $urn_target love $rnd"'
hid=$(echo "$out" | sed 's/^search \([0-9]*\) started.*/\1/')
check "1: ... and finds $target" 'wait_until 20 has_result B "$hid" "$target"'
# A answers the words as well as the URN, in the same hit: once the file
# is there, so was the decoy.
check "1: ... and not $decoy, which A sent with it for these words" \
    '[ "$(nres B "$hid")" = 1 ] && ! has_result B "$hid" "$decoy"'
check "1: ... its result has the file's URN" \
    '[ "$(g B results "$hid" | json "results[].urn")" = "$urn_target" ]'
check "1: ... and results shows the URN as what it searched for" \
    '[ "$(g B results "$hid" | json text)" = "$urn_target love $rnd" ]'
mid=$(g B search "magnet:?xt=$urn_target&dn=Love%20Song%20$rnd%20pair.bin" |
    json id)
check "1: a search by magnet (its name as words) finds $target only" \
    'wait_until 20 has_result B "$mid" "$target" && [ "$(nres B "$mid")" = 1 ]'
check "1: the text of a search by magnet is its name, normalised" \
    '[ "$(g B search "magnet:?xt=$urn_target&dn=Love+Song+$rnd.bin" | json text)" = "love song $rnd bin" ]'

# --- 2) magnet N, then get on a node with no peer -------------------------------

echo "# 2) magnet N to get"
num=$(g B results "$hid" | json 'results[].number')
link=$(text B magnet "$num")
info "2: $link"
check "2: magnet $num names the file, its size and A as its source" \
    'case $link in
     "magnet:?xt=$urn_target&"*"dn=$target&xl=700000&xs=http://127.0.0.2:$port/uri-res/N2R?$urn_target") true ;;
     *) false ;; esac'
check "2: ... and --json gives the same link" \
    '[ "$(g B magnet "$num" | json magnet)" = "$link" ]'
check "2: C has no peer" '[ -z "$(g C peers | json "peers[].address")" ]'
id=$(g C get "$link" | json id)
check "2: get LINK on C starts download '$id'" \
    'echo "$id" | grep -Eq "^[0-9]+$"'
fetched C "$id" "$target" 2

# --- 3) share magnet ----------------------------------------------------------

echo "# 3) share magnet"
slink=$(text A share magnet "$rnd" three)
info "3: $slink"
check "3: share magnet prints one link, with the Tiger root and A's address" \
    '[ "$(echo "$slink" | wc -l)" = 1 ] &&
     case $slink in
     "magnet:?xt=urn:sha1:"*"&xt=urn:bitprint:"*"&dn=$other&xl=300000&xs=http://127.0.0.2:$port/uri-res/N2R?urn:sha1:"*) true ;;
     *) false ;; esac'
check "3: ... --json gives the same link" \
    '[ "$(g A share magnet "$rnd" three | json "files[].magnet")" = "$slink" ]'
out=$(text A share magnet nothing "$rnd")
rc=$?
check "3: share magnet with no match: one line of error (exit $rc)" \
    '[ $rc -ne 0 ] && [ "$out" = "error: no shared file matches (see share find)" ]'
sid=$(g C get "$slink" | json id)
check "3: get on C starts download '$sid'" 'echo "$sid" | grep -Eq "^[0-9]+$"'
fetched C "$sid" "$other" 3

# --- 4) links that need a search ------------------------------------------------

echo "# 4) links with no size, and with a dead source"
out=$(text B get "magnet:?xt=$urn_hidden")
info "4: $out"
check "4: get of a link with only xt= starts a search by URN" \
    'echo "$out" | grep -q "^search [0-9]* started for $urn_hidden"'
check "4: ... whose hit starts the download, named after the hit" \
    'wait_until 30 has_dl_of B "$hidden"' || info "downloads: $(g B downloads)"
hdl=$(dl_of B "$hidden")
[ -z "$hdl" ] || fetched B "$hdl" "$hidden" 4
fid=$(g B get "magnet:?xt=$urn_far&dn=$far&xl=900000&xs=http://127.0.0.9:1/" |
    json id)
check "4: get of a link whose only source is dead starts download '$fid'" \
    'echo "$fid" | grep -Eq "^[0-9]+$"'
fetched B "$fid" "$far" "4: from the source its search found,"

# --- 5) bad links and URNs ------------------------------------------------------

echo "# 5) bad links and URNs"
s32=$(echo "$urn_target" | cut -d: -f3)
: > "$tmp/bad"
# bad WHAT COMMAND ARG REASON: one line of error naming REASON, exit != 0.
bad() {
	_b_out=$(text B "$2" "$3")
	_b_rc=$?
	_b_why=$4
	printf '%s %s\n' "$2" "$3" >> "$tmp/bad"
	printf '%s\n' "$4" >> "$tmp/bad.why"
	check "5: $1 (exit $_b_rc: $_b_out)" \
	    '[ $_b_rc -ne 0 ] && [ "$(printf "%s\n" "$_b_out" | wc -l)" = 1 ] &&
	     printf "%s\n" "$_b_out" | grep -qF "$_b_why" &&
	     printf "%s\n" "$_b_out" | grep -q "^error: "'
	_b_j=$(g B "$2" "$3")
	check "5: ... and --json gives {\"error\"}" \
	    'printf "%s\n" "$_b_j" | json error | grep -qF "$_b_why"'
}
: > "$tmp/bad.why"
bad "bad base32" search "urn:sha1:${s32%?}1" "bad base32"
bad "a short URN" get "urn:sha1:${s32%?}" "31 base32 characters, 32 expected"
bad "an unknown URN kind" search "urn:md5:abc" "unknown kind of URN"
bad "an unknown scheme" get "magnet:xt=$urn_target" "no '?' after magnet:"
bad "no xt" get "magnet:?dn=x&xl=3" "no xt="
bad "only foreign xt" search "magnet:?xt=urn:btih:abc" "xt: no urn:sha1"
bad "a bad xl" get "magnet:?xt=$urn_target&xl=12k" "xl: not a size"
bad "an xs by name" get "magnet:?xt=$urn_target&xs=http://example.com/x" \
    "xs: not an IPv4 address"
bad "an xs on ftp" get "magnet:?xt=$urn_target&xs=ftp://1.2.3.4/" \
    "xs: not http://IPv4:PORT/"
bad "an xs with a bad port" get "magnet:?xt=$urn_target&xs=http://1.2.3.4:99999/" \
    "xs: bad port"
bad "a bad escape" get "magnet:?xt=$urn_target&dn=a%4" \
    "dn: bad percent-encoding"
long=$(head -c 9000 /dev/zero | tr '\0' a)
bad "an over-long link" get "magnet:?xt=$urn_target&dn=$long" \
    "longer than 8192 bytes"
bad "a magnet with a bad xt" search "magnet:?xt=urn:sha1:AB" "xt: urn:sha1: 2 base32"
# The same at a prompt attached to B: one line of error for each.
sed 's/^\([a-z]*\) \(.*\)$/\1 "\2"/' "$tmp/bad" > "$tmp/bad.in"
"$gnode" -S "$tmp/B/sock" < "$tmp/bad.in" > "$tmp/bad.out" 2>&1
nbad=$(wc -l < "$tmp/bad" | tr -d ' ')
# Without a terminal the shell echoes each line after its prompt; past its
# two lines of greeting, every other line is an answer.
check "5: at the prompt: $nbad errors, one line each" \
    '[ "$(grep -c "^error: " "$tmp/bad.out")" = "$nbad" ] &&
     [ "$(sed 1,2d "$tmp/bad.out" | grep -v "^gnode> " | grep -v "^$" |
	  grep -vc "^error: ")" = 0 ]' ||
    cat "$tmp/bad.out"
n=0
while IFS= read -r why; do
	n=$((n + 1))
	line=$(grep "error: " "$tmp/bad.out" | sed -n "${n}p")
	check "5: at the prompt, #$n names '$why'" \
	    'printf "%s\n" "$line" | grep -qF "$why"'
done < "$tmp/bad.why"
check "B still answers" 'answers B'

exit "$fail"
