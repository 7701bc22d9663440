/* Unit tests for l2tlb/: lookup, insert, replacement, flushes, page sizes, globals,
 * the evict callback contract and statistics. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "l2tlb/l2tlb.h"

struct evictions {
    unsigned n;
    uint64_t last_cookie;
    uint32_t last_slot;
};

static void on_evict(void *ctx, uint32_t slot, const struct l2tlb_entry *e)
{
    struct evictions *ev = ctx;
    ev->n++;
    ev->last_cookie = e->cookie;
    ev->last_slot = slot;
}

static struct l2tlb_entry ent(uint32_t asid, uint64_t vpn, uint64_t mfn)
{
    return (struct l2tlb_entry){ .vpn = vpn, .mfn = mfn, .asid = asid,
                                 .prot = L2TLB_PROT_READ, .cookie = vpn * 10 + asid };
}

static void test_create(void **state)
{
    (void)state;
    struct l2tlb *t;
    assert_int_equal(l2tlb_create(&t, NULL, NULL, NULL), 0);
    assert_int_equal(l2tlb_capacity(t), L2TLB_DEFAULT_ENTRIES);
    l2tlb_destroy(t);
    assert_int_equal(l2tlb_create(&t, &(struct l2tlb_config){ 64 }, NULL, NULL), 0);
    assert_int_equal(l2tlb_capacity(t), 64);
    l2tlb_destroy(t);
    assert_int_equal(l2tlb_create(&t, &(struct l2tlb_config){ 100 }, NULL, NULL), -EINVAL);
    assert_int_equal(l2tlb_create(&t, &(struct l2tlb_config){ 2 }, NULL, NULL), -EINVAL);
}

static void test_insert_lookup(void **state)
{
    (void)state;
    struct l2tlb *t;
    assert_int_equal(l2tlb_create(&t, NULL, NULL, NULL), 0);
    struct l2tlb_entry e = ent(3, 0x1234, 77), out;
    uint32_t slot, slot2;
    assert_int_equal(l2tlb_insert(t, &e, &slot), 0);
    assert_int_equal(l2tlb_lookup(t, 3, 0x1234, &out, &slot2), 0);
    assert_int_equal(out.mfn, 77);
    assert_int_equal(slot, slot2);
    assert_int_equal(l2tlb_lookup(t, 4, 0x1234, &out, NULL), -ENOENT);   /* other ASID */
    assert_int_equal(l2tlb_lookup(t, 3, 0x1235, &out, NULL), -ENOENT);
    e.mfn = 78;                                           /* same key: replaced in place */
    assert_int_equal(l2tlb_insert(t, &e, &slot2), 0);
    assert_int_equal(slot, slot2);
    assert_int_equal(l2tlb_lookup(t, 3, 0x1234, &out, NULL), 0);
    assert_int_equal(out.mfn, 78);
    const struct l2tlb_stats *s = l2tlb_get_stats(t);
    assert_int_equal(s->lookups, 4);
    assert_int_equal(s->hits, 2);
    assert_int_equal(s->misses, 2);
    assert_int_equal(s->inserts, 2);
    l2tlb_reset_stats(t);
    assert_int_equal(s->lookups, 0);
    l2tlb_destroy(t);
}

static void test_replacement_and_evict_callback(void **state)
{
    (void)state;
    struct evictions ev = { 0 };
    struct l2tlb *t;
    assert_int_equal(l2tlb_create(&t, &(struct l2tlb_config){ 16 }, on_evict, &ev), 0);
    /* 200 distinct pages in 16 slots: every insert beyond capacity evicts one. */
    for (uint64_t v = 0; v < 200; v++)
        assert_int_equal(l2tlb_insert(t, &(struct l2tlb_entry[]){ ent(1, v, v) }[0], NULL), 0);
    unsigned present = 0;
    for (uint64_t v = 0; v < 200; v++) {
        struct l2tlb_entry out;
        if (l2tlb_lookup(t, 1, v, &out, NULL) == 0) {
            assert_int_equal(out.mfn, v);
            present++;
        }
    }
    assert_true(present <= 16);
    assert_int_equal(ev.n, 200 - present);
    assert_int_equal(l2tlb_get_stats(t)->evictions, ev.n);
    l2tlb_destroy(t);
}

static void test_flushes(void **state)
{
    (void)state;
    struct evictions ev = { 0 };
    struct l2tlb *t;
    assert_int_equal(l2tlb_create(&t, NULL, on_evict, &ev), 0);
    uint32_t slot;
    for (uint64_t v = 0; v < 10; v++) {
        assert_int_equal(l2tlb_insert(t, &(struct l2tlb_entry[]){ ent(1, v, v) }[0], NULL), 0);
        assert_int_equal(l2tlb_insert(t, &(struct l2tlb_entry[]){ ent(2, v, v) }[0], &slot), 0);
    }
    l2tlb_flush_asid(t, 1);
    assert_int_equal(ev.n, 10);
    assert_int_equal(l2tlb_lookup(t, 1, 3, NULL, NULL), -ENOENT);
    assert_int_equal(l2tlb_lookup(t, 2, 3, NULL, NULL), 0);
    /* flush_one: only if the slot still holds that key, and no evict callback. */
    assert_int_equal(l2tlb_flush_one(t, slot, 2, 8), -ENOENT);
    assert_int_equal(l2tlb_flush_one(t, slot, 1, 9), -ENOENT);
    assert_int_equal(l2tlb_flush_one(t, slot, 2, 9), 0);
    assert_int_equal(ev.n, 10);
    assert_int_equal(l2tlb_lookup(t, 2, 9, NULL, NULL), -ENOENT);
    assert_int_equal(l2tlb_read(t, slot, &(struct l2tlb_entry){ 0 }), -ENOENT);
    l2tlb_flush_all(t);
    assert_int_equal(ev.n, 19);
    assert_int_equal(l2tlb_lookup(t, 2, 0, NULL, NULL), -ENOENT);
    const struct l2tlb_stats *s = l2tlb_get_stats(t);
    assert_int_equal(s->flushes_all, 1);
    assert_int_equal(s->flushes_asid, 1);
    assert_int_equal(s->flushes_one, 1);
    l2tlb_destroy(t);
}

static void test_page_sizes_and_global(void **state)
{
    (void)state;
    struct l2tlb *t;
    assert_int_equal(l2tlb_create(&t, NULL, NULL, NULL), 0);
    struct l2tlb_entry big = ent(5, 0x400, 9000), out;
    big.page_shift = 8;                       /* 256 base pages = 1 MB */
    assert_int_equal(l2tlb_insert(t, &big, NULL), 0);
    big.vpn = 0x401;
    assert_int_equal(l2tlb_insert(t, &big, NULL), -EINVAL);   /* misaligned */
    assert_int_equal(l2tlb_lookup(t, 5, 0x4ff, &out, NULL), 0);
    assert_int_equal(out.vpn, 0x400);
    assert_int_equal(out.page_shift, 8);
    assert_int_equal(l2tlb_lookup(t, 5, 0x500, &out, NULL), -ENOENT);
    struct l2tlb_entry small = ent(5, 0x20, 1);
    assert_int_equal(l2tlb_insert(t, &small, NULL), 0);
    assert_int_equal(l2tlb_lookup(t, 5, 0x20, &out, NULL), 0);
    assert_int_equal(out.mfn, 1);
    struct l2tlb_entry g = ent(0, 0x99, 42);
    g.prot |= L2TLB_PROT_GLOBAL;
    uint32_t slot;
    assert_int_equal(l2tlb_insert(t, &g, &slot), 0);
    assert_int_equal(l2tlb_lookup(t, 123, 0x99, &out, NULL), 0);   /* any ASID */
    assert_int_equal(out.mfn, 42);
    l2tlb_flush_asid(t, 0);                                        /* globals stay */
    assert_int_equal(l2tlb_lookup(t, 7, 0x99, &out, NULL), 0);
    assert_int_equal(l2tlb_set_cookie(t, slot, 0xabc), 0);
    assert_int_equal(l2tlb_read(t, slot, &out), 0);
    assert_int_equal(out.cookie, 0xabc);
    assert_int_equal(l2tlb_flush_one(t, slot, 77, 0x99), 0);       /* global: any ASID */
    assert_int_equal(l2tlb_lookup(t, 7, 0x99, &out, NULL), -ENOENT);
    l2tlb_destroy(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_insert_lookup),
        cmocka_unit_test(test_replacement_and_evict_callback),
        cmocka_unit_test(test_flushes),
        cmocka_unit_test(test_page_sizes_and_global),
    };
    return cmocka_run_group_tests_name("l2tlb", tests, NULL, NULL);
}
