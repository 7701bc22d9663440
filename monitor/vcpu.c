/*
 * vcpu.c - virtual CPUs: creation and reset, loading onto and saving from a physical
 * CPU, the mapping of virtual modes onto real ones, the virtual Count/Compare timer,
 * virtual interrupts, and the architectural forwarding of exceptions to the guest.
 *
 * Virtual modes: the guest is in virtual kernel mode when its virtual Status has EXL
 * or ERL set or KSU = 0; it then runs in real supervisor mode. Virtual user mode
 * (KSU = 2) runs in real user mode; virtual supervisor mode (KSU = 1) runs in real
 * supervisor mode but has no privilege (its privileged instructions are forwarded).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/hw.h"
#include "monitor/internal.h"

#define VCFG0 (0x80000000u | (1u << 10) | (1u << 7) | 3u)          /* M, AR=R2, MT=TLB, K0=3 */
#define VCFG1_CACHES ((1u << 22) | (4u << 19) | (3u << 16) | (1u << 13) | (4u << 10) | (3u << 7))
#define VCFG1 (0x80000000u | ((VTLB_ENTRIES - 1u) << 25) | VCFG1_CACHES)
#define VCFG3_ULRI (1u << 13)
#define VINTCTL (7u << 29)                                          /* IPTI = 7 */
#define VPRID 0x00019300u
#define TIMER_IP ABI_IRQ_TIMER

int vcpu_create(struct vm *vm, int id, struct vcpu **out)
{
    struct mon *mon = vm->mon;
    int node = vm->cfg.node == VM_NODE_SPREAD ? id % mon->cfg.board.nodes : vm->cfg.node;
    if (mon->reserved_next[node] >= mon->reserved_end[node])
        return -ENOSPC;
    struct vcpu *v = calloc(1, sizeof *v);
    if (!v)
        return -ENOMEM;
    v->vm = vm;
    v->id = id;
    v->home_node = node;
    v->asid_map = calloc((size_t)mon->npcpus * ASID_COUNT, sizeof *v->asid_map);
    if (!v->asid_map || tlb_init(&v->gtlb, VTLB_ENTRIES) < 0 ||
        l2tlb_create(&v->l2, NULL, vtlb_l2_evict, v) < 0) {
        vcpu_destroy(v);
        return -ENOMEM;
    }
    v->hal_mfn = mon->reserved_next[node]++;
    vcpu_reset(v, 0);
    hal_init(v);
    *out = v;
    return 0;
}

void vcpu_destroy(struct vcpu *v)
{
    if (!v)
        return;
    if (v->l2)
        l2tlb_destroy(v->l2);
    if (v->gtlb.e)
        tlb_destroy(&v->gtlb);
    free(v->asid_map);
    free(v);
}

void vcpu_reset(struct vcpu *v, uint32_t pc)
{
    memset(v->gpr, 0, sizeof v->gpr);
    v->hi = v->lo = 0;
    v->pc = pc;
    memset(&v->cp0, 0, sizeof v->cp0);
    struct vcp0 *k = &v->cp0;
    k->status = ABI_BOOT_STATUS;
    k->prid = VPRID;
    k->config0 = VCFG0;
    k->config1 = VCFG1;
    k->config2 = 0x80000000u;
    k->config3 = VCFG3_ULRI;
    k->intctl = VINTCTL;
    k->random = VTLB_ENTRIES - 1;
    v->count_base = 0;
    v->count_cycle = machine_now(&v->vm->mon->m);
    v->timer_armed = false;
    v->timer_deadline = UINT64_MAX;
    v->pending = 0;
}

bool vcpu_guest_kernel(const struct vcpu *v)
{
    uint32_t st = v->cp0.status;
    return (st & (ST_EXL | ST_ERL)) || (st & ST_KSU) == 0;
}

/* Real KSU for the current virtual mode (see the header comment). */
static uint32_t vcpu_real_ksu(const struct vcpu *v)
{
    uint32_t st = v->cp0.status;
    bool user = !(st & (ST_EXL | ST_ERL)) && ((st & ST_KSU) >> ST_KSU_SHIFT) >= 2;
    return user ? (2u << ST_KSU_SHIFT) : (1u << ST_KSU_SHIFT);
}

void vcpu_apply_mode(struct pcpu *p, struct vcpu *v)
{
    uint32_t st = ST_IE | MON_STATUS_IM | vcpu_real_ksu(v);
    if (p->c->cp0.status != st)
        cpu_set_cp0(p->c, CP0_STATUS, 0, st);
    uint32_t asid = vtlb_real_asid(p, v, v->cp0.entryhi & ENTRYHI_ASID);
    if ((p->c->cp0.entryhi & ENTRYHI_ASID) != asid)
        cpu_set_cp0(p->c, CP0_ENTRYHI, 0, asid);
}

#define VCPU_HWRENA_CC (1u << 2)   /* HWREna bit: rdhwr $2 (CC, the Count) allowed */

/* The real Count follows the virtual one while v runs on p, so the guest reads its
 * virtual Count with `rdhwr $2` (HWREna.CC) without a trap. It lags by at most one tick
 * (the two halve different cycle counts), and is set again at each load: every value the
 * guest reads is at most the virtual Count, and never goes back. */
void vcpu_sync_real_count(struct pcpu *p, struct vcpu *v)
{
    if (!(v->cp0.hwrena & VCPU_HWRENA_CC))
        return;                     /* Count is read only through the trapped MFC0 */
    /* The scheduler's deadline is the real Compare's distance from the real Count:
     * keep that distance, or moving Count would move the end of the slice. */
    uint32_t ahead = cpu_get_cp0(p->c, CP0_COMPARE, 0) - cpu_get_cp0(p->c, CP0_COUNT, 0);
    uint32_t count = vcpu_count(v, machine_now(&p->mon->m));
    cpu_set_cp0(p->c, CP0_COUNT, 0, count);
    cpu_set_cp0(p->c, CP0_COMPARE, 0, count + ahead);
}

void vcpu_load(struct pcpu *p, struct vcpu *v)
{
    cpu *c = p->c;
    for (int r = 1; r < 32; r++)
        cpu_set_gpr(c, r, v->gpr[r]);
    cpu_set_hilo(c, v->hi, v->lo);
    cpu_set_pc(c, v->pc);
    hw_ll_clear(c);                        /* a link of the previous vCPU must not carry over */
    p->cur = v;
    p->idle = false;
    v->on = p;
    v->state = VCPU_RUNNING;
    v->tlb_cpus |= 1ull << p->id;
    vtlb_switch(p, v);
    hal_map(p, v);
    cpu_set_cp0(c, CP0_HWRENA, 0, v->cp0.hwrena);
    cpu_set_cp0(c, CP0_CONTEXT, 2, v->cp0.userlocal);
    vcpu_sync_real_count(p, v);
    vcpu_apply_mode(p, v);
    v->stats.switches_in++;
    v->insns_mark = c->insns;
    v->storm = 0;
    mon_numa_vcpu_in(p);
}

void vcpu_save(struct pcpu *p, struct vcpu *v)
{
    cpu *c = p->c;
    mon_numa_vcpu_out(p, v);
    for (int r = 0; r < 32; r++)
        v->gpr[r] = cpu_get_gpr(c, r);
    v->hi = cpu_get_hi(c);
    v->lo = cpu_get_lo(c);
    v->pc = cpu_get_pc(c);
    v->on = NULL;
    p->cur = NULL;
}

/* ---- virtual interrupts --------------------------------------------------------------- */

uint32_t vcpu_cause(const struct vcpu *v)
{
    uint32_t ip = v->pending | (v->ipi_in_service ? 1u << ABI_IRQ_IPI : 0);
    uint32_t cause = (v->cp0.cause & ~(CAUSE_IP | CAUSE_TI)) | ((ip & 0xffu) << 8);
    if (v->pending & (1u << TIMER_IP))
        cause |= CAUSE_TI;
    return cause;
}

bool vcpu_wake_condition(const struct vcpu *v)
{
    return (v->pending & (v->cp0.status >> 8) & 0xffu) != 0;
}

bool vcpu_irq_deliverable(const struct vcpu *v)
{
    uint32_t st = v->cp0.status;
    return (st & ST_IE) && !(st & (ST_EXL | ST_ERL | ST_BEV)) && vcpu_wake_condition(v);
}

void vcpu_raise(struct vcpu *v, int ip)
{
    v->pending |= 1u << ip;
}

bool vcpu_deliver_irq(struct pcpu *p, struct vcpu *v)
{
    vcpu_timer_update(v, machine_now(&v->vm->mon->m));
    if (!vcpu_irq_deliverable(v))
        return false;
    v->stats.virq_delivered++;
    vcpu_forward(p, v, NULL, EXC_INT, 0, false);
    if (v->pending & (1u << ABI_IRQ_IPI)) {   /* IPIs are acknowledged by delivery */
        v->pending &= ~(1u << ABI_IRQ_IPI);
        v->ipi_in_service = true;
    }
    return true;
}

/* ---- exception forwarding ----------------------------------------------------------- */

static bool exc_is_tlb(int code)
{
    return code == EXC_MOD || code == EXC_TLBL || code == EXC_TLBS;
}

/* A fault forwarded LOOP_FORWARDS times in a row at the same instruction and address
 * is a guest whose handler never fixes it (calls and interrupts repeat legitimately).
 * Returns true when the VM was stopped. */
static bool vcpu_fault_loop(struct pcpu *p, struct vcpu *v, int code, uint32_t epc,
                            uint32_t badvaddr)
{
    if (code == EXC_INT || code == EXC_SYS || code == EXC_BP || code == EXC_TR)
        return false;
    uint64_t key = ((uint64_t)epc << 32) ^ ((uint64_t)code << 27) ^ badvaddr;
    v->fwd_repeat = key == v->fwd_key ? v->fwd_repeat + 1 : 0;
    v->fwd_key = key;
    if (v->fwd_repeat < LOOP_FORWARDS)
        return false;
    char why[160];
    snprintf(why, sizeof why, "exception loop: %s at pc 0x%08x (address 0x%08x) %u times in a row",
             cpu_exc_name(code), epc, badvaddr, v->fwd_repeat);
    vm_finish(v->vm, p, 1, why);
    return true;
}

void vcpu_forward(struct pcpu *p, struct vcpu *v, const cpu_exception *e, int code,
                  uint32_t badvaddr, bool refill)
{
    struct vcp0 *k = &v->cp0;
    uint32_t epc = e ? e->epc : cpu_get_pc(p->c);
    if (vcpu_fault_loop(p, v, code, epc, badvaddr))
        return;
    if (k->status & ST_BEV) {
        char why[160];
        snprintf(why, sizeof why, "exception %s at pc 0x%08x before the guest set up its vectors (Status.BEV)",
                 cpu_exc_name(code), epc);
        vm_finish(v->vm, p, 1, why);
        return;
    }
    uint32_t off = ABI_VEC_GENERAL;
    if (!(k->status & ST_EXL)) {
        k->epc = epc;
        k->cause = (e && e->bd) ? (k->cause | CAUSE_BD) : (k->cause & ~CAUSE_BD);
        if (refill)
            off = ABI_VEC_REFILL;
    }
    int ce = (e && code == EXC_CPU) ? (e->ce & 3) : 0;
    k->cause = (k->cause & ~(CAUSE_EXC | (3u << CAUSE_CE_SHIFT))) |
               ((uint32_t)code << CAUSE_EXC_SHIFT) | ((uint32_t)ce << CAUSE_CE_SHIFT);
    if (exc_is_tlb(code) || code == EXC_ADEL || code == EXC_ADES)
        k->badvaddr = badvaddr;
    if (exc_is_tlb(code)) {
        k->context = (k->context & 0xff800000u) | ((badvaddr >> 9) & 0x007ffff0u);
        k->entryhi = (badvaddr & ENTRYHI_VPN2) | (k->entryhi & ENTRYHI_ASID);
    }
    k->status |= ST_EXL;
    cpu_set_pc(p->c, (k->ebase & 0xfffff000u) + off);
    v->stats.forwarded[code & 31]++;
    mon_charge(p, v, COST_FORWARD);
    vcpu_apply_mode(p, v);
}
