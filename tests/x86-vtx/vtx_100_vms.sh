#!/usr/bin/env bash
# 100 VMs at once, each walking 4 MiB of its RAM twice; every checksum is recomputed on
# the host, and the pmap must agree with the kernel's placement for every VM.
set -u
source tests/x86-vtx/lib.sh
need_kvm
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
"$VTX" run --vms 100 --mem 4M --quiet --verify-memtouch --arg $(( (2 << 32) | 4 )) \
    "$G/memtouch.elf" >"$t/o" 2>&1; rc=$?
cat "$t/o"
[[ $rc -eq 0 ]] || fail "exit status $rc"
expect_line "$t/o" 'VMs started: 100 of 100, exited ok: 100, failed: 0' "all 100 VMs exited ok"
expect_line "$t/o" 'checksums ok: 100/100' "all checksums right"
! grep -q "disagrees" "$t/o" || fail "pmap disagrees with the kernel"
