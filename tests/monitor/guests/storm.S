/* storm.S - a guest whose exception vector is garbage: the first fault loops through
 * the vector forever. The monitor must stop this VM, and only this one. */
#include "guest.h"
    .set noreorder
    .section .text.start, "ax"
    .globl _start
_start:
    la      $t0, garbage
    mtc0    $t0, $15, 1
    mtc0    $zero, $12
    ehb
    .word   0xffffffff
    .balign 4096
garbage:
    .fill   1024, 4, 0xffffffff
