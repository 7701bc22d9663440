#!/usr/bin/env bash
# The guest's root image (guest/rootfs/README.md), checked without a kernel:
#   1. make guest-rootfs (a no-op when cached; skips when the mirror cannot be reached);
#   2. e2fsck -fn, and debugfs finds the workloads' programs, init, the busybox
#      links and the device nodes in the image, which is under the size limit;
#   3. the image's files are copied out with debugfs rdump (so what runs is what is in
#      the image) and every workload runs under qemu-mipsel with the image's own
#      programs and libraries; each result must be the committed one
#      (/workloads/expected.txt), and the busybox applet list must match the binary.
# ROOTFS_SCALE (default 1) scales the workloads; only scale 1 has committed results.
# ROOTFS_WORKLOADS picks workloads (default: all four).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
IMG=build/guest/rootfs.img
SCALE=${ROOTFS_SCALE:-1}
WORKLOADS=${ROOTFS_WORKLOADS:-pmake db verilog raytrace}
MAX_MB=400
# shellcheck source=tests/rootfs/shims.sh
. tests/rootfs/shims.sh

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "skip: $*"; exit 77; }
for t in e2fsck debugfs qemu-mipsel; do
    command -v "$t" >/dev/null || skip "$t is not installed (./setup.sh installs it)"
done

rc=0
guest/rootfs/build.sh "$IMG" || rc=$?
[[ $rc -eq 77 ]] && skip "cannot build the root image: the package mirror is not reachable"
[[ $rc -eq 0 ]] || fail "guest/rootfs/build.sh exited $rc"

# --- 2. the image as a file system --------------------------------------------------
e2fsck -fn "$IMG" >/tmp/rootfs-fsck.$$ 2>&1 || { cat /tmp/rootfs-fsck.$$; rm -f /tmp/rootfs-fsck.$$; fail "e2fsck -fn found errors"; }
rm -f /tmp/rootfs-fsck.$$
mb=$(( $(stat -c %s "$IMG") / 1048576 ))
[[ $mb -lt $MAX_MB ]] || fail "image is $mb MB (limit $MAX_MB)"
ls_of() { debugfs -R "ls -l $1" "$IMG" 2>/dev/null; }
usr_bin=$(ls_of /usr/bin)
for p in make gcc-12 gcc sqlite3 iverilog vvp povray md5sum; do
    grep -qE " $p\$" <<<"$usr_bin" || fail "/usr/bin/$p is not in the image"
done
grep -qE '^ *[0-9]+ +100755 .* init$' <<<"$(ls_of /sbin)" || fail "/sbin/init is missing or not executable"
grep -qE '^ *[0-9]+ +120777 .* sh$' <<<"$(ls_of /bin)" || fail "/bin/sh is not a symlink"
grep -qE '^ *[0-9]+ +20600 .* console$' <<<"$(ls_of /dev)" || fail "/dev/console is not a character device"
for f in /etc/passwd /etc/group /etc/hostname /etc/fstab /workloads/run.sh /lib/ld.so.1; do
    debugfs -R "stat $f" "$IMG" 2>/dev/null | grep -q '^Inode:' || fail "$f is not in the image"
done
owners=$(debugfs -R "ls -l /usr/bin" "$IMG" 2>/dev/null | awk 'NF > 6 && ($4 != 0 || $5 != 0)' | head -3)
[[ -z "$owners" ]] || fail "files not owned by root: $owners"
echo "image: $mb MB, e2fsck clean, programs, init, links and devices present"

# --- 3. the workloads under qemu-user ------------------------------------------------
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
t0=$EPOCHREALTIME
debugfs -R "rdump / $tmp" "$IMG" >/dev/null 2>&1
tree=$(cd "$tmp" && pwd)
[[ -x "$tree/bin/busybox" ]] || fail "rdump of the image gave no /bin/busybox"
shims_make "$tree" "$tmp/shims"
read -r -a run <<<"$(shims_env "$tmp/shims")"
echo "image copied out and shims made in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')s"

applets=$("${run[@]}" busybox --list-full) || fail "the image's busybox does not run under qemu-mipsel"
applets=$(LC_ALL=C sort <<<"$applets")
diff <(grep -v '^#' guest/rootfs/busybox-applets.txt) <(echo "$applets") >/dev/null ||
    fail "guest/rootfs/busybox-applets.txt does not match the image's busybox --list-full"

for s in sbin/init workloads/run.sh; do
    "${run[@]}" sh -n "$tree/$s" || fail "/$s: the image's shell finds a syntax error"
done
"${run[@]}" sh "$tree/workloads/run.sh" nosuch >/dev/null 2>&1 && fail "run.sh accepted an unknown workload"

bad=0
for w in $WORKLOADS; do
    start=$EPOCHREALTIME
    out=$("${run[@]}" WORKDIR="$tmp/work-$w" jobs=2 sh "$tree/workloads/run.sh" "$w" "$SCALE" 2>"$tmp/$w.err") || true
    secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
    line=$(grep '^result ' <<<"$out" | tail -n 1 || true)
    echo "$w (${secs}s): ${line:-no result line}"
    case "$line" in
        *" ok") ;;
        *" unchecked") [[ $SCALE -ne 1 ]] || { echo "  no committed result for $w"; bad=1; } ;;
        *) tail -n 15 "$tmp/$w.err" | sed 's/^/  | /'; bad=1 ;;
    esac
done
[[ $bad -eq 0 ]] || fail "a workload's result is missing or wrong"
if [[ $SCALE -eq 1 ]]; then echo "all workloads gave their committed results under qemu-mipsel"
else echo "all workloads ran at scale $SCALE under qemu-mipsel (no committed results to check)"; fi
