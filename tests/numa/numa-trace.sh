#!/usr/bin/env bash
# numa-trace.sh - the mini guest's data stays correct while its pages migrate and
# replicate under it at high rates (hot threshold 4, every policy), the --numa-trace
# lines say what was decided and charged, and the whole trace is deterministic.
cd "$(dirname "$0")/../.." && source tests/monitor/lib.sh
MINI=build/guest/mini-disco.elf
[[ -f $MINI ]] || { echo "build first (make)"; exit 1; }
VM="name=m,kernel=$MINI,mem=32M,vcpus=8,node=0,cmdline=nproc=8 ws=256K iters=16"
RUN=($DISCO -q --nodes 4 --cpus-per-node 2 --hot-threshold 4 --policy-param max_moves=0)

for pol in disco migrate-only replicate-only interleave none; do
    expect_rc 0 "mini under --policy $pol, threshold 4" "${RUN[@]}" --policy $pol \
        --numa-trace "$TMP/$pol.trace" --stats "$TMP/$pol.json" --vm "$VM"
    expect_out "checksums under $pol" "^m: check: ok"
done

python3 - "$TMP" <<'PY' && pass "trace lines agree with the statistics; pages moved at high rates" || fail "trace vs statistics"
import json, sys, os
d = sys.argv[1]
moved = {}
for pol in ["disco", "migrate-only", "replicate-only", "interleave", "none"]:
    st = json.load(open(os.path.join(d, pol + ".json")))["numa"]
    lines = [json.loads(l) for l in open(os.path.join(d, pol + ".trace"))]
    assert len(lines) == st["hot_page_events"], (pol, len(lines), st["hot_page_events"])
    acts = {}
    for l in lines:
        acts[l["action"]] = acts.get(l["action"], 0) + 1
        for k in ("t", "vm", "gpn", "mfn_from", "mfn_to", "reason", "misses", "cost"):
            assert k in l, (pol, k, l)
        assert len(l["misses"]) == 4
        if l["action"] == "migrate":
            assert l["mfn_from"] != l["mfn_to"] and l["cost"] > 0, l
        if l["action"] == "none":
            assert l["reason"] != "none", l
    assert acts.get("migrate", 0) == st["migrations"], (pol, acts, st)
    assert acts.get("replicate", 0) == st["replications"], (pol, acts, st)
    assert sum(l["cost"] for l in lines) == st["cost_cycles"], pol
    moved[pol] = st["migrations"] + st["replications"]
    for cpu in set(l["cpu"] for l in lines):   # CPUs interleave by quanta: per-CPU order
        t = [l["t"] for l in lines if l["cpu"] == cpu]
        assert t == sorted(t), (pol, cpu)
assert moved["none"] == 0, moved
assert moved["disco"] >= 40 and moved["migrate-only"] >= 40 and moved["interleave"] >= 200, moved
assert json.load(open(os.path.join(d, "replicate-only.json")))["numa"]["replications"] > 0
PY

# Determinism: the same run twice gives byte-identical traces and statistics.
expect_rc 0 "disco again" "${RUN[@]}" --policy disco --numa-trace "$TMP/again.trace" \
    --stats "$TMP/again.json" --vm "$VM"
cmp -s "$TMP/disco.trace" "$TMP/again.trace" && pass "trace identical over two runs" \
    || fail "traces differ between two identical runs"
cmp -s "$TMP/disco.json" "$TMP/again.json" && pass "statistics identical over two runs" \
    || fail "statistics differ between two identical runs"

# A trace file that cannot be written: one line, exit 2.
$DISCO -q --numa-trace /no/such/dir/t --vm "$VM" >"$TMP/out" 2>"$TMP/err"
rc=$?
[[ $rc -eq 2 && $(wc -l <"$TMP/err") -eq 1 ]] && grep -q "cannot write --numa-trace" "$TMP/err" \
    && pass "unwritable trace: $(cat "$TMP/err")" || fail "unwritable trace: exit $rc $(cat "$TMP/err")"
finish
