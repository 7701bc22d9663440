/* pmap/replicate.c - read-only replicas of a machine page on other nodes, and their
 * collapse before a write. The replica set is one object shared by the master's memmap
 * entry and every user's pmap entry, so a lookup finds the local copy in O(1). */
#include "pmap/internal.h"

#include <errno.h>
#include <stdlib.h>

static void set_users_replicas(struct memmap *mm, uint64_t mfn, struct memmap_replicas *r)
{
    for (uint64_t u = mm->e[mfn].first_user; u != MEMMAP_NO_USER;) {
        struct pmap_entry *pe = mm_user_entry(mm, u);
        pe->replicas = r;
        u = pe->next_user;
    }
}

int memmap_replicate(struct memmap *mm, uint64_t mfn, unsigned node)
{
    if (!mm || mfn >= mm->nframes || node >= mm->nodes)
        return -EINVAL;
    struct memmap_entry *me = &mm->e[mfn];
    if (me->state != MEMMAP_MASTER)
        return -ENOENT;
    if (me->node == node || (me->replicas && (me->replicas->nodes & NUMA_NODE_BIT(node))))
        return -EEXIST;
    struct memmap_replicas *r = me->replicas;
    if (!r) {
        r = calloc(1, sizeof *r + mm->nodes * sizeof r->node[0]);
        if (!r)
            return -ENOMEM;
    }
    uint64_t copy;
    int rc = mm_frame_alloc(mm, node, 1, &copy);
    if (rc == 0 && (rc = mm_copy(mm, copy, mfn)) != 0)
        numa_pool_free(mm->pool, copy);
    if (rc != 0) {
        if (!me->replicas)
            free(r);
        return rc;
    }
    struct memmap_entry *ce = &mm->e[copy];
    ce->state = MEMMAP_REPLICA;
    ce->master = mfn;
    mm->stats.frames_replica++;
    r->node[node].mfn = copy;
    r->node[node].map_entry = mm->ops->make_entry(mm->ctx, copy, node);
    r->nodes |= NUMA_NODE_BIT(node);
    r->count++;
    if (!me->replicas) {
        me->replicas = r;
        set_users_replicas(mm, mfn, r);
    }
    /* Cached translations may be writable, and CPUs on node should now use the copy. */
    mm_shoot_users(mm, mfn);
    me->moves++;
    me->last_move = mm->now;
    mm->stats.replications++;
    return 0;
}

/* Free every replica frame and the set; users no longer point at it. No shootdown. */
void mm_drop_replicas(struct memmap *mm, uint64_t mfn)
{
    struct memmap_entry *me = &mm->e[mfn];
    struct memmap_replicas *r = me->replicas;
    if (!r)
        return;
    for (unsigned n = 0; n < mm->nodes; n++)
        if (r->nodes & NUMA_NODE_BIT(n))
            mm_frame_free(mm, r->node[n].mfn);
    me->replicas = NULL;
    set_users_replicas(mm, mfn, NULL);
    free(r);
}

int memmap_collapse(struct memmap *mm, uint64_t mfn)
{
    if (!mm || mfn >= mm->nframes)
        return -EINVAL;
    struct memmap_entry *me = &mm->e[mfn];
    if (me->state != MEMMAP_MASTER)
        return -ENOENT;
    if (!me->replicas)
        return 0;
    mm_shoot_users(mm, mfn);             /* some CPUs cached a translation to a copy */
    mm_drop_replicas(mm, mfn);
    mm->stats.collapses++;
    return 0;
}
