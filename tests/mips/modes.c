/*
 * modes.c - supervisor and user mode. Supervisor: kuseg and sseg (0xc0000000..) are
 * mapped and usable; kseg0, kseg1 and kseg3 raise AdEL/AdES with BadVAddr; CP0 access
 * raises CpU (CE = 0); SYSCALL raises Sys and the saved Status shows KSU = 1. User:
 * every access at or above 0x80000000 (including sseg) raises AdEL/AdES; a jump into
 * kseg0 raises AdEL on the fetch; SYSCALL raises Sys with KSU = 2; RDHWR needs
 * HWREna (RI otherwise) and reads CPUNum, CC, CCRes and ULR; CU0 grants CP0 access.
 */
#define BM_TEST_HELPERS
#include "bm.h"

#define SSEG_PHYS 0x00900000u

static volatile uint32_t n_exc, exc_code, exc_epc, exc_cause, exc_bad, exc_status, resume;

void bm_exception(bm_frame *f, int kind)
{
    if (bm_mode_return(f))
        return;
    CHECK(kind != 2);
    n_exc++;
    exc_code = BM_EXC(f);
    exc_epc = f->epc;
    exc_cause = f->cause;
    exc_bad = f->badvaddr;
    exc_status = f->status;
    if (resume) {
        f->epc = resume;
        resume = 0;
    } else {
        f->epc += 4;
    }
}

/* Code run in supervisor or user mode: one access of a0 each, then back to the kernel.
 * v1 returns what the load read. */
#define ENDM "li $2, 0x4b524e4c\n syscall\n"
__asm__(".set push\n.set noreorder\n.text\n"
        "m_lw: lw $3, 0($4)\n" ENDM
        "m_sw: sw $4, 0($4)\n move $3, $4\n" ENDM
        "m_lb: lb $3, 0($4)\n" ENDM
        "m_sh: sh $4, 0($4)\n" ENDM
        "m_mfc0: mfc0 $3, $12\n" ENDM
        "m_mtc0: mtc0 $0, $12\n" ENDM
        "m_tlbwi: tlbwi\n" ENDM
        "m_syscall: syscall\n" ENDM
        "m_jr: jr $4\n nop\n" ENDM
        "m_rdhwr0: .set mips32r2\n rdhwr $3, $0\n" ENDM
        "m_rdhwr2: rdhwr $3, $2\n" ENDM
        "m_rdhwr3: rdhwr $3, $3\n" ENDM
        "m_rdhwr29: rdhwr $3, $29\n" ENDM
        "m_eret: eret\n" ENDM
        "m_wait: wait\n" ENDM
        ".set pop\n");
extern char m_lw[], m_sw[], m_lb[], m_sh[], m_mfc0[], m_mtc0[], m_tlbwi[], m_syscall[], m_jr[],
    m_rdhwr0[], m_rdhwr2[], m_rdhwr3[], m_rdhwr29[], m_eret[], m_wait[];

static uint32_t run(char *code, uint32_t ksu, uint32_t arg)
{
    return bm_run_mode(BM_LOW(code), ksu, arg);
}

#define EXPECT(ksu, code, arg, ecode, ebad) do { \
    uint32_t n0_ = n_exc; run(code, ksu, arg); \
    CHECK_EQ(n_exc, n0_ + 1); CHECK_EQ(exc_code, ecode); \
    CHECK_EQ(exc_epc, BM_LOW(code)); CHECK_EQ((exc_status >> 3) & 3, ksu); \
    if ((ecode) == 4 || (ecode) == 5) CHECK_EQ(exc_bad, ebad); } while (0)
#define NOEXC(ksu, code, arg) ({ uint32_t n0_ = n_exc; uint32_t r_ = run(code, ksu, arg); \
    CHECK_EQ(n_exc, n0_); r_; })

static volatile uint32_t data_word = 0x5eed;

static void test_supervisor(void)
{
    /* sseg: map 0xc0000000 (even) and 0xc0001000 (odd) to physical memory */
    bm_tlb_write(1, 0xc0000000u, 0, BM_LO(SSEG_PHYS, 7), BM_LO(SSEG_PHYS + 0x1000, 7));
    MTC0(10, 0, 0);
    *(volatile uint32_t *)(0x80000000u + SSEG_PHYS + 0x1010) = 0xabcd;
    CHECK_EQ(NOEXC(1, m_lw, 0xc0001010u), 0xabcd);
    CHECK_EQ(NOEXC(1, m_sw, 0xc0000020u), 0xc0000020u);
    CHECK_EQ(*(volatile uint32_t *)(0x80000000u + SSEG_PHYS + 0x20), 0xc0000020u);
    /* kuseg through the low mapping */
    CHECK_EQ(NOEXC(1, m_lw, BM_LOW(&data_word)), 0x5eed);
    /* kseg0, kseg1, kseg3 and past sseg: address errors */
    EXPECT(1, m_lw, 0x80001000u, 4, 0x80001000u);
    EXPECT(1, m_lw, 0xa0000000u, 4, 0xa0000000u);
    EXPECT(1, m_lb, 0xbfc00003u, 4, 0xbfc00003u);
    EXPECT(1, m_lw, 0xe0000000u, 4, 0xe0000000u);
    EXPECT(1, m_lw, 0xfffffffcu, 4, 0xfffffffcu);
    EXPECT(1, m_sw, 0x80800000u, 5, 0x80800000u);
    EXPECT(1, m_sh, 0xe0001002u, 5, 0xe0001002u);
    EXPECT(1, m_sw, 0xbf000010u, 5, 0xbf000010u);   /* not even the exit device */
    /* unmapped sseg: TLB refill (TLBL) */
    EXPECT(1, m_lw, 0xd0000000u, 2, 0);
    CHECK_EQ(exc_bad, 0xd0000000u);
    /* privileged instructions: CpU with CE = 0 */
    EXPECT(1, m_mfc0, 0, 11, 0);
    CHECK_EQ((exc_cause >> 28) & 3, 0);
    EXPECT(1, m_mtc0, 0, 11, 0);
    EXPECT(1, m_tlbwi, 0, 11, 0);
    EXPECT(1, m_eret, 0, 11, 0);
    EXPECT(1, m_wait, 0, 11, 0);
    EXPECT(1, m_syscall, 0, 8, 0);
    CHECK_EQ(MFC0(12, 0) & 0x18, 0);            /* back in kernel mode */
}

static void test_user(void)
{
    CHECK_EQ(NOEXC(2, m_lw, BM_LOW(&data_word)), 0x5eed);
    EXPECT(2, m_lw, 0x80000000u, 4, 0x80000000u);
    EXPECT(2, m_lw, 0xa0001000u, 4, 0xa0001000u);
    EXPECT(2, m_lw, 0xc0001010u, 4, 0xc0001010u);  /* sseg is not for user mode */
    EXPECT(2, m_lw, 0xe0000000u, 4, 0xe0000000u);
    EXPECT(2, m_sw, 0xc0000000u, 5, 0xc0000000u);
    EXPECT(2, m_sw, 0xfffffff0u, 5, 0xfffffff0u);
    EXPECT(2, m_lb, 0x80000001u, 4, 0x80000001u);
    EXPECT(2, m_syscall, 0, 8, 0);
    EXPECT(2, m_mfc0, 0, 11, 0);
    /* a jump into kseg0: AdEL on the fetch, EPC = BadVAddr = the target */
    {
        uint32_t n0 = n_exc;
        resume = BM_LOW(m_jr) + 8;
        run(m_jr, 2, 0x80001000u);
        CHECK_EQ(n_exc, n0 + 1);
        CHECK_EQ(exc_code, 4);
        CHECK_EQ(exc_epc, 0x80001000u);
        CHECK_EQ(exc_bad, 0x80001000u);
        CHECK_EQ(exc_cause >> 31, 0);
    }
    /* CU0 = 1 makes CP0 usable in user mode */
    MTC0(12, 0, MFC0(12, 0) | 0x10000000u);
    CHECK_EQ(NOEXC(2, m_mfc0, 0) & 0x10000018u, 0x10000010u | 2 * 0);
    MTC0(12, 0, MFC0(12, 0) & ~0x10000000u);

    /* RDHWR */
    MTC0(7, 0, 0);
    EXPECT(2, m_rdhwr0, 0, 10, 0);
    EXPECT(2, m_rdhwr2, 0, 10, 0);
    EXPECT(2, m_rdhwr29, 0, 10, 0);
    MTC0(7, 0, 0x2000000fu);
    CHECK_EQ(MFC0(7, 0), 0x2000000fu);
    MTC0(4, 2, 0x1234abcdu);                      /* UserLocal */
    CHECK_EQ(NOEXC(2, m_rdhwr0, 0), 0);           /* CPUNum */
    CHECK_EQ(NOEXC(2, m_rdhwr3, 0), 2);           /* CCRes */
    CHECK_EQ(NOEXC(2, m_rdhwr29, 0), 0x1234abcdu);
    uint32_t c0 = MFC0(9, 0), cc = NOEXC(2, m_rdhwr2, 0), c1 = MFC0(9, 0);
    CHECK(cc >= c0 && cc <= c1);
    MTC0(7, 0, 0x20000000u);                      /* only ULR */
    EXPECT(2, m_rdhwr0, 0, 10, 0);
    CHECK_EQ(NOEXC(2, m_rdhwr29, 0), 0x1234abcdu);
    MTC0(7, 0, 0);
    /* kernel mode needs no HWREna */
    uint32_t v;
    __asm__ volatile(".set push\n.set mips32r2\nrdhwr %0, $29\n.set pop" : "=r"(v));
    CHECK_EQ(v, 0x1234abcdu);
}

int main(void)
{
    bm_fix_refill_vector();
    bm_map_low(0);
    test_supervisor();
    test_user();
    bm_puts("modes: ok\n");
    return 0;
}
