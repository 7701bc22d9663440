#!/usr/bin/env bash
# disco-disk.sh - virtio-blk in whole runs: two VMs on two nodes boot the vblk test guest
# from one shared image and must read exactly the image's bytes (sums computed here on
# the host), keep their own stores and disk writes private, share the machine pages the
# memmap reports (--stats), and leave the image file untouched; run= reaches the guest's
# command line; bad disk images and bad run= values are one error line and exit 2.
cd "$(dirname "$0")/../.." && source tests/monitor/lib.sh
K=$G/vblk.elf
IMG=$TMP/disk.img
PAGES=64

# The image (deterministic bytes) and every figure the guests must print.
python3 - "$IMG" "$PAGES" >"$TMP/want" <<'EOF'
import struct, sys
path, pages = sys.argv[1], int(sys.argv[2])
x, out = 12345, bytearray()
for i in range(pages * 4096):
    x = (x * 1103515245 + 12345) & 0x7fffffff
    out.append((x >> 16) & 0xff)
open(path, "wb").write(out)
def s(b):                      # the guest's sum, printed as a signed 32-bit long
    v = 0
    for (w,) in struct.iter_unpack("<I", bytes(b)):
        v = (v * 31 + w) & 0xffffffff
    return v - (1 << 32) if v >= 1 << 31 else v
for i in range(8):
    print("sum %d" % s(out[i * 4096:(i + 1) * 4096]))
p2 = bytearray(out[2 * 4096:3 * 4096]); p2[100] ^= 0xff
print("changed %d" % s(p2))
print("piece %d" % s(out[3 * 512:5 * 512]))
EOF
md5_before=$(md5sum <"$IMG")

expect_rc 0 "two VMs on one image" $DISCO --nodes 2 --stats "$TMP/stats.json" \
    --vm "name=a,kernel=$K,mem=1M,node=0,disk=$IMG,cmdline=\"k=v, x\",run=\"echo a, b\"" \
    --vm "name=b,kernel=$K,mem=1M,node=1,disk=$IMG"
for vm in a b; do
    grep "^$vm: " "$TMP/out" | sed "s/^$vm: //" >"$TMP/$vm.out"
    grep -E '^(sum|changed|piece) ' "$TMP/$vm.out" >"$TMP/$vm.sums"
    if diff -u "$TMP/want" "$TMP/$vm.sums" >"$TMP/diff"; then pass "vm $vm read the image's bytes"
    else fail "vm $vm: sums differ from the image's"; cat "$TMP/diff"; fi
    if grep -q FAIL "$TMP/$vm.out"; then fail "vm $vm: $(grep FAIL "$TMP/$vm.out")"; fi
done
expect_out "run= on the command line, quoted, after cmdline=" '^a: cmdline: k=v, x disco.run="echo a, b"$'
expect_out "no run=, no command line" '^b: cmdline: $'
# Each VM wrote its own sector into page 9 and read it back from its overlay: the same
# sum in both (the same bytes), different from the image's page 9.
ov_a=$(grep '^overlay ' "$TMP/a.out"); ov_b=$(grep '^overlay ' "$TMP/b.out")
img9=$(python3 -c "
import struct,sys; b=open('$IMG','rb').read()[9*4096:10*4096]; v=0
for (w,) in struct.iter_unpack('<I', b): v=(v*31+w)&0xffffffff
print('overlay %d' % (v - (1 << 32) if v >= 1 << 31 else v))")
if [[ -n $ov_a && $ov_a == "$ov_b" && $ov_a != "$img9" ]]; then pass "writes read back from the private overlay"
else fail "overlay sums: a '$ov_a' b '$ov_b' image '$img9'"; fi
[[ $(md5sum <"$IMG") == "$md5_before" ]] && pass "the image file is unchanged" || fail "the image file changed"

# The memmap's view: 8 pages cached; both VMs map 7 of them (each broke page 2 by a store).
python3 - "$TMP/stats.json" >"$TMP/check" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
d = s["disks"][0]
print("cached_frames=%d sharing_pages=%d shared_frames=%d saved_pages=%d" %
      (d["cached_frames"], d["sharing_pages"], d["shared_frames"], d["saved_pages"]))
for vm in s["vms"]:
    k = vm["disk"]
    print("%s pages_shared=%d overlay_pages=%d errors=%d" % (vm["name"], k["pages_shared"], k["overlay_pages"], k["errors"]))
m = s["memory"]
print("disk_cache_frames=%d overlay_pages=%d" % (m["disk_cache_frames"], m["overlay_pages"]))
EOF
cat >"$TMP/check.want" <<'EOF'
cached_frames=8 sharing_pages=14 shared_frames=7 saved_pages=7
a pages_shared=8 overlay_pages=1 errors=1
b pages_shared=8 overlay_pages=1 errors=1
disk_cache_frames=8 overlay_pages=2
EOF
if diff -u "$TMP/check.want" "$TMP/check"; then pass "shared pages counted from the memmap"
else fail "--stats disk figures differ"; fi
expect_err "summary line of the image" "disco: disk .*: 8 pages cached, 14 guest pages map them, 7 machine pages shared"

# The same run again: the same consoles and statistics, bit for bit.
cp "$TMP/out" "$TMP/out.1"
expect_rc 0 "the same run again" $DISCO --nodes 2 --stats "$TMP/stats2.json" \
    --vm "name=a,kernel=$K,mem=1M,node=0,disk=$IMG,cmdline=\"k=v, x\",run=\"echo a, b\"" \
    --vm "name=b,kernel=$K,mem=1M,node=1,disk=$IMG"
if cmp -s "$TMP/out" "$TMP/out.1" && cmp -s "$TMP/stats.json" "$TMP/stats2.json"; then pass "deterministic"
else fail "a second run differs"; fi

# A VM without disk= finds no device at slot 1 (device ID 0), and nothing hangs: its six
# disk checks fail (the exit status counts them).
expect_rc 6 "no disk: slot 1 has no device" $DISCO --vm "name=n,kernel=$K,mem=1M"
expect_out "device ID 0" '^n: FAIL block device got 0'

# Bad disks and bad run= values: one line, exit 2, before anything runs.
bad() {
    local name=$1; shift
    $DISCO "$@" >"$TMP/out" 2>"$TMP/err"
    local rc=$? lines
    lines=$(wc -l <"$TMP/err")
    if [[ $rc -eq 2 && $lines -eq 1 && ! -s $TMP/out ]] && grep -q '^disco: ' "$TMP/err"; then pass "$name: $(cat "$TMP/err")"
    else fail "$name: exit $rc, $lines stderr lines: $(head -3 "$TMP/err")"; fi
}
: >"$TMP/empty.img"
head -c 1000 "$IMG" >"$TMP/odd.img"
bad "missing image" --vm "kernel=$K,disk=$TMP/nosuch.img"
bad "image is a directory" --vm "kernel=$K,disk=$TMP"
bad "empty image" --vm "kernel=$K,disk=$TMP/empty.img"
bad "image not a multiple of 512 bytes" --vm "kernel=$K,disk=$TMP/odd.img"
bad "second VM's image bad" --vm "kernel=$K,disk=$IMG" --vm "name=x,kernel=$K,disk=$TMP/odd.img"
if [[ $(id -u) -ne 0 ]]; then
    cp "$IMG" "$TMP/locked.img" && chmod 000 "$TMP/locked.img"
    bad "unreadable image" --vm "kernel=$K,disk=$TMP/locked.img"
fi
bad "run= with a double quote" --vm "kernel=$K,run=echo \"hi\""
bad "run= with a control character" --vm "kernel=$K,run=$(printf 'a\tb')"
bad "unterminated quoted value" --vm "kernel=$K,run=\"echo"
bad "quoted value followed by junk" --vm "kernel=$K,run=\"echo\"x,mem=1M"
finish
