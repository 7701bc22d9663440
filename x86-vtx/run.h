/* run.h - one `vtx run`: options, the checks made before KVM is touched, the VMs it
 * starts, and its results.
 *
 * Data structure: struct vtx_run_opts is the parsed command line (options.c: syntax and
 * combinations only); vtx_run_check (preflight.c) then checks it against the host and
 * the guest file; vtx_run() creates the host context and N VMs, starts one vCPU thread
 * per VM as soon as it is created, optionally holds them all alive at once, migrates
 * memory, checks checksums, prints per-VM output and a summary.
 *
 * Invariants: every option and input file is validated before /dev/kvm is opened, and
 * the KVM device is the last thing checked, so bad input gets its own error line on a
 * machine without KVM too; no KVM object exists before the checks passed (bad input
 * never leaves half a run behind); output goes to `out`, one clear line per error to
 * `err`.
 * Return: 0 all VMs exited with status 0 (and checks passed), 1 a VM failed or a check
 * failed, 2 bad input or the host refused a resource at set-up.
 */
#ifndef X86_VTX_RUN_H
#define X86_VTX_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "numa/select.h"
#include "x86-vtx/image.h"

/* The KVM device when neither --kvm nor the environment variable VTX_KVM names one. */
#define VTX_KVM_DEFAULT "/dev/kvm"
#define VTX_KVM_ENV     "VTX_KVM"

struct vtx_run_opts {
    const char *kvm_path;      /* --kvm, else $VTX_KVM (set by main), else /dev/kvm */
    const char *guest;         /* ELF path */
    unsigned vms;              /* default 1 */
    size_t mem;                /* guest RAM bytes per VM, default 16 MiB */
    int node;                  /* node of the model (the host's node K without --topology) */
    bool spread;               /* round-robin VMs over host nodes */
    uint64_t arg;              /* passed to the guest in rcx */
    bool hold;                 /* count VMs alive at once (guests call VTX_HC_HOLD) */
    bool quiet;                /* no per-VM console output */
    bool verify_memtouch;      /* check each VM's report[0] against the expected checksum */
    int migrate_to;            /* model node to move RAM to once phase 1 is reached, -1 none */
    int move_vcpu_to;          /* model node to move only the vCPUs to at phase 1, -1 none */
    struct numa_policy_choice policy; /* --policy / --policy-lib / --policy-param: the
                                          numa policy fed with dirty-log hot pages */
    const char *numa_trace;    /* --numa-trace FILE: one JSON line per policy decision */
    const char *topology;      /* hwloc synthetic topology for the policy's node model */
    bool track;                /* record pages in the pmap/memmap (default on) */
    bool cow_report;           /* print image sharing from /proc/self/pagemap */
    unsigned hold_timeout_ms;  /* default 60000 */
};

void vtx_run_opts_default(struct vtx_run_opts *o);
/* Parse argv (after "run"). Returns 0, or 2 after printing one error line to err.
 * --policy-param splits its argv string in place; argv must outlive o. */
int vtx_run_parse(struct vtx_run_opts *o, int argc, char **argv, FILE *err);
/* True if the run feeds dirty-log hot pages to a policy (a library, or a built-in other
 * than "none"): the RAM slots then log dirty pages. */
bool vtx_run_uses_policy(const struct vtx_run_opts *o);

/* What vtx_run_check learned about the host, for the run that follows. */
struct vtx_run_plan {
    unsigned model_nodes;      /* nodes of the placement model (--topology, or the host) */
    int os_nodes;              /* nodes the kernel can place memory on */
    FILE *trace;               /* --numa-trace, opened; the caller closes it */
};
/* Check the guest file (opened into img), memory, limits, the node model and every node
 * named, the policy (its library loaded and its parameters judged, then unloaded), the
 * --numa-trace file (opened into plan->trace), then the KVM device (last). Returns 0 with
 * img (and plan->trace) open (the caller closes them), or 2
 * after one error line to err with nothing left open. Needs no KVM. */
int vtx_run_check(const struct vtx_run_opts *o, struct vtx_image *img,
                  struct vtx_run_plan *plan, FILE *err);
/* Check (as above) and run. */
int vtx_run(const struct vtx_run_opts *o, FILE *out, FILE *err);

/* Parse "16M", "512K", "1G", "4096": bytes, or 0 on error. */
size_t vtx_parse_size(const char *s);

#endif
