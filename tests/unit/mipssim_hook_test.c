/* mipssim_hook_test.c - a tiny monitor through hook.h on test and NUMA boards running
 * hand-assembled programs: SYSCALL emulation with cycle charging, a TLB refill filled
 * by the monitor, an exception in a delay slot skipped with next_pc, CPU_HOOK_DELIVER
 * vectoring normally, cpu_deliver_exception of a different exception; context switches
 * (direct round trip and through runs on every engine), ending a turn, idling until an
 * IPI or the timer, a TLB shootdown on another CPU, physical copies and fills that must
 * retire decoded and compiled code, and hot-page events on a NUMA board started
 * without an ELF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <errno.h>

#include "mips-sim/boards/board_numa.h"
#include "mips-sim/boards/board_test.h"
#include "mips-sim/cpu/cpu.h"
#include "mips-sim/hook.h"
#include "mips-sim/machine.h"

#define EXIT_V1 0x3c08bf00u, 0xad030010u, 0x1000ffffu, 0u   /* exit device <- v1; loop */

static machine m;
static board_test bt;
static cpu *c;

typedef struct mon {
    int calls, action;
    cpu_exception last;
    uint32_t v0_seen, epc_cp0_seen;
} mon;

static int setup(void **s)
{
    (void)s;
    machine_config cfg;
    machine_config_defaults(&cfg);
    assert_int_equal(machine_init(&m, &cfg), 0);
    assert_int_equal(board_test_setup(&bt, &m, 16u << 20, stdout), 0);
    c = m.cpus[0];
    return 0;
}
static int teardown(void **s)
{
    (void)s;
    board_test_destroy(&bt);
    machine_destroy(&m);
    return 0;
}

static void start(const uint32_t *prog, size_t words)
{
    assert_int_equal(bus_load(&m.bus, 0x1000, prog, words * 4), 0);
    machine_start(&m, 0x80001000u);
    cpu_set_cp0(c, CP0_STATUS, 0, 0); /* kernel mode, BEV = 0, ERL = 0 */
}

enum { SYSCALL_EMUL, REFILL, SKIP, DELIVER, FORWARD_RI };

static int monitor(cpu *cp, const cpu_exception *e, void *ctx)
{
    mon *mo = ctx;
    mo->calls++;
    mo->last = *e;
    mo->v0_seen = cpu_get_gpr(cp, 2);
    mo->epc_cp0_seen = cpu_get_cp0(cp, CP0_EPC, 0);
    assert_int_equal(cpu_get_pc(cp), e->epc);          /* set to restart the instruction */
    switch (mo->action) {
    case SYSCALL_EMUL:
        cpu_set_gpr(cp, 2, cpu_get_gpr(cp, 2) + 100);
        cpu_set_gpr(cp, 0, 55);                        /* ignored */
        cpu_charge_cycles(cp, 500);
        assert_int_equal(cpu_send_ipi(cp, 0), 0);
        assert_true(cpu_send_ipi(cp, 1) < 0);
        cpu_set_pc(cp, e->next_pc);
        return CPU_HOOK_HANDLED;
    case REFILL:
        assert_int_equal(cpu_tlb_write(cp, 2, e->badvaddr & ~0x1fffu, 0,
                                       ((0x800000u >> 12) << 6) | 0x1e, 0), 0);
        assert_true(cpu_tlb_write(cp, 64, 0, 0, 0, 0) < 0);
        cpu_charge_cycles(cp, 40);
        return CPU_HOOK_HANDLED;
    case SKIP:
        cpu_set_pc(cp, e->next_pc);
        return CPU_HOOK_HANDLED;
    case DELIVER:
        return CPU_HOOK_DELIVER;
    case FORWARD_RI: {
        cpu_exception f = *e;
        f.code = EXC_RI;
        cpu_deliver_exception(cp, &f);
        return CPU_HOOK_HANDLED;
    }
    }
    return CPU_HOOK_DELIVER;
}

static void test_syscall_emulation(void **s)
{
    (void)s;
    static const uint32_t prog[] = { 0x2402002au /* addiu v0, zero, 42 */, 0x0000000cu /* syscall */,
                                     0x24430001u /* addiu v1, v0, 1 */, EXIT_V1 };
    mon mo = { .action = SYSCALL_EMUL };
    start(prog, sizeof(prog) / 4);
    cpu_set_hook(c, monitor, &mo);
    assert_int_equal(machine_run(&m), 143);
    assert_int_equal(mo.calls, 1);
    assert_int_equal(mo.last.code, EXC_SYS);
    assert_int_equal(mo.last.epc, 0x80001004u);
    assert_false(mo.last.bd);
    assert_int_equal(mo.last.next_pc, 0x80001008u);
    assert_int_equal(mo.last.insn, 0x0000000cu);
    assert_int_equal(mo.last.mode, CPU_MODE_KERNEL);
    assert_false(mo.last.refill);
    assert_int_equal(mo.v0_seen, 42);
    assert_int_equal(cpu_get_gpr(c, 0), 0);
    assert_int_equal(cpu_get_gpr(c, 3), 143);
    /* no architectural exception state was touched */
    assert_int_equal(cpu_get_cp0(c, CP0_EPC, 0), 0);
    assert_int_equal(cpu_get_cp0(c, CP0_STATUS, 0) & ST_EXL, 0);
    assert_int_equal((cpu_get_cp0(c, CP0_CAUSE, 0) >> 2) & 31, 0);
    assert_int_equal(c->stats.charged_cycles, 500);
    assert_int_equal(c->stats.hook_calls, 1);
    assert_int_equal(c->stats.exceptions[EXC_SYS], 1);
    assert_int_equal(c->cycles - c->insns, 501);            /* entry cycle + charge */
    assert_int_equal(m.ipi_pending & 1, 1);
}

static void test_refill_by_monitor(void **s)
{
    (void)s;
    static const uint32_t prog[] = { 0x3c090040u /* lui t1, 0x40 */, 0x8d230008u /* lw v1, 8(t1) */,
                                     EXIT_V1 };
    mon mo = { .action = REFILL };
    uint32_t v = 77;
    start(prog, sizeof(prog) / 4);
    assert_int_equal(cpu_phys_write32(c, 0x800008, v), 0);
    uint32_t back = 0;
    assert_int_equal(cpu_phys_read32(c, 0x800008, &back), 0);
    assert_int_equal(back, 77);
    assert_true(cpu_phys_read32(c, 0x1e000000u, &back) < 0);
    cpu_set_cp0(c, CP0_ENTRYHI, 0, 0x00000000u);
    cpu_set_hook(c, monitor, &mo);
    assert_int_equal(machine_run(&m), 77);
    assert_int_equal(mo.calls, 1);
    assert_int_equal(mo.last.code, EXC_TLBL);
    assert_true(mo.last.refill);
    assert_int_equal(mo.last.badvaddr, 0x00400008u);
    assert_int_equal(mo.last.epc, 0x80001004u);
    assert_int_equal(mo.last.insn, 0x8d230008u);
    assert_int_equal(cpu_get_cp0(c, CP0_BADVADDR, 0), 0);   /* untouched */
    assert_int_equal(cpu_get_cp0(c, CP0_ENTRYHI, 0), 0);
    assert_int_equal(c->stats.tlb_refills, 1);
    assert_int_equal(c->stats.charged_cycles, 40);
    uint32_t hi, pm, lo0, lo1;
    assert_int_equal(cpu_tlb_read(c, 2, &hi, &pm, &lo0, &lo1), 0);
    assert_int_equal(hi, 0x00400000u);
    assert_int_equal(lo0, ((0x800000u >> 12) << 6) | 0x1e);
    assert_true(cpu_tlb_read(c, -1, &hi, &pm, &lo0, &lo1) < 0);
    assert_int_equal(cpu_tlb_probe(c, 0x00400000u), 2);
    assert_int_equal(cpu_tlb_probe(c, 0x00402000u), -1);
    /* cpu_tlb_write leaves the CP0 TLB registers alone */
    assert_int_equal(cpu_get_cp0(c, CP0_ENTRYLO0, 0), 0);
    assert_int_equal(cpu_get_cp0(c, CP0_INDEX, 0), 0);
}

static void test_delay_slot(void **s)
{
    (void)s;
    static const uint32_t prog[] = { 0x10000003u /* b +3 */, 0x0000000cu /* syscall (slot) */,
                                     0x24030063u /* addiu v1, zero, 99 */, 0,
                                     0x24030007u /* addiu v1, zero, 7 */, EXIT_V1 };
    mon mo = { .action = SKIP };
    start(prog, sizeof(prog) / 4);
    cpu_set_hook(c, monitor, &mo);
    assert_int_equal(machine_run(&m), 7);
    assert_int_equal(mo.calls, 1);
    assert_true(mo.last.bd);
    assert_int_equal(mo.last.epc, 0x80001000u);
    assert_int_equal(mo.last.next_pc, 0x80001010u);
    assert_int_equal(mo.last.code, EXC_SYS);
}

static const uint32_t handler[] = { 0x40036800u /* mfc0 v1, Cause */, 0x00031882u /* srl v1, v1, 2 */,
                                    0x3063001fu /* andi v1, v1, 31 */, EXIT_V1 };

static void test_deliver(void **s)
{
    (void)s;
    static const uint32_t prog[] = { 0x00000000u, 0x0000000du /* break */, 0x24030001u, EXIT_V1 };
    mon mo = { .action = DELIVER };
    start(prog, sizeof(prog) / 4);
    assert_int_equal(bus_load(&m.bus, 0x180, handler, sizeof(handler)), 0);
    cpu_set_hook(c, monitor, &mo);
    assert_int_equal(machine_run(&m), EXC_BP);
    assert_int_equal(mo.calls, 1);
    assert_int_equal(mo.epc_cp0_seen, 0);
    assert_int_equal(cpu_get_cp0(c, CP0_EPC, 0), 0x80001004u);
    assert_int_equal(cpu_get_cp0(c, CP0_STATUS, 0) & ST_EXL, ST_EXL);
    assert_int_equal(cpu_get_cp0(c, CP0_CAUSE, 0) & CAUSE_BD, 0);
}

static void test_forward_other_exception(void **s)
{
    (void)s;
    static const uint32_t prog[] = { 0x0000000cu /* syscall */, 0x24030001u, EXIT_V1 };
    mon mo = { .action = FORWARD_RI };
    start(prog, sizeof(prog) / 4);
    assert_int_equal(bus_load(&m.bus, 0x180, handler, sizeof(handler)), 0);
    cpu_set_hook(c, monitor, &mo);
    assert_int_equal(machine_run(&m), EXC_RI);
    assert_int_equal(cpu_get_cp0(c, CP0_EPC, 0), 0x80001000u);
    /* without a hook the exception vectors as usual */
    cpu_set_hook(c, NULL, NULL);
    m.halted = false;
    start(prog, sizeof(prog) / 4);
    assert_int_equal(machine_run(&m), EXC_SYS);
    assert_int_equal(mo.calls, 1);
}

/* ---- an assembler for the few instructions the tests below use --------------------- */

#define ADDIU(rt, rs, imm) (0x24000000u | (rs) << 21 | (rt) << 16 | ((imm) & 0xffffu))
#define ADDU(rd, rs, rt) ((rs) << 21 | (rt) << 16 | (rd) << 11 | 0x21u)
#define LUI(rt, imm) (0x3c000000u | (rt) << 16 | ((imm) & 0xffffu))
#define LW(rt, off, base) (0x8c000000u | (base) << 21 | (rt) << 16 | ((off) & 0xffffu))
#define SW(rt, off, base) (0xac000000u | (base) << 21 | (rt) << 16 | ((off) & 0xffffu))
#define MTC0(rt, rd) (0x40800000u | (rt) << 16 | (rd) << 11)
#define MFC0(rt, rd) (0x40000000u | (rt) << 16 | (rd) << 11)
#define MTHI(rs) ((rs) << 21 | 0x11u)
#define MTLO(rs) ((rs) << 21 | 0x13u)
#define MFHI(rd) ((rd) << 11 | 0x10u)
#define MFLO(rd) ((rd) << 11 | 0x12u)
#define JAL(addr) (0x0c000000u | (((addr) >> 2) & 0x3ffffffu))
#define JR(rs) ((rs) << 21 | 0x08u)
#define BEQ(rs, rt, off) (0x10000000u | (rs) << 21 | (rt) << 16 | ((off) & 0xffffu))
#define SYSCALL 0x0000000cu
#define NOP 0u
enum { V0 = 2, V1 = 3, A0 = 4, T0 = 8, T1 = 9, T2 = 10, RA = 31 };

/* A machine of its own for the tests below (engine and CPUs as given). */
static void machine_up(machine *mm, board_test *b, int engine, int ncpus)
{
    machine_config cfg;
    machine_config_defaults(&cfg);
    cfg.engine = engine;
    cfg.ncpus = ncpus;
    cfg.max_insns = 5000000;            /* a test that loops forever stops with 3 */
    assert_int_equal(machine_init(mm, &cfg), 0);
    assert_int_equal(board_test_setup(b, mm, 16u << 20, stdout), 0);
}

static void machine_down(machine *mm, board_test *b)
{
    board_test_destroy(b);
    machine_destroy(mm);
}

static void load(machine *mm, uint64_t pa, const uint32_t *prog, size_t words)
{
    assert_int_equal(bus_load(&mm->bus, pa, prog, words * 4), 0);
}

/* ---- context save / restore ---------------------------------------------------------- */

static void test_context_round_trip(void **s)
{
    (void)s;
    cpu_set_cp0(c, CP0_STATUS, 0, 0x00000011u);        /* user mode, IE */
    cpu_set_cp0(c, CP0_ENTRYHI, 0, 0x12344055u);
    cpu_set_cp0(c, CP0_CONTEXT, 0, 0xff800000u);
    cpu_set_cp0(c, CP0_CONTEXT, 2, 0xabcdef01u);       /* UserLocal */
    cpu_set_cp0(c, CP0_WIRED, 0, 3);
    cpu_set_cp0(c, CP0_COUNT, 0, 1000);
    cpu_set_cp0(c, CP0_COMPARE, 0, 5000);
    cpu_set_cp0(c, CP0_EPC, 0, 0x80001234u);
    cpu_set_cp0(c, CP0_ERROREPC, 0, 0x80005678u);
    cpu_set_cp0(c, CP0_ENTRYLO0, 0, 0x1234u);
    cpu_set_cp0(c, CP0_PAGEMASK, 0, 0x6000u);
    for (int r = 1; r < 32; r++)
        cpu_set_gpr(c, r, 0x1000u * (uint32_t)r + 7);
    cpu_set_hilo(c, 0xdead, 0xbeef);
    c->pc = 0x80002004u;                                /* a delay slot */
    c->npc = 0x80003000u;
    c->in_bd = true;
    c->insns += 17;                                     /* Random moves off the top */
    c->fpu.fpr[5] = 0x0123456789abcdefull;
    c->fpu.fcsr = FCSR_FS | 2;                          /* FS, round to +inf */
    c->fpu.lazy_word = 0x46020000u;                     /* as compiled code leaves it: */
    c->fpu.lazy_a = 0x3f800000u;                        /* add.s 1 + 2^-30: Inexact */
    c->fpu.lazy_b = 0x30800000u;
    cpu_context saved, again;
    cpu_context_save(c, &saved);
    assert_int_equal(saved.fpu.lazy_word, 0);
    assert_int_equal(saved.fpu.fcsr, FCSR_FS | 2 | (uint32_t)FPU_EX_I << FCSR_CAUSE_SHIFT);
    uint32_t random = cpu_get_cp0(c, CP0_RANDOM, 0);
    assert_int_equal(saved.count, 1000);
    assert_int_equal(saved.random, random);
    assert_true(saved.in_bd);

    cpu_reset(c, 0xbfc00000u);                          /* lose everything */
    cpu_charge_cycles(c, 12345);                        /* on a later clock */
    c->insns += 5;
    assert_int_equal(c->mode, CPU_MODE_KERNEL);
    cpu_context_restore(c, &saved);
    assert_int_equal(c->mode, CPU_MODE_USER);
    assert_ptr_equal(c->htlb, c->htlb_modes[CPU_MODE_USER]);
    assert_int_equal(cpu_get_cp0(c, CP0_COUNT, 0), 1000); /* as saved, on the new clock */
    assert_int_equal(cpu_get_cp0(c, CP0_RANDOM, 0), random);
    assert_int_equal(cpu_get_cp0(c, CP0_ENTRYHI, 0), 0x12344055u & (ENTRYHI_VPN2 | ENTRYHI_ASID));
    assert_int_equal(cpu_get_cp0(c, CP0_CONTEXT, 2), 0xabcdef01u);
    assert_int_equal(cpu_get_gpr(c, 31), 0x1000u * 31 + 7);
    assert_int_equal(cpu_get_hi(c), 0xdead);
    assert_int_equal(cpu_get_lo(c), 0xbeef);
    assert_true(c->fpu.fpr[5] == 0x0123456789abcdefull);
    assert_int_equal(c->fpu.fcsr, saved.fpu.fcsr);
    assert_true(c->in_bd);
    assert_int_equal(c->npc, 0x80003000u);
    /* the timer deadline follows Count and Compare: 4000 ticks = 8000 cycles on */
    assert_int_equal(c->timer_deadline, c->cycles + 8000);
    cpu_context_save(c, &again);
    assert_memory_equal(&saved, &again, sizeof(saved));

    /* an LL link is re-made on RAM, dropped elsewhere */
    saved.llbit = true;
    saved.lladdr = 0x800;
    cpu_context_restore(c, &saved);
    assert_true(c->llbit);
    assert_int_equal(m.sys.ll_links, 1);
    saved.lladdr = 0x1e000000u;
    cpu_context_restore(c, &saved);
    assert_false(c->llbit);
    assert_int_equal(m.sys.ll_links, 0);
    /* a reset drops the link and its count (else compiled code would stay off) */
    saved.lladdr = 0x800;
    cpu_context_restore(c, &saved);
    assert_int_equal(m.sys.ll_links, 1);
    cpu_reset(c, ARCH_RESET_PC);
    assert_false(c->llbit);
    assert_int_equal(m.sys.ll_links, 0);
}

/* Two contexts take turns on one CPU: each SYSCALL switches to the other. */
typedef struct switcher {
    cpu_context other;
    int switches;
} switcher;

static int switch_hook(cpu *cp, const cpu_exception *e, void *ctx)
{
    switcher *sw = ctx;
    cpu_context mine;
    cpu_set_pc(cp, e->next_pc);                          /* resume after the SYSCALL */
    cpu_context_save(cp, &mine);
    cpu_context_restore(cp, &sw->other);
    sw->other = mine;
    sw->switches++;
    return CPU_HOOK_HANDLED;
}

static void test_context_switch_run(void **s)
{
    (void)s;
    /* A: sets v0, a0, HI, LO and ASID 0x55, switches away, and then adds them up. */
    static const uint32_t prog_a[] = {
        ADDIU(V0, 0, 42), ADDIU(A0, 0, 7), MTHI(A0), MTLO(V0), ADDIU(T0, 0, 0x55),
        MTC0(T0, 10), SYSCALL, MFHI(V1), MFLO(T1), ADDU(V1, V1, T1), ADDU(V1, V1, A0),
        MFC0(T2, 10), ADDU(V1, V1, T2), ADDU(V1, V1, V0), EXIT_V1 };
    /* B: clobbers all of that, then switches back. */
    static const uint32_t prog_b[] = {
        ADDIU(V0, 0, 1), ADDIU(A0, 0, 2), MTHI(0), MTLO(0), ADDIU(T0, 0, 0x99),
        MTC0(T0, 10), SYSCALL, ADDIU(V1, 0, 66), EXIT_V1 };
    static const int engines[] = { ENGINE_JIT, ENGINE_BLOCKS,
                                   ENGINE_INTERP };
    for (int i = 0; i < 3; i++) {
        machine mm;
        board_test b;
        machine_up(&mm, &b, engines[i], 1);
        cpu *cp = mm.cpus[0];
        load(&mm, 0x1000, prog_a, sizeof(prog_a) / 4);
        load(&mm, 0x2000, prog_b, sizeof(prog_b) / 4);
        switcher sw;
        cpu_reset(cp, 0x80002000u);
        cpu_set_cp0(cp, CP0_STATUS, 0, 0);
        cpu_context_save(cp, &sw.other);                 /* B's starting context */
        sw.switches = 0;
        cpu_reset(cp, 0x80001000u);
        cpu_set_cp0(cp, CP0_STATUS, 0, 0);
        cpu_set_hook(cp, switch_hook, &sw);
        assert_int_equal(machine_run(&mm), 7 + 42 + 7 + 0x55 + 42);
        assert_int_equal(sw.switches, 2);
        assert_int_equal(cpu_get_gpr(cp, V1), 7 + 42 + 7 + 0x55 + 42);
        /* B was left after its SYSCALL, with its own registers */
        assert_int_equal(sw.other.pc, 0x80002000u + 7 * 4);
        assert_int_equal(sw.other.gpr[V0], 1);
        assert_int_equal(sw.other.cp0.entryhi & 0xff, 0x99);
        machine_down(&mm, &b);
    }
}

/* ---- turns, idling, other CPUs ------------------------------------------------------- */

typedef struct turns {
    cpu *other;
    uint64_t other_insns[8];
    int calls;
    bool end_turn, idle;
} turns;

/* CPU 0's SYSCALL: note how far CPU 1 got, skip the SYSCALL, maybe end the turn. */
static int turn_hook(cpu *cp, const cpu_exception *e, void *ctx)
{
    turns *t = ctx;
    assert_ptr_equal(cp->m->running, cp);
    if (t->calls < 8)
        t->other_insns[t->calls] = t->other->insns;
    t->calls++;
    cpu_set_pc(cp, e->next_pc);
    if (t->end_turn)
        cpu_end_turn(cp);
    cpu_end_turn(t->other);                              /* no turn under way: no effect */
    return CPU_HOOK_HANDLED;
}

static void test_end_turn(void **s)
{
    (void)s;
    static const uint32_t loop0[] = { SYSCALL, BEQ(0, 0, -2), NOP };
    /* CPU 1 counts to 3000 and exits */
    static const uint32_t count1[] = { ADDIU(V1, V1, 1), ADDIU(T0, 0, 3000),
                                       BEQ(V1, T0, 2), NOP, BEQ(0, 0, -5), NOP, EXIT_V1 };
    for (int end = 0; end < 2; end++) {
        machine mm;
        board_test b;
        machine_up(&mm, &b, ENGINE_JIT, 2);
        load(&mm, 0x1000, loop0, 3);
        load(&mm, 0x2000, count1, sizeof(count1) / 4);
        cpu_reset(mm.cpus[0], 0x80001000u);
        cpu_reset(mm.cpus[1], 0x80002000u);
        turns t = { .other = mm.cpus[1], .end_turn = end };
        cpu_set_hook(mm.cpus[0], turn_hook, &t);
        assert_int_equal(machine_run(&mm), 3000 & 0xff);
        assert_true(t.calls >= 8);
        /* with cpu_end_turn, CPU 1 runs between any two of CPU 0's SYSCALLs */
        for (int i = 1; i < 8; i++)
            if (end)
                assert_true(t.other_insns[i] > t.other_insns[i - 1]);
        if (!end)
            assert_int_equal(t.other_insns[1], t.other_insns[0]);
        machine_down(&mm, &b);
    }
}

typedef struct idler {
    int ipi_to;                  /* SYSCALL: send this CPU an IPI first (-1: none) */
    int ints;
    uint64_t idle_insns, wake_insns, wake_cycles;
} idler;

/* SYSCALL: (maybe send an IPI, then) go idle. Interrupt: acknowledge, note, exit. */
static int idle_hook(cpu *cp, const cpu_exception *e, void *ctx)
{
    idler *id = &((idler *)ctx)[cp->id];
    if (e->code == EXC_SYS) {
        if (id->ipi_to >= 0)
            assert_int_equal(cpu_send_ipi(cp, id->ipi_to), 0);
        cpu_set_pc(cp, e->next_pc);
        cpu_idle(cp);
        id->idle_insns = cp->insns;
        return CPU_HOOK_HANDLED;
    }
    assert_int_equal(e->code, EXC_INT);
    id->ints++;
    id->wake_insns = cp->insns;
    id->wake_cycles = cp->cycles;
    machine_clear_ipi(cp->m, cp->id);
    cpu_set_cp0(cp, CP0_COMPARE, 0, 0);                  /* acknowledge the timer */
    machine_halt(cp->m, 0, "exit");
    return CPU_HOOK_HANDLED;
}

static const uint32_t idle_prog[] = { SYSCALL, BEQ(0, 0, -1), NOP };

static void test_idle_until_ipi(void **s)
{
    (void)s;
    /* CPU 0 idles; CPU 1 (running after it in each round) sends it an IPI and idles
     * for good (IM = 0). The IPI must wake CPU 0, not leave the machine deadlocked. */
    machine mm;
    board_test b;
    machine_up(&mm, &b, ENGINE_JIT, 2);
    load(&mm, 0x1000, idle_prog, 3);
    idler id[2] = { { .ipi_to = -1 }, { .ipi_to = 0 } };
    for (int i = 0; i < 2; i++) {
        cpu_reset(mm.cpus[i], 0x80001000u);
        cpu_set_cp0(mm.cpus[i], CP0_STATUS, 0, i == 0 ? 0x0401u : 0); /* IE, IM2 (IPI) */
        cpu_set_hook(mm.cpus[i], idle_hook, id);
    }
    assert_int_equal(machine_run(&mm), 0);
    assert_string_equal(mm.halt_reason, "exit");
    assert_int_equal(id[0].ints, 1);
    assert_int_equal(id[0].wake_insns, id[0].idle_insns);  /* nothing ran while idle */
    assert_int_equal(id[1].ints, 0);
    assert_int_equal(mm.cpus[0]->stats.exceptions[EXC_INT], 1);
    machine_down(&mm, &b);
}

static void test_idle_until_timer(void **s)
{
    (void)s;
    machine mm;
    board_test b;
    machine_up(&mm, &b, ENGINE_JIT, 1);
    load(&mm, 0x1000, idle_prog, 3);
    cpu *cp = mm.cpus[0];
    idler id[1] = { { .ipi_to = -1 } };
    cpu_reset(cp, 0x80001000u);
    cpu_set_cp0(cp, CP0_STATUS, 0, 0x8001u);             /* IE, IM7 (timer) */
    cpu_set_cp0(cp, CP0_COUNT, 0, 0);
    cpu_set_cp0(cp, CP0_COMPARE, 0, 1000000);            /* 2,000,000 cycles on */
    cpu_set_hook(cp, idle_hook, id);
    assert_int_equal(machine_run(&mm), 0);
    assert_int_equal(id[0].ints, 1);
    assert_int_equal(id[0].wake_insns, id[0].idle_insns);
    assert_true(id[0].wake_cycles >= 2000000 && id[0].wake_cycles < 2000000 + 10);
    assert_true(cp->stats.idle_cycles > 1999000);        /* skipped, not executed */
    assert_true(cp->insns < 10);
    machine_down(&mm, &b);
}

/* CPU 0's SYSCALL remaps CPU 1's page 0x00400000 from 0x800000 to 0x900000. */
static int shootdown_hook(cpu *cp, const cpu_exception *e, void *ctx)
{
    cpu *other = ctx;
    assert_int_equal(cpu_tlb_write(other, 5, 0x00400000u, 0, ((0x900000u >> 12) << 6) | 0x1e, 0), 0);
    cpu_charge_cycles(cp, 100);                          /* IPI and acknowledgement */
    cpu_charge_cycles(other, 300);                       /* B's handler */
    cpu_set_pc(cp, e->next_pc);
    return CPU_HOOK_HANDLED;
}

static void test_tlb_write_other_cpu(void **s)
{
    (void)s;
    /* CPU 1 reads 0x00400000 until it sees something other than 1; CPU 0 spins 5000
     * times, then remaps CPU 1's page. */
    static const uint32_t reader[] = { LUI(T1, 0x40), LW(V1, 0, T1), ADDIU(T0, 0, 1),
                                       BEQ(V1, T0, -3), NOP, EXIT_V1 };
    static const uint32_t spinner[] = { ADDIU(A0, A0, 1), ADDIU(T0, 0, 5000), BEQ(A0, T0, 3),
                                        NOP, BEQ(0, 0, -5), NOP, SYSCALL, BEQ(0, 0, -1), NOP };
    static const int engines[] = { ENGINE_JIT, ENGINE_BLOCKS,
                                   ENGINE_INTERP };
    for (int i = 0; i < 3; i++) {
        machine mm;
        board_test b;
        machine_up(&mm, &b, engines[i], 2);
        load(&mm, 0x1000, spinner, sizeof(spinner) / 4);
        load(&mm, 0x2000, reader, sizeof(reader) / 4);
        uint32_t one = 1, nine = 9;
        assert_int_equal(cpu_phys_write(mm.cpus[0], 0x800000, &one, 4), 0);
        assert_int_equal(cpu_phys_write(mm.cpus[0], 0x900000, &nine, 4), 0);
        cpu_reset(mm.cpus[0], 0x80001000u);
        cpu_reset(mm.cpus[1], 0x80002000u);
        cpu_set_cp0(mm.cpus[1], CP0_STATUS, 0, 0);       /* ERL = 0: kuseg is mapped */
        assert_int_equal(cpu_tlb_write(mm.cpus[1], 5, 0x00400000u, 0,
                                       ((0x800000u >> 12) << 6) | 0x1e, 0), 0);
        cpu_set_hook(mm.cpus[0], shootdown_hook, mm.cpus[1]);
        assert_int_equal(machine_run(&mm), 9);
        assert_int_equal(mm.cpus[1]->stats.charged_cycles, 300);
        machine_down(&mm, &b);
    }
}

/* ---- physical memory ----------------------------------------------------------------- */

typedef struct rewriter {
    int calls;
    bool fill;
} rewriter;

/* SYSCALL: rewrite the code at 0x3000 (a copy of page 0x5000, or a fill). */
static int rewrite_hook(cpu *cp, const cpu_exception *e, void *ctx)
{
    rewriter *rw = ctx;
    rw->calls++;
    if (rw->fill)
        assert_int_equal(cpu_phys_fill_page(cp, 0x3000, ADDIU(V1, V1, 1)), 0);
    else
        assert_int_equal(cpu_phys_copy_page(cp, 0x3000, 0x5000), 0);
    cpu_set_pc(cp, e->next_pc);
    return CPU_HOOK_HANDLED;
}

static void test_phys_rewrites_code(void **s)
{
    (void)s;
    /* main calls the function at 0x80003000 twice, with a rewrite between the calls */
    static const uint32_t main_prog[] = { ADDIU(V1, 0, 0), JAL(0x80003000u), NOP, SYSCALL,
                                          JAL(0x80003000u), NOP, EXIT_V1 };
    static const uint32_t fn_old[] = { ADDIU(V1, V1, 1), JR(RA), NOP };
    static const uint32_t fn_new[] = { ADDIU(V1, V1, 100), JR(RA), NOP };
    static const uint32_t ret[] = { JR(RA), NOP };
    static const int engines[] = { ENGINE_JIT, ENGINE_BLOCKS,
                                   ENGINE_INTERP };
    for (int i = 0; i < 3; i++)
        for (int fill = 0; fill < 2; fill++) {
            machine mm;
            board_test b;
            machine_up(&mm, &b, engines[i], 1);
            load(&mm, 0x1000, main_prog, sizeof(main_prog) / 4);
            load(&mm, 0x3000, fn_old, 3);
            load(&mm, 0x4000, ret, 2);                   /* where a filled page runs on */
            load(&mm, 0x5000, fn_new, 3);
            rewriter rw = { .fill = fill };
            cpu_reset(mm.cpus[0], 0x80001000u);
            cpu_set_hook(mm.cpus[0], rewrite_hook, &rw);
            machine_run(&mm);
            assert_string_equal(mm.halt_reason, "exit");
            assert_int_equal(rw.calls, 1);
            assert_int_equal(cpu_get_gpr(mm.cpus[0], V1), fill ? 1 + 1024 : 1 + 100);
            machine_down(&mm, &b);
        }
}

static void test_phys_errors_and_links(void **s)
{
    (void)s;
    uint8_t buf[64], back[64];
    for (int i = 0; i < 64; i++)
        buf[i] = (uint8_t)(i * 3);
    assert_int_equal(cpu_phys_write(c, 0x10000, buf, sizeof(buf)), 0);
    assert_int_equal(cpu_phys_read(c, 0x10000, back, sizeof(back)), 0);
    assert_memory_equal(buf, back, sizeof(buf));
    /* past the end of RAM (16 MB), devices, page alignment */
    assert_int_equal(cpu_phys_write(c, (16u << 20) - 8, buf, 16), -EFAULT);
    assert_int_equal(cpu_phys_read(c, (16u << 20) - 8, back, 16), -EFAULT);
    assert_int_equal(cpu_phys_read(c, BOARD_TEST_DEV_BASE, back, 4), -EFAULT);
    assert_int_equal(cpu_phys_copy_page(c, 0x1001, 0x2000), -EINVAL);
    assert_int_equal(cpu_phys_copy_page(c, 0x2000, 0x2000), -EINVAL);
    assert_int_equal(cpu_phys_fill_page(c, 0x2004, 0), -EINVAL);
    assert_int_equal(cpu_phys_copy_page(c, 16u << 20, 0x2000), -EFAULT);
    assert_int_equal(cpu_phys_fill_page(c, BOARD_TEST_DEV_BASE, 0), -EFAULT);
    assert_int_equal(cpu_phys_copy_page(c, 0x2000, 0x10000), 0);
    assert_int_equal(cpu_phys_read(c, 0x2000, back, sizeof(back)), 0);
    assert_memory_equal(buf, back, sizeof(buf));
    /* a fill breaks an LL link into its page, a write of another page does not */
    cpu_context ctx;
    cpu_context_save(c, &ctx);
    ctx.llbit = true;
    ctx.lladdr = 0x2040;
    cpu_context_restore(c, &ctx);
    assert_int_equal(cpu_phys_write(c, 0x3040, buf, 4), 0);
    assert_true(c->llbit);
    assert_int_equal(cpu_phys_write(c, 0x2042, buf, 1), 0);
    assert_false(c->llbit);
    cpu_context_restore(c, &ctx);
    assert_int_equal(cpu_phys_copy_page(c, 0x2000, 0x10000), 0);
    assert_false(c->llbit);
    cpu_context_restore(c, &ctx);
    assert_int_equal(cpu_phys_fill_page(c, 0x2000, 0x5a5a5a5au), 0);
    assert_false(c->llbit);
    assert_int_equal(m.sys.ll_links, 0);
    uint32_t w;
    assert_int_equal(cpu_phys_read32(c, 0x2ffc, &w), 0);
    assert_int_equal(w, 0x5a5a5a5au);
}

/* ---- hot pages on a NUMA board started without an ELF ------------------------------- */

typedef struct hotmon {
    machine *m;
    int events;
    hotpage_event ev;
    uint32_t v1_seen, pc_seen;
    uint64_t insns_seen;
} hotmon;

static void hot_fn(void *ctx, const hotpage_event *ev)
{
    hotmon *h = ctx;
    cpu *cp = h->m->cpus[ev->cpu];
    assert_ptr_equal(h->m->running, cp);
    if (h->events++ == 0) {
        h->ev = *ev;
        h->v1_seen = cpu_get_gpr(cp, V1);
        h->pc_seen = cpu_get_pc(cp);
        h->insns_seen = cp->insns;
    }
}

static void test_hotpage_hook(void **s)
{
    (void)s;
    /* no counters on the test board */
    assert_int_equal(machine_set_hotpage_hook(&m, hot_fn, NULL), -ENODEV);

    /* Two nodes of 1 MB, one CPU each. CPU 1 (node 1) reads four lines of page
     * 0x1000 (node 0) and exits with what it read last; CPU 0 is parked idle. */
    machine mm;
    board_numa bn;
    machine_config cfg;
    machine_config_defaults(&cfg);
    cfg.ncpus = 2;
    cfg.max_insns = 1000000;
    assert_int_equal(machine_init(&mm, &cfg), 0);
    board_numa_config ncfg;
    board_numa_config_defaults(&ncfg, cfg.clock_hz);
    ncfg.nodes = 2;
    ncfg.cpus_per_node = 1;
    ncfg.mem_per_node = 1u << 20;
    ncfg.hot.threshold = 3;
    assert_int_equal(board_numa_setup(&bn, &mm, &ncfg, stdout), 0);
    static const uint32_t prog[] = { LUI(T1, 0x8000), ADDIU(T1, T1, 0x1000), LW(V1, 0, T1),
                                     LW(V1, 128, T1), LW(V1, 256, T1), LW(V1, 384, T1),
                                     EXIT_V1 };
    static const uint32_t data[] = { 11, 22, 33, 44 };
    for (int i = 0; i < 4; i++)
        assert_int_equal(cpu_phys_write(mm.cpus[0], 0x1000 + 128u * (unsigned)i, &data[i], 4), 0);
    assert_int_equal(cpu_phys_write(mm.cpus[0], 0x100000 + 0x2000, prog, sizeof(prog)), 0);

    /* CPU 1 starts from a context (kernel mode, BEV = 0) at its code in node 1 */
    cpu_context ctx;
    cpu_reset(mm.cpus[1], 0);
    cpu_context_save(mm.cpus[1], &ctx);
    ctx.pc = 0x80102000u;
    ctx.npc = ctx.pc + 4;
    ctx.cp0.status = 0;
    cpu_context_restore(mm.cpus[1], &ctx);
    cpu_reset(mm.cpus[0], 0x80000000u);
    cpu_idle(mm.cpus[0]);                                /* IM = 0: never wakes */

    hotmon h = { .m = &mm };
    assert_int_equal(machine_set_hotpage_hook(&mm, hot_fn, &h), 0);
    assert_int_equal(machine_run(&mm), 44);
    assert_int_equal(h.events, 1);
    assert_int_equal(h.ev.page, 1);
    assert_int_equal(h.ev.node, 1);
    assert_int_equal(h.ev.cpu, 1);
    assert_int_equal(h.ev.counts[1], 3);
    /* the third miss (the load of 33) completed before the hook ran */
    assert_int_equal(h.v1_seen, 33);
    assert_int_equal(h.pc_seen, 0x80102000u + 5 * 4);
    assert_int_equal(mm.cpus[0]->insns, 0);
    assert_int_equal(machine_set_hotpage_hook(&mm, NULL, NULL), 0);
    board_numa_destroy(&bn);
    machine_destroy(&mm);

    /* with the cache model off there are no counters either */
    assert_int_equal(machine_init(&mm, &cfg), 0);
    ncfg.cache_model = false;
    assert_int_equal(board_numa_setup(&bn, &mm, &ncfg, stdout), 0);
    assert_int_equal(machine_set_hotpage_hook(&mm, hot_fn, &h), -ENODEV);
    board_numa_destroy(&bn);
    machine_destroy(&mm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_syscall_emulation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refill_by_monitor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delay_slot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forward_other_exception, setup, teardown),
        cmocka_unit_test_setup_teardown(test_context_round_trip, setup, teardown),
        cmocka_unit_test(test_context_switch_run),
        cmocka_unit_test(test_end_turn),
        cmocka_unit_test(test_idle_until_ipi),
        cmocka_unit_test(test_idle_until_timer),
        cmocka_unit_test(test_tlb_write_other_cpu),
        cmocka_unit_test(test_phys_rewrites_code),
        cmocka_unit_test_setup_teardown(test_phys_errors_and_links, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hotpage_hook, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
