# shellcheck shell=bash
# Sourced by lock.sh and build.sh: apt-get and apt-cache as a mipsel-only system with
# nothing installed. The host's package lists are used as they are (setup.sh adds the
# mipsel architecture and fetches its lists); every other setting is overridden so
# that nothing on the host changes and no root privilege is needed:
#   - mipsel is the only architecture, so Architecture: all packages are "native" and
#     a dependency is never satisfied by a host (amd64) package;
#   - the dpkg status file is empty, so the resolver computes the full closure;
#   - no package is treated as Essential, so the closure is only what the roots need;
#   - the binary caches are not written (they would go under /var/cache/apt).
ROOTFS_ARCH=mipsel
ROOTFS_STATUS=$(mktemp)
trap 'rm -f "$ROOTFS_STATUS"' EXIT
ROOTFS_APT_OPTS=(
    -o "APT::Architecture=$ROOTFS_ARCH" -o "APT::Architectures::=$ROOTFS_ARCH"
    -o "Dir::State::status=$ROOTFS_STATUS" -o pkgCacheGen::Essential=none
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o Debug::NoLocking=1
    -o APT::Get::Show-Versions=0 -o Acquire::Retries=2
)

rootfs_apt_get()   { apt-get "${ROOTFS_APT_OPTS[@]}" "$@"; }
rootfs_apt_cache() { apt-cache "${ROOTFS_APT_OPTS[@]}" "$@"; }

# rootfs_have_lists: true when the host's package lists know mipsel packages.
rootfs_have_lists() {
    [[ -n "$(rootfs_apt_cache madison busybox-static 2>/dev/null)" ]]
}
