/*
 * numa/autonuma.c - "autonuma": migration on sampled access faults, a model of Linux's
 * automatic NUMA balancing, for comparison with Disco's cache-miss counting.
 *
 * What feeds it. The backend samples: every scan period it makes a window of the
 * guest's pages inaccessible (on the monitor: drops them from every real TLB and L2TLB
 * through the backmaps and marks them; Linux makes the PTEs PROT_NONE), moving the
 * window on each period. The next access to a marked page faults into the backend,
 * which clears the mark and hands the policy one event: misses[n] = 1 for the
 * faulting CPU's node n and 0 elsewhere (one fault; not cache-miss counts). The
 * board's hot-page counters are not used by this policy.
 *
 * What it decides, per fault from node n on a page whose master is on node h:
 *   - n == h: nothing (ALREADY_LOCAL);
 *   - the two-fault filter (Linux's last_cpupid check, by node): the page migrates to n
 *     only if its previous sampled fault also came from n. A first fault is NOT_HOT; a
 *     fault from another node than the previous one means the page is shared and stays
 *     (SHARED). A page that sits unused is never sampled: it stays where it is;
 *   - the generic max_moves / min_interval limits apply (FROZEN, TOO_SOON);
 *   - a replicated page (only another policy makes replicas) is collapsed first.
 * The last faulting node is kept per (VM, guest page) in a direct-mapped table of
 * AUTONUMA_SLOTS entries: a collision forgets the older page's node (Linux keeps it in
 * the page's flags; a forgotten node only delays a migration by one sample).
 *
 * Left out: task placement (Linux also moves tasks to their memory: here vCPUs keep
 * their home nodes), numa groups and the shared-fault statistics that go with them,
 * the adaptive scan period (ours is fixed), and private/shared fault accounting per
 * task. Sampling costs (the protection of each page, each hinting fault) are charged
 * by the backend from its cost table.
 */
#include "numa/policy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#define AUTONUMA_SLOTS 65536u
#define AUTONUMA_NO_NODE 0xffffu

struct autonuma_slot {
    uint64_t key;
    uint16_t node;          /* last faulting node, AUTONUMA_NO_NODE when empty */
};

struct autonuma_state {
    struct autonuma_slot slot[AUTONUMA_SLOTS];
    uint64_t faults, local, first, shared, migrate;
};

static int autonuma_init(struct numa_policy_ctx *ctx, char *err, size_t errlen)
{
    struct autonuma_state *s = malloc(sizeof *s);
    if (!s) {
        snprintf(err, errlen, "autonuma: out of memory");
        return -ENOMEM;
    }
    memset(s, 0, sizeof *s);
    for (unsigned i = 0; i < AUTONUMA_SLOTS; i++)
        s->slot[i].node = AUTONUMA_NO_NODE;
    ctx->state = s;
    return 0;
}

static void autonuma_fini(struct numa_policy_ctx *ctx)
{
    free(ctx->state);
    ctx->state = NULL;
}

/* The faulting node: the one nonzero entry (the lowest, should there be several). */
static int autonuma_fault_node(const struct numa_hot_page *ev)
{
    for (unsigned n = 0; n < ev->nnodes; n++)
        if (ev->misses[n])
            return (int)n;
    return -1;
}

/* Remember node as the page's last faulting node; return the one before. */
static unsigned autonuma_swap_last(struct autonuma_state *s, const struct numa_hot_page *ev,
                                   unsigned node)
{
    uint64_t key = ev->nusers ? ((uint64_t)ev->users[0].vm << 48) ^ ev->users[0].gpn
                              : ev->mfn | (1ull << 63);
    uint64_t h = key * 0x9e3779b97f4a7c15ull;
    struct autonuma_slot *sl = &s->slot[(h >> 32) % AUTONUMA_SLOTS];
    unsigned prev = sl->node != AUTONUMA_NO_NODE && sl->key == key ? sl->node : AUTONUMA_NO_NODE;
    sl->key = key;
    sl->node = (uint16_t)node;
    return prev;
}

static void autonuma_refuse(struct numa_decision *d, enum numa_refusal why, uint64_t *count)
{
    d->action = NUMA_ACTION_NONE;
    d->reason = why;
    (*count)++;
}

static void autonuma_decide(struct numa_policy_ctx *ctx, const struct numa_hot_page *ev,
                            struct numa_decision *d)
{
    struct autonuma_state *s = ctx->state;
    int node = autonuma_fault_node(ev);
    if (node < 0) {
        d->action = NUMA_ACTION_NONE;
        d->reason = NUMA_REFUSE_NOT_HOT;
        return;
    }
    s->faults++;
    unsigned prev = autonuma_swap_last(s, ev, (unsigned)node);
    if ((unsigned)node == ev->home)
        { autonuma_refuse(d, NUMA_REFUSE_ALREADY_LOCAL, &s->local); return; }
    if (prev == AUTONUMA_NO_NODE)
        { autonuma_refuse(d, NUMA_REFUSE_NOT_HOT, &s->first); return; }
    if (prev != (unsigned)node)
        { autonuma_refuse(d, NUMA_REFUSE_SHARED, &s->shared); return; }
    const struct numa_policy_params *p = &ctx->params;
    if (p->max_moves && ev->moves >= p->max_moves) {
        d->action = NUMA_ACTION_NONE;
        d->reason = NUMA_REFUSE_FROZEN;
        return;
    }
    if (p->min_interval && ev->moves > 0 && ev->now - ev->last_move < p->min_interval) {
        d->action = NUMA_ACTION_NONE;
        d->reason = NUMA_REFUSE_TOO_SOON;
        return;
    }
    if (ev->replicas) {
        d->action = NUMA_ACTION_COLLAPSE;
        return;
    }
    s->migrate++;
    d->action = NUMA_ACTION_MIGRATE;
    d->node = (unsigned)node;
}

static int autonuma_report(struct numa_policy_ctx *ctx, char *buf, size_t len)
{
    const struct autonuma_state *s = ctx->state;
    int n = snprintf(buf, len, "\"faults\": %llu, \"local\": %llu, \"first_fault\": %llu, "
                     "\"shared\": %llu, \"two_fault_migrations\": %llu",
                     (unsigned long long)s->faults, (unsigned long long)s->local,
                     (unsigned long long)s->first, (unsigned long long)s->shared,
                     (unsigned long long)s->migrate);
    return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

const struct numa_policy_ops numa_policy_autonuma_ops = {
    .abi_version = NUMA_POLICY_ABI_VERSION,
    .name = "autonuma",
    .init = autonuma_init,
    .decide = autonuma_decide,
    .report = autonuma_report,
    .fini = autonuma_fini,
};
