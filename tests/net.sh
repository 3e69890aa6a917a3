#!/bin/sh
# net.sh: real gnode nodes talking Gnutella over loopback. Each node has a
# loopback address of its own (127.0.0.2, .3, ...), all on one port, and is
# driven through its control socket (gnode -S). Scenarios:
#   a) five nodes bootstrapped from one seed find, by flood and by random
#      walk, a file that only the node farthest from the searcher shares;
#   b) a line of five nodes heals after its middle node is killed with -9,
#      and a node restarted without seeds finds peers from its saved cache;
#   c) garbage, an over-long header line, an oversized descriptor and
#      duplicate queries each get the right answer, and the node keeps its
#      good peer and its search service;
#   d) SIGTERM: exit 0, the peer sees it go, the pid file was right;
#   e) flow control: with a peer that stopped reading and another one
#      flooding fresh queries, the node drops queries to the stalled peer
#      (or closes it with Bye 502), never Byes the flooder, and keeps its
#      good peer and its search service;
#   f) SIGHUP: a seed added to the config is dialled and a file added to
#      the share is indexed, by the same process.
# Every wait is a bounded poll on a condition; no sleep is relied upon.
# GNODE_TEST_KEEP=1 keeps the temporary directory (configs, logs).
# shellcheck disable=SC2016,SC2317
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
need_loopback 2 27
setup_tmp
: > "$tmp/names"

# --- nodes -------------------------------------------------------------------

ip_of() {
	awk -v n="$1" '$2 == n { sub(/:.*/, "", $1); print $1 }' "$tmp/names"
}
addr_of() {
	echo "$(ip_of "$1"):$port"
}
# mknode NAME LAST_OCTET MIN_PEERS MAX_PEERS [SEED_NAME...]: a data dir,
# a share holding one decoy file, and a config.
mknode() {
	_m_n=$1
	_m_d=$tmp/$1
	echo "127.0.0.$2:$port $1" >> "$tmp/names"
	mkdir -p "$_m_d/data" "$_m_d/share"
	printf 'decoy file of node %s\n' "$_m_n" > "$_m_d/share/decoy-$_m_n.txt"
	{
		node_section "$_m_d" "$2"
		printf '[net]\n'
		printf 'min_peers = %s\n' "$3"
		printf 'max_peers = %s\n' "$4"
		printf 'compress = true\n'
		printf 'ping_interval = 1\n'
		printf 'idle_timeout = 10\n'
		shift 4
		for _m_s in "$@"; do
			printf 'seed = %s\n' "$(addr_of "$_m_s")"
		done
		printf '[search]\n'
		printf 'strategy = flood\n'
		printf 'ttl = 4\n'
		printf '[share]\n'
		printf 'dir = %s\n' "$_m_d/share"
	} > "$_m_d/conf"
}
# conf_net NAME LINE: add LINE to the node's config right under [net].
conf_net() {
	awk -v l="$2" '{ print } $0 == "[net]" { print l }' "$tmp/$1/conf" \
	    > "$tmp/$1/conf.new" && mv "$tmp/$1/conf.new" "$tmp/$1/conf"
}
# conf_set NAME KEY VALUE: change the value of a key the config has.
conf_set() {
	sed "s|^$2 = .*|$2 = $3|" "$tmp/$1/conf" > "$tmp/$1/conf.new" &&
	    mv "$tmp/$1/conf.new" "$tmp/$1/conf"
}
# The names of a node's established peers, sorted, on one line; an
# address that is no node's listening address shows as unknown:ADDR.
peer_names() {
	g "$1" peers | json 'peers[state=up].address' |
	    awk -v f="$tmp/names" '
		BEGIN { while ((getline l < f) > 0) { split(l, a, " "); n[a[1]] = a[2] } }
		{ print (($0 in n) ? n[$0] : "unknown:" $0) }' |
	    sort | tr '\n' ' ' | sed 's/ $//'
}
has_peer() {
	peer_names "$1" | tr ' ' '\n' | grep -qx "$2"
}
lacks_peer() {
	! has_peer "$1" "$2"
}
has_any_peer() {
	[ -n "$(peer_names "$1")" ]
}
all_have_peers() {
	for _a_n in "$@"; do
		has_any_peer "$_a_n" || return 1
	done
}
# graph NAMES...: the undirected edges among these nodes, from each one's
# peers list, into $tmp/edges.
graph() {
	: > "$tmp/edges"
	for _e_n in "$@"; do
		for _e_p in $(peer_names "$_e_n"); do
			case $_e_p in unknown:*) continue ;; esac
			echo "$_e_n $_e_p" >> "$tmp/edges"
			echo "$_e_p $_e_n" >> "$tmp/edges"
		done
	done
	sort -u -o "$tmp/edges" "$tmp/edges"
}
# bfs START: "NODE DISTANCE" for every node reached over $tmp/edges.
bfs() {
	_b_seen=" $1 "
	_b_front=$1
	_b_d=0
	echo "$1 0"
	while [ -n "$_b_front" ]; do
		_b_d=$((_b_d + 1))
		_b_next=""
		for _b_u in $_b_front; do
			for _b_v in $(awk -v u="$_b_u" '$1 == u { print $2 }' "$tmp/edges"); do
				case $_b_seen in *" $_b_v "*) continue ;; esac
				_b_seen="$_b_seen$_b_v "
				_b_next="$_b_next $_b_v"
				echo "$_b_v $_b_d"
			done
		done
		_b_front=$_b_next
	done
}
# connected NAMES...: every node has a peer and all are one component.
connected() {
	all_have_peers "$@" || return 1
	graph "$@"
	[ "$(bfs "$1" | wc -l)" -eq $# ]
}
# show_graph NAMES...: each node's neighbours in $tmp/edges.
show_graph() {
	for _s_n in "$@"; do
		info "$_s_n ($(addr_of "$_s_n")) peers:" "$(awk -v u="$_s_n" \
		    '$1 == u { printf "%s ", $2 }' "$tmp/edges")"
	done
}
# min_peers N NAMES...: every node has at least N peers.
min_peers() {
	_p_min=$1
	shift
	for _p_n in "$@"; do
		[ "$(peer_names "$_p_n" | wc -w)" -ge "$_p_min" ] || return 1
	done
}
all_scanned() {
	for _c_n in "$@"; do
		scanned "$_c_n" 1 || return 1
	done
}
# search NAME ARGS...: start a search, print its id.
search() {
	_q_n=$1
	shift
	g "$_q_n" search "$@" | json id
}
# found NAME ID FILE ADDR: search ID of node NAME has a result named FILE
# offered by ADDR.
found() {
	[ -n "$2" ] || return 1
	g "$1" results "$2" |
	    json "results[name=$3].sources[].address" | grep -qx "$4"
}
# find_again NAME SECONDS FILE ADDR ARGS...: a new search (with ARGS)
# every few seconds until one finds FILE at ADDR.
find_again() {
	_r_n=$1
	_r_end=$(($(now) + $2))
	_r_file=$3
	_r_addr=$4
	shift 4
	tries=0
	while [ "$(now)" -lt "$_r_end" ]; do
		tries=$((tries + 1))
		_r_id=$(search "$_r_n" "$@")
		if wait_until 5 found "$_r_n" "$_r_id" "$_r_file" "$_r_addr"; then
			return 0
		fi
	done
	return 1
}

# --- a) five nodes from one seed; flood and walk ------------------------------

echo "# a) five nodes bootstrapped from one seed"
mknode A 2 2 4
mknode B 3 2 4 A
mknode C 4 2 4 A
mknode D 5 2 4 A
mknode E 6 2 4 A
# E shares the file. The searcher is chosen below as a node farthest from
# E, which makes E a node farthest from the searcher.
zfile=zanzibar-farthest-$rnd.bin
rm -f "$tmp/E/share/decoy-E.txt"
head -c 4096 /dev/urandom > "$tmp/E/share/$zfile"
start A
check "a: seed node A answers its control socket" 'wait_until 15 answers A'
if [ "$fail" -ne 0 ]; then
	echo "Bail out: the node does not start"
	exit 1
fi
for n in B C D E; do start $n; done
check "a: B..E answer their control sockets" \
    'wait_until 15 answers B && wait_until 15 answers C &&
     wait_until 15 answers D && wait_until 15 answers E'
check "a: the five nodes form one connected overlay" \
    'wait_until 30 connected A B C D E'
check "a: every node reaches min_peers (2)" 'wait_until 30 min_peers 2 A B C D E'
check "a: every node scanned its share (scanning false, files 1)" \
    'wait_until 30 all_scanned A B C D E'
graph A B C D E
show_graph A B C D E
searcher=$(bfs E | sort -k2,2n | tail -n 1 | cut -d' ' -f1)
info "searcher $searcher, $(bfs E | awk -v s="$searcher" '$1 == s { print $2 }') hop(s) from the sharer E"
if [ "$searcher" = E ] || [ -z "$searcher" ]; then searcher=A; fi

id=$(search "$searcher" zanzibar)
check "a: flood search from $searcher starts (id '$id')" \
    'echo "$id" | grep -Eq "^[0-9]+$"'
check "a: flood search finds $zfile at E ($(addr_of E))" \
    'wait_until 30 found "$searcher" "$id" "$zfile" "$(addr_of E)"' ||
    info "results: $(g "$searcher" results "$id")"
g "$searcher" results "$id" > "$tmp/a-results.json"
check "a: no decoy file matches zanzibar" '! grep -q decoy "$tmp/a-results.json"'
tries=0
check "a: walk search from $searcher finds $zfile at E" \
    'find_again "$searcher" 30 "$zfile" "$(addr_of E)" -s walk zanzibar' &&
    info "walk search found it on try $tries"

for n in A B C D E; do kill -TERM "$(pid_of $n)"; done
for n in A B C D E; do
	stop $n TERM
	rc=$?
	check "a: SIGTERM stops $n with exit 0 (got $rc)" '[ $rc -eq 0 ]'
done

# --- b) a line of five; kill -9 in the middle --------------------------------

echo "# b) a line of five nodes, the middle one killed"
mknode F 7 1 1
mknode G 8 2 2 F
mknode H 9 2 2 G
mknode I 10 2 2 H
mknode J 11 1 1 I
qfile=quokka-line-$rnd.bin
rm -f "$tmp/J/share/decoy-J.txt"
head -c 4096 /dev/urandom > "$tmp/J/share/$qfile"
start F
check "b: F answers" 'wait_until 15 answers F'
prev=F
for n in G H I J; do
	start $n
	check "b: $n joins $prev" 'wait_until 30 has_peer $n $prev'
	prev=$n
done
line_ok() {
	[ "$(peer_names F)" = "G" ] && [ "$(peer_names G)" = "F H" ] &&
	    [ "$(peer_names H)" = "G I" ] && [ "$(peer_names I)" = "H J" ] &&
	    [ "$(peer_names J)" = "I" ]
}
check "b: the peers form the line F-G-H-I-J" 'wait_until 20 line_ok'
graph F G H I J
show_graph F G H I J
check "b: J scanned its share" 'wait_until 30 scanned J 1'
id=$(search F quokka)
check "b: a flood search from F finds $qfile at J, 4 hops away" \
    'wait_until 30 found F "$id" "$qfile" "$(addr_of J)"' ||
    info "results: $(g F results "$id")"

hpid=$(pid_of H)
kill -9 "$hpid"
wait "$hpid" 2>/dev/null
forget "$hpid"
eval "pid_H="
check "b: G sees H go after kill -9" 'wait_until 30 lacks_peer G H'
check "b: I sees H go after kill -9" 'wait_until 30 lacks_peer I H'
check "b: G and I connect to each other (hosts learned from pongs)" \
    'wait_until 45 has_peer G I' ||
    info "G's hosts: $(g G hosts)"
graph F G I J
show_graph F G I J
tries=0
check "b: F finds $qfile at J again" \
    'find_again F 30 "$qfile" "$(addr_of J)" quokka' &&
    info "found again on try $tries"

# Restart J (SIGTERM saves its host cache) with no seed at all. Only J's
# old slot at I is free (F, G are full, H is dead), so this shows J
# dialled a host it remembered, or was dialled back by I.
stop J TERM
rc=$?
check "b: SIGTERM stops J with exit 0 (got $rc)" '[ $rc -eq 0 ]'
check "b: I sees J go" 'wait_until 30 lacks_peer I J'
sed '/^seed/d' "$tmp/J/conf" > "$tmp/J/conf.new" && mv "$tmp/J/conf.new" "$tmp/J/conf"
check "b: J's config has no seed any more" '! grep -q "^seed" "$tmp/J/conf"'
start J
check "b: J answers after the restart" 'wait_until 15 answers J'
g J hosts > "$tmp/J-hosts.json"
check "b: J's host cache survived the restart (it lists I)" \
    'json "hosts[].address" < "$tmp/J-hosts.json" | grep -qx "$(addr_of I)"'
check "b: J, without seeds, connects again (to I)" 'wait_until 30 has_peer J I'

for n in F G I J; do kill -TERM "$(pid_of $n)"; done
for n in F G I J; do stop $n TERM; done

# --- c) bad input against a node with a good peer -----------------------------

echo "# c) hostile input"
mknode K 12 1 8
mknode L 13 1 8 K
kfile=kestrel-survivor-$rnd.bin
head -c 4096 /dev/urandom > "$tmp/K/share/$kfile"
start K
check "c: K answers" 'wait_until 15 answers K'
start L
check "c: K and L connect" 'wait_until 30 has_peer K L && wait_until 30 has_peer L K'
check "c: K scanned its share" 'wait_until 30 scanned K 2'
kaddr=$(ip_of K)

# A quiet, well-behaved peer stays connected through all of it.
"$netpeer" hold "$kaddr" "$port" 127.0.0.24 8 > "$tmp/hold.out" 2>&1 &
holdpid=$!
pids="$pids $holdpid"

out=$("$netpeer" garbage "$kaddr" "$port" 127.0.0.20 2>&1)
rc=$?
info "garbage: $out"
check "c: garbage instead of a handshake: closed (or 400 and closed)" \
    '[ $rc -eq 0 ] && case $out in closed|"status "*" 400"*) true ;; *) false ;; esac'
out=$("$netpeer" longline "$kaddr" "$port" 127.0.0.21 2>&1)
rc=$?
info "longline: $out"
check "c: a 4000-byte header line: 413 and closed" \
    '[ $rc -eq 0 ] && case $out in "status GNUTELLA/0.6 413"*) true ;; *) false ;; esac'
out=$("$netpeer" bigdesc "$kaddr" "$port" 127.0.0.22 2>&1)
rc=$?
info "bigdesc: $out"
check "c: a descriptor announcing 1 MiB: Bye 400 and closed" \
    '[ $rc -eq 0 ] && [ "$out" = "bye 400" ]'
out=$("$netpeer" dups "$kaddr" "$port" 127.0.0.23 2>&1)
rc=$?
info "dups: $out"
check "c: the same query over and over: Bye 401 and closed" \
    '[ $rc -eq 0 ] && [ "$out" = "bye 401" ]'

check "c: K is still running" 'kill -0 "$(pid_of K)" 2>/dev/null'
check "c: K still has L as a peer" 'has_peer K L'
id=$(search L kestrel)
check "c: a search from L still finds $kfile at K" \
    'wait_until 30 found L "$id" "$kfile" "$(addr_of K)"' ||
    info "results: $(g L results "$id")"
wait "$holdpid"
rc=$?
forget "$holdpid"
info "hold: $(cat "$tmp/hold.out")"
check "c: a quiet peer stayed connected meanwhile" \
    '[ $rc -eq 0 ] && grep -q "^held" "$tmp/hold.out"'

# --- d) SIGTERM -----------------------------------------------------------

echo "# d) SIGTERM"
check "d: L's pid file holds its pid" \
    '[ "$(cat "$tmp/L/pid" 2>/dev/null)" = "$(pid_of L)" ]'
stop L TERM
rc=$?
check "d: SIGTERM stops L with exit 0 (got $rc)" '[ $rc -eq 0 ]'
check "d: K sees L leave" 'wait_until 15 lacks_peer K L'
info "K's log on L's Bye:" "$(grep -i bye "$tmp/K/log" | grep "$(ip_of L):" | tail -n 1)"
if [ -e "$tmp/L/pid" ]; then
	info "L left its pid file behind"
else
	echo "ok: d: L removed its pid file"
fi
stop K TERM
rc=$?
check "d: SIGTERM stops K (no peers left) with exit 0 (got $rc)" '[ $rc -eq 0 ]'

# --- e) flow control: a stalled peer and a flood ------------------------------

echo "# e) flow control"
# N's send queue is as small as the config allows (16k): past 8k, queries
# to a peer are dropped; past 16k, the peer gets Bye 502. No compression,
# so the raw peers read what N sends as it is.
mknode N 15 1 8
mknode O 16 1 8 N
conf_net N 'send_queue = 16k'
conf_set N compress false
conf_set O compress false
nfile=nightjar-flow-$rnd.bin
head -c 4096 /dev/urandom > "$tmp/N/share/$nfile"
start N
check "e: N answers" 'wait_until 15 answers N'
start O
check "e: N and O connect" 'wait_until 30 has_peer N O && wait_until 30 has_peer O N'
check "e: N scanned its share" 'wait_until 30 scanned N 2'
naddr=$(ip_of N)

# A peer with a 2 KiB receive buffer that reads nothing (it writes a ping
# now and then, so no idle timeout applies). It prints the address N
# lists it under.
"$netpeer" stall "$naddr" "$port" 127.0.0.26 60 > "$tmp/stall.out" 2>&1 &
stallpid=$!
pids="$pids $stallpid"
saddr=""
stall_listed() {
	saddr=$(sed -n 's/^up //p' "$tmp/stall.out")
	[ -n "$saddr" ] &&
	    [ "$(g N peers | json "peers[address=$saddr].state")" = up ]
}
check "e: N lists the stalled peer as up" 'wait_until 15 stall_listed' ||
    info "stall: $(cat "$tmp/stall.out")"
# The flood: fresh queries, TTL 2, which N relays to O and to the stalled
# peer. N's kernel send buffer to the stalled peer (autotuned, up to
# net.ipv4.tcp_wmem's maximum) takes megabytes before N's own queue for
# it grows at all, so flood in rounds until that queue is full and N drops
# more queries to the stalled peer than to O (each read of N relays a
# batch of queries before anything is flushed, so with a 16k queue some
# are dropped to every peer, O too).
ndrops() {
	g N peers > "$tmp/N-peers.json"
	sdrop=$(json "peers[address=$saddr].dropped" < "$tmp/N-peers.json")
	squeued=$(json "peers[address=$saddr].queued" < "$tmp/N-peers.json")
	odrop=$(json "peers[address=$(addr_of O)].dropped" < "$tmp/N-peers.json")
}
flood_ok=1
round=0
while [ "$round" -lt 6 ]; do
	round=$((round + 1))
	out=$("$netpeer" flood "$naddr" "$port" 127.0.0.27 100000 2>&1)
	rc=$?
	out=$(printf '%s' "$out" | tr '\n' ' ')
	ndrops
	info "flood round $round: $out; stalled peer: queued ${squeued:-(gone)}," \
	    "dropped ${sdrop:-(gone)}; O: dropped $odrop"
	if [ $rc -ne 0 ] || [ "$out" != "sent 100000 no bye" ]; then
		flood_ok=0
		break
	fi
	[ -z "$sdrop" ] || [ "$sdrop" -gt "${odrop:-0}" ] && break
done
check "e: $round x 100000 fresh queries all taken, no Bye for the flooder" \
    "[ $flood_ok -eq 1 ]"
info "N: flow_dropped $(g N stats | json flow_dropped)"
if [ -n "$saddr" ] && [ -n "$sdrop" ]; then
	check "e: N drops queries to the stalled peer (dropped $sdrop), more than to O ($odrop)" \
	    '[ "$sdrop" -gt 0 ] && [ "$sdrop" -gt "${odrop:-0}" ]'
	check "e: N's queue for the stalled peer is within send_queue ($squeued <= 16384)" \
	    '[ "$squeued" -gt 0 ] && [ "$squeued" -le 16384 ]'
else
	check "e: N closed the stalled peer with Bye 502" \
	    '[ -n "$saddr" ] && grep -F "$saddr" "$tmp/N/log" | grep -q "Send Queue Full" &&
	     grep -q "bye 502" "$tmp/N/log"'
fi
check "e: N is still running" 'kill -0 "$(pid_of N)" 2>/dev/null'
check "e: N still has O as a peer" 'has_peer N O'
id=$(search O nightjar)
check "e: a search from O still finds $nfile at N" \
    'wait_until 30 found O "$id" "$nfile" "$(addr_of N)"' ||
    info "results: $(g O results "$id")"
kill -TERM "$stallpid" 2>/dev/null
wait "$stallpid"
rc=$?
forget "$stallpid"
info "stall: $(tr '\n' ' ' < "$tmp/stall.out")"
check "e: the stalled peer ran until stopped" \
    '[ $rc -eq 0 ] && grep -Eq "^(stopped after|stalled) " "$tmp/stall.out"'
stall_gone() {
	[ -z "$(g N peers | json "peers[address=$saddr].state")" ]
}
check "e: N lets the stalled peer go once it closes" 'wait_until 15 stall_gone'

# --- f) SIGHUP: new seeds, new files --------------------------------------

echo "# f) SIGHUP"
# M starts with no seed (and an empty host cache) and an empty share.
mknode M 14 1 8
rm -f "$tmp/M/share/decoy-M.txt"
start M
check "f: M answers" 'wait_until 15 answers M'
check "f: M scanned its empty share (files 0)" 'wait_until 30 scanned M 0'
check "f: M, without seeds, has no peer" '! has_any_peer M'
mpid=$(pid_of M)
conf_net M "seed = $(addr_of N)"
check "f: M's config has the seed in its [net] section" \
    'awk -v s="seed = $(addr_of N)" "/^\[/ { sec = \$0 } \$0 == s { print sec }" \
     "$tmp/M/conf" | grep -qx "\[net\]"'
hfile=heron-reload-$rnd.bin
head -c 4096 /dev/urandom > "$tmp/M/share/$hfile"
kill -HUP "$mpid"
check "f: after SIGHUP, M connects to its new seed N" 'wait_until 30 has_peer M N'
check "f: after SIGHUP, M has rescanned its share (files 1)" \
    'wait_until 30 scanned M 1'
check "f: M is the same process, still running" \
    'kill -0 "$mpid" 2>/dev/null && [ "$(cat "$tmp/M/pid" 2>/dev/null)" = "$mpid" ] &&
     answers M'
info "M's log on SIGHUP:" "$(grep SIGHUP "$tmp/M/log" | tail -n 1)"
id=$(search O heron)
check "f: a search from O finds the new file $hfile at M" \
    'wait_until 30 found O "$id" "$hfile" "$(addr_of M)"' ||
    info "results: $(g O results "$id")"

for n in M N O; do
	stop $n TERM
	rc=$?
	check "f: SIGTERM stops $n with exit 0 (got $rc)" '[ $rc -eq 0 ]'
done
exit $fail
