#!/bin/sh
# cli.sh: the gnode program answers its flags as gnode(1) says, through the
# real binary: --version, --help, and a usage error for a bad flag.
set -u
bin=${top_builddir:-.}/gnode
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
"$bin" --bogus >/dev/null 2>&1; rc=$?
check "an unknown flag is a usage error (exit 2)" '[ $rc -eq 2 ]'
err=$("$bin" --bogus 2>&1 >/dev/null)
check "a usage error prints usage on stderr" 'echo "$err" | grep -q "usage: gnode"'
"$bin" stray >/dev/null 2>&1; rc=$?
check "a stray argument is a usage error" '[ $rc -eq 2 ]'
exit $fail
