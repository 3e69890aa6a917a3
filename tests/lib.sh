# tests/lib.sh: what tests/net.sh, tests/upload.sh and tests/download.sh
# share, sourced (POSIX sh) right after their `set -u`:
#	top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
#	. "$top_srcdir/tests/lib.sh"
# Sourcing it sets $top, $gnode and $netpeer, and skips (exit 77) when
# they are not built. A script then makes its own checks (need_loopback
# FIRST LAST, ...) and calls setup_tmp, which makes $tmp, $port, $rnd,
# $pids and $fail and installs the cleanup on exit. A script may redefine,
# after sourcing, cleanup_first (run first by cleanup), log_tail FILE (what
# cleanup shows of a node's log after a failure), and any helper below
# (g, stop, ...) that it wants otherwise.
# shellcheck shell=sh disable=SC2034
top=$(cd "${top_builddir:-.}" && pwd)
gnode=$top/gnode
netpeer=$top/tests/net/netpeer
if [ ! -x "$gnode" ] || [ ! -x "$netpeer" ]; then
	echo "SKIP: $gnode or $netpeer not built"
	exit 77
fi

# need_loopback FIRST LAST: skip unless 127.0.0.FIRST and .LAST can be bound.
# Linux routes all of 127/8 to lo; other systems may only have 127.0.0.1.
need_loopback() {
	if ! "$netpeer" bind "127.0.0.$1" || ! "$netpeer" bind "127.0.0.$2"; then
		echo "SKIP: cannot bind loopback aliases 127.0.0.$1-$2"
		exit 77
	fi
}

# setup_tmp: the temporary directory, the port, a random tag; cleanup on
# exit, and exit 1 on a signal.
setup_tmp() {
	tmp=$(mktemp -d)
	chmod 755 "$tmp"
	port=$((20000 + $$ % 12000))	# below Linux's ephemeral range
	rnd=$(od -An -N4 -tx4 /dev/urandom | tr -d ' \n')
	pids=""		# every process we started and have not reaped yet
	fail=0
	trap cleanup EXIT
	trap 'exit 1' INT TERM HUP
}
cleanup_first() {
	:
}
log_tail() {
	tail -n 40 "$1"
}
# cleanup: TERM every process we started (KILL after 5 s), show the logs
# if a check failed, remove $tmp unless GNODE_TEST_KEEP is set.
cleanup() {
	cleanup_first
	for p in $pids; do kill -TERM "$p" 2>/dev/null; done
	n=0
	while [ "$n" -lt 50 ]; do
		alive=""
		for p in $pids; do
			kill -0 "$p" 2>/dev/null && alive="$alive $p"
		done
		[ -z "$alive" ] && break
		sleep 0.1
		n=$((n + 1))
	done
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	if [ "$fail" -ne 0 ]; then
		for d in "$tmp"/*/; do
			[ -f "$d/log" ] || continue
			echo "--- $(basename "$d"): last lines of its log"
			log_tail "$d/log"
		done
	fi
	if [ -n "${GNODE_TEST_KEEP:-}" ]; then
		echo "kept $tmp"
	else
		rm -rf "$tmp"
	fi
}

# check TEXT CONDITION: eval CONDITION; "ok: TEXT" or "FAIL: TEXT".
check() {
	if eval "$2"; then
		echo "ok: $1"
	else
		echo "FAIL: $1"
		fail=1
		return 1
	fi
}
info() {
	echo "info: $*"
}
now() {
	date +%s
}
# above N COMMAND..., same TEXT COMMAND...: COMMAND's output is a number
# over N, or is TEXT. For wait_until, which runs its command each time: a
# "$(...)" among its arguments would be read once, before the first try.
above() {
	_a_n=$1
	shift
	[ "$("$@")" -gt "$_a_n" ] 2>/dev/null
}
same() {
	_s_t=$1
	shift
	[ "$("$@")" = "$_s_t" ]
}
# wait_until SECONDS COMMAND...: run COMMAND until it succeeds, for at
# most SECONDS of wall time.
wait_until() {
	_w_end=$(($(now) + $1))
	shift
	while :; do
		if "$@"; then return 0; fi
		[ "$(now)" -lt "$_w_end" ] || return 1
		sleep 0.2
	done
}
# forget PID: it is reaped; cleanup leaves it alone.
forget() {
	_f_new=""
	for _f_p in $pids; do
		[ "$_f_p" = "$1" ] || _f_new="$_f_new $_f_p"
	done
	pids=$_f_new
}
sha1() {
	sha1sum < "$1" | cut -d' ' -f1
}

# --- nodes (each one in $tmp/NAME) ---------------------------------------------

# node_section DIR LAST_OCTET: the [node] section of a config.
node_section() {
	printf '[node]\n'
	printf 'data_dir = %s\n' "$1/data"
	printf 'listen = 127.0.0.%s:%s\n' "$2" "$port"
	printf 'control = %s\n' "$1/sock"
	printf 'log_level = debug\n'
	printf 'pid_file = %s\n' "$1/pid"
	# A fixed role: auto (the default) would start as a leaf and
	# promote by its own clock (tests/roles.sh tests that).
	printf 'mode = ultrapeer\n'
}
# mknode NAME OCTET MODE [node.KEY=VALUE|KEY=VALUE...]: $tmp/NAME/conf,
# sharing $tmp/NAME/share; node.KEY goes in [node], any other in [net].
# (Some scripts define a mknode of their own in its place.)
mknode() {
	_m_d=$tmp/$1
	mkdir -p "$_m_d/data" "$_m_d/share"
	_m_o=$2
	_m_mode=$3
	shift 3
	{
		node_section "$_m_d" "$_m_o"
		printf 'mode = %s\n' "$_m_mode"
		for _m_kv in "$@"; do
			case $_m_kv in
			node.*) _m_kv=${_m_kv#node.}
				printf '%s = %s\n' "${_m_kv%%=*}" "${_m_kv#*=}" ;;
			esac
		done
		printf '[net]\n'
		for _m_kv in "$@"; do
			case $_m_kv in
			node.*) ;;
			*) printf '%s = %s\n' "${_m_kv%%=*}" "${_m_kv#*=}" ;;
			esac
		done
		printf '[share]\ndir = %s\n' "$_m_d/share"
	} > "$_m_d/conf"
}
# mkxfer NAME OCTET [XFER_KEY=VALUE...]: $tmp/NAME/conf for a transfer
# test: reachable (firewalled = no), sharing $tmp/NAME/share, finished
# downloads to $tmp/NAME/downloads, the keys given in [xfer].
mkxfer() {
	_x_d=$tmp/$1
	mkdir -p "$_x_d/data" "$_x_d/share" "$_x_d/downloads"
	_x_o=$2
	shift 2
	{
		node_section "$_x_d" "$_x_o"
		printf '[net]\nfirewalled = no\n'
		printf '[share]\ndir = %s\n' "$_x_d/share"
		printf '[xfer]\ndownload_dir = %s\n' "$_x_d/downloads"
		for _x_kv in "$@"; do
			printf '%s = %s\n' "${_x_kv%%=*}" "${_x_kv#*=}"
		done
	} > "$_x_d/conf"
}
# start NAME: run the node in the background, stderr to its log.
start() {
	echo "=== start $(date '+%T')" >> "$tmp/$1/log"
	"$gnode" --headless -c "$tmp/$1/conf" >/dev/null 2>>"$tmp/$1/log" &
	eval "pid_$1=$!"
	pids="$pids $!"
}
pid_of() {
	eval "echo \${pid_$1:-}"
}
# stop NAME SIGNAL: signal the node and wait (bounded) for it to exit;
# returns its exit status.
stop() {
	_s_pid=$(pid_of "$1")
	[ -n "$_s_pid" ] || return 255
	kill -"$2" "$_s_pid" 2>/dev/null
	_s_end=$(($(now) + 15))
	while kill -0 "$_s_pid" 2>/dev/null && [ "$(now)" -lt $_s_end ]; do
		sleep 0.1
	done
	kill -0 "$_s_pid" 2>/dev/null && kill -9 "$_s_pid" 2>/dev/null
	wait "$_s_pid"
	_s_rc=$?
	forget "$_s_pid"
	eval "pid_$1="
	return $_s_rc
}
# freeze NAME / thaw NAME: SIGSTOP / SIGCONT one of our processes,
# kept in $stopped (a script sets it to "" and lets the stopped ones go
# in its cleanup_first).
freeze() {
	_z_p=$(pid_of "$1")
	kill -STOP "$_z_p" && stopped="$stopped $_z_p"
}
thaw() {
	_z_p=$(pid_of "$1")
	kill -CONT "$_z_p"
	_z_new=""
	for _z_q in $stopped; do
		[ "$_z_q" = "$_z_p" ] || _z_new="$_z_new $_z_q"
	done
	stopped=$_z_new
}
# g NAME COMMAND...: one control command, JSON out, errors dropped.
g() {
	_g_n=$1
	shift
	"$gnode" -S "$tmp/$_g_n/sock" --json "$@" 2>/dev/null
}
json() {
	"$netpeer" json "$1"
}
answers() {
	g "$1" stats >/dev/null
}
# scanned NAME FILES: the node's startup scan is over with FILES files.
scanned() {
	g "$1" stats > "$tmp/stats.json" || return 1
	[ "$(json scanning < "$tmp/stats.json")" = false ] &&
	    [ "$(json files < "$tmp/stats.json")" = "$2" ]
}
