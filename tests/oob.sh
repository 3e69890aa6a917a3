#!/bin/sh
# oob.sh: out-of-band hits between real nodes on loopback. A
# (127.0.0.60) - B (.61) - C (.62) are gnode ultrapeers in a chain (each
# keeps one link: min_peers = 1); C shares a file. tests/net/leafpeer
# plays requesters from .63-.64.
#   a) A's search finds C's file; C offered it by UDP and sent it when A
#      claimed it (C's oob_offers and oob_hits_sent, A's oob_claims and
#      oob_hits_rx), and no hit came back through B (its hits_routed);
#   b) a requester that asks for OOB hits and never claims them gets an
#      offer (LIME/12) and no hit, by UDP or in band; one that claims
#      gets its hit by UDP, and still none in band;
#   c) 200,000 reply numbers and acks for MUIDs nobody asked about, by
#      UDP to B: B sends nothing back (udp_tx), counts them dropped, each
#      costs it under 100 us of CPU (from /proc, under ASan), and A's
#      search through it still finds C's file.
# Every wait is a bounded poll on a condition; no duration is asserted.
# GNODE_TEST_KEEP=1 keeps the temporary directory (configs, logs).
# shellcheck disable=SC2016,SC2034,SC2317
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
leafpeer=$top/tests/net/leafpeer
if [ ! -x "$leafpeer" ]; then
	echo "SKIP: $leafpeer not built"
	exit 77
fi
if [ ! -r /proc/self/stat ] || ! command -v getconf >/dev/null 2>&1; then
	[ -n "${CI:-}" ] && { echo "FAIL: /proc or getconf missing"; exit 1; }
	echo "SKIP: needs /proc/PID/stat and getconf"
	exit 77
fi
need_loopback 60 64
setup_tmp
hz=$(getconf CLK_TCK)

# mknode NAME OCTET [KEY=VALUE...]: an ultrapeer's config; keys in [net].
mknode() {
	_m_d=$tmp/$1
	mkdir -p "$_m_d/data" "$_m_d/share"
	_m_o=$2
	shift 2
	{
		node_section "$_m_d" "$_m_o"
		printf 'mode = ultrapeer\n'
		printf '[net]\n'
		for _m_kv in "$@"; do
			printf '%s = %s\n' "${_m_kv%%=*}" "${_m_kv#*=}"
		done
		printf '[search]\nstrategy = flood\n'
		printf '[share]\ndir = %s\n' "$_m_d/share"
	} > "$_m_d/conf"
}
st() {
	g "$1" stats | json "$2"
}
found() {
	g "$1" results "$2" | json "results[].name" | grep -qx "$3"
}
linked() {
	[ "$(g "$1" peers | json "peers[].state" | grep -cx up)" -ge "$2" ]
}

mknode B 61 min_peers=0
mknode A 60 min_peers=1 "seed=127.0.0.61:$port"
mknode C 62 min_peers=1 "seed=127.0.0.61:$port"
printf 'a file for out-of-band hits\n' > "$tmp/C/share/platypus_oobfile.txt"
start B
wait_until 20 answers B || { echo "FAIL: B does not answer"; exit 1; }
start A
start C
check "C scans its file" 'wait_until 30 scanned C 1'
check "B links to A and C" 'wait_until 30 linked B 2'

# --- a) between gnodes ------------------------------------------------------
routed0=$(st B node.hits_routed)
id=$(g A search platypus | json id)
check "a: A's search finds C's file" \
    'wait_until 30 found A "$id" platypus_oobfile.txt'
check "a: C offered its hit by UDP" '[ "$(st C node.oob_offers)" -ge 1 ]'
check "a: and sent it when claimed" '[ "$(st C node.oob_hits_sent)" -ge 1 ]'
check "a: A claimed it" '[ "$(st A node.oob_claims)" -ge 1 ]'
check "a: and took it by UDP" '[ "$(st A node.oob_hits_rx)" -ge 1 ]'
check "a: no hit came back through B" \
    '[ "$(st B node.hits_routed)" -eq "$routed0" ]'

# --- b) claims ------------------------------------------------------------------
"$leafpeer" oob 127.0.0.62 "$port" 127.0.0.63 "$port" 5 noclaim platypus \
    > "$tmp/noclaim" 2>&1
info "b: noclaim: $(tr '\n' ' ' < "$tmp/noclaim")"
check "b: a requester that never claims gets an offer" \
    'grep -qx "offer: 1" "$tmp/noclaim"'
check "b: and no hit by UDP" '! grep -q "udp hit" "$tmp/noclaim"'
check "b: nor in band" '! grep -q "tcp hit" "$tmp/noclaim"'
"$leafpeer" oob 127.0.0.62 "$port" 127.0.0.64 "$port" 5 claim platypus \
    > "$tmp/claim" 2>&1
info "b: claim: $(tr '\n' ' ' < "$tmp/claim")"
check "b: one that claims gets its hit by UDP" \
    'grep -qx "udp hit" "$tmp/claim"'
check "b: and none in band" '! grep -q "tcp hit" "$tmp/claim"'

# --- c) a flood of reply numbers nobody asked for --------------------------------
pid_B=$(pid_of B)
tx0=$(st B udp_tx)
rx0=$(st B udp_rx)
drop0=$(st B node.oob_dropped)
c0=$(awk '{ print $14 + $15 }' "/proc/$pid_B/stat")
"$leafpeer" udpflood 127.0.0.61 "$port" 127.0.0.63 200000 > "$tmp/flood" 2>&1
check "c: the flood was sent" 'grep -qx "sent 200000" "$tmp/flood"'
# quiet: B's CPU did not grow over the last half second.
quiet() {
	_q0=$(awk '{ print $14 + $15 }' "/proc/$pid_B/stat")
	sleep 0.5
	[ "$(awk '{ print $14 + $15 }' "/proc/$pid_B/stat")" -eq "$_q0" ]
}
wait_until 20 quiet
c1=$(awk '{ print $14 + $15 }' "/proc/$pid_B/stat")
rx=$(( $(st B udp_rx) - rx0 ))
drop=$(( $(st B node.oob_dropped) - drop0 ))
us=$(awk -v c="$((c1 - c0))" -v hz="$hz" -v n="$rx" \
    'BEGIN { printf "%.1f", (n > 0 ? c / hz * 1e6 / n : 0) }')
info "c: B read $rx datagrams (the rest the socket dropped), $drop counted dropped, $us us of CPU each"
check "c: B read some of them" '[ "$rx" -gt 0 ]'
check "c: and counted each it read as unasked" '[ "$drop" -eq "$rx" ]'
check "c: B sent nothing back" '[ "$(st B udp_tx)" -eq "$tx0" ]'
check "c: each cost B under 100 us of CPU ($us)" \
    'awk -v s="$us" "BEGIN { exit !(s < 100) }"'
id=$(g A search "oobfile platypus" | json id)
check "c: A's search through B still finds C's file" \
    'wait_until 30 found A "$id" platypus_oobfile.txt'

exit $fail
