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
 * and charge simulated cycles for its own work. It must not call cpu_run() or
 * machine_run(). After any hook returns, the engine that raised the exception leaves
 * its slice (the locals it kept in host registers are reloaded), so whatever the hook
 * changed - TLB, mode, pc, memory, code - is seen by the next instruction.
 *
 * Other CPUs. The CPUs of a machine run interleaved on one host thread, each for a
 * fixed quantum of cycles in turn (machine.h); a hook runs on the thread during its own
 * CPU's turn, so every other CPU is stopped between two of its instructions, outside any
 * engine, with nothing of it cached in host registers. A hook on CPU A may therefore
 * call on another CPU B, directly and with immediate effect:
 *   cpu_get_gpr/cpu_set_gpr/cpu_get_hi/cpu_get_lo/cpu_set_hilo/cpu_get_pc/cpu_set_pc,
 *   cpu_get_cp0/cpu_set_cp0, cpu_context_save/cpu_context_restore, cpu_reset,
 *   cpu_tlb_read/cpu_tlb_write/cpu_tlb_probe (a write drops B's fast-path entries for
 *   the old and new pages; B's decoded blocks and compiled code are keyed by physical
 *   address, so they stay valid), cpu_fast_flush(B), cpu_idle(B) (B waits from its next
 *   turn on), cpu_charge_cycles(B, n) (B's clock moves on; its next turn is shorter),
 *   and cpu_send_ipi(A, B) (raises B's IPI line; a waiting B runs at its next turn).
 * cpu_end_turn(B) has no effect: B has no turn under way. cpu_deliver_exception(B, ...)
 * is allowed too: B's exception entry happens at once, and B starts at the vector in
 * its next turn. Nothing may run B's instructions (cpu_run) from a hook.
 *
 * What costs what. These calls take no simulated time of their own; the monitor charges
 * what the real machine would spend, from its cost table. A change to B's TLB or fast
 * path stands for a TLB shootdown: on the real machine A sends an IPI and B runs a
 * handler, so the monitor charges A the IPI send and its wait for the acknowledgement
 * (cpu_charge_cycles(A, ...)), and B the interrupt entry, the handler and the TLB
 * writes (cpu_charge_cycles(B, ...)), instead of letting B take a real interrupt.
 * cpu_send_ipi itself is what the hardware does (one device write); B pays for it when
 * it takes the interrupt. Physical copies and fills (cpu_phys_*) are charged to the
 * CPU whose hook does them, per page; they bypass the NUMA cache model (no misses are
 * simulated, no hot-page counts are taken).
 */
#ifndef MIPS_SIM_HOOK_H
#define MIPS_SIM_HOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mips-sim/cpu/cpu.h"
#include "mips-sim/mem/hotpage.h"

struct machine;

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

/* Exceptions taken since the CPU last completed an instruction (0 while it runs
 * normally); at CPU_STORM_LIMIT the CPU is stopped (the storm rule: cpu/cpu.h). */
uint64_t cpu_exception_streak(const cpu *c);

/* Charge simulated cycles for the monitor's work (counted in stats.charged_cycles). */
void cpu_charge_cycles(cpu *c, uint64_t cycles);

/* Raise the inter-processor interrupt of CPU `target` (board's IPI line). */
int cpu_send_ipi(cpu *from, int target);

/* Host access to the memory a CPU sees, by physical address (monitor copies, loaders):
 * one word of RAM or of a device. 0, or -EFAULT when nothing is there. */
int cpu_phys_read32(cpu *c, uint64_t paddr, uint32_t *v);
int cpu_phys_write32(cpu *c, uint64_t paddr, uint32_t v);

/* ---- virtual-CPU switches ------------------------------------------------------------ */

/*
 * Everything a virtual-CPU switch saves and restores: GPRs, HI/LO, pc/npc/in_bd, the
 * architectural CP0 registers (cp0_state whole: Index, EntryLo0/1, Context, PageMask,
 * Wired, HWREna, BadVAddr, EntryHi, Compare, Status, IntCtl, Cause, EPC, PRId, EBase,
 * Config0-3, UserLocal, ErrorEPC, and what later CP0 registers cp0_state gains), Count
 * and Random, the LL bit and LLAddr, and the FPU (registers and FCSR). Not the TLB,
 * not the hardware interrupt lines, not the cycle and instruction counters, not the
 * statistics, not the hook: those belong to the physical CPU.
 *
 * Count and Random are kept as values: restoring sets Count as MTC0 Count would (it
 * does not advance while the context is saved out: a monitor that wants a virtual
 * CPU's time to run on adds the elapsed cycles / 2 to `count` itself) and Random to the
 * saved value, whatever the target CPU's own counters are. In `cp0`, count_base,
 * count_cycle and random_insn are meaningless; `count` and `random` hold the values.
 * A plain struct: copy it with `=`.
 */
typedef struct cpu_context {
    uint32_t gpr[32];              /* gpr[0] is 0 */
    uint32_t hi, lo;
    uint32_t pc, npc;
    bool in_bd;                    /* pc is a delay slot; npc is where its branch goes */
    cp0_state cp0;
    uint32_t count;                /* CP0 Count at the save */
    uint32_t random;               /* CP0 Random at the save */
    bool llbit;
    uint64_t lladdr;               /* physical address of the linked word */
    fpu_state fpu;                 /* FCSR.Cause settled: lazy_word is 0 */
} cpu_context;

void cpu_context_save(const cpu *c, cpu_context *out);

/* Load a saved context into `c` (any CPU of the machine, with the same TLB size): drops
 * the fast path, recomputes the mode from Status and the timer deadline from Count and
 * Compare. An LL link is re-made only when lladdr is RAM; otherwise the LL bit is
 * cleared (an SC then fails, as after any exception return). */
void cpu_context_restore(cpu *c, const cpu_context *in);

/* ---- turns and idling ---------------------------------------------------------------- */

/* End the CPU's current turn as soon as the hook returns (a vCPU yields): the machine
 * goes on with the next CPU, and this one resumes at its pc in its next turn, with the
 * cycles of this turn it did not use (its clock did not move: charge the time a yield
 * costs with cpu_charge_cycles). No effect on a CPU that is not running a turn. */
void cpu_end_turn(cpu *c);

/* Put the CPU into the WAIT state when the hook returns: it runs no instruction until
 * an interrupt line that Status.IM enables is raised (timer, IPI, device). It then
 * takes the interrupt exception before anything else when Status lets it (IE = 1,
 * EXL = ERL = 0), so the hook sees it; with IE = 0 it resumes at its pc, as after WAIT.
 * Idle time is simulated time skipped ahead (counted in stats.idle_cycles), as for
 * WAIT; when every CPU waits and no timer can wake one, the run stops ("deadlock"). */
void cpu_idle(cpu *c);

/* ---- physical memory ----------------------------------------------------------------- */

/*
 * Physical memory by machine address, for the monitor (RAM only: node memory and boot
 * RAM; a range may cross from one RAM region into the next, as between NUMA nodes).
 * Writers keep the machine coherent: code decoded or compiled from a page written is
 * retired (the block engine and the JIT decode it afresh), and LL links on words
 * written are broken. The fast paths need nothing: they point at the same host memory.
 * 0, or -EFAULT when some byte is not RAM; a failed call has changed nothing.
 * copy_page and fill_page take 4 KB page-aligned addresses (-EINVAL otherwise);
 * copy_page's pages may not be the same page.
 */
int cpu_phys_read(cpu *c, uint64_t paddr, void *buf, size_t len);
int cpu_phys_write(cpu *c, uint64_t paddr, const void *buf, size_t len);
int cpu_phys_copy_page(cpu *c, uint64_t dst, uint64_t src);   /* 4 KB, page-aligned */
int cpu_phys_fill_page(cpu *c, uint64_t dst, uint32_t word);  /* 4 KB, page-aligned */

/* ---- hot pages ----------------------------------------------------------------------- */

/*
 * Hot-page events (the NUMA board's FLASH-style counters, hotpage.h) through the public
 * API: fn(ctx, ev) for each event, ev->cpu being the CPU whose miss made the page hot.
 * fn runs on the simulator's thread between two instructions of that CPU, during its
 * turn, so it may do whatever an exception hook may (see above): migrate the page, shoot
 * down TLB entries, charge cycles. The event is raised inside a memory access and held
 * until that instruction completes. fn == NULL removes the hook. -ENODEV when the
 * machine has no counters (no NUMA board, or its cache model is off), else 0.
 */
int machine_set_hotpage_hook(struct machine *m, hotpage_fn fn, void *ctx);

#endif
