#!/usr/bin/env bash
# disco-mini.sh - the mini guest kernel (guest/mini) under the monitor: 1 VM x 1 vCPU,
# 1 VM x 4 vCPUs, 4 VMs x 2 vCPUs over 4 nodes, 8 vCPUs on 4 CPUs; each console equal
# to the bare kernel's on as many CPUs (lines starting '# ' are platform-dependent), and
# two runs with identical statistics. Skipped while guest/mini is not built.
cd "$(dirname "$0")/../.." && source tests/monitor/lib.sh
MINI=${MINI_DIR:-build/guest}
if [[ ! -f $MINI/mini-disco.elf || ! -f $MINI/mini-bare.elf ]]; then
    echo "skip: guest/mini is not built ($MINI/mini-disco.elf)"
    exit 77
fi

# same_as_bare NAME NODES CPN: $TMP/out's console of VM NAME equals the bare run on
# a NODES x CPN board.
same_as_bare() {
    local name=$1 nodes=$2 cpn=$3
    timeout 300 $SIM --board numa --nodes "$nodes" --cpus-per-node "$cpn" -q "$MINI/mini-bare.elf" \
        2>/dev/null | grep -v '^# ' >"$TMP/bare.txt"
    sed -n "s/^$name: //p" "$TMP/out" | grep -v '^# ' >"$TMP/virt.txt"
    if [[ -s $TMP/bare.txt ]] && cmp -s "$TMP/bare.txt" "$TMP/virt.txt"; then
        pass "$name: console equals the bare run on $((nodes * cpn)) CPUs"
    else
        fail "$name: console differs from the bare run"; diff "$TMP/bare.txt" "$TMP/virt.txt" | head -5
    fi
}

expect_rc 0 "1 VM x 1 vCPU" $DISCO -q --nodes 1 --cpus-per-node 1 --vm name=m,kernel=$MINI/mini-disco.elf
expect_out "checks pass" "^m: check: ok"
same_as_bare m 1 1

expect_rc 0 "1 VM x 4 vCPUs" $DISCO -q --nodes 2 --cpus-per-node 2 --vm name=m,kernel=$MINI/mini-disco.elf,vcpus=4
same_as_bare m 2 2

four=()
for n in 0 1 2 3; do four+=(--vm "name=m$n,kernel=$MINI/mini-disco.elf,vcpus=2,node=$n"); done
expect_rc 0 "4 VMs x 2 vCPUs over 4 nodes" $DISCO -q --nodes 4 --cpus-per-node 2 --stats "$TMP/s1.json" "${four[@]}"
for n in 0 1 2 3; do same_as_bare m$n 1 2; done

expect_rc 0 "8 vCPUs on 4 CPUs" $DISCO -q --nodes 2 --cpus-per-node 2 --vm name=m,kernel=$MINI/mini-disco.elf,vcpus=8,node=spread
same_as_bare m 4 2

expect_rc 0 "4 vCPUs on 4 nodes, memory on node 0, pages migrating" $DISCO -q --nodes 4 --cpus-per-node 1 \
    --hot-threshold 8 --vm name=m,kernel=$MINI/mini-disco.elf,vcpus=4,node=0
same_as_bare m 2 2

$DISCO -q --nodes 4 --cpus-per-node 2 --stats "$TMP/s2.json" "${four[@]}" >/dev/null 2>&1
cmp -s "$TMP/s1.json" "$TMP/s2.json" && pass "two runs, identical statistics" || fail "statistics differ between runs"
finish
