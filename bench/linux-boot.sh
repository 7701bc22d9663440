#!/usr/bin/env bash
# Benchmark: boot Debian's stock mipsel Malta kernel + the test initramfs (busybox: a
# marker, uname, two md5 sums, power-off) on QEMU (qemu-system-mipsel -M malta) and on
# mips-sim --board malta, three runs each, same kernel, initramfs, command line and RAM.
# Prints each run, both median wall times, mips-sim's simulated instruction count and
# instructions per host second, and last the line "ratio mips-sim/qemu: <number>"
# (lower is better; below 1.0 means mips-sim boots faster than QEMU).
# A run counts only if its emulator exited with status 0 (not killed by the timeout, not
# failed) and the guest's userspace printed what the host expects: the markers, the md5
# sums the host computed for the initramfs's files, and the same `uname -a` and lines on
# both sides. Otherwise the script fails with "ratio mips-sim/qemu: n/a": a failed or
# hung run must never stand in for a boot time.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIM=${SIM:-$ROOT/build/bin/mips-sim}
QEMU=${QEMU:-qemu-system-mipsel}
WORK=$ROOT/build/linux-bench
RUNS=${RUNS:-3}
MEM_MB=${MEM_MB:-128}
APPEND=${LINUX_APPEND:-"console=ttyS0 cryptomgr.notests"}
mkdir -p "$WORK"

if ! command -v "$QEMU" >/dev/null; then
    echo "$QEMU is not installed: run ./setup.sh --bench"
    echo "ratio mips-sim/qemu: n/a"
    exit 0
fi
[[ -x "$SIM" ]] || { echo "$SIM is not built: run make"; exit 1; }
paths=$("$ROOT/tests/linux/fetch.sh") || { echo "cannot fetch the kernel: $paths"; echo "ratio mips-sim/qemu: n/a"; exit 0; }
kernel=$(sed -n 1p <<<"$paths")
busybox=$(sed -n 2p <<<"$paths")
"$ROOT/tests/linux/mkinitramfs.sh" "$busybox" "$WORK/initrd.gz" >"$WORK/expected-md5" || exit 1
echo "kernel: $(basename "$kernel"), initramfs $(stat -c %s "$WORK/initrd.gz") bytes, ${MEM_MB} MB, append: $APPEND"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
no_figure() { echo "$*" >&2; echo "ratio mips-sim/qemu: n/a"; exit 1; }

# userspace_lines LOG: what the guest's /init printed (markers, uname, md5 sums), without
# kernel messages or carriage returns
userspace_lines() {
    tr -d '\r' <"$1" | grep -E '^(MIPS-SIM-MARKER: .*|Linux .*|[0-9a-f]{32}  /.*)$'
}

run_one() {   # $1 = qemu|sim, $2 = log; prints the wall time
    local t0 t1 rc
    t0=$(now)
    if [[ $1 == qemu ]]; then
        timeout 300 "$QEMU" -M malta -m "$MEM_MB" -display none -monitor none -serial stdio \
            -no-reboot -kernel "$kernel" -initrd "$WORK/initrd.gz" -append "$APPEND" \
            >"$2" 2>&1 </dev/null
    else
        timeout 300 "$SIM" --board malta --mem "${MEM_MB}M" --kernel "$kernel" \
            --initrd "$WORK/initrd.gz" --append "$APPEND" >"$2" 2>&1 </dev/null
    fi
    rc=$?
    t1=$(now)
    if [[ $rc -ne 0 ]]; then
        echo "$1 run failed: exit status $rc$([[ $rc -eq 124 ]] && echo " (timed out after 300 s)"), see $2" >&2
        return 1
    fi
    userspace_lines "$2" >"$2.user"
    if ! grep -qx "MIPS-SIM-MARKER: done" "$2.user"; then
        echo "$1 run failed: the guest never printed its final marker, see $2" >&2
        return 1
    fi
    local sum
    while read -r sum; do
        grep -qxF -- "$sum" "$2.user" || { echo "$1 run: md5 line '$sum' missing or different, see $2" >&2; return 1; }
    done <"$WORK/expected-md5"
    awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f\n", b-a}'
}

qemu_times=() sim_times=()
for i in $(seq 1 "$RUNS"); do
    t=$(run_one qemu "$WORK/qemu-$i.log") || no_figure "qemu run $i does not count"
    qemu_times+=("$t"); echo "qemu     run $i: ${t} s"
    t=$(run_one sim "$WORK/sim-$i.log") || no_figure "mips-sim run $i does not count"
    sim_times+=("$t"); echo "mips-sim run $i: ${t} s"
    # both emulators ran the same kernel and initramfs: the guest must say the same
    for side in qemu sim; do
        cmp -s "$WORK/qemu-1.log.user" "$WORK/$side-$i.log.user" || {
            diff "$WORK/qemu-1.log.user" "$WORK/$side-$i.log.user" >&2
            no_figure "$side run $i printed other userspace output than qemu run 1"; }
    done
done
echo "userspace output identical on every run of both: $(wc -l <"$WORK/qemu-1.log.user") lines"
q=$(printf '%s\n' "${qemu_times[@]}" | median)
s=$(printf '%s\n' "${sim_times[@]}" | median)
summary=$(grep -h "^mips-sim: poweroff" "$WORK/sim-1.log" | tail -n 1)
insns=$(sed -n 's/.* after \([0-9]*\) instructions.*/\1/p' <<<"$summary")
simsecs=$(sed -n 's/.*instructions, \([0-9.]*\) s simulated.*/\1/p' <<<"$summary")
echo "qemu median wall time:     $q s"
echo "mips-sim median wall time: $s s"
echo "mips-sim simulated instructions: $insns (${simsecs} s of simulated time at 200 MHz)"
awk -v n="$insns" -v t="$s" 'BEGIN{printf "mips-sim simulated instructions per second: %.1f million\n", n/t/1e6}'
awk -v a="$s" -v b="$q" 'BEGIN{printf "ratio mips-sim/qemu: %.2f\n", a/b}'
