/*
 * smp.h - per-CPU state and the messages CPUs send each other by IPI.
 *
 * struct percpu starts with the words the exception vectors read (layout.h PC_*).
 * Each CPU touches only its own block, except the mailbox (set by any CPU with an
 * atomic OR, taken by its owner with an atomic swap) and the counters CPU 0 reads in
 * the final report, after every other CPU has answered SMP_MSG_STOP.
 *
 * Protocol: CPU 0 boots, creates the processes and starts the others. A CPU whose run
 * queue empties sends SMP_MSG_DONE to CPU 0. When every CPU is done, CPU 0 sends
 * SMP_MSG_STOP to the others; each stops its timer, answers SMP_MSG_STOPPED and idles
 * for good. When all have answered, CPU 0 reports and powers off.
 */
#ifndef MINI_SMP_H
#define MINI_SMP_H

#include <stdint.h>

#include "guest/mini/layout.h"
#include "guest/mini/trap.h"

#define SMP_MSG_DONE    0x1u
#define SMP_MSG_STOP    0x2u
#define SMP_MSG_STOPPED 0x4u

struct proc;

typedef struct percpu_stats {
    uint32_t ticks, switches, syscalls, faults, ipis_sent, ipis_taken, idles;
    uint32_t done_us;               /* when its run queue emptied, from report_start */
} percpu_stats;

typedef struct percpu {
    /* Read by the vectors: keep in step with layout.h. */
    trapframe *frame;
    uint32_t kstack_top;
    uint32_t *pgd;
    uint32_t refills;
    /* The rest is the kernel's. */
    unsigned id;
    volatile uint32_t mailbox;
    struct proc *cur;               /* running process, NULL when the idle thread runs */
    trapframe idle_tf;              /* the CPU's idle (kernel) thread */
    uint32_t next_tick;             /* Count value of the next timer interrupt */
    int timer_on;
    volatile int done, stopped;     /* set by the owner, read by CPU 0 */
    percpu_stats st;
} __attribute__((aligned(PERCPU_STRIDE))) percpu;   /* array stride = PERCPU_STRIDE */

extern percpu mini_percpu[MINI_MAX_CPUS];

static inline percpu *percpu_of(unsigned cpu) { return &mini_percpu[cpu]; }
percpu *percpu_self(void);

/* Number of CPUs the kernel uses (min of the platform's and MINI_MAX_CPUS). */
extern unsigned smp_ncpus;

void smp_init_cpu(percpu *pc, unsigned cpu);
void smp_send(unsigned cpu, uint32_t msg);
/* Take and act on this CPU's messages (IPI handler). */
void smp_handle_ipi(percpu *pc);
/* This CPU has no process left. */
void smp_cpu_done(percpu *pc);

#endif
