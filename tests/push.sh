#!/bin/sh
# tests/push.sh: firewalled transfers between real gnodes, with a node
# made unreachable for real: nftables drops every connection attempt to
# 127.0.0.9 (a SYN without ACK to that address), so only the connections
# it opens itself exist.
#   U  127.0.0.2  a gnode ultrapeer
#   F  127.0.0.9  a leaf under U ([net] firewalled = auto, the default),
#                 sharing three files
#   R  127.0.0.3  a reachable leaf under U, sharing one file and a copy
#                 of one of F's, its uploads capped at 256 KiB/s
#   D  127.0.0.4  a node with no peers at all, reachable
#   a) F knows it is firewalled (U's connect-back never arrives), R knows
#      it is not (U's did); `stats` says so;
#   b) R finds F's file with the push flag and U as F's push proxy, and
#      downloads it: a Push went along the hit's route and through the
#      proxy (U's counters), F connected out with GIV, the SHA-1 matches;
#   c) F downloads R's file straight from R;
#   m) the mesh: D gets a file from a magnet that names only R; R's answer
#      names F in X-Falt (from R's search), with U as its proxy; D asks U,
#      F connects to D with GIV, and D gets part of the file from F;
#      R's X-Falt goes only to a requester that says fwalt, and F's own
#      answers say where a Push reaches it (X-FW-Node-Info, X-Push-Proxy);
#   d) with the proxy unreachable (R's new connections to U dropped too),
#      the route alone still brings F's GIV: a second file checks out;
#   e) with U killed (no route, no proxy), R's download of the third file
#      ends "failed: source unreachable" after its three pushes;
#   f) bad GIVs to R (no index, a wrong GUID, one nobody asked for, a 1 MB
#      line) are closed and counted, and R's downloads are unchanged.
# It changes the firewall, so it runs inside a network namespace of its
# own (unshare --net, only lo up); it skips (77) where that or nft is not
# possible. Every wait is a bounded poll on a condition.
# shellcheck disable=SC2016,SC2034,SC2317
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}

if [ -z "${GNODE_PUSH_NS:-}" ]; then
	for t in unshare nft ip; do
		if ! command -v "$t" >/dev/null 2>&1; then
			echo "SKIP: $t not found"
			exit 77
		fi
	done
	if unshare --net true 2>/dev/null; then
		ns="unshare --net"
	elif unshare -r --net true 2>/dev/null; then
		ns="unshare -r --net"
	else
		echo "SKIP: unshare --net is not permitted here"
		exit 77
	fi
	GNODE_PUSH_NS=1
	export GNODE_PUSH_NS top_srcdir
	exec $ns sh -c 'ip link set lo up || exit 77
	    nft add table inet gnodetest 2>/dev/null || exit 77
	    exec sh "$0"' "$0"
fi

. "$top_srcdir/tests/lib.sh"
need_loopback 2 9
setup_tmp

# Connection attempts to F are dropped: F is firewalled for real.
nft add chain inet gnodetest input '{ type filter hook input priority 0; }' &&
    nft add rule inet gnodetest input ip daddr 127.0.0.9 \
    'tcp flags & (syn | ack) == syn' counter drop || {
	echo "SKIP: nft cannot filter here"
	exit 77
}

addr() {
	echo "127.0.0.$1:$port"
}
# mkpush NAME OCTET MODE [KEY=VALUE...]: a config; keys go in [net].
mkpush() {
	_m_d=$tmp/$1
	mkdir -p "$_m_d/data" "$_m_d/share" "$_m_d/downloads"
	_m_o=$2
	_m_mode=$3
	shift 3
	{
		node_section "$_m_d" "$_m_o"
		printf 'mode = %s\n' "$_m_mode"
		printf '[net]\n'
		for _m_kv in "$@"; do
			printf '%s = %s\n' "${_m_kv%%=*}" "${_m_kv#*=}"
		done
		printf '[search]\nstrategy = flood\n'
		printf '[share]\ndir = %s\n' "$_m_d/share"
		printf '[xfer]\ndownload_dir = %s\n' "$_m_d/downloads"
	} > "$_m_d/conf"
}
stat_of() {
	g "$1" stats | json "$2"
}
is() {
	[ "$(stat_of "$1" "$2")" = "$3" ]
}
nups() {
	g "$1" peers | json 'peers[role=ultrapeer].state' | grep -cx up
}
linked() {
	[ "$(nups "$1")" -ge 1 ]
}
# find_push NAME WORD FILE: NAME's new search finds FILE; its result
# number in $num, and whether its source says push in $push.
find_file() {
	_f_id=$(g "$1" search "$2" | json id) || return 1
	wait_until 10 sh -c '"$0" -S "$1" --json results "$2" 2>/dev/null |
	    "$3" json "results[].name" | grep -qx "$4"' "$gnode" \
	    "$tmp/$1/sock" "$_f_id" "$netpeer" "$3" || return 1
	g "$1" results "$_f_id" > "$tmp/res.json"
	num=$(json "results[name=$3].number" < "$tmp/res.json" | head -n 1)
	push=$(json "results[name=$3].sources[].push" < "$tmp/res.json" |
	    head -n 1)
	proxies=$(json "results[name=$3].sources[].proxies" < "$tmp/res.json" |
	    head -n 1)
}
dl_state() {
	g "$1" downloads | json "downloads[id=$2].state"
}
dl_done() {
	[ "$(dl_state "$1" "$2")" = done ]
}
dl_note() {
	[ "$(g "$1" downloads | json "downloads[id=$2].note")" = "$3" ]
}
sha1() {
	sha1sum "$1" | cut -d' ' -f1
}

mkpush U 2 ultrapeer firewalled=no
mkpush F 9 leaf "seed=$(addr 2)"
mkpush R 3 leaf "seed=$(addr 2)"
printf 'upload_rate = 256k\n' >> "$tmp/R/conf"
mkpush D 4 leaf firewalled=no
for f in one two three; do
	head -c $((1536 * 1024 + ${#f})) /dev/urandom > \
	    "$tmp/F/share/fw${f}$rnd.bin"
done
head -c 700000 /dev/urandom > "$tmp/R/share/open$rnd.bin"
mesh=fwmesh$rnd.bin
head -c $((4 * 1024 * 1024)) /dev/urandom > "$tmp/F/share/$mesh"
cp "$tmp/F/share/$mesh" "$tmp/R/share/$mesh"

start U
wait_until 30 answers U || { echo "FAIL: U does not answer"; exit 1; }
start F
start R
start D
wait_until 30 scanned F 4 || { echo "FAIL: F does not scan"; exit 1; }
wait_until 30 scanned R 2 || { echo "FAIL: R does not scan"; exit 1; }
check "F and R are U's leaves" 'wait_until 30 linked F && wait_until 30 linked R'

# --- a) who is firewalled ----------------------------------------------------------
check "R is not firewalled: U's connect-back came in" \
    'wait_until 20 is R firewalled false'
check "F stays firewalled: nothing reaches it (auto)" \
    'is F firewalled true && is F firewalled_auto true'
"$gnode" -S "$tmp/F/sock" stats | grep -q '^firewall  firewalled' ||
    { fail=1; echo "FAIL: F's stats does not say firewalled"; }

# --- b) R downloads F's file: Push by route and by proxy, GIV back ----------------
one=fwone$rnd.bin
check "R finds F's file" 'find_file R "fwone$rnd" "$one"'
check "F's hit says push and names a push proxy ($push, $proxies)" \
    '[ "$push" = true ] && [ "${proxies:-0}" -ge 1 ]'
id=$(g R get "$num" | json id)
check "R downloads it through a Push" 'wait_until 60 dl_done R "$id"'
check "the file checks out" \
    '[ "$(sha1 "$tmp/R/downloads/$one")" = "$(sha1 "$tmp/F/share/$one")" ]'
check "F opened the connection (GIV) and R took it" \
    '[ "$(stat_of F giv_sent)" -ge 1 ] && [ "$(stat_of R giv_rx)" -ge 1 ]'
check "U passed a Push on along the route and one as proxy" \
    '[ "$(stat_of U node.pushes_routed)" -ge 1 ] &&
     [ "$(stat_of U pproxy_sent)" -ge 1 ]'
check "nft dropped connection attempts to F" \
    'nft list chain inet gnodetest input | grep -q "packets [1-9]"'

# --- c) F downloads from a reachable node ------------------------------------------
open=open$rnd.bin
check "F finds R's file, no push" 'find_file F "open$rnd" "$open" &&
    [ "$push" = false ]'
id=$(g F get "$num" | json id)
check "F downloads it straight from R" 'wait_until 30 dl_done F "$id" &&
    [ "$(sha1 "$tmp/F/downloads/$open")" = "$(sha1 "$tmp/R/share/$open")" ]'

# --- m) the mesh: a firewalled source named in X-Falt ------------------------------
check "R finds F's copy of the file it shares too, push flag set" \
    'find_file R "fwmesh$rnd" "$mesh" && [ "$push" = true ]'
link=$("$gnode" -S "$tmp/R/sock" share magnet "fwmesh$rnd" 2>/dev/null |
    grep -o 'magnet:?[^ "]*' | head -n 1)
check "R's magnet names R alone" \
    'echo "$link" | grep -q "xs=http://127.0.0.3:$port" &&
     [ "$(echo "$link" | grep -o "xs=" | wc -l)" -eq 1 ]'
pp=$(stat_of U pproxy_sent)
gsent=$(stat_of F giv_sent)
id=$(g D get "$link" | json id)
check "D downloads it" 'wait_until 90 dl_done D "$id"'
check "the file checks out" \
    '[ "$(sha1 "$tmp/D/downloads/$mesh")" = "$(sha1 "$tmp/F/share/$mesh")" ]'
check "D learned F from R's X-Falt and asked U, F's proxy" \
    '[ "$(stat_of U pproxy_sent)" -gt "$pp" ] &&
     grep -q "push 1 of 3 to a firewalled source (1 proxy asked)" \
     "$tmp/D/log"'
check "F connected to D with GIV and D took it" \
    '[ "$(stat_of F giv_sent)" -gt "$gsent" ] &&
     [ "$(stat_of D giv_rx)" -ge 1 ]'
check "R and F both served D chunks that checked out" \
    '[ "$(g D downloads | json "downloads[id=$id].sources_served")" -ge 2 ]'
# head NAME OCTET FEATURES: a HEAD for the mesh file from 127.0.0.OCTET,
# its answer in $tmp/head.out.
urn=urn:sha1:$(echo "$link" | sed 's/.*urn:sha1:\([A-Z2-7]*\).*/\1/')
head_of() {
	printf 'HEAD /uri-res/N2R?%s HTTP/1.1\r\nHost: x\r\n%sConnection: close\r\n\r\n' \
	    "$urn" "$3" | "$netpeer" raw "127.0.0.$1" "$port" "127.0.0.$2" 1 \
	    > "$tmp/head.out" 2>&1
}
fguid=$(json "results[name=$mesh].sources[].guid" < "$tmp/res.json" |
    head -n 1)
head_of 3 6 'X-Features: browse/1.0, fwalt/0.1\r\n'
check "R's answer names F in X-Falt, with U as its proxy" \
    'grep -qi "^X-Falt: $fguid;.*127.0.0.2:$port" "$tmp/head.out"'
head_of 3 6 ''
check "no X-Falt to a requester that does not say fwalt" \
    'grep -q "^HTTP/1.1 200" "$tmp/head.out" && ! grep -qi "^X-Falt" "$tmp/head.out"'
# F can be reached from its own address only (that says nothing of
# whether others can): its answer says it is firewalled.
nft insert rule inet gnodetest input ip saddr 127.0.0.9 ip daddr 127.0.0.9 accept
head_of 9 9 ''
check "F's answer says where a Push reaches it" \
    'grep -qi "^X-FW-Node-Info: $fguid" "$tmp/head.out" &&
     grep -qi "^X-Push-Proxy: 127.0.0.2:$port" "$tmp/head.out"'
check "and F still knows it is firewalled" 'is F firewalled true'

# --- d) the proxy unreachable: the route alone --------------------------------------
nft add rule inet gnodetest input ip saddr 127.0.0.3 ip daddr 127.0.0.2 \
    'tcp flags & (syn | ack) == syn' drop
pp=$(stat_of U pproxy_sent)
routed=$(stat_of U node.pushes_routed)
two=fwtwo$rnd.bin
check "R finds F's second file" 'find_file R "fwtwo$rnd" "$two"'
id=$(g R get "$num" | json id)
check "R downloads it by the route alone" 'wait_until 90 dl_done R "$id" &&
    [ "$(sha1 "$tmp/R/downloads/$two")" = "$(sha1 "$tmp/F/share/$two")" ]'
check "no proxy request reached U; the route carried the Push" \
    '[ "$(stat_of U pproxy_sent)" -eq "$pp" ] &&
     [ "$(stat_of U node.pushes_routed)" -gt "$routed" ]'

# --- e) route and proxy gone ---------------------------------------------------------
three=fwthree$rnd.bin
check "R finds F's third file" 'find_file R "fwthree$rnd" "$three"'
stop U KILL
# R may reach U's address again: only that U is gone stops the proxy now.
nft flush chain inet gnodetest input &&
    nft add rule inet gnodetest input ip daddr 127.0.0.9 \
    'tcp flags & (syn | ack) == syn' drop
wait_until 20 sh -c '! "$0" -S "$1" --json peers 2>/dev/null |
    grep -q "\"up\""' "$gnode" "$tmp/R/sock"
id=$(g R get "$num" | json id)
check "the download says the source is unreachable" \
    'wait_until 60 dl_note R "$id" "failed: source unreachable"'
check "after three pushes (R's log)" \
    'grep -q "push 3 of 3" "$tmp/R/log"'
"$gnode" -S "$tmp/R/sock" downloads | grep -q "failed: source unreachable" ||
    { fail=1; echo "FAIL: \`downloads\` does not say it"; }

# --- f) bad GIVs ---------------------------------------------------------------------
before=$(g R downloads | json 'downloads[].state' | tr '\n' ' ')
bad=$(stat_of R giv_bad)
zero=00000000000000000000000000000000
# rawgiv: stdin to R from 127.0.0.5; R must close the connection.
rawgiv() {
	"$netpeer" raw 127.0.0.3 "$port" 127.0.0.5 1 > "$tmp/raw.out" 2>&1
	tail -n 1 "$tmp/raw.out" | grep -qx closed ||
	    { fail=1; echo "FAIL: a bad GIV ($1) left the connection open"; }
}
printf 'GIV :%s/x\n\n' "$zero" > "$tmp/giv1"
printf 'GIV 1:%s/x\n\n' "0123456789abcdef0123456789abcdef" > "$tmp/giv2"
printf 'GIV 1:%sff/x\n\n' "$zero" > "$tmp/giv3"
{ printf 'GIV 1:'; head -c 1048576 /dev/zero | tr '\0' a; } > "$tmp/giv4"
rawgiv "no index" < "$tmp/giv1"
rawgiv "a GUID nobody asked" < "$tmp/giv2"
rawgiv "a wrong GUID" < "$tmp/giv3"
rawgiv "a 1 MB line" < "$tmp/giv4"
check "each bad GIV was refused and counted" \
    'wait_until 10 sh -c "[ \$(\"$gnode\" -S \"$tmp/R/sock\" --json stats |
     \"$netpeer\" json giv_bad) -ge $((bad + 4)) ]"'
check "R's downloads are as they were" \
    '[ "$(g R downloads | json "downloads[].state" | tr "\n" " ")" = "$before" ]'
check "R still answers" 'answers R'

exit $fail
