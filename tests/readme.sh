#!/bin/sh
# readme.sh: the README's commands, in order, as a newcomer types them: a
# clean clone of this checkout in a temporary directory, the quick start
# (setup.sh run) and setup.sh install into a DESTDIR put first on PATH,
# then every command block of the headless, LAN, sharing and simulator
# sections, taken from the README itself. Its example addresses and paths
# are mapped to 127.0.0.x and the temporary directory (see map below);
# everything else runs as written. A command that fails, or a block that
# is not where the test expects one (the README changed shape), fails it.
# The clone is of what is committed: commit a README change to test it.
# The tour's gnode> lines are the shell tests' business (tests/shell.sh).
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/tests/lib.sh"
src=$(cd "$top_srcdir" && pwd)
readme=$src/README

need_tool() {
	command -v "$1" >/dev/null 2>&1 && return 0
	echo "SKIP: $1 is not installed"
	[ -n "${CI:-}" ] && exit 1
	exit 77
}
need_tool git
need_tool dpkg-query	# setup.sh is for Debian
# A dist tarball (make distcheck) has no history to clone, even when it is
# unpacked inside a checkout (build/debug/gnode-VERSION).
if [ "$(git -C "$src" rev-parse --show-toplevel 2>/dev/null)" != \
    "$(cd "$src" && pwd -P)" ]; then
	echo "SKIP: $src is not the top of a git checkout"
	exit 77
fi
need_loopback 141 146
setup_tmp

# The README's example addresses and paths, and what they are here. Each
# node its own loopback address; the port is this run's.
a_head=127.0.0.141	# 192.0.2.5, the headless seed node
a_up=127.0.0.142	# 192.0.2.1, the node it dials (made by this test)
a_seed=127.0.0.143	# 192.168.1.10, the LAN's seed
a_ann=127.0.0.144	# 192.168.1.21, a LAN node
a_bob=127.0.0.145	# a second LAN node, from the same block
map() {
	sed -e "s|192\.0\.2\.5:6346|$a_head:$port|g" \
	    -e "s|192\.0\.2\.1:6346|$a_up:$port|g" \
	    -e "s|192\.168\.1\.10:6346|$a_seed:$port|g" \
	    -e "s|192\.168\.1\.21:6346|$a_ann:$port|g" \
	    -e "s|/var/lib/gnode|$tmp/var/lib/gnode|g" \
	    -e "s|/etc/gnode\.conf|$tmp/etc/gnode.conf|g" \
	    -e "s|/srv/|$tmp/srv/|g" \
	    -e "s|/home/ann/|$tmp/home/ann/|g"
}

# block SECTION N: the Nth indented block of the README section titled
# SECTION, unindented, each command's trailing comment and the comment-
# only continuation lines dropped.
block() {
	awk -v want="$1" -v n="$2" '
	    prev == want && /^-+$/ { insec = 1; k = 0; inblk = 0; next }
	    insec && /^-+$/ { exit }
	    { prev = $0 }
	    insec && /^    / {
		if (!inblk) { k++; inblk = 1 }
		if (k == n) print substr($0, 5)
		next
	    }
	    insec && /^$/ { inblk = 0; next }
	    insec { inblk = 0 }
	' "$readme" | sed -e 's/[[:space:]]*#[[:space:]].*$//' -e '/^[[:space:]]*#/d' \
	    -e '/^[[:space:]]*$/d'
}
# blocks SECTION: how many indented blocks it has.
blocks() {
	_b_n=0
	while [ -n "$(block "$1" $((_b_n + 1)))" ]; do _b_n=$((_b_n + 1)); done
	echo "$_b_n"
}
# run TEXT CMD: run CMD (one README line) with sh, output to $tmp/out;
# a check that it exits 0. In $run_dir with HOME=$run_home when set (a
# node of the LAN: a machine of its own).
run_dir=""
run_home=""
run() {
	info "\$ $2"
	(cd "${run_dir:-.}" && HOME=${run_home:-$HOME} exec sh -c "$2") \
	    > "$tmp/out" 2>&1
	_r_rc=$?
	sed 's/^/    /' "$tmp/out" | head -n 20
	check "$1 (exit $_r_rc)" '[ $_r_rc -eq 0 ]'
}
has() {
	grep -q -- "$1" "$tmp/out"
}
# bg_node NAME CMD: a node started by a README line, in $run_dir with
# $run_home like run, its stderr (the log) to $tmp/NAME.log.
bg_node() {
	info "\$ $2 (in the background)"
	(cd "${run_dir:-.}" && HOME=${run_home:-$HOME} exec sh -c "exec $2") \
	    >/dev/null 2>>"$tmp/$1.log" &
	eval "pid_$1=$!"
	pids="$pids $!"
}
# A node's log is its stderr here, and what cleanup shows on a failure.
cleanup_first() {
	[ "$fail" -ne 0 ] || return 0
	for f in "$tmp"/*.log; do
		[ -f "$f" ] || continue
		echo "--- $(basename "$f"): last lines"
		tail -n 30 "$f"
	done
}

# --- a clean clone, the quick start and the install --------------------------

# Never install packages from a test: an apt-get or sudo setup.sh reaches
# for fails, and says so.
mkdir -p "$tmp/shim"
for t in apt-get sudo; do
	printf '#!/bin/sh\necho "readme.sh: setup.sh ran %s $*" >&2\nexit 1\n' \
	    "$t" > "$tmp/shim/$t"
	chmod 755 "$tmp/shim/$t"
done
export HOME="$tmp/home"
mkdir -p "$HOME"
root=$tmp/root
PATH=$root/usr/local/bin:$tmp/shim:$PATH
export PATH

git clone -q "$src" "$tmp/clone" > "$tmp/clone.log" 2>&1
check "git clone of $src" '[ -f "$tmp/clone/README" ]' || exit 1
cd "$tmp/clone" || exit 1
quick=$(block "Quick start (Debian 12, from a clean clone)" 1)
check "the quick start's first line is setup.sh run" \
    '[ "$(echo "$quick" | sed -n 1p)" = "sh contrib/setup.sh run" ]'
check "the quick start's second line is setup.sh test (not run here)" \
    '[ "$(echo "$quick" | sed -n 2p)" = "sh contrib/setup.sh test" ]'
run "setup.sh run builds build/release (stdin not a terminal: --help)" \
    "sh contrib/setup.sh run < /dev/null"
mv "$tmp/out" "$tmp/setup-run.out"
check "setup.sh run built gnode" '[ -x build/release/gnode ]' || exit 1
check "setup.sh run printed the version and usage" \
    'grep -q "^gnode [0-9]" "$tmp/setup-run.out" &&
     grep -q "^usage: gnode" "$tmp/setup-run.out"'

inst=$(block "Installing gnode" 1)
check "Installing gnode: one command, setup.sh install" \
    '[ "$inst" = "sh contrib/setup.sh install" ]'
run "setup.sh install (DESTDIR=$root)" "DESTDIR=$root $inst"
check "it says what it installed" 'has "^setup: installed gnode"'
for f in bin/gnode bin/gnode-sim share/man/man1/gnode.1 \
    share/man/man1/gnode-sim.1 share/man/man5/gnode.conf.5 \
    share/bash-completion/completions/gnode; do
	check "installed $f" '[ -f "$root/usr/local/$f" ]'
done
check "gnode on PATH is the one installed" \
    '[ "$(command -v gnode)" = "$root/usr/local/bin/gnode" ]' || exit 1
cd "$tmp" || exit 1

# --- A five-minute tour: gnode --demo at its prompt, in tmux -----------------
# Each `gnode> ` line is typed; each line the README shows under one must
# be on the screen as shown; no command may answer "error:".

sec="A five-minute tour"
unset TMUX
printf 'set -g remain-on-exit on\nset -g history-limit 20000\n' \
    > "$tmp/tmux.conf"
tm() {
	tmux -S "$tmp/tmux.sock" -f "$tmp/tmux.conf" "$@"
}
screen() {
	tm capture-pane -p -J -S - -t tour | sed 's/ *$//'
}
# idle CMD: CMD has been typed and the prompt waits, empty, under it.
idle() {
	screen > "$tmp/screen"
	grep -qxF -- "gnode> $1" "$tmp/screen" &&
	    [ "$(grep -v '^$' "$tmp/screen" | tail -n 1)" = "gnode>" ]
}
shown() {
	screen | grep -qxF -- "$1"
}
{
	printf '#!/bin/sh\n'
	printf 'export INPUTRC=/dev/null HOME="%s" PATH="%s"\n' "$HOME" "$PATH"
	printf 'gnode --demo 2>"%s"\n' "$tmp/tour.err"
	printf 'echo $? > "%s"\n' "$tmp/tour.rc"
} > "$tmp/tour.run"
chmod +x "$tmp/tour.run"
tourpid=""
if command -v tmux >/dev/null 2>&1; then
	tm new-session -d -s tour -x 200 -y 50 "$tmp/tour.run"
	tourpid=$(tm display-message -p '#{pid}')
	pids="$pids $tourpid"
elif [ -n "${CI:-}" ]; then
	check "tmux is installed (CI)" false
else
	info "SKIP: the tour: tmux is not installed"
fi
if [ -n "$tourpid" ]; then
	ready() {
		[ "$(screen | grep -v '^$' | tail -n 1)" = "gnode>" ]
	}
	check "gnode --demo: the prompt comes" 'wait_until 30 ready'
	# A search typed before the node has joined its peers reaches no one
	# (on a loaded machine the joins take seconds): wait for them, at the
	# demo node's control socket, as a reader of the greeting would.
	four_up() {
		gnode -S "$HOME/.gnode/demo/you/control" --json stats \
		    > "$tmp/demo-stats.json" 2>/dev/null &&
		    [ "$(json peers < "$tmp/demo-stats.json")" = 4 ]
	}
	check "gnode --demo: joined to the four demo nodes" 'wait_until 60 four_up'
	{ block "$sec" 1; block "$sec" 2; } > "$tmp/tour"
	check "$sec: the tour types commands at gnode>" \
	    '[ "$(grep -c "^gnode> " "$tmp/tour")" -ge 9 ]'
	prev=""
	while IFS= read -r l <&3; do
		case $l in
		"gnode> "*)
			c=${l#gnode> }
			[ -n "$prev" ] && check "'$prev' answers no error" \
			    '! sed -n "/^gnode> $prev\$/,\$p" "$tmp/screen" | grep -q "^error:"'
			info "$(date +%T) gnode> $c"
			tm send-keys -t tour -l -- "$c"
			tm send-keys -t tour Enter
			if [ "$c" = quit ]; then
				wait_until 20 test -s "$tmp/tour.rc"
				check "quit: the demo exits 0" \
				    '[ "$(cat "$tmp/tour.rc" 2>/dev/null)" = 0 ]'
				break
			fi
			# downloads redraws until done: 60 s for 1.5 MiB.
			check "'$c': the prompt comes back" 'wait_until 60 idle "$c"'
			prev=$c
			# What the comments after a few of them say.
			sed -n "/^gnode> $c\$/,\$p" "$tmp/screen" > "$tmp/answer"
			case $c in
			"get 3")
				check "get 3: the welcome pack, one file, four sources" \
				    'grep -q "gnode-demo-welcome-pack.txt" "$tmp/answer"' ;;
			peers)
				check "peers: the four demo nodes, up" \
				    '[ "$(grep -cE "127\.0\.0\.[2-5]:[0-9]+ +up" "$tmp/answer")" = 4 ]' ;;
			"help get")
				check "help get: what get does" \
				    'grep -q "^usage: get" "$tmp/answer"' ;;
			esac
			;;
		*)
			check "'$prev' prints: $l" 'wait_until 30 shown "$l"'
			;;
		esac
	done 3< "$tmp/tour"
	dl=$HOME/.gnode/demo/you/downloads/lighthouse-keepers-logbook.txt
	check "the download is in ~/.gnode/demo/you/downloads" '[ -s "$dl" ]'
	check "the node's log is ~/.gnode/demo/you/gnode.log" \
	    '[ -s "$HOME/.gnode/demo/you/gnode.log" ]'
	if [ "$fail" -ne 0 ]; then
		echo "--- the tour's screen"
		screen | tail -n 40
	fi
	tm kill-server 2>/dev/null
	forget "$tourpid"
fi

# --- Running a headless seed node --------------------------------------------

sec="Running a headless seed node"
check "$sec: three blocks" '[ "$(blocks "$sec")" = 3 ]'
# The node the README's seed line names: one more node, sharing a file.
mkdir -p "$tmp/up/share" "$tmp/etc" "$tmp/srv/music"
head -c 300000 /dev/urandom > "$tmp/up/share/harbour-pilot-notes.txt"
{
	node_section "$tmp/up" 142
	printf '[share]\ndir = %s\n' "$tmp/up/share"
} > "$tmp/up/conf"
start up
wait_until 20 answers up
check "the node the seed line names runs" 'answers up'
printf 'tide tables\n' > "$tmp/srv/music/tide-tables-1887.txt"
block "$sec" 1 | map > "$tmp/etc/gnode.conf"
info "/etc/gnode.conf:"; sed 's/^/    /' "$tmp/etc/gnode.conf"
check "the config block names data_dir, listen, seed and a dir" \
    '[ "$(grep -cE "^(data_dir|listen|seed|dir) = " "$tmp/etc/gnode.conf")" = 4 ]'
cmd=$(block "$sec" 2 | map)
check "then one command: gnode --headless -c /etc/gnode.conf" \
    '[ "$cmd" = "gnode --headless -c $tmp/etc/gnode.conf" ]'
bg_node head "$cmd"
sock=$tmp/var/lib/gnode/control
head_up() {
	gnode -S "$sock" peers 2>/dev/null | grep -q "$a_up:$port"
}
wait_until 30 head_up
check "it dials its seed: the seed is among its peers" head_up
check "its log is on stderr" 'grep -q "info: node $a_head:$port up" "$tmp/head.log"'
check "it writes no gnode.log" '[ ! -e "$tmp/var/lib/gnode/gnode.log" ]'
head_scanned() {
	gnode -S "$sock" --json stats > "$tmp/stats.json" 2>/dev/null &&
	    [ "$(json scanning < "$tmp/stats.json")" = false ] &&
	    [ "$(json files < "$tmp/stats.json")" = "$1" ]
}
wait_until 20 head_scanned 1
check "it shares what is in its dir" 'head_scanned 1'

answers_head() {
	gnode -S "$sock" stats >/dev/null 2>&1
}
n=0
block "$sec" 3 | map > "$tmp/cmds"
check "the shell and one-command block has four lines" \
    '[ "$(wc -l < "$tmp/cmds")" = 4 ]'
while IFS= read -r cmd <&3; do
	n=$((n + 1))
	case $n in
	1)	# the prompt, attached: exit leaves, the node runs on
		info "\$ $cmd  (typing: peers, exit)"
		printf 'peers\nexit\n' | sh -c "$cmd" > "$tmp/out" 2>&1
		rc=$?
		sed 's/^/    /' "$tmp/out"
		check "attached: exit 0" '[ $rc -eq 0 ]'
		check "attached: it says so" 'has "attached to the node"'
		check "attached: peers lists the seed" 'has "$a_up:$port"'
		check "after exit the node runs on" \
		    'kill -0 "$(pid_of head)" && answers_head'
		;;
	2)	run "one command, then exit" "$cmd"
		check "peers lists the seed" 'has "$a_up:$port"'
		;;
	3)	run "-c finds the socket in data_dir (--json stats)" "$cmd"
		check "--json stats is the node's JSON" \
		    '[ "$(json files < "$tmp/out")" = 1 ]'
		;;
	4)	run "uploads through -c" "$cmd"
		check "uploads shows the slots" 'has "slots in use"'
		;;
	esac
done 3< "$tmp/cmds"

# SIGHUP: the shares rescanned. quit on the attached prompt stops it.
printf 'sonar\n' > "$tmp/srv/music/sonar-pings.txt"
kill -HUP "$(pid_of head)"
wait_until 20 head_scanned 2
check "SIGHUP rescans the shares (2 files)" 'head_scanned 2'
printf 'quit\n' | gnode -S "$sock" > "$tmp/out" 2>&1
wait_until 15 sh -c "! kill -0 $(pid_of head) 2>/dev/null"
check "quit at the attached prompt stops the node" \
    '! kill -0 "$(pid_of head)" 2>/dev/null'
wait "$(pid_of head)"
rc=$?
forget "$(pid_of head)"
check "and it exits 0" '[ $rc -eq 0 ]'

# --- A LAN of nodes -----------------------------------------------------------

sec="A LAN of nodes"
check "$sec: two config blocks" '[ "$(blocks "$sec")" = 2 ]'
start_line="gnode --headless -c gnode.conf"
check "it says to start each with '$start_line'" \
    'grep -q "Start each with \`$start_line\`" "$readme"'
# Each node a machine of its own: its own directory, HOME and address.
mkdir -p "$tmp/srv/shared" "$tmp/home/ann/shared" "$tmp/home/bob/shared"
cp "$tmp/up/share/harbour-pilot-notes.txt" "$tmp/srv/shared/"
lan_start() {	# lan_start NAME BLOCK SED: its config, from BLOCK, and node
	mkdir -p "$tmp/lan/$1/home"
	block "$sec" "$2" | map | sed -e "$3" > "$tmp/lan/$1/gnode.conf"
	run_dir=$tmp/lan/$1
	run_home=$tmp/lan/$1/home
	bg_node "$1" "$start_line"
	run_dir=""
	run_home=""
}
lan_start seed 1 ""
lan_start ann 2 ""
lan_start bob 2 "s|$a_ann|$a_bob|;s|/home/ann/|/home/bob/|"
info "bob's gnode.conf:"; sed 's/^/    /' "$tmp/lan/bob/gnode.conf"
on() {	# on NAME COMMAND...: a README command typed on that node
	_o_n=$1
	shift
	(cd "$tmp/lan/$_o_n" && HOME=$tmp/lan/$_o_n/home gnode -c gnode.conf "$@")
}
peer_of() {
	on "$1" peers 2>/dev/null | grep -q "$2:$port"
}
wait_until 30 peer_of ann "$a_seed"
check "ann dials the seed it names" 'peer_of ann "$a_seed"'
wait_until 30 peer_of bob "$a_seed"
check "bob dials the seed it names" 'peer_of bob "$a_seed"'
seed_leaf() {	# seed_leaf ADDR: the seed's peers list ADDR as its leaf
	[ "$(on seed --json peers 2>/dev/null |
	    json "peers[address=$1:$port].role")" = leaf ]
}
check "ann and bob (auto: leaves at first) are the seed's leaves" \
    'wait_until 20 seed_leaf "$a_ann" && wait_until 20 seed_leaf "$a_bob"'
lan_scanned() {
	on seed --json stats > "$tmp/stats.json" 2>/dev/null &&
	    [ "$(json scanning < "$tmp/stats.json")" = false ] &&
	    [ "$(json files < "$tmp/stats.json")" = 1 ]
}
wait_until 20 lan_scanned
check "the seed shares its dir" lan_scanned
run_dir=$tmp/lan/ann
run_home=$tmp/lan/ann/home
run "search -s walk from ann" "gnode -c gnode.conf search -s walk harbour pilot"
hit() {
	on ann results > "$tmp/out" 2>&1 && has "harbour-pilot-notes.txt"
}
wait_until 30 hit
check "results: the seed's file comes back to ann" hit
on ann search tide > /dev/null 2>&1
on ann results > "$tmp/out" 2>&1
check "results with no id: every search so far (as the tour says)" \
    'has "^search 1 \"harbour pilot\"" && has "^search 2 \"tide\"" &&
     has "harbour-pilot-notes"'
on ann results 2 > "$tmp/out" 2>&1
check "results 2: that search alone" \
    'has "^search 2 \"tide\"" && ! has "harbour-pilot-notes"'
num=$(on ann --json results 1 | json "results[name=harbour-pilot-notes.txt].number")
run "get what comes back" "gnode -c gnode.conf get $num"
run_dir=""
run_home=""
got=$tmp/lan/ann/home/.gnode/downloads/harbour-pilot-notes.txt
fetched() {
	[ -f "$got" ] && [ "$(sha1 "$got")" = "$(sha1 "$tmp/srv/shared/harbour-pilot-notes.txt")" ]
}
wait_until 30 fetched
check "the file is in ann's ~/.gnode/downloads, whole" fetched
for nd in seed ann bob; do
	stop "$nd" TERM
	rc=$?
	check "SIGTERM stops $nd (exit $rc)" '[ $rc -eq 0 ]'
done

# --- Sharing files ------------------------------------------------------------

sec="Sharing files"
mkdir -p "$HOME/Music"
head -c 4000 /dev/urandom > "$HOME/Music/The Beatles - Yesterday.mp3"
head -c 3000 /dev/urandom > "$HOME/Music/Björk - Jóga.mp3"
block "$sec" 1 > "$tmp/cmds"
check "$sec: four commands" '[ "$(wc -l < "$tmp/cmds")" = 4 ]'
n=0
while IFS= read -r cmd <&3; do
	n=$((n + 1))
	run "$sec, line $n" "$cmd"
	case $n in
	1) check "rescan hashes both files" 'has "2 files"' ;;
	2) check "find: every word, any case" 'has "Yesterday.mp3" && ! has "Jóga"' ;;
	3) check "list: urn:sha1 and name" 'has "urn:sha1:" && has "Jóga.mp3"' ;;
	4) check "--json share stats: JSON" 'has "^{"' ;;
	esac
done 3< "$tmp/cmds"
run "find folds accents" "gnode share find bjork joga"
check "find bjork joga finds Björk - Jóga" 'has "Jóga.mp3"'

# --- The simulator ------------------------------------------------------------

sim=$(block "The simulator" 1 | sed -e ':a' -e '/\\$/N; s/\\\n//; ta')
check "The simulator: one command, from the clone" \
    'echo "$sim" | grep -q "^build/release/gnode-sim "'
run_dir=$tmp/clone
run "the simulator's example" "$sim"
run_dir=""
check "it prints its JSON line" 'has "\"success_rate\":"'

exit $fail
