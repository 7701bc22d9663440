/* replicate_all.c - a test policy that asks for what vtx cannot do: every hot page is to
 * be replicated on every node but its home (even a written one, which no sane policy
 * would replicate). vtx must refuse each such decision with its reason, keep the guest's
 * data right, and tell the policy (the ABI's no-memory refusal). Loaded with
 * --policy-lib by tests/x86-vtx/vtx_policy.sh. */
#include "numa/policy_abi.h"

static void replicate_all_decide(struct numa_policy_ctx *ctx, const struct numa_hot_page *ev,
                                 struct numa_decision *out)
{
    (void)ctx;
    numa_nodemask_t all = ev->nnodes >= 64 ? ~(numa_nodemask_t)0
                                           : (((numa_nodemask_t)1 << ev->nnodes) - 1);
    out->nodes = all & ~((numa_nodemask_t)1 << ev->home);
    if (!out->nodes) {
        out->action = NUMA_ACTION_NONE;
        out->reason = NUMA_REFUSE_ALREADY_REPLICATED;
        return;
    }
    out->action = NUMA_ACTION_REPLICATE;
}

const struct numa_policy_ops numa_policy_plugin = {
    .abi_version = NUMA_POLICY_ABI_VERSION,
    .name = "replicate-all",
    .decide = replicate_all_decide,
};
