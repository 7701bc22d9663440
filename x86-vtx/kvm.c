/* kvm.c - /dev/kvm system handle, VM file descriptors and memory slots. */
#include "x86-vtx/kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define KVM_VTX_CPUID_MAX 256

int kvm_sys_open(struct kvm_sys *sys, const char *path)
{
    memset(sys, 0, sizeof(*sys));
    sys->fd = open(path, O_RDWR | O_CLOEXEC);
    if (sys->fd < 0)
        return -errno;
    int err;
    sys->api_version = ioctl(sys->fd, KVM_GET_API_VERSION, 0);
    if (sys->api_version != KVM_API_VERSION) {
        err = -ENOTSUP;
        goto fail;
    }
    sys->run_size = ioctl(sys->fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (sys->run_size < (int)sizeof(struct kvm_run)) {
        err = -EINVAL;
        goto fail;
    }
    sys->cap_dirty_log_ring = ioctl(sys->fd, KVM_CHECK_EXTENSION, KVM_CAP_DIRTY_LOG_RING) > 0
        || ioctl(sys->fd, KVM_CHECK_EXTENSION, KVM_CAP_DIRTY_LOG_RING_ACQ_REL) > 0;
    sys->cap_readonly_mem = ioctl(sys->fd, KVM_CHECK_EXTENSION, KVM_CAP_READONLY_MEM) > 0;
    sys->max_vcpus = ioctl(sys->fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
    sys->nr_memslots = ioctl(sys->fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS);
    if (sys->nr_memslots > 0 && sys->nr_memslots < KVM_VTX_MAX_SLOTS) {
        err = -ENOTSUP;
        goto fail;
    }
    sys->cpuid = calloc(1, sizeof(*sys->cpuid) +
                           KVM_VTX_CPUID_MAX * sizeof(struct kvm_cpuid_entry2));
    if (!sys->cpuid) {
        err = -ENOMEM;
        goto fail;
    }
    sys->cpuid->nent = KVM_VTX_CPUID_MAX;
    if (ioctl(sys->fd, KVM_GET_SUPPORTED_CPUID, sys->cpuid) < 0) {
        err = -errno;
        goto fail;
    }
    return 0;
fail:
    kvm_sys_close(sys);
    return err;
}

void kvm_sys_close(struct kvm_sys *sys)
{
    if (sys->fd >= 0)
        close(sys->fd);
    free(sys->cpuid);
    sys->cpuid = NULL;
    sys->fd = -1;
}

int kvm_vm_create(const struct kvm_sys *sys, struct kvm_vmfd *vm)
{
    memset(vm, 0, sizeof(*vm));
    vm->fd = ioctl(sys->fd, KVM_CREATE_VM, 0);
    if (vm->fd < 0) {
        int err = -errno;
        vm->fd = -1;
        return err;
    }
    return 0;
}

void kvm_vm_close(struct kvm_vmfd *vm)
{
    if (vm->fd >= 0)
        close(vm->fd);
    vm->fd = -1;
}

int kvm_vm_set_slot(struct kvm_vmfd *vm, unsigned slot, uint64_t gpa, void *hva,
                    uint64_t size, uint32_t flags)
{
    if (slot >= KVM_VTX_MAX_SLOTS || size == 0 || (gpa & 4095) || (size & 4095) ||
        ((uintptr_t)hva & 4095))
        return -EINVAL;
    for (unsigned i = 0; i < KVM_VTX_MAX_SLOTS; i++) {
        const struct kvm_vm_slot *s = &vm->slot[i];
        if (i != slot && s->used && gpa < s->gpa + s->size && s->gpa < gpa + size)
            return -EEXIST;
    }
    struct kvm_userspace_memory_region r = {
        .slot = slot, .flags = flags, .guest_phys_addr = gpa,
        .memory_size = size, .userspace_addr = (uintptr_t)hva,
    };
    if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
        return -errno;
    vm->slot[slot] = (struct kvm_vm_slot){ true, gpa, size, hva, flags };
    return 0;
}

int kvm_vm_get_dirty_log(struct kvm_vmfd *vm, unsigned slot, uint64_t *bitmap)
{
    if (slot >= KVM_VTX_MAX_SLOTS || !vm->slot[slot].used)
        return -EINVAL;
    if (!(vm->slot[slot].flags & KVM_MEM_LOG_DIRTY_PAGES))
        return -EINVAL;
    struct kvm_dirty_log log = { .slot = slot, .dirty_bitmap = bitmap };
    if (ioctl(vm->fd, KVM_GET_DIRTY_LOG, &log) < 0)
        return -errno;
    return 0;
}
