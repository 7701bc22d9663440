/* kvm.h - thin, explicit wrapper over the KVM ioctl API (/dev/kvm).
 *
 * Data structures:
 *   struct kvm_sys  one open /dev/kvm: its fd, the size of the per-vCPU kvm_run
 *                   mapping, the host-supported CPUID table and the capabilities this
 *                   VMM cares about. Opened once per process, shared read-only by all VMs.
 *   struct kvm_vmfd one KVM virtual machine: its fd and which memory slots are in use.
 *
 * Invariants:
 *   - kvm_sys.fd >= 0 and run_size >= sizeof(struct kvm_run) after kvm_sys_open()
 *     returned 0; nothing else in x86-vtx opens /dev/kvm.
 *   - a memory slot is registered with a page-aligned guest-physical address, a
 *     page-aligned host address and a size that is a non-zero multiple of the page size;
 *     slots of one VM never overlap (KVM enforces it, we check first).
 *   - every function returns 0 or a negative errno; none prints or exits.
 */
#ifndef X86_VTX_KVM_H
#define X86_VTX_KVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KVM_VTX_MAX_SLOTS 8

struct kvm_cpuid2;

struct kvm_sys {
    int fd;
    int run_size;               /* bytes to mmap per vCPU fd */
    int api_version;
    bool cap_dirty_log_ring;    /* KVM_CAP_DIRTY_LOG_RING(_ACQ_REL) */
    bool cap_readonly_mem;
    int max_vcpus;
    int nr_memslots;
    struct kvm_cpuid2 *cpuid;   /* KVM_GET_SUPPORTED_CPUID, owned */
};

struct kvm_vm_slot {
    bool used;
    uint64_t gpa, size;
    void *hva;
    uint32_t flags;             /* KVM_MEM_* */
};

struct kvm_vmfd {
    int fd;
    struct kvm_vm_slot slot[KVM_VTX_MAX_SLOTS];
};

/* Open the KVM device at path (normally "/dev/kvm"). */
int kvm_sys_open(struct kvm_sys *sys, const char *path);
void kvm_sys_close(struct kvm_sys *sys);

int kvm_vm_create(const struct kvm_sys *sys, struct kvm_vmfd *vm);
void kvm_vm_close(struct kvm_vmfd *vm);

/* Register (or replace) memory slot `slot`. flags: KVM_MEM_LOG_DIRTY_PAGES etc. */
int kvm_vm_set_slot(struct kvm_vmfd *vm, unsigned slot, uint64_t gpa, void *hva,
                    uint64_t size, uint32_t flags);

/* Fetch and clear the dirty bitmap of a slot (one bit per 4 KiB page, little-endian
 * 64-bit words). bitmap must hold (size/4096 + 63)/64 words. */
int kvm_vm_get_dirty_log(struct kvm_vmfd *vm, unsigned slot, uint64_t *bitmap);

#endif
