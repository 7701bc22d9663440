/*
 * board_test.h - the simple test board for bare-metal programs.
 *
 * Physical memory map:
 *   0x00000000 .. mem         RAM (kseg0 0x80000000 / kseg1 0xa0000000)
 *   0x1f000000  UART   +0x0 TX (write a byte)  +0x4 STATUS (bit0: RX ready, bit1: TX ready)
 *                      +0x8 RX (read a byte; the board has no input, so never ready)
 *   0x1f000010  EXIT   write a value: the machine halts with exit status value & 0xff
 *   0x1f000100  IPI    +0x0 CPUID (read: the accessing CPU)  +0x4 SEND (write CPU number)
 *                      +0x8 ACK (write: clear own IPI)  +0xc NCPUS (read)
 *                      +0x10 PENDING (read: own IPI pending)
 *   0x1fc00000  1 MB of boot RAM, where the BEV=1 exception vectors live
 * IPIs raise interrupt line 0 (Cause.IP2) of the target CPU. The addresses and limits
 * are named in mips-sim/arch.h (BOARD_TEST_*).
 */
#ifndef MIPS_SIM_BOARD_TEST_H
#define MIPS_SIM_BOARD_TEST_H

#include <stdio.h>

#include "mips-sim/arch.h"
#include "mips-sim/machine.h"


typedef struct board_test {
    machine *m;
    FILE *console;
    uint8_t *ram, *boot_ram;
    uint64_t ram_bytes;
} board_test;

/* Add RAM and the devices to a machine whose bus is empty. Returns 0 or -errno. */
int board_test_setup(board_test *bt, machine *m, uint64_t ram_bytes, FILE *console);

/* Only the devices and the boot RAM (for boards that lay out RAM themselves). */
int board_test_add_devices(board_test *bt, machine *m, FILE *console);
void board_test_destroy(board_test *bt);

/* Zeroed RAM for a board, mapped lazily (munmap to free). NULL on failure. */
uint8_t *board_test_alloc_ram(uint64_t bytes);

#endif
