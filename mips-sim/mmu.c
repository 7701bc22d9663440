/*
 * mmu.c - address translation (segments by mode, the TLB), the fast-path translation
 * cache, and the slow paths of loads, stores and instruction fetch.
 */
#include "mips-sim/codecache.h"
#include "mips-sim/cpu_internal.h"

#include <string.h>

/* Translate through the TLB: 0, or the ExcCode of the fault. */
static int mmu_mapped(const cpu *c, uint32_t vaddr, bool write, uint64_t *paddr,
                      bool *refill)
{
    switch (tlb_lookup(&c->tlb, vaddr, (uint8_t)c->cp0.entryhi, write, paddr, NULL)) {
    case TLB_HIT: return 0;
    case TLB_REFILL: *refill = true; return write ? EXC_TLBS : EXC_TLBL;
    case TLB_INVALID: return write ? EXC_TLBS : EXC_TLBL;
    default: return EXC_MOD;
    }
}

int cpu_translate(const cpu *c, uint32_t vaddr, bool write, uint64_t *paddr, bool *refill)
{
    int aderr = write ? EXC_ADES : EXC_ADEL;
    *refill = false;
    if (vaddr < 0x80000000u) {                       /* kuseg / suseg / useg */
        if (c->mode == CPU_MODE_KERNEL && (c->cp0.status & ST_ERL)) {
            *paddr = vaddr;                           /* unmapped while ERL = 1 */
            return 0;
        }
        return mmu_mapped(c, vaddr, write, paddr, refill);
    }
    if (c->mode == CPU_MODE_USER)
        return aderr;
    if (vaddr >= 0xc0000000u && vaddr < 0xe0000000u) /* sseg / ksseg */
        return mmu_mapped(c, vaddr, write, paddr, refill);
    if (c->mode == CPU_MODE_SUPERVISOR)
        return aderr;
    if (vaddr < 0xa0000000u) {                       /* kseg0 */
        *paddr = vaddr - 0x80000000u;
        return 0;
    }
    if (vaddr < 0xc0000000u) {                       /* kseg1 */
        *paddr = vaddr - 0xa0000000u;
        return 0;
    }
    return mmu_mapped(c, vaddr, write, paddr, refill); /* kseg3 */
}

void cpu_fast_flush_range(cpu *c, uint32_t vaddr, uint32_t bytes)
{
    uint32_t pages = bytes >> 12;
    if (pages >= CPU_HTLB_SIZE) {
        cpu_fast_flush(c);
        return;
    }
    for (uint32_t p = 0; p < pages; p++) {
        uint32_t page = (vaddr & ~0xfffu) + (p << 12);
        unsigned slot = (page >> 12) & (CPU_HTLB_SIZE - 1);
        for (int m = 0; m < 3; m++) {
            cpu_htlb_entry *e = &c->htlb_modes[m][slot];
            if (e->rtag == page || e->wtag == page)
                e->rtag = e->wtag = 1;
        }
    }
    c->fetch_page = CPU_FETCH_NONE;
}

/* Remember the host address of a RAM page for later accesses in this mode. */
static void mmu_fill(cpu *c, uint32_t vaddr, uint64_t paddr, uint8_t *host_page)
{
    uint32_t page = vaddr & ~0xfffu;
    uint64_t wpa;
    bool refill;
    cpu_htlb_entry *e = &c->htlb[(vaddr >> 12) & (CPU_HTLB_SIZE - 1)];
    e->addend = (uintptr_t)host_page - page;
    e->ppage = paddr & ~0xfffull;
    e->rtag = page;
    /* The write tag needs write permission too (the D bit of a mapped page), and a
     * page holding decoded blocks gets none: its stores must reach codecache_write. */
    e->wtag = cpu_translate(c, vaddr, true, &wpa, &refill) == 0 &&
                      !codecache_is_code(c->m->code, paddr)
                  ? page
                  : 1;
}

/* The region of a physical access, filling the fast path when it is RAM. */
static const bus_region *mmu_region(cpu *c, uint32_t vaddr, uint64_t pa)
{
    const bus_region *r = bus_find(&c->m->bus, pa);
    if (r && r->host && (pa & ~0xfffull) - r->base + 4096 <= r->size)
        mmu_fill(c, vaddr, pa, r->host + ((pa & ~0xfffull) - r->base));
    return r;
}

static int mmu_fault(cpu_fault *f, int code, uint32_t vaddr, bool refill)
{
    f->code = code;
    f->badvaddr = vaddr;
    f->refill = refill;
    return -1;
}

/* Translate and find the region of a data access: the region, or NULL with *f set. */
static const bus_region *mmu_data(cpu *c, uint32_t vaddr, int size, bool write,
                                  uint64_t *pa, cpu_fault *f)
{
    bool refill;
    int code = cpu_translate(c, vaddr, write, pa, &refill);
    if (code) {
        mmu_fault(f, code, vaddr, refill);
        return NULL;
    }
    const bus_region *r = mmu_region(c, vaddr, *pa);
    if (!r || (uint64_t)size > r->size - (*pa - r->base)) {
        mmu_fault(f, EXC_DBE, vaddr, false);
        return NULL;
    }
    return r;
}

int cpu_load_slow(cpu *c, uint32_t vaddr, int size, uint32_t *val, cpu_fault *f)
{
    uint64_t pa;
    const bus_region *r = mmu_data(c, vaddr, size, false, &pa, f);
    if (!r)
        return -1;
    if (r->host) {
        uint32_t v = 0;
        memcpy(&v, r->host + (pa - r->base), (size_t)size);
        *val = v;
    } else {
        *val = r->ops->read(r->ctx, c->id, (uint32_t)(pa - r->base), size);
    }
    return 0;
}

int cpu_store_slow(cpu *c, uint32_t vaddr, int size, uint32_t val, cpu_fault *f)
{
    uint64_t pa;
    const bus_region *r = mmu_data(c, vaddr, size, true, &pa, f);
    if (!r)
        return -1;
    if (r->host) {
        uint8_t *p = r->host + (pa - r->base);
        codecache_write(c->m->code, pa);
        memcpy(p, &val, (size_t)size);
        if (c->m->ll_links)
            cpu_ll_break(c, (uintptr_t)p & ~(uintptr_t)3);
    } else {
        r->ops->write(r->ctx, c->id, (uint32_t)(pa - r->base), val, size);
    }
    return 0;
}

int cpu_fetch_slow(cpu *c, uint32_t pc, cpu_fault *f)
{
    uint64_t pa;
    bool refill;
    if (pc & 3)
        return mmu_fault(f, EXC_ADEL, pc, false);
    int code = cpu_translate(c, pc, false, &pa, &refill);
    if (code)
        return mmu_fault(f, code, pc, refill);
    const bus_region *r = mmu_region(c, pc, pa);
    if (!r || !r->host || (pa & ~0xfffull) - r->base + 4096 > r->size)
        return mmu_fault(f, EXC_IBE, pc, false); /* we execute from RAM only */
    c->fetch_page = pc & ~0xfffu;
    c->fetch_host = r->host + ((pa & ~0xfffull) - r->base);
    c->fetch_ppage = pa & ~0xfffull;
    return 0;
}

int cpu_ll_translate(cpu *c, uint32_t vaddr, uint64_t *pa, uintptr_t *host, cpu_fault *f)
{
    bool refill;
    int code = cpu_translate(c, vaddr, false, pa, &refill);
    if (code)
        return mmu_fault(f, code, vaddr, refill);
    uint8_t *p = bus_ram_ptr(&c->m->bus, *pa, 4);
    if (!p)
        return mmu_fault(f, EXC_DBE, vaddr, false); /* LL/SC on devices: bus error */
    *host = (uintptr_t)p;
    return 0;
}

void cpu_ll_break(cpu *self, uintptr_t host)
{
    machine *m = self->m;
    for (int i = 0; i < m->ncpus; i++) {
        cpu *o = m->cpus[i];
        if (o != self && o->llbit && o->ll_host == host)
            cpu_ll_clear(o);
    }
}

void cpu_ll_break_range(machine *m, uintptr_t lo, uintptr_t hi)
{
    for (int i = 0; m->ll_links && i < m->ncpus; i++) {
        cpu *o = m->cpus[i];
        if (o->llbit && o->ll_host >= lo && o->ll_host < hi)
            cpu_ll_clear(o);
    }
}

void cpu_ll_clear(cpu *c)
{
    if (c->llbit) {
        c->llbit = false;
        c->m->ll_links--;
    }
}
