/* pmap/pmap.c - pmap lifetime, map, unmap, lookup and monitor write protection. */
#include "pmap/internal.h"

#include <errno.h>
#include <stdlib.h>

static void entry_clear(struct pmap_entry *pe)
{
    *pe = (struct pmap_entry){ .mfn = PMAP_NO_FRAME, .next_user = MEMMAP_NO_USER,
                               .prev_user = MEMMAP_NO_USER, .backmaps = PMAP_NIL };
}

int pmap_create(struct pmap **out, struct memmap *mm, uint32_t vm, uint64_t npages)
{
    if (!out || !mm || vm >= mm->max_vms || npages == 0 || npages >= PMAP_MAX_PAGES)
        return -EINVAL;
    if (mm->vms[vm])
        return -EEXIST;
    struct pmap *pm = calloc(1, sizeof *pm);
    if (!pm)
        return -ENOMEM;
    pm->e = malloc(npages * sizeof *pm->e);
    if (!pm->e) {
        free(pm);
        return -ENOMEM;
    }
    for (uint64_t g = 0; g < npages; g++)
        entry_clear(&pm->e[g]);
    pm->mm = mm;
    pm->vm = vm;
    pm->npages = npages;
    pm->bm_free = PMAP_NIL;
    mm->vms[vm] = pm;
    mm->nvms++;
    *out = pm;
    return 0;
}

void pmap_destroy(struct pmap *pm)
{
    if (!pm)
        return;
    for (uint64_t g = 0; g < pm->npages; g++)
        if (pm->e[g].mfn != PMAP_NO_FRAME)
            pmap_unmap(pm, g);
    pm->mm->vms[pm->vm] = NULL;
    pm->mm->nvms--;
    pmap_backmaps_free(pm);
    free(pm->e);
    free(pm);
}

uint32_t pmap_vm(const struct pmap *pm) { return pm ? pm->vm : 0; }
uint64_t pmap_pages(const struct pmap *pm) { return pm ? pm->npages : 0; }
struct memmap *pmap_memmap(const struct pmap *pm) { return pm ? pm->mm : NULL; }

const struct pmap_entry *pmap_entry_get(const struct pmap *pm, uint64_t gpn)
{
    return pm && gpn < pm->npages ? &pm->e[gpn] : NULL;
}

/* Make a freshly allocated frame the MASTER of a single user (pm, gpn). */
static void adopt_frame(struct pmap *pm, uint64_t gpn, uint64_t mfn)
{
    struct memmap *mm = pm->mm;
    struct memmap_entry *me = &mm->e[mfn];
    me->state = MEMMAP_MASTER;
    me->master = mfn;
    me->replicas = NULL;
    mm->stats.frames_master++;
    mm_user_link(mm, mfn, pm, gpn);
    mm_entry_set_frame(mm, &pm->e[gpn], mfn);
    mm_remap(mm, pm->vm, gpn, &pm->e[gpn]);
}

int pmap_map_new(struct pmap *pm, uint64_t gpn, unsigned node, uint64_t *mfn_out)
{
    if (!pm || gpn >= pm->npages || node >= pm->mm->nodes)
        return -EINVAL;
    if (pm->e[gpn].mfn != PMAP_NO_FRAME)
        return -EEXIST;
    uint64_t mfn;
    int rc = mm_frame_alloc(pm->mm, node, 0, &mfn);
    if (rc != 0)
        return rc;
    pm->e[gpn].flags = 0;
    adopt_frame(pm, gpn, mfn);
    pm->mm->stats.pages_mapped++;
    if (mfn_out)
        *mfn_out = mfn;
    return 0;
}

int pmap_map_frame(struct pmap *pm, uint64_t gpn, uint64_t mfn)
{
    if (!pm || gpn >= pm->npages || mfn >= pm->mm->nframes)
        return -EINVAL;
    if (pm->e[gpn].mfn != PMAP_NO_FRAME)
        return -EEXIST;
    /* Only a frame the caller took from the pool and nobody uses yet. */
    if (numa_pool_is_allocated(pm->mm->pool, mfn) != 1 || pm->mm->e[mfn].state != MEMMAP_FREE)
        return -EBUSY;
    pm->e[gpn].flags = 0;
    adopt_frame(pm, gpn, mfn);
    pm->mm->stats.pages_mapped++;
    return 0;
}

int pmap_unmap(struct pmap *pm, uint64_t gpn)
{
    if (!pm || gpn >= pm->npages)
        return -EINVAL;
    struct pmap_entry *pe = &pm->e[gpn];
    if (pe->mfn == PMAP_NO_FRAME)
        return -ENOENT;
    struct memmap *mm = pm->mm;
    uint64_t mfn = pe->mfn;
    pmap_shoot_page(pm, gpn);
    mm_user_unlink(mm, mfn, pm, gpn);
    if (mm->e[mfn].nusers == 0) {            /* last user: the frame and copies go */
        mm_drop_replicas(mm, mfn);
        mm_frame_free(mm, mfn);
    }
    entry_clear(pe);
    mm_remap(mm, pm->vm, gpn, pe);
    mm->stats.pages_mapped--;
    return 0;
}

int pmap_lookup(const struct pmap *pm, uint64_t gpn, unsigned node,
                struct pmap_translation *out)
{
    if (!pm || !out || gpn >= pm->npages)
        return -EINVAL;
    const struct pmap_entry *pe = &pm->e[gpn];
    if (pe->mfn == PMAP_NO_FRAME)
        return -ENOENT;
    const struct memmap_replicas *r = pe->replicas;
    if (r && node < NUMA_MAX_NODES && (r->nodes & NUMA_NODE_BIT(node))) {
        out->mfn = r->node[node].mfn;
        out->map_entry = r->node[node].map_entry;
        out->node = node;
        out->replica = true;
    } else {
        out->mfn = pe->mfn;
        out->map_entry = pe->map_entry;
        out->node = pe->node;
        out->replica = false;
    }
    out->writable = !r && !(pe->flags & (PMAP_F_COW | PMAP_F_WP));
    return 0;
}

int pmap_write_protect(struct pmap *pm, uint64_t gpn)
{
    if (!pm || gpn >= pm->npages)
        return -EINVAL;
    struct pmap_entry *pe = &pm->e[gpn];
    if (pe->mfn == PMAP_NO_FRAME)
        return -ENOENT;
    if (!(pe->flags & PMAP_F_WP)) {
        pe->flags |= PMAP_F_WP;
        pmap_shoot_page(pm, gpn);        /* a cached translation may allow writes */
    }
    return 0;
}

int pmap_write_unprotect(struct pmap *pm, uint64_t gpn)
{
    if (!pm || gpn >= pm->npages)
        return -EINVAL;
    struct pmap_entry *pe = &pm->e[gpn];
    if (pe->mfn == PMAP_NO_FRAME)
        return -ENOENT;
    pe->flags &= (uint8_t)~PMAP_F_WP;    /* cached read-only translations stay valid */
    return 0;
}
