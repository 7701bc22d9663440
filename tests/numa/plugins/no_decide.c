/* A policy whose ops table has no decide function: the loader must refuse it. */
#include "numa/policy_abi.h"

const struct numa_policy_ops numa_policy_plugin = {
    .abi_version = NUMA_POLICY_ABI_VERSION, .name = "no-decide",
};
