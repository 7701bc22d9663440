/*
 * mips.h - MIPS32r2 architectural constants the mini kernel uses: CP0 register
 * numbers, Status/Cause fields, exception codes, EntryLo/EntryHi fields.
 * Only #defines, so both C and assembly include it.
 */
#ifndef MINI_MIPS_H
#define MINI_MIPS_H

/* CP0 registers (mfc0/mtc0 rd field). */
#define CP0_INDEX     0
#define CP0_ENTRYLO0  2
#define CP0_ENTRYLO1  3
#define CP0_BADVADDR  8
#define CP0_COUNT     9
#define CP0_ENTRYHI   10
#define CP0_COMPARE   11
#define CP0_STATUS    12
#define CP0_CAUSE     13
#define CP0_EPC       14
#define CP0_EBASE     15  /* select 1 */

/* Status. */
#define ST_IE        0x00000001
#define ST_EXL       0x00000002
#define ST_ERL       0x00000004
#define ST_KSU_USER  0x00000010
#define ST_KSU_MASK  0x00000018
#define ST_IM_SHIFT  8
#define ST_IM_MASK   0x0000ff00
#define ST_BEV       0x00400000

/* Cause. */
#define CAUSE_EXC_SHIFT 2
#define CAUSE_EXC_MASK  0x1f
#define CAUSE_IP_SHIFT  8
#define CAUSE_BD        0x80000000

/* Exception codes (Cause.ExcCode). */
#define EXC_INT   0
#define EXC_MOD   1
#define EXC_TLBL  2
#define EXC_TLBS  3
#define EXC_ADEL  4
#define EXC_ADES  5
#define EXC_SYS   8
#define EXC_BP    9
#define EXC_RI    10
#define EXC_CPU   11
#define EXC_NCODES 32

/* EntryLo: PFN in bits 29..6, cache attribute in 5..3, D, V, G. */
#define ELO_G          0x1
#define ELO_V          0x2
#define ELO_D          0x4
#define ELO_CACHED     (3 << 3)
#define ELO_PFN_SHIFT  6
#define PAGE_SHIFT     12
#define PAGE_SIZE      4096
#define ELO_PA(elo)    ((((elo) >> ELO_PFN_SHIFT) & 0x00ffffff) << PAGE_SHIFT)
#define ELO_MAKE(pa, flags) ((((pa) >> PAGE_SHIFT) << ELO_PFN_SHIFT) | ELO_CACHED | (flags))

/* EntryHi: VPN2 (bits 31..13) and ASID (7..0). Index.P: probe failed. */
#define EHI_VPN2_MASK  0xffffe000
#define EHI_ASID_MASK  0xff
#define INDEX_P        0x80000000

#endif
