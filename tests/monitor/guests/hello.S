/* hello.S - the smallest guest: print a line through the console monitor call and
 * power off with status 0. */
#include "guest.h"
    .set noreorder
    .section .text.start, "ax"
    .globl _start
_start:
    PRINT(msg, 17)
    POWER_OFF(0)
1:  b 1b
    nop
    .section .rodata
msg: .ascii "hello from guest\n"
