/* numa/select.c - --policy / --policy-lib / --policy-param, shared by every backend. */
#include "numa/select.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int numa_choice_set_name(struct numa_policy_choice *c, const char *name, char *err,
                         size_t errlen)
{
    if (!numa_policy_ops_by_name(name)) {
        snprintf(err, errlen, "unknown --policy '%s' (%s)", name, numa_policy_builtin_names());
        return -EINVAL;
    }
    c->name = name;
    return 0;
}

int numa_choice_add_param(struct numa_policy_choice *c, char *arg, char *err, size_t errlen)
{
    if (c->nkv == NUMA_CHOICE_MAX_PARAMS) {
        snprintf(err, errlen, "too many --policy-param (at most %d)", NUMA_CHOICE_MAX_PARAMS);
        return -EINVAL;
    }
    if (numa_policy_kv_parse(arg, &c->kv[c->nkv])) {
        snprintf(err, errlen, "bad --policy-param '%s' (expected KEY=VALUE)", arg);
        return -EINVAL;
    }
    c->nkv++;
    return 0;
}

int numa_choice_check(const struct numa_policy_choice *c, char *err, size_t errlen)
{
    if (c->name && c->lib) {
        snprintf(err, errlen, "--policy and --policy-lib exclude each other");
        return -EINVAL;
    }
    return 0;
}

bool numa_choice_given(const struct numa_policy_choice *c)
{
    return c->name || c->lib;
}

int numa_choice_open(struct numa_policy *pol, struct numa_policy_choice *c,
                     const char *default_name, const struct numa_policy_params *params,
                     unsigned nnodes, char *err, size_t errlen)
{
    if (numa_choice_check(c, err, errlen))
        return -EINVAL;
    for (unsigned i = 0; i < c->nkv; i++)     /* a second open judges the pairs afresh */
        c->kv[i].used = false;
    memset(pol, 0, sizeof(*pol));
    err[0] = 0;
    if (c->lib)
        return numa_policy_load(pol, c->lib, params, nnodes, c->kv, c->nkv, err, errlen);
    const char *name = c->name ? c->name : default_name;
    const struct numa_policy_ops *ops = numa_policy_ops_by_name(name);
    if (!ops) {
        snprintf(err, errlen, "unknown --policy '%s' (%s)", name ? name : "",
                 numa_policy_builtin_names());
        return -EINVAL;
    }
    return numa_policy_setup(pol, ops, params, nnodes, c->kv, c->nkv, err, errlen);
}
