#!/usr/bin/env bash
# Bad input: one clear error line on stderr and exit status 2, for a missing KVM device,
# a file that is not an ELF, too much memory, bad options. Needs no KVM.
set -u
source tests/x86-vtx/lib.sh
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
check() {   # check WHAT REGEX args...
    local what=$1 re=$2; shift 2
    "$VTX" "$@" >"$t/out" 2>"$t/err"; rc=$?
    [[ $rc -eq 2 ]] || { cat "$t/out" "$t/err"; fail "$what: exit $rc, want 2"; }
    [[ $(wc -l <"$t/err") -eq 1 ]] || { cat "$t/err"; fail "$what: want exactly one error line"; }
    grep -Eq -- "$re" "$t/err" || { cat "$t/err"; fail "$what: message does not match '$re'"; }
    echo "ok: $what: $(cat "$t/err")"
}
echo "not an elf" >"$t/text.elf"
check "missing KVM device" "cannot use /nonexistent/kvm" run --kvm /nonexistent/kvm "$G/hello.elf"
check "not an ELF" "not an x86-64 ELF64 executable" run "$t/text.elf"
check "32-bit ELF" "not an x86-64 ELF64 executable" run "$G/qemu-mb.elf"
check "missing file" "No such file" run "$t/none.elf"
check "too much memory" "more than the .* MiB this host has available" run --vms 100000 --mem 3G "$G/hello.elf"
check "guest too big" "more than the 3 GiB" run --mem 4G "$G/hello.elf"
check "bad --vms" "--vms wants" run --vms many "$G/hello.elf"
check "bad --mem" "--mem wants" run --mem 1000 "$G/hello.elf"
check "unknown option" "unknown option" run --fast "$G/hello.elf"
check "no subcommand" "expected the subcommand" start "$G/hello.elf"
check "unknown policy" "unknown --policy" run --policy best "$G/hello.elf"
check "node that does not exist" "does not exist" run --node 63 "$G/hello.elf"
echo "all bad-input checks passed"
