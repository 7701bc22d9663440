/*
 * machine.h - a simulated MIPS multiprocessor: CPUs, the physical bus, simulated time,
 * timers for devices, and the deterministic run loop.
 *
 * Time: the machine counts simulated cycles at cfg.clock_hz. Every CPU has its own
 * cycle counter (an instruction costs one cycle, plus any stall or monitor charge).
 * CPUs run in turn, each for one quantum of cycles (cfg.quantum), in CPU order; after a
 * round `now` advances by the quantum and device timers that are due fire. With one
 * CPU the quantum is cut short at the next timer deadline, so device timers are exact.
 * Nothing depends on host time, so the same inputs give the same run, bit for bit.
 *
 * Stopped CPUs: a CPU in an exception storm is stopped (cpu/cpu.h, CPU_STORM_LIMIT);
 * when every CPU is stopped, the run halts with MACHINE_EXIT_LIMIT, reason
 * "exception-storm".
 *
 * Idle: a CPU in WAIT with nothing pending does not execute; when every CPU waits and
 * none has a wake-up pending (cpu_wait_over: an IPI or device interrupt raised since),
 * the machine skips ahead to the next timer deadline or Count/Compare match. If nothing
 * can ever wake it, the run stops with halt reason "deadlock".
 *
 * A machine needs no program: a board set up on it (board_test.h, board_numa.h) gives
 * zeroed RAM; a monitor writes its code with cpu_phys_write (hook.h) and starts each CPU
 * where it wants with cpu_reset and/or cpu_context_restore, instead of machine_start.
 *
 * Invariants:
 *  - 1 <= ncpus <= MACHINE_MAX_CPUS; cpus[i]->id == i;
 *  - now only grows; a timer fires once per machine_timer_set, at a time >= its deadline;
 *  - sys (cpu/system.h) is what the CPUs and the engines see of the machine: its bus is
 *    &bus, its cpus are cpus[], its cache model is the board's (NULL when none).
 */
#ifndef MIPS_SIM_MACHINE_H
#define MIPS_SIM_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mips-sim/arch.h"
#include "mips-sim/cpu/system.h"
#include "mips-sim/engine/engine.h"
#include "mips-sim/mem/bus.h"
#include "mips-sim/mem/hotpage.h"

#define MACHINE_MAX_CPUS ARCH_MAX_CPUS
#define MACHINE_MAX_TIMERS 32
/* Hot-page events held until the instruction that raised them completes: one
 * instruction makes at most three cache accesses (fetch, read, write of SWL/SWR). */
#define MACHINE_HOT_QUEUE 4

/* Exit status of a run that a limit stopped (--max-insns, an exception storm). */
#define MACHINE_EXIT_LIMIT 3

struct cpu;

typedef struct machine_config {
    int ncpus;               /* 1..64, default 1 */
    uint64_t clock_hz;       /* default 200 MHz */
    int tlb_entries;         /* dual entries per CPU, default 64 */
    uint32_t quantum;        /* cycles per CPU turn, default 1000 */
    uint64_t max_insns;      /* stop after this many instructions in all (0: no limit) */
    FILE *trace;             /* instruction trace (NULL: off) */
    uint64_t trace_start;    /* trace only once this many instructions have run in all */
    int engine;              /* enum engine_kind (engine/engine.h), default ENGINE_JIT */
    uint64_t jit_bytes;      /* JIT code space; when full, all code is dropped */
} machine_config;

typedef void (*machine_timer_fn)(void *ctx, uint64_t now);

typedef struct machine_timer {
    machine_timer_fn fn;
    void *ctx;
    uint64_t when;
    bool armed;
} machine_timer;

typedef struct machine {
    machine_config cfg;
    bus bus;
    struct cpu *cpus[MACHINE_MAX_CPUS];
    int ncpus;

    uint64_t now;                      /* cycles; start of the current round */
    struct cpu *running;               /* CPU executing now, or NULL between turns */
    machine_timer timers[MACHINE_MAX_TIMERS];
    int ntimers;

    cpu_system sys;                    /* what the CPUs and engines see of the machine */
    uint64_t ipi_pending;              /* bit i: CPU i has an IPI pending */
    int ipi_line;                      /* interrupt line IPIs raise (default 0 = IP2) */

    /* Hot-page events for the monitor (machine_set_hotpage_hook in hook.h). */
    hotpage_fn hot_fn;
    void *hot_ctx;
    hotpage_event hot_queue[MACHINE_HOT_QUEUE];
    int hot_npending;                  /* events in hot_queue (sys.held while any) */

    void (*board_stats)(void *ctx, FILE *f);  /* extra members of --stats, or NULL */
    void *board_ctx;

    bool halted;
    int exit_code;                     /* set by the exit device or the board */
    const char *halt_reason;           /* "exit", "insn-limit", "deadlock", ... */
    uint64_t total_insns;
} machine;

void machine_config_defaults(machine_config *cfg);

/* Build a machine with cfg.ncpus CPUs and an empty bus. Returns 0 or -errno. */
int machine_init(machine *m, const machine_config *cfg);
void machine_destroy(machine *m);

/* Reset every CPU and start them at `pc` (all CPUs start at the same address). */
void machine_start(machine *m, uint32_t pc);

/* Run until halted. Returns the exit code (machine->exit_code). */
int machine_run(machine *m);

/* Stop the run at the end of the current instruction. */
void machine_halt(machine *m, int exit_code, const char *reason);

/* Current simulated time in cycles: the running CPU's own time during its turn. */
uint64_t machine_now(const machine *m);
double machine_seconds(const machine *m);

/* Device timers: add once, then arm for an absolute cycle time. Returns id or -ENOSPC. */
int machine_timer_add(machine *m, machine_timer_fn fn, void *ctx);
void machine_timer_set(machine *m, int id, uint64_t when);
void machine_timer_cancel(machine *m, int id);

/* Set or clear hardware interrupt line `line` (0..5 = Cause.IP2..IP7) of one CPU. */
void machine_set_irq(machine *m, int cpu, int line, bool level);

/* Inter-processor interrupts: raise / acknowledge CPU `cpu`'s IPI. -EINVAL if no CPU. */
int machine_send_ipi(machine *m, int cpu);
void machine_clear_ipi(machine *m, int cpu);

/* Print per-CPU statistics as JSON (the --stats format). */
void machine_write_stats(const machine *m, FILE *f);

#endif
