/*
 * fastpath.c - the memory fast path's fills and slow paths: loads, stores and
 * instruction fetches that miss the fast-path table (cpu.h) or reach a device, and the
 * address checks of LL. A fill caches a RAM page's host address for the CPU's mode;
 * it gives no write tag to a page that holds decoded code (codecache.h).
 */
#include "mips-sim/engine/fastpath.h"
#include "mips-sim/arch.h"

#include "mips-sim/engine/codecache.h"
#include "mips-sim/engine/memfast.h"
#include "mips-sim/mem/cache.h"

#include <string.h>

/* Remember the host address of a RAM page for later accesses in this mode. */
static void fastpath_fill(cpu *c, uint32_t vaddr, uint64_t paddr, uint8_t *host_page)
{
    uint32_t page = ARCH_PAGE_BASE(vaddr);
    uint64_t wpa;
    bool refill;
    cpu_htlb_entry *e = &c->htlb[CPU_HTLB_SLOT(vaddr)];
    e->addend = (uintptr_t)host_page - page;
    e->ppage = ARCH_PAGE_BASE(paddr);
    e->rtag = page;
    /* The write tag needs write permission too (the D bit of a mapped page), and a
     * page holding decoded blocks gets none: its stores must reach codecache_write. */
    e->wtag = cpu_translate(c, vaddr, true, &wpa, &refill) == 0 &&
                      !codecache_is_code(c->sys->code, paddr)
                  ? page
                  : CPU_HTLB_INVALID;
}

/* The region of a physical access, filling the fast path when it is RAM. */
static const bus_region *fastpath_region(cpu *c, uint32_t vaddr, uint64_t pa)
{
    const bus_region *r = bus_find(c->sys->bus, pa);
    if (r && r->host && ARCH_PAGE_BASE(pa) - r->base + ARCH_PAGE_SIZE <= r->size)
        fastpath_fill(c, vaddr, pa, r->host + (ARCH_PAGE_BASE(pa) - r->base));
    return r;
}

static int fastpath_fault(cpu_fault *f, int code, uint32_t vaddr, bool refill)
{
    f->code = code;
    f->badvaddr = vaddr;
    f->refill = refill;
    return -1;
}

/* Translate and find the region of a data access: the region, or NULL with *f set. */
static const bus_region *fastpath_data(cpu *c, uint32_t vaddr, int size, bool write,
                                  uint64_t *pa, cpu_fault *f)
{
    bool refill;
    int code = cpu_translate(c, vaddr, write, pa, &refill);
    if (code) {
        fastpath_fault(f, code, vaddr, refill);
        return NULL;
    }
    const bus_region *r = fastpath_region(c, vaddr, *pa);
    if (!r || (uint64_t)size > r->size - (*pa - r->base)) {
        fastpath_fault(f, EXC_DBE, vaddr, false);
        return NULL;
    }
    return r;
}

int cpu_load_slow(cpu *c, uint32_t vaddr, int size, uint32_t *val, cpu_fault *f)
{
    uint64_t pa;
    const bus_region *r = fastpath_data(c, vaddr, size, false, &pa, f);
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
    const bus_region *r = fastpath_data(c, vaddr, size, true, &pa, f);
    if (!r)
        return -1;
    if (r->host) {
        uint8_t *p = r->host + (pa - r->base);
        codecache_write(c->sys->code, pa);
        memcpy(p, &val, (size_t)size);
        if (c->sys->ll_links)
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
        return fastpath_fault(f, EXC_ADEL, pc, false);
    int code = cpu_translate(c, pc, false, &pa, &refill);
    if (code)
        return fastpath_fault(f, code, pc, refill);
    const bus_region *r = fastpath_region(c, pc, pa);
    if (!r || !r->host || ARCH_PAGE_BASE(pa) - r->base + ARCH_PAGE_SIZE > r->size)
        return fastpath_fault(f, EXC_IBE, pc, false); /* we execute from RAM only */
    c->fetch_page = ARCH_PAGE_BASE(pc);
    c->fetch_host = r->host + (ARCH_PAGE_BASE(pa) - r->base);
    c->fetch_ppage = ARCH_PAGE_BASE(pa);
    return 0;
}

int cpu_ll_translate(cpu *c, uint32_t vaddr, uint64_t *pa, uintptr_t *host, cpu_fault *f)
{
    bool refill;
    int code = cpu_translate(c, vaddr, false, pa, &refill);
    if (code)
        return fastpath_fault(f, code, vaddr, refill);
    uint8_t *p = bus_ram_ptr(c->sys->bus, *pa, 4);
    if (!p)
        return fastpath_fault(f, EXC_DBE, vaddr, false); /* LL/SC on devices: bus error */
    *host = (uintptr_t)p;
    return 0;
}

uint32_t memfast_charge_miss(cpu *c, uint64_t paddr, bool write, uint64_t now)
{
    uint32_t s = cache_access(c->sys->cache, c->id, paddr, write, now);
    c->cycles += s;
    c->budget -= (int64_t)s;
    c->stats.stall_cycles += s;
    return s;
}
