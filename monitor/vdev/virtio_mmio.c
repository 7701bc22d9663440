/*
 * virtio_mmio.c - the virtio-mmio transport (see virtio.h): the version 2 register
 * file at the device's kseg1 window, feature negotiation, queue setup, notifications,
 * the used ring and the interrupt.
 */
#include <stdlib.h>
#include <string.h>

#include "monitor/internal.h"
#include "monitor/vdev/vdev.h"
#include "monitor/vdev/virtio.h"

#define VIRTIO_MAGIC 0x74726976u         /* "virt" */
#define VIRTIO_MMIO_VERSION 2u
#define VIRTIO_VENDOR 0x4f435344u        /* "DSCO" */
#define ST_NEEDS_RESET 0x40u
#define INT_USED 1u

enum {
    R_MAGIC = 0x000, R_VERSION = 0x004, R_DEVICE_ID = 0x008, R_VENDOR = 0x00c,
    R_DEV_FEATURES = 0x010, R_DEV_FEATURES_SEL = 0x014, R_DRV_FEATURES = 0x020,
    R_DRV_FEATURES_SEL = 0x024, R_QUEUE_SEL = 0x030, R_QUEUE_NUM_MAX = 0x034,
    R_QUEUE_NUM = 0x038, R_QUEUE_READY = 0x044, R_QUEUE_NOTIFY = 0x050,
    R_INT_STATUS = 0x060, R_INT_ACK = 0x064, R_STATUS = 0x070,
    R_QUEUE_DESC_LO = 0x080, R_QUEUE_DESC_HI = 0x084, R_QUEUE_AVAIL_LO = 0x090,
    R_QUEUE_AVAIL_HI = 0x094, R_QUEUE_USED_LO = 0x0a0, R_QUEUE_USED_HI = 0x0a4,
    R_CONFIG_GEN = 0x0fc, R_CONFIG = 0x100,
};

struct virtq {
    uint32_t num, ready;
    uint64_t desc, avail, used;
    uint16_t last_avail, used_idx;
};

struct virtio_mmio {
    struct vm *vm;
    uint32_t irq_bit;           /* this transport's bit in vm->dev_irq */
    void *ctx;                  /* the device's own state */
    const struct virtio_dev_ops *dev;
    uint32_t status, dev_features_sel, drv_features_sel, queue_sel, int_status;
    uint64_t drv_features;
    struct virtq q[VIRTIO_MAX_QUEUES];
};

struct virtio_mmio *virtio_mmio_create(struct vm *vm, const struct virtio_dev_ops *dev,
                                       unsigned slot, void *ctx)
{
    struct virtio_mmio *t = calloc(1, sizeof *t);
    if (t) {
        t->vm = vm;
        t->dev = dev;
        t->irq_bit = 1u << slot;
        t->ctx = ctx;
    }
    return t;
}

void virtio_mmio_destroy(struct virtio_mmio *t)
{
    free(t);
}

struct vm *virtio_vm(const struct virtio_mmio *t)
{
    return t->vm;
}

void *virtio_ctx(const struct virtio_mmio *t)
{
    return t->ctx;
}

static void virtio_reset(struct virtio_mmio *t)
{
    t->status = t->dev_features_sel = t->drv_features_sel = t->queue_sel = 0;
    t->int_status = 0;
    t->drv_features = 0;
    memset(t->q, 0, sizeof t->q);
}

static void virtio_update_irq(struct virtio_mmio *t, struct pcpu *p)
{
    struct vcpu *v0 = t->vm->vcpus[0];
    if (t->int_status)
        t->vm->dev_irq |= t->irq_bit;
    else
        t->vm->dev_irq &= ~t->irq_bit;
    if (t->vm->dev_irq) {
        vcpu_raise(v0, ABI_IRQ_DEV);
        if (v0->state == VCPU_RUNNING && v0->on && v0->on != p)
            cpu_send_ipi(p->c, v0->on->id);
        else if (v0->state == VCPU_BLOCKED)
            sched_wake(p, v0);
    } else {
        v0->pending &= ~(1u << ABI_IRQ_DEV);
    }
}

void virtio_fail(struct virtio_mmio *t)
{
    t->status |= ST_NEEDS_RESET;
}

static struct virtq *virtio_queue(struct virtio_mmio *t)
{
    return t->queue_sel < t->dev->nqueues ? &t->q[t->queue_sel] : NULL;
}

static uint32_t virtio_queue_reg(struct virtio_mmio *t, uint32_t off)
{
    struct virtq *q = virtio_queue(t);
    if (!q)
        return 0;
    switch (off) {
    case R_QUEUE_NUM_MAX: return VIRTQ_MAX;
    case R_QUEUE_READY: return q->ready;
    default: return 0;
    }
}

uint32_t virtio_mmio_read(struct pcpu *p, struct vcpu *v, void *st, uint32_t off, int size)
{
    (void)p; (void)v;
    struct virtio_mmio *t = st;
    if (off >= R_CONFIG)
        return t->dev->config_read ? t->dev->config_read(t, off - R_CONFIG) : 0;
    if (size != 4)
        return 0;                         /* registers are 32-bit */
    switch (off) {
    case R_MAGIC: return VIRTIO_MAGIC;
    case R_VERSION: return VIRTIO_MMIO_VERSION;
    case R_DEVICE_ID: return t->dev->device_id;
    case R_VENDOR: return VIRTIO_VENDOR;
    case R_DEV_FEATURES:
        return t->dev_features_sel < 2 ? (uint32_t)(t->dev->features >> (32 * t->dev_features_sel)) : 0;
    case R_QUEUE_NUM_MAX: case R_QUEUE_READY: return virtio_queue_reg(t, off);
    case R_INT_STATUS: return t->int_status;
    case R_STATUS: return t->status;
    case R_CONFIG_GEN: return 0;
    default: return 0;
    }
}

static void virtio_set_addr(uint64_t *a, bool high, uint32_t val)
{
    *a = high ? ((*a & 0xffffffffu) | ((uint64_t)val << 32)) : ((*a & ~0xffffffffull) | val);
}

static void virtio_queue_write(struct virtio_mmio *t, uint32_t off, uint32_t val)
{
    struct virtq *q = virtio_queue(t);
    if (!q)
        return;
    switch (off) {
    case R_QUEUE_NUM:
        q->num = val && val <= VIRTQ_MAX && !(val & (val - 1)) ? val : 0;
        break;
    case R_QUEUE_READY: q->ready = (val & 1) && q->num; break;
    case R_QUEUE_DESC_LO: case R_QUEUE_DESC_HI: virtio_set_addr(&q->desc, off == R_QUEUE_DESC_HI, val); break;
    case R_QUEUE_AVAIL_LO: case R_QUEUE_AVAIL_HI: virtio_set_addr(&q->avail, off == R_QUEUE_AVAIL_HI, val); break;
    case R_QUEUE_USED_LO: case R_QUEUE_USED_HI: virtio_set_addr(&q->used, off == R_QUEUE_USED_HI, val); break;
    default: break;
    }
}

void virtio_mmio_write(struct pcpu *p, struct vcpu *v, void *st, uint32_t off, int size,
                       uint32_t val)
{
    (void)v;
    struct virtio_mmio *t = st;
    if (size != 4 || off >= R_CONFIG)
        return;                           /* configuration spaces are read-only */
    switch (off) {
    case R_DEV_FEATURES_SEL: t->dev_features_sel = val; break;
    case R_DRV_FEATURES_SEL: t->drv_features_sel = val; break;
    case R_DRV_FEATURES:
        if (t->drv_features_sel < 2)
            virtio_set_addr(&t->drv_features, t->drv_features_sel == 1, val & (uint32_t)(t->dev->features >> (32 * t->drv_features_sel)));
        break;
    case R_QUEUE_SEL: t->queue_sel = val; break;
    case R_QUEUE_NOTIFY:
        if (val < t->dev->nqueues && t->q[val].ready && !(t->status & ST_NEEDS_RESET))
            t->dev->notify(t, p, val);
        break;
    case R_INT_ACK:
        t->int_status &= ~val;
        virtio_update_irq(t, p);
        break;
    case R_STATUS:
        if (val == 0)
            virtio_reset(t);
        else
            t->status = val | (t->status & ST_NEEDS_RESET);
        virtio_update_irq(t, p);
        break;
    default: virtio_queue_write(t, off, val); break;
    }
}

/* ---- queues ---------------------------------------------------------------------------- */

static int vq_read16(struct virtio_mmio *t, struct pcpu *p, uint64_t gpa, uint16_t *v)
{
    if (vm_read_gpa(t->vm, p, gpa, v, sizeof *v)) {
        virtio_fail(t);
        return -1;
    }
    return 0;
}

int virtq_next(struct virtio_mmio *t, struct pcpu *p, unsigned qn, uint16_t *head)
{
    struct virtq *q = &t->q[qn];
    uint16_t idx;
    if (vq_read16(t, p, q->avail + 2, &idx))
        return -1;
    if (idx == q->last_avail)
        return 0;
    if (vq_read16(t, p, q->avail + 4 + 2u * (q->last_avail % q->num), head))
        return -1;
    if (*head >= q->num) {
        virtio_fail(t);
        return -1;
    }
    q->last_avail++;
    return 1;
}

int virtq_desc_read(struct virtio_mmio *t, struct pcpu *p, unsigned qn, uint16_t idx,
                    struct virtq_desc *d)
{
    struct virtq *q = &t->q[qn];
    if (idx >= q->num || vm_read_gpa(t->vm, p, q->desc + 16u * idx, d, sizeof *d)) {
        virtio_fail(t);
        return -1;
    }
    return 0;
}

void virtq_done(struct virtio_mmio *t, struct pcpu *p, unsigned qn, uint16_t head, uint32_t len)
{
    struct virtq *q = &t->q[qn];
    uint32_t elem[2] = { head, len };
    uint16_t idx = (uint16_t)(q->used_idx + 1);
    if (vm_write_gpa(t->vm, p, q->used + 4 + 8u * (q->used_idx % q->num), elem, sizeof elem) ||
        vm_write_gpa(t->vm, p, q->used + 2, &idx, sizeof idx)) {
        virtio_fail(t);
        return;
    }
    q->used_idx = idx;
    t->int_status |= INT_USED;
    virtio_update_irq(t, p);
}
