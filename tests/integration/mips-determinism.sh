#!/usr/bin/env bash
# mips-determinism.sh - a multi-CPU run is repeatable bit for bit: the same program run
# twice gives byte-identical --stats JSON and console output (LL/SC contention between
# 4 CPUs, IPIs, and the 4-CPU demo with a small quantum).
set -u
SIM=build/bin/mips-sim
[[ -x $SIM ]] || { echo "no $SIM (run make)"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
run_twice() { # name elf options...
    local name=$1 elf=$2; shift 2
    [[ -f $elf ]] || { echo "missing $elf"; fail=1; return; }
    for i in 1 2; do
        "$SIM" -q "$@" --stats "$tmp/$name.$i.json" "$elf" >"$tmp/$name.$i.out" 2>&1
        echo $? >"$tmp/$name.$i.rc"
    done
    if ! cmp -s "$tmp/$name.1.json" "$tmp/$name.2.json"; then
        echo "FAIL $name: stats differ"; diff "$tmp/$name.1.json" "$tmp/$name.2.json" | head; fail=1
    elif ! cmp -s "$tmp/$name.1.out" "$tmp/$name.2.out" || ! cmp -s "$tmp/$name.1.rc" "$tmp/$name.2.rc"; then
        echo "FAIL $name: output or exit status differ"; fail=1
    elif ! grep -q '"instructions"' "$tmp/$name.1.json"; then
        echo "FAIL $name: no statistics written"; fail=1
    else
        echo "ok   $name ($(grep -m1 '"instructions"' "$tmp/$name.1.json" | tr -d ' ,'))"
    fi
}
run_twice llsc build/mips/llsc.elf --cpus 4
run_twice llsc-q37 build/mips/llsc.elf --cpus 4 --quantum 37
run_twice ipi build/mips/ipi.elf --cpus 4
run_twice demo build/mips/demo.elf --cpus 4 --quantum 100
# a different quantum must still give the right answer (exit 0)
[[ $(cat "$tmp/llsc-q37.1.rc") == 0 ]] || { echo "FAIL llsc with --quantum 37 exited $(cat "$tmp/llsc-q37.1.rc")"; fail=1; }
exit $fail
