/* placement.h - the bridge between KVM guests and the shared memory-management core
 * (pmap/pmap.h, pmap/memmap.h, numa/): every guest page of every VM is recorded in that
 * VM's pmap, every host page backing guests in the memmap, and page moves go through
 * memmap operations whose backend hooks do the real work with move_pages(2).
 *
 * Data structure.
 *   - Machine page = host page + node. Frames are abstract numbers handed out by a
 *     numa_pool (node n owns [n*S, (n+1)*S)); frame_hva[mfn] is the host address of the
 *     machine page behind the frame (RAM: the VM's anonymous page; image: the page of the
 *     node's image replica; after a copy-on-write break: the VM's private copy).
 *   - Per VM: a pmap over a compact page index: [boot area 16 pages][image pages]
 *     [RAM pages] (vtx_place_gpn), created when the VM is added and destroyed on removal.
 *   - Image pages: one MASTER frame per image page on the first VM's node, shared
 *     copy-on-write (pmap_share_cow) by every VM booting the image; other nodes get
 *     memmap replicas (the node's memfd replica pages). A guest write seen in the image
 *     slot's dirty log becomes pmap_break_cow() for that VM only.
 *   - Model nodes vs OS nodes: policy decisions use the numa_topology (the host's, or an
 *     hwloc synthetic one for tests). Model node m is placed on OS node
 *     os_index(m) when the host has that node, else on OS node (m mod host nodes), so a
 *     synthetic multi-node model still issues real mbind/move_pages calls on a one-node
 *     host (reported as "folded").
 * Backend hooks (struct pmap_backend_ops): copy_page is where pages really move:
 *   MOVE (same host page, new node): move_pages(2) of that page; REPLICA: verify/copy into
 *   the node replica; COW: nothing (the kernel already copied on the guest's write).
 *   make_entry returns frame_hva[mfn]; shootdown/remap only count: KVM's MMU notifiers
 *   invalidate its second-level (EPT/NPT/shadow) entries when the host PTE changes.
 * Invariants: all pmap/memmap calls happen under `lock`; for every mapped guest page,
 *   frame_hva[mfn] is the host address KVM's memslot resolves that guest page to (or,
 *   for shared image pages, the node replica page that address maps); a VM's shared
 *   image pages are mapped from the replica of its current model node (the frame
 *   pmap_lookup(model_node) returns), also after it migrates or its vCPU moves.
 * Errors: negative errno values (pmap/memmap's, or -EIO when a kernel call failed).
 */
#ifndef X86_VTX_PLACEMENT_H
#define X86_VTX_PLACEMENT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "numa/policy.h"
#include "numa/select.h"
#include "numa/topology.h"
#include "x86-vtx/vm.h"

struct vtx_place_cfg {
    const char *topology;     /* hwloc synthetic description, NULL = this host */
    const char *policy;       /* built-in numa policy name, NULL = "none" (if !choice) */
    const struct numa_policy_choice *choice; /* --policy/--policy-lib/--policy-param (copied);
                                 wins over policy when not NULL */
    FILE *trace;              /* one JSON line per policy decision, NULL = none (not owned) */
    uint64_t frames_per_node; /* pool capacity per node (pages) */
    unsigned max_vms;
    unsigned image_pages;
};

struct vtx_place_stats {
    uint64_t pages_mapped, migrations, migrate_failed, cow_breaks, replicas;
    uint64_t shootdowns, remaps, dirty_pages, policy_decisions;
    uint64_t hot_events;       /* dirty RAM pages handed to the policy's decide() */
    uint64_t replicate_refused, collapse_refused; /* decisions KVM RAM cannot carry out */
    uint64_t ticks;            /* counter resets (policy tick) */
    uint64_t move_ns;          /* time spent in move_pages for migrations */
    uint64_t charged[NUMA_MAX_NODES]; /* dirty RAM pages charged per model node */
};

struct vtx_placement;

/* Dirty-log hotness counts harvests in which a page was dirty, not cache misses: the base
 * thresholds are trigger 2 (harvests from one node), sharing 1; --policy-param trigger=,
 * sharing=, max_moves=, min_interval= (microseconds) override them. */
#define VTX_PLACE_TRIGGER 2u
#define VTX_PLACE_SHARING 1u
/* Per-page per-node counts are reset (and the policy's tick() called) every this many
 * harvests of a VM, as the FLASH counters are reset periodically; a page's counts are
 * also reset when it moves. */
#define VTX_PLACE_RESET_HARVESTS 20u

/* Open the chosen policy (built-in or loaded) with the dirty-log base thresholds above,
 * for a model of nnodes nodes. -EINVAL with one line in err (numa/select.h). The caller
 * closes it with numa_policy_fini(). preflight uses this to judge a library and its
 * parameters before KVM is opened; vtx_place_create opens its own copy. */
int vtx_place_open_policy(struct numa_policy *pol, struct numa_policy_choice *choice,
                          unsigned nnodes, char *err, size_t errlen);

int vtx_place_create(struct vtx_placement **out, const struct vtx_place_cfg *cfg);
void vtx_place_destroy(struct vtx_placement *pl);

unsigned vtx_place_nodes(const struct vtx_placement *pl);
/* OS node that model node m is placed on; *folded (may be NULL) tells if m != OS node. */
int vtx_place_os_node(const struct vtx_placement *pl, unsigned m, bool *folded);

/* Compact pmap page index of a guest-physical address of vm, or -EINVAL. */
int64_t vtx_place_gpn(const struct vtx_vm *vm, uint64_t gpa);

/* Record every page of a created VM (boot, image shared, RAM) on vm->model_node. */
int vtx_place_add_vm(struct vtx_placement *pl, struct vtx_vm *vm);
/* Forget a VM (its pmap unmaps everything; shared frames stay while others use them). */
void vtx_place_remove_vm(struct vtx_placement *pl, struct vtx_vm *vm);

/* Harvest the VM's dirty logs: image pages written -> pmap_break_cow for this VM;
 * RAM pages written -> one count on the model node the vCPU thread ran on during the
 * interval since the previous harvest (sched_getcpu() sampled at every exit, majority;
 * see vtx_vm_take_node), and the page goes to the policy's decide() as a hot-page event
 * (numa/policy_abi.h): per-node counts, written = true, its users (memmap), moves and
 * last move, the time (microseconds since vtx_place_create). MIGRATE is applied
 * (move_pages + pmap); REPLICATE and COLLAPSE are refused (KVM maps one host page per
 * guest RAM page: no read-only RAM replicas exist) and reported to the policy as
 * failures. Returns pages seen dirty. */
long vtx_place_harvest(struct vtx_placement *pl, struct vtx_vm *vm);

/* Move all of a VM's private pages (boot, RAM, its COW copies) to model node m through
 * pmap_migrate (one move_pages per resident page), re-binding the memory policy and the
 * vCPU thread; its still-shared image pages are remapped (vCPU briefly parked) from
 * node m's replica, made if missing, so the mapping agrees with pmap_lookup(m).
 * Returns pages migrated or a negative error. */
long vtx_place_migrate_vm(struct vtx_placement *pl, struct vtx_vm *vm, unsigned m);

/* Move only the VM's vCPU to model node m (thread re-bound at its next exit); its
 * private pages stay, its shared image pages are remapped from node m's replica as
 * above, and dirty-log harvests count where the thread then runs. */
int vtx_place_move_vcpu(struct vtx_placement *pl, struct vtx_vm *vm, unsigned m);

/* Compare the pmap with the kernel: for every mapped page of vm, the OS node of its
 * pmap node against move_pages' answer for its host page. *checked gets pages compared
 * (resident), *absent pages not resident yet. Returns the number of disagreements. */
long vtx_place_verify(struct vtx_placement *pl, const struct vtx_vm *vm, uint64_t *checked,
                      uint64_t *absent);

/* Image pages of this VM: how many the pmap says are shared (COW, master frame) and
 * private (COW broken); from /proc/self/pagemap, how many of its image mapping's resident
 * pages are the same host page as the replica's (pfn_shared) or not (pfn_private).
 * pfn_* are -1 when the kernel hides PFNs (not root). */
struct vtx_image_use {
    long pmap_shared, pmap_private;
    long pfn_shared, pfn_private;
};
int vtx_place_image_use(struct vtx_placement *pl, const struct vtx_vm *vm,
                        struct vtx_image_use *use);

void vtx_place_get_stats(struct vtx_placement *pl, struct vtx_place_stats *st);
const struct numa_policy *vtx_place_policy(const struct vtx_placement *pl);
/* The policy's report() (JSON object members), "" if it has none. */
void vtx_place_policy_report(struct vtx_placement *pl, char *buf, size_t len);
/* memmap_check() under the lock: 0 if consistent, else -EINVAL with why. */
int vtx_place_check(struct vtx_placement *pl, char *why, size_t len);

#endif
