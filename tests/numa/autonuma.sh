#!/usr/bin/env bash
# autonuma.sh - the AutoNUMA-like policy on the Engineering-like guest (8 vCPUs, 4
# nodes, every page first placed on node 0 by vCPU 0): the monitor samples pages, the
# hinting faults reach the policy, pages migrate, the results stay correct, and the
# share of local misses rises well above `none`'s; the sampling parameters are checked
# (a bad value, or one given to another policy: one line, exit status 2); the run is
# deterministic.
cd "$(dirname "$0")/../.." && source tests/monitor/lib.sh
[[ -f $G/numa-eng.elf ]] || { echo "build first (make)"; exit 1; }
VM="name=eng,kernel=$G/numa-eng.elf,mem=64M,vcpus=8,node=spread"
RUN=($DISCO -q --nodes 4 --cpus-per-node 2 --hot-threshold 16)

for pol in autonuma none; do
    expect_rc 0 "eng under $pol" "${RUN[@]}" --policy $pol --stats "$TMP/$pol.json" --vm "$VM"
    expect_out "eng's words under $pol" "^eng: failures 0$"
done
python3 - "$TMP" <<'PY' && pass "sampled faults migrate pages; local share rises" || fail "autonuma statistics"
import json, sys
a = json.load(open(sys.argv[1] + "/autonuma.json"))["numa"]
z = json.load(open(sys.argv[1] + "/none.json"))["numa"]
s, r = a["sampling"], a["policy_report"]
assert s["scanned"] > 1000 and s["hint_faults"] > 1000, s
assert r["faults"] == s["hint_faults"] and a["hot_page_events"] == s["hint_faults"], (r, s)
assert a["migrations"] == r["two_fault_migrations"] > 100 and a["replications"] == 0, a
assert s["counter_events_ignored"] > 0, s
share = lambda n: n["misses_per_vm"][0]["local"] / (n["misses_per_vm"][0]["local"] + n["misses_per_vm"][0]["remote"])
assert share(a) > 0.7 and share(z) < 0.5, (share(a), share(z))
t = a["misses_over_time"]["samples"]
assert len(t) >= 5 and t[-1]["vms"][0] == [a["misses_per_vm"][0]["local"], a["misses_per_vm"][0]["remote"]], t[-1]
PY

expect_rc 0 "autonuma again" "${RUN[@]}" --policy autonuma --stats "$TMP/again.json" --vm "$VM"
cmp -s "$TMP/autonuma.json" "$TMP/again.json" && pass "statistics identical over two runs" \
    || fail "two autonuma runs differ"

expect_rc 2 "scan_pages=0" "${RUN[@]}" --policy autonuma --policy-param scan_pages=0 --vm "$VM"
expect_err "its error line" "scan_pages='0'"
expect_rc 2 "scan_period_us=x" "${RUN[@]}" --policy autonuma --policy-param scan_period_us=x --vm "$VM"
expect_err "its error line" "scan_period_us='x'"
expect_rc 2 "scan_pages for disco" "${RUN[@]}" --policy disco --policy-param scan_pages=8 --vm "$VM"
expect_err "its error line" "scan_pages"
[[ $(wc -l <"$TMP/err") -eq 1 ]] && pass "one error line" || fail "more than one error line"
finish
