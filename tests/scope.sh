#!/bin/sh
# tests/scope.sh: the addresses a node may dial. Peers feed two nodes
# addresses outside their scope through X-Try-Ultrapeers (in a handshake
# and in a 503), Pongs and the saved host cache, and strace counts every
# connect() the nodes make:
#  - a node on 127.0.0.2 connects to nothing outside 127.0.0.0/8, keeps no
#    such address (nor a bogon) in its host cache nor offers one in its
#    X-Try-Ultrapeers, refuses `connect` to one and counts it in `stats`;
#  - a node on the private 10.9.9.1 with [net] scope = 100.64.0.0/10
#    dials the private ranges and that scope but no public address, and
#    keeps no loopback address a private peer named;
#  - a host that refuses connections (asynchronously, on loopback) and one
#    whose connect fails at once (no route) are retried with growing gaps.
# It feeds nodes non-loopback addresses, so it runs inside a network
# namespace of its own (unshare --net) where only lo is up and nothing
# can leave the machine; it skips (77) where that is not possible.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}

if [ -z "${GNODE_SCOPE_NS:-}" ]; then
	for t in unshare strace ip; do
		if ! command -v "$t" >/dev/null 2>&1; then
			echo "SKIP: $t not found"
			exit 77
		fi
	done
	# As root, or as a user with user namespaces (-r).
	if unshare --net true 2>/dev/null; then
		ns="unshare --net"
	elif unshare -r --net true 2>/dev/null; then
		ns="unshare -r --net"
	else
		echo "SKIP: unshare --net is not permitted here"
		exit 77
	fi
	GNODE_SCOPE_NS=1
	export GNODE_SCOPE_NS top_srcdir
	# shellcheck disable=SC2016
	exec $ns sh -c 'ip link set lo up &&
	    ip addr add 10.9.9.1/32 dev lo &&
	    ip addr add 10.9.9.2/32 dev lo || exit 77
	    exec sh "$0"' "$0"
fi

. "$top_srcdir/tests/lib.sh"
need_loopback 2 20
if ! strace -f -qq -e trace=connect -o /dev/null true 2>/dev/null; then
	echo "SKIP: strace cannot trace here (ptrace not permitted)"
	exit 77
fi
setup_tmp

# strace_start NAME: the node under strace, every connect() to NAME/strace.
strace_start() {
	echo "=== start $(date '+%T')" >> "$tmp/$1/log"
	# LeakSanitizer cannot run under ptrace: it would fail the exit.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    strace -f -qq -e trace=connect -o "$tmp/$1/strace" \
	    "$gnode" --headless -c "$tmp/$1/conf" >/dev/null 2>>"$tmp/$1/log" &
	pids="$pids $!"
	eval "strace_$1=$!"
}
# node_pid NAME: the node's own pid (strace's child), from its pid file.
node_pid() {
	cat "$tmp/$1/pid" 2>/dev/null
}
# strace_stop NAME: TERM the node, then wait (bounded) for strace to end.
strace_stop() {
	_p=$(node_pid "$1")
	[ -n "$_p" ] && kill -TERM "$_p" 2>/dev/null
	eval "_sp=\$strace_$1"
	_e=$(($(now) + 15))
	while kill -0 "$_sp" 2>/dev/null && [ "$(now)" -lt $_e ]; do
		sleep 0.1
	done
	kill -0 "$_sp" 2>/dev/null && kill -9 "$_sp" 2>/dev/null
	wait "$_sp" 2>/dev/null
	forget "$_sp"
}
# connects NAME: the IPv4 addresses NAME's node called connect() on, one
# line per call.
connects() {
	sed -n 's/.*sin_addr=inet_addr("\([0-9.]*\)").*/\1/p' "$tmp/$1/strace"
}
# hosts NAME: the addresses in NAME's host cache, one a line.
hosts() {
	"$gnode" -S "$tmp/$1/sock" hosts 2>/dev/null |
	    awk '$1 ~ /^[0-9.]+:[0-9]+$/ { print $1 }'
}
has_host() {
	grep -qx "$2" "$tmp/$1.hosts"
}
stat_of() {
	g "$1" stats | "$netpeer" json "$2"
}

far="8.8.8.8:6346,10.1.2.3:6346,224.0.0.1:6346,169.254.1.1:6346"
far="$far,0.1.2.3:6346,240.1.1.1:6346,255.255.255.255:6346,1.2.3.4:6346"

# --- a: loopback node ---------------------------------------------------------
mkdir -p "$tmp/a"
{
	node_section "$tmp/a" 2
	printf '[net]\nmin_peers = 3\nping_interval = 1\n'
	printf 'seed = 127.0.0.3:%s\n' "$port"	# the refusing peer
	printf 'seed = 127.0.0.9:%s\n' "$port"	# nobody: connect refused
	printf 'seed = 8.8.8.8:6346\n'			# outside: never dialled
} > "$tmp/a/conf"

# --- b: private node, scope 100.64.0.0/10 -------------------------------------
mkdir -p "$tmp/b"
{
	node_section "$tmp/b" 2 | sed "s/127\.0\.0\.2:/10.9.9.1:/"
	printf '[net]\nmin_peers = 3\nping_interval = 1\n'
	printf 'scope = 100.64.0.0/10\n'
	printf 'seed = 100.64.1.1:6346\n'	# in scope, no route: fails at once
	printf 'seed = 9.9.9.9:6346\n'		# public: never dialled
} > "$tmp/b/conf"

# The peer a dials: it turns the handshake down with X-Try-Ultrapeers.
"$netpeer" -H "X-Try-Ultrapeers: $far,127.0.0.10:$port" \
    refuse 127.0.0.3 "$port" 30 > "$tmp/refuse.out" 2>&1 &
pids="$pids $!"
strace_start a
strace_start b
t0=$(now)
check "node a answers" 'wait_until 20 answers a'
check "node b answers" 'wait_until 20 answers b'

# Peers that connect to each node: X-Try in their handshake, outside
# addresses in their pongs, and one loopback host each to show that the
# node learns what it may.
"$netpeer" -H "X-Try-Ultrapeers: $far,127.0.0.11:$port" \
    -H "X-Try: 9.8.7.6:6346" \
    -P 1.1.1.1:6346 -P 10.2.2.2:6346 -P 239.1.1.1:6346 -P 169.254.9.9:6346 \
    -P 0.0.0.7:6346 -P "127.0.0.12:$port" \
    hold 127.0.0.2 "$port" 127.0.0.4 22 > "$tmp/hold-a.out" 2>&1 &
pids="$pids $!"
hold_a=$!
"$netpeer" \
    -H "X-Try-Ultrapeers: 8.8.8.8:6346,192.168.5.5:6346,127.0.0.13:$port,100.64.2.2:6346,224.0.0.9:6346" \
    -P "127.0.0.14:$port" -P 172.16.3.3:6346 -P 9.9.9.8:6346 \
    -P 169.254.1.2:6346 \
    hold 10.9.9.1 "$port" 10.9.9.2 22 > "$tmp/hold-b.out" 2>&1 &
pids="$pids $!"
hold_b=$!

# told NAME HOST...: NAME's host cache holds every HOST.
told() {
	_t_n=$1
	shift
	hosts "$_t_n" > "$tmp/$_t_n.hosts"
	for _t_h; do
		has_host "$_t_n" "$_t_h" || return 1
	done
}
check "a is told the loopback hosts (X-Try in a 503, a handshake, a pong)" \
    'wait_until 15 told a "127.0.0.10:$port" "127.0.0.11:$port" "127.0.0.12:$port"'
check "b is told its private and scope hosts" \
    'wait_until 15 told b 192.168.5.5:6346 100.64.2.2:6346 172.16.3.3:6346'

# A user's connect outside the scope: an error, counted, no connect().
out=$("$gnode" -S "$tmp/a/sock" connect 1.2.3.4:6346 2>&1)
check "connect 1.2.3.4 from a loopback node says it is outside the scope" \
    'echo "$out" | grep -q "outside this node.s scope"'
check "stats counts the dial refused by scope" \
    '[ "$(stat_of a dial_scope)" -ge 1 ]'
check "stats counts failed dials" '[ "$(stat_of a dial_failed)" -ge 1 ]'

# Let the failing hosts be retried for a while: 20 s from the start.
while [ $(($(now) - t0)) -lt 20 ]; do sleep 0.5; done
hosts a > "$tmp/a.hosts"
hosts b > "$tmp/b.hosts"
n_lo=$(connects a | grep -cx 127.0.0.9)
n_far=$(connects b | grep -cx 100.64.1.1)
info "a: $(connects a | wc -l) connects, $n_lo to 127.0.0.9 in 20 s;" \
    "b: $(connects b | wc -l) connects, $n_far to 100.64.1.1"

check "a called connect() on loopback hosts" \
    'connects a | grep -q "^127\.0\.0\.3$"'
check "a called connect() on nothing outside 127.0.0.0/8" \
    '! connects a | grep -qv "^127\."'
check "a keeps no host outside 127.0.0.0/8" '! grep -qv "^127\." "$tmp/a.hosts"'
check "a's host cache holds what it may dial" \
    'has_host a "127.0.0.10:$port" && has_host a "127.0.0.12:$port"'
check "b called connect() on its scope" \
    'connects b | grep -q "^100\.64\.1\.1$"'
check "b called connect() on no public address" \
    '! connects b | grep -Ev "^(127|10)\.|^192\.168\.|^172\.(1[6-9]|2[0-9]|3[01])\.|^100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\." | grep -q .'
check "b keeps no public host, no bogon, no loopback host a peer named" \
    '! grep -E "^(8\.8\.8\.8|9\.9\.9\.[89]|224\.|169\.254\.|127\.)" "$tmp/b.hosts" | grep -q .'
check "b keeps its seed in scope and the private hosts it heard" \
    'has_host b 100.64.1.1:6346 && has_host b 192.168.5.5:6346'
check "a offers X-Try-Ultrapeers when it dials" 'grep -q "^try " "$tmp/refuse.out"'
check "a offers no address outside 127.0.0.0/8 in X-Try-Ultrapeers" \
    '! sed -n "s/^try //p" "$tmp/refuse.out" | tr -d " " | tr , "\n" |
    grep -v "^127\." | grep -q .'
check "a warns that its seed 8.8.8.8 is outside its scope" \
    'grep -q "seed 8.8.8.8:6346 is outside" "$tmp/a/log"'
# Doubling from 2 s: tries at 0, 2, 6, 14 s; a flat 2 s would be 10.
check "a refused host is retried, with growing gaps ($n_lo tries)" \
    '[ "$n_lo" -ge 2 ] && [ "$n_lo" -le 5 ]'
check "a host failing at once is retried, with growing gaps ($n_far tries)" \
    '[ "$n_far" -ge 2 ] && [ "$n_far" -le 5 ]'

kill "$hold_a" "$hold_b" 2>/dev/null
wait "$hold_a" "$hold_b" 2>/dev/null
forget "$hold_a"
forget "$hold_b"
strace_stop a
strace_stop b

# --- the saved host cache: outside rows written behind a's back are not read.
db=$tmp/a/data/gnode.db
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 "$db" "INSERT OR REPLACE INTO hosts VALUES
	    (134744072, 6346, 1, 0), (3758096385, 6346, 1, 0),
	    (167837954, 6346, 1, 0), (2130706452, $port, 1, 0);"
	# 8.8.8.8, 224.0.0.1, 10.1.1.2 and 127.0.0.20
	strace_start a
	check "node a answers again" 'wait_until 20 answers a'
	hosts a > "$tmp/a.hosts"
	check "a reads its loopback hosts back from the saved cache" \
	    'has_host a "127.0.0.20:$port"'
	check "a reads no outside host from the saved cache" \
	    '! grep -qv "^127\." "$tmp/a.hosts"'
	strace_stop a
	check "a called connect() on nothing outside 127.0.0.0/8 after the reload" \
	    '! connects a | grep -qv "^127\."'
else
	info "no sqlite3: the saved-cache check is left out"
fi
exit "$fail"
