#!/usr/bin/env bash
# Fetch Debian's stock mipsel Malta kernel and static busybox into the git-ignored cache
# (cache/linux/ by default, or $LINUX_CACHE) and unpack them. Idempotent: a second run
# does nothing when the files are there.
#
# Prints the two paths, one per line: the kernel (vmlinuz) and busybox.
# Exit 0 on success, 77 (skip) with a reason as the last line when the packages cannot
# be fetched (no network, no apt, not allowed to add the foreign architecture).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${LINUX_CACHE:-$ROOT/cache/linux}
mkdir -p "$CACHE"
cd "$CACHE"

skip() { echo "$*" >&2; echo "$*"; exit 77; }

have_debs() { ls linux-image-*-4kc-malta_*_mipsel.deb >/dev/null 2>&1 &&
              ls busybox-static_*_mipsel.deb >/dev/null 2>&1; }

if ! have_debs; then
    command -v apt-get >/dev/null || skip "skip: apt-get not available to fetch the mipsel kernel"
    SUDO=""
    [[ $(id -u) -ne 0 ]] && SUDO="sudo -n"
    if ! dpkg --print-foreign-architectures | grep -qx mipsel; then
        $SUDO dpkg --add-architecture mipsel || skip "skip: cannot add the mipsel architecture"
        $SUDO apt-get update -qq || skip "skip: apt-get update failed"
    fi
    # The ABI number in the package name changes with kernel updates: take the newest.
    pkg=$(apt-cache search --names-only '^linux-image-[0-9.]+-[0-9]+-4kc-malta$' |
          awk '{print $1}' | sort -V | tail -n 1)
    if [[ -z "$pkg" ]]; then
        $SUDO apt-get update -qq || skip "skip: apt-get update failed"
        pkg=$(apt-cache search --names-only '^linux-image-[0-9.]+-[0-9]+-4kc-malta$' |
              awk '{print $1}' | sort -V | tail -n 1)
    fi
    [[ -n "$pkg" ]] || skip "skip: no linux-image-*-4kc-malta package known to apt"
    # apt's sandbox user may not write here; download to a temp dir it can write to.
    tmp=$(mktemp -d)
    chmod 777 "$tmp"
    (cd "$tmp" && apt-get download -q "$pkg:mipsel" busybox-static:mipsel >&2) ||
        { rm -rf "$tmp"; skip "skip: apt-get download of $pkg failed (no network?)"; }
    mv "$tmp"/*.deb .
    rm -rf "$tmp"
fi

if [[ ! -d unpacked/boot ]] || [[ ! -x unpacked/bin/busybox ]]; then
    rm -rf unpacked
    mkdir unpacked
    for d in linux-image-*-4kc-malta_*_mipsel.deb busybox-static_*_mipsel.deb; do
        dpkg-deb -x "$d" unpacked
    done
fi
kernel=$(ls unpacked/boot/vmlinuz-*-4kc-malta | sort -V | tail -n 1)
echo "$CACHE/$kernel"
echo "$CACHE/unpacked/bin/busybox"
