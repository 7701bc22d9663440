/* proc.c - processes and the per-CPU scheduler (see proc.h). */
#include "guest/mini/proc.h"

#include "guest/mini/hal.h"
#include "guest/mini/klib.h"
#include "guest/mini/page.h"

/* sp of a new process: the top of its stack (ucrt0.S makes room for umain's arguments). */
#define PROC_SP_START USER_STACK_TOP

proc mini_procs[MINI_MAX_PROCS];

typedef struct runq {
    proc *p[MINI_MAX_PROCS];
    unsigned n, pos;
} runq;

static runq runqs[MINI_MAX_CPUS];

int proc_create(unsigned pid, unsigned cpu, unsigned node, const proc_args *a, uint32_t text_pa,
                uint32_t text_bytes)
{
    proc *p = &mini_procs[pid - 1];
    memset(p, 0, sizeof *p);
    uint32_t logpa = page_alloc(node);
    if (!logpa || vm_create(&p->vm, pid, node, text_pa, text_bytes) < 0)
        return -1;
    p->pid = pid;
    p->cpu = cpu;
    p->log = hal_kva(logpa);
    p->tf.epc = USER_TEXT;
    p->tf.status = hal_thread_status(1, HAL_IRQ_TIMER | HAL_IRQ_IPI);
    p->tf.r[4] = pid;
    p->tf.r[5] = a->ws_bytes;
    p->tf.r[6] = a->iters;
    p->tf.r[7] = a->seed;
    p->tf.r[8] = a->calls;
    p->tf.r[29] = PROC_SP_START;
    p->state = PROC_RUNNABLE;
    runq *q = &runqs[cpu];
    q->p[q->n++] = p;
    return 0;
}

void proc_exit(percpu *pc, uint32_t status)
{
    proc *p = pc->cur;
    runq *q = &runqs[pc->id];
    p->exit_status = status;
    vm_destroy(&p->vm);
    p->state = PROC_EXITED;
    /* Remove it from the queue; the position then names its successor. */
    unsigned i = q->pos;
    for (; i + 1 < q->n; i++)
        q->p[i] = q->p[i + 1];
    q->n--;
    if (q->pos >= q->n)
        q->pos = 0;
}

void proc_kill(percpu *pc, const char *why, const trapframe *tf)
{
    proc *p = pc->cur;
    kprintf("proc %u killed: %s at pc %08x, address %08x\n", p->pid, why, tf->epc, tf->badvaddr);
    p->killed = 1;
    proc_exit(pc, 0);
}

void sched_preempt(percpu *pc)
{
    runq *q = &runqs[pc->id];
    if (q->n)
        q->pos = (q->pos + 1) % q->n;
}

trapframe *sched_resume(percpu *pc)
{
    runq *q = &runqs[pc->id];
    proc *next = q->n ? q->p[q->pos] : 0;
    if (next != pc->cur) {
        pc->st.switches++;
        pc->cur = next;
        if (next) {
            pc->pgd = next->vm.pgd;
            hal_set_asid(next->vm.asid);
        }
    }
    if (!next && !pc->done)
        smp_cpu_done(pc);
    pc->frame = next ? &next->tf : &pc->idle_tf;
    return pc->frame;
}
