#!/usr/bin/env bash
# Migration of running VMs through pmap_migrate + move_pages: the guests keep
# checksumming their RAM (300 passes, more on a slow host) while all their pages move;
# every pass must give the same checksum, and the pmap must agree with the kernel's
# placement afterwards.
# A synthetic 2-node model is used; on a one-node host model node 1 is folded onto the
# real node, so the move_pages calls are real but cannot change the physical node.
set -u
source tests/x86-vtx/lib.sh
need_kvm
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
# VMs are migrated one after the other, each once it finished its first pass; on a slow
# host (nested KVM under emulation) VM 1 can finish all its passes while VM 0 is still
# being migrated ("ended before it could be migrated"). Then the run is repeated with 4x
# the passes, twice at most: every VM must still be migrated while it runs.
for passes in 300 1200 4800; do
    "$VTX" run --vms 2 --mem 8M --topology "pack:2 [numa] core:1 pu:1" --migrate-to 1 \
        --verify-memtouch --quiet --arg $(( passes << 32 )) "$G/memtouch.elf" >"$t/o" 2>&1; rc=$?
    cat "$t/o"
    grep -q "ended before it could be migrated" "$t/o" || break
    echo "note: a VM ended before its migration with $passes passes: this host is slow, trying more"
done
[[ $rc -eq 0 ]] || fail "exit status $rc"
for vm in 0 1; do
    expect_line "$t/o" "vm $vm migrated to node 1 .* while running: [1-9][0-9]* pages.* 0 disagree" "vm $vm migrated"
done
expect_line "$t/o" 'checksums ok: 2/2' "checksums after migration"
expect_line "$t/o" ' [1-9][0-9]* migrations' "migrations counted in the pmap"
# and on this host's own topology: placement on the real node is verified
"$VTX" run --vms 4 --mem 4M --quiet --verify-memtouch "$G/memtouch.elf" >"$t/h" 2>&1 || { cat "$t/h"; fail "host topology run"; }
! grep -q "disagrees" "$t/h" || fail "pmap disagrees with the kernel on the host topology"
