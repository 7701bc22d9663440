#!/usr/bin/env bash
# Hot pages from the KVM dirty log feed the numa policy: the VMs' vCPUs move to node 1
# while their memory stays on node 0; the guests rewrite their RAM every pass, the dirty
# log attributes those writes to node 1, and "migrate-only" must migrate the hot pages
# (real move_pages calls), with every checksum still right. "none" must move nothing.
set -u
source tests/x86-vtx/lib.sh
need_kvm
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
arg=$(printf '%u' $(( (1 << 63) | (40 << 32) )))   # rewrite | 40 passes
topo="pack:2 [numa] core:1 pu:1"
"$VTX" run --vms 2 --mem 4M --topology "$topo" --policy migrate-only --move-vcpu-to 1 \
    --verify-memtouch --quiet --arg "$arg" "$G/memtouch.elf" >"$t/o" 2>&1; rc=$?
cat "$t/o"
[[ $rc -eq 0 ]] || fail "exit status $rc"
expect_line "$t/o" ' [1-9][0-9]* migrations .* 0 failed' "policy migrated hot pages"
expect_line "$t/o" 'checksums ok: 2/2' "checksums"
"$VTX" run --vms 1 --mem 4M --topology "$topo" --policy none --move-vcpu-to 1 \
    --verify-memtouch --quiet --arg "$arg" "$G/memtouch.elf" >"$t/n" 2>&1 || { cat "$t/n"; fail "policy none run"; }
cat "$t/n"
expect_line "$t/n" ' 0 migrations' "policy none moves nothing"
