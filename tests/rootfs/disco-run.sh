#!/usr/bin/env bash
# disco-run.sh - the guest's /sbin/disco-run (guest/rootfs/overlay), run with the host's
# POSIX sh on command lines as disco writes them (monitor/vm.c: cmdline=, a blank, then
# disco.run="CMD"): the command is cut out whole (commas, semicolons, single quotes, $,
# '=' words), runs, and its status comes back; no disco.run= word: exit 3, no output.
cd "$(dirname "$0")/../.." || exit 1
RUN=guest/rootfs/overlay/sbin/disco-run
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
fails=0
check() {   # NAME CMDLINE WANT-STATUS WANT-OUTPUT
    printf '%s\n' "$2" >"$TMP/cmdline"
    local out rc
    out=$(sh "$RUN" "$TMP/cmdline" 2>&1); rc=$?
    if [[ $rc -eq $3 && $out == "$4" ]]; then echo "ok: $1"
    else echo "FAIL: $1: status $rc (want $3), output:"; printf '%s\n' "$out"; fails=$((fails + 1)); fi
}
check "a plain command" 'console=hvc0 root=/dev/vda disco.run="echo hi"' 0 $'init: run: echo hi\nhi\ninit: exit status 0'
check "commas, quotes, variables, a status" \
    "root=/dev/vda disco.run=\"x='a, b'; echo \$x; false; exit 5\" quiet" 5 \
    $'init: run: x=\'a, b\'; echo $x; false; exit 5\na, b\ninit: exit status 5'
check "words after it are not part of it" 'disco.run="echo one" workload=db' 0 $'init: run: echo one\none\ninit: exit status 0'
check "another quoted word after it" 'disco.run="echo one" x.y="a b"' 0 $'init: run: echo one\none\ninit: exit status 0'
check "an = inside the command" 'disco.run="a=1; echo a=$a"' 0 $'init: run: a=1; echo a=$a\na=1\ninit: exit status 0'
check "no disco.run word" 'console=hvc0 workload=db' 3 ''
check "disco.run without quotes is not ours" 'disco.run=echo' 3 ''
[[ $fails -eq 0 ]] && echo "all passed"
[[ $fails -eq 0 ]]
