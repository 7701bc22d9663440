#!/usr/bin/env bash
# `make run`'s answer is right: the demo (tests/mips/demo.c: each simulated CPU counts
# the primes in its share of [2, 200000) by trial division, the shares are added with
# LL/SC) must print the number of primes below 200000 that the host computes on its own
# with a sieve of Eratosthenes, and each CPU's count must match the host's count for
# that CPU's share. Checked for the `make run` command itself (4 CPUs) and for 1 and 3
# CPUs (other shares, other interleavings). The demo's own exit status compares with a
# constant compiled into it; this test does not trust that constant.
set -u
LIMIT=200000
fail() { echo "FAIL: $*"; exit 1; }
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT

# primes_in LO HI: primes p with LO <= p < HI, by a sieve (independent of the demo)
awk -v limit=$LIMIT 'BEGIN {
    for (i = 2; i < limit; i++) c[i] = 1
    for (i = 2; i * i < limit; i++) if (c[i]) for (j = i * i; j < limit; j += i) c[j] = 0
    n = 0; for (i = 0; i < limit; i++) { if (c[i]) n++; below[i + 1] = n }
    below[0] = 0
    for (i = 0; i <= limit; i++) print i, below[i]
}' >"$t/below"             # "x count-of-primes-below-x"
below() { awk -v x="$1" '$1 == x { print $2 }' "$t/below"; }
want_total=$(below $LIMIT)
[[ $want_total =~ ^[0-9]+$ ]] || fail "host sieve gave no count"
echo "host sieve: $want_total primes below $LIMIT"

check_run() {   # check_run NCPUS LOG: console lines of a run of NCPUS CPUs
    local n=$1 log=$2 cpu lo hi want got
    got=$(sed -n "s/^primes below $LIMIT: \([0-9]*\)\$/\1/p" "$log")
    [[ "$got" == "$want_total" ]] || { cat "$log"; fail "$n CPUs: demo says '$got' primes below $LIMIT, host says $want_total"; }
    for ((cpu = 0; cpu < n; cpu++)); do
        lo=$(( LIMIT / n * cpu ))
        hi=$(( cpu + 1 == n ? LIMIT : LIMIT / n * (cpu + 1) ))
        want=$(( $(below $hi) - $(below $lo) ))
        got=$(sed -n "s/^cpu $cpu: \([0-9]*\) primes\$/\1/p" "$log")
        [[ "$got" == "$want" ]] || { cat "$log"; fail "$n CPUs: cpu $cpu counted '$got' primes in [$lo, $hi), host says $want"; }
    done
    echo "ok: $n CPUs: total $want_total and every CPU's share match the host"
}

# `make run` exactly as a user types it (no jobserver from an enclosing make)
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory run >"$t/run" 2>&1 \
    || { cat "$t/run"; fail "make run failed"; }
check_run 4 "$t/run"
for n in 1 3; do
    build/bin/mips-sim --cpus $n build/mips/demo.elf >"$t/run$n" 2>&1; rc=$?
    [[ $rc -eq 0 ]] || { cat "$t/run$n"; fail "demo on $n CPUs exited with status $rc"; }
    check_run $n "$t/run$n"
done
echo "the demo's answer is right: $want_total primes below $LIMIT"
