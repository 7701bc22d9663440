/*
 * numa/policy.h - hot-page policies (migrate / replicate / collapse / leave) and static
 * placement of new pages.
 *
 * A policy is an ops table plus its parameters and statistics. The backend feeds it
 * hot-page events (one machine page, its per-node cache-miss counts, whether it is
 * written, where it and its replicas live, how often it has moved) and gets back a
 * decision. The policy never touches memory itself: the caller applies the decision
 * (memmap_apply_decision() in pmap/memmap.h does it for the shared pmap/memmap) and
 * reports a failure to apply with numa_policy_note_failure().
 *
 * Policies (numa_policy_create() names):
 *   "none"            leave every page where it is;
 *   "disco"           Disco's policy, after Verghese et al. (ASPLOS '96):
 *                       - a page whose hottest node has fewer than trigger_threshold misses
 *                         is left alone (NOT_HOT);
 *                       - a written page that has replicas is collapsed (COLLAPSE);
 *                       - a page that has moved max_moves times is frozen (FROZEN), and
 *                         one that moved less than min_interval ago is left (TOO_SOON);
 *                       - a node is a sharer if it has >= sharing_threshold misses;
 *                         a page with one sharer (the hottest node) migrates there, unless
 *                         it is already there (ALREADY_LOCAL);
 *                       - a page with several sharers is replicated to the sharers that
 *                         lack a copy if it is not written, else left (WRITE_SHARED);
 *   "migrate-only"    as disco but never replicates (SHARED refusal);
 *   "replicate-only"  as disco but never migrates (MIGRATION_DISABLED refusal).
 * Default parameters (numa_policy_default_params): trigger 128, sharing 32, max_moves 4,
 * min_interval 0 (time units are the caller's; 0 disables the check). These are the
 * Verghese et al. trigger/sharing thresholds; max_moves plays the role of their freeze.
 *
 * Invariants: stats.decisions = migrations + replications + collapses + sum(refusals)
 * (+ failures noted afterwards are counted in refused[NUMA_REFUSE_NO_MEMORY] and also
 * subtracted back out of the action counter they came from).
 * Errors: -EINVAL bad argument/unknown name, -ENOMEM.
 */
#ifndef NUMA_POLICY_H
#define NUMA_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include "numa/topology.h"

enum numa_action {
    NUMA_ACTION_NONE = 0,
    NUMA_ACTION_MIGRATE,    /* move the page to decision.node */
    NUMA_ACTION_REPLICATE,  /* add read-only copies on decision.nodes */
    NUMA_ACTION_COLLAPSE,   /* drop every replica, keep the master */
};

enum numa_refusal {
    NUMA_REFUSE_NONE = 0,          /* not refused (an action was decided) */
    NUMA_REFUSE_POLICY,            /* the "none" policy */
    NUMA_REFUSE_NOT_HOT,           /* below trigger_threshold */
    NUMA_REFUSE_FROZEN,            /* moved max_moves times already */
    NUMA_REFUSE_TOO_SOON,          /* moved less than min_interval ago */
    NUMA_REFUSE_ALREADY_LOCAL,     /* single user node already holds the page */
    NUMA_REFUSE_ALREADY_REPLICATED,/* every sharer already has a copy */
    NUMA_REFUSE_WRITE_SHARED,      /* shared by several nodes and written */
    NUMA_REFUSE_SHARED,            /* shared, and this policy does not replicate */
    NUMA_REFUSE_MIGRATION_DISABLED,/* single user, and this policy does not migrate */
    NUMA_REFUSE_NO_MEMORY,         /* decided, but the caller could not apply it */
    NUMA_REFUSE_COUNT
};

/* One hot-page event. misses[n] counts cache misses from node n since the last reset. */
struct numa_hot_page {
    uint64_t mfn;              /* the (master) machine page, for the caller's records */
    unsigned home;             /* node holding the master copy */
    numa_nodemask_t replicas;  /* nodes holding read-only replicas (home excluded) */
    const uint32_t *misses;    /* per-node miss counts, nnodes entries */
    unsigned nnodes;
    bool written;              /* the page has been written (since the last reset) */
    uint32_t moves;            /* migrations + replications this page has undergone */
    uint64_t last_move;        /* time of the last move (caller's time unit) */
    uint64_t now;              /* current time, same unit */
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

struct numa_policy_stats {
    uint64_t decisions;
    uint64_t migrations;
    uint64_t replications;      /* decisions to replicate (one per event) */
    uint64_t replicas;          /* replicas requested (nodes over all such decisions) */
    uint64_t collapses;
    uint64_t refused[NUMA_REFUSE_COUNT];
};

struct numa_policy;

/* The decision function of a policy. Pure: no state besides params. */
struct numa_policy_ops {
    const char *name;
    void (*decide)(const struct numa_policy_params *params, const struct numa_hot_page *ev,
                   struct numa_decision *out);
};

struct numa_policy {
    const struct numa_policy_ops *ops;
    struct numa_policy_params params;
    struct numa_policy_stats stats;
};

void numa_policy_default_params(struct numa_policy_params *params);

/* Look up a built-in ops table by name ("none", "disco", "migrate-only",
 * "replicate-only"); NULL if unknown. */
const struct numa_policy_ops *numa_policy_ops_by_name(const char *name);

/* Initialize a caller-allocated policy (params NULL = defaults). */
int numa_policy_init(struct numa_policy *policy, const char *name,
                     const struct numa_policy_params *params);
/* Same with a custom ops table. */
int numa_policy_init_ops(struct numa_policy *policy, const struct numa_policy_ops *ops,
                         const struct numa_policy_params *params);

/* Decide on one event and count it in the statistics. */
int numa_policy_decide(struct numa_policy *policy, const struct numa_hot_page *ev,
                       struct numa_decision *out);

/* The caller could not apply a decision (e.g. the target node had no free frame). */
void numa_policy_note_failure(struct numa_policy *policy, const struct numa_decision *d);

const char *numa_refusal_name(enum numa_refusal reason);
const char *numa_action_name(enum numa_action action);

/* ---- static placement of new pages ------------------------------------------------- */
enum numa_placement_kind {
    NUMA_PLACE_FIRST_TOUCH = 0, /* the node of the CPU that touches the page first */
    NUMA_PLACE_ROUND_ROBIN,     /* nodes in turn */
    NUMA_PLACE_FIXED,           /* always one node */
};

struct numa_placement {
    enum numa_placement_kind kind;
    unsigned nnodes;
    unsigned fixed_node;
    unsigned next;              /* ROUND_ROBIN: node for the next page */
};

int numa_placement_init(struct numa_placement *pl, enum numa_placement_kind kind,
                        unsigned nnodes, unsigned fixed_node);
/* Parse "first-touch", "round-robin", "fixed" or "fixed:<node>". */
int numa_placement_parse(struct numa_placement *pl, const char *spec, unsigned nnodes);
/* Node for a new page touched from touching_node (a valid node number). */
int numa_placement_choose(struct numa_placement *pl, unsigned touching_node);

#endif
