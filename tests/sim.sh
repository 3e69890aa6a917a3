#!/bin/sh
# sim.sh: gnode-sim as a user runs it: its JSON, determinism, strategies,
# an edge-list topology, churn, and refusal of bad arguments.
set -u
sim=${top_builddir:-.}/gnode-sim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {
	if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi
}
# jget KEY FILE: a number from a one-line JSON object.
jget() {
	sed -n "s/.*\"$1\":\([-0-9.e]*\).*/\1/p" "$2"
}

small="--topology plrg --nodes 2000 --degree 4 --alpha 0.8 --objects 50 --replication uniform:0.01 --queries 100"

"$sim" $small --strategy walk --walkers 16 --ttl 1024 --check 4 --seed 1 --json > "$tmp/walk.json"
check "walk run exits 0" '[ $? -eq 0 ]'
for k in nodes edges queries success_rate msgs_per_query dup_ratio \
    hops_first_hit_mean time_first_hit_ms_mean peak_node_msgs wall_s rss_kib \
    bytes_per_node; do
	check "json has $k" 'grep -q "\"$k\":" "$tmp/walk.json"'
done
check "walk nodes is 2000" '[ "$(jget nodes "$tmp/walk.json")" = 2000 ]'

"$sim" $small --strategy walk --seed 1 --json --no-measure > "$tmp/a.json"
"$sim" $small --strategy walk --seed 1 --json --no-measure > "$tmp/b.json"
"$sim" $small --strategy walk --seed 2 --json --no-measure > "$tmp/c.json"
check "same seed, same bytes" 'cmp -s "$tmp/a.json" "$tmp/b.json"'
check "another seed, another run" '! cmp -s "$tmp/a.json" "$tmp/c.json"'

"$sim" $small --strategy flood --ttl 7 --seed 1 --json --no-measure > "$tmp/flood.json"
fl=$(jget msgs_per_query "$tmp/flood.json")
wk=$(jget msgs_per_query "$tmp/a.json")
fs=$(jget success_rate "$tmp/flood.json")
ws=$(jget success_rate "$tmp/a.json")
check "flood finds nearly everything ($fs)" 'awk "BEGIN{exit !($fs > 0.9)}"'
check "walk finds nearly as much ($ws vs $fs)" 'awk "BEGIN{exit !($ws > $fs - 0.1)}"'
check "walk costs far fewer messages ($wk vs $fl)" 'awk "BEGIN{exit !($wk * 5 < $fl)}"'
check "flood has duplicates, counted" 'awk "BEGIN{exit !($(jget dup_ratio "$tmp/flood.json") > 0)}"'

# Equal latencies make a synchronous flood: every node first hears a query
# by a shortest path and relays it once. At the default latencies copies
# race, and a node that relayed every higher-TTL repeat cost 1.75 times
# that; a flood must now cost within 5% of it, finding nearly as much.
"$sim" $small --strategy flood --ttl 7 --latency 100-100 --seed 1 --json \
    --no-measure > "$tmp/sync.json"
sy=$(jget msgs_per_query "$tmp/sync.json")
sr=$(jget results_mean "$tmp/sync.json")
fr=$(jget results_mean "$tmp/flood.json")
check "same graph for both floods" '[ "$(jget edges "$tmp/sync.json")" = "$(jget edges "$tmp/flood.json")" ]'
check "flood costs within 5% of a synchronous flood ($fl vs $sy)" 'awk "BEGIN{d = $fl - $sy; if (d < 0) d = -d; exit !(d <= 0.05 * $sy)}"'
check "and finds nearly as much ($fr vs $sr results)" 'awk "BEGIN{exit !($fr >= 0.9 * $sr)}"'

for s in ring dq; do
	"$sim" $small --strategy $s --seed 1 --json --no-measure > "$tmp/$s.json"
	check "$s runs and finds" 'awk "BEGIN{exit !($(jget success_rate "$tmp/$s.json") > 0.5)}"'
done

# Rare objects (4 copies in 2000 nodes): dq's first probes find nothing.
# It must then widen step by step, not jump to its maximum TTL (which cost
# 75-85% of a TTL-7 flood), so with a target the network can meet it costs
# clearly less than a flood and still finds.
rare="--topology plrg --nodes 2000 --degree 4 --alpha 0.8 --objects 50 --replication uniform:0.002 --queries 100"
"$sim" $rare --strategy flood --ttl 7 --seed 1 --json --no-measure > "$tmp/rflood.json"
"$sim" $rare --strategy dq --ttl 7 --target 1 --seed 1 --json --no-measure > "$tmp/rdq.json"
rf=$(jget msgs_per_query "$tmp/rflood.json")
rd=$(jget msgs_per_query "$tmp/rdq.json")
check "dq with nothing near costs under half a flood ($rd vs $rf)" 'awk "BEGIN{exit !($rd * 2 < $rf)}"'
check "and finds as often ($(jget success_rate "$tmp/rdq.json"))" 'awk "BEGIN{exit !($(jget success_rate "$tmp/rdq.json") >= $(jget success_rate "$tmp/rflood.json") - 0.05)}"'

# Two tiers on the same 2000 nodes and replicas: 200 ultrapeers (mesh of
# degree 30), 1800 leaves under 3 each with QRP tables of their objects.
tt="--topology two-tier --nodes 2000 --objects 50 --replication uniform:0.005 --queries 100"
pf="--topology plrg --nodes 2000 --objects 50 --replication uniform:0.005 --queries 100"
"$sim" $tt --strategy flood --ttl 2 --seed 1 --json --no-measure > "$tmp/tflood.json"
check "two-tier run exits 0" '[ $? -eq 0 ]'
for k in ultrapeers leaf_nodes leaf_msgs_per_query msgs_per_leaf qrp_msgs \
    flat_success_rate flat_msgs_per_query; do
	check "two-tier json has $k" 'grep -q "\"$k\":" "$tmp/tflood.json"'
done
check "200 ultrapeers, 1800 leaves" '[ "$(jget ultrapeers "$tmp/tflood.json")" = 200 ] && [ "$(jget leaf_nodes "$tmp/tflood.json")" = 1800 ]'
"$sim" $tt --strategy flood --ttl 2 --seed 1 --json --no-measure > "$tmp/tflood2.json"
check "two-tier: same seed, same bytes" 'cmp -s "$tmp/tflood.json" "$tmp/tflood2.json"'
lq=$(jget leaf_msgs_per_query "$tmp/tflood.json")
check "QRP keeps queries off leaves: $lq messages a query reach 1800 leaves" 'awk "BEGIN{exit !($lq < 0.05 * 1800)}"'
"$sim" $pf --strategy flood --ttl 7 --seed 1 --json --no-measure > "$tmp/pflood.json"
tf=$(jget msgs_per_query "$tmp/tflood.json")
pm=$(jget msgs_per_query "$tmp/pflood.json")
ts=$(jget success_rate "$tmp/tflood.json")
ps=$(jget success_rate "$tmp/pflood.json")
check "two-tier flood finds as a flat TTL-7 flood ($ts vs $ps)" 'awk "BEGIN{exit !($ts >= $ps - 0.05)}"'
check "for a third of the messages or less ($tf vs $pm)" 'awk "BEGIN{exit !($tf * 3 <= $pm)}"'
for st in dq walk; do
	"$sim" $tt --strategy $st --target 5 --seed 1 --json --no-measure > "$tmp/t$st.json"
	sm=$(jget msgs_per_query "$tmp/t$st.json")
	ss=$(jget success_rate "$tmp/t$st.json")
	check "two-tier $st finds ($ss) for a tenth of a flat flood or less ($sm vs $pm)" 'awk "BEGIN{exit !($ss >= $ps - 0.05 && $sm * 10 <= $pm)}"'
done

printf '# a tiny crawl\n0 1\n1 2\n2 3\n3 0\n3 4\n' > "$tmp/edges.txt"
"$sim" --topology "file:$tmp/edges.txt" --objects 2 --replication uniform:0.2 \
    --queries 10 --strategy flood --ttl 4 --json --no-measure > "$tmp/file.json"
check "edge list read: 5 nodes, 5 edges" '[ "$(jget nodes "$tmp/file.json")" = 5 ] && [ "$(jget edges "$tmp/file.json")" = 5 ]'

"$sim" $small --strategy walk --churn 0.2 --seed 1 --json --no-measure > "$tmp/churn.json"
check "churn: nodes left and joined" '[ "$(jget leaves "$tmp/churn.json")" -gt 0 ] && [ "$(jget joins "$tmp/churn.json")" -gt 0 ]'

for bad in "--strategy teleport" "--nodes x" "--topology moebius" \
    "--topology two-tier --ultrapeers 0" "--leaf-ups 0" \
    "--replication uniform" "--churn 2" "--topology file:$tmp/none"; do
	"$sim" $bad --queries 1 > /dev/null 2>&1
	rc=$?
	check "refuses $bad (exit $rc)" '[ $rc -ne 0 ]'
done
exit $fail
