# guest/linux: the guest kernels, built from Debian's linux-source-6.1 by build.sh into
# the git-ignored cache/guest-kernel/ (see build.sh for the cache key and the stamp).
#   build/guest/vmlinux       the source with guest-irix-patches/series applied (Disco guest)
#   build/guest/vmlinux-bare  the same source without the series
# Both are rebuilt only when their inputs change: the fragment, the series and its
# patches, build.sh itself. The first build takes ~12 min on 2 cores; an unchanged key
# only copies the cached vmlinux.
GUEST_KERNEL_FRAGMENT := guest/linux/config-malta.fragment
GUEST_KERNEL_FRAGMENT_DISCO := guest/linux/config-disco.fragment
GUEST_KERNEL_SERIES   := guest-irix-patches/series \
    $(addprefix guest-irix-patches/,$(shell sed -e 's/\#.*//' guest-irix-patches/series 2>/dev/null))
GUEST_VMLINUX      := $(BUILD)/guest/vmlinux
GUEST_VMLINUX_BARE := $(BUILD)/guest/vmlinux-bare

# `make guest-kernel` (and so `make test` and `make run`) builds the Disco guest only: a
# from-scratch kernel build is the longest step of a CI run, and CI does it once. The
# bare kernel, the baseline of overhead figures, is built on demand.
.PHONY: guest-kernel guest-kernel-bare
guest-kernel: $(GUEST_VMLINUX)
guest-kernel-bare: $(GUEST_VMLINUX_BARE)

# GUEST_KERNEL_OPTIONAL (set by `make test`): a source package that cannot be fetched
# (build.sh exits 77) is not an error; the tests that need the kernel then skip.
guest_kernel_build = guest/linux/build.sh $(1) $@ || \
    { rc=$$?; [ $$rc -eq 77 ] && [ -n "$(GUEST_KERNEL_OPTIONAL)" ]; }

$(GUEST_VMLINUX): guest/linux/build.sh $(GUEST_KERNEL_FRAGMENT_DISCO) $(GUEST_KERNEL_SERIES)
	@$(call guest_kernel_build,disco)

$(GUEST_VMLINUX_BARE): guest/linux/build.sh $(GUEST_KERNEL_FRAGMENT)
	@$(call guest_kernel_build,bare)
