#!/usr/bin/env bash
# mini-bare.sh - the mini guest kernel, bare build, on the NUMA board with 1 CPU and
# with 4 CPUs over 2 nodes, under each engine (interp, blocks, jit), twice each:
#  - it powers off with status 0 and says "check: ok" (its total equals the expect=
#    compiled in, and that expect= is mini-ref's total for the compiled-in words);
#  - every process's checksum equals the host reference's (mini-ref);
#  - two runs give byte-identical --stats and console, and every engine the same as
#    the interpreter;
#  - the platform counters show the work was done: timer ticks at 100 Hz, context
#    switches (at least 4 per process: preemption and yields), TLB refills by the
#    kernel's own handler, system calls, faults, and IPIs on 4 CPUs.
set -u
source tests/guest/lib.sh
mini_need
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=1; }

# The compiled-in command line, and the reference for it.
mipsel-linux-gnu-objcopy -O binary --only-section=.mini_cmdline "$BARE" "$tmp/cmdline"
words=$(tr -d '\0' <"$tmp/cmdline")
echo "compiled-in command line: $words"
# shellcheck disable=SC2086
"$REF" $words >"$tmp/ref" || { echo "FAIL mini-ref"; exit 1; }
ref_total=$(sed -n 's/^total checksum //p' "$tmp/ref")
nproc=$(grep -c '^proc' "$tmp/ref")
[[ $words == *"expect=0x$ref_total"* ]] || bad "compiled-in expect= is not mini-ref's total $ref_total"

# counter NAME FILE: the value of NAME in the "# totals:" line.
counter() { sed -n "s/^# totals:.* $1 \([0-9]*\).*/\1/p" "$2"; }

check_run() { # name out rc ncpus
    local name=$1 out=$2 rc=$3 ncpus=$4
    [[ $rc -eq 0 ]] || bad "$name: exit status $rc"
    grep -q '^check: ok' "$out" || bad "$name: no 'check: ok'"
    grep '^proc [0-9]* checksum' "$out" | cmp -s - <(grep '^proc' "$tmp/ref") ||
        bad "$name: per-process checksums differ from mini-ref"
    grep -q "^total checksum $ref_total " "$out" || bad "$name: total is not $ref_total"
    local c
    for c in ticks switches refills syscalls faults; do
        [[ $(counter $c "$out") -gt 0 ]] 2>/dev/null || bad "$name: counter $c missing or zero"
    done
    # Preemption and yields: every process is switched to many times.
    [[ $(counter switches "$out") -ge $((4 * nproc)) ]] 2>/dev/null ||
        bad "$name: $(counter switches "$out") context switches for $nproc processes"
    # 100 Hz: CPU 0's timer runs the whole run.
    local us ticks0
    us=$(counter elapsed-us "$out")
    ticks0=$(sed -n 's/^# cpu 0: ticks \([0-9]*\) .*/\1/p' "$out")
    (( ticks0 * 10000 >= us - 20000 && ticks0 * 10000 <= us + 10000 )) 2>/dev/null ||
        bad "$name: cpu 0 took $ticks0 ticks in $us us, not 100 Hz"
    if [[ $ncpus -gt 1 ]]; then
        [[ $(counter ipis "$out") -ge $(( 3 * (ncpus - 1) )) ]] 2>/dev/null ||
            bad "$name: fewer IPIs than start/done/stop need"
    fi
}

for shape in "1 1" "2 2"; do
    read -r nodes cpn <<<"$shape"
    ncpus=$((nodes * cpn))
    for e in interp blocks jit; do
        for r in 1 2; do
            name="${ncpus}cpu-$e-run$r"
            "$SIM" -q --engine "$e" --board numa --nodes "$nodes" --cpus-per-node "$cpn" \
                --stats "$tmp/$name.json" "$BARE" >"$tmp/$name.out" 2>&1
            rc=$?
            check_run "$name" "$tmp/$name.out" $rc $ncpus
        done
        a="${ncpus}cpu-$e-run1" b="${ncpus}cpu-$e-run2"
        cmp -s "$tmp/$a.json" "$tmp/$b.json" || bad "$ncpus cpus, $e: two runs give different --stats"
        cmp -s "$tmp/$a.out" "$tmp/$b.out" || bad "$ncpus cpus, $e: two runs give different consoles"
        if [[ $e != interp ]]; then
            cmp -s "$tmp/${ncpus}cpu-interp-run1.json" "$tmp/$a.json" ||
                bad "$ncpus cpus: --engine $e stats differ from the interpreter's"
        fi
        echo "ok   $ncpus cpus, $e: $(grep '^# totals' "$tmp/$a.out")"
    done
done
exit $fail
