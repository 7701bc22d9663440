/* pmap/internal.h - private to pmap/: the layout of struct memmap and struct pmap and
 * the helpers the operation files share. Not a public header. */
#ifndef PMAP_INTERNAL_H
#define PMAP_INTERNAL_H

#include "pmap/memmap.h"
#include "pmap/pmap.h"

/* A user reference packs (vm, gpn) in one word: vm in the top 16 bits. */
#define PMAP_GPN_BITS 48
#define PMAP_MAX_PAGES ((uint64_t)1 << PMAP_GPN_BITS)

static inline uint64_t user_ref(uint32_t vm, uint64_t gpn)
{
    return ((uint64_t)vm << PMAP_GPN_BITS) | gpn;
}
static inline uint32_t ref_vm(uint64_t ref) { return (uint32_t)(ref >> PMAP_GPN_BITS); }
static inline uint64_t ref_gpn(uint64_t ref) { return ref & (PMAP_MAX_PAGES - 1); }

struct memmap {
    struct numa_pool *pool;
    unsigned nodes;
    const struct pmap_backend_ops *ops;
    void *ctx;
    struct memmap_entry *e;      /* [nframes] */
    uint64_t nframes;
    struct pmap **vms;           /* [max_vms] registered pmaps */
    unsigned max_vms, nvms;
    uint64_t now;
    struct memmap_stats stats;
};

struct pmap_backmap_rec {
    struct pmap_cache_loc loc;
    uint64_t gpn;
    uint32_t next, prev;         /* list of the page (or free list: next only) */
    uint32_t gen;                /* bumped on free so stale handles are refused */
    uint8_t used;
};

struct pmap {
    struct memmap *mm;
    uint32_t vm;
    uint64_t npages;
    struct pmap_entry *e;        /* [npages] */
    struct pmap_backmap_rec *bm; /* backmap records */
    uint32_t bm_cap, bm_free, bm_used;
};

/* memmap.c: user lists and frame bookkeeping. */
struct pmap_entry *mm_user_entry(const struct memmap *mm, uint64_t ref);
void mm_user_link(struct memmap *mm, uint64_t mfn, struct pmap *pm, uint64_t gpn);
void mm_user_unlink(struct memmap *mm, uint64_t mfn, struct pmap *pm, uint64_t gpn);
int mm_frame_alloc(struct memmap *mm, unsigned node, int exact, uint64_t *mfn);
void mm_frame_free(struct memmap *mm, uint64_t mfn);
int mm_copy(struct memmap *mm, uint64_t dst, uint64_t src);
void mm_remap(struct memmap *mm, uint32_t vm, uint64_t gpn, const struct pmap_entry *e);
/* Point a page at a master frame (mfn, node, entry, replicas). */
void mm_entry_set_frame(struct memmap *mm, struct pmap_entry *pe, uint64_t mfn);

/* backmap.c */
void pmap_shoot_page(struct pmap *pm, uint64_t gpn);
void mm_shoot_users(struct memmap *mm, uint64_t mfn);
void pmap_backmaps_free(struct pmap *pm);

/* replicate.c: drop the replica set of a master (frames freed, users unlinked). */
void mm_drop_replicas(struct memmap *mm, uint64_t mfn);

#endif
