#!/usr/bin/env bash
# Build the small test initramfs (gzip'ed newc cpio) for the Malta boot test.
#   mkinitramfs.sh BUSYBOX OUT.cpio.gz
# The archive holds a static busybox, a data file generated here, and an /init script
# that prints a marker, `uname -a`, the md5 of the shipped file and of a file the guest
# generates itself, then powers off. No device nodes are needed in the archive (so no
# root is needed to build it): /init mounts devtmpfs and reopens the console.
# Prints the expected md5 lines (computed on the host) to stdout.
set -euo pipefail
bb=$1 out=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,tmp,data}
cp "$bb" "$work/bin/busybox"
# A deterministic data file (about 200 KB): the guest's md5sum must match the host's.
seq 1 10000 | sed 's/$/ mips-sim malta/' > "$work/data/blob"
cat > "$work/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
echo "MIPS-SIM-MARKER: userspace is up"
uname -a
md5sum /data/blob
yes "mips-sim generated line" | head -n 20000 > /tmp/gen
md5sum /tmp/gen
echo "MIPS-SIM-MARKER: done"
poweroff -f
INIT
chmod 755 "$work/init"
# Fixed timestamps and ordering: the same inputs give the same archive, byte for byte,
# so a boot is repeatable instruction for instruction.
find "$work" -exec touch -h -d @1704067200 {} +
(cd "$work" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible -R 0:0) |
    gzip -9 -n > "$out"
(cd "$work" && md5sum data/blob | sed 's| data/| /data/|')
# (busybox seq and awk compute in floating point, which this FPU-less CPU leaves to the
# kernel's slow FPU emulator: the guest generates its file with yes and head instead.)
(set +o pipefail; yes "mips-sim generated line" | head -n 20000) | md5sum | sed 's|-$|/tmp/gen|'
