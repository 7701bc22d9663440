#!/usr/bin/env bash
# Benchmark: real Linux programs on mips-sim --board malta against qemu-system-mipsel -M
# malta. Both boot Debian's stock Malta kernel with the same workload initramfs
# (tests/linux/mkworkloads.sh: busybox-static, lwb-touch, lwb-fpwork), the same command
# line and the same RAM. The guest's /init runs seven workloads one after the other:
#   int      shell arithmetic loop and SHA-256 (integer)
#   fp       awk arithmetic on doubles (floating point, interpreted)
#   fpc      tests/fpu/fpwork.c (floating point, compiled)
#   sort     sort -n and sort -k of 40,000 lines
#   gzip     gzip -9 and gunzip of 3.2 MB
#   fork     150 fork+exec of the static busybox binary
#   pgfault  lwb-touch: 24 rounds of 16 MB of fresh heap pages (98,304 page faults)
# Each workload is timed alone, from the host: the guest prints "LWB-START w" and
# "LWB-END w" on the serial console around it (inputs are prepared before START), and
# the host stamps each console line as it arrives. The boot time is the time from
# launch to the first userspace line. RUNS boots per emulator (default 3), alternating,
# medians taken. Every run must power off cleanly and every workload's result (md5 of
# its output) must equal QEMU's first run, or the figure is "n/a".
# Then one more mips-sim boot runs the two FP workloads with --stats: the count of
# Coprocessor Unusable exceptions must stay small (lazy FPU switching only, no
# emulation storm); it is printed.
# Prints a table (median wall seconds, ratio mips-sim/qemu), the boot ratio, the load
# average, and last "geomean ratio mips-sim/qemu: <n>" over the workloads (lower is
# better; 0.5 means twice as fast as QEMU).
#   RUNS=N  LWB="int,fp"  (a subset)  ENGINE=jit|blocks|interp  MEM_MB=128
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIM=${SIM:-$ROOT/build/bin/mips-sim}
QEMU=${QEMU:-qemu-system-mipsel}
WORK=$ROOT/build/linux-workloads
RUNS=${RUNS:-3}
MEM_MB=${MEM_MB:-128}
ENGINE=${ENGINE:-jit}
LIMIT=${LWB_TIMEOUT:-1200}
# the CpU exceptions a run of the FP workloads may take: one per time a process first
# uses the FPU after a switch, not one per FP instruction
CPU_EXC_LIMIT=${CPU_EXC_LIMIT:-5000}
APPEND="console=ttyS0 cryptomgr.notests"
[[ -n "${LWB:-}" ]] && APPEND="$APPEND lwb=$LWB"
MIPS_CC="mipsel-linux-gnu-gcc -march=mips32r2 -EL -ffreestanding -nostdlib -mno-abicalls
         -fno-pic -G0 -O2 -std=gnu11 -Wall -Wextra -Werror -static -Wl,--build-id=none"
FPWORK_SCALE=6
mkdir -p "$WORK"

no_figure() { echo "$*" >&2; echo "geomean ratio mips-sim/qemu: n/a"; exit 1; }

command -v "$QEMU" >/dev/null || { echo "$QEMU is not installed: run ./setup.sh --bench";
                                   echo "geomean ratio mips-sim/qemu: n/a"; exit 0; }
make -s -C "$ROOT" build/bin/mips-sim || no_figure "cannot build mips-sim"
paths=$("$ROOT/tests/linux/fetch.sh") || no_figure "cannot fetch the kernel: $paths"
kernel=$(sed -n 1p <<<"$paths")
busybox=$(sed -n 2p <<<"$paths")
# shellcheck disable=SC2086
$MIPS_CC -o "$WORK/lwb-touch" "$ROOT/tests/linux/lwb_touch.c" ||
    no_figure "cannot build lwb-touch"
# shellcheck disable=SC2086
$MIPS_CC -I"$ROOT/tests/mips/include" -DFPWORK_SCALE=$FPWORK_SCALE -o "$WORK/lwb-fpwork" \
    "$ROOT/tests/fpu/fpwork.c" "$ROOT/tests/fpu/fpdiff_linux.c" || no_figure "cannot build lwb-fpwork"
"$ROOT/tests/linux/mkworkloads.sh" "$busybox" "$WORK/lwb-touch" "$WORK/lwb-fpwork" \
    "$WORK/initrd.gz" || no_figure "cannot build the initramfs"
echo "kernel: $(basename "$kernel"), initramfs $(stat -c %s "$WORK/initrd.gz") bytes," \
     "${MEM_MB} MB, mips-sim --engine $ENGINE, append: $APPEND"

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# stamp T0: prefixes each line of stdin with the seconds since T0 (a $EPOCHREALTIME).
# Only bash builtins in the loop: a stamper that spawned a process per line would fall
# behind the boot messages and stamp later lines late.
stamp() {
    local line
    while IFS= read -r line; do
        printf '%s %s\n' "$EPOCHREALTIME" "${line%$'\r'}"
    done | awk -v t0="$1" '{ t = $1; sub(/^[^ ]* /, ""); printf "%.3f %s\n", t - t0, $0 }'
}

launch() {   # $1 = qemu|sim, $2... extra mips-sim options; the console goes to stdout
    local side=$1
    shift
    if [[ $side == qemu ]]; then
        timeout "$LIMIT" "$QEMU" -M malta -m "$MEM_MB" -display none -monitor none \
            -serial stdio -no-reboot -kernel "$kernel" -initrd "$WORK/initrd.gz" \
            -append "$APPEND" </dev/null
    else
        timeout "$LIMIT" "$SIM" --engine "$ENGINE" --board malta --mem "${MEM_MB}M" \
            --kernel "$kernel" --initrd "$WORK/initrd.gz" --append "$APPEND" "$@" </dev/null
    fi
}

# run_one SIDE LOG [mips-sim options]: one boot, console stamped into LOG, stderr into
# LOG.err; fails unless the emulator exited 0 and the guest reached its last marker
run_one() {
    local side=$1 log=$2 t0 rc
    shift 2
    t0=$EPOCHREALTIME
    launch "$side" "$@" 2>"$log.err" | stamp "$t0" >"$log"
    rc=${PIPESTATUS[0]}
    if [[ $rc -ne 0 ]]; then
        echo "$side run failed: exit status $rc$([[ $rc -eq 124 ]] && echo " (timed out after $LIMIT s)"), see $log" >&2
        return 1
    fi
    grep -q " LWB-MARKER: done$" "$log" || { echo "$side run: no final marker, see $log" >&2; return 1; }
    if grep -q " LWB-ERROR" "$log"; then grep " LWB-ERROR" "$log" >&2; return 1; fi
    grep -o "LWB-RESULT .*" "$log" >"$log.results"
}

# times LOG: "boot <s>" and "<workload> <s>" lines from a stamped console
times_of() {
    awk '$2 == "LWB-MARKER:" && $3 == "userspace" { print "boot", $1 }
         $2 == "LWB-START" { s[$3] = $1 }
         $2 == "LWB-END" { printf "%s %.3f\n", $3, $1 - s[$3] }' "$1"
}

for i in $(seq 1 "$RUNS"); do
    for side in qemu sim; do
        run_one "$side" "$WORK/$side-$i.log" || no_figure "$side run $i does not count"
        cmp -s "$WORK/qemu-1.log.results" "$WORK/$side-$i.log.results" || {
            diff "$WORK/qemu-1.log.results" "$WORK/$side-$i.log.results" >&2
            no_figure "$side run $i: a workload's output differs from qemu run 1's"; }
        times_of "$WORK/$side-$i.log" >"$WORK/$side-$i.times"
        echo "$(printf '%-8s' "$side") run $i: $(tr '\n' ' ' <"$WORK/$side-$i.times")"
    done
done
echo "workload results identical on every run of both ($(wc -l <"$WORK/qemu-1.log.results") workloads):"
sed 's/^LWB-RESULT /  /' "$WORK/qemu-1.log.results"

med() {   # med SIDE NAME: the median time of NAME over the runs of SIDE
    cat "$WORK/$1"-*.times | awk -v n="$2" '$1 == n { print $2 }' | median
}
printf '%-8s %10s %10s %8s\n' workload "qemu s" "mips-sim s" ratio
ratios=()
for name in $(awk '{print $1}' "$WORK/qemu-1.times"); do
    q=$(med qemu "$name") s=$(med sim "$name")
    r=$(awk -v a="$s" -v b="$q" 'BEGIN{printf "%.2f", a/b}')
    printf '%-8s %10.2f %10.2f %8s\n' "$name" "$q" "$s" "$r"
    [[ $name == boot ]] && boot_ratio=$r || ratios+=("$(awk -v a="$s" -v b="$q" 'BEGIN{print a/b}')")
done

# The FP workloads once more with --stats: no Coprocessor Unusable storm.
fp_log=$WORK/sim-fpstats.log
saved_append=$APPEND
APPEND="console=ttyS0 cryptomgr.notests lwb=fp,fpc"
run_one sim "$fp_log" --stats "$WORK/fp-stats.json" || no_figure "the --stats run of fp,fpc failed"
APPEND=$saved_append
grep -q '"exceptions"' "$WORK/fp-stats.json" || no_figure "no statistics in $WORK/fp-stats.json"
# (the statistics list only the exception codes that occurred)
cpu_exc=$(grep -o '"CpU": [0-9]*' "$WORK/fp-stats.json" | awk '{print $2}')
cpu_exc=${cpu_exc:-0}
insns=$(grep -o '"instructions": [0-9]*' "$WORK/fp-stats.json" | head -n 1 | awk '{print $2}')
echo "mips-sim --stats of a boot running fp and fpc: $cpu_exc Coprocessor Unusable exceptions in $insns instructions"
[[ $cpu_exc -le $CPU_EXC_LIMIT ]] ||
    no_figure "Coprocessor Unusable storm: $cpu_exc exceptions (more than $CPU_EXC_LIMIT)"

echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "boot ratio mips-sim/qemu: $boot_ratio"
printf '%s\n' "${ratios[@]}" |
    awk '{ l += log($1); n++ } END { printf "geomean ratio mips-sim/qemu: %.2f\n", exp(l / n) }'
