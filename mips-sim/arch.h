/*
 * arch.h - the architectural constants of the simulated machine, named once: MIPS32
 * address segments, the page, exception vectors, instruction-field limits, and the
 * limits and memory maps of the boards. The bottom layer of mips-sim: it includes
 * nothing, and everything above may include it (tests/integration/mips-layers.sh).
 *
 * Register fields of CP0 and the TLB live with their registers (cpu/cp0.h, cpu/tlb.h).
 */
#ifndef MIPS_SIM_ARCH_H
#define MIPS_SIM_ARCH_H

/* ---- virtual address segments (32-bit) --------------------------------------------- */
/* useg/suseg/kuseg [0, KSEG0): mapped, every mode (unmapped in kernel mode while ERL);
 * kseg0 [KSEG0, KSEG1): unmapped, cached; kseg1 [KSEG1, KSSEG): unmapped, uncached;
 * both windows show physical [0, KSEG_WINDOW); sseg/ksseg [KSSEG, KSEG3): mapped,
 * supervisor and kernel; kseg3 [KSEG3, 4 GB): mapped, kernel only. */
#define ARCH_KSEG0 0x80000000u
#define ARCH_KSEG1 0xa0000000u
#define ARCH_KSSEG 0xc0000000u
#define ARCH_KSEG3 0xe0000000u
#define ARCH_KSEG_WINDOW 0x20000000u              /* bytes of kseg0 and of kseg1 */
#define ARCH_KSEG_PHYS(va) ((va) & (ARCH_KSEG_WINDOW - 1))

/* ---- pages ---------------------------------------------------------------------------- */
/* The smallest TLB page, and the unit of the fast path, of decoded code and of the
 * hot-page counters. */
#define ARCH_PAGE_SHIFT 12
#define ARCH_PAGE_SIZE (1u << ARCH_PAGE_SHIFT)
#define ARCH_PAGE_MASK (ARCH_PAGE_SIZE - 1)       /* offset bits: 0xfff */
#define ARCH_PAGE_WORDS (ARCH_PAGE_SIZE / 4)      /* instructions per page */
#define ARCH_PAGE_BASE(a) ((a) & ~(__typeof__(a))ARCH_PAGE_MASK)
#define ARCH_PAGE_NUMBER(a) ((a) >> ARCH_PAGE_SHIFT)
/* A TLB entry maps an even/odd pair: the pair's base is vaddr & ~(PageMask | this). */
#define ARCH_PAGE_PAIR_MASK 0x1fffu

/* ---- instructions --------------------------------------------------------------------- */
#define ARCH_INSN_BYTES 4
#define ARCH_JUMP_REGION 0xf0000000u   /* J/JAL keep these bits of the delay slot's pc */
#define ARCH_HWR_ULR 29                /* RDHWR register: UserLocal (the TLS pointer) */
#define ARCH_JUMP_INDEX 0x03ffffffu    /* J/JAL: the target's word index in the region */

/* ---- exception vectors ---------------------------------------------------------------- */
#define ARCH_RESET_PC 0xbfc00000u      /* where a reset CPU starts (boot ROM, kseg1) */
#define ARCH_BEV_BASE 0xbfc00200u      /* vector base while Status.BEV = 1 */
#define ARCH_EBASE_RESET ARCH_KSEG0    /* EBase after reset (plus CPUNum) */
#define ARCH_EBASE_MASK 0xfffff000u    /* the vector base bits of EBase */
#define ARCH_VEC_REFILL 0x000u         /* TLB refill, EXL = 0 */
#define ARCH_VEC_GENERAL 0x180u        /* every other exception */
#define ARCH_VEC_INTERRUPT 0x200u      /* interrupts when Cause.IV = 1 */

/* ---- machine and board limits --------------------------------------------------------- */
#define ARCH_MAX_CPUS 64               /* one bit each in 64-bit sharer and IPI masks */
#define ARCH_MAX_NODES 64              /* hot-page counters: nodes per page */
#define BOARD_NUMA_MAX_NODES 16
/* Test and NUMA boards: devices at DEV_BASE, boot RAM (the BEV vectors) at BOOT_BASE;
 * RAM lies below DEV_BASE, so all of it is reachable through kseg0 and kseg1. */
#define BOARD_TEST_DEV_BASE 0x1f000000u
#define BOARD_TEST_BOOT_BASE 0x1fc00000u
#define BOARD_TEST_BOOT_SIZE (1u << 20)
#define BOARD_TEST_MAX_RAM ((unsigned long long)BOARD_TEST_DEV_BASE)
#define BOARD_RAM_GRAIN (1u << 20)     /* NUMA node memory is whole megabytes */

#endif
