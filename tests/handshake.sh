#!/bin/sh
# handshake.sh: what a real gnode says in its Gnutella 0.6 handshake, and
# what it makes of a peer's Bye, read off the wire by tests/net/hspeer (a
# raw peer that prints every header it is sent) and off the node's log:
#   a) node A dials hspeer: its request carries X-Live-Since (RFC 822, as
#      gtk-gnutella writes it), X-Degree equal to its max_peers and the
#      GUID that `stats` shows; its third step is the 200 and
#      Content-Encoding only; a Bye with terminal escapes in its reason is
#      logged at info with its code and the reason escaped;
#   b) A restarted (default max_peers) has the same GUID, says X-Degree 32
#      and a start time no earlier than before;
#   c) hspeer dials A: A's 200 carries the same headers and GUID, and a
#      Bye with an over-long reason is logged cut short;
#   d) a second real node B sees A's GUID in `peers`, the same after A
#      restarts.
# Every wait is a bounded poll on a condition; no sleep is relied upon.
# GNODE_TEST_KEEP=1 keeps the temporary directory (configs, logs).
# shellcheck disable=SC2016
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
hspeer=$top/tests/net/hspeer
if [ ! -x "$hspeer" ]; then
	echo "SKIP: $hspeer not built"
	exit 77
fi
need_loopback 2 4
setup_tmp
esc=$(printf '\033')

# mknode NAME LAST_OCTET [KEY=VALUE...]: a data dir and a config whose
# [net] section has the given keys.
mknode() {
	_m_d=$tmp/$1
	mkdir -p "$_m_d/data"
	{
		node_section "$_m_d" "$2"
		printf '[net]\n'
		printf 'compress = true\n'
		shift 2
		for _m_kv in "$@"; do
			printf '%s = %s\n' "${_m_kv%%=*}" "${_m_kv#*=}"
		done
	} > "$_m_d/conf"
}
# hspeer_bg OUT MODE CODE REASON: hspeer in the background, its output in
# $tmp/OUT: listening on 127.0.0.3:$port (accept: back once it listens),
# or dialling A from 127.0.0.3 (dial).
hspeer_bg() {
	if [ "$2" = accept ]; then
		"$hspeer" accept 127.0.0.3 "$port" "$3" "$4" > "$tmp/$1" 2>&1 &
	else
		"$hspeer" dial 127.0.0.2 "$port" "$3" "$4" 127.0.0.3 \
		    > "$tmp/$1" 2>&1 &
	fi
	hs_pid=$!
	pids="$pids $hs_pid"
	[ "$2" = accept ] || return 0
	wait_until 10 grep -q '^listening$' "$tmp/$1"
}
# hspeer_done: hspeer exited 0 (it printed "closed" after its Bye).
hspeer_done() {
	wait "$hs_pid"
	_h_rc=$?
	forget "$hs_pid"
	return $_h_rc
}
# hdr FILE TAG NAME: the value of header NAME in hspeer's TAG lines.
hdr() {
	awk -v t="$2: $3: " 'index($0, t) == 1 { print substr($0, length(t) + 1); exit }' \
	    "$tmp/$1"
}
upper() {
	tr 'a-f' 'A-F'
}
guid_of() {
	g "$1" stats | json guid
}
rfc822='^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3][0-9] (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-2][0-9]:[0-5][0-9]:[0-6][0-9] \+0000$'
# live_ok FILE TAG: X-Live-Since in RFC 822, no later than now.
live_ok() {
	_l_v=$(hdr "$1" "$2" X-Live-Since)
	printf '%s\n' "$_l_v" | grep -Eq "$rfc822" || return 1
	_l_s=$(date -d "$_l_v" +%s 2>/dev/null) || return 1
	[ "$_l_s" -le "$(now)" ]
}

# --- a) A dials hspeer ---------------------------------------------------------

mknode A 2 min_peers=1 max_peers=20 "seed=127.0.0.3:$port"
reason_a="Gone ${esc}[31mfishing"
hspeer_bg a.out accept 200 "$reason_a" ||
    { echo "FAIL: hspeer does not listen"; cat "$tmp/a.out"; exit 1; }
start A
check "a: A answers" 'wait_until 15 answers A'
check "a: A dials hspeer, which sees the Bye answered by a close" \
    'hspeer_done' || cat "$tmp/a.out"
guid1=$(guid_of A)
check "a: stats shows a GUID of 32 hex digits ($guid1)" \
    'printf "%s\n" "$guid1" | grep -Eqx "[0-9a-f]{32}"'
check "a: the request's GUID is that one" \
    '[ "$(hdr a.out request GUID | upper)" = "$(printf %s "$guid1" | upper)" ]'
check "a: the request says X-Degree 20, A's max_peers" \
    '[ "$(hdr a.out request X-Degree)" = 20 ]'
check "a: the request's X-Live-Since is RFC 822, not in the future" \
    'live_ok a.out request' || grep X-Live-Since "$tmp/a.out"
since1=$(date -d "$(hdr a.out request X-Live-Since)" +%s)
check "a: the request still says X-Ultrapeer and both QRP headers" \
    '[ "$(hdr a.out request X-Ultrapeer)" = True ] &&
     [ -n "$(hdr a.out request X-Query-Routing)" ] &&
     [ -n "$(hdr a.out request X-Ultrapeer-Query-Routing)" ]'
check "a: the third step is GNUTELLA/0.6 200 OK" \
    'grep -qx "ack: GNUTELLA/0.6 200 OK" "$tmp/a.out"'
check "a: ...with Content-Encoding: deflate and no other header" \
    '[ "$(grep -c "^ack: .*: " "$tmp/a.out")" -eq 1 ] &&
     [ "$(hdr a.out ack Content-Encoding)" = deflate ]' ||
    grep '^ack' "$tmp/a.out"
check "a: A logs the Bye at info: address, code, reason escaped" \
    'wait_until 10 grep -qF "127.0.0.3:$port: bye 200 Gone \\x1b[31mfishing" \
     "$tmp/A/log"' || grep -i bye "$tmp/A/log"
check "a: no escape byte from the reason reached the log" \
    '! grep -q "$esc" "$tmp/A/log"'

# --- b) A restarted ------------------------------------------------------------

stop A TERM
rc=$?
check "b: SIGTERM stops A with exit 0 (got $rc)" '[ $rc -eq 0 ]'
mknode A 2 min_peers=1 "seed=127.0.0.3:$port"
crlf=$(printf '\r\nx')
crlf=${crlf%x}
hspeer_bg b.out accept 201 "Not today${crlf}Server: hspeer/0.1${crlf}X: y${crlf}${crlf}" ||
    { echo "FAIL: hspeer does not listen"; cat "$tmp/b.out"; exit 1; }
start A
check "b: A answers after the restart" 'wait_until 15 answers A'
check "b: A dials hspeer again" 'hspeer_done' || cat "$tmp/b.out"
check "b: stats shows the same GUID" '[ "$(guid_of A)" = "$guid1" ]'
check "b: the request carries the same GUID" \
    '[ "$(hdr b.out request GUID | upper)" = "$(printf %s "$guid1" | upper)" ]'
check "b: the default max_peers says X-Degree 32 (gtk-gnutella leaves want 16)" \
    '[ "$(hdr b.out request X-Degree)" = 32 ]'
check "b: X-Live-Since is RFC 822 and no earlier than the first start's" \
    'live_ok b.out request &&
     [ "$(date -d "$(hdr b.out request X-Live-Since)" +%s)" -ge "$since1" ]'
check "b: A logs Bye 201 with the reason's headers on the same line" \
    'wait_until 10 grep -q "127.0.0.3:$port: bye 201 Not today (Server: hspeer/0.1; X: y)$" \
     "$tmp/A/log"'

# --- c) hspeer dials A ---------------------------------------------------------

long=$(printf 'x%.0s' $(seq 1 300))
hspeer_bg c.out dial 503 "Busy ${long}tail"
check "c: hspeer's handshake with A ends in a close after its Bye" \
    'hspeer_done' || cat "$tmp/c.out"
check "c: A answers GNUTELLA/0.6 200 OK" \
    'grep -qx "reply: GNUTELLA/0.6 200 OK" "$tmp/c.out"'
check "c: A's 200 has its GUID, X-Degree 32 and X-Live-Since" \
    '[ "$(hdr c.out reply GUID | upper)" = "$(printf %s "$guid1" | upper)" ] &&
     [ "$(hdr c.out reply X-Degree)" = 32 ] && live_ok c.out reply'
# The reason is 309 bytes: 160 of them are logged, then "...".
check "c: A logs Bye 503 with the reason cut to 160 bytes and ..." \
    'wait_until 10 grep -q "127.0.0.3:[0-9]*: bye 503 Busy x\{155\}\.\.\.$" \
     "$tmp/A/log"' || grep 'bye 503' "$tmp/A/log"

# --- d) a real peer sees the same GUID across A's restart -------------------------

a_addr=127.0.0.2:$port
mknode B 4 min_peers=1 "seed=$a_addr"
start B
check "d: B answers" 'wait_until 15 answers B'
# B's one peer is A: it is up, at A's address, with A's first GUID.
b_sees_a() {
	g B peers > "$tmp/b-peers.json" || return 1
	json 'peers[state=up].address' < "$tmp/b-peers.json" | grep -qx "$a_addr" &&
	    json 'peers[state=up].guid' < "$tmp/b-peers.json" | grep -qx "$guid1"
}
check "d: B's peers shows A with A's GUID" 'wait_until 30 b_sees_a'
stop A TERM
b_lost_a() {
	g B peers > "$tmp/b-peers.json" || return 1
	! json 'peers[state=up].address' < "$tmp/b-peers.json" | grep -qx "$a_addr"
}
check "d: B sees A go" 'wait_until 30 b_lost_a'
mknode A 2 min_peers=0
start A
check "d: A answers after its second restart" 'wait_until 15 answers A'
check "d: B has A back, with the same GUID" 'wait_until 45 b_sees_a'

exit $fail
