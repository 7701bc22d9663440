#!/usr/bin/env bash
# One policy library, both backends (issue 15): examples/hotnode.c, built once as
# build/examples/hotnode.so, is loaded by `disco` (the simulated NUMA machine's cache-miss
# counters) and by `vtx` (KVM dirty-log hot pages), through the same numa/ loader.
# This half needs no KVM:
#   - disco runs a guest under hotnode.so: the policy's decisions show in its statistics
#     (policy name, migrations, its own report) and in the --numa-trace lines;
#   - disco and vtx refuse the same bad libraries and parameters with the same line
#     (after the program name) and exit status 2; vtx does so before it looks at KVM
#     (VTX_KVM=/nonexistent), and a good library gets vtx as far as the KVM check.
# The KVM half (hotnode.so deciding vtx's dirty-log hot pages) is in vtx_policy.sh, and on
# two real NUMA nodes in numa-vm.sh (policy-lib-on-real-nodes).
set -u
source tests/x86-vtx/lib.sh
DISCO=build/bin/disco
SO=build/examples/hotnode.so
P=build/tests/numa/plugins
MINI=build/guest/mini-disco.elf
for f in "$DISCO" "$VTX" "$SO" "$P/bad_abi.so" "$P/no_symbol.so" "$P/no_decide.so" "$MINI" \
         "$G/hello.elf"; do
    [[ -f $f ]] || fail "$f is not built (make)"
done
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT

# --- disco: hotnode.so decides the simulated machine's hot pages ---------------------
VM="name=m,kernel=$MINI,mem=32M,vcpus=4,node=spread,cmdline=nproc=4 ws=128K iters=16"
timeout 120 "$DISCO" -q --nodes 2 --cpus-per-node 2 --hot-threshold 8 --policy-lib "./$SO" \
    --policy-param ratio=2 --vm "$VM" --stats "$t/s.json" --numa-trace "$t/trace" \
    >"$t/o" 2>&1 || { cat "$t/o"; fail "disco with $SO"; }
expect_line "$t/o" '^m: mini: power off, status 0' "disco's guest ran to its end under hotnode.so"
python3 - "$t/s.json" "$t/trace" <<'PY' || fail "disco's statistics or trace under hotnode.so"
import json, sys
n = json.load(open(sys.argv[1]))["numa"]
assert n["policy"] == "hotnode", n["policy"]
assert n["migrations"] > 0, n
rep = n["policy_report"]
assert rep["ratio"] == 2 and sum(rep["sent"]) == n["migrations"], (rep, n["migrations"])
moves = [json.loads(l) for l in open(sys.argv[2]) if '"action": "migrate"' in l]
assert len(moves) == n["migrations"], (len(moves), n["migrations"])
print("disco: hotnode.so decided %d migrations, %d replications; report %s"
      % (n["migrations"], n["replications"], rep))
PY

# --- the same bad input, the same line from both ---------------------------------------
same() {   # same NAME REGEX POLICY-ARGS...
    local name=$1 want=$2; shift 2
    "$DISCO" -q --nodes 2 --cpus-per-node 2 "$@" --vm "$VM" >/dev/null 2>"$t/de"; local rd=$?
    VTX_KVM=/nonexistent "$VTX" run "$@" "$G/hello.elf" >/dev/null 2>"$t/ve"; local rv=$?
    local d v
    d=$(cat "$t/de") v=$(cat "$t/ve")
    [[ $rd -eq 2 && $rv -eq 2 ]] || fail "$name: exit status disco $rd, vtx $rv (want 2 and 2): $d / $v"
    [[ $(wc -l <"$t/de") -eq 1 && $(wc -l <"$t/ve") -eq 1 ]] || fail "$name: not one line each: $d / $v"
    [[ ${d#disco: } == "${v#vtx: }" ]] || fail "$name: different lines: '$d' vs '$v'"
    grep -qE -- "$want" "$t/ve" || fail "$name: '$v' does not say '$want'"
    echo "ok: $name: both say '${v#vtx: }'"
}
printf 'not a shared object\n' >"$t/junk.so"
same "missing library" "cannot load" --policy-lib ./no/such.so
same "not a shared object" "cannot load" --policy-lib "$t/junk.so"
same "no path" "give a path" --policy-lib hotnode.so
same "no policy symbol" "no symbol numa_policy_plugin" --policy-lib "./$P/no_symbol.so"
same "wrong ABI version" "wrong policy ABI version" --policy-lib "./$P/bad_abi.so"
same "no decide" "without a name or decide" --policy-lib "./$P/no_decide.so"
same "unknown parameter" "unknown --policy-param 'colour'" --policy-lib "./$SO" --policy-param colour=red
same "bad parameter value" "hotnode: bad ratio='x'" --policy-lib "./$SO" --policy-param ratio=x
same "parameter out of range" "ratio must be at least 1" --policy-lib "./$SO" --policy-param ratio=0
same "parameter without =" "expected KEY=VALUE" --policy-lib "./$SO" --policy-param ratio
same "bad generic threshold" "bad --policy-param trigger=.-1." --policy disco --policy-param trigger=-1
same "built-in with unknown parameter" "unknown --policy-param 'ratio' for policy 'disco'" \
    --policy disco --policy-param ratio=2
same "both --policy and --policy-lib" "exclude each other" --policy disco --policy-lib "./$SO"
same "unknown built-in" "unknown --policy 'autonomous'" --policy autonomous

# A good library and parameters pass every check: vtx stops only at the missing KVM.
VTX_KVM=/nonexistent "$VTX" run --policy-lib "./$SO" --policy-param ratio=3 \
    --policy-param max_moves=2 "$G/hello.elf" >/dev/null 2>"$t/ve"; rc=$?
[[ $rc -eq 2 ]] && grep -q 'cannot use /nonexistent.*KVM is required' "$t/ve" ||
    fail "a good library: vtx should reach the KVM check (exit $rc: $(cat "$t/ve"))"
echo "ok: a good library and parameters get vtx to the KVM check"
echo "PASS: one policy library (hotnode.so) loaded by disco and by vtx, same checks"
