#!/usr/bin/env bash
# Build the workload initramfs (gzip'ed newc cpio) of bench/linux-workloads.sh.
#   mkworkloads.sh BUSYBOX LWB_TOUCH FPWORK OUT.cpio.gz
# The archive holds a static busybox, the page-fault program lwb-touch
# (tests/linux/lwb_touch.c), the FP program lwb-fpwork (tests/fpu/fpwork.c) and an /init that runs the workloads named by the kernel
# command line's `lwb=a,b,...` (the kernel hands unknown name=value words to init's
# environment; no lwb= runs them all), in the order given. For each workload it
# prepares the input (untimed), prints "LWB-START <name>", runs the workload with its
# output to a file, prints "LWB-END <name>", then "LWB-RESULT <name> <md5 of output>
# <first line of output>". The host timestamps the START and END lines as they arrive on
# the serial console. Then it powers off.
# No device nodes in the archive (no root needed): /init mounts devtmpfs.
set -euo pipefail
bb=$1 touch_prog=$2 fpwork_prog=$3 out=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,tmp}
cp "$bb" "$work/bin/busybox"
cp "$touch_prog" "$work/bin/lwb-touch"
cp "$fpwork_prog" "$work/bin/lwb-fpwork"
cat > "$work/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
echo "LWB-MARKER: userspace is up"

# ---- inputs (untimed) ------------------------------------------------------------
# sort: 40,000 lines, a pseudo-random number and a word, from awk's seeded rand()
prep_sort() {
    awk 'BEGIN { srand(7); for (i = 0; i < 40000; i++)
                 printf "%d w%x\n", int(rand() * 1000000000), i * 7919 % 65536 }' > /tmp/sort.in
}
# gzip: about 1.2 MB of text with some repetition, and the busybox binary
prep_gzip() {
    [ -f /tmp/sort.in ] || prep_sort
    cat /tmp/sort.in /bin/busybox /tmp/sort.in > /tmp/gzip.in
}

# ---- the workloads (timed) -----------------------------------------------------------
# integer: a shell arithmetic loop (a linear congruential generator) and SHA-256 of
# the 2 MB busybox binary, four times
w_int() {
    i=0 s=1
    while [ $i -lt 30000 ]; do
        s=$(( (s * 1103515245 + 12345) & 2147483647 ))
        i=$((i + 1))
    done
    echo "lcg $s"
    sha256sum /bin/busybox /bin/busybox /bin/busybox /bin/busybox
}
# floating point, interpreted: awk's doubles (Debian's static busybox awk has no libm
# functions, so + - * / and printf's conversions)
w_fp() {
    awk 'BEGIN { s = 0; p = 1
                 for (i = 1; i <= 100000; i++) { x = i * 0.001
                     s += x * x / (1 + x) - (x / (i + 0.5)) * 1.000001; p = p * 0.99999 + x / 3 }
                 printf "%.12g %.12g\n", s, p }'
}
# floating point, compiled: tests/fpu/fpwork.c (Mandelbrot in double, a polynomial in
# single, a square-root series)
w_fpc() {
    /bin/lwb-fpwork
}
# sorting: numeric, then by the second field
w_sort() {
    sort -n /tmp/sort.in > /tmp/sort.n
    sort -k2,2 -k1,1n /tmp/sort.in > /tmp/sort.k
    md5sum /tmp/sort.n /tmp/sort.k
}
# compression: gzip -9 and back
w_gzip() {
    gzip -9 -c /tmp/gzip.in > /tmp/gzip.gz
    gzip -d -c /tmp/gzip.gz | md5sum
    wc -c < /tmp/gzip.gz
}
# process creation: fork and exec the (static, 2 MB) busybox binary; a path with a
# slash makes ash exec it instead of running the applet in-process
w_fork() {
    i=0
    while [ $i -lt 150 ]; do
        /bin/true
        i=$((i + 1))
    done
    echo "forked $i"
}
# page faults: 24 rounds of 16 MB of fresh heap pages, touched one word a page
w_pgfault() {
    /bin/lwb-touch 16 24
}

all="int fp fpc sort gzip fork pgfault"
for w in $(echo "${lwb:-$all}" | tr ',' ' '); do
    case " $all " in *" $w "*) ;; *) echo "LWB-ERROR: no workload $w"; continue ;; esac
    case $w in sort) prep_sort ;; gzip) prep_gzip ;; esac
    echo "LWB-START $w"
    w_$w > /tmp/out.$w 2>&1
    echo "LWB-END $w"
    echo "LWB-RESULT $w $(md5sum < /tmp/out.$w | cut -c1-32) $(head -n 1 /tmp/out.$w)"
    rm -f /tmp/out.$w /tmp/sort.n /tmp/sort.k /tmp/gzip.gz
done
echo "LWB-MARKER: done"
poweroff -f
INIT
chmod 755 "$work/init"
# Fixed timestamps and ordering: the same inputs give the same archive, byte for byte.
find "$work" -exec touch -h -d @1704067200 {} +
(cd "$work" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible -R 0:0) |
    gzip -9 -n > "$out"
