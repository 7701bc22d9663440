/* board_numa.c - nodes of CPUs and memory, the cache model and hot-page counters. */
#include "mips-sim/boards/board_numa.h"

#include "mips-sim/arch.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>

#include "mips-sim/cpu/cpu.h"
#include "numa/topology.h"

void board_numa_config_defaults(board_numa_config *cfg, uint64_t clock_hz)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->nodes = 4;
    cfg->cpus_per_node = 2;
    cfg->mem_per_node = 64u << 20;
    cfg->cache_model = true;
    cache_config_defaults(&cfg->cache);
    hotpage_config_defaults(&cfg->hot, clock_hz);
}

const char *board_numa_check(const board_numa_config *cfg)
{
    _Static_assert(BOARD_NUMA_MAX_NODES == 16 && ARCH_MAX_CPUS == 64, "the messages below");
    if (cfg->nodes < 1 || cfg->nodes > BOARD_NUMA_MAX_NODES)
        return "--nodes must be 1..16";
    if (cfg->cpus_per_node < 1 || cfg->nodes * cfg->cpus_per_node > ARCH_MAX_CPUS)
        return "nodes * cpus-per-node must be 1..64";
    if (cfg->mem_per_node < BOARD_RAM_GRAIN || (cfg->mem_per_node % BOARD_RAM_GRAIN))
        return "--mem-per-node must be a multiple of 1M";
    if (cfg->mem_per_node * (uint64_t)cfg->nodes > BOARD_TEST_DEV_BASE)
        return "nodes * mem-per-node must fit below 0x1f000000 (496M)";
    return NULL;
}

int board_numa_home(const board_numa *bn, uint64_t paddr)
{
    uint64_t node = paddr / bn->cfg.mem_per_node;
    return node < (uint64_t)bn->cfg.nodes ? (int)node : -1;
}

static int board_numa_page_home(void *ctx, uint64_t paddr)
{
    int home = board_numa_home(ctx, paddr);
    return home < 0 ? 0 : home;
}

static int board_numa_add_ram(board_numa *bn)
{
    for (int i = 0; i < bn->cfg.nodes; i++) {
        bn->ram[i] = board_test_alloc_ram(bn->cfg.mem_per_node);
        if (!bn->ram[i])
            return -ENOMEM;
        int rc = bus_add_ram(&bn->m->bus, (uint64_t)i * bn->cfg.mem_per_node,
                             bn->cfg.mem_per_node, bn->ram[i], i, "node-ram");
        if (rc)
            return rc;
    }
    return 0;
}

static int board_numa_add_cache(board_numa *bn)
{
    int cpu_node[ARCH_MAX_CPUS];
    uint64_t top = bn->cfg.mem_per_node * (uint64_t)bn->cfg.nodes;
    for (int i = 0; i < bn->m->ncpus; i++)
        cpu_node[i] = bn->m->cpus[i]->node;
    int rc = cache_model_init(&bn->cache, &bn->cfg.cache, bn->m->ncpus, cpu_node, top,
                              bn->m->cfg.clock_hz, board_numa_page_home, bn);
    if (rc)
        return rc;
    bn->has_cache = true;
    rc = hotpage_init(&bn->hot, &bn->cfg.hot, ARCH_PAGE_NUMBER(top), bn->cfg.nodes);
    if (rc)
        return rc;
    bn->hot.log = bn->cfg.hot_log;
    bn->cache.hot = &bn->hot;
    bn->m->sys.cache = &bn->cache;
    return 0;
}

static void board_numa_stats_cb(void *ctx, FILE *f)
{
    board_numa_write_stats(ctx, f);
}

int board_numa_setup(board_numa *bn, machine *m, const board_numa_config *cfg, FILE *console)
{
    memset(bn, 0, sizeof(*bn));
    if (board_numa_check(cfg) || m->ncpus != cfg->nodes * cfg->cpus_per_node)
        return -EINVAL;
    bn->cfg = *cfg;
    bn->m = m;
    int rc = numa_topology_create_nodes(&bn->topo, (unsigned)cfg->nodes,
                                        (unsigned)cfg->cpus_per_node);
    if (rc)
        return rc;
    for (int i = 0; i < m->ncpus; i++) {
        int node = numa_topology_cpu_node(bn->topo, (unsigned)i);
        if (node < 0)
            return node;
        m->cpus[i]->node = node;
    }
    rc = board_numa_add_ram(bn);
    if (!rc)
        rc = board_test_add_devices(&bn->dev, m, console);
    if (!rc && cfg->cache_model)
        rc = board_numa_add_cache(bn);
    m->board_stats = board_numa_stats_cb;
    m->board_ctx = bn;
    return rc;
}

void board_numa_destroy(board_numa *bn)
{
    if (bn->m)
        bn->m->board_stats = NULL;
    if (bn->has_cache) {
        bn->m->sys.cache = NULL;
        cache_model_destroy(&bn->cache);
        hotpage_destroy(&bn->hot);
    }
    for (int i = 0; i < BOARD_NUMA_MAX_NODES; i++)
        if (bn->ram[i])
            munmap(bn->ram[i], bn->cfg.mem_per_node);
    board_test_destroy(&bn->dev);
    if (bn->topo)
        numa_topology_destroy(bn->topo);
    memset(bn, 0, sizeof(*bn));
}

void board_numa_write_stats(const board_numa *bn, FILE *f)
{
    const machine *m = bn->m;
    fprintf(f, "  \"nodes\": [\n");
    for (int n = 0; n < bn->cfg.nodes; n++) {
        uint64_t insns = 0, cycles = 0, refills = 0, exc = 0;
        int cpus = 0;
        for (int i = 0; i < m->ncpus; i++) {
            const cpu *c = m->cpus[i];
            if (c->node != n)
                continue;
            cpus++;
            insns += c->insns;
            cycles += c->cycles;
            refills += c->stats.tlb_refills;
            for (int e = 0; e < 32; e++)
                exc += c->stats.exceptions[e];
        }
        cache_stats s = { 0 };
        if (bn->has_cache)
            cache_node_stats(&bn->cache, n, &s);
        fprintf(f, "    {\"node\": %d, \"cpus\": %d, \"instructions\": %" PRIu64
                   ", \"cycles\": %" PRIu64 ", \"cache_hits\": %" PRIu64
                   ", \"local_misses\": %" PRIu64 ", \"remote_misses\": %" PRIu64
                   ", \"invalidation_misses\": %" PRIu64 ", \"stall_cycles\": %" PRIu64
                   ", \"tlb_refills\": %" PRIu64 ", \"exceptions\": %" PRIu64
                   ", \"hot_page_events\": %" PRIu64 "}%s\n",
                n, cpus, insns, cycles, s.hits, s.local_misses, s.remote_misses,
                s.inval_misses, s.stall_cycles, refills, exc,
                bn->has_cache ? bn->hot.events_by_node[n] : 0,
                n + 1 < bn->cfg.nodes ? "," : "");
    }
    fprintf(f, "  ],\n  \"hot_page_events\": %" PRIu64 ",\n  \"counter_resets\": %" PRIu64 ",\n",
            bn->has_cache ? bn->hot.events : 0, bn->has_cache ? bn->hot.resets : 0);
}
