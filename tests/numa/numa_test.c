/* Unit tests for numa/: topology (synthetic and host), pools, policies, placement. */
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "numa/host.h"
#include "numa/policy.h"
#include "numa/pool.h"
#include "numa/topology.h"

static void test_topology_synthetic(void **state)
{
    (void)state;
    struct numa_topology *t;
    assert_int_equal(numa_topology_create_synthetic(&t, "pack:2 [numa] core:2 pu:1"), 0);
    assert_int_equal(numa_topology_nodes(t), 2);
    assert_int_equal(numa_topology_cpus(t), 4);
    assert_int_equal(numa_topology_cpus_on_node(t, 0), 2);
    assert_int_equal(numa_topology_cpus_on_node(t, 1), 2);
    assert_int_equal(numa_topology_cpu_node(t, 0), 0);
    assert_int_equal(numa_topology_cpu_node(t, 1), 0);
    assert_int_equal(numa_topology_cpu_node(t, 2), 1);
    assert_int_equal(numa_topology_cpu_node(t, 3), 1);
    assert_int_equal(numa_topology_node_cpu(t, 1, 1), 3);
    assert_int_equal(numa_topology_distance(t, 0, 0), NUMA_DISTANCE_LOCAL);
    assert_int_equal(numa_topology_distance(t, 0, 1), NUMA_DISTANCE_REMOTE);
    assert_true(numa_topology_all_nodes(t) == 3);
    assert_int_equal(numa_topology_cpu_node(t, 4), -EINVAL);
    assert_int_equal(numa_topology_distance(t, 0, 2), -EINVAL);
    assert_int_equal(numa_topology_cpus_on_node(t, 2), -EINVAL);
    numa_topology_destroy(t);
}

static void test_topology_nodes_and_errors(void **state)
{
    (void)state;
    struct numa_topology *t;
    assert_int_equal(numa_topology_create_nodes(&t, 4, 2), 0);
    assert_int_equal(numa_topology_nodes(t), 4);
    assert_int_equal(numa_topology_cpus(t), 8);
    for (unsigned c = 0; c < 8; c++)
        assert_int_equal(numa_topology_cpu_node(t, c), (int)(c / 2));
    assert_int_equal(numa_topology_set_distance(t, 0, 3, 40, 1), 0);
    assert_int_equal(numa_topology_distance(t, 3, 0), 40);
    assert_int_equal(numa_topology_set_distance(t, 0, 3, 0, 1), -EINVAL);
    assert_int_equal(numa_topology_node_os_index(t, 2), 2);
    numa_topology_destroy(t);
    assert_int_equal(numa_topology_create_nodes(&t, 0, 2), -EINVAL);
    assert_int_equal(numa_topology_create_nodes(&t, 65, 1), -EINVAL);
    assert_int_equal(numa_topology_create_synthetic(&t, "bogus:zz"), -EINVAL);
    assert_int_equal(numa_topology_create_synthetic(&t, ""), -EINVAL);
}

static void test_topology_host(void **state)
{
    (void)state;
    struct numa_topology *t;
    assert_int_equal(numa_topology_create_host(&t), 0);
    assert_true(numa_topology_nodes(t) >= 1);
    assert_true(numa_topology_cpus(t) >= 1);
    unsigned sum = 0;
    for (unsigned n = 0; n < numa_topology_nodes(t); n++)
        sum += (unsigned)numa_topology_cpus_on_node(t, n);
    assert_int_equal(sum, numa_topology_cpus(t));
    assert_true(numa_topology_distance(t, 0, 0) > 0);
    numa_topology_destroy(t);
}

static void test_pool_alloc_free(void **state)
{
    (void)state;
    struct numa_topology *t;
    struct numa_pool *p;
    assert_int_equal(numa_topology_create_nodes(&t, 2, 1), 0);
    assert_int_equal(numa_pool_create(&p, t), 0);
    assert_int_equal(numa_pool_add_range(p, 1, 100, 4), 0);
    assert_int_equal(numa_pool_add_range(p, 0, 0, 4), 0);
    assert_int_equal(numa_pool_add_range(p, 0, 102, 4), -EEXIST);
    assert_int_equal(numa_pool_add_range(p, 2, 200, 4), -EINVAL);
    assert_int_equal(numa_pool_frame_limit(p), 104);
    assert_int_equal(numa_pool_frame_node(p, 101), 1);
    assert_int_equal(numa_pool_frame_node(p, 50), -EINVAL);
    uint64_t f;
    unsigned node;
    assert_int_equal(numa_pool_alloc(p, 1, &f, &node), 0);
    assert_int_equal(f, 100);              /* lowest frame first */
    assert_int_equal(node, 1);
    assert_int_equal(numa_pool_is_allocated(p, 100), 1);
    assert_int_equal(numa_pool_free_count(p, 1), 3);
    assert_int_equal(numa_pool_free(p, 100), 0);
    assert_int_equal(numa_pool_free(p, 100), -EINVAL);   /* double free refused */
    assert_int_equal(numa_pool_free(p, 7), -EINVAL);     /* unknown frame */
    assert_int_equal(numa_pool_free_count(p, 1), 4);
    /* Exhaust node 1: alloc falls back to node 0, alloc_exact does not. */
    for (int i = 0; i < 4; i++)
        assert_int_equal(numa_pool_alloc_exact(p, 1, &f), 0);
    assert_int_equal(numa_pool_alloc_exact(p, 1, &f), -ENOMEM);
    assert_int_equal(numa_pool_alloc(p, 1, &f, &node), 0);
    assert_int_equal(node, 0);
    assert_int_equal(numa_pool_allocated_total(p), 5);
    for (int i = 0; i < 3; i++)
        assert_int_equal(numa_pool_alloc(p, 0, &f, NULL), 0);
    assert_int_equal(numa_pool_alloc(p, 0, &f, NULL), -ENOMEM);
    assert_int_equal(numa_pool_total_count(p, 0), 4);
    numa_pool_destroy(p);
    numa_topology_destroy(t);
}

static void test_pool_fallback_by_distance(void **state)
{
    (void)state;
    struct numa_topology *t;
    struct numa_pool *p;
    assert_int_equal(numa_topology_create_nodes(&t, 4, 1), 0);
    /* A line 0-1-2-3: distance grows with |a-b|. */
    for (unsigned a = 0; a < 4; a++)
        for (unsigned b = 0; b < 4; b++)
            numa_topology_set_distance(t, a, b, 10 + 10 * (a > b ? a - b : b - a), 0);
    assert_int_equal(numa_pool_create(&p, t), 0);
    unsigned order[4];
    assert_int_equal(numa_pool_fallback_order(p, 3, order, 4), 4);
    assert_int_equal(order[0], 3);
    assert_int_equal(order[1], 2);
    assert_int_equal(order[2], 1);
    assert_int_equal(order[3], 0);
    assert_int_equal(numa_pool_fallback_order(p, 1, order, 4), 4);
    assert_int_equal(order[0], 1);
    assert_int_equal(order[1], 0);            /* tie 0 and 2 broken by node number */
    assert_int_equal(order[2], 2);
    for (unsigned n = 0; n < 4; n++)
        assert_int_equal(numa_pool_add_range(p, n, n * 10, n == 3 ? 0 + 1 : 2), 0);
    uint64_t f;
    unsigned node;
    assert_int_equal(numa_pool_alloc(p, 3, &f, &node), 0);
    assert_int_equal(node, 3);
    assert_int_equal(numa_pool_alloc(p, 3, &f, &node), 0);
    assert_int_equal(node, 2);                /* nearest with a free frame */
    numa_pool_destroy(p);
    numa_topology_destroy(t);
}

/* ---- policies --------------------------------------------------------------------- */
static struct numa_decision decide(struct numa_policy *pol, const uint32_t *misses,
                                   unsigned home, numa_nodemask_t replicas, int written,
                                   uint32_t moves)
{
    struct numa_hot_page ev = { .mfn = 1, .home = home, .replicas = replicas,
                                .misses = misses, .nnodes = 4, .written = written,
                                .moves = moves, .last_move = 0, .now = 100 };
    struct numa_decision d;
    assert_int_equal(numa_policy_decide(pol, &ev, &d), 0);
    return d;
}

static void test_policy_disco(void **state)
{
    (void)state;
    struct numa_policy pol;
    assert_int_equal(numa_policy_init(&pol, "disco", NULL), 0);
    uint32_t cold[4] = { 10, 5, 0, 0 };
    uint32_t one[4] = { 0, 0, 500, 3 };
    uint32_t shared[4] = { 200, 0, 150, 40 };
    struct numa_decision d = decide(&pol, cold, 0, 0, 0, 0);
    assert_int_equal(d.action, NUMA_ACTION_NONE);
    assert_int_equal(d.reason, NUMA_REFUSE_NOT_HOT);
    d = decide(&pol, one, 0, 0, 1, 0);                  /* one user node: migrate */
    assert_int_equal(d.action, NUMA_ACTION_MIGRATE);
    assert_int_equal(d.node, 2);
    d = decide(&pol, one, 2, 0, 0, 0);
    assert_int_equal(d.reason, NUMA_REFUSE_ALREADY_LOCAL);
    d = decide(&pol, one, 0, 0, 0, 4);                  /* moved too often */
    assert_int_equal(d.reason, NUMA_REFUSE_FROZEN);
    d = decide(&pol, shared, 0, 0, 0, 0);               /* read-shared: replicate */
    assert_int_equal(d.action, NUMA_ACTION_REPLICATE);
    assert_true(d.nodes == (NUMA_NODE_BIT(2) | NUMA_NODE_BIT(3)));
    d = decide(&pol, shared, 0, NUMA_NODE_BIT(2), 0, 1);
    assert_true(d.nodes == NUMA_NODE_BIT(3));
    d = decide(&pol, shared, 0, NUMA_NODE_BIT(2) | NUMA_NODE_BIT(3), 0, 1);
    assert_int_equal(d.reason, NUMA_REFUSE_ALREADY_REPLICATED);
    d = decide(&pol, shared, 0, 0, 1, 0);               /* write-shared: leave */
    assert_int_equal(d.reason, NUMA_REFUSE_WRITE_SHARED);
    d = decide(&pol, shared, 0, NUMA_NODE_BIT(2), 1, 1);/* written replicas: collapse */
    assert_int_equal(d.action, NUMA_ACTION_COLLAPSE);
    assert_int_equal(pol.stats.decisions, 9);
    assert_int_equal(pol.stats.migrations, 1);
    assert_int_equal(pol.stats.replications, 2);
    assert_int_equal(pol.stats.replicas, 3);
    assert_int_equal(pol.stats.collapses, 1);
    assert_int_equal(pol.stats.refused[NUMA_REFUSE_NOT_HOT], 1);
    numa_policy_note_failure(&pol, &(struct numa_decision){ .action = NUMA_ACTION_MIGRATE });
    assert_int_equal(pol.stats.migrations, 0);
    assert_int_equal(pol.stats.refused[NUMA_REFUSE_NO_MEMORY], 1);
    assert_string_equal(numa_refusal_name(NUMA_REFUSE_WRITE_SHARED), "write-shared");
}

/* disco: a read-only page hot on one node after it has moved once is read-shared over
 * time: it is replicated there, not migrated again; written, or never moved: migrated. */
static void test_policy_disco_readers_taking_turns(void **state)
{
    (void)state;
    struct numa_policy pol;
    assert_int_equal(numa_policy_init(&pol, "disco", NULL), 0);
    uint32_t m[4] = { 0, 0, 500, 0 };
    struct numa_decision d = decide(&pol, m, 1, 0, 0, 1);
    assert_int_equal(d.action, NUMA_ACTION_REPLICATE);
    assert_int_equal(d.nodes, NUMA_NODE_BIT(2));
    d = decide(&pol, m, 1, 0, 1, 1);                  /* written: it follows its user */
    assert_int_equal(d.action, NUMA_ACTION_MIGRATE);
    d = decide(&pol, m, 1, 0, 0, 0);                  /* first move: a migration */
    assert_int_equal(d.action, NUMA_ACTION_MIGRATE);
    d = decide(&pol, m, 1, NUMA_NODE_BIT(2), 0, 1);   /* has its replica already */
    assert_int_equal(d.reason, NUMA_REFUSE_ALREADY_LOCAL);
    numa_policy_fini(&pol);
    assert_int_equal(numa_policy_init(&pol, "migrate-only", NULL), 0);
    assert_int_equal(decide(&pol, m, 1, 0, 0, 1).action, NUMA_ACTION_MIGRATE);
    numa_policy_fini(&pol);
}

static void test_policy_interval_and_variants(void **state)
{
    (void)state;
    struct numa_policy_params prm;
    numa_policy_default_params(&prm);
    prm.min_interval = 1000;
    struct numa_policy pol;
    assert_int_equal(numa_policy_init(&pol, "disco", &prm), 0);
    uint32_t one[4] = { 0, 300, 0, 0 };
    uint32_t shared[4] = { 200, 0, 150, 0 };
    assert_int_equal(decide(&pol, one, 0, 0, 0, 1).reason, NUMA_REFUSE_TOO_SOON);
    assert_int_equal(decide(&pol, one, 0, 0, 0, 0).action, NUMA_ACTION_MIGRATE);

    assert_int_equal(numa_policy_init(&pol, "none", NULL), 0);
    assert_int_equal(decide(&pol, one, 0, 0, 0, 0).reason, NUMA_REFUSE_POLICY);
    assert_int_equal(numa_policy_init(&pol, "migrate-only", NULL), 0);
    assert_int_equal(decide(&pol, one, 0, 0, 0, 0).action, NUMA_ACTION_MIGRATE);
    assert_int_equal(decide(&pol, shared, 0, 0, 0, 0).reason, NUMA_REFUSE_SHARED);
    assert_int_equal(numa_policy_init(&pol, "replicate-only", NULL), 0);
    assert_int_equal(decide(&pol, one, 0, 0, 0, 0).reason, NUMA_REFUSE_MIGRATION_DISABLED);
    assert_int_equal(decide(&pol, shared, 0, 0, 0, 0).action, NUMA_ACTION_REPLICATE);
    assert_int_equal(numa_policy_init(&pol, "bogus", NULL), -EINVAL);
}

/* ---- thresholds at their boundaries: limit-1, limit, limit+1 ------------------------
 * Params chosen apart from the defaults (and from each other) so each comparison is
 * seen on its own; the defaults' trigger is checked at its boundary too. */
enum { T = 100, S = 20, M = 3, I = 50, NOW = 1000 };

struct ev_spec {
    uint32_t misses[4];
    unsigned home;
    numa_nodemask_t replicas;
    bool written;
    uint32_t moves;
    uint64_t since_move;        /* now - last_move */
};

static struct numa_decision decide_ev(struct numa_policy *pol, const struct ev_spec *e)
{
    struct numa_hot_page ev = { .mfn = 9, .home = e->home, .replicas = e->replicas,
                                .misses = e->misses, .nnodes = 4, .written = e->written,
                                .moves = e->moves, .last_move = NOW - e->since_move,
                                .now = NOW };
    struct numa_decision d;
    assert_int_equal(numa_policy_decide(pol, &ev, &d), 0);
    return d;
}

static void boundary_policy(struct numa_policy *pol, uint32_t max_moves, uint64_t min_interval)
{
    struct numa_policy_params p = { .trigger_threshold = T, .sharing_threshold = S,
                                    .max_moves = max_moves, .min_interval = min_interval };
    assert_int_equal(numa_policy_init(pol, "disco", &p), 0);
}

static void expect_migrate(struct numa_policy *pol, const struct ev_spec *e, unsigned node)
{
    struct numa_decision d = decide_ev(pol, e);
    assert_int_equal(d.action, NUMA_ACTION_MIGRATE);
    assert_int_equal(d.node, node);
}

static void expect_refused(struct numa_policy *pol, const struct ev_spec *e,
                           enum numa_refusal why)
{
    struct numa_decision d = decide_ev(pol, e);
    assert_int_equal(d.action, NUMA_ACTION_NONE);
    assert_int_equal(d.reason, why);
}

static void test_policy_trigger_boundary(void **state)
{
    (void)state;
    struct numa_policy pol;
    boundary_policy(&pol, 0, 0);
    /* node 2 alone uses a page homed on node 0 */
    expect_refused(&pol, &(struct ev_spec){ .misses = { 0, 0, T - 1, 0 } }, NUMA_REFUSE_NOT_HOT);
    expect_migrate(&pol, &(struct ev_spec){ .misses = { 0, 0, T, 0 } }, 2);
    expect_migrate(&pol, &(struct ev_spec){ .misses = { 0, 0, T + 1, 0 } }, 2);
    /* the trigger looks at the hottest node only, not the sum over nodes */
    expect_refused(&pol, &(struct ev_spec){ .misses = { T - 1, T - 1, T - 1, T - 1 } },
                   NUMA_REFUSE_NOT_HOT);
    /* a written, replicated page below the trigger is left (not collapsed) */
    expect_refused(&pol, &(struct ev_spec){ .misses = { 0, 0, T - 1, 0 },
                   .replicas = NUMA_NODE_BIT(2), .written = true }, NUMA_REFUSE_NOT_HOT);
    assert_int_equal(decide_ev(&pol, &(struct ev_spec){ .misses = { 0, 0, T, 0 },
                     .replicas = NUMA_NODE_BIT(2), .written = true }).action,
                     NUMA_ACTION_COLLAPSE);
    /* the default trigger (128), at its boundary */
    assert_int_equal(numa_policy_init(&pol, "disco", NULL), 0);
    assert_int_equal(pol.params.trigger_threshold, 128);
    expect_refused(&pol, &(struct ev_spec){ .misses = { 0, 127, 0, 0 } }, NUMA_REFUSE_NOT_HOT);
    expect_migrate(&pol, &(struct ev_spec){ .misses = { 0, 128, 0, 0 } }, 1);
    expect_migrate(&pol, &(struct ev_spec){ .misses = { 0, 129, 0, 0 } }, 1);
}

static void test_policy_sharing_boundary(void **state)
{
    (void)state;
    struct numa_policy pol;
    boundary_policy(&pol, 0, 0);
    /* node 1 is hot; node 3 becomes a sharer at S misses: migrate below, replicate at */
    expect_migrate(&pol, &(struct ev_spec){ .misses = { 0, T, 0, S - 1 } }, 1);
    struct numa_decision d = decide_ev(&pol, &(struct ev_spec){ .misses = { 0, T, 0, S } });
    assert_int_equal(d.action, NUMA_ACTION_REPLICATE);
    assert_true(d.nodes == (NUMA_NODE_BIT(1) | NUMA_NODE_BIT(3)));
    d = decide_ev(&pol, &(struct ev_spec){ .misses = { 0, T, 0, S + 1 } });
    assert_int_equal(d.action, NUMA_ACTION_REPLICATE);
    assert_true(d.nodes == (NUMA_NODE_BIT(1) | NUMA_NODE_BIT(3)));
    /* the home node's own misses make it a sharer the same way */
    expect_migrate(&pol, &(struct ev_spec){ .misses = { S - 1, T, 0, 0 } }, 1);
    d = decide_ev(&pol, &(struct ev_spec){ .misses = { S, T, 0, 0 } });
    assert_int_equal(d.action, NUMA_ACTION_REPLICATE);
    assert_true(d.nodes == NUMA_NODE_BIT(1));
    /* written: one sharer still migrates, two are write-shared */
    expect_migrate(&pol, &(struct ev_spec){ .misses = { 0, T, 0, S - 1 }, .written = true }, 1);
    expect_refused(&pol, &(struct ev_spec){ .misses = { 0, T, 0, S }, .written = true },
                   NUMA_REFUSE_WRITE_SHARED);
}

static void test_policy_max_moves_boundary(void **state)
{
    (void)state;
    struct numa_policy pol;
    boundary_policy(&pol, M, 0);
    /* written: an unwritten page that moved before gets a replica instead (disco) */
    struct ev_spec e = { .misses = { 0, 0, 0, T }, .moves = M - 1, .written = true };
    expect_migrate(&pol, &e, 3);
    e.moves = M;
    expect_refused(&pol, &e, NUMA_REFUSE_FROZEN);
    e.moves = M + 1;
    expect_refused(&pol, &e, NUMA_REFUSE_FROZEN);
    /* frozen pages are not replicated either */
    struct ev_spec sh = { .misses = { 0, S, 0, T }, .moves = M };
    expect_refused(&pol, &sh, NUMA_REFUSE_FROZEN);
    sh.moves = M - 1;
    assert_int_equal(decide_ev(&pol, &sh).action, NUMA_ACTION_REPLICATE);
    /* max_moves 0: never frozen */
    boundary_policy(&pol, 0, 0);
    e.moves = 1000000;
    expect_migrate(&pol, &e, 3);
}

static void test_policy_min_interval_boundary(void **state)
{
    (void)state;
    struct numa_policy pol;
    boundary_policy(&pol, 0, I);
    struct ev_spec e = { .misses = { 0, 0, 0, T }, .moves = 1, .written = true };
    e.since_move = I - 1;
    expect_refused(&pol, &e, NUMA_REFUSE_TOO_SOON);
    e.since_move = I;
    expect_migrate(&pol, &e, 3);
    e.since_move = I + 1;
    expect_migrate(&pol, &e, 3);
    /* a page that never moved is not rate-limited, whatever its last_move says */
    e.moves = 0;
    e.since_move = 0;
    expect_migrate(&pol, &e, 3);
    /* min_interval 0: no limit */
    boundary_policy(&pol, 0, 0);
    e.moves = 5;
    expect_migrate(&pol, &e, 3);
    /* both limits: the freeze is checked at its own boundary while the interval is met */
    boundary_policy(&pol, M, I);
    e.since_move = I;
    e.moves = M - 1;
    expect_migrate(&pol, &e, 3);
    e.moves = M;
    expect_refused(&pol, &e, NUMA_REFUSE_FROZEN);
}

/* autonuma: one sampled fault per event (misses[node] = 1), two in a row from the same
 * node migrate the page there; alternating nodes mark it shared; local faults stay. */
static struct numa_decision fault(struct numa_policy *pol, uint32_t vm, uint64_t gpn,
                                  unsigned node, unsigned home, uint32_t moves)
{
    uint32_t misses[4] = { 0 };
    misses[node] = 1;
    struct numa_page_user u = { .vm = vm, .gpn = gpn };
    struct numa_hot_page ev = { .mfn = 50 + gpn, .home = home, .misses = misses, .nnodes = 4,
                                .moves = moves, .now = 100, .users = &u, .nusers = 1 };
    struct numa_decision d;
    assert_int_equal(numa_policy_decide(pol, &ev, &d), 0);
    return d;
}

static void test_policy_autonuma_two_fault_filter(void **state)
{
    (void)state;
    struct numa_policy pol;
    char err[128];
    assert_int_equal(numa_policy_setup(&pol, numa_policy_ops_by_name("autonuma"), NULL, 4,
                                       NULL, 0, err, sizeof err), 0);
    assert_true(numa_policy_samples(&pol));
    assert_int_equal(fault(&pol, 0, 7, 2, 0, 0).reason, NUMA_REFUSE_NOT_HOT);   /* first */
    struct numa_decision d = fault(&pol, 0, 7, 2, 0, 0);                        /* second */
    assert_int_equal(d.action, NUMA_ACTION_MIGRATE);
    assert_int_equal(d.node, 2);
    assert_int_equal(fault(&pol, 1, 7, 2, 0, 0).reason, NUMA_REFUSE_NOT_HOT);   /* other VM */
    assert_int_equal(fault(&pol, 0, 8, 1, 0, 0).reason, NUMA_REFUSE_NOT_HOT);
    assert_int_equal(fault(&pol, 0, 8, 3, 0, 0).reason, NUMA_REFUSE_SHARED);    /* 1 then 3 */
    assert_int_equal(fault(&pol, 0, 8, 1, 0, 0).reason, NUMA_REFUSE_SHARED);
    assert_int_equal(fault(&pol, 0, 9, 0, 0, 0).reason, NUMA_REFUSE_ALREADY_LOCAL);
    assert_int_equal(fault(&pol, 0, 9, 0, 0, 0).reason, NUMA_REFUSE_ALREADY_LOCAL);
    fault(&pol, 0, 10, 3, 0, 4);
    assert_int_equal(fault(&pol, 0, 10, 3, 0, 4).reason, NUMA_REFUSE_FROZEN);   /* max_moves */
    uint32_t none[4] = { 0 };
    struct numa_hot_page ev = { .mfn = 1, .misses = none, .nnodes = 4 };
    assert_int_equal(numa_policy_decide(&pol, &ev, &d), 0);
    assert_int_equal(d.action, NUMA_ACTION_NONE);
    assert_int_equal(pol.stats.migrations, 1);
    char rep[256];
    assert_int_equal(numa_policy_report(&pol, rep, sizeof rep), 0);
    assert_non_null(strstr(rep, "\"two_fault_migrations\": 1"));
    numa_policy_fini(&pol);
    struct numa_policy disco;
    assert_int_equal(numa_policy_init(&disco, "disco", NULL), 0);
    assert_false(numa_policy_samples(&disco));
    numa_policy_fini(&disco);
}

static void test_placement(void **state)
{
    (void)state;
    struct numa_placement pl;
    assert_int_equal(numa_placement_parse(&pl, "first-touch", 4), 0);
    assert_int_equal(numa_placement_choose(&pl, 3), 3);
    assert_int_equal(numa_placement_parse(&pl, "round-robin", 3), 0);
    assert_int_equal(numa_placement_choose(&pl, 0), 0);
    assert_int_equal(numa_placement_choose(&pl, 0), 1);
    assert_int_equal(numa_placement_choose(&pl, 0), 2);
    assert_int_equal(numa_placement_choose(&pl, 0), 0);
    assert_int_equal(numa_placement_parse(&pl, "fixed:2", 4), 0);
    assert_int_equal(numa_placement_choose(&pl, 0), 2);
    assert_int_equal(numa_placement_parse(&pl, "fixed:4", 4), -EINVAL);
    assert_int_equal(numa_placement_parse(&pl, "nearest", 4), -EINVAL);
    assert_int_equal(numa_placement_choose(&pl, 9), -EINVAL);
}

static void test_host_memory(void **state)
{
    (void)state;
    void *m;
    assert_int_equal(numa_host_alloc(&m, 3 * 4096 + 1, -1), -EINVAL);
    assert_int_equal(numa_host_alloc(&m, 3 * 4096 + 1, numa_host_max_node() + 1), -EINVAL);
    assert_int_equal(numa_host_alloc(&m, 3 * 4096 + 1, 0), 0);
    ((char *)m)[5000] = 42;
    if (numa_host_available()) {
        assert_int_equal(numa_host_page_node((char *)m + 5000), 0);
        assert_int_equal(numa_host_move_page((char *)m + 5000, 0), 0);
        assert_int_equal(((char *)m)[5000], 42);
        assert_int_equal(numa_host_move_page(m, numa_host_max_node() + 1), -EINVAL);
    } else {
        assert_int_equal(numa_host_page_node(m), -ENOSYS);
    }
    numa_host_free(m, 3 * 4096 + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_topology_synthetic),
        cmocka_unit_test(test_topology_nodes_and_errors),
        cmocka_unit_test(test_topology_host),
        cmocka_unit_test(test_pool_alloc_free),
        cmocka_unit_test(test_pool_fallback_by_distance),
        cmocka_unit_test(test_policy_disco),
        cmocka_unit_test(test_policy_disco_readers_taking_turns),
        cmocka_unit_test(test_policy_interval_and_variants),
        cmocka_unit_test(test_policy_trigger_boundary),
        cmocka_unit_test(test_policy_sharing_boundary),
        cmocka_unit_test(test_policy_max_moves_boundary),
        cmocka_unit_test(test_policy_min_interval_boundary),
        cmocka_unit_test(test_policy_autonuma_two_fault_filter),
        cmocka_unit_test(test_placement),
        cmocka_unit_test(test_host_memory),
    };
    return cmocka_run_group_tests_name("numa", tests, NULL, NULL);
}
