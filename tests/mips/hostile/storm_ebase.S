/*
 * storm_ebase.S - hostile program: EBase moved outside RAM, then SYSCALL. The general
 * vector (EBase + 0x180 = 0x9e000180, physical 0x1e000000 + 0x180) holds no memory, so
 * its fetch raises an instruction bus error, whose vector is the same address: the CPU
 * takes exceptions forever and completes no instruction. Every CPU runs it.
 * Built without crt0 (tests/mips/module.mk); used by tests/integration/mips-hostile.sh.
 */
    .set noreorder
    .section .text.start, "ax"
    .globl _start
_start:
    mtc0    $0, $12                 /* Status: kernel mode, BEV = 0, ERL = 0 */
    ehb
    lui     $8, 0x9e00              /* EBase = 0x9e000000: no RAM or device there */
    mtc0    $8, $15, 1
    ehb
    syscall
1:  b       1b
    nop
