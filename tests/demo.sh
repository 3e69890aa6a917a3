#!/bin/sh
# demo.sh: `gnode --demo`, typed at as a person would, in a real
# pseudo-terminal (a tmux pane, as in tests/shell.sh), twice on the same
# data_dir, under umask 022:
#   1) the first run: joined to the four demo nodes; search welcome and
#      get it: while it runs, `downloads --json` at the node's socket has
#      four sources active on it, and the live `downloads` view shows its
#      one bar with 4/4 sources; done, its SHA-1 the peers', mode 0644;
#      quit: exit 0. The log: every line names its node (127.0.0.1 to
#      127.0.0.5); each peer says what it shares only once its scan is
#      done, in so many words.
#   2) the second run: the peers are made afresh (a file left in a peer's
#      directory is gone), the user's node is not: Up at the prompt
#      brings back the first run's last line, `downloads` still lists the
#      welcome pack done, the file is still there; quit: exit 0.
# Every wait is a bounded poll on what the screen or the node says; no
# duration is asserted. GNODE_TEST_KEEP=1 keeps the temporary directory.
# shellcheck disable=SC2016,SC2034,SC2317
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/lib.sh
. "$top_srcdir/tests/lib.sh"
if ! command -v tmux >/dev/null 2>&1; then
	# CI installs it (contrib/setup.sh): there a missing tmux is a failure.
	if [ -n "${CI:-}" ]; then
		echo "FAIL: tmux is not installed"
		exit 1
	fi
	echo "SKIP: tmux is not installed"
	exit 77
fi
need_loopback 2 5
setup_tmp
cleanup_first() {
	if [ "$fail" -ne 0 ] && [ -n "$tmuxpid" ]; then
		for s in R1 R2; do
			tm has-session -t "=$s" 2>/dev/null || continue
			echo "--- the screen of run $s"
			screen "=$s" | tail -n 30
		done
		[ -f "$demo/you/gnode.log" ] &&
		    { echo "--- the demo's log"; grep -v "ping\|pong" \
		    "$demo/you/gnode.log" | tail -n 40; }
	fi
	for s in R1 R2; do
		[ -s "$tmp/$s/stderr" ] || continue
		echo "--- the stderr of run $s"
		tail -n 20 "$tmp/$s/stderr"
	done
}

# --- the terminal: tests/tmux.sh, each shell under umask 022 -----------------

# shellcheck source=tests/tmux.sh
. "$top_srcdir/tests/tmux.sh"
shell_umask=022

# view_off NAME: the prompt is back from a live view: by itself, or at a
# key if it is still redrawing.
prompt_back() {
	[ "$(last_line "$1")" = "gnode>" ]
}
view_off() {
	wait_until 5 prompt_back "$1" && return 0
	key "$1" x
	wait_until 10 prompt_back "$1"
}

# --- the node, at its control socket -------------------------------------------

demo=$tmp/data/demo
pack=gnode-demo-welcome-pack.txt
saved=$demo/you/downloads/$pack
# d COMMAND...: one command at the demo node's socket, JSON out.
d() {
	"$gnode" -S "$demo/you/control" --json "$@" 2>/dev/null
}
four_up() {
	[ "$(d peers | json 'peers[state=up].address' |
	    grep -cE '^127\.0\.0\.[2-5]:[0-9]+$')" -eq 4 ]
}
# dl FIELD: one field of the welcome pack's download.
dl() {
	d downloads | json "downloads[name=$pack].$1"
}

# --- 1) the first run ----------------------------------------------------------

echo "# 1) the first gnode --demo"
shell R1 -- --demo -d "$tmp/data"
check "1: the greeting says what to try, and the prompt comes" \
    'wait_until 30 shows R1 "demo: try \`search lighthouse\`" &&
     wait_until 20 prompts R1 1'
check "1: joined to the four demo nodes" 'wait_until 30 four_up'
if [ "$fail" -ne 0 ]; then
	echo "Bail out: the demo does not start"
	exit 1
fi
line R1 "search welcome"
rid=1
nsrc() {
	[ "$(d results "$rid" | json "results[name=$pack].sources[].address" |
	    wc -l)" -eq 4 ]
}
check "1: search welcome: the welcome pack, with four sources" \
    'wait_until 20 nsrc'
num=$(d results "$rid" | json "results[name=$pack].number")
line R1 "get $num"
check "1: get $num: the download starts" \
    'wait_until 10 shows R1 "started: $pack"'
line R1 downloads
# While it runs: four sources at work on it, at the socket and on screen.
seen_json=""
seen_row=""
# four_at_work: until done, look for four active sources in the JSON and
# for the one row with its bar and 4/4 in the live view; done stops it.
four_at_work() {
	_f_state=$(dl state)
	if [ "$_f_state" = active ] && [ "$(dl sources_active)" = 4 ]; then
		seen_json=1
	fi
	if screen R1 | grep -F -- "$pack" | grep -v " done " |
	    grep -qE '[0-9]+% +\[[#.]+\] .* 4/4 '; then
		seen_row=1
	fi
	[ "$_f_state" = done ] || { [ -n "$seen_json" ] && [ -n "$seen_row" ]; }
}
check "1: downloads --json: four sources active on the welcome pack" \
    'wait_until 90 four_at_work && [ -n "$seen_json" ]' ||
    info "downloads: $(d downloads)"
check "1: the live downloads view: its one bar, 4/4 sources" \
    '[ -n "$seen_row" ]'
check "1: the welcome pack is done, its SHA-1 the peers'" \
    'wait_until 90 eval "[ \"\$(dl state)\" = done ]" &&
     [ "$(sha1 "$saved")" = "$(sha1 "$demo/peer5/share/$pack")" ]'
check "1: the saved file is 0644 under umask 022 (got $(stat -c %a "$saved" 2>/dev/null))" \
    '[ "$(stat -c %a "$saved")" = 644 ]'
# The view stops by itself once every download is done (at a key before).
view_off R1
line R1 stats
check "1: stats answers" 'wait_until 10 shows R1 "gnode> stats"'
line R1 quit
check "1: quit: exit 0" 'wait_until 30 dead R1 && [ "$rc" = 0 ]' ||
    info "exit status ${rc:-unknown}"
forget "$shpid_R1"

log=$demo/you/gnode.log
check "1: every line of the demo's log names its node" \
    '[ -s "$log" ] &&
     ! grep -vE "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8} 127\.0\.0\.[1-5] [a-z]+: " "$log" | grep -q .' ||
    info "$(grep -vE "^[0-9-]{10}T[0-9:]{8} 127\.0\.0\.[1-5] " "$log" | head -n 5)"
for i in 2 3 4 5; do
	check "1: 127.0.0.$i: its own lines, up and then what it shares, once scanned" \
	    'grep -qE "^[0-9T:-]+ 127\.0\.0\.$i info: node 127\.0\.0\.$i:[0-9]+ up\$" "$log" &&
	     [ "$(grep -E "^[0-9T:-]+ 127\.0\.0\.$i " "$log" | grep "files\{0,1\} shared")" = \
	       "$(grep -E "^[0-9T:-]+ 127\.0\.0\.$i info: share: scan done: 4 files shared \(4 hashed, 0 removed\)\$" "$log")" ] &&
	     grep -qE "^[0-9T:-]+ 127\.0\.0\.$i info: share: scan done: 4 files shared \(4 hashed, 0 removed\)\$" "$log"'
done
check "1: the user's node's lines are its own (127.0.0.1)" \
    'grep -qE "^[0-9T:-]+ 127\.0\.0\.1 info: node 127\.0\.0\.1:[0-9]+ up\$" "$log" &&
     grep -qE "^[0-9T:-]+ 127\.0\.0\.1 info: download [0-9]+ $pack: done" "$log"'

# --- 2) the second run ---------------------------------------------------------

echo "# 2) the second gnode --demo on the same data_dir"
echo left > "$demo/peer2/left-by-the-test"
shell R2 -- --demo -d "$tmp/data"
check "2: the greeting and the prompt come" \
    'wait_until 30 shows R2 "demo: try \`search lighthouse\`" &&
     wait_until 20 prompts R2 1'
check "2: the peers were made afresh" \
    '[ ! -e "$demo/peer2/left-by-the-test" ] &&
     [ -s "$demo/peer2/share/lighthouse-keepers-logbook.txt" ]'
key R2 Up
check "2: Up brings back the first run's last line" \
    'wait_until 10 eval "[ \"\$(last_line R2)\" = \"gnode> quit\" ]"' ||
    info "last line: $(last_line R2)"
key R2 Up
check "2: ... and the one before it" \
    'wait_until 10 eval "[ \"\$(last_line R2)\" = \"gnode> stats\" ]"' ||
    info "last line: $(last_line R2)"
key R2 C-u
line R2 downloads
check "2: downloads still lists the welcome pack, done, where it was saved" \
    'wait_until 20 eval "screen R2 | grep -F -- \"$pack\" | grep -q \" done \"" &&
     [ "$(dl state)" = done ] && [ "$(dl path)" = "$saved" ]'
check "2: the file is still there, unchanged" \
    '[ "$(sha1 "$saved")" = "$(sha1 "$demo/peer5/share/$pack")" ]'
view_off R2
line R2 quit
check "2: quit: exit 0" 'wait_until 30 dead R2 && [ "$rc" = 0 ]' ||
    info "exit status ${rc:-unknown}"
forget "$shpid_R2"
check "nothing on the shells' stderr" \
    '[ ! -s "$tmp/R1/stderr" ] && [ ! -s "$tmp/R2/stderr" ]'
exit $fail
