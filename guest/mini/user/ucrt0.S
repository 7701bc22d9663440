/*
 * ucrt0.S - entry of the mini user program. The kernel starts a process here in user
 * mode with a0 = pid, a1 = working-set bytes, a2 = passes, a3 = seed, t0 = getpid calls
 * per pass, and sp at the top of its stack; t0 becomes umain's fifth argument (o32: the
 * stack word above the four argument slots). umain's value is the exit status.
 */
#include "guest/mini/sysno.h"
    .set noreorder
    .section .text.ustart, "ax"
    .globl _ustart
_ustart:
    addiu   $sp, $sp, -24
    jal     umain
    sw      $8, 16($sp)
    move    $4, $2
    li      $2, SYS_EXIT
    syscall
1:  b       1b
    nop
