#!/usr/bin/env bash
# mips-badinput.sh - bad input makes mips-sim exit with status 2 and print exactly one
# error line naming the problem: non-ELF, truncated, big-endian, 64-bit or non-MIPS ELF,
# bad option values (a size suffix on a count, a cache shape that cannot exist, a --stats
# path that cannot be written), unknown options, missing or extra program arguments,
# missing file.
set -u
SIM=build/bin/mips-sim
GOOD=build/mips/alu.elf
[[ -x $SIM && -f $GOOD ]] || { echo "need $SIM and $GOOD (run make)"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # description pattern args...
    local what=$1 pat=$2; shift 2
    timeout 10 "$SIM" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$? lines
    lines=$(wc -l <"$tmp/err")
    if [[ $rc -ne 2 ]]; then
        echo "FAIL $what: exit status $rc, want 2"; fail=1
    elif [[ $lines -ne 1 ]]; then
        echo "FAIL $what: $lines lines on stderr, want 1:"; sed 's/^/    /' "$tmp/err"; fail=1
    elif [[ -s $tmp/out ]]; then
        echo "FAIL $what: output on stdout"; fail=1
    elif ! grep -qiE -- "$pat" "$tmp/err"; then
        echo "FAIL $what: message does not match /$pat/: $(cat "$tmp/err")"; fail=1
    else
        echo "ok   $what: $(cat "$tmp/err")"
    fi
}
printf 'hello, world\n' >"$tmp/text"
head -c 40 "$GOOD" >"$tmp/trunc-header"
head -c 200 "$GOOD" >"$tmp/trunc-segments"
python3 - "$GOOD" "$tmp/trunc-phdr" <<'PY'
import sys, struct
d = bytearray(open(sys.argv[1], 'rb').read())
phoff = struct.unpack_from('<I', d, 28)[0]
open(sys.argv[2], 'wb').write(d[:phoff + 8])
PY
cp "$GOOD" "$tmp/be.elf"; printf '\x02' | dd of="$tmp/be.elf" bs=1 seek=5 conv=notrunc status=none
cp "$GOOD" "$tmp/arm.elf"; printf '\x28\x00' | dd of="$tmp/arm.elf" bs=1 seek=18 conv=notrunc status=none
cp "$GOOD" "$tmp/rel.elf"; printf '\x01\x00' | dd of="$tmp/rel.elf" bs=1 seek=16 conv=notrunc status=none
: >"$tmp/empty"

check "non-ELF file" "not an ELF" "$tmp/text"
check "empty file" "not an ELF|truncated" "$tmp/empty"
check "truncated header" "truncated" "$tmp/trunc-header"
check "truncated program headers" "truncated" "$tmp/trunc-phdr"
check "truncated segment data" "truncated" "$tmp/trunc-segments"
check "big-endian ELF (patched)" "big-endian" "$tmp/be.elf"
if command -v mipsel-linux-gnu-gcc >/dev/null; then
    printf '.globl _start\n_start: nop\n' >"$tmp/be.S"
    if mipsel-linux-gnu-gcc -EB -nostdlib -static -o "$tmp/be-real.elf" "$tmp/be.S" 2>/dev/null; then
        check "big-endian ELF (mipsel-linux-gnu-gcc -EB)" "big-endian" "$tmp/be-real.elf"
    fi
fi
check "64-bit host ELF (/bin/true)" "class|32-bit|not MIPS" /bin/true
check "non-MIPS machine" "not MIPS" "$tmp/arm.elf"
check "not an executable" "not an executable" "$tmp/rel.elf"
check "missing file" "no such file" "$tmp/does-not-exist.elf"
check "directory" "not a regular file|directory" "$tmp"
check "--cpus 0" "--cpus" --cpus 0 "$GOOD"
check "--cpus 65" "--cpus" --cpus 65 "$GOOD"
check "--cpus abc" "--cpus" --cpus abc "$GOOD"
check "--cpus -1" "--cpus" --cpus -1 "$GOOD"
check "--mem abc" "--mem" --mem abc "$GOOD"
check "--mem 0" "--mem" --mem 0 "$GOOD"
check "--mem 1000G" "--mem" --mem 1000G "$GOOD"
check "--mem 1M+1" "--mem" --mem 1048577 "$GOOD"
check "--tlb 0" "--tlb" --tlb 0 "$GOOD"
check "--clock x" "--clock" --clock x "$GOOD"
check "--quantum 0" "--quantum" --quantum 0 "$GOOD"
check "--engine foo" "engine" --engine foo "$GOOD"
check "--max-insns 0" "--max-insns" --max-insns 0 "$GOOD"
# counts take no size suffix (it used to be dropped: --cpus 2M ran 2 CPUs)
check "--cpus 2M" "--cpus: '2M'" --cpus 2M "$GOOD"
check "--tlb 8G" "--tlb: '8G'" --tlb 8G "$GOOD"
check "--nodes 2K" "--nodes: '2K'" --board numa --nodes 2K "$GOOD"
check "--cpus-per-node 1k" "--cpus-per-node: '1k'" --board numa --cpus-per-node 1k "$GOOD"
check "--cache-line 128K" "--cache-line: '128K'" --board numa --cache-line 128K "$GOOD"
check "--cache-assoc 2K" "--cache-assoc: '2K'" --board numa --cache-assoc 2K "$GOOD"
check "--hot-sample 3K" "--hot-sample: '3K'" --board numa --hot-sample 3K "$GOOD"
check "--hot-threshold 1M" "--hot-threshold: '1M'" --board numa --hot-threshold 1M "$GOOD"
# a cache that cannot exist is named, not taken for a lack of memory
check "--cache-size 3K" "cache-size 3072.*power-of-two number of sets" --board numa --cache-size 3K "$GOOD"
check "more ways than the cache holds" "cache-assoc 16.*more than --cache-size 1024" \
    --board numa --cache-size 1K --cache-assoc 16 "$GOOD"
check "--cache-line 100" "cache-line 100.*power of two" --board numa --cache-line 100 "$GOOD"
# a --stats file that cannot be written is found before the run, which never starts
check "--stats into a missing directory" "stats.*$tmp/none/s.json" --stats "$tmp/none/s.json" "$GOOD"
check "--stats to a directory" "stats.*$tmp" --stats "$tmp" "$GOOD"
check "unknown option" "unknown|option" --frobnicate "$GOOD"
check "missing option value" "option|--cpus" "$GOOD" --cpus
check "no program" "no program|usage" --cpus 2
check "two programs" "more than one" "$GOOD" "$GOOD"
# and a good run still works
timeout 30 "$SIM" -q "$GOOD" >/dev/null 2>&1 || { echo "FAIL good program: exit $?"; fail=1; }
exit $fail
