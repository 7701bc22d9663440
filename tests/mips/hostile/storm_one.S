/*
 * storm_one.S - hostile program for 2 or more CPUs: every CPU but CPU 0 moves its EBase
 * outside RAM and takes a SYSCALL, so it loops on instruction bus errors at its vector;
 * CPU 0 meanwhile counts down 200000 loop iterations and exits with status 42. A storm
 * stops only the CPU it happens on: the run must end with 42, and report the others.
 */
    .set noreorder
    .section .text.start, "ax"
    .globl _start
_start:
    mtc0    $0, $12                 /* Status: kernel mode, BEV = 0, ERL = 0 */
    ehb
    mfc0    $16, $15, 1
    andi    $16, $16, 0x3ff         /* CPU number */
    beqz    $16, cpu0
    nop
    lui     $8, 0x9e00              /* EBase = 0x9e000000: no RAM or device there */
    mtc0    $8, $15, 1
    ehb
    syscall
1:  b       1b
    nop
cpu0:
    lui     $9, 3                   /* 196608 iterations */
2:  addiu   $9, $9, -1
    bnez    $9, 2b
    nop
    lui     $8, 0xbf00
    li      $10, 42
    sw      $10, 0x10($8)           /* exit device: status 42 */
3:  b       3b
    nop
