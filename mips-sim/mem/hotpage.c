/* hotpage.c - per-page, per-node miss counters with threshold events and resets. */
#include "mips-sim/mem/hotpage.h"
#include "mips-sim/arch.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void hotpage_config_defaults(hotpage_config *cfg, uint64_t clock_hz)
{
    cfg->threshold = 64;
    cfg->reset_cycles = clock_hz / 100; /* 10 ms */
    cfg->sample = 1;
}

int hotpage_init(hotpage *hp, const hotpage_config *cfg, uint64_t pages, int nodes)
{
    memset(hp, 0, sizeof(*hp));
    if (nodes < 1 || nodes > HOTPAGE_MAX_NODES || cfg->threshold == 0 || cfg->sample == 0 ||
        cfg->reset_cycles == 0)
        return -EINVAL;
    hp->cfg = *cfg;
    hp->nodes = nodes;
    hp->pages = pages;
    hp->counts = calloc(pages * (uint64_t)nodes, sizeof(uint32_t));
    hp->written = calloc(pages, 1);
    if (!hp->counts || !hp->written) {
        hotpage_destroy(hp);
        return -ENOMEM;
    }
    for (int i = 0; i < ARCH_MAX_CPUS; i++)
        hp->sample_left[i] = cfg->sample;
    hp->next_reset = cfg->reset_cycles;
    return 0;
}

void hotpage_destroy(hotpage *hp)
{
    free(hp->counts);
    free(hp->written);
    hp->counts = NULL;
    hp->written = NULL;
}

void hotpage_set_hook(hotpage *hp, hotpage_fn fn, void *ctx)
{
    hp->hook = fn;
    hp->hook_ctx = ctx;
}

void hotpage_reset(hotpage *hp)
{
    memset(hp->counts, 0, hp->pages * (uint64_t)hp->nodes * sizeof(uint32_t));
    memset(hp->written, 0, hp->pages);
    hp->resets++;
}

static void hotpage_fire(hotpage *hp, int cpu, uint64_t page, int node, uint64_t now)
{
    hotpage_event ev = { .page = page, .node = node, .cpu = cpu, .nodes = hp->nodes,
                         .written = hp->written[page] != 0, .when = now };
    memcpy(ev.counts, &hp->counts[page * (uint64_t)hp->nodes], (size_t)hp->nodes * sizeof(uint32_t));
    hp->events++;
    hp->events_by_node[node]++;
    if (hp->log) {
        fprintf(hp->log, "%" PRIu64 " page 0x%" PRIx64 " node %d %s counts", now, page << ARCH_PAGE_SHIFT,
                node, ev.written ? "written" : "read");
        for (int i = 0; i < hp->nodes; i++)
            fprintf(hp->log, " %u", ev.counts[i]);
        fputc('\n', hp->log);
    }
    if (hp->hook)
        hp->hook(hp->hook_ctx, &ev);
}

void hotpage_miss(hotpage *hp, int cpu, uint64_t page, int node, bool write, uint64_t now)
{
    if (page >= hp->pages || node < 0 || node >= hp->nodes)
        return;
    if (now >= hp->next_reset) {
        hotpage_reset(hp);
        hp->next_reset = now - now % hp->cfg.reset_cycles + hp->cfg.reset_cycles;
    }
    if (write)
        hp->written[page] = 1;
    if (--hp->sample_left[(unsigned)cpu % ARCH_MAX_CPUS] != 0)
        return;
    hp->sample_left[(unsigned)cpu % ARCH_MAX_CPUS] = hp->cfg.sample;
    uint32_t *cnt = &hp->counts[page * (uint64_t)hp->nodes + (uint64_t)node];
    if (*cnt >= hp->cfg.threshold)
        return;
    if (++*cnt == hp->cfg.threshold)
        hotpage_fire(hp, cpu, page, node, now);
}

uint32_t hotpage_count(const hotpage *hp, uint64_t page, int node)
{
    if (page >= hp->pages || node < 0 || node >= hp->nodes)
        return 0;
    return hp->counts[page * (uint64_t)hp->nodes + (uint64_t)node];
}
