#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine (run as root, or with sudo available).
# Installs only the Debian packages that are missing; prints nothing when all are present.
set -euo pipefail

PKGS=(gcc make pkg-config gcc-mipsel-linux-gnu binutils-mipsel-linux-gnu
      libcmocka-dev libhwloc-dev libnuma-dev hwloc cpio
      flex bison bc xz-utils patch   # the guest kernel (guest/linux/build.sh)
      e2fsprogs                      # the guest root image (guest/rootfs/build.sh)
      qemu-system-x86                # tests/x86-vtx/numa-vm.sh: real KVM and 2 nodes in a VM
      qemu-user)   # qemu-mipsel: the FPU differential test and the root image's checks
# Extra packages for benchmarks only: ./setup.sh --bench
if [[ "${1:-}" == "--bench" ]]; then
    PKGS+=(qemu-system-mips gnuplot-nox)   # side-by-side runs; bench/numa-policies.sh plots
fi

SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"

# The guest's root image (make guest-rootfs) is built from Debian mipsel packages: the
# architecture must be known to dpkg and its package lists fetched. Not fatal: without
# a reachable mirror the image cannot be built and its test skips.
if ! dpkg --print-foreign-architectures | grep -qx mipsel; then
    $SUDO dpkg --add-architecture mipsel
fi
if ! ls /var/lib/apt/lists/*_binary-mipsel_Packages* >/dev/null 2>&1; then
    echo "setup: fetching the mipsel package lists" >&2
    $SUDO apt-get update -qq >&2 || echo "setup: apt-get update failed (no mirror?)" >&2
fi

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "setup: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
