/*
 * monitor/monitor.h - the Disco monitor as a library: build the NUMA machine, add
 * virtual machines, run them, report. The `disco` command (monitor/main.c) is a thin
 * layer of option parsing over this; unit tests use it (and monitor/internal.h).
 *
 * Life cycle: mon_create (machine + board + pools + cost table) -> mon_add_vm once per
 * VM (memory, vCPUs, kernel loaded into guest-physical memory) -> mon_run (until every
 * VM has ended, the instruction limit, or a deadlock) -> mon_write_stats -> mon_destroy.
 *
 * Errors: mon_create and mon_add_vm return a negative errno and write a one-line
 * reason into err; nothing a guest does makes any function here fail or crash.
 * Determinism: the run depends only on the configuration and the guest images.
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mips-sim/boards/board_numa.h"
#include "numa/policy_abi.h"
#include "mips-sim/machine.h"
#include "monitor/costs.h"

#define VM_NODE_SPREAD (-1)

struct vm_config {
    char name[32];
    const char *kernel;         /* guest kernel ELF (kernel-window addresses); NULL: none */
    const char *initrd;         /* optional */
    const char *cmdline;        /* optional */
    const char *disk;           /* raw disk image, shared read-only (virtio-blk); NULL: none */
    const char *run;            /* command for the guest's init: appended to the command
                                   line as disco.run="..." (no '"', no control characters) */
    uint64_t mem_bytes;         /* guest-physical memory, multiple of 4K, <= 256M */
    int vcpus;                  /* 1..MON_MAX_VCPUS */
    int node;                   /* home node, or VM_NODE_SPREAD */
};

struct mon_config {
    machine_config machine;     /* ncpus is set from the board shape */
    board_numa_config board;
    uint64_t slice_cycles;      /* time slice of a vCPU when others wait (default 0.5 ms) */
    bool flush_on_switch;       /* Disco's scheme: flush the real TLB on vCPU switch
                                   instead of giving each (vCPU, guest ASID) a real ASID */
    const char *console_dir;    /* one file per VM, or NULL: prefixed lines on out */
    const char *policy;         /* hot-page policy (numa/policy.h), NULL: "disco" */
    const char *policy_lib;     /* or a policy loaded from this shared object */
    struct numa_policy_kv *policy_kv;   /* --policy-param pairs (numa/policy_abi.h) */
    unsigned policy_nkv;
    const char *numa_trace;     /* --numa-trace FILE, or NULL */
    bool quiet;
};

struct mon;

void mon_config_defaults(struct mon_config *cfg);
int mon_create(struct mon **out, const struct mon_config *cfg, const struct mon_costs *costs,
               FILE *out_stream, char *err, size_t errlen);
int mon_add_vm(struct mon *mon, const struct vm_config *vc, char *err, size_t errlen);
/* Run every VM. Returns the disco exit status: 0 if every VM powered off with 0, else
 * the first nonzero status; 3 if the instruction limit stopped the run; 4 deadlock. */
int mon_run(struct mon *mon);
void mon_write_stats(struct mon *mon, FILE *f);
machine *mon_machine(struct mon *mon);
void mon_destroy(struct mon *mon);

#endif
