/* pmap/cow.c - copy-on-write sharing between guest pages (of one or several VMs), and
 * the write fault that breaks sharing and collapses replicas. */
#include "pmap/internal.h"

#include <errno.h>

int pmap_share_cow(struct pmap *src, uint64_t src_gpn, struct pmap *dst, uint64_t dst_gpn)
{
    if (!src || !dst || src->mm != dst->mm || src_gpn >= src->npages
        || dst_gpn >= dst->npages || (src == dst && src_gpn == dst_gpn))
        return -EINVAL;
    struct pmap_entry *se = &src->e[src_gpn], *de = &dst->e[dst_gpn];
    if (se->mfn == PMAP_NO_FRAME)
        return -ENOENT;
    if (de->mfn != PMAP_NO_FRAME)
        return -EEXIST;
    struct memmap *mm = src->mm;
    if (!(se->flags & PMAP_F_COW)) {
        se->flags |= PMAP_F_COW;
        pmap_shoot_page(src, src_gpn);   /* its cached translations may be writable */
    }
    de->flags = PMAP_F_COW;
    mm_user_link(mm, se->mfn, dst, dst_gpn);
    de->mfn = se->mfn;                   /* same frame: reuse the precomputed entry */
    de->node = se->node;
    de->map_entry = se->map_entry;
    de->replicas = se->replicas;
    mm_remap(mm, dst->vm, dst_gpn, de);
    mm->stats.cow_shares++;
    mm->stats.pages_mapped++;
    return 0;
}

int pmap_break_cow(struct pmap *pm, uint64_t gpn, unsigned node)
{
    if (!pm || gpn >= pm->npages || node >= pm->mm->nodes)
        return -EINVAL;
    struct pmap_entry *pe = &pm->e[gpn];
    if (pe->mfn == PMAP_NO_FRAME)
        return -ENOENT;
    if (!(pe->flags & PMAP_F_COW))
        return 0;
    struct memmap *mm = pm->mm;
    uint64_t old = pe->mfn;
    if (mm->e[old].nusers == 1) {        /* the others left: the frame is ours already */
        pe->flags &= (uint8_t)~PMAP_F_COW;
        return 0;
    }
    uint64_t mfn;
    int rc = mm_frame_alloc(mm, node, 0, &mfn);
    if (rc != 0)
        return rc;
    rc = mm_copy(mm, mfn, old);
    if (rc != 0) {
        numa_pool_free(mm->pool, mfn);
        return rc;
    }
    pmap_shoot_page(pm, gpn);            /* cached translations point at the old frame */
    mm_user_unlink(mm, old, pm, gpn);
    struct memmap_entry *me = &mm->e[mfn];
    me->state = MEMMAP_MASTER;
    me->master = mfn;
    mm->stats.frames_master++;
    mm_user_link(mm, mfn, pm, gpn);
    mm_entry_set_frame(mm, pe, mfn);
    pe->flags &= (uint8_t)~PMAP_F_COW;
    mm_remap(mm, pm->vm, gpn, pe);
    mm->stats.cow_breaks++;
    return 0;
}

int pmap_write_fault(struct pmap *pm, uint64_t gpn, unsigned node)
{
    if (!pm || gpn >= pm->npages || node >= pm->mm->nodes)
        return -EINVAL;
    struct pmap_entry *pe = &pm->e[gpn];
    if (pe->mfn == PMAP_NO_FRAME)
        return -ENOENT;
    if (pe->flags & PMAP_F_WP)
        return -EACCES;                  /* the monitor wants this page read-only */
    /* Breaking sharing first gives this user a private, unreplicated copy and leaves
     * the other users' replicas alone; only a sole user's write collapses replicas. */
    int rc = pmap_break_cow(pm, gpn, node);
    if (rc == 0 && pe->replicas)
        rc = memmap_collapse(pm->mm, pe->mfn);
    return rc;
}

int pmap_migrate(struct pmap *pm, uint64_t gpn, unsigned node)
{
    if (!pm || gpn >= pm->npages)
        return -EINVAL;
    if (pm->e[gpn].mfn == PMAP_NO_FRAME)
        return -ENOENT;
    return memmap_migrate(pm->mm, pm->e[gpn].mfn, node, NULL);
}
