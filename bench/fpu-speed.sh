#!/usr/bin/env bash
# FPU speed: fpwork (tests/fpu/fpwork.c: Mandelbrot in double, a polynomial in single,
# a square-root series), scaled up 8 times, on mips-sim as a bare-metal program under
# each engine, and under qemu-mipsel (Debian's qemu-user) as a Linux user program. The
# outputs must agree. Prints each time (best of two) and last the ratio of the JIT's
# time to qemu-user's (below 1: faster than QEMU).
# Last line: "fpwork ratio mips-sim/qemu-user: <n>".
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/bin/mips-sim
command -v qemu-mipsel >/dev/null || { echo "no qemu-mipsel (./setup.sh installs qemu-user)"; exit 1; }
CC="mipsel-linux-gnu-gcc -march=mips32r2 -EL -ffreestanding -nostdlib -mno-abicalls -fno-pic -G0 -O2 -Itests/mips/include -static -DFPWORK_SCALE=8"
mkdir -p build/bench
$CC -o build/bench/fpwork8.linux tests/fpu/fpwork.c tests/fpu/fpdiff_linux.c
$CC -Wl,--no-warn-rwx-segments -Wl,--build-id=none -Ttests/mips/link.ld -o build/bench/fpwork8.elf \
    tests/mips/crt0.S tests/fpu/fpdiff_bm.c tests/fpu/fpwork.c
best() {   # command... : prints the best wall time of two runs; output to build/bench/out
    local b=999999 s e t
    for run in 1 2; do
        s=$EPOCHREALTIME; "$@" >build/bench/fpwork.out; e=$EPOCHREALTIME
        t=$(awk -v a="$s" -v b="$e" 'BEGIN{printf "%.3f", b-a}')
        b=$(awk -v a="$b" -v t="$t" 'BEGIN{print (t<a)?t:a}')
    done
    echo "$b"
}
q=$(best qemu-mipsel build/bench/fpwork8.linux); cp build/bench/fpwork.out build/bench/fpwork.qemu
echo "qemu-user: ${q}s"
for e in interp blocks jit; do
    t=$(best build/bin/mips-sim -q --engine "$e" build/bench/fpwork8.elf)
    cmp -s build/bench/fpwork.out build/bench/fpwork.qemu || { echo "--engine $e: output differs from qemu-user's"; exit 1; }
    echo "mips-sim --engine $e: ${t}s"
done
echo "fpwork ratio mips-sim/qemu-user: $(awk -v a="$t" -v b="$q" 'BEGIN{printf "%.2f", a/b}')"
