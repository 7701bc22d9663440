#!/usr/bin/env bash
# disco-hostile.sh - hostile guests are contained: wild TLB entries and monitor calls get
# bus errors and error codes, kseg0/kseg1 is out of reach, a guest looping on exceptions
# or executing garbage is stopped with a message while the other VMs finish, a spinning
# guest does not starve the others.
cd "$(dirname "$0")/../.." && source tests/monitor/lib.sh

for g in wild_tlb wild_mcall kseg; do
    expect_rc 0 "$g: every check" $DISCO -q --nodes 1 --cpus-per-node 1 --vm name=$g,kernel=$G/$g.elf,mem=1M
    if grep -q FAIL "$TMP/out"; then fail "$g: $(grep FAIL "$TMP/out" | head -3)"; fi
done

good=(--vm name=good,kernel=$G/ukern.elf)
expect_rc 1 "exception storm stopped" $DISCO -q --nodes 1 --cpus-per-node 2 --vm name=bad,kernel=$G/storm.elf "${good[@]}"
expect_err "storm: one clear message" "^disco: vm bad stopped: exception storm"
expect_out "storm: the other VM finished" "^good: ukern: all checksums ok$"

expect_rc 1 "a fault its handler never fixes is stopped" $DISCO -q --nodes 1 --cpus-per-node 2 --vm name=bad,kernel=$G/faultloop.elf "${good[@]}"
expect_err "fault loop: one clear message" "^disco: vm bad stopped: exception loop: TLBL at pc 0xc00000[0-9a-f]+ \(address 0x00001000\)"
expect_out "fault loop: the other VM finished" "^good: ukern: all checksums ok$"

expect_rc 1 "garbage before vectors stopped" $DISCO -q --nodes 1 --cpus-per-node 1 --vm name=bad,kernel=$G/bev.elf "${good[@]}"
expect_err "BEV: one clear message" "^disco: vm bad stopped: exception RI .*BEV"
expect_out "BEV: the other VM finished" "^good: ukern: all checksums ok$"

expect_rc 3 "a spinning guest and --max-insns" $DISCO -q --nodes 1 --cpus-per-node 1 --max-insns 20000000 \
    --vm name=bad,kernel=$G/loop.elf "${good[@]}"
expect_out "spin: the other VM finished" "^good: ukern: all checksums ok$"

expect_rc 4 "a guest asleep for good: deadlock" $DISCO -q --nodes 1 --cpus-per-node 2 --vm name=z,kernel=$G/sleep.elf "${good[@]}"
expect_err "deadlock: one clear message" "^disco: every vCPU waits with nothing to wake it"
expect_out "deadlock: the other VM finished first" "^good: ukern: all checksums ok$"

expect_rc 0 "touching every page of 8M" $DISCO -q --nodes 1 --cpus-per-node 1 --vm name=t,kernel=$G/touch.elf,mem=8M
expect_out "every page kept its word" "^t: ok every page kept its word$"
expect_rc 1 "a VM larger than the machine runs out of memory" $DISCO -q --nodes 1 --cpus-per-node 1 \
    --mem-per-node 4M --vm name=big,kernel=$G/touch.elf,mem=8M "${good[@]}"
expect_out "out of memory: the other VM finished" "^good: ukern: all checksums ok$"
expect_err "out of memory: one clear message" "^disco: vm big stopped: .*out of memory"
finish
