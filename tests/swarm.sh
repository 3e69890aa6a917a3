#!/bin/sh
# tests/swarm.sh: a swarm on loopback. One seed S (127.0.0.2) shares a
# 64 MiB file, its uploads capped at 1 MiB/s; eight nodes D1..D8
# (127.0.0.3 to .10), with no peers at all, fetch it from the magnet link
# S prints, which names S alone. Each downloader shares the chunks it has
# checked ([xfer] partial_sharing, on by default) and names itself in its
# requests' X-Alt; S passes those on in its answers' X-Alt, so the
# downloaders find one another and fetch most of the file from each
# other. Then:
#   a) every downloader has the file, and its SHA-1 is S's;
#   b) S sent at most twice the file's size in all;
#   c) every downloader sent others some of it;
#   d) a partial source asked for a range it has not checked answers 416
#      with its ranges, never bytes (partial.sh has the rest);
#   e) D1's download_dir is one of its shared directories: its finished
#      file is in its share index at once, no rescan, and served whole.
# Every wait is a bounded poll on a condition.
# shellcheck disable=SC2016,SC2034
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/tests/lib.sh"
need_loopback 2 10
setup_tmp

size=$((64 * 1024 * 1024))
sha1() {
	sha1sum "$1" | cut -d' ' -f1
}
dl_done() {
	[ "$(g "$1" downloads | json "downloads[id=$2].state")" = done ]
}
sent() {
	g "$1" uploads | json bytes
}

mkxfer S 2 upload_rate=1M
file=swarm$rnd.bin
head -c $size /dev/urandom > "$tmp/S/share/$file"
start S
wait_until 60 scanned S 1 || { echo "FAIL: S does not scan"; exit 1; }
link=$("$gnode" -S "$tmp/S/sock" share magnet "swarm$rnd" 2>/dev/null |
    grep -o 'magnet:?[^ "]*' | head -n 1)
check "S prints a magnet that names S alone" \
    'echo "$link" | grep -q "xs=http://127.0.0.2:$port" &&
     [ "$(echo "$link" | grep -o "xs=" | wc -l)" -eq 1 ]'

i=1
while [ $i -le 8 ]; do
	mkxfer "D$i" $((i + 2))
	i=$((i + 1))
done
sed -i "s|^dir = $tmp/D1/share\$|&\\ndir = $tmp/D1/downloads|" "$tmp/D1/conf"
i=1
while [ $i -le 8 ]; do
	start "D$i"
	i=$((i + 1))
done
i=1
while [ $i -le 8 ]; do
	wait_until 30 answers "D$i" || { echo "FAIL: D$i does not answer"; exit 1; }
	eval "id_$i=\$(g D$i get \"\$link\" | json id)"
	i=$((i + 1))
done

# --- d) while they run: a partial source's unchecked bytes -----------------------
# Ask D1 for the first byte past the first range it says it has: while
# it lacks that byte the answer is 416 with its ranges; if it got it in
# the meantime, the 206 must start there and stay inside the ranges that
# answer states. Until a 416 is seen (20 tries).
urn=urn:sha1:$(echo "$link" | sed 's/.*urn:sha1:\([A-Z2-7]*\).*/\1/')
ask_d1() {
	printf '%s /uri-res/N2R?%s HTTP/1.1\r\nHost: x\r\n%bConnection: close\r\n\r\n' \
	    "$1" "$urn" "$2" | "$netpeer" raw 127.0.0.3 "$port" 127.0.0.20 1 \
	    > "$tmp/ask.out" 2>&1
}
# first_end FILE: the last byte of the first range an answer states.
first_end() {
	sed -n 's/^X-Available-Ranges: bytes [0-9]*-\([0-9]*\).*/\1/p' "$1" |
	    tr -d '\r' | head -n 1
}
partial_ok() {
	ask_d1 HEAD ""
	grep -q "^X-Available-Ranges: bytes " "$tmp/ask.out"
}
seen=0 lied=0 tries=0
if wait_until 120 partial_ok; then
	while [ $tries -lt 20 ] && [ $seen -eq 0 ]; do
		tries=$((tries + 1))
		ask_d1 HEAD ""
		end=$(first_end "$tmp/ask.out")
		[ -n "$end" ] || continue
		gap=$((end + 1))
		[ "$gap" -lt "$size" ] || break
		ask_d1 GET "Range: bytes=$gap-$((gap + 1023))\r\n"
		code=$(head -n 1 "$tmp/ask.out" | cut -d' ' -f2)
		if [ "$code" = 416 ]; then
			grep -q "^X-Available-Ranges: bytes " "$tmp/ask.out" &&
			    grep -q "^Content-Length: 0" "$tmp/ask.out" &&
			    seen=1
		elif [ "$code" = 206 ]; then
			grep -q "^Content-Range: bytes $gap-" "$tmp/ask.out" ||
			    lied=1
		else
			lied=1
		fi
	done
	info "D1: a 416 after $tries tries"
	check "a partial source asked for what it has not checked says 416, with its ranges" \
	    '[ $seen -eq 1 ] && [ $lied -eq 0 ]'
else
	fail=1
	echo "FAIL: D1 never served a part of the file"
fi

# --- a) all done, the right bytes -----------------------------------------------------
want=$(sha1 "$tmp/S/share/$file")
i=1
while [ $i -le 8 ]; do
	eval "id=\$id_$i"
	check "D$i has the file" 'wait_until 240 dl_done "D$i" "$id" &&
	    [ "$(sha1 "$tmp/D$i/downloads/$file")" = "$want" ]'
	i=$((i + 1))
done

# --- e) a finished download joins the share ---------------------------------------
check "D1 shares its finished file without a rescan" \
    'wait_until 10 scanned D1 1 &&
     "$gnode" -S "$tmp/D1/sock" share list 2>/dev/null | grep -q "$file"'
printf 'HEAD /uri-res/N2R?%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' \
    "$urn" | "$netpeer" raw 127.0.0.3 "$port" 127.0.0.20 1 > "$tmp/ask.out" 2>&1
check "and serves it whole (200, no X-Available-Ranges)" \
    'head -n 1 "$tmp/ask.out" | grep -q "^HTTP/1.1 200" &&
     ! grep -q "^X-Available-Ranges" "$tmp/ask.out"'

# --- b) the seed gave little more than a copy ------------------------------------
seed=$(sent S)
info "S sent $seed bytes for a file of $size"
check "S sent at most twice the file's size" '[ "$seed" -le $((2 * size)) ]'

# --- c) every downloader gave back --------------------------------------------------
i=1
while [ $i -le 8 ]; do
	check "D$i served others ($(sent "D$i") bytes)" '[ "$(sent "D$i")" -gt 0 ]'
	i=$((i + 1))
done

exit $fail
