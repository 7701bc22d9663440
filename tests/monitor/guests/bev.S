/* bev.S - garbage before the guest set up its vectors (Status.BEV still set). */
#include "guest.h"
    .set noreorder
    .section .text.start, "ax"
    .globl _start
_start:
    .word   0xffffffff
    nop
