/*
 * hotpage.h - FLASH-style hot-page detection: per machine page, per node, a count of
 * cache misses. When one node's count for a page reaches the threshold, a hot-page
 * event goes to the registered hook with the page and all its per-node counts. Counts
 * reset every `reset_cycles` of simulated time. With sampling k > 1 only every k-th
 * miss (per CPU) is counted, as Verghese et al. found sampling cheap and sufficient;
 * the threshold is then in sampled misses.
 *
 * Invariants: counts[page * nodes + node] <= threshold until the next reset, and an
 * event fires once per page and node per interval (when the count reaches the
 * threshold); `written` is set for a page when a write missed on it in this interval.
 */
#ifndef MIPS_SIM_HOTPAGE_H
#define MIPS_SIM_HOTPAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mips-sim/arch.h"

#define HOTPAGE_MAX_NODES ARCH_MAX_NODES

typedef struct hotpage_event {
    uint64_t page;                         /* physical page number (paddr >> 12) */
    int node;                              /* the node whose count reached the threshold */
    int cpu;                               /* the CPU whose miss made the page hot */
    int nodes;
    uint32_t counts[HOTPAGE_MAX_NODES];    /* this interval's counts, per node */
    bool written;
    uint64_t when;                         /* simulated cycle */
} hotpage_event;

typedef void (*hotpage_fn)(void *ctx, const hotpage_event *ev);

typedef struct hotpage_config {
    uint32_t threshold;        /* misses from one node that make a page hot (default 64) */
    uint64_t reset_cycles;     /* counter reset interval (default 10 ms at the clock) */
    uint32_t sample;           /* count every k-th miss (default 1: all) */
} hotpage_config;

typedef struct hotpage {
    hotpage_config cfg;
    int nodes;
    uint64_t pages;
    uint32_t *counts;          /* pages * nodes */
    uint8_t *written;          /* per page */
    uint32_t sample_left[ARCH_MAX_CPUS]; /* per CPU: misses until the next sampled one */
    uint64_t next_reset;
    uint64_t events, resets;
    uint64_t events_by_node[HOTPAGE_MAX_NODES];
    hotpage_fn hook;
    void *hook_ctx;
    FILE *log;                 /* one line per event when set */
} hotpage;

void hotpage_config_defaults(hotpage_config *cfg, uint64_t clock_hz);
int hotpage_init(hotpage *hp, const hotpage_config *cfg, uint64_t pages, int nodes);
void hotpage_destroy(hotpage *hp);
void hotpage_set_hook(hotpage *hp, hotpage_fn fn, void *ctx);

/* Count a miss by CPU `cpu` on node `node` to physical page `page` at time `now`. */
void hotpage_miss(hotpage *hp, int cpu, uint64_t page, int node, bool write, uint64_t now);

/* Clear every count (also done automatically every reset_cycles). */
void hotpage_reset(hotpage *hp);

/* The current count of a page for a node (0 outside the tracked range). */
uint32_t hotpage_count(const hotpage *hp, uint64_t page, int node);

#endif
