/* numa/policy.c - the built-in hot-page policies and their statistics.
 *
 * All four policies share one decision procedure (disco_decide) with two switches:
 * whether migration and replication are allowed. "none" short-circuits. */
#include "numa/policy.h"

#include <errno.h>
#include <string.h>

void numa_policy_default_params(struct numa_policy_params *p)
{
    p->trigger_threshold = 128;   /* Verghese et al.: trigger threshold */
    p->sharing_threshold = 32;    /* Verghese et al.: sharing threshold */
    p->max_moves = 4;             /* freeze a page that keeps moving */
    p->min_interval = 0;
}

static void refuse(struct numa_decision *d, enum numa_refusal why)
{
    d->action = NUMA_ACTION_NONE;
    d->reason = why;
}

/* Hottest node (lowest number on ties) and the set of sharers. */
static unsigned hottest(const struct numa_hot_page *ev, uint32_t sharing,
                        numa_nodemask_t *sharers)
{
    unsigned best = 0;
    *sharers = 0;
    for (unsigned n = 0; n < ev->nnodes; n++) {
        if (ev->misses[n] > ev->misses[best])
            best = n;
        if (ev->misses[n] >= sharing)
            *sharers |= NUMA_NODE_BIT(n);
    }
    return best;
}

/* A page moving too often costs more in copies and shootdowns than it saves. */
static int rate_limited(const struct numa_policy_params *p, const struct numa_hot_page *ev,
                        struct numa_decision *d)
{
    if (p->max_moves && ev->moves >= p->max_moves) {
        refuse(d, NUMA_REFUSE_FROZEN);
        return 1;
    }
    if (p->min_interval && ev->moves > 0 && ev->now - ev->last_move < p->min_interval) {
        refuse(d, NUMA_REFUSE_TOO_SOON);
        return 1;
    }
    return 0;
}

static void decide_common(const struct numa_policy_params *p, const struct numa_hot_page *ev,
                          struct numa_decision *d, int may_migrate, int may_replicate)
{
    numa_nodemask_t sharers;
    unsigned hot = hottest(ev, p->sharing_threshold, &sharers);
    if (ev->misses[hot] < p->trigger_threshold)
        { refuse(d, NUMA_REFUSE_NOT_HOT); return; }
    if (ev->written && ev->replicas) {            /* replicas must never see a write */
        d->action = NUMA_ACTION_COLLAPSE;
        return;
    }
    if (rate_limited(p, ev, d))
        return;
    sharers |= NUMA_NODE_BIT(hot);                /* the trigger exceeds sharing */
    if (sharers == NUMA_NODE_BIT(hot)) {          /* used by one node: migrate there */
        if (hot == ev->home || (ev->replicas & NUMA_NODE_BIT(hot)))
            { refuse(d, NUMA_REFUSE_ALREADY_LOCAL); return; }
        if (!may_migrate)
            { refuse(d, NUMA_REFUSE_MIGRATION_DISABLED); return; }
        if (ev->replicas)                         /* a replicated page is collapsed first */
            { d->action = NUMA_ACTION_COLLAPSE; return; }
        d->action = NUMA_ACTION_MIGRATE;
        d->node = hot;
        return;
    }
    if (ev->written)
        { refuse(d, NUMA_REFUSE_WRITE_SHARED); return; }
    if (!may_replicate)
        { refuse(d, NUMA_REFUSE_SHARED); return; }
    numa_nodemask_t want = sharers & ~ev->replicas & ~NUMA_NODE_BIT(ev->home);
    if (!want)
        { refuse(d, NUMA_REFUSE_ALREADY_REPLICATED); return; }
    d->action = NUMA_ACTION_REPLICATE;
    d->nodes = want;
}

static void decide_none(const struct numa_policy_params *p, const struct numa_hot_page *ev,
                        struct numa_decision *d)
{
    (void)p;
    (void)ev;
    refuse(d, NUMA_REFUSE_POLICY);
}

static void decide_disco(const struct numa_policy_params *p, const struct numa_hot_page *ev,
                         struct numa_decision *d)
{
    decide_common(p, ev, d, 1, 1);
}

static void decide_migrate(const struct numa_policy_params *p,
                           const struct numa_hot_page *ev, struct numa_decision *d)
{
    decide_common(p, ev, d, 1, 0);
}

static void decide_replicate(const struct numa_policy_params *p,
                             const struct numa_hot_page *ev, struct numa_decision *d)
{
    decide_common(p, ev, d, 0, 1);
}

static const struct numa_policy_ops builtin[] = {
    { "none", decide_none },
    { "disco", decide_disco },
    { "migrate-only", decide_migrate },
    { "replicate-only", decide_replicate },
};

const struct numa_policy_ops *numa_policy_ops_by_name(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (strcmp(builtin[i].name, name) == 0)
            return &builtin[i];
    return NULL;
}

int numa_policy_init_ops(struct numa_policy *pol, const struct numa_policy_ops *ops,
                         const struct numa_policy_params *params)
{
    if (!pol || !ops || !ops->decide)
        return -EINVAL;
    memset(pol, 0, sizeof *pol);
    pol->ops = ops;
    if (params)
        pol->params = *params;
    else
        numa_policy_default_params(&pol->params);
    return 0;
}

int numa_policy_init(struct numa_policy *pol, const char *name,
                     const struct numa_policy_params *params)
{
    const struct numa_policy_ops *ops = numa_policy_ops_by_name(name);
    return ops ? numa_policy_init_ops(pol, ops, params) : -EINVAL;
}

static unsigned popcount(numa_nodemask_t m)
{
    return (unsigned)__builtin_popcountll(m);
}

int numa_policy_decide(struct numa_policy *pol, const struct numa_hot_page *ev,
                       struct numa_decision *out)
{
    if (!pol || !ev || !out || !ev->misses || ev->nnodes == 0
        || ev->nnodes > NUMA_MAX_NODES || ev->home >= ev->nnodes)
        return -EINVAL;
    memset(out, 0, sizeof *out);
    pol->ops->decide(&pol->params, ev, out);
    struct numa_policy_stats *s = &pol->stats;
    s->decisions++;
    switch (out->action) {
    case NUMA_ACTION_MIGRATE:   s->migrations++; break;
    case NUMA_ACTION_REPLICATE: s->replications++; s->replicas += popcount(out->nodes); break;
    case NUMA_ACTION_COLLAPSE:  s->collapses++; break;
    default:
        if (out->reason >= NUMA_REFUSE_COUNT)
            out->reason = NUMA_REFUSE_POLICY;
        s->refused[out->reason]++;
        break;
    }
    return 0;
}

void numa_policy_note_failure(struct numa_policy *pol, const struct numa_decision *d)
{
    if (!pol || !d)
        return;
    struct numa_policy_stats *s = &pol->stats;
    switch (d->action) {     /* move the decision from its action to a refusal */
    case NUMA_ACTION_MIGRATE:   if (s->migrations) s->migrations--; break;
    case NUMA_ACTION_REPLICATE:
        if (s->replications) s->replications--;
        if (s->replicas >= popcount(d->nodes)) s->replicas -= popcount(d->nodes);
        break;
    case NUMA_ACTION_COLLAPSE:  if (s->collapses) s->collapses--; break;
    default: return;
    }
    s->refused[NUMA_REFUSE_NO_MEMORY]++;
}

const char *numa_refusal_name(enum numa_refusal r)
{
    static const char *const names[NUMA_REFUSE_COUNT] = {
        "none", "policy", "not-hot", "frozen", "too-soon", "already-local",
        "already-replicated", "write-shared", "shared", "migration-disabled", "no-memory",
    };
    return (unsigned)r < NUMA_REFUSE_COUNT ? names[r] : "unknown";
}

const char *numa_action_name(enum numa_action a)
{
    static const char *const names[] = { "none", "migrate", "replicate", "collapse" };
    return (unsigned)a < 4 ? names[a] : "unknown";
}
