/* tlb.c - the R4000-style TLB: write, read, probe and lookup. */
#include "mips-sim/arch.h"
#include "mips-sim/cpu/tlb.h"

#include <errno.h>
#include <stdlib.h>

#define TLB_KEY_VPN2 0xffffe000u       /* the VPN2 bits of a key (8 KB pairs) */

static uint32_t tlb_key(uint32_t vaddr, uint8_t asid) { return (vaddr & TLB_KEY_VPN2) | asid; }
static unsigned tlb_hint_slot(uint32_t vaddr)
{
    return (vaddr >> 13) & (TLB_HINTS - 1);
}

static inline bool tlb_matches(const tlb_entry *e, uint32_t vaddr, uint8_t asid);

int tlb_init(tlb *t, int n)
{
    if (n < 1 || n > TLB_MAX_ENTRIES)
        return -EINVAL;
    t->e = calloc((size_t)n, sizeof(*t->e));
    t->hints = malloc(TLB_HINTS * sizeof(*t->hints));
    if (!t->e || !t->hints) {
        free(t->e);
        free(t->hints);
        t->e = NULL;
        t->hints = NULL;
        return -ENOMEM;
    }
    t->n = n;
    for (int h = 0; h < TLB_HINTS; h++)
        t->hints[h].idx = -1;
    /* Reset leaves the TLB undefined; ours starts with unmatchable, invalid entries
     * (a VPN2 in kseg0, where the TLB is never consulted). */
    for (int i = 0; i < n; i++)
        tlb_write(t, i, ARCH_KSEG0 + (uint32_t)i * (ARCH_PAGE_PAIR_MASK + 1), 0, 0, 0);
    return 0;
}

void tlb_destroy(tlb *t)
{
    free(t->e);
    free(t->hints);
    t->e = NULL;
    t->hints = NULL;
    t->n = 0;
}

/* Drop the hints entry idx's new contents could make wrong (tlb.h). */
static void tlb_drop_hints(tlb *t, int idx)
{
    const tlb_entry *e = &t->e[idx];
    for (int h = 0; h < TLB_HINTS; h++) {
        tlb_hint *k = &t->hints[h];
        if (k->idx == idx ||
            (k->idx > idx && tlb_matches(e, k->key & TLB_KEY_VPN2, (uint8_t)k->key)))
            k->idx = -1;
    }
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
    tlb_drop_hints(t, idx);
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

/* The first entry matching (vaddr, asid), or -1: the hint, else the linear search. */
static int tlb_find(const tlb *t, uint32_t vaddr, uint8_t asid)
{
    tlb_hint *k = &t->hints[tlb_hint_slot(vaddr)];
    uint32_t key = tlb_key(vaddr, asid);
    if (k->idx >= 0 && k->key == key)
        return k->idx;
    for (int i = 0; i < t->n; i++)
        if (tlb_matches(&t->e[i], vaddr, asid)) {
            k->key = key;
            k->idx = (int16_t)i;
            return i;
        }
    return -1;
}

enum tlb_result tlb_lookup(const tlb *t, uint32_t vaddr, uint8_t asid, bool write,
                           uint64_t *paddr, uint32_t *page_bytes)
{
    int i = tlb_find(t, vaddr, asid);
    if (i >= 0) {
        const tlb_entry *e = &t->e[i];
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
