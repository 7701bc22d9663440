/*
 * monitor-micro.c - host time of the monitor's hot paths, through its real entry
 * (trap_hook: HAL sync, dispatch, interrupt check, exit), on a machine that never
 * runs: a virtualized TLB miss satisfied from the L2TLB, one filled from the guest's
 * TLB, one forwarded to the guest; emulated privileged instructions; monitor calls.
 * Prints "name: <ns> ns" lines (used by bench/monitor.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "monitor/internal.h"

#define GUEST_MEM (64u << 20)
#define BIG_PAGEMASK 0x01ffe000u           /* 16 MB pages: one guest entry maps 32 MB */
#define ROUNDS 2000000

static struct mon *mon;
static struct vcpu *v;
static struct pcpu *p;
static abi_hal_page *hal;                  /* what the guest kernel writes */

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);   /* CPU time: the machine may be shared */
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void setup(void)
{
    struct mon_config cfg;
    mon_config_defaults(&cfg);
    cfg.board.nodes = 1;
    cfg.board.cpus_per_node = 1;
    cfg.board.mem_per_node = 128u << 20;
    cfg.board.cache_model = false;
    char err[200];
    FILE *null = fopen("/dev/null", "w");
    struct vm_config vc = { .name = "b", .mem_bytes = GUEST_MEM, .vcpus = 1, .node = 0 };
    if (mon_create(&mon, &cfg, NULL, null, err, sizeof err) || mon_add_vm(mon, &vc, err, sizeof err)) {
        fprintf(stderr, "monitor-micro: %s\n", err);
        exit(1);
    }
    v = mon->vms[0]->vcpus[0];
    p = &mon->pcpus[0];
    vcpu_reset(v, 0xC0001000u);
    v->cp0.status = 0;
    v->cp0.ebase = 0xC0002000u;
    v->cp0.entryhi = 1;
    vcpu_load(p, v);
    /* one guest entry: 32 MB of user space at 0x01000000 -> guest-physical 0..32M */
    v->cp0.pagemask = BIG_PAGEMASK;
    vtlb_guest_write(p, v, 3, 0x00000000u | 1, BIG_PAGEMASK, (0u << 6) | 0x1e, ((16u << 20) >> 12 << 6) | 0x1e, false);
    v->cp0.pagemask = 0;
    hal_sync_out(v);
    hal = (abi_hal_page *)mon_frame_ptr(mon, v->hal_mfn);
}

static cpu_exception tlb_exc(uint32_t va)
{
    cpu_exception e = { .code = EXC_TLBL, .epc = 0x00400000u, .next_pc = 0x00400004u,
                        .badvaddr = va, .refill = true, .insn = 0x8c000000u,
                        .mode = CPU_MODE_SUPERVISOR };
    return e;
}

/* Misses over `pages` pages in a cycle; returns ns per miss. */
static double misses(uint32_t pages, int rounds)
{
    double t0 = now_ns();
    for (int i = 0; i < rounds; i++) {
        cpu_exception e = tlb_exc((uint32_t)(i % pages) << 12);
        v->storm = 0;                      /* no guest instructions run here */
        trap_hook(p->c, &e, p);
    }
    return (now_ns() - t0) / rounds;
}

static double forwarded(int rounds)
{
    double t0 = now_ns();
    for (int i = 0; i < rounds; i++) {
        cpu_exception e = tlb_exc(0x40000000u + ((uint32_t)(i & 1023) << 12));
        v->storm = 0;                      /* no guest instructions run here */
        trap_hook(p->c, &e, p);
        hal->status = 0;                   /* leave the guest's handler at once */
    }
    return (now_ns() - t0) / rounds;
}

static double emulated(uint32_t insn, int rounds)
{
    double t0 = now_ns();
    for (int i = 0; i < rounds; i++) {
        cpu_exception e = { .code = EXC_CPU, .epc = 0xC0001000u, .next_pc = 0xC0001004u,
                            .insn = insn, .mode = CPU_MODE_SUPERVISOR };
        hal->status = ST_EXL;              /* ERET returns to kernel mode each time */
        hal->epc = 0xC0001000u;
        v->storm = 0;                      /* no guest instructions run here */
        trap_hook(p->c, &e, p);
    }
    return (now_ns() - t0) / rounds;
}

static double mcall(uint32_t nr, int rounds)
{
    double t0 = now_ns();
    for (int i = 0; i < rounds; i++) {
        cpu_exception e = { .code = EXC_RI, .epc = 0xC0001000u, .next_pc = 0xC0001004u,
                            .insn = ABI_HYPCALL_INSN, .mode = CPU_MODE_SUPERVISOR };
        cpu_set_gpr(p->c, 2, nr);
        v->storm = 0;                      /* no guest instructions run here */
        trap_hook(p->c, &e, p);
    }
    return (now_ns() - t0) / rounds;
}

int main(void)
{
    setup();
    const struct vcpu_stats *s = &v->stats;
    misses(512, 512);                      /* first touches, L2TLB filled */
    uint64_t l2 = s->fills[FILL_L2TLB];
    double l2hit = misses(512, ROUNDS);    /* 512 pages cycle through 63 real slots */
    printf("tlb miss, L2TLB hit: %.1f ns (%.0f%% from the L2TLB)\n", l2hit,
           100.0 * (double)(s->fills[FILL_L2TLB] - l2) / ROUNDS);
    if (getenv("MICRO_L2_ONLY")) {         /* for profiling one path */
        misses(512, ROUNDS * 5);
        return 0;
    }
    misses(8192, 8192);
    uint64_t g = s->fills[FILL_GUEST];
    double guest = misses(8192, ROUNDS / 4); /* 8192 pages: beyond the 1024-entry L2TLB */
    printf("tlb miss, from the guest TLB: %.1f ns (%.0f%% from the guest TLB)\n", guest,
           100.0 * (double)(s->fills[FILL_GUEST] - g) / (ROUNDS / 4));
    printf("tlb miss, forwarded: %.1f ns\n", forwarded(ROUNDS));
    double mf = emulated(0x40026000u, ROUNDS), mt = emulated(0x40821000u, ROUNDS);
    double er = emulated(0x42000018u, ROUNDS), tp = emulated(0x42000008u, ROUNDS);
    printf("emulated mfc0: %.1f ns\nemulated mtc0: %.1f ns\nemulated eret: %.1f ns\nemulated tlbp: %.1f ns\n",
           mf, mt, er, tp);
    printf("emulated privileged instruction (mean of the four): %.1f ns\n", (mf + mt + er + tp) / 4);
    printf("monitor call (version): %.1f ns\n", mcall(ABI_MC_VERSION, ROUNDS));
    printf("monitor call (time): %.1f ns\n", mcall(ABI_MC_TIME, ROUNDS));
    mon_destroy(mon);
    return 0;
}
