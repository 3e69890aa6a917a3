#!/bin/sh
# dq.sh: an ultrapeer runs its leaf's query as a dynamic query, on real
# sockets. U (127.0.0.150) is a gnode ultrapeer; eight tests/net/leafpeer
# ultrapeers (127.0.0.151-158) link to it and print each query they get;
# L (127.0.0.160), a gnode leaf under U, searches for a word nobody has.
#   a) the query is not flooded to the eight: first three probes have it,
#      then one more peer at a time (each count the peers' outputs show,
#      polled, is at most one above the last), until all eight have it
#      once;
#   b) U's stats count one leaf dq and its status requests (BEAR/11), and
#      L's answers (BEAR/12) were read: the leaf is guided;
#   c) a search from L for a file U shares still finds it.
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
need_loopback 150 160
setup_tmp

stat_of() {
	g "$1" stats | json "node.$2"
}
# have WORD: how many of the eight peers got a query for WORD.
have() {
	_h_k=0
	for _h_i in 1 2 3 4 5 6 7 8; do
		grep -qx "query: $1" "$tmp/P$_h_i" && _h_k=$((_h_k + 1))
	done
	echo $_h_k
}
has_leaf() {
	[ -n "$(g U peers | json "peers[role=leaf].address")" ]
}
found() {
	g "$1" results "$2" | json "results[].name" | grep -qx "$3"
}
linked() {
	for _l_i in 1 2 3 4 5 6 7 8; do
		grep -qx linked "$tmp/P$_l_i" || return 1
	done
}

mknode U 150 ultrapeer min_peers=0
printf 'the ultrapeer shares this\n' > "$tmp/U/share/kiwi_upshare.txt"
start U
wait_until 20 answers U || { echo "FAIL: U does not answer"; exit 1; }
check "U scans its file" 'wait_until 30 scanned U 1'
for i in 1 2 3 4 5 6 7 8; do
	"$leafpeer" up 127.0.0.150 "$port" "127.0.0.$((150 + i))" 300 \
	    > "$tmp/P$i" 2>&1 &
	pids="$pids $!"
done
check "the eight peers link to U as ultrapeers" 'wait_until 20 linked'
mknode L 160 leaf min_peers=1 "seed=127.0.0.150:$port"
start L
check "L comes up as U's leaf" 'wait_until 30 has_leaf'

# --- a) probes, then one at a time --------------------------------------------
word="absent$rnd"
g L search "$word" > /dev/null
check "a: the probes have the query" 'wait_until 20 above 2 have "$word"'
last=$(have "$word")
check "a: three probes, not a flood ($last peers at first)" '[ "$last" -eq 3 ]'
jumps=0
polls=0
while [ "$last" -lt 8 ] && [ $polls -lt 1200 ]; do
	sleep 0.1
	now_have=$(have "$word")
	[ "$now_have" -gt $((last + 1)) ] && jumps=$((jumps + 1))
	last=$now_have
	polls=$((polls + 1))
done
check "a: then one more peer at a time until all eight have it" \
    '[ "$last" -eq 8 ] && [ $jumps -eq 0 ]'
check "a: each peer got it once" \
    '[ "$(grep -hx "query: $word" "$tmp"/P? | wc -l)" -eq 8 ]'

# --- b) the leaf guides it ----------------------------------------------------
check "b: U ran one dq for its leaf" '[ "$(stat_of U dq_leaf)" -ge 1 ]'
check "b: and asked L how many results it kept" \
    '[ "$(stat_of U qstat_sent)" -ge 1 ]'
check "b: L answered" 'wait_until 20 above 0 stat_of U qstat_rx'
check "b: L read the requests" '[ "$(stat_of L qstat_rx)" -ge 1 ]'

# --- c) results still come --------------------------------------------------
id=$(g L search kiwi | json id)
check "c: L's search finds U's file" \
    'wait_until 30 found L "$id" kiwi_upshare.txt'

exit $fail
