/*
 * cp0.h - MIPS32 Release 2 coprocessor 0: register numbers, bit fields, and the
 * register file of one CPU.
 *
 * Invariants:
 *  - Count is not stored: it is count_base + (cycles - count_cycle) / 2, so it runs at
 *    half the CPU clock without per-cycle work (see cpu_count()).
 *  - Random is not stored: it is derived from the instruction count and Wired.
 *  - Cause.IP2..IP7 are the OR of the hardware lines, and IP7 also carries Cause.TI
 *    (IntCtl.IPTI = 7); Cause.IP0/IP1 are software-writable.
 *  - Read-only fields (PRId, Config1-3, EBase.CPUNum, Cause except IP1:0/IV/WP) keep
 *    their values whatever MTC0 writes.
 */
#ifndef MIPS_SIM_CP0_H
#define MIPS_SIM_CP0_H

#include <stdint.h>

/* Register numbers (MTC0/MFC0 rd field). */
enum {
    CP0_INDEX = 0, CP0_RANDOM = 1, CP0_ENTRYLO0 = 2, CP0_ENTRYLO1 = 3, CP0_CONTEXT = 4,
    CP0_PAGEMASK = 5, CP0_WIRED = 6, CP0_HWRENA = 7, CP0_BADVADDR = 8, CP0_COUNT = 9,
    CP0_ENTRYHI = 10, CP0_COMPARE = 11, CP0_STATUS = 12, CP0_CAUSE = 13, CP0_EPC = 14,
    CP0_PRID = 15, CP0_CONFIG = 16, CP0_LLADDR = 17, CP0_ERROREPC = 30,
};
/* Selects: Context sel 2 = UserLocal, Status sel 1 = IntCtl, PRId sel 1 = EBase,
 * Config sel 1..3 = Config1..Config3. */

/* Index, Config and Context fields. */
#define INDEX_P 0x80000000u       /* TLBP found no match */
#define CFG_M 0x80000000u         /* Config(n+1) exists */
#define CONTEXT_PTEBASE 0xff800000u
#define CONTEXT_BADVPN2 0x007ffff0u

/* Status bits. */
#define ST_IE   0x00000001u
#define ST_EXL  0x00000002u
#define ST_ERL  0x00000004u
#define ST_KSU  0x00000018u
#define ST_KSU_SHIFT 3
#define ST_IM   0x0000ff00u
#define ST_NMI  0x00080000u
#define ST_SR   0x00100000u
#define ST_BEV  0x00400000u
#define ST_CU0  0x10000000u
#define ST_CU1  0x20000000u
#define ST_FR   0x04000000u
#define ST_WRITABLE 0x3458ff1fu /* CU1, CU0, FR, BEV, SR, NMI, IM, KSU, ERL, EXL, IE: the rest is fixed (no CP2) */

/* Cause bits. */
#define CAUSE_EXC_SHIFT 2
#define CAUSE_EXC   0x0000007cu
#define CAUSE_IP    0x0000ff00u
#define CAUSE_IP_SW 0x00000300u
#define CAUSE_IV    0x00800000u
#define CAUSE_DC    0x08000000u
#define CAUSE_CE_SHIFT 28
#define CAUSE_TI    0x40000000u
#define CAUSE_BD    0x80000000u

/* Exception codes (Cause.ExcCode). */
enum {
    EXC_INT = 0, EXC_MOD = 1, EXC_TLBL = 2, EXC_TLBS = 3, EXC_ADEL = 4, EXC_ADES = 5,
    EXC_IBE = 6, EXC_DBE = 7, EXC_SYS = 8, EXC_BP = 9, EXC_RI = 10, EXC_CPU = 11,
    EXC_OV = 12, EXC_TR = 13, EXC_FPE = 15, EXC_WATCH = 23, EXC_MCHECK = 24,
};

typedef struct cp0_state {
    uint32_t index, entrylo0, entrylo1, context, pagemask, wired, hwrena, badvaddr;
    uint32_t entryhi, compare, status, intctl, cause, epc, prid, ebase;
    uint32_t config0, config1, config2, config3, errorepc, userlocal;
    uint32_t count_base;       /* Count at cycle count_cycle */
    uint64_t count_cycle;
    uint64_t random_insn;      /* instruction count when Random was last reset */
} cp0_state;

#endif
