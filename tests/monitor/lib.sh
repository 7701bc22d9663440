# lib.sh - helpers for the monitor's integration scripts (sourced).
set -u
DISCO=build/bin/disco
G=build/monitor-guests
SIM=build/bin/mips-sim
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }

# expect_rc WANT NAME CMD... : run, compare the exit status, keep output in $TMP/out.
expect_rc() {
    local want=$1 name=$2; shift 2
    timeout 120 "$@" >"$TMP/out" 2>"$TMP/err"     # a monitor that hangs fails, not stalls
    local rc=$?
    if [[ $rc -eq $want ]]; then pass "$name (exit $rc)"; else
        fail "$name: exit $rc, expected $want"; tail -n 5 "$TMP/out" "$TMP/err"; fi
}

# expect_out NAME PATTERN: $TMP/out contains the (grep -E) pattern.
expect_out() {
    if grep -qE -- "$2" "$TMP/out"; then pass "$1"; else fail "$1: no '$2' in the output"; fi
}
expect_err() {
    if grep -qE -- "$2" "$TMP/err"; then pass "$1"; else fail "$1: no '$2' on stderr"; fi
}

finish() {
    [[ $fails -eq 0 ]] && echo "all passed" || echo "$fails failed"
    [[ $fails -eq 0 ]]
}

[[ -x $DISCO && -f $G/ukern.elf ]] || { echo "build first (make)"; exit 1; }
