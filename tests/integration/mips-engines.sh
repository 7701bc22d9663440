#!/usr/bin/env bash
# mips-engines.sh - the three engines (jit, blocks, interp) give the same run: every
# bare-metal test program, run on each, must give byte-identical --stats JSON (which
# counts instructions, cycles and exceptions per CPU), console output and exit status.
# The interpreter decodes every instruction, so it is the reference for the others.
# On the NUMA board (the numa_* programs, and the runs below) the cache model is on:
# the stats then hold every CPU's hits, misses, stalls and hot-page events, and the
# hot-page logs (--hot-log: each event, in order, with its simulated time) must be
# byte-identical too.
set -u
SIM=build/bin/mips-sim
[[ -x $SIM ]] || { echo "no $SIM (run make)"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
run() { # name elf options...
    local name=$1 elf=$2; shift 2
    local hot=()
    [[ " $* " == *" --board numa "* && " $* " != *" --no-cache-model "* ]] && hot=(--hot-log)
    for e in interp blocks jit; do
        # a hung engine is a difference too (status 124), not a hung test
        timeout "${ENGINE_TIMEOUT:-300}" "$SIM" -q --engine "$e" "$@" --stats "$tmp/$name.$e.json" \
            ${hot[@]+"${hot[@]}" "$tmp/$name.$e.hot"} "$elf" >"$tmp/$name.$e.out" 2>&1
        echo $? >>"$tmp/$name.$e.out"
    done
    for e in blocks jit; do
        if ! cmp -s "$tmp/$name.interp.json" "$tmp/$name.$e.json"; then
            echo "FAIL $name: --engine $e stats differ from the interpreter's"
            diff "$tmp/$name.interp.json" "$tmp/$name.$e.json" | head -6; fail=1
        elif [[ ${#hot[@]} -gt 0 ]] && ! cmp -s "$tmp/$name.interp.hot" "$tmp/$name.$e.hot"; then
            echo "FAIL $name: --engine $e hot-page events differ from the interpreter's"
            diff "$tmp/$name.interp.hot" "$tmp/$name.$e.hot" | head -6; fail=1
        elif ! cmp -s "$tmp/$name.interp.out" "$tmp/$name.$e.out"; then
            echo "FAIL $name: --engine $e output or exit status differ"
            diff "$tmp/$name.interp.out" "$tmp/$name.$e.out" | head -6; fail=1
        fi
    done
    n=$((n + 1))
    local events=""
    [[ ${#hot[@]} -gt 0 ]] && events=", $(wc -l <"$tmp/$name.interp.hot") hot-page events"
    echo "ok   $name ($(grep -m1 '"instructions"' "$tmp/$name.interp.json" | tr -d ' ,')$events, exit $(tail -n 1 "$tmp/$name.interp.out"))"
}
for elf in build/mips/*.elf; do
    name=$(basename "$elf" .elf)
    opts=""; [[ -f ${elf%.elf}.opts ]] && opts=$(cat "${elf%.elf}.opts")
    case $name in
        bench_*) opts="$opts --max-insns 3000000" ;;   # long benchmarks: a prefix
    esac
    # shellcheck disable=SC2086
    run "$name" "$elf" $opts
done
# Multi-CPU interleavings and odd quanta (slices end at every possible point).
run llsc-q37 build/mips/llsc.elf --cpus 4 --quantum 37
run demo-q7 build/mips/demo.elf --cpus 4 --quantum 7
run demo-limit build/mips/demo.elf --cpus 2 --max-insns 1000003
# FP code (lazy FCSR.Cause, MXCSR flags folded at exits) with slices ending anywhere.
run fpwork-q13 build/mips/fpwork.elf --quantum 13
run fpdiff32-q29 build/mips/fpdiff32.elf --quantum 29
# A tiny JIT code space: it fills up and all compiled code is dropped, again and again.
run smc-jit64k build/mips/smc.elf --jit-space 64K
run demo-jit64k build/mips/demo.elf --cpus 4 --jit-space 64K
# The NUMA board with the cache model: stalls end slices inside blocks (odd quanta, a
# 16-byte line so compiled blocks charge fetches inside them), hot-page events end
# them after an instruction (low thresholds), four CPUs share and invalidate lines.
numa=(--board numa --nodes 2 --cpus-per-node 2 --mem-per-node 32M)
run numa_access-q13 build/mips/numa_access.elf "${numa[@]}" --hot-threshold 8 --quantum 13
run numa_access-line16 build/mips/numa_access.elf "${numa[@]}" --hot-threshold 8 --cache-line 16 --quantum 101
run numa_access-1cpu build/mips/numa_access.elf --board numa --nodes 1 --cpus-per-node 1 --mem-per-node 64M --hot-threshold 8
run numa_remote-q7 build/mips/numa_remote.elf --board numa --nodes 2 --cpus-per-node 1 --mem-per-node 32M --hot-threshold 32 --quantum 7
run numa_mix-q37 build/mips/bench_numa_mix.elf "${numa[@]}" --hot-threshold 4 --quantum 37 --max-insns 2000000
run numa_mix-sample build/mips/bench_numa_mix.elf "${numa[@]}" --hot-threshold 2 --hot-sample 3 --max-insns 2000000
run ipi-numa build/mips/ipi.elf "${numa[@]}"
run smc-numa build/mips/smc.elf --board numa --nodes 2 --cpus-per-node 1 --mem-per-node 32M --quantum 29
[[ $n -ge 10 ]] || { echo "FAIL only $n programs found"; fail=1; }
exit $fail
