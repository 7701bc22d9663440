/*
 * monitor/vdev/vdev.h - virtual devices. Each device is one file and one entry of
 * vdev_table[] (vdev.c) with an init/exit pair run for every VM; a device with MMIO
 * registers also names its guest-physical window (below 512 MB, reached by the guest
 * through kseg1, one trapped access each: see trap.c).
 *
 * Invariants: vm->dev_state[i] belongs to vdev_table[i]; exit undoes init and runs
 * only for devices whose init succeeded; MMIO windows do not overlap.
 */
#ifndef MONITOR_VDEV_VDEV_H
#define MONITOR_VDEV_VDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mips-sim/hook.h"

struct vm;
struct vcpu;
struct pcpu;

struct vdev_ops {
    const char *name;
    int (*init)(struct vm *vm, int slot, char *err, size_t errlen);
    void (*exit)(struct vm *vm, int slot);
    uint32_t mmio_base;         /* guest-physical window, 0: none */
    uint32_t mmio_size;
    uint32_t (*read)(struct pcpu *p, struct vcpu *v, void *state, uint32_t off, int size);
    void (*write)(struct pcpu *p, struct vcpu *v, void *state, uint32_t off, int size,
                  uint32_t val);
};

int vdev_init_vm(struct vm *vm, char *err, size_t errlen);
void vdev_exit_vm(struct vm *vm);

/* The state of device ops of vm (NULL: none, or the VM's devices are down). */
void *vdev_state(const struct vm *vm, const struct vdev_ops *ops);

/* A supervisor load/store to kseg1 at e->badvaddr: emulate it if a device lives there. */
bool vdev_mmio(struct pcpu *p, struct vcpu *v, const cpu_exception *e);

/* console.c */
extern const struct vdev_ops vdev_console;
void vdev_console_write(struct vm *vm, const uint8_t *buf, size_t len);

/* ipi.c */
extern const struct vdev_ops vdev_ipi;
void vdev_ipi_send(struct pcpu *p, struct vcpu *target);

/* virtio_console.c (on virtio_mmio.c) */
extern const struct vdev_ops vdev_virtio_console;

/* virtio_blk.c (on virtio_mmio.c): the VM's disk= image, writes to a private overlay */
extern const struct vdev_ops vdev_virtio_blk;
struct vblk_stats {
    uint64_t requests, reads, writes, flushes, ids, unsupported, errors;
    uint64_t bytes_read, bytes_written;
    uint64_t pages_shared;      /* whole pages mapped from the disk cache copy-on-write */
    uint64_t chunks_copied;     /* pieces (at most a page) copied instead */
    uint64_t overlay_pages;     /* pages of the image this VM has written (private) */
};
/* The VM's disk statistics and image, or NULL when it has no disk. */
const struct vblk_stats *vdev_vblk_stats(const struct vm *vm);
struct disk_image *vdev_vblk_disk(const struct vm *vm);

/* timer.c */
extern const struct vdev_ops vdev_timer;

#endif
