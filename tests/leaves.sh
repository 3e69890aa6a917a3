#!/bin/sh
# leaves.sh: the two tiers on loopback, with real processes. U
# (127.0.0.2) is a gnode ultrapeer with max_leaves = 2; B (127.0.0.3) a
# gnode ultrapeer that dials U and searches through it.
#   a) a leaf (tests/net/leafpeer, 127.0.0.4) with a QRP table of a few
#      words: U's handshake answer says X-Ultrapeer: True and
#      X-Ultrapeer-Query-Routing; U's `peers` shows it as a leaf whose
#      table is in, and B as an ultrapeer;
#   b) B's search for a word of its table reaches it; none of 30 searches
#      for absent words does (the fence, one more search for a word of the
#      table, comes after them on the same links);
#   c) a second leaf is taken, a third (max_leaves + 1) gets 503 "Too
#      many leaf connections" with X-Try-Ultrapeers naming B;
#   d) a gnode leaf L (127.0.0.7, mode = leaf, seed U) sharing a file:
#      U's `peers` shows it as a leaf (it said X-Ultrapeer: False) with its
#      table in, L's shows U as an ultrapeer; B's search finds L's file;
#      30 searches for absent words do not reach L (its queries_seen
#      grows by the fence only); a leafpeer that dials L as a leaf gets
#      204 "Shielded leaf node";
#   e) a file added to L's share and a rescan: B's search finds it (the
#      table went again);
#   f) ultrapeers route the last hop by each other's tables: B's `peers`
#      shows U's merged table (U's words and its leaves') in; a leafpeer
#      that dials B as an ultrapeer sends 30 queries for absent words and
#      a fence for L's new word, all at TTL 2, so that B relays each to U
#      at TTL 1: only the fence reaches U (its queries_seen grows by one).
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
need_loopback 2 8
setup_tmp

# mknode NAME OCTET [KEY=VALUE...]: a config; keys go in [net] unless
# they are mode (in [node]).
mknode() {
	_m_d=$tmp/$1
	mkdir -p "$_m_d/data" "$_m_d/share"
	_m_o=$2
	shift 2
	{
		node_section "$_m_d" "$_m_o"
		for _m_kv in "$@"; do
			case $_m_kv in
			mode=*) printf 'mode = %s\n' "${_m_kv#*=}" ;;
			esac
		done
		printf '[net]\n'
		for _m_kv in "$@"; do
			case $_m_kv in
			mode=*) ;;
			*) printf '%s = %s\n' "${_m_kv%%=*}" "${_m_kv#*=}" ;;
			esac
		done
		printf '[search]\nstrategy = flood\n'
		printf '[share]\ndir = %s\n' "$_m_d/share"
	} > "$_m_d/conf"
}
addr() {
	echo "127.0.0.$1:$port"
}
# role NAME ADDR: the role NAME's `peers` gives the peer at ADDR.
role() {
	g "$1" peers | json "peers[address=$2].role"
}
qrt_in() {
	[ "$(g "$1" peers | json "peers[address=$2].qrt")" = true ]
}
# leaf_addr NAME: the address of NAME's first leaf.
leaf_addr() {
	g "$1" peers | json "peers[role=leaf].address" | head -n 1
}
has_leaf() {
	leaf_addr "$1" | grep -q "^$2:"
}
no_leaf() {
	[ -z "$(leaf_addr "$1")" ]
}
is_role() {
	[ "$(role "$1" "$2")" = "$3" ]
}
# leaf_bg OUT OCTET SECS WORD...: a leafpeer from 127.0.0.OCTET to U.
leaf_bg() {
	_l_out=$1
	_l_o=$2
	shift 2
	"$leafpeer" leaf 127.0.0.2 "$port" "127.0.0.$_l_o" "$@" \
	    > "$tmp/$_l_out" 2>&1 &
	eval "lp_$_l_out=$!"
	pids="$pids $!"
}
# got OUT TEXT: the leafpeer's output has "query: TEXT".
got() {
	grep -qx "query: $2" "$tmp/$1"
}
nqueries() {
	grep -c '^query: ' "$tmp/$1"
}
# search NAME TEXT: a search from NAME, its id.
search() {
	g "$1" search "$2" | json id
}
found() {
	g "$1" results "$2" | json "results[].name" | grep -qx "$3"
}
seen() {
	g "$1" stats | json node.queries_seen
}
hits_of() {
	g "$1" stats | json node.hits_sent
}

mknode U 2 min_peers=0 max_leaves=2 up_qrp_interval=1
mknode B 3 min_peers=1 "seed=$(addr 2)"
start U
wait_until 20 answers U || { echo "FAIL: U does not answer"; exit 1; }
start B
check "U and B link up as ultrapeers" \
    'wait_until 30 is_role U "$(addr 3)" ultrapeer'

# --- a) a leafpeer under U ---------------------------------------------------
leaf_bg L1 4 120 zebrafile quokkas
check "a: U takes the leaf (200)" \
    'wait_until 20 grep -q "^table sent$" "$tmp/L1"'
check "a: U says X-Ultrapeer: True to it" \
    'grep -qx "reply: X-Ultrapeer: True" "$tmp/L1"'
check "a: and X-Ultrapeer-Query-Routing: 0.1" \
    'grep -qx "reply: X-Ultrapeer-Query-Routing: 0.1" "$tmp/L1"'
check "a: U's peers shows it as a leaf" 'wait_until 20 has_leaf U 127.0.0.4'
laddr=$(leaf_addr U)
check "a: with its QRP table in" 'wait_until 20 qrt_in U "$laddr"'
check "a: U's peers shows B as an ultrapeer" 'is_role U "$(addr 3)" ultrapeer'

# --- b) only the queries its table matches ------------------------------------
id=$(search B zebrafile)
check "b: B's search for a word of the leaf's table reaches it" \
    'wait_until 20 got L1 zebrafile'
i=0
while [ $i -lt 30 ]; do
	search B "absent$i$rnd" > /dev/null
	i=$((i + 1))
done
search B "quokkas zebrafile" > /dev/null
check "b: the fence search reaches it" \
    'wait_until 30 got L1 "quokkas zebrafile"'
check "b: none of the 30 searches for absent words did ($(nqueries L1) queries)" \
    '[ "$(nqueries L1)" -eq 2 ]'

# --- c) max_leaves ----------------------------------------------------------------
leaf_bg L2 5 120 otherword
check "c: a second leaf is taken" \
    'wait_until 20 grep -q "^table sent$" "$tmp/L2"'
"$leafpeer" leaf 127.0.0.2 "$port" 127.0.0.6 5 thirdword > "$tmp/L3" 2>&1
check "c: the third gets 503 Too many leaf connections (2 max)" \
    'grep -qx "reply: GNUTELLA/0.6 503 Too many leaf connections (2 max)" "$tmp/L3"'
check "c: with X-Try-Ultrapeers naming B" \
    'grep "^reply: X-Try-Ultrapeers: " "$tmp/L3" | grep -q "$(addr 3)"'
check "c: and no X-Ultrapeer header" '! grep -q "^reply: X-Ultrapeer:" "$tmp/L3"'
for n in L1 L2; do
	p=$(eval "echo \$lp_$n")
	kill -TERM "$p" 2>/dev/null
	wait "$p"
	forget "$p"
done
check "c: the leaves are gone from U" 'wait_until 20 no_leaf U'

# --- d) a gnode leaf under U ----------------------------------------------------
mknode L 7 mode=leaf "seed=$(addr 2)"
printf 'a leaf shares this\n' > "$tmp/L/share/wombat_leafshare.txt"
start L
check "d: L scans its file" 'wait_until 30 scanned L 1'
check "d: U's peers shows L as a leaf" 'wait_until 30 is_role U "$(addr 7)" leaf'
check "d: with L's QRP table in" 'wait_until 20 qrt_in U "$(addr 7)"'
check "d: L's peers shows U as an ultrapeer" 'is_role L "$(addr 2)" ultrapeer'
check "d: L's log says its table went" 'grep -q "QRP table sent" "$tmp/L/log"'
id=$(search B wombat)
check "d: B's search finds L's file through U" \
    'wait_until 30 found B "$id" wombat_leafshare.txt'
before=$(seen L)
i=0
while [ $i -lt 30 ]; do
	search B "missing$i$rnd" > /dev/null
	i=$((i + 1))
done
id=$(search B "leafshare wombat")
check "d: the fence search finds it too" \
    'wait_until 30 found B "$id" wombat_leafshare.txt'
after=$(seen L)
check "d: the 30 absent searches did not reach L (queries_seen $before -> $after)" \
    '[ "$after" -eq $((before + 1)) ]'
"$leafpeer" leaf 127.0.0.7 "$port" 127.0.0.8 5 word > "$tmp/LL" 2>&1
check "d: a leaf dialling L gets 204 Shielded leaf node" \
    'grep -qx "reply: GNUTELLA/0.6 204 Shielded leaf node (3 peers max)" "$tmp/LL"'

# --- e) a rescan sends the table again -----------------------------------------
sent() {
	grep -c "QRP table sent" "$tmp/L/log"
}
nsent=$(sent)
printf 'a second file\n' > "$tmp/L/share/numbat_newfile.txt"
g L share rescan > /dev/null
check "e: L scans the new file" 'wait_until 30 scanned L 2'
check "e: and sends its table again ($nsent times before)" \
    'wait_until 20 above "$nsent" sent'
id=$(search B numbat)
check "e: B's search finds the new file" \
    'wait_until 30 found B "$id" numbat_newfile.txt'

# --- f) the last hop between ultrapeers ------------------------------------------
check "f: B's peers shows U's merged QRP table in" \
    'wait_until 20 qrt_in B "$(addr 2)"'
# reaches_u TEXT: a query for TEXT sent to B at TTL 2 reaches U (polled
# here for 3 s: wait_until does not nest).
reaches_u() {
	_r_before=$(seen U)
	"$leafpeer" query 127.0.0.3 "$port" 127.0.0.8 "$1" > "$tmp/Q" 2>&1
	_r_i=0
	while [ $_r_i -lt 30 ]; do
		[ "$(seen U)" -gt "$_r_before" ] && return 0
		sleep 0.1
		_r_i=$((_r_i + 1))
	done
	return 1
}
check "f: once U's merged table has L's new word, B relays it to U" \
    'wait_until 30 reaches_u numbat'
before=$(seen U)
set --
i=0
while [ $i -lt 30 ]; do
	set -- "$@" "gone$i$rnd"
	i=$((i + 1))
done
"$leafpeer" query 127.0.0.3 "$port" 127.0.0.8 "$@" "numbat newfile" \
    > "$tmp/Q" 2>&1
check "f: the 31 queries went to B" 'grep -qx "sent 31" "$tmp/Q"'
check "f: the fence reaches U" 'wait_until 20 above "$before" seen U'
after=$(seen U)
check "f: none of the 30 absent ones did (queries_seen $before -> $after)" \
    '[ "$after" -eq $((before + 1)) ]'

exit $fail
