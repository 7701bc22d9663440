#!/usr/bin/env bash
# Integration test: the patched guest kernel (guest-irix-patches/ up to 0005) boots
# under disco from an ext4 root disk on the monitor's virtio-blk device (slot 1,
# `disk=`), with no initramfs, and its busybox /sbin/init's output reaches disco's
# console through the hvc console (patch 0005). Checks:
#   - the kernel found the disk (virtio_blk: vda) and mounted it as / (ext4, read-only);
#   - /sbin/init ran from the disk: its markers, in order, on the console;
#   - the md5 of a file read from the disk is the host's, and so is the md5 of a file
#     the guest wrote to the disk after remounting it read-write (read back after
#     dropping the page cache, so it comes through the device);
#   - no keep_bootcon: the printk lines after the hvc console took over are there once.
# The image is built here with mke2fs -d (no root, no loop mount).
# Exit 0 pass, 77 skip (no kernel source package, no mke2fs, or a disco without disk=).
set -uo pipefail
source "$(dirname "$0")/disco-lib.sh"

"$DISCO" --help 2>&1 | grep -q 'disk=' || skip "this disco has no virtio-blk (disk=)"
command -v mke2fs >/dev/null || skip "mke2fs is not installed (e2fsprogs)"
disco_need_kernel
disco_need_initrd "$WORK/initrd.gz"       # fetches busybox; the initramfs is not used
bb=$(sed -n 2p <<<"$("$ROOT/tests/linux/fetch.sh")")

tree=$WORK/tree
mkdir -p "$tree"/{bin,sbin,dev,proc,sys,tmp,data}
cp "$bb" "$tree/bin/busybox"
seq 1 10000 | sed 's/$/ disco virtio-blk/' >"$tree/data/blob"
cat >"$tree/sbin/init" <<'INIT'
#!/bin/busybox sh
b=/bin/busybox
$b mount -t devtmpfs devtmpfs /dev
$b mount -t proc proc /proc
echo "DISCO-DISK: init runs from the disk"
$b grep ' / ' /proc/mounts
$b md5sum /data/blob
$b mount -o remount,rw /
$b yes "written by the guest through virtio-blk" | $b head -n 30000 >/data/gen
$b sync
echo 3 >/proc/sys/vm/drop_caches
$b md5sum /data/gen
echo "DISCO-DISK: done"
$b poweroff -f
INIT
chmod 755 "$tree/sbin/init"
find "$tree" -exec touch -h -d @1704067200 {} +
mke2fs -q -t ext4 -b 4096 -E root_owner=0:0 -d "$tree" "$WORK/root.img" 16M >/dev/null ||
    fail "mke2fs could not build the image"
want_blob=$(md5sum <"$tree/data/blob" | cut -d' ' -f1)
want_gen=$( (set +o pipefail; yes "written by the guest through virtio-blk" | head -n 30000) | md5sum | cut -d' ' -f1)

disco_run disk --vm "name=linux,kernel=$KERNEL,mem=64M,disk=$WORK/root.img,cmdline=root=/dev/vda ro rootfstype=ext4"
out=$WORK/disk.out
line=0
for m in "^linux: virtio_blk virtio[0-9]+: \[vda\]" \
         "^linux: EXT4-fs \(vda\): mounted filesystem" \
         "^linux: Run /sbin/init as init process" \
         "^linux: DISCO-DISK: init runs from the disk\$" \
         "^linux: /dev/root / ext4 ro[, ]" \
         "^linux: $want_blob  /data/blob\$" \
         "^linux: $want_gen  /data/gen\$" \
         "^linux: DISCO-DISK: done\$"; do
    n=$(grep -nE -m1 -- "$m" "$out" | cut -d: -f1)
    [[ -n $n ]] || { tail -n 30 "$out"; fail "the console lacks: $m"; }
    (( n > line )) || fail "out of order: $m"
    line=$n
done
[[ $(grep -c "Run /sbin/init as init process" "$out") -eq 1 ]] ||
    fail "a printk line appears twice (two consoles at once?)"
echo "ok: ext4 root on virtio-blk, /sbin/init's output on the hvc console, disk read and write md5s match"
