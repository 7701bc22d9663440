/*
 * zeros.S - jumps into zeroed RAM (1 MB above the program) and runs no-ops (word 0 is
 * `sll $0, $0, 0`) until the instruction limit: the straight-line worst case for the
 * block engine and the JIT at small quanta (tests/integration/mips-hostile.sh).
 */
    .set noreorder
    .section .text.start, "ax"
    .globl _start
_start:
    lui     $8, 0x8010
    jr      $8
    nop
