#!/bin/sh
# setup.sh: from a clean clone on Debian 12 to a running gnode, or to a full
# test run, in one command.
#
#   sh contrib/setup.sh run    install what is missing, build, and open the
#                              gnode> shell on the demo network (gnode --demo)
#   sh contrib/setup.sh test   install, build with -Werror + ASan + UBSan,
#                              run every test, smoke the fuzzers, distcheck
#
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
# tests/scope.sh counts connect() calls with strace.
[ "$mode" = test ] && pkgs="$pkgs clang libclang-rt-14-dev
libglib2.0-0 libgnutls30 faketime iproute2 python3 strace"

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
test)
	configure_in debug --enable-debug
	make -j"$jobs" check || {
		show_failed tests
		exit 1
	}
	cat tests/check_wire.log
	configure_in fuzz --enable-fuzzing CC=clang
	make -j"$jobs" fuzz FUZZ_SECONDS=${FUZZ_SECONDS:-10}
	cd "$top/build/debug"
	make -j"$jobs" distcheck || {
		show_failed .
		exit 1
	}
	;;
*)
	echo "usage: sh contrib/setup.sh [run|test]" >&2
	exit 2
	;;
esac
