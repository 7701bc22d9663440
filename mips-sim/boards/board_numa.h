/*
 * board_numa.h - the ccNUMA board the monitor runs on: N nodes, each with C CPUs and
 * its own slice of machine memory, plus the test board's UART, exit and IPI devices.
 *
 * Memory map: node i's memory is [i * mem_per_node, (i + 1) * mem_per_node), so the
 * home node of a physical page is paddr / mem_per_node; all of it must lie below the
 * device window at 0x1f000000 (so it is reachable through kseg0/kseg1). CPU k is on
 * node k / cpus_per_node. The shape is also built as an hwloc topology (numa/topology.h)
 * so the monitor and the policies see the same machine.
 *
 * With the cache model on (the default), every memory access goes through the per-CPU
 * caches (mips-sim/mem/cache.h), misses stall the CPU by the home node's latency, and the
 * FLASH-style counters (mips-sim/mem/hotpage.h) raise hot-page events.
 *
 * For the monitor (no ELF): machine_init with nodes * cpus_per_node CPUs, then
 * board_numa_setup; RAM comes zeroed. Write code and data with cpu_phys_write or
 * cpu_phys_copy_page (hook.h), set each CPU's hook, and start each CPU where it wants
 * with cpu_reset(c, pc) and/or cpu_context_restore (machine_start would put every CPU
 * at one pc); a CPU with nothing to do yet can be parked with cpu_idle until an IPI.
 * Take hot-page events with machine_set_hotpage_hook (not hotpage_set_hook: the machine
 * hands events over between instructions). Then machine_run.
 */
#ifndef MIPS_SIM_BOARD_NUMA_H
#define MIPS_SIM_BOARD_NUMA_H

#include <stdio.h>

#include "mips-sim/arch.h"
#include "mips-sim/boards/board_test.h"
#include "mips-sim/mem/cache.h"
#include "mips-sim/mem/hotpage.h"
#include "mips-sim/machine.h"

struct numa_topology;

typedef struct board_numa_config {
    int nodes;                  /* 1..BOARD_NUMA_MAX_NODES (16) */
    int cpus_per_node;          /* nodes * cpus_per_node <= ARCH_MAX_CPUS (64) */
    uint64_t mem_per_node;      /* bytes, multiple of 1 MB */
    bool cache_model;           /* default true */
    cache_config cache;
    hotpage_config hot;
    FILE *hot_log;              /* one line per hot-page event, or NULL */
} board_numa_config;

typedef struct board_numa {
    board_numa_config cfg;
    machine *m;
    board_test dev;
    uint8_t *ram[BOARD_NUMA_MAX_NODES];
    struct numa_topology *topo;
    cache_model cache;
    hotpage hot;
    bool has_cache;
} board_numa;

void board_numa_config_defaults(board_numa_config *cfg, uint64_t clock_hz);

/* Check a configuration; returns NULL or a one-line reason. */
const char *board_numa_check(const board_numa_config *cfg);

/* Build the board on a machine made with nodes * cpus_per_node CPUs. 0 or -errno. */
int board_numa_setup(board_numa *bn, machine *m, const board_numa_config *cfg, FILE *console);
void board_numa_destroy(board_numa *bn);

/* Home node of a physical address (-1 outside node memory). */
int board_numa_home(const board_numa *bn, uint64_t paddr);

/* Per-node statistics as a JSON array (the "nodes" member of --stats). */
void board_numa_write_stats(const board_numa *bn, FILE *f);

#endif
