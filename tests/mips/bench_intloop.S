/*
 * bench_intloop.S - the integer loop of bench/mips-speed.sh: 8 ALU/branch instructions
 * per iteration, 62.5 million iterations (500 million instructions), then exit 0.
 * Not a test: tests/mips/module.mk leaves bench_* out of the test list.
 */
    .set noreorder
    .text
    .globl main
main:
    li      $t1, 0
    li      $t6, 62500000
    li      $t0, 1
    li      $t2, 0
1:  addu    $t0, $t0, $t1
    xor     $t2, $t2, $t0
    addiu   $t1, $t1, 1
    sll     $t3, $t1, 3
    subu    $t4, $t3, $t2
    or      $t5, $t4, $t0
    bne     $t1, $t6, 1b
    addiu   $t7, $t7, 1
    jr      $ra
    li      $v0, 0
