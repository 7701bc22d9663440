/* placement.c - pmap/memmap/numa bookkeeping for KVM guests; move_pages backend. */
#include "x86-vtx/placement.h"
#include "x86-vtx/layout.h"
#include "pmap/pmap.h"
#include "pmap/memmap.h"
#include "numa/pool.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <numaif.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BOOT_PAGES (VTX_BOOT_SIZE / VTX_PAGE_SIZE)
#define NO_FRAME UINT64_MAX

enum pend_kind { PEND_NONE, PEND_MOVE, PEND_COW, PEND_REPLICA };

struct place_vm {
    struct pmap *pm;
    struct vtx_vm *vm;
    uint32_t *hot;            /* [RAM page][model node]: dirty harvests charged there */
    unsigned harvests;        /* since the last counter reset */
};

struct vtx_placement {
    struct numa_topology *topo;
    struct numa_pool *pool;
    struct memmap *mm;
    struct numa_policy policy;
    struct numa_policy_choice choice;   /* what the policy was opened from (ctx.kv) */
    FILE *trace;
    uint64_t t0_ns;           /* time origin of hot-page events */
    unsigned nodes;
    int host_os_nodes;
    uint64_t S;               /* frames per node */
    void **frame_hva;
    enum pend_kind pend;
    void *pend_hva;
    pthread_mutex_t lock;
    struct place_vm *vms;     /* indexed by VM index; [max_vms] is the image holder */
    unsigned max_vms;
    struct pmap *image_pm;    /* the image store's own use of the image pages */
    const struct vtx_image *image;
    unsigned image_pages;
    unsigned image_node;
    struct vtx_place_stats st;
};

/* ---- backend hooks ------------------------------------------------------------------ */

static int be_copy(void *ctx, uint64_t dst, uint64_t src)
{
    struct vtx_placement *pl = ctx;
    void *s = pl->frame_hva[src];
    switch (pl->pend) {
    case PEND_MOVE: {
        int os = vtx_place_os_node(pl, (unsigned)(dst / pl->S), NULL), status = 0;
        uint64_t t0 = vtx_now_ns();
        long r = move_pages(0, 1, &s, &os, &status, MPOL_MF_MOVE);
        pl->st.move_ns += vtx_now_ns() - t0;
        /* -ENOENT/-EFAULT: not resident (or the shared zero page); the range's policy
         * already names the new node, so the page is born there. */
        if (r < 0 || (status < 0 && status != -ENOENT && status != -EFAULT) || (status >= 0 && status != os))
            return -EIO;
        pl->frame_hva[dst] = s;
        return 0;
    }
    case PEND_COW:             /* the kernel copied on the guest's write already */
        pl->frame_hva[dst] = pl->pend_hva;
        return 0;
    case PEND_REPLICA:         /* the node's replica was loaded from the same ELF */
        if (memcmp(pl->pend_hva, s, VTX_PAGE_SIZE) != 0)
            memcpy(pl->pend_hva, s, VTX_PAGE_SIZE);
        pl->frame_hva[dst] = pl->pend_hva;
        return 0;
    default:
        return -EOPNOTSUPP;    /* a copy we did not prepare: refuse rather than guess */
    }
}

static uint64_t be_make_entry(void *ctx, uint64_t mfn, unsigned node)
{
    (void)node;
    struct vtx_placement *pl = ctx;
    return (uint64_t)(uintptr_t)pl->frame_hva[mfn];
}

static void be_shootdown(void *ctx, uint32_t vm, uint64_t gpn, const struct pmap_cache_loc *loc)
{
    (void)vm; (void)gpn; (void)loc;
    ((struct vtx_placement *)ctx)->st.shootdowns++;
}

static void be_remap(void *ctx, uint32_t vm, uint64_t gpn, uint64_t mfn, unsigned node)
{
    (void)vm; (void)gpn; (void)mfn; (void)node;
    ((struct vtx_placement *)ctx)->st.remaps++;
}

static const struct pmap_backend_ops backend = {
    .copy_page = be_copy, .make_entry = be_make_entry,
    .shootdown = be_shootdown, .remap = be_remap,
};

/* ---- set-up ------------------------------------------------------------------------- */

int vtx_place_open_policy(struct numa_policy *pol, struct numa_policy_choice *choice,
                          unsigned nnodes, char *err, size_t errlen)
{
    struct numa_policy_params base;
    numa_policy_default_params(&base);
    base.trigger_threshold = VTX_PLACE_TRIGGER;
    base.sharing_threshold = VTX_PLACE_SHARING;
    return numa_choice_open(pol, choice, "none", &base, nnodes, err, errlen);
}

int vtx_place_create(struct vtx_placement **out, const struct vtx_place_cfg *cfg)
{
    struct vtx_placement *pl = calloc(1, sizeof(*pl));
    if (!pl)
        return -ENOMEM;
    pthread_mutex_init(&pl->lock, NULL);
    pl->host_os_nodes = vtx_mem_os_nodes();
    int err = cfg->topology ? numa_topology_create_synthetic(&pl->topo, cfg->topology)
                            : numa_topology_create_host(&pl->topo);
    if (err)
        goto fail;
    pl->nodes = numa_topology_nodes(pl->topo);
    pl->S = cfg->frames_per_node;
    pl->max_vms = cfg->max_vms;
    pl->image_pages = cfg->image_pages;
    if (pl->S == 0 || pl->max_vms == 0 || pl->max_vms >= MEMMAP_MAX_VMS) {
        err = -EINVAL;
        goto fail;
    }
    if (cfg->choice)
        pl->choice = *cfg->choice;
    else
        pl->choice.name = cfg->policy ? cfg->policy : "none";
    char why[256];
    err = vtx_place_open_policy(&pl->policy, &pl->choice, pl->nodes, why, sizeof(why));
    if (err)
        goto fail;
    pl->trace = cfg->trace;
    pl->t0_ns = vtx_now_ns();
    err = numa_pool_create(&pl->pool, pl->topo);
    if (err)
        goto fail;
    for (unsigned n = 0; n < pl->nodes; n++)
        if ((err = numa_pool_add_range(pl->pool, n, n * pl->S, pl->S)))
            goto fail;
    pl->frame_hva = calloc(pl->nodes * pl->S, sizeof(*pl->frame_hva));
    pl->vms = calloc(pl->max_vms + 1, sizeof(*pl->vms));
    if (!pl->frame_hva || !pl->vms) {
        err = -ENOMEM;
        goto fail;
    }
    err = memmap_create(&pl->mm, pl->pool, &backend, pl, pl->max_vms + 1);
    if (err)
        goto fail;
    *out = pl;
    return 0;
fail:
    vtx_place_destroy(pl);
    return err;
}

void vtx_place_destroy(struct vtx_placement *pl)
{
    if (!pl)
        return;
    if (pl->vms)
        for (unsigned i = 0; i < pl->max_vms; i++)
            if (pl->vms[i].pm)
                vtx_place_remove_vm(pl, pl->vms[i].vm);
    if (pl->image_pm)
        pmap_destroy(pl->image_pm);
    if (pl->mm)
        memmap_destroy(pl->mm);
    if (pl->pool)
        numa_pool_destroy(pl->pool);
    if (pl->topo)
        numa_topology_destroy(pl->topo);
    numa_policy_fini(&pl->policy);
    free(pl->frame_hva);
    free(pl->vms);
    pthread_mutex_destroy(&pl->lock);
    free(pl);
}

unsigned vtx_place_nodes(const struct vtx_placement *pl) { return pl->nodes; }
const struct numa_policy *vtx_place_policy(const struct vtx_placement *pl) { return &pl->policy; }

void vtx_place_policy_report(struct vtx_placement *pl, char *buf, size_t len)
{
    pthread_mutex_lock(&pl->lock);
    if (numa_policy_report(&pl->policy, buf, len) < 0 && len)
        buf[0] = 0;
    pthread_mutex_unlock(&pl->lock);
}

int vtx_place_os_node(const struct vtx_placement *pl, unsigned m, bool *folded)
{
    if (m >= pl->nodes)
        return -EINVAL;
    int os = numa_topology_node_os_index(pl->topo, m);
    bool f = false;
    if (os < 0 || os >= pl->host_os_nodes) {
        os = (int)(m % (unsigned)pl->host_os_nodes);
        f = true;
    }
    if (folded)
        *folded = f;
    return os;
}

int64_t vtx_place_gpn(const struct vtx_vm *vm, uint64_t gpa)
{
    uint64_t img = vm->image->info.image_size;
    if (gpa < VTX_BOOT_SIZE)
        return (int64_t)(gpa / VTX_PAGE_SIZE);
    if (gpa >= VTX_IMAGE_GPA && gpa < VTX_IMAGE_GPA + img)
        return (int64_t)(BOOT_PAGES + (gpa - VTX_IMAGE_GPA) / VTX_PAGE_SIZE);
    if (gpa >= VTX_RAM_GPA && gpa < VTX_RAM_GPA + vm->ram.size)
        return (int64_t)(BOOT_PAGES + img / VTX_PAGE_SIZE + (gpa - VTX_RAM_GPA) / VTX_PAGE_SIZE);
    return -EINVAL;
}

static int map_private(struct vtx_placement *pl, struct pmap *pm, uint64_t gpn, void *hva,
                       unsigned node)
{
    uint64_t f;
    int err = numa_pool_alloc_exact(pl->pool, node, &f);
    if (err)
        return err;
    pl->frame_hva[f] = hva;
    err = pmap_map_frame(pm, gpn, f);
    if (err)
        numa_pool_free(pl->pool, f);
    return err;
}

/* The image holder: the image store's reference mapping of the first replica is a user
 * of every image page, so the master frames live as long as the store. */
static int ensure_image(struct vtx_placement *pl, struct vtx_vm *vm)
{
    if (pl->image_pm)
        return pl->image == vm->image ? 0 : -EINVAL;
    unsigned pages = (unsigned)(vm->image->info.image_size / VTX_PAGE_SIZE);
    if (pages != pl->image_pages)
        return -EINVAL;
    int err = pmap_create(&pl->image_pm, pl->mm, pl->max_vms, BOOT_PAGES + pages);
    if (err)
        return err;
    pl->image = vm->image;
    pl->image_node = (unsigned)vm->model_node;
    char *ref = vm->image->replica[vm->model_node].ref;
    for (unsigned p = 0; p < pages; p++)
        if ((err = map_private(pl, pl->image_pm, BOOT_PAGES + p, ref + p * VTX_PAGE_SIZE,
                               pl->image_node)))
            return err;
    return 0;
}

/* Image page p, shared by v, gets a memmap replica on model node `node` (the node's
 * memfd replica page) unless the master or a replica is there already. */
static int ensure_replica(struct vtx_placement *pl, struct place_vm *v, struct vtx_vm *vm,
                          uint64_t p, unsigned node)
{
    const struct pmap_entry *pe = pmap_entry_get(v->pm, BOOT_PAGES + p);
    if (node == pl->image_node || !(pe->flags & PMAP_F_COW) ||
        (pe->replicas && (pe->replicas->nodes & NUMA_NODE_BIT(node))))
        return 0;
    pl->pend = PEND_REPLICA;
    pl->pend_hva = (char *)vm->image->replica[node].ref + p * VTX_PAGE_SIZE;
    int err = memmap_replicate(pl->mm, pe->mfn, node);
    pl->pend = PEND_NONE;
    if (!err)
        pl->st.replicas++;
    return err;
}

int vtx_place_add_vm(struct vtx_placement *pl, struct vtx_vm *vm)
{
    if (vm->index >= pl->max_vms || vm->model_node < 0 || (unsigned)vm->model_node >= pl->nodes)
        return -EINVAL;
    unsigned node = (unsigned)vm->model_node;
    uint64_t img_pages = vm->image->info.image_size / VTX_PAGE_SIZE;
    uint64_t ram_pages = vm->ram.size / VTX_PAGE_SIZE;
    struct place_vm *v = &pl->vms[vm->index];
    pthread_mutex_lock(&pl->lock);
    int err = ensure_image(pl, vm);
    if (err)
        goto out;
    err = pmap_create(&v->pm, pl->mm, vm->index, BOOT_PAGES + img_pages + ram_pages);
    if (err)
        goto out;
    v->vm = vm;
    for (uint64_t i = 0; i < BOOT_PAGES && !err; i++)
        err = map_private(pl, v->pm, i, (char *)vm->boot.base + i * VTX_PAGE_SIZE, node);
    for (uint64_t p = 0; p < img_pages && !err; p++) {
        uint64_t gpn = BOOT_PAGES + p;
        err = pmap_share_cow(pl->image_pm, gpn, v->pm, gpn);
        if (!err)
            err = ensure_replica(pl, v, vm, p, node);
    }
    for (uint64_t i = 0; i < ram_pages && !err; i++)
        err = map_private(pl, v->pm, BOOT_PAGES + img_pages + i,
                          (char *)vm->ram.base + i * VTX_PAGE_SIZE, node);
    if (!err && vm->host->dirty_ram) {
        v->hot = calloc(ram_pages * pl->nodes, sizeof(*v->hot));
        if (!v->hot)
            err = -ENOMEM;
    }
    if (err) {
        pmap_destroy(v->pm);
        free(v->hot);
        memset(v, 0, sizeof(*v));
    } else {
        pl->st.pages_mapped += BOOT_PAGES + img_pages + ram_pages;
    }
out:
    pthread_mutex_unlock(&pl->lock);
    return err;
}

void vtx_place_remove_vm(struct vtx_placement *pl, struct vtx_vm *vm)
{
    if (!vm || vm->index >= pl->max_vms)
        return;
    struct place_vm *v = &pl->vms[vm->index];
    pthread_mutex_lock(&pl->lock);
    if (v->pm)
        pmap_destroy(v->pm);
    free(v->hot);
    memset(v, 0, sizeof(*v));
    pthread_mutex_unlock(&pl->lock);
}

/* ---- dirty-log harvest: COW breaks and hot pages ----------------------------------- */

/* Host time for the policy: microseconds since the placement was created. */
static uint64_t place_now(const struct vtx_placement *pl)
{
    return (vtx_now_ns() - pl->t0_ns) / 1000;
}

/* One JSON line per decision, the fields of disco's --numa-trace where they apply
 * (time in microseconds, the VM's index as its name, no simulated cost: the host time
 * move_pages took instead). */
static void trace_decision(struct vtx_placement *pl, const struct numa_hot_page *ev,
                           const struct numa_decision *d, uint64_t to, const char *failed,
                           uint64_t move_ns)
{
    FILE *f = pl->trace;
    if (!f)
        return;
    fprintf(f, "{\"t\": %llu, \"vm\": \"%u\", \"gpn\": %lld, \"mfn_from\": %llu, "
               "\"mfn_to\": %llu, \"home\": %u",
            (unsigned long long)ev->now, ev->nusers ? ev->users[0].vm : 0,
            ev->nusers ? (long long)ev->users[0].gpn : -1LL, (unsigned long long)ev->mfn,
            (unsigned long long)to, ev->home);
    fprintf(f, ", \"action\": \"%s\", \"reason\": \"%s\"",
            failed ? "none" : numa_action_name(d->action),
            numa_refusal_name(failed ? NUMA_REFUSE_NO_MEMORY : d->reason));
    if (d->action == NUMA_ACTION_MIGRATE)
        fprintf(f, ", \"node\": %u", d->node);
    if (d->action == NUMA_ACTION_REPLICATE)
        fprintf(f, ", \"nodes\": %llu", (unsigned long long)d->nodes);
    if (failed)        /* the policy hears "no-memory"; the trace says what happened */
        fprintf(f, ", \"decided\": \"%s\", \"not_applied\": \"%s\"",
                numa_action_name(d->action), failed);
    fprintf(f, ", \"misses\": [");
    for (unsigned i = 0; i < ev->nnodes; i++)
        fprintf(f, "%s%u", i ? ", " : "", ev->misses[i]);
    fprintf(f, "], \"written\": %s, \"moves\": %u, \"users\": %u, \"move_ns\": %llu}\n",
            ev->written ? "true" : "false", ev->moves, ev->nusers,
            (unsigned long long)move_ns);
}

/* Carry out what KVM can: MIGRATE through memmap_migrate (move_pages of the same host
 * page). Private RAM has no read-only copies on KVM (one host page per guest page in the
 * memslot), so REPLICATE is refused, and COLLAPSE has nothing to collapse: both go back
 * to the policy as failures. Returns NULL if applied or nothing was asked, else why
 * not. */
static const char *apply_decision(struct vtx_placement *pl, uint64_t mfn,
                                  const struct numa_decision *d, uint64_t *to,
                                  uint64_t *move_ns)
{
    uint64_t ns0 = pl->st.move_ns;
    switch (d->action) {
    case NUMA_ACTION_NONE:
        return NULL;
    case NUMA_ACTION_MIGRATE: {
        pl->pend = PEND_MOVE;
        int err = memmap_migrate(pl->mm, mfn, d->node, to);
        pl->pend = PEND_NONE;
        *move_ns = pl->st.move_ns - ns0;
        if (err) {
            pl->st.migrate_failed++;
            return "move_pages or the pool refused the move";
        }
        pl->st.migrations++;
        return NULL;
    }
    case NUMA_ACTION_REPLICATE:
        pl->st.replicate_refused++;
        return "KVM guest RAM has no read-only replicas (one host page per guest page)";
    default:
        pl->st.collapse_refused++;
        return "no replicas to collapse (KVM guest RAM is never replicated)";
    }
}

/* Dirty RAM page gpn of v, with its per-node counts, goes to the policy. */
static void hot_page(struct vtx_placement *pl, struct place_vm *v, uint64_t gpn,
                     uint32_t *counts)
{
    const struct pmap_entry *pe = pmap_entry_get(v->pm, gpn);
    if (!pe || pe->mfn == PMAP_NO_FRAME)
        return;
    struct numa_hot_page ev;
    if (memmap_hot_page(pl->mm, pe->mfn, counts, pl->nodes, true, &ev))
        return;
    struct memmap_user mu[MEMMAP_MAX_VMS < 8 ? MEMMAP_MAX_VMS : 8];
    struct numa_page_user users[sizeof(mu) / sizeof(mu[0])];
    int got = memmap_users(pl->mm, pe->mfn, mu, sizeof(mu) / sizeof(mu[0]));
    ev.nusers = got > 0 ? (unsigned)got : 0;
    if (ev.nusers > sizeof(mu) / sizeof(mu[0]))
        ev.nusers = sizeof(mu) / sizeof(mu[0]);
    for (unsigned i = 0; i < ev.nusers; i++)
        users[i] = (struct numa_page_user){ .vm = mu[i].vm, .gpn = mu[i].gpn };
    ev.users = users;
    ev.now = place_now(pl);
    struct numa_decision d;
    if (numa_policy_decide(&pl->policy, &ev, &d))
        return;
    pl->st.hot_events++;
    pl->st.policy_decisions++;
    uint64_t to = pe->mfn, move_ns = 0;
    const char *failed = apply_decision(pl, pe->mfn, &d, &to, &move_ns);
    if (failed)
        numa_policy_note_failure(&pl->policy, &d);
    trace_decision(pl, &ev, &d, to, failed, move_ns);
    if (!failed && d.action == NUMA_ACTION_MIGRATE)
        memset(counts, 0, pl->nodes * sizeof(*counts));   /* counted anew where it is */
}

/* Every VTX_PLACE_RESET_HARVESTS harvests of a VM: its counts start again from zero,
 * and the policy's tick() runs. */
static void maybe_reset(struct vtx_placement *pl, struct place_vm *v, uint64_t ram_pages)
{
    if (++v->harvests < VTX_PLACE_RESET_HARVESTS)
        return;
    v->harvests = 0;
    memset(v->hot, 0, ram_pages * pl->nodes * sizeof(*v->hot));
    numa_policy_tick(&pl->policy, place_now(pl));
    pl->st.ticks++;
}

/* Image pages the guest wrote since the last harvest become pmap_break_cow() for this
 * VM (the kernel made the private copy on the VM's node already). bm: a zeroed bitmap
 * of at least the image's pages. Returns pages seen dirty. */
static long harvest_image(struct vtx_placement *pl, struct place_vm *v, struct vtx_vm *vm,
                          uint64_t *bm)
{
    uint64_t img_pages = vm->image->info.image_size / VTX_PAGE_SIZE;
    long dirty = 0;
    if (!vm->host->dirty_image || kvm_vm_get_dirty_log(&vm->kvm, 1, bm) != 0)
        return 0;
    for (uint64_t p = 0; p < img_pages; p++) {
        if (!(bm[p / 64] >> (p % 64) & 1))
            continue;
        dirty++;
        uint64_t gpn = BOOT_PAGES + p;
        const struct pmap_entry *pe = pmap_entry_get(v->pm, gpn);
        if (!(pe->flags & PMAP_F_COW))
            continue;
        pl->pend = PEND_COW;
        pl->pend_hva = (char *)vm->image_map + p * VTX_PAGE_SIZE;
        if (pmap_break_cow(v->pm, gpn, (unsigned)vm->model_node) == 0)
            pl->st.cow_breaks++;
        pl->pend = PEND_NONE;
    }
    return dirty;
}

/* The model node a harvest's dirty RAM pages are charged to: the node the vCPU thread
 * ran on during the interval (vtx_vm_take_node: sched_getcpu() sampled at its exits,
 * majority), not the node the VMM meant it to run on. One vCPU per VM makes this the
 * node of the CPU that did the writes. A folded model puts several model nodes on one
 * OS node: the VM's own model node is kept when it sits on the observed OS node, else
 * the first model node placed there. */
static unsigned charge_node(struct vtx_placement *pl, struct vtx_vm *vm)
{
    int os = vtx_vm_take_node(vm);
    unsigned own = (unsigned)vm->model_node;
    if (os < 0 || vtx_place_os_node(pl, own, NULL) == os)
        return own;
    for (unsigned m = 0; m < pl->nodes; m++)
        if (vtx_place_os_node(pl, m, NULL) == os)
            return m;
    return own;
}

long vtx_place_harvest(struct vtx_placement *pl, struct vtx_vm *vm)
{
    if (vm->index >= pl->max_vms)
        return -EINVAL;
    struct place_vm *v = &pl->vms[vm->index];
    uint64_t img_pages = vm->image->info.image_size / VTX_PAGE_SIZE;
    uint64_t ram_pages = vm->ram.size / VTX_PAGE_SIZE;
    uint64_t words = ((img_pages > ram_pages ? img_pages : ram_pages) + 63) / 64;
    uint64_t *bm = calloc(words, sizeof(*bm));
    if (!bm)
        return -ENOMEM;
    long dirty = 0;
    pthread_mutex_lock(&pl->lock);
    if (!v->pm) {
        dirty = -ENOENT;
        goto out;
    }
    memmap_set_time(pl->mm, place_now(pl));
    dirty += harvest_image(pl, v, vm, bm);
    if (vm->host->dirty_ram && v->hot) {
        unsigned node = charge_node(pl, vm);
        memset(bm, 0, words * sizeof(*bm));
        if (kvm_vm_get_dirty_log(&vm->kvm, 2, bm) == 0) {
            for (uint64_t i = 0; i < ram_pages; i++) {
                if (!(bm[i / 64] >> (i % 64) & 1))
                    continue;
                dirty++;
                uint32_t *counts = &v->hot[i * pl->nodes];
                counts[node]++;
                pl->st.charged[node]++;
                hot_page(pl, v, BOOT_PAGES + img_pages + i, counts);
            }
        }
        maybe_reset(pl, v, ram_pages);
    }
    pl->st.dirty_pages += (uint64_t)dirty;
out:
    pthread_mutex_unlock(&pl->lock);
    free(bm);
    return dirty;
}

/* ---- whole-VM migration, verification, image use ------------------------------------ */

/* The VM now runs on model node m: its image pages still shared are mapped from node
 * m's replica, as pmap_lookup(m) answers (a replica is made where m has none), and its
 * memory policies name m's OS node. With the vCPU parked, pages written since the last
 * harvest become COW breaks first (their copies are on the old node, where the pmap
 * records them), so the remap loses no guest write. Called under pl->lock. */
static int follow_vcpu(struct vtx_placement *pl, struct place_vm *v, struct vtx_vm *vm,
                       unsigned m, bool move_memory)
{
    int os = vtx_place_os_node(pl, m, NULL);
    uint64_t img_pages = vm->image->info.image_size / VTX_PAGE_SIZE;
    uint64_t *bm = calloc((img_pages + 63) / 64, sizeof(*bm));
    if (!bm)
        return -ENOMEM;
    int err = vtx_image_replica(vm->image, (int)m, os);
    bool parked = vtx_vm_pause(vm);
    if (!err)
        harvest_image(pl, v, vm, bm);
    if (!err && move_memory) {   /* new faults go to the new node from now on */
        err = vtx_mem_bind(vm->ram.base, vm->ram.size, os);
        if (!err)
            err = vtx_mem_bind(vm->boot.base, vm->boot.size, os);
    }
    if (!err)
        err = vtx_mem_bind(vm->image_map, vm->image->info.image_size, os);
    if (!err) {
        vm->node = os;
        vm->model_node = (int)m;
        atomic_store(&vm->rebind, 1);
    }
    for (uint64_t p = 0; p < img_pages && !err; p++) {
        if (!(pmap_entry_get(v->pm, BOOT_PAGES + p)->flags & PMAP_F_COW))
            continue;                    /* a private copy stays where the pmap says */
        err = ensure_replica(pl, v, vm, p, m);
        if (!err)
            err = vtx_image_remap(vm->image, (int)m, os, vm->image_map, p * VTX_PAGE_SIZE,
                                  VTX_PAGE_SIZE);
    }
    if (parked)
        vtx_vm_resume(vm);
    free(bm);
    return err;
}

long vtx_place_migrate_vm(struct vtx_placement *pl, struct vtx_vm *vm, unsigned m)
{
    if (vm->index >= pl->max_vms || m >= pl->nodes)
        return -EINVAL;
    struct place_vm *v = &pl->vms[vm->index];
    long moved = 0;
    pthread_mutex_lock(&pl->lock);
    if (!v->pm) {
        moved = -ENOENT;
        goto out;
    }
    int err = follow_vcpu(pl, v, vm, m, true);
    if (err) {
        moved = err;
        goto out;
    }
    uint64_t n = pmap_pages(v->pm);
    for (uint64_t gpn = 0; gpn < n; gpn++) {
        const struct pmap_entry *pe = pmap_entry_get(v->pm, gpn);
        if (pe->mfn == PMAP_NO_FRAME || (pe->flags & PMAP_F_COW) || pe->node == m)
            continue;                   /* shared image pages: node m's replica now */
        pl->pend = PEND_MOVE;
        err = pmap_migrate(v->pm, gpn, m);
        pl->pend = PEND_NONE;
        if (err) {
            pl->st.migrate_failed++;
            moved = err;
            goto out;
        }
        pl->st.migrations++;
        moved++;
    }
out:
    pthread_mutex_unlock(&pl->lock);
    return moved;
}

int vtx_place_move_vcpu(struct vtx_placement *pl, struct vtx_vm *vm, unsigned m)
{
    if (vm->index >= pl->max_vms || m >= pl->nodes)
        return -EINVAL;
    struct place_vm *v = &pl->vms[vm->index];
    pthread_mutex_lock(&pl->lock);
    int err = v->pm ? follow_vcpu(pl, v, vm, m, false) : -ENOENT;
    pthread_mutex_unlock(&pl->lock);
    return err;
}

static void *vm_hva_of(const struct vtx_vm *vm, uint64_t gpn)
{
    uint64_t img_pages = vm->image->info.image_size / VTX_PAGE_SIZE;
    if (gpn < BOOT_PAGES)
        return (char *)vm->boot.base + gpn * VTX_PAGE_SIZE;
    if (gpn < BOOT_PAGES + img_pages)
        return (char *)vm->image_map + (gpn - BOOT_PAGES) * VTX_PAGE_SIZE;
    return (char *)vm->ram.base + (gpn - BOOT_PAGES - img_pages) * VTX_PAGE_SIZE;
}

long vtx_place_verify(struct vtx_placement *pl, const struct vtx_vm *vm, uint64_t *checked,
                      uint64_t *absent)
{
    if (vm->index >= pl->max_vms)
        return -EINVAL;
    struct place_vm *v = &pl->vms[vm->index];
    long bad = 0;
    *checked = *absent = 0;
    pthread_mutex_lock(&pl->lock);
    if (!v->pm) {
        pthread_mutex_unlock(&pl->lock);
        return -ENOENT;
    }
    uint64_t n = pmap_pages(v->pm);
    for (uint64_t gpn = 0; gpn < n; gpn++) {
        struct pmap_translation t;
        if (pmap_lookup(v->pm, gpn, (unsigned)vm->model_node, &t))
            continue;
        void *hva = vm_hva_of(vm, gpn);
        const struct pmap_entry *pe = pmap_entry_get(v->pm, gpn);
        /* A private page's frame must be this VM's own host page. */
        if (!(pe->flags & PMAP_F_COW) && pl->frame_hva[t.mfn] != hva)
            bad++;
        int where = 0;
        if (move_pages(0, 1, &hva, NULL, &where, 0) < 0 || where < 0) {
            (*absent)++;
            continue;
        }
        (*checked)++;
        if (where != vtx_place_os_node(pl, t.node, NULL))
            bad++;
    }
    pthread_mutex_unlock(&pl->lock);
    return bad;
}

static uint64_t pagemap_pfn(int fd, const void *addr)
{
    uint64_t e = 0;
    if (pread(fd, &e, sizeof(e), (off_t)((uintptr_t)addr / VTX_PAGE_SIZE * 8)) != sizeof(e))
        return 0;
    if (!(e >> 63 & 1))
        return 0;
    return e & ((1ULL << 55) - 1);
}

int vtx_place_image_use(struct vtx_placement *pl, const struct vtx_vm *vm,
                        struct vtx_image_use *use)
{
    if (vm->index >= pl->max_vms)
        return -EINVAL;
    struct place_vm *v = &pl->vms[vm->index];
    memset(use, 0, sizeof(*use));
    uint64_t img_pages = vm->image->info.image_size / VTX_PAGE_SIZE;
    int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    pthread_mutex_lock(&pl->lock);
    if (!v->pm) {
        pthread_mutex_unlock(&pl->lock);
        if (fd >= 0)
            close(fd);
        return -ENOENT;
    }
    bool pfns = fd >= 0;
    const char *ref = vm->image->replica[vm->model_node].ref;
    for (uint64_t p = 0; p < img_pages; p++) {
        const struct pmap_entry *pe = pmap_entry_get(v->pm, BOOT_PAGES + p);
        if (pe->flags & PMAP_F_COW)
            use->pmap_shared++;
        else
            use->pmap_private++;
        if (!pfns)
            continue;
        uint64_t mine = pagemap_pfn(fd, (const char *)vm->image_map + p * VTX_PAGE_SIZE);
        uint64_t rep = pagemap_pfn(fd, ref + p * VTX_PAGE_SIZE);
        if (rep == 0) {             /* PFNs hidden (no CAP_SYS_ADMIN) */
            pfns = false;
            continue;
        }
        if (mine == 0)
            continue;               /* not touched by this guest */
        if (mine == rep)
            use->pfn_shared++;
        else
            use->pfn_private++;
    }
    pthread_mutex_unlock(&pl->lock);
    if (fd >= 0)
        close(fd);
    if (!pfns)
        use->pfn_shared = use->pfn_private = -1;
    return 0;
}

void vtx_place_get_stats(struct vtx_placement *pl, struct vtx_place_stats *st)
{
    pthread_mutex_lock(&pl->lock);
    *st = pl->st;
    pthread_mutex_unlock(&pl->lock);
}

int vtx_place_check(struct vtx_placement *pl, char *why, size_t len)
{
    pthread_mutex_lock(&pl->lock);
    int r = memmap_check(pl->mm, why, len);
    pthread_mutex_unlock(&pl->lock);
    return r;
}
