#!/usr/bin/env bash
# disco-determinism.sh - two runs of the same inputs give the same consoles and the same
# statistics (simulated time, per-vCPU counters), with time sharing and several nodes.
cd "$(dirname "$0")/../.." && source tests/monitor/lib.sh

run() {
    $DISCO -q --nodes 2 --cpus-per-node 2 --slice-us 200 --stats "$TMP/$1.json" \
        --vm name=s,kernel=$G/smp.elf,vcpus=6,node=spread \
        --vm name=u,kernel=$G/ukern.elf,node=1 --vm name=w,kernel=$G/ukern.elf,node=spread \
        >"$TMP/$1.out" 2>&1
}
run a; rca=$?
run b; rcb=$?
[[ $rca -eq 0 && $rcb -eq 0 ]] && pass "both runs succeed" || fail "exit statuses $rca $rcb"
cmp -s "$TMP/a.out" "$TMP/b.out" && pass "same console output" || fail "console output differs"
cmp -s "$TMP/a.json" "$TMP/b.json" && pass "identical statistics" || { fail "statistics differ"; diff "$TMP/a.json" "$TMP/b.json" | head; }
python3 - "$TMP/a.json" <<'PY' && pass "statistics are JSON with per-vCPU counters" || fail "statistics malformed"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["vms"]) == 3 and len(d["vms"][0]["vcpus"]) == 6
v = d["vms"][1]["vcpus"][0]
assert v["traps"] and v["emulated"] and v["tlb_fills"] and v["monitor_cycles_total"] > 0
assert d["machine"]["simulated_cycles"] > 0
t = d["vms"][0]["totals"]
assert sum(t["mcalls"].values()) == sum(sum(c["mcalls"].values()) for c in d["vms"][0]["vcpus"])
PY
finish
