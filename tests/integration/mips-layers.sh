#!/usr/bin/env bash
# mips-layers.sh - mips-sim's includes point one way only: down. Fails when a file of
# mips-sim includes a header of a higher layer, sits where no layer is named, or includes
# a header by a path that does not name its layer. The layers, bottom up:
#
#   0 arch     mips-sim/arch.h            architectural constants; includes nothing of ours
#   1 mem      mips-sim/mem/              bus, NUMA cache model, hot-page counters
#   2 cpu      mips-sim/cpu/, hook.h      CPU state, CP0, TLB, decode, exceptions, LL/SC;
#                                         hook.h, the monitor's API, depends on cpu/ and
#                                         mem/ only
#   3 engine   mips-sim/engine/           run loop, interpreter, blocks, JIT, fast path
#   4 machine  mips-sim/machine.[ch]      CPUs + bus + time: the run loop over CPUs
#   5 dev      mips-sim/dev/              devices (timers and interrupts of the machine)
#   6 boards   mips-sim/boards/           test, NUMA and Malta boards, the ELF loader;
#                                         the only layer that may use other components
#                                         (numa/ ...)
#   7 main     mips-sim/main.c            the mips-sim command
#
# A file may include headers of its own layer and of lower ones. The CPU never sees the
# machine: what it shares with the other CPUs is cpu/system.h, which the machine fills.
#
# Usage: mips-layers.sh [ROOT]   (default: the repository). Without ROOT it first checks
# itself on a planted wrong include, so the test can be seen to fail.
set -u
cd "$(dirname "$0")/../.."

layer_of() { # path of a file or an include, relative to the root -> layer in REPLY
    case "$1" in
        mips-sim/arch.h) REPLY=0 ;;
        mips-sim/mem/*) REPLY=1 ;;
        mips-sim/cpu/* | mips-sim/hook.h) REPLY=2 ;;
        mips-sim/engine/*) REPLY=3 ;;
        mips-sim/machine.h | mips-sim/machine.c) REPLY=4 ;;
        mips-sim/dev/*) REPLY=5 ;;
        mips-sim/boards/*) REPLY=6 ;;
        mips-sim/main.c) REPLY=7 ;;
        mips-sim/*) REPLY="" ;;
        */*) REPLY=6 ;;                  # another component of the project
        *) REPLY="" ;;
    esac
}
names=(arch mem cpu engine machine dev boards main)

check_tree() { # root -> prints every violation; status 1 if any
    local root=$1 bad=0 f inc lf li
    while IFS= read -r f; do
        layer_of "$f"
        lf=$REPLY
        if [[ -z $lf ]]; then
            echo "$f: in no layer (see tests/integration/mips-layers.sh)"
            bad=1
            continue
        fi
        while IFS= read -r inc; do
            layer_of "$inc"
            li=$REPLY
            if [[ -z $li ]]; then
                echo "$f: includes \"$inc\", which names no layer"
                bad=1
            elif ((li > lf)); then
                echo "$f: includes $inc: ${names[lf]} ($lf) may not include ${names[li]} ($li)"
                bad=1
            fi
        done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$root/$f")
    done < <(cd "$root" && find mips-sim -name '*.[ch]' | sort)
    return $bad
}

if [[ $# -gt 0 ]]; then
    check_tree "$1"
    exit
fi

# Self-check: a CPU file that includes the machine, and a file in no layer, must fail.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/mips-sim/cpu" "$tmp/mips-sim/stray"
printf '#include "mips-sim/cpu/cpu.h"\n#include "mips-sim/machine.h"\n' >"$tmp/mips-sim/cpu/up.c"
printf '#include "mips-sim/cpu/cpu.h"\n' >"$tmp/mips-sim/stray/x.c"
out=$(check_tree "$tmp")
if [[ $out != *"cpu (2) may not include machine (4)"* || $out != *"in no layer"* ]]; then
    echo "FAIL: the check missed a planted violation:"
    echo "$out"
    exit 1
fi
echo "ok: planted violations found"

if ! check_tree .; then
    echo "FAIL: includes point up"
    exit 1
fi
echo "ok: $(find mips-sim -name '*.[ch]' | wc -l) files, every include points down or sideways"
