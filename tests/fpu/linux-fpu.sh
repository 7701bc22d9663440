#!/usr/bin/env bash
# linux-fpu.sh - Debian's stock Malta kernel with the FPU: a busybox initramfs runs
# fpwork (tests/fpu/fpwork.c, a static mipsel program) and an awk floating-point loop.
# Checks that their output equals qemu-mipsel's (fpwork) and the host's (awk), and that
# --stats shows no Coprocessor Unusable storm: the kernel enables CU1 lazily, so it
# takes at most about one CpU exception per process that uses the FPU (the limit
# below is generous), where an FPU-less CPU takes one per FP instruction (millions).
# Prints the run's CpU count and wall time. Exit 0 pass, 77 skip, else fail.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SIM=${SIM:-$ROOT/build/bin/mips-sim}
WORK=$ROOT/build/fpu/linux
LIMIT=${LINUX_BOOT_TIMEOUT:-300}
MAX_CPU_EXC=${MAX_CPU_EXC:-200}
fail() { echo "FAIL: $*"; exit 1; }
[[ -x "$SIM" && -x $ROOT/build/fpu/fpwork.linux ]] || fail "not built (run make)"
command -v cpio >/dev/null || { echo "skip: cpio is not installed (./setup.sh)"; exit 77; }
command -v qemu-mipsel >/dev/null || { echo "skip: no qemu-mipsel (./setup.sh)"; exit 77; }
paths=$("$ROOT/tests/linux/fetch.sh")
rc=$?
if [[ $rc -eq 77 ]]; then echo "$paths" | tail -n 1; exit 77; fi
[[ $rc -eq 0 ]] || fail "fetch.sh failed ($rc)"
kernel=$(sed -n 1p <<<"$paths")
busybox=$(sed -n 2p <<<"$paths")

AWK_PROG='BEGIN { s = 0; x = 1; for (i = 1; i <= 50000; i++) { s += i / (i + 0.5); x = x * 1.00001 } printf "awk %.9f %.9f\n", s, x }'
rm -rf "$WORK"; mkdir -p "$WORK/root"/{bin,dev,proc,tmp}
cp "$busybox" "$WORK/root/bin/busybox"
cp "$ROOT/build/fpu/fpwork.linux" "$WORK/root/bin/fpwork"
cat > "$WORK/root/init" <<INIT
#!/bin/busybox sh
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
export PATH=/bin
echo "FPU-MARKER: start"
/bin/fpwork
awk '$AWK_PROG'
echo "FPU-MARKER: done"
poweroff -f
INIT
chmod 755 "$WORK/root/init"
find "$WORK/root" -exec touch -h -d @1704067200 {} +
(cd "$WORK/root" && find . -mindepth 1 | LC_ALL=C sort |
    cpio -o -H newc --quiet --reproducible -R 0:0) | gzip -9 -n > "$WORK/initrd.gz"

{ qemu-mipsel "$ROOT/build/fpu/fpwork.linux"; awk "$AWK_PROG"; } > "$WORK/expected.txt"

start=$EPOCHREALTIME
timeout "$LIMIT" "$SIM" --board malta --kernel "$kernel" --initrd "$WORK/initrd.gz" \
    --append "console=ttyS0 cryptomgr.notests" --stats "$WORK/stats.json" \
    >"$WORK/console.log" 2>"$WORK/err.log" </dev/null
rc=$?
secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}')
[[ $rc -eq 0 ]] || { tail -n 5 "$WORK/console.log" "$WORK/err.log"; fail "mips-sim exit status $rc"; }
tr -d '\r' <"$WORK/console.log" | sed -n '/FPU-MARKER: start/,/FPU-MARKER: done/p' |
    grep -v FPU-MARKER > "$WORK/got.txt"
if ! cmp -s "$WORK/expected.txt" "$WORK/got.txt"; then
    diff "$WORK/expected.txt" "$WORK/got.txt"; fail "the guest's FP results differ"
fi
# Exceptions by name in the per-CPU statistics: "CpU": n.
cpu_exc=$(grep -o '"CpU": *[0-9]*' "$WORK/stats.json" | awk -F: '{s += $2} END {print s + 0}')
echo "boot + fpwork + awk: ${secs}s wall, $cpu_exc Coprocessor Unusable exceptions"
[[ $cpu_exc -le $MAX_CPU_EXC ]] || fail "$cpu_exc Coprocessor Unusable exceptions (at most $MAX_CPU_EXC expected)"
echo "PASS: FP results equal qemu-mipsel's and the host's; no CpU storm"
