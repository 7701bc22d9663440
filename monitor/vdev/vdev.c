/* vdev.c - the device table, per-VM init/exit, and MMIO dispatch for kseg1 accesses. */
#include "monitor/vdev/vdev.h"

#include "mips-sim/cpu/decode.h"
#include "monitor/internal.h"

static const struct vdev_ops *const vdev_table[] = {
    &vdev_console,
    &vdev_timer,
    &vdev_ipi,
    &vdev_virtio_console,
    &vdev_virtio_blk,
};
#define VDEV_COUNT (sizeof vdev_table / sizeof vdev_table[0])

int vdev_init_vm(struct vm *vm, char *err, size_t errlen)
{
    for (size_t i = 0; i < VDEV_COUNT; i++) {
        int rc = vdev_table[i]->init ? vdev_table[i]->init(vm, (int)i, err, errlen) : 0;
        if (rc) {
            while (i--)
                if (vdev_table[i]->exit)
                    vdev_table[i]->exit(vm, (int)i);
            return rc;
        }
    }
    vm->devs_up = true;
    return 0;
}

void *vdev_state(const struct vm *vm, const struct vdev_ops *ops)
{
    for (size_t i = 0; i < VDEV_COUNT; i++)
        if (vdev_table[i] == ops)
            return vm->devs_up ? vm->dev_state[i] : NULL;
    return NULL;
}

void vdev_exit_vm(struct vm *vm)
{
    if (!vm->devs_up)
        return;
    for (size_t i = VDEV_COUNT; i--;)
        if (vdev_table[i]->exit)
            vdev_table[i]->exit(vm, (int)i);
    vm->devs_up = false;
}

struct mmio_access {
    int size;
    bool store, sign;
};

static bool mmio_decode(uint32_t insn, struct mmio_access *a)
{
    switch (decode_op(insn)) {
    case OP_LB: *a = (struct mmio_access){ 1, false, true }; return true;
    case OP_LBU: *a = (struct mmio_access){ 1, false, false }; return true;
    case OP_LH: *a = (struct mmio_access){ 2, false, true }; return true;
    case OP_LHU: *a = (struct mmio_access){ 2, false, false }; return true;
    case OP_LW: *a = (struct mmio_access){ 4, false, false }; return true;
    case OP_SB: *a = (struct mmio_access){ 1, true, false }; return true;
    case OP_SH: *a = (struct mmio_access){ 2, true, false }; return true;
    case OP_SW: *a = (struct mmio_access){ 4, true, false }; return true;
    default: return false;
    }
}

static uint32_t mmio_extend(uint32_t v, const struct mmio_access *a)
{
    if (a->size == 1)
        return a->sign ? (uint32_t)(int32_t)(int8_t)v : (v & 0xffu);
    if (a->size == 2)
        return a->sign ? (uint32_t)(int32_t)(int16_t)v : (v & 0xffffu);
    return v;
}

bool vdev_mmio(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    uint32_t va = e->badvaddr;
    struct mmio_access a;
    if (va < KSEG1_BASE || va >= KSEG2_BASE || !mmio_decode(e->insn, &a) || (va & (uint32_t)(a.size - 1)))
        return false;
    uint32_t gpa = va - KSEG1_BASE;
    for (size_t i = 0; i < VDEV_COUNT; i++) {
        const struct vdev_ops *d = vdev_table[i];
        if (!d->mmio_size || gpa < d->mmio_base || gpa - d->mmio_base >= d->mmio_size)
            continue;
        uint32_t off = gpa - d->mmio_base;
        void *st = v->vm->dev_state[i];
        int rt = (int)insn_rt(e->insn);
        if (a.store)
            d->write(p, v, st, off, a.size, cpu_get_gpr(p->c, rt));
        else
            cpu_set_gpr(p->c, rt, mmio_extend(d->read(p, v, st, off, a.size), &a));
        v->stats.mmio++;
        mon_charge(p, v, COST_MMIO);
        cpu_set_pc(p->c, e->next_pc);
        return true;
    }
    return false;
}
