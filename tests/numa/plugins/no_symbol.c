/* A shared object without the policy symbol: the loader must refuse it. */
int numa_policy_plugin_misspelt = 1;
