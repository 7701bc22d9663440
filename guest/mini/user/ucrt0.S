/*
 * ucrt0.S - entry of the mini user program. The kernel starts a process here in user
 * mode with a0 = pid, a1 = working-set bytes, a2 = passes, a3 = seed and sp at the top
 * of its stack; if umain returns, its value is the exit status.
 */
#include "guest/mini/sysno.h"
    .set noreorder
    .section .text.ustart, "ax"
    .globl _ustart
_ustart:
    jal     umain
    addiu   $sp, $sp, -16
    move    $4, $2
    li      $2, SYS_EXIT
    syscall
1:  b       1b
    nop
