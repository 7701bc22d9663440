#!/usr/bin/env bash
# Builds build/guest/rootfs.img, the ext4 root image of Debian mipsel software
# (guest/rootfs/README.md), without root privileges or loop mounts:
#   1. the .debs pinned in packages.lock are downloaded into cache/rootfs/debs/ (only the
#      missing ones; each is checked against the lock's SHA-256);
#   2. each is unpacked with dpkg-deb -x into a tree; docs, man pages and locales go;
#   3. overlay/ (init, /etc basics, the workloads) is copied on top and the busybox
#      applet links are made for every applet no package provides;
#   4. mke2fs -d turns the tree into the image, debugfs adds the device nodes.
# The image is cached in cache/rootfs/ under a key hashed from the lock, this script,
# the applet list and overlay/: an unchanged key rebuilds in well under a second
# (nothing is downloaded, unpacked or copied when build/ already holds that image).
#
# Exit status: 0 built or up to date; 2 bad lock, pinned version gone from the mirror,
# or a failed step; 77 the mirror or its package lists cannot be reached (tests skip).
#   guest/rootfs/build.sh [OUTPUT.img]       (default build/guest/rootfs.img)
# Run unprivileged, it runs mke2fs under fakeroot, so the files are root's in the image.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$ROOT/build/guest/rootfs.img
[[ $# -gt 0 ]] && OUT=$1
CACHE=${ROOTFS_CACHE:-$ROOT/cache/rootfs}
LOCK=$HERE/packages.lock
APPLETS=$HERE/busybox-applets.txt
# Bump when unpack_packages changes what it makes (its cache is keyed on this).
UNPACK_VERSION=1
# Every file in the image gets this time, so the same inputs give the same image.
EPOCH=1700000000
# Free room in the file system beyond its contents, for the workloads' outputs.
FREE_MB=64
# Directories of documentation and translations nothing in the image reads.
TRIM_DIRS=(usr/share/doc usr/share/man usr/share/info usr/share/locale usr/share/lintian
           usr/share/bug usr/share/bash-completion usr/share/gdb usr/share/menu)
# Large programs nothing runs: GCC's LTO dumper (24 MB).
TRIM_FILES=(usr/bin/mipsel-linux-gnu-lto-dump-12 usr/bin/lto-dump-12)

die()  { echo "rootfs: $*" >&2; exit 2; }
skip() { echo "rootfs: $*" >&2; exit 77; }
log()  { echo "rootfs: $*" >&2; }

# key: hash of everything the image is made from.
key() {
    {
        sha256sum "$LOCK" "$APPLETS" "$HERE/build.sh"
        tar -C "$HERE" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
            --mode=go-w -cf - overlay | sha256sum
    } | sed "s|$HERE/||" | sha256sum | cut -c1-16
}

# read_lock: sets LOCK_LINES to the lock's "name version sha256" lines, checked for form.
read_lock() {
    [[ -r "$LOCK" ]] || die "missing $LOCK (make it with guest/rootfs/lock.sh)"
    LOCK_LINES=$(awk '/^#/ || NF == 0 { next }
         NF != 3 || length($3) != 64 || $3 !~ /^[0-9a-f]+$/ { print NR ": " $0; exit 2 }
         { print }' "$LOCK") || die "malformed line in $LOCK: $LOCK_LINES"
    [[ -n "$LOCK_LINES" ]] || die "$LOCK lists no packages"
}
lock_entries() { echo "$LOCK_LINES"; }

deb_path() { echo "$CACHE/debs/${1}_${2//:/%3a}.deb"; }

# fetch_missing: downloads every locked .deb that is not in the cache yet.
fetch_missing() {
    local name ver sum missing=() f tmp err
    while read -r name ver sum; do
        f=$(deb_path "$name" "$ver")
        [[ -f "$f" ]] || missing+=("$name=$ver")
    done < <(lock_entries)
    [[ ${#missing[@]} -eq 0 ]] && return 0
    command -v apt-get >/dev/null || skip "apt-get is not available to download the .debs"
    # shellcheck source=guest/rootfs/apt.sh
    . "$HERE/apt.sh"
    rootfs_have_lists || skip "no mipsel package lists (run ./setup.sh; is the mirror reachable?)"
    log "downloading ${#missing[@]} packages"
    mkdir -p "$CACHE/debs"
    tmp=$(mktemp -d "$CACHE/debs/partial.XXXXXX")
    chmod 777 "$tmp"   # apt's download sandbox user writes here
    if ! err=$(cd "$tmp" && rootfs_apt_get download -q "${missing[@]}" 2>&1 >/dev/null); then
        rm -rf "$tmp"
        gone=$(sed -n "s/.*Version '\([^']*\)' for '\([^']*\)' was not found.*/\2 \1/p" <<<"$err")
        [[ -n "$gone" ]] && die "pinned version no longer on the mirror: ${gone//$'\n'/, }" \
                                "(re-pin with guest/rootfs/lock.sh)"
        skip "download failed (mirror unreachable?): $(grep -m1 -E '^(E|W):' <<<"$err")"
    fi
    for f in "$tmp"/*.deb; do
        name=$(dpkg-deb -f "$f" Package); ver=$(dpkg-deb -f "$f" Version)
        mv "$f" "$(deb_path "$name" "$ver")"
    done
    rm -rf "$tmp"
}

# verify_debs: every cached .deb has the lock's SHA-256 (a bad one is deleted).
verify_debs() {
    local name ver sum
    while read -r name ver sum; do
        echo "$sum  $(deb_path "$name" "$ver")"
    done < <(lock_entries) | sha256sum --quiet -c - >/dev/null 2>&1 && return 0
    while read -r name ver sum; do
        f=$(deb_path "$name" "$ver")
        [[ $(sha256sum <"$f" | cut -d' ' -f1) == "$sum" ]] || { rm -f "$f"; die "$name $ver: .deb does not match the lock's SHA-256 (deleted; run again)"; }
    done < <(lock_entries)
}

# applet_links TREE: a relative symlink to bin/busybox for each applet no package ships.
# (String operations, not dirname/sed: forks are what a loop of 270 would cost.)
applet_links() {
    local tree=$1 path dir up
    while read -r path; do
        [[ $path == \#* || -e "$tree/$path" || -L "$tree/$path" ]] && continue
        up=""
        if [[ $path == */* ]]; then
            dir=${path%/*}
            [[ -d "$tree/$dir" ]] || mkdir -p "$tree/$dir"
            up=${dir//[^\/]/}; up=${up//\//../}../
        fi
        ln -s "${up}bin/busybox" "$tree/$path"
    done <"$APPLETS"
}

# unpack_packages: $CACHE/packages holds the locked packages unpacked and trimmed; it is
# redone only when the lock, the trim lists or UNPACK_VERSION changed (its own key), so
# an overlay or script edit does not unpack again.
unpack_packages() {
    local dir=$CACHE/packages k name ver sum
    k=$( { cat "$LOCK"; echo "$UNPACK_VERSION $EPOCH ${TRIM_DIRS[*]} ${TRIM_FILES[*]}"; } |
        sha256sum | cut -c1-16)
    [[ -d "$dir" && -f "$dir.key" && $(cat "$dir.key") == "$k" ]] && return 0
    rm -rf "$dir" "$dir.key" "$dir.tmp"
    fetch_missing
    verify_debs
    log "unpacking $(lock_entries | wc -l) packages"
    mkdir -p "$dir.tmp"
    while read -r name ver sum; do
        dpkg-deb -x "$(deb_path "$name" "$ver")" "$dir.tmp"
    done < <(lock_entries)
    for d in "${TRIM_DIRS[@]}" "${TRIM_FILES[@]}"; do rm -rf "${dir:?}.tmp/$d"; done
    find "$dir.tmp" -exec touch -h -d "@$EPOCH" {} +
    mv "$dir.tmp" "$dir"
    echo "$k" >"$dir.key"
}

# assemble TREE: the root file system's tree: the unpacked packages (hard links, so
# this is quick), overlay/ on top,
# the mount points and the busybox applet links.
assemble() {
    local tree=$1
    rm -rf "$tree"
    cp -al "$CACHE/packages" "$tree"
    # tar, not cp: it replaces a linked file instead of writing through it, and the
    # modes are made the same whatever the checkout's umask (as the key sees them).
    tar -C "$HERE/overlay" --owner=0 --group=0 --numeric-owner --mode=go-w -cf - . |
        tar -C "$tree" -xf -
    mkdir -p "$tree"/{dev,proc,sys,tmp,root,mnt,run,var/tmp}
    chmod 1777 "$tree/tmp" "$tree/var/tmp"
    rm -f "$tree/etc/rootfs-packages"
    grep -v '^#' "$LOCK" >"$tree/etc/rootfs-packages"
    applet_links "$tree"
    find "$tree" -exec touch -h -d "@$EPOCH" {} +
}

# make_image TREE IMG KEY: ext4 (4 KB blocks, no journal) holding TREE, owned by root.
make_image() {
    local tree=$1 img=$2 key=$3 kb as_root=()
    kb=$(du -sk "$tree" | cut -f1)
    # Room for metadata (inode tables, directories) plus the free space.
    kb=$(( (kb * 115 / 100 + FREE_MB * 1024 + 4095) / 4096 * 4096 ))
    rm -f "$img"
    if [[ $(id -u) -ne 0 ]]; then
        command -v fakeroot >/dev/null || die "not root, and fakeroot is not installed"
        as_root=(fakeroot --)
    fi
    E2FSPROGS_FAKE_TIME=$EPOCH "${as_root[@]}" mke2fs -q -F -t ext4 -b 4096 -O ^has_journal -L rootfs \
        -U "$(uuid_of "$key")" -E "root_owner=0:0,hash_seed=$(uuid_of "$key")" \
        -d "$tree" "$img" "${kb}k" >/dev/null || die "mke2fs failed"
    # Device nodes need no root privilege when debugfs writes them into the image.
    E2FSPROGS_FAKE_TIME=$EPOCH debugfs -w "$img" -f - >/dev/null 2>&1 <<'EOF' || die "debugfs failed"
cd /dev
mknod console c 5 1
sif console mode 020600
mknod null c 1 3
sif null mode 020666
mknod ttyS0 c 4 64
sif ttyS0 mode 020660
EOF
    fix_ctimes "$img"
}

# fix_ctimes IMG: mke2fs -d copies each file's change time, which no one can set on
# the tree, and its access time, which reading a directory sets, so the image would
# differ from build to build; give every inode EPOCH for both.
# mke2fs -d allocates inodes in order: the used ones are 2 (root) and 11 on.
fix_ctimes() {
    local img=$1 total free i
    total=$(dumpe2fs -h "$img" 2>/dev/null | sed -n 's/^Inode count: *//p')
    free=$(dumpe2fs -h "$img" 2>/dev/null | sed -n 's/^Free inodes: *//p')
    {
        for i in 2 $(seq 11 $((total - free))); do
            echo "sif <$i> ctime @$EPOCH"; echo "sif <$i> atime @$EPOCH"
        done
    } | E2FSPROGS_FAKE_TIME=$EPOCH debugfs -w "$img" -f - >/dev/null 2>&1 ||
        die "debugfs could not set the change times"
}

uuid_of() { echo "$1" | sha256sum | sed -E 's/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/\1-\2-\3-\4-\5/'; }

main() {
    local k img stamp
    k=$(key)
    img=$CACHE/rootfs.img; stamp=$CACHE/rootfs.key
    if [[ -f "$OUT" && -f "$OUT.key" && $(cat "$OUT.key") == "$k" ]]; then
        log "$OUT is up to date (key $k)"; return 0
    fi
    mkdir -p "$CACHE" "$(dirname "$OUT")"
    if [[ ! -f "$img" || ! -f "$stamp" || $(cat "$stamp") != "$k" ]]; then
        rm -f "$stamp"
        read_lock
        unpack_packages
        assemble "$CACHE/tree"
        make_image "$CACHE/tree" "$img.tmp" "$k"
        mv "$img.tmp" "$img"
        echo "$k" >"$stamp"
        rm -rf "$CACHE/tree"
    fi
    cp --sparse=always "$img" "$OUT.tmp" && mv "$OUT.tmp" "$OUT"
    echo "$k" >"$OUT.key"
    log "$OUT: $(( $(stat -c %s "$OUT") / 1048576 )) MB, key $k"
}
main
