/*
 * l2tlb/l2tlb.h - the second-level software TLB of one virtual CPU.
 *
 * Caches recent (ASID, guest virtual page) -> (machine page, protection, page size)
 * translations, checked before a TLB miss is forwarded to the guest kernel.
 *
 * Data structure: a set-associative hash table of `entries` slots (a power of two,
 * default L2TLB_DEFAULT_ENTRIES) in sets of L2TLB_WAYS; the set is chosen by a hash of
 * (ASID, virtual page number at the entry's page size). Replacement within a set is
 * round-robin. Pages are counted in base pages of 4 KB (vpn = va >> 12); an entry of
 * size 2^page_shift base pages covers the aligned range starting at its vpn, and lookup
 * probes once per page size currently present (usually one), so lookup is O(1).
 * Global entries (L2TLB_PROT_GLOBAL) match any ASID; they are probed only when some are
 * present.
 * Invariants:
 *   - at most one valid entry per (ASID or global, vpn, page size);
 *   - a valid entry's vpn is aligned to its size; slot numbers are stable while valid;
 *   - stats.hits + stats.misses == stats.lookups.
 * Backmaps: each entry carries an opaque 64-bit cookie (the backend puts its
 * pmap_backmap_t there). When the L2TLB drops a valid entry on its own (replacement,
 * l2tlb_insert over an equal key, flush_all, flush_asid) it calls the evict callback with
 * the entry so the backend removes the backmap. l2tlb_flush_one() - the path used by the
 * pmap's shootdown, whose backmap is already gone - does not call it.
 * Errors: -EINVAL bad argument, -ENOMEM, -ENOENT not present. Not thread-safe: one
 * virtual CPU uses its own L2TLB.
 */
#ifndef L2TLB_L2TLB_H
#define L2TLB_L2TLB_H

#include <stdint.h>

#define L2TLB_DEFAULT_ENTRIES 1024
#define L2TLB_WAYS            4
#define L2TLB_PAGE_SHIFT      12     /* base page: 4 KB */
#define L2TLB_MAX_PAGE_SHIFT  24     /* largest page: 2^24 base pages */

/* Protection bits (backend-defined beyond these). */
enum l2tlb_prot {
    L2TLB_PROT_READ   = 1u << 0,
    L2TLB_PROT_WRITE  = 1u << 1,   /* MIPS: the D (dirty) bit */
    L2TLB_PROT_GLOBAL = 1u << 2,   /* matches every ASID */
};

struct l2tlb_entry {
    uint64_t vpn;          /* guest virtual page number (4 KB units), aligned to size */
    uint64_t mfn;          /* machine page */
    uint64_t cookie;       /* opaque to the L2TLB (the backend's backmap handle) */
    uint32_t asid;
    uint32_t prot;         /* enum l2tlb_prot */
    uint8_t page_shift;    /* entry covers 2^page_shift base pages */
};

struct l2tlb_config {
    uint32_t entries;      /* power of two >= L2TLB_WAYS; 0 = default */
};

struct l2tlb_stats {
    uint64_t lookups, hits, misses;
    uint64_t inserts, evictions;   /* evictions: valid entries replaced */
    uint64_t flushes_all, flushes_asid, flushes_one;
};

typedef void (*l2tlb_evict_fn)(void *ctx, uint32_t slot, const struct l2tlb_entry *e);

struct l2tlb;

int l2tlb_create(struct l2tlb **out, const struct l2tlb_config *cfg,
                 l2tlb_evict_fn evict, void *ctx);
void l2tlb_destroy(struct l2tlb *tlb);
uint32_t l2tlb_capacity(const struct l2tlb *tlb);

/* Find the translation of vpn for asid. 0 and *out filled (the entry as inserted; the
 * vpn of a large page is its aligned start), or -ENOENT. slot may be NULL. */
int l2tlb_lookup(struct l2tlb *tlb, uint32_t asid, uint64_t vpn, struct l2tlb_entry *out,
                 uint32_t *slot);

/* Insert (replacing an entry with the same key, or the set's round-robin victim).
 * *slot (may be NULL) gets the slot used, for backmaps. */
int l2tlb_insert(struct l2tlb *tlb, const struct l2tlb_entry *e, uint32_t *slot);

/* Set the cookie of a valid slot (after the backmap was created with the slot number). */
int l2tlb_set_cookie(struct l2tlb *tlb, uint32_t slot, uint64_t cookie);

/* Read a valid slot. */
int l2tlb_read(const struct l2tlb *tlb, uint32_t slot, struct l2tlb_entry *out);

void l2tlb_flush_all(struct l2tlb *tlb);
void l2tlb_flush_asid(struct l2tlb *tlb, uint32_t asid);   /* global entries stay */

/* Invalidate one slot if it still holds (asid, vpn); no evict callback. -ENOENT if the
 * slot holds something else (already replaced). */
int l2tlb_flush_one(struct l2tlb *tlb, uint32_t slot, uint32_t asid, uint64_t vpn);

const struct l2tlb_stats *l2tlb_get_stats(const struct l2tlb *tlb);
void l2tlb_reset_stats(struct l2tlb *tlb);

#endif
