/*
 * malta_fpga.h - the Malta motherboard's FPGA register block (CPU physical 0x1f000000,
 * 1 MB window) and the board identification word in the boot flash (0x1fc00010).
 *
 * FPGA registers: switches, status, jumpers, the LED bar, the 8-character ASCII
 * display, SOFTRES (writing 0x42 resets the board) and BRKRES. Everything else in the
 * window reads as zero and ignores writes, so drivers probing optional devices there
 * (the CBUS UART at 0x1f000900) find nothing.
 *
 * Boot ROM: reads as zero except the revision register at 0x10, which says "CoreLV
 * core card on a Malta" (Linux derives the GT-64120 system controller from it), and
 * the boot exception vectors, which hold a branch-to-self so a stray exception taken
 * with Status.BEV set stops visibly instead of running off the ROM.
 *
 * Invariants: the display text is kept NUL-terminated; a SOFTRES write of the magic
 * value halts the machine with MALTA_FPGA_EXIT_RESET (reason "reset").
 */
#ifndef MIPS_SIM_DEV_MALTA_FPGA_H
#define MIPS_SIM_DEV_MALTA_FPGA_H

#include <stdint.h>

#include "mips-sim/mem/bus.h"

#define MALTA_FPGA_SIZE 0x100000u
#define MALTA_BOOTROM_SIZE 0x400000u
#define MALTA_REVISION 0x00000420u      /* CoreLV (CORID 1), Malta product (2) */
#define MALTA_FPGA_EXIT_RESET 1

struct machine;

typedef struct malta_fpga {
    struct machine *m;
    uint32_t leds;
    uint32_t brkres;
    char display[9];                    /* the ASCII display positions 0..7 */
    uint32_t display_word;              /* ASCIIWORD (hex display) */
    uint64_t resets_requested;
} malta_fpga;

void malta_fpga_init(malta_fpga *f, struct machine *m);

/* Bus callbacks, ctx = the malta_fpga. */
extern const bus_device_ops malta_fpga_ops;
extern const bus_device_ops malta_bootrom_ops;

#endif
