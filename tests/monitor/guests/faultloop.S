/* faultloop.S - a guest whose exception handler runs a few instructions and returns to
 * the faulting load without fixing anything: the same TLB refill forever, with
 * progress between the traps. The monitor must stop it. */
#include "guest.h"
    .set noreorder
    .section .text.start, "ax"
    .globl _start
_start:
    la      $t0, vectors
    mtc0    $t0, $15, 1
    mtc0    $zero, $12
    ehb
1:  lw      $t1, 0x1000($zero)          /* unmapped user address: a refill every time */
    b       1b
    nop
    .balign 4096
vectors:
    .org vectors + 0x000
    b       handler
    nop
    .org vectors + 0x180
handler:
    addiu   $k0, $zero, 1
    addiu   $k0, $k0, 1
    addiu   $k0, $k0, 1
    addiu   $k0, $k0, 1
    addiu   $k0, $k0, 1
    addiu   $k0, $k0, 1
    eret
    nop
