/*
 * timer.c - CP0 Count/Compare: Count runs at half the clock; Cause.TI and IP7 are set
 * when Count reaches Compare (also with interrupts off) and cleared by writing Compare;
 * with IE and IM7 the timer interrupt is taken at the right Count; WAIT sleeps until
 * it (the idle time is skipped); with Cause.IV it uses the interrupt vector (0x200).
 */
#define BM_TEST_HELPERS
#include "bm.h"

static volatile uint32_t n_int, int_kind, int_count, int_cause, int_epc;

void bm_exception(bm_frame *f, int kind)
{
    CHECK_EQ(BM_EXC(f), 0);
    n_int++;
    int_kind = (uint32_t)kind;
    int_count = MFC0(9, 0);
    int_cause = f->cause;
    int_epc = f->epc;
    MTC0(11, 0, MFC0(11, 0)); /* acknowledge: writing Compare clears TI */
}

int main(void)
{
    /* Count at half the clock: 400 single-cycle instructions = 200 ticks */
    uint32_t c0, c1;
    __asm__ volatile(".set push\n.set noreorder\nmfc0 %0, $9\n"
                     ".rept 400\nnop\n.endr\nmfc0 %1, $9\n.set pop" : "=&r"(c0), "=r"(c1));
    CHECK(c1 - c0 >= 200 && c1 - c0 <= 201);
    /* Count is writable */
    MTC0(9, 0, 0xfffffff0u);
    c0 = MFC0(9, 0);
    CHECK(c0 - 0xfffffff0u < 4);

    /* TI without interrupts enabled */
    MTC0(12, 0, 0);
    MTC0(9, 0, 0);
    MTC0(11, 0, 100);
    CHECK_EQ(MFC0(13, 0) & 0x40008000u, 0);
    while (MFC0(9, 0) < 110) {}
    CHECK_EQ(MFC0(13, 0) & 0x40008000u, 0x40008000u);  /* TI and IP7 */
    MTC0(11, 0, 0);
    CHECK_EQ(MFC0(13, 0) & 0x40008000u, 0);
    CHECK_EQ(n_int, 0);

    /* the interrupt: IE + IM7 */
    MTC0(9, 0, 0);
    MTC0(11, 0, 1000);
    MTC0(12, 0, 0x8001);
    while (n_int == 0) {}
    MTC0(12, 0, 0);
    CHECK_EQ(n_int, 1);
    CHECK_EQ(int_kind, 0);
    CHECK(int_count >= 1000 && int_count < 1100);  /* read in the handler */
    CHECK_EQ(int_cause & 0x4000807cu, 0x40008000u);     /* TI, IP7, ExcCode Int */
    CHECK_EQ(MFC0(13, 0) & 0x40000000u, 0);

    /* masked by IM: no interrupt */
    MTC0(9, 0, 0);
    MTC0(11, 0, 50);
    MTC0(12, 0, 0x0401);                                /* IE, IM2 only */
    while (MFC0(9, 0) < 100) {}
    MTC0(12, 0, 0);
    CHECK_EQ(n_int, 1);
    MTC0(11, 0, 0);

    /* WAIT until the timer: idle time is skipped, not executed */
    MTC0(9, 0, 0);
    MTC0(11, 0, 1000000);
    uint32_t insn_before = 0, epc_expect;
    MTC0(12, 0, 0x8001);
    __asm__ volatile(".set push\n.set noreorder\nla %0, 1f\nwait\n1: nop\n.set pop" : "=r"(epc_expect) :: "memory");
    MTC0(12, 0, 0);
    (void)insn_before;
    CHECK_EQ(n_int, 2);
    CHECK_EQ(int_epc, epc_expect);                      /* resumes after the WAIT */
    CHECK(int_count >= 1000000 && int_count < 1000100);

    /* Cause.IV: the interrupt vector at offset 0x200 */
    MTC0(13, 0, 0x00800000u);
    MTC0(9, 0, 0);
    MTC0(11, 0, 500);
    MTC0(12, 0, 0x8001);
    while (n_int == 2) {}
    MTC0(12, 0, 0);
    MTC0(13, 0, 0);
    CHECK_EQ(int_kind, 2);
    bm_puts("timer: ok\n");
    return 0;
}
