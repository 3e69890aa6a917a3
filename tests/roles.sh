#!/bin/sh
# roles.sh: [node] mode = auto on real sockets: a node starts as a leaf,
# promotes itself by the rule of net/role.c, and an auto ultrapeer without
# leaves takes an ultrapeer's leaf guidance in step 3 of the handshake.
#   U 127.0.0.200  mode = ultrapeer, shares a file;
#   P 127.0.0.201  auto, promote_uptime = 4, seeded with U;
#   Q 127.0.0.202  auto, seeded with P, two ultrapeers, shares a file;
#   V 127.0.0.203  mode = ultrapeer, max_peers = 1, seeded with U;
#   W 127.0.0.204  auto, promote_alone = 1, seeded with nobody;
#   X 127.0.0.206  mode = ultrapeer, max_leaves = 0.
#   a) P comes up as U's leaf and says why it is no ultrapeer yet; Q's
#      dial (refused: P is a leaf) makes P reachable, and once up 4 s P
#      promotes: its link to U is closed with Bye 203 and made again as an
#      ultrapeer's, Q becomes P's leaf (and U's: P named U in its
#      refusal), and searches cross the tiers both ways;
#   b) W, alone on loopback and dialled by nobody, promotes after 4 x
#      promote_alone; its handshake says X-Ultrapeer-Needed: True (it has
#      room for ultrapeers); told to `connect` to V, full of ultrapeers
#      with room for a leaf (X-Ultrapeer-Needed: False), W, with no leaves,
#      answers X-Ultrapeer: False in its third step and is V's leaf; a
#      peer that stays an ultrapeer after that answer gets Bye 503;
#   c) a peer that turns leaf in step 3 where there is no room for a leaf
#      (X) gets Bye 504.
# Every wait is a bounded poll on a condition; no duration is asserted.
# GNODE_TEST_KEEP=1 keeps the temporary directory (configs, logs).
# shellcheck disable=SC2016,SC2034,SC2317
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
hspeer=$top/tests/net/hspeer
if [ ! -x "$hspeer" ]; then
	echo "SKIP: $hspeer not built"
	exit 77
fi
need_loopback 200 207
setup_tmp

mode_of() {
	g "$1" stats | json mode
}
# role_at NAME OCTET: the role NAME's peers list gives 127.0.0.OCTET.
role_at() {
	g "$1" peers | json "peers[address=127.0.0.$2:$port].role"
}
# is_role NAME OCTET ROLE, mode_is NAME MODE, stat_is NAME KEY VALUE: for
# wait_until, which runs its command again (a "$(...)" in its arguments
# would be read once).
is_role() {
	[ "$(role_at "$1" "$2")" = "$3" ]
}
mode_is() {
	[ "$(mode_of "$1")" = "$2" ]
}
stat_is() {
	[ "$(g "$1" stats | json "$2")" = "$3" ]
}
qrt_in() {
	[ "$(g "$1" peers | json "peers[address=127.0.0.$2:$port].qrt")" = true ]
}
found() {
	g "$1" results "$2" | json "results[].name" | grep -qx "$3"
}

mknode U 200 ultrapeer min_peers=0
printf 'the ultrapeer shares this\n' > "$tmp/U/share/kiwi_upshare.txt"
start U
wait_until 20 answers U || { echo "FAIL: U does not answer"; exit 1; }
check "U scans its file" 'wait_until 30 scanned U 1'

# --- a) promotion by the rule -------------------------------------------------
# P and Q say firewalled = yes: they ask no peer for a connect-back, so
# only a real dial makes them reachable (tests/push.sh tests the ask).
mknode P 201 auto node.promote_uptime=4 node.promote_alone=0 min_peers=1 \
    firewalled=yes "seed=127.0.0.200:$port"
start P
check "a: P (auto) comes up as U's leaf" \
    'wait_until 30 is_role U 201 leaf'
g P stats > "$tmp/p.json"
check "a: P says it is a leaf in auto mode" \
    '[ "$(json mode < "$tmp/p.json")" = leaf ] &&
     [ "$(json mode_auto < "$tmp/p.json")" = true ]'
check "a: and why it is no ultrapeer yet: nobody dialled it" \
    'json promote_blocker < "$tmp/p.json" | grep -q "not reachable"'
mknode Q 202 auto node.promote_alone=0 leaf_ultrapeers=2 firewalled=yes \
    "seed=127.0.0.201:$port"
printf 'the leaf shares this\n' > "$tmp/Q/share/plum_leafshare.txt"
start Q
check "Q scans its file" 'wait_until 30 scanned Q 1'
check "a: Q's dial makes P reachable" \
    'wait_until 30 stat_is P reachable true'
check "a: P promotes itself" \
    'wait_until 30 mode_is P ultrapeer'
check "a: one switch, logged with its reason" \
    '[ "$(g P stats | json role_changes)" = 1 ] &&
     grep -q "now an ultrapeer (the promotion rule is met)" "$tmp/P/log"'
check "a: P closed its leaf link with Bye 203" \
    'wait_until 20 grep -q "203 Changing Peer Mode" "$tmp/U/log"'
check "a: U has P again, as an ultrapeer" \
    'wait_until 30 is_role U 201 ultrapeer'
check "a: Q is P's leaf" 'wait_until 60 is_role P 202 leaf'
check "a: Q stays a leaf (nobody dials it)" \
    '[ "$(mode_of Q)" = leaf ] &&
     g Q stats | json promote_blocker | grep -q "not reachable"'
check "a: Q's table reached P" \
    'wait_until 20 qrt_in P 202'
id=$(g Q search kiwi | json id)
check "a: Q's search finds U's file through P" \
    'wait_until 30 found Q "$id" kiwi_upshare.txt'
id=$(g U search plum | json id)
check "a: U's search finds Q's file through P's last hop" \
    'wait_until 30 found U "$id" plum_leafshare.txt'

# --- b) alone, then leaf guidance ---------------------------------------------
mknode V 203 ultrapeer min_peers=1 max_peers=1 "seed=127.0.0.200:$port"
start V
check "b: V links to U" 'wait_until 30 is_role V 200 ultrapeer'
mknode W 204 auto node.promote_alone=1
start W
check "b: W, alone and dialled by nobody, promotes itself" \
    'wait_until 30 mode_is W ultrapeer'
check "b: the log says why" 'grep -q "no ultrapeer found for long" "$tmp/W/log"'
"$hspeer" dial 127.0.0.204 "$port" 200 "test over" 127.0.0.205 > "$tmp/hs-w" 2>&1
check "b: W, with room for ultrapeers, says X-Ultrapeer-Needed: True" \
    'grep -qx "reply: X-Ultrapeer-Needed: True" "$tmp/hs-w"'
check "b: V, full with U, tells W no more ultrapeers are needed" \
    'g W connect "127.0.0.203:$port" > /dev/null &&
     wait_until 30 is_role V 204 leaf'
check "b: W took the guidance and is a leaf now" \
    '[ "$(mode_of W)" = leaf ] && [ "$(g W stats | json role_changes)" = 2 ] &&
     grep -q "now a leaf (an ultrapeer said X-Ultrapeer-Needed: False)" "$tmp/W/log"'
check "b: V read the switch in W's third step" \
    'grep -q "switched to our leaf in its third step" "$tmp/V/log"'
check "b: W's link to V is an ultrapeer's, in W's peers" \
    '[ "$(role_at W 203)" = ultrapeer ]'
"$hspeer" stay 127.0.0.203 "$port" 200 "test over" 127.0.0.205 > "$tmp/hs-v" 2>&1
check "b: a peer told so that stays an ultrapeer gets Bye 503" \
    'grep -qx "reply: X-Ultrapeer-Needed: False" "$tmp/hs-v" &&
     grep -qx "bye: 503 Too many connections" "$tmp/hs-v"'

# --- c) a switch with no room -------------------------------------------------
mknode X 206 ultrapeer max_leaves=0
start X
wait_until 20 answers X || { echo "FAIL: X does not answer"; exit 1; }
"$hspeer" switch 127.0.0.206 "$port" 200 "test over" 127.0.0.207 > "$tmp/hs-x" 2>&1
check "c: turning leaf in step 3 with no leaf slot gets Bye 504" \
    'grep -qx "bye: 504 Switched Between Leaf/Ultra During Handshake" "$tmp/hs-x"'
check "c: X runs on" 'answers X'

exit $fail
