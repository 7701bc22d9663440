#!/usr/bin/env bash
# fpdiff.sh - the FPU against QEMU: fpdiff (tests/fpu/fpdiff.c) prints every FP
# operation's result and FCSR on awkward inputs under every rounding mode. Its output
# under qemu-mipsel (Debian's qemu-user, the 24Kf model) must equal, byte for byte, its
# output on mips-sim under each engine, for FR = 0 and FR = 1; likewise for fpwork, an
# FP workload in plain C (fpwork64: the same with FR = 1).
set -u
SIM=build/bin/mips-sim
[[ -x $SIM ]] || { echo "no $SIM (run make)"; exit 77; }
command -v qemu-mipsel >/dev/null || { echo "no qemu-mipsel (./setup.sh installs qemu-user)"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
for prog in fpdiff32 fpdiff64 fpwork fpwork64; do
    ref=$tmp/$prog.qemu.txt
    if ! qemu-mipsel build/fpu/$prog.linux >"$ref" || [[ $(wc -l <"$ref") -lt 3 ]]; then
        echo "FAIL $prog: qemu-mipsel did not run it"; fail=1; continue
    fi
    for e in interp blocks jit; do
        out=$tmp/$prog.$e.txt
        "$SIM" -q --engine "$e" build/mips/$prog.elf >"$out" 2>&1
        rc=$?
        if [[ $rc -ne 0 ]] || ! cmp -s "$ref" "$out"; then
            echo "FAIL $prog --engine $e (exit $rc): differs from qemu-mipsel (< qemu, > mips-sim):"
            diff "$ref" "$out" | head -10; fail=1
        else
            echo "ok   $prog --engine $e: $(wc -l <"$ref") lines identical"
        fi
    done
done
exit $fail
