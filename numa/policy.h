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
 *                         it is already there (ALREADY_LOCAL), or unless it is unwritten
 *                         and has moved before: then it is read-shared over time (readers
 *                         taking turns) and gets a replica there instead;
 *                       - a page with several sharers is replicated to the sharers that
 *                         lack a copy if it is not written, else left (WRITE_SHARED);
 *   "migrate-only"    as disco but never replicates (SHARED refusal);
 *   "replicate-only"  as disco but never migrates (MIGRATION_DISABLED refusal);
 *   "interleave"      round-robin placement over the nodes by guest-physical page
 *                       number (gpn mod nnodes, of the page's first user): a page not on
 *                       its interleave node is migrated there at its first hot event
 *                       (the monitor allocates on first touch; this policy spreads the
 *                       pages that matter, like numactl --interleave for a whole VM),
 *                       and never moved again (ALREADY_LOCAL / FROZEN);
 *   "autonuma"        migration on sampled access faults, after Linux's NUMA balancing
 *                       (numa/autonuma.c): fed by the backend's hinting faults, one
 *                       event per fault with misses[faulting node] = 1, not by the
 *                       counters; a page migrates to a node when two sampled faults in
 *                       a row come from it (the two-fault filter), never replicates;
 *                       the backend must know to sample (numa_policy_samples());
 * The ABI every policy sees, built in or loaded (numa_policy_load), is policy_abi.h.
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
#include "numa/policy_abi.h"
#include "numa/topology.h"

struct numa_policy_stats {
    uint64_t decisions;
    uint64_t migrations;
    uint64_t replications;      /* decisions to replicate (one per event) */
    uint64_t replicas;          /* replicas requested (nodes over all such decisions) */
    uint64_t collapses;
    uint64_t refused[NUMA_REFUSE_COUNT];
};

struct numa_policy {
    const struct numa_policy_ops *ops;
    struct numa_policy_params params;  /* the thresholds (kept in step with ctx.params) */
    struct numa_policy_stats stats;
    struct numa_policy_ctx ctx;        /* what the ops see */
    void *dl;                          /* dlopen handle of a loaded policy, else NULL */
};

void numa_policy_default_params(struct numa_policy_params *params);

/* Look up a built-in ops table by name ("none", "disco", "migrate-only",
 * "replicate-only"); NULL if unknown. */
const struct numa_policy_ops *numa_policy_ops_by_name(const char *name);
/* The AutoNUMA-like built-in ("autonuma", numa/autonuma.c). */
extern const struct numa_policy_ops numa_policy_autonuma_ops;
/* True if the policy is driven by sampled access faults (the backend samples pages and
 * reports each hinting fault as an event) rather than by the hot-page counters. */
static inline bool numa_policy_samples(const struct numa_policy *policy)
{
    return policy->ops == &numa_policy_autonuma_ops;
}

/* "none, disco, ..." for messages. */
const char *numa_policy_builtin_names(void);

/* Initialize a caller-allocated policy (params NULL = defaults). */
int numa_policy_init(struct numa_policy *policy, const char *name,
                     const struct numa_policy_params *params);
/* Same with a custom ops table. */
int numa_policy_init_ops(struct numa_policy *policy, const struct numa_policy_ops *ops,
                         const struct numa_policy_params *params);

/* Full set-up: ops (built-in or loaded), thresholds (NULL = defaults), nnodes and the
 * --policy-param pairs (kv is kept by pointer and must outlive the policy). The generic
 * keys trigger, sharing, max_moves, min_interval set the thresholds; ops->init sees the
 * rest; a key nobody used, a bad value or a failing init: -EINVAL and one line in err,
 * policy->ops NULL (nothing to fini) and policy->dl untouched (the caller unloads). */
int numa_policy_setup(struct numa_policy *policy, const struct numa_policy_ops *ops,
                      const struct numa_policy_params *params, unsigned nnodes,
                      struct numa_policy_kv *kv, unsigned nkv, char *err, size_t errlen);

/* Load a policy from a shared object exporting NUMA_POLICY_SYMBOL (numa/plugin.c), then
 * numa_policy_setup(). -EINVAL and one line in err: cannot open, no symbol, wrong ABI
 * version, no decide, bad parameter. */
int numa_policy_load(struct numa_policy *policy, const char *path,
                     const struct numa_policy_params *params, unsigned nnodes,
                     struct numa_policy_kv *kv, unsigned nkv, char *err, size_t errlen);

/* Run ops->fini and unload a loaded library. Safe on a zeroed policy. */
void numa_policy_fini(struct numa_policy *policy);

/* ops->tick, if any. */
void numa_policy_tick(struct numa_policy *policy, uint64_t now);

/* ops->report into buf (JSON object members); 0 with buf = "" when there is none. */
int numa_policy_report(struct numa_policy *policy, char *buf, size_t len);

/* Parse "key=value" into kv (pointing into s, which is modified). -EINVAL if no '='. */
int numa_policy_kv_parse(char *s, struct numa_policy_kv *kv);

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
