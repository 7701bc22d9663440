/*
 * fault_first.S - hostile program (and Malta "kernel"): its very first instruction
 * faults (a misaligned load) while Status.BEV = 1 and ERL = 1 after reset, so the
 * exception enters the boot vector at 0xbfc00380. On the Malta board that is boot ROM,
 * whose fetches fail: an exception storm. On the test board it is zeroed boot RAM: the
 * CPU runs no-ops until the instruction limit.
 */
    .set noreorder
    .section .text.start, "ax"
    .globl _start
_start:
    lw      $0, 1($0)
1:  b       1b
    nop
