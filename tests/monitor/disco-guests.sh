#!/usr/bin/env bash
# disco-guests.sh - guests run under the monitor: one VM x one vCPU, one VM x 4 vCPUs,
# 4 VMs x 2 vCPUs over 4 nodes, 8 vCPUs on 4 CPUs, the ASID scheme and Disco's flush
# on switch, consoles to files; and ukern's output equal to its bare run.
cd "$(dirname "$0")/../.." && source tests/monitor/lib.sh

expect_rc 0 "hello" $DISCO -q --vm kernel=$G/hello.elf
expect_out "hello prints with its VM's name" "^vm0: hello from guest$"

expect_rc 0 "ukern, 1 VM x 1 vCPU" $DISCO -q --nodes 1 --cpus-per-node 1 --vm name=u,kernel=$G/ukern.elf
expect_out "ukern checksums" "^u: ukern: all checksums ok$"
sed -n 's/^u: //p' "$TMP/out" >"$TMP/virt.txt"
$SIM --board numa --nodes 1 --cpus-per-node 1 -q $G/ukern-bare.elf >"$TMP/bare.txt" 2>/dev/null
if cmp -s "$TMP/virt.txt" "$TMP/bare.txt" && [[ -s $TMP/bare.txt ]]; then pass "ukern: virtualized output equals the bare run"
else fail "ukern: output differs from the bare run"; diff "$TMP/bare.txt" "$TMP/virt.txt" | head; fi

expect_rc 0 "smp, 1 VM x 4 vCPUs" $DISCO -q --nodes 2 --cpus-per-node 2 --vm name=s,kernel=$G/smp.elf,vcpus=4
expect_out "4 vCPUs counted" "^s: vcpus 4$"
expect_out "LL/SC counter" "^s: ok counter$"

args=()
for n in 0 1 2 3; do args+=(--vm "name=v$n,kernel=$G/smp.elf,vcpus=2,node=$n"); done
expect_rc 0 "4 VMs x 2 vCPUs over 4 nodes" $DISCO -q --nodes 4 --cpus-per-node 2 "${args[@]}" --vm name=u,kernel=$G/ukern.elf,node=spread
for n in 0 1 2 3; do expect_out "VM v$n counted" "^v$n: ok counter$"; done
expect_out "ukern beside them" "^u: ukern: all checksums ok$"

expect_rc 0 "8 vCPUs on 4 CPUs" $DISCO -q --nodes 2 --cpus-per-node 2 --vm name=s,kernel=$G/smp.elf,vcpus=8,node=spread
expect_out "8 vCPUs counted" "^s: vcpus 8$"
expect_rc 0 "2 ukerns on 1 CPU (time sharing)" $DISCO -q --nodes 1 --cpus-per-node 1 --slice-us 100 \
    --vm name=a,kernel=$G/ukern.elf --vm name=b,kernel=$G/ukern.elf
expect_out "a finished" "^a: ukern: all checksums ok$"
expect_out "b finished" "^b: ukern: all checksums ok$"
expect_rc 0 "the same with Disco's flush on switch" $DISCO -q --nodes 1 --cpus-per-node 1 --slice-us 100 \
    --flush-on-switch --vm name=a,kernel=$G/ukern.elf --vm name=b,kernel=$G/ukern.elf
expect_out "b finished (flush)" "^b: ukern: all checksums ok$"

# NUMA: hot pages migrate and replicate under the disco policy, and nothing breaks.
numa_run() {
    expect_rc 0 "hot pages, policy $1" $DISCO -q --nodes 4 --cpus-per-node 2 --hot-threshold 8 --policy "$1" \
        --stats "$TMP/numa.json" --vm name=s,kernel=$G/smp.elf,vcpus=8,node=spread \
        --vm name=u,kernel=$G/ukern.elf,node=2
    expect_out "policy $1: smp counted" "^s: ok counter$"
    expect_out "policy $1: ukern checksums" "^u: ukern: all checksums ok$"
}
numa_run disco
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d['monitor']['migrations'] > 0 and d['numa']['hot_page_events'] > 0 else 1)" \
    "$TMP/numa.json" && pass "pages migrated" || fail "no migration with the disco policy"
numa_run none
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d['monitor']['migrations'] == 0 and d['numa']['hot_page_events'] > 0 else 1)" \
    "$TMP/numa.json" && pass "policy none moves nothing" || fail "policy none moved pages"

mkdir -p "$TMP/con"
expect_rc 0 "--console-dir" $DISCO -q --console-dir "$TMP/con" --vm name=h,kernel=$G/hello.elf
if [[ "$(cat "$TMP/con/h.console")" == "hello from guest" && ! -s $TMP/out ]]; then pass "console in its file"
else fail "console file: '$(cat "$TMP/con/h.console" 2>/dev/null)'"; fi

expect_rc 0 "virtio console" $DISCO -q --nodes 1 --cpus-per-node 1 --vm name=vio,kernel=$G/virtio.elf,mem=1M
expect_out "a line through the virtio console" "^vio: hello through virtio$"
if grep -q FAIL "$TMP/out"; then fail "virtio: $(grep FAIL "$TMP/out" | head -3)"; fi

expect_rc 0 "a guest's command line reaches it" $DISCO -q --vm "kernel=$G/hello.elf,cmdline=a b,c=d"
finish
