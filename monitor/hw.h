/*
 * monitor/hw.h - what the monitor needs from a physical CPU beyond mips-sim/hook.h:
 * dropping the LL link, as ERET does (and as a vCPU switch must, so that an SC after
 * either fails). hook.h has no call for it; cpu_context_restore() relinks from a saved
 * context, far too heavy for every emulated ERET. This file is the only place that
 * reaches below hook.h, and goes when hook.h offers the call.
 */
#ifndef MONITOR_HW_H
#define MONITOR_HW_H

#include "mips-sim/cpu/cpu.h"

/* Drop the CPU's LL link, as ERET does. */
void hw_ll_clear(cpu *c);

#endif
