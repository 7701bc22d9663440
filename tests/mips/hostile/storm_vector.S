/*
 * storm_vector.S - hostile program: the general exception vector holds
 * `lw $0, 1($0)`, a misaligned load, then SYSCALL. The vector's own instruction raises
 * an address error, which enters the same vector: exceptions forever, no instruction
 * completes. The vector is written by a store, so the block engine and the JIT also see
 * code written at run time. Every CPU runs it.
 */
    .set noreorder
    .section .text.start, "ax"
    .globl _start
_start:
    mtc0    $0, $12                 /* Status: kernel mode, BEV = 0, ERL = 0 */
    ehb
    lui     $8, 0x8000
    mtc0    $8, $15, 1              /* EBase = 0x80000000 */
    ehb
    lui     $9, 0x8c00
    ori     $9, $9, 1               /* lw $0, 1($0) */
    sw      $9, 0x180($8)           /* ... at the general vector */
    syscall
1:  b       1b
    nop
