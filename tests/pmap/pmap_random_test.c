/* Randomized consistency test of pmap + memmap + replicas + backmaps + L2TLBs.
 *
 * One million random operations (map, unmap, share copy-on-write, write, read through a
 * virtual CPU's L2TLB, migrate, replicate, collapse, write-protect, policy decisions,
 * L2TLB flushes) over 4 VMs, 8 virtual CPUs and 4 nodes with fewer frames than guest
 * pages (so allocation failures and distance fallback happen too).
 *
 * Checked after every step (incremental, O(changed entries)): pmap_check_page() of each
 * page the step touched and memmap_check_frame() of each frame it touched (users,
 * replicas, pool state), plus the data model: every read returns the contents last
 * written to that guest page, whichever frame (master or local replica) serves it, and
 * an L2TLB hit is never stale (same frame as a fresh pmap lookup, never writable when
 * the pmap says read-only).
 * Page contents: the fake backend gives each frame one 64-bit word, read here as a page
 * of 8 byte lanes. A new page gets a random word; a guest write changes ONE lane (1..7;
 * lane 0's low bit stays set, so a mapped page is never 0, the model's "unmapped"), and
 * the other lanes must survive it. So a write fault that hands out a page without the
 * old contents (a COW break, migration or collapse that forgets to copy) is caught: at
 * once, by comparing the page with the model right after the fault, and again by every
 * later read of the other lanes. Every FULL_EVERY steps and at the end: memmap_check() over
 * everything (no leaked or doubly used frame: frames in use == pool allocations) and
 * L2TLB entries == backmaps. At the end every pmap is destroyed and the pool must be
 * empty. Seed: argv[1] or a fixed default (printed).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "l2tlb/l2tlb.h"
#include "numa/policy.h"
#include "pmap/memmap.h"
#include "pmap/pmap.h"
#include "tests/pmap/fake_backend.h"

#define NODES 4
#define VMS 4
#define PAGES 128
#define FRAMES_PER_NODE 96
#define VCPUS 8                  /* vCPU c runs VM c % VMS on node c % NODES */
#define ASIDS 2
#define STEPS 1000000
#define FULL_EVERY 16

static uint64_t seed = 0x5eed1997u;

struct world {
    struct numa_topology *topo;
    struct numa_pool *pool;
    struct fake_backend fb;
    struct memmap *mm;
    struct pmap *vm[VMS];
    struct l2tlb *tlb[VCPUS];
    struct numa_policy policy;
    uint64_t expect[VMS][PAGES];    /* contents of each guest page, 0 = unmapped */
    uint64_t rng;
    unsigned long step;
    unsigned evict_errors;
    /* what the current step touched, for the incremental check */
    uint64_t frames[8];
    unsigned nframes;
    struct { unsigned vm; uint64_t gpn; } pages[4];
    unsigned npages;
    uint64_t ops[16], ok[16];
};

static uint64_t rnd(struct world *w)
{
    w->rng ^= w->rng >> 12;
    w->rng ^= w->rng << 25;
    w->rng ^= w->rng >> 27;
    return w->rng * 0x2545f4914f6cdd1dull;
}

static unsigned below(struct world *w, unsigned n)
{
    return (unsigned)(rnd(w) % n);
}

#define LANES 8
#define LANE_MASK 0xffull

/* Contents of a freshly mapped page: random, never 0 (0 means unmapped in the model). */
static uint64_t new_page(struct world *w)
{
    return rnd(w) | 1;
}

/* A guest write of one byte lane (1..7): applied to the frame and to the model alike,
 * each keeping its own other lanes, as a real store leaves the rest of the page. */
static void write_lane(struct world *w, uint64_t *frame, uint64_t *model)
{
    unsigned shift = 8 * (1 + below(w, LANES - 1));
    uint64_t keep = ~(LANE_MASK << shift), byte = (rnd(w) & LANE_MASK) << shift;
    *frame = (*frame & keep) | byte;
    *model = (*model & keep) | byte;
}

static void touch_frame(struct world *w, uint64_t mfn)
{
    if (mfn != PMAP_NO_FRAME && w->nframes < 8)
        w->frames[w->nframes++] = mfn;
}

static void touch_page(struct world *w, unsigned vm, uint64_t gpn)
{
    if (w->npages < 4) {
        w->pages[w->npages].vm = vm;
        w->pages[w->npages++].gpn = gpn;
    }
    touch_frame(w, pmap_entry_get(w->vm[vm], gpn)->mfn);
}

static void on_evict(void *ctx, uint32_t slot, const struct l2tlb_entry *e)
{
    (void)slot;
    struct world *w = ctx;
    unsigned vm = (unsigned)(e->cookie >> 56);       /* cookie: vm << 56 | handle */
    if (pmap_backmap_remove(w->vm[vm], e->cookie & ((1ull << 56) - 1)) != 0)
        w->evict_errors++;
}

static void die(struct world *w, const char *what, const char *why)
{
    fail_msg("seed %llu step %lu: %s: %s", (unsigned long long)seed, w->step, what, why);
}

/* ---- operations ----------------------------------------------------------------------- */
enum { OP_MAP, OP_UNMAP, OP_SHARE, OP_WRITE, OP_READ, OP_MIGRATE, OP_REPLICATE,
       OP_COLLAPSE, OP_PROTECT, OP_POLICY, OP_FLUSH, OP_COUNT };
static const char *const op_name[OP_COUNT] = { "map", "unmap", "share-cow", "write", "read",
    "migrate", "replicate", "collapse", "protect", "policy", "l2tlb-flush" };
static const unsigned op_weight[OP_COUNT] = { 14, 7, 10, 14, 25, 8, 8, 3, 3, 5, 1 };

static int op_map(struct world *w, unsigned vm, uint64_t gpn)
{
    uint64_t mfn;
    int rc = pmap_map_new(w->vm[vm], gpn, below(w, NODES), &mfn);
    if (rc == 0) {
        w->fb.content[mfn] = w->expect[vm][gpn] = new_page(w);
    } else if (!(rc == -EEXIST && w->expect[vm][gpn]) && rc != -ENOMEM) {
        die(w, "map", strerror(-rc));
    }
    touch_page(w, vm, gpn);
    return rc;
}

static int op_unmap(struct world *w, unsigned vm, uint64_t gpn)
{
    touch_page(w, vm, gpn);
    int rc = pmap_unmap(w->vm[vm], gpn);
    if (rc == 0)
        w->expect[vm][gpn] = 0;
    else if (!(rc == -ENOENT && !w->expect[vm][gpn]))
        die(w, "unmap", strerror(-rc));
    return rc;
}

static int op_share(struct world *w, unsigned vm, uint64_t gpn)
{
    unsigned dvm = below(w, VMS);
    uint64_t dgpn = below(w, PAGES);
    touch_page(w, vm, gpn);
    int rc = pmap_share_cow(w->vm[vm], gpn, w->vm[dvm], dgpn);
    if (rc == 0)
        w->expect[dvm][dgpn] = w->expect[vm][gpn];
    else if (!(rc == -ENOENT && !w->expect[vm][gpn])
             && !(rc == -EEXIST && w->expect[dvm][dgpn])
             && !(rc == -EINVAL && dvm == vm && dgpn == gpn))
        die(w, "share", strerror(-rc));
    touch_page(w, dvm, dgpn);
    return rc;
}

static int op_write(struct world *w, unsigned vm, uint64_t gpn)
{
    unsigned node = below(w, NODES);
    touch_page(w, vm, gpn);
    const struct pmap_entry *pe = pmap_entry_get(w->vm[vm], gpn);
    int wp = (pe->flags & PMAP_F_WP) != 0;
    int rc = pmap_write_fault(w->vm[vm], gpn, node);
    touch_page(w, vm, gpn);
    if (rc == -ENOENT && !w->expect[vm][gpn])
        return rc;
    if ((rc == -EACCES && wp) || rc == -ENOMEM)
        return rc;
    if (rc != 0)
        die(w, "write", strerror(-rc));
    struct pmap_translation t;
    if (pmap_lookup(w->vm[vm], gpn, node, &t) != 0 || !t.writable || t.replica)
        die(w, "write", "page not writable after the write fault");
    /* the page the guest may now write must still hold what it held before the fault */
    if (w->fb.content[t.mfn] != w->expect[vm][gpn])
        die(w, "write", "the write fault lost the page's contents (a copy was not made)");
    write_lane(w, &w->fb.content[t.mfn], &w->expect[vm][gpn]);
    return 0;
}

/* A virtual CPU reads gpn through its L2TLB, refilling it from the pmap on a miss. */
static int op_read(struct world *w, unsigned vm, uint64_t gpn)
{
    unsigned cpu = vm + VMS * below(w, VCPUS / VMS), node = cpu % NODES;
    uint32_t asid = below(w, ASIDS);
    uint64_t gvpn = gpn + (uint64_t)asid * PAGES;
    struct l2tlb_entry e;
    struct pmap_translation t;
    int have = pmap_lookup(w->vm[vm], gpn, node, &t) == 0;
    if (l2tlb_lookup(w->tlb[cpu], asid, gvpn, &e, NULL) == 0) {
        if (!have || e.mfn != t.mfn)
            die(w, "read", "stale L2TLB entry (a backmap was missed)");
        if ((e.prot & L2TLB_PROT_WRITE) && !t.writable)
            die(w, "read", "L2TLB allows a write the pmap forbids");
    } else if (have) {
        e = (struct l2tlb_entry){ .vpn = gvpn, .mfn = t.mfn, .asid = asid,
                                  .prot = L2TLB_PROT_READ | (t.writable ? L2TLB_PROT_WRITE : 0) };
        uint32_t slot;
        pmap_backmap_t h;
        struct pmap_cache_loc loc = { .vcpu = cpu, .asid = asid, .gvpn = gvpn,
                                      .kind = PMAP_CACHE_L2TLB };
        if (l2tlb_insert(w->tlb[cpu], &e, &slot) != 0)
            die(w, "read", "l2tlb insert");
        loc.slot = slot;
        if (pmap_backmap_add(w->vm[vm], gpn, &loc, &h) != 0 || h >> 56)
            die(w, "read", "backmap add");
        l2tlb_set_cookie(w->tlb[cpu], slot, (uint64_t)vm << 56 | h);
    }
    if (have && w->fb.content[t.mfn] != w->expect[vm][gpn])
        die(w, "read", "wrong contents (copy, migration or replica lost data)");
    if (!have && w->expect[vm][gpn])
        die(w, "read", "mapped page not found");
    touch_page(w, vm, gpn);
    touch_frame(w, have ? t.mfn : PMAP_NO_FRAME);
    return have ? 0 : -ENOENT;
}

static int op_migrate(struct world *w, unsigned vm, uint64_t gpn)
{
    touch_page(w, vm, gpn);
    const struct pmap_entry *pe = pmap_entry_get(w->vm[vm], gpn);
    int rc = pmap_migrate(w->vm[vm], gpn, below(w, NODES));
    touch_page(w, vm, gpn);
    if (rc && !(rc == -ENOENT && !w->expect[vm][gpn]) && rc != -EEXIST && rc != -ENOMEM
        && !(rc == -EBUSY && pe->replicas))
        die(w, "migrate", strerror(-rc));
    return rc;
}

static int op_replicate(struct world *w, unsigned vm, uint64_t gpn)
{
    touch_page(w, vm, gpn);
    uint64_t mfn = pmap_entry_get(w->vm[vm], gpn)->mfn;
    if (mfn == PMAP_NO_FRAME)
        return -ENOENT;
    int rc = memmap_replicate(w->mm, mfn, below(w, NODES));
    if (rc && rc != -EEXIST && rc != -ENOMEM)
        die(w, "replicate", strerror(-rc));
    return rc;
}

static int op_collapse(struct world *w, unsigned vm, uint64_t gpn)
{
    touch_page(w, vm, gpn);
    uint64_t mfn = pmap_entry_get(w->vm[vm], gpn)->mfn;
    if (mfn == PMAP_NO_FRAME)
        return -ENOENT;
    int rc = memmap_collapse(w->mm, mfn);
    if (rc)
        die(w, "collapse", strerror(-rc));
    return rc;
}

static int op_protect(struct world *w, unsigned vm, uint64_t gpn)
{
    touch_page(w, vm, gpn);
    int rc = below(w, 2) ? pmap_write_protect(w->vm[vm], gpn)
                         : pmap_write_unprotect(w->vm[vm], gpn);
    if (rc && !(rc == -ENOENT && !w->expect[vm][gpn]))
        die(w, "protect", strerror(-rc));
    return rc;
}

/* A hot-page event with random counters, decided by the disco policy and applied. */
static int op_policy(struct world *w, unsigned vm, uint64_t gpn)
{
    touch_page(w, vm, gpn);
    uint64_t mfn = pmap_entry_get(w->vm[vm], gpn)->mfn;
    if (mfn == PMAP_NO_FRAME)
        return -ENOENT;
    uint32_t misses[NODES];
    for (unsigned n = 0; n < NODES; n++)
        misses[n] = below(w, 3) ? 0 : below(w, 400);
    struct numa_hot_page ev;
    struct numa_decision d;
    memmap_set_time(w->mm, w->step);
    if (memmap_hot_page(w->mm, mfn, misses, NODES, below(w, 4) == 0, &ev) != 0
        || numa_policy_decide(&w->policy, &ev, &d) != 0)
        die(w, "policy", "event");
    uint64_t nm;
    int rc = memmap_apply_decision(w->mm, mfn, &d, &nm);
    if (rc < 0 && rc != -ENOMEM)
        die(w, "policy", strerror(-rc));
    if (rc < 0)
        numa_policy_note_failure(&w->policy, &d);
    touch_frame(w, nm);
    return rc < 0 ? rc : 0;
}

static int op_flush(struct world *w, unsigned vm, uint64_t gpn)
{
    (void)gpn;
    unsigned cpu = vm + VMS * below(w, VCPUS / VMS);
    if (below(w, 2))
        l2tlb_flush_all(w->tlb[cpu]);
    else
        l2tlb_flush_asid(w->tlb[cpu], below(w, ASIDS));
    return 0;
}

static int (*const op_fn[OP_COUNT])(struct world *, unsigned, uint64_t) = {
    op_map, op_unmap, op_share, op_write, op_read, op_migrate, op_replicate, op_collapse,
    op_protect, op_policy, op_flush,
};

/* ---- checks -------------------------------------------------------------------------- */
static void check_step(struct world *w)
{
    char why[256];
    for (unsigned i = 0; i < w->npages; i++)
        if (pmap_check_page(w->vm[w->pages[i].vm], w->pages[i].gpn, why, sizeof why) != 0)
            die(w, "page check", why);
    for (unsigned i = 0; i < w->nframes; i++)
        if (memmap_check_frame(w->mm, w->frames[i], why, sizeof why) != 0)
            die(w, "frame check", why);
    if (w->evict_errors)
        die(w, "l2tlb eviction", "backmap of an evicted entry was already gone");
    if (w->fb.bad_flushes)
        die(w, "shootdown", "backmap named an L2TLB entry that is not there");
}

static void check_full(struct world *w)
{
    char why[256];
    if (memmap_check(w->mm, why, sizeof why) != 0)
        die(w, "full check", why);
    uint64_t cached = 0, backmaps = 0;
    for (unsigned c = 0; c < VCPUS; c++)
        for (uint32_t s = 0; s < l2tlb_capacity(w->tlb[c]); s++) {
            struct l2tlb_entry e;
            cached += l2tlb_read(w->tlb[c], s, &e) == 0;
        }
    for (unsigned v = 0; v < VMS; v++)
        for (uint64_t g = 0; g < PAGES; g++) {
            backmaps += (uint64_t)pmap_backmap_count(w->vm[v], g);
            struct pmap_translation t;
            int have = pmap_lookup(w->vm[v], g, 0, &t) == 0;
            if (have != (w->expect[v][g] != 0))
                die(w, "full check", "pmap and model disagree on what is mapped");
        }
    if (cached != backmaps)
        die(w, "full check", "L2TLB entries and backmaps disagree");
}

static void setup_world(struct world *w)
{
    memset(w, 0, sizeof *w);
    w->rng = seed ? seed : 1;
    assert_int_equal(numa_topology_create_nodes(&w->topo, NODES, 2), 0);
    assert_int_equal(numa_pool_create(&w->pool, w->topo), 0);
    for (unsigned n = 0; n < NODES; n++)
        assert_int_equal(numa_pool_add_range(w->pool, n, 1000 * n + 7, FRAMES_PER_NODE), 0);
    assert_int_equal(fake_backend_init(&w->fb, numa_pool_frame_limit(w->pool)), 0);
    assert_int_equal(memmap_create(&w->mm, w->pool, &fake_backend_ops, &w->fb, VMS), 0);
    for (unsigned v = 0; v < VMS; v++)
        assert_int_equal(pmap_create(&w->vm[v], w->mm, v, PAGES), 0);
    for (unsigned c = 0; c < VCPUS; c++) {
        assert_int_equal(l2tlb_create(&w->tlb[c], &(struct l2tlb_config){ 64 }, on_evict, w), 0);
        w->fb.tlb[c] = w->tlb[c];
    }
    struct numa_policy_params p;
    numa_policy_default_params(&p);
    p.max_moves = 0;               /* keep pages moving: we are testing the mechanism */
    assert_int_equal(numa_policy_init(&w->policy, "disco", &p), 0);
}

static void test_random(void **state)
{
    (void)state;
    struct world *w = malloc(sizeof *w);
    assert_non_null(w);
    setup_world(w);
    unsigned total = 0;
    for (unsigned o = 0; o < OP_COUNT; o++)
        total += op_weight[o];
    for (w->step = 0; w->step < STEPS; w->step++) {
        unsigned r = below(w, total), op = 0;
        while (r >= op_weight[op])
            r -= op_weight[op++];
        unsigned vm = below(w, VMS);
        uint64_t gpn = below(w, PAGES);
        w->nframes = w->npages = 0;
        w->ops[op]++;
        if (op_fn[op](w, vm, gpn) >= 0)
            w->ok[op]++;
        check_step(w);
        if (w->step % FULL_EVERY == 0)
            check_full(w);
    }
    check_full(w);
    const struct memmap_stats *s = memmap_get_stats(w->mm);
    for (unsigned o = 0; o < OP_COUNT; o++)
        printf("%-12s %8llu tried %8llu done\n", op_name[o], (unsigned long long)w->ops[o],
               (unsigned long long)w->ok[o]);
    printf("migrations %llu replications %llu collapses %llu cow-breaks %llu shootdowns %llu\n",
           (unsigned long long)s->migrations, (unsigned long long)s->replications,
           (unsigned long long)s->collapses, (unsigned long long)s->cow_breaks,
           (unsigned long long)s->shootdowns);
    /* Every kind of operation must really have happened, not just been refused. */
    for (unsigned o = 0; o < OP_COUNT; o++)
        assert_true(w->ok[o] > 1000);
    assert_true(s->migrations > 1000 && s->replications > 1000 && s->collapses > 1000
                && s->cow_breaks > 1000);
    for (unsigned c = 0; c < VCPUS; c++)
        l2tlb_flush_all(w->tlb[c]);            /* drops every backmap via the callback */
    assert_int_equal(w->evict_errors, 0);
    for (unsigned v = 0; v < VMS; v++)
        pmap_destroy(w->vm[v]);
    assert_int_equal(numa_pool_allocated_total(w->pool), 0);   /* no frame leaked */
    assert_int_equal(memmap_destroy(w->mm), 0);
    for (unsigned c = 0; c < VCPUS; c++)
        l2tlb_destroy(w->tlb[c]);
    fake_backend_fini(&w->fb);
    numa_pool_destroy(w->pool);
    numa_topology_destroy(w->topo);
    free(w);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        seed = strtoull(argv[1], NULL, 0);
    printf("seed %llu, %d steps, full check every %d steps\n", (unsigned long long)seed,
           STEPS, FULL_EVERY);
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_random) };
    return cmocka_run_group_tests_name("pmap-random", tests, NULL, NULL);
}
