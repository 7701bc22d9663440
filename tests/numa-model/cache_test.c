/* cache_test.c - unit tests of the NUMA cache model and the hot-page counters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mips-sim/mem/cache.h"
#include "mips-sim/mem/hotpage.h"

#define MB (1u << 20)

/* Two nodes of 8 MB: node 0 holds [0, 8M), node 1 holds [8M, 16M). */
static int home_of(void *ctx, uint64_t paddr)
{
    (void)ctx;
    return paddr >= 8 * MB;
}

static cache_model cm;
static const int nodes2[2] = { 0, 1 };

static void setup_model(const cache_config *cfg)
{
    assert_int_equal(cache_model_init(&cm, cfg, 2, nodes2, 16 * MB, 200000000, home_of, NULL), 0);
}

static cache_config small_cache(void)
{
    cache_config cfg;
    cache_config_defaults(&cfg);
    cfg.size = 4096;   /* 16 sets of 2 ways of 128 bytes */
    return cfg;
}

static void test_hit_after_miss(void **state)
{
    (void)state;
    cache_config cfg = small_cache();
    setup_model(&cfg);
    assert_int_equal(cache_access(&cm, 0, 0x1000, false, 0), 60);   /* local: 300 ns */
    assert_int_equal(cache_access(&cm, 0, 0x1004, false, 0), 0);    /* same line */
    assert_int_equal(cache_access(&cm, 0, 0x107c, true, 0), 0);     /* exclusive: no upgrade */
    assert_int_equal(cm.cpu[0].stats.hits, 2);
    assert_int_equal(cm.cpu[0].stats.local_misses, 1);
    cache_model_destroy(&cm);
}

static void test_remote_and_uma_latency(void **state)
{
    (void)state;
    cache_config cfg = small_cache();
    setup_model(&cfg);
    assert_int_equal(cache_access(&cm, 0, 9 * MB, false, 0), 180);  /* node 1 page: 900 ns */
    assert_int_equal(cache_access(&cm, 1, 9 * MB + 4096, false, 0), 60);
    assert_int_equal(cm.cpu[0].stats.remote_misses, 1);
    cache_model_destroy(&cm);

    cfg.uma = true;
    setup_model(&cfg);
    assert_int_equal(cache_access(&cm, 0, 9 * MB, false, 0), 60);   /* UMA: all local cost */
    assert_int_equal(cm.cpu[0].stats.remote_misses, 1);             /* still counted remote */
    cache_model_destroy(&cm);
}

static void test_lru_eviction(void **state)
{
    (void)state;
    cache_config cfg = small_cache();
    setup_model(&cfg);
    uint64_t stride = 16 * 128; /* same set */
    cache_access(&cm, 0, 0, false, 0);
    cache_access(&cm, 0, stride, false, 0);
    cache_access(&cm, 0, 0, false, 0);              /* line 0 most recent */
    cache_access(&cm, 0, 2 * stride, false, 0);     /* evicts `stride` */
    assert_int_equal(cache_access(&cm, 0, 0, false, 0), 0);
    assert_int_equal(cache_access(&cm, 0, stride, false, 0), 60);
    assert_int_equal(cm.dir[stride >> 7], 1);       /* directory follows the fill */
    assert_int_equal(cm.dir[(2 * stride) >> 7], 0); /* evicted by the refill of stride */
    cache_model_destroy(&cm);
}

static void test_write_invalidates_other_copies(void **state)
{
    (void)state;
    cache_config cfg = small_cache();
    setup_model(&cfg);
    cache_access(&cm, 0, 0x2000, false, 0);
    cache_access(&cm, 1, 0x2000, false, 0);         /* both share */
    assert_int_equal(cm.dir[0x2000 >> 7], 3);
    assert_int_equal(cache_access(&cm, 1, 0x2000, true, 0), 180); /* upgrade at the home */
    assert_int_equal(cm.cpu[1].stats.upgrades, 1);
    assert_int_equal(cm.dir[0x2000 >> 7], 2);
    assert_int_equal(cache_access(&cm, 0, 0x2000, false, 0), 60);  /* lost: miss again */
    assert_int_equal(cm.cpu[0].stats.inval_misses, 1);
    /* CPU 1's exclusive copy became shared: its next write is an upgrade again. */
    assert_int_equal(cache_access(&cm, 1, 0x2000, true, 0), 180);
    assert_int_equal(cm.cpu[1].stats.upgrades, 2);
    cache_model_destroy(&cm);
}

static void test_bad_config(void **state)
{
    (void)state;
    cache_config cfg = small_cache();
    cfg.line = 100;
    assert_int_equal(cache_model_init(&cm, &cfg, 2, nodes2, 16 * MB, 200000000, home_of, NULL) < 0, 1);
}

static int events;
static hotpage_event last;
static void on_hot(void *ctx, const hotpage_event *ev)
{
    (void)ctx;
    events++;
    last = *ev;
}

static void test_hotpage_threshold_and_reset(void **state)
{
    (void)state;
    hotpage hp;
    hotpage_config cfg = { .threshold = 4, .reset_cycles = 1000, .sample = 1 };
    assert_int_equal(hotpage_init(&hp, &cfg, 16, 2), 0);
    hotpage_set_hook(&hp, on_hot, NULL);
    events = 0;
    hotpage_miss(&hp, 0, 5, 0, false, 10);
    for (int i = 0; i < 3; i++)
        hotpage_miss(&hp, 1, 5, 1, i == 1, 20);
    assert_int_equal(events, 0);
    hotpage_miss(&hp, 1, 5, 1, false, 30);          /* 4th miss from node 1 */
    assert_int_equal(events, 1);
    assert_int_equal(last.page, 5);
    assert_int_equal(last.node, 1);
    assert_int_equal(last.counts[0], 1);
    assert_int_equal(last.counts[1], 4);
    assert_true(last.written);
    hotpage_miss(&hp, 1, 5, 1, false, 40);          /* once per interval */
    assert_int_equal(events, 1);
    hotpage_miss(&hp, 1, 5, 1, false, 1000);        /* the interval ended: reset */
    assert_int_equal(hotpage_count(&hp, 5, 1), 1);
    assert_int_equal(hotpage_count(&hp, 5, 0), 0);
    assert_int_equal(hp.resets, 1);
    hotpage_destroy(&hp);
}

static void test_hotpage_sampling(void **state)
{
    (void)state;
    hotpage hp;
    hotpage_config cfg = { .threshold = 100, .reset_cycles = 1u << 30, .sample = 4 };
    assert_int_equal(hotpage_init(&hp, &cfg, 16, 1), 0);
    for (int i = 0; i < 40; i++)
        hotpage_miss(&hp, 0, 3, 0, false, (uint64_t)i);
    assert_int_equal(hotpage_count(&hp, 3, 0), 10);
    hotpage_miss(&hp, 0, 99, 0, false, 50);         /* outside: ignored */
    hotpage_destroy(&hp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_after_miss),
        cmocka_unit_test(test_remote_and_uma_latency),
        cmocka_unit_test(test_lru_eviction),
        cmocka_unit_test(test_write_invalidates_other_copies),
        cmocka_unit_test(test_bad_config),
        cmocka_unit_test(test_hotpage_threshold_and_reset),
        cmocka_unit_test(test_hotpage_sampling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
