/*
 * proc.h - user processes and the per-CPU round-robin scheduler.
 *
 * Process pid (1..nproc) lives in mini_procs[pid - 1], runs on CPU (pid - 1) % ncpus
 * for its whole life (no migration, so no TLB shootdown: a CPU's TLB only ever holds
 * the ASIDs of its own processes, and ASID = pid is never reused).
 * Each CPU has a run queue (array, round-robin position); the timer tick and SYS_YIELD
 * move the position on, exit removes the process. An empty queue runs the CPU's idle
 * thread. Only the owning CPU touches its queue and its processes until they exit;
 * CPU 0 reads the exited processes in the final report.
 */
#ifndef MINI_PROC_H
#define MINI_PROC_H

#include <stdint.h>

#include "guest/mini/smp.h"
#include "guest/mini/trap.h"
#include "guest/mini/vm.h"

enum { PROC_FREE, PROC_RUNNABLE, PROC_EXITED };

typedef struct proc {
    trapframe tf;
    unsigned pid, cpu;
    int state;
    int killed;                 /* ended by a fault it could not survive */
    vm_space vm;
    uint32_t exit_status;
    uint32_t syscalls, faults;
    char *log;                  /* console log page (SYS_WRITE), printed in the report */
    uint32_t loglen;
} proc;

/* What every process is started with (its a0..a3). */
typedef struct proc_args {
    uint32_t ws_bytes, iters, seed, calls;
} proc_args;

extern proc mini_procs[MINI_MAX_PROCS];

/* Create process pid on its CPU's run queue. 0, or -1 when memory is short. */
int proc_create(unsigned pid, unsigned cpu, unsigned node, const proc_args *a, uint32_t text_pa,
                uint32_t text_bytes);
/* End the current process of pc with status (its address space is freed). */
void proc_exit(percpu *pc, uint32_t status);
/* End the current process for a fault: reports it, then proc_exit. */
void proc_kill(percpu *pc, const char *why, const trapframe *tf);

/* Move this CPU's round-robin position to the next process. */
void sched_preempt(percpu *pc);
/* Pick the thread to run now, switch address space if it changed, make its frame the
 * one the vectors use; returns that frame. */
trapframe *sched_resume(percpu *pc);

#endif
