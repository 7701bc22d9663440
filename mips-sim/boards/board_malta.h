/*
 * board_malta.h - a MIPS Malta-compatible board (CoreLV card: GT-64120 system
 * controller; Malta motherboard: PIIX4 south bridge, SuperIO UART, FPGA registers)
 * that boots Debian's stock `4kc-malta` Linux kernel unmodified.
 *
 * Physical memory map:
 *   0x00000000 .. mem          RAM (32 MB .. 256 MB)
 *   0x10000000 .. 0x17ffffff   GT-64120 PCI memory window (no PCI memory devices)
 *   0x18000000 .. 0x181fffff   GT-64120 PCI I/O window: ISA/PCI port N at 0x18000000+N
 *                              (i8259 0x20/0xa0, i8254 0x40, port 0x61, RTC 0x70,
 *                              UART 0x3f8, ELCR 0x4d0, reset 0xcf9, PIIX4 PM at PMBA)
 *   0x1be00000 .. 0x1be01fff   GT-64120 registers (PCI config, IACK at +0xc34)
 *   0x1f000000 .. 0x1f0fffff   Malta FPGA (LEDs, ASCII display, SOFTRES at +0x500)
 *   0x1fc00000 .. 0x1fffffff   boot ROM (board revision word at +0x10)
 * PCI bus 0: device 0 the GT-64120, device 10 the PIIX4 (functions 0 and 3).
 * Interrupts: the 8259 pair's INT drives CPU 0's Cause.IP2 (interrupt line 0).
 *
 * Boot (YAMON conventions): the kernel ELF is loaded at its physical addresses; an
 * initrd goes at the top of RAM and is announced as "rd_start=0x8xxxxxxx rd_size=N" in
 * front of the command line; CPU 0 starts at the ELF entry with a0 = argc (2), a1 =
 * argv (argv[1] = the command line), a2 = envp (YAMON "name", "value" pairs: memsize,
 * ememsize), a3 = memsize. The tables live in the first megabyte, which the kernel's
 * device tree reserves for the firmware.
 *
 * Console: COM1 (the kernel's ttyS0) writes to malta_options.console (and
 * console_log); console_in, when given, feeds its receive FIFO.
 *
 * Ends of a run: a guest power-off (PIIX4 PM soft-off) halts with status 0 and reason
 * "poweroff"; a board reset (FPGA SOFTRES or PIIX4 0xcf9) halts with status 1 and
 * reason "reset".
 *
 * Invariants: the board state (malta_board) is owned by the machine's bus: it is the
 * context of the FPGA region, found again by board_malta_boot_cpu() and
 * board_malta_destroy(); the board has exactly one CPU.
 */
#ifndef MIPS_SIM_BOARD_MALTA_H
#define MIPS_SIM_BOARD_MALTA_H

#include <stdint.h>
#include <stdio.h>

#include "mips-sim/dev/gt64120.h"
#include "mips-sim/dev/malta_fpga.h"
#include "mips-sim/dev/piix4.h"
#include "mips-sim/dev/uart.h"
#include "mips-sim/machine.h"

#define MALTA_MIN_MEM (32ull << 20)
#define MALTA_MAX_MEM (256ull << 20)
#define MALTA_DEFAULT_MEM (128ull << 20)

#define MALTA_GT_BASE 0x1be00000u
#define MALTA_PCI_IO_BASE 0x18000000u
#define MALTA_PCI_IO_SIZE 0x00200000u
#define MALTA_PCI_MEM_BASE 0x10000000u
#define MALTA_PCI_MEM_SIZE 0x08000000u
#define MALTA_FPGA_BASE 0x1f000000u
#define MALTA_BOOTROM_BASE 0x1fc00000u
#define MALTA_ARGS_BASE 0x00080000u    /* argv/envp tables (firmware-reserved RAM) */
#define MALTA_ISA_IO_NS 1000u          /* cost of one PCI/ISA I/O access: 1 us */

typedef struct malta_options {
    const char *kernel, *initrd, *append;
    uint64_t mem_bytes;                /* 0: MALTA_DEFAULT_MEM */
    FILE *console;                     /* UART output (NULL: discarded) */
    FILE *console_log;                 /* optional second copy of it (NULL: none) */
    /* Host input for the UART (NULL: none, the default). Polled every 10 ms of
     * simulated time; while the CPU idles the poll waits up to 10 ms of host time, so
     * idle time follows the host clock. Input makes a run depend on the host's timing:
     * leave it NULL for repeatable runs. */
    FILE *console_in;
} malta_options;

typedef struct malta_board {
    malta_fpga fpga;                   /* first: the FPGA region's ctx is the board */
    machine *m;
    gt64120 gt;
    piix4 piix4;
    uart com1;
    uint8_t *ram;
    uint64_t ram_bytes;
    uint32_t entry, argc, argv, envp, memsize;
    uint32_t initrd_start, initrd_size;
    int in_fd;                         /* console input, -1 when none or at EOF */
    int in_timer;
} malta_board;

/*
 * Add Malta RAM + devices to machine m (already machine_init'ed with one CPU, bus
 * empty), load kernel/initrd, set up YAMON-style boot args; return 0 and *entry_pc, or
 * print one clear error line to stderr and return -2 for bad input (not an ELF, wrong
 * endianness/arch, truncated, too big, bad memory size), -ENOMEM when out of memory.
 */
int board_malta_setup(machine *m, const malta_options *o, uint32_t *entry_pc);

/* Called after machine_start(): sets CPU0's a0-a3 (argc, argv, envp, memsize) and sp. */
void board_malta_boot_cpu(machine *m);

/* The board state of a machine set up by board_malta_setup(), or NULL. */
malta_board *board_malta_get(machine *m);

/* Free the board's RAM and state (before machine_destroy()). */
void board_malta_destroy(machine *m);

#endif
