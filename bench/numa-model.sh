#!/usr/bin/env bash
# Cost of the NUMA cache model on the JIT: simulation speed (simulated instructions per
# host second) of the same workload (tests/mips/bench_numa_mix.c, 4 CPUs on 2 nodes)
# with the cache model on and off, both with --engine jit (the compiled code charges
# the model through engine/memfast.h); best of three runs each.
# Last line: "cache-model speed share: <on/off>" (target >= 0.5).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/bin/mips-sim build/mips/bench_numa_mix.elf
board=(--engine jit --board numa --nodes 2 --cpus-per-node 2 --mem-per-node 32M)
speed() { # best MIPS of three runs with extra options "$@"
    local best=0
    for _ in 1 2 3; do
        local start=$EPOCHREALTIME
        build/bin/mips-sim -q "${board[@]}" "$@" --stats build/bench-numa.json build/mips/bench_numa_mix.elf
        local end=$EPOCHREALTIME
        local n
        n=$(sed -n 's/^  "instructions": \([0-9]*\),/\1/p' build/bench-numa.json)
        best=$(awk -v n="$n" -v a="$start" -v b="$end" -v best="$best" \
               'BEGIN{m=n/(b-a)/1e6; print (m>best)?m:best}')
    done
    echo "$best"
}
on=$(speed)
off=$(speed --no-cache-model)
echo "cache model on:  $on MIPS"
echo "cache model off: $off MIPS"
echo "cache-model speed share: $(awk -v a="$on" -v b="$off" 'BEGIN{printf "%.2f", a/b}')"
