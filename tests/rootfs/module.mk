# The guest root image: built (or taken from the cache), checked, its workloads run under qemu-user.
INTEGRATION_TESTS += tests/rootfs/rootfs.sh tests/rootfs/disco-run.sh
