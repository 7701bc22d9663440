/*
 * random.S - hostile program: 16 KB of pseudo-random instruction words (a linear
 * congruential sequence computed by the assembler, so the file is the same on every
 * build). _start resets Status and EBase and enters them at a word chosen by Count;
 * every exception vector jumps back to _start. Whatever the words do - faults of every
 * kind, CP0 and TLB writes, stores over themselves, moving the vectors away - the
 * engines must agree, and the block engine and the JIT must stay near the
 * interpreter's memory at tiny quanta (tests/integration/mips-hostile.sh).
 */
    .set noreorder
    .section .vectors, "ax"
    .org    0x000
    j       _start
    nop
    .org    0x180
    j       _start
    nop
    .org    0x200
    j       _start
    nop

    .section .text.start, "ax"
    .globl _start
_start:
    mtc0    $0, $12                 /* Status: kernel mode, BEV = 0, ERL = 0, EXL = 0 */
    lui     $8, 0x8000
    mtc0    $8, $15, 1              /* EBase = 0x80000000 */
    ehb
    mfc0    $9, $9                  /* Count: a different word each time */
    andi    $9, $9, 0x3ffc
    la      $8, words
    addu    $8, $8, $9
    jr      $8
    nop
    .align  12
words:
    .set    x, 2463534242
    .rept   4096
    .set    x, (x * 1664525 + 1013904223) & 0xffffffff
    .word   x
    .endr
