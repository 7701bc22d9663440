/* numa/policy.c - the built-in hot-page policies and their statistics.
 *
 * disco, migrate-only and replicate-only share one decision procedure (disco_decide) with two switches:
 * whether migration and replication are allowed. "none" short-circuits. */
#include "numa/policy.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
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
        if (!ev->written && ev->moves > 0 && may_replicate) {
            /* Read-only and hot on another node again after it moved: shared over time
             * (readers taking turns, like Raytrace's sweeps of its scene), not used by
             * one node. Migrating again would take it from the readers it left; a
             * replica serves the new one and keeps the others' copies. */
            d->action = NUMA_ACTION_REPLICATE;
            d->nodes = NUMA_NODE_BIT(hot);
            return;
        }
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

static void decide_none(struct numa_policy_ctx *ctx, const struct numa_hot_page *ev,
                        struct numa_decision *d)
{
    (void)ctx;
    (void)ev;
    refuse(d, NUMA_REFUSE_POLICY);
}

static void decide_disco(struct numa_policy_ctx *ctx, const struct numa_hot_page *ev,
                         struct numa_decision *d)
{
    decide_common(&ctx->params, ev, d, 1, 1);
}

static void decide_migrate(struct numa_policy_ctx *ctx,
                           const struct numa_hot_page *ev, struct numa_decision *d)
{
    decide_common(&ctx->params, ev, d, 1, 0);
}

static void decide_replicate(struct numa_policy_ctx *ctx,
                             const struct numa_hot_page *ev, struct numa_decision *d)
{
    decide_common(&ctx->params, ev, d, 0, 1);
}

/* Interleave: the page belongs on node gpn mod nnodes (its first user's gpn; the frame
 * number for a page without users). Moved once, at its first hot event. */
static void decide_interleave(struct numa_policy_ctx *ctx, const struct numa_hot_page *ev,
                              struct numa_decision *d)
{
    (void)ctx;
    uint64_t key = ev->nusers ? ev->users[0].gpn : ev->mfn;
    unsigned want = (unsigned)(key % ev->nnodes);
    if (ev->replicas)
        { d->action = NUMA_ACTION_COLLAPSE; return; }
    if (want == ev->home)
        { refuse(d, NUMA_REFUSE_ALREADY_LOCAL); return; }
    if (ev->moves > 0)
        { refuse(d, NUMA_REFUSE_FROZEN); return; }
    d->action = NUMA_ACTION_MIGRATE;
    d->node = want;
}

#define BUILTIN(n, fn) { .abi_version = NUMA_POLICY_ABI_VERSION, .name = n, .decide = fn }
static const struct numa_policy_ops builtin[] = {
    BUILTIN("none", decide_none),
    BUILTIN("disco", decide_disco),
    BUILTIN("migrate-only", decide_migrate),
    BUILTIN("replicate-only", decide_replicate),
    BUILTIN("interleave", decide_interleave),
};

/* Built-ins with their own file (and state): numa/autonuma.c. */
static const struct numa_policy_ops *const builtin_ext[] = { &numa_policy_autonuma_ops };

const char *numa_policy_builtin_names(void)
{
    return "none, disco, migrate-only, replicate-only, interleave, autonuma";
}

const struct numa_policy_ops *numa_policy_ops_by_name(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (strcmp(builtin[i].name, name) == 0)
            return &builtin[i];
    for (size_t i = 0; i < sizeof builtin_ext / sizeof builtin_ext[0]; i++)
        if (strcmp(builtin_ext[i]->name, name) == 0)
            return builtin_ext[i];
    return NULL;
}

/* The generic thresholds every policy takes as --policy-param. */
struct generic_param {
    const char *key;
    size_t off;          /* offset in struct numa_policy_params */
    int is64;
};
static const struct generic_param generic_params[] = {
    { "trigger", offsetof(struct numa_policy_params, trigger_threshold), 0 },
    { "sharing", offsetof(struct numa_policy_params, sharing_threshold), 0 },
    { "max_moves", offsetof(struct numa_policy_params, max_moves), 0 },
    { "min_interval", offsetof(struct numa_policy_params, min_interval), 1 },
};

static int parse_generic(struct numa_policy_ctx *ctx, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof generic_params / sizeof generic_params[0]; i++) {
        const struct generic_param *g = &generic_params[i];
        const char *v = numa_policy_param(ctx, g->key);
        if (!v)
            continue;
        char *end;
        errno = 0;
        unsigned long long x = strtoull(v, &end, 0);
        if (errno || end == v || *end || v[0] == '-' || (!g->is64 && x > UINT32_MAX)) {
            snprintf(err, errlen, "bad --policy-param %s='%s' (expected a number%s)", g->key,
                     v, g->is64 ? "" : " below 2^32");
            return -EINVAL;
        }
        char *field = (char *)&ctx->params + g->off;
        if (g->is64)
            *(uint64_t *)(void *)field = x;
        else
            *(uint32_t *)(void *)field = (uint32_t)x;
    }
    return 0;
}

int numa_policy_setup(struct numa_policy *pol, const struct numa_policy_ops *ops,
                      const struct numa_policy_params *params, unsigned nnodes,
                      struct numa_policy_kv *kv, unsigned nkv, char *err, size_t errlen)
{
    if (!pol || !ops || !ops->decide) {
        snprintf(err, errlen, "policy without a decide function");
        return -EINVAL;
    }
    void *dl = pol->dl;               /* set by numa_policy_load before calling us */
    memset(pol, 0, sizeof *pol);
    pol->ops = ops;
    pol->dl = dl;
    struct numa_policy_ctx *c = &pol->ctx;
    c->abi_version = NUMA_POLICY_ABI_VERSION;
    c->nnodes = nnodes;
    c->kv = kv;
    c->nkv = nkv;
    if (params)
        c->params = *params;
    else
        numa_policy_default_params(&c->params);
    if (parse_generic(c, err, errlen)) {
        pol->ops = NULL;
        return -EINVAL;
    }
    if (ops->init && ops->init(c, err, errlen) < 0) {
        if (!err[0])
            snprintf(err, errlen, "policy '%s' refused its parameters", ops->name);
        pol->ops = NULL;
        return -EINVAL;
    }
    for (unsigned i = 0; i < nkv; i++)
        if (!kv[i].used) {
            snprintf(err, errlen, "unknown --policy-param '%s' for policy '%s'", kv[i].key,
                     ops->name);
            if (ops->fini)
                ops->fini(c);
            pol->ops = NULL;           /* the caller unloads a library; nothing to fini */
            return -EINVAL;
        }
    pol->params = c->params;
    return 0;
}

int numa_policy_init_ops(struct numa_policy *pol, const struct numa_policy_ops *ops,
                         const struct numa_policy_params *params)
{
    char err[160] = "";
    if (!pol || !ops || !ops->decide)
        return -EINVAL;
    pol->dl = NULL;
    return numa_policy_setup(pol, ops, params, 0, NULL, 0, err, sizeof err);
}

int numa_policy_init(struct numa_policy *pol, const char *name,
                     const struct numa_policy_params *params)
{
    const struct numa_policy_ops *ops = numa_policy_ops_by_name(name);
    return ops ? numa_policy_init_ops(pol, ops, params) : -EINVAL;
}

void numa_policy_tick(struct numa_policy *pol, uint64_t now)
{
    if (pol && pol->ops && pol->ops->tick)
        pol->ops->tick(&pol->ctx, now);
}

int numa_policy_report(struct numa_policy *pol, char *buf, size_t len)
{
    if (!buf || !len)
        return -EINVAL;
    buf[0] = 0;
    if (pol && pol->ops && pol->ops->report)
        return pol->ops->report(&pol->ctx, buf, len);
    return 0;
}

int numa_policy_kv_parse(char *s, struct numa_policy_kv *kv)
{
    char *eq = s ? strchr(s, '=') : NULL;
    if (!eq || eq == s)
        return -EINVAL;
    *eq = 0;
    kv->key = s;
    kv->value = eq + 1;
    kv->used = false;
    return 0;
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
    pol->ctx.params = pol->params;   /* callers may tune params between events */
    pol->ops->decide(&pol->ctx, ev, out);
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
        "cow-shared",
    };
    return (unsigned)r < NUMA_REFUSE_COUNT ? names[r] : "unknown";
}

const char *numa_action_name(enum numa_action a)
{
    static const char *const names[] = { "none", "migrate", "replicate", "collapse" };
    return (unsigned)a < 4 ? names[a] : "unknown";
}
