#!/bin/sh
# sharedirs.sh: share directories given with --share are saved with the
# node, and a finished download follows the user's umask.
#   1) offline: `--share A share rescan`, then a plain `share rescan`:
#      A's file is still in the index; `share dirs` lists the config's
#      directory and the saved one, saying which is which (text and
#      JSON); `share forget` refuses a config directory, an unknown one
#      and one given on the same command line, each in one line;
#   2) a headless node S (127.0.0.151) started without --share walks the
#      saved A at its start; its log says what it shares only once its
#      scan is done, in so many words;
#   3) a node D (127.0.0.152, umask 022) fetches A's file from S: the
#      saved file is 0644 and its SHA-1 is S's; no .part is left;
#   4) `share forget A` at S's socket, then `share rescan`: A's file
#      leaves S's index, B's stays.
# Every wait is a bounded poll on a condition; no duration is asserted.
# shellcheck disable=SC2016,SC2034,SC2317
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
need_loopback 151 152
setup_tmp

word=zq$rnd
a=$tmp/A
b=$tmp/B
mkdir -p "$a" "$b" "$tmp/S/data" "$tmp/D/data" "$tmp/D/downloads"
head -c 600000 /dev/urandom > "$a/alpha-$word.bin"
head -c 3000 /dev/urandom > "$b/beta-$word.bin"
{
	node_section "$tmp/S" 151
	printf '[net]\nmin_peers = 0\n'
	printf '[share]\ndir = %s\n' "$b"
} > "$tmp/S/conf"
# offline COMMAND...: a one-shot command on S's database (S not running).
offline() {
	"$gnode" -c "$tmp/S/conf" "$@"
}
# listed FILE: S's index (offline) lists FILE.
listed() {
	offline --json share list 2>/dev/null | grep -q "\"name\":\"$1\""
}

# --- 1) offline ----------------------------------------------------------------

echo "# 1) --share A share rescan, then a plain share rescan"
offline --share "$a" share rescan >/dev/null 2>&1
check "--share A share rescan indexes A's file" 'listed "alpha-$word.bin"'
out=$(offline share rescan 2>&1)
check "a plain share rescan keeps it ($out)" \
    'listed "alpha-$word.bin" && listed "beta-$word.bin" &&
     echo "$out" | grep -q "^scan complete: 2 files, 2 unchanged, 0 hashed "'
out=$(offline share dirs 2>&1)
want=$(printf 'config  %s\nsaved   %s\n2 directories: 1 from the config file, 1 saved from --share (share forget DIR drops one)' "$b" "$a")
check "share dirs lists both, saying which is which" '[ "$out" = "$want" ]' ||
    info "got: $out"
out=$(offline --json share dirs)
check "share dirs --json: from and exists" \
    '[ "$out" = "{\"dirs\":[{\"path\":\"$b\",\"from\":\"config\",\"exists\":true},{\"path\":\"$a\",\"from\":\"saved\",\"exists\":true}]}" ]' ||
    info "got: $out"
out=$(offline share forget "$b" 2>&1); rc=$?
check "share forget on a config directory: refused, one line" \
    '[ $rc -eq 1 ] && [ "$out" = "error: $b is in the config file (dir in [share]): remove it there" ]' ||
    info "got: $out"
out=$(offline share forget "$tmp/nowhere" 2>&1); rc=$?
check "share forget on a directory never saved: refused, one line" \
    '[ $rc -eq 1 ] && [ "$out" = "error: $tmp/nowhere is not a saved share directory (see share dirs)" ]' ||
    info "got: $out"
out=$(offline --share "$a" share forget "$a" 2>&1); rc=$?
check "share forget on a directory given with --share too: refused" \
    '[ $rc -eq 1 ] && [ "$out" = "error: $a is given with --share on this command line: it would be saved again" ]' ||
    info "got: $out"

# --- 2) a node started without --share ------------------------------------------

echo "# 2) S, started without --share, walks the saved A"
start S
check "S answers and has scanned both directories" \
    'wait_until 15 answers S && wait_until 60 scanned S 2'
check "S's log says what it shares once the scan is done, not before" \
    '[ "$(grep -c "files\{0,1\} shared" "$tmp/S/log")" -eq 1 ] &&
     grep -q "info: share: scan done: 2 files shared (0 hashed, 0 removed)\$" "$tmp/S/log" &&
     grep -qE "info: node 127\.0\.0\.151:$port up\$" "$tmp/S/log"'
check "S's log lines name no node (one node in the process)" \
    '! grep -qE "^[0-9T:-]+ 127\.0\.0\.151 " "$tmp/S/log"'

# --- 3) a download under umask 022 -----------------------------------------------

echo "# 3) D fetches A's file from S, under umask 022"
{
	node_section "$tmp/D" 152
	printf '[net]\nmin_peers = 1\nseed = 127.0.0.151:%s\n' "$port"
	printf '[xfer]\ndownload_dir = %s\n' "$tmp/D/downloads"
} > "$tmp/D/conf"
(umask 022 && exec "$gnode" --headless -c "$tmp/D/conf" >/dev/null \
    2>>"$tmp/D/log") &
pid_D=$!
pids="$pids $pid_D"
has_s() {
	g D peers | json 'peers[state=up].address' | grep -qx "127.0.0.151:$port"
}
check "D answers and has S as a peer" \
    'wait_until 15 answers D && wait_until 30 has_s'
rid=$(g D search "alpha $word" | json id)
num=""
hit() {
	num=$(g D results "$rid" | json "results[name=alpha-$word.bin].number")
	[ -n "$num" ]
}
check "D's search finds A's file at S" '[ -n "$rid" ] && wait_until 20 hit'
id=$(g D get "$num" | json id)
done_dl() {
	[ "$(g D downloads | json "downloads[id=$id].state")" = done ]
}
saved=$tmp/D/downloads/alpha-$word.bin
check "the download is done, the SHA-1 S's" \
    'wait_until 60 done_dl && [ "$(sha1 "$saved")" = "$(sha1 "$a/alpha-$word.bin")" ]'
check "the saved file is 0644 under umask 022 (got $(stat -c %a "$saved" 2>/dev/null))" \
    '[ "$(stat -c %a "$saved")" = 644 ]'
check "no partial file is left" \
    '[ -z "$(find "$tmp/D/data" -name "*.part")" ]'

# --- 4) forget, online -----------------------------------------------------------

echo "# 4) share forget A at S's socket, then share rescan"
out=$("$gnode" -S "$tmp/S/sock" share forget "$a" 2>&1); rc=$?
check "share forget: one line, exit 0" \
    '[ $rc -eq 0 ] && [ "$out" = "forgot $a: its files leave the index at the next share rescan" ]' ||
    info "got: $out"
out=$("$gnode" -S "$tmp/S/sock" share dirs 2>&1)
check "share dirs no longer lists A" \
    '[ "$out" = "$(printf "config  %s\n1 directory: 1 from the config file, 0 saved from --share (share forget DIR drops one)" "$b")" ]' ||
    info "got: $out"
g S share rescan >/dev/null
check "after share rescan S shares B's file and not A's" \
    'wait_until 60 scanned S 1 &&
     g S share list | grep -q "beta-$word.bin" &&
     ! g S share list | grep -q "alpha-$word.bin"'

for n in S D; do
	stop $n TERM
	rc=$?
	check "SIGTERM stops $n with exit 0 (got $rc)" '[ $rc -eq 0 ]'
done
exit $fail
