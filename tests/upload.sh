#!/bin/sh
# upload.sh: a real gnode node serving its shared files over HTTP on its
# one port, fetched with curl (and with tests/net/netpeer for the clients
# curl will not play). Scenarios:
#   a) GET by URN and by /get/INDEX/NAME give the whole file; a range gives
#      the slice (206); HEAD has the headers and no body; requests reuse
#      one connection; 416, 400 (traversal, bad base32), 404 (wrong name,
#      unknown URN), 501 for DELETE and a POST first line; the THEX tree as DIME;
#   b) a 1 MiB request head gets 431 and a close;
#   c) 200 clients that never finish their request head each get 408 and
#      a close, and a normal download works while they hang;
#   d) upload_slots = 1: with the slot held, X-Queue gets 503 Queued (PARQ)
#      and no X-Queue 503 Busy; once the slot is free the queued client,
#      retrying with its ID, is served; uploads --json counts it all; a
#      queued client that went away holds no free slot back.
# Every wait is a bounded poll on a condition; no duration is asserted.
# GNODE_TEST_KEEP=1 keeps the temporary directory (configs, logs).
# shellcheck disable=SC2016,SC2317
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
if ! command -v curl >/dev/null 2>&1; then
	echo "SKIP: no curl"
	exit 77
fi
need_loopback 30 35
# After a failure, the logs without the lines of the 200 hung clients.
log_tail() {
	grep -v "408, no request head\|closed: flushed" "$1" |
	    tail -n 40
}
setup_tmp

# reap PID SECONDS: wait (bounded) for a child of ours to exit; its exit
# status, or 255 if it had to be killed.
reap() {
	_r_end=$(($(now) + $2))
	while kill -0 "$1" 2>/dev/null && [ "$(now)" -lt $_r_end ]; do
		sleep 0.1
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -9 "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		forget "$1"
		return 255
	fi
	wait "$1"
	_r_rc=$?
	forget "$1"
	return $_r_rc
}

# --- nodes -------------------------------------------------------------------

# mknode NAME LAST_OCTET UPLOAD_SLOTS: a data dir, an empty share, a config.
mknode() {
	_m_d=$tmp/$1
	mkdir -p "$_m_d/data" "$_m_d/share"
	{
		node_section "$_m_d" "$2"
		printf '[net]\n'
		printf 'min_peers = 0\n'
		printf 'max_peers = 4\n'
		# c) opens 200 at once from one address, faster than the
		# node reads their first bytes: the handshake bound is
		# hsbounds.sh's to test, not this one's.
		printf 'handshakes_per_addr = 1024\nhandshakes_max = 1024\n'
		# a) and b) send bad requests (501, 431) from the address
		# the good ones come from: the ban is hostile.sh's to test.
		printf 'ban_after = 0\n'
		printf '[share]\n'
		printf 'dir = %s\n' "$_m_d/share"
		printf '[xfer]\n'
		printf 'upload_slots = %s\n' "$3"
	} > "$_m_d/conf"
}
# stop NAME SIGNAL (not the one of lib.sh: on reap): signal the node and
# wait (bounded) for it to exit; returns its exit status, 255 if killed.
stop() {
	_s_pid=$(pid_of "$1")
	[ -n "$_s_pid" ] || return 255
	kill -"$2" "$_s_pid" 2>/dev/null
	reap "$_s_pid" 15
	_s_rc=$?
	eval "pid_$1="
	return $_s_rc
}
# up NAME FIELD: one number from the node's uploads --json.
up() {
	g "$1" uploads | json "$2"
}
up_is() {
	[ "$(up "$1" "$2")" = "$3" ]
}

# --- HTTP ----------------------------------------------------------------------

# No proxy from the environment; per-transfer curl options: bounded.
no_proxy='*'
NO_PROXY='*'
export no_proxy NO_PROXY
copt="--max-time 20"
# get TAG CURL_ARGS...: one curl run (no ~/.curlrc) with the response head
# in $tmp/TAG.hdr, the body in $tmp/TAG.body, curl's stderr (-v when
# asked for) in $tmp/TAG.err; prints the status code.
get() {
	_c_t=$tmp/$1
	shift
	# shellcheck disable=SC2086
	curl -q -sS $copt -D "$_c_t.hdr" -o "$_c_t.body" -w '%{http_code}' \
	    "$@" 2>"$_c_t.err"
}
# hdr TAG NAME: the value of header NAME in $tmp/TAG.hdr (the first one).
hdr() {
	tr -d '\r' < "$tmp/$1.hdr" | awk -v h="$2" '
	    index(tolower($0), tolower(h) ":") == 1 {
		sub(/^[^:]*:[ \t]*/, ""); print; exit }'
}
# statusline TAG: the first line of $tmp/TAG.hdr.
statusline() {
	head -n 1 "$tmp/$1.hdr" | tr -d '\r'
}
same_file() {
	cmp -s "$1" "$2" && [ "$(sha1 "$1")" = "$(sha1 "$2")" ]
}

# --- a) node A: whole files, ranges, HEAD, keep-alive, errors, THEX ----------

echo "# a) serving files"
mknode A 30 4
aurl=http://127.0.0.30:$port
big=big-$rnd.bin
small="small note $rnd.txt"
head -c 3145728 /dev/urandom > "$tmp/A/share/$big"
printf 'a small shared file, %s\n' "$rnd" > "$tmp/A/share/$small"
size=$(wc -c < "$tmp/A/share/$big" | tr -d ' ')
ssize=$(wc -c < "$tmp/A/share/$small" | tr -d ' ')
start A
check "a: A answers its control socket" 'wait_until 15 answers A'
if [ "$fail" -ne 0 ]; then
	echo "Bail out: the node does not start"
	exit 1
fi
check "a: A scanned and hashed its share (files 2)" 'wait_until 30 scanned A 2'
g A share list > "$tmp/A-share.json"
idx=$(json "files[name=$big].index" < "$tmp/A-share.json")
urn=$(json "files[name=$big].urn" < "$tmp/A-share.json")
sidx=$(json "files[name=$small].index" < "$tmp/A-share.json")
info "$big: index $idx, $urn; '$small': index $sidx"
check "a: share list gives both files an index and $big a SHA-1 URN" \
    'echo "$idx $sidx" | grep -Eq "^[0-9]+ [0-9]+$" &&
     echo "$urn" | grep -Eq "^urn:sha1:[A-Z2-7]{32}$"'
served=0	# what A should count: bodies sent, requests refused
refused=0
sent=0

code=$(get urn "$aurl/uri-res/N2R?$urn")
served=$((served + 1)) sent=$((sent + size))
check "a: GET /uri-res/N2R?$urn: 200 (got $code)" '[ "$code" = 200 ]'
check "a: ... the body is the file (cmp, sha1sum)" \
    'same_file "$tmp/urn.body" "$tmp/A/share/$big"'
check "a: ... Content-Length $size" '[ "$(hdr urn Content-Length)" = "$size" ]'
check "a: ... X-Gnutella-Content-URN is the file's URN" \
    '[ "$(hdr urn X-Gnutella-Content-URN)" = "$urn" ]'
thex=$(hdr urn X-Thex-URI)
check "a: ... X-Thex-URI is /uri-res/N2X?URN;TTH ($thex)" \
    'echo "$thex" | grep -Eq "^/uri-res/N2X\?$urn;[A-Z2-7]{39}$"'

code=$(get byidx "$aurl/get/$idx/$big")
served=$((served + 1)) sent=$((sent + size))
check "a: GET /get/$idx/$big: 200 (got $code), the body is the file" \
    '[ "$code" = 200 ] && same_file "$tmp/byidx.body" "$tmp/A/share/$big"'
sname=$(printf '%s' "$small" | sed 's/ /%20/g')
code=$(get small "$aurl/get/$sidx/$sname")
served=$((served + 1)) sent=$((sent + ssize))
check "a: GET /get/$sidx/$sname (a name with spaces): 200 (got $code), the file" \
    '[ "$code" = 200 ] && same_file "$tmp/small.body" "$tmp/A/share/$small"'

# An odd range across the first MiB boundary.
first=1048571
last=1118573
dd if="$tmp/A/share/$big" of="$tmp/slice" bs=1 skip=$first \
    count=$((last - first + 1)) 2>/dev/null
code=$(get range -r "$first-$last" "$aurl/uri-res/N2R?$urn")
served=$((served + 1)) sent=$((sent + last - first + 1))
check "a: Range bytes=$first-$last: 206 (got $code)" '[ "$code" = 206 ]'
check "a: ... Content-Range bytes $first-$last/$size ($(hdr range Content-Range))" \
    '[ "$(hdr range Content-Range)" = "bytes $first-$last/$size" ]'
check "a: ... Content-Length $((last - first + 1)), the body is the slice (dd)" \
    '[ "$(hdr range Content-Length)" = $((last - first + 1)) ] &&
     same_file "$tmp/range.body" "$tmp/slice"'

# HEAD, then a GET on the same connection: had the HEAD answer carried a
# body, the GET's answer would not parse as the file.
# shellcheck disable=SC2086
curl -q -sS -v $copt -I -D "$tmp/head.hdr" -o "$tmp/head.body" \
    "$aurl/get/$idx/$big" --next $copt -D "$tmp/after.hdr" \
    -o "$tmp/after.body" "$aurl/uri-res/N2R?$urn" 2>"$tmp/head.err"
rc=$?
served=$((served + 1)) sent=$((sent + size))
check "a: HEAD: 200 with Content-Length $size (curl rc $rc)" \
    '[ $rc -eq 0 ] && [ "$(statusline head)" = "HTTP/1.1 200 OK" ] &&
     [ "$(hdr head Content-Length)" = "$size" ]'
check "a: ... no body: a GET on the same connection gets the whole file" \
    'grep -q "Re-using existing connection" "$tmp/head.err" &&
     [ "$(statusline after)" = "HTTP/1.1 200 OK" ] &&
     same_file "$tmp/after.body" "$tmp/A/share/$big"'

# Two URLs in one curl run, from an address of their own (.34), so the
# node's log shows which connection served them.
# shellcheck disable=SC2086
curl -q -sS -v $copt --interface 127.0.0.34 -o "$tmp/ka1.body" \
    -o "$tmp/ka2.body" "$aurl/get/$sidx/$sname" "$aurl/uri-res/N2R?$urn" \
    2>"$tmp/ka.err"
rc=$?
served=$((served + 2)) sent=$((sent + ssize + size))
check "a: two URLs in one curl run: both files (curl rc $rc)" \
    '[ $rc -eq 0 ] && same_file "$tmp/ka1.body" "$tmp/A/share/$small" &&
     same_file "$tmp/ka2.body" "$tmp/A/share/$big"'
check "a: ... curl re-used its connection" \
    'grep -q "Re-using existing connection" "$tmp/ka.err"'
kaconns=$(grep "info: http [0-9]* 127.0.0.34: GET" "$tmp/A/log" |
    awk '{ print $4 }' | sort | uniq -c | awk '{ print $2 ":" $1 }' |
    tr '\n' ' ')
check "a: ... the node's log shows one connection serving both (${kaconns% })" \
    '[ "${kaconns% }" != "" ] && echo "${kaconns% }" | grep -Eq "^[0-9]+:2$"'

code=$(get r416 -r "$size-$((size + 10))" "$aurl/get/$idx/$big")
refused=$((refused + 1))
check "a: a range past the end: 416 (got $code), Content-Range bytes */$size" \
    '[ "$code" = 416 ] && [ "$(hdr r416 Content-Range)" = "bytes */$size" ]'
code=$(get trav --path-as-is "$aurl/get/$idx/../../etc/passwd")
refused=$((refused + 1))
check "a: GET /get/$idx/../../etc/passwd: 400 (got $code)" '[ "$code" = 400 ]'
code=$(get trav2 "$aurl/get/$idx/..%2F..%2Fetc%2Fpasswd")
refused=$((refused + 1))
check "a: GET /get/$idx/..%2F..%2Fetc%2Fpasswd: 400 (got $code)" \
    '[ "$code" = 400 ]'
code=$(get b32 "$aurl/uri-res/N2R?urn:sha1:0000000000000000000000000000000I")
refused=$((refused + 1))
check "a: a URN that is not base32: 400 (got $code)" '[ "$code" = 400 ]'
code=$(get wrongname "$aurl/get/$idx/not-$big")
refused=$((refused + 1))
check "a: GET /get/$idx/ with another file's name: 404 (got $code)" \
    '[ "$code" = 404 ]'
code=$(get unknown "$aurl/uri-res/N2R?urn:sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
refused=$((refused + 1))
check "a: a URN nobody shares: 404 (got $code)" '[ "$code" = 404 ]'

# Another method is only HTTP on a connection that started as HTTP: a
# DELETE after a GET on one connection.
# shellcheck disable=SC2086
curl -q -sS -v $copt -o /dev/null "$aurl/get/$sidx/$sname" --next $copt \
    -X DELETE -D "$tmp/del.hdr" -o /dev/null "$aurl/get/$sidx/$sname" \
    2>"$tmp/del.err"
served=$((served + 1)) sent=$((sent + ssize))
refused=$((refused + 1))
check "a: DELETE after a GET on the same connection: 501 ($(statusline del))" \
    'grep -q "Re-using existing connection" "$tmp/del.err" &&
     statusline del | grep -q "^HTTP/1.1 501"'
# shellcheck disable=SC2086
curl -q -sS $copt --http0.9 -X POST -D "$tmp/post.hdr" -o "$tmp/post.out" \
    "$aurl/get/$idx/$big" 2>/dev/null
refused=$((refused + 1))
check "a: a first line that is no GET or HEAD: HTTP 501, not Gnutella ($(statusline post))" \
    'statusline post | grep -q "^HTTP/1.1 501 " && [ ! -s "$tmp/post.out" ]'

code=$(get thex "$aurl$thex")
served=$((served + 1))
thexlen=$(wc -c < "$tmp/thex.body" | tr -d ' ')
check "a: GET $thex: 200 (got $code), Content-Type application/dime" \
    '[ "$code" = 200 ] && [ "$(hdr thex Content-Type)" = application/dime ]'
check "a: ... Content-Length is the body's length ($thexlen)" \
    '[ "$thexlen" -gt 0 ] && [ "$(hdr thex Content-Length)" = "$thexlen" ]'
check "a: ... a DIME message (version 1, first record) whose XML has size $size" \
    '[ "$(od -An -N1 -tx1 "$tmp/thex.body" | tr -d " ")" = 0c ] &&
     grep -aq "<file size=\"$size\"" "$tmp/thex.body"'

# --- b) a request head that never ends -------------------------------------

echo "# b) a 1 MiB request head"
out=$("$netpeer" bighead 127.0.0.30 "$port" 127.0.0.32 2>&1)
rc=$?
info "bighead: $(echo "$out" | tr '\n' ' ')"
check "b: a 1 MiB request head: 431 and closed" \
    '[ $rc -eq 0 ] && echo "$out" | grep -q "^status HTTP/1.1 431 " &&
     echo "$out" | grep -qx closed'

# --- c) slow request heads ---------------------------------------------------

echo "# c) 200 request heads that never finish"
"$netpeer" slowhttp 127.0.0.30 "$port" 127.0.0.33 200 > "$tmp/slow.out" 2>&1 &
slowpid=$!
pids="$pids $slowpid"
check "c: 200 connections open, each with half a request head" \
    'wait_until 15 grep -qx "open 200" "$tmp/slow.out"' ||
    info "slowhttp: $(cat "$tmp/slow.out")"
code=$(get during "$aurl/uri-res/N2R?$urn")
served=$((served + 1)) sent=$((sent + size))
check "c: meanwhile a normal GET works: 200 (got $code), the whole file" \
    '[ "$code" = 200 ] && same_file "$tmp/during.body" "$tmp/A/share/$big"'
check "c: ... and it was done while the 200 still waited (no 408 yet)" \
    '! grep -q "^408 " "$tmp/slow.out" && kill -0 "$slowpid" 2>/dev/null'
reap "$slowpid" 45
rc=$?
info "slowhttp:" "$(tr '\n' ' ' < "$tmp/slow.out")"
check "c: every one got HTTP/1.1 408 and was closed (408 200/200)" \
    '[ $rc -eq 0 ] && grep -qx "408 200/200" "$tmp/slow.out"'
n408=$(grep -c "http [0-9]* 127.0.0.33: 408" "$tmp/A/log")
check "c: A's log has a 408 for each of them ($n408)" '[ "$n408" -eq 200 ]'

g A uploads > "$tmp/A-uploads.json"
info "A uploads: $(cat "$tmp/A-uploads.json")"
aserved=$(json served < "$tmp/A-uploads.json")
arefused=$(json refused < "$tmp/A-uploads.json")
abytes=$(json bytes < "$tmp/A-uploads.json")
# served counts the GETs answered with a body (the THEX tree too, not a
# HEAD); refused the requests answered 4xx/5xx (not the 431 and 408,
# which never were a request); bytes the file bytes sent.
check "a-c: uploads --json: served $served (got $aserved)" \
    '[ "$aserved" = "$served" ]'
check "a-c: uploads --json: refused $refused (got $arefused)" \
    '[ "$arefused" = "$refused" ]'
check "a-c: uploads --json: bytes $sent (got $abytes)" '[ "$abytes" = "$sent" ]'
check "a-c: A is still running and answers" \
    'kill -0 "$(pid_of A)" 2>/dev/null && answers A'
stop A TERM
rc=$?
check "a-c: SIGTERM stops A with exit 0 (got $rc)" '[ $rc -eq 0 ]'

# --- d) one upload slot: PARQ queue and busy -----------------------------------

echo "# d) upload_slots = 1"
mknode B 31 1
burl=http://127.0.0.31:$port
cp "$tmp/A/share/$big" "$tmp/B/share/$big"
start B
check "d: B answers" 'wait_until 15 answers B'
check "d: B scanned its share (files 1)" 'wait_until 30 scanned B 1'
check "d: B has 1 slot, none in use" 'up_is B slots 1 && up_is B active 0'
# The slot holder: curl writes the body into a FIFO that nobody reads
# yet, so it holds its connection (and the slot) until the test opens
# the FIFO. (curl --limit-rate does not hold it: curl 7.88 reads up to
# 100 buffers of the rate per wake-up, so the 3 MiB come at once.)
mkfifo "$tmp/fifo"
# shellcheck disable=SC2086
curl -q -sS $copt -o "$tmp/fifo" "$burl/get/1/$big" 2>"$tmp/hold.err" &
holdpid=$!
pids="$pids $holdpid"
check "d: a client holds B's one slot (uploads: active 1, $big)" \
    'wait_until 15 up_is B active 1 && up_is B "uploads[0].name" "$big"'
code=$(get q1 -H "X-Queue: 0.1" "$burl/uri-res/N2R?$urn")
xq=$(hdr q1 X-Queued)
qid=$(echo "$xq" | sed -n 's/.*ID=\([0-9A-Fa-f]*\).*/\1/p')
info "queued: $(statusline q1); X-Queued: $xq"
check "d: with X-Queue: 503 Queued" '[ "$(statusline q1)" = "HTTP/1.1 503 Queued" ]'
check "d: ... X-Queued: position=1; length=1; ETA; lifetime; ID" \
    'echo "$xq" | grep -Eq "^position=1; length=1; ETA=[0-9]+; lifetime=[0-9]+; ID=[0-9A-Fa-f]+$"'
check "d: ... and Retry-After ($(hdr q1 Retry-After))" \
    'hdr q1 Retry-After | grep -Eq "^[0-9]+$"'
code=$(get busy "$burl/uri-res/N2R?$urn")
check "d: without X-Queue: 503 Busy ($(statusline busy)), Retry-After ($(hdr busy Retry-After))" \
    '[ "$(statusline busy)" = "HTTP/1.1 503 Busy" ] &&
     hdr busy Retry-After | grep -Eq "^[0-9]+$" && [ -z "$(hdr busy X-Queued)" ]'
code=$(get q2 -H "X-Queue: 0.1" -H "X-Queued: position=1; ID=$qid" \
    "$burl/uri-res/N2R?$urn")
check "d: a retry with the ID while the slot is held keeps its place ($(hdr q2 X-Queued))" \
    '[ "$(statusline q2)" = "HTTP/1.1 503 Queued" ] &&
     hdr q2 X-Queued | grep -Eq "^position=1; .*ID=$qid$"'
check "d: uploads: active 1, queued 1" 'up_is B active 1 && up_is B queued 1'
cat "$tmp/fifo" > "$tmp/hold.body" &
catpid=$!
pids="$pids $catpid"
reap "$holdpid" 30
rc=$?
reap "$catpid" 10
check "d: the slot holder, let go, gets the whole file (curl rc $rc)" \
    '[ $rc -eq 0 ] && same_file "$tmp/hold.body" "$tmp/B/share/$big"' ||
    info "curl: $(cat "$tmp/hold.err")"
check "d: B frees the slot when that connection closes" \
    'wait_until 15 up_is B active 0'
code=$(get retry -H "X-Queue: 0.1" -H "X-Queued: position=1; ID=$qid" \
    "$burl/uri-res/N2R?$urn")
check "d: the retry echoing ID=$qid: 200 (got $code), the whole file" \
    '[ "$code" = 200 ] && same_file "$tmp/retry.body" "$tmp/B/share/$big"'
check "d: ... its queue entry is gone (queued 0), its slot freed on close" \
    'wait_until 15 up_is B active 0 && up_is B queued 0'
g B uploads > "$tmp/B-uploads.json"
info "B uploads: $(cat "$tmp/B-uploads.json")"
check "d: uploads --json: served 2, refused 3, bytes $((2 * size))" \
    '[ "$(json served < "$tmp/B-uploads.json")" = 2 ] &&
     [ "$(json refused < "$tmp/B-uploads.json")" = 3 ] &&
     [ "$(json bytes < "$tmp/B-uploads.json")" = $((2 * size)) ]'
# A queued client that goes away holds no slot back: q3 queues behind a
# held slot and never asks again; once the slot is free and q3 is late
# past twice its Retry-After, a newcomer (asking again with its own ID
# each second) is served, long before q3's place would expire.
mkfifo "$tmp/fifo2"
# shellcheck disable=SC2086
curl -q -sS $copt -o "$tmp/fifo2" "$burl/get/1/$big" 2>"$tmp/hold2.err" &
holdpid=$!
pids="$pids $holdpid"
check "d: a client holds the slot again" 'wait_until 15 up_is B active 1'
code=$(get q3 -H "X-Queue: 0.1" "$burl/uri-res/N2R?$urn")
check "d: q3 is queued first, then goes away" \
    'hdr q3 X-Queued | grep -q "^position=1;"'
ncid=""
newcomer() {
	if [ -n "$ncid" ]; then
		_n_c=$(get nc -H "X-Queue: 0.1" -H "X-Queued: position=2; ID=$ncid" \
		    "$burl/uri-res/N2R?$urn")
	else
		_n_c=$(get nc -H "X-Queue: 0.1" "$burl/uri-res/N2R?$urn")
	fi
	[ "$_n_c" = 200 ] && return 0
	ncid=$(hdr nc X-Queued | sed -n 's/.*ID=\([0-9A-Fa-f]*\).*/\1/p')
	sleep 1
	return 1
}
newcomer
check "d: a newcomer waits behind q3 while the slot is held" \
    'hdr nc X-Queued | grep -q "^position=2;"'
cat "$tmp/fifo2" > /dev/null &
catpid=$!
pids="$pids $catpid"
reap "$holdpid" 30
reap "$catpid" 10
check "d: ... and is served once q3 is overdue (q3 still queued)" \
    'wait_until 30 newcomer && same_file "$tmp/nc.body" "$tmp/B/share/$big"'
stop B TERM
rc=$?
check "d: SIGTERM stops B with exit 0 (got $rc)" '[ $rc -eq 0 ]'
exit $fail
