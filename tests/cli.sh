#!/bin/sh
# cli.sh: the gnode program answers its flags as gnode(1) says, through the
# real binary: --version, --help, usage errors, and command errors.
set -u
bin=${top_builddir:-.}/gnode
tmp=$(mktemp -d)
demo1=""
node1=""
trap '[ -z "$demo1" ] || kill "$demo1" 2>/dev/null; [ -z "$node1" ] || kill "$node1" 2>/dev/null; rm -rf "$tmp"' EXIT
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
check "a mistyped flag is one line saying where the help is" \
    '[ "$err" = "gnode: unknown flag --bogus; try gnode --help" ]'
err=$("$bin" -x help 2>&1 >/dev/null); rc=$?
check "... a short one too (exit 2)" \
    '[ $rc -eq 2 ] && [ "$err" = "gnode: unknown flag -x; try gnode --help" ]'
err=$("$bin" -c 2>&1 >/dev/null); rc=$?
check "a flag without its argument says so (exit 2)" \
    '[ $rc -eq 2 ] && [ "$err" = "gnode: -c needs an argument; try gnode --help" ]'
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
printf '[nodes]\ndata_dir = /x\n' > "$tmp/bad.conf"
err=$("$bin" -c "$tmp/bad.conf" help 2>&1); rc=$?
check "a wrong section is named, with the nearest known one (exit 2)" \
    '[ $rc -eq 2 ] && [ "$err" = "gnode: $tmp/bad.conf:2: unknown section [nodes] (did you mean [node]?)" ]'
printf '[node]\ndata_dri = /x\n' > "$tmp/bad.conf"
err=$("$bin" -c "$tmp/bad.conf" help 2>&1); rc=$?
check "an unknown key comes with the nearest known key (exit 2)" \
    '[ $rc -eq 2 ] && [ "$err" = "gnode: $tmp/bad.conf:2: unknown key [node] data_dri (did you mean data_dir?)" ]'
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
# --- the config is checked before anything is made ---------------------
err=$("$bin" -c /tmp help 2>&1); rc=$?
check "a directory as the config is an error (exit 2)" \
    '[ $rc -eq 2 ] && [ "$err" = "gnode: /tmp: Is a directory" ]'
printf '[net]\nmax_peers = 5\000junk\n' > "$tmp/nul.conf"
err=$("$bin" -c "$tmp/nul.conf" help 2>&1); rc=$?
check "a NUL byte in the config is an error on its line (exit 2)" \
    '[ $rc -eq 2 ] && echo "$err" | grep -q "nul.conf:2: a NUL byte"'
lport=$((20000 + $$ % 12000))
printf '[node]\ndata_dir = %s\nlisten = 127.0.0.61:%s\n[share]\ndir = %s\n' \
    "$tmp/ns/data" "$lport" "$tmp/ns/nowhere" > "$tmp/ns.conf"
err=$("$bin" --headless -c "$tmp/ns.conf" 2>&1 </dev/null); rc=$?
check "a share dir that is not there stops the start (exit 1)" \
    '[ $rc -eq 1 ] && echo "$err" | grep -q "share dir $tmp/ns/nowhere: No such file or directory"'
check "... and nothing was made" '[ ! -e "$tmp/ns" ]'
# A start-up failure is the process's error, not a warning in the log;
# and a node with a shell that never came up leaves no gnode.log.
mkdir -p "$tmp/nb/data/gnode.db"
printf '[node]\ndata_dir = %s\nlisten = 127.0.0.61:%s\n' "$tmp/nb/data" \
    "$lport" > "$tmp/nb.conf"
err=$("$bin" --headless -c "$tmp/nb.conf" 2>&1 </dev/null); rc=$?
check "a node that cannot start says error, not warn (exit 1)" \
    '[ $rc -eq 1 ] && [ "$err" = "gnode: error: share index $tmp/nb/data/gnode.db: Is a directory" ]'
err=$("$bin" -c "$tmp/nb.conf" 2>&1 </dev/null); rc=$?
check "... with a shell too, and no gnode.log is left" \
    '[ $rc -eq 1 ] && [ "$err" = "gnode: error: share index $tmp/nb/data/gnode.db: Is a directory" ] &&
     [ ! -e "$tmp/nb/data/gnode.log" ]'
# A listen address this host does not have: in a network namespace of
# its own, where nothing could leave even if the node tried.
if unshare --net sh -c 'ip link set lo up' 2>/dev/null; then
	printf '[node]\ndata_dir = %s\nlisten = 192.0.2.1:%s\n' \
	    "$tmp/nl/data" "$lport" > "$tmp/nl.conf"
	err=$(unshare --net sh -c 'ip link set lo up; exec "$0" --headless -c "$1" </dev/null' \
	    "$bin" "$tmp/nl.conf" 2>&1); rc=$?
	check "a listen address not of this host stops the start (exit 1)" \
	    '[ $rc -eq 1 ] && echo "$err" | grep -q "listen on 192.0.2.1:$lport: Cannot assign requested address"'
	check "... before data_dir or gnode.db are made" '[ ! -e "$tmp/nl" ]'
else
	echo "skip: no network namespace (unshare --net) for a foreign listen address"
fi

# --- a running node: its files, its control socket ----------------------
mkdir -p "$tmp/nd/share"
cat > "$tmp/nd.conf" <<CONF
[node]
data_dir = $tmp/nd/data
listen = 127.0.0.61:$lport
control = $tmp/nd/sock
log_level = debug
control_clients = 4
control_timeout = 1
[share]
dir = $tmp/nd/share
CONF
(umask 022; exec "$bin" --headless -c "$tmp/nd.conf" 2>"$tmp/nd.log" </dev/null) &
node1=$!
i=0
while ! "$bin" -S "$tmp/nd/sock" stats >/dev/null 2>&1 && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "the node answers on its control socket" '"$bin" -S "$tmp/nd/sock" stats >/dev/null'
sed "s/127.0.0.61/127.0.0.62/" "$tmp/nd.conf" > "$tmp/nd2.conf"
running="a node is already running on $tmp/nd/data; attach to it with: gnode -S $tmp/nd/sock"
err=$("$bin" --headless -c "$tmp/nd2.conf" 2>&1 </dev/null); rc=$?
check "a second headless node on a live data_dir says how to attach (exit 1)" \
    '[ $rc -eq 1 ] && [ "$err" = "gnode: $running" ]'
err=$("$bin" -c "$tmp/nd2.conf" 2>&1 </dev/null); rc=$?
check "... and so does a second node with a shell, with no log made" \
    '[ $rc -eq 1 ] && [ "$err" = "gnode: $running" ] && [ ! -e "$tmp/nd/data/gnode.log" ]'
modes=$(cd "$tmp/nd/data" && stat -c %a gnode.db gnode.db-wal gnode.db-shm | tr '\n' ' ')
check "gnode.db and its WAL and SHM are 0600 under umask 022 (got $modes)" \
    '[ "$modes" = "600 600 600 " ]'
out=$("$bin" -S "$tmp/nd/sock" search "$(printf 'caf\351')" 2>&1); rc=$?
check "a search that is not UTF-8 is refused with one line (exit 1)" \
    '[ $rc -eq 1 ] && [ "$out" = "error: search text is not UTF-8" ]'
out=$("$bin" -S "$tmp/nd/sock" search "$(printf 'caf\303\251')" 2>&1); rc=$?
check "... and the same word in UTF-8 is searched" \
    '[ $rc -eq 0 ] && echo "$out" | grep -q "^search [0-9]* started"'
if command -v python3 >/dev/null 2>&1; then
	# control_clients = 4: a session (an empty line first, as the shell
	# opens) and three that say nothing fill it; the fifth is refused,
	# the silent three are closed after control_timeout, the session is
	# not, and a line left unfinished is closed too. Each read waits 30 s
	# at most: the order of events is checked, never a duration.
	python3 - "$tmp/nd/sock" "$bin" > "$tmp/ctl.out" 2>&1 <<'PYEOF'
import socket, subprocess, sys
path, gnode = sys.argv[1], sys.argv[2]
def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(path)
    return s
def until_eof(s):
    data = b""
    while True:
        try:
            b = s.recv(4096)
        except socket.timeout:
            return data + b"<timeout>"
        if not b:
            return data + b"<eof>"
        data += b
def status(s):
    data = b""
    while not any(l[:1].isdigit() for l in data.split(b"\n")[:-1]):
        b = s.recv(4096)
        if not b:
            return data + b"<eof>"
        data += b
    return data
sess = conn()
sess.sendall(b"\n")
print("session:", status(sess).splitlines()[-1].decode())
idle = [conn() for _ in range(3)]
extra = conn()
print("fifth:", until_eof(extra).decode().replace("\n", "|"))
r = subprocess.run([gnode, "-S", path, "stats"], capture_output=True)
print("cli:", r.returncode, (r.stdout + r.stderr).decode().replace("\n", "|"))
r = subprocess.run([gnode, "-S", path], capture_output=True,
    stdin=subprocess.DEVNULL)
print("shell:", r.returncode, (r.stdout + r.stderr).decode().replace("\n", "|"))
for i, s in enumerate(idle):
    print("idle%d:" % i, until_eof(s).decode().replace("\n", "|"))
sess.sendall(b"stats\n")
print("session after:", status(sess).splitlines()[-1].decode())
part = conn()
part.sendall(b"sta")
print("partial:", until_eof(part).decode().replace("\n", "|"))
PYEOF
	cat "$tmp/ctl.out"
	check "a session opens with an empty line (400 empty request)" \
	    'grep -qx "session: 400 empty request" "$tmp/ctl.out"'
	check "past control_clients a client gets one error and is closed" \
	    'grep -qx "fifth:  error: too many control clients|503 too many control clients|<eof>" "$tmp/ctl.out"'
	check "... and gnode -S says it in one line (exit 1)" \
	    'grep -qx "cli: 1 error: too many control clients|" "$tmp/ctl.out"'
	check "... and so does an attached shell, and it leaves (exit 1)" \
	    'grep -qx "shell: 1 gnode: too many control clients (503)|" "$tmp/ctl.out"'
	check "clients with no request are closed after control_timeout (408)" \
	    '[ "$(grep -c "^idle[0-9]:  error: no complete request in time|408 no complete request in time|<eof>$" "$tmp/ctl.out")" -eq 3 ]'
	check "... while an idle session stays and is answered" \
	    'grep -qx "session after: 100 ok" "$tmp/ctl.out"'
	check "a request line left unfinished is closed too" \
	    'grep -q "^partial: .*408 no complete request in time|<eof>$" "$tmp/ctl.out"'
else
	echo "skip: python3 (for raw control clients) is missing"
fi
# SIGHUP with a share dir gone: a warning, and the node stays.
rmdir "$tmp/nd/share"
kill -HUP "$node1"
i=0
while ! grep -q "SIGHUP: share dir $tmp/nd/share: No such file" "$tmp/nd.log" && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "SIGHUP with a share dir gone warns" \
    'grep -q "SIGHUP: share dir $tmp/nd/share: No such file or directory" "$tmp/nd.log"'
check "... and the node still answers" '"$bin" -S "$tmp/nd/sock" stats >/dev/null'
kill -TERM "$node1"
wait "$node1"; rc=$?
node1=""
check "the node stops with exit 0 (got $rc)" '[ $rc -eq 0 ]'
exit $fail
