#!/bin/sh
# shell.sh: the gnode> shell, typed at as a person would, in a real
# pseudo-terminal: each shell runs in a tmux pane (a terminal emulator),
# keys go in with send-keys and the screen is read back with
# capture-pane. A source S (127.0.0.3, headless) shares a file with a
# unique word.
#   A) a node with its shell (127.0.0.2, seeded with S): search WORD; a
#      row that comes in while a command is half typed goes above it and
#      the half-typed line stays; Tab completes it; results; get and Tab
#      (the result number); downloads until done (redrawn in place); the
#      saved file's SHA-1 is the source's; quit: exit 0, and S's log shows
#      the Bye; the log went to data_dir/gnode.log, not the screen.
#   B) gnode -S SOCK attached to a headless node B (127.0.0.4, seeded
#      with S): search, results, get, downloads until done, SHA-1; exit
#      leaves with 0 and B keeps running; the history is in the data_dir
#      the attached shell was started with. The download's end is one
#      line above a half-typed line; downloads fits 200 columns, and 40
#      (a second shell, N, attached to B); get on a file done says where it
#      is, get 99 which results there are.
#   C) bad input at a local shell (127.0.0.5, NO_COLOR set): an unknown
#      command, get without its argument, a 100 KB line, a bad quote: one
#      line of error each, the shell still answers (help: grouped, a line
#      per command), clear empties the screen, no colour; Ctrl-D:
#      exit 0, the node gone, its socket removed.
#   D) gnode --demo (the user's node on 127.0.0.1, four more in the same
#      process on 127.0.0.2-5): joined to all four; search lighthouse,
#      which only the peer on .2 shares; get, downloads until done, the
#      SHA-1 is the peer's file's; the file all four share comes from four
#      sources; quit: exit 0 and each of the four heard the Bye.
# Every wait is a bounded poll on what the screen or a node says; no
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
# cleanup: the tmux server goes with the rest (its panes get SIGHUP).
log_tail() {
	grep -v "ping\|pong" "$1" | tail -n 40
}
setup_tmp
stopped=""
freeze() {
	kill -STOP "$(pid_of "$1")" && stopped="$stopped $(pid_of "$1")"
}
thaw() {
	kill -CONT "$(pid_of "$1")"
	stopped=""
}
cleanup_first() {
	for p in $stopped; do kill -CONT "$p" 2>/dev/null; done
	if [ "$fail" -ne 0 ] && [ -n "$tmuxpid" ]; then
		for s in A B C D N; do
			tm has-session -t "=$s" 2>/dev/null || continue
			echo "--- the screen of shell $s"
			screen "=$s" | tail -n 30
		done
	fi
	for s in A B C D; do
		[ -s "$tmp/$s/stderr" ] || continue
		echo "--- the stderr of shell $s"
		tail -n 20 "$tmp/$s/stderr"
	done
}

# --- the terminal: tests/tmux.sh ------------------------------------------------

# shellcheck source=tests/tmux.sh
. "$top_srcdir/tests/tmux.sh"

# --- nodes -------------------------------------------------------------------

# mknode NAME LAST_OCTET MIN_PEERS [SEED_OCTET]
mknode() {
	_m_d=$tmp/$1
	mkdir -p "$_m_d/data" "$_m_d/share" "$_m_d/downloads"
	{
		node_section "$_m_d" "$2"
		printf '[net]\nmin_peers = %s\nmax_peers = 8\n' "$3"
		[ $# -lt 4 ] || printf 'seed = 127.0.0.%s:%s\n' "$4" "$port"
		printf '[search]\nstrategy = flood\n'
		printf '[share]\ndir = %s\n' "$_m_d/share"
		printf '[xfer]\ndownload_dir = %s\n' "$_m_d/downloads"
	} > "$_m_d/conf"
}
has_peer() {
	g "$1" peers | json 'peers[state=up].address' | grep -qx "$2:$port"
}
# done_row NAME FILE: the screen shows FILE's download done, its whole
# name on a terminal 200 wide.
done_row() {
	screen "$1" | grep -qE "^ *[0-9]+ +done +100% .* $2\$"
}
# saved_row NAME FILE: downloads -v said where FILE was saved.
saved_row() {
	screen "$1" | grep -qxF "    saved as $tmp/$1/downloads/$2"
}
# table NAME CMD: the lines the screen shows between the command line
# CMD (its last time) and the prompt after it, as wide as they came (a
# row the terminal wrapped is one line here: -J joins it).
table() {
	screen "$1" | awk -v cmd="gnode> $2" '
	    $0 == cmd { n = 0; on = 1; next }
	    on && /^gnode>/ { on = 0; next }
	    on { rows[n++] = $0 }
	    END { for (i = 0; i < n; i++) print rows[i] }'
}
# widest: the widest line of stdin, in characters (the ellipsis one).
widest() {
	sed 's/\xe2\x80\xa6/./g' | awk '{ if (length($0) > w) w = length($0) }
	    END { print w + 0 }'
}

hint="(refreshing every second; press any key to stop)"
word=zq$rnd
file=shell-$word-test.bin
echo "# S shares $file"
mknode S 3 0
head -c $((3 * 1048576)) /dev/urandom > "$tmp/S/share/$file"
start S
check "S answers and has scanned its share" \
    'wait_until 15 answers S && wait_until 60 scanned S 1'
if [ "$fail" -ne 0 ]; then
	echo "Bail out: the source does not start"
	exit 1
fi

# --- A) a node with its shell --------------------------------------------------

echo "# A) gnode -c A/conf: a node with its shell on 127.0.0.2"
mknode A 2 1 3
shell A -- -c "$tmp/A/conf"
check "A: the greeting names the log file and the prompt comes" \
    'wait_until 20 shows A "its log goes to $tmp/A/data/gnode.log" &&
     wait_until 20 prompts A 1'
check "A: the node runs (its control socket answers) and has S as a peer" \
    'wait_until 15 answers A && wait_until 30 has_peer A 127.0.0.3'
check "A: its pid file holds the shell's pid" \
    '[ "$(cat "$tmp/A/pid" 2>/dev/null)" = "$shpid_A" ]'
# S is stopped while the query goes out, so the hit comes back after the
# user has begun typing the next command.
freeze S
line A "search $word"
check "A: search $word: started" 'wait_until 10 shows A "search 1 started: $word"'
typein A "sta"
check "A: the half-typed line is on screen" \
    'wait_until 10 eval "[ \"\$(last_line A)\" = \"gnode> sta\" ]"'
thaw S
check "A: the hit comes in: a row with number, size, sources, SHA-1, name" \
    'wait_until 20 shows_re A "^ +1 +3\.0 MiB +1 +[A-Z2-7]{8} +$file\$"'
# The row is printed, then readline draws the line again: a screen read
# between the two has no prompt yet, so this waits for the redraw.
check "A: ... above the line being typed, which stays as it was" \
    'wait_until 10 eval "[ \"\$(last_line A)\" = \"gnode> sta\" ]" &&
     screen A | grep -A2 "search 1 started" | grep -q "^NUMBER .* NAME$"'
key A Tab
check "A: Tab completes sta to stats" \
    'wait_until 10 eval "[ \"\$(last_line A)\" = \"gnode> stats\" ]"'
key A Enter
check "A: stats answers" 'wait_until 10 shows A "uptime "'
line A results
check "A: results: the search and its file" \
    'wait_until 10 shows A "search 1 \"$word\" (flood, " &&
     wait_until 10 eval "[ \"\$(screen A | grep -c " $file\$")\" -ge 2 ]"'
# S is stopped again: the download waits, and downloads keeps redrawing.
freeze S
typein A "get "
key A Tab
check "A: Tab after get offers result 1" \
    'wait_until 10 eval "[ \"\$(last_line A)\" = \"gnode> get 1\" ]"'
key A Enter
check "A: get 1: download 1 started" \
    'wait_until 10 shows A "download 1 started: $file"'
line A downloads
check "A: downloads, while it runs, says it redraws" 'wait_until 10 shows A "$hint"'
thaw S
check "A: downloads shows it done" 'wait_until 60 done_row A "$file"'
check "A: ... and the prompt comes back, the hint gone" \
    'wait_until 15 eval "[ \"\$(last_line A)\" = \"gnode>\" ]" &&
     ! shows A "$hint"'
check "A: downloads drew its table once (redrawn in place, not repeated)" \
    '[ "$(screen A | grep -c "^ *ID  STATE ")" -eq 1 ]'
check "A: the end of the download is said in one line, under the table" \
    'wait_until 15 shows A "download 1 done: $file (3.0 MiB from 1 source, checked)"'
line A "downloads -v"
check "A: downloads -v: where it was saved, on its own line" \
    'wait_until 10 saved_row A "$file"'
check "A: the saved file's SHA-1 is the source's" \
    '[ "$(sha1 "$tmp/A/downloads/$file")" = "$(sha1 "$tmp/S/share/$file")" ]'
check "A: no log line on the screen; they are in data_dir/gnode.log" \
    '! shows_re A " (debug|info|warn): " &&
     grep -q "download 1 $file: done" "$tmp/A/data/gnode.log"'
line A quit
check "A: quit: the shell exits, with status 0" \
    'wait_until 20 dead A && [ "$rc" = 0 ]' ||
    info "A: exit status ${rc:-unknown}"
forget "$shpid_A"
check "A: S's log shows A's Bye" \
    'wait_until 10 grep -q "127.0.0.2:[0-9]*: closed: Bye received" "$tmp/S/log"'
check "A: the history file has the lines typed" \
    'grep -qx "search $word" "$tmp/A/data/history" &&
     grep -qx "get 1 *" "$tmp/A/data/history"'
check "A: nothing on the shell's stderr" '[ ! -s "$tmp/A/stderr" ]'

# --- B) attached to a headless node -----------------------------------------

echo "# B) gnode -S B/sock: a shell attached to headless B on 127.0.0.4"
mknode B 4 1 3
start B
check "B answers and has S as a peer" \
    'wait_until 15 answers B && wait_until 30 has_peer B 127.0.0.3'
shell B -- -d "$tmp/B/shell" -S "$tmp/B/sock"
check "B: the greeting says where it is attached, and the prompt comes" \
    'wait_until 20 shows B "attached to the node at $tmp/B/sock" &&
     wait_until 20 prompts B 1'
line B "search $word"
check "B: search $word: started, and the row comes in" \
    'wait_until 10 shows B "search 1 started: $word" &&
     wait_until 20 shows_re B "^ +1 +3\.0 MiB +1 +[A-Z2-7]{8} +$file\$"'
line B results
check "B: results: the search and its file" \
    'wait_until 10 shows B "search 1 \"$word\" (flood, "'
freeze S
line B "get 1"
check "B: get 1: download 1 started" \
    'wait_until 10 shows B "download 1 started: $file"'
line B downloads
check "B: downloads, while it runs, says it redraws" 'wait_until 10 shows B "$hint"'
key B x
check "B: a key stops the redrawing: the prompt is back, the hint gone" \
    'wait_until 10 eval "[ \"\$(last_line B)\" = \"gnode>\" ]" &&
     ! shows B "$hint"'
typein B "sta"
check "B: a half-typed line" \
    'wait_until 10 eval "[ \"\$(last_line B)\" = \"gnode> sta\" ]"'
thaw S
check "B: the download's end comes in one line ..." \
    'wait_until 60 shows B "download 1 done: $file (3.0 MiB from 1 source, checked)"'
check "B: ... above the line being typed, which stays as it was" \
    'wait_until 10 eval "[ \"\$(last_line B)\" = \"gnode> sta\" ]" &&
     [ "$(screen B | grep -A1 -F "download 1 done: $file" | tail -n 1)" = "gnode> sta" ]'
key B C-u
check "B: Ctrl-U takes the half-typed line away" \
    'wait_until 10 eval "[ \"\$(last_line B)\" = \"gnode>\" ]"'
line B downloads
check "B: downloads shows it done" 'wait_until 60 done_row B "$file"'
# b_row: the table's one row, every column there, SRCS the 1 source that
# served it (not 0/1: none fetches now).
b_row() {
	[ "$(table B downloads |
	    grep -cE "^ *1 +done +100% +\[#+\] +3\.0 MiB +- +1 +- +$file\$")" -eq 1 ]
}
check "B: ... and a done download's SRCS is how many sources served it" \
    'wait_until 10 b_row' ||
    info "B: $(table B downloads)"
check "B: at 200 columns no row of it is wrapped" \
    'w=$(table B downloads | widest) && [ "$w" -gt 0 ] && [ "$w" -le 200 ]'
line B "get 1"
check "B: get 1 again: it says where the file is, not started" \
    'wait_until 10 shows B "download 1 is done already: saved as $tmp/B/downloads/$file"'
line B "get 99"
check "B: get 99: there is no result 99 in search 1" \
    'wait_until 10 shows B "error: no result 99 in search 1: its one result is 1"'
# The same node from a terminal 40 columns wide.
mkdir -p "$tmp/N"
cols=40 shell N -- -d "$tmp/N/shell" -S "$tmp/B/sock"
check "N: a shell 40 columns wide on B: the prompt comes" 'wait_until 20 prompts N 1'
line N downloads
# n_fits: the table is at most 40 wide, its row the name cut to fit.
n_fits() {
	_cut=$(printf '%.16s\342\200\246' "$file")
	[ "$(table N downloads | widest)" -le 40 ] &&
	    table N downloads | grep -qE "^ *1 +done +100% +1 +$_cut\$"
}
check "N: downloads at 40 columns: no row wrapped, the name cut to fit" \
    'wait_until 10 prompts N 2 && n_fits' ||
    info "N: $(table N downloads)"
check "N: ... the columns the least useful went (no bar, no ETA)" \
    'table N downloads | head -n 1 | grep -qE "^ *ID +STATE +DONE +SRCS +NAME\$"'
line N exit
check "N: exit leaves with 0" 'wait_until 20 dead N && [ "$rc" = 0 ]'
forget "$shpid_N"
check "B: the saved file's SHA-1 is the source's" \
    '[ "$(sha1 "$tmp/B/downloads/$file")" = "$(sha1 "$tmp/S/share/$file")" ]'
check "B: the prompt is back" \
    'wait_until 15 eval "[ \"\$(last_line B)\" = \"gnode>\" ]"'
line B exit
check "B: exit: the shell exits, with status 0" \
    'wait_until 20 dead B && [ "$rc" = 0 ]' ||
    info "B: exit status ${rc:-unknown}"
forget "$shpid_B"
check "B: ... and the node keeps running" \
    'kill -0 "$(pid_of B)" && answers B && has_peer B 127.0.0.3'
check "B: the history is in the shell's data_dir, not beside the socket" \
    'grep -qx "get 1" "$tmp/B/shell/history" && [ ! -e "$tmp/B/history" ]'
check "B: nothing on the shell's stderr" '[ ! -s "$tmp/B/stderr" ]'

# --- C) bad input -------------------------------------------------------------

echo "# C) bad input at a local shell on 127.0.0.5"
mknode C 5 0
shell C NO_COLOR=1 -- -c "$tmp/C/conf"
check "C: the prompt comes" 'wait_until 20 prompts C 1 && wait_until 15 answers C'
unknown="error: unknown command 'frobnicate' (try help)"
line C frobnicate
check "C: an unknown command: one line" \
    'wait_until 10 prompts C 2 && [ "$(after C frobnicate)" = "$unknown" ]' ||
    info "C: the screen ends with: $(screen C | sed '/^$/d' | tail -n 4)"
line C get
check "C: get with no argument: its usage" \
    'wait_until 10 prompts C 3 &&
     [ "$(after C get)" = "error: usage: get N|urn:sha1:SHA1|MAGNET" ]'
head -c 100000 /dev/zero | tr '\0' 'x' > "$tmp/long"
tm load-buffer "$tmp/long"
tm paste-buffer -p -t C
key C Enter
check "C: a 100 KB line: too long" \
    'wait_until 30 shows C "error: line too long (100000 bytes, at most 65536)"'
line C '"oops'
check "C: an unterminated quote: one line" \
    'wait_until 10 prompts C 5 &&
     [ "$(after C "\"oops")" = "error: unterminated quote" ]'
line C help
check "C: the shell still answers: help, grouped, a line on each command" \
    'wait_until 10 shows C "  exit        stop the node and leave, as quit does" &&
     shows C "Search and fetch:" && shows C "Peers:" && shows C "Sharing:" &&
     shows C "Node:" &&
     shows C "  get         download result N (or a URN, a magnet) from all its sources" &&
     shows C "  clear       clear the screen"'
line C clear
# c_clear: what the terminal shows now is the prompt alone, at the top.
c_clear() {
	_c_top=$(tm capture-pane -p -t C | head -n 1 | sed 's/ *$//')
	[ "$_c_top" = "gnode>" ] &&
	    [ "$(tm capture-pane -p -t C | sed '/^ *$/d')" = "gnode>" ]
}
check "C: clear: the screen is empty but for the prompt, on top" \
    'wait_until 10 c_clear' || info "C: $(tm capture-pane -p -t C | head -n 5)"
check "C: no colour with NO_COLOR" \
    '! tm capture-pane -p -e -S - -t C | grep -q "$(printf "\033")\[3[0-7]m"'
key C C-d
check "C: Ctrl-D: the shell exits, with status 0" \
    'wait_until 20 dead C && [ "$rc" = 0 ]' ||
    info "C: exit status ${rc:-unknown}"
forget "$shpid_C"
check "C: ... the node is gone: socket and pid file removed" \
    '[ ! -e "$tmp/C/sock" ] && [ ! -e "$tmp/C/pid" ] && ! answers C'
check "C: nothing on the shell's stderr" '[ ! -s "$tmp/C/stderr" ]'
out=$("$gnode" -S "$tmp/C/sock" </dev/null 2>&1)
rc=$?
check "C: attaching to its socket now: no node there, exit 1 ($out)" \
    '[ $rc -eq 1 ] && [ "$out" = "gnode: no node running at $tmp/C/sock" ]'

# --- D) the demo ----------------------------------------------------------------

echo "# D) gnode --demo: the demo network, all in one process"
mkdir -p "$tmp/D"
demo=$tmp/D/data/demo
shell D -- --demo -d "$tmp/D/data"
check "D: the greeting says what to try, and the prompt comes" \
    'wait_until 20 shows D "demo: try \`search lighthouse\`" &&
     wait_until 20 prompts D 1'
d_peers() {
	line D peers
	wait_until 10 prompts D $((nprompt + 1)) || return 1
	nprompt=$((nprompt + 1))
	[ "$(table D peers | grep -cE "^ *[0-9]+ +127\.0\.0\.[2-5]:[0-9]+ +up ")" -eq 4 ]
}
nprompt=1
check "D: peers: joined to the four demo nodes" 'wait_until 30 d_peers'
log="$demo/peer2/share/lighthouse-keepers-logbook.txt"
line D "search lighthouse"
check "D: search lighthouse: the file only 127.0.0.2 shares comes in" \
    'wait_until 20 shows_re D "^ +[0-9]+ +1\.5 MiB +1 +[A-Z2-7]{8} +lighthouse-keepers-logbook\.txt\$"'
n=$(screen D | sed -n 's/^ *\([0-9][0-9]*\) .* lighthouse-keepers-logbook\.txt$/\1/p' | head -n 1)
line D results
check "D: results lists it under the search" \
    'wait_until 10 shows D "search 1 \"lighthouse\"" &&
     wait_until 10 eval "[ \"\$(screen D | grep -c " lighthouse-keepers-logbook\.txt\$")\" -ge 2 ]"'
line D "get $n"
check "D: get $n: the download starts" \
    'wait_until 10 shows D "started: lighthouse-keepers-logbook.txt"'
# d_done FILE: the downloads table on screen shows FILE done.
d_done() {
	screen D | grep -qE "^ *[0-9]+ +done +100% .* $1\$"
}
line D downloads
check "D: downloads shows it done, in the demo's download directory" \
    'wait_until 60 d_done lighthouse-keepers-logbook.txt &&
     [ -s "$demo/you/downloads/lighthouse-keepers-logbook.txt" ]'
check "D: the saved file's SHA-1 is the peer's" \
    '[ "$(sha1 "$demo/you/downloads/lighthouse-keepers-logbook.txt")" = "$(sha1 "$log")" ]'
line D "search welcome"
check "D: search welcome: the file every demo node shares comes in" \
    'wait_until 20 shows_re D "^ +[0-9]+ +8\.0 MiB +[1-4] +[A-Z2-7]{8} +gnode-demo-welcome-pack\.txt\$"'
# A row comes in with its first hit; results counts the sources so far.
d_four() {
	line D results
	sleep 0.5
	shows_re D "^ +[0-9]+ +8\.0 MiB +4 +[A-Z2-7]{8} +gnode-demo-welcome-pack\.txt\$"
}
check "D: results: it has four sources" 'wait_until 20 d_four'
n=$(screen D | sed -n 's/^ *\([0-9][0-9]*\) .* gnode-demo-welcome-pack\.txt$/\1/p' | head -n 1)
line D "get $n"
wait_until 10 shows D "started: gnode-demo-welcome-pack.txt"
line D downloads
check "D: get $n: downloaded, the SHA-1 the peers'" \
    'wait_until 60 d_done gnode-demo-welcome-pack.txt &&
     [ "$(sha1 "$demo/you/downloads/gnode-demo-welcome-pack.txt")" = "$(sha1 "$demo/peer5/share/gnode-demo-welcome-pack.txt")" ]'
line D quit
check "D: quit: the shell exits, with status 0" \
    'wait_until 20 dead D && [ "$rc" = 0 ]' ||
    info "D: exit status ${rc:-unknown}"
forget "$shpid_D"
check "D: each of the four demo nodes heard the Bye" \
    '[ "$(grep -cE "127\.0\.0\.1:[0-9]+: closed: Bye received" "$demo/you/gnode.log")" -eq 4 ]'
check "D: nothing on the shell's stderr" '[ ! -s "$tmp/D/stderr" ]'

for n in S B; do
	stop $n TERM
	rc=$?
	check "SIGTERM stops $n with exit 0 (got $rc)" '[ $rc -eq 0 ]'
done
exit $fail
