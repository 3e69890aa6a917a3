#!/bin/sh
# diskfull.sh: a download on a full disk says so once, costs nothing while
# it waits, and goes on by itself when space comes back. A source S
# (127.0.0.2) shares two files; a downloader D (127.0.0.3) has S as its
# seed, its partial/ on a 4 MiB tmpfs and its download_dir on an 8 MiB
# one, each in a mount namespace of this script's own. Scenarios:
#   1) a 6 MiB file into a 4 MiB partial/: D's download stalls, shown as
#      `stalled: disk full` in `downloads` (text) and "stalled" in JSON;
#      the log says "No space left on device" once or twice, not every
#      second; D sends S no request while stalled and keeps answering;
#      then partial/ is remounted at 16 MiB and the download goes on by
#      itself, completes, and the saved file has S's SHA-1;
#   2) a 3 MiB file when download_dir has 2 MiB left: the checked file is
#      shown done but not moved ("moved": false, `done, not moved`), at
#      its real path, the .part in partial/; then download_dir is
#      remounted at 16 MiB and the file is moved into it by itself (D
#      restarted in between: it still knows the file is to be moved).
# Needs root (or a user namespace) for unshare --mount and mount -t
# tmpfs; skips (77) where either is refused. Every wait is a bounded
# poll on a condition; no duration is asserted.
# GNODE_TEST_KEEP=1 keeps the temporary directory (configs, logs).
# shellcheck disable=SC2016,SC2034,SC2317
set -u
if [ -z "${GNODE_DISKFULL_NS:-}" ]; then
	if ! command -v unshare >/dev/null 2>&1 ||
	    ! unshare --mount --propagation private true 2>/dev/null; then
		echo "SKIP: unshare --mount is not permitted here"
		exit 77
	fi
	GNODE_DISKFULL_NS=1 exec unshare --mount --propagation private \
	    sh "$0" "$@"
fi
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
need_loopback 2 3
mounts=""
# cleanup: the tmpfs mounts go first (lazily: the nodes still hold files).
cleanup_first() {
	for m in $mounts; do umount -l "$m" 2>/dev/null; done
}
setup_tmp

mkdir -p "$tmp/S/data" "$tmp/S/share" "$tmp/D/data/partial" \
    "$tmp/D/share" "$tmp/D/downloads"
for m in "$tmp/D/data/partial:4m" "$tmp/D/downloads:8m"; do
	if ! mount -t tmpfs -o "size=${m##*:},mode=0700" tmpfs "${m%:*}" \
	    2>/dev/null; then
		echo "SKIP: cannot mount a tmpfs"
		exit 77
	fi
	mounts="$mounts ${m%:*}"
done

# mknode NAME LAST_OCTET [SEED_OCTET]: a config.
mknode() {
	{
		node_section "$tmp/$1" "$2"
		printf '[net]\n'
		printf 'min_peers = %s\n' $(($# > 2))
		printf 'max_peers = 4\n'
		[ $# -gt 2 ] && printf 'seed = 127.0.0.%s:%s\n' "$3" "$port"
		printf '[search]\n'
		printf 'strategy = flood\n'
		printf '[share]\n'
		printf 'dir = %s\n' "$tmp/$1/share"
		printf '[xfer]\n'
		printf 'download_dir = %s\n' "$tmp/$1/downloads"
	} > "$tmp/$1/conf"
}
has_peer() {
	g "$1" peers | json 'peers[state=up].address' | grep -qx "$2:$port"
}
search_for() {
	rid=$(g "$1" search "$2" | json id)
	[ -n "$rid" ] || return 1
	wait_until 20 nsrc_is "$1" "$rid" "$3" || return 1
	num=$(g "$1" results "$rid" | json "results[name=$3].number")
	[ -n "$num" ]
}
nsrc_is() {
	[ "$(g "$1" results "$2" | json "results[name=$3].sources[].address" |
	    wc -l)" -ge 1 ]
}
dl() {
	g D downloads | json "downloads[id=$1].$2"
}
dl_is() {
	[ "$(dl "$1" "$2")" = "$3" ]
}
# text: the downloads command as a user sees it.
text() {
	COLUMNS=200 "$gnode" -S "$tmp/D/sock" downloads -v 2>/dev/null
}
nospace() {
	grep -c "No space left on device" "$tmp/D/log"
}
gets() {
	grep -c "http [0-9]* 127.0.0.3: GET /uri-res/N2R?urn:sha1:[A-Z2-7]* -> 20[06] $1" "$tmp/S/log"
}

big=stall-$rnd.bin
small=unmoved-$rnd.bin
head -c $((6 * 1048576)) /dev/urandom > "$tmp/S/share/$big"
head -c $((3 * 1048576)) /dev/urandom > "$tmp/S/share/$small"
mknode S 2
mknode D 3 2
start S
start D
check "S and D answer their control sockets" \
    'wait_until 15 answers S && wait_until 15 answers D'
check "S scanned its share (2 files)" 'wait_until 60 scanned S 2'
check "D has S as its peer" 'wait_until 30 has_peer D 127.0.0.2'
if [ "$fail" -ne 0 ]; then
	echo "Bail out: the nodes do not start"
	exit 1
fi

# --- 1) partial/ full ----------------------------------------------------

echo "# 1) $big (6 MiB) into a 4 MiB partial/"
num=""
check "1: a search finds $big" 'search_for D stall "$big"'
id=$(g D get "$num" | json id)
check "1: get $num starts download '$id'" 'echo "$id" | grep -Eq "^[0-9]+$"'
check "1: the download stalls (state stalled, stalled: disk full)" \
    'wait_until 60 dl_is "$id" state stalled &&
     [ "$(dl "$id" stalled)" = "disk full" ]' ||
    info "downloads: $(g D downloads)"
check "1: downloads (text) says stalled: disk full" \
    'text | grep "$big" | grep -qF "stalled: disk full"' ||
    info "downloads: $(text)"
check "1: ... no rate and no ETA while stalled" \
    '[ "$(dl "$id" eta_s)" = -1 ] && [ "$(dl "$id" sources_active)" = 0 ]'
n0=$(nospace)
r0=$(gets "$big")
# Long enough for the old node to log every second and ask S again (it
# did every 6 to 11 s), and for a few of the new one's space checks.
sleep 13
n1=$(nospace)
r1=$(gets "$big")
check "1: the log says No space left on device, once ($n0, then $n1)" \
    '[ "$n0" -ge 1 ] && [ "$n1" -le 2 ]'
check "1: ... not a stale errno" \
    '! grep -q "Operation now in progress" "$tmp/D/log"'
check "1: ... and no cannot save progress" \
    '! grep -q "cannot save progress" "$tmp/D/log"'
check "1: D asks S nothing while stalled ($r0 GETs, then $r1)" \
    '[ "$r1" -eq "$r0" ]'
check "1: D still answers, still stalled" \
    'answers D && dl_is "$id" state stalled'
mount -o remount,size=16m "$tmp/D/data/partial"
check "1: with room again, the download completes by itself" \
    'wait_until 90 dl_is "$id" state done' || info "downloads: $(g D downloads)"
check "1: the log says it resumed" \
    'grep -q "download $id $big: .* free again; resuming" "$tmp/D/log"'
check "1: it is in download_dir, with S's SHA-1" \
    '[ "$(dl "$id" path)" = "$tmp/D/downloads/$big" ] &&
     [ "$(sha1 "$tmp/D/downloads/$big")" = "$(sha1 "$tmp/S/share/$big")" ]'

# --- 2) download_dir full ------------------------------------------------

echo "# 2) $small (3 MiB) into a download_dir with 2 MiB left"
num=""
check "2: a search finds $small" 'search_for D unmoved "$small"'
id=$(g D get "$num" | json id)
check "2: get $num starts download '$id'" 'echo "$id" | grep -Eq "^[0-9]+$"'
check "2: it is done, but not moved" \
    'wait_until 60 dl_is "$id" state done && dl_is "$id" moved false' ||
    info "downloads: $(g D downloads)"
part=$(dl "$id" path)
check "2: ... its path is the real one, a .part in partial/ ($part)" \
    'case $part in "$tmp/D/data/partial/"*.part) true ;; *) false ;; esac &&
     [ "$(sha1 "$part")" = "$(sha1 "$tmp/S/share/$small")" ]'
check "2: ... nothing half-copied is left in download_dir" \
    '[ ! -e "$tmp/D/downloads/$small" ]'
check "2: downloads (text) says done, not moved, with that path" \
    'text | grep "$small\$" | grep -qF "done, not moved" &&
     text | grep -A2 -xF "download $id: $small" | grep -qxF "    partial file $part"' ||
    info "downloads: $(text)"
stop D TERM
start D
check "2: after a restart, still done, not moved, at the same path" \
    'wait_until 15 answers D && dl_is "$id" state done &&
     dl_is "$id" moved false && dl_is "$id" path "$part"' ||
    info "downloads: $(g D downloads)"
mount -o remount,size=16m "$tmp/D/downloads"
check "2: with room again, it is moved into download_dir by itself" \
    'wait_until 30 dl_is "$id" path "$tmp/D/downloads/$small"' ||
    info "downloads: $(g D downloads)"
check "2: ... with S's SHA-1, the .part gone, moved no more false" \
    '[ "$(sha1 "$tmp/D/downloads/$small")" = "$(sha1 "$tmp/S/share/$small")" ] &&
     [ ! -e "$part" ] && [ -z "$(dl "$id" moved)" ]'
check "D still answers" 'answers D'
exit "$fail"
