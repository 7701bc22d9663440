/*
 * run.c - the per-CPU run loop: interrupts, waiting, slices up to the next timer
 * deadline, the choice of engine for each slice, and held events between slices.
 */
#include "mips-sim/engine/engine.h"

#include "mips-sim/cpu/cpu_internal.h"
#include "mips-sim/engine/interp.h"

#define UNLIKELY(x) __builtin_expect(!!(x), 0)

/* The block engine (compiled or threaded) runs unless a trace needs every instruction
 * or the interpreter was asked for; all of them charge the cache model (memfast.h). */
static void run_slice(cpu *c, uint64_t max)
{
    const cpu_system *sys = c->sys;
    if (UNLIKELY(sys->trace))
        interp_slice_traced(c, max);
    else if (sys->engine != ENGINE_INTERP)
        blockexec_slice(c, max);
    else if (sys->cache)
        interp_slice_cached(c, max);
    else
        interp_slice_plain(c, max);
}

/* A waiting CPU sleeps until its budget ends or its timer fires. */
static void run_sleep(cpu *c)
{
    uint64_t skip = (uint64_t)c->budget;
    if (c->timer_deadline - c->cycles < skip)
        skip = c->timer_deadline - c->cycles;
    c->cycles += skip;
    c->budget -= (int64_t)skip;
    c->stats.idle_cycles += skip;
}

uint64_t cpu_run(cpu *c, uint64_t max_insns)
{
    cpu_system *sys = c->sys;
    uint64_t start = c->insns;
    c->turn_over = false;                  /* cpu_end_turn also zeroes the budget */
    c->fetch_line = CPU_FETCH_LINE_NONE;   /* other CPUs ran: charge the next fetch */
    while (c->budget > 0 && c->state != CPU_HALTED) {
        uint64_t done = c->insns - start;
        if (max_insns && done >= max_insns)
            break;
        if (cpu_check_interrupt(c) && UNLIKELY(c->turn_over || c->state == CPU_HALTED ||
                                               c->budget <= 0))
            break;                         /* the interrupt's hook ended the turn or
                                            * charged the rest of it (a negative budget
                                            * would make a slice without end), or the
                                            * interrupt ended an exception storm */
        if (c->state == CPU_WAITING) {
            run_sleep(c);
            continue;
        }
        uint64_t slice = (uint64_t)c->budget;
        if (c->timer_deadline - c->cycles < slice)
            slice = c->timer_deadline - c->cycles;
        if (max_insns && max_insns - done < slice)
            slice = max_insns - done;
        run_slice(c, slice ? slice : 1);
        if (UNLIKELY(sys->held))
            sys->deliver(sys->deliver_ctx); /* between instructions, in this CPU's turn */
    }
    return c->insns - start;
}
