/* pmap/backmap.c - backmaps: where translations of a guest page are cached, so a change
 * to the page invalidates exactly those places (and nothing else). Records live in one
 * growable table per pmap, doubly linked per page for O(1) removal. */
#include "pmap/internal.h"

#include <errno.h>
#include <stdlib.h>

static int grow(struct pmap *pm)
{
    uint32_t cap = pm->bm_cap ? pm->bm_cap * 2 : 64;
    if (cap <= pm->bm_cap || cap > UINT32_MAX / 2)
        return -ENOMEM;
    struct pmap_backmap_rec *bm = realloc(pm->bm, cap * sizeof *bm);
    if (!bm)
        return -ENOMEM;
    for (uint32_t i = pm->bm_cap; i < cap; i++) {   /* new records onto the free list */
        bm[i] = (struct pmap_backmap_rec){ .next = i + 1 < cap ? i + 1 : pm->bm_free };
    }
    pm->bm_free = pm->bm_cap;
    pm->bm = bm;
    pm->bm_cap = cap;
    return 0;
}

int pmap_backmap_add(struct pmap *pm, uint64_t gpn, const struct pmap_cache_loc *loc,
                     pmap_backmap_t *handle)
{
    if (!pm || !loc || gpn >= pm->npages)
        return -EINVAL;
    struct pmap_entry *pe = &pm->e[gpn];
    if (pe->mfn == PMAP_NO_FRAME)
        return -ENOENT;              /* nothing to cache: the page is not mapped */
    if (pm->bm_free == PMAP_NIL && grow(pm) != 0)
        return -ENOMEM;
    uint32_t i = pm->bm_free;
    struct pmap_backmap_rec *r = &pm->bm[i];
    pm->bm_free = r->next;
    r->loc = *loc;
    r->gpn = gpn;
    r->used = 1;
    r->prev = PMAP_NIL;
    r->next = pe->backmaps;
    if (pe->backmaps != PMAP_NIL)
        pm->bm[pe->backmaps].prev = i;
    pe->backmaps = i;
    pm->bm_used++;
    if (handle)
        *handle = ((uint64_t)r->gen << 32) | i;
    return 0;
}

/* Unlink record i from its page and put it on the free list. */
static void release(struct pmap *pm, uint32_t i)
{
    struct pmap_backmap_rec *r = &pm->bm[i];
    struct pmap_entry *pe = &pm->e[r->gpn];
    if (r->prev != PMAP_NIL)
        pm->bm[r->prev].next = r->next;
    else
        pe->backmaps = r->next;
    if (r->next != PMAP_NIL)
        pm->bm[r->next].prev = r->prev;
    r->used = 0;
    r->gen++;
    r->next = pm->bm_free;
    pm->bm_free = i;
    pm->bm_used--;
}

int pmap_backmap_remove(struct pmap *pm, pmap_backmap_t handle)
{
    uint32_t i = (uint32_t)handle;
    if (!pm || i >= pm->bm_cap || !pm->bm[i].used || pm->bm[i].gen != (uint32_t)(handle >> 32))
        return -ENOENT;
    release(pm, i);
    return 0;
}

int pmap_backmap_count(const struct pmap *pm, uint64_t gpn)
{
    if (!pm || gpn >= pm->npages)
        return -EINVAL;
    int n = 0;
    for (uint32_t i = pm->e[gpn].backmaps; i != PMAP_NIL; i = pm->bm[i].next)
        n++;
    return n;
}

/* Drop every backmap of the page, telling the backend to invalidate each place. The
 * record is released before the callback so the backend sees a consistent pmap. */
void pmap_shoot_page(struct pmap *pm, uint64_t gpn)
{
    struct memmap *mm = pm->mm;
    while (pm->e[gpn].backmaps != PMAP_NIL) {
        uint32_t i = pm->e[gpn].backmaps;
        struct pmap_cache_loc loc = pm->bm[i].loc;
        release(pm, i);
        mm->stats.shootdowns++;
        mm->ops->shootdown(mm->ctx, pm->vm, gpn, &loc);
    }
}

void mm_shoot_users(struct memmap *mm, uint64_t mfn)
{
    for (uint64_t r = mm->e[mfn].first_user; r != MEMMAP_NO_USER;
         r = mm_user_entry(mm, r)->next_user)
        pmap_shoot_page(mm->vms[ref_vm(r)], ref_gpn(r));
}

int pmap_invalidate(struct pmap *pm, uint64_t gpn)
{
    if (!pm || gpn >= pm->npages)
        return -EINVAL;
    pmap_shoot_page(pm, gpn);
    return 0;
}

void pmap_backmaps_free(struct pmap *pm)
{
    free(pm->bm);
    pm->bm = NULL;
    pm->bm_cap = pm->bm_used = 0;
    pm->bm_free = PMAP_NIL;
}
