# The guest's root disk (guest/rootfs/README.md): build/guest/rootfs.img, an ext4 image
# of Debian mipsel packages pinned in guest/rootfs/packages.lock. build.sh caches it in
# cache/rootfs/ and is a no-op when nothing it is made from changed, so the target is
# always run. Not part of `make all`: the first build downloads ~55 MB of packages.
.PHONY: guest-rootfs guest-rootfs-lock
guest-rootfs:
	guest/rootfs/build.sh $(BUILD)/guest/rootfs.img

# Re-pins packages.lock from packages.txt against the current package lists.
guest-rootfs-lock:
	guest/rootfs/lock.sh
