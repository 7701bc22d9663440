# Shared helpers for the x86-vtx integration tests (sourced, not run).
VTX=build/bin/vtx
G=build/x86-guests
need_kvm() {
    if [[ ! -e /dev/kvm ]]; then echo "skip: /dev/kvm does not exist on this host"; exit 77; fi
    if [[ ! -r /dev/kvm || ! -w /dev/kvm ]]; then echo "skip: no read/write access to /dev/kvm"; exit 77; fi
}
fail() { echo "FAIL: $*"; exit 1; }
expect_line() {   # expect_line FILE REGEX WHAT
    grep -Eq -- "$2" "$1" || { cat "$1"; fail "$3 (no line matching '$2')"; }
}
