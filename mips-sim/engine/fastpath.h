/*
 * fastpath.h - the memory fast path's slow side (fastpath.c), shared by the engines.
 *
 * The fast path itself is a table per CPU and mode (cpu.h: htlb): an engine's load or
 * store compares the page of its address with the entry's tag and, on a hit, touches
 * host memory at addend + vaddr. Anything else - a miss, a device, a fault - goes
 * through these calls, which translate, reach the bus, and fill the table when the
 * page is RAM (the write tag only when the page may be written and holds no decoded
 * code).
 */
#ifndef MIPS_SIM_ENGINE_FASTPATH_H
#define MIPS_SIM_ENGINE_FASTPATH_H

#include <stdint.h>

#include "mips-sim/cpu/cpu_internal.h"

/* Slow paths (fast-path miss or device): 0 on success, -1 with *f filled on a fault.
 * They refill the fast path when the page is RAM. */
int cpu_load_slow(cpu *c, uint32_t vaddr, int size, uint32_t *val, cpu_fault *f);
int cpu_store_slow(cpu *c, uint32_t vaddr, int size, uint32_t val, cpu_fault *f);
int cpu_fetch_slow(cpu *c, uint32_t pc, cpu_fault *f);
/* Physical address of a RAM word for LL (fills *pa and *host), or -1 with *f. */
int cpu_ll_translate(cpu *c, uint32_t vaddr, uint64_t *pa, uintptr_t *host, cpu_fault *f);

#endif
