/*
 * monitor_test.c - unit tests of the monitor against a real (small) NUMA machine with
 * one VM whose vCPU 0 is loaded on CPU 0 but never run: each privileged instruction's
 * emulation against the virtual CP0 and TLB, the forwarding rules (delay slots, refill
 * vs general vector, EXL nesting, BEV), the L2TLB and backmap interplay (fill, refill
 * from the L2TLB, shootdown by pmap, guest TLB writes), ASID recycling and the cost
 * accounting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/internal.h"
#include "pmap/memmap.h"

#define EBASE 0xC0002000u
#define PC0   0xC0001000u

static struct mon *mon;
static struct vm *vm;
static struct vcpu *v;
static struct pcpu *p;
static cpu *c;

static int setup(void **s)
{
    (void)s;
    struct mon_config cfg;
    mon_config_defaults(&cfg);
    cfg.board.nodes = 2;
    cfg.board.cpus_per_node = 1;
    cfg.board.mem_per_node = 8u << 20;
    cfg.board.cache_model = false;
    char err[200];
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    assert_int_equal(mon_create(&mon, &cfg, NULL, null, err, sizeof err), 0);
    struct vm_config vc = { .name = "t", .mem_bytes = 1u << 20, .vcpus = 2, .node = 0 };
    assert_int_equal(mon_add_vm(mon, &vc, err, sizeof err), 0);
    mon->err = null;
    vm = mon->vms[0];
    v = vm->vcpus[0];
    p = &mon->pcpus[0];
    c = p->c;
    vcpu_reset(v, PC0);
    v->cp0.status = 0;               /* virtual kernel mode, BEV off */
    v->cp0.ebase = EBASE;
    vcpu_load(p, v);
    return 0;
}

static int teardown(void **s)
{
    (void)s;
    mon_destroy(mon);
    return 0;
}

static cpu_exception exc(int code, uint32_t insn, uint32_t epc, bool bd, uint32_t next)
{
    cpu_exception e = { .code = code, .epc = epc, .bd = bd, .next_pc = next, .insn = insn,
                        .mode = CPU_MODE_SUPERVISOR };
    return e;
}

/* Emulate one instruction at PC0 (not in a delay slot). */
static void emulate(uint32_t insn)
{
    cpu_exception e = exc(EXC_CPU, insn, PC0, false, PC0 + 4);
    cpu_set_pc(c, PC0);
    assert_true(emul_insn(p, v, &e));
}

#define MTC0_I(rt, rd, sel) (0x40800000u | ((rt) << 16) | ((rd) << 11) | (sel))
#define MFC0_I(rt, rd, sel) (0x40000000u | ((rt) << 16) | ((rd) << 11) | (sel))
#define TLBR_I 0x42000001u
#define TLBWI_I 0x42000002u
#define TLBWR_I 0x42000006u
#define TLBP_I 0x42000008u
#define ERET_I 0x42000018u
#define WAIT_I 0x42000020u
#define DI_I(rt) (0x41606000u | ((rt) << 16))
#define EI_I(rt) (0x41606020u | ((rt) << 16))
#define CACHE_I 0xbc000000u
#define LO(gpa, f) ((((uint32_t)(gpa) >> 12) << 6) | (3u << 3) | (f))

static void mtc0(int rd, int sel, uint32_t val)
{
    cpu_set_gpr(c, 8, val);
    emulate(MTC0_I(8u, (uint32_t)rd, (uint32_t)sel));
}

static uint32_t mfc0(int rd, int sel)
{
    emulate(MFC0_I(9u, (uint32_t)rd, (uint32_t)sel));
    return cpu_get_gpr(c, 9);
}

/* ---- privileged instructions ------------------------------------------------------------ */

static void test_mtc0_mfc0(void **s)
{
    (void)s;
    mtc0(CP0_ENTRYHI, 0, 0x12345678u);
    assert_int_equal(v->cp0.entryhi, 0x12344078u);
    assert_int_equal(cpu_get_pc(c), PC0 + 4);
    assert_int_equal(mfc0(CP0_ENTRYHI, 0), 0x12344078u);
    assert_int_equal(v->stats.emulated[EMUL_MTC0], 1);
    assert_int_equal(v->stats.emulated[EMUL_MFC0], 1);
    mtc0(CP0_PRID, 0, 0);                        /* read-only: ignored */
    assert_int_equal(mfc0(CP0_PRID, 0), 0x00019300u);
    mtc0(CP0_WIRED, 0, 5);
    assert_int_equal(mfc0(CP0_WIRED, 0), 5);
    assert_int_equal(mfc0(CP0_RANDOM, 0), VTLB_ENTRIES - 1);
    mtc0(CP0_CAUSE, 0, 0x100u);                  /* software interrupt IP0 */
    assert_int_equal(v->pending & 1, 1);
    assert_int_equal(mfc0(CP0_CAUSE, 0) & 0x100u, 0x100u);
    mtc0(CP0_STATUS, 0, 0xffffffffu);
    assert_int_equal(v->cp0.status, 0x1058ff1fu);
    mtc0(CP0_PRID, 1, 0xC0005123u);              /* EBase may name the kernel window */
    assert_int_equal(mfc0(CP0_PRID, 1), 0xC0005000u);
    mtc0(CP0_COMPARE, 0, 1000);
    assert_true(v->timer_armed);
    assert_int_equal(mfc0(CP0_COMPARE, 0), 1000);
    assert_int_equal(mfc0(23, 0), 0);            /* unimplemented: reads zero */
    /* the real CPU was not touched: its Status is the monitor's */
    assert_int_equal(c->cp0.status & ST_KSU, 1u << ST_KSU_SHIFT);
}

static void test_mtc0_userlocal_reaches_the_cpu(void **s)
{
    (void)s;
    mtc0(CP0_CONTEXT, 2, 0xabcd0000u);
    assert_int_equal(cpu_get_cp0(c, CP0_CONTEXT, 2), 0xabcd0000u);
    mtc0(CP0_HWRENA, 0, 0xffffffffu);
    assert_int_equal(cpu_get_cp0(c, CP0_HWRENA, 0), 0x2000000fu);
}

static void test_tlb_write_read_probe(void **s)
{
    (void)s;
    v->cp0.index = 7;
    v->cp0.entryhi = 0x00400000u | 3;
    v->cp0.pagemask = 0;
    v->cp0.entrylo0 = LO(0x10000, 6);
    v->cp0.entrylo1 = LO(0x11000, 2);
    emulate(TLBWI_I);
    assert_int_equal(v->gtlb.e[7].entryhi, 0x00400003u);
    assert_int_equal(v->gtlb.e[7].lo0, LO(0x10000, 6));
    v->cp0.entryhi = 0;
    v->cp0.entrylo0 = 0;
    emulate(TLBR_I);
    assert_int_equal(v->cp0.entryhi, 0x00400003u);
    assert_int_equal(v->cp0.entrylo0, LO(0x10000, 6));
    assert_int_equal(v->cp0.entrylo1, LO(0x11000, 2));
    emulate(TLBP_I);
    assert_int_equal(v->cp0.index, 7);
    v->cp0.entryhi = 0x00400000u | 4;            /* other ASID: no match */
    emulate(TLBP_I);
    assert_int_equal(v->cp0.index, 0x80000000u);
    v->cp0.wired = 2;
    v->cp0.random = 2;
    v->cp0.entryhi = 0x00800000u | 3;
    emulate(TLBWR_I);
    assert_int_equal(v->gtlb.e[2].entryhi, 0x00800003u);
    assert_int_equal(v->cp0.random, VTLB_ENTRIES - 1);  /* wraps to the top, above Wired */
    assert_int_equal(v->stats.emulated[EMUL_TLBWI], 1);
    assert_int_equal(v->stats.emulated[EMUL_TLBWR], 1);
}

static void test_eret_exl_and_erl(void **s)
{
    (void)s;
    v->cp0.status = ST_EXL | (2u << ST_KSU_SHIFT);
    v->cp0.epc = 0x00400100u;
    emulate(ERET_I);
    assert_int_equal(cpu_get_pc(c), 0x00400100u);
    assert_int_equal(v->cp0.status & ST_EXL, 0);
    vcpu_apply_mode(p, v);
    assert_int_equal(c->mode, CPU_MODE_USER);    /* virtual user -> real user */
    v->cp0.status = ST_ERL | ST_EXL;
    v->cp0.errorepc = 0xC0000400u;
    emulate(ERET_I);
    assert_int_equal(cpu_get_pc(c), 0xC0000400u);
    assert_int_equal(v->cp0.status, ST_EXL);     /* ERL wins, EXL stays */
    vcpu_apply_mode(p, v);
    assert_int_equal(c->mode, CPU_MODE_SUPERVISOR);
}

static void test_di_ei_cache(void **s)
{
    (void)s;
    v->cp0.status = 0xff01u;
    emulate(DI_I(10u));
    assert_int_equal(cpu_get_gpr(c, 10), 0xff01u);
    assert_int_equal(v->cp0.status, 0xff00u);
    emulate(EI_I(11u));
    assert_int_equal(cpu_get_gpr(c, 11), 0xff00u);
    assert_int_equal(v->cp0.status, 0xff01u);
    emulate(CACHE_I);
    assert_int_equal(cpu_get_pc(c), PC0 + 4);
    assert_int_equal(v->stats.emulated[EMUL_CACHE], 1);
}

static void test_in_delay_slot_continues_at_branch_target(void **s)
{
    (void)s;
    cpu_exception e = exc(EXC_CPU, MTC0_I(8u, (uint32_t)CP0_EPC, 0u), PC0, true, 0xC0009000u);
    cpu_set_gpr(c, 8, 0x1234u);
    assert_true(emul_insn(p, v, &e));
    assert_int_equal(v->cp0.epc, 0x1234u);
    assert_int_equal(cpu_get_pc(c), 0xC0009000u);
}

static void test_wait_blocks_until_interrupt(void **s)
{
    (void)s;
    v->cp0.status = 0x8000u;                     /* IM7 */
    emulate(WAIT_I);
    assert_int_equal(v->state, VCPU_BLOCKED);
    assert_null(p->cur);
    assert_int_equal(v->pc, PC0 + 4);
    vcpu_raise(v, 7);
    sched_wake(NULL, v);
    assert_int_equal(v->state, VCPU_RUNNABLE);
}

static void test_unknown_cop0_op_is_not_emulated(void **s)
{
    (void)s;
    cpu_exception e = exc(EXC_CPU, 0x42000030u, PC0, false, PC0 + 4);
    assert_false(emul_insn(p, v, &e));
}

/* ---- forwarding ------------------------------------------------------------------------------ */

static void test_forward_refill_from_delay_slot(void **s)
{
    (void)s;
    cpu_exception e = exc(EXC_TLBL, 0, 0x00400200u, true, 0x00400300u);
    v->cp0.entryhi = 9;
    v->cp0.context = 0x80000000u;
    vcpu_forward(p, v, &e, EXC_TLBL, 0x00512345u, true);
    assert_int_equal(cpu_get_pc(c), EBASE + ABI_VEC_REFILL);
    assert_int_equal(v->cp0.epc, 0x00400200u);
    assert_true(v->cp0.cause & CAUSE_BD);
    assert_int_equal((v->cp0.cause >> 2) & 31, EXC_TLBL);
    assert_int_equal(v->cp0.badvaddr, 0x00512345u);
    assert_int_equal(v->cp0.entryhi, 0x00512000u | 9);
    assert_int_equal(v->cp0.context, 0x80000000u | ((0x00512345u >> 9) & 0x007ffff0u));
    assert_true(v->cp0.status & ST_EXL);
    assert_int_equal(v->stats.forwarded[EXC_TLBL], 1);
}

static void test_forward_nested_refill_takes_general_vector(void **s)
{
    (void)s;
    v->cp0.status = ST_EXL;
    v->cp0.epc = 0x1111u;
    v->cp0.cause = 0;
    cpu_exception e = exc(EXC_TLBS, 0, 0xC0001234u, true, 0);
    vcpu_forward(p, v, &e, EXC_TLBS, 0x7000u, true);
    assert_int_equal(cpu_get_pc(c), EBASE + ABI_VEC_GENERAL);
    assert_int_equal(v->cp0.epc, 0x1111u);       /* EPC and BD unchanged under EXL */
    assert_false(v->cp0.cause & CAUSE_BD);
    assert_int_equal((v->cp0.cause >> 2) & 31, EXC_TLBS);
}

static void test_forward_coprocessor_unusable_keeps_ce(void **s)
{
    (void)s;
    cpu_exception e = exc(EXC_CPU, 0x46000000u, PC0, false, PC0 + 4);
    e.ce = 1;
    vcpu_forward(p, v, &e, EXC_CPU, 0, false);
    assert_int_equal((v->cp0.cause >> CAUSE_CE_SHIFT) & 3, 1);
    assert_int_equal(cpu_get_pc(c), EBASE + ABI_VEC_GENERAL);
}

static void test_forward_with_bev_stops_the_vm(void **s)
{
    (void)s;
    v->cp0.status = ST_BEV;
    cpu_exception e = exc(EXC_RI, 0xffffffffu, PC0, false, PC0 + 4);
    vcpu_forward(p, v, &e, EXC_RI, 0, false);
    assert_int_equal(vm->state, VM_STOPPED);
    assert_int_equal(v->state, VCPU_DEAD);
    assert_int_equal(mon->first_status, 1);
}

static void test_interrupt_delivery_rules(void **s)
{
    (void)s;
    v->cp0.status = ST_IE | 0x0800u;             /* IM3 */
    vcpu_raise(v, ABI_IRQ_IPI);
    v->cp0.status |= ST_EXL;
    assert_false(vcpu_deliver_irq(p, v));        /* EXL masks */
    v->cp0.status &= ~ST_EXL;
    cpu_set_pc(c, 0x00400000u);
    assert_true(vcpu_deliver_irq(p, v));
    assert_int_equal(v->cp0.epc, 0x00400000u);
    assert_int_equal(cpu_get_pc(c), EBASE + ABI_VEC_GENERAL);
    assert_int_equal(v->pending & (1u << ABI_IRQ_IPI), 0);       /* delivered = acknowledged */
    assert_true(vcpu_cause(v) & (1u << (8 + ABI_IRQ_IPI)));     /* visible until ERET */
    emulate(ERET_I);
    assert_false(vcpu_cause(v) & (1u << (8 + ABI_IRQ_IPI)));
}

static void test_hypcall_from_user_mode_is_the_guests(void **s)
{
    (void)s;
    v->cp0.status = 2u << ST_KSU_SHIFT;          /* virtual user mode */
    hal_sync_out(v);                             /* what the guest sees on its HAL page */
    cpu_set_gpr(c, 2, ABI_MC_POWER_OFF);
    cpu_exception e = exc(EXC_RI, ABI_HYPCALL_INSN, 0x00400000u, false, 0x00400004u);
    e.mode = CPU_MODE_USER;
    assert_int_equal(trap_hook(c, &e, p), CPU_HOOK_HANDLED);
    assert_int_equal(v->stats.forwarded[EXC_CPU], 1);
    assert_int_equal(v->stats.mcalls[ABI_MC_POWER_OFF], 0);
    assert_int_equal(vm->state, VM_RUNNING);
    assert_int_equal(cpu_get_pc(c), EBASE + ABI_VEC_GENERAL);
    assert_int_equal(c->mode, CPU_MODE_SUPERVISOR);   /* EXL: virtual kernel */
    /* the same word in virtual kernel mode is a monitor call */
    v->cp0.status = 0;
    hal_sync_out(v);
    cpu_set_gpr(c, 2, ABI_MC_VERSION);
    e.mode = CPU_MODE_SUPERVISOR;
    trap_hook(c, &e, p);
    assert_int_equal(cpu_get_gpr(c, 2), ABI_VERSION);
    assert_int_equal(v->stats.mcalls[ABI_MC_VERSION], 1);
}

/* ---- the L2TLB, backmaps, shootdowns ---------------------------------------------------- */

static void miss(int code, uint32_t va)
{
    cpu_exception e = exc(code, 0, 0x00400000u, false, 0x00400004u);
    e.badvaddr = va;
    e.refill = true;
    vtlb_miss(p, v, &e);
}

static void guest_entry(int idx, uint32_t va, uint32_t asid, uint32_t lo0, uint32_t lo1, bool random)
{
    vtlb_guest_write(p, v, idx, va | asid, 0, lo0, lo1, random);
}

static void test_guest_fill_then_l2tlb_then_shootdown(void **s)
{
    (void)s;
    v->cp0.entryhi = 3;
    vcpu_apply_mode(p, v);
    guest_entry(5, 0x00400000u, 3, LO(0x10000, 6), 0, false);
    miss(EXC_TLBL, 0x00400010u);
    assert_int_equal(v->stats.fills[FILL_GUEST], 1);
    uint32_t rasid = c->cp0.entryhi & 0xff;
    int slot = cpu_tlb_probe(c, 0x00400000u | rasid);
    assert_true(slot > 0);
    assert_int_equal(pmap_backmap_count(vm->pmap, 0x10), 2);   /* real slot + L2TLB */
    uint64_t pa;
    assert_int_equal(tlb_lookup(&c->tlb, 0x00400010u, (uint8_t)rasid, true, &pa, NULL), TLB_HIT);
    const struct pmap_entry *pe = pmap_entry_get(vm->pmap, 0x10);
    assert_int_equal(pa, (pe->mfn << 12) | 0x10);
    /* the real entry is lost: the L2TLB refills it without the guest */
    vtlb_flush_pcpu(p);
    assert_int_equal(pmap_backmap_count(vm->pmap, 0x10), 1);
    miss(EXC_TLBL, 0x00400020u);
    assert_int_equal(v->stats.fills[FILL_L2TLB], 1);
    assert_int_equal(v->stats.fills[FILL_GUEST], 1);
    /* pmap takes the page away: every cached translation goes */
    assert_int_equal(pmap_unmap(vm->pmap, 0x10), 0);
    assert_true(cpu_tlb_probe(c, 0x00400000u | rasid) < 0 ||
                tlb_lookup(&c->tlb, 0x00400010u, (uint8_t)rasid, false, &pa, NULL) != TLB_HIT);
    struct l2tlb_entry le;
    assert_int_not_equal(l2tlb_lookup(v->l2, 3, 0x400, &le, NULL), 0);
    assert_true(mon->shootdowns >= 2);
}

static void test_guest_tlb_writes_and_retention(void **s)
{
    (void)s;
    struct l2tlb_entry le;
    v->cp0.entryhi = 3;
    vcpu_apply_mode(p, v);
    guest_entry(5, 0x00400000u, 3, LO(0x10000, 6), 0, false);
    miss(EXC_TLBL, 0x00400010u);
    assert_int_equal(l2tlb_lookup(v->l2, 3, 0x400, &le, NULL), 0);
    /* a TLBWR victim: its translation stays in the L2TLB (a larger TLB) */
    guest_entry(5, 0x00600000u, 3, LO(0x20000, 6), 0, true);
    assert_int_equal(l2tlb_lookup(v->l2, 3, 0x400, &le, NULL), 0);
    /* a TLBP that misses (a kernel flushing the page) drops it */
    v->cp0.entryhi = 0x00400000u | 3;
    assert_true(vtlb_guest_probe(p, v) < 0);
    assert_int_not_equal(l2tlb_lookup(v->l2, 3, 0x400, &le, NULL), 0);
    assert_int_equal(pmap_backmap_count(vm->pmap, 0x10), 0);
    /* an explicit overwrite drops what the old entry produced */
    guest_entry(6, 0x00800000u, 3, LO(0x30000, 6), 0, false);
    v->cp0.entryhi = 3;
    miss(EXC_TLBL, 0x00800000u);
    assert_int_equal(pmap_backmap_count(vm->pmap, 0x30), 2);
    guest_entry(6, 0x00a00000u, 3, 0, 0, false);
    assert_int_equal(pmap_backmap_count(vm->pmap, 0x30), 0);
    /* a new entry voids older translations of its range */
    guest_entry(7, 0x00c00000u, 3, LO(0x40000, 6), 0, false);
    miss(EXC_TLBL, 0x00c00000u);
    guest_entry(8, 0x00c00000u, 3, LO(0x50000, 6), 0, true);
    assert_int_equal(pmap_backmap_count(vm->pmap, 0x40), 0);
}

static void test_kernel_window_fill_and_limits(void **s)
{
    (void)s;
    miss(EXC_TLBL, 0xC0003000u);
    assert_int_equal(v->stats.fills[FILL_KWIN], 1);
    assert_int_equal(vm->pages_touched, 1);
    assert_int_equal(v->stats.forwarded[EXC_TLBL], 0);
    /* beyond the VM's 1 MB: an address error to the guest, no page */
    miss(EXC_TLBL, 0xC0100000u);
    assert_int_equal(v->stats.forwarded[EXC_ADEL], 1);
    assert_int_equal(vm->pages_touched, 1);
}

static void test_guest_miss_forwarding(void **s)
{
    (void)s;
    v->cp0.entryhi = 3;
    miss(EXC_TLBL, 0x00700000u);                 /* no entry: refill vector */
    assert_int_equal(cpu_get_pc(c), EBASE + ABI_VEC_REFILL);
    assert_int_equal(v->stats.fills[FILL_FORWARD], 1);
    v->cp0.status = 0;
    guest_entry(9, 0x00700000u, 3, LO(0x10000, 2), LO(0x11000, 0), false);
    miss(EXC_TLBS, 0x00700000u);                 /* clean page written: Mod */
    assert_int_equal(v->stats.forwarded[EXC_MOD], 1);
    v->cp0.status = 0;
    miss(EXC_TLBL, 0x00701000u);                 /* invalid half: general vector */
    assert_int_equal(cpu_get_pc(c), EBASE + ABI_VEC_GENERAL);
    assert_int_equal(v->stats.forwarded[EXC_TLBL], 2);
    v->cp0.status = 0;
    guest_entry(10, 0x00900000u, 3, LO(0x100000, 6), 0, false);  /* beyond memory */
    miss(EXC_TLBL, 0x00900000u);
    assert_int_equal(v->stats.forwarded[EXC_DBE], 1);
}

static void test_cow_write_is_invisible_to_the_guest(void **s)
{
    (void)s;
    struct pmap_translation tr;
    assert_int_equal(vm_gpa_page(vm, p, v, 0x20, true, &tr), 0);    /* back gpn 0x20 */
    assert_int_equal(pmap_share_cow(vm->pmap, 0x20, vm->pmap, 0x21), 0);
    uint64_t shared = pmap_entry_get(vm->pmap, 0x21)->mfn;
    v->cp0.entryhi = 3;
    vcpu_apply_mode(p, v);
    guest_entry(5, 0x00400000u, 3, 0, LO(0x21000, 6), false);
    miss(EXC_TLBL, 0x00401000u);                 /* read: the shared frame, read-only */
    uint32_t rasid = c->cp0.entryhi & 0xff;
    uint64_t pa;
    assert_int_equal(tlb_lookup(&c->tlb, 0x00401000u, (uint8_t)rasid, false, &pa, NULL), TLB_HIT);
    assert_int_equal(pa >> 12, shared);
    assert_int_equal(tlb_lookup(&c->tlb, 0x00401000u, (uint8_t)rasid, true, &pa, NULL), TLB_MODIFIED);
    cpu_exception e = exc(EXC_MOD, 0, 0x00400000u, false, 0x00400004u);
    e.badvaddr = 0x00401000u;
    vtlb_miss(p, v, &e);                         /* the write: COW broken, no forward */
    assert_int_equal(v->stats.forwarded[EXC_MOD], 0);
    uint64_t mine = pmap_entry_get(vm->pmap, 0x21)->mfn;
    assert_int_not_equal(mine, shared);
    assert_int_equal(tlb_lookup(&c->tlb, 0x00401000u, (uint8_t)rasid, true, &pa, NULL), TLB_HIT);
    assert_int_equal(pa >> 12, mine);
    assert_int_equal(memmap_get_stats(mon->mm)->cow_breaks, 1);
}

static void test_migration_moves_every_translation(void **s)
{
    (void)s;
    v->cp0.entryhi = 3;
    vcpu_apply_mode(p, v);
    guest_entry(5, 0x00400000u, 3, LO(0x10000, 6), 0, false);
    miss(EXC_TLBS, 0x00400000u);
    miss(EXC_TLBL, 0xC0010000u);                 /* and the kernel window's view of it */
    uint64_t old = pmap_entry_get(vm->pmap, 0x10)->mfn;
    assert_int_equal(pmap_backmap_count(vm->pmap, 0x10), 3);
    assert_int_equal(pmap_migrate(vm->pmap, 0x10, 1), 0);
    uint64_t now = pmap_entry_get(vm->pmap, 0x10)->mfn;
    assert_int_not_equal(now, old);
    assert_int_equal(pmap_backmap_count(vm->pmap, 0x10), 0);        /* all shot down */
    uint32_t rasid = c->cp0.entryhi & 0xff;
    uint64_t pa;
    assert_int_not_equal(tlb_lookup(&c->tlb, 0x00400000u, (uint8_t)rasid, false, &pa, NULL), TLB_HIT);
    assert_int_not_equal(tlb_lookup(&c->tlb, 0xC0010000u, (uint8_t)rasid, false, &pa, NULL), TLB_HIT);
    miss(EXC_TLBL, 0x00400000u);                 /* refilled: the new frame */
    assert_int_equal(tlb_lookup(&c->tlb, 0x00400000u, (uint8_t)rasid, true, &pa, NULL), TLB_HIT);
    assert_int_equal(pa >> 12, now);
}

/* ---- ASIDs ------------------------------------------------------------------------------------- */

static void test_asid_recycling(void **s)
{
    (void)s;
    struct vcpu *w = vm->vcpus[1];
    uint32_t gen = p->asid_gen;
    uint32_t a = vtlb_real_asid(p, v, 7);
    assert_int_equal(vtlb_real_asid(p, v, 7), a);           /* stable within a generation */
    assert_int_not_equal(vtlb_real_asid(p, w, 7), a);       /* other vCPU, other real ASID */
    v->cp0.entryhi = 7;
    vcpu_apply_mode(p, v);
    guest_entry(5, 0x00400000u, 7, LO(0x10000, 6), 0, false);
    miss(EXC_TLBL, 0x00400000u);
    assert_int_equal(pmap_backmap_count(vm->pmap, 0x10), 2);
    for (uint32_t g = 0; g < 256; g++)
        vtlb_real_asid(p, w, g);
    assert_int_equal(p->asid_gen, gen + 1);                 /* the counter wrapped */
    assert_int_equal(pmap_backmap_count(vm->pmap, 0x10), 1); /* old tags dropped; L2TLB stays */
    uint32_t b = vtlb_real_asid(p, v, 7);
    assert_true(b >= 1 && b < 256);
    assert_int_equal(vtlb_real_asid(p, v, 7), b);
}

static void test_flush_on_switch_uses_guest_asids(void **s)
{
    (void)s;
    mon->cfg.flush_on_switch = true;
    assert_int_equal(vtlb_real_asid(p, v, 42), 42);
    guest_entry(5, 0x00400000u, 0, LO(0x10000, 6), 0, false);
    v->cp0.entryhi = 0;
    miss(EXC_TLBL, 0x00400000u);
    assert_int_equal(pmap_backmap_count(vm->pmap, 0x10), 2);
    vtlb_switch(p, vm->vcpus[1]);
    assert_int_equal(pmap_backmap_count(vm->pmap, 0x10), 1);  /* the real TLB was flushed */
}

/* ---- costs ------------------------------------------------------------------------------- */

static void test_cost_accounting(void **s)
{
    (void)s;
    uint64_t before = c->stats.charged_cycles, cat = v->stats.cycles[COST_CAT_EMULATE];
    emulate(MFC0_I(9u, 12u, 0u));
    assert_int_equal(c->stats.charged_cycles - before, mon_cost_defs[COST_EMUL_MFC0].dflt);
    assert_int_equal(v->stats.cycles[COST_CAT_EMULATE] - cat, mon_cost_defs[COST_EMUL_MFC0].dflt);
    char err[100];
    assert_int_equal(mon_costs_set(&mon->costs, "emul_mfc0=77", err, sizeof err), 0);
    before = c->stats.charged_cycles;
    emulate(MFC0_I(9u, 12u, 0u));
    assert_int_equal(c->stats.charged_cycles - before, 77);
    assert_int_not_equal(mon_costs_set(&mon->costs, "emul_mfc0=x", err, sizeof err), 0);
    assert_int_not_equal(mon_costs_set(&mon->costs, "nosuch=1", err, sizeof err), 0);
    assert_int_equal(mon->costs.cycles[COST_EMUL_MFC0], 77);
    for (int i = 0; i < COST_COUNT; i++) {
        assert_non_null(mon_cost_defs[i].name);
        assert_true(mon_cost_defs[i].cat < COST_CAT_COUNT);
    }
}

static void test_mcall_errors(void **s)
{
    (void)s;
    cpu_exception e = exc(EXC_RI, ABI_HYPCALL_INSN, PC0, false, PC0 + 4);
    cpu_set_gpr(c, 2, 999);
    mcall_dispatch(p, v, &e);
    assert_int_equal((int32_t)cpu_get_gpr(c, 2), -ABI_ENOSYS);
    assert_int_equal(cpu_get_pc(c), PC0 + 4);
    cpu_set_gpr(c, 2, ABI_MC_TLB_WRITE);
    cpu_set_gpr(c, 4, 64);
    mcall_dispatch(p, v, &e);
    assert_int_equal((int32_t)cpu_get_gpr(c, 2), -ABI_EINVAL);
    cpu_set_gpr(c, 2, ABI_MC_CONSOLE_WRITE);
    cpu_set_gpr(c, 4, 0x000ff800u);              /* runs past the end of the 1 MB */
    cpu_set_gpr(c, 5, 0x1000u);
    mcall_dispatch(p, v, &e);
    assert_int_equal((int32_t)cpu_get_gpr(c, 2), -ABI_EFAULT);
    assert_int_equal(v->stats.mcalls[ABI_MC_COUNT], 1);
    assert_int_equal(v->stats.cycles[COST_CAT_MCALL], 3 * mon_cost_defs[COST_MCALL].dflt);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_mtc0_mfc0), T(test_mtc0_userlocal_reaches_the_cpu), T(test_tlb_write_read_probe),
        T(test_eret_exl_and_erl), T(test_di_ei_cache),
        T(test_in_delay_slot_continues_at_branch_target), T(test_wait_blocks_until_interrupt),
        T(test_unknown_cop0_op_is_not_emulated), T(test_forward_refill_from_delay_slot),
        T(test_forward_nested_refill_takes_general_vector),
        T(test_forward_coprocessor_unusable_keeps_ce), T(test_forward_with_bev_stops_the_vm),
        T(test_interrupt_delivery_rules), T(test_hypcall_from_user_mode_is_the_guests), T(test_guest_fill_then_l2tlb_then_shootdown),
        T(test_guest_tlb_writes_and_retention), T(test_kernel_window_fill_and_limits),
        T(test_guest_miss_forwarding), T(test_cow_write_is_invisible_to_the_guest),
        T(test_migration_moves_every_translation), T(test_asid_recycling),
        T(test_flush_on_switch_uses_guest_asids), T(test_cost_accounting), T(test_mcall_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
