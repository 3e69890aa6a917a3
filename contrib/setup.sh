#!/bin/sh
# setup.sh: from a clean clone on Debian 12 to a running gnode, or to a full
# test run, in one command.
#
#   sh contrib/setup.sh run    install what is missing, build, and open the
#                              gnode> shell on the demo network (gnode --demo)
#   sh contrib/setup.sh install  build a release build and `make install`
#                              it into /usr/local (sudo when not root):
#                              gnode, gnode-sim, man pages, bash completion
#   sh contrib/setup.sh uninstall  remove what install put there
#   sh contrib/setup.sh test   install, build with -Werror + ASan + UBSan,
#                              run every test, smoke the fuzzers, distcheck;
#                              ends with one summary line
#
# install honours DESTDIR (a staging root) as make install does.
# Builds go to build/<kind> so the two never trample each other.
set -eu

mode=${1:-run}
top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)

# Debian packages gnode builds and tests with.
pkgs="gcc make autoconf automake pkg-config libev-dev libsqlite3-dev
libreadline-dev check libsubunit-dev zlib1g-dev libinih-dev libssl-dev
librhash-dev xxd curl tmux"
# tests/interop.sh runs ../shared/interop's gtk-gnutella, which needs these;
# tests/scope.sh counts connect() calls with strace; tests/readme.sh
# clones the checkout with git; tests/push.sh and interop_push.sh make a
# node unreachable with nftables.
[ "$mode" = test ] && pkgs="$pkgs clang libclang-rt-14-dev
libglib2.0-0 libgnutls30 faketime iproute2 python3 strace git nftables"

install_missing() {
	missing=""
	for p in $pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q "install ok installed" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "setup: installing:$missing"
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	$sudo apt-get update -q
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
	    --no-install-recommends $missing
}

# show_failed DIR: the end of each log of a test under DIR that failed, so a
# CI run that fails says why (the suite's summary alone does not).
show_failed() {
	for trs in $(grep -lE '^:test-result: (FAIL|ERROR)' \
	    $(find "$1" -name '*.trs') 2>/dev/null); do
		echo "=== ${trs%.trs}.log"
		tail -n 150 "${trs%.trs}.log"
	done
}

configure_in() {
	dir=$1; shift
	mkdir -p "$top/build/$dir"
	cd "$top/build/$dir"
	[ -f Makefile ] || "$top/configure" "$@"
}

# as_owner DIR: sudo when DIR (or, while it does not exist, the nearest
# directory above it) is not writable by us; "" when it is.
as_owner() {
	d=$1
	while [ ! -d "$d" ]; do d=$(dirname "$d"); done
	if [ -w "$d" ] && { [ ! -d "$1/bin" ] || [ -w "$1/bin" ]; }; then
		echo ""
	else
		echo sudo
	fi
}

# prefix_of: the release build's install prefix (configure's --prefix).
prefix_of() {
	sed -n 's/^prefix = //p' "$top/build/release/Makefile"
}

# suites RESULT: how many suites of the last make check ended with
# RESULT, from its test-suite.log.
suites() {
	sed -n "s/^# $1: *//p" "$top/build/debug/test-suite.log" 2>/dev/null |
	    grep . || echo 0
}

# count N THING: "1 THING", "N THINGs".
count() {
	if [ "$1" = 1 ]; then echo "1 $2"; else echo "$1 $2s"; fi
}

# verdict TEXT: the one line a test run ends with.
verdict() {
	if [ -f "$top/build/debug/test-suite.log" ]; then
		echo "setup: test: $(count "$(suites PASS)" suite) passed," \
		    "$(($(suites FAIL) + $(suites ERROR) + $(suites XPASS))) failed," \
		    "$(suites SKIP) skipped; $1"
	else
		echo "setup: test: make check failed before its tests ran; $1"
	fi
}

install_missing
cd "$top"
[ -x configure ] || ./autogen.sh

case "$mode" in
run)
	configure_in release
	make -j"$jobs"
	./gnode --version
	# On a terminal: the demo network and its prompt (quit to leave).
	if [ -t 0 ] && [ -t 1 ]; then
		exec ./gnode --demo
	fi
	./gnode --help
	;;
install)
	configure_in release
	make -j"$jobs"
	prefix=$(prefix_of)
	sudo=$(as_owner "${DESTDIR:-}$prefix")
	[ -n "$sudo" ] &&
	    echo "setup: $prefix is not writable by $(id -un): make install with sudo"
	$sudo make install DESTDIR="${DESTDIR:-}" > install.log ||
	    { cat install.log; exit 1; }
	echo "setup: installed gnode and gnode-sim in ${DESTDIR:-}$prefix/bin," \
	    "their man pages and the bash completion"
	"${DESTDIR:-}$prefix/bin/gnode" --version
	if [ -z "${DESTDIR:-}" ] &&
	    [ "$(command -v gnode)" != "$prefix/bin/gnode" ]; then
		echo "setup: $prefix/bin is not first on your PATH for gnode:" \
		    "add it, or run $prefix/bin/gnode"
	fi
	;;
uninstall)
	[ -f build/release/Makefile ] ||
	    { echo "setup: nothing installed from build/release" >&2; exit 1; }
	prefix=$(prefix_of)
	sudo=$(as_owner "${DESTDIR:-}$prefix")
	[ -n "$sudo" ] &&
	    echo "setup: $prefix is not writable by $(id -un): make uninstall with sudo"
	$sudo make -C build/release uninstall DESTDIR="${DESTDIR:-}" >/dev/null
	echo "setup: removed gnode from ${DESTDIR:-}$prefix"
	;;
test)
	# Each step's output goes to a log in build/; a failure shows the
	# failing tests' logs (or the end of the step's log), and the run ends
	# with one line either way.
	configure_in debug --enable-debug >/dev/null
	echo "setup: test: make check (log: build/debug/check.log)"
	make -j"$jobs" check > check.log 2>&1 || {
		if [ -f test-suite.log ]; then
			show_failed tests
		else
			tail -n 40 check.log
		fi
		verdict "fuzz and distcheck not run"
		exit 1
	}
	configure_in fuzz --enable-fuzzing CC=clang >/dev/null
	echo "setup: test: make fuzz (log: build/fuzz/fuzz.log)"
	make -j"$jobs" fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-10}" > fuzz.log 2>&1 || {
		tail -n 40 fuzz.log
		verdict "fuzzing failed (build/fuzz/fuzz-*.log); distcheck not run"
		exit 1
	}
	fuzzed=$(grep -c 'stat::number_of_executed_units' fuzz.log || :)
	cd "$top/build/debug"
	echo "setup: test: make distcheck (log: build/debug/distcheck.log)"
	make -j"$jobs" distcheck > distcheck.log 2>&1 || {
		show_failed .
		tail -n 40 distcheck.log
		verdict "$(count "$fuzzed" "fuzz target") run; distcheck FAILED"
		exit 1
	}
	verdict "$(count "$fuzzed" "fuzz target") run; distcheck ok"
	;;
*)
	echo "usage: sh contrib/setup.sh [run|install|uninstall|test]" >&2
	exit 2
	;;
esac
