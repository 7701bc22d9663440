/*
 * bench_intloop.S - the integer loop of bench/mips-speed.sh: 8 ALU/branch instructions
 * per iteration, 62.5 million iterations (500 million instructions), then a check of
 * its result: exit 0 if t0, t2 and t5 hold the values the same loop gives on the host,
 * 1 if not (a speed figure from a run that computed wrong values means nothing).
 * The expected values were computed on the host with this C loop over uint32_t:
 *     t0 = 1, t1 = 0, t2 = 0;
 *     do { t0 += t1; t2 ^= t0; t1++; t3 = t1 << 3; t4 = t3 - t2; t5 = t4 | t0; }
 *     while (t1 != 62500000);
 * (t0 is also 1 + N(N-1)/2 mod 2^32 for N = 62500000, the closed form.)
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
    li      $t8, 0x57f6dbb1         /* expected t0 */
    bne     $t0, $t8, 2f
    nop
    li      $t8, 0x6e283240         /* expected t2 */
    bne     $t2, $t8, 2f
    nop
    li      $t8, 0xfff7fbf1         /* expected t5 */
    bne     $t5, $t8, 2f
    nop
    jr      $ra
    li      $v0, 0
2:  jr      $ra
    li      $v0, 1                  /* wrong result */
