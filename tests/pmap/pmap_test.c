/* Unit tests for pmap/: every operation on the pmap and memmap, with a fake backend.
 * Each test ends with a full memmap_check(). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "numa/policy.h"
#include "pmap/memmap.h"
#include "pmap/pmap.h"
#include "tests/pmap/fake_backend.h"

#define NODES 4
#define FRAMES_PER_NODE 16
#define PAGES 64

struct fx {
    struct numa_topology *topo;
    struct numa_pool *pool;
    struct fake_backend fb;
    struct memmap *mm;
    struct pmap *vm[2];
};

/* Node n owns frames [100n, 100n + 16): sparse on purpose. */
static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(numa_topology_create_nodes(&f->topo, NODES, 1), 0);
    assert_int_equal(numa_pool_create(&f->pool, f->topo), 0);
    for (unsigned n = 0; n < NODES; n++)
        assert_int_equal(numa_pool_add_range(f->pool, n, 100 * n, FRAMES_PER_NODE), 0);
    assert_int_equal(fake_backend_init(&f->fb, numa_pool_frame_limit(f->pool)), 0);
    assert_int_equal(memmap_create(&f->mm, f->pool, &fake_backend_ops, &f->fb, 8), 0);
    assert_int_equal(pmap_create(&f->vm[0], f->mm, 0, PAGES), 0);
    assert_int_equal(pmap_create(&f->vm[1], f->mm, 1, PAGES), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char why[200] = "";
    int rc = memmap_check(f->mm, why, sizeof why);
    if (rc != 0)
        fprintf(stderr, "inconsistent: %s\n", why);
    assert_int_equal(rc, 0);
    assert_int_equal(memmap_destroy(f->mm), -EBUSY);
    pmap_destroy(f->vm[0]);
    pmap_destroy(f->vm[1]);
    assert_int_equal(numa_pool_allocated_total(f->pool), 0);  /* nothing leaked */
    assert_int_equal(memmap_destroy(f->mm), 0);
    fake_backend_fini(&f->fb);
    numa_pool_destroy(f->pool);
    numa_topology_destroy(f->topo);
    free(f);
    return 0;
}

static void check(struct fx *f)
{
    char why[200] = "";
    int rc = memmap_check(f->mm, why, sizeof why);
    if (rc != 0)
        fail_msg("inconsistent: %s", why);
}

static uint64_t map(struct fx *f, int vm, uint64_t gpn, unsigned node, uint64_t content)
{
    uint64_t mfn;
    assert_int_equal(pmap_map_new(f->vm[vm], gpn, node, &mfn), 0);
    f->fb.content[mfn] = content;
    return mfn;
}

static void test_map_lookup_unmap(void **state)
{
    struct fx *f = *state;
    uint64_t mfn = map(f, 0, 5, 2, 0);
    assert_int_equal(numa_pool_frame_node(f->pool, mfn), 2);
    struct pmap_translation t;
    assert_int_equal(pmap_lookup(f->vm[0], 5, 0, &t), 0);
    assert_int_equal(t.mfn, mfn);
    assert_int_equal(t.node, 2);
    assert_int_equal(t.map_entry, fake_entry(mfn, 2));
    assert_true(t.writable);
    assert_false(t.replica);
    assert_int_equal(pmap_map_new(f->vm[0], 5, 2, NULL), -EEXIST);
    assert_int_equal(pmap_map_new(f->vm[0], PAGES, 2, NULL), -EINVAL);
    assert_int_equal(pmap_map_new(f->vm[0], 6, NODES, NULL), -EINVAL);
    assert_int_equal(pmap_lookup(f->vm[0], 6, 0, &t), -ENOENT);
    assert_int_equal(pmap_lookup(f->vm[0], PAGES, 0, &t), -EINVAL);
    const struct memmap_entry *me = memmap_entry_get(f->mm, mfn);
    assert_int_equal(me->state, MEMMAP_MASTER);
    assert_int_equal(me->nusers, 1);
    check(f);
    assert_int_equal(pmap_unmap(f->vm[0], 5), 0);
    assert_int_equal(pmap_unmap(f->vm[0], 5), -ENOENT);
    assert_int_equal(pmap_lookup(f->vm[0], 5, 0, &t), -ENOENT);
    assert_int_equal(me->state, MEMMAP_FREE);
    assert_int_equal(numa_pool_is_allocated(f->pool, mfn), 0);
    assert_int_equal(memmap_get_stats(f->mm)->pages_mapped, 0);
}

static void test_map_fallback_and_map_frame(void **state)
{
    struct fx *f = *state;
    for (uint64_t g = 0; g < FRAMES_PER_NODE; g++)
        map(f, 0, g, 3, g);
    uint64_t mfn = map(f, 0, 20, 3, 0);          /* node 3 is full: nearest is node 0 */
    assert_int_equal(numa_pool_frame_node(f->pool, mfn), 0);
    uint64_t own;
    assert_int_equal(numa_pool_alloc_exact(f->pool, 1, &own), 0);
    assert_int_equal(pmap_map_frame(f->vm[1], 0, own), 0);
    assert_int_equal(pmap_entry_get(f->vm[1], 0)->node, 1);
    assert_int_equal(pmap_map_frame(f->vm[1], 1, own), -EBUSY);   /* already in use */
    assert_int_equal(pmap_map_frame(f->vm[1], 2, 150), -EBUSY);   /* not allocated */
    check(f);
}

static void test_backmaps(void **state)
{
    struct fx *f = *state;
    map(f, 0, 1, 0, 0);
    pmap_backmap_t h[3];
    for (int i = 0; i < 3; i++) {
        struct pmap_cache_loc loc = { .vcpu = (uint32_t)i, .asid = 7, .gvpn = 0x40 + i,
                                      .slot = (uint32_t)i, .kind = PMAP_CACHE_TLB };
        assert_int_equal(pmap_backmap_add(f->vm[0], 1, &loc, &h[i]), 0);
    }
    assert_int_equal(pmap_backmap_add(f->vm[0], 2, &(struct pmap_cache_loc){ 0 }, NULL),
                     -ENOENT);                   /* unmapped page */
    assert_int_equal(pmap_backmap_count(f->vm[0], 1), 3);
    assert_int_equal(pmap_backmap_remove(f->vm[0], h[1]), 0);
    assert_int_equal(pmap_backmap_remove(f->vm[0], h[1]), -ENOENT);   /* stale handle */
    assert_int_equal(pmap_backmap_count(f->vm[0], 1), 2);
    check(f);
    uint64_t before = f->fb.shootdowns;
    assert_int_equal(pmap_unmap(f->vm[0], 1), 0);
    assert_int_equal(f->fb.shootdowns - before, 2);     /* exactly the cached places */
    assert_int_equal(f->fb.last_vm, 0);
    assert_int_equal(f->fb.last_gpn, 1);
    assert_int_equal(f->fb.last_loc.asid, 7);
    /* The record was reused: the old handle of record 0 must not remove the new one. */
    map(f, 0, 1, 0, 0);
    pmap_backmap_t nh;
    assert_int_equal(pmap_backmap_add(f->vm[0], 1, &(struct pmap_cache_loc){ .kind = 1 }, &nh), 0);
    assert_int_equal(pmap_backmap_remove(f->vm[0], h[0]), -ENOENT);
    assert_int_equal(pmap_backmap_remove(f->vm[0], h[2]), -ENOENT);
    assert_int_equal(pmap_invalidate(f->vm[0], 1), 0);
    assert_int_equal(pmap_backmap_count(f->vm[0], 1), 0);
    assert_int_equal(pmap_backmap_remove(f->vm[0], nh), -ENOENT);
}

static void add_bm(struct fx *f, int vm, uint64_t gpn)
{
    assert_int_equal(pmap_backmap_add(f->vm[vm], gpn,
                                      &(struct pmap_cache_loc){ .kind = PMAP_CACHE_TLB },
                                      NULL), 0);
}

static void test_write_protect(void **state)
{
    struct fx *f = *state;
    map(f, 0, 3, 1, 0);
    add_bm(f, 0, 3);
    assert_int_equal(pmap_write_protect(f->vm[0], 3), 0);
    assert_int_equal(pmap_backmap_count(f->vm[0], 3), 0);   /* writable copies gone */
    struct pmap_translation t;
    assert_int_equal(pmap_lookup(f->vm[0], 3, 1, &t), 0);
    assert_false(t.writable);
    assert_int_equal(pmap_write_fault(f->vm[0], 3, 1), -EACCES);
    assert_int_equal(pmap_write_unprotect(f->vm[0], 3), 0);
    assert_int_equal(pmap_write_fault(f->vm[0], 3, 1), 0);
    assert_int_equal(pmap_lookup(f->vm[0], 3, 1, &t), 0);
    assert_true(t.writable);
    assert_int_equal(pmap_write_protect(f->vm[0], 4), -ENOENT);
    check(f);
}

static void test_cow_share_and_break(void **state)
{
    struct fx *f = *state;
    uint64_t mfn = map(f, 0, 1, 0, 111);
    add_bm(f, 0, 1);
    assert_int_equal(pmap_share_cow(f->vm[0], 1, f->vm[1], 2), 0);
    assert_int_equal(pmap_backmap_count(f->vm[0], 1), 0);   /* source shot down */
    assert_int_equal(pmap_share_cow(f->vm[0], 1, f->vm[1], 2), -EEXIST);
    assert_int_equal(pmap_share_cow(f->vm[0], 9, f->vm[1], 3), -ENOENT);
    assert_int_equal(pmap_share_cow(f->vm[0], 1, f->vm[0], 1), -EINVAL);
    assert_int_equal(pmap_share_cow(f->vm[0], 1, f->vm[0], 4), 0);   /* same VM */
    struct memmap_user u[4];
    assert_int_equal(memmap_users(f->mm, mfn, u, 4), 3);
    struct pmap_translation t0, t1;
    assert_int_equal(pmap_lookup(f->vm[0], 1, 0, &t0), 0);
    assert_int_equal(pmap_lookup(f->vm[1], 2, 0, &t1), 0);
    assert_int_equal(t0.mfn, t1.mfn);
    assert_false(t0.writable);
    assert_false(t1.writable);
    check(f);
    /* A write from node 1 gives vm1's page a private copy on node 1. */
    add_bm(f, 1, 2);
    assert_int_equal(pmap_write_fault(f->vm[1], 2, 1), 0);
    assert_int_equal(pmap_backmap_count(f->vm[1], 2), 0);
    assert_int_equal(pmap_lookup(f->vm[1], 2, 1, &t1), 0);
    assert_int_not_equal(t1.mfn, mfn);
    assert_int_equal(t1.node, 1);
    assert_true(t1.writable);
    assert_int_equal(f->fb.content[t1.mfn], 111);
    f->fb.content[t1.mfn] = 222;                 /* the write lands in the copy only */
    assert_int_equal(f->fb.content[mfn], 111);
    assert_int_equal(memmap_users(f->mm, mfn, u, 4), 2);
    check(f);
    assert_int_equal(pmap_break_cow(f->vm[0], 4, 0), 0);    /* second private copy */
    /* Last user: the COW flag clears without a copy. */
    uint64_t copies = f->fb.copies;
    assert_int_equal(pmap_write_fault(f->vm[0], 1, 0), 0);
    assert_int_equal(f->fb.copies, copies);
    assert_int_equal(pmap_lookup(f->vm[0], 1, 0, &t0), 0);
    assert_int_equal(t0.mfn, mfn);
    assert_true(t0.writable);
    assert_int_equal(memmap_get_stats(f->mm)->cow_breaks, 2);
    check(f);
}

static void test_migrate(void **state)
{
    struct fx *f = *state;
    uint64_t mfn = map(f, 0, 7, 0, 777);
    assert_int_equal(pmap_share_cow(f->vm[0], 7, f->vm[1], 8), 0);
    add_bm(f, 0, 7);
    add_bm(f, 1, 8);
    add_bm(f, 1, 8);
    memmap_set_time(f->mm, 55);
    uint64_t shots = f->fb.shootdowns, nm;
    assert_int_equal(memmap_migrate(f->mm, mfn, 3, &nm), 0);
    assert_int_equal(f->fb.shootdowns - shots, 3);
    assert_int_equal(numa_pool_frame_node(f->pool, nm), 3);
    assert_int_equal(f->fb.content[nm], 777);
    assert_int_equal(numa_pool_is_allocated(f->pool, mfn), 0);
    assert_int_equal(memmap_entry_get(f->mm, mfn)->state, MEMMAP_FREE);
    struct pmap_translation t;
    for (int v = 0; v < 2; v++) {
        assert_int_equal(pmap_lookup(f->vm[v], v ? 8 : 7, 0, &t), 0);
        assert_int_equal(t.mfn, nm);
        assert_int_equal(t.node, 3);
        assert_int_equal(t.map_entry, fake_entry(nm, 3));
    }
    const struct memmap_entry *me = memmap_entry_get(f->mm, nm);
    assert_int_equal(me->moves, 1);
    assert_int_equal(me->last_move, 55);
    assert_int_equal(me->nusers, 2);
    assert_int_equal(memmap_migrate(f->mm, nm, 3, NULL), -EEXIST);
    assert_int_equal(memmap_migrate(f->mm, mfn, 1, NULL), -ENOENT);
    assert_int_equal(pmap_migrate(f->vm[0], 7, 2), 0);
    assert_int_equal(pmap_entry_get(f->vm[1], 8)->node, 2);
    /* Target node full: -ENOMEM, nothing changes. */
    for (uint64_t g = 20; g < 20 + FRAMES_PER_NODE; g++)
        map(f, 1, g, 1, 0);
    assert_int_equal(pmap_migrate(f->vm[0], 7, 1), -ENOMEM);
    assert_int_equal(pmap_entry_get(f->vm[0], 7)->node, 2);
    assert_int_equal(memmap_get_stats(f->mm)->migrations, 2);
    check(f);
}

static void test_replicate_and_collapse(void **state)
{
    struct fx *f = *state;
    uint64_t mfn = map(f, 0, 10, 0, 1010);
    add_bm(f, 0, 10);
    assert_int_equal(memmap_replicate(f->mm, mfn, 1), 0);
    assert_int_equal(pmap_backmap_count(f->vm[0], 10), 0);
    assert_int_equal(memmap_replicate(f->mm, mfn, 2), 0);
    assert_int_equal(memmap_replicate(f->mm, mfn, 2), -EEXIST);
    assert_int_equal(memmap_replicate(f->mm, mfn, 0), -EEXIST);
    assert_int_equal(memmap_migrate(f->mm, mfn, 3, NULL), -EBUSY);
    struct pmap_translation t;
    assert_int_equal(pmap_lookup(f->vm[0], 10, 1, &t), 0);
    assert_true(t.replica);
    assert_int_equal(t.node, 1);
    assert_int_equal(numa_pool_frame_node(f->pool, t.mfn), 1);
    assert_int_equal(t.map_entry, fake_entry(t.mfn, 1));
    assert_int_equal(f->fb.content[t.mfn], 1010);
    assert_false(t.writable);
    uint64_t replica1 = t.mfn;
    assert_int_equal(memmap_entry_get(f->mm, replica1)->state, MEMMAP_REPLICA);
    assert_int_equal(memmap_entry_get(f->mm, replica1)->master, mfn);
    assert_int_equal(pmap_lookup(f->vm[0], 10, 3, &t), 0);   /* no copy on 3: master */
    assert_false(t.replica);
    assert_int_equal(t.mfn, mfn);
    assert_int_equal(pmap_lookup(f->vm[0], 10, 0, &t), 0);
    assert_int_equal(t.mfn, mfn);
    /* A page shared later sees the replicas too. */
    assert_int_equal(pmap_share_cow(f->vm[0], 10, f->vm[1], 11), 0);
    assert_int_equal(pmap_lookup(f->vm[1], 11, 2, &t), 0);
    assert_true(t.replica);
    check(f);
    /* vm1 writes: it gets a private copy and the replicas stay for vm0. */
    assert_int_equal(pmap_write_fault(f->vm[1], 11, 2), 0);
    assert_int_equal(pmap_lookup(f->vm[1], 11, 1, &t), 0);
    assert_false(t.replica);
    assert_true(t.writable);
    assert_non_null(memmap_entry_get(f->mm, mfn)->replicas);
    check(f);
    /* vm0 (now the sole user) writes: replicas collapse. */
    add_bm(f, 0, 10);
    assert_int_equal(pmap_write_fault(f->vm[0], 10, 1), 0);
    assert_int_equal(pmap_backmap_count(f->vm[0], 10), 0);
    assert_null(memmap_entry_get(f->mm, mfn)->replicas);
    assert_int_equal(memmap_entry_get(f->mm, replica1)->state, MEMMAP_FREE);
    assert_int_equal(pmap_lookup(f->vm[0], 10, 1, &t), 0);
    assert_true(t.writable);
    assert_int_equal(t.mfn, mfn);
    assert_int_equal(memmap_collapse(f->mm, mfn), 0);          /* no-op */
    const struct memmap_stats *s = memmap_get_stats(f->mm);
    assert_int_equal(s->replications, 2);
    assert_int_equal(s->collapses, 1);
    assert_int_equal(s->frames_replica, 0);
    /* Unmapping the last user of a replicated page frees the replicas too. */
    assert_int_equal(memmap_replicate(f->mm, mfn, 3), 0);
    uint64_t in_use = numa_pool_allocated_total(f->pool);
    assert_int_equal(pmap_unmap(f->vm[0], 10), 0);
    assert_int_equal(numa_pool_allocated_total(f->pool), in_use - 2);
    check(f);
}

static void test_policy_apply(void **state)
{
    struct fx *f = *state;
    struct numa_policy pol;
    assert_int_equal(numa_policy_init(&pol, "disco", NULL), 0);
    uint64_t mfn = map(f, 0, 30, 0, 3030);
    uint32_t one[NODES] = { 1, 0, 400, 0 };
    struct numa_hot_page ev;
    struct numa_decision d;
    assert_int_equal(memmap_hot_page(f->mm, mfn, one, NODES, false, &ev), 0);
    assert_int_equal(ev.home, 0);
    assert_int_equal(numa_policy_decide(&pol, &ev, &d), 0);
    assert_int_equal(d.action, NUMA_ACTION_MIGRATE);
    uint64_t nm;
    assert_int_equal(memmap_apply_decision(f->mm, mfn, &d, &nm), 0);
    assert_int_equal(pmap_entry_get(f->vm[0], 30)->node, 2);
    uint32_t shared[NODES] = { 100, 100, 300, 100 };
    assert_int_equal(memmap_hot_page(f->mm, nm, shared, NODES, false, &ev), 0);
    assert_int_equal(ev.moves, 1);
    assert_int_equal(numa_policy_decide(&pol, &ev, &d), 0);
    assert_int_equal(d.action, NUMA_ACTION_REPLICATE);
    assert_int_equal(memmap_apply_decision(f->mm, nm, &d, NULL), 3);
    assert_int_equal(memmap_entry_get(f->mm, nm)->replicas->count, 3);
    assert_int_equal(memmap_hot_page(f->mm, nm, shared, NODES, true, &ev), 0);
    assert_int_equal(numa_policy_decide(&pol, &ev, &d), 0);
    assert_int_equal(d.action, NUMA_ACTION_COLLAPSE);
    assert_int_equal(memmap_apply_decision(f->mm, nm, &d, NULL), 0);
    assert_null(memmap_entry_get(f->mm, nm)->replicas);
    assert_int_equal(memmap_hot_page(f->mm, nm, shared, 3, true, &ev), -EINVAL);
    check(f);
}

static void test_l2tlb_shootdown(void **state)
{
    struct fx *f = *state;
    struct l2tlb *tlb;
    assert_int_equal(l2tlb_create(&tlb, NULL, NULL, NULL), 0);
    f->fb.tlb[2] = tlb;
    uint64_t mfn = map(f, 0, 40, 0, 0);
    uint32_t slot;
    struct l2tlb_entry e = { .vpn = 0x1000, .mfn = mfn, .asid = 9, .prot = L2TLB_PROT_READ };
    assert_int_equal(l2tlb_insert(tlb, &e, &slot), 0);
    pmap_backmap_t h;
    struct pmap_cache_loc loc = { .vcpu = 2, .asid = 9, .gvpn = 0x1000, .slot = slot,
                                  .kind = PMAP_CACHE_L2TLB };
    assert_int_equal(pmap_backmap_add(f->vm[0], 40, &loc, &h), 0);
    assert_int_equal(l2tlb_set_cookie(tlb, slot, h), 0);
    assert_int_equal(memmap_migrate(f->mm, mfn, 1, NULL), 0);
    assert_int_equal(l2tlb_lookup(tlb, 9, 0x1000, NULL, NULL), -ENOENT);
    assert_int_equal(f->fb.bad_flushes, 0);
    f->fb.tlb[2] = NULL;
    l2tlb_destroy(tlb);
    check(f);
}

static void test_errors(void **state)
{
    struct fx *f = *state;
    struct pmap *dup;
    assert_int_equal(pmap_create(&dup, f->mm, 0, 10), -EEXIST);
    assert_int_equal(pmap_create(&dup, f->mm, 8, 10), -EINVAL);
    assert_int_equal(pmap_create(&dup, f->mm, 2, 0), -EINVAL);
    assert_int_equal(memmap_replicate(f->mm, 12345, 1), -EINVAL);
    assert_int_equal(memmap_replicate(f->mm, 3, 1), -ENOENT);
    assert_int_equal(memmap_collapse(f->mm, 3), -ENOENT);
    assert_int_equal(memmap_users(f->mm, 3, NULL, 0), -ENOENT);
    assert_null(memmap_entry_get(f->mm, 100000));
    assert_int_equal(pmap_write_fault(f->vm[0], 0, 0), -ENOENT);
    assert_int_equal(pmap_break_cow(f->vm[0], 0, 0), -ENOENT);
    /* Running out of memory everywhere. */
    unsigned mapped = 0;
    for (uint64_t g = 0; g < PAGES; g++)
        if (pmap_map_new(f->vm[g & 1], g, (unsigned)g % NODES, NULL) == 0)
            mapped++;
    assert_int_equal(mapped, NODES * FRAMES_PER_NODE);
    assert_int_equal(pmap_map_new(f->vm[0], 63, 0, NULL), -ENOMEM);
    check(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_map_lookup_unmap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_fallback_and_map_frame, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backmaps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_protect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cow_share_and_break, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replicate_and_collapse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_apply, setup, teardown),
        cmocka_unit_test_setup_teardown(test_l2tlb_shootdown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
    };
    return cmocka_run_group_tests_name("pmap", tests, NULL, NULL);
}
