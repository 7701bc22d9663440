#!/usr/bin/env bash
# disco-badinput.sh - every kind of bad input to disco: exit status 2 and one error line.
cd "$(dirname "$0")/../.." && source tests/monitor/lib.sh
K=$G/hello.elf
printf 'not an elf\n' >"$TMP/junk.elf"
printf 'trap=abc\n' >"$TMP/bad.costs"
printf '# comment\ntrap = 5\n' >"$TMP/spaces.costs"
printf 'nosuch=5\n' >"$TMP/unknown.costs"

bad() {
    local name=$1; shift
    $DISCO "$@" >"$TMP/out" 2>"$TMP/err"
    local rc=$? lines
    lines=$(wc -l <"$TMP/err")
    if [[ $rc -eq 2 && $lines -eq 1 ]] && grep -q '^disco: ' "$TMP/err"; then pass "$name: $(cat "$TMP/err")"
    else fail "$name: exit $rc, $lines stderr lines: $(head -3 "$TMP/err")"; fi
}

bad "no arguments"
bad "unknown option" --frobnicate --vm kernel=$K
bad "option without its value" --vm
bad "unexpected argument" --vm kernel=$K extra.elf
bad "--vm without a kernel" --vm name=a,mem=1M
bad "--vm item without =" --vm kernel=$K,vcpus
bad "--vm unknown key" --vm kernel=$K,colour=red
bad "--vm bad mem" --vm kernel=$K,mem=lots
bad "--vm mem too large" --vm kernel=$K,mem=512M
bad "--vm mem not a multiple of 4K" --vm kernel=$K,mem=65537
bad "--vm vcpus=0" --vm kernel=$K,vcpus=0
bad "--vm vcpus=65" --vm kernel=$K,vcpus=65
bad "--vm node beyond the machine" --nodes 2 --vm kernel=$K,node=5
bad "--vm node not a number" --vm kernel=$K,node=far
bad "--vm bad name" --vm "kernel=$K,name=a/b"
bad "two VMs with one name" --vm kernel=$K,name=x --vm kernel=$K,name=x
bad "kernel missing" --vm kernel=$TMP/nosuch.elf
bad "kernel not an ELF" --vm kernel=$TMP/junk.elf
bad "kernel linked outside the kernel window" --vm kernel=$G/ukern-bare.elf
bad "kernel larger than the VM" --vm kernel=$G/ukern.elf,mem=256K
bad "kernel larger than the machine" --nodes 1 --mem-per-node 1M --vm kernel=$G/ukern.elf
bad "initrd missing" --vm kernel=$K,initrd=$TMP/nosuch
bad "--nodes 0" --nodes 0 --vm kernel=$K
bad "--nodes 17" --nodes 17 --vm kernel=$K
bad "too many CPUs" --nodes 16 --cpus-per-node 5 --vm kernel=$K
bad "--mem-per-node not a multiple of 1M" --mem-per-node 1500K --vm kernel=$K
bad "memory above the device window" --nodes 16 --mem-per-node 64M --vm kernel=$K
bad "--tlb 1" --tlb 1 --vm kernel=$K
bad "--engine unknown" --engine turbo --vm kernel=$K
bad "--max-insns 0" --max-insns 0 --vm kernel=$K
bad "--slice-us 0" --slice-us 0 --vm kernel=$K
bad "--policy unknown" --policy best --vm kernel=$K
bad "--hot-threshold 0" --hot-threshold 0 --vm kernel=$K
bad "--cost unknown" --cost nosuch=1 --vm kernel=$K
bad "--cost without =" --cost trap --vm kernel=$K
bad "--cost negative" --cost trap=-1 --vm kernel=$K
bad "--costs missing file" --costs $TMP/nosuch --vm kernel=$K
bad "--costs bad value" --costs $TMP/bad.costs --vm kernel=$K
bad "--costs unknown name" --costs $TMP/unknown.costs --vm kernel=$K
bad "--stats unwritable" --stats /nonexistent/dir/s.json --vm kernel=$K
bad "--console-dir missing" --console-dir $TMP/nosuch --vm kernel=$K
bad "too many vCPUs on one node" --nodes 1 --cpus-per-node 1 --vm kernel=$K,vcpus=64,name=a --vm kernel=$K,vcpus=2,name=b

expect_rc 0 "a cost file with comments and blanks" $DISCO -q --costs "$TMP/spaces.costs" --vm kernel=$K
expect_rc 0 "-h" $DISCO -h
expect_out "help names --vm" "--vm SPEC"
finish
