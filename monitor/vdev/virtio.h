/*
 * monitor/vdev/virtio.h - the virtio-mmio transport (virtio 1.x, version 2 registers)
 * and the queue helpers a virtio device uses.
 *
 * The transport owns the register file and the split virtqueues (descriptor table,
 * driver/"avail" ring, device/"used" ring, all in guest-physical memory, reached
 * through the VM's pmap); a device (struct virtio_dev_ops) supplies its ID, features,
 * configuration space and what to do when the driver notifies a queue. The interrupt
 * is level-triggered on virtual line ABI_IRQ_DEV of vCPU 0 while the InterruptStatus of
 * any of the VM's transports is nonzero (vm->dev_irq has one bit per transport).
 *
 * Invariants: a queue is used only when ready, with num a power of two <= VIRTQ_MAX;
 * every index read from guest memory is checked against num and every chain is at
 * most num descriptors long, so a wild driver gets DEVICE_NEEDS_RESET, never a crash.
 */
#ifndef MONITOR_VDEV_VIRTIO_H
#define MONITOR_VDEV_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;
struct vcpu;
struct pcpu;
struct virtio_mmio;

#define VIRTQ_MAX 256u
#define VIRTIO_MAX_QUEUES 2
#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};

struct virtio_dev_ops {
    uint32_t device_id;
    uint32_t nqueues;
    uint64_t features;
    uint32_t (*config_read)(struct virtio_mmio *t, uint32_t off);
    void (*notify)(struct virtio_mmio *t, struct pcpu *p, unsigned queue);
};

/* A transport at device slot `slot` (ABI_DEV_*: its bit on the VM's shared IP2 line) for
 * a device whose own state is ctx (virtio_ctx). */
struct virtio_mmio *virtio_mmio_create(struct vm *vm, const struct virtio_dev_ops *dev,
                                       unsigned slot, void *ctx);
void virtio_mmio_destroy(struct virtio_mmio *t);
uint32_t virtio_mmio_read(struct pcpu *p, struct vcpu *v, void *t, uint32_t off, int size);
void virtio_mmio_write(struct pcpu *p, struct vcpu *v, void *t, uint32_t off, int size,
                       uint32_t val);
struct vm *virtio_vm(const struct virtio_mmio *t);
void *virtio_ctx(const struct virtio_mmio *t);

/* The next available chain of queue q: 1 and its head, 0 if none, -1 if broken. */
int virtq_next(struct virtio_mmio *t, struct pcpu *p, unsigned q, uint16_t *head);
/* Descriptor idx of queue q: 0, or -1 (and the device needs a reset). */
int virtq_desc_read(struct virtio_mmio *t, struct pcpu *p, unsigned q, uint16_t idx,
                    struct virtq_desc *d);
/* Return chain head to the driver with len bytes written; raises the interrupt. */
void virtq_done(struct virtio_mmio *t, struct pcpu *p, unsigned q, uint16_t head, uint32_t len);
/* The driver broke the protocol: stop using the device until it resets it. */
void virtio_fail(struct virtio_mmio *t);

#endif
