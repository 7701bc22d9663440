/*
 * trap.c - the hook every physical CPU calls on every exception: the monitor's entry.
 *
 * Entry: the running vCPU's HAL page is read back (hal_sync_in), the trap is charged
 * and counted, and the exception code selects a handler from trap_handlers[] (codes
 * with no entry are forwarded to the guest as they are). Exit: a pending enabled
 * virtual interrupt is delivered, the HAL page rewritten and the real mode set from
 * the virtual one. A vCPU that traps STORM_TRAPS times in a row with fewer than
 * STORM_MIN_INSNS guest instructions between traps loops on exceptions: its VM is
 * stopped with a message and the other VMs go on (vcpu.c catches the other kind of
 * loop: the same fault forwarded again and again).
 */
#include <stdio.h>

#include "monitor/internal.h"
#include "monitor/vdev/vdev.h"

typedef void (*trap_fn)(struct pcpu *p, struct vcpu *v, const cpu_exception *e);

static void trap_forward(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    vcpu_forward(p, v, e, e->code, e->badvaddr, false);
}

static void trap_interrupt(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    (void)v;
    (void)e;
    if (p->mon->m.ipi_pending & (1ull << p->id))
        machine_clear_ipi(&p->mon->m, p->id);
    if (cpu_get_cp0(p->c, CP0_CAUSE, 0) & CAUSE_TI)
        sched_tick(p);
}

static void trap_tlb(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    vtlb_miss(p, v, e);
}

/* Supervisor loads and stores to kseg0/kseg1: device registers, or the guest's error. */
static void trap_address(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    if (!(vcpu_guest_kernel(v) && e->insn && vdev_mmio(p, v, e)))
        trap_forward(p, v, e);
}

/* The monitor-call instruction: a call in virtual kernel mode, else the Coprocessor
 * Unusable exception the guest kernel would see. */
static bool trap_hypcall(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    if (e->insn != ABI_HYPCALL_INSN)
        return false;
    if (vcpu_guest_kernel(v)) {
        mcall_dispatch(p, v, e);
    } else {
        cpu_exception f = *e;
        f.ce = 0;
        vcpu_forward(p, v, &f, EXC_CPU, 0, false);
    }
    return true;
}

static void trap_reserved(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    if (!trap_hypcall(p, v, e))
        trap_forward(p, v, e);
}

static void trap_coprocessor(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    if (trap_hypcall(p, v, e))
        return;
    if (e->ce != 0 || !vcpu_guest_kernel(v)) {
        trap_forward(p, v, e);
        return;
    }
    if (!emul_insn(p, v, e))
        vcpu_forward(p, v, e, EXC_RI, 0, false);
}

static const trap_fn trap_handlers[32] = {
    [EXC_INT] = trap_interrupt,
    [EXC_MOD] = trap_tlb,
    [EXC_TLBL] = trap_tlb,
    [EXC_TLBS] = trap_tlb,
    [EXC_ADEL] = trap_address,
    [EXC_ADES] = trap_address,
    [EXC_RI] = trap_reserved,
    [EXC_CPU] = trap_coprocessor,
};

/* False if the vCPU is looping on exceptions (and its VM was stopped). */
static bool trap_progress(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    if (e->code == EXC_INT)                /* the monitor's own interrupts say nothing */
        return true;
    if (p->c->insns - v->insns_mark >= STORM_MIN_INSNS) {
        v->storm = 0;
        return true;
    }
    if (++v->storm < STORM_TRAPS)
        return true;
    char why[160];
    snprintf(why, sizeof why, "exception storm: %u traps without progress, the last %s at pc 0x%08x",
             v->storm, cpu_exc_name(e->code), e->epc);
    vm_finish(v->vm, p, 1, why);
    return false;
}

/* Leave the monitor: deliver virtual interrupts, publish the HAL page, set the mode. */
static void trap_exit(struct pcpu *p)
{
    struct vcpu *v = p->cur;
    if (!v)
        return;
    vcpu_deliver_irq(p, v);
    if (p->cur != v)                       /* the delivery stopped its VM */
        return;
    hal_sync_out(v);
    vcpu_apply_mode(p, v);
    v->insns_mark = p->c->insns;
}

int trap_hook(cpu *c, const cpu_exception *e, void *ctx)
{
    struct pcpu *p = ctx;
    struct vcpu *v = p->cur;
    (void)c;
    if (!v) {                              /* an idle CPU woke up */
        trap_interrupt(p, NULL, e);
        sched_idle_entry(p);
        trap_exit(p);
        return CPU_HOOK_HANDLED;
    }
    if (v->state == VCPU_DEAD) {           /* its VM ended while it ran here */
        sched_reschedule(p);
        trap_exit(p);
        return CPU_HOOK_HANDLED;
    }
    v->stats.traps[e->code & 31]++;
    hal_sync_in(v);
    mon_charge(p, v, COST_TRAP);
    if (p->mon->numa.queued)
        mon_numa_drain(p);
    if (trap_progress(p, v, e)) {
        trap_fn fn = trap_handlers[e->code & 31];
        (fn ? fn : trap_forward)(p, v, e);
    }
    if (p->cur && p->cur->state == VCPU_DEAD)
        sched_reschedule(p);
    trap_exit(p);
    return CPU_HOOK_HANDLED;
}
