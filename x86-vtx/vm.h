/* vm.h - one lightweight guest: a KVM VM with one vCPU, run by one pinned host thread.
 *
 * Data structures:
 *   struct vtx_host  process-wide context shared by all VMs of a run: the /dev/kvm handle,
 *                    the host hwloc topology (for pinning), the hold barrier, the optional
 *                    placement tracker (pmap/memmap bridge) and its lock.
 *   struct vtx_vm    one guest: KVM fds, its three memory regions (private boot area,
 *                    copy-on-write image mapping, NUMA-placed RAM), device state (console
 *                    buffer, exit code, hypercall results) and timing.
 * Invariants:
 *   - a VM's memory slots are: 0 boot area, 1 image, 2 RAM (layout.h addresses);
 *     slots 1 and 2 log dirty pages when host->dirty_image / dirty_ram ask for it;
 *   - vm->node is the OS NUMA node holding its RAM policy and image replica, and its
 *     vCPU thread is bound to that node's CPUs (when the host topology has them);
 *   - state moves CREATED -> RUNNING -> EXITED|FAILED and never back; console, exit
 *     code and reports are written by the vCPU thread only and read after join (or under
 *     host->lock for the live counters);
 *   - nothing a guest does (bad port, bad MMIO, triple fault) affects the VMM or other
 *     VMs: it ends that VM as FAILED with a reason;
 *   - while vtx_vm_pause() holds a VM, its vCPU thread is parked outside KVM_RUN (or has
 *     ended): the guest cannot touch its memory, so the VMM may change its mappings;
 *   - ran_on[n] counts the vCPU thread's exits taken while it ran on OS node n since the
 *     placement tracker last read them (sched_getcpu() after every exit, mapped to a
 *     node through host->cpu_node): where the guest ran during a dirty-log interval.
 */
#ifndef X86_VTX_VM_H
#define X86_VTX_VM_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <hwloc.h>
#include "x86-vtx/kvm.h"
#include "x86-vtx/guestmem.h"
#include "x86-vtx/image.h"

#define VTX_CONSOLE_MAX 1024
#define VTX_MAX_REPORTS 16
#define VTX_MAX_OS_NODES 64       /* OS nodes whose vCPU samples are kept (ran_on) */
#define VTX_KICK_SIGNAL  SIGUSR1  /* kicks a vCPU thread out of KVM_RUN (no-op handler) */

struct vtx_placement;

struct vtx_host {
    struct kvm_sys kvm;
    hwloc_topology_t hw;          /* real host topology, for thread binding */
    int os_nodes;                 /* nodes the kernel can place memory on */
    bool dirty_image;             /* register the image slot with dirty logging */
    bool dirty_ram;               /* register the RAM slot with dirty logging */
    size_t thread_stack;          /* bytes per vCPU thread stack */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    unsigned held;                /* VMs blocked in VTX_HC_HOLD */
    unsigned running;             /* VMs whose vCPU thread has not finished */
    bool released;                /* held VMs may continue */
    struct vtx_placement *placement; /* may be NULL */
    int *cpu_node;                /* OS node of each CPU (index: CPU number), -1 unknown */
    int ncpus;                    /* entries in cpu_node */
};

enum vtx_vm_state { VTX_VM_CREATED, VTX_VM_RUNNING, VTX_VM_EXITED, VTX_VM_FAILED };

struct vtx_vm {
    struct vtx_host *host;
    uint32_t index;
    int node;                     /* OS node */
    int model_node;               /* node in the placement model (= node on real hosts) */
    _Atomic int rebind;           /* vCPU thread re-binds to `node` at its next exit */
    uint64_t arg;
    struct kvm_vmfd kvm;
    int vcpu_fd;
    struct kvm_run *run;
    struct vtx_mem boot, ram;
    struct vtx_image *image;
    void *image_map;
    pthread_t thread;
    bool thread_started;
    _Atomic int state;
    _Atomic uint32_t phase;       /* last VTX_HC_PHASE value */
    int exit_code;
    char why[128];                /* reason for FAILED */
    char console[VTX_CONSOLE_MAX];
    size_t console_len;
    bool console_truncated;
    uint64_t report[VTX_MAX_REPORTS];
    uint32_t reported;            /* bit i set: report[i] valid */
    uint64_t exits, pio_exits, mmio_exits, hypercalls;
    uint64_t t_start_ns, t_exit_ns;   /* CLOCK_MONOTONIC */
    _Atomic uint32_t ran_on[VTX_MAX_OS_NODES]; /* exits per OS node, see the header */
    _Atomic int last_node;        /* OS node of the vCPU thread at its latest exit */
    bool pause_req, paused;       /* under host->lock: vtx_vm_pause() protocol */
};

int vtx_host_init(struct vtx_host *host, const char *kvm_path);
void vtx_host_fini(struct vtx_host *host);
/* Let every VM blocked in VTX_HC_HOLD continue. */
void vtx_host_release(struct vtx_host *host);
/* Wait until `count` VMs are held or no VM is running any more, or timeout_ms passes.
 * Returns the number held. */
unsigned vtx_host_wait_held(struct vtx_host *host, unsigned count, unsigned timeout_ms);

/* Create a VM (memory on os_node, image mapped, slots registered, vCPU in long mode at
 * the image entry). Does not start it. Errors: negative errno, reason in vm->why. */
int vtx_vm_create(struct vtx_vm *vm, struct vtx_host *host, uint32_t index, int os_node,
                  int model_node, struct vtx_image *image, size_t ram_size, uint64_t arg);
/* Start the vCPU thread. */
int vtx_vm_start(struct vtx_vm *vm);
/* Wait for the vCPU thread. */
void vtx_vm_join(struct vtx_vm *vm);
void vtx_vm_destroy(struct vtx_vm *vm);

/* Park the vCPU thread outside KVM_RUN (kicked with VTX_KICK_SIGNAL) and wait until it
 * is, or until it has ended. Returns true if parked (then vtx_vm_resume() is due),
 * false if the thread was not running. Not for a VM blocked in the HOLD hypercall. */
bool vtx_vm_pause(struct vtx_vm *vm);
void vtx_vm_resume(struct vtx_vm *vm);

/* The OS node the vCPU thread ran on most during the interval since the last call
 * (ran_on, which this resets), or its latest node if it took no exit since; -1 if it
 * never ran. */
int vtx_vm_take_node(struct vtx_vm *vm);

/* Host address of guest-physical gpa for len bytes, NULL if not RAM/image/boot. */
void *vtx_vm_gpa_to_hva(const struct vtx_vm *vm, uint64_t gpa, size_t len);

uint64_t vtx_now_ns(void);

#endif
