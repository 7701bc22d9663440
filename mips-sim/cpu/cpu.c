/* cpu.c - CPU creation and reset, CP0 register semantics, Count/Compare, interrupts. */
#include "mips-sim/arch.h"
#include "mips-sim/cpu/cpu_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Config1 caches we report: 16 KB, 4-way, 32-byte lines (I and D). Linux sizes its
 * cache maintenance from these; the CACHE instruction itself has nothing to do. */
#define CFG1_FP 1u /* an FPU is present (fpu.h) */
#define CFG1_CACHES ((1u << 22) | (4u << 19) | (3u << 16) | (1u << 13) | (4u << 10) | (3u << 7))
#define PRID_24KC 0x00019300u
#define CFG3_ULRI (1u << 13)
#define INTCTL_IPTI_7 (7u << 29)
#define EBASE_WRITABLE 0x3ffff000u
#define HWRENA_BITS 0x2000000fu
#define CAUSE_WRITABLE (CAUSE_IP_SW | CAUSE_IV | CAUSE_DC)

cpu *cpu_new(cpu_system *sys, struct machine *m, int id, int tlb_entries)
{
    cpu *c = aligned_alloc(64, (sizeof(cpu) + 63) & ~(size_t)63);
    if (!c)
        return NULL;
    memset(c, 0, sizeof(*c));
    if (tlb_init(&c->tlb, tlb_entries) < 0) {
        free(c);
        return NULL;
    }
    c->sys = sys;
    c->m = m;
    c->id = id;
    cpu_reset(c, ARCH_RESET_PC);
    return c;
}

void cpu_free(cpu *c)
{
    if (!c)
        return;
    tlb_destroy(&c->tlb);
    free(c);
}

void cpu_reset(cpu *c, uint32_t pc)
{
    cp0_state *k = &c->cp0;
    memset(c->gpr, 0, sizeof(c->gpr));
    c->hi = c->lo = 0;
    fpu_reset(&c->fpu);
    memset(k, 0, sizeof(*k));
    k->status = ST_BEV | ST_ERL;
    k->prid = PRID_24KC;
    k->ebase = ARCH_EBASE_RESET | (uint32_t)c->id;
    k->config0 = CFG_M | (1u << 10) | (1u << 7) | 3u; /* M, AR=R2, MT=TLB, K0 */
    k->config1 = CFG_M | ((uint32_t)((c->tlb.n - 1) & 63) << 25) | CFG1_CACHES | CFG1_FP;
    k->config2 = CFG_M;
    k->config3 = CFG3_ULRI;
    k->intctl = INTCTL_IPTI_7;
    k->count_cycle = c->cycles;
    k->random_insn = c->insns;
    cpu_ll_clear(c);                  /* keeps sys->ll_links exact */
    memset(&c->storm, 0, sizeof(c->storm));
    c->state = CPU_RUNNING;
    cpu_set_pc(c, pc);
    cpu_update_mode(c);
    cpu_fast_flush(c);
    c->timer_deadline = cpu_timer_deadline(c);
}

void cpu_fast_flush(cpu *c)
{
    for (int m = 0; m < 3; m++)
        for (int i = 0; i < CPU_HTLB_SIZE; i++)
            c->htlb_modes[m][i].rtag = c->htlb_modes[m][i].wtag = CPU_HTLB_INVALID;
    c->fetch_page = CPU_FETCH_NONE;
    c->fetch_line = CPU_FETCH_LINE_NONE;
}

void cpu_update_mode(cpu *c)
{
    uint32_t st = c->cp0.status;
    uint8_t mode;
    if (st & (ST_EXL | ST_ERL))
        mode = CPU_MODE_KERNEL;
    else
        switch ((st & ST_KSU) >> ST_KSU_SHIFT) {
        case 0: mode = CPU_MODE_KERNEL; break;
        case 1: mode = CPU_MODE_SUPERVISOR; break;
        default: mode = CPU_MODE_USER; break; /* KSU = 3 is reserved: least privilege */
        }
    c->mode = mode;
    c->htlb = c->htlb_modes[mode];
    c->fetch_page = CPU_FETCH_NONE;
    c->fetch_line = CPU_FETCH_LINE_NONE;
}

/* ---- Count / Compare --------------------------------------------------------------- */

uint32_t cpu_count(const cpu *c)
{
    return c->cp0.count_base + (uint32_t)((c->cycles - c->cp0.count_cycle) >> 1);
}

uint64_t cpu_timer_deadline(const cpu *c)
{
    const cp0_state *k = &c->cp0;
    uint64_t d = k->count_cycle + 2 * (uint64_t)(uint32_t)(k->compare - k->count_base);
    if (d <= c->cycles) /* passed already: the next match is after Count wraps */
        d += ((c->cycles - d) / (1ull << 33) + 1) << 33;
    return d;
}

void cpu_timer_update(cpu *c)
{
    if (c->cycles >= c->timer_deadline) {
        c->cp0.cause |= CAUSE_TI;
        c->timer_deadline = cpu_timer_deadline(c);
    }
}

/* ---- interrupts ------------------------------------------------------------------------ */

static uint32_t cpu_cause(const cpu *c)
{
    uint32_t cause = c->cp0.cause & ~(CAUSE_IP & ~CAUSE_IP_SW);
    cause |= (c->irq_lines & 0x3f) << 10;
    if (cause & CAUSE_TI)
        cause |= 0x8000u; /* IntCtl.IPTI = 7: the timer shares IP7 */
    return cause;
}

bool cpu_irq_pending(const cpu *c)
{
    uint32_t st = c->cp0.status;
    if (!(st & ST_IE) || (st & (ST_EXL | ST_ERL)))
        return false;
    return (cpu_cause(c) & st & ST_IM) != 0;
}

void cpu_set_irq(cpu *c, int line, bool level)
{
    if (line < 0 || line > 5)
        return;
    if (level)
        c->irq_lines |= 1u << line;
    else
        c->irq_lines &= ~(1u << line);
}

/* WAIT ends when an interrupt is requested, even one masked by Status.IE. */
bool cpu_wait_over(const cpu *c)
{
    return (cpu_cause(c) & c->cp0.status & ST_IM) != 0;
}

bool cpu_check_interrupt(cpu *c)
{
    cpu_timer_update(c);
    if (c->state == CPU_WAITING && cpu_wait_over(c))
        c->state = CPU_RUNNING;
    if (c->state != CPU_RUNNING || !cpu_irq_pending(c))
        return false;
    c->stats.interrupts++;
    cpu_raise(c, EXC_INT, NULL, 0, 0);
    return true;
}

/* ---- CP0 registers ----------------------------------------------------------------- */

uint32_t cpu_random(const cpu *c)
{
    uint32_t n = (uint32_t)c->tlb.n, wired = c->cp0.wired;
    if (wired >= n)
        return n - 1;
    uint32_t span = n - wired;
    return n - 1 - (uint32_t)((c->insns - c->cp0.random_insn) % span);
}

uint32_t cpu_get_cp0(cpu *c, int reg, int sel)
{
    const cp0_state *k = &c->cp0;
    switch (reg * 8 + sel) {
    case CP0_INDEX * 8: return k->index;
    case CP0_RANDOM * 8: return cpu_random(c);
    case CP0_ENTRYLO0 * 8: return k->entrylo0;
    case CP0_ENTRYLO1 * 8: return k->entrylo1;
    case CP0_CONTEXT * 8: return k->context;
    case CP0_CONTEXT * 8 + 2: return k->userlocal;
    case CP0_PAGEMASK * 8: return k->pagemask;
    case CP0_WIRED * 8: return k->wired;
    case CP0_HWRENA * 8: return k->hwrena;
    case CP0_BADVADDR * 8: return k->badvaddr;
    case CP0_COUNT * 8: return cpu_count(c);
    case CP0_ENTRYHI * 8: return k->entryhi;
    case CP0_COMPARE * 8: return k->compare;
    case CP0_STATUS * 8: return k->status;
    case CP0_STATUS * 8 + 1: return k->intctl;
    case CP0_CAUSE * 8: cpu_timer_update(c); return cpu_cause(c);
    case CP0_EPC * 8: return k->epc;
    case CP0_PRID * 8: return k->prid;
    case CP0_PRID * 8 + 1: return k->ebase;
    case CP0_CONFIG * 8: return k->config0;
    case CP0_CONFIG * 8 + 1: return k->config1;
    case CP0_CONFIG * 8 + 2: return k->config2;
    case CP0_CONFIG * 8 + 3: return k->config3;
    case CP0_LLADDR * 8: return (uint32_t)(c->lladdr >> 4);
    case CP0_ERROREPC * 8: return k->errorepc;
    default: return 0; /* unimplemented registers read as zero */
    }
}

static void cpu_set_status(cpu *c, uint32_t v)
{
    uint32_t old = c->cp0.status;
    c->cp0.status = (old & ~ST_WRITABLE) | (v & ST_WRITABLE);
    if ((old ^ c->cp0.status) & ST_ERL)
        cpu_fast_flush(c); /* ERL changes how kernel mode sees kuseg */
    cpu_update_mode(c);
}

static void cpu_set_entryhi(cpu *c, uint32_t v)
{
    uint32_t old = c->cp0.entryhi;
    c->cp0.entryhi = v & (ENTRYHI_VPN2 | ENTRYHI_ASID);
    if ((old ^ v) & ENTRYHI_ASID)
        cpu_fast_flush(c);
}

void cpu_set_cp0(cpu *c, int reg, int sel, uint32_t v)
{
    cp0_state *k = &c->cp0;
    switch (reg * 8 + sel) {
    case CP0_INDEX * 8: k->index = (k->index & INDEX_P) | (v % (uint32_t)c->tlb.n); break;
    case CP0_ENTRYLO0 * 8: k->entrylo0 = v & ENTRYLO_BITS; break;
    case CP0_ENTRYLO1 * 8: k->entrylo1 = v & ENTRYLO_BITS; break;
    case CP0_CONTEXT * 8: k->context = (k->context & CONTEXT_BADVPN2) | (v & CONTEXT_PTEBASE); break;
    case CP0_CONTEXT * 8 + 2: k->userlocal = v; break;
    case CP0_PAGEMASK * 8: k->pagemask = v & PAGEMASK_BITS; break;
    case CP0_WIRED * 8:
        k->wired = v % (uint32_t)c->tlb.n;
        k->random_insn = c->insns; /* writing Wired resets Random to the top */
        break;
    case CP0_HWRENA * 8: k->hwrena = v & HWRENA_BITS; break;
    case CP0_COUNT * 8:
        k->count_base = v;
        k->count_cycle = c->cycles;
        c->timer_deadline = cpu_timer_deadline(c);
        break;
    case CP0_ENTRYHI * 8: cpu_set_entryhi(c, v); break;
    case CP0_COMPARE * 8:
        k->compare = v;
        k->cause &= ~CAUSE_TI; /* writing Compare acknowledges the timer */
        c->timer_deadline = cpu_timer_deadline(c);
        break;
    case CP0_STATUS * 8: cpu_set_status(c, v); break;
    case CP0_STATUS * 8 + 1: k->intctl = (k->intctl & ~0x3e0u) | (v & 0x3e0u); break;
    case CP0_CAUSE * 8: k->cause = (k->cause & ~CAUSE_WRITABLE) | (v & CAUSE_WRITABLE); break;
    case CP0_EPC * 8: k->epc = v; break;
    case CP0_PRID * 8 + 1: k->ebase = (k->ebase & ~EBASE_WRITABLE) | (v & EBASE_WRITABLE); break;
    case CP0_CONFIG * 8: k->config0 = (k->config0 & ~7u) | (v & 7u); break;
    case CP0_ERROREPC * 8: k->errorepc = v; break;
    default: break; /* read-only or unimplemented: the write is ignored */
    }
}

/* ---- TLB instructions -------------------------------------------------------------- */

static void cpu_tlb_store(cpu *c, int idx)
{
    const cp0_state *k = &c->cp0;
    uint32_t hi, pm, lo0, lo1;
    tlb_read(&c->tlb, idx, &hi, &pm, &lo0, &lo1);
    cpu_fast_flush_range(c, hi & ~(pm | ARCH_PAGE_PAIR_MASK), (pm | ARCH_PAGE_PAIR_MASK) + 1);
    tlb_write(&c->tlb, idx, k->entryhi, k->pagemask, k->entrylo0, k->entrylo1);
    cpu_fast_flush_range(c, k->entryhi & ~(k->pagemask | ARCH_PAGE_PAIR_MASK),
                         (k->pagemask | ARCH_PAGE_PAIR_MASK) + 1);
}

void cpu_tlbwi(cpu *c)
{
    cpu_tlb_store(c, (int)(c->cp0.index & ~INDEX_P) % c->tlb.n);
}

void cpu_tlbwr(cpu *c)
{
    cpu_tlb_store(c, (int)cpu_random(c));
}

void cpu_tlbr(cpu *c)
{
    cp0_state *k = &c->cp0;
    uint32_t hi;
    tlb_read(&c->tlb, (int)(k->index & ~INDEX_P) % c->tlb.n, &hi, &k->pagemask,
             &k->entrylo0, &k->entrylo1);
    cpu_set_entryhi(c, hi);
}

void cpu_tlbp(cpu *c)
{
    int idx = tlb_probe(&c->tlb, c->cp0.entryhi);
    c->cp0.index = idx < 0 ? INDEX_P : (uint32_t)idx;
}

void cpu_eret(cpu *c)
{
    cp0_state *k = &c->cp0;
    uint32_t target;
    if (k->status & ST_ERL) {
        target = k->errorepc;
        cpu_set_status(c, k->status & ~ST_ERL);
    } else {
        target = k->epc;
        cpu_set_status(c, k->status & ~ST_EXL);
    }
    cpu_ll_clear(c);
    cpu_set_pc(c, target);
}

/* ---- turns and idling (hook.h) -------------------------------------------------------- */

void cpu_end_turn(cpu *c)
{
    /* cpu_run stops before the next instruction; a CPU not in a turn gets a new budget
     * and a cleared flag when its next turn starts. */
    c->turn_over = true;
    c->budget = 0;
}

void cpu_idle(cpu *c)
{
    c->state = CPU_WAITING;    /* cpu_run skips time until cpu_wait_over() */
}
