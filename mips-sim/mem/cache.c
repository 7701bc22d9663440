/* cache.c - per-CPU tag caches, the sharer directory and miss latency by home node. */
#include "mips-sim/mem/cache.h"
#include "mips-sim/arch.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cache_config_defaults(cache_config *cfg)
{
    cfg->size = 1u << 20;
    cfg->line = 128;
    cfg->assoc = 2;
    cfg->local_ns = 300;
    cfg->remote_ns = 900;
    cfg->uma = false;
}

static bool is_pow2(uint32_t v) { return v && !(v & (v - 1)); }

int cache_config_check(const cache_config *cfg, char *why, size_t len)
{
    uint64_t set_bytes = (uint64_t)cfg->line * cfg->assoc;
    if (!is_pow2(cfg->line) || cfg->line < CACHE_MIN_LINE || cfg->line > CACHE_MAX_LINE)
        snprintf(why, len, "--cache-line %u: the line size must be a power of two from %u "
                 "to %u", cfg->line, CACHE_MIN_LINE, CACHE_MAX_LINE);
    else if (cfg->assoc == 0)
        snprintf(why, len, "--cache-assoc 0: a cache has at least one way");
    else if (set_bytes > cfg->size)
        snprintf(why, len, "--cache-assoc %u: %u ways of %u-byte lines need %" PRIu64
                 " bytes, more than --cache-size %u", cfg->assoc, cfg->assoc, cfg->line,
                 set_bytes, cfg->size);
    else if (cfg->size % set_bytes || !is_pow2((uint32_t)(cfg->size / set_bytes)))
        snprintf(why, len, "--cache-size %u: not a power-of-two number of sets of %u ways "
                 "of %u-byte lines", cfg->size, cfg->assoc, cfg->line);
    else
        return 0;
    return -EINVAL;
}

int cache_model_init(cache_model *cm, const cache_config *cfg, int ncpus,
                     const int *cpu_node, uint64_t mem_top, uint64_t clock_hz,
                     int (*page_home_fn)(void *ctx, uint64_t paddr), void *ctx)
{
    memset(cm, 0, sizeof(*cm));
    char why[160];
    if (ncpus < 1 || ncpus > CACHE_MAX_CPUS || cache_config_check(cfg, why, sizeof(why)))
        return -EINVAL;
    cm->cfg = *cfg;
    cm->ncpus = ncpus;
    cm->sets = cfg->size / (cfg->line * cfg->assoc);
    cm->set_mask = cm->sets - 1;
    cm->line_shift = (uint32_t)__builtin_ctz(cfg->line);
    cm->local_cycles = (uint32_t)((uint64_t)cfg->local_ns * clock_hz / 1000000000u);
    cm->remote_cycles = (uint32_t)((uint64_t)(cfg->uma ? cfg->local_ns : cfg->remote_ns) *
                                   clock_hz / 1000000000u);
    cm->dir_lines = mem_top >> cm->line_shift;
    cm->dir = calloc(cm->dir_lines, sizeof(uint64_t));
    cm->page_home = malloc(mem_top >> ARCH_PAGE_SHIFT);
    if (!cm->dir || !cm->page_home) {
        cache_model_destroy(cm);
        return -ENOMEM;
    }
    for (uint64_t p = 0; p < mem_top >> ARCH_PAGE_SHIFT; p++)
        cm->page_home[p] = (uint8_t)page_home_fn(ctx, p << ARCH_PAGE_SHIFT);
    for (int i = 0; i < ncpus; i++) {
        cm->cpu[i].node = cpu_node[i];
        cm->cpu[i].ways = calloc((size_t)cm->sets * cfg->assoc, sizeof(cache_way));
        if (!cm->cpu[i].ways) {
            cache_model_destroy(cm);
            return -ENOMEM;
        }
    }
    return 0;
}

void cache_model_destroy(cache_model *cm)
{
    for (int i = 0; i < CACHE_MAX_CPUS; i++) {
        free(cm->cpu[i].ways);
        cm->cpu[i].ways = NULL;
    }
    free(cm->dir);
    free(cm->page_home);
    cm->dir = NULL;
    cm->page_home = NULL;
}

static cache_way *cache_find(cache_model *cm, int cpu, uint64_t line)
{
    cache_way *set = &cm->cpu[cpu].ways[(line & cm->set_mask) * cm->cfg.assoc];
    for (uint32_t w = 0; w < cm->cfg.assoc; w++)
        if (set[w].tag == (uint32_t)line &&
            (set[w].state == CACHE_SHARED || set[w].state == CACHE_EXCLUSIVE))
            return &set[w];
    return NULL;
}

/* Every other cache loses its copy: a write is about to make the line exclusive. */
static void cache_invalidate_others(cache_model *cm, int cpu, uint64_t line)
{
    uint64_t others = cm->dir[line] & ~(1ull << cpu);
    while (others) {
        int o = __builtin_ctzll(others);
        others &= others - 1;
        cache_way *w = cache_find(cm, o, line);
        if (w)
            w->state = CACHE_LOST;
    }
    cm->dir[line] &= 1ull << cpu;
}

/* A reader joins: an exclusive holder elsewhere drops to shared. */
static void cache_share(cache_model *cm, int cpu, uint64_t line)
{
    uint64_t others = cm->dir[line] & ~(1ull << cpu);
    if (others && !(others & (others - 1))) {
        cache_way *w = cache_find(cm, __builtin_ctzll(others), line);
        if (w && w->state == CACHE_EXCLUSIVE)
            w->state = CACHE_SHARED;
    }
}

/* Choose the way to fill: a free one, else the least recently used. */
static cache_way *cache_victim(cache_model *cm, int cpu, uint64_t line, bool *lost)
{
    cache_way *set = &cm->cpu[cpu].ways[(line & cm->set_mask) * cm->cfg.assoc];
    cache_way *v = NULL;
    *lost = false;
    for (uint32_t w = 0; w < cm->cfg.assoc; w++) {
        if (set[w].state == CACHE_LOST && set[w].tag == (uint32_t)line) {
            *lost = true;
            return &set[w];
        }
    }
    for (uint32_t w = 0; w < cm->cfg.assoc; w++) {
        if (set[w].state == CACHE_INVALID || set[w].state == CACHE_LOST)
            return &set[w];
        if (!v || set[w].stamp < v->stamp)
            v = &set[w];
    }
    cm->dir[v->tag] &= ~(1ull << cpu); /* evict */
    return v;
}

static uint32_t cache_charge(cache_model *cm, int cpu, uint64_t line, bool write, uint64_t now)
{
    cache_cpu *cc = &cm->cpu[cpu];
    uint64_t page = (line << cm->line_shift) >> ARCH_PAGE_SHIFT;
    int home = cm->page_home[page];
    uint32_t cost;
    if (home == cc->node || cm->cfg.uma) {
        cost = cm->local_cycles;
        if (home == cc->node)
            cc->stats.local_misses++;
        else
            cc->stats.remote_misses++;
    } else {
        cost = cm->remote_cycles;
        cc->stats.remote_misses++;
    }
    cc->stats.stall_cycles += cost;
    if (cm->hot)
        hotpage_miss(cm->hot, cpu, page, cc->node, write, now);
    return cost;
}

uint32_t cache_access(cache_model *cm, int cpu, uint64_t paddr, bool write, uint64_t now)
{
    uint64_t line = paddr >> cm->line_shift;
    if (line >= cm->dir_lines)
        return 0;
    cache_cpu *cc = &cm->cpu[cpu];
    cache_way *w = cache_find(cm, cpu, line);
    if (w) {
        w->stamp = ++cc->clock;
        if (!write || w->state == CACHE_EXCLUSIVE) {
            cc->stats.hits++;
            return 0;
        }
        /* Write to a shared line: ask the home for exclusivity (an upgrade miss). */
        cache_invalidate_others(cm, cpu, line);
        w->state = CACHE_EXCLUSIVE;
        cc->stats.upgrades++;
        return cache_charge(cm, cpu, line, true, now);
    }
    bool lost;
    w = cache_victim(cm, cpu, line, &lost);
    if (lost)
        cc->stats.inval_misses++;
    if (write) {
        cache_invalidate_others(cm, cpu, line);
        w->state = CACHE_EXCLUSIVE;
    } else {
        cache_share(cm, cpu, line);
        w->state = (cm->dir[line] & ~(1ull << cpu)) ? CACHE_SHARED : CACHE_EXCLUSIVE;
    }
    w->tag = (uint32_t)line;
    w->stamp = ++cc->clock;
    cm->dir[line] |= 1ull << cpu;
    return cache_charge(cm, cpu, line, write, now);
}

void cache_node_stats(const cache_model *cm, int node, cache_stats *out)
{
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < cm->ncpus; i++) {
        const cache_stats *s = &cm->cpu[i].stats;
        if (cm->cpu[i].node != node)
            continue;
        out->hits += s->hits;
        out->local_misses += s->local_misses;
        out->remote_misses += s->remote_misses;
        out->inval_misses += s->inval_misses;
        out->upgrades += s->upgrades;
        out->stall_cycles += s->stall_cycles;
    }
}
