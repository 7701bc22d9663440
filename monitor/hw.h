/*
 * monitor/hw.h - what the monitor needs from a physical CPU beyond mips-sim/hook.h as
 * it stands: waiting for an interrupt, and dropping the LL link (ERET and a vCPU
 * switch must make a pending SC fail). hook.h is getting cpu_idle() and
 * cpu_context_save/restore (which carry the LL state); when they land these wrappers
 * call them, and this file is the only place that changes.
 */
#ifndef MONITOR_HW_H
#define MONITOR_HW_H

#include "mips-sim/cpu.h"

/* The CPU waits (executes nothing) from the hook's return until an interrupt. */
void hw_idle(cpu *c);
/* The CPU runs again (an idle CPU woken by the hook). */
void hw_run(cpu *c);
/* Drop the CPU's LL link, as ERET does. */
void hw_ll_clear(cpu *c);

#endif
