#!/bin/sh
# interop_push.sh: firewalled transfers between gnode and a real
# gtk-gnutella 1.2.3 (../shared/interop), in a private network namespace
# with only lo (tests/interop_lib.sh), made unreachable for real with
# nftables:
#   U  127.0.0.8        a gnode ultrapeer;
#   F  127.0.0.9        a gnode leaf under U ([net] firewalled = auto),
#                       every connection attempt to it dropped;
#   G4 127.0.0.1:16349  gtk-gnutella with is_firewalled = TRUE, every
#                       connection attempt to its port from a gnode
#                       address dropped; it dials U;
#   G5 127.0.0.1:16350  gtk-gnutella, reachable, dials U;
#   A  127.0.0.10       a gnode that dials G5.
# The cases:
#   8  U searches and gets G4's file: G4's hit says push, U's Push (by
#      the link the hit came on, and through G4's push proxy if it named
#      one) has G4 connect out with GIV, and the file checks out;
#   9  A's search through G5 finds F's file (push flag), so G5 has a route
#      back to F's servent GUID; G5 downloads F's file from a magnet whose
#      source is push://F's GUID:U/...: its Push goes along that route
#      (G5 -> U -> F; gtk-gnutella leaves out a push proxy on a loopback
#      address, doc/INTEROP.md), F connects out to G5 with GIV and serves
#      the file; the copy in G5's dl/complete matches.
# A line per case (ok / not ok), then "interop-push: N passed, M failed".
# Every wait is a bounded poll. GNODE_TEST_KEEP=1 keeps the directory.
# shellcheck disable=SC2016,SC2034,SC2317
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
command -v nft >/dev/null 2>&1 || { echo "SKIP: nft is missing"; exit 77; }
# shellcheck source=tests/interop_lib.sh
. "$top_srcdir/tests/interop_lib.sh"

g4port=16349
g5port=16350
nft add table inet gnodetest &&
    nft add chain inet gnodetest input \
    '{ type filter hook input priority 0; }' &&
    nft add rule inet gnodetest input ip daddr 127.0.0.9 \
    'tcp flags & (syn | ack) == syn' drop &&
    nft add rule inet gnodetest input ip saddr != 127.0.0.1 \
    tcp dport $g4port 'tcp flags & (syn | ack) == syn' drop || {
	echo "SKIP: nft cannot filter here"
	exit 77
}

g4f=interop-fw-gtkg-$rnd.bin
ff=interop-fw-gnode-$rnd.bin
mkdir -p "$tmp/g4share" "$tmp/g5share"
prand "g4$rnd" $((3 * 1048576)) > "$tmp/g4share/$g4f"
chmod 755 "$tmp" "$tmp/g4share" "$tmp/g5share"
chmod 644 "$tmp/g4share/$g4f"

mknode U 8 0 true
# A gtk-gnutella refuses an ultrapeer whose X-Degree is under 16.
printf '[net]\nmax_peers = 32\n' >> "$tmp/U/conf"
mknode F 9 1 true "127.0.0.8:$port"
printf '[node]\nmode = leaf\n' >> "$tmp/F/conf"
prand "f$rnd" $((2 * 1048576)) > "$tmp/F/share/$ff"
start U
wait_until 20 answers U || { echo "Bail out: U does not start"; exit 1; }
start F
wait_until 30 scanned F 1 || { echo "Bail out: F does not scan"; exit 1; }
mknode A 10 1 true "127.0.0.1:$g5port"

if ! gtkg_start g4 $g4port "$tmp/g4share" "is_firewalled = TRUE" ||
   ! gtkg_start g5 $g5port "$tmp/g5share" ""; then
	echo "Bail out: gtk-gnutella does not start"
	tail -n 20 "$GTKG_RUN"/g*/gtkg.log
	exit 1
fi
for n in g4 g5; do
	gsh $n 'set upload_debug 2' 'set download_debug 2' 'set node_debug 2' \
	    >/dev/null
	gsh $n "node add 127.0.0.8:$port" >/dev/null
done
# gtkg_links NAME: how many gtk-gnutella links NAME has up.
gtkg_links() {
	g "$1" peers | json 'peers[state=up].agent' | grep -ci gtk-gnutella
}
wait_until 60 above 1 gtkg_links U || info "U's peers: $(g U peers)"
start A
wait_until 60 above 0 gtkg_links A || info "A's peers: $(g A peers)"

# --- 8) gnode downloads from a firewalled gtk-gnutella ------------------------------

case_begin 8 "U downloads G4's file: G4 is firewalled, its GIV brings it"
check "8: G4 and G5 are linked to U" '[ "$(gtkg_links U)" -eq 2 ]'
info "8: G4 says: $(gsh g4 'print is_firewalled' | grep Value | tr '\n' ' ')"
if check "8: U finds G4's file" 'search_found U "interop fw gtkg $rnd" "$g4f"'; then
	g U results "$sid" > "$tmp/r8.json"
	info "8: the result: $(json "results[name=$g4f]" < "$tmp/r8.json")"
	check "8: G4's hit says push" \
	    '[ "$(json "results[name=$g4f].sources[].push" < "$tmp/r8.json" |
	      head -n 1)" = true ]'
	num=$(json "results[name=$g4f].number" < "$tmp/r8.json" | head -n 1)
	id=$(g U get "$num" | json id)
	dl_t0=$(now)
	dl_wait U "$id" 240
	check "8: the download is done ($dl_end)" '[ "$dl_end" = done ]' ||
	    info "8: U's log: $(grep -i "download $id\|GIV\|push" "$tmp/U/log" |
	    tail -n 12 | tr '\n' '|')"
	p=$(dl U "$id" path)
	check "8: the saved file has the SHA-1 of G4's" \
	    '[ -f "$p" ] && [ "$(sha1 "$p")" = "$(sha1 "$tmp/g4share/$g4f")" ]'
	check "8: it came over a GIV connection" \
	    'grep -q "download $id: GIV from the firewalled source" "$tmp/U/log"'
fi
case_end

# --- 9) gtk-gnutella downloads from a firewalled gnode, through a push -------------

case_begin 9 "G5 downloads F's file with a Push routed through U"
fw_is() {
	[ "$(g "$1" stats | json firewalled)" = "$2" ]
}
leaf_up() {
	g "$1" peers | json 'peers[role=leaf].state' | grep -qx up
}
check "9: F is firewalled" 'wait_until 10 fw_is F true'
check "9: U is F's ultrapeer" 'wait_until 30 leaf_up U'
check "9: A finds F's file through G5, with the push flag" \
    'search_found A "interop fw gnode $rnd" "$ff" &&
     [ "$(g A results "$sid" | json "results[name=$ff].sources[].push" |
       head -n 1)" = true ]'
fguid=$(g F stats | json guid)
fsha=$(b32sha1 "$tmp/F/share/$ff")
fsize=$(size_of "$tmp/F/share/$ff")
magnet="magnet:?xt=urn:sha1:$fsha&dn=$ff&xl=$fsize&xs=push://$fguid:127.0.0.8:$port/uri-res/N2R?urn:sha1:$fsha"
info "9: $magnet"
add=$(gsh g5 "download add \"$magnet\"" | grep -v '^100 Welcome\|^900' |
    tr '\n' ' ')
info "9: G5 download add: $add"
gdone=$(gdir g5)/dl/complete/$ff
check "9: G5's dl/complete has F's file" 'wait_until 180 test -f "$gdone"' || {
	info "9: G5's downloads: $(gsh g5 downloads | tr -s ' ' | tr '\n' '|')"
	info "9: U's log: $(grep -i 'push\|proxy' "$tmp/U/log" | tail -n 6 | tr '\n' '|')"
	info "9: F's log: $(grep -i 'push\|GIV\|http' "$tmp/F/log" | tail -n 6 | tr '\n' '|')"
}
check "9: ... with the SHA-1 of F's file" \
    '[ -f "$gdone" ] && [ "$(sha1 "$gdone")" = "$(sha1 "$tmp/F/share/$ff")" ]'
check "9: U passed G5's Push on to F" \
    '[ "$(g U stats | json node.pushes_routed)" -ge 1 ] ||
     [ "$(g U stats | json pproxy_sent)" -ge 1 ]'
check "9: F opened the connection to G5 (GIV)" \
    'grep -q "push: GIV [0-9]* to 127.0.0.1:$g5port" "$tmp/F/log"'
case_end

echo "interop-push: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ] || fail=1
exit $fail
