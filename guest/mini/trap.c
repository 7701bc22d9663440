/* trap.c - exception dispatch by ExcCode (see trap.h). */
#include "guest/mini/trap.h"

#include "guest/mini/hal.h"
#include "guest/mini/klib.h"
#include "guest/mini/proc.h"
#include "guest/mini/smp.h"
#include "guest/mini/syscall.h"
#include "guest/mini/timer.h"

typedef void (*trap_fn)(percpu *pc, trapframe *tf);

static int trap_from_user(const trapframe *tf)
{
    return (tf->status & ST_KSU_MASK) == ST_KSU_USER;
}

/* Anything the kernel does not expect: fatal for a process, a bug in the kernel. */
static void trap_bad(percpu *pc, trapframe *tf)
{
    char why[48];
    if (!trap_from_user(tf) || !pc->cur) {
        ksnprintf(why, sizeof why, "exception %u in the kernel at %08x",
                  (tf->cause >> CAUSE_EXC_SHIFT) & CAUSE_EXC_MASK, tf->epc);
        kpanic(why);
    }
    ksnprintf(why, sizeof why, "exception %u", (tf->cause >> CAUSE_EXC_SHIFT) & CAUSE_EXC_MASK);
    proc_kill(pc, why, tf);
}

static void trap_interrupt(percpu *pc, trapframe *tf)
{
    uint32_t irqs = hal_irq_pending(tf);
    if (irqs & HAL_IRQ_TIMER)
        timer_tick(pc);
    if (irqs & HAL_IRQ_IPI) {
        hal_ipi_ack();
        smp_handle_ipi(pc);
    }
}

static void trap_fault(percpu *pc, trapframe *tf, int access)
{
    if (!trap_from_user(tf) || !pc->cur) {
        trap_bad(pc, tf);
        return;
    }
    pc->st.faults++;
    pc->cur->faults++;
    if (vm_fault(&pc->cur->vm, tf->badvaddr, access) < 0)
        proc_kill(pc, access == VM_WRITE ? "bad write" : "bad read", tf);
}

static void trap_tlbl(percpu *pc, trapframe *tf) { trap_fault(pc, tf, VM_READ); }
static void trap_tlbs(percpu *pc, trapframe *tf) { trap_fault(pc, tf, VM_WRITE); }

static void trap_syscall(percpu *pc, trapframe *tf)
{
    if (!trap_from_user(tf) || !pc->cur || (tf->cause & CAUSE_BD)) {
        trap_bad(pc, tf);
        return;
    }
    syscall_dispatch(pc, tf);
}

static const trap_fn trap_table[EXC_NCODES] = {
    [EXC_INT] = trap_interrupt,
    [EXC_MOD] = trap_tlbs,          /* a write to a clean page: the zero page's copy */
    [EXC_TLBL] = trap_tlbl,
    [EXC_TLBS] = trap_tlbs,
    [EXC_SYS] = trap_syscall,
};

trapframe *mini_trap(trapframe *tf)
{
    percpu *pc = percpu_self();
    trap_fn fn = trap_table[(tf->cause >> CAUSE_EXC_SHIFT) & CAUSE_EXC_MASK];
    (fn ? fn : trap_bad)(pc, tf);
    return sched_resume(pc);
}
