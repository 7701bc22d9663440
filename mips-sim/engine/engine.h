/*
 * engine.h - running a CPU: the per-CPU run loop and the choice of engine.
 *
 * Three engines execute instructions, fastest first; for the same program they give the
 * same results, instruction for instruction (see interp.h, docs/engines.md):
 *   ENGINE_JIT     blocks compiled to host code (jit.h), else as ENGINE_BLOCKS;
 *   ENGINE_BLOCKS  pre-decoded blocks with threaded dispatch (codecache.h);
 *   ENGINE_INTERP  the interpreter, which decodes every instruction.
 * The interpreter also runs whatever the others leave to it and every traced
 * instruction. All three charge the NUMA cache model and the hot-page counters through
 * the one memory fast path (memfast.h), with identical statistics.
 */
#ifndef MIPS_SIM_ENGINE_ENGINE_H
#define MIPS_SIM_ENGINE_ENGINE_H

#include <stdint.h>

#include "mips-sim/cpu/cpu.h"

enum engine_kind { ENGINE_JIT = 0, ENGINE_BLOCKS = 1, ENGINE_INTERP = 2 };

/*
 * Run one turn of CPU c: until its budget (c->budget, set by the caller) is used up,
 * it halts, a hook ends the turn (cpu_end_turn) or `max_insns` instructions have run
 * (0: no limit). A waiting CPU sleeps (its clock skips ahead) until its wait is over.
 * Held events (cpu_system.held) are delivered between instructions. Returns the
 * instructions executed.
 */
uint64_t cpu_run(cpu *c, uint64_t max_insns);

#endif
