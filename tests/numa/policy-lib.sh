#!/usr/bin/env bash
# policy-lib.sh - hot-page policies loaded from shared objects (--policy-lib): the example
# policy runs a guest to a correct end, moves pages and reports its own state; every
# malformed library or parameter is one error line and exit status 2.
cd "$(dirname "$0")/../.." && source tests/monitor/lib.sh
SO=build/examples/hotnode.so
P=build/tests/numa/plugins
MINI=build/guest/mini-disco.elf
[[ -f $SO && -f $P/bad_abi.so && -f $MINI ]] || { echo "build first (make)"; exit 1; }
VM="name=m,kernel=$MINI,mem=32M,vcpus=8,node=spread,cmdline=nproc=8 ws=256K iters=64"
RUN=($DISCO -q --nodes 4 --cpus-per-node 2 --hot-threshold 8)

# The example policy, with its parameters, drives real migrations and replications.
expect_rc 0 "hotnode.so runs the mini guest" "${RUN[@]}" --policy-lib ./$SO \
    --policy-param ratio=2 --policy-param max_moves=8 --vm "$VM" --stats "$TMP/s.json"
expect_out "mini checksums with hotnode.so" "^m: check: ok"
python3 - "$TMP/s.json" <<'PY' && pass "hotnode.so decided: policy name, moves, report" || fail "hotnode.so statistics"
import json, sys
n = json.load(open(sys.argv[1]))["numa"]
assert n["policy"] == "hotnode", n["policy"]
assert n["migrations"] + n["replications"] > 0, n
assert n["policy_report"]["ratio"] == 2 and n["policy_report"]["ticks"] >= 1, n
assert sum(n["policy_report"]["sent"]) >= n["migrations"], n
PY

bad() {
    local name=$1 want=$2; shift 2
    $DISCO -q --nodes 4 --cpus-per-node 2 "$@" --vm "$VM" >"$TMP/out" 2>"$TMP/err"
    local rc=$? lines
    lines=$(wc -l <"$TMP/err")
    if [[ $rc -eq 2 && $lines -eq 1 ]] && grep -qE -- "$want" "$TMP/err"; then pass "$name: $(cat "$TMP/err")"
    else fail "$name: exit $rc, $lines stderr lines: $(head -3 "$TMP/err")"; fi
}
printf 'not a shared object\n' >"$TMP/junk.so"
bad "missing library" "cannot load" --policy-lib ./no/such.so
bad "not a shared object" "cannot load" --policy-lib "$TMP/junk.so"
bad "no path" "give a path" --policy-lib hotnode.so
bad "no policy symbol" "no symbol numa_policy_plugin" --policy-lib ./$P/no_symbol.so
bad "wrong ABI version" "wrong policy ABI version" --policy-lib ./$P/bad_abi.so
bad "no decide" "without a name or decide" --policy-lib ./$P/no_decide.so
bad "unknown parameter" "unknown --policy-param 'colour'" --policy-lib ./$SO --policy-param colour=red
bad "bad parameter value" "hotnode: bad ratio='x'" --policy-lib ./$SO --policy-param ratio=x
bad "parameter out of range" "ratio must be at least 1" --policy-lib ./$SO --policy-param ratio=0
bad "parameter without =" "expected KEY=VALUE" --policy-lib ./$SO --policy-param ratio
bad "bad generic threshold" "bad --policy-param trigger=.-1." --policy disco --policy-param trigger=-1
bad "built-in with unknown parameter" "unknown --policy-param 'ratio' for policy 'disco'" --policy disco --policy-param ratio=2
bad "both --policy and --policy-lib" "exclude each other" --policy disco --policy-lib ./$SO
bad "unknown built-in" "unknown --policy 'autonomous'" --policy autonomous
finish
