#!/bin/sh
# share.sh: the share index through the real gnode binary and a real
# SQLite file: scanning a tree (add, change, remove, rename, hidden files,
# symlinks in and out, filters, an unreadable directory), searching it,
# hostile search text, a scan killed with SIGKILL half way, and a check that
# nothing inside the shared tree is ever written.
set -u
gnode=$(cd "${top_builddir:-.}" && pwd)/gnode
tmp=$(mktemp -d)
chmod 755 "$tmp"
pids=""
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
check() {
	if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi
}
jget() {
	sed -n "s/.*\"$1\":\([-0-9.a-z]*\).*/\1/p" "$2"
}
urn_of() {
	printf 'urn:sha1:%s' "$(sha1sum "$1" | cut -c1-40 | xxd -r -p | base32)"
}

share=$tmp/share
mkdir -p "$share/music/albums" "$share/docs" "$share/.secret" "$tmp/outside"
printf 'zebra crossing data\n' > "$share/music/Zebra_Crossing-Live.mp3"
head -c 300000 /dev/urandom > "$share/music/albums/Beyoncé - Halo (2008).flac"
printf 'plans\n' > "$share/docs/report_2021_v3.pdf"
printf 'hidden\n' > "$share/.hidden_file.txt"
printf 'secret\n' > "$share/.secret/inside.txt"
: > "$share/docs/empty.txt"
printf 'outside\n' > "$tmp/outside/passwords.txt"
ln -s "$tmp/outside/passwords.txt" "$share/docs/link_out.txt"
ln -s "$share/docs/report_2021_v3.pdf" "$share/music/link_in.pdf"
ln -s "$share" "$share/docs/loop"
cat > "$tmp/gnode.conf" <<EOC
[node]
data_dir = $tmp/data
[share]
dir = $share
EOC
g() { "$gnode" -c "$tmp/gnode.conf" "$@"; }
snapshot() { find "$share" -printf '%p %s %T@ %m\n' | sort; }
before=$(snapshot)

g --json share rescan > "$tmp/scan1.json" 2>"$tmp/scan1.err"
check "first scan exits 0" '[ $? -eq 0 ]'
check "first scan is complete" 'grep -q "\"complete\":true" "$tmp/scan1.json"'
g --json share list > "$tmp/list.json"
check "three files shared (hidden, empty, outside link skipped; inside link once)" \
    '[ "$(grep -o "\"index\"" "$tmp/list.json" | wc -l)" = 3 ]'
check "list has the mp3" 'grep -q "Zebra_Crossing-Live.mp3" "$tmp/list.json"'
check "list has the accented name" 'grep -q "Beyoncé - Halo (2008).flac" "$tmp/list.json"'
check "list has the pdf once" '[ "$(grep -o "\"name\":\"report_2021_v3.pdf\"" "$tmp/list.json" | wc -l)" = 1 ]'
check "hidden files are not shared" '! grep -q "hidden_file\|inside.txt" "$tmp/list.json"'
check "a symlink leading outside is not followed" '! grep -q "passwords" "$tmp/list.json"'
check "empty files are not shared" '! grep -q "empty.txt" "$tmp/list.json"'
check "the urn is the file's SHA-1" \
    'grep -q "$(urn_of "$share/music/Zebra_Crossing-Live.mp3")" "$tmp/list.json"'

g --json share find zebra > "$tmp/f.json"
check "find by one word" 'grep -q Zebra_Crossing "$tmp/f.json"'
g --json share find LIVE zeb > "$tmp/f.json"
check "find by two words, case and prefix" 'grep -q Zebra_Crossing "$tmp/f.json"'
g --json share find beyonce halo > "$tmp/f.json"
check "find with accents folded" 'grep -q "Halo" "$tmp/f.json"'
g --json share find zebra report > "$tmp/f.json"
check "every keyword must match" '! grep -q "\"index\"" "$tmp/f.json"'

g --json share rescan > "$tmp/scan2.json" 2>/dev/null
check "an unchanged tree is not hashed again" '[ "$(jget hashed "$tmp/scan2.json")" = 0 ]'
check "scanning and searching wrote nothing inside the share" '[ "$before" = "$(snapshot)" ]'

printf 'more\n' >> "$share/docs/report_2021_v3.pdf"
mv "$share/music/Zebra_Crossing-Live.mp3" "$share/music/Zebra_Crossing-Studio.mp3"
rm "$share/music/albums/Beyoncé - Halo (2008).flac"
before=$(snapshot)
g --json share rescan > "$tmp/scan3.json" 2>/dev/null
check "rescanning a changed tree wrote nothing inside it" '[ "$before" = "$(snapshot)" ]'
check "changed and renamed files are hashed, others kept" '[ "$(jget hashed "$tmp/scan3.json")" = 2 ]'
check "the vanished and the renamed-away rows are removed" '[ "$(jget removed "$tmp/scan3.json")" = 2 ]'
g --json share list > "$tmp/list.json"
check "renamed file found by its new name" 'grep -q Studio "$tmp/list.json" && ! grep -q "Live.mp3" "$tmp/list.json"'
check "removed file gone" '! grep -q Halo "$tmp/list.json"'
check "changed file has its new hash" 'grep -q "$(urn_of "$share/docs/report_2021_v3.pdf")" "$tmp/list.json"'

# Filters from the config.
cat >> "$tmp/gnode.conf" <<EOC
extensions = mp3
EOC
g --json share rescan > /dev/null 2>&1
g --json share list > "$tmp/list.json"
check "extension filter keeps only mp3" 'grep -q "Studio.mp3" "$tmp/list.json" && ! grep -q "pdf" "$tmp/list.json"'
sed -i '/^extensions/d' "$tmp/gnode.conf"

# Hostile search text: answered or refused, never an SQL error or a crash.
for q in '"' 'NEAR(a b)' 'zebra OR x' 'words:zebra' '*' '^z' 'a AND' "$(printf '\377\376')" "-zebra" "(((("; do
	g share find "$q" > "$tmp/h.out" 2>&1
	rc=$?
	check "hostile query [$q] handled (exit $rc)" '[ $rc -le 1 ] && ! grep -qi "sql\|fts5" "$tmp/h.out"'
done
many=$(awk 'BEGIN{for(i=0;i<4000;i++) printf "w%d ", i}')
g share find $many > "$tmp/h.out" 2>&1
rc=$?
check "4000 keywords refused with a message" '[ $rc -eq 1 ] && grep -q "too many keywords" "$tmp/h.out"'

# An unreadable directory is skipped with a log line (as an unprivileged
# user: root reads everything).
if command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
	mkdir -p "$tmp/pub/ok" "$tmp/pub/locked" "$tmp/pubdata"
	printf 'readable\n' > "$tmp/pub/ok/visible_file.txt"
	printf 'locked\n' > "$tmp/pub/locked/locked_file.txt"
	chmod 700 "$tmp/pub/locked"
	chmod 777 "$tmp/pubdata"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$gnode" \
	    --data-dir "$tmp/pubdata" --share "$tmp/pub" --json share rescan \
	    > "$tmp/pub.json" 2> "$tmp/pub.err"
	check "unreadable directory: scan still completes" 'grep -q "\"complete\":true" "$tmp/pub.json"'
	check "unreadable directory: logged" 'grep -q "locked" "$tmp/pub.err"'
	setpriv --reuid=65534 --regid=65534 --clear-groups "$gnode" \
	    --data-dir "$tmp/pubdata" --json share list > "$tmp/pub.list"
	check "unreadable directory: the rest is shared" 'grep -q visible_file "$tmp/pub.list" && ! grep -q locked_file "$tmp/pub.list"'
fi

# The data directory may not lie inside a share.
"$gnode" --data-dir "$share/db" --share "$share" share stats > /dev/null 2>&1
rc=$?
check "data_dir inside a share is refused" '[ $rc -eq 2 ] && [ ! -e "$share/db" ]'


# SIGKILL in the middle of a scan: the next scan opens the database and
# completes without hashing again what was already done.
big=$tmp/big
mkdir -p "$big"
i=0
while [ $i -lt 120 ]; do
	head -c 2097152 /dev/urandom > "$big/blob_$i.bin"
	i=$((i + 1))
done
"$gnode" --data-dir "$tmp/bigdata" --share "$big" share rescan > /dev/null 2> "$tmp/kill.err" &
pid=$!
pids="$pids $pid"
n=0
while [ $n -lt 300 ]; do
	if grep -q "hashed [1-9][0-9]*/" "$tmp/kill.err" 2>/dev/null; then break; fi
	sleep 0.1
	n=$((n + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
"$gnode" --data-dir "$tmp/bigdata" --share "$big" --json share rescan > "$tmp/kill.json" 2>/dev/null
check "after SIGKILL the next scan completes" 'grep -q "\"complete\":true" "$tmp/kill.json"'
check "after SIGKILL all files are there" '[ "$(jget files "$tmp/kill.json")" = 120 ]'
h=$(jget hashed "$tmp/kill.json")
check "after SIGKILL finished files are not hashed again ($h of 120)" '[ "$h" -lt 120 ]'
"$gnode" --data-dir "$tmp/bigdata" --json share stats > "$tmp/kill.stats"
check "after SIGKILL the index holds every file" '[ "$(jget hashed "$tmp/kill.stats")" = 120 ]'
exit $fail
