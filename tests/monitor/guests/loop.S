/* loop.S - a guest that spins forever without trapping: time sharing keeps the other
 * VMs running; --max-insns ends the run. */
#include "guest.h"
    .set noreorder
    .section .text.start, "ax"
    .globl _start
_start:
1:  b       1b
    nop
