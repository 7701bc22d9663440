/*
 * cpu.h - one MIPS32 Release 2 CPU (little-endian, with the FPU of fpu.h) with an R4000-style TLB.
 *
 * State: 32 general registers (gpr[0] reads as zero: the interpreter rewrites it to 0
 * after every instruction, the block engine sends writes to it to gpr[32] instead), HI/LO, the program counter pair (pc, npc) that models branch delay
 * slots, CP0, the TLB, the LL bit, and the host-side fast path.
 *
 * Delay slots: `pc` is the instruction about to execute and `npc` the one after it.
 * A taken branch sets npc to its target after its delay slot has been fetched; `in_bd`
 * says the instruction at pc is in a delay slot, so an exception there reports
 * EPC = pc - 4 and Cause.BD = 1.
 *
 * Fast path: htlb[mode][i] caches, per privilege mode (kernel/supervisor/user), the
 * host address of recently used 4 KB virtual pages of RAM, separately for reads and
 * writes. Invariant: an entry is valid only while the TLB entry (or unmapped segment)
 * that produced it is unchanged and the ASID is the same; cpu_fast_flush() drops every
 * entry and is called on TLBWI/TLBWR, on a change of EntryHi.ASID and on Status.ERL
 * changes. Device pages are never cached, so each MMIO access takes the slow path.
 *
 * Timer: Count runs at half the CPU clock, computed from the cycle counter, so it is
 * never stored per cycle. Random is computed from the instruction count, so it needs no
 * work per instruction either and stays deterministic.
 */
#ifndef MIPS_SIM_CPU_H
#define MIPS_SIM_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "mips-sim/arch.h"
#include "mips-sim/cpu/cp0.h"
#include "mips-sim/cpu/fpu.h"
#include "mips-sim/cpu/system.h"
#include "mips-sim/cpu/tlb.h"

struct machine;

enum cpu_mode { CPU_MODE_KERNEL = 0, CPU_MODE_SUPERVISOR = 1, CPU_MODE_USER = 2 };

enum cpu_state { CPU_RUNNING = 0, CPU_WAITING = 1, CPU_HALTED = 2 };

#define CPU_HTLB_SIZE 256 /* fast-path entries per mode */
/* The fast-path entry of a virtual address: one per page, direct-mapped. */
#define CPU_HTLB_SLOT(va) (ARCH_PAGE_NUMBER(va) & (CPU_HTLB_SIZE - 1))
/* An entry's tag when it caches nothing: no page base has bit 0 set. */
#define CPU_HTLB_INVALID 1u
/* The fetch check compares CPU_FETCH_TAG(pc) - the page plus the misalignment bits 1:0,
 * so a misaligned pc misses - with fetch_page. */
#define CPU_FETCH_TAG(pc) ((pc) & ~(ARCH_PAGE_MASK & ~3u))
/* fetch_page when no code page is cached: the marker must have a bit in 11:2 set, as
 * 1 would match pc = 1, 5, 9... in page 0 and fetch through a stale page. */
#define CPU_FETCH_NONE ARCH_PAGE_MASK
/* fetch_line when the next fetch must be charged to the cache model whatever its line
 * (no line number is this large). It is set whenever fetch_page is dropped (TLB writes,
 * mode changes and so every exception and ERET) and at the start of each turn
 * (engine.h), never at an engine's whim, so all engines charge the same fetches. */
#define CPU_FETCH_LINE_NONE UINT32_MAX

typedef struct cpu_htlb_entry {
    uint32_t rtag, wtag;   /* virtual page base, or CPU_HTLB_INVALID */
    uintptr_t addend;      /* host address = addend + vaddr */
    uint64_t ppage;        /* physical address of the page (for the cache model) */
} cpu_htlb_entry;

/* Per-CPU statistics, reported by --stats. */
typedef struct cpu_stats {
    uint64_t exceptions[32];   /* by ExcCode */
    uint64_t tlb_refills;      /* refill exceptions (no matching entry) */
    uint64_t interrupts;
    uint64_t idle_cycles;      /* cycles spent in WAIT */
    uint64_t stall_cycles;     /* cache-miss stalls (NUMA cache model) */
    uint64_t charged_cycles;   /* cycles charged by a monitor */
    uint64_t hook_calls;       /* exceptions handed to the monitor hook */
} cpu_stats;

/*
 * Exception storms. A CPU whose exception vector itself faults (EBase outside RAM, a
 * vector holding a faulting instruction, a boot vector in ROM that cannot be fetched)
 * re-enters the vector forever: it completes no instruction, so no instruction limit
 * ever fires, and only its cycles (one per exception) advance. A real kernel also takes
 * exceptions back to back (a TLB refill whose page-table load misses, an interrupt at
 * a handler's first instruction, a monitor emulating a few privileged instructions in
 * a row), but it completes an instruction within a handful of them.
 *
 * The rule: each CPU counts the exceptions it has taken since it last completed an
 * instruction (its streak; cpu_exception_streak in hook.h). The exception that would
 * make the streak reach CPU_STORM_LIMIT is not taken: the CPU stops there (state
 * CPU_HALTED, pc at the faulting instruction) and the others run on; when no CPU is
 * left that can run, the machine halts with status 3 and reason "exception-storm"
 * (machine.c; the run loop, engine/run.c, ends the stopped CPU's turn). A monitor that
 * wants to stop one looping guest and keep the CPU reads the streak in its hook and
 * acts far below the limit. An instruction the hook emulates by skipping it
 * (cpu_set_pc(next_pc)) does not complete: a run of emulated instructions is one
 * streak, ended by the next instruction the CPU itself completes.
 */
#define CPU_STORM_LIMIT 100000u

/* The exception streak of a CPU, and the one it was stopped by (see above). */
typedef struct cpu_storm {
    uint64_t streak;               /* exceptions since insns was last seen to change */
    uint64_t at_insns;             /* c->insns when the streak began */
    uint32_t first_pc, last_pc;    /* EPC-style restart addresses: the faulting insns */
    uint8_t first_code, last_code; /* their ExcCodes */
    bool stopped;                  /* the CPU was stopped by the rule */
} cpu_storm;

struct cpu;
struct cpu_exception;
typedef int (*cpu_hook_fn)(struct cpu *c, const struct cpu_exception *e, void *ctx);

typedef struct cpu {
    /* Hot state first: the interpreter touches these on every instruction. */
    uint32_t gpr[33];              /* [32]: sink for the block engine's writes to $zero */
    uint32_t hi, lo;
    uint32_t pc, npc;
    /* Compiled code's exit state (see jit.h). */
    uint32_t jit_next;             /* next pc (or a delay slot's branch decision) */
    uint32_t jit_pc;               /* pc of the block that bailed */
    uint64_t jit_left;             /* instruction budget left */
    uint8_t *jit_patch;            /* chain slot to link to the next block, or NULL */
    const void *jit_cp;            /* code page (codecache.h) of the block running */
    uint32_t jit_mxcsr;            /* compiled FP code's MXCSR load/store slot */
    uint8_t jit_fp_dirty;          /* MXCSR holds FP flags not yet in FCSR (jit_x86.c) */
    uint8_t jit_stop;              /* cache model: end the slice (jit.h) */
    uint64_t jit_end;              /* cache model: the clock when the budget runs out */
    uint64_t jit_stall;            /* cache model: stall cycles charged in this call */
    bool in_bd;
    uint8_t mode;                  /* enum cpu_mode, derived from Status */
    uint8_t state;                 /* enum cpu_state */
    cpu_htlb_entry *htlb;          /* htlb_modes[mode] */
    uint32_t fetch_page;           /* virtual page of fetch_host, or CPU_FETCH_NONE */
    const uint8_t *fetch_host;     /* host address of fetch_page */
    uint64_t fetch_ppage;          /* physical address of fetch_page */
    uint32_t fetch_line;           /* cache model: virtual line (pc >> line shift) of
                                    * the last fetch charged, or CPU_FETCH_LINE_NONE */

    uint64_t insns;                /* instructions retired */
    uint64_t cycles;               /* simulated cycles (>= insns) */
    int64_t budget;                /* cycles left in this turn; <= 0 ends it */

    cp0_state cp0;
    fpu_state fpu;                 /* coprocessor 1 (usable while Status.CU1) */
    tlb tlb;
    bool llbit;
    uint64_t lladdr;               /* physical address of the linked word */
    uintptr_t ll_host;             /* host address of the linked word */
    uint32_t irq_lines;            /* hardware lines IP2..IP7 as bits 0..5 */
    uint64_t timer_deadline;       /* cycle at which Count reaches Compare next */

    cpu_hook_fn hook;              /* monitor: receives every exception */
    void *hook_ctx;
    bool turn_over;                /* cpu_end_turn() was called in this turn */

    cpu_system *sys;               /* what this CPU shares with the others */
    struct machine *m;             /* the owner, for hooks and devices: never used below
                                    * the machine layer (which cannot see its type) */
    int id;
    int node;                      /* NUMA node of this CPU (0 on UMA boards) */
    cpu_stats stats;
    cpu_storm storm;               /* exception streak (see CPU_STORM_LIMIT) */
    cpu_htlb_entry htlb_modes[3][CPU_HTLB_SIZE];
} cpu;

/* Allocate and reset CPU `id` of `sys` (owned by machine `m`) with `tlb_entries` dual
 * entries. NULL on failure. */
cpu *cpu_new(cpu_system *sys, struct machine *m, int id, int tlb_entries);
void cpu_free(cpu *c);

/* Architectural reset: Status.BEV|ERL, EBase, Config, PC = pc. */
void cpu_reset(cpu *c, uint32_t pc);

/* Drop every fast-path translation (see the invariant above). */
void cpu_fast_flush(cpu *c);

/* Recompute mode and fast-path table after a Status change. */
void cpu_update_mode(cpu *c);

/* True if an enabled interrupt is pending (Status.IE, !EXL, !ERL, IM & IP). */
bool cpu_irq_pending(const cpu *c);

/* True if an interrupt that Status.IM enables is requested, even one Status.IE masks:
 * what ends WAIT (a waiting CPU for which this holds runs again at its next turn). */
bool cpu_wait_over(const cpu *c);

/* Set or clear hardware interrupt line 0..5 (Cause.IP2..IP7). Wakes a waiting CPU. */
void cpu_set_irq(cpu *c, int line, bool level);

/* The cycle at which Count will equal Compare next (for the run loop's deadlines). */
uint64_t cpu_timer_deadline(const cpu *c);

/* Update Cause.TI from Count/Compare at the CPU's current time. */
void cpu_timer_update(cpu *c);

/* Read Count at the current cycle. */
uint32_t cpu_count(const cpu *c);

/*
 * Translate a virtual address for an access by the CPU's current mode.
 * `write` selects store permission. On success returns 0 and the physical address; on
 * failure returns the ExcCode the access would raise (TLBL/TLBS/MOD/ADEL/ADES) and sets
 * *refill for a TLB refill. Does not raise the exception and changes no state.
 */
int cpu_translate(const cpu *c, uint32_t vaddr, bool write, uint64_t *paddr, bool *refill);

/* Human-readable ExcCode name ("TLBL", "Sys", ...). */
const char *cpu_exc_name(int code);

#endif
