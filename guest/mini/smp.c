/* smp.c - per-CPU state and IPI messages (see smp.h). */
#include "guest/mini/smp.h"

#include "guest/mini/hal.h"
#include "guest/mini/klib.h"
#include "guest/mini/proc.h"
#include "guest/mini/report.h"
#include "guest/mini/timer.h"

percpu mini_percpu[MINI_MAX_CPUS];
_Static_assert(sizeof(percpu) == PERCPU_STRIDE, "struct percpu outgrew its stride");
_Static_assert(__builtin_offsetof(percpu, frame) == PC_FRAME, "PC_FRAME");
_Static_assert(__builtin_offsetof(percpu, kstack_top) == PC_KSTACK, "PC_KSTACK");
_Static_assert(__builtin_offsetof(percpu, pgd) == PC_PGD, "PC_PGD");
_Static_assert(__builtin_offsetof(percpu, refills) == PC_REFILLS, "PC_REFILLS");

/* Kernel stacks (one per CPU, also the boot stack) and idle-thread stacks. */
char mini_kstacks[MINI_MAX_CPUS][KSTACK_SIZE] __attribute__((aligned(16)));
static char idle_stacks[MINI_MAX_CPUS][IDLE_STACK_SIZE] __attribute__((aligned(16)));

unsigned smp_ncpus;

percpu *percpu_self(void)
{
    return percpu_of(hal_cpu_id());
}

/* The idle thread: kernel mode, interrupts on, sleeping until the next one. */
static void smp_idle_loop(void)
{
    for (;;) {
        percpu_self()->st.idles++;
        hal_idle();
    }
}

void smp_init_cpu(percpu *pc, unsigned cpu)
{
    memset(pc, 0, sizeof *pc);
    pc->id = cpu;
    pc->kstack_top = (uint32_t)(uintptr_t)mini_kstacks[cpu] + KSTACK_SIZE;
    pc->idle_tf.epc = (uint32_t)(uintptr_t)smp_idle_loop;
    pc->idle_tf.status = hal_thread_status(0, HAL_IRQ_TIMER | HAL_IRQ_IPI);
    pc->idle_tf.r[29] = (uint32_t)(uintptr_t)idle_stacks[cpu] + IDLE_STACK_SIZE - 16;
    pc->frame = &pc->idle_tf;
}

void smp_send(unsigned cpu, uint32_t msg)
{
    atomic_or(&percpu_of(cpu)->mailbox, msg);
    percpu_self()->st.ipis_sent++;
    hal_ipi_send(cpu);
}

/* CPU 0: once every CPU is done, stop the others; once all stopped, finish. */
static void smp_check_all(void)
{
    static int stop_sent;
    unsigned done = 0, stopped = 0;
    for (unsigned i = 0; i < smp_ncpus; i++) {
        done += percpu_of(i)->done != 0;
        stopped += i == 0 || percpu_of(i)->stopped;
    }
    if (done < smp_ncpus)
        return;
    if (!stop_sent) {
        stop_sent = 1;
        for (unsigned i = 1; i < smp_ncpus; i++)
            smp_send(i, SMP_MSG_STOP);
    }
    if (stopped == smp_ncpus)
        mini_finish();
}

static void smp_on_check(percpu *pc)
{
    (void)pc;
    smp_check_all();
}

/* Stop listening to the timer: the counts are final once CPU 0 hears STOPPED. */
static void smp_on_stop(percpu *pc)
{
    timer_stop(pc);
    pc->idle_tf.status = hal_thread_status(0, HAL_IRQ_IPI);
    pc->stopped = 1;
    smp_send(0, SMP_MSG_STOPPED);
}

typedef void (*smp_msg_fn)(percpu *pc);
static const struct { uint32_t msg; smp_msg_fn fn; } smp_msgs[] = {
    { SMP_MSG_DONE, smp_on_check },
    { SMP_MSG_STOP, smp_on_stop },
    { SMP_MSG_STOPPED, smp_on_check },
};

void smp_handle_ipi(percpu *pc)
{
    pc->st.ipis_taken++;
    uint32_t msgs = atomic_swap(&pc->mailbox, 0);
    for (unsigned i = 0; i < sizeof smp_msgs / sizeof smp_msgs[0]; i++)
        if (msgs & smp_msgs[i].msg)
            smp_msgs[i].fn(pc);
}

void smp_cpu_done(percpu *pc)
{
    pc->st.done_us = report_elapsed_us();
    pc->done = 1;
    if (pc->id == 0)
        smp_check_all();
    else
        smp_send(0, SMP_MSG_DONE);
}
