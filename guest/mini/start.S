/*
 * start.S - the exception vectors of the mini kernel (both builds; the platform parts
 * are the HAL_* macros of hal_asm.h).
 *
 * EBase (set by hal_cpu_init) is the start of .vectors, page-aligned at the bottom of
 * the kernel image:
 *   +0x000  TLB refill: walks the current process's two-level page table (struct
 *           percpu's pgd: directory indexed by va[31:22], table by va[21:13]) and writes
 *           the even/odd EntryLo pair with TLBWR. Uses k0/k1 only. Empty directory slots
 *           point at a zero table, so a hole loads an invalid pair and the access then
 *           raises TLB Invalid at the general vector.
 *   +0x180  everything else: saves the interrupted context into the frame struct
 *           percpu names, calls mini_trap(frame) on the CPU's kernel stack, and resumes
 *           the frame it returns (another thread's after a switch).
 * The kernel runs with EXL set from exception entry to ERET (interrupts masked), and
 * never touches user addresses, so no exception nests inside the handler.
 */
#include "guest/mini/hal_asm.h"

    .set noreorder
    .set noat

    .section .vectors, "ax"
    .globl mini_vectors
mini_vectors:
mini_refill:
    HAL_PERCPU_K1
    lw      $26, PC_REFILLS($27)
    addiu   $26, $26, 1
    sw      $26, PC_REFILLS($27)
    lw      $27, PC_PGD($27)
    HAL_BADVADDR_K0
    srl     $26, $26, PGD_SHIFT
    sll     $26, $26, 2
    addu    $27, $27, $26
    lw      $27, 0($27)             /* kernel address of the page table */
    HAL_BADVADDR_K0
    srl     $26, $26, 10
    andi    $26, $26, PT_INDEX_MASK
    addu    $27, $27, $26
    lw      $26, 0($27)
    mtc0    $26, $2                 /* EntryLo0 */
    lw      $27, 4($27)
    mtc0    $27, $3                 /* EntryLo1 */
    ehb
    tlbwr
    eret

    .org 0x180
mini_general:
    HAL_PERCPU_K1
    lw      $26, PC_FRAME($27)
    .irp r, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,28,29,30,31
    sw      $\r, TF_REG(\r)($26)
    .endr
    mfhi    $8
    sw      $8, TF_HI($26)
    mflo    $8
    sw      $8, TF_LO($26)
    HAL_SAVE_CP0
    lw      $29, PC_KSTACK($27)
    addiu   $29, $29, -16
    jal     mini_trap
    move    $4, $26
    move    $4, $2

/* mini_trap_return(frame): resume the context saved in frame (never returns). */
    .globl mini_trap_return
mini_trap_return:
    move    $26, $4
    HAL_RESTORE_CP0
    lw      $8, TF_HI($26)
    mthi    $8
    lw      $8, TF_LO($26)
    mtlo    $8
    .irp r, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,28,29,30,31
    lw      $\r, TF_REG(\r)($26)
    .endr
    eret
