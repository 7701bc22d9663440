/*
 * ipi.c - inter-vCPU interrupts: ABI_MC_IPI raises virtual line ABI_IRQ_IPI of the
 * target. A running target on another CPU gets a real IPI so it takes the interrupt at
 * once; a blocked one is woken; a runnable one finds it pending when it runs. The
 * target acknowledges by clearing the bit through MTC0 Cause... it cannot (IP3 is a
 * hardware line), so the pending bit is cleared when the interrupt is delivered.
 */
#include "monitor/internal.h"
#include "monitor/vdev/vdev.h"

void vdev_ipi_send(struct pcpu *p, struct vcpu *t)
{
    vcpu_raise(t, ABI_IRQ_IPI);
    if (t->state == VCPU_RUNNING && t->on && t->on != p)
        cpu_send_ipi(p->c, t->on->id);
    else if (t->state == VCPU_BLOCKED)
        sched_wake(p, t);
}

const struct vdev_ops vdev_ipi = { .name = "ipi" };
