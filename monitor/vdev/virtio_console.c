/*
 * virtio_console.c - a virtio console (device ID 3) on the virtio-mmio transport at
 * the first device window (ABI_DEV_BASE). Queue 0 (receive) never gets input; queue 1
 * (transmit) goes to the VM's console like the console monitor calls. The config space
 * reports an 80x25 console with one port.
 */
#include "monitor/internal.h"
#include "monitor/vdev/vdev.h"
#include "monitor/vdev/virtio.h"

#define VIRTIO_ID_CONSOLE 3u
#define TXQ 1u
#define CHUNK 256u

/* A chain is used only once it is known to end within the queue's size: a looping or
 * wild chain puts the device in DEVICE_NEEDS_RESET without any output. */
static bool vcons_chain_ok(struct virtio_mmio *t, struct pcpu *p, uint16_t head)
{
    uint16_t idx = head;
    for (unsigned n = 0; n < VIRTQ_MAX; n++) {
        struct virtq_desc d;
        if (virtq_desc_read(t, p, TXQ, idx, &d))
            return false;
        if (!(d.flags & VIRTQ_DESC_F_NEXT))
            return true;
        idx = d.next;
    }
    virtio_fail(t);
    return false;
}

/* Copy one chain's readable buffers to the console and return it. */
static void vcons_transmit(struct virtio_mmio *t, struct pcpu *p, uint16_t head)
{
    struct vm *vm = virtio_vm(t);
    struct virtq_desc d = { .flags = VIRTQ_DESC_F_NEXT, .next = head };
    if (!vcons_chain_ok(t, p, head))
        return;
    while (d.flags & VIRTQ_DESC_F_NEXT) {
        if (virtq_desc_read(t, p, TXQ, d.next, &d))
            return;
        for (uint32_t off = 0; !(d.flags & VIRTQ_DESC_F_WRITE) && off < d.len; off += CHUNK) {
            uint8_t buf[CHUNK];
            uint32_t len = d.len - off < CHUNK ? d.len - off : CHUNK;
            if (vm_read_gpa(vm, p, d.addr + off, buf, len)) {
                virtio_fail(t);
                return;
            }
            vdev_console_write(vm, buf, len);
        }
    }
    virtq_done(t, p, TXQ, head, 0);
}

static void vcons_notify(struct virtio_mmio *t, struct pcpu *p, unsigned queue)
{
    uint16_t head;
    if (queue != TXQ)
        return;
    for (unsigned n = 0; n < VIRTQ_MAX && virtq_next(t, p, TXQ, &head) == 1; n++)
        vcons_transmit(t, p, head);
}

static uint32_t vcons_config(struct virtio_mmio *t, uint32_t off)
{
    (void)t;
    switch (off) {
    case 0: return 80u | (25u << 16);       /* cols, rows */
    case 4: return 1;                       /* max_nr_ports */
    default: return 0;
    }
}

static const struct virtio_dev_ops vcons_ops = {
    .device_id = VIRTIO_ID_CONSOLE,
    .nqueues = 2,
    .features = VIRTIO_F_VERSION_1,
    .config_read = vcons_config,
    .notify = vcons_notify,
};

static int vcons_init(struct vm *vm, int slot, char *err, size_t errlen)
{
    vm->dev_state[slot] = virtio_mmio_create(vm, &vcons_ops, ABI_DEV_VIRTIO_CONSOLE, NULL);
    if (!vm->dev_state[slot]) {
        snprintf(err, errlen, "vm %s: out of memory for its virtio console", vm->name);
        return -1;
    }
    return 0;
}

static void vcons_exit(struct vm *vm, int slot)
{
    virtio_mmio_destroy(vm->dev_state[slot]);
    vm->dev_state[slot] = NULL;
}

const struct vdev_ops vdev_virtio_console = {
    .name = "virtio-console",
    .init = vcons_init,
    .exit = vcons_exit,
    .mmio_base = ABI_DEV_BASE,
    .mmio_size = ABI_DEV_STRIDE,
    .read = virtio_mmio_read,
    .write = virtio_mmio_write,
};
