#!/bin/sh
# cli.sh: the gnode program answers its flags as gnode(1) says, through the
# real binary: --version, --help, usage errors, and command errors.
set -u
bin=${top_builddir:-.}/gnode
tmp=$(mktemp -d)
demo1=""
trap '[ -z "$demo1" ] || kill "$demo1" 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0
check() {
	if ! eval "$2"; then
		echo "FAIL: $1"
		fail=1
	else
		echo "ok: $1"
	fi
}
out=$("$bin" --version); rc=$?
check "--version exits 0" '[ $rc -eq 0 ]'
check "--version names gnode and its version" 'echo "$out" | grep -Eq "^gnode [0-9]+\.[0-9]+\.[0-9]+$"'
check "--version names the protocol" 'echo "$out" | grep -q "Gnutella 0.6"'
out=$("$bin" -h); rc=$?
check "-h exits 0" '[ $rc -eq 0 ]'
check "-h shows usage" 'echo "$out" | grep -q "^usage: gnode"'
check "-h lists the commands" 'echo "$out" | grep -q "share list"'
"$bin" --bogus >/dev/null 2>&1; rc=$?
check "an unknown flag is a usage error (exit 2)" '[ $rc -eq 2 ]'
err=$("$bin" --bogus 2>&1 >/dev/null)
check "a usage error prints usage on stderr" 'echo "$err" | grep -q "usage: gnode"'
unknown="unknown command 'frobnicate' (try help)"
out=$("$bin" --data-dir "$tmp/d" frobnicate 2>&1); rc=$?
check "an unknown command fails (exit 1) and says so" '[ $rc -eq 1 ] && [ "$out" = "error: $unknown" ]'
out=$("$bin" --data-dir "$tmp/d" --json frobnicate); rc=$?
check "errors are JSON with --json" '[ $rc -eq 1 ] && [ "$out" = "{\"error\":\"$unknown\"}" ]'
out=$("$bin" --data-dir "$tmp/d" share); rc=$?
check "a missing argument gives the usage" '[ $rc -eq 1 ] && echo "$out" | grep -q "usage: share"'
out=$("$bin" help share); rc=$?
check "help COMMAND explains it" '[ $rc -eq 0 ] && echo "$out" | grep -q "^usage: share"'
printf '[node]\nport = 1\n' > "$tmp/bad.conf"
err=$("$bin" -c "$tmp/bad.conf" help 2>&1); rc=$?
check "a bad config key names file and line (exit 2)" '[ $rc -eq 2 ] && echo "$err" | grep -q "bad.conf:2: unknown key \[node\] port"'
"$bin" -c "$tmp/none.conf" help >/dev/null 2>&1; rc=$?
check "a missing config file is an error" '[ $rc -eq 2 ]'
err=$("$bin" --demo -d "$tmp/d" peers 2>&1); rc=$?
check "--demo takes no command (exit 2)" '[ $rc -eq 2 ] && echo "$err" | grep -q "demo takes no command"'
mkdir -p "$tmp/mine/demo"
echo keep > "$tmp/mine/demo/precious"
err=$("$bin" --demo --headless -d "$tmp/mine" 2>&1 </dev/null); rc=$?
check "--demo leaves a DATA_DIR/demo it did not make alone (exit 1)" \
    '[ $rc -eq 1 ] && echo "$err" | grep -q "not made by gnode --demo" &&
     [ "$(cat "$tmp/mine/demo/precious")" = keep ]'
# A demo running in a data_dir: a second one there is refused, not let
# wipe the first.
"$bin" --demo --headless -d "$tmp/run" 2>"$tmp/demo1.err" </dev/null &
demo1=$!
i=0
while [ ! -S "$tmp/run/demo/you/control" ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
err=$("$bin" --demo --headless -d "$tmp/run" 2>&1 </dev/null); rc=$?
check "a second --demo on the same data_dir is refused (exit 1)" \
    '[ $rc -eq 1 ] && echo "$err" | grep -q "another demo is running there"'
check "... and the first demo's files are still there" \
    '[ -S "$tmp/run/demo/you/control" ] && [ -s "$tmp/run/demo/peer2/share/lighthouse-keepers-logbook.txt" ]'
kill -TERM $demo1
wait $demo1; rc=$?
demo1=""
check "SIGTERM stops the headless demo with exit 0 (got $rc)" '[ $rc -eq 0 ]'
exit $fail
