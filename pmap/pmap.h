/*
 * pmap/pmap.h - one pmap per virtual machine: guest-physical page -> machine page.
 *
 * Data structure. A pmap is an array with one struct pmap_entry per guest-physical page
 * (gpn 0..npages-1) plus a table of backmap records. An entry holds:
 *   - the master machine frame backing the page (mfn) and its node,
 *   - map_entry: a mapping entry precomputed by the backend for that frame (MIPS: the
 *     EntryLo bits of the machine page, merged with the guest's protection bits when a
 *     TLB entry is built; x86: the host address), so the hot path does no arithmetic;
 *   - replicas: NULL, or the page's replica set (per-node frames and entries, shared
 *     with the master's memmap entry) when it is replicated read-only;
 *   - flags: PMAP_F_COW (shared copy-on-write: a write must break the sharing) and
 *     PMAP_F_WP (write-protected by the monitor, independent of sharing);
 *   - links in the memmap user list of the frame (see pmap/memmap.h);
 *   - the head of its backmap list: every place that currently caches a translation of
 *     this page (virtual CPU, guest virtual page, ASID, real TLB slot or L2TLB entry),
 *     so any change to the page invalidates exactly those, through the backend's
 *     shootdown callback, and nothing else.
 * Invariants (besides the memmap's):
 *   - an entry is mapped iff mfn != PMAP_NO_FRAME; an unmapped entry has no backmaps,
 *     no replicas and no flags;
 *   - every user of a frame with more than one user has PMAP_F_COW; a sole user may
 *     keep it after the others left (cleared lazily by its next write fault, no copy);
 *   - a page is writable iff mapped, not COW, not WP and not replicated;
 *   - each backmap record is on exactly one entry's list, and that entry is mapped.
 * Every operation is O(1) or O(users of the frame + their backmaps).
 *
 * The backend interface (struct pmap_backend_ops) has three required hooks and one
 * optional one; all receive the ctx given to memmap_create():
 *   copy_page(ctx, dst, src)  copy machine page src to dst (MIPS: memcpy inside the
 *                             simulated RAM; x86: memcpy between host pages). 0 or <0.
 *   make_entry(ctx, mfn, node) the precomputed mapping entry of a machine page.
 *   shootdown(ctx, vm, gpn, loc) a translation cached at loc is no longer valid:
 *                             invalidate the real TLB slot or L2TLB entry (for an L2TLB
 *                             use l2tlb_flush_one(), which does not call back). The
 *                             backmap record is already removed when this is called; the
 *                             hook must not call pmap functions on the same page.
 *   remap(ctx, vm, gpn, mfn, node) optional (may be NULL): the frame backing gpn changed
 *                             (mfn == PMAP_NO_FRAME: unmapped), e.g. to update a KVM
 *                             memory slot.
 * Errors: -EINVAL bad argument, -ENOENT page not mapped, -EEXIST already mapped,
 * -ENOMEM no machine frame, -EACCES write to a monitor write-protected page, -EBUSY.
 * Not thread-safe: calls on all pmaps of one memmap are serialized by the backend.
 */
#ifndef PMAP_PMAP_H
#define PMAP_PMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pmap/memmap.h"

#define PMAP_NO_FRAME UINT64_MAX
#define PMAP_NIL      UINT32_MAX

enum pmap_flags {
    PMAP_F_COW = 1u << 0,   /* shared copy-on-write */
    PMAP_F_WP  = 1u << 1,   /* write-protected by the monitor */
};

/* Where a translation is cached. */
enum pmap_cache_kind {
    PMAP_CACHE_TLB = 1,     /* a real (or simulated) hardware TLB slot */
    PMAP_CACHE_L2TLB = 2,   /* an entry of a virtual CPU's second-level software TLB */
    PMAP_CACHE_OTHER = 3,   /* anything else the backend caches (e.g. an EPT entry) */
};

struct pmap_cache_loc {
    uint32_t vcpu;          /* virtual CPU (or physical CPU for a real TLB) */
    uint32_t asid;          /* address-space id of the cached translation */
    uint64_t gvpn;          /* guest virtual page number */
    uint32_t slot;          /* TLB index or L2TLB slot */
    uint8_t kind;           /* enum pmap_cache_kind */
};

/* Handle of one backmap record: index in the low 32 bits, generation in the high 32
 * (a stale handle is refused, never confused with a reused record). */
typedef uint64_t pmap_backmap_t;

struct pmap_backend_ops {
    int (*copy_page)(void *ctx, uint64_t dst_mfn, uint64_t src_mfn);
    uint64_t (*make_entry)(void *ctx, uint64_t mfn, unsigned node);
    void (*shootdown)(void *ctx, uint32_t vm, uint64_t gpn, const struct pmap_cache_loc *loc);
    void (*remap)(void *ctx, uint32_t vm, uint64_t gpn, uint64_t mfn, unsigned node);
};

struct pmap_entry {
    uint64_t mfn;                     /* master frame, PMAP_NO_FRAME when unmapped */
    uint64_t map_entry;               /* backend's precomputed entry for mfn */
    struct memmap_replicas *replicas; /* non-NULL while replicated */
    uint64_t next_user, prev_user;    /* memmap user list links (packed refs) */
    uint32_t backmaps;                /* first backmap record, PMAP_NIL if none */
    uint16_t node;                    /* node of mfn */
    uint8_t flags;                    /* enum pmap_flags */
};

/* Result of a lookup: the copy to use from a given node. */
struct pmap_translation {
    uint64_t mfn;        /* local replica if one exists on the node, else the master */
    uint64_t map_entry;  /* precomputed entry of that frame */
    unsigned node;       /* node of that frame */
    bool writable;       /* a write may go straight through (no COW/WP/replicas) */
    bool replica;        /* mfn is a replica */
};

struct pmap;

/* Create the pmap of VM vm (unique id < max_vms of the memmap) with npages pages. */
int pmap_create(struct pmap **out, struct memmap *mm, uint32_t vm, uint64_t npages);
/* Unmap every page (freeing frames no longer used) and unregister the VM. */
void pmap_destroy(struct pmap *pm);

uint32_t pmap_vm(const struct pmap *pm);
uint64_t pmap_pages(const struct pmap *pm);
struct memmap *pmap_memmap(const struct pmap *pm);
/* Read-only view of one entry, NULL if gpn is out of range. */
const struct pmap_entry *pmap_entry_get(const struct pmap *pm, uint64_t gpn);

/* Back gpn with a new frame allocated on node (nearest node with a free frame if that
 * one is full). The frame's contents are the backend's business (zero it if needed).
 * *mfn (may be NULL) gets the frame. */
int pmap_map_new(struct pmap *pm, uint64_t gpn, unsigned node, uint64_t *mfn);
/* Back gpn with a frame the caller allocated from the memmap's pool and that no guest
 * page uses yet. */
int pmap_map_frame(struct pmap *pm, uint64_t gpn, uint64_t mfn);
/* Remove the mapping: shoot down cached translations; free the frame (and replicas)
 * when this was its last user. */
int pmap_unmap(struct pmap *pm, uint64_t gpn);

/* O(1): the frame to use for gpn from a CPU on node (a local replica when there is one). */
int pmap_lookup(const struct pmap *pm, uint64_t gpn, unsigned node,
                struct pmap_translation *out);

/* Monitor write protection: set or clear PMAP_F_WP. Protecting shoots down cached
 * translations (they may be writable). */
int pmap_write_protect(struct pmap *pm, uint64_t gpn);
int pmap_write_unprotect(struct pmap *pm, uint64_t gpn);

/* Make dst_gpn of dst share the frame of src_gpn of src copy-on-write (both pages become
 * COW; cached translations of the source are shot down). dst_gpn must be unmapped.
 * src and dst may be the same pmap (but not the same page). */
int pmap_share_cow(struct pmap *src, uint64_t src_gpn, struct pmap *dst, uint64_t dst_gpn);

/* Break copy-on-write for one user: if others share the frame, allocate a frame on node
 * (with fallback), copy, remap this page alone; if it is the last user just clear COW.
 * A page that is not COW is left unchanged (returns 0). */
int pmap_break_cow(struct pmap *pm, uint64_t gpn, unsigned node);

/* Handle a guest write to gpn from a CPU on node: collapse replicas, break COW. Returns
 * 0 when the page is now writable, -EACCES if the monitor write-protects it. */
int pmap_write_fault(struct pmap *pm, uint64_t gpn, unsigned node);

/* Migrate the frame backing gpn (for all its users) to node: memmap_migrate(). */
int pmap_migrate(struct pmap *pm, uint64_t gpn, unsigned node);

/* Record that a translation of gpn is cached at loc. The handle is needed to remove it
 * when the cache entry is evicted or overwritten by the backend itself. */
int pmap_backmap_add(struct pmap *pm, uint64_t gpn, const struct pmap_cache_loc *loc,
                     pmap_backmap_t *handle);
/* The cached translation is gone (evicted, overwritten): forget the record. */
int pmap_backmap_remove(struct pmap *pm, pmap_backmap_t handle);
/* Number of backmaps of gpn (negative on error). */
int pmap_backmap_count(const struct pmap *pm, uint64_t gpn);
/* Shoot down every cached translation of gpn (through the backend) and drop them. */
int pmap_invalidate(struct pmap *pm, uint64_t gpn);

/* Consistency of one guest page against the memmap, O(users + backmaps). */
int pmap_check_page(const struct pmap *pm, uint64_t gpn, char *why, size_t len);

#endif
