/*
 * monitor/costs.h - the cost model: simulated cycles the monitor charges for its own
 * work, one documented table.
 *
 * The monitor is host C code, so its work takes no simulated time by itself; every
 * operation charges the running CPU from this table (cpu_charge_cycles), and the
 * statistics report both the event counts and the cycles, so users can recalibrate
 * (--cost name=value, --costs FILE with one name=value per line, '#' comments).
 *
 * Calibration (../shared/disco-figures.md; 200 MHz clock, 5 ns a cycle): Disco ran
 * its handlers in kernel mode on an R10000-class CPU, statically scheduled. A trap
 * into the monitor and back (save a few registers, dispatch, restore, eret) is about
 * 20 cycles. Its published slowdowns give the rest: UTLB_MISS 35 ns x1.35 (a TLB miss
 * absorbed by the second-level TLB costs a few tens of cycles beyond the guest's own
 * handler), QUICK_FAULT 5 us x3.17 (a forwarded fault with the emulated privileged
 * instructions of its handler costs about 10 us more: ~2000 cycles over ~40 traps,
 * i.e. ~50 cycles a trap with its emulation), DEMAND_ZERO 21 us x1.42 (a page zeroed
 * by the monitor: 4 KB at 8 bytes a cycle = 512 cycles), page migration 67-102 us
 * (copy + shootdowns + policy: a page copy of 1024 cycles plus IPIs of ~2 us each).
 *
 * Invariant: every cost belongs to exactly one category (COST_CAT_*), the unit of the
 * "monitor_cycles" statistics.
 */
#ifndef MONITOR_COSTS_H
#define MONITOR_COSTS_H

#include <stddef.h>
#include <stdint.h>

/* Categories of monitor time. */
#define MON_COST_CATS(X) \
    X(TRAP, "trap") X(EMULATE, "emulate") X(TLB, "tlb") X(FORWARD, "forward") \
    X(MCALL, "mcall") X(PAGE, "page") X(SHOOTDOWN, "shootdown") X(SCHED, "sched") \
    X(MMIO, "mmio")

#define MON_COST_CAT_ENUM(id, name) COST_CAT_##id,
enum mon_cost_cat { MON_COST_CATS(MON_COST_CAT_ENUM) COST_CAT_COUNT };

/* name, default cycles, category, what it covers */
#define MON_COSTS(X)                                                                     \
    X(TRAP,        "trap",         20, TRAP,      "enter the monitor and return to the guest") \
    X(EMUL_MFC0,   "emul_mfc0",     6, EMULATE,   "emulate MFC0 against the virtual CP0")     \
    X(EMUL_MTC0,   "emul_mtc0",    10, EMULATE,   "emulate MTC0 (side effects included)")     \
    X(EMUL_TLBR,   "emul_tlbr",    12, EMULATE,   "emulate TLBR from the virtual TLB")        \
    X(EMUL_TLBW,   "emul_tlbw",    30, EMULATE,   "emulate TLBWI/TLBWR, drop derived entries") \
    X(EMUL_TLBP,   "emul_tlbp",    16, EMULATE,   "emulate TLBP (search the virtual TLB)")    \
    X(EMUL_ERET,   "emul_eret",     8, EMULATE,   "emulate ERET")                             \
    X(EMUL_WAIT,   "emul_wait",     8, EMULATE,   "emulate WAIT (before descheduling)")       \
    X(EMUL_CACHE,  "emul_cache",    6, EMULATE,   "emulate CACHE (nothing to do)")            \
    X(EMUL_DIEI,   "emul_diei",     6, EMULATE,   "emulate DI/EI")                            \
    X(L2TLB,       "l2tlb_lookup", 12, TLB,       "probe the vCPU's second-level TLB")        \
    X(GUEST_TLB,   "guest_tlb",    20, TLB,       "search the guest's virtual TLB")           \
    X(KWIN,        "kwin_fill",    10, TLB,       "kernel-window translation from the pmap")  \
    X(TLB_FILL,    "tlb_fill",     10, TLB,       "write one real TLB entry (and backmaps)")  \
    X(FORWARD,     "forward",      30, FORWARD,   "forward an exception to the guest vector") \
    X(MCALL,       "mcall",        16, MCALL,     "a monitor call (dispatch, arguments)")     \
    X(PAGE_ZERO,   "page_zero",   512, PAGE,      "zero a 4 KB machine page")                 \
    X(PAGE_COPY,   "page_copy",  1024, PAGE,      "copy a 4 KB machine page")                 \
    X(SHOOTDOWN,   "shootdown_ipi", 400, SHOOTDOWN, "invalidate a translation on another CPU (IPI)") \
    X(SHOOTDOWN_RECV, "shootdown_recv", 60, SHOOTDOWN, "the target CPU's side of a shootdown: interrupt, TLB write") \
    X(DISK_SHARE,  "disk_share",  150, PAGE,      "map a cached disk page copy-on-write instead of copying it") \
    X(HOT_PAGE,    "hot_page",    200, PAGE,      "take a hot-page event and run the policy")  \
    X(NUMA_SCAN,   "numa_scan",    40, PAGE,      "autonuma: mark one sampled page and unmap it (shootdowns apart)") \
    X(NUMA_FAULT,  "numa_fault",  100, PAGE,      "autonuma: a hinting fault: find and clear the mark, note the node") \
    X(SWITCH,      "vcpu_switch", 200, SCHED,     "save one vCPU and load another")           \
    X(MMIO,        "mmio",         40, MMIO,      "emulate one device register access")

#define MON_COST_ENUM(id, name, dflt, cat, what) COST_##id,
enum mon_cost { MON_COSTS(MON_COST_ENUM) COST_COUNT };

struct mon_cost_def {
    const char *name;
    uint32_t dflt;
    enum mon_cost_cat cat;
    const char *what;
};

extern const struct mon_cost_def mon_cost_defs[COST_COUNT];
extern const char *const mon_cost_cat_names[COST_CAT_COUNT];

struct mon_costs {
    uint32_t cycles[COST_COUNT];
};

void mon_costs_defaults(struct mon_costs *c);
/* "name=value": 0, or -EINVAL with a one-line reason in err. */
int mon_costs_set(struct mon_costs *c, const char *assignment, char *err, size_t errlen);
/* A file of assignments, one a line; '#' starts a comment. */
int mon_costs_load(struct mon_costs *c, const char *path, char *err, size_t errlen);

#endif
