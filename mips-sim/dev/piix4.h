/*
 * piix4.h - the Intel PIIX4 south bridge of the Malta board, as far as the stock Linux
 * kernel uses it: PCI function 0 (PCI-to-ISA bridge, configuration registers only),
 * function 3 (power management: the PM I/O block with PMCNTRL, whose soft-off request
 * powers the board off, and the ACPI PM timer), and the ISA devices inside it: the
 * cascaded 8259 pair, the 8254 timer and the MC146818 RTC. ISA devices outside the
 * PIIX4 (the SuperIO UART) are attached with piix4_attach_uart().
 *
 * It is device 10 on PCI bus 0 and implements gt64120_pci_ops (configuration cycles,
 * I/O cycles with positive decode of the legacy ports, interrupt acknowledge).
 *
 * Data structure: two 256-byte configuration spaces (functions 0 and 3), the PM I/O
 * registers, the embedded devices, and the attached UARTs by base port.
 *
 * Invariants:
 *  - read-only configuration fields (IDs, class, header type, PMBA's I/O bit) keep
 *    their values whatever is written;
 *  - the PM block answers at PMBA (config 0x40, 64 bytes) only while PMREGMISC bit 0
 *    (config 0x80) is set, as on the part; Linux's Malta fixup programs both;
 *  - I/O cycles nobody decodes read as all ones and writes are dropped (master abort
 *    on the ISA side), so probes of absent legacy devices fail quickly;
 *  - a PMCNTRL write with SUS_EN and SUS_TYP = soft-off halts the machine with exit
 *    code 0 (reason "poweroff"); a reset through the reset control register (0xcf9)
 *    halts it with PIIX4_EXIT_RESET (reason "reset").
 */
#ifndef MIPS_SIM_DEV_PIIX4_H
#define MIPS_SIM_DEV_PIIX4_H

#include <stdbool.h>
#include <stdint.h>

#include "mips-sim/dev/gt64120.h"
#include "mips-sim/dev/i8254.h"
#include "mips-sim/dev/i8259.h"
#include "mips-sim/dev/rtc.h"
#include "mips-sim/dev/uart.h"

#define PIIX4_SLOT 10
#define PIIX4_PM_SIZE 64
#define PIIX4_PM_TIMER_HZ 3579545u
#define PIIX4_EXIT_POWEROFF 0
#define PIIX4_EXIT_RESET 1
#define PIIX4_MAX_UARTS 4

struct machine;

typedef struct piix4 {
    struct machine *m;
    uint8_t cfg0[256];         /* function 0: ISA bridge */
    uint8_t cfg3[256];         /* function 3: power management */
    uint16_t pmsts, pmen, pmcntrl;
    uint8_t pm_other[PIIX4_PM_SIZE];
    uint8_t rcr;               /* reset control register, port 0xcf9 */
    i8259 pic;
    i8254 pit;
    rtc rtc;
    struct { uint16_t base; uart *u; } uarts[PIIX4_MAX_UARTS];
    int nuarts;
    uint64_t unclaimed_io;     /* statistics: I/O cycles nobody decoded */
} piix4;

/* Reset; the 8259 output goes to line `cpu_line` of CPU `cpu`. RTC starts at `epoch`. */
int piix4_init(piix4 *p, struct machine *m, int cpu, int cpu_line, int64_t epoch);

/* Decode 8 ports at `base` (e.g. 0x3f8) to `u`. Returns 0 or -ENOSPC. */
int piix4_attach_uart(piix4 *p, uint16_t base, uart *u);

/* The ops to hand to gt64120_init() with ctx = the piix4. */
extern const gt64120_pci_ops piix4_pci_ops;

/* I/O port access (size 1, 2 or 4; wider accesses to byte devices are split). */
uint32_t piix4_io_read(piix4 *p, uint32_t port, int size);
void piix4_io_write(piix4 *p, uint32_t port, uint32_t value, int size);

/* Current value of the 24-bit ACPI PM timer. */
uint32_t piix4_pm_timer(const piix4 *p);

#endif
