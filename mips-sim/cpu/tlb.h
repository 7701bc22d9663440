/*
 * tlb.h - an R4000-style software-managed TLB: N dual entries, each mapping an even/odd
 * pair of pages of 4 KB to 16 MB (PageMask), with an 8-bit ASID and G/V/D bits.
 *
 * An entry holds EntryHi (VPN2 | ASID), PageMask and EntryLo0/1 exactly as software
 * wrote them (EntryLo PFN bits 29:6 give physical address bits 35:12, so physical
 * addresses are up to 36 bits). The global bit is the AND of both EntryLo G bits,
 * taken at write time, as the architecture defines.
 *
 * Invariants:
 *  - mask == ~(pagemask | 0x1fff): the VPN2 bits compared for this entry;
 *  - an entry matches vaddr when (vaddr & mask) == (entryhi & mask) and it is global
 *    or its ASID equals the current one; the first matching entry wins (software is
 *    responsible for not writing duplicates, as on the hardware).
 *  - hints (the refill path's shortcut past the linear search): a hint names the
 *    entry that was the first match for one (VPN2 of 8 KB, ASID) key; a write drops
 *    every hint it could make wrong (one naming the written entry, or one naming a
 *    later entry whose key the new entry matches), so a hint is always the first
 *    match for its key, and lookups give the same answer as the linear search.
 */
#ifndef MIPS_SIM_TLB_H
#define MIPS_SIM_TLB_H

#include <stdbool.h>
#include <stdint.h>

#define TLB_MAX_ENTRIES 256
#define ENTRYLO_G 0x1u
#define ENTRYLO_V 0x2u
#define ENTRYLO_D 0x4u
#define ENTRYLO_C_SHIFT 3
#define ENTRYLO_PFN_SHIFT 6
#define ENTRYLO_BITS 0x3fffffffu  /* PFN, C, D, V, G: the rest reads 0 */
#define PAGEMASK_BITS 0x1fffe000u
#define ENTRYHI_VPN2 0xffffe000u
#define ENTRYHI_ASID 0x000000ffu

typedef struct tlb_entry {
    uint32_t entryhi, pagemask, lo0, lo1;
    uint32_t mask;
    bool global;
} tlb_entry;

#define TLB_HINTS 64                  /* direct-mapped by VPN2 */

typedef struct tlb_hint {
    uint32_t key;                     /* vaddr bits 31:13 | ASID */
    int16_t idx;                      /* the first matching entry, or -1 */
} tlb_hint;

typedef struct tlb {
    tlb_entry *e;
    int n;
    tlb_hint *hints;                  /* TLB_HINTS of them (a cache: lookups fill it) */
} tlb;

enum tlb_result { TLB_HIT = 0, TLB_REFILL = 1, TLB_INVALID = 2, TLB_MODIFIED = 3 };

/* Allocate n dual entries (1..TLB_MAX_ENTRIES), all invalid. Returns 0 or -errno. */
int tlb_init(tlb *t, int n);
void tlb_destroy(tlb *t);

/* Write entry idx (0 <= idx < n) from the CP0 register values. */
void tlb_write(tlb *t, int idx, uint32_t entryhi, uint32_t pagemask, uint32_t lo0,
               uint32_t lo1);
void tlb_read(const tlb *t, int idx, uint32_t *entryhi, uint32_t *pagemask,
              uint32_t *lo0, uint32_t *lo1);

/* Index of the entry matching EntryHi's VPN2 and ASID, or -1 (TLBP). */
int tlb_probe(const tlb *t, uint32_t entryhi);

/*
 * Translate vaddr for the given ASID. On TLB_HIT sets *paddr and, when page_bytes is not
 * NULL, *page_bytes (the size of one page of the pair). `write` checks the D bit.
 */
enum tlb_result tlb_lookup(const tlb *t, uint32_t vaddr, uint8_t asid, bool write,
                           uint64_t *paddr, uint32_t *page_bytes);

#endif
