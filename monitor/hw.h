/*
 * monitor/hw.h - what the monitor needs from a physical CPU beyond mips-sim/hook.h:
 * dropping the LL link, as ERET does (and as a vCPU switch must, so that an SC after
 * either fails), and dropping every CPU's link on a machine frame the monitor retires
 * (a page moved off it: see vtlb_frames_retire). hook.h has no call for it; cpu_context_restore() relinks from a saved
 * context, far too heavy for every emulated ERET. This file is the only place that
 * reaches below hook.h, and goes when hook.h offers the call.
 */
#ifndef MONITOR_HW_H
#define MONITOR_HW_H

#include "mips-sim/cpu/cpu.h"

/* Drop the CPU's LL link, as ERET does. */
void hw_ll_clear(cpu *c);

/* Drop the LL link of every CPU of c's system whose linked word lies in the 4 KB RAM
 * frame at page-aligned paddr (what the shootdown IPI's ERET would do on each CPU that
 * took one). A paddr that is not RAM is ignored. */
void hw_ll_break_frame(cpu *c, uint64_t paddr);

#endif
