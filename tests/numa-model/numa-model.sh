#!/usr/bin/env bash
# The NUMA board's statistics: a CPU on node 1 streaming node-0 memory takes remote
# misses and makes those pages hot for node 1; local data gives local misses; the UMA
# setting charges local latency; a run repeated gives identical statistics.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIM=build/bin/mips-sim
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
field() { # field FILE CPU NAME -> value of NAME in the "cpu": CPU line
    grep "\"cpu\": $2," "$1" | sed -n "s/.*\"$3\": \([0-9]*\).*/\1/p"
}
node_field() { grep "\"node\": $2, \"cpus\"" "$1" | sed -n "s/.*\"$3\": \([0-9]*\).*/\1/p"; }

run() { # run NAME -> stats in $T/NAME.json, hot log in $T/NAME.hot
    $SIM -q $(cat build/mips/$1.opts) --stats "$T/$1.json" --hot-log "$T/$1.hot" \
        build/mips/$1.elf > "$T/$1.out" || fail "$1 exited $?: $(cat "$T/$1.out")"
}
run numa_remote
run numa_local
run numa_uma

lines=$((3 * 2 * 1024 * 1024 / 128))
r=$(field "$T/numa_remote.json" 1 remote_misses)
[ "$r" -ge "$lines" ] || fail "remote run: $r remote misses, want >= $lines"
[ "$(field "$T/numa_remote.json" 1 local_misses)" -eq 0 ] || fail "remote run has local misses"
st=$(field "$T/numa_remote.json" 1 stall_cycles)
[ "$st" -eq $((r * 180)) ] || fail "remote stall $st != $r misses * 180 cycles (900 ns)"
h1=$(node_field "$T/numa_remote.json" 1 hot_page_events)
h0=$(node_field "$T/numa_remote.json" 0 hot_page_events)
[ "$h1" -gt 0 ] && [ "$h0" -eq 0 ] || fail "hot pages: node1 $h1 node0 $h0"
# every hot page of the remote run is a node-0 page (below 32 MB) hot for node 1
while read -r _ _ page _ node _; do
    (( page < 32 * 1024 * 1024 && node == 1 )) || fail "hot-page log names page $page node $node"
done < "$T/numa_remote.hot"

l=$(field "$T/numa_local.json" 1 local_misses)
[ "$l" -ge "$lines" ] || fail "local run: $l local misses, want >= $lines"
[ "$(field "$T/numa_local.json" 1 stall_cycles)" -le $(( (l + 20) * 60 )) ] || fail "local stall too high"

u=$(field "$T/numa_uma.json" 1 remote_misses)
[ "$(field "$T/numa_uma.json" 1 stall_cycles)" -eq $((u * 60)) ] || fail "UMA must charge 300 ns per miss"

$SIM -q $(cat build/mips/numa_remote.opts) --stats "$T/again.json" build/mips/numa_remote.elf > /dev/null
cmp -s "$T/numa_remote.json" "$T/again.json" || fail "two runs gave different statistics"
echo "ok: remote $r misses ($st stall cycles, $h1 hot-page events for node 1), local $l misses, deterministic"
