/*
 * emulate.c - trap-and-emulate of the privileged instructions a guest kernel executes
 * in (virtual) kernel mode, against the virtual CP0 and the virtual TLB.
 *
 * Dispatch: the decoded operation selects a handler from emul_ops[]; MFC0/MTC0 select
 * the register from vregs[] by (register, select). Each handler completes the
 * instruction exactly as the hardware would, including its place in a branch delay
 * slot (execution continues at the exception's next_pc), and returns true; an
 * operation with no handler returns false and the caller forwards Reserved Instruction.
 * Real-CPU side effects of the virtual state (mode, ASID) are applied by the caller on
 * the way out (vcpu_apply_mode).
 */
#include "mips-sim/cpu/decode.h"
#include "monitor/hw.h"
#include "monitor/internal.h"

#define VST_WRITABLE (ST_CU0 | ST_BEV | ST_SR | ST_NMI | ST_IM | ST_KSU | ST_ERL | ST_EXL | ST_IE)
#define VCAUSE_WRITABLE (CAUSE_IV | CAUSE_DC)
#define VHWRENA_BITS 0x2000000fu
#define VCONTEXT_PTEBASE 0xff800000u
#define VENTRYLO_BITS 0x3fffffffu
#define VEBASE_BITS 0xfffff000u
#define VINTCTL_VS 0x3e0u
#define CP0_KSCRATCH 31

typedef uint32_t (*vreg_get)(struct pcpu *p, struct vcpu *v);
typedef void (*vreg_set)(struct pcpu *p, struct vcpu *v, uint32_t val);

struct vreg {
    vreg_get get;
    vreg_set set;               /* NULL: read-only */
};

/* ---- virtual CP0 registers -------------------------------------------------------------- */

#define VREG_PLAIN(name, field, mask)                                                     \
    static uint32_t get_##name(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.field; } \
    static void set_##name(struct pcpu *p, struct vcpu *v, uint32_t x) { (void)p; v->cp0.field = x & (mask); }

VREG_PLAIN(entrylo0, entrylo0, VENTRYLO_BITS)
VREG_PLAIN(entrylo1, entrylo1, VENTRYLO_BITS)
VREG_PLAIN(pagemask, pagemask, PAGEMASK_BITS)
VREG_PLAIN(entryhi, entryhi, ENTRYHI_VPN2 | ENTRYHI_ASID)
VREG_PLAIN(epc, epc, 0xffffffffu)
VREG_PLAIN(errorepc, errorepc, 0xffffffffu)
VREG_PLAIN(ebase, ebase, VEBASE_BITS)
VREG_PLAIN(kscratch0, kscratch[0], 0xffffffffu)
VREG_PLAIN(kscratch1, kscratch[1], 0xffffffffu)

static uint32_t get_index(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.index; }
static void set_index(struct pcpu *p, struct vcpu *v, uint32_t x)
{
    (void)p;
    v->cp0.index = (v->cp0.index & 0x80000000u) | (x % VTLB_ENTRIES);
}
static uint32_t get_random(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.random; }
static uint32_t get_context(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.context; }
static void set_context(struct pcpu *p, struct vcpu *v, uint32_t x)
{
    (void)p;
    v->cp0.context = (v->cp0.context & ~VCONTEXT_PTEBASE) | (x & VCONTEXT_PTEBASE);
}
static uint32_t get_userlocal(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.userlocal; }
static void set_userlocal(struct pcpu *p, struct vcpu *v, uint32_t x)
{
    v->cp0.userlocal = x;
    cpu_set_cp0(p->c, CP0_CONTEXT, 2, x);        /* RDHWR $29 in user mode reads it */
}
static uint32_t get_wired(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.wired; }
static void set_wired(struct pcpu *p, struct vcpu *v, uint32_t x)
{
    (void)p;
    v->cp0.wired = x % VTLB_ENTRIES;
    v->cp0.random = VTLB_ENTRIES - 1;            /* writing Wired resets Random */
}
static uint32_t get_hwrena(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.hwrena; }
static void set_hwrena(struct pcpu *p, struct vcpu *v, uint32_t x)
{
    v->cp0.hwrena = x & VHWRENA_BITS;
    cpu_set_cp0(p->c, CP0_HWRENA, 0, v->cp0.hwrena);
    vcpu_sync_real_count(p, v);       /* rdhwr $2 may read Count from now on */
}
static uint32_t get_badvaddr(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.badvaddr; }
static uint32_t get_count(struct pcpu *p, struct vcpu *v) { return vcpu_count(v, machine_now(&p->mon->m)); }
static void set_count(struct pcpu *p, struct vcpu *v, uint32_t x)
{
    vcpu_set_count(v, machine_now(&p->mon->m), x);
    vcpu_sync_real_count(p, v);
    sched_program_timer(p);
}
static uint32_t get_compare(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.compare; }
static void set_compare(struct pcpu *p, struct vcpu *v, uint32_t x) { vcpu_set_compare(p, v, x); }
static uint32_t get_status(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.status; }
static void set_status(struct pcpu *p, struct vcpu *v, uint32_t x)
{
    (void)p;
    v->cp0.status = (v->cp0.status & ~VST_WRITABLE) | (x & VST_WRITABLE);
}
static uint32_t get_intctl(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.intctl; }
static void set_intctl(struct pcpu *p, struct vcpu *v, uint32_t x)
{
    (void)p;
    v->cp0.intctl = (v->cp0.intctl & ~VINTCTL_VS) | (x & VINTCTL_VS);
}
static uint32_t get_cause(struct pcpu *p, struct vcpu *v)
{
    vcpu_timer_update(v, machine_now(&p->mon->m));
    return vcpu_cause(v);
}
static void set_cause(struct pcpu *p, struct vcpu *v, uint32_t x)
{
    (void)p;
    v->cp0.cause = (v->cp0.cause & ~VCAUSE_WRITABLE) | (x & VCAUSE_WRITABLE);
    v->pending = (v->pending & ~3u) | ((x & CAUSE_IP_SW) >> 8);  /* software interrupts */
}
static uint32_t get_prid(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.prid; }
static uint32_t get_config0(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.config0; }
static void set_config0(struct pcpu *p, struct vcpu *v, uint32_t x)
{
    (void)p;
    v->cp0.config0 = (v->cp0.config0 & ~7u) | (x & 7u);
}
static uint32_t get_config1(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.config1; }
static uint32_t get_config2(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.config2; }
static uint32_t get_config3(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.config3; }
static uint32_t get_lladdr(struct pcpu *p, struct vcpu *v) { (void)p; return v->cp0.lladdr; }

#define VR(reg, sel) [(reg) * 8 + (sel)]
static const struct vreg vregs[32 * 8] = {
    VR(CP0_INDEX, 0) = { get_index, set_index },
    VR(CP0_RANDOM, 0) = { get_random, NULL },
    VR(CP0_ENTRYLO0, 0) = { get_entrylo0, set_entrylo0 },
    VR(CP0_ENTRYLO1, 0) = { get_entrylo1, set_entrylo1 },
    VR(CP0_CONTEXT, 0) = { get_context, set_context },
    VR(CP0_CONTEXT, 2) = { get_userlocal, set_userlocal },
    VR(CP0_PAGEMASK, 0) = { get_pagemask, set_pagemask },
    VR(CP0_WIRED, 0) = { get_wired, set_wired },
    VR(CP0_HWRENA, 0) = { get_hwrena, set_hwrena },
    VR(CP0_BADVADDR, 0) = { get_badvaddr, NULL },
    VR(CP0_COUNT, 0) = { get_count, set_count },
    VR(CP0_ENTRYHI, 0) = { get_entryhi, set_entryhi },
    VR(CP0_COMPARE, 0) = { get_compare, set_compare },
    VR(CP0_STATUS, 0) = { get_status, set_status },
    VR(CP0_STATUS, 1) = { get_intctl, set_intctl },
    VR(CP0_CAUSE, 0) = { get_cause, set_cause },
    VR(CP0_EPC, 0) = { get_epc, set_epc },
    VR(CP0_PRID, 0) = { get_prid, NULL },
    VR(CP0_PRID, 1) = { get_ebase, set_ebase },
    VR(CP0_CONFIG, 0) = { get_config0, set_config0 },
    VR(CP0_CONFIG, 1) = { get_config1, NULL },
    VR(CP0_CONFIG, 2) = { get_config2, NULL },
    VR(CP0_CONFIG, 3) = { get_config3, NULL },
    VR(CP0_LLADDR, 0) = { get_lladdr, NULL },
    VR(CP0_ERROREPC, 0) = { get_errorepc, set_errorepc },
    VR(CP0_KSCRATCH, 2) = { get_kscratch0, set_kscratch0 },
    VR(CP0_KSCRATCH, 3) = { get_kscratch1, set_kscratch1 },
};

/* ---- instructions ------------------------------------------------------------------------ */

typedef void (*emul_fn)(struct pcpu *p, struct vcpu *v, const cpu_exception *e);

struct emul_op {
    emul_fn fn;
    enum emul_kind kind;
    enum mon_cost cost;
};

static const struct vreg *vreg_of(uint32_t insn)
{
    return &vregs[insn_rd(insn) * 8 + insn_sel(insn)];
}

static void emul_mfc0(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    const struct vreg *r = vreg_of(e->insn);
    cpu_set_gpr(p->c, (int)insn_rt(e->insn), r->get ? r->get(p, v) : 0);  /* unimplemented: 0 */
    cpu_set_pc(p->c, e->next_pc);
}

static void emul_mtc0(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    const struct vreg *r = vreg_of(e->insn);
    if (r->set)
        r->set(p, v, cpu_get_gpr(p->c, (int)insn_rt(e->insn)));  /* read-only: ignored */
    cpu_set_pc(p->c, e->next_pc);
}

static int vindex(const struct vcpu *v)
{
    return (int)((v->cp0.index & 0x7fffffffu) % VTLB_ENTRIES);
}

static void emul_tlbr(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    struct vcp0 *k = &v->cp0;
    tlb_read(&v->gtlb, vindex(v), &k->entryhi, &k->pagemask, &k->entrylo0, &k->entrylo1);
    cpu_set_pc(p->c, e->next_pc);
}

static void emul_tlbwi(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    const struct vcp0 *k = &v->cp0;
    vtlb_guest_write(p, v, vindex(v), k->entryhi, k->pagemask, k->entrylo0, k->entrylo1, false);
    cpu_set_pc(p->c, e->next_pc);
}

/* Random counts down through [Wired, n) on every TLBWR: deterministic, like the
 * hardware's free-running counter sampled at unrelated times. */
static int vrandom_next(struct vcpu *v)
{
    int idx = (int)v->cp0.random;
    v->cp0.random = v->cp0.random > v->cp0.wired ? v->cp0.random - 1 : VTLB_ENTRIES - 1;
    return idx;
}

static void emul_tlbwr(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    const struct vcp0 *k = &v->cp0;
    vtlb_guest_write(p, v, vrandom_next(v), k->entryhi, k->pagemask, k->entrylo0,
                     k->entrylo1, true);
    cpu_set_pc(p->c, e->next_pc);
}

static void emul_tlbp(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    int idx = vtlb_guest_probe(p, v);
    v->cp0.index = idx < 0 ? 0x80000000u : (uint32_t)idx;
    cpu_set_pc(p->c, e->next_pc);
}

static void emul_eret(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    (void)e;
    struct vcp0 *k = &v->cp0;
    v->ipi_in_service = false;
    hw_ll_clear(p->c);
    if (k->status & ST_ERL) {
        k->status &= ~ST_ERL;
        cpu_set_pc(p->c, k->errorepc);
    } else {
        k->status &= ~ST_EXL;
        cpu_set_pc(p->c, k->epc);
    }
}

static void emul_wait(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    cpu_set_pc(p->c, e->next_pc);
    sched_block(p, v);
}

static void emul_cache(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    (void)v;                              /* caches are coherent and not modelled here */
    cpu_set_pc(p->c, e->next_pc);
}

static void emul_di(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    cpu_set_gpr(p->c, (int)insn_rt(e->insn), v->cp0.status);
    v->cp0.status &= ~ST_IE;
    cpu_set_pc(p->c, e->next_pc);
}

static void emul_ei(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    cpu_set_gpr(p->c, (int)insn_rt(e->insn), v->cp0.status);
    v->cp0.status |= ST_IE;
    cpu_set_pc(p->c, e->next_pc);
}

static const struct emul_op emul_ops[OP_COUNT] = {
    [OP_MFC0] = { emul_mfc0, EMUL_MFC0, COST_EMUL_MFC0 },
    [OP_MTC0] = { emul_mtc0, EMUL_MTC0, COST_EMUL_MTC0 },
    [OP_TLBR] = { emul_tlbr, EMUL_TLBR, COST_EMUL_TLBR },
    [OP_TLBWI] = { emul_tlbwi, EMUL_TLBWI, COST_EMUL_TLBW },
    [OP_TLBWR] = { emul_tlbwr, EMUL_TLBWR, COST_EMUL_TLBW },
    [OP_TLBP] = { emul_tlbp, EMUL_TLBP, COST_EMUL_TLBP },
    [OP_ERET] = { emul_eret, EMUL_ERET, COST_EMUL_ERET },
    [OP_WAIT] = { emul_wait, EMUL_WAIT, COST_EMUL_WAIT },
    [OP_CACHE] = { emul_cache, EMUL_CACHE, COST_EMUL_CACHE },
    [OP_DI] = { emul_di, EMUL_DI, COST_EMUL_DIEI },
    [OP_EI] = { emul_ei, EMUL_EI, COST_EMUL_DIEI },
};

static const char *const emul_names[EMUL_KIND_COUNT] = {
    [EMUL_MFC0] = "mfc0", [EMUL_MTC0] = "mtc0", [EMUL_TLBR] = "tlbr", [EMUL_TLBWI] = "tlbwi",
    [EMUL_TLBWR] = "tlbwr", [EMUL_TLBP] = "tlbp", [EMUL_ERET] = "eret", [EMUL_WAIT] = "wait",
    [EMUL_CACHE] = "cache", [EMUL_DI] = "di", [EMUL_EI] = "ei",
};

const char *emul_kind_name(enum emul_kind k)
{
    return emul_names[k];
}

bool emul_insn(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    const struct emul_op *op = &emul_ops[decode_op(e->insn)];
    if (!op->fn)
        return false;
    v->stats.emulated[op->kind]++;
    mon_charge(p, v, op->cost);
    op->fn(p, v, e);
    return true;
}
