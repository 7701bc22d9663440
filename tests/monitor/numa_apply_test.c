/*
 * numa_apply_test.c - the monitor's hot-page apply path (monitor/numa.c) on a real small
 * NUMA machine: 2 nodes of 1 CPU, VM "t" with 2 vCPUs loaded on CPUs 0 and 1, and VM
 * "u" to share a page with. Hot-page events are queued and drained as the board's
 * counters would deliver them; each test checks the memmap, both CPUs' real TLBs (the
 * backmap shootdowns, with an IPI for the other CPU), the policy statistics and the
 * --numa-trace line: migration, replication, collapse on write (by the guest's store
 * and by the policy), and the cow-shared refusal; and LL links on a frame the page
 * leaves (migration, collapse, COW break) dropped, links on frames it keeps kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "monitor/internal.h"
#include "pmap/memmap.h"

#define KWIN 0xC0000000u
#define GPN  0x10u
#define HOT  1000u             /* above any default threshold */

static struct mon *mon;
static struct vm *vm, *vm2;
static char trace_path[64];

static int setup(void **s)
{
    (void)s;
    struct mon_config cfg;
    mon_config_defaults(&cfg);
    cfg.board.nodes = 2;
    cfg.board.cpus_per_node = 1;
    cfg.board.mem_per_node = 8u << 20;
    cfg.board.cache_model = false;
    snprintf(trace_path, sizeof trace_path, "/tmp/numa_apply_test.%d", (int)getpid());
    cfg.numa_trace = trace_path;
    char err[200];
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    assert_int_equal(mon_create(&mon, &cfg, NULL, null, err, sizeof err), 0);
    struct vm_config vc = { .name = "t", .mem_bytes = 1u << 20, .vcpus = 2, .node = 0 };
    assert_int_equal(mon_add_vm(mon, &vc, err, sizeof err), 0);
    struct vm_config vc2 = { .name = "u", .mem_bytes = 1u << 20, .vcpus = 1, .node = 0 };
    assert_int_equal(mon_add_vm(mon, &vc2, err, sizeof err), 0);
    mon->err = null;
    vm = mon->vms[0];
    vm2 = mon->vms[1];
    for (int i = 0; i < 2; i++) {
        vcpu_reset(vm->vcpus[i], 0xC0001000u);
        vm->vcpus[i]->cp0.status = 0;
        vcpu_load(&mon->pcpus[i], vm->vcpus[i]);
    }
    return 0;
}

static int teardown(void **s)
{
    (void)s;
    mon_destroy(mon);
    unlink(trace_path);
    return 0;
}

/* A kernel-window access to gpn from CPU i (read: refill; write: a Mod fault). */
static void touch(int i, uint32_t gpn, bool write)
{
    struct pcpu *p = &mon->pcpus[i];
    cpu_exception e = { .code = write ? EXC_MOD : EXC_TLBL, .epc = 0xC0001000u,
                        .next_pc = 0xC0001004u, .mode = CPU_MODE_SUPERVISOR,
                        .badvaddr = KWIN + (gpn << 12), .refill = !write };
    vtlb_miss(p, p->cur, &e);
}

/* The machine frame CPU i's real TLB maps gpn's kernel-window page to, or -1. */
static int64_t tlb_frame(int i, uint32_t gpn, bool write)
{
    cpu *c = mon->pcpus[i].c;
    uint64_t pa;
    uint8_t asid = (uint8_t)(c->cp0.entryhi & 0xff);
    if (tlb_lookup(&c->tlb, KWIN + (gpn << 12), asid, write, &pa, NULL) != TLB_HIT)
        return -1;
    return (int64_t)(pa >> 12);
}

static uint64_t frame_of(struct vm *w, uint32_t gpn)
{
    return pmap_entry_get(w->pmap, gpn)->mfn;
}

/* Deliver one hot-page event for gpn's master frame on CPU 0. */
static void hot(uint32_t gpn, uint32_t n0, uint32_t n1, bool written)
{
    hotpage_event ev = { .page = frame_of(vm, gpn), .node = n1 > n0, .cpu = 0, .nodes = 2,
                         .counts = { n0, n1 }, .written = written };
    mon->numa.queue[mon->numa.queued++] = ev;
    mon->m.running = mon->pcpus[0].c;                 /* handled on CPU 0's turn */
    mon_numa_drain(&mon->pcpus[0]);
    mon->m.running = NULL;
}

/* The last line of the trace. */
static void last_trace(char *line, size_t len)
{
    fflush(mon->numa.trace);
    FILE *f = fopen(trace_path, "r");
    assert_non_null(f);
    line[0] = 0;
    char buf[1024];
    while (fgets(buf, sizeof buf, f))
        snprintf(line, len, "%s", buf);
    fclose(f);
}

static void both_cpus_map(uint32_t gpn)
{
    touch(0, gpn, false);
    touch(1, gpn, false);
    assert_true(tlb_frame(0, gpn, false) >= 0);
    assert_true(tlb_frame(1, gpn, false) >= 0);
}

static void test_migration_shoots_down_both_cpus(void **s)
{
    (void)s;
    both_cpus_map(GPN);
    uint64_t old = frame_of(vm, GPN), ipis = mon->shootdown_ipis;
    assert_int_equal(pmap_entry_get(vm->pmap, GPN)->node, 0);
    hot(GPN, 0, HOT, false);                          /* only node 1 misses: migrate */
    assert_int_equal(mon->numa.policy.stats.migrations, 1);
    assert_int_not_equal(frame_of(vm, GPN), old);
    assert_int_equal(pmap_entry_get(vm->pmap, GPN)->node, 1);
    assert_int_equal(pmap_backmap_count(vm->pmap, GPN), 0);
    assert_int_equal(tlb_frame(0, GPN, false), -1);   /* both CPUs' entries shot down */
    assert_int_equal(tlb_frame(1, GPN, false), -1);
    assert_true(mon->shootdown_ipis > ipis);          /* CPU 1's by IPI */
    touch(1, GPN, false);
    assert_int_equal(tlb_frame(1, GPN, false), (int64_t)frame_of(vm, GPN));
    char line[1024];
    last_trace(line, sizeof line);
    assert_non_null(strstr(line, "\"action\": \"migrate\""));
    assert_non_null(strstr(line, "\"vm\": \"t\""));
    assert_non_null(strstr(line, "\"misses\": [0, 1000]"));
    char want[96];
    snprintf(want, sizeof want, "\"mfn_from\": %llu, \"mfn_to\": %llu", (unsigned long long)old,
             (unsigned long long)frame_of(vm, GPN));
    assert_non_null(strstr(line, want));
    uint64_t cost = strtoull(strstr(line, "\"cost\": ") + 8, NULL, 10);
    assert_true(cost >= mon->costs.cycles[COST_PAGE_COPY] + mon->costs.cycles[COST_SHOOTDOWN]);
    assert_int_equal(memmap_check(mon->mm, NULL, 0), 0);
}

static void test_replication_then_collapse_on_write(void **s)
{
    (void)s;
    both_cpus_map(GPN);
    uint64_t master = frame_of(vm, GPN);
    hot(GPN, HOT, HOT, false);                        /* read-shared by both nodes */
    assert_int_equal(mon->numa.policy.stats.replications, 1);
    assert_int_equal(memmap_get_stats(mon->mm)->frames_replica, 1);
    assert_int_equal(frame_of(vm, GPN), master);
    assert_int_equal(tlb_frame(0, GPN, false), -1);   /* writable entries gone everywhere */
    assert_int_equal(tlb_frame(1, GPN, false), -1);
    touch(0, GPN, false);
    touch(1, GPN, false);
    int64_t f0 = tlb_frame(0, GPN, false), f1 = tlb_frame(1, GPN, false);
    assert_int_equal(f0, (int64_t)master);            /* node 0: the master */
    assert_true(f1 >= 0 && f1 != (int64_t)master);    /* node 1: its local replica */
    assert_int_equal(tlb_frame(0, GPN, true), -1);    /* read-only while replicated */
    assert_int_equal(tlb_frame(1, GPN, true), -1);
    touch(1, GPN, true);                              /* a store: collapse, unseen */
    assert_int_equal(memmap_get_stats(mon->mm)->frames_replica, 0);
    assert_int_equal(tlb_frame(0, GPN, false), -1);   /* CPU 0's copy was shot down too */
    assert_int_equal(tlb_frame(1, GPN, true), (int64_t)master);
    assert_int_equal(mon->vms[0]->vcpus[1]->stats.forwarded[EXC_MOD], 0);
    assert_int_equal(memmap_check(mon->mm, NULL, 0), 0);
}

static void test_policy_collapses_written_replicas(void **s)
{
    (void)s;
    both_cpus_map(GPN);
    hot(GPN, HOT, HOT, false);
    assert_int_equal(memmap_get_stats(mon->mm)->frames_replica, 1);
    hot(GPN, HOT, HOT, true);                         /* written since: collapse */
    assert_int_equal(mon->numa.policy.stats.collapses, 1);
    assert_int_equal(memmap_get_stats(mon->mm)->frames_replica, 0);
    char line[1024];
    last_trace(line, sizeof line);
    assert_non_null(strstr(line, "\"action\": \"collapse\""));
    assert_non_null(strstr(line, "\"written\": true"));
}

static void test_cow_shared_across_vms_is_refused(void **s)
{
    (void)s;
    both_cpus_map(GPN);
    assert_int_equal(pmap_share_cow(vm->pmap, GPN, vm2->pmap, 0x30), 0);
    uint64_t shared = frame_of(vm, GPN);
    assert_int_equal(frame_of(vm2, 0x30), shared);
    hot(GPN, 0, HOT, false);
    assert_int_equal(frame_of(vm, GPN), shared);      /* not moved */
    assert_int_equal(mon->numa.policy.stats.migrations, 0);
    assert_int_equal(mon->numa.policy.stats.refused[NUMA_REFUSE_COW_SHARED], 1);
    char line[1024];
    last_trace(line, sizeof line);
    assert_non_null(strstr(line, "\"reason\": \"cow-shared\""));
    assert_non_null(strstr(line, "\"users\": 2"));
}

/* CPU i's LL link on the word at machine frame mfn, offset off (as an LL would leave
 * it), through the public context calls. */
static void link_word(int i, uint64_t mfn, unsigned off)
{
    cpu_context ctx;
    cpu_context_save(mon->pcpus[i].c, &ctx);
    ctx.llbit = true;
    ctx.lladdr = (mfn << 12) + off;
    cpu_context_restore(mon->pcpus[i].c, &ctx);
    assert_true(mon->pcpus[i].c->llbit);
}

static void test_migration_drops_links_on_the_old_frame(void **s)
{
    (void)s;
    both_cpus_map(GPN);
    both_cpus_map(GPN + 2);
    link_word(1, frame_of(vm, GPN), 8);               /* an LL, then the page moves */
    link_word(0, frame_of(vm, GPN + 2), 8);           /* another page: not moved */
    hot(GPN, 0, HOT, false);
    assert_int_equal(mon->numa.policy.stats.migrations, 1);
    assert_false(mon->pcpus[1].c->llbit);             /* its SC must fail */
    assert_true(mon->pcpus[0].c->llbit);
}

static void test_collapse_drops_links_on_replicas_only(void **s)
{
    (void)s;
    both_cpus_map(GPN);
    uint64_t master = frame_of(vm, GPN);
    hot(GPN, HOT, HOT, false);
    touch(1, GPN, false);
    int64_t replica = tlb_frame(1, GPN, false);
    assert_true(replica >= 0 && replica != (int64_t)master);
    link_word(0, master, 4);                          /* LL of the master on node 0 */
    link_word(1, (uint64_t)replica, 4);               /* LL of the replica on node 1 */
    touch(0, GPN, true);                              /* CPU 0's SC: collapse */
    assert_int_equal(memmap_get_stats(mon->mm)->frames_replica, 0);
    assert_true(mon->pcpus[0].c->llbit);              /* the master still holds the page */
    assert_false(mon->pcpus[1].c->llbit);             /* the replica is gone */
}

static void test_cow_break_drops_links_on_the_shared_frame(void **s)
{
    (void)s;
    both_cpus_map(GPN);
    assert_int_equal(pmap_share_cow(vm->pmap, GPN, vm2->pmap, 0x30), 0);
    uint64_t shared = frame_of(vm, GPN);
    touch(0, GPN, false);
    link_word(1, shared, 0);
    touch(0, GPN, true);                              /* VM t's write breaks the sharing */
    assert_int_not_equal(frame_of(vm, GPN), shared);
    assert_false(mon->pcpus[1].c->llbit);
}

/* autonuma: a scan unmaps the sampled pages on every CPU (backmaps), the next use is a
 * hinting fault from the toucher's node, and the second one in a row migrates. */
static void start_sampling(void)
{
    char err[128];
    numa_policy_fini(&mon->numa.policy);
    assert_int_equal(numa_policy_setup(&mon->numa.policy, &numa_policy_autonuma_ops, NULL, 2,
                                       NULL, 0, err, sizeof err), 0);
    mon->numa.sampling = true;
    mon->numa.scan_pages = 1000;
    mon->numa.scan_period = 1u << 30;
    mon->numa.scan_cur = mon->numa.scan_period;
    mon->numa.next_scan = 0;                          /* scan at the next fill */
}

static void test_autonuma_samples_faults_and_migrates(void **s)
{
    (void)s;
    both_cpus_map(GPN);
    start_sampling();
    struct mon_numa *n = &mon->numa;
    uint64_t c0 = mon->pcpus[1].c->stats.charged_cycles;
    touch(1, GPN + 2, false);                         /* any fill runs the due scan */
    assert_int_equal(n->scanned, 1);                  /* GPN: the one mapped page */
    assert_int_equal(tlb_frame(0, GPN, false), -1);   /* unmapped everywhere */
    assert_int_equal(tlb_frame(1, GPN, false), -1);
    touch(1, GPN, false);                             /* first fault from node 1 */
    assert_int_equal(n->hint_faults, 1);
    assert_int_equal(pmap_entry_get(vm->pmap, GPN)->node, 0);
    assert_int_equal(n->policy.stats.refused[NUMA_REFUSE_NOT_HOT], 1);
    touch(1, GPN, false);                             /* no mark left: no fault */
    assert_int_equal(n->hint_faults, 1);
    n->next_scan = 0;                                 /* the next period */
    touch(1, GPN + 4, false);                         /* unmapped until now: no fault */
    assert_int_equal(n->scanned, 3);                  /* GPN and GPN + 2 */
    assert_int_equal(tlb_frame(1, GPN, false), -1);
    touch(1, GPN, false);                             /* second fault from node 1 */
    assert_int_equal(n->hint_faults, 2);
    assert_int_equal(n->policy.stats.migrations, 1);
    assert_int_equal(pmap_entry_get(vm->pmap, GPN)->node, 1);
    assert_int_equal(tlb_frame(1, GPN, false), (int64_t)frame_of(vm, GPN));
    uint64_t want = 2 * mon->costs.cycles[COST_NUMA_FAULT] + mon->costs.cycles[COST_NUMA_SCAN] +
                    mon->costs.cycles[COST_PAGE_COPY];
    assert_true(mon->pcpus[1].c->stats.charged_cycles - c0 >= want);
    assert_int_equal(memmap_check(mon->mm, NULL, 0), 0);
}

static void test_single_user_already_local_is_refused(void **s)
{
    (void)s;
    both_cpus_map(GPN);
    uint64_t f = frame_of(vm, GPN);
    hot(GPN, HOT, 0, false);
    assert_int_equal(frame_of(vm, GPN), f);
    assert_int_equal(mon->numa.policy.stats.refused[NUMA_REFUSE_ALREADY_LOCAL], 1);
    assert_true(tlb_frame(1, GPN, false) >= 0);       /* nothing shot down */
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_migration_shoots_down_both_cpus), T(test_replication_then_collapse_on_write),
        T(test_policy_collapses_written_replicas), T(test_cow_shared_across_vms_is_refused),
        T(test_single_user_already_local_is_refused),
        T(test_migration_drops_links_on_the_old_frame),
        T(test_collapse_drops_links_on_replicas_only),
        T(test_cow_break_drops_links_on_the_shared_frame),
        T(test_autonuma_samples_faults_and_migrates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
