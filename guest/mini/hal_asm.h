/*
 * hal_asm.h - the platform part of the exception vectors (start.S), and the kernel
 * base address. Each build defines, for the shared vector code:
 *   HAL_PERCPU_K1    k1 = this CPU's struct percpu (k0 free)
 *   HAL_BADVADDR_K0  k0 = BadVAddr of the exception being handled
 *   HAL_SAVE_CP0     store EPC, Status, Cause, BadVAddr in the frame at k0 (t0, t1 free)
 *   HAL_RESTORE_CP0  load Status and EPC from the frame at k0 into the CPU (t0, t1 free)
 * bare: real CP0 registers, CPU number from EBase. disco: the HAL page (loads and
 * stores, no trap), per-CPU pointer in its kscratch[0]; the offsets below are checked
 * against monitor/abi.h's struct in hal_disco.c.
 */
#ifndef MINI_HAL_ASM_H
#define MINI_HAL_ASM_H

#include "guest/mini/layout.h"
#include "guest/mini/mips.h"

#ifdef MINI_DISCO
#define HAL_KBASE 0xC0000000
/* HAL page fields, relative to the register loaded with HAL_PAGE_HI << 16, which is
 * ABI_HAL_VA + 0x2000 so every offset fits a signed 16-bit displacement. */
#define HAL_PAGE_HI        0xe000
#define HAL_REL(off)       ((off) - 0x2000)
#define HAL_OFF_VCPU_ID    8
#define HAL_OFF_NR_VCPUS   12
#define HAL_OFF_IE         20
#define HAL_OFF_PENDING    24
#define HAL_OFF_STATUS     28
#define HAL_OFF_CAUSE      32
#define HAL_OFF_EPC        36
#define HAL_OFF_BADVADDR   40
#define HAL_OFF_ENTRYHI    44
#define HAL_OFF_KSCRATCH0  72
#else
#define HAL_KBASE 0x80000000
#endif

#ifdef __ASSEMBLER__
#ifdef MINI_DISCO
.macro HAL_PERCPU_K1
    lui     $27, HAL_PAGE_HI
    lw      $27, HAL_REL(HAL_OFF_KSCRATCH0)($27)
.endm
.macro HAL_BADVADDR_K0
    lui     $26, HAL_PAGE_HI
    lw      $26, HAL_REL(HAL_OFF_BADVADDR)($26)
.endm
.macro HAL_SAVE_CP0
    lui     $9, HAL_PAGE_HI
    lw      $8, HAL_REL(HAL_OFF_EPC)($9)
    sw      $8, TF_EPC($26)
    lw      $8, HAL_REL(HAL_OFF_STATUS)($9)
    sw      $8, TF_STATUS($26)
    lw      $8, HAL_REL(HAL_OFF_CAUSE)($9)
    sw      $8, TF_CAUSE($26)
    lw      $8, HAL_REL(HAL_OFF_BADVADDR)($9)
    sw      $8, TF_BADVADDR($26)
.endm
/* Status keeps EXL set, so turning the virtual interrupt enable on here delivers
 * nothing before the ERET (which the monitor emulates). */
.macro HAL_RESTORE_CP0
    lui     $9, HAL_PAGE_HI
    lw      $8, TF_STATUS($26)
    sw      $8, HAL_REL(HAL_OFF_STATUS)($9)
    lw      $8, TF_EPC($26)
    sw      $8, HAL_REL(HAL_OFF_EPC)($9)
    li      $8, 1
    sw      $8, HAL_REL(HAL_OFF_IE)($9)
.endm
#else
.macro HAL_PERCPU_K1
    mfc0    $27, $15, 1
    andi    $27, $27, 0x3ff
    sll     $27, $27, PERCPU_SHIFT
    lui     $26, %hi(mini_percpu)
    addiu   $26, $26, %lo(mini_percpu)
    addu    $27, $27, $26
.endm
.macro HAL_BADVADDR_K0
    mfc0    $26, $8
.endm
.macro HAL_SAVE_CP0
    mfc0    $8, $14
    sw      $8, TF_EPC($26)
    mfc0    $8, $12
    sw      $8, TF_STATUS($26)
    mfc0    $8, $13
    sw      $8, TF_CAUSE($26)
    mfc0    $8, $8
    sw      $8, TF_BADVADDR($26)
.endm
.macro HAL_RESTORE_CP0
    lw      $8, TF_STATUS($26)
    mtc0    $8, $12
    lw      $8, TF_EPC($26)
    mtc0    $8, $14
    ehb
.endm
#endif
#endif /* __ASSEMBLER__ */

#endif
