#!/usr/bin/env bash
# mini-disco-run.sh - the disco build of the mini kernel under the Disco monitor
# (build/bin/disco; skipped when it is not built): 1 VM with 1 vCPU on 1 CPU, and
# 1 VM with 4 vCPUs on 2 nodes x 2 CPUs. Each must power off with status 0, say
# "check: ok", and print the same console as the bare build on the same number of
# CPUs once the platform lines ("# ...") are dropped.
set -u
source tests/guest/lib.sh
mini_need
DISCO_CMD=build/bin/disco
[[ -x $DISCO_CMD ]] || { echo "no $DISCO_CMD (the monitor is not built)"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=1; }

for shape in "1 1 1" "2 2 4"; do
    read -r nodes cpn vcpus <<<"$shape"
    name="${vcpus}vcpu"
    timeout 300 "$SIM" -q --board numa --nodes "$nodes" --cpus-per-node "$cpn" "$BARE" >"$tmp/$name.bare" 2>&1 ||
        bad "$name: the bare run failed"
    timeout 300 "$DISCO_CMD" -q --nodes "$nodes" --cpus-per-node "$cpn" \
        --vm "name=m,kernel=$DISCO,mem=32M,vcpus=$vcpus,node=spread" >"$tmp/$name.raw" 2>&1
    rc=$?
    [[ $rc -eq 0 ]] || bad "$name: disco exit status $rc: $(tail -n 3 "$tmp/$name.raw")"
    sed -n 's/^m: //p' "$tmp/$name.raw" >"$tmp/$name.disco"
    grep -q '^check: ok' "$tmp/$name.disco" || bad "$name: no 'check: ok' under the monitor"
    if ! diff <(mini_compared "$tmp/$name.bare") <(mini_compared "$tmp/$name.disco") >"$tmp/diff"; then
        bad "$name: console differs from the bare run's"
        head -n 10 "$tmp/diff"
    fi
    echo "ok   $name: bare $(grep '^# totals' "$tmp/$name.bare")"
    echo "     $name: disco $(grep '^# totals' "$tmp/$name.disco")"
done
exit $fail
