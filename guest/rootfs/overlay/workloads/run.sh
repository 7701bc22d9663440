#!/bin/sh
# Runs one of the guest's workloads and prints its checkable result:
#   /workloads/run.sh NAME [SCALE]     NAME: pmake db verilog raytrace, or all
# SCALE (default 1, or $scale) multiplies the input size: scale 1 takes seconds under
# qemu-user; larger scales are for the simulated machine. $jobs sets make's and povray's
# parallelism (default: the number of online CPUs). Work happens in $WORKDIR (default
# /tmp/wl-NAME). $WL_EXEC, empty on the guest, prefixes the run of a program the
# workload built (the qemu-user test runs it through qemu-mipsel). The last line is
#   result NAME scale=S md5=HASH [ok|MISMATCH|unchecked]
# where HASH is the md5 of the workload's outputs, checked against expected.txt beside
# this script (scale 1 values); the exit status is 1 on a mismatch or a failed step.
set -e
here=$(dirname "$0")
case $here in /*) ;; *) here=$PWD/$here ;; esac
name=${1:?usage: run.sh pmake|db|verilog|raytrace|all [scale]}
scale=${2:-${scale:-1}}
jobs=${jobs:-$(nproc 2>/dev/null || echo 1)}
case $scale in ''|*[!0-9]*|0) echo "run.sh: bad scale '$scale'" >&2; exit 2 ;; esac

# Each workload leaves its outputs, in a fixed order, on standard output. Every step
# is checked by hand: set -e does not apply inside the `if` that calls these.
wl_pmake() {
    cp "$here"/pmake/* . &&
    make -s -j"$jobs" COPIES="$scale" >&2 || return 1
    for v in $(seq 1 "$scale"); do $WL_EXEC "./out/prog$v" || return 1; done
    # shellcheck disable=SC2046 # the object names have no spaces
    cat $(find out -name '*.o' | sort)
}
wl_db() {
    sed "s/SCALE_ROWS/$((2000 * scale))/g" "$here/db/gen.sql" | sqlite3 -batch db.sqlite &&
    sqlite3 -batch db.sqlite <"$here/db/queries.sql"
}
wl_verilog() {
    iverilog -o sim.vvp "$here/verilog/tb.v" "$here/verilog/design.v" &&
    vvp -n sim.vvp +cycles=$((5000 * scale)) >vvp.out || return 1
    grep -v 'finish called' vvp.out
}
wl_raytrace() {
    povray -D +WT"$jobs" +I"$here/raytrace/scene.pov" +Oimage.ppm +FP \
        +W$((80 * scale)) +H$((60 * scale)) +Q9 +A0.3 +R2 2>povray.log ||
        { tail -n 20 povray.log >&2; return 1; }
    ppm_without_comments image.ppm
}

# ppm_without_comments FILE: the image with its header's comment lines dropped (povray
# writes the render date there); the header ends at the maxval line "255".
ppm_without_comments() {
    h=$(head -n 16 "$1" | grep -a -n '^255$' | head -n 1 | cut -d: -f1)
    [ -n "$h" ] || { echo "run.sh: $1 is not an 8-bit PPM" >&2; return 1; }
    head -n "$h" "$1" | grep -av '^#'
    tail -c +$(($(head -n "$h" "$1" | wc -c) + 1)) "$1"
}

run_one() {
    n=$1 work=${WORKDIR:-/tmp/wl-$1}
    case $n in pmake|db|verilog|raytrace) ;; *) echo "run.sh: no workload '$n'" >&2; exit 2 ;; esac
    rm -rf "$work"; mkdir -p "$work"
    if ! (cd "$work" && "wl_$n" >"$work/result.out"); then
        echo "result $n scale=$scale FAILED"; return 1
    fi
    sum=$(md5sum <"$work/result.out" | cut -d' ' -f1)
    want=$(awk -v n="$n" -v s="$scale" '$1 == n && $2 == s { print $3 }' "$here/expected.txt" 2>/dev/null)
    verdict=unchecked
    [ -n "$want" ] && { [ "$want" = "$sum" ] && verdict=ok || verdict=MISMATCH; }
    echo "result $n scale=$scale md5=$sum $verdict"
    [ "$verdict" != MISMATCH ]
}

if [ "$name" = all ]; then
    st=0
    for n in pmake db verilog raytrace; do run_one $n || st=1; done
    exit $st
fi
run_one "$name"
