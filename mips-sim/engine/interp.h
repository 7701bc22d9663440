/*
 * interp.h - the two execution engines behind cpu_run() (engine.h): the interpreter
 * and the block engine.
 *
 * Both run up to `max` cycles of one CPU's slice and leave the CPU's architectural
 * state exact when they return; either may end the slice early (a slow-path access, a
 * CP0 write, an exception), and the run loop then starts the next one. For the same
 * program they give the same results, instruction for instruction.
 */
#ifndef MIPS_SIM_ENGINE_INTERP_H
#define MIPS_SIM_ENGINE_INTERP_H

#include <stdint.h>

#include "mips-sim/cpu/cpu.h"

/* The interpreter: decodes every instruction; no trace, no cache model. */
void interp_slice_plain(cpu *c, uint64_t max);
/* The interpreter with the NUMA cache model (c->sys->cache must be set). */
void interp_slice_cached(cpu *c, uint64_t max);
/* The interpreter writing every instruction to c->sys->trace (and the cache model when
 * there is one). */
void interp_slice_traced(cpu *c, uint64_t max);

/* The block engine (blockexec.c): pre-decoded blocks, falling back to the interpreter;
 * with the cache model when c->sys->cache is set. */
void blockexec_slice(cpu *c, uint64_t max);

#endif
