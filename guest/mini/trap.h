/*
 * trap.h - the trap frame and the dispatch of exceptions.
 *
 * Every thread (a user process, or a CPU's idle thread) owns a trap frame. The general
 * vector saves the interrupted thread's registers into the frame the CPU's struct
 * percpu names, mini_trap() handles the exception through a table indexed by ExcCode,
 * asks the scheduler which thread runs next, and returns that thread's frame, which
 * the vector restores. Invariant: percpu->frame is the frame of the thread the CPU
 * runs, from the return of mini_trap() to the next exception.
 */
#ifndef MINI_TRAP_H
#define MINI_TRAP_H

#include <stdint.h>

#include "guest/mini/layout.h"

typedef struct trapframe {
    uint32_t r[32];
    uint32_t hi, lo, epc, status, cause, badvaddr;
} trapframe;

_Static_assert(sizeof(trapframe) == TF_SIZE, "trapframe layout");


/* Called by the general vector; returns the frame to resume. */
trapframe *mini_trap(trapframe *tf);
/* Resume the thread of frame tf (start.S); used once per CPU to enter the first thread. */
__attribute__((noreturn)) void mini_trap_return(trapframe *tf);

#endif
