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
#include "numa/policy.h"
#include "numa/topology.h"
#include "x86-vtx/vm.h"

struct vtx_place_cfg {
    const char *topology;     /* hwloc synthetic description, NULL = this host */
    const char *policy;       /* numa policy name, NULL = "none" */
    uint64_t frames_per_node; /* pool capacity per node (pages) */
    unsigned max_vms;
    unsigned image_pages;
};

struct vtx_place_stats {
    uint64_t pages_mapped, migrations, migrate_failed, cow_breaks, replicas;
    uint64_t shootdowns, remaps, dirty_pages, policy_decisions;
    uint64_t move_ns;          /* time spent in move_pages for migrations */
    uint64_t charged[NUMA_MAX_NODES]; /* dirty RAM pages charged per model node */
};

struct vtx_placement;

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
 * RAM pages written -> hot-page counts charged to the model node the vCPU thread ran
 * on during the interval since the previous harvest (sched_getcpu() sampled at every
 * exit, majority; see vtx_vm_take_node), fed to the policy, whose MIGRATE decisions are
 * applied (move_pages + pmap). Returns pages seen dirty. */
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
/* memmap_check() under the lock: 0 if consistent, else -EINVAL with why. */
int vtx_place_check(struct vtx_placement *pl, char *why, size_t len);

#endif
