/*
 * cpu_internal.h - what the CPU's own files and the engines share and nothing above
 * them may use: faults, exception raising, LL/SC bookkeeping, the emulation of the TLB
 * instructions and ERET, and fast-path flushes.
 */
#ifndef MIPS_SIM_CPU_INTERNAL_H
#define MIPS_SIM_CPU_INTERNAL_H

#include "mips-sim/cpu/cpu.h"
#include "mips-sim/hook.h"

/* Why an access failed: the exception to raise. */
typedef struct cpu_fault {
    int code;
    uint32_t badvaddr;
    bool refill;
} cpu_fault;

/* A store to host word `host` breaks the links other CPUs hold on it. */
void cpu_ll_break(cpu *self, uintptr_t host);
void cpu_ll_clear(cpu *c);
/* Host memory [lo, hi) was written from outside any CPU: break every link into it. */
void cpu_ll_break_range(cpu_system *sys, uintptr_t lo, uintptr_t hi);

/* Drop fast-path entries for [vaddr, vaddr + bytes) in every mode. */
void cpu_fast_flush_range(cpu *c, uint32_t vaddr, uint32_t bytes);

/*
 * Take an exception for the instruction at c->pc (c->in_bd tells whether it sits in a
 * delay slot; c->npc is where it would have gone next). Calls the monitor hook when
 * there is one, else enters the vectors.
 */
void cpu_raise(cpu *c, int code, const cpu_fault *f, int ce, uint32_t insn);

/* Take the interrupt exception if one is pending and enabled. Returns true if taken. */
bool cpu_check_interrupt(cpu *c);

/* Emulation of the CP0 instructions that are not simple enough for the loop. */
void cpu_tlbwi(cpu *c);
void cpu_tlbwr(cpu *c);
void cpu_tlbr(cpu *c);
void cpu_tlbp(cpu *c);
void cpu_eret(cpu *c);
uint32_t cpu_random(const cpu *c);

#endif
