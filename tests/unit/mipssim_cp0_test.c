/* mipssim_cp0_test.c - CP0 register semantics on a real machine's CPUs: Status writable
 * bits, Random between Wired and N-1 and its reset on a Wired write, Count at half the
 * clock, Compare clearing TI, EBase.CPUNum read-only, Config1.MMUSize, masks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mips-sim/cpu/cpu.h"
#include "mips-sim/hook.h"
#include "mips-sim/machine.h"

static machine m;

static int setup(void **s)
{
    machine_config cfg;
    machine_config_defaults(&cfg);
    cfg.ncpus = 2;
    cfg.tlb_entries = 16;
    assert_int_equal(machine_init(&m, &cfg), 0);
    machine_start(&m, 0xbfc00000u);
    *s = m.cpus[0];
    return 0;
}
static int teardown(void **s) { (void)s; machine_destroy(&m); return 0; }

static void test_reset_values(void **s)
{
    cpu *c = *s;
    assert_int_equal(cpu_get_cp0(c, CP0_STATUS, 0), ST_BEV | ST_ERL);
    assert_int_equal(cpu_get_cp0(c, CP0_PRID, 1), 0x80000000u);
    assert_int_equal(cpu_get_cp0(m.cpus[1], CP0_PRID, 1), 0x80000001u);
    assert_int_equal((cpu_get_cp0(c, CP0_CONFIG, 1) >> 25) & 63, 15);
    assert_int_equal(cpu_get_cp0(c, CP0_CONFIG, 1) & 1, 1);           /* FPU (fpu.h) */
    assert_int_equal(cpu_get_cp0(c, CP0_CONFIG, 0) >> 31, 1);         /* Config1 present */
    assert_int_equal((cpu_get_cp0(c, CP0_CONFIG, 0) >> 7) & 7, 1);    /* MT = TLB */
    assert_int_equal(cpu_get_cp0(c, CP0_CONFIG, 0) & (1u << 15), 0);  /* little-endian */
    assert_int_equal(cpu_get_cp0(c, CP0_CONFIG, 3) & (1u << 13), 1u << 13); /* ULRI */
    assert_int_equal(cpu_get_cp0(c, CP0_STATUS, 1) >> 29, 7);         /* IntCtl.IPTI */
    assert_int_equal(cpu_get_cp0(c, CP0_WIRED, 0), 0);
    assert_int_equal(cpu_get_cp0(c, CP0_RANDOM, 0), 15);
    assert_int_equal(c->mode, CPU_MODE_KERNEL);
}

static void test_config1_mmu_size(void **s)
{
    (void)s;
    static machine m2;
    machine_config cfg;
    machine_config_defaults(&cfg);
    for (int n = 1; n <= 64; n *= 4) {
        cfg.tlb_entries = n;
        assert_int_equal(machine_init(&m2, &cfg), 0);
        assert_int_equal((cpu_get_cp0(m2.cpus[0], CP0_CONFIG, 1) >> 25) & 63, (uint32_t)n - 1);
        machine_destroy(&m2);
    }
    cfg.ncpus = 0;
    assert_true(machine_init(&m2, &cfg) < 0);
    cfg.ncpus = MACHINE_MAX_CPUS + 1;
    assert_true(machine_init(&m2, &cfg) < 0);
}

static void test_status(void **s)
{
    cpu *c = *s;
    cpu_set_cp0(c, CP0_STATUS, 0, 0xffffffffu);
    uint32_t st = cpu_get_cp0(c, CP0_STATUS, 0);
    /* CU0, CU1, FR, BEV, IM, KSU, ERL, EXL, IE are writable; CU2-3, RP, RE, MX, PX,
     * TS, UX/SX/KX are not (no coprocessor 2, 32-bit only) */
    assert_int_equal(st & ~(ST_SR | ST_NMI), 0x3440ff1fu);
    cpu_set_cp0(c, CP0_STATUS, 0, 0);
    assert_int_equal(cpu_get_cp0(c, CP0_STATUS, 0), 0);
    cpu_set_cp0(c, CP0_STATUS, 0, 1u << ST_KSU_SHIFT);
    assert_int_equal(c->mode, CPU_MODE_SUPERVISOR);
    cpu_set_cp0(c, CP0_STATUS, 0, 2u << ST_KSU_SHIFT);
    assert_int_equal(c->mode, CPU_MODE_USER);
    cpu_set_cp0(c, CP0_STATUS, 0, (2u << ST_KSU_SHIFT) | ST_EXL);
    assert_int_equal(c->mode, CPU_MODE_KERNEL);
    cpu_set_cp0(c, CP0_STATUS, 0, (1u << ST_KSU_SHIFT) | ST_ERL);
    assert_int_equal(c->mode, CPU_MODE_KERNEL);
    cpu_set_cp0(c, CP0_STATUS, 0, 0);
    assert_int_equal(c->mode, CPU_MODE_KERNEL);
}

static void test_masks(void **s)
{
    cpu *c = *s;
    cpu_set_cp0(c, CP0_PAGEMASK, 0, 0xffffffffu);
    assert_int_equal(cpu_get_cp0(c, CP0_PAGEMASK, 0), 0x1fffe000u);
    cpu_set_cp0(c, CP0_ENTRYHI, 0, 0xffffffffu);
    assert_int_equal(cpu_get_cp0(c, CP0_ENTRYHI, 0), 0xffffe0ffu);
    cpu_set_cp0(c, CP0_ENTRYLO0, 0, 0xffffffffu);
    assert_int_equal(cpu_get_cp0(c, CP0_ENTRYLO0, 0), 0x3fffffffu);
    cpu_set_cp0(c, CP0_ENTRYLO1, 0, 0xffffffffu);
    assert_int_equal(cpu_get_cp0(c, CP0_ENTRYLO1, 0), 0x3fffffffu);
    cpu_set_cp0(c, CP0_HWRENA, 0, 0xffffffffu);
    assert_int_equal(cpu_get_cp0(c, CP0_HWRENA, 0), 0x2000000fu);
    cpu_set_cp0(c, CP0_CONTEXT, 0, 0xffffffffu);
    assert_int_equal(cpu_get_cp0(c, CP0_CONTEXT, 0), 0xff800000u);   /* BadVPN2 is read-only */
    cpu_set_cp0(c, CP0_CONTEXT, 2, 0x12345678u);
    assert_int_equal(cpu_get_cp0(c, CP0_CONTEXT, 2), 0x12345678u);
    uint32_t prid = cpu_get_cp0(c, CP0_PRID, 0);
    cpu_set_cp0(c, CP0_PRID, 0, ~prid);
    assert_int_equal(cpu_get_cp0(c, CP0_PRID, 0), prid);
    uint32_t cfg1 = cpu_get_cp0(c, CP0_CONFIG, 1);
    cpu_set_cp0(c, CP0_CONFIG, 1, 0);
    assert_int_equal(cpu_get_cp0(c, CP0_CONFIG, 1), cfg1);
    /* Cause: only IP1:0, IV and DC are writable */
    cpu_set_cp0(c, CP0_CAUSE, 0, 0xffffffffu);
    assert_int_equal(cpu_get_cp0(c, CP0_CAUSE, 0) & ~CAUSE_TI & ~0x8000u, 0x08800300u);
    cpu_set_cp0(c, CP0_CAUSE, 0, 0);
    assert_int_equal(cpu_get_cp0(c, CP0_CAUSE, 0) & 0x08800300u, 0);
    cpu_set_cp0(c, CP0_INDEX, 0, 5);
    assert_int_equal(cpu_get_cp0(c, CP0_INDEX, 0), 5);
    cpu_set_cp0(c, CP0_EPC, 0, 0x80001234u);
    assert_int_equal(cpu_get_cp0(c, CP0_EPC, 0), 0x80001234u);
    cpu_set_cp0(c, CP0_ERROREPC, 0, 0xbfc00010u);
    assert_int_equal(cpu_get_cp0(c, CP0_ERROREPC, 0), 0xbfc00010u);
}

static void test_ebase(void **s)
{
    (void)s;
    cpu *c1 = m.cpus[1];
    cpu_set_cp0(c1, CP0_PRID, 1, 0xffffffffu);
    assert_int_equal(cpu_get_cp0(c1, CP0_PRID, 1), 0xbffff001u);  /* 31:30 fixed, CPUNum = 1 */
    cpu_set_cp0(c1, CP0_PRID, 1, 0);
    assert_int_equal(cpu_get_cp0(c1, CP0_PRID, 1), 0x80000001u);
    cpu_set_cp0(c1, CP0_PRID, 1, 0x80123456u);
    assert_int_equal(cpu_get_cp0(c1, CP0_PRID, 1), 0x80123001u);
}

static void test_random_wired(void **s)
{
    cpu *c = *s;
    cpu_set_cp0(c, CP0_WIRED, 0, 10);
    assert_int_equal(cpu_get_cp0(c, CP0_WIRED, 0), 10);
    assert_int_equal(cpu_get_cp0(c, CP0_RANDOM, 0), 15);           /* reset to N-1 */
    uint32_t seen = 0, base = (uint32_t)c->insns;
    for (uint32_t k = 0; k < 1000; k++) {
        c->insns = base + k;
        uint32_t r = cpu_get_cp0(c, CP0_RANDOM, 0);
        assert_true(r >= 10 && r <= 15);
        seen |= 1u << r;
    }
    assert_int_equal(seen, 0xfc00u);                                /* all of 10..15 */
    cpu_set_cp0(c, CP0_WIRED, 0, 10);
    c->insns += 1;
    assert_int_equal(cpu_get_cp0(c, CP0_RANDOM, 0), 14);           /* counts down */
    cpu_set_cp0(c, CP0_WIRED, 0, 10);
    assert_int_equal(cpu_get_cp0(c, CP0_RANDOM, 0), 15);
    cpu_set_cp0(c, CP0_WIRED, 0, 15);
    for (int k = 0; k < 20; k++, c->insns++)
        assert_int_equal(cpu_get_cp0(c, CP0_RANDOM, 0), 15);
    /* Random is read-only */
    cpu_set_cp0(c, CP0_WIRED, 0, 0);
    cpu_set_cp0(c, CP0_RANDOM, 0, 3);
    assert_int_equal(cpu_get_cp0(c, CP0_RANDOM, 0), 15);
}

static void test_count_compare(void **s)
{
    cpu *c = *s;
    cpu_set_cp0(c, CP0_COUNT, 0, 100);
    c->cycles += 1000;
    assert_int_equal(cpu_get_cp0(c, CP0_COUNT, 0), 600);           /* half the clock */
    c->cycles += 1;
    assert_int_equal(cpu_count(c), 600);
    c->cycles += 1;
    assert_int_equal(cpu_count(c), 601);
    cpu_set_cp0(c, CP0_COUNT, 0, 0xfffffff0u);
    c->cycles += 64;
    assert_int_equal(cpu_get_cp0(c, CP0_COUNT, 0), 0x10);          /* wraps */

    cpu_set_cp0(c, CP0_COUNT, 0, 0);
    cpu_set_cp0(c, CP0_COMPARE, 0, 100);
    assert_int_equal(cpu_get_cp0(c, CP0_COMPARE, 0), 100);
    assert_int_equal(cpu_timer_deadline(c), c->cycles + 200);
    c->cycles += 198;
    assert_int_equal(cpu_get_cp0(c, CP0_CAUSE, 0) & CAUSE_TI, 0);
    c->cycles += 2;
    uint32_t cause = cpu_get_cp0(c, CP0_CAUSE, 0);
    assert_int_equal(cause & CAUSE_TI, CAUSE_TI);
    assert_int_equal(cause & 0x8000u, 0x8000u);                     /* IP7 */
    assert_false(cpu_irq_pending(c));                               /* IE = 0 */
    cpu_set_cp0(c, CP0_STATUS, 0, 0x8001u);
    assert_true(cpu_irq_pending(c));
    cpu_set_cp0(c, CP0_STATUS, 0, 0x4001u);                         /* IM7 off */
    assert_false(cpu_irq_pending(c));
    cpu_set_cp0(c, CP0_STATUS, 0, 0x8003u);                         /* EXL */
    assert_false(cpu_irq_pending(c));
    cpu_set_cp0(c, CP0_STATUS, 0, 0x8001u);
    cpu_set_cp0(c, CP0_COMPARE, 0, 5000);                           /* acknowledges */
    assert_int_equal(cpu_get_cp0(c, CP0_CAUSE, 0) & (CAUSE_TI | 0x8000u), 0);
    assert_false(cpu_irq_pending(c));
    /* hardware lines and software interrupts */
    cpu_set_irq(c, 0, true);
    assert_int_equal(cpu_get_cp0(c, CP0_CAUSE, 0) & CAUSE_IP, 0x400u);
    assert_false(cpu_irq_pending(c));
    cpu_set_cp0(c, CP0_STATUS, 0, 0x0401u);
    assert_true(cpu_irq_pending(c));
    cpu_set_irq(c, 0, false);
    assert_false(cpu_irq_pending(c));
    cpu_set_cp0(c, CP0_STATUS, 0, 0x0101u);
    cpu_set_cp0(c, CP0_CAUSE, 0, 0x100u);                           /* IP0 */
    assert_true(cpu_irq_pending(c));
    cpu_set_cp0(c, CP0_CAUSE, 0, 0);
    cpu_set_cp0(c, CP0_STATUS, 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reset_values, setup, teardown),
        cmocka_unit_test(test_config1_mmu_size),
        cmocka_unit_test_setup_teardown(test_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_masks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ebase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_wired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_count_compare, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
