/*
 * vtlb.c - TLB virtualization: the guest's virtual TLB, real TLB fills, the vCPU's
 * L2TLB, real ASIDs, backmaps and shootdowns.
 *
 * A real TLB miss at va is resolved in this order (DESIGN.md): the kernel window
 * straight from the pmap (never forwarded); else the vCPU's L2TLB; else the guest's
 * virtual TLB (the entry's guest-physical frame replaced by the pmap's machine entry,
 * merged with the guest's V/D/G bits); else the miss is forwarded to the guest.
 *
 * Real ASIDs: each (vCPU, guest ASID) gets its own real ASID per physical CPU, handed
 * out from a per-CPU counter with a generation; when the counter wraps the generation
 * grows, the CPU's ASID-tagged entries are dropped, and every stale mapping is
 * reallocated on next use. Global guest entries are owned by one vCPU per physical CPU
 * and dropped when another vCPU runs there; kernel-window entries (global) belong to
 * one VM per CPU. With flush_on_switch (Disco's scheme) the real ASID is the guest's
 * and the whole TLB is flushed whenever a CPU switches vCPUs.
 *
 * The L2TLB retains translations the guest's own TLB evicted by random replacement
 * (TLBWR), as a larger TLB would. It drops them exactly where the architecture lets a
 * guest assume a translation is gone: an explicit write at an index (TLBWI) drops what
 * the overwritten entry produced; every new entry drops older translations of its
 * range; a TLBP that misses drops the probed pair (that is how a kernel flushes a page
 * it cannot find); and invalid writes covering every non-wired index (a full flush)
 * drop everything of the vCPU.
 *
 * Backmaps: every valid half of a real TLB slot and every L2TLB entry has a backmap in
 * the VM's pmap (struct rslot.bm, the L2TLB cookie); the L2TLB entry's prot carries the
 * guest-physical page number above bit 8, so a fill from the L2TLB can make its backmap.
 */
#include <errno.h>
#include <string.h>

#include "monitor/hw.h"
#include "monitor/internal.h"
#include "pmap/memmap.h"

#define L2_GPN_SHIFT   8
#define L2_FLAGS_MASK  0xffu
#define DROP_PER_PAGE_MAX 32u      /* larger ranges flush the ASID in the L2TLB */
#define LO_CACHED      (3u << ENTRYLO_C_SHIFT)
#define LO_PFN_MASK    0x3fffffc0u

enum resolve { RES_OK, RES_REFILL, RES_INVALID, RES_MOD, RES_BUS, RES_NOMEM };

struct xlate {
    uint32_t lo;               /* real EntryLo bits for this half */
    uint64_t gpn;
    uint64_t mfn;
    bool global;
    bool writable;
};

/* ---- real TLB slots ------------------------------------------------------------- */

#define PAIR_SIZE (2 * PAGE_SIZE)     /* what one real TLB entry maps */

static uint32_t rslot_invalid_hi(int idx)
{
    return KSEG0_BASE + (uint32_t)idx * PAIR_SIZE;  /* never looked up: unmapped segment */
}

/* Forget what slot i holds; invalidate the real entry unless the caller overwrites it. */
static void rslot_drop(struct pcpu *p, int i, bool invalidate)
{
    struct rslot *s = &p->slot[i];
    if (s->kind == RSLOT_FREE || s->kind == RSLOT_HAL)
        return;
    for (int h = 0; h < 2; h++)
        if (s->has_bm[h])
            pmap_backmap_remove(s->vm->pmap, s->bm[h]);
    memset(s, 0, sizeof *s);
    if (invalidate)
        cpu_tlb_write(p->c, i, rslot_invalid_hi(i), 0, 0, 0);
}

static void rslot_evict(struct pcpu *p, int i)
{
    rslot_drop(p, i, true);
}

void vtlb_pcpu_init(struct pcpu *p)
{
    p->nslots = p->c->tlb.n < RTLB_MAX ? p->c->tlb.n : RTLB_MAX;
    p->next_slot = 1;
    p->asid_next = 1;
    p->asid_gen = 1;
    memset(p->slot, 0, sizeof p->slot);
    p->slot[RTLB_HAL_SLOT].kind = RSLOT_HAL;
    for (int i = 1; i < p->c->tlb.n; i++)
        cpu_tlb_write(p->c, i, rslot_invalid_hi(i), 0, 0, 0);
    cpu_set_cp0(p->c, CP0_WIRED, 0, 1);
}

static void rslot_evict_kind(struct pcpu *p, enum rslot_kind kind)
{
    for (int i = 1; i < p->nslots; i++)
        if (p->slot[i].kind == kind)
            rslot_evict(p, i);
}

void vtlb_flush_pcpu(struct pcpu *p)
{
    for (int i = 1; i < p->nslots; i++)
        rslot_evict(p, i);
}

uint32_t vtlb_real_asid(struct pcpu *p, struct vcpu *v, uint32_t gasid)
{
    if (p->mon->cfg.flush_on_switch)
        return gasid;
    uint32_t *m = &v->asid_map[(size_t)p->id * ASID_COUNT + gasid];
    if ((*m >> 8) == p->asid_gen)
        return *m & 0xffu;
    if (p->asid_next >= ASID_COUNT) {   /* wrapped: a new generation, old tags go */
        p->asid_gen++;
        p->asid_next = 1;
        rslot_evict_kind(p, RSLOT_GUEST);
    }
    *m = (p->asid_gen << 8) | p->asid_next++;
    return *m & 0xffu;
}

void vtlb_switch(struct pcpu *p, struct vcpu *v)
{
    if (p->mon->cfg.flush_on_switch) {
        if (p->g_owner != v)
            vtlb_flush_pcpu(p);
    } else {
        if (p->g_owner && p->g_owner != v)
            rslot_evict_kind(p, RSLOT_GUEST_G);
        if (p->kwin_vm && p->kwin_vm != v->vm)
            rslot_evict_kind(p, RSLOT_KWIN);
    }
    p->g_owner = v;
    p->kwin_vm = v->vm;
}

/* Slot hints for rtlb_install: the pair's slot is unknown (probe), or known to be
 * absent (the miss was a refill: no real entry matched), or a slot number >= 1. */
#define SLOT_PROBE  (-1)
#define SLOT_ABSENT (-2)

/* Find the slot for the pair at va with this kind and tag, or take a victim. */
static int rslot_claim(struct pcpu *p, uint32_t hi, enum rslot_kind kind, struct vcpu *owner,
                       int hint)
{
    int idx = hint >= 1 ? hint : hint == SLOT_PROBE ? cpu_tlb_probe(p->c, hi) : -1;
    if (idx > 0) {
        const struct rslot *s = &p->slot[idx];
        if (s->kind == kind && s->owner == owner && s->va == (hi & ENTRYHI_VPN2))
            return idx;
        rslot_drop(p, idx, false);       /* a different translation of the same pair */
        return idx;
    }
    idx = p->next_slot;
    p->next_slot = idx + 1 < p->nslots ? idx + 1 : 1;
    rslot_drop(p, idx, false);           /* overwritten below */
    return idx;
}

/* Record the translation of one page of slot idx (a backmap in the VM's pmap). */
static void rslot_half(struct pcpu *p, struct rslot *s, int idx, uint32_t va, uint32_t rasid,
                       const struct xlate *x, uint32_t *lo)
{
    int h = (va >> PAGE_SHIFT) & 1;
    struct pmap *pm = s->vm->pmap;
    if (s->has_bm[h]) {
        pmap_backmap_remove(pm, s->bm[h]);
        s->has_bm[h] = false;
    }
    struct pmap_cache_loc loc = { .vcpu = (uint32_t)p->id, .asid = rasid,
                                  .gvpn = va >> PAGE_SHIFT, .slot = (uint32_t)idx,
                                  .kind = PMAP_CACHE_TLB };
    if (pmap_backmap_add(pm, x->gpn, &loc, &s->bm[h]) == 0)
        s->has_bm[h] = true;
    lo[h] = x->lo;
}

/* Install the page holding va (x) and, when other is not NULL, the other page of its
 * pair, with one real TLB write; returns the slot. */
static int rtlb_install(struct pcpu *p, struct vcpu *v, enum rslot_kind kind, uint32_t va,
                        uint32_t gasid, const struct xlate *x, const struct xlate *other,
                        int hint)
{
    bool global = kind != RSLOT_GUEST;
    uint32_t rasid = global ? 0 : vtlb_real_asid(p, v, gasid);
    uint32_t hi = (va & ENTRYHI_VPN2) | (global ? (p->c->cp0.entryhi & ENTRYHI_ASID) : rasid);
    struct vcpu *owner = kind == RSLOT_KWIN ? NULL : v;
    int idx = rslot_claim(p, hi, kind, owner, hint);
    struct rslot *s = &p->slot[idx];
    uint32_t ehi, pm, lo[2] = { 0, 0 };
    if (s->kind == kind) {
        cpu_tlb_read(p->c, idx, &ehi, &pm, &lo[0], &lo[1]);
    } else {
        s->kind = (uint8_t)kind;
        s->vm = v->vm;
        s->owner = owner;
        s->va = va & ENTRYHI_VPN2;
        s->gasid = (uint8_t)gasid;
        s->rasid = (uint8_t)rasid;
    }
    rslot_half(p, s, idx, va, rasid, x, lo);
    if (other)
        rslot_half(p, s, idx, va ^ PAGE_SIZE, rasid, other, lo);
    if (global) {
        lo[0] |= ENTRYLO_G;
        lo[1] |= ENTRYLO_G;
    }
    cpu_tlb_write(p->c, idx, (va & ENTRYHI_VPN2) | rasid, 0, lo[0], lo[1]);
    v->tlb_cpus |= 1ull << p->id;
    return idx;
}

static int miss_hint(const cpu_exception *e)
{
    return e && e->refill ? SLOT_ABSENT : SLOT_PROBE;
}

/* ---- the L2TLB --------------------------------------------------------------------- */

void vtlb_l2_evict(void *ctx, uint32_t slot, const struct l2tlb_entry *e)
{
    struct vcpu *v = ctx;
    (void)slot;
    pmap_backmap_remove(v->vm->pmap, e->cookie);
}

static void l2_insert(struct vcpu *v, uint32_t va, uint32_t gasid, const struct xlate *x)
{
    struct l2tlb_entry le = {
        .vpn = va >> PAGE_SHIFT, .mfn = x->mfn, .asid = x->global ? 0 : gasid,
        .prot = L2TLB_PROT_READ | (x->writable ? L2TLB_PROT_WRITE : 0) |
                (x->global ? L2TLB_PROT_GLOBAL : 0) | (uint32_t)(x->gpn << L2_GPN_SHIFT),
        .page_shift = 0,
    };
    uint32_t slot;
    if (l2tlb_insert(v->l2, &le, &slot) != 0)
        return;
    struct pmap_cache_loc loc = { .vcpu = (uint32_t)v->gid, .asid = le.asid, .gvpn = le.vpn,
                                  .slot = slot, .kind = PMAP_CACHE_L2TLB };
    pmap_backmap_t bm;
    if (pmap_backmap_add(v->vm->pmap, x->gpn, &loc, &bm) == 0)
        l2tlb_set_cookie(v->l2, slot, bm);
    else
        l2tlb_flush_one(v->l2, slot, le.asid, le.vpn);   /* no backmap: may not stay */
}

static bool l2_lookup(struct vcpu *v, uint32_t va, uint32_t gasid, struct xlate *x)
{
    struct l2tlb_entry le;
    if (l2tlb_lookup(v->l2, gasid, va >> PAGE_SHIFT, &le, NULL) != 0)
        return false;
    x->gpn = le.prot >> L2_GPN_SHIFT;
    x->mfn = le.mfn;
    x->global = (le.prot & L2TLB_PROT_GLOBAL) != 0;
    x->writable = (le.prot & L2TLB_PROT_WRITE) != 0;
    x->lo = (uint32_t)(le.mfn << ENTRYLO_PFN_SHIFT) | LO_CACHED | ENTRYLO_V |
            (x->writable ? ENTRYLO_D : 0);
    return true;
}

static void l2_drop_page(struct vcpu *v, uint32_t asid, uint64_t vpn)
{
    struct l2tlb_entry le;
    uint32_t slot;
    if (l2tlb_lookup(v->l2, asid, vpn, &le, &slot) != 0)
        return;
    pmap_backmap_remove(v->vm->pmap, le.cookie);
    l2tlb_flush_one(v->l2, slot, le.asid, le.vpn);
}

/* ---- dropping derived translations -------------------------------------------------- */

static bool rslot_derived(const struct rslot *s, const struct vcpu *v, uint32_t base,
                          uint32_t size, uint32_t gasid, bool any_asid)
{
    if (s->owner != v || (s->kind != RSLOT_GUEST && s->kind != RSLOT_GUEST_G))
        return false;
    if (s->va + PAIR_SIZE <= base || s->va >= base + size)
        return false;
    return any_asid || s->kind == RSLOT_GUEST_G || s->gasid == gasid;
}

/* Drop every real TLB slot and L2TLB entry of v for [base, base + size) in gasid (or
 * every ASID when any_asid). size 0 means the whole address space. */
static void vtlb_drop(struct pcpu *p, struct vcpu *v, uint32_t base, uint32_t size,
                      uint32_t gasid, bool any_asid)
{
    uint32_t pages = size >> PAGE_SHIFT;
    if (size == 0)
        l2tlb_flush_all(v->l2);
    else if (pages <= DROP_PER_PAGE_MAX && !any_asid)
        for (uint32_t i = 0; i < pages; i++)
            l2_drop_page(v, gasid, (base >> PAGE_SHIFT) + i);
    else if (any_asid)
        l2tlb_flush_all(v->l2);
    else
        l2tlb_flush_asid(v->l2, gasid);
    uint32_t lo = size ? base : 0, len = size ? size : 0xffffffffu;
    struct mon *mon = p->mon;
    for (uint64_t mask = v->tlb_cpus; mask; mask &= mask - 1) {
        struct pcpu *q = &mon->pcpus[__builtin_ctzll(mask)];
        int dropped = 0, owned = 0;
        for (int i = 1; i < q->nslots; i++) {
            struct rslot *s = &q->slot[i];
            if (rslot_derived(s, v, lo, len, gasid, any_asid)) {
                rslot_evict(q, i);
                dropped++;
            } else if (s->owner == v) {
                owned++;
            }
        }
        if (dropped && q != p) {
            mon_charge(p, v, COST_SHOOTDOWN);
            mon_charge(q, q->cur, COST_SHOOTDOWN_RECV);
            mon->shootdown_ipis++;
        }
        if (!owned && q->cur != v)
            v->tlb_cpus &= ~(1ull << q->id);
    }
}

static uint32_t gtlb_pair_size(uint32_t pagemask)
{
    return (pagemask | 0x1fffu) + 1;
}

void vtlb_guest_drop(struct pcpu *p, struct vcpu *v, int idx)
{
    const tlb_entry *e = &v->gtlb.e[idx];
    if (!((e->lo0 | e->lo1) & ENTRYLO_V))
        return;                            /* nothing was derived from an invalid entry */
    vtlb_drop(p, v, e->entryhi & e->mask, gtlb_pair_size(e->pagemask),
              e->entryhi & ENTRYHI_ASID, e->global);
}

/* ---- resolving a guest virtual address -------------------------------------------- */

/* The guest TLB entry matching va in gasid (first match, as the hardware), or -1. */
static int gtlb_find(const tlb *t, uint32_t va, uint32_t gasid)
{
    for (int i = 0; i < t->n; i++) {
        const tlb_entry *e = &t->e[i];
        if ((va & e->mask) == (e->entryhi & e->mask) &&
            (e->global || (e->entryhi & ENTRYHI_ASID) == gasid))
            return i;
    }
    return -1;
}

static enum resolve resolve_gpa(struct pcpu *p, struct vcpu *v, uint64_t gpn, bool write,
                                bool guest_d, struct xlate *x)
{
    struct pmap_translation tr;
    int rc = vm_gpa_page(v->vm, p, v, gpn, write, &tr);
    if (rc == -EFAULT)
        return RES_BUS;
    if (rc)
        return RES_NOMEM;
    x->gpn = gpn;
    x->mfn = tr.mfn;
    x->writable = guest_d && tr.writable;
    x->lo = (uint32_t)tr.map_entry | ENTRYLO_V | (x->writable ? ENTRYLO_D : 0);
    return RES_OK;
}

static enum resolve resolve_guest(struct pcpu *p, struct vcpu *v, int idx, uint32_t va,
                                  bool write, struct xlate *x)
{
    const tlb_entry *e = &v->gtlb.e[idx];
    uint32_t half = gtlb_pair_size(e->pagemask) >> 1;
    uint32_t lo = (va & half) ? e->lo1 : e->lo0;
    if (!(lo & ENTRYLO_V))
        return RES_INVALID;
    if (write && !(lo & ENTRYLO_D))
        return RES_MOD;
    uint64_t gpa = ((uint64_t)(lo & LO_PFN_MASK) << (PAGE_SHIFT - ENTRYLO_PFN_SHIFT)) +
                   (va & (half - 1));
    x->global = e->global;
    return resolve_gpa(p, v, gpa >> PAGE_SHIFT, write, (lo & ENTRYLO_D) != 0, x);
}

/* ---- the miss paths ----------------------------------------------------------------- */

static bool is_fetch(const cpu_exception *e)
{
    return e->badvaddr == e->epc || (e->bd && e->badvaddr == e->epc + 4);
}

static void forward_bus_error(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    vcpu_forward(p, v, e, is_fetch(e) ? EXC_IBE : EXC_DBE, 0, false);
}

static void out_of_memory(struct pcpu *p, struct vcpu *v)
{
    vm_finish(v->vm, p, 1, "the machine is out of memory for its pages");
}

static void kwin_miss(struct pcpu *p, struct vcpu *v, const cpu_exception *e, bool write)
{
    uint32_t va = e->badvaddr;
    uint64_t gpn = (va - ABI_KWIN_BASE) >> PAGE_SHIFT;
    struct xlate x = { .global = true };
    mon_charge(p, v, COST_KWIN);
    enum resolve r = resolve_gpa(p, v, gpn, write, true, &x);
    if (r == RES_BUS) {                    /* beyond the VM's memory */
        vcpu_forward(p, v, e, write ? EXC_ADES : EXC_ADEL, va, false);
        return;
    }
    if (r != RES_OK) {
        out_of_memory(p, v);
        return;
    }
    /* The other page of the pair, if it is already backed (no first touch here). */
    uint64_t other = gpn ^ 1;
    const struct pmap_entry *pe = pmap_entry_get(v->vm->pmap, other);
    struct xlate y = { .global = true };
    bool both = pe && pe->mfn != PMAP_NO_FRAME && resolve_gpa(p, v, other, false, true, &y) == RES_OK;
    rtlb_install(p, v, RSLOT_KWIN, va, 0, &x, both ? &y : NULL, miss_hint(e));
    v->stats.fills[FILL_KWIN]++;
    mon_charge(p, v, COST_TLB_FILL);
}

static enum rslot_kind guest_kind(const struct xlate *x)
{
    return x->global ? RSLOT_GUEST_G : RSLOT_GUEST;
}

/* Fill from the guest TLB entry idx; the pair's other page too when it resolves
 * without a first touch. */
static void guest_fill(struct pcpu *p, struct vcpu *v, int idx, uint32_t va, uint32_t gasid,
                       const struct xlate *x, int hint)
{
    uint32_t ova = va ^ PAGE_SIZE;
    const tlb_entry *e = &v->gtlb.e[idx];
    uint32_t half = gtlb_pair_size(e->pagemask) >> 1;
    uint32_t lo = (ova & half) ? e->lo1 : e->lo0;
    struct xlate y;
    bool both = false;
    if (lo & ENTRYLO_V) {
        uint64_t ogpn = (((uint64_t)(lo & LO_PFN_MASK) << (PAGE_SHIFT - ENTRYLO_PFN_SHIFT)) +
                         (ova & (half - 1))) >> PAGE_SHIFT;
        const struct pmap_entry *pe = pmap_entry_get(v->vm->pmap, ogpn);
        both = pe && pe->mfn != PMAP_NO_FRAME && resolve_guest(p, v, idx, ova, false, &y) == RES_OK;
    }
    rtlb_install(p, v, guest_kind(x), va, gasid, x, both ? &y : NULL, hint);
    l2_insert(v, va, gasid, x);
    if (both)
        l2_insert(v, ova, gasid, &y);
}

static void guest_miss(struct pcpu *p, struct vcpu *v, const cpu_exception *e, bool write)
{
    uint32_t va = e->badvaddr, gasid = v->cp0.entryhi & ENTRYHI_ASID;
    struct xlate x;
    mon_charge(p, v, COST_L2TLB);
    if (e->code != EXC_MOD && l2_lookup(v, va, gasid, &x) && (!write || x.writable)) {
        struct xlate y;                    /* the pair's other page, when it is cached too */
        bool both = l2_lookup(v, va ^ PAGE_SIZE, gasid, &y) && y.global == x.global;
        rtlb_install(p, v, guest_kind(&x), va, gasid, &x, both ? &y : NULL, miss_hint(e));
        v->stats.fills[FILL_L2TLB]++;
        mon_charge(p, v, COST_TLB_FILL);
        return;
    }
    mon_charge(p, v, COST_GUEST_TLB);
    int idx = gtlb_find(&v->gtlb, va, gasid);
    int code = write ? EXC_TLBS : EXC_TLBL;
    enum resolve r = idx < 0 ? RES_REFILL : resolve_guest(p, v, idx, va, write, &x);
    switch (r) {
    case RES_OK:
        guest_fill(p, v, idx, va, gasid, &x, miss_hint(e));
        v->stats.fills[FILL_GUEST]++;
        mon_charge(p, v, COST_TLB_FILL);
        return;
    case RES_REFILL: vcpu_forward(p, v, e, code, va, true); break;
    case RES_INVALID: vcpu_forward(p, v, e, code, va, false); break;
    case RES_MOD: vcpu_forward(p, v, e, EXC_MOD, va, false); break;
    case RES_BUS: forward_bus_error(p, v, e); break;
    case RES_NOMEM: out_of_memory(p, v); return;
    }
    v->stats.fills[FILL_FORWARD]++;
}

void vtlb_miss(struct pcpu *p, struct vcpu *v, const cpu_exception *e)
{
    uint32_t va = e->badvaddr;
    bool write = e->code != EXC_TLBL;
    if (va >= ABI_KWIN_BASE && va < ABI_KWIN_BASE + ABI_KWIN_SIZE)
        kwin_miss(p, v, e, write);
    else if (va >= ABI_HAL_VA && write)    /* the odd HAL page is read-only zeroes */
        vcpu_forward(p, v, e, EXC_ADES, va, false);
    else if (va >= ABI_HAL_VA)
        hal_map(p, v);                     /* slot 0 is wired: this does not happen */
    else
        guest_miss(p, v, e, write);
}

/* ---- guest TLB writes and probes --------------------------------------------------- */

/* Invalid writes covering every non-wired index since the last valid write: a full
 * flush, after which the guest may reuse any ASID. */
static void vtlb_note_invalid(struct pcpu *p, struct vcpu *v, int idx, bool valid)
{
    uint64_t bit = 1ull << idx;
    if (valid) {
        v->inval_mask &= ~bit;
        return;
    }
    v->inval_mask |= bit;
    uint64_t all = VTLB_ENTRIES >= 64 ? ~0ull : (1ull << VTLB_ENTRIES) - 1;
    uint64_t wired = v->cp0.wired >= 64 ? all : (1ull << v->cp0.wired) - 1;
    if ((v->inval_mask | wired) == all) {
        vtlb_drop(p, v, 0, 0, 0, true);
        v->inval_mask = 0;
        v->stats.full_flushes++;
    }
}

void vtlb_guest_write(struct pcpu *p, struct vcpu *v, int idx, uint32_t hi, uint32_t pm,
                      uint32_t lo0, uint32_t lo1, bool random)
{
    if (!random)
        vtlb_guest_drop(p, v, idx);
    hi &= ENTRYHI_VPN2 | ENTRYHI_ASID;
    pm &= PAGEMASK_BITS;
    lo0 &= 0x3fffffffu;
    lo1 &= 0x3fffffffu;
    tlb_write(&v->gtlb, idx, hi, pm, lo0, lo1);
    const tlb_entry *e = &v->gtlb.e[idx];
    bool valid = ((lo0 | lo1) & ENTRYLO_V) != 0;
    if (valid)                             /* older translations of this range are void */
        vtlb_drop(p, v, hi & e->mask, gtlb_pair_size(pm), hi & ENTRYHI_ASID, e->global);
    vtlb_note_invalid(p, v, idx, valid);
    /* The guest writes an entry to use it: fill the real TLB for the faulting page now
     * rather than take the miss again after its ERET. */
    uint32_t va = v->cp0.badvaddr, gasid = v->cp0.entryhi & ENTRYHI_ASID;
    struct xlate x;
    if (valid && p->cur == v && (va & e->mask) == (hi & e->mask) && va < KSEG0_BASE &&
        (e->global || (hi & ENTRYHI_ASID) == gasid) &&
        resolve_guest(p, v, idx, va, false, &x) == RES_OK)
        guest_fill(p, v, idx, va, gasid, &x, SLOT_PROBE);
}

int vtlb_guest_probe(struct pcpu *p, struct vcpu *v)
{
    uint32_t hi = v->cp0.entryhi, gasid = hi & ENTRYHI_ASID;
    int idx = tlb_probe(&v->gtlb, hi);
    if (idx < 0)   /* a kernel flushing a page it cannot find: drop retained copies */
        vtlb_drop(p, v, hi & ~(v->cp0.pagemask | 0x1fffu), gtlb_pair_size(v->cp0.pagemask),
                  gasid, false);
    return idx;
}

/* ---- shootdowns from pmap / memmap ------------------------------------------------------ */

static void shootdown_tlb(struct mon *mon, const struct pmap_cache_loc *loc)
{
    if (loc->vcpu >= (uint32_t)mon->npcpus || loc->slot >= RTLB_MAX)
        return;
    struct pcpu *q = &mon->pcpus[loc->vcpu];
    struct rslot *s = &q->slot[loc->slot];
    int h = (int)(loc->gvpn & 1);
    if (s->va != ((uint32_t)(loc->gvpn << PAGE_SHIFT) & ENTRYHI_VPN2) || !s->has_bm[h])
        return;
    s->has_bm[h] = false;              /* pmap already removed the record */
    uint32_t hi, pm, lo[2];
    cpu_tlb_read(q->c, (int)loc->slot, &hi, &pm, &lo[0], &lo[1]);
    lo[h] &= ENTRYLO_G;
    if (!s->has_bm[h ^ 1]) {
        memset(s, 0, sizeof *s);
        cpu_tlb_write(q->c, (int)loc->slot, rslot_invalid_hi((int)loc->slot), 0, 0, 0);
    } else {
        cpu_tlb_write(q->c, (int)loc->slot, hi, pm, lo[0], lo[1]);
    }
    cpu *running = mon->m.running;
    if (running && running != q->c) {     /* an IPI: the sender waits, the target works */
        struct pcpu *p = &mon->pcpus[running->id];
        mon_charge(p, p->cur, COST_SHOOTDOWN);
        mon_charge(q, q->cur, COST_SHOOTDOWN_RECV);
        mon->shootdown_ipis++;
    }
}

void vtlb_shootdown(struct mon *mon, uint32_t vm, uint64_t gpn, const struct pmap_cache_loc *loc)
{
    (void)vm;
    (void)gpn;
    mon->shootdowns++;
    if (loc->kind == PMAP_CACHE_TLB)
        shootdown_tlb(mon, loc);
    else if (loc->kind == PMAP_CACHE_L2TLB && loc->vcpu < (uint32_t)mon->nall)
        l2tlb_flush_one(mon->all_vcpus[loc->vcpu]->l2, loc->slot, loc->asid, loc->gvpn);
}

/* ---- LL links across page moves --------------------------------------------------
 * An LL links a machine word; the SC stores through whatever translation is current.
 * When the monitor moves a page (migration, collapse of replicas, a COW break), a vCPU
 * may have linked the old frame and then store, after re-translating, to the new one:
 * its SC would succeed although other vCPUs changed the word there meanwhile (a lost
 * update: the Raytrace-like guest's counter never reached its total). On real hardware
 * the shootdown IPI (or the fault that re-translates) ends in an ERET, which clears
 * the LL bit; here the monitor changes translations without the guest seeing an
 * exception, so the links on every frame that stops backing the page are dropped
 * instead. Frames that keep backing it keep their links: stores to them still break
 * links the usual way. */

static void frames_add(struct vtlb_frames *f, uint64_t mfn)
{
    if (f->n < sizeof f->mfn / sizeof f->mfn[0])
        f->mfn[f->n++] = mfn;
}

void vtlb_frames_get(const struct mon *mon, uint64_t mfn, struct vtlb_frames *out)
{
    out->n = 0;
    const struct memmap_entry *me = memmap_entry_get(mon->mm, mfn);
    if (me && me->state == MEMMAP_REPLICA) {
        mfn = me->master;
        me = memmap_entry_get(mon->mm, mfn);
    }
    if (!me || me->state != MEMMAP_MASTER)
        return;
    frames_add(out, mfn);
    const struct memmap_replicas *r = me->replicas;
    for (unsigned n = 0; r && n < memmap_nodes(mon->mm); n++)
        if (r->nodes & NUMA_NODE_BIT(n))
            frames_add(out, r->node[n].mfn);
}

void vtlb_frames_retire(struct mon *mon, const struct vtlb_frames *before, uint64_t mfn_after)
{
    struct vtlb_frames after;
    vtlb_frames_get(mon, mfn_after, &after);
    for (unsigned i = 0; i < before->n; i++) {
        bool kept = false;
        for (unsigned j = 0; j < after.n && !kept; j++)
            kept = before->mfn[i] == after.mfn[j];
        if (!kept)
            hw_ll_break_frame(mon_phys_cpu(mon), before->mfn[i] << PAGE_SHIFT);
    }
}
