/* A policy library built for another ABI version: the loader must refuse it. */
#include "numa/policy_abi.h"

static void bad_decide(struct numa_policy_ctx *ctx, const struct numa_hot_page *ev,
                       struct numa_decision *out)
{
    (void)ctx;
    (void)ev;
    out->action = NUMA_ACTION_NONE;
}

const struct numa_policy_ops numa_policy_plugin = {
    .abi_version = NUMA_POLICY_ABI_VERSION + 1, .name = "bad-abi", .decide = bad_decide,
};
