/*
 * numa.c - hot pages -> policy -> migrate / replicate, the NUMA half of Disco.
 *
 * The board's FLASH-style counters (mips-sim/mem/hotpage.h) raise an event when one
 * node's cache misses on a machine page reach the threshold; the machine hands it to
 * the monitor (machine_set_hotpage_hook) once the instruction that made the page hot
 * has completed, on that CPU's turn, where the monitor may do what a trap handler may.
 * It is queued and handled at once (the queue also serves a caller that cannot act
 * yet), as Disco took the counters' interrupt: the memmap describes the page (home,
 * replicas, moves), the
 * policy (numa/policy.h, "disco" by default) decides, and the memmap applies the
 * decision - copying the page, switching every user's pmap entry and shooting down
 * every cached translation through the backmaps. Pages the monitor owns (HAL pages,
 * the zero page) are not in the memmap and are ignored.
 *
 * Invariant: the queue holds at most NUMA_QUEUE events; more are dropped and counted.
 */
#include <errno.h>
#include <string.h>

#include "monitor/internal.h"
#include "pmap/memmap.h"

static void mon_numa_event(void *ctx, const hotpage_event *ev)
{
    struct mon *mon = ctx;
    struct mon_numa *n = &mon->numa;
    if (n->queued == NUMA_QUEUE) {
        n->dropped++;
        return;
    }
    n->queue[n->queued++] = *ev;
    if (ev->cpu >= 0 && ev->cpu < mon->npcpus)
        mon_numa_drain(&mon->pcpus[ev->cpu]);
}

int mon_numa_setup(struct mon *mon, const char *policy, char *err, size_t errlen)
{
    struct numa_policy_params params;
    numa_policy_default_params(&params);
    params.trigger_threshold = mon->cfg.board.hot.threshold;  /* the counters' own */
    params.sharing_threshold = params.trigger_threshold / 2;
    if (numa_policy_init(&mon->numa.policy, policy ? policy : "disco", &params) != 0) {
        snprintf(err, errlen, "unknown --policy '%s' (none, disco, migrate-only, replicate-only)",
                 policy);
        return -EINVAL;
    }
    machine_set_hotpage_hook(&mon->m, mon_numa_event, mon);  /* -ENODEV: no counters */
    return 0;
}

static void mon_numa_handle(struct pcpu *p, const hotpage_event *ev)
{
    struct mon *mon = p->mon;
    const struct memmap_entry *me = memmap_entry_get(mon->mm, ev->page);
    if (!me || me->state != MEMMAP_MASTER)
        return;                           /* the monitor's own page, a replica, or free */
    struct numa_hot_page hp;
    if (memmap_hot_page(mon->mm, ev->page, ev->counts, (unsigned)ev->nodes, ev->written, &hp))
        return;
    hp.now = machine_now(&mon->m);
    memmap_set_time(mon->mm, hp.now);
    struct numa_decision d;
    mon_charge(p, p->cur, COST_HOT_PAGE);
    mon->numa.events++;
    if (numa_policy_decide(&mon->numa.policy, &hp, &d) || d.action == NUMA_ACTION_NONE)
        return;
    if (memmap_apply_decision(mon->mm, ev->page, &d, NULL) < 0)
        numa_policy_note_failure(&mon->numa.policy, &d);
}

void mon_numa_drain(struct pcpu *p)
{
    struct mon_numa *n = &p->mon->numa;
    for (unsigned i = 0; i < n->queued; i++)
        mon_numa_handle(p, &n->queue[i]);
    n->queued = 0;
}
