#!/usr/bin/env bash
# Runs every test given on the command line and prints a closing "N passed, N failed".
#  - a path ending in .elf: a bare-metal MIPS test, run on build/bin/mips-sim with the
#    options in the .opts file beside it; exit status 0 means pass.
#  - a path ending in .sh: an integration script; exit 0 pass, 77 skip, anything else fail.
#  - anything else: a cmocka test binary.
# Each test's output goes to build/test-logs/NAME.log; a failing test's log tail is shown.
set -u
SIM=build/bin/mips-sim
LOGS=build/test-logs
TIMEOUT=${TEST_TIMEOUT:-600}
mkdir -p "$LOGS"
pass=0 fail=0 skip=0 failed=()

for t in "$@"; do
    name=$(basename "$t")
    log="$LOGS/$name.log"
    start=$EPOCHREALTIME
    case "$t" in
        *.elf) opts=""; [[ -f "${t%.elf}.opts" ]] && opts=$(cat "${t%.elf}.opts")
               # shellcheck disable=SC2086
               timeout "$TIMEOUT" "$SIM" $opts "$t" >"$log" 2>&1 ;;
        *.sh)  timeout "$TIMEOUT" bash "$t" >"$log" 2>&1 ;;
        *)     timeout "$TIMEOUT" "$t" >"$log" 2>&1 ;;
    esac
    rc=$?
    secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}')
    if [[ $rc -eq 0 ]]; then
        pass=$((pass + 1)); echo "PASS  $name (${secs}s)"
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
