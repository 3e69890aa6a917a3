#!/bin/sh
# tests/reward.sh: giving back. One seed S (127.0.0.2) shares an 8 MiB
# file with one upload slot, capped at 2 MiB/s (about 4 s a copy). Four
# sharers A1..A4 (127.0.0.3 to .6, each sharing a file of its own) and
# four free riders F1..F4 (127.0.0.7 to .10, sharing nothing) are S's
# peers, so S hears what each shares from its pongs. Partial sharing is
# off on all eight, so each gets the file from S alone. They ask at once,
# a free rider first in each pair (F1 A1 F2 A2 ...), which a first-come
# queue would favour. Then:
#   a) every one gets the file, and the sharers' mean time to done is at
#      most half the free riders' (S's queue puts sharers ahead; a free
#      rider holding the slot gives it up between two requests);
#   b) S's `uploads` shows a sharer's credit while it is served;
#   c) S keeps what it learned in its database: at its exit the credits
#      table holds the four sharers, and a restarted S loads it;
#   d) with [xfer] reward = off on S, the same start favours the free
#      riders again: first come, first served.
# Every wait is a bounded poll on a condition.
# shellcheck disable=SC2016,SC2034
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/tests/lib.sh"
need_loopback 2 10
setup_tmp

size=$((8 * 1024 * 1024))
# mkrw NAME OCTET SEED [XFER_KEY=VALUE...]: mkxfer's node, partial
# sharing off, pinging each second, linked to SEED (if any).
mkrw() {
	_m_n=$1
	_m_o=$2
	_m_s=$3
	shift 3
	mkxfer "$_m_n" "$_m_o" partial_sharing=off "$@"
	_m_net='ping_interval = 1'
	[ -n "$_m_s" ] && _m_net="$_m_net\\nseed = $_m_s"
	sed -i "s|^firewalled = no\$|&\\n$_m_net|" "$tmp/$_m_n/conf"
}
dl_done() {
	[ "$(g "$1" downloads | json "downloads[id=$2].state")" = done ]
}
npeers() {
	g S peers | json 'peers[].state' | grep -cx up
}
knows_sharers() {
	for _k_o in 3 4 5 6; do
		grep -q "credit: 127.0.0.$_k_o shares 1 file$" "$tmp/S/log" ||
		    return 1
	done
}

# run REWARD: the race; the means in $mean_a and $mean_f (seconds).
run() {
	rm -rf "$tmp/S" "$tmp"/A? "$tmp"/F?
	mkrw S 2 "" upload_slots=1 upload_rate=2M "reward=$1"
	head -c $size /dev/urandom > "$tmp/S/share/$file"
	start S
	wait_until 60 scanned S 1 || { echo "FAIL: S does not scan"; exit 1; }
	i=1
	while [ $i -le 4 ]; do
		mkrw "A$i" $((i + 2)) "127.0.0.2:$port"
		head -c 100000 /dev/urandom > "$tmp/A$i/share/mine$i-$rnd.bin"
		mkrw "F$i" $((i + 6)) "127.0.0.2:$port"
		start "A$i"
		start "F$i"
		i=$((i + 1))
	done
	wait_until 60 sh -c '[ "$("$0" -S "$1" --json peers 2>/dev/null |
	    "$2" json "peers[].state" | grep -cx up)" -ge 8 ]' "$gnode" \
	    "$tmp/S/sock" "$netpeer" || { echo "FAIL: not all are S's peers"; exit 1; }
	if [ "$1" = on ]; then
		check "S has heard from every sharer that it shares" \
		    'wait_until 30 knows_sharers'
	fi
	link=$("$gnode" -S "$tmp/S/sock" share magnet "reward$rnd" 2>/dev/null |
	    grep -o 'magnet:?[^ "]*' | head -n 1)
	t0=$(now)
	i=1
	while [ $i -le 4 ]; do
		eval "idf_$i=\$(g F$i get \"\$link\" | json id)"
		eval "ida_$i=\$(g A$i get \"\$link\" | json id)"
		i=$((i + 1))
	done
	seen_credit=0
	left=8
	end=$(($(now) + 180))
	while [ $left -gt 0 ] && [ "$(now)" -lt $end ]; do
		for w in A F; do
			i=1
			while [ $i -le 4 ]; do
				eval "t=\${t_$w$i:-}"
				eval "id=\$id$(echo $w | tr AF af)_$i"
				if [ -z "$t" ] && dl_done "$w$i" "$id"; then
					eval "t_$w$i=$(($(now) - t0))"
					left=$((left - 1))
				fi
				i=$((i + 1))
			done
		done
		if [ "$1" = on ] && g S uploads | json 'uploads[].credit_files' |
		    grep -qx 1; then
			seen_credit=1
		fi
		sleep 0.2
	done
	check "all eight have the file (reward $1)" '[ $left -eq 0 ]'
	want=$(sha1sum "$tmp/S/share/$file" | cut -d' ' -f1)
	for n in A1 A2 A3 A4 F1 F2 F3 F4; do
		[ "$(sha1sum "$tmp/$n/downloads/$file" | cut -d' ' -f1)" = "$want" ] ||
		    { fail=1; echo "FAIL: $n's copy is wrong"; }
	done
	sum_a=$((${t_A1:-999} + ${t_A2:-999} + ${t_A3:-999} + ${t_A4:-999}))
	sum_f=$((${t_F1:-999} + ${t_F2:-999} + ${t_F3:-999} + ${t_F4:-999}))
	info "reward $1: sharers done after ${t_A1:-?} ${t_A2:-?} ${t_A3:-?} ${t_A4:-?} s, free riders ${t_F1:-?} ${t_F2:-?} ${t_F3:-?} ${t_F4:-?} s"
	for n in S A1 A2 A3 A4 F1 F2 F3 F4; do
		stop "$n" TERM
	done
	unset t_A1 t_A2 t_A3 t_A4 t_F1 t_F2 t_F3 t_F4
}

file=reward$rnd.bin
run on
check "the sharers' mean is at most half the free riders'" \
    '[ $((2 * sum_a)) -le "$sum_f" ]'
check "S's uploads showed a sharer's credit" '[ $seen_credit -eq 1 ]'
# sharers ip: 127.0.0.3 to .6 (host order 2130706435 to 2130706438)
sharers_saved() {
	python3 - "$tmp/S/data/gnode.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT count(*) FROM credits WHERE files >= 1"
    " AND ip BETWEEN 2130706435 AND 2130706438").fetchone()[0])
PY
}
check "S saved the four sharers' credit in its database" \
    '[ "$(sharers_saved)" = 4 ]'
start S
check "a restarted S loads the credits" \
    'wait_until 30 grep -q "credit: [0-9]* hosts* from the database" "$tmp/S/log"'
stop S TERM
run off
check "with reward off, the free riders (asking first) are not behind" \
    '[ "$sum_f" -le $((sum_a + 8)) ]'

exit $fail
