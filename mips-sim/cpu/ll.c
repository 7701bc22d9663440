/*
 * ll.c - LL/SC links: a CPU's link on a word (LL sets it, SC needs it) breaks when
 * another agent stores to the word, and on exception return. Stores search the other
 * CPUs for links only while some CPU holds one (cpu_system.ll_links).
 */
#include "mips-sim/cpu/cpu_internal.h"

void cpu_ll_break(cpu *self, uintptr_t host)
{
    const cpu_system *sys = self->sys;
    for (int i = 0; i < sys->ncpus; i++) {
        cpu *o = sys->cpus[i];
        if (o != self && o->llbit && o->ll_host == host)
            cpu_ll_clear(o);
    }
}

void cpu_ll_break_range(cpu_system *sys, uintptr_t lo, uintptr_t hi)
{
    for (int i = 0; sys->ll_links && i < sys->ncpus; i++) {
        cpu *o = sys->cpus[i];
        if (o->llbit && o->ll_host >= lo && o->ll_host < hi)
            cpu_ll_clear(o);
    }
}

void cpu_ll_clear(cpu *c)
{
    if (c->llbit) {
        c->llbit = false;
        c->sys->ll_links--;
    }
}
