/* pmap/migrate.c - move a machine page, with all its users, to another node. */
#include "pmap/internal.h"

#include <errno.h>

/* Point every user of old at new (already holding old's state): O(users). */
static void switch_users(struct memmap *mm, uint64_t new_mfn)
{
    const struct memmap_entry *me = &mm->e[new_mfn];
    uint64_t entry = mm->ops->make_entry(mm->ctx, new_mfn, me->node);
    for (uint64_t r = me->first_user; r != MEMMAP_NO_USER;) {
        struct pmap_entry *pe = mm_user_entry(mm, r);
        pe->mfn = new_mfn;
        pe->node = me->node;
        pe->map_entry = entry;
        mm_remap(mm, ref_vm(r), ref_gpn(r), pe);
        r = pe->next_user;
    }
}

int memmap_migrate(struct memmap *mm, uint64_t mfn, unsigned node, uint64_t *new_mfn)
{
    if (!mm || mfn >= mm->nframes || node >= mm->nodes)
        return -EINVAL;
    struct memmap_entry *old = &mm->e[mfn];
    if (old->state != MEMMAP_MASTER)
        return -ENOENT;
    if (old->replicas)
        return -EBUSY;                   /* collapse first: replicas hang off the master */
    if (old->node == node)
        return -EEXIST;
    uint64_t to;
    int rc = mm_frame_alloc(mm, node, 1, &to);
    if (rc != 0)
        return rc;
    rc = mm_copy(mm, to, mfn);
    if (rc != 0) {
        numa_pool_free(mm->pool, to);
        return rc;
    }
    /* Shoot down before switching: the backend's callback may still look at the old
     * frame, and no CPU may keep using it once it is freed. */
    mm_shoot_users(mm, mfn);
    struct memmap_entry *ne = &mm->e[to];
    uint16_t to_node = ne->node;
    *ne = *old;                          /* users, counters move with the page */
    ne->node = to_node;
    ne->master = to;
    mm->stats.frames_master++;           /* the old frame is released below */
    ne->moves++;
    ne->last_move = mm->now;
    old->first_user = MEMMAP_NO_USER;
    old->nusers = 0;
    switch_users(mm, to);
    mm_frame_free(mm, mfn);
    mm->stats.migrations++;
    if (new_mfn)
        *new_mfn = to;
    return 0;
}
