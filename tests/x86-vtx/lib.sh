# Shared helpers for the x86-vtx integration tests (sourced, not run).
# The KVM device is $VTX_KVM when set (VTX_KVM=/nonexistent hides KVM: every test that
# needs it then skips), else /dev/kvm; `vtx` follows the same variable.
VTX=build/bin/vtx
G=build/x86-guests
PROBE=build/tests/kvm-probe
need_kvm() {   # skip (exit 77) unless the KVM device opens and creates a VM
    [[ -x $PROBE ]] || { echo "FAIL: $PROBE is not built (make build/tests/kvm-probe)"; exit 1; }
    local why
    why=$("$PROBE") || { echo "skip: ${why:-KVM is not usable here}"; exit 77; }
}
fail() { echo "FAIL: $*"; exit 1; }
expect_line() {   # expect_line FILE REGEX WHAT
    grep -Eq -- "$2" "$1" || { cat "$1"; fail "$3 (no line matching '$2')"; }
}
