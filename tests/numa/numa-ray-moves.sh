#!/usr/bin/env bash
# numa-ray-moves.sh - the Raytrace-like guest (8 vCPUs on 4 nodes: a shared scene read
# by all, LL/SC counters, vCPU 0 spinning until every vCPU is done) finishes with
# correct sums under the policies that move its pages most (replicate-only and
# interleave, no move limit) and under disco.
#
# It hung before (issue 15): an instruction fetch whose cache miss pushed the slice
# past its end just before an LL made the interpreter's remaining-slice count wrap
# (mips-sim/engine/interp.c SYNC: `max -= n + stall`), so vCPU 0's spin on the done
# counter never left its slice and no other CPU ran again. A run that does not end
# within LIMIT host seconds fails here instead of stalling the suite.
cd "$(dirname "$0")/../.." && source tests/monitor/lib.sh
LIMIT=${LIMIT:-90}
[[ -f $G/numa-ray.elf ]] || { echo "build first (make)"; exit 1; }
VM="name=ray,kernel=$G/numa-ray.elf,mem=64M,vcpus=8,node=spread"
for pol in replicate-only interleave disco; do
    timeout "$LIMIT" $DISCO -q --nodes 4 --cpus-per-node 2 --hot-threshold 16 --policy "$pol" \
        --policy-param max_moves=0 --stats "$TMP/$pol.json" --vm "$VM" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    if [[ $rc -eq 124 ]]; then fail "ray under $pol: no end within $LIMIT s (hung)"; continue; fi
    [[ $rc -eq 0 ]] && pass "ray under $pol (exit 0)" || fail "ray under $pol: exit $rc"
    expect_out "ray's sums under $pol" "^ray: failures 0$"
    python3 -c "import json,sys; n=json.load(open(sys.argv[1]))['numa']; sys.exit(0 if n['migrations']+n['replications']>0 else 1)" \
        "$TMP/$pol.json" && pass "pages moved under $pol" || fail "no page moved under $pol"
done
finish
