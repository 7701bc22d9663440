#!/usr/bin/env bash
# Integration test: Debian's stock mipsel Malta kernel boots on mips-sim's Malta board
# to a busybox userspace, which prints a marker, uname -a and two md5 sums, and powers
# off. Checks the marker, the sums against the host's, and a clean power-off (status 0).
# Also checks that bad kernel files give one clear error line and exit status 2.
# Exit 0 pass, 77 skip (packages cannot be fetched), anything else fail.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SIM=${SIM:-$ROOT/build/bin/mips-sim}
WORK=${LINUX_WORK:-$ROOT/build/linux}
LIMIT=${LINUX_BOOT_TIMEOUT:-120}
# cryptomgr.notests: the crypto self-tests (bignum RSA/DH) cost 1.4 G instructions and
# test nothing of the board; the same line is used by bench/linux-boot.sh for QEMU.
APPEND=${LINUX_APPEND:-"console=ttyS0 cryptomgr.notests"}
mkdir -p "$WORK"

fail() { echo "FAIL: $*"; exit 1; }

[[ -x "$SIM" ]] || fail "$SIM not built"
command -v cpio >/dev/null || { echo "skip: cpio is not installed (./setup.sh)"; exit 77; }

paths=$("$ROOT/tests/linux/fetch.sh")
rc=$?
if [[ $rc -eq 77 ]]; then echo "$paths" | tail -n 1; exit 77; fi
[[ $rc -eq 0 ]] || fail "fetch.sh failed ($rc)"
kernel=$(sed -n 1p <<<"$paths")
busybox=$(sed -n 2p <<<"$paths")
echo "kernel:  $kernel"
echo "busybox: $busybox"

expected=$("$ROOT/tests/linux/mkinitramfs.sh" "$busybox" "$WORK/initrd.gz") ||
    fail "cannot build the initramfs"

# ---- bad kernels: one line on stderr, exit status 2 -------------------------------
check_bad() {
    local what=$1 file=$2 out err rc
    err=$("$SIM" --board malta --kernel "$file" --append "console=ttyS0" 2>&1 >/dev/null)
    rc=$?
    if [[ $rc -ne 2 ]]; then fail "$what: exit status $rc, expected 2 ($err)"; fi
    if [[ $(wc -l <<<"$err") -ne 1 || -z "$err" ]]; then
        fail "$what: expected exactly one error line, got: $err"
    fi
    echo "bad kernel ($what): $err"
}
check_bad "not an ELF" "$WORK/initrd.gz"
cp "$kernel" "$WORK/bad-endian"
printf '\x02' | dd of="$WORK/bad-endian" bs=1 seek=5 conv=notrunc status=none
check_bad "big-endian" "$WORK/bad-endian"
head -c 100000 "$kernel" > "$WORK/bad-truncated"
check_bad "truncated" "$WORK/bad-truncated"
rm -f "$WORK/bad-endian" "$WORK/bad-truncated"

# ---- the boots -----------------------------------------------------------------------
# 128 MB (the default), and the ends of the supported range. 32 MB needs nokaslr: the
# kernel's self-relocation (KASLR) moves it at least its own size (~17 MB) up, past the
# end of 32 MB of RAM (QEMU's Malta hangs the same way without it).
boot() {   # $1 = memory size, $2 = extra command line, $3 = log name, $4 = engine
    local mem=$1 extra=$2 log=$WORK/boot-${3:-$1}.log rc secs start
    start=$EPOCHREALTIME
    timeout "$LIMIT" "$SIM" --engine "${4:-jit}" --board malta --mem "$mem" --kernel "$kernel" \
        --initrd "$WORK/initrd.gz" --append "$APPEND$extra" >"$log" 2>"$log.err" </dev/null
    rc=$?
    secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}')
    echo "== --mem $mem: exit $rc after ${secs}s"
    tr -d '\r' <"$log" | tail -n 7
    cat "$log.err"
    [[ $rc -ne 124 ]] || fail "$mem: boot did not finish within ${LIMIT}s"
    grep -q "MIPS-SIM-MARKER: userspace is up" "$log" || fail "$mem: no userspace marker"
    grep -Eq "^Linux .* 6\.[0-9.]+-[0-9]+-4kc-malta .* mips GNU/Linux" "$log" ||
        fail "$mem: no uname -a line"
    while read -r sum name; do
        grep -q "^$sum  $name" "$log" || fail "$mem: md5sum of $name differs from the host's ($sum)"
    done <<<"$expected"
    grep -q "MIPS-SIM-MARKER: done" "$log" || fail "$mem: no final marker"
    grep -q "reboot: Power down" "$log" || fail "$mem: the kernel did not power down"
    [[ $rc -eq 0 ]] || fail "$mem: mips-sim exit status $rc, expected 0 (power-off)"
    grep -q "poweroff (status 0)" "$log.err" || fail "$mem: the run did not end by power-off"
}
boot 128M ""
# Repeatability: a second run gives the same console (kernel timestamps included) and
# the same instruction count.
boot 128M "" 128M-again
cmp -s "$WORK/boot-128M.log" "$WORK/boot-128M-again.log" ||
    fail "two identical boots gave different console output"
n1=$(sed -n 's/.* after \([0-9]*\) instructions.*/\1/p' "$WORK/boot-128M.log.err")
n2=$(sed -n 's/.* after \([0-9]*\) instructions.*/\1/p' "$WORK/boot-128M-again.log.err")
[[ -n "$n1" && "$n1" == "$n2" ]] || fail "two identical boots ran $n1 and $n2 instructions"
echo "repeatable: $n1 instructions, identical console output"
# The interpreter decodes every instruction; the JIT (the default) must match it exactly.
boot 128M "" 128M-interp interp
cmp -s "$WORK/boot-128M.log" "$WORK/boot-128M-interp.log" ||
    fail "the JIT and the interpreter gave different console output"
n3=$(sed -n 's/.* after \([0-9]*\) instructions.*/\1/p' "$WORK/boot-128M-interp.log.err")
[[ "$n1" == "$n3" ]] || fail "the JIT ran $n1 instructions, the interpreter $n3"
echo "JIT and interpreter agree: $n3 instructions, identical console output"
for mem in ${LINUX_EXTRA_MEM-32M 256M}; do
    extra=""
    [[ $mem == 32M ]] && extra=" nokaslr"
    boot "$mem" "$extra"
done
echo "PASS: Linux booted to userspace and powered off (128M ${LINUX_EXTRA_MEM-32M 256M})"
