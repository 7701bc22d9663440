/*
 * gt64120.h - the Galileo GT-64120 system controller of the Malta's CoreLV card: its
 * internal register window, the PCI configuration mechanism (CFGADDR/CFGDATA with
 * master-abort reporting in the interrupt cause register), the PCI interrupt-
 * acknowledge register Linux reads to get the i8259 vector, and the CPU windows onto
 * PCI I/O and PCI memory space.
 *
 * The controller forwards PCI cycles to the devices behind it through
 * gt64120_pci_ops (on the Malta: the PIIX4 south bridge). The GT itself is device 0
 * of bus 0 (vendor 0x11ab, device 0x4620, class host bridge).
 *
 * Data structure: the 4 KB register file as 32-bit words, the GT's own configuration
 * header, the PCI ops, and the windows' fixed CPU bases (see board_malta.h).
 *
 * Invariants:
 *  - the PCI windows are decoded at fixed CPU addresses chosen at set-up and reported
 *    in PCI0IOLD/HD and PCI0M0LD/HD; software may write those registers (the values are
 *    kept) but the bus map does not move, because the machine's bus is fixed once it
 *    runs. Linux reads them and never moves them on this board;
 *  - data goes through unswapped: this is a little-endian CPU and Linux sets the
 *    PCI byte-swap bits accordingly;
 *  - a configuration cycle to a function nobody claims sets INTRCAUSE.MasAbort0 and
 *    reads as all ones; writing INTRCAUSE clears the bits written as 0.
 */
#ifndef MIPS_SIM_DEV_GT64120_H
#define MIPS_SIM_DEV_GT64120_H

#include <stdbool.h>
#include <stdint.h>

#include "mips-sim/mem/bus.h"

struct machine;

/* Register offsets used by Linux (from the GT-64120 data sheet). */
enum {
    GT64120_CPU = 0x000,
    GT64120_PCI0IOLD = 0x048, GT64120_PCI0IOHD = 0x050,
    GT64120_PCI0M0LD = 0x058, GT64120_PCI0M0HD = 0x060,
    GT64120_ISD = 0x068,
    GT64120_PCI0M1LD = 0x080, GT64120_PCI0M1HD = 0x088,
    GT64120_PCI0IOREMAP = 0x0f0, GT64120_PCI0M0REMAP = 0x0f8, GT64120_PCI0M1REMAP = 0x100,
    GT64120_PCI0_CMD = 0xc00,
    GT64120_INTRCAUSE = 0xc18, GT64120_INTRMASK = 0xc1c,
    GT64120_PCI0_IACK = 0xc34,
    GT64120_PCI0_CFGADDR = 0xcf8, GT64120_PCI0_CFGDATA = 0xcfc,
};

#define GT64120_INTR_MASABORT0 (1u << 18)
#define GT64120_INTR_TARABORT0 (1u << 19)
#define GT64120_REG_SIZE 0x1000

/* What sits behind the controller on PCI bus 0. */
typedef struct gt64120_pci_ops {
    /* Configuration dword `reg` (0..63) of bus 0 function `devfn` (devfn != 0..7 of
     * device 0). Return false when no function answers (master abort). */
    bool (*cfg_read)(void *ctx, int devfn, int reg, uint32_t *value);
    /* Write the bytes selected by `byte_mask` (bit i = byte i) of dword `reg`. */
    bool (*cfg_write)(void *ctx, int devfn, int reg, uint32_t value, unsigned byte_mask);
    uint32_t (*io_read)(void *ctx, uint32_t port, int size);
    void (*io_write)(void *ctx, uint32_t port, uint32_t value, int size);
    uint8_t (*iack)(void *ctx);      /* interrupt acknowledge cycle: the vector */
} gt64120_pci_ops;

typedef struct gt64120 {
    uint32_t regs[GT64120_REG_SIZE / 4];
    uint32_t cfg[64];                /* the GT's own PCI configuration header */
    const gt64120_pci_ops *pci;
    void *pci_ctx;
    struct machine *m;               /* for charging I/O time; NULL in unit tests */
    uint32_t io_cycles;              /* CPU cycles charged per PCI I/O window access */
    uint64_t io_accesses, cfg_cycles, master_aborts;
} gt64120;

/* Reset to the state YAMON leaves: registers at reg_base, PCI I/O at io_base (2 MB),
 * PCI memory at mem_base (128 MB). The bases must be 2 MB aligned. */
void gt64120_init(gt64120 *g, struct machine *m, const gt64120_pci_ops *pci, void *pci_ctx,
                  uint32_t reg_base, uint32_t io_base, uint32_t mem_base);

/* Register window access (offset within the 4 KB window; size 1, 2 or 4). */
uint32_t gt64120_reg_read(gt64120 *g, uint32_t offset, int size);
void gt64120_reg_write(gt64120 *g, uint32_t offset, uint32_t value, int size);

/* Bus callbacks: ctx is the gt64120. Register window, PCI I/O window, PCI memory
 * window (nothing there on this board: reads all ones, writes ignored). */
extern const bus_device_ops gt64120_reg_ops;
extern const bus_device_ops gt64120_io_ops;
extern const bus_device_ops gt64120_mem_ops;

#endif
