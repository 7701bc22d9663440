/*
 * crt0.S - start-up code for bare-metal test programs on the mips-sim test board.
 * Every CPU starts here (BEV=1, ERL=1 after reset). Each gets a 16 KB stack, leaves
 * ERL/BEV so exceptions vector to 0x80000000 (refill) / 0x80000180 (general) /
 * 0x80000200 (interrupt with Cause.IV), and calls main(cpu_id). CPU 0's return value
 * goes to the exit device; other CPUs wait forever when main returns.
 *
 * Exceptions save every register into a frame (bm_frame in bm.h) on a per-CPU
 * exception stack and call bm_exception(frame, kind) with kind 1 for the refill
 * vector, 0 for the general one, 2 for the interrupt vector; on return the frame
 * (including EPC) is restored and ERET resumes. The default bm_exception reports the
 * unexpected exception and exits with status 0xEE.
 */
#define FRAME 160
    .set noreorder
    .set noat

    .section .vectors, "ax"
    .org 0x000
    j       exc_refill
    nop
    .org 0x180
    j       exc_general
    nop
    .org 0x200
    j       exc_interrupt
    nop

    .section .text.start, "ax"
    .globl _start
_start:
    mtc0    $0, $12                 /* Status: kernel mode, BEV=0, ERL=0, IE=0 */
    ehb
    lui     $8, 0x8000
    mtc0    $8, $15, 1              /* EBase = 0x80000000 */
    mfc0    $16, $15, 1
    andi    $16, $16, 0x3ff         /* s0 = cpu id */
    la      $sp, _stack_top
    sll     $9, $16, 14
    subu    $sp, $sp, $9
    addiu   $sp, $sp, -32
    jal     main
    move    $4, $16
    bnez    $16, 2f
    nop
    lui     $8, 0xbf00
    sw      $2, 0x10($8)            /* exit device */
1:  b       1b
    nop
2:  wait
    b       2b
    nop

.macro SAVE_AND_CALL kind
    mfc0    $26, $15, 1
    andi    $26, $26, 0x3ff
    sll     $26, $26, 12
    lui     $27, %hi(exc_stacks_top)
    addiu   $27, $27, %lo(exc_stacks_top)
    subu    $26, $27, $26
    addiu   $26, $26, -FRAME
    .irp r, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,28,29,30,31
    sw      $\r, (\r*4)($26)
    .endr
    mfc0    $8, $14
    sw      $8, 128($26)
    mfc0    $8, $13
    sw      $8, 132($26)
    mfc0    $8, $8
    sw      $8, 136($26)
    mfc0    $8, $12
    sw      $8, 140($26)
    mfc0    $8, $10
    sw      $8, 144($26)
    mfc0    $8, $4
    sw      $8, 148($26)
    move    $4, $26
    li      $5, \kind
    move    $sp, $26
    addiu   $sp, $sp, -32
    jal     bm_exception
    nop
    j       exc_return
    nop
.endm

exc_refill:
    SAVE_AND_CALL 1
exc_general:
    SAVE_AND_CALL 0
exc_interrupt:
    SAVE_AND_CALL 2

exc_return:
    addiu   $26, $sp, 32
    lw      $8, 128($26)
    mtc0    $8, $14
    .irp r, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,28,29,30,31
    lw      $\r, (\r*4)($26)
    .endr
    eret

    .weak bm_exception
bm_exception:
    lui     $8, 0xbf00
    li      $9, 'X'
    sw      $9, 0($8)
    li      $9, 0xee
    sw      $9, 0x10($8)
3:  b       3b
    nop
