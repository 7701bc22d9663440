#!/usr/bin/env bash
# Guests run and their output is checked: hello (port console), compute (register loop,
# value checked against a host computation), memtouch (MMIO console + checksum).
set -u
source tests/x86-vtx/lib.sh
need_kvm
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
"$VTX" run "$G/hello.elf" >"$t/o" 2>&1 || { cat "$t/o"; fail "hello exit status $?"; }
expect_line "$t/o" '^\[vm 0\] hello from vm 0$' "hello output"
expect_line "$t/o" 'VMs started: 1 of 1, exited ok: 1, failed: 0' "hello summary"
"$VTX" run --vms 3 --arg 1000 "$G/compute.elf" >"$t/c" 2>&1 || { cat "$t/c"; fail "compute"; }
# xorshift64 of (vm + 88172645463325252), 1000 steps, computed here (bash arithmetic is
# 64-bit two's complement; the right shift is made logical by masking)
for vm in 0 1 2; do
    x=$(( vm + 88172645463325252 ))
    for ((i = 0; i < 1000; i++)); do
        x=$(( x ^ (x << 13) )); x=$(( x ^ ((x >> 7) & 0x01FFFFFFFFFFFFFF) )); x=$(( x ^ (x << 17) ))
    done
    want=$(printf '%x' "$x")
    expect_line "$t/c" "^\[vm $vm\] compute $want\$" "compute result of vm $vm"
done
"$VTX" run --mem 2M --verify-memtouch "$G/memtouch.elf" >"$t/m" 2>&1 || { cat "$t/m"; fail "memtouch"; }
expect_line "$t/m" '^\[vm 0\] checksum [0-9a-f]{16}$' "memtouch MMIO console line"
expect_line "$t/m" 'checksums ok: 1/1' "memtouch checksum"
cat "$t/o" "$t/m"
echo "guests ran with the expected output"
