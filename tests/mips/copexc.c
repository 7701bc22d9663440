/*
 * copexc.c - coprocessor-unusable and reserved-instruction exceptions in kernel mode:
 * with Status.CU1 clear, COP1 instructions (MFC1, LWC1, SWC1, LDC1, COP1X, MOVF) raise
 * CpU with Cause.CE = 1 even in kernel mode (the FPU is there: Status.CU1 can be set,
 * Config1.FP = 1), COP2 ones CE = 2 (Status.CU2 cannot be set); reserved encodings
 * raise RI; EPC is the instruction and execution continues after it.
 */
#define BM_TEST_HELPERS
#define BM_SKIP_HANDLER
#include "bm.h"

#define RUNWORD(w) ({ uint32_t pc_; __asm__ volatile(".set push\n.set noreorder\nla %0, 1f\n" \
    "move $4, $sp\n1: .word " #w "\n nop\n.set pop" : "=&r"(pc_) :: "$4", "memory"); pc_; })
#define EXPECT(w, code, ce) do { uint32_t n0_ = n_exc, pc_ = RUNWORD(w); \
    CHECK_EQ(n_exc, n0_ + 1); CHECK_EQ(exc_code, code); CHECK_EQ(exc_epc, pc_); \
    if ((code) == 11) CHECK_EQ((exc_cause >> 28) & 3, ce); } while (0)

int main(void)
{
    MTC0(12, 0, 0x70000000u);               /* try to enable CU0, CU1 and CU2 */
    CHECK_EQ(MFC0(12, 0) & 0x70000000u, 0x30000000u);
    CHECK_EQ(MFC0(16, 1) & 1, 1);           /* Config1.FP = 1 */
    MTC0(12, 0, 0);
    EXPECT(0x44090000, 11, 1);   /* mfc1 $9, $f0 */
    EXPECT(0x44890000, 11, 1);   /* mtc1 $9, $f0 */
    EXPECT(0x46020000, 11, 1);   /* add.s $f0, $f0, $f2 */
    EXPECT(0x45000002, 11, 1);   /* bc1f */
    EXPECT(0xc4800000, 11, 1);   /* lwc1 $f0, 0($4) */
    EXPECT(0xe4800000, 11, 1);   /* swc1 $f0, 0($4) */
    EXPECT(0xd4800000, 11, 1);   /* ldc1 $f0, 0($4) */
    EXPECT(0xf4800000, 11, 1);   /* sdc1 */
    EXPECT(0x4c800000, 11, 1);   /* COP1X lwxc1 */
    EXPECT(0x00001001, 11, 1);   /* movf $2, $0, $fcc0 */
    EXPECT(0x48020000, 11, 2);   /* mfc2 */
    EXPECT(0xc8800000, 11, 2);   /* lwc2 */
    EXPECT(0xe8800000, 11, 2);   /* swc2 */
    EXPECT(0x74000000, 10, 0);   /* opcode 29 (JALX: not in MIPS32r2) */
    EXPECT(0x78000000, 10, 0);   /* opcode 30 */
    EXPECT(0xec000000, 10, 0);   /* opcode 59 */
    EXPECT(0x00000005, 10, 0);   /* SPECIAL funct 5 */
    EXPECT(0x00000028, 10, 0);   /* SPECIAL funct 40 */
    EXPECT(0x0000003f, 10, 0);   /* SPECIAL funct 63 */
    EXPECT(0x04040000, 10, 0);   /* REGIMM rt 4 */
    EXPECT(0x040d0000, 10, 0);   /* REGIMM rt 13 */
    EXPECT(0x7000003f, 10, 0);   /* SPECIAL2 SDBBP: no debug unit */
    EXPECT(0x70000003, 10, 0);   /* SPECIAL2 funct 3 */
    EXPECT(0x7c00003f, 10, 0);   /* SPECIAL3 funct 63 */
    EXPECT(0x7c000120, 10, 0);   /* BSHFL sa 4 */
    EXPECT(0x42000010, 10, 0);   /* COP0 CO funct 16 */
    EXPECT(0x40400000, 10, 0);   /* COP0 rs 2 */
    n_exc = 0;
    RUNWORD(0x00000000);         /* nop */
    RUNWORD(0x0000000f);         /* sync */
    RUNWORD(0xcc800000);         /* pref 0, 0($4) */
    RUNWORD(0x041f0000);         /* synci 0($0) */
    RUNWORD(0xbc800000);         /* cache 0, 0($4) */
    CHECK_EQ(n_exc, 0);
    bm_puts("copexc: ok\n");
    return 0;
}
