#!/bin/sh
# tests/partial.sh: a partial source serves only what it has checked.
#   S  127.0.0.2  shares a 16 MiB file, its uploads capped at 512 KiB/s
#   P  127.0.0.3  downloads it from S, and is paused once a few chunks
#                 passed their Tiger tree check; S is stopped then
#   Q  127.0.0.4  downloads it from a magnet that names P alone
# Before Q starts, every byte of P's partial file outside the ranges P
# says it has (X-Available-Ranges) is overwritten with a marker. Then:
#   a) Q gets from P exactly the ranges P had checked, nothing more: Q's
#      partial file holds no marker, Q banned no source, and Q is not done;
#   b) a request to P past its ranges gets 416 with its ranges, and one
#      inside them the bytes S has at that offset;
#   c) R (127.0.0.5), a peer of P, searches for the file: P's hit says
#      partial (GGEP PRU) with the bytes it has;
#   d) with partial_sharing = off, P answers Q's request 404, and R's next
#      search finds nothing.
# Every wait is a bounded poll on a condition.
# shellcheck disable=SC2016,SC2034
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/tests/lib.sh"
need_loopback 2 5
setup_tmp

size=$((16 * 1024 * 1024))
dl_field() {
	g "$1" downloads | json "downloads[id=$2].$3"
}
verified_at_least() {
	[ "$(dl_field "$1" "$2" verified)" -ge "$3" ]
}
# ask NAME METHOD [RANGE]: a request to NAME for the file from
# 127.0.0.20; the answer in $tmp/ask.out.
ask() {
	_a_o=$(sed -n 's/^listen = 127\.0\.0\.\([0-9]*\):.*/\1/p' "$tmp/$1/conf")
	printf '%s /uri-res/N2R?%s HTTP/1.1\r\nHost: x\r\n%bConnection: close\r\n\r\n' \
	    "$2" "$urn" "${3:+Range: bytes=$3\r\n}" |
	    "$netpeer" raw "127.0.0.$_a_o" "$port" 127.0.0.20 1 \
	    > "$tmp/ask.out" 2>&1
}

mkxfer S 2 upload_rate=512k
mkxfer P 3
mkxfer Q 4
file=part$rnd.bin
head -c $size /dev/urandom > "$tmp/S/share/$file"
start S
start P
start Q
wait_until 60 scanned S 1 || { echo "FAIL: S does not scan"; exit 1; }
wait_until 30 answers P && wait_until 30 answers Q ||
    { echo "FAIL: P or Q does not answer"; exit 1; }
link=$("$gnode" -S "$tmp/S/sock" share magnet "part$rnd" 2>/dev/null |
    grep -o 'magnet:?[^ "]*' | head -n 1)
urn=urn:sha1:$(echo "$link" | sed 's/.*urn:sha1:\([A-Z2-7]*\).*/\1/')

pid=$(g P get "$link" | json id)
check "P has some chunks checked" \
    'wait_until 60 verified_at_least P "$pid" $((1024 * 1024))'
g P pause "$pid" >/dev/null
wait_until 10 sh -c '[ "$("$0" -S "$1" --json downloads 2>/dev/null |
    "$2" json "downloads[id=$3].state")" = paused ]' "$gnode" \
    "$tmp/P/sock" "$netpeer" "$pid"
pver=$(dl_field P "$pid" verified)
# S goes: P's answers name it (X-Alt), and Q must have P alone.
stop S TERM

# --- P's unchecked bytes overwritten ---------------------------------------------
ask P HEAD
ranges=$(sed -n 's/^X-Available-Ranges: bytes \(.*\)/\1/p' "$tmp/ask.out" |
    tr -d '\r')
info "P has checked $pver bytes: $ranges"
check "P, paused, still offers what it has checked" '[ -n "$ranges" ]'
part=$(ls "$tmp"/P/data/partial/*.part)
yes UNVERIFIEDBYTES | head -c $size > "$tmp/bad"
for r in $(echo "$ranges" | tr ',' ' '); do
	a=${r%-*}
	b=${r#*-}
	dd if="$part" of="$tmp/bad" bs=65536 iflag=skip_bytes,count_bytes \
	    oflag=seek_bytes skip="$a" seek="$a" count=$((b - a + 1)) \
	    conv=notrunc 2>/dev/null
done
cat "$tmp/bad" > "$part"

# --- b) what P answers ---------------------------------------------------------------
first=${ranges%%,*}
end=${first#*-}
if [ $((end + 1)) -lt $size ]; then
	ask P GET "$((end + 1))-$((end + 100))"
	check "past its ranges, P says 416 with its ranges, no bytes" \
	    'head -n 1 "$tmp/ask.out" | grep -q "^HTTP/1.1 416" &&
	     grep -q "^X-Available-Ranges: bytes " "$tmp/ask.out" &&
	     ! grep -q UNVERIFIED "$tmp/ask.out"'
fi
start_of=${first%-*}
ask P GET "$start_of-$((start_of + 99))"
tail -c +$((start_of + 1)) "$tmp/S/share/$file" | head -c 100 > "$tmp/want"
cp "$tmp/ask.out" "$tmp/inside.out"
check "inside them, P sends S's bytes" \
    'head -n 1 "$tmp/ask.out" | grep -q "^HTTP/1.1 206" &&
     grep -q "^Content-Range: bytes $start_of-$((start_of + 99))/$size" "$tmp/ask.out" &&
     tail -c 107 "$tmp/ask.out" | head -c 100 | cmp -s - "$tmp/want"'

# --- a) Q fetches from P alone ---------------------------------------------------------
plink=$(echo "$link" | sed "s|xs=http://127.0.0.2:$port|xs=http://127.0.0.3:$port|")
qid=$(g Q get "$plink" | json id)
check "Q gets from P all P has checked" \
    'wait_until 60 verified_at_least Q "$qid" "$pver"'
sleep 3		# P's ranges asked for again: still nothing more
qpart=$(ls "$tmp"/Q/data/partial/*.part)
check "Q has not a byte more than P had checked" \
    '[ "$(dl_field Q "$qid" bytes)" -eq "$pver" ] &&
     [ "$(dl_field Q "$qid" verified)" -eq "$pver" ]'
check "no unchecked byte of P reached Q" \
    '[ "$(grep -a -c UNVERIFIEDBYTES "$qpart")" -eq 0 ]'
check "Q banned no source, and is not done" \
    '[ "$(dl_field Q "$qid" sources_banned)" -eq 0 ] &&
     [ "$(dl_field Q "$qid" state)" != done ]'

# --- c) P answers a search with its partial file -------------------------------------
mkdir -p "$tmp/R/data"
{
	node_section "$tmp/R" 5
	printf '[net]\nseed = 127.0.0.3:%s\n' "$port"
} > "$tmp/R/conf"
start R
linked() {
	g R peers | json 'peers[].state' | grep -qx up
}
found() {
	_f_id=$(g R search "part$rnd" | json id) || return 1
	sleep 1
	g R results "$_f_id" > "$tmp/res.json"
	[ "$(json "results[name=$file].sources[].partial" < "$tmp/res.json" |
	    head -n 1)" = true ]
}
check "R is P's peer" 'wait_until 30 linked'
check "R's search finds P's partial file, marked partial" 'wait_until 20 found'
check "with the bytes P has checked" \
    '[ "$(json "results[name=$file].sources[].available" < "$tmp/res.json" |
       head -n 1)" -eq "$pver" ]'

# --- d) partial sharing off ---------------------------------------------------------------
stop P TERM
printf 'partial_sharing = off\n' >> "$tmp/P/conf"
start P
wait_until 30 answers P || { echo "FAIL: P does not come back"; exit 1; }
ask P HEAD
check "with partial_sharing = off, P has nothing to serve (404)" \
    'head -n 1 "$tmp/ask.out" | grep -q "^HTTP/1.1 404"'
check "R is P's peer again" 'wait_until 60 linked'
sid=$(g R search "part$rnd" | json id)
sleep 3
check "and R's search finds nothing there" \
    '[ -z "$(g R results "$sid" | json "results[].name")" ]'

exit $fail
