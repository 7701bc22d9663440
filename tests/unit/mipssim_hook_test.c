/* mipssim_hook_test.c - a tiny monitor through hook.h on a one-CPU test board running
 * hand-assembled programs: SYSCALL emulation with cycle charging, a TLB refill filled
 * by the monitor, an exception in a delay slot skipped with next_pc, CPU_HOOK_DELIVER
 * vectoring normally, and cpu_deliver_exception of a different exception. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "mips-sim/board_test.h"
#include "mips-sim/cpu.h"
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_syscall_emulation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refill_by_monitor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delay_slot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forward_other_exception, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
