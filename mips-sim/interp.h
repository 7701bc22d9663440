/*
 * interp.h - the two execution engines behind cpu_run().
 *
 * Both run up to `max` cycles of one CPU's slice and leave the CPU's architectural
 * state exact when they return; either may end the slice early (a slow-path access, a
 * CP0 write, an exception), and the run loop then starts the next one. For the same
 * program they give the same results, instruction for instruction.
 */
#ifndef MIPS_SIM_INTERP_H
#define MIPS_SIM_INTERP_H

#include <stdint.h>

#include "mips-sim/cpu.h"

/* The interpreter: decodes every instruction; no trace, no cache model. */
void interp_slice_plain(cpu *c, uint64_t max);

/* The block engine (blockexec.c): pre-decoded blocks, falling back to the interpreter. */
void blockexec_slice(cpu *c, uint64_t max);

#endif
