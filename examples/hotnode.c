/*
 * examples/hotnode.c - an example hot-page policy, loaded at run time:
 *
 *     make build/examples/hotnode.so
 *     disco --policy-lib build/examples/hotnode.so --policy-param ratio=3 ...
 *
 * "Move a page to its hottest node when that node misses `ratio` times more than the
 * page's home node; replicate read-only pages two or more nodes want (sharers: at
 * least `share` misses each); never touch a page twice within `cooldown` cycles."
 * It keeps a little state (how many pages it sent to each node) and reports it in
 * --stats. It includes only numa/policy_abi.h: the whole contract with the monitor.
 */
#include <stdio.h>
#include <stdlib.h>

#include "numa/policy_abi.h"

struct hotnode {
    uint32_t ratio, share;
    uint64_t cooldown;
    uint64_t sent[64];          /* pages migrated to each node */
    uint64_t ticks;
};

static int param_u64(struct numa_policy_ctx *ctx, const char *key, uint64_t def,
                     uint64_t max, uint64_t *out, char *err, size_t errlen)
{
    const char *v = numa_policy_param(ctx, key);
    *out = def;
    if (!v)
        return 0;
    char *end;
    unsigned long long x = strtoull(v, &end, 10);
    if (end == v || *end || v[0] == '-' || x > max) {
        snprintf(err, errlen, "hotnode: bad %s='%s' (expected 0..%llu)", key, v,
                 (unsigned long long)max);
        return -1;
    }
    *out = x;
    return 0;
}

static int hotnode_init(struct numa_policy_ctx *ctx, char *err, size_t errlen)
{
    struct hotnode *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "hotnode: out of memory");
        return -1;
    }
    uint64_t ratio, share, cooldown;
    if (param_u64(ctx, "ratio", 2, 1000, &ratio, err, errlen)
        || param_u64(ctx, "share", ctx->params.sharing_threshold, UINT32_MAX, &share, err, errlen)
        || param_u64(ctx, "cooldown", 0, UINT64_MAX, &cooldown, err, errlen)) {
        free(h);
        return -1;
    }
    if (ratio == 0) {
        snprintf(err, errlen, "hotnode: ratio must be at least 1");
        free(h);
        return -1;
    }
    h->ratio = (uint32_t)ratio;
    h->share = (uint32_t)share;
    h->cooldown = cooldown;
    ctx->state = h;
    return 0;
}

static void hotnode_refuse(struct numa_decision *out, enum numa_refusal why)
{
    out->action = NUMA_ACTION_NONE;
    out->reason = why;
}

static void hotnode_decide(struct numa_policy_ctx *ctx, const struct numa_hot_page *ev,
                           struct numa_decision *out)
{
    struct hotnode *h = ctx->state;
    if (ev->written && ev->replicas) {              /* replicas never see a write */
        out->action = NUMA_ACTION_COLLAPSE;
        return;
    }
    if (ev->moves && ev->now - ev->last_move < h->cooldown)
        return hotnode_refuse(out, NUMA_REFUSE_TOO_SOON);
    unsigned hot = 0;
    numa_nodemask_t sharers = 0;
    for (unsigned n = 0; n < ev->nnodes; n++) {
        if (ev->misses[n] > ev->misses[hot])
            hot = n;
        if (ev->misses[n] >= h->share)
            sharers |= (numa_nodemask_t)1 << n;
    }
    if (!ev->written && __builtin_popcountll(sharers) >= 2) {
        numa_nodemask_t want = sharers & ~ev->replicas & ~((numa_nodemask_t)1 << ev->home);
        if (!want)
            return hotnode_refuse(out, NUMA_REFUSE_ALREADY_REPLICATED);
        out->action = NUMA_ACTION_REPLICATE;
        out->nodes = want;
        return;
    }
    if (hot == ev->home)
        return hotnode_refuse(out, NUMA_REFUSE_ALREADY_LOCAL);
    if (ev->replicas) {                             /* migrate only a single copy */
        out->action = NUMA_ACTION_COLLAPSE;
        return;
    }
    if ((uint64_t)ev->misses[hot] < (uint64_t)h->ratio * ev->misses[ev->home])
        return hotnode_refuse(out, NUMA_REFUSE_WRITE_SHARED);
    out->action = NUMA_ACTION_MIGRATE;
    out->node = hot;
    if (hot < 64)
        h->sent[hot]++;
}

static void hotnode_tick(struct numa_policy_ctx *ctx, uint64_t now)
{
    (void)now;
    ((struct hotnode *)ctx->state)->ticks++;
}

static int hotnode_report(struct numa_policy_ctx *ctx, char *buf, size_t len)
{
    const struct hotnode *h = ctx->state;
    int k = snprintf(buf, len, "\"ratio\": %u, \"ticks\": %llu, \"sent\": [", h->ratio,
                     (unsigned long long)h->ticks);
    for (unsigned n = 0; n < ctx->nnodes && n < 64 && k > 0 && (size_t)k < len; n++)
        k += snprintf(buf + k, len - (size_t)k, "%s%llu", n ? ", " : "",
                      (unsigned long long)h->sent[n]);
    if (k > 0 && (size_t)k < len)
        snprintf(buf + k, len - (size_t)k, "]");
    return 0;
}

static void hotnode_fini(struct numa_policy_ctx *ctx)
{
    free(ctx->state);
}

const struct numa_policy_ops numa_policy_plugin = {
    .abi_version = NUMA_POLICY_ABI_VERSION,
    .name = "hotnode",
    .init = hotnode_init,
    .decide = hotnode_decide,
    .tick = hotnode_tick,
    .report = hotnode_report,
    .fini = hotnode_fini,
};
