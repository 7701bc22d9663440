#!/usr/bin/env bash
# mini-disco-build.sh - the disco build of the mini kernel fits the Disco guest ABI
# (monitor/abi.h) statically (the monitor's own tests run it):
#  - a little-endian MIPS executable whose entry and every PT_LOAD segment lie in the
#    kernel window [0xC0000000, 0xD0000000), vectors (EBase) at its start;
#  - it makes monitor calls (the hypcall word 0x42000028) and executes the trapped
#    privileged instructions (TLBWR/TLBWI/TLBP/ERET, MTC0 EBase), but reaches Status,
#    Cause, EPC, BadVAddr, EntryHi and Context only through the HAL page; the bare
#    build has no hypcall and lies wholly in kseg0;
#  - both carry the same compiled-in command line.
set -u
source tests/guest/lib.sh
mini_need
command -v mipsel-linux-gnu-readelf >/dev/null || { echo "no mipsel-linux-gnu-readelf"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=1; }

# segments ELF LO HI: every PT_LOAD's [vaddr, vaddr + memsz) inside [LO, HI).
segments() {
    local n=0 lo=$2 hi=$3
    while read -r type off vaddr paddr filesz memsz rest; do
        [[ $type == LOAD ]] || continue
        n=$((n + 1))
        if (( vaddr < lo || vaddr + memsz > hi )); then
            bad "$1: segment at $vaddr (size $memsz) outside [$lo, $hi)"
        fi
        : "$off $paddr $filesz $rest"
    done < <(mipsel-linux-gnu-readelf -lW "$1" | awk '$1 == "LOAD"')
    [[ $n -ge 1 ]] || bad "$1: no PT_LOAD segment"
    echo "ok   $1: $n PT_LOAD segment(s) in [$lo, $hi)"
}

mipsel-linux-gnu-readelf -hW "$DISCO" >"$tmp/h"
grep -q "Class:.*ELF32" "$tmp/h" && grep -q "little endian" "$tmp/h" && grep -q "Type:.*EXEC" "$tmp/h" &&
    grep -q "Machine:.*MIPS" "$tmp/h" || bad "$DISCO: not a little-endian 32-bit MIPS executable"
entry=$(sed -n 's/.*Entry point address: *//p' "$tmp/h")
(( entry >= 0xC0000000 && entry < 0xD0000000 )) || bad "$DISCO: entry $entry not in the kernel window"
echo "ok   entry $entry"
segments "$DISCO" $((0xC0000000)) $((0xD0000000))
segments "$BARE" $((0x80000000)) $((0xA0000000))

vec=$(mipsel-linux-gnu-nm "$DISCO" | awk '$3 == "mini_vectors" { print $1 }')
[[ ${vec: -8} == c0000000 ]] || bad "$DISCO: mini_vectors at $vec, not 0xc0000000"

mipsel-linux-gnu-objdump -d "$DISCO" >"$tmp/disco.dis"
mipsel-linux-gnu-objdump -d "$BARE" >"$tmp/bare.dis"
grep -q '42000028' "$tmp/disco.dis" || bad "$DISCO: no monitor call"
grep -q '42000028' "$tmp/bare.dis" && bad "$BARE: has a monitor call"
for insn in tlbwr tlbwi tlbp eret; do
    grep -qw "$insn" "$tmp/disco.dis" || bad "$DISCO: no $insn"
done
grep -Eq 'mtc0\s+\S+,c0_ebase' "$tmp/disco.dis" || bad "$DISCO: does not set EBase"
# The hot registers go through the HAL page, never through a trapping MFC0/MTC0.
hot=$(grep -E 'm[ft]c0\s+\S+,c0_(status|cause|epc|badvaddr|entryhi|context)\b' "$tmp/disco.dis")
[[ -z $hot ]] || bad "$DISCO: hot CP0 register reached by MFC0/MTC0: $hot"
echo "ok   monitor calls and trapped privileged instructions present"

cmd=$(tr -d '\0' < <(mipsel-linux-gnu-objcopy -O binary --only-section=.mini_cmdline "$BARE" /dev/stdout))
[[ -n $cmd ]] && grep -aq -- "$cmd" "$DISCO" || bad "the disco build's default command line differs from '$cmd'"
echo "ok   default command line '$cmd' in both builds"
exit $fail
