/* pmap/check.c - consistency checks of pmaps, memmap, replicas and backmaps, for tests
 * and debugging. Each failure names the first broken invariant. */
#include "pmap/internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

static int fail(char *why, size_t len, const char *fmt, ...)
{
    if (why && len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, len, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

#define FAIL(...) return fail(why, len, __VA_ARGS__)

static int check_replicas(const struct memmap *mm, uint64_t mfn, char *why, size_t len)
{
    const struct memmap_entry *me = &mm->e[mfn];
    const struct memmap_replicas *r = me->replicas;
    if (r->count == 0 || r->count != (unsigned)__builtin_popcountll(r->nodes))
        FAIL("frame %llu: replica count %u for mask %llx", (unsigned long long)mfn,
             r->count, (unsigned long long)r->nodes);
    if (r->nodes & NUMA_NODE_BIT(me->node))
        FAIL("frame %llu: replica on the master's own node", (unsigned long long)mfn);
    for (unsigned n = 0; n < mm->nodes; n++) {
        if (!(r->nodes & NUMA_NODE_BIT(n)))
            continue;
        uint64_t c = r->node[n].mfn;
        if (c >= mm->nframes || mm->e[c].state != MEMMAP_REPLICA || mm->e[c].master != mfn
            || mm->e[c].node != n)
            FAIL("frame %llu: replica %llu on node %u is not its replica",
                 (unsigned long long)mfn, (unsigned long long)c, n);
        if (r->node[n].map_entry != mm->ops->make_entry(mm->ctx, c, n))
            FAIL("frame %llu: stale entry for replica %llu", (unsigned long long)mfn,
                 (unsigned long long)c);
    }
    return 0;
}

static int check_master(const struct memmap *mm, uint64_t mfn, char *why, size_t len)
{
    const struct memmap_entry *me = &mm->e[mfn];
    if (me->nusers == 0 || me->master != mfn)
        FAIL("frame %llu: master with %u users", (unsigned long long)mfn, me->nusers);
    uint64_t entry = mm->ops->make_entry(mm->ctx, mfn, me->node);
    uint32_t seen = 0;
    uint64_t prev = MEMMAP_NO_USER;
    for (uint64_t r = me->first_user; r != MEMMAP_NO_USER; r = mm_user_entry(mm, r)->next_user) {
        const struct pmap *pm = ref_vm(r) < mm->max_vms ? mm->vms[ref_vm(r)] : NULL;
        if (!pm || ref_gpn(r) >= pm->npages || ++seen > me->nusers)
            FAIL("frame %llu: bad user list", (unsigned long long)mfn);
        const struct pmap_entry *pe = &pm->e[ref_gpn(r)];
        if (pe->mfn != mfn || pe->node != me->node || pe->map_entry != entry
            || pe->replicas != me->replicas || pe->prev_user != prev)
            FAIL("frame %llu: user vm %u gpn %llu disagrees", (unsigned long long)mfn,
                 ref_vm(r), (unsigned long long)ref_gpn(r));
        if (me->nusers > 1 && !(pe->flags & PMAP_F_COW))
            FAIL("frame %llu: shared but vm %u gpn %llu not copy-on-write",
                 (unsigned long long)mfn, ref_vm(r), (unsigned long long)ref_gpn(r));
        prev = r;
    }
    if (seen != me->nusers)
        FAIL("frame %llu: %u users listed, %u counted", (unsigned long long)mfn, seen,
             me->nusers);
    return me->replicas ? check_replicas(mm, mfn, why, len) : 0;
}

int memmap_check_frame(const struct memmap *mm, uint64_t mfn, char *why, size_t len)
{
    if (!mm || mfn >= mm->nframes)
        return -EINVAL;
    const struct memmap_entry *me = &mm->e[mfn];
    int alloc = numa_pool_is_allocated(mm->pool, mfn);
    int node = numa_pool_frame_node(mm->pool, mfn);
    if (node >= 0 && me->node != node)
        FAIL("frame %llu: node %u, pool says %d", (unsigned long long)mfn, me->node, node);
    switch (me->state) {
    case MEMMAP_FREE:
        if (alloc == 1)
            FAIL("frame %llu: allocated in the pool but unused (leak)", (unsigned long long)mfn);
        if (me->nusers || me->replicas || me->first_user != MEMMAP_NO_USER)
            FAIL("frame %llu: free frame with users", (unsigned long long)mfn);
        return 0;
    case MEMMAP_MASTER:
        if (alloc != 1)
            FAIL("frame %llu: in use but free in the pool", (unsigned long long)mfn);
        return check_master(mm, mfn, why, len);
    case MEMMAP_REPLICA: {
        if (alloc != 1)
            FAIL("frame %llu: replica free in the pool", (unsigned long long)mfn);
        uint64_t m = me->master;
        if (me->nusers || m >= mm->nframes || mm->e[m].state != MEMMAP_MASTER
            || !mm->e[m].replicas || !(mm->e[m].replicas->nodes & NUMA_NODE_BIT(me->node))
            || mm->e[m].replicas->node[me->node].mfn != mfn)
            FAIL("frame %llu: orphan replica", (unsigned long long)mfn);
        return 0;
    }
    }
    FAIL("frame %llu: bad state %u", (unsigned long long)mfn, me->state);
}

/* The page's backmap list is well formed and every record names this page. */
static int check_backmaps(const struct pmap *pm, uint64_t gpn, char *why, size_t len,
                          uint32_t *count)
{
    uint32_t prev = PMAP_NIL, n = 0;
    for (uint32_t i = pm->e[gpn].backmaps; i != PMAP_NIL; i = pm->bm[i].next) {
        if (i >= pm->bm_cap || !pm->bm[i].used || pm->bm[i].gpn != gpn
            || pm->bm[i].prev != prev || ++n > pm->bm_used)
            FAIL("vm %u gpn %llu: bad backmap list", pm->vm, (unsigned long long)gpn);
        prev = i;
    }
    *count = n;
    return 0;
}

int pmap_check_page(const struct pmap *pm, uint64_t gpn, char *why, size_t len)
{
    if (!pm || gpn >= pm->npages)
        return -EINVAL;
    const struct pmap_entry *pe = &pm->e[gpn];
    const struct memmap *mm = pm->mm;
    uint32_t nbm;
    if (check_backmaps(pm, gpn, why, len, &nbm) != 0)
        return -EINVAL;
    if (pe->mfn == PMAP_NO_FRAME) {
        if (nbm || pe->replicas || pe->flags || pe->next_user != MEMMAP_NO_USER
            || pe->prev_user != MEMMAP_NO_USER)
            FAIL("vm %u gpn %llu: unmapped page with state", pm->vm, (unsigned long long)gpn);
        return 0;
    }
    if (pe->mfn >= mm->nframes || mm->e[pe->mfn].state != MEMMAP_MASTER)
        FAIL("vm %u gpn %llu: frame %llu is not a master", pm->vm, (unsigned long long)gpn,
             (unsigned long long)pe->mfn);
    uint64_t me = user_ref(pm->vm, gpn);
    uint32_t steps = 0;
    for (uint64_t r = mm->e[pe->mfn].first_user; r != MEMMAP_NO_USER;
         r = mm_user_entry(mm, r)->next_user) {
        if (r == me)
            return memmap_check_frame(mm, pe->mfn, why, len);
        if (++steps > mm->e[pe->mfn].nusers)
            break;
    }
    FAIL("vm %u gpn %llu: not among the users of frame %llu", pm->vm,
         (unsigned long long)gpn, (unsigned long long)pe->mfn);
}

/* Every page of one pmap; counts mapped pages and backmaps. */
static int check_pmap(const struct pmap *pm, char *why, size_t len, uint64_t *mapped)
{
    uint64_t bms = 0;
    for (uint64_t g = 0; g < pm->npages; g++) {
        const struct pmap_entry *pe = &pm->e[g];
        uint32_t n;
        if (check_backmaps(pm, g, why, len, &n) != 0)
            return -EINVAL;
        bms += n;
        if (pe->mfn == PMAP_NO_FRAME) {
            if (pmap_check_page(pm, g, why, len) != 0)
                return -EINVAL;
            continue;
        }
        (*mapped)++;
        if (pe->mfn >= pm->mm->nframes || pm->mm->e[pe->mfn].state != MEMMAP_MASTER)
            FAIL("vm %u gpn %llu: frame %llu is not a master", pm->vm,
                 (unsigned long long)g, (unsigned long long)pe->mfn);
    }
    if (bms != pm->bm_used)
        FAIL("vm %u: %llu backmaps listed, %u records used", pm->vm,
             (unsigned long long)bms, pm->bm_used);
    return 0;
}

int memmap_check(const struct memmap *mm, char *why, size_t len)
{
    if (!mm)
        return -EINVAL;
    uint64_t masters = 0, replicas = 0, users = 0, mapped = 0;
    for (uint64_t f = 0; f < mm->nframes; f++) {
        if (memmap_check_frame(mm, f, why, len) != 0)
            return -EINVAL;
        masters += mm->e[f].state == MEMMAP_MASTER;
        replicas += mm->e[f].state == MEMMAP_REPLICA;
        users += mm->e[f].nusers;
    }
    /* The frame walk proved every listed user points back at its frame; counting mapped
     * pages proves no mapped page is missing from a list. */
    for (unsigned v = 0; v < mm->max_vms; v++)
        if (mm->vms[v] && check_pmap(mm->vms[v], why, len, &mapped) != 0)
            return -EINVAL;
    if (mapped != users || mapped != mm->stats.pages_mapped)
        FAIL("%llu pages mapped, %llu users listed, stats say %llu",
             (unsigned long long)mapped, (unsigned long long)users,
             (unsigned long long)mm->stats.pages_mapped);
    if (masters != mm->stats.frames_master || replicas != mm->stats.frames_replica)
        FAIL("frame counts disagree with stats");
    if (masters + replicas != numa_pool_allocated_total(mm->pool))
        FAIL("%llu frames in use, pool has %llu allocated (leak or double use)",
             (unsigned long long)(masters + replicas),
             (unsigned long long)numa_pool_allocated_total(mm->pool));
    return 0;
}
