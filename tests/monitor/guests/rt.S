/*
 * rt.S - start-up and a recording exception vector for the C test guests (rt.h).
 * Every exception is recorded (rt_exc: count, Cause, BadVAddr, EPC) and skipped:
 * EPC += 4 (or the branch and its slot when Cause.BD), so a guest can provoke faults
 * and check what it was told. The vectors page is EBase (set by _start).
 */
    .set noreorder
    .set noat
    .section .text.start, "ax"
    .globl _start
_start:
    la      $t0, rt_vectors
    mtc0    $t0, $15, 1             /* EBase */
    mtc0    $zero, $12              /* Status: BEV off, kernel mode, interrupts off */
    ehb
    mfc0    $t1, $15, 1
    la      $t0, 0xDFFFE008         /* HAL vcpu_id: one stack per vCPU */
    lw      $t0, 0($t0)
    sll     $t0, $t0, 12
    la      $sp, rt_stacks_top
    subu    $sp, $sp, $t0
    move    $a0, $t0
    jal     main
    srl     $a0, $a0, 12
    move    $a0, $v0                /* power off with main's value */
    li      $v0, 3
    .word 0x42000028
1:  b       1b
    nop

    .balign 4096
    .globl rt_vectors
rt_vectors:
    .org rt_vectors + 0x000
    b       rt_record
    nop
    .org rt_vectors + 0x180
rt_record:
    la      $k0, rt_exc
    lw      $k1, 0($k0)
    addiu   $k1, $k1, 1
    sw      $k1, 0($k0)
    mfc0    $k1, $13
    sw      $k1, 4($k0)
    mfc0    $k1, $8
    sw      $k1, 8($k0)
    mfc0    $k1, $14
    sw      $k1, 12($k0)
    mfc0    $k0, $13
    bltz    $k0, 2f                 /* Cause.BD: skip the branch and its slot */
    mfc0    $k1, $14
    addiu   $k1, $k1, 4
    b       3f
    nop
2:  addiu   $k1, $k1, 8
3:  mtc0    $k1, $14
    ehb
    eret
    nop

    .bss
    .align 4
    .globl rt_exc
rt_exc: .space 16
    .align 12
    .space 4096 * 8
rt_stacks_top:
    .globl rt_failures
rt_failures: .space 4
