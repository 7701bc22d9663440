/*
 * pmap/memmap.h - the machine side of memory management: one memmap entry per machine
 * page frame, the registry of virtual machines (their pmaps), and the operations that
 * act on a machine page for all its users at once: migrate, replicate, collapse.
 *
 * Data structure. A struct memmap owns:
 *   - entries[mfn] for every frame below numa_pool_frame_limit(pool) (add every pool
 *     range before memmap_create). An entry is FREE, MASTER (backs guest pages) or
 *     REPLICA (a read-only copy of a master on another node);
 *   - the user list of each MASTER: the (VM, guest-physical page) pairs it backs,
 *     doubly linked through the pmap entries themselves, so adding or removing a user
 *     is O(1) and walking them is O(users). Several users = shared copy-on-write;
 *   - the replica set of a MASTER (struct memmap_replicas, one slot per node), shared
 *     by pointer with every user's pmap entry so a lookup finds the local copy in O(1);
 *   - the table of registered pmaps indexed by VM id, the frame pool and the backend.
 * Invariants (memmap_check() verifies all of them):
 *   - a frame is MASTER or REPLICA iff the pool has it allocated, and the memmap is the
 *     only client of the pool (frames the backend needs for itself come from another
 *     pool or from frames it never adds);
 *   - a MASTER has nusers >= 1 users, each user's pmap entry has mfn == this frame,
 *     node == entries[mfn].node, and replicas == entries[mfn].replicas;
 *   - a REPLICA's master is a MASTER whose replica set names this frame on this
 *     frame's node; a replica set never names the master's own node;
 *   - a replicated page is read-only for every user (collapse happens before a write);
 *   - node of every entry == numa_pool_frame_node(pool, mfn).
 * Errors: -EINVAL bad argument, -ENOENT frame not in use, -ENOMEM no frame on the node,
 * -EBUSY operation not allowed in the page's state, -EEXIST already there.
 * Not thread-safe: the backend serializes all calls on one memmap (one lock).
 */
#ifndef PMAP_MEMMAP_H
#define PMAP_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "numa/pool.h"
#include "numa/policy.h"

struct pmap;
struct pmap_backend_ops;
struct memmap;

#define MEMMAP_MAX_VMS   0xfffe          /* VM ids are 0..MEMMAP_MAX_VMS-1 */
#define MEMMAP_NO_USER   UINT64_MAX      /* empty link in a user list */

enum memmap_state {
    MEMMAP_FREE = 0,
    MEMMAP_MASTER,
    MEMMAP_REPLICA,
};

/* A (VM, guest-physical page) pair. */
struct memmap_user {
    uint32_t vm;
    uint64_t gpn;
};

struct memmap_replica {
    uint64_t mfn;        /* the copy on this node (valid if the node's bit is set) */
    uint64_t map_entry;  /* backend's precomputed entry for that copy */
};

/* Replicas of one master: node[n] is valid iff bit n of nodes is set. */
struct memmap_replicas {
    numa_nodemask_t nodes;
    unsigned count;
    struct memmap_replica node[];   /* numa_topology_nodes() slots */
};

struct memmap_entry {
    uint64_t first_user;            /* MASTER: packed user ref, else MEMMAP_NO_USER */
    uint64_t master;                /* REPLICA: its master frame; MASTER: itself */
    struct memmap_replicas *replicas; /* MASTER with replicas, else NULL */
    uint64_t last_move;             /* time of the last migrate/replicate (memmap_set_time) */
    uint32_t nusers;
    uint32_t moves;                 /* migrations + replications; carried across migrations */
    uint16_t node;
    uint8_t state;                  /* enum memmap_state */
};

struct memmap_stats {
    uint64_t pages_mapped;   /* guest pages currently mapped, all VMs */
    uint64_t frames_master;  /* frames currently MASTER */
    uint64_t frames_replica; /* frames currently REPLICA */
    uint64_t migrations, replications, collapses, cow_breaks, cow_shares;
    uint64_t shootdowns;     /* backmap invalidations delivered to the backend */
    uint64_t copies;         /* pages copied through the backend */
};

/* Create over a pool (ranges already added) and a backend (see pmap/pmap.h). The pool,
 * topology, ops and ctx must outlive the memmap. max_vms <= MEMMAP_MAX_VMS. */
int memmap_create(struct memmap **out, struct numa_pool *pool,
                  const struct pmap_backend_ops *ops, void *backend_ctx, unsigned max_vms);
/* Destroy; every pmap must have been destroyed first (-EBUSY otherwise). */
int memmap_destroy(struct memmap *mm);

/* The backend's notion of current time, stamped on moved pages for the policy. */
void memmap_set_time(struct memmap *mm, uint64_t now);

const struct memmap_entry *memmap_entry_get(const struct memmap *mm, uint64_t mfn);
uint64_t memmap_frames(const struct memmap *mm);   /* number of entries */
struct numa_pool *memmap_pool(const struct memmap *mm);
struct pmap *memmap_vm(const struct memmap *mm, uint32_t vm);  /* NULL if none */
unsigned memmap_nodes(const struct memmap *mm);
const struct memmap_stats *memmap_get_stats(const struct memmap *mm);

/* Copy up to max users of a MASTER frame into out; returns the number of users (which
 * may exceed max) or a negative error. */
int memmap_users(const struct memmap *mm, uint64_t mfn, struct memmap_user *out,
                 size_t max);

/* Move a MASTER (and all its users) to a frame on node: allocate there, copy, switch
 * every user, shoot down every cached translation, free the old frame. A replicated
 * page must be collapsed first (-EBUSY). *new_mfn (may be NULL) gets the new frame. */
int memmap_migrate(struct memmap *mm, uint64_t mfn, unsigned node, uint64_t *new_mfn);

/* Add a read-only replica of a MASTER on node: allocate exactly there, copy, link it,
 * and shoot down every cached translation of its users (a cached one may be writable,
 * and CPUs on node should refetch and find their local copy). While replicated the
 * page is read-only for every user: pmap_lookup() reports it not writable and
 * pmap_write_fault() collapses the replicas first. -EEXIST if node already has a copy
 * (master or replica), -ENOMEM if node has no free frame. */
int memmap_replicate(struct memmap *mm, uint64_t mfn, unsigned node);

/* Drop every replica of a MASTER (before a write), shooting down translations that
 * might point at a replica. A no-op returning 0 on a page without replicas. */
int memmap_collapse(struct memmap *mm, uint64_t mfn);

/* Fill a policy event for a MASTER from the memmap's state and the caller's counters. */
int memmap_hot_page(const struct memmap *mm, uint64_t mfn, const uint32_t *misses,
                    unsigned nnodes, bool written, struct numa_hot_page *ev);

/* Apply a policy decision to a MASTER frame. For REPLICATE, nodes whose pool is empty
 * are skipped; returns the number of replicas made, or -ENOMEM if none could be.
 * *new_mfn (may be NULL) receives the master frame after the operation. */
int memmap_apply_decision(struct memmap *mm, uint64_t mfn, const struct numa_decision *d,
                          uint64_t *new_mfn);

/* Consistency checks (for tests and debugging). 0 if consistent, else -EINVAL and a
 * one-line reason in why (may be NULL). memmap_check is O(frames + guest pages +
 * backmaps); memmap_check_frame is O(users + replicas) for one frame. */
int memmap_check(const struct memmap *mm, char *why, size_t len);
int memmap_check_frame(const struct memmap *mm, uint64_t mfn, char *why, size_t len);

#endif
