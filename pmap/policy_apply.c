/* pmap/policy_apply.c - glue between numa/policy and the memmap: build a hot-page event
 * from a frame's state, and carry out a decision. */
#include "pmap/internal.h"

#include <errno.h>

int memmap_hot_page(const struct memmap *mm, uint64_t mfn, const uint32_t *misses,
                    unsigned nnodes, bool written, struct numa_hot_page *ev)
{
    if (!mm || !misses || !ev || mfn >= mm->nframes || nnodes != mm->nodes)
        return -EINVAL;
    const struct memmap_entry *me = &mm->e[mfn];
    if (me->state != MEMMAP_MASTER)
        return -ENOENT;
    *ev = (struct numa_hot_page){
        .mfn = mfn, .home = me->node, .replicas = me->replicas ? me->replicas->nodes : 0,
        .misses = misses, .nnodes = nnodes, .written = written, .moves = me->moves,
        .last_move = me->last_move, .now = mm->now,
    };
    return 0;
}

/* Replicate to each node of the set; nodes without a free frame are skipped. */
static int replicate_to(struct memmap *mm, uint64_t mfn, numa_nodemask_t nodes)
{
    int made = 0, last = 0;
    for (unsigned n = 0; n < mm->nodes; n++) {
        if (!(nodes & NUMA_NODE_BIT(n)))
            continue;
        last = memmap_replicate(mm, mfn, n);
        if (last == 0)
            made++;
        else if (last != -ENOMEM && last != -EEXIST)
            return last;
    }
    return made > 0 ? made : (nodes ? (last ? last : -ENOMEM) : 0);
}

int memmap_apply_decision(struct memmap *mm, uint64_t mfn, const struct numa_decision *d,
                          uint64_t *new_mfn)
{
    if (!mm || !d || mfn >= mm->nframes)
        return -EINVAL;
    if (new_mfn)
        *new_mfn = mfn;
    switch (d->action) {
    case NUMA_ACTION_NONE:
        return 0;
    case NUMA_ACTION_MIGRATE:
        return memmap_migrate(mm, mfn, d->node, new_mfn);
    case NUMA_ACTION_REPLICATE:
        return replicate_to(mm, mfn, d->nodes);
    case NUMA_ACTION_COLLAPSE:
        return memmap_collapse(mm, mfn);
    }
    return -EINVAL;
}
