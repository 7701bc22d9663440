/* mipssim_tlb_test.c - the R4000-style TLB: write/read, probe, lookup with every page
 * size, ASID and global matching, V/D bits, even/odd page selection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mips-sim/cpu/tlb.h"

#define LO(pa, fl) ((uint32_t)(((pa) >> 12) << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | (fl))
#define VDG (ENTRYLO_V | ENTRYLO_D | ENTRYLO_G)

static int setup(void **s)
{
    static tlb t;
    assert_int_equal(tlb_init(&t, 16), 0);
    *s = &t;
    return 0;
}
static int teardown(void **s) { tlb_destroy(*s); return 0; }

static void test_init_bounds(void **s)
{
    (void)s;
    tlb t;
    assert_true(tlb_init(&t, 0) < 0);
    assert_true(tlb_init(&t, TLB_MAX_ENTRIES + 1) < 0);
    assert_int_equal(tlb_init(&t, TLB_MAX_ENTRIES), 0);
    uint64_t pa;
    /* a fresh TLB maps nothing in kuseg/kseg3 */
    assert_int_equal(tlb_lookup(&t, 0, 0, false, &pa, NULL), TLB_REFILL);
    assert_int_equal(tlb_lookup(&t, 0xe0000000u, 0, false, &pa, NULL), TLB_REFILL);
    assert_int_equal(tlb_probe(&t, 0x00000000u), -1);
    tlb_destroy(&t);
}

static void test_write_read(void **s)
{
    tlb *t = *s;
    uint32_t hi, pm, lo0, lo1;
    tlb_write(t, 3, 0x12346042u, 0x00006000u, LO(0x100000, 6), LO(0x104000, 7));
    tlb_read(t, 3, &hi, &pm, &lo0, &lo1);
    assert_int_equal(hi, 0x12340042u);          /* VPN2 bits under the mask are dropped */
    assert_int_equal(pm, 0x00006000u);
    assert_int_equal(lo0, LO(0x100000, 6));     /* G is the AND of both: clear */
    assert_int_equal(lo1, LO(0x104000, 6));
    tlb_write(t, 4, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu);
    tlb_read(t, 4, &hi, &pm, &lo0, &lo1);
    assert_int_equal(pm, PAGEMASK_BITS);
    assert_int_equal(hi, 0xe00000ffu);
    assert_int_equal(lo0, 0x3fffffffu);
    assert_int_equal(lo1, 0x3fffffffu);
    tlb_write(t, 4, 0x80000000u, 0, 0, 0);
}

static void test_page_sizes(void **s)
{
    tlb *t = *s;
    for (uint32_t size = 4096; size <= (16u << 20); size <<= 2) {
        uint32_t pm = (size * 2 - 1) & ~0x1fffu;
        uint32_t va = 0x40000000u;
        uint64_t pa0 = 0x100000000ull, pa1 = 0x200000000ull + size; /* 36-bit physical */
        tlb_write(t, 7, va | 5, pm, LO(pa0, 6), LO(pa1, 6));
        uint64_t pa;
        uint32_t bytes = 0;
        assert_int_equal(tlb_lookup(t, va, 5, false, &pa, &bytes), TLB_HIT);
        assert_int_equal(pa, pa0);
        assert_int_equal(bytes, size);
        assert_int_equal(tlb_lookup(t, va + size - 4, 5, true, &pa, &bytes), TLB_HIT);
        assert_int_equal(pa, pa0 + size - 4);
        assert_int_equal(tlb_lookup(t, va + size, 5, false, &pa, NULL), TLB_HIT);
        assert_int_equal(pa, pa1);
        assert_int_equal(tlb_lookup(t, va + 2 * size - 1, 5, false, &pa, NULL), TLB_HIT);
        assert_int_equal(pa, pa1 + size - 1);
        assert_int_equal(tlb_lookup(t, va + 2 * size, 5, false, &pa, NULL), TLB_REFILL);
        assert_int_equal(tlb_lookup(t, va - 4, 5, false, &pa, NULL), TLB_REFILL);
        assert_int_equal(tlb_probe(t, (va + 2 * size - 4096) | 5), 7);
        assert_int_equal(tlb_probe(t, (va + 2 * size) | 5), -1);
    }
    tlb_write(t, 7, 0x80000000u, 0, 0, 0);
}

static void test_pfn_bits_inside_large_page_ignored(void **s)
{
    tlb *t = *s;
    /* 16 KB pages: PFN low bits that fall inside the page are ignored */
    tlb_write(t, 2, 0x00400000u, 0x6000u, LO(0x123000, 2), LO(0x456000, 2));
    uint64_t pa;
    assert_int_equal(tlb_lookup(t, 0x00400010u, 0, false, &pa, NULL), TLB_HIT);
    assert_int_equal(pa, 0x120010);
    assert_int_equal(tlb_lookup(t, 0x00404010u, 0, false, &pa, NULL), TLB_HIT);
    assert_int_equal(pa, 0x454010);
    tlb_write(t, 2, 0x80000000u, 0, 0, 0);
}

static void test_asid_global(void **s)
{
    tlb *t = *s;
    uint64_t pa;
    tlb_write(t, 0, 0x10000000u | 7, 0, LO(0x1000, 6), LO(0x2000, 6));
    tlb_write(t, 1, 0x20000000u | 9, 0, LO(0x3000, 7), LO(0x4000, 7));
    tlb_write(t, 5, 0x30000000u | 9, 0, LO(0x5000, 7), LO(0x6000, 6)); /* half global */
    assert_int_equal(tlb_lookup(t, 0x10000004u, 7, false, &pa, NULL), TLB_HIT);
    assert_int_equal(pa, 0x1004);
    assert_int_equal(tlb_lookup(t, 0x10000004u, 8, false, &pa, NULL), TLB_REFILL);
    assert_int_equal(tlb_lookup(t, 0x20001008u, 200, false, &pa, NULL), TLB_HIT);
    assert_int_equal(pa, 0x4008);
    assert_int_equal(tlb_lookup(t, 0x30000000u, 9, false, &pa, NULL), TLB_HIT);
    assert_int_equal(tlb_lookup(t, 0x30000000u, 10, false, &pa, NULL), TLB_REFILL);
    assert_int_equal(tlb_probe(t, 0x10000000u | 7), 0);
    assert_int_equal(tlb_probe(t, 0x10000000u | 6), -1);
    assert_int_equal(tlb_probe(t, 0x20000000u | 1), 1);
    /* the first matching entry wins */
    tlb_write(t, 6, 0x10000000u | 7, 0, LO(0x9000, 6), LO(0x9000, 6));
    assert_int_equal(tlb_probe(t, 0x10000000u | 7), 0);
    for (int i = 0; i < 7; i++)
        tlb_write(t, i, 0x80000000u + ((uint32_t)i << 13), 0, 0, 0);
}

static void test_valid_dirty(void **s)
{
    tlb *t = *s;
    uint64_t pa = 0xdead;
    tlb_write(t, 9, 0x00800000u, 0, LO(0x7000, ENTRYLO_V), LO(0x8000, ENTRYLO_D));
    assert_int_equal(tlb_lookup(t, 0x00800000u, 0, false, &pa, NULL), TLB_HIT);
    assert_int_equal(pa, 0x7000);
    assert_int_equal(tlb_lookup(t, 0x00800000u, 0, true, &pa, NULL), TLB_MODIFIED);
    assert_int_equal(tlb_lookup(t, 0x00801000u, 0, false, &pa, NULL), TLB_INVALID);
    assert_int_equal(tlb_lookup(t, 0x00801000u, 0, true, &pa, NULL), TLB_INVALID);
    tlb_write(t, 9, 0x00800000u, 0, LO(0x7000, ENTRYLO_V | ENTRYLO_D), 0);
    assert_int_equal(tlb_lookup(t, 0x00800ffcu, 0, true, &pa, NULL), TLB_HIT);
    assert_int_equal(pa, 0x7ffc);
    tlb_write(t, 9, 0x80000000u, 0, 0, 0);
    (void)VDG;
}

/* Lookups remember the matching entry (tlb.h's hints); a write must never leave one
 * that gives another answer than the linear search would. */
static void test_hints_follow_writes(void **s)
{
    tlb *t = *s;
    uint64_t pa;
    uint32_t va = 0x00402000u;
    tlb_write(t, 9, va | 7, 0, LO(0x300000, 6), LO(0x301000, 6));
    assert_int_equal(tlb_lookup(t, va, 7, false, &pa, NULL), TLB_HIT);   /* hint: 9 */
    assert_int_equal(pa, 0x300000u);
    tlb_write(t, 9, va | 7, 0, LO(0x500000, 6), LO(0x501000, 6));        /* rewritten */
    assert_int_equal(tlb_lookup(t, va, 7, false, &pa, NULL), TLB_HIT);
    assert_int_equal(pa, 0x500000u);
    /* a second match at a lower index: the first in index order wins, as without hints */
    tlb_write(t, 2, va | 7, 0, LO(0x600000, 6), LO(0x601000, 6));
    assert_int_equal(tlb_lookup(t, va + 4, 7, false, &pa, NULL), TLB_HIT);
    assert_int_equal(pa, 0x600004u);
    tlb_write(t, 2, 0x80000000u, 0, 0, 0);                               /* gone again */
    assert_int_equal(tlb_lookup(t, va, 7, false, &pa, NULL), TLB_HIT);
    assert_int_equal(pa, 0x500000u);
    /* another ASID is another key */
    assert_int_equal(tlb_lookup(t, va, 8, false, &pa, NULL), TLB_REFILL);
    tlb_write(t, 9, 0x80000000u, 0, 0, 0);
    assert_int_equal(tlb_lookup(t, va, 7, false, &pa, NULL), TLB_REFILL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_bounds),
        cmocka_unit_test_setup_teardown(test_write_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pfn_bits_inside_large_page_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_asid_global, setup, teardown),
        cmocka_unit_test_setup_teardown(test_valid_dirty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hints_follow_writes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
