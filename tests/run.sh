#!/usr/bin/env bash
# Runs every test given on the command line and prints a closing "N passed, N failed".
#  - a path ending in .elf: a bare-metal MIPS test, run on build/bin/mips-sim with the
#    options in the .opts file beside it; exit status 0 means pass.
#  - a path ending in .sh: an integration script; exit 0 pass, 77 skip, anything else fail.
#  - anything else: a cmocka test binary; exit 0 pass, 77 skip (the binary found
#    nothing to test on this machine, e.g. no KVM), anything else fail. cmocka's own
#    summary is read too: a binary whose every test called skip() is counted as
#    skipped, not passed, and a pass with some tests skipped says how many.
# Each test's output goes to build/test-logs/NAME.log; a failing test's log tail is shown.
# A test that skips prints "skip: <reason>" as its last line; the reason is shown.
set -u
SIM=build/bin/mips-sim
LOGS=build/test-logs
TIMEOUT=${TEST_TIMEOUT:-600}
mkdir -p "$LOGS"
pass=0 fail=0 skip=0 failed=()

# cmocka_counts LOG: prints "<tests run> <tests skipped>" from cmocka's summary (STDOUT
# format: "[==========] N test(s) run." and "[  SKIPPED ] N test(s), listed below:").
cmocka_counts() {
    local ran skipped
    ran=$(sed -nE 's/^\[==========\] (.*: )?([0-9]+) test\(s\) run\.$/\2/p' "$1" | awk '{n+=$1} END{print n+0}')
    skipped=$(sed -nE 's/^\[  SKIPPED \] ([0-9]+) test\(s\), listed below:$/\1/p' "$1" | awk '{n+=$1} END{print n+0}')
    echo "$ran $skipped"
}

for t in "$@"; do
    name=$(basename "$t")
    log="$LOGS/$name.log"
    start=$EPOCHREALTIME
    case "$t" in
        *.elf) opts=""; [[ -f "${t%.elf}.opts" ]] && opts=$(cat "${t%.elf}.opts")
               # shellcheck disable=SC2086
               timeout "$TIMEOUT" "$SIM" $opts "$t" >"$log" 2>&1 ;;
        *.sh)  timeout "$TIMEOUT" bash "$t" >"$log" 2>&1 ;;
        *)     CMOCKA_MESSAGE_OUTPUT=STDOUT timeout "$TIMEOUT" "$t" >"$log" 2>&1 ;;
    esac
    rc=$?
    note=""
    if [[ $rc -eq 0 && $t != *.elf && $t != *.sh ]]; then
        read -r ran skipped <<<"$(cmocka_counts "$log")"
        if [[ $skipped -gt 0 && $skipped -eq $ran ]]; then
            rc=77; echo "skip: all $ran cmocka tests called skip()" >>"$log"
        elif [[ $skipped -gt 0 ]]; then
            note=", $skipped of $ran cmocka tests skipped"
        fi
    fi
    secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}')
    if [[ $rc -eq 0 ]]; then
        pass=$((pass + 1)); echo "PASS  $name (${secs}s$note)"
    elif [[ $rc -eq 77 ]]; then
        skip=$((skip + 1)); echo "SKIP  $name: $(tail -n 1 "$log")"
    else
        fail=$((fail + 1)); failed+=("$name"); echo "FAIL  $name (exit $rc)"
        tail -n 20 "$log" | sed 's/^/      | /'
    fi
done

[[ $fail -gt 0 ]] && echo "failed: ${failed[*]}"
echo "$pass passed, $fail failed, $skip skipped"
[[ $fail -eq 0 ]]
