#!/usr/bin/env bash
# Bad input: one clear error line on stderr and exit status 2, for bad options, bad guest
# files, nodes that do not exist, too much memory, and a missing KVM device. Needs no KVM.
# Every case runs twice: as the machine is, and with KVM hidden (VTX_KVM=/nonexistent/...),
# and must give its own message both times: vtx checks every input before it touches
# KVM, so a machine without /dev/kvm hears about the mistyped node, not about KVM.
set -u
source tests/x86-vtx/lib.sh
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
HIDDEN=/nonexistent/kvm-hidden-by-vtx_bad_input
one() {   # one WHAT REGEX ENV args...: run once, check exit 2, one line, the message
    local what=$1 re=$2 kvm=$3; shift 3
    VTX_KVM=$kvm "$VTX" "$@" >"$t/out" 2>"$t/err"; rc=$?
    [[ $rc -eq 2 ]] || { cat "$t/out" "$t/err"; fail "$what (VTX_KVM=$kvm): exit $rc, want 2"; }
    [[ $(wc -l <"$t/err") -eq 1 ]] || { cat "$t/err"; fail "$what (VTX_KVM=$kvm): want exactly one error line"; }
    grep -Eq -- "$re" "$t/err" || { cat "$t/err"; fail "$what (VTX_KVM=$kvm): message does not match '$re'"; }
    [[ -s "$t/out" ]] && { cat "$t/out"; fail "$what (VTX_KVM=$kvm): printed output besides the error"; }
    return 0
}
check() {   # check WHAT REGEX args...: with KVM as it is here, and with KVM hidden
    local what=$1 re=$2; shift 2
    one "$what" "$re" "${VTX_KVM:-}" "$@"
    one "$what" "$re" "$HIDDEN" "$@"
    echo "ok: $what: $(cat "$t/err")"
}
patch64() {   # patch64 FILE VALUE OFFSET: write a little-endian 64-bit value at OFFSET
    local hex bytes="" i
    hex=$(printf '%016x' "$2")
    for i in 14 12 10 8 6 4 2 0; do bytes+="\\x${hex:$i:2}"; done
    printf "$bytes" | dd of="$1" bs=1 seek="$3" conv=notrunc status=none
}
hello="$G/hello.elf"
echo "not an elf" >"$t/text.elf"
: >"$t/empty.elf"
head -c 100 "$hello" >"$t/short.elf"
cp "$hello" "$t/entry.elf"; patch64 "$t/entry.elf" $((0x500000)) 24          # e_entry
cp "$hello" "$t/window.elf"; patch64 "$t/window.elf" $((0x40000000)) $((64 + 16)); \
    patch64 "$t/window.elf" $((0x40000000)) $((64 + 24))                       # p_vaddr, p_paddr
truncate -s 65M "$t/huge.elf"
topo="pack:2 [numa] core:1 pu:1"

# The guest file
check "not an ELF" "not an x86-64 ELF64 executable" run "$t/text.elf"
check "empty file" "not an x86-64 ELF64 executable" run "$t/empty.elf"
check "truncated ELF" "truncated or inconsistent ELF headers" run "$t/short.elf"
check "entry point outside the code" "entry point is not inside an executable" run "$t/entry.elf"
check "segment outside the image window" "outside the guest image window" run "$t/window.elf"
check "32-bit ELF" "not an x86-64 ELF64 executable" run "$G/qemu-mb.elf"
check "missing file" "No such file" run "$t/none.elf"
check "a directory" "is a directory" run "$t"
check "not a regular file" "is not a regular file" run /dev/null
check "file too large" "larger than the 64 MiB" run "$t/huge.elf"
# Sizes and counts
check "too much memory" "more than the .* MiB this host has available" run --vms 100000 --mem 3G "$hello"
check "guest too big" "more than the 3 GiB" run --mem 4G "$hello"
check "bad --vms" "--vms wants" run --vms many "$hello"
check "size suffix on a count" "--vms wants .* not '2M'" run --vms 2M "$hello"
check "--vms 0" "--vms wants" run --vms 0 "$hello"
check "bad --mem" "--mem wants" run --mem 1000 "$hello"
check "fractional --mem" "--mem wants" run --mem 1.5M "$hello"
check "negative --arg" "--arg wants" run --arg -1 "$hello"
check "bad --hold-timeout" "--hold-timeout wants" run --hold-timeout 10s "$hello"
check "too many VMs to track" "page tracking can record" run --vms 70000 --mem 4K "$hello"
# Nodes and the node model
check "node that does not exist" "--node 63 does not exist \(this host has [0-9]+ NUMA node" run --node 63 "$hello"
check "node number out of range" "--node wants a NUMA node number" run --node 64 "$hello"
check "node outside --topology" "--node 2 does not exist \(the --topology model has 2 nodes\)" run --topology "$topo" --node 2 "$hello"
check "bad --topology" "--topology 'bogus' is not an hwloc synthetic" run --topology bogus "$hello"
check "--migrate-to outside the model" "--migrate-to 2 does not exist" run --topology "$topo" --migrate-to 2 "$hello"
check "--move-vcpu-to outside the model" "--move-vcpu-to 9 does not exist" run --topology "$topo" --move-vcpu-to 9 "$hello"
# Options
check "unknown option" "unknown option" run --fast "$hello"
check "option without its value" "option --vms needs a value" run "$hello" --vms
check "two guest files" "more than one guest file" run "$hello" "$hello"
check "no guest file" "no guest ELF file given" run --vms 2
check "no subcommand" "expected the subcommand" start "$hello"
check "unknown policy" "unknown --policy" run --policy best "$hello"
check "--no-track with --policy" "--no-track cannot be combined" run --no-track --policy disco "$hello"
check "--cow-report without --hold" "--cow-report needs --hold" run --cow-report "$hello"
# The KVM device, checked last: VTX_KVM names it, --kvm wins over VTX_KVM
one "missing KVM device (--kvm)" "cannot use /nonexistent/kvm: .*KVM is required" "" run --kvm /nonexistent/kvm "$hello"
one "missing KVM device (VTX_KVM)" "cannot use $HIDDEN: .*KVM is required" "$HIDDEN" run "$hello"
one "--kvm wins over VTX_KVM" "cannot use /nonexistent/by-option:" "$HIDDEN" run --kvm /nonexistent/by-option "$hello"
echo "ok: the KVM device is named by --kvm, else VTX_KVM, and checked after everything else"
echo "all bad-input checks passed"
