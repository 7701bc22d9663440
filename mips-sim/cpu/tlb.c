/* tlb.c - the R4000-style TLB: write, read, probe and lookup. */
#include "mips-sim/arch.h"
#include "mips-sim/cpu/tlb.h"

#include <errno.h>
#include <stdlib.h>

int tlb_init(tlb *t, int n)
{
    if (n < 1 || n > TLB_MAX_ENTRIES)
        return -EINVAL;
    t->e = calloc((size_t)n, sizeof(*t->e));
    if (!t->e)
        return -ENOMEM;
    t->n = n;
    /* Reset leaves the TLB undefined; ours starts with unmatchable, invalid entries
     * (a VPN2 in kseg0, where the TLB is never consulted). */
    for (int i = 0; i < n; i++)
        tlb_write(t, i, ARCH_KSEG0 + (uint32_t)i * (ARCH_PAGE_PAIR_MASK + 1), 0, 0, 0);
    return 0;
}

void tlb_destroy(tlb *t)
{
    free(t->e);
    t->e = NULL;
    t->n = 0;
}

void tlb_write(tlb *t, int idx, uint32_t entryhi, uint32_t pagemask, uint32_t lo0,
               uint32_t lo1)
{
    tlb_entry *e = &t->e[idx];
    e->pagemask = pagemask & PAGEMASK_BITS;
    e->entryhi = entryhi & (ENTRYHI_VPN2 | ENTRYHI_ASID) & ~e->pagemask;
    e->lo0 = lo0 & ENTRYLO_BITS;
    e->lo1 = lo1 & ENTRYLO_BITS;
    e->global = (lo0 & lo1 & ENTRYLO_G) != 0;
    e->mask = ~(e->pagemask | 0x1fffu);
}

void tlb_read(const tlb *t, int idx, uint32_t *entryhi, uint32_t *pagemask,
              uint32_t *lo0, uint32_t *lo1)
{
    const tlb_entry *e = &t->e[idx];
    uint32_t g = e->global ? ENTRYLO_G : 0;
    *entryhi = e->entryhi;
    *pagemask = e->pagemask;
    *lo0 = (e->lo0 & ~ENTRYLO_G) | g;
    *lo1 = (e->lo1 & ~ENTRYLO_G) | g;
}

static inline bool tlb_matches(const tlb_entry *e, uint32_t vaddr, uint8_t asid)
{
    return ((vaddr ^ e->entryhi) & e->mask) == 0 &&
           (e->global || (uint8_t)e->entryhi == asid);
}

int tlb_probe(const tlb *t, uint32_t entryhi)
{
    for (int i = 0; i < t->n; i++)
        if (tlb_matches(&t->e[i], entryhi & ENTRYHI_VPN2, (uint8_t)entryhi))
            return i;
    return -1;
}

enum tlb_result tlb_lookup(const tlb *t, uint32_t vaddr, uint8_t asid, bool write,
                           uint64_t *paddr, uint32_t *page_bytes)
{
    for (int i = 0; i < t->n; i++) {
        const tlb_entry *e = &t->e[i];
        if (!tlb_matches(e, vaddr, asid))
            continue;
        uint32_t page = (e->pagemask | 0x1fffu) + 1;   /* size of the pair */
        uint32_t half = page >> 1;
        uint32_t lo = (vaddr & half) ? e->lo1 : e->lo0;
        if (!(lo & ENTRYLO_V))
            return TLB_INVALID;
        if (write && !(lo & ENTRYLO_D))
            return TLB_MODIFIED;
        uint64_t frame = (uint64_t)(lo >> ENTRYLO_PFN_SHIFT) << ARCH_PAGE_SHIFT;
        /* The PFN names a page of `half` bytes; low PFN bits inside it are ignored. */
        frame &= ~(uint64_t)(half - 1);
        *paddr = frame | (vaddr & (half - 1));
        if (page_bytes)
            *page_bytes = half;
        return TLB_HIT;
    }
    return TLB_REFILL;
}
