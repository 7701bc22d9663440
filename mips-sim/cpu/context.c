/* context.c - saving and restoring a whole CPU context for virtual-CPU switches. */
#include "mips-sim/cpu/cpu_internal.h"

#include <string.h>

void cpu_context_save(const cpu *c, cpu_context *out)
{
    memset(out, 0, sizeof(*out));
    memcpy(out->gpr, c->gpr, sizeof(out->gpr));
    out->gpr[0] = 0;
    out->hi = c->hi;
    out->lo = c->lo;
    out->pc = c->pc;
    out->npc = c->npc;
    out->in_bd = c->in_bd;
    out->cp0 = c->cp0;
    out->count = cpu_count(c);
    out->random = cpu_random(c);
    out->cp0.count_base = 0;               /* relative to this CPU's clock: not saved */
    out->cp0.count_cycle = 0;
    out->cp0.random_insn = 0;
    out->llbit = c->llbit;
    out->lladdr = c->lladdr;
    out->fpu = c->fpu;
    fpu_settle(&out->fpu);                 /* compiled code leaves FCSR.Cause lazy */
}

/* Random counts down from tlb.n - 1 to Wired, one step per instruction (cpu_random):
 * the instruction count at which it was last at the top, for it to read `random` now. */
static uint64_t context_random_base(const cpu *c, uint32_t random)
{
    uint32_t n = (uint32_t)c->tlb.n, wired = c->cp0.wired;
    if (wired >= n || random < wired || random >= n)
        return c->insns;
    return c->insns - (n - 1 - random);
}

static void context_relink(cpu *c, bool llbit, uint64_t lladdr)
{
    cpu_ll_clear(c);
    c->lladdr = lladdr;
    uint8_t *p = llbit ? bus_ram_ptr(c->sys->bus, lladdr, 4) : NULL;
    if (!p)
        return;
    c->llbit = true;
    c->ll_host = (uintptr_t)p;
    c->sys->ll_links++;
}

void cpu_context_restore(cpu *c, const cpu_context *in)
{
    memcpy(c->gpr, in->gpr, sizeof(in->gpr));
    c->gpr[0] = 0;
    c->hi = in->hi;
    c->lo = in->lo;
    c->pc = in->pc;
    c->npc = in->npc;
    c->in_bd = in->in_bd;
    c->cp0 = in->cp0;
    c->fpu = in->fpu;
    c->cp0.count_base = in->count;
    c->cp0.count_cycle = c->cycles;
    c->cp0.random_insn = context_random_base(c, in->random);
    context_relink(c, in->llbit, in->lladdr);
    c->timer_deadline = cpu_timer_deadline(c);
    cpu_update_mode(c);
    cpu_fast_flush(c);                     /* ASID, mode and ERL may all have changed */
}
