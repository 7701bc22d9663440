/* options.c - the `vtx run` command line: defaults, sizes, and one table of options.
 * Only syntax and combinations are checked here (no file, host or KVM access); what
 * depends on the host is checked by vtx_run_check (preflight.c). */
#include "x86-vtx/run.h"
#include "x86-vtx/layout.h"
#include "numa/select.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define VTX_VMS_MAX          100000U
#define VTX_NODE_MAX         63U        /* node numbers fit a 64-bit node mask */
#define VTX_HOLD_TIMEOUT_MAX 3600000U   /* one hour, in milliseconds */
#define VTX_SIZE_MAX         (1ULL << 40)

void vtx_run_opts_default(struct vtx_run_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->kvm_path = VTX_KVM_DEFAULT;
    o->vms = 1;
    o->mem = 16 << 20;
    o->node = 0;
    o->migrate_to = -1;
    o->move_vcpu_to = -1;
    o->track = true;
    o->hold_timeout_ms = 60000;
}

size_t vtx_parse_size(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *s == '-')
        return 0;
    unsigned shift = 0;
    if (*end == 'k' || *end == 'K') shift = 10, end++;
    else if (*end == 'm' || *end == 'M') shift = 20, end++;
    else if (*end == 'g' || *end == 'G') shift = 30, end++;
    if (*end == 'i' && shift) end++;
    if (*end == 'B' || *end == 'b') end++;
    if (*end || v > VTX_SIZE_MAX >> shift)
        return 0;
    return (size_t)(v << shift);
}

static int bad(FILE *err, const char *fmt, const char *what)
{
    fprintf(err, "vtx: ");
    fprintf(err, fmt, what);
    fprintf(err, "\n");
    return 2;
}

/* A whole decimal (or 0x) number without sign or suffix, at most max. */
static int parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (!s || *s == '-' || *s == '+')
        return -1;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

/* ---- one handler per option: 0, or 2 after one error line ------------------------- */
typedef int (*opt_fn)(struct vtx_run_opts *o, const char *val, FILE *err);

static int opt_vms(struct vtx_run_opts *o, const char *val, FILE *err)
{
    unsigned long long v;
    if (parse_uint(val, VTX_VMS_MAX, &v) || v == 0)
        return bad(err, "--vms wants a number of VMs from 1 to 100000, not '%s'", val);
    o->vms = (unsigned)v;
    return 0;
}

static int opt_mem(struct vtx_run_opts *o, const char *val, FILE *err)
{
    o->mem = vtx_parse_size(val);
    if (o->mem == 0 || (o->mem & (VTX_PAGE_SIZE - 1)))
        return bad(err, "--mem wants a size in whole 4 KiB pages (e.g. 16M), not '%s'", val);
    return 0;
}

static int node_number(const char *opt, const char *val, int *out, FILE *err)
{
    unsigned long long v;
    if (parse_uint(val, VTX_NODE_MAX, &v)) {
        fprintf(err, "vtx: %s wants a NUMA node number from 0 to %u, not '%s'\n", opt,
                VTX_NODE_MAX, val);
        return 2;
    }
    *out = (int)v;
    return 0;
}

static int opt_node(struct vtx_run_opts *o, const char *val, FILE *err)
{
    o->spread = false;
    return node_number("--node", val, &o->node, err);
}

static int opt_spread(struct vtx_run_opts *o, const char *val, FILE *err)
{
    (void)val; (void)err;
    o->spread = true;
    return 0;
}

static int opt_arg(struct vtx_run_opts *o, const char *val, FILE *err)
{
    unsigned long long v;
    if (parse_uint(val, UINT64_MAX, &v))
        return bad(err, "--arg wants an unsigned number, not '%s'", val);
    o->arg = v;
    return 0;
}

static int opt_hold(struct vtx_run_opts *o, const char *val, FILE *err)
{
    (void)val; (void)err;
    o->hold = true;
    return 0;
}

static int opt_quiet(struct vtx_run_opts *o, const char *val, FILE *err)
{
    (void)val; (void)err;
    o->quiet = true;
    return 0;
}

static int opt_verify(struct vtx_run_opts *o, const char *val, FILE *err)
{
    (void)val; (void)err;
    o->verify_memtouch = true;
    return 0;
}

static int opt_migrate_to(struct vtx_run_opts *o, const char *val, FILE *err)
{
    return node_number("--migrate-to", val, &o->migrate_to, err);
}

static int opt_move_vcpu_to(struct vtx_run_opts *o, const char *val, FILE *err)
{
    return node_number("--move-vcpu-to", val, &o->move_vcpu_to, err);
}

/* The policy options say what disco's say, in the same words (numa/select.c). */
static int choice_error(FILE *err, int rc, const char *why)
{
    if (!rc)
        return 0;
    fprintf(err, "vtx: %s\n", why);
    return 2;
}

static int opt_policy(struct vtx_run_opts *o, const char *val, FILE *err)
{
    char why[256];
    return choice_error(err, numa_choice_set_name(&o->policy, val, why, sizeof(why)), why);
}

static int opt_policy_lib(struct vtx_run_opts *o, const char *val, FILE *err)
{
    (void)err;
    o->policy.lib = val;
    return 0;
}

static int opt_policy_param(struct vtx_run_opts *o, const char *val, FILE *err)
{
    char why[256];
    /* val is an argv string (vtx_run_parse's contract): split in place, kept by o */
    return choice_error(err, numa_choice_add_param(&o->policy, (char *)val, why, sizeof(why)),
                        why);
}

static int opt_numa_trace(struct vtx_run_opts *o, const char *val, FILE *err)
{
    if (!*val)
        return bad(err, "%s", "--numa-trace wants a file name, not ''");
    o->numa_trace = val;
    return 0;
}

static int opt_topology(struct vtx_run_opts *o, const char *val, FILE *err)
{
    if (!*val)
        return bad(err, "%s", "--topology wants an hwloc synthetic description, not ''");
    o->topology = val;
    return 0;
}

static int opt_no_track(struct vtx_run_opts *o, const char *val, FILE *err)
{
    (void)val; (void)err;
    o->track = false;
    return 0;
}

static int opt_cow_report(struct vtx_run_opts *o, const char *val, FILE *err)
{
    (void)val; (void)err;
    o->cow_report = true;
    return 0;
}

static int opt_kvm(struct vtx_run_opts *o, const char *val, FILE *err)
{
    if (!*val)
        return bad(err, "%s", "--kvm wants the path of the KVM device, not ''");
    o->kvm_path = val;
    return 0;
}

static int opt_hold_timeout(struct vtx_run_opts *o, const char *val, FILE *err)
{
    unsigned long long v;
    if (parse_uint(val, VTX_HOLD_TIMEOUT_MAX, &v))
        return bad(err, "--hold-timeout wants milliseconds up to 3600000, not '%s'", val);
    o->hold_timeout_ms = (unsigned)v;
    return 0;
}

static const struct {
    const char *name;
    bool takes_value;
    opt_fn fn;
} options[] = {
    { "--vms", true, opt_vms },              { "--mem", true, opt_mem },
    { "--node", true, opt_node },            { "--spread", false, opt_spread },
    { "--arg", true, opt_arg },              { "--hold", false, opt_hold },
    { "--quiet", false, opt_quiet },         { "--verify-memtouch", false, opt_verify },
    { "--migrate-to", true, opt_migrate_to },{ "--move-vcpu-to", true, opt_move_vcpu_to },
    { "--policy", true, opt_policy },        { "--policy-lib", true, opt_policy_lib },
    { "--policy-param", true, opt_policy_param }, { "--numa-trace", true, opt_numa_trace },
    { "--topology", true, opt_topology },
    { "--no-track", false, opt_no_track },   { "--cow-report", false, opt_cow_report },
    { "--kvm", true, opt_kvm },              { "--hold-timeout", true, opt_hold_timeout },
};

bool vtx_run_uses_policy(const struct vtx_run_opts *o)
{
    return o->policy.lib || (o->policy.name && strcmp(o->policy.name, "none") != 0);
}

/* Options that only make sense together. */
static int check_combinations(const struct vtx_run_opts *o, FILE *err)
{
    char why[256];
    if (numa_choice_check(&o->policy, why, sizeof(why)))
        return choice_error(err, -EINVAL, why);
    if (!o->guest)
        return bad(err, "%s", "no guest ELF file given: vtx run [options] guest.elf");
    if (o->mem > VTX_RAM_MAX)
        return bad(err, "%s", "--mem is more than the 3 GiB a guest can have");
    if ((o->cow_report || o->migrate_to >= 0 || o->move_vcpu_to >= 0 ||
         numa_choice_given(&o->policy) || o->topology) && !o->track)
        return bad(err, "%s", "--no-track cannot be combined with --migrate-to, --move-vcpu-to, "
                   "--policy, --policy-lib, --topology or --cow-report");
    if (o->policy.nkv && !numa_choice_given(&o->policy))
        return bad(err, "%s", "--policy-param needs --policy or --policy-lib (the default, "
                   "policy none, takes no parameters)");
    if (o->numa_trace && !vtx_run_uses_policy(o))
        return bad(err, "%s", "--numa-trace needs a policy that decides: --policy-lib, or "
                   "--policy other than none");
    if (o->cow_report && !o->hold)
        return bad(err, "%s", "--cow-report needs --hold (it reports while all VMs are alive)");
    return 0;
}

int vtx_run_parse(struct vtx_run_opts *o, int argc, char **argv, FILE *err)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        size_t k = 0, n = sizeof(options) / sizeof(options[0]);
        while (k < n && strcmp(options[k].name, a) != 0)
            k++;
        if (k < n) {
            const char *val = "";
            if (options[k].takes_value) {
                if (i + 1 >= argc)
                    return bad(err, "option %s needs a value", a);
                val = argv[++i];
            }
            int rc = options[k].fn(o, val, err);
            if (rc)
                return rc;
        } else if (a[0] == '-' && a[1]) {
            return bad(err, "unknown option '%s' (see x86-vtx/README.md)", a);
        } else if (!o->guest) {
            o->guest = a;
        } else {
            return bad(err, "more than one guest file given ('%s')", a);
        }
    }
    return check_combinations(o, err);
}
