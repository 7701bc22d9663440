#!/usr/bin/env bash
# disco-linux-disk.sh - Linux guests boot from the shared root image (virtio-blk, issue
# 14): one VM, then 8 VMs x 1 vCPU on 4 nodes sharing one build/guest/rootfs.img. Each
# runs a busybox workload through run= (the image's /sbin/disco-run) whose output is
# checked: the md5 of files read from the disk against the host's md5 of the same files
# in the image (debugfs), a file written and read back (the VM's overlay), and its exit
# status. Then the sharing: the memmap counts machine pages of the image mapped by 2+
# guest pages, the image file is unchanged.
#
# Needs a guest kernel with the virtio-mmio, virtio-blk, virtio-console and ext4 drivers
# (KERNEL, default build/guest/vmlinux); skips (77) with one line saying so otherwise,
# and when the image cannot be built. LINUX_DISK_TIMEOUT (default 600 s) bounds a run;
# LINUX_DISK_VMS (default "1 8") the VM counts.
cd "$(dirname "$0")/../.." && source tests/monitor/lib.sh
KERNEL=${KERNEL:-build/guest/vmlinux}
IMG=${IMG:-build/guest/rootfs.img}
LIMIT=${LINUX_DISK_TIMEOUT:-600}
# The devices as the disco machine has them (monitor/abi.h): slot 0 the console, slot 1
# the disk, both on IP2 (Linux's CPU interrupt 2). noinit_itable: ext4 would otherwise
# zero the image's unused inode tables from a kernel thread on a read-write mount, 16 MB
# of writes into every VM's overlay.
CMDLINE="console=hvc0 root=/dev/vda rw rootwait rootflags=noinit_itable virtio_mmio.device=4K@0x1f000000:2 virtio_mmio.device=4K@0x1f001000:2"
FILES="/bin/busybox /usr/bin/make /etc/passwd"

skip() { echo "skip: $*"; exit 77; }
[[ -f $KERNEL ]] || skip "no guest kernel $KERNEL (make guest-kernel)"
for drv in virtio_blk virtio_mmio virtio_console ext4; do
    grep -qa "$drv" "$KERNEL" || skip "$KERNEL has no $drv driver yet (issue 14, the guest side)"
done
if [[ ! -f $IMG ]]; then
    guest/rootfs/build.sh "$IMG" >"$TMP/rootfs.log" 2>&1
    rc=$?
    [[ $rc -eq 77 ]] && skip "$(tail -n 1 "$TMP/rootfs.log")"
    [[ $rc -eq 0 ]] || { tail -n 5 "$TMP/rootfs.log"; fail "cannot build $IMG"; finish; exit 1; }
fi
md5_before=$(md5sum <"$IMG")

# What the guests must print: the md5 of each file, as the host reads it in the image.
for f in $FILES; do
    debugfs -R "dump -p $f $TMP/file" "$IMG" >/dev/null 2>&1 || fail "debugfs cannot dump $f"
    echo "$(md5sum <"$TMP/file" | cut -d' ' -f1)  $f"
done >"$TMP/want"
echo "overlay: written by the guest" >>"$TMP/want"
WORK="md5sum $FILES; echo written by the guest >/root/note; sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; echo overlay: \$(cat /root/note); exit 3"

run() {   # run N: N VMs x 1 vCPU, VM i on node i mod 4
    local n=$1 args=() i
    for ((i = 0; i < n; i++)); do
        args+=(--vm "name=v$i,kernel=$KERNEL,mem=64M,node=$((i % 4)),disk=$IMG,cmdline=\"$CMDLINE\",run=\"$WORK\"")
    done
    expect_rc 0 "$n VM(s) boot Linux from the shared image" timeout "$LIMIT" $DISCO --nodes 4 \
        --cpus-per-node 2 --mem-per-node 120M --stats "$TMP/$n.json" "${args[@]}"
    for ((i = 0; i < n; i++)); do
        sed -n "s/^v$i: //p" "$TMP/out" | grep -E '^[0-9a-f]{32}  /|^overlay: ' >"$TMP/got$i"
        if diff -u "$TMP/want" "$TMP/got$i" >"$TMP/diff"; then pass "vm v$i: the files' md5 and its own write"
        else fail "vm v$i: output differs"; cat "$TMP/diff"; fi
        expect_out "vm v$i: the workload's status" "^v$i: init: exit status 3\$"
    done
    python3 -c "
import json; s = json.load(open('$TMP/$n.json')); d = s['disks'][0]
print(d['shared_frames'], d['cached_frames'], s['memory']['guest_pages_mapped'], s['memory']['machine_frames'])" >"$TMP/share"
    read -r shared cached virt mach <"$TMP/share"
    echo "   $n VM(s): $cached image pages cached, $shared shared by 2+ guest pages; guest pages $virt, machine frames $mach"
    if [[ $n -gt 1 ]]; then
        [[ $shared -gt 100 ]] && pass "$n VMs share machine pages of the image ($shared)" ||
            fail "$n VMs share only $shared machine pages"
    fi
}
for n in ${LINUX_DISK_VMS:-1 8}; do run "$n"; done
[[ $(md5sum <"$IMG") == "$md5_before" ]] && pass "the image file is unchanged" || fail "the image file changed"
finish
