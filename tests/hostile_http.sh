#!/bin/sh
# hostile_http.sh: a real node on 127.0.0.131 against raw HTTP requests
# from tests/net/netpeer's raw mode (the bytes as written, read back until
# the node closes):
#   a) each request smuggling shape (a GET whose Content-Length covers a
#      second request, Transfer-Encoding: chunked, Content-Length and
#      Transfer-Encoding, two different Content-Lengths) gets exactly one
#      HTTP/1.1 400 and a closed connection, never a second response;
#      a GET without a body on the same node is still served;
#   b) a first line that is no Gnutella and no GET/HEAD gets an HTTP
#      status line: POST 501, lower-case get 400, junk 400, each closed;
#   c) 2000 such requests leave a bounded number of lines in the node's
#      log (log_level info), and `stats` counts every one of them;
#   d) X-Try-Ultrapeers names a peer whose Node: is the address it came
#      from, never the host another peer's Node: names.
# The node has ban_after = 0: every request here is answered, however
# many bad ones came from its address before (tests/hostile.sh has the
# ban).
# Every wait is a bounded poll on a condition; no duration is asserted.
# GNODE_TEST_KEEP=1 keeps the temporary directory (configs, logs).
# shellcheck disable=SC2016,SC2317
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
need_loopback 131 136
setup_tmp

mkdir -p "$tmp/H/data" "$tmp/H/share"
printf 'a shared file, %s\n' "$rnd" > "$tmp/H/share/note.txt"
{
	# info, not debug: what an attacker can make the node write is the
	# point here, and debug is the operator asking for every line.
	node_section "$tmp/H" 131 | sed 's/^log_level = .*/log_level = info/'
	printf '[net]\nmin_peers = 0\nmax_peers = 4\nban_after = 0\n'
	printf '[share]\ndir = %s\n' "$tmp/H/share"
} > "$tmp/H/conf"
start H
check "H answers its control socket" 'wait_until 15 answers H'
if [ "$fail" -ne 0 ]; then
	echo "Bail out: the node does not start"
	exit 1
fi
check "H scanned its share (files 1)" 'wait_until 30 scanned H 1'
idx=$(g H share list | json "files[name=note.txt].index")
info "note.txt: index $idx"

# raw TAG SRC: the request in $tmp/TAG.req over one connection from
# 127.0.0.SRC; what came back, CRs dropped, in $tmp/TAG.out.
raw() {
	"$netpeer" raw 127.0.0.131 "$port" "127.0.0.$2" 1 < "$tmp/$1.req" |
	    tr -d '\r' > "$tmp/$1.out"
}
# statuses TAG: how many status lines came back.
statuses() {
	grep -c '^HTTP/\|^GNUTELLA/' "$tmp/$1.out"
}
# one400 TAG: exactly one status line, HTTP/1.1 400, and the node closed.
one400() {
	[ "$(statuses "$1")" -eq 1 ] &&
	    head -n 1 "$tmp/$1.out" | grep -q '^HTTP/1.1 400 ' &&
	    [ "$(tail -n 1 "$tmp/$1.out")" = closed ]
}
crlf() {
	sed 's/$/\r/'
}

# --- a) smuggling ------------------------------------------------------------

echo "# a) request smuggling"
inner="GET /get/$idx/note.txt HTTP/1.1"
# The inner request, Host and the blank line: its length for a
# Content-Length that covers exactly it.
printf '%s\r\nHost: x\r\n\r\n' "$inner" > "$tmp/inner"
ilen=$(wc -c < "$tmp/inner" | tr -d ' ')

{ printf 'GET /get/%s/note.txt HTTP/1.1\nHost: x\nContent-Length: %s\n\n' \
    "$idx" "$ilen" | crlf; cat "$tmp/inner"; } > "$tmp/cl.req"
{ printf 'GET /get/%s/note.txt HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n' \
    "$idx" | crlf; printf '0\r\n\r\n'; cat "$tmp/inner"; } > "$tmp/te.req"
{ printf 'GET /get/%s/note.txt HTTP/1.1\nHost: x\nContent-Length: %s\nTransfer-Encoding: chunked\n\n' \
    "$idx" "$ilen" | crlf; printf '0\r\n\r\n'; cat "$tmp/inner"; } > "$tmp/clte.req"
{ printf 'GET /get/%s/note.txt HTTP/1.1\nHost: x\nContent-Length: 0\nContent-Length: %s\n\n' \
    "$idx" "$ilen" | crlf; cat "$tmp/inner"; } > "$tmp/clcl.req"
{ printf 'GET /get/%s/note.txt HTTP/1.1\nHost: x\nContent-Length: 0, %s\n\n' \
    "$idx" "$ilen" | crlf; cat "$tmp/inner"; } > "$tmp/cllist.req"
src=132
for t in cl te clte clcl cllist; do
	raw "$t" $src
	check "a: $t: one HTTP/1.1 400, closed, no second response ($(statuses $t) status lines: $(head -n 1 "$tmp/$t.out"))" \
	    'one400 "$t"'
	src=$((src + 1))
	[ $src -gt 136 ] && src=132
done
# The same GET without a body, and twice on one connection: served.
{ printf 'GET /get/%s/note.txt HTTP/1.1\nHost: x\nContent-Length: 0\n\n' \
    "$idx" | crlf; printf '%s\r\nHost: x\r\nConnection: close\r\n\r\n' \
    "$inner"; } > "$tmp/ok.req"
raw ok 132
check "a: two GETs without a body on one connection: two 200s ($(statuses ok))" \
    '[ "$(statuses ok)" -eq 2 ] && [ "$(grep -c "^HTTP/1.1 200 " "$tmp/ok.out")" -eq 2 ] &&
     [ "$(grep -c "^a shared file, $rnd$" "$tmp/ok.out")" -eq 2 ]'

# --- b) not Gnutella, not GET or HEAD ---------------------------------------

echo "# b) other first lines"
printf 'POST /get/%s/note.txt HTTP/1.1\nHost: x\n\n' "$idx" | crlf > "$tmp/post.req"
raw post 133
check "b: POST: HTTP/1.1 501, closed ($(head -n 1 "$tmp/post.out"))" \
    '[ "$(statuses post)" -eq 1 ] &&
     head -n 1 "$tmp/post.out" | grep -q "^HTTP/1.1 501 " &&
     grep -qi "^connection: close$" "$tmp/post.out" &&
     [ "$(tail -n 1 "$tmp/post.out")" = closed ]'
printf 'POST / HTTP/1.1\nHost: x\nContent-Length: %s\n\n' "$ilen" | crlf > "$tmp/postb.req"
cat "$tmp/inner" >> "$tmp/postb.req"
raw postb 134
check "b: POST with a body: one HTTP/1.1 400, closed ($(head -n 1 "$tmp/postb.out"))" \
    'one400 postb'
printf 'get /get/%s/note.txt HTTP/1.1\nHost: x\n\n' "$idx" | crlf > "$tmp/lower.req"
raw lower 135
check "b: lower-case get: one HTTP/1.1 400, closed ($(head -n 1 "$tmp/lower.out"))" \
    'one400 lower'
printf '\001\002\003 hello\r\n\r\n' > "$tmp/junk.req"
raw junk 136
check "b: binary junk: one HTTP/1.1 400, closed ($(head -n 1 "$tmp/junk.out"))" \
    'one400 junk'
printf 'GNUTELLA/0.6 200 OK\r\n\r\n' > "$tmp/gnut.req"
raw gnut 132
check "b: a Gnutella line that is no CONNECT still gets a Gnutella 400 ($(head -n 1 "$tmp/gnut.out"))" \
    'head -n 1 "$tmp/gnut.out" | grep -q "^GNUTELLA/0.6 400 "'

# --- c) a flood of bad requests ---------------------------------------------

echo "# c) 2000 bad requests"
g H stats > "$tmp/before.json"
r0=$(json http_refused < "$tmp/before.json")
q0=$(json http_requests < "$tmp/before.json")
l0=$(wc -l < "$tmp/H/log" | tr -d ' ')
out=$("$netpeer" raw 127.0.0.131 "$port" 127.0.0.133 2000 < "$tmp/cl.req")
info "flood: $out"
check "c: each of the 2000 got one status line and a close" \
    '[ "$out" = "sent 2000 closed 2000 one-status 2000 first HTTP/1.1 400 Bad Request" ]'
check "c: H still answers" 'answers H'
# The "... and N more like it" line comes once a quiet second is over.
told() {
	tail -n +"$((l0 + 1))" "$tmp/H/log" | grep -q "more http refusals like it"
}
check "c: H's log says how many lines it left out" 'wait_until 10 told'
g H stats > "$tmp/after.json"
r1=$(json http_refused < "$tmp/after.json")
q1=$(json http_requests < "$tmp/after.json")
held=$(json logs_held < "$tmp/after.json")
l1=$(wc -l < "$tmp/H/log" | tr -d ' ')
lines=$((l1 - l0))
info "log: $lines new lines, stats: http_refused $r0 -> $r1, logs_held $held"
check "c: stats counts all 2000 refusals (http_refused $r0 -> $r1, http_requests $q0 -> $q1)" \
    '[ $((r1 - r0)) -eq 2000 ] && [ $((q1 - q0)) -eq 2000 ]'
# 5 lines a second at most, however many seconds the flood took, and a
# count line per second: well under one line per request.
check "c: the log grew by a bounded number of lines ($lines for 2000 requests)" \
    '[ "$lines" -ge 1 ] && [ "$lines" -le 400 ] &&
     [ "$held" -ge $((2000 - lines)) ]'
"$gnode" -S "$tmp/H/sock" stats > "$tmp/stats.txt" 2>/dev/null
check "c: stats (text) shows the HTTP refusals ($(grep '^http' "$tmp/stats.txt"))" \
    'grep -Eq "^http +[0-9]+ requests?, $r1 refused$" "$tmp/stats.txt"'

# A peer that sends a descriptor announcing 1 MiB gets Bye 400: counted.
b0=$(g H stats | json byes_bad)
out=$("$netpeer" bigdesc 127.0.0.131 "$port" 127.0.0.134 2>&1)
check "c: an oversized descriptor gets Bye 400 ($out), counted in stats (byes_bad $b0 -> $(g H stats | json byes_bad))" \
    '[ "$out" = "bye 400" ] && [ "$(g H stats | json byes_bad)" -eq $((b0 + 1)) ]'

# --- d) X-Try-Ultrapeers names only hosts the node checked ----------------

echo "# d) X-Try-Ultrapeers"
# A peer that names another host as its own (Node: 127.0.0.99, from
# 127.0.0.134), and an honest one (netpeer names its socket's address).
printf 'GNUTELLA CONNECT/0.6\nNode: 127.0.0.99:%s\nUser-Agent: liar/1\nX-Ultrapeer: True\n\n\fGNUTELLA/0.6 200 OK\n\n' \
    "$port" | crlf > "$tmp/liar.req"
"$netpeer" raw 127.0.0.131 "$port" 127.0.0.134 1 < "$tmp/liar.req" \
    > "$tmp/liar.out" 2>&1 &
pids="$pids $!"
"$netpeer" hold 127.0.0.131 "$port" 127.0.0.135 8 > "$tmp/hold.out" 2>&1 &
pids="$pids $!"
peers_up() {
	[ "$(g H stats | json peers)" = 2 ]
}
check "d: both peers are up at H" 'wait_until 8 peers_up'
printf 'GNUTELLA CONNECT/0.6\nUser-Agent: probe/1\nX-Ultrapeer: False\n\nGNUTELLA/0.6 503 Just looking\n\n' |
    crlf > "$tmp/probe.req"
raw probe 136
try=$(sed -n 's/^X-Try-Ultrapeers: *//p' "$tmp/probe.out")
info "X-Try-Ultrapeers to a third peer: $try"
check "d: it names the honest peer and not the host the liar named" \
    'echo "$try" | tr , "\n" | grep -q "^127\.0\.0\.135:" &&
     ! echo "$try" | grep -q "127\.0\.0\.99"'

stop H TERM
rc=$?
check "SIGTERM stops H with exit 0 (got $rc)" '[ $rc -eq 0 ]'
exit $fail
