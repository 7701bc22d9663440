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

# The same policy library disco loads (examples/hotnode.c, vtx_policy_lib.sh) decides
# vtx's dirty-log hot pages: the pages the moved vCPU writes are charged to node 1, and
# hotnode ("migrate to the hottest node when it misses ratio times more than home")
# moves them there. Its decisions are visible three ways: the summary's migrations,
# its own report (pages it sent to each node), and one --numa-trace line per decision.
SO=build/examples/hotnode.so
[[ -f $SO ]] || fail "$SO is not built (make)"
"$VTX" run --vms 1 --mem 4M --topology "$topo" --policy-lib "./$SO" --policy-param ratio=2 \
    --move-vcpu-to 1 --numa-trace "$t/trace" --verify-memtouch --quiet --arg "$arg" \
    "$G/memtouch.elf" >"$t/h" 2>&1 || { cat "$t/h"; fail "hotnode.so run"; }
cat "$t/h"
expect_line "$t/h" "policy hotnode \(loaded from \./$SO\): [1-9][0-9]* hot-page events" "hotnode.so decided"
expect_line "$t/h" 'checksums ok: 1/1' "checksums under hotnode.so"
moved=$(sed -n 's/.* \([0-9]*\) migrations (.*/\1/p' "$t/h")
sent=$(sed -n 's/.*"sent": \[0, \([0-9]*\)\].*/\1/p' "$t/h")
traced=$(grep -c '"action": "migrate", "reason": "none", "node": 1' "$t/trace")
[[ ${moved:-0} -gt 0 && $sent == "$moved" && $traced == "$moved" ]] ||
    fail "hotnode.so: $moved migrations, its report sent ${sent:-?} to node 1, $traced trace lines migrate to node 1"
! grep -q '"node": 0' "$t/trace" || fail "hotnode.so sent a page to node 0 (the vCPU ran on node 1)"
echo "ok: hotnode.so: $moved pages migrated to node 1 = its report = $traced trace lines"

# A policy that asks for what KVM cannot do (tests/x86-vtx/plugins/replicate_all.c:
# replicate every hot page): vtx refuses each REPLICATE with its reason (guest RAM has
# no read-only replicas), moves nothing, keeps the checksums right, and the trace shows
# every refusal.
RA=build/tests/x86-vtx/plugins/replicate_all.so
[[ -f $RA ]] || fail "$RA is not built (make)"
short=$(printf '%u' $(( (1 << 63) | (8 << 32) )))   # rewrite | 8 passes: enough refusals
"$VTX" run --vms 1 --mem 4M --topology "$topo" --policy-lib "./$RA" --numa-trace "$t/rtrace" \
    --verify-memtouch --quiet --arg "$short" "$G/memtouch.elf" >"$t/r" 2>&1 ||
    { cat "$t/r"; fail "replicate_all.so run"; }
cat "$t/r"
expect_line "$t/r" 'checksums ok: 1/1' "checksums under replicate_all.so"
expect_line "$t/r" ' 0 migrations' "replicate_all.so moved nothing"
refused=$(sed -n 's/.*KVM refused \([0-9]*\) replicate.*/\1/p' "$t/r")
traced=$(grep -c '"decided": "replicate", "not_applied": "KVM guest RAM has no read-only replicas' "$t/rtrace")
[[ ${refused:-0} -gt 0 && $traced == "$refused" ]] ||
    fail "replicate_all.so: KVM refused ${refused:-?} replicate decisions, $traced trace lines say so"
expect_line "$t/r" "refused: .*no-memory $refused" "the policy heard every refusal"
echo "ok: replicate_all.so: $refused REPLICATE decisions refused (no RAM replicas on KVM), all traced"
