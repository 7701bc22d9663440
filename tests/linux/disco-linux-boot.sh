#!/usr/bin/env bash
# Integration test: the patched guest kernel (build/guest/vmlinux: linux-source-6.1 with
# guest-irix-patches/, CONFIG_DISCO_GUEST) boots under the Disco monitor to the busybox
# initramfs of boot-test.sh, whose /init runs and ends with `poweroff -f`. Checks:
#   - the kernel's printk reaches disco's console through the console monitor call
#     (patch 0002): the pinned version banner, printed by the early console from the
#     kernel window (patch 0001), with the command line disco handed over in a0;
#   - the hvc console takes over from the early console (patch 0005; no keep_bootcon)
#     and /init's own output comes through it: its markers, `uname`, and the md5 sums
#     of a shipped and of a generated file, equal to the host's;
#   - each milestone in MILESTONES below appears, in order, and disco exits 0 because
#     the guest powered off through its monitor call (pm_power_off, patch 0002);
#   - two runs give byte-identical consoles and --stats (the monitor is deterministic).
# Exit 0 pass, 77 skip (the source package cannot be fetched), else fail.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DISCO=${DISCO:-$ROOT/build/bin/disco}
KERNEL=${DISCO_GUEST_KERNEL:-$ROOT/build/guest/vmlinux}   # DISCO_GUEST_KERNEL: run that file, no build
LIMIT=${LINUX_BOOT_TIMEOUT:-120}
MAX_INSNS=${DISCO_LINUX_MAX_INSNS:-400000000}
CMDLINE="disco-test-cmdline"
BANNER_RE='^linux: Linux version 6\.1\.[0-9]+ \(disco@disco-numa\) .*#1 Mon Jan  1 00:00:00 UTC 2024$'
# How far the boot gets today, in order (grep -E on the console lines).
MILESTONES=(
    "^linux: Kernel command line: $CMDLINE\$"
    "^linux: printk: console \\[hvc0\\] enabled\$"
    "^linux: Calibrating delay loop"
    "^linux: Trying to unpack rootfs image as initramfs|^linux: Freeing initrd memory"
    "^linux: Run /init as init process\$"
    "^linux: MIPS-SIM-MARKER: userspace is up\$"
    "^linux: Linux \\(none\\) 6\\.1\\.[0-9]+ #1 Mon Jan  1 00:00:00 UTC 2024 mips GNU/Linux\$"
    "^linux: MIPS-SIM-MARKER: done\$"
    "^linux: reboot: Power down\$"
)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "skip: $*"; exit 77; }

[[ -x "$DISCO" ]] || fail "$DISCO not built"
if [[ -z ${DISCO_GUEST_KERNEL:-} ]]; then
    "$ROOT/guest/linux/build.sh" disco "$KERNEL" 2>"$WORK/build.err"
    rc=$?
    [[ $rc -eq 77 ]] && skip "$(tail -n 1 "$WORK/build.err" | sed 's/^skip: //')"
    [[ $rc -eq 0 ]] || { cat "$WORK/build.err"; fail "guest/linux/build.sh disco failed ($rc)"; }
fi
command -v cpio >/dev/null || skip "cpio is not installed (./setup.sh)"
paths=$("$ROOT/tests/linux/fetch.sh")
rc=$?
if [[ $rc -eq 77 ]]; then echo "$paths" | tail -n 1; exit 77; fi
[[ $rc -eq 0 ]] || fail "fetch.sh failed ($rc)"
"$ROOT/tests/linux/mkinitramfs.sh" "$(sed -n 2p <<<"$paths")" "$WORK/initrd.gz" >"$WORK/md5" ||
    fail "cannot build the initramfs"

run() {   # run NAME
    local name=$1 rc
    timeout "$LIMIT" "$DISCO" --max-insns "$MAX_INSNS" --stats "$WORK/$name.json" \
        --vm "name=linux,kernel=$KERNEL,mem=64M,initrd=$WORK/initrd.gz,cmdline=$CMDLINE" \
        >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null
    rc=$?
    echo "== run $name: exit $rc"
    tail -n 4 "$WORK/$name.out"
    tail -n 3 "$WORK/$name.err"
    [[ $rc -ne 124 ]] || fail "$name: disco did not stop within ${LIMIT}s"
    [[ $rc -eq 0 ]] || fail "$name: disco exit status $rc, expected 0 (the guest powered off)"
    grep -q "vm linux: powered off (status 0)" "$WORK/$name.err" ||
        fail "$name: the VM did not end by power-off"
    grep -Eq "$BANNER_RE" "$WORK/$name.out" ||
        fail "$name: no pinned version banner on disco's console"
    local line=0 m n
    for m in "${MILESTONES[@]}"; do
        n=$(grep -nE -m1 -- "$m" "$WORK/$name.out" | cut -d: -f1)
        [[ -n $n ]] || fail "$name: the boot did not reach: $m"
        (( n > line )) || fail "$name: out of order: $m"
        line=$n
    done
    local sum file
    while read -r sum file; do
        grep -qx "linux: $sum  $file" "$WORK/$name.out" || fail "$name: no md5 line $sum for $file from /init"
    done <"$WORK/md5"
}
run first
run second
cmp -s "$WORK/first.out" "$WORK/second.out" || fail "two runs gave different consoles"
cmp -s "$WORK/first.json" "$WORK/second.json" ||
    { diff "$WORK/first.json" "$WORK/second.json" | head; fail "two runs gave different --stats"; }
echo "ok: banner, ${#MILESTONES[@]} milestones, /init's md5 sums and power-off on disco's console; two runs identical"
