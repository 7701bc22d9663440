/* pmap/memmap.c - memmap lifetime, accessors, user lists and frame bookkeeping. */
#include "pmap/internal.h"

#include <errno.h>
#include <stdlib.h>

static void entry_reset(struct memmap_entry *me, unsigned node)
{
    *me = (struct memmap_entry){ .first_user = MEMMAP_NO_USER, .master = PMAP_NO_FRAME,
                                 .node = (uint16_t)node, .state = MEMMAP_FREE };
}

int memmap_create(struct memmap **out, struct numa_pool *pool,
                  const struct pmap_backend_ops *ops, void *ctx, unsigned max_vms)
{
    if (!out || !pool || !ops || !ops->copy_page || !ops->make_entry || !ops->shootdown
        || max_vms == 0 || max_vms > MEMMAP_MAX_VMS || numa_pool_frame_limit(pool) == 0)
        return -EINVAL;
    struct memmap *mm = calloc(1, sizeof *mm);
    if (!mm)
        return -ENOMEM;
    mm->pool = pool;
    mm->ops = ops;
    mm->ctx = ctx;
    mm->max_vms = max_vms;
    mm->nframes = numa_pool_frame_limit(pool);
    mm->nodes = numa_pool_nodes(pool);
    mm->e = malloc(mm->nframes * sizeof *mm->e);
    mm->vms = calloc(max_vms, sizeof *mm->vms);
    if (!mm->e || !mm->vms) {
        free(mm->e);
        free(mm->vms);
        free(mm);
        return -ENOMEM;
    }
    for (uint64_t f = 0; f < mm->nframes; f++) {
        int n = numa_pool_frame_node(pool, f);
        entry_reset(&mm->e[f], n < 0 ? 0 : (unsigned)n);
    }
    *out = mm;
    return 0;
}

int memmap_destroy(struct memmap *mm)
{
    if (!mm)
        return 0;
    if (mm->nvms)
        return -EBUSY;
    free(mm->e);
    free(mm->vms);
    free(mm);
    return 0;
}

void memmap_set_time(struct memmap *mm, uint64_t now)
{
    if (mm)
        mm->now = now;
}

const struct memmap_entry *memmap_entry_get(const struct memmap *mm, uint64_t mfn)
{
    return mm && mfn < mm->nframes ? &mm->e[mfn] : NULL;
}

uint64_t memmap_frames(const struct memmap *mm) { return mm ? mm->nframes : 0; }
struct numa_pool *memmap_pool(const struct memmap *mm) { return mm ? mm->pool : NULL; }
unsigned memmap_nodes(const struct memmap *mm) { return mm ? mm->nodes : 0; }

struct pmap *memmap_vm(const struct memmap *mm, uint32_t vm)
{
    return mm && vm < mm->max_vms ? mm->vms[vm] : NULL;
}

const struct memmap_stats *memmap_get_stats(const struct memmap *mm)
{
    return mm ? &mm->stats : NULL;
}

int memmap_users(const struct memmap *mm, uint64_t mfn, struct memmap_user *out, size_t max)
{
    if (!mm || mfn >= mm->nframes || (max && !out))
        return -EINVAL;
    const struct memmap_entry *me = &mm->e[mfn];
    if (me->state != MEMMAP_MASTER)
        return -ENOENT;
    size_t i = 0;
    for (uint64_t r = me->first_user; r != MEMMAP_NO_USER; r = mm_user_entry(mm, r)->next_user) {
        if (i < max)
            out[i] = (struct memmap_user){ ref_vm(r), ref_gpn(r) };
        i++;
    }
    return (int)i;
}

/* ---- helpers shared by the operation files ------------------------------------------ */

struct pmap_entry *mm_user_entry(const struct memmap *mm, uint64_t ref)
{
    return &mm->vms[ref_vm(ref)]->e[ref_gpn(ref)];
}

/* Push (pm, gpn) on the front of mfn's user list: O(1). */
void mm_user_link(struct memmap *mm, uint64_t mfn, struct pmap *pm, uint64_t gpn)
{
    struct memmap_entry *me = &mm->e[mfn];
    struct pmap_entry *pe = &pm->e[gpn];
    uint64_t ref = user_ref(pm->vm, gpn);
    pe->prev_user = MEMMAP_NO_USER;
    pe->next_user = me->first_user;
    if (me->first_user != MEMMAP_NO_USER)
        mm_user_entry(mm, me->first_user)->prev_user = ref;
    me->first_user = ref;
    me->nusers++;
}

/* Remove (pm, gpn) from mfn's user list: O(1) thanks to the back link. */
void mm_user_unlink(struct memmap *mm, uint64_t mfn, struct pmap *pm, uint64_t gpn)
{
    struct memmap_entry *me = &mm->e[mfn];
    struct pmap_entry *pe = &pm->e[gpn];
    if (pe->prev_user != MEMMAP_NO_USER)
        mm_user_entry(mm, pe->prev_user)->next_user = pe->next_user;
    else
        me->first_user = pe->next_user;
    if (pe->next_user != MEMMAP_NO_USER)
        mm_user_entry(mm, pe->next_user)->prev_user = pe->prev_user;
    pe->next_user = pe->prev_user = MEMMAP_NO_USER;
    me->nusers--;
}

/* Take a frame from the pool (exactly on node, or with distance fallback). The memmap
 * entry is left FREE for the caller to fill. A frame outside the memmap is refused. */
int mm_frame_alloc(struct memmap *mm, unsigned node, int exact, uint64_t *mfn)
{
    unsigned got = node;
    int rc = exact ? numa_pool_alloc_exact(mm->pool, node, mfn)
                   : numa_pool_alloc(mm->pool, node, mfn, &got);
    if (rc != 0)
        return rc;
    if (*mfn >= mm->nframes) {       /* range added after memmap_create: not ours */
        numa_pool_free(mm->pool, *mfn);
        return -ENOMEM;
    }
    mm->e[*mfn].node = (uint16_t)got; /* right even for a range added after creation */
    return 0;
}

void mm_frame_free(struct memmap *mm, uint64_t mfn)
{
    struct memmap_entry *me = &mm->e[mfn];
    if (me->state == MEMMAP_MASTER)
        mm->stats.frames_master--;
    else if (me->state == MEMMAP_REPLICA)
        mm->stats.frames_replica--;
    entry_reset(me, me->node);
    numa_pool_free(mm->pool, mfn);
}

int mm_copy(struct memmap *mm, uint64_t dst, uint64_t src)
{
    mm->stats.copies++;
    return mm->ops->copy_page(mm->ctx, dst, src);
}

void mm_remap(struct memmap *mm, uint32_t vm, uint64_t gpn, const struct pmap_entry *e)
{
    if (mm->ops->remap)
        mm->ops->remap(mm->ctx, vm, gpn, e->mfn, e->node);
}

void mm_entry_set_frame(struct memmap *mm, struct pmap_entry *pe, uint64_t mfn)
{
    const struct memmap_entry *me = &mm->e[mfn];
    pe->mfn = mfn;
    pe->node = me->node;
    pe->map_entry = mm->ops->make_entry(mm->ctx, mfn, me->node);
    pe->replicas = me->replicas;
}
