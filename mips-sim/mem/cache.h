/*
 * cache.h - the ccNUMA memory-system model: one tag-only cache per CPU, a directory
 * of sharers per memory line, local/remote miss latency by the line's home node, and
 * the FLASH-style per-page per-node miss counters (hotpage.h).
 *
 * Coherence is invalidation-based (MSI with an exclusive state on a read miss no one
 * else shares): a write that finds the line missing or shared invalidates every other
 * copy named by the directory. A later miss on a line this cache lost to an
 * invalidation counts as an invalidation (coherence) miss.
 *
 * Costs: a hit costs nothing beyond the instruction; a miss or a write upgrade costs
 * the latency of the line's home node as seen from the CPU's node: local_cycles or
 * remote_cycles (with `uma`, every miss costs local_cycles: the ideal UMA machine).
 *
 * Invariants:
 *  - dir[line] has bit c set iff CPU c's cache holds `line` in SHARED or EXCLUSIVE;
 *  - at most one cache holds a line EXCLUSIVE, and then no other cache holds it;
 *  - each set holds a line at most once (in a valid state).
 * Lines outside RAM known at creation time (beyond dir_lines) are not modelled.
 */
#ifndef MIPS_SIM_CACHE_H
#define MIPS_SIM_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mips-sim/arch.h"
#include "mips-sim/mem/hotpage.h"

#define CACHE_MAX_CPUS ARCH_MAX_CPUS

enum cache_state { CACHE_INVALID = 0, CACHE_SHARED = 1, CACHE_EXCLUSIVE = 2, CACHE_LOST = 3 };

typedef struct cache_config {
    uint32_t size;            /* bytes per CPU cache (default 1 MB) */
    uint32_t line;            /* line size in bytes, a power of two (default 128) */
    uint32_t assoc;           /* ways (default 2) */
    uint32_t local_ns;        /* default 300 */
    uint32_t remote_ns;       /* default 900 */
    bool uma;                 /* charge every miss local_ns */
} cache_config;

typedef struct cache_stats {
    uint64_t hits, local_misses, remote_misses, inval_misses, upgrades, stall_cycles;
} cache_stats;

typedef struct cache_way {
    uint32_t tag;             /* line number (physical address / line size) */
    uint8_t state;            /* enum cache_state */
    uint32_t stamp;           /* last use, for LRU */
} cache_way;

typedef struct cache_cpu {
    cache_way *ways;          /* sets * assoc */
    uint32_t clock;           /* LRU stamp source */
    int node;
    cache_stats stats;
} cache_cpu;

typedef struct cache_model {
    cache_config cfg;
    uint32_t sets, line_shift, set_mask;
    uint32_t local_cycles, remote_cycles;
    int ncpus;
    cache_cpu cpu[CACHE_MAX_CPUS];
    uint64_t *dir;            /* sharer mask per memory line */
    uint64_t dir_lines;
    uint8_t *page_home;       /* home node per 4 KB page (pages below dir_lines) */
    hotpage *hot;             /* FLASH counters, NULL when off */
} cache_model;

void cache_config_defaults(cache_config *cfg);

/* Can a cache of this shape exist? The line a power of two from CACHE_MIN_LINE to
 * CACHE_MAX_LINE, at least one way, and the size a power-of-two number of sets of
 * assoc lines. 0, or -EINVAL with one line in `why` naming the bad option and value. */
#define CACHE_MIN_LINE 16u
#define CACHE_MAX_LINE ARCH_PAGE_SIZE
int cache_config_check(const cache_config *cfg, char *why, size_t len);

/*
 * Create the model for `ncpus` CPUs (cpu_node[i]: node of CPU i) over physical memory
 * [0, mem_top), with page_home_fn giving each page's home node. Returns 0 or -errno.
 */
int cache_model_init(cache_model *cm, const cache_config *cfg, int ncpus,
                     const int *cpu_node, uint64_t mem_top, uint64_t clock_hz,
                     int (*page_home_fn)(void *ctx, uint64_t paddr), void *ctx);
void cache_model_destroy(cache_model *cm);

/* One access by CPU `cpu`: returns the stall in cycles (0 on a hit). */
uint32_t cache_access(cache_model *cm, int cpu, uint64_t paddr, bool write, uint64_t now);

/* The common case of cache_access, inline for the engines: a hit that needs no
 * coherence action (a read of a valid line, a write of an exclusive one). Counts it
 * and returns true; false (nothing done) means the access needs cache_access. */
static inline bool cache_hit(cache_model *cm, int cpu, uint64_t paddr, bool write)
{
    uint64_t line = paddr >> cm->line_shift;
    cache_cpu *cc = &cm->cpu[cpu];
    cache_way *set = &cc->ways[(line & cm->set_mask) * cm->cfg.assoc];
    if (line >= cm->dir_lines)
        return false;
    for (uint32_t w = 0; w < cm->cfg.assoc; w++) {
        if (set[w].tag != (uint32_t)line)
            continue;
        /* the line is in the set at most once in a valid state (see above) */
        if (set[w].state == CACHE_EXCLUSIVE || (set[w].state == CACHE_SHARED && !write)) {
            set[w].stamp = ++cc->clock;
            cc->stats.hits++;
            return true;
        }
        if (set[w].state == CACHE_SHARED)
            return false;               /* a write upgrade */
    }
    return false;
}

/* Per-node sums of the CPUs' statistics. */
void cache_node_stats(const cache_model *cm, int node, cache_stats *out);

#endif
