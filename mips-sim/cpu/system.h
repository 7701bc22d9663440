/*
 * system.h - what the CPUs of one machine share, as the CPU and the engines see it.
 *
 * The CPU layer and the engines never see the machine (machine.h sits above them): what
 * they need of it is here, owned by the machine, which fills it in machine_init and
 * keeps it current. Each CPU points at it (cpu.sys).
 *
 *  - bus: the physical bus every CPU reaches (mem/bus.h);
 *  - cpus, ncpus: the CPUs themselves, for what one CPU does to the others (breaking
 *    their LL links, dropping their write tags for a page that becomes code);
 *  - ll_links: how many CPUs hold an LL link (stores search for links to break only
 *    when some CPU holds one);
 *  - the engines' settings (engine, jit_bytes, trace) and state (code, cache);
 *  - held events: a machine-level event raised inside an instruction (a hot page) is
 *    held until the instruction completes; `held` makes the engine end its slice, and
 *    the run loop then calls deliver(deliver_ctx) between instructions.
 *
 * Invariants: cpus[i]->id == i and cpus[i]->sys == this for i < ncpus; ll_links equals
 * the number of CPUs whose llbit is set.
 */
#ifndef MIPS_SIM_CPU_SYSTEM_H
#define MIPS_SIM_CPU_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mips-sim/mem/bus.h"
#include "mips-sim/mem/cache.h"

struct cpu;
struct codecache;

typedef struct cpu_system {
    bus *bus;
    struct cpu *const *cpus;
    int ncpus;
    int ll_links;                  /* CPUs with llbit set */

    int engine;                    /* enum engine_kind (engine/engine.h) */
    uint64_t jit_bytes;            /* JIT code space; when full, all code is dropped */
    FILE *trace;                   /* trace every instruction of this turn, or NULL */
    struct codecache *code;        /* decoded blocks (engine/codecache.h), made on first use */
    cache_model *cache;            /* NUMA cache model, NULL when off */

    bool held;                     /* events wait for the current instruction to end */
    void (*deliver)(void *ctx);    /* hands them over; clears `held` */
    void *deliver_ctx;
} cpu_system;

#endif
