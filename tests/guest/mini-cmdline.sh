#!/usr/bin/env bash
# mini-cmdline.sh - the mini kernel's command line (bare build, patched with objcopy):
#  - parameters without expect=: the kernel checks every process against its own
#    reference run, and the checksums equal mini-ref's (uneven process counts, more
#    processes than CPUs, no getpid calls);
#  - nodes=2 places each process's memory on its CPU's node (node 1 then misses
#    locally, with nodes=1 remotely);
#  - a wrong expect= makes the check fail: "check: FAILED", exit status 1;
#  - bad words and too little memory: one line naming the problem, exit status 2;
#  - mini-ref's own bad input: one line, exit status 2.
set -u
source tests/guest/lib.sh
mini_need
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=1; }

run() { # out nodes cpn words -> rc
    mini_with_cmdline "$BARE" "$tmp/k.elf" "$4" || { echo "FAIL objcopy"; exit 1; }
    "$SIM" -q --board numa --nodes "$2" --cpus-per-node "$3" "$tmp/k.elf" >"$1" 2>&1
}

ok_case() { # nodes cpn words
    local words=$3
    run "$tmp/out" "$1" "$2" "$words"
    local rc=$?
    # shellcheck disable=SC2086
    "$REF" $words >"$tmp/ref"
    [[ $rc -eq 0 ]] || bad "'$words': exit status $rc"
    grep -q '^check: ok (every process equals the kernel' "$tmp/out" || bad "'$words': no kernel reference check"
    grep '^proc [0-9]* checksum' "$tmp/out" | cmp -s - <(grep '^proc' "$tmp/ref") ||
        bad "'$words': checksums differ from mini-ref"
    echo "ran  '$words' on $1x$2: $(grep '^total' "$tmp/out")"
}
ok_case 2 2 "nproc=5 ws=64K iters=3 seed=7"
ok_case 1 1 "nproc=13 ws=8K iters=5 seed=0x1234 calls=0"
ok_case 1 3 "nproc=2 ws=128K iters=2 seed=3 calls=1"

# NUMA placement: with nodes=2 the processes of node 1's CPUs get node-1 memory, so
# node 1 misses mostly locally (the kernel and the user text stay on node 0); with
# nodes=1 (all memory from node 0) only remotely.
numa_misses() { # words -> "local remote" misses of node 1
    mini_with_cmdline "$BARE" "$tmp/k.elf" "$1" || exit 1
    "$SIM" -q --board numa --nodes 2 --cpus-per-node 2 --mem-per-node 64M --stats "$tmp/numa.json" \
        "$tmp/k.elf" >"$tmp/out" 2>&1 || bad "'$1': exit status $?"
    grep -q '^check: ok' "$tmp/out" || bad "'$1': check failed"
    grep -o '"node": 1, "cpus": 2, [^}]*' "$tmp/numa.json" |
        sed 's/.*"local_misses": \([0-9]*\), "remote_misses": \([0-9]*\).*/\1 \2/'
}
read -r l1 r1 < <(numa_misses "nproc=4 ws=256K iters=4 nodes=2 mem=128M")
read -r l0 r0 < <(numa_misses "nproc=4 ws=256K iters=4")
(( l1 > 2 * r1 && r0 > 4 * l0 )) 2>/dev/null ||
    bad "node 1 misses: nodes=2: $l1 local/$r1 remote; nodes=1: $l0 local/$r0 remote"
echo "ok   node 1 misses: nodes=2 $l1 local/$r1 remote, nodes=1 $l0 local/$r0 remote"

# A wrong expectation fails the run.
run "$tmp/out" 1 2 "nproc=3 ws=16K iters=2 expect=0x12345678"
rc=$?
[[ $rc -eq 1 ]] && grep -q '^check: FAILED' "$tmp/out" || bad "wrong expect=: exit $rc, $(grep '^check' "$tmp/out")"
echo "ok   wrong expect= fails (exit $rc)"

bad_input() { # words what
    run "$tmp/out" 1 1 "$1"
    local rc=$?
    [[ $rc -eq 2 && $(wc -l <"$tmp/out") -eq 1 ]] && grep -q "$2" "$tmp/out" ||
        bad "'$1': exit $rc, output: $(head -3 "$tmp/out")"
    echo "ok   '$1': $(cat "$tmp/out")"
}
bad_input "nproc=0" "bad command-line word 'nproc=0'"
bad_input "nproc=65" "bad command-line word 'nproc=65'"
bad_input "ws=5000" "bad command-line word 'ws=5000'"
bad_input "iters=" "bad command-line word 'iters='"
bad_input "bogus=1" "bad command-line word 'bogus=1'"
bad_input "nproc=4 seed" "bad command-line word 'seed'"
bad_input "seed=0x1g" "bad command-line word 'seed=0x1g'"
bad_input "mem=1M" "not enough memory"

"$REF" nproc=0 >"$tmp/out" 2>&1
rc=$?
[[ $rc -eq 2 && $(wc -l <"$tmp/out") -eq 1 ]] || bad "mini-ref nproc=0: exit $rc"
"$REF" frobnicate >"$tmp/out" 2>&1
rc=$?
[[ $rc -eq 2 && $(wc -l <"$tmp/out") -eq 1 ]] || bad "mini-ref frobnicate: exit $rc"
echo "ok   mini-ref bad input: $(cat "$tmp/out")"
exit $fail
