/*
 * hook.h - the interface through which a host-side monitor takes over kernel mode.
 *
 * With a hook installed, every exception a CPU takes (TLB refill/invalid/modified,
 * address error, coprocessor unusable, reserved instruction, syscall, break, trap,
 * overflow, interrupt) calls the hook instead of vectoring into simulated memory. The
 * hook runs as host C code with the CPU stopped between instructions:
 *
 *   - before the call, the CPU has changed no architectural state for the exception:
 *     CP0 (EPC, Cause, BadVAddr, Status.EXL, ...) is as it was, and the CPU is set to
 *     restart the faulting instruction (pc = e->epc, not in a delay slot);
 *   - CPU_HOOK_HANDLED: the hook did the work; execution continues at the CPU's pc,
 *     which the hook may have changed (cpu_set_pc(c, e->next_pc) skips the faulting
 *     instruction, honouring a branch it sat in the delay slot of);
 *   - CPU_HOOK_DELIVER: the CPU performs the architectural exception entry into the
 *     vectors (EPC, Cause, BadVAddr, Context, EntryHi, EXL), as without a hook.
 *
 * The hook may read and write any register, the CP0 registers and the TLB through the
 * calls below, deliver an exception of its choosing, send an inter-processor interrupt
 * and charge simulated cycles for its own work. It must not call cpu_run().
 */
#ifndef MIPS_SIM_HOOK_H
#define MIPS_SIM_HOOK_H

#include <stdbool.h>
#include <stdint.h>

#include "mips-sim/cpu.h"

typedef struct cpu_exception {
    int code;            /* ExcCode (EXC_*) */
    uint32_t epc;        /* restart address: the faulting instruction, or its branch */
    bool bd;             /* the faulting instruction is in a branch delay slot */
    uint32_t next_pc;    /* where execution goes if the faulting instruction is skipped */
    uint32_t badvaddr;   /* address/TLB exceptions: the faulting address */
    bool refill;         /* TLB exception with no matching entry */
    int ce;              /* coprocessor unusable: the coprocessor number */
    uint32_t insn;       /* the faulting instruction word (0 if the fetch failed) */
    uint8_t mode;        /* enum cpu_mode when it happened */
} cpu_exception;

enum { CPU_HOOK_DELIVER = 0, CPU_HOOK_HANDLED = 1 };

/* Install (or remove, with fn == NULL) the exception hook of one CPU. */
void cpu_set_hook(cpu *c, cpu_hook_fn fn, void *ctx);

/* General registers, HI/LO and the program counter. */
uint32_t cpu_get_gpr(const cpu *c, int r);
void cpu_set_gpr(cpu *c, int r, uint32_t v);          /* writes to r0 are ignored */
uint32_t cpu_get_hi(const cpu *c);
uint32_t cpu_get_lo(const cpu *c);
void cpu_set_hilo(cpu *c, uint32_t hi, uint32_t lo);
uint32_t cpu_get_pc(const cpu *c);
void cpu_set_pc(cpu *c, uint32_t pc);                 /* resume at pc, not in a delay slot */

/* CP0 registers by number and select, with the same effects as MFC0/MTC0. */
uint32_t cpu_get_cp0(cpu *c, int reg, int sel);
void cpu_set_cp0(cpu *c, int reg, int sel, uint32_t v);

/* The real TLB: read, write (drops the fast path), probe. idx out of range: -EINVAL. */
int cpu_tlb_read(const cpu *c, int idx, uint32_t *entryhi, uint32_t *pagemask,
                 uint32_t *lo0, uint32_t *lo1);
int cpu_tlb_write(cpu *c, int idx, uint32_t entryhi, uint32_t pagemask, uint32_t lo0,
                  uint32_t lo1);
int cpu_tlb_probe(const cpu *c, uint32_t entryhi);

/* Architectural entry into the exception vectors for `e` (as CPU_HOOK_DELIVER does). */
void cpu_deliver_exception(cpu *c, const cpu_exception *e);

/* Charge simulated cycles for the monitor's work (counted in stats.charged_cycles). */
void cpu_charge_cycles(cpu *c, uint64_t cycles);

/* Raise the inter-processor interrupt of CPU `target` (board's IPI line). */
int cpu_send_ipi(cpu *from, int target);

/* Host access to the memory a CPU sees, by physical address (monitor copies, loaders). */
int cpu_phys_read32(cpu *c, uint64_t paddr, uint32_t *v);
int cpu_phys_write32(cpu *c, uint64_t paddr, uint32_t v);

#endif
