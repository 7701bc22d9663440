/*
 * numa/policy_abi.h - the hot-page policy ABI, version NUMA_POLICY_ABI_VERSION.
 *
 * This is the one header a policy includes, whether it is built into the monitor
 * (numa/policy.c) or loaded at run time from a shared object
 * (`disco --policy-lib ./mypolicy.so --policy-param k=v`). It depends on nothing but
 * <stdint.h>, <stddef.h>, <stdbool.h> and <string.h>.
 *
 * A policy is one ops table (struct numa_policy_ops). A shared object exports it under
 * the symbol NUMA_POLICY_SYMBOL ("numa_policy_plugin"):
 *
 *     const struct numa_policy_ops numa_policy_plugin = {
 *         .abi_version = NUMA_POLICY_ABI_VERSION, .name = "mine",
 *         .init = my_init, .decide = my_decide,     // tick, report, fini optional
 *     };
 *
 * What a policy sees (struct numa_hot_page), once per hot-page event: the machine page
 * and the node of its master copy, the nodes holding read-only replicas, the per-node
 * cache-miss counts since the counters' last reset, whether the page was written, its
 * users (VM, guest-physical page; several users = shared copy-on-write), its history
 * (how many times it moved, when it last moved) and the time. Time is in the machine's
 * cycles (simulated time; deterministic).
 *
 * What it returns (struct numa_decision): an action (migrate to .node, replicate to
 * .nodes, collapse the replicas) or NONE with a refusal reason. The policy never touches
 * memory: the monitor applies the decision, charges its costs and traces it. A decision
 * the monitor cannot apply (no frame on the node) is counted as refused "no-memory".
 *
 * Contract:
 *   - decide() is called with ctx from init(); it must fill *out and return; it must not
 *     keep the ev pointers (misses, users) past the call;
 *   - determinism: a policy that wants repeatable runs uses only what it is given (no
 *     host time, no unseeded randomness);
 *   - parameters: `--policy-param k=v` pairs are in ctx->kv. A policy reads them in
 *     init() with numa_policy_param() (which marks them used); a pair nobody used is a
 *     bad parameter and the monitor exits with status 2. init() returns 0, or a
 *     negative value with a one-line reason in err (also exit status 2). The generic
 *     thresholds (trigger, sharing, max_moves, min_interval) are parsed by the host into
 *     ctx->params before init() for every policy;
 *   - tick(ctx, now) is called before a decision once at least one counter-reset period
 *     has passed since the last tick (optional);
 *   - report(ctx, buf, len) writes the members of a JSON object (e.g. `"x": 3`) for
 *     --stats (optional); fini(ctx) frees ctx->state (optional).
 * Versioning: any change to these structures bumps NUMA_POLICY_ABI_VERSION; the loader
 * refuses a library built against another version.
 */
#ifndef NUMA_POLICY_ABI_H
#define NUMA_POLICY_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define NUMA_POLICY_ABI_VERSION 1u
#define NUMA_POLICY_SYMBOL "numa_policy_plugin"

typedef uint64_t numa_nodemask_t;        /* bit n = node n (also in numa/topology.h) */

enum numa_action {
    NUMA_ACTION_NONE = 0,
    NUMA_ACTION_MIGRATE,    /* move the page to decision.node */
    NUMA_ACTION_REPLICATE,  /* add read-only copies on decision.nodes */
    NUMA_ACTION_COLLAPSE,   /* drop every replica, keep the master */
};

enum numa_refusal {
    NUMA_REFUSE_NONE = 0,          /* not refused (an action was decided) */
    NUMA_REFUSE_POLICY,            /* the policy never moves pages ("none") */
    NUMA_REFUSE_NOT_HOT,           /* below trigger_threshold */
    NUMA_REFUSE_FROZEN,            /* moved max_moves times already */
    NUMA_REFUSE_TOO_SOON,          /* moved less than min_interval ago */
    NUMA_REFUSE_ALREADY_LOCAL,     /* single user node already holds the page */
    NUMA_REFUSE_ALREADY_REPLICATED,/* every sharer already has a copy */
    NUMA_REFUSE_WRITE_SHARED,      /* shared by several nodes and written */
    NUMA_REFUSE_SHARED,            /* shared, and this policy does not replicate */
    NUMA_REFUSE_MIGRATION_DISABLED,/* single user, and this policy does not migrate */
    NUMA_REFUSE_NO_MEMORY,         /* decided, but the caller could not apply it */
    NUMA_REFUSE_COW_SHARED,        /* the monitor's: page shared copy-on-write by VMs */
    NUMA_REFUSE_COUNT
};

/* A user of a machine page: guest-physical page gpn of VM vm. */
struct numa_page_user {
    uint32_t vm;
    uint64_t gpn;
};

/* One hot-page event. misses[n] counts cache misses from node n since the last reset. */
struct numa_hot_page {
    uint64_t mfn;              /* the (master) machine page */
    unsigned home;             /* node holding the master copy */
    numa_nodemask_t replicas;  /* nodes holding read-only replicas (home excluded) */
    const uint32_t *misses;    /* per-node miss counts, nnodes entries */
    unsigned nnodes;
    bool written;              /* the page has been written (since the last reset) */
    uint32_t moves;            /* migrations + replications this page has undergone */
    uint64_t last_move;        /* time of the last move (cycles; 0 = never) */
    uint64_t now;              /* current time (cycles) */
    const struct numa_page_user *users; /* nusers entries (may be NULL if nusers == 0) */
    unsigned nusers;
};

struct numa_decision {
    enum numa_action action;
    unsigned node;             /* MIGRATE: target node */
    numa_nodemask_t nodes;     /* REPLICATE: nodes to receive a replica */
    enum numa_refusal reason;  /* NONE: why nothing is done */
};

struct numa_policy_params {
    uint32_t trigger_threshold; /* hottest node needs this many misses to act */
    uint32_t sharing_threshold; /* a node with this many misses is a sharer */
    uint32_t max_moves;         /* a page that moved this often is frozen (0 = never) */
    uint64_t min_interval;      /* minimum time between two moves of a page (0 = none) */
};

/* One --policy-param pair. */
struct numa_policy_kv {
    const char *key, *value;
    bool used;                  /* set by numa_policy_param() */
};

struct numa_policy_ctx {
    uint32_t abi_version;       /* the host's NUMA_POLICY_ABI_VERSION */
    unsigned nnodes;            /* nodes of the machine (0 if the host does not know) */
    struct numa_policy_params params;
    struct numa_policy_kv *kv;
    unsigned nkv;
    void *state;                /* the policy's own */
};

struct numa_policy_ops {
    uint32_t abi_version;       /* NUMA_POLICY_ABI_VERSION the policy was built with */
    const char *name;
    int (*init)(struct numa_policy_ctx *ctx, char *err, size_t errlen);       /* optional */
    void (*decide)(struct numa_policy_ctx *ctx, const struct numa_hot_page *ev,
                   struct numa_decision *out);                                  /* required */
    void (*tick)(struct numa_policy_ctx *ctx, uint64_t now);                   /* optional */
    int (*report)(struct numa_policy_ctx *ctx, char *buf, size_t len);         /* optional */
    void (*fini)(struct numa_policy_ctx *ctx);                                 /* optional */
};

/* The value of parameter key (marking it used), or NULL if it was not given. */
static inline const char *numa_policy_param(struct numa_policy_ctx *ctx, const char *key)
{
    for (unsigned i = 0; i < ctx->nkv; i++)
        if (strcmp(ctx->kv[i].key, key) == 0) {
            ctx->kv[i].used = true;
            return ctx->kv[i].value;
        }
    return NULL;
}

#endif
