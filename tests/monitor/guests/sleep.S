/* sleep.S - a guest that idles with every interrupt masked: nothing can wake it. */
#include "guest.h"
    .set noreorder
    .section .text.start, "ax"
    .globl _start
_start:
    li      $v0, MC_IDLE
    HYPCALL
    b       _start
    nop
