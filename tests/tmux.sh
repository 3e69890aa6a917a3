# tmux.sh: a real terminal for the tests that type at the gnode> prompt
# (tests/shell.sh, tests/demo.sh): each shell runs in a tmux pane (a
# terminal emulator), keys go in with send-keys and the screen is read
# back with capture-pane. Source it after tests/lib.sh and setup_tmp; the
# tmux server (its own, on $tmp/tmux.sock) and each shell's gnode go into
# $pids, so cleanup ends them.
# shellcheck shell=sh disable=SC2016,SC2034
unset TMUX	# run from inside tmux too: ours is a server of its own
tmuxpid=""
printf 'set -g remain-on-exit on\nset -g history-limit 20000\n' \
    > "$tmp/tmux.conf"
tm() {
	tmux -S "$tmp/tmux.sock" -f "$tmp/tmux.conf" "$@"
}
# shell NAME [ENV=VALUE...] -- ARGS...: gnode ARGS in a 200x50 terminal of
# its own (the tmux session NAME; $cols columns wide when set; under
# umask $shell_umask when set). A small script around it keeps its exit
# status in NAME/rc; gnode's pid (the inner sh execs it) is in $shpid_NAME.
shell() {
	_sh_n=$1
	shift
	_sh_env="INPUTRC=/dev/null"
	while [ "$1" != "--" ]; do
		_sh_env="$_sh_env $1"
		shift
	done
	shift
	mkdir -p "$tmp/$_sh_n"
	{
		printf '#!/bin/sh\n'
		printf 'export %s\n' "$_sh_env"
		[ -z "${shell_umask:-}" ] || printf 'umask %s\n' "$shell_umask"
		printf 'sh -c '"'"'echo $$ > "$0"; exec "$@"'"'"' "%s" "%s"' \
		    "$tmp/$_sh_n/shpid" "$gnode"
		for _sh_a in "$@"; do printf ' "%s"' "$_sh_a"; done
		printf ' 2>"%s"\n' "$tmp/$_sh_n/stderr"
		printf 'echo $? > "%s"\n' "$tmp/$_sh_n/rc"
	} > "$tmp/$_sh_n/run"
	chmod +x "$tmp/$_sh_n/run"
	tm new-session -d -s "$_sh_n" -x "${cols:-200}" -y 50 "$tmp/$_sh_n/run"
	if [ -z "$tmuxpid" ]; then
		tmuxpid=$(tm display-message -p '#{pid}')
		pids="$pids $tmuxpid"
	fi
	wait_until 10 test -s "$tmp/$_sh_n/shpid"
	eval "shpid_$_sh_n=$(cat "$tmp/$_sh_n/shpid")"
	eval "pids=\"\$pids \$shpid_$_sh_n\""
}
# screen NAME: all the terminal shows and has scrolled by, wrapped lines
# joined (-J keeps the spaces at the end of a line: they go here).
screen() {
	tm capture-pane -p -J -S - -t "$1" | sed 's/ *$//'
}
shows() {
	screen "$1" | grep -qF -- "$2"
}
shows_re() {
	screen "$1" | grep -qE -- "$2"
}
# last_line NAME: the last line of the screen that is not empty.
last_line() {
	screen "$1" | sed '/^ *$/d' | tail -n 1
}
# typein NAME TEXT: keys as typed, no Enter; line NAME TEXT: with Enter.
typein() {
	tm send-keys -t "$1" -l -- "$2"
}
line() {
	tm send-keys -t "$1" -l -- "$2"
	tm send-keys -t "$1" Enter
}
key() {
	tm send-keys -t "$1" "$2"
}
# dead NAME: the shell has exited; its status in $rc.
dead() {
	[ -s "$tmp/$1/rc" ] || return 1
	rc=$(cat "$tmp/$1/rc")
}
# after NAME TEXT: the line the screen shows after the command line TEXT.
after() {
	screen "$1" | grep -A1 -xF -- "gnode> $2" | tail -n 1
}
# prompts NAME N: the screen shows at least N prompts, i.e. the Nth
# command came back.
prompts() {
	[ "$(screen "$1" | grep -c '^gnode>')" -ge "$2" ]
}
