#!/usr/bin/env bash
# mips-hostile.sh - hostile programs end cleanly, identically under the three engines,
# on every board (test, numa, malta):
#  - exception storms (EBase outside RAM then SYSCALL; a vector holding `lw $0,1($0)`;
#    a Malta kernel whose first instruction faults while BEV=1, so the vector is in the
#    boot ROM): exit status 3 with one "exception storm" line naming the looping pc,
#    with and without --max-insns; a storm on some CPUs stops only those CPUs;
#  - an ELF whose entry point is outside RAM (or not in kseg0/kseg1, or misaligned):
#    exit status 2, one line naming the entry point, no run;
#  - pseudo-random instruction words at several quanta: the engines agree;
#  - straight-line code at --quantum 1 and 7, and random words at --quantum 1: the block
#    engine and the JIT stay within 16 MB of the interpreter's peak memory (they used
#    to make one block per instruction: hundreds of MB).
set -u
SIM=build/bin/mips-sim
H=build/mips/hostile
[[ -x $SIM && -f $H/storm_ebase.elf ]] || { echo "need $SIM and $H/*.elf (run make)"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=1; }

# storm name want-status want-storm-lines pattern args...: under every engine, the run
# ends with want-status within the timeout, prints want-storm-lines storm lines that
# match pattern, and the engines agree on the statistics.
storm() {
    local name=$1 want=$2 lines=$3 pat=$4; shift 4
    for e in interp blocks jit; do
        timeout 10 "$SIM" -q --engine "$e" --stats "$tmp/$name.$e.json" "$@" \
            >"$tmp/$name.$e.out" 2>"$tmp/$name.$e.err"
        local rc=$? n
        n=$(grep -c 'exception storm' "$tmp/$name.$e.err")
        if [[ $rc -ne $want ]]; then
            bad "$name ($e): exit status $rc, want $want"; sed 's/^/    /' "$tmp/$name.$e.err" | head -5
        elif [[ $n -ne $lines ]]; then
            bad "$name ($e): $n storm lines, want $lines:"; sed 's/^/    /' "$tmp/$name.$e.err" | head -5
        elif [[ $lines -gt 0 ]] && ! grep -qE -- "$pat" "$tmp/$name.$e.err"; then
            bad "$name ($e): storm line does not match /$pat/: $(cat "$tmp/$name.$e.err")"
        elif [[ $e != interp ]] && ! cmp -s "$tmp/$name.interp.json" "$tmp/$name.$e.json"; then
            bad "$name ($e): statistics differ from the interpreter's"
        else
            continue
        fi
        return
    done
    echo "ok   $name: exit $want, $lines storm line(s) $(head -n 1 "$tmp/$name.interp.err")"
}

VEC_EBASE='cpus? [0-9,]+: exception storm: [0-9]+ consecutive exceptions without a completed instruction at pc 0x9e000180 \(IBE; the first: Sys'
VEC_LW='cpus? [0-9,]+: exception storm: .* at pc 0x80000180 \(AdEL; the first: Sys'
VEC_ROM='cpu 0: exception storm: .* at pc 0xbfc00380 \(IBE; the first: AdEL at pc 0x80001000'
storm ebase-test 3 1 "$VEC_EBASE" "$H/storm_ebase.elf"
storm ebase-test-limit 3 1 "$VEC_EBASE" --max-insns 1000 "$H/storm_ebase.elf"
storm ebase-test-4cpus 3 1 "cpus 0,1,2,3: exception storm" --cpus 4 --quantum 37 "$H/storm_ebase.elf"
storm ebase-numa 3 1 "cpus 0,1,2,3,4,5,6,7: exception storm" --board numa "$H/storm_ebase.elf"
storm ebase-numa-limit 3 1 "$VEC_EBASE" --board numa --max-insns 1000 "$H/storm_ebase.elf"
storm ebase-malta 3 1 "$VEC_EBASE" --board malta --kernel "$H/storm_ebase.elf"
storm vector-test 3 1 "$VEC_LW" "$H/storm_vector.elf"
storm vector-test-limit 3 1 "$VEC_LW" --max-insns 1000 --quantum 1 "$H/storm_vector.elf"
storm vector-numa 3 1 "$VEC_LW" --board numa --nodes 2 --cpus-per-node 2 "$H/storm_vector.elf"
storm vector-malta-limit 3 1 "$VEC_LW" --board malta --kernel "$H/storm_vector.elf" --max-insns 1000
storm rom-malta 3 1 "$VEC_ROM" --board malta --kernel "$H/fault_first.elf"
storm rom-malta-limit 3 1 "$VEC_ROM" --board malta --kernel "$H/fault_first.elf" --max-insns 50
# On the test board the boot vector is zeroed RAM: no storm, the limit ends the run.
storm rom-test-limit 3 0 "" --max-insns 100000 "$H/fault_first.elf"
storm rom-numa-limit 3 0 "" --board numa --max-insns 100000 "$H/fault_first.elf"
# A storm stops its own CPU only: CPU 0 runs on and exits with 42.
storm one-of-four 42 1 "cpus 1,2,3: exception storm" --cpus 4 "$H/storm_one.elf"
storm one-of-numa 42 1 "cpus 1,2,3,4,5,6,7: exception storm" --board numa "$H/storm_one.elf"
# --stats says which CPUs a storm stopped, and where
n=$(grep -c '"stopped_by": "exception-storm", "storm_pc": "0x9e000180"' "$tmp/one-of-four.interp.json")
if [[ $n -ne 3 ]] || grep '"cpu": 0,' "$tmp/one-of-four.interp.json" | grep -q stopped_by; then
    bad "one-of-four: --stats marks $n CPUs stopped by the storm, want CPUs 1-3"
else
    echo "ok   one-of-four: --stats marks CPUs 1-3 stopped by the storm"
fi

# Pseudo-random instruction words: whatever they do, the engines agree (small quanta
# end slices everywhere, including inside blocks that the random stores retire).
for q in 1 7 37 1000; do
    storm random-q$q 3 0 "" --quantum $q --max-insns 400000 "$H/random.elf"
done
storm random-4cpus 3 0 "" --cpus 4 --quantum 13 --max-insns 400000 "$H/random.elf"

# ELF entry points that no CPU can start at: exit 2, one line naming the entry, no run.
# RAM ends at 32 MB (0x82000000 in kseg0) on each board as configured below.
declare -A ENTRY=([outside]=9e000000 [kseg2]=c0001000 [misaligned]=80001002
                  [beyond-ram]=82000000 [device]=bf000000)
for n in "${!ENTRY[@]}"; do
    h=${ENTRY[$n]}
    cp "$H/zeros.elf" "$tmp/entry-$n.elf"
    printf "\\x${h:6:2}\\x${h:4:2}\\x${h:2:2}\\x${h:0:2}" |
        dd of="$tmp/entry-$n.elf" bs=1 seek=24 conv=notrunc status=none
done
entry() { # name entry-hex args...
    local name=$1 hex=$2; shift 2
    timeout 10 "$SIM" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [[ $rc -ne 2 ]]; then
        bad "entry $name: exit status $rc, want 2"
    elif [[ $(wc -l <"$tmp/err") -ne 1 ]] || ! grep -q "entry point $hex" "$tmp/err"; then
        bad "entry $name: want one line naming entry point $hex:"; sed 's/^/    /' "$tmp/err"
    elif [[ -s $tmp/out ]]; then
        bad "entry $name: output on stdout"
    else
        echo "ok   entry $name: $(cat "$tmp/err")"
    fi
}
for b in "--mem 32M" "--board numa --nodes 2 --mem-per-node 16M" "--board malta --mem 32M --kernel"; do
    for n in outside kseg2 misaligned beyond-ram device; do
        # shellcheck disable=SC2086
        entry "$n${b:+ ($b)}" "0x${ENTRY[$n]}" --max-insns 1000 $b "$tmp/entry-$n.elf"
    done
done

# Straight-line code at tiny quanta: peak memory (max RSS, KB) of each engine, read by
# GNU time, or else by python (whose own size, ~14 MB, then sets a floor common to all).
peak() { # engine args...: prints the run's max RSS in KB
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f %M -o "$tmp/rss" "$SIM" -q --engine "$@" >/dev/null 2>&1
        tail -n 1 "$tmp/rss"
    else
        python3 - "$SIM" -q --engine "$@" <<'PY'
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
    fi
}
if [[ ! -x /usr/bin/time ]] && ! command -v python3 >/dev/null; then
    echo "skip: memory bounds (neither /usr/bin/time nor python3 to read peak memory)"
    exit $fail
fi
# Before the fix: zeros 310-350 MB at --quantum 1 and 50-55 MB at 7; random 410-470 MB
# at --quantum 1 (the interpreter: 3-4 MB).
bounded() { # program quantum insns
    local prog=$1 q=$2 insns=$3 base kb limit
    base=$(peak interp --quantum "$q" --max-insns "$insns" "$H/$prog.elf")
    limit=$((base + 16384))
    for e in blocks jit; do
        kb=$(peak $e --quantum "$q" --max-insns "$insns" "$H/$prog.elf")
        if [[ $kb -gt $limit ]]; then
            bad "$prog --quantum $q --engine $e: peak memory ${kb} KB, interpreter ${base} KB (limit ${limit} KB)"
        else
            echo "ok   $prog --quantum $q --engine $e: peak memory ${kb} KB (interpreter ${base} KB)"
        fi
    done
}
bounded zeros 1 300000
bounded zeros 7 300000
bounded random 1 400000
exit $fail
