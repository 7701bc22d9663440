/* numa/plugin.c - hot-page policies loaded at run time from a shared object.
 *
 * The library exports NUMA_POLICY_SYMBOL, a const struct numa_policy_ops built against
 * policy_abi.h. Every way a library can be wrong (cannot be opened, lacks the symbol,
 * another ABI version, no decide function, no name) is one line in err and -EINVAL, and
 * the library is unloaded again. */
#include "numa/policy.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int plugin_fail(void *dl, char *err, size_t errlen, const char *path, const char *why,
                       const char *detail)
{
    snprintf(err, errlen, "--policy-lib %s: %s%s%s", path, why, detail ? ": " : "",
             detail ? detail : "");
    if (dl)
        dlclose(dl);
    return -EINVAL;
}

int numa_policy_load(struct numa_policy *pol, const char *path,
                     const struct numa_policy_params *params, unsigned nnodes,
                     struct numa_policy_kv *kv, unsigned nkv, char *err, size_t errlen)
{
    if (!pol || !path)
        return -EINVAL;
    /* A name without a slash would be searched in the system's library path. */
    if (!strchr(path, '/'))
        return plugin_fail(NULL, err, errlen, path, "give a path (e.g. ./policy.so)", NULL);
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!dl)
        return plugin_fail(NULL, err, errlen, path, "cannot load", dlerror());
    const struct numa_policy_ops *ops = dlsym(dl, NUMA_POLICY_SYMBOL);
    if (!ops)
        return plugin_fail(dl, err, errlen, path, "no symbol " NUMA_POLICY_SYMBOL, NULL);
    if (ops->abi_version != NUMA_POLICY_ABI_VERSION) {
        char v[64];
        snprintf(v, sizeof v, "built for ABI %u, the monitor has %u", ops->abi_version,
                 NUMA_POLICY_ABI_VERSION);
        return plugin_fail(dl, err, errlen, path, "wrong policy ABI version", v);
    }
    if (!ops->decide || !ops->name || !ops->name[0])
        return plugin_fail(dl, err, errlen, path, "ops table without a name or decide()", NULL);
    pol->dl = dl;
    if (numa_policy_setup(pol, ops, params, nnodes, kv, nkv, err, errlen)) {
        pol->dl = NULL;
        dlclose(dl);
        return -EINVAL;
    }
    return 0;
}

void numa_policy_fini(struct numa_policy *pol)
{
    if (!pol)
        return;
    if (pol->ops && pol->ops->fini)
        pol->ops->fini(&pol->ctx);
    pol->ctx.state = NULL;
    if (pol->dl)
        dlclose(pol->dl);
    pol->dl = NULL;
}
