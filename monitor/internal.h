/*
 * monitor/internal.h - what the monitor's own files share: the monitor, VM, virtual
 * CPU and physical CPU structures, and the functions one file offers the others.
 * Nothing outside monitor/ (and its unit tests) includes this; the `disco` command
 * uses monitor/monitor.h.
 *
 * Objects and ownership:
 *   struct mon    the machine (NUMA board), the machine-page pool and memmap, the
 *                 cost table, every VM, every physical CPU (struct pcpu);
 *   struct vm     one guest: its pmap (guest-physical -> machine), its vCPUs, console;
 *   struct vcpu   one virtual CPU: saved registers while not running, the virtual CP0,
 *                 the guest's virtual TLB, its L2TLB, pending virtual interrupts;
 *   struct pcpu   one physical CPU: the vCPU it runs (or NULL: idle), what each of its
 *                 real TLB slots holds (for backmaps and exact invalidation), its ASID
 *                 allocator.
 *
 * Invariants:
 *   - a vCPU is RUNNING iff exactly one pcpu has cur == it, and then its registers
 *     live in that CPU (the saved copy is stale); otherwise they live in the vcpu;
 *   - while a guest runs, the real Status has EXL = ERL = 0, CU0 = 0 and KSU =
 *     supervisor (virtual kernel or supervisor mode) or user (virtual user mode), so
 *     every privileged instruction and every exception reaches the monitor;
 *   - real TLB slot 0 of every pcpu is wired to the running vCPU's HAL page pair;
 *   - a real TLB slot holding a guest translation has a backmap in its VM's pmap for
 *     each valid half (rslot.bm), so pmap/memmap changes shoot down exactly those;
 *     likewise every L2TLB entry carries its backmap handle as the cookie;
 *   - a real TLB entry derived from a guest TLB entry is tagged with the real ASID of
 *     (vCPU, guest ASID) on that pcpu (or is global and owned by the vCPU), so it is
 *     reachable only while that vCPU runs that address space; a guest TLB write
 *     removes every real and L2TLB entry derived from the entry it overwrites;
 *   - guest-physical frame numbers >= the VM's pages never reach a machine page.
 */
#ifndef MONITOR_INTERNAL_H
#define MONITOR_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "l2tlb/l2tlb.h"
#include "mips-sim/boards/board_numa.h"
#include "mips-sim/hook.h"
#include "mips-sim/machine.h"
#include "mips-sim/cpu/tlb.h"
#include "monitor/abi.h"
#include "monitor/costs.h"
#include "monitor/disk.h"
#include "monitor/monitor.h"
#include "numa/policy.h"
#include "numa/pool.h"
#include "pmap/pmap.h"

#define MON_MAX_VMS     32
#define MON_MAX_VCPUS   64          /* per VM */
#define VTLB_ENTRIES    64          /* the guest's virtual TLB (Config1.MMUSize + 1) */
#define RTLB_MAX        64          /* real TLB slots tracked per pcpu */
#define RTLB_HAL_SLOT   0           /* wired: the running vCPU's HAL page pair */
#define ASID_COUNT      256
#define PAGE_SHIFT      12
#define PAGE_SIZE       4096u
#define ST_IM_TIMER     0x8000u     /* Status.IM7: the Count/Compare timer */
#define ST_IM_IPI       0x0400u     /* Status.IM2: board IPIs */
#define MON_STATUS_IM   (ST_IM_TIMER | ST_IM_IPI)   /* the real IM the monitor runs with */
#define MON_IPI_LINE    0           /* board IPIs raise IP2 */
#define KSEG0_BASE      0x80000000u
#define KSEG1_BASE      0xA0000000u
#define KSEG2_BASE      0xC0000000u
/* Back-to-back traps with no progress that stop a VM. Well below the CPU's own limit
 * (CPU_STORM_LIMIT), which would stop the physical CPU and every VM scheduled on it. */
#define STORM_TRAPS     (CPU_STORM_LIMIT / 10)
#define STORM_MIN_INSNS 4u          /* guest instructions between traps that count as progress */
#define LOOP_FORWARDS   100000u     /* the same fault forwarded this often in a row: a loop */

/* ---- virtual CPU ----------------------------------------------------------------- */

enum vcpu_state { VCPU_OFF = 0, VCPU_RUNNABLE, VCPU_RUNNING, VCPU_BLOCKED, VCPU_DEAD };

/* The virtual CP0 (fields as the guest sees them). Count is not stored: see vtimer. */
struct vcp0 {
    uint32_t index, entrylo0, entrylo1, context, pagemask, wired, hwrena, badvaddr;
    uint32_t entryhi, compare, status, intctl, cause, epc, ebase, errorepc, userlocal;
    uint32_t config0, config1, config2, config3, prid, lladdr;
    uint32_t kscratch[2];
    uint32_t random;            /* next TLBWR victim, counts down through [wired, n) */
};

/* Where a filled translation came from (statistics). */
enum fill_src { FILL_L2TLB, FILL_GUEST, FILL_KWIN, FILL_FORWARD, FILL_SRC_COUNT };

/* Emulated instruction kinds (statistics and costs). */
enum emul_kind {
    EMUL_MFC0, EMUL_MTC0, EMUL_TLBR, EMUL_TLBWI, EMUL_TLBWR, EMUL_TLBP, EMUL_ERET,
    EMUL_WAIT, EMUL_CACHE, EMUL_DI, EMUL_EI, EMUL_KIND_COUNT
};

/* Only uint64_t counters: stats.c sums them member by member. */
struct vcpu_stats {
    uint64_t traps[32];                 /* real exceptions by ExcCode */
    uint64_t forwarded[32];             /* exceptions forwarded to the guest */
    uint64_t emulated[EMUL_KIND_COUNT];
    uint64_t mcalls[ABI_MC_COUNT + 1];  /* last: unknown numbers */
    uint64_t fills[FILL_SRC_COUNT];
    uint64_t cycles[COST_CAT_COUNT];    /* monitor cycles charged, by category */
    uint64_t blocked_cycles;            /* time descheduled waiting for an interrupt */
    uint64_t switches_in;               /* times scheduled onto a physical CPU */
    uint64_t virq_delivered;
    uint64_t mmio;
    uint64_t full_flushes;              /* guest full TLB flushes seen */
};

struct vcpu {
    struct vm *vm;
    int id;                     /* within the VM */
    int gid;                    /* index in mon->all_vcpus */
    int home_node;
    enum vcpu_state state;
    struct pcpu *on;            /* RUNNING: the pcpu; else NULL */

    /* Saved registers while not running (pc: restart address, never in a delay slot). */
    uint32_t gpr[32], hi, lo, pc;

    struct vcp0 cp0;
    uint32_t count_base;        /* virtual Count = count_base + (now - count_cycle) / 2 */
    uint64_t count_cycle;
    uint64_t timer_deadline;    /* cycle of the next Count == Compare match */
    bool timer_armed;           /* the guest has set Compare at least once */
    uint32_t pending;           /* virtual Cause.IP bits as IP numbers (bit n = IPn) */
    bool ipi_in_service;        /* an IPI was delivered; Cause shows IP3 until ERET */

    tlb gtlb;                   /* the guest's virtual TLB, exactly as it wrote it */
    struct l2tlb *l2;
    uint32_t *asid_map;         /* [pcpu * 256 + guest ASID] = gen << 8 | real ASID */
    uint64_t tlb_cpus;          /* pcpus whose real TLB may hold its entries */
    uint64_t inval_mask;        /* guest TLB indexes written invalid since (full flush) */

    uint64_t hal_mfn;           /* machine frame of the HAL page */
    abi_hal_page *hal;          /* its host address */
    uint64_t last_run;          /* cycle it was last descheduled (round robin) */
    uint64_t blocked_since;
    uint64_t insns_mark;        /* CPU instruction count when the monitor last resumed it */
    uint32_t storm;             /* consecutive traps without progress */
    uint64_t fwd_key;           /* (code, EPC, BadVAddr) of the last forwarded exception */
    uint32_t fwd_repeat;        /* how many times in a row it was the same */
    struct vcpu_stats stats;
};

/* ---- virtual machine --------------------------------------------------------------- */

enum vm_state { VM_RUNNING = 0, VM_OFF, VM_STOPPED };

struct vdev;

struct vm {
    struct mon *mon;
    int id;
    char name[32];
    struct vm_config cfg;
    struct pmap *pmap;
    uint64_t npages;
    struct vcpu *vcpus[MON_MAX_VCPUS];
    int nvcpus;
    enum vm_state state;
    int exit_code;
    uint64_t start_cycle;
    unsigned next_node;         /* spread: round-robin node for first touches */

    /* console: a line buffer, printed prefixed with the name or written to a file */
    FILE *console_file;
    char line[512];
    size_t line_len;

    void *dev_state[8];         /* per-device state, indexed like the device table */
    uint32_t dev_irq;           /* virtio transports asserting IP2 (bit = device slot) */
    bool devs_up;
    uint64_t pages_touched;
};

/* ---- physical CPU ------------------------------------------------------------------ */

enum rslot_kind { RSLOT_FREE = 0, RSLOT_HAL, RSLOT_KWIN, RSLOT_GUEST, RSLOT_GUEST_G };

struct rslot {
    uint8_t kind;
    uint8_t gasid;              /* RSLOT_GUEST: the guest ASID */
    uint8_t rasid;              /* real ASID (RSLOT_GUEST) */
    bool has_bm[2];
    struct vm *vm;              /* whose pmap holds the backmaps */
    struct vcpu *owner;         /* RSLOT_GUEST*: the vCPU whose guest TLB it came from */
    uint32_t va;                /* VPN2 base of the pair */
    pmap_backmap_t bm[2];
};

struct pcpu {
    struct mon *mon;
    cpu *c;
    int id, node;
    struct vcpu *cur;           /* running vCPU, NULL when idle */
    struct vcpu *g_owner;       /* vCPU whose global guest entries are in the TLB */
    struct vm *kwin_vm;         /* VM whose kernel-window entries are in the TLB */
    struct rslot slot[RTLB_MAX];
    int nslots;
    int next_slot;              /* round-robin victim in [1, nslots) */
    uint32_t asid_next;         /* next real ASID to hand out (1..255) */
    uint32_t asid_gen;          /* generation, >= 1 */
    uint64_t slice_end;         /* cycle at which the running vCPU's slice ends */
    bool idle;
};

/* ---- NUMA: hot pages (numa.c) ------------------------------------------------------ */

#define NUMA_QUEUE 64

#define NUMA_TRACE_USERS 8     /* users shown to the policy (and counted beyond) */

/* Local/remote cache misses, summed while a VM's vCPUs ran (vcpu in/out deltas). */
struct mon_numa_misses {
    uint64_t local, remote;
};

#define NUMA_INTERVALS 256
#define NUMA_IV_NODES 16
struct mon_numa_interval {
    uint64_t t;                                   /* machine time (cycles) */
    struct mon_numa_misses node[NUMA_IV_NODES];   /* misses by the node's CPUs */
    struct mon_numa_misses vm[MON_MAX_VMS];       /* misses while the VM's vCPUs ran */
};

struct mon_numa {
    struct numa_policy policy;
    hotpage_event queue[NUMA_QUEUE];  /* events not yet handled */
    unsigned queued;
    uint64_t events, dropped;
    FILE *trace;                      /* --numa-trace: one JSON line per decision */
    uint64_t last_tick;               /* time of the policy's last tick */
    uint64_t cost_cycles;             /* monitor cycles charged by hot-page handling */
    uint64_t migrate_cycles, replicate_cycles;  /* of which: applying these actions */
    struct mon_numa_misses vm_misses[MON_MAX_VMS];
    struct mon_numa_misses cpu_mark[MACHINE_MAX_CPUS];  /* counters when a vCPU came in */

    /* autonuma (numa_policy_samples): every scan_period cycles, scan_pages mapped pages
     * of each VM from its cursor are marked (hint) and unmapped; the next fill of a
     * marked page is a hinting fault, handed to the policy as a one-fault event. The
     * counters' hot-page events are not used then (counter_ignored). */
    bool sampling;
    uint32_t scan_pages;
    uint64_t scan_period, next_scan;
    uint64_t scan_cur;                /* the current period: scan_period << back-off */
    uint64_t scan_faults0, scan_idle0; /* hint faults and idle ones at the last scan */
    uint8_t *hint[MON_MAX_VMS];       /* per guest page: 1 = marked, faults on next use */
    uint64_t cursor[MON_MAX_VMS];
    uint64_t scanned, hint_faults, counter_ignored;

    /* Local vs remote misses over time: a cumulative sample per interval (the counters'
     * reset period, doubled whenever NUMA_INTERVALS fill up), taken at the first monitor
     * fill after each boundary and once more when the statistics are written. */
    struct mon_numa_interval *iv;
    unsigned niv;
    uint64_t iv_period, iv_next;
};

/* ---- the monitor ------------------------------------------------------------------- */

struct mon {
    struct mon_config cfg;
    machine m;
    board_numa bn;
    struct numa_pool *pool;
    struct memmap *mm;
    struct mon_costs costs;
    struct pcpu pcpus[MACHINE_MAX_CPUS];
    int npcpus;
    struct vm *vms[MON_MAX_VMS];
    int nvms;
    struct vcpu *all_vcpus[MON_MAX_VMS * MON_MAX_VCPUS];
    int nall;
    uint64_t zero_mfn[16];      /* per node: a zero-filled frame (the HAL odd page) */
    uint64_t reserved_next[16]; /* per node: next free monitor-reserved frame */
    uint64_t reserved_end[16];
    int vms_done;
    int first_status;           /* the first nonzero VM exit status */
    uint64_t shootdowns, shootdown_ipis;
    struct mon_numa numa;
    struct disk_image *disks[DISK_MAX_IMAGES];  /* shared disk images (disk.c) */
    int ndisks;
    FILE *out;                  /* console output (stdout) */
    FILE *err;                  /* diagnostics (stderr) */
};

/* ---- functions shared between the monitor's files ---------------------------------- */

/* costs.c: charge the running CPU for one monitor operation, on v's account. */
void mon_charge(struct pcpu *p, struct vcpu *v, enum mon_cost what);
void mon_charge_n(struct pcpu *p, struct vcpu *v, enum mon_cost what, uint64_t times);

/* vm.c */
int vm_create(struct mon *mon, const struct vm_config *cfg, struct vm **out, char *err,
              size_t errlen);
void vm_destroy(struct vm *vm);
/* Guest-physical page -> machine translation for node, allocating (zeroed) on first
 * touch and breaking sharing for writes. 0, or -EFAULT outside the VM's memory. */
int vm_gpa_page(struct vm *vm, struct pcpu *p, struct vcpu *v, uint64_t gpn, bool write,
                struct pmap_translation *out);
/* Copy between host memory and guest-physical memory (monitor calls, loader). */
int vm_read_gpa(struct vm *vm, struct pcpu *p, uint64_t gpa, void *buf, size_t len);
int vm_write_gpa(struct vm *vm, struct pcpu *p, uint64_t gpa, const void *buf, size_t len);
/* The VM ends: powered off with status, or stopped by the monitor (reason != NULL). */
void vm_finish(struct vm *vm, struct pcpu *p, int status, const char *reason);
uint8_t *mon_frame_ptr(struct mon *mon, uint64_t mfn);
cpu *mon_phys_cpu(struct mon *mon);
void mon_zero_frame(struct mon *mon, uint64_t mfn);

/* loader.c: load a guest kernel ELF into guest-physical memory; entry in *entry. */
int loader_load_kernel(struct vm *vm, const char *path, uint32_t *entry, uint64_t *end,
                       char *err, size_t errlen);
int loader_load_file(struct vm *vm, const char *path, uint64_t gpa, uint64_t *size,
                     char *err, size_t errlen);

/* vcpu.c */
int vcpu_create(struct vm *vm, int id, struct vcpu **out);
void vcpu_destroy(struct vcpu *v);
void vcpu_reset(struct vcpu *v, uint32_t pc);
void vcpu_sync_real_count(struct pcpu *p, struct vcpu *v);
void vcpu_load(struct pcpu *p, struct vcpu *v);      /* registers + real state onto p */
void vcpu_save(struct pcpu *p, struct vcpu *v);      /* registers back from p */
void vcpu_apply_mode(struct pcpu *p, struct vcpu *v); /* real Status/EntryHi from virtual */
bool vcpu_guest_kernel(const struct vcpu *v);        /* virtual kernel mode? */
uint32_t vcpu_count(const struct vcpu *v, uint64_t now);
void vcpu_set_count(struct vcpu *v, uint64_t now, uint32_t count);
void vcpu_set_compare(struct pcpu *p, struct vcpu *v, uint32_t compare);
void vcpu_timer_update(struct vcpu *v, uint64_t now);
uint32_t vcpu_cause(const struct vcpu *v);            /* virtual Cause with IP bits */
bool vcpu_irq_deliverable(const struct vcpu *v);
bool vcpu_wake_condition(const struct vcpu *v);       /* WAIT/idle ends */
/* Forward exception `code` to the guest's vectors (EPC/BD from e, or pc if e NULL). */
void vcpu_forward(struct pcpu *p, struct vcpu *v, const cpu_exception *e, int code,
                  uint32_t badvaddr, bool refill);
/* Deliver a pending enabled virtual interrupt now, if any. */
bool vcpu_deliver_irq(struct pcpu *p, struct vcpu *v);
void vcpu_raise(struct vcpu *v, int ip);              /* set a pending IP line */

/* hal.c: keep the HAL page coherent with the virtual CP0. */
void hal_init(struct vcpu *v);
void hal_sync_in(struct vcpu *v);     /* guest-writable fields -> virtual CP0 */
void hal_sync_out(struct vcpu *v);    /* virtual CP0 -> every field */
void hal_map(struct pcpu *p, struct vcpu *v);         /* real TLB slot 0 */

/* trap.c: the hook installed on every CPU. */
int trap_hook(cpu *c, const cpu_exception *e, void *ctx);

/* emulate.c: a privileged instruction executed in virtual kernel mode. Returns true
 * when it was emulated (pc advanced), false when the guest must get an exception. */
bool emul_insn(struct pcpu *p, struct vcpu *v, const cpu_exception *e);
const char *emul_kind_name(enum emul_kind k);

/* mcall.c: a monitor call (the hypcall instruction in virtual kernel mode). */
void mcall_dispatch(struct pcpu *p, struct vcpu *v, const cpu_exception *e);
const char *mcall_name(int nr);

/* vtlb.c */
void vtlb_pcpu_init(struct pcpu *p);
/* A real TLB miss/invalid/modified exception at va: fill or forward. */
void vtlb_miss(struct pcpu *p, struct vcpu *v, const cpu_exception *e);
/* Guest TLB entry idx is about to be overwritten: drop everything derived from it. */
void vtlb_guest_drop(struct pcpu *p, struct vcpu *v, int idx);
/* Write guest TLB entry idx. random: a TLBWR victim (what it produced is retained in
 * the L2TLB); else an explicit write (what the old entry produced is dropped). */
void vtlb_guest_write(struct pcpu *p, struct vcpu *v, int idx, uint32_t hi, uint32_t pm,
                      uint32_t lo0, uint32_t lo1, bool random);
/* TLBP against the guest TLB with the virtual EntryHi: index or -1 (a miss drops
 * retained translations of the probed pair). */
int vtlb_guest_probe(struct pcpu *p, struct vcpu *v);
/* The real ASID of the running vCPU's current guest ASID on p (allocating). */
uint32_t vtlb_real_asid(struct pcpu *p, struct vcpu *v, uint32_t gasid);
/* Switching p to vCPU v: drop the previous owner's global/kernel-window entries as needed. */
void vtlb_switch(struct pcpu *p, struct vcpu *v);
/* Evict every slot of p except the HAL slot. */
void vtlb_flush_pcpu(struct pcpu *p);
/* The pmap backend's shootdown callback. */
void vtlb_shootdown(struct mon *mon, uint32_t vm, uint64_t gpn, const struct pmap_cache_loc *loc);
void vtlb_l2_evict(void *ctx, uint32_t slot, const struct l2tlb_entry *e);
/* LL links across page moves (vtlb.c): the frames backing the page on frame mfn (its
 * master and the master's replicas; mfn may be either), taken before the monitor moves, collapses or un-shares the page... */
struct vtlb_frames {
    uint64_t mfn[NUMA_MAX_NODES + 1];
    unsigned n;
};
void vtlb_frames_get(const struct mon *mon, uint64_t mfn, struct vtlb_frames *out);
/* ...and, after it, every CPU's LL link on a frame of `before` that no longer backs the
 * page (neither `mfn_after`'s master nor one of its replicas) is dropped, so an SC
 * through the new translation fails instead of storing a stale read. */
void vtlb_frames_retire(struct mon *mon, const struct vtlb_frames *before, uint64_t mfn_after);

/* sched.c */
void sched_start(struct mon *mon);
void sched_tick(struct pcpu *p);                  /* real timer: slice end, timers */
void sched_block(struct pcpu *p, struct vcpu *v); /* WAIT / idle call */
void sched_wake(struct pcpu *p, struct vcpu *v);  /* v has a pending interrupt now */
void sched_make_runnable(struct pcpu *p, struct vcpu *v);
void sched_stop_vcpu(struct pcpu *p, struct vcpu *v); /* v's VM ended */
void sched_idle_entry(struct pcpu *p);            /* an idle pcpu woke up */
void sched_program_timer(struct pcpu *p);         /* real Compare for p's next event */
void sched_reschedule(struct pcpu *p);            /* pick a vCPU if p has none */

/* numa.c: the hot-page policy (name NULL: "disco"); handle queued events on p. */
int mon_numa_setup(struct mon *mon, char *err, size_t errlen);
void mon_numa_drain(struct pcpu *p);
void mon_numa_teardown(struct mon *mon);
/* Attribute the CPU's cache misses to the VM of the vCPU going out (vcpu.c). */
/* Every monitor fill of guest page gpn of vm (vm_gpa_page) on p: the periodic autonuma
 * scan and interval sample, and the hinting fault of a marked page. */
void mon_numa_on_fill(struct pcpu *p, struct vcpu *v, struct vm *vm, uint64_t gpn, bool write);
void mon_numa_vcpu_in(struct pcpu *p);
void mon_numa_vcpu_out(struct pcpu *p, struct vcpu *v);
/* The "numa" member of --stats (stats.c). */
void mon_numa_write_stats(struct mon *mon, FILE *f);

/* stats.c */
void stats_write(struct mon *mon, FILE *f);

#endif
