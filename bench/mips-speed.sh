#!/usr/bin/env bash
# Simulation speed of mips-sim (default engine: the JIT) on one host core: a 500-million-instruction integer loop
# (tests/mips/bench_intloop.S) on one simulated CPU. Prints the best of three runs.
# Last line: "MIPS: <simulated million instructions per host second>".
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/bin/mips-sim build/mips/bench_intloop.elf
best=0
for run in 1 2 3; do
    start=$EPOCHREALTIME
    build/bin/mips-sim -q --stats build/bench-speed.json build/mips/bench_intloop.elf
    end=$EPOCHREALTIME
    insns=$(sed -n 's/^  "instructions": \([0-9]*\),/\1/p' build/bench-speed.json)
    mips=$(awk -v n="$insns" -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", n/(b-a)/1e6}')
    echo "run $run: $insns instructions in $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.3f", b-a}') s = $mips MIPS"
    best=$(awk -v a="$best" -v b="$mips" 'BEGIN{print (b>a)?b:a}')
done
echo "MIPS: $best"
