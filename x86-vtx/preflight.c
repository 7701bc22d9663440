/* preflight.c - everything `vtx run` checks before it touches KVM, in this order: the
 * guest file, the memory asked for, page tracking's limits, the node model and every node
 * named on the command line, and only then the KVM device. Bad input therefore gets its
 * own one-line error and exit status 2 on every machine, with or without /dev/kvm. */
#include "x86-vtx/run.h"
#include "x86-vtx/guestmem.h"
#include "x86-vtx/placement.h"
#include "numa/topology.h"
#include "pmap/memmap.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* Why a guest file was refused, for the errors vtx_image_open adds to the ELF checks. */
static const char *image_strerror(int e)
{
    switch (e) {
    case -EISDIR: return "is a directory, not a guest ELF file";
    case -ENXIO:  return "is not a regular file";
    case -EFBIG:  return "is larger than the 64 MiB a guest file may be";
    default:      return NULL;
    }
}

static int check_image(const struct vtx_run_opts *o, struct vtx_image *img, FILE *err)
{
    int e = vtx_image_open(img, o->guest);
    if (!e)
        return 0;
    const char *why = image_strerror(e);
    if (!why)
        why = vtx_elf_is_format_error(e) ? vtx_elf_strerror(e) : strerror(-e);
    fprintf(err, "vtx: %s: %s\n", o->guest, why);
    return 2;
}

static int check_memory(const struct vtx_run_opts *o, FILE *err)
{
    uint64_t avail_kib = vtx_mem_host_kib("MemAvailable");
    uint64_t want_kib = (uint64_t)o->vms * (o->mem >> 10);
    if (want_kib <= avail_kib)
        return 0;
    fprintf(err, "vtx: %u VMs x %zu MiB of guest RAM = %llu MiB is more than the %llu MiB "
            "this host has available\n", o->vms, o->mem >> 20,
            (unsigned long long)(want_kib >> 10), (unsigned long long)(avail_kib >> 10));
    return 2;
}

static int check_tracking(const struct vtx_run_opts *o, FILE *err)
{
    /* placement.c's memmap has one user id per VM plus one for the image store */
    if (!o->track || o->vms < MEMMAP_MAX_VMS)
        return 0;
    fprintf(err, "vtx: --vms %u is more than the %u VMs page tracking can record "
            "(add --no-track)\n", o->vms, MEMMAP_MAX_VMS - 1);
    return 2;
}

/* The node model: the --topology string's nodes, else this host's (hwloc, as
 * placement.c sees them when it tracks pages; the kernel's node count otherwise). */
static int count_model_nodes(const struct vtx_run_opts *o, struct vtx_run_plan *plan, FILE *err)
{
    plan->os_nodes = vtx_mem_os_nodes();
    if (!o->track) {
        plan->model_nodes = (unsigned)plan->os_nodes;
        return 0;
    }
    struct numa_topology *t;
    int e = o->topology ? numa_topology_create_synthetic(&t, o->topology)
                        : numa_topology_create_host(&t);
    if (e) {
        if (o->topology)
            fprintf(err, "vtx: --topology '%s' is not an hwloc synthetic description with "
                    "NUMA nodes (e.g. \"pack:2 [numa] core:1 pu:1\")\n", o->topology);
        else
            fprintf(err, "vtx: cannot read this host's topology (hwloc): %s\n", strerror(-e));
        return 2;
    }
    plan->model_nodes = numa_topology_nodes(t);
    numa_topology_destroy(t);
    return 0;
}

static int check_node(const char *opt, int node, const struct vtx_run_opts *o,
                      const struct vtx_run_plan *plan, FILE *err)
{
    if (node < 0 || (unsigned)node < plan->model_nodes)
        return 0;
    unsigned n = plan->model_nodes;
    if (o->topology)
        fprintf(err, "vtx: %s %d does not exist (the --topology model has %u node%s)\n", opt,
                node, n, n == 1 ? "" : "s");
    else
        fprintf(err, "vtx: %s %d does not exist (this host has %u NUMA node%s)\n", opt, node,
                n, n == 1 ? "" : "s");
    return 2;
}

static int check_nodes(const struct vtx_run_opts *o, struct vtx_run_plan *plan, FILE *err)
{
    int rc = count_model_nodes(o, plan, err);
    if (!rc && !o->spread)
        rc = check_node("--node", o->node, o, plan, err);
    if (!rc)
        rc = check_node("--migrate-to", o->migrate_to, o, plan, err);
    if (!rc)
        rc = check_node("--move-vcpu-to", o->move_vcpu_to, o, plan, err);
    return rc;
}

/* The policy as it will run: the library loaded (ABI, symbol, decide), its parameters
 * judged by it and by the generic thresholds, on the node model; then unloaded again
 * (vtx_place_create opens its own). The error lines are numa/'s, as disco prints them. */
static int check_policy(const struct vtx_run_opts *o, const struct vtx_run_plan *plan,
                        FILE *err)
{
    if (!numa_choice_given(&o->policy))
        return 0;
    struct numa_policy_choice c = o->policy;   /* the used marks are the check's own */
    struct numa_policy pol;
    char why[512];
    if (vtx_place_open_policy(&pol, &c, plan->model_nodes, why, sizeof(why))) {
        fprintf(err, "vtx: %s\n", why);
        return 2;
    }
    numa_policy_fini(&pol);
    return 0;
}

static int open_trace(const struct vtx_run_opts *o, struct vtx_run_plan *plan, FILE *err)
{
    if (!o->numa_trace)
        return 0;
    plan->trace = fopen(o->numa_trace, "w");
    if (plan->trace)
        return 0;
    fprintf(err, "vtx: cannot write --numa-trace %s: %s\n", o->numa_trace, strerror(errno));
    return 2;
}

/* Last: a machine without KVM still hears about every other mistake first. */
static int check_kvm(const struct vtx_run_opts *o, FILE *err)
{
    if (access(o->kvm_path, R_OK | W_OK) == 0)
        return 0;
    fprintf(err, "vtx: cannot use %s: %s (KVM is required)\n", o->kvm_path, strerror(errno));
    return 2;
}

int vtx_run_check(const struct vtx_run_opts *o, struct vtx_image *img,
                  struct vtx_run_plan *plan, FILE *err)
{
    memset(plan, 0, sizeof(*plan));
    int rc = check_image(o, img, err);
    if (rc)
        return rc;                   /* nothing was opened */
    rc = check_memory(o, err);
    if (!rc)
        rc = check_tracking(o, err);
    if (!rc)
        rc = check_nodes(o, plan, err);
    if (!rc)
        rc = check_policy(o, plan, err);
    if (!rc)
        rc = open_trace(o, plan, err);
    if (!rc)
        rc = check_kvm(o, err);
    if (rc) {
        if (plan->trace)
            fclose(plan->trace);
        plan->trace = NULL;
        vtx_image_close(img);
    }
    return rc;
}
