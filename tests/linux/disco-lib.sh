# tests/linux/disco-lib.sh - sourced by the tests/linux/disco-*.sh tests of the patched
# guest kernel (guest-irix-patches/) under disco. Sets ROOT, DISCO, KERNEL, WORK (a
# scratch folder removed at exit) and provides:
#   disco_need_kernel        build (or take from the cache) build/guest/vmlinux; skip
#                            (exit 77) when the source package cannot be fetched;
#                            DISCO_GUEST_KERNEL=FILE runs FILE instead (no build)
#   disco_need_initrd OUT    the busybox initramfs of boot-test.sh at OUT; its expected
#                            md5 lines go to OUT.md5
#   disco_run NAME ARGS...   run disco with --stats WORK/NAME.json, console to
#                            WORK/NAME.out, messages to WORK/NAME.err; fails on a
#                            timeout, a non-zero exit or a VM that did not power off
#   fail MSG / skip MSG      print and exit 1 / 77
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DISCO=${DISCO:-$ROOT/build/bin/disco}
KERNEL=${DISCO_GUEST_KERNEL:-$ROOT/build/guest/vmlinux}
LIMIT=${LINUX_BOOT_TIMEOUT:-180}
MAX_INSNS=${DISCO_LINUX_MAX_INSNS:-2000000000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "skip: $*"; exit 77; }

disco_need_kernel() {
    local rc
    [[ -x "$DISCO" ]] || fail "$DISCO not built"
    if [[ -n ${DISCO_GUEST_KERNEL:-} ]]; then
        [[ -f $KERNEL ]] || fail "DISCO_GUEST_KERNEL=$KERNEL: no such file"
        return
    fi
    "$ROOT/guest/linux/build.sh" disco "$KERNEL" 2>"$WORK/build.err"
    rc=$?
    [[ $rc -eq 77 ]] && skip "$(tail -n 1 "$WORK/build.err" | sed 's/^skip: //')"
    [[ $rc -eq 0 ]] || { cat "$WORK/build.err"; fail "guest/linux/build.sh disco failed ($rc)"; }
}

disco_need_initrd() {   # disco_need_initrd OUT
    local paths rc
    command -v cpio >/dev/null || skip "cpio is not installed (./setup.sh)"
    paths=$("$ROOT/tests/linux/fetch.sh")
    rc=$?
    if [[ $rc -eq 77 ]]; then echo "$paths" | tail -n 1; exit 77; fi
    [[ $rc -eq 0 ]] || fail "fetch.sh failed ($rc)"
    "$ROOT/tests/linux/mkinitramfs.sh" "$(sed -n 2p <<<"$paths")" "$1" >"$1.md5" ||
        fail "cannot build the initramfs"
}

disco_run() {   # disco_run NAME disco-arguments...
    local name=$1 rc
    shift
    timeout "$LIMIT" "$DISCO" --max-insns "$MAX_INSNS" --stats "$WORK/$name.json" "$@" \
        >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null
    rc=$?
    echo "== run $name: exit $rc"
    tail -n 3 "$WORK/$name.err"
    [[ $rc -ne 124 ]] || { tail -n 20 "$WORK/$name.out"; fail "$name: disco did not stop within ${LIMIT}s"; }
    [[ $rc -eq 0 ]] || { tail -n 20 "$WORK/$name.out"; fail "$name: disco exit status $rc, expected 0 (the guest powered off)"; }
    grep -q "powered off (status 0)" "$WORK/$name.err" ||
        fail "$name: the VM did not end by power-off"
}
