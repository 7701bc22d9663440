#!/usr/bin/env bash
# guest/linux/build.sh - build a guest Linux kernel from Debian's linux-source-6.1.
#
#   build.sh VARIANT OUT     build VARIANT's vmlinux (if not cached) and copy it to OUT
#   build.sh --key VARIANT   print VARIANT's cache key and nothing else
#   build.sh --relink-check VARIANT
#                            relink VARIANT's cached build in a scratch copy and check
#                            that the result is byte for byte the cached vmlinux
#
# Variants (the table below): `disco`, the source with the patch series of
# guest-irix-patches/ applied (the file `series` lists the patches in order; it may list
# none), and `bare`, the same source without patches. Each takes tinyconfig with its
# fragment merged on top: config-disco.fragment (the DISCO_GUEST machine of the series)
# and config-malta.fragment (mips-sim's Malta board).
#
# Everything lives in the git-ignored cache/guest-kernel/ (or $GUEST_KERNEL_CACHE):
#   deb/            the pinned linux-source-6.1 .deb, fetched once with apt-get download
#   src/VER/        its tarball, unpacked once; src/VER-pHASH/ a copy with a series applied
#   KEY/            the kernel's O= build folder, KEY = source version, patch hash, config
#                   hash (fragment + this recipe's revision) and toolchain hash, so an
#                   unchanged tree is never configured or compiled again
#   KEY/.built      the stamp: written after a successful build, it holds KEY. When it is
#                   there the kernel's make is not even run; OUT is only refreshed.
# A lock serialises concurrent builds (make -j2 asks for both variants at once, and they
# share one folder while the series is empty).
#
# The build is reproducible: KBUILD_BUILD_{TIMESTAMP,USER,HOST,VERSION} are fixed, so the
# version banner (`uname -v`, /proc/version) is the same in every build of the same key.
# Linux mixes that banner into its random pool at boot: a banner that changed with each
# build (build number, date) changed every later random choice (address-space layout of
# each process...) and so the instruction count of an otherwise identical boot.
#
# Exit status: 0 done; 77 when the source package cannot be fetched (the reason is the
# last line printed); 1 when configuring or building fails (the log's tail is shown);
# 2 for a bad command line.
set -euo pipefail
shopt -s inherit_errexit   # a failure inside $(...) stops the script too
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${GUEST_KERNEL_CACHE:-$ROOT/cache/guest-kernel}
JOBS=${GUEST_KERNEL_JOBS:-2}

# The pinned source package: the bookworm-security candidate when this was written
# (bookworm main had 6.1.176-1). The checksum pins the exact bytes.
SRC_PKG=linux-source-6.1
SRC_VERSION=6.1.192-2
SRC_SHA256=ae95fe63d4c553f8d0e6c86cb1ab566f3894a43743eb19ab585cd97d82f26514
SRC_TARBALL=usr/src/linux-source-6.1.tar.xz

# Bump when the way a tree is configured or built changes (it is part of every key).
RECIPE=1
CROSS=mipsel-linux-gnu-
PATCH_DIR=$ROOT/guest-irix-patches

# Variant table: the config fragment and whether the patch series is applied.
declare -A FRAGMENT=([disco]=$ROOT/guest/linux/config-disco.fragment
                     [bare]=$ROOT/guest/linux/config-malta.fragment)
declare -A PATCHED=([disco]=yes [bare]=no)

# The banner of every build: fixed, so that builds of one key are identical.
export KBUILD_BUILD_TIMESTAMP="Mon Jan  1 00:00:00 UTC 2024"
export KBUILD_BUILD_USER=disco KBUILD_BUILD_HOST=disco-numa KBUILD_BUILD_VERSION=1
# The kernel's make must not inherit the calling make's jobserver, flags or variables.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS

say()   { echo "guest-kernel: $*" >&2; }
usage() {
    echo "usage: build.sh VARIANT OUT | --key VARIANT | --relink-check VARIANT" \
         "(VARIANT: ${!PATCHED[*]})" >&2
    exit 2
}
skip()  { echo "skip: $*" >&2; exit 77; }
die()   { echo "guest-kernel: error: $*" >&2; exit 1; }

# The patch files the series lists, in order (blank lines and # comments ignored).
series_patches() {
    local series=$PATCH_DIR/series
    [[ -f $series ]] || die "$series is missing (an empty series is a file with no patch names)"
    sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$series"
}

# Hash of the patches a variant applies: "none" when it applies none, so an empty series
# and the bare variant share one tree and one build.
patch_hash() {
    local variant=$1 p list
    [[ ${PATCHED[$variant]} == yes ]] || { echo none; return; }
    list=$(series_patches)
    [[ -n $list ]] || { echo none; return; }
    while read -r p; do
        [[ -f $PATCH_DIR/$p ]] || die "series lists $p, which is not in $PATCH_DIR"
        printf '%s\n' "$p"; cat "$PATCH_DIR/$p"
    done <<<"$list" | sha256sum | cut -c1-12
}

config_hash() {
    { echo "recipe $RECIPE"; cat "${FRAGMENT[$1]}"; } | sha256sum | cut -c1-12
}

toolchain_hash() {
    command -v "${CROSS}gcc" >/dev/null || die "${CROSS}gcc not found (run ./setup.sh)"
    { "${CROSS}gcc" --version | head -n 1; "${CROSS}ld" --version | head -n 1; } |
        sha256sum | cut -c1-8
}

cache_key() {
    local p c t      # assigned one by one: a failure inside $(...) then stops the script
    p=$(patch_hash "$1")
    c=$(config_hash "$1")
    t=$(toolchain_hash)
    echo "${SRC_VERSION}_p${p}_c${c}_t${t}"
}

# The pinned .deb in $CACHE/deb, fetched once and checked against its checksum.
fetch_source() {
    local deb=$CACHE/deb/${SRC_PKG}_${SRC_VERSION}_all.deb tmp
    if [[ ! -f $deb ]]; then
        command -v apt-get >/dev/null || skip "apt-get is not available to fetch $SRC_PKG"
        mkdir -p "$CACHE/deb"
        tmp=$(mktemp -d)
        chmod 777 "$tmp"          # apt's sandbox user downloads into it
        if ! (cd "$tmp" && apt-get download -q "$SRC_PKG=$SRC_VERSION" >&2); then
            rm -rf "$tmp"
            skip "apt-get download $SRC_PKG=$SRC_VERSION failed (no network, or the version left the archive: see SRC_VERSION in guest/linux/build.sh)"
        fi
        mv "$tmp"/*.deb "$deb.part"
        rm -rf "$tmp"
        mv "$deb.part" "$deb"
    fi
    echo "$SRC_SHA256  $deb" | sha256sum --quiet -c - >&2 ||
        die "$deb does not have the pinned checksum (delete it to fetch it again)"
    echo "$deb"
}

# The pristine tree, unpacked once into $CACHE/src/VER.
unpack_source() {
    local dir=$CACHE/src/$SRC_VERSION deb
    if [[ ! -f $dir/.unpacked ]]; then
        deb=$(fetch_source)
        say "unpacking $(basename "$deb")"
        rm -rf "$dir" "$dir.part"
        mkdir -p "$dir.part"
        dpkg-deb --fsys-tarfile "$deb" | tar -xO "./$SRC_TARBALL" |
            tar -xJ -C "$dir.part" --strip-components=1
        touch "$dir.part/.unpacked"
        mv "$dir.part" "$dir"
    fi
    echo "$dir"
}

# The tree a variant builds from: the pristine one, or a copy with the series applied.
variant_source() {
    local variant=$1 phash pristine dir p
    pristine=$(unpack_source)
    phash=$(patch_hash "$variant")
    [[ $phash != none ]] || { echo "$pristine"; return; }
    dir=$CACHE/src/$SRC_VERSION-p$phash
    if [[ ! -f $dir/.patched ]]; then
        rm -rf "$dir" "$dir.part"
        cp -a "$pristine" "$dir.part"
        while read -r p; do
            say "applying $p"
            patch -d "$dir.part" -p1 --batch --forward --quiet <"$PATCH_DIR/$p" >&2 ||
                die "patch $p does not apply to $SRC_PKG $SRC_VERSION"
        done < <(series_patches)
        touch "$dir.part/.patched"
        mv "$dir.part" "$dir"
    fi
    echo "$dir"
}

kmake() {   # kmake SRC OUT target...
    local src=$1 out=$2; shift 2
    make -C "$src" O="$out" ARCH=mips CROSS_COMPILE="$CROSS" -j"$JOBS" "$@" >>"$out/build.log" 2>&1 ||
        { tail -n 30 "$out/build.log" >&2; die "make $* failed (log: $out/build.log)"; }
}

# tinyconfig, the fragment merged on top, olddefconfig; then every fragment line must
# have survived (a misspelt or unsatisfiable option would otherwise vanish silently).
configure() {   # configure SRC OUT FRAGMENT
    local src=$1 out=$2 frag=$3 line name
    kmake "$src" "$out" tinyconfig
    (cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag") \
        >>"$out/build.log" 2>&1 || die "merge_config.sh failed (log: $out/build.log)"
    kmake "$src" "$out" olddefconfig
    while read -r line; do
        if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)= ]]; then
            grep -qxF "$line" "$out/.config" || die "$frag: $line did not survive olddefconfig"
        elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set ]]; then
            name=${BASH_REMATCH[1]}
            ! grep -q "^$name=" "$out/.config" || die "$frag: $name is still set"
        fi
    done <"$frag"
}

build() {   # build VARIANT OUT
    local variant=$1 dest=$2 key dir src start
    key=$(cache_key "$variant")
    dir=$CACHE/$key
    mkdir -p "$CACHE"
    exec 9>"$CACHE/.lock"
    flock 9
    if [[ $(cat "$dir/.built" 2>/dev/null) != "$key" || ! -f $dir/vmlinux ]]; then
        src=$(variant_source "$variant")
        mkdir -p "$dir"
        start=$SECONDS
        if [[ ! -f $dir/.configured ]]; then
            : >"$dir/build.log"
            configure "$src" "$dir" "${FRAGMENT[$variant]}"
            touch "$dir/.configured"
        fi
        say "building $variant kernel $key (make -j$JOBS vmlinux; log: $dir/build.log)"
        kmake "$src" "$dir" vmlinux
        echo "$key" >"$dir/.built"
        say "built $variant in $((SECONDS - start)) s"
    fi
    mkdir -p "$(dirname "$dest")"
    if ! cmp -s "$dir/vmlinux" "$dest"; then
        cp "$dir/vmlinux" "$dest.part"
        mv "$dest.part" "$dest"
    else
        touch "$dest"           # newer than its inputs: make need not ask again
    fi
}

# The kernel's version banner in a vmlinux (awk reads to the end: no SIGPIPE for strings).
banner() { strings -n 20 "$1" | awk '/^Linux version / && !n++'; }

# A relink in a scratch copy of the build folder must give the same vmlinux: what the
# kernel's link step adds (build number, date, user, host) must not vary.
relink_check() {   # relink_check VARIANT
    local variant=$1 key dir src tmp
    key=$(cache_key "$variant")
    dir=$CACHE/$key
    [[ $(cat "$dir/.built" 2>/dev/null) == "$key" ]] || die "$variant is not built (key $key)"
    exec 9>"$CACHE/.lock"
    flock 9
    src=$(variant_source "$variant")
    RELINK_DIR=$(mktemp -d "$CACHE/relink.XXXXXX")
    trap 'rm -rf "$RELINK_DIR"' EXIT      # also when the relink fails
    tmp=$RELINK_DIR
    cp -a "$dir/." "$tmp/"
    rm -f "$tmp/vmlinux"
    : >"$tmp/build.log"
    kmake "$src" "$tmp" vmlinux
    if ! cmp -s "$dir/vmlinux" "$tmp/vmlinux"; then
        say "a relink of $key gave a different vmlinux:"
        echo "  built:    $(banner "$dir/vmlinux")" >&2
        echo "  relinked: $(banner "$tmp/vmlinux")" >&2
        exit 1
    fi
    say "relinked $key: identical vmlinux"
}

[[ $# -eq 2 ]] || usage
case $1 in
    --key)          [[ -n ${PATCHED[$2]+x} ]] || usage; cache_key "$2" ;;
    --relink-check) [[ -n ${PATCHED[$2]+x} ]] || usage; relink_check "$2" ;;
    *)              [[ -n ${PATCHED[$1]+x} ]] || usage; build "$1" "$2" ;;
esac
