/*
 * exception.c - exception entry (architectural or through the monitor hook), and the
 * rest of the monitor interface of hook.h.
 */
#include "mips-sim/arch.h"
#include "mips-sim/cpu/cpu_internal.h"

#include <errno.h>

static const char *const exc_names[32] = {
    [EXC_INT] = "Int", [EXC_MOD] = "Mod", [EXC_TLBL] = "TLBL", [EXC_TLBS] = "TLBS",
    [EXC_ADEL] = "AdEL", [EXC_ADES] = "AdES", [EXC_IBE] = "IBE", [EXC_DBE] = "DBE",
    [EXC_SYS] = "Sys", [EXC_BP] = "Bp", [EXC_RI] = "RI", [EXC_CPU] = "CpU",
    [EXC_OV] = "Ov", [EXC_TR] = "Tr", [EXC_FPE] = "FPE", [EXC_WATCH] = "WATCH",
    [EXC_MCHECK] = "MCheck",
};

const char *cpu_exc_name(int code)
{
    if (code < 0 || code > 31 || !exc_names[code])
        return "Exc?";
    return exc_names[code];
}

static bool exc_is_tlb(int code)
{
    return code == EXC_MOD || code == EXC_TLBL || code == EXC_TLBS;
}

static bool exc_has_badvaddr(int code)
{
    return exc_is_tlb(code) || code == EXC_ADEL || code == EXC_ADES;
}

void cpu_deliver_exception(cpu *c, const cpu_exception *e)
{
    cp0_state *k = &c->cp0;
    bool exl = (k->status & ST_EXL) != 0;
    uint32_t offset = ARCH_VEC_GENERAL;

    if (!exl) {
        k->epc = e->epc;
        k->cause = e->bd ? (k->cause | CAUSE_BD) : (k->cause & ~CAUSE_BD);
        if (e->refill)
            offset = ARCH_VEC_REFILL;
        else if (e->code == EXC_INT && (k->cause & CAUSE_IV))
            offset = ARCH_VEC_INTERRUPT;
    }
    k->cause = (k->cause & ~(CAUSE_EXC | (3u << CAUSE_CE_SHIFT))) |
               ((uint32_t)e->code << CAUSE_EXC_SHIFT) | ((uint32_t)(e->ce & 3) << CAUSE_CE_SHIFT);
    if (exc_has_badvaddr(e->code))
        k->badvaddr = e->badvaddr;
    if (exc_is_tlb(e->code)) {
        k->context = (k->context & CONTEXT_PTEBASE) | ((e->badvaddr >> 9) & CONTEXT_BADVPN2);
        k->entryhi = (e->badvaddr & ENTRYHI_VPN2) | (k->entryhi & ENTRYHI_ASID);
    }
    k->status |= ST_EXL;
    cpu_update_mode(c);

    uint32_t base = (k->status & ST_BEV) ? ARCH_BEV_BASE : (k->ebase & ARCH_EBASE_MASK);
    cpu_set_pc(c, base + offset);
}

uint64_t cpu_exception_streak(const cpu *c)
{
    return c->insns == c->storm.at_insns ? c->storm.streak : 0;
}

/* Count exception `e` in the CPU's streak; true when it reaches the storm limit. */
static bool cpu_storm_count(cpu *c, const cpu_exception *e)
{
    cpu_storm *s = &c->storm;
    if (cpu_exception_streak(c) == 0) {
        s->streak = 0;
        s->at_insns = c->insns;
        s->first_pc = e->epc;
        s->first_code = (uint8_t)e->code;
    }
    s->streak++;
    s->last_pc = e->epc;
    s->last_code = (uint8_t)e->code;
    return s->streak >= CPU_STORM_LIMIT;
}

void cpu_raise(cpu *c, int code, const cpu_fault *f, int ce, uint32_t insn)
{
    cpu_exception e = {
        .code = code,
        .epc = c->in_bd ? c->pc - 4 : c->pc,
        .bd = c->in_bd,
        .next_pc = c->npc,
        .badvaddr = f ? f->badvaddr : 0,
        .refill = f ? f->refill : false,
        .ce = ce,
        .insn = insn,
        .mode = c->mode,
    };
    c->stats.exceptions[code & 31]++;
    if (e.refill)
        c->stats.tlb_refills++;
    /* Entering an exception costs a cycle; it retires no instruction. */
    c->cycles++;
    c->budget--;
    if (cpu_storm_count(c, &e)) {
        c->storm.stopped = true;        /* stopped at the faulting instruction */
        c->state = CPU_HALTED;
        c->budget = 0;
        return;
    }
    if (c->hook) {
        c->stats.hook_calls++;
        cpu_set_pc(c, e.epc);
        if (c->hook(c, &e, c->hook_ctx) == CPU_HOOK_HANDLED)
            return;
    }
    cpu_deliver_exception(c, &e);
}

/* ---- the rest of the monitor interface --------------------------------------------- */

void cpu_set_hook(cpu *c, cpu_hook_fn fn, void *ctx)
{
    c->hook = fn;
    c->hook_ctx = ctx;
}

uint32_t cpu_get_gpr(const cpu *c, int r) { return c->gpr[r & 31]; }

void cpu_set_gpr(cpu *c, int r, uint32_t v)
{
    if ((r & 31) != 0)
        c->gpr[r & 31] = v;
}

uint32_t cpu_get_hi(const cpu *c) { return c->hi; }
uint32_t cpu_get_lo(const cpu *c) { return c->lo; }

void cpu_set_hilo(cpu *c, uint32_t hi, uint32_t lo)
{
    c->hi = hi;
    c->lo = lo;
}

uint32_t cpu_get_pc(const cpu *c) { return c->pc; }

void cpu_set_pc(cpu *c, uint32_t pc)
{
    c->pc = pc;
    c->npc = pc + 4;
    c->in_bd = false;
}

int cpu_tlb_read(const cpu *c, int idx, uint32_t *entryhi, uint32_t *pagemask,
                 uint32_t *lo0, uint32_t *lo1)
{
    if (idx < 0 || idx >= c->tlb.n)
        return -EINVAL;
    tlb_read(&c->tlb, idx, entryhi, pagemask, lo0, lo1);
    return 0;
}

int cpu_tlb_write(cpu *c, int idx, uint32_t entryhi, uint32_t pagemask, uint32_t lo0,
                  uint32_t lo1)
{
    if (idx < 0 || idx >= c->tlb.n)
        return -EINVAL;
    cp0_state saved = c->cp0;
    c->cp0.entryhi = entryhi;
    c->cp0.pagemask = pagemask;
    c->cp0.entrylo0 = lo0;
    c->cp0.entrylo1 = lo1;
    c->cp0.index = (uint32_t)idx;
    cpu_tlbwi(c); /* same path as the instruction, so the fast path is kept exact */
    c->cp0 = saved;
    return 0;
}

int cpu_tlb_probe(const cpu *c, uint32_t entryhi)
{
    return tlb_probe(&c->tlb, entryhi);
}

void cpu_charge_cycles(cpu *c, uint64_t cycles)
{
    c->cycles += cycles;
    c->budget -= (int64_t)cycles;
    c->stats.charged_cycles += cycles;
}
