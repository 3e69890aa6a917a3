#!/bin/sh
# hsbounds.sh: a real node on 127.0.0.141 with handshakes_per_addr = 3,
# handshakes_max = 5 and handshake_timeout = 5, against connections from
# tests/net/netpeer's raw mode that never finish their handshake:
#   a) three unfinished handshakes from 127.0.0.142 (silent, a partial
#      CONNECT, a CONNECT that never sends the third step) are held; a
#      fourth from that address is closed at once, with no status line,
#      and counted as refused in `stats`; a well-behaved peer from
#      127.0.0.143 still connects meanwhile; each of the three then gets
#      "GNUTELLA/0.6 408 Handshake Timeout" before its close;
#   b) with five unfinished from two addresses, one from a third address
#      is closed at once too (the bound in all);
#   c) a node on 127.0.0.147 that dials a host (netpeer silent, on
#      127.0.0.146) that never answers its CONNECT says
#      "GNUTELLA/0.6 408 Handshake Timeout" in place of its third step
#      before it closes, instead of going quiet.
# Every wait is a bounded poll on a condition; no duration is asserted.
# GNODE_TEST_KEEP=1 keeps the temporary directory (configs, logs).
# shellcheck disable=SC2016,SC2317
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
need_loopback 141 147
setup_tmp

mkdir -p "$tmp/H/data"
{
	node_section "$tmp/H" 141
	printf '[net]\nmin_peers = 0\nmax_peers = 4\n'
	printf 'handshakes_per_addr = 3\nhandshakes_max = 5\n'
	printf 'handshake_timeout = 5\n'
} > "$tmp/H/conf"
start H
check "H answers its control socket" 'wait_until 15 answers H'
if [ "$fail" -ne 0 ]; then
	echo "Bail out: the node does not start"
	exit 1
fi

crlf() {
	sed 's/$/\r/'
}
: > "$tmp/silent.req"
printf 'GNUTELLA CONNECT/0.6\nUser-Agent: slow/1\n' | crlf > "$tmp/partial.req"
{ printf 'GNUTELLA CONNECT/0.6\nUser-Agent: slow/1\nX-Ultrapeer: True\n\n' |
    crlf; printf '\f'; } > "$tmp/noack.req"

# hold TAG REQ SRC: one connection from 127.0.0.SRC in the background,
# sending $tmp/REQ.req; what came back, CRs dropped, in $tmp/TAG.out.
bgpids=""
hold() {
	"$netpeer" raw 127.0.0.141 "$port" "127.0.0.$3" 1 < "$tmp/$2.req" |
	    tr -d '\r' > "$tmp/$1.out" &
	pids="$pids $!"
	bgpids="$bgpids $!"
}
# reap: wait for the background connections (each bounded by netpeer's
# own wait) to end.
reap() {
	for _p in $bgpids; do
		wait "$_p"
		forget "$_p"
	done
	bgpids=""
}
# accepted N: the node has accepted N connections so far.
accepted() {
	[ "$(g H stats | json accepted)" -ge "$1" ]
}
# timedout TAG: the connection got the 408 status line, then the close.
timedout() {
	grep -q '^GNUTELLA/0.6 408 Handshake Timeout$' "$tmp/$1.out" &&
	    [ "$(tail -n 1 "$tmp/$1.out")" = closed ]
}
# turned TAG: closed with nothing written back.
turned() {
	[ "$(cat "$tmp/$1.out")" = closed ]
}
stat() {
	g H stats | json "$1"
}

# --- a) per address ------------------------------------------------------

echo "# a) per address"
a0=$(stat accepted)
r0=$(stat refused)
hold silent silent 142
hold partial partial 142
hold noack noack 142
check "a: H accepted the three unfinished handshakes from .142" \
    'wait_until 5 accepted $((a0 + 3))'
"$netpeer" raw 127.0.0.141 "$port" 127.0.0.142 1 < "$tmp/silent.req" |
    tr -d '\r' > "$tmp/extra.out"
r1=$(stat refused)
check "a: a fourth from .142 is closed with nothing written ($(head -c 60 "$tmp/extra.out" | tr '\n' ' '))" \
    'turned extra'
check "a: stats counts it as refused ($r0 -> $r1)" '[ $((r1 - r0)) -eq 1 ]'
out=$("$netpeer" hold 127.0.0.141 "$port" 127.0.0.143 1 2>&1)
check "a: a well-behaved peer from .143 still connects ($out)" \
    '[ "$out" = "held 1" ]'
reap
for t in silent partial noack; do
	check "a: $t: GNUTELLA/0.6 408 Handshake Timeout, then closed ($(grep '^GNUTELLA' "$tmp/$t.out" | tr '\n' ' '))" \
	    'timedout $t'
done
check "a: the one that never sent its third step had its 200 first" \
    'head -n 1 "$tmp/noack.out" | grep -q "^GNUTELLA/0.6 200 "'

# --- b) in all -----------------------------------------------------------

echo "# b) in all"
a0=$(stat accepted)
r0=$(stat refused)
hold s1 silent 142
hold s2 silent 142
hold s3 silent 142
hold s4 silent 144
hold s5 silent 144
check "b: H accepted five unfinished handshakes from .142 and .144" \
    'wait_until 5 accepted $((a0 + 5))'
"$netpeer" raw 127.0.0.141 "$port" 127.0.0.145 1 < "$tmp/silent.req" |
    tr -d '\r' > "$tmp/extra2.out"
r1=$(stat refused)
check "b: a sixth, from .145, is closed with nothing written ($(head -c 60 "$tmp/extra2.out" | tr '\n' ' '))" \
    'turned extra2'
check "b: stats counts it as refused ($r0 -> $r1)" '[ $((r1 - r0)) -eq 1 ]'
reap
for t in s1 s2 s3 s4 s5; do
	check "b: $t: 408, then closed" 'timedout $t'
done
check "H still answers" 'answers H'

# --- c) a handshake we dialled -------------------------------------------

echo "# c) a dialled host that never answers"
"$netpeer" silent 127.0.0.146 "$port" 12 > "$tmp/silent-host.out" 2>&1 &
silentpid=$!
pids="$pids $silentpid"
mkdir -p "$tmp/O/data"
{
	node_section "$tmp/O" 147
	printf '[net]\nmin_peers = 1\nhandshake_timeout = 5\n'
	printf 'seed = 127.0.0.146:%s\n' "$port"
} > "$tmp/O/conf"
start O
check "c: the host hears 408 Handshake Timeout from O's dial" \
    'wait_until 15 grep -q "^got GNUTELLA/0.6 408 Handshake Timeout" "$tmp/silent-host.out"'
wait "$silentpid"
forget "$silentpid"
stop O TERM

stop H TERM
rc=$?
check "SIGTERM stops H with exit 0 (got $rc)" '[ $rc -eq 0 ]'
exit $fail
