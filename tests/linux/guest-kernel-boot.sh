#!/usr/bin/env bash
# Integration test of the guest kernel build (guest/linux/build.sh, Debian's
# linux-source-6.1):
#   - the Disco guest kernel (build/guest/vmlinux, the series applied) has the pinned
#     banner that build.sh sets (build number 1, a fixed date): a banner that changes
#     from build to build changes the boot;
#   - a relink of its cached build gives a byte-identical vmlinux (build.sh
#     --relink-check);
#   - the bare kernel (build/guest/vmlinux-bare, the same source without the series, for
#     mips-sim's Malta board) is built on demand only (`make guest-kernel-bare`; CI builds
#     one kernel from scratch, not two). When it is there, or GUEST_KERNEL_BARE=1, it is
#     checked too: the banner, and two boots from scratch (a fresh initramfs each) to
#     the busybox initramfs of boot-test.sh (a marker, `uname -a`, two md5 sums against
#     the host's, power-off) with byte-identical console output and --stats.
# The disco kernel's own boots are checked by disco-linux-boot.sh. A kernel is built here
# if it is not yet (`make test` builds the disco kernel before any test runs). Exit 0
# pass, 77 skip (the packages cannot be fetched), else fail.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SIM=${SIM:-$ROOT/build/bin/mips-sim}
KERNEL=$ROOT/build/guest/vmlinux-bare
LIMIT=${LINUX_BOOT_TIMEOUT:-120}
# The banner's fixed parts (guest/linux/build.sh: KBUILD_BUILD_*).
BANNER_RE='#1 Mon Jan  1 00:00:00 UTC 2024'
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "skip: $*"; exit 77; }

[[ -x "$SIM" ]] || fail "$SIM not built"
command -v cpio >/dev/null || skip "cpio is not installed (./setup.sh)"

# ---- the kernels: built if needed, skipped where the source cannot be fetched ----------
VARIANTS=(disco)
[[ -f $KERNEL || ${GUEST_KERNEL_BARE:-0} == 1 ]] && VARIANTS+=(bare)
for v in "${VARIANTS[@]}"; do
    out=$ROOT/build/guest/vmlinux$([[ $v == bare ]] && echo -bare)
    "$ROOT/guest/linux/build.sh" "$v" "$out" 2>"$WORK/build.err"
    rc=$?
    [[ $rc -eq 77 ]] && skip "$(tail -n 1 "$WORK/build.err" | sed 's/^skip: //')"
    [[ $rc -eq 0 ]] || { cat "$WORK/build.err"; fail "guest/linux/build.sh $v failed ($rc)"; }
    banner=$(strings -n 20 "$out" | awk '/^Linux version / && !n++')
    [[ $banner =~ ^Linux\ version\ 6\.1\.[0-9]+\ .*$BANNER_RE$ ]] ||
        fail "$out: the banner is not the pinned one: $banner"
done
"$ROOT/guest/linux/build.sh" --relink-check disco || fail "a relink changed the disco kernel"
if [[ ${#VARIANTS[@]} -eq 1 ]]; then
    echo "PASS: the disco guest kernel has the pinned banner and relinks identically" \
        "(the bare kernel is not built: make guest-kernel-bare)"
    exit 0
fi
echo "kernel: $KERNEL (cache key $("$ROOT/guest/linux/build.sh" --key bare))"

paths=$("$ROOT/tests/linux/fetch.sh")
rc=$?
if [[ $rc -eq 77 ]]; then echo "$paths" | tail -n 1; exit 77; fi
[[ $rc -eq 0 ]] || fail "fetch.sh failed ($rc)"
busybox=$(sed -n 2p <<<"$paths")

# ---- two boots, each from a freshly built initramfs ----------------------------------
boot() {   # boot NAME
    local name=$1 log=$WORK/$1.log rc expected
    expected=$("$ROOT/tests/linux/mkinitramfs.sh" "$busybox" "$WORK/$name-initrd.gz") ||
        fail "cannot build the initramfs"
    timeout "$LIMIT" "$SIM" --board malta --kernel "$KERNEL" --initrd "$WORK/$name-initrd.gz" \
        --append "console=ttyS0" --stats "$WORK/$name.json" >"$log" 2>"$log.err" </dev/null
    rc=$?
    echo "== boot $name: exit $rc"
    tr -d '\r' <"$log" | tail -n 6
    cat "$log.err"
    [[ $rc -ne 124 ]] || fail "$name: the boot did not finish within ${LIMIT}s"
    grep -q "MIPS-SIM-MARKER: userspace is up" "$log" || fail "$name: no userspace marker"
    grep -Eq "^Linux \(none\) 6\.1\.[0-9]+ $BANNER_RE mips GNU/Linux" "$log" ||
        fail "$name: no uname -a line with the pinned banner"
    while read -r sum file; do
        grep -q "^$sum  $file" "$log" || fail "$name: md5sum of $file differs from the host's ($sum)"
    done <<<"$expected"
    grep -q "MIPS-SIM-MARKER: done" "$log" || fail "$name: no final marker"
    grep -q "reboot: Power down" "$log" || fail "$name: the kernel did not power down"
    [[ $rc -eq 0 ]] || fail "$name: mips-sim exit status $rc, expected 0 (power-off)"
    grep -q "poweroff (status 0)" "$log.err" || fail "$name: the run did not end by power-off"
}
boot first
boot second
cmp -s "$WORK/first-initrd.gz" "$WORK/second-initrd.gz" ||
    fail "mkinitramfs.sh built two different archives from the same inputs"
cmp -s "$WORK/first.log" "$WORK/second.log" || fail "two boots gave different console output"
cmp -s "$WORK/first.json" "$WORK/second.json" ||
    { diff "$WORK/first.json" "$WORK/second.json" | head; fail "two boots gave different --stats"; }
echo "repeatable: $(grep -m1 '"instructions"' "$WORK/first.json" | tr -d ' ,'), identical console and --stats"

# ---- the build itself is repeatable ---------------------------------------------------
"$ROOT/guest/linux/build.sh" --relink-check bare || fail "a relink changed the kernel"
echo "PASS: the bare guest kernel boots to userspace and powers off, repeatably"
