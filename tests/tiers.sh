#!/bin/sh
# tiers.sh: the two tiers at a small scale, every node a real gnode on
# loopback. Three ultrapeers U0-U2 (127.0.0.170-172, mode = ultrapeer,
# each seeded with the other two) and twenty leaves L0-L19
# (127.0.0.173-192, mode = leaf, leaf_ultrapeers = 2, each seeded with
# all three ultrapeers, in an order of its own so that every ultrapeer
# gets leaves). Each leaf shares one small file named by a word no other
# node has.
#   a) L0's search for L10's word finds L10's file (it went up to an
#      ultrapeer, across to L10's and down L10's last hop) and L0
#      downloads it, with the right SHA-1;
#   b) a leaf gets only the queries its table matches: L1 searches 200
#      times for absent words, then once for L2's word (the fence, on the
#      same links after them); once L1 has L2's hit, L2's queries_seen
#      grew by exactly one, the fence: none of the 200 reached it;
#   c) a file added to L3's share and a rescan: L4 finds it (L3's new
#      QRP table went to both its ultrapeers);
#   d) the ultrapeer with the most leaves is killed with -9: each leaf
#      that was under it is back to 2 ultrapeers (it dialled the third),
#      and a search from one of them finds a file on a leaf elsewhere.
# Every wait is a bounded poll on a condition; no duration is asserted.
# Each config sets its own `mode` after tests/lib.sh's node_section, so
# the test holds whatever node_section and the default mode say.
# GNODE_TEST_KEEP=1 keeps the temporary directory (configs, logs).
# shellcheck disable=SC2016,SC2034,SC2317
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
need_loopback 170 192
setup_tmp

NUP=3
NLEAF=20
UP0=170		# U0 is 127.0.0.170, U1 .171, U2 .172
LEAF0=173	# L0 is 127.0.0.173, ..., L19 .192

addr() {
	echo "127.0.0.$1:$port"
}
up_octet() {
	echo $((UP0 + $1))
}
leaf_octet() {
	echo $((LEAF0 + $1))
}
# word I: the word only leaf I's file has.
word() {
	echo "tier${1}w$rnd"
}

# mknode NAME OCTET MODE [KEY=VALUE...]: a config; keys go in [net].
mknode() {
	_m_d=$tmp/$1
	mkdir -p "$_m_d/data" "$_m_d/share" "$_m_d/downloads"
	_m_o=$2
	_m_mode=$3
	shift 3
	{
		node_section "$_m_d" "$_m_o"
		printf 'mode = %s\n' "$_m_mode"
		printf 'log_level = info\n'
		printf '[net]\n'
		for _m_kv in "$@"; do
			printf '%s = %s\n' "${_m_kv%%=*}" "${_m_kv#*=}"
		done
		printf '[search]\nstrategy = flood\n'
		printf '[share]\ndir = %s\n' "$_m_d/share"
		printf '[xfer]\ndownload_dir = %s\n' "$_m_d/downloads"
	} > "$_m_d/conf"
}
# state NAME ADDR: the state of NAME's peer at ADDR (empty if none).
state() {
	g "$1" peers | json "peers[address=$2].state" | head -n 1
}
is_up() {
	[ "$(state "$1" "$2")" = up ]
}
# nups NAME: how many ultrapeers NAME is linked to.
nups() {
	g "$1" peers > "$tmp/peers.$1.json" || { echo 0; return; }
	json 'peers[role=ultrapeer].state' < "$tmp/peers.$1.json" |
	    grep -cx up
}
has_nups() {
	[ "$(nups "$1")" -eq "$2" ]
}
# ups_of NAME: the octets of the ultrapeers NAME is linked to.
ups_of() {
	g "$1" peers | json 'peers[role=ultrapeer].address' |
	    sed 's/^127\.0\.0\.\([0-9]*\):.*/\1/'
}
# nleaves NAME: how many leaves NAME has, their tables in.
nleaves() {
	g "$1" peers | json 'peers[role=leaf].qrt' | grep -cx true
}
all_linked() {
	_a_i=0
	while [ $_a_i -lt $NLEAF ]; do
		has_nups "L$_a_i" 2 || return 1
		_a_i=$((_a_i + 1))
	done
}
search() {
	g "$1" search "$2" | json id
}
found() {
	g "$1" results "$2" | json "results[].name" | grep -qx "$3"
}
# num_of NAME ID FILE: the result number of FILE in search ID.
num_of() {
	g "$1" results "$2" | json "results[name=$3].number" | head -n 1
}
seen() {
	g "$1" stats | json node.queries_seen
}
# finds NAME WORDS FILE: a new search from NAME finds FILE within 5 s (a
# table may still be on its way: the caller polls this).
finds() {
	_f_id=$(search "$1" "$2") || return 1
	wait_until 5 found "$1" "$_f_id" "$3"
}
dl_done() {
	[ "$(g "$1" downloads | json "downloads[id=$2].state")" = "done" ]
}

# --- the nodes --------------------------------------------------------------------
i=0
while [ $i -lt $NUP ]; do
	set --
	j=0
	while [ $j -lt $NUP ]; do
		[ $j -eq $i ] || set -- "$@" "seed=$(addr "$(up_octet $j)")"
		j=$((j + 1))
	done
	mknode "U$i" "$(up_octet $i)" ultrapeer min_peers=2 max_leaves=32 "$@"
	i=$((i + 1))
done
i=0
while [ $i -lt $NLEAF ]; do
	# Seeds in a rotated order: the dialer takes the first it knows
	# among equals, so L0 starts with U0, L1 with U1, L2 with U2, ...
	set --
	j=0
	while [ $j -lt $NUP ]; do
		set -- "$@" "seed=$(addr "$(up_octet $(((i + j) % NUP)))")"
		j=$((j + 1))
	done
	mknode "L$i" "$(leaf_octet $i)" leaf leaf_ultrapeers=2 "$@"
	# A few KiB of its own, named by its word alone (no shared word).
	head -c $((4096 + i * 97)) /dev/urandom > "$tmp/L$i/share/$(word $i).bin"
	i=$((i + 1))
done

i=0
while [ $i -lt $NUP ]; do
	start "U$i"
	i=$((i + 1))
done
i=0
while [ $i -lt $NUP ]; do
	wait_until 30 answers "U$i" || { echo "FAIL: U$i does not answer"; exit 1; }
	i=$((i + 1))
done
check "the ultrapeers link up (U0 has U1 and U2)" \
    'wait_until 60 is_up U0 "$(addr 171)" && wait_until 30 is_up U0 "$(addr 172)"'
check "U1 has U2" 'wait_until 30 is_up U1 "$(addr 172)"'
i=0
while [ $i -lt $NLEAF ]; do
	start "L$i"
	i=$((i + 1))
done
i=0
while [ $i -lt $NLEAF ]; do
	wait_until 60 scanned "L$i" 1 || {
		fail=1
		echo "FAIL: L$i does not scan its file"
	}
	i=$((i + 1))
done
check "every leaf is linked to 2 ultrapeers" 'wait_until 90 all_linked'
total=0
i=0
while [ $i -lt $NUP ]; do
	wait_until 30 above 0 nleaves "U$i"
	n=$(nleaves "U$i")
	info "U$i has $n leaves with their tables in"
	eval "leaves_U$i=$n"
	total=$((total + n))
	i=$((i + 1))
done
check "the ultrapeers hold 40 leaf links in all, each some ($total)" \
    '[ "$total" -eq 40 ] && [ "$leaves_U0" -gt 0 ] &&
     [ "$leaves_U1" -gt 0 ] && [ "$leaves_U2" -gt 0 ]'
if [ "$fail" -ne 0 ]; then
	echo "Bail out: the two tiers do not form"
	exit 1
fi

# --- a) a leaf finds and fetches another leaf's file -----------------------------
f10=$(word 10).bin
id=$(search L0 "$(word 10)")
check "a: L0's search finds L10's file" 'wait_until 30 found L0 "$id" "$f10"'
num=$(num_of L0 "$id" "$f10")
dl=$(g L0 get "$num" | json id)
check "a: L0 downloads it (download $dl)" 'wait_until 60 dl_done L0 "$dl"'
check "a: ... with L10's SHA-1" \
    '[ -f "$tmp/L0/downloads/$f10" ] &&
     [ "$(sha1 "$tmp/L0/downloads/$f10")" = "$(sha1 "$tmp/L10/share/$f10")" ]'

# --- b) only the queries a leaf's table matches reach it -------------------------
before=$(seen L2)
i=0
while [ $i -lt 200 ]; do
	# Two absent words: a query reaches a leaf only when every word
	# hashes into its table, so a chance collision needs both.
	search L1 "absent${i}a$rnd nowhere${i}b$rnd" > /dev/null
	i=$((i + 1))
done
f2=$(word 2).bin
id=$(search L1 "$(word 2)")
check "b: the fence search from L1 finds L2's file" \
    'wait_until 60 found L1 "$id" "$f2"'
after=$(seen L2)
check "b: none of 200 absent searches reached L2 (queries_seen $before -> $after)" \
    '[ "$after" -eq $((before + 1)) ]'
i=5
while [ $i -lt 8 ]; do
	info "b: L$i queries_seen $(seen "L$i")"
	i=$((i + 1))
done

# --- c) a rescan's new file is found ---------------------------------------------
fnew=rescan${rnd}new.bin
head -c 3000 /dev/urandom > "$tmp/L3/share/$fnew"
g L3 share rescan > /dev/null
check "c: L3 scans the new file" 'wait_until 30 scanned L3 2'
# The table goes out after the scan; search until one finds it.
check "c: L4's search finds it after L3's patch" \
    'wait_until 60 finds L4 "rescan${rnd}new" "$fnew"'

# --- d) an ultrapeer killed: its leaves go to the others -------------------------
victim=0
i=1
while [ $i -lt $NUP ]; do
	[ "$(nleaves "U$i")" -gt "$(nleaves "U$victim")" ] && victim=$i
	i=$((i + 1))
done
vo=$(up_octet $victim)
orphans=""
i=0
while [ $i -lt $NLEAF ]; do
	ups_of "L$i" | grep -qx "$vo" && orphans="$orphans $i"
	i=$((i + 1))
done
info "d: killing U$victim (127.0.0.$vo); its leaves:$orphans"
stop "U$victim" 9
wipe() {
	# Some leaf of U$victim must have noticed; then all must be back.
	for _w_i in $orphans; do
		ups_of "L$_w_i" | grep -qx "$vo" && return 1
	done
	return 0
}
check "d: no leaf keeps U$victim as an ultrapeer" 'wait_until 60 wipe'
check "d: each of its leaves is back to 2 ultrapeers" 'wait_until 90 all_linked'
# shellcheck disable=SC2086
set -- $orphans
o=$1
t=$(((o + 7) % NLEAF))
ft=$(word $t).bin
check "d: a search from L$o (was under U$victim) finds L$t's file" \
    'wait_until 60 finds "L$o" "$(word $t)" "$ft"'

exit $fail
