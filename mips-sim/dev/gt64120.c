/*
 * gt64120.c - GT-64120 system controller (see gt64120.h), from the data sheet's
 * register descriptions and what Linux's Malta code reads and writes.
 */
#include "mips-sim/dev/gt64120.h"

#include "mips-sim/hook.h"
#include "mips-sim/machine.h"

#define GT_VENDOR 0x11ab
#define GT_DEVICE 0x4620
#define GT_CFGADDR_ENABLE 0x80000000u /* PCI0 config address: ConfigEn */

void gt64120_init(gt64120 *g, struct machine *m, const gt64120_pci_ops *pci, void *pci_ctx,
                  uint32_t reg_base, uint32_t io_base, uint32_t mem_base)
{
    *g = (gt64120){0};
    g->m = m;
    g->pci = pci;
    g->pci_ctx = pci_ctx;
    /* Decode registers hold address bits 35:21 (low) and 27:21 (high). */
    g->regs[GT64120_ISD / 4] = reg_base >> 21;
    g->regs[GT64120_PCI0IOLD / 4] = io_base >> 21;
    g->regs[GT64120_PCI0IOHD / 4] = (io_base >> 21) & 0x7f;      /* one 2 MB block */
    g->regs[GT64120_PCI0IOREMAP / 4] = 0;                        /* PCI I/O address 0 */
    g->regs[GT64120_PCI0M0LD / 4] = mem_base >> 21;
    g->regs[GT64120_PCI0M0HD / 4] = ((mem_base + (128u << 20) - 1) >> 21) & 0x7f;
    g->regs[GT64120_PCI0M0REMAP / 4] = mem_base >> 21;           /* PCI = CPU address */
    /* Window 1 is a zero-length alias of window 0's base: Linux uses the wider one. */
    g->regs[GT64120_PCI0M1LD / 4] = mem_base >> 21;
    g->regs[GT64120_PCI0M1HD / 4] = (mem_base >> 21) & 0x7f;
    g->regs[GT64120_PCI0M1REMAP / 4] = mem_base >> 21;
    g->regs[GT64120_PCI0_CMD / 4] = 0x00000001;                  /* MByteSwap */

    g->cfg[0] = GT_DEVICE << 16 | GT_VENDOR;
    g->cfg[1] = 0x02800006;          /* status: medium DEVSEL; command: mem + master */
    g->cfg[2] = 0x06000010;          /* class: host bridge; revision 0x10 */
    g->cfg[3] = 0x00000000;
}

static void charge(gt64120 *g, int cpu)
{
    g->io_accesses++;
    /* Slow ISA-style I/O cycles cost the CPU time, as on the real board; this also
     * keeps polling loops (RTC update flag, UART status) short in instructions. */
    if (g->m && cpu >= 0 && cpu < g->m->ncpus && g->io_cycles)
        cpu_charge_cycles(g->m->cpus[cpu], g->io_cycles);
}

/* The GT's own configuration header: only the command register is writable. */
static uint32_t own_cfg_read(gt64120 *g, int reg)
{
    return reg < 64 ? g->cfg[reg] : 0;
}

static void own_cfg_write(gt64120 *g, int reg, uint32_t value, unsigned byte_mask)
{
    if (reg == 1 && (byte_mask & 3)) {
        uint32_t m = (byte_mask & 1 ? 0xffu : 0) | (byte_mask & 2 ? 0xff00u : 0);
        g->cfg[1] = (g->cfg[1] & ~m & ~0xfc00u) | (value & m & 0x03ffu);
    }
}

static uint32_t cfg_data_read(gt64120 *g)
{
    uint32_t a = g->regs[GT64120_PCI0_CFGADDR / 4];
    int bus = (a >> 16) & 0xff, devfn = (a >> 8) & 0xff, reg = (a >> 2) & 0x3f;
    uint32_t v;
    g->cfg_cycles++;
    if (!(a & GT_CFGADDR_ENABLE))
        return 0xffffffffu;
    if (bus == 0 && (devfn >> 3) == 0)
        return devfn == 0 ? own_cfg_read(g, reg) : 0xffffffffu;
    if (bus == 0 && g->pci && g->pci->cfg_read && g->pci->cfg_read(g->pci_ctx, devfn, reg, &v))
        return v;
    g->master_aborts++;
    g->regs[GT64120_INTRCAUSE / 4] |= GT64120_INTR_MASABORT0;
    return 0xffffffffu;
}

static void cfg_data_write(gt64120 *g, uint32_t value, unsigned byte_mask)
{
    uint32_t a = g->regs[GT64120_PCI0_CFGADDR / 4];
    int bus = (a >> 16) & 0xff, devfn = (a >> 8) & 0xff, reg = (a >> 2) & 0x3f;
    g->cfg_cycles++;
    if (!(a & GT_CFGADDR_ENABLE))
        return;
    if (bus == 0 && (devfn >> 3) == 0) {
        if (devfn == 0)
            own_cfg_write(g, reg, value, byte_mask);
        return;
    }
    if (bus == 0 && g->pci && g->pci->cfg_write &&
        g->pci->cfg_write(g->pci_ctx, devfn, reg, value, byte_mask))
        return;
    g->master_aborts++;
    g->regs[GT64120_INTRCAUSE / 4] |= GT64120_INTR_MASABORT0;
}

static uint32_t read_word(gt64120 *g, uint32_t off)
{
    switch (off) {
    case GT64120_PCI0_IACK:
        return g->pci && g->pci->iack ? g->pci->iack(g->pci_ctx) : 0;
    case GT64120_PCI0_CFGDATA:
        return cfg_data_read(g);
    default:
        return g->regs[off / 4];
    }
}

uint32_t gt64120_reg_read(gt64120 *g, uint32_t offset, int size)
{
    offset &= GT64120_REG_SIZE - 1;
    uint32_t word = offset & ~3u, shift = (offset & 3) * 8;
    uint32_t v = read_word(g, word) >> shift;
    return size == 4 ? v : v & ((1u << (size * 8)) - 1);
}

void gt64120_reg_write(gt64120 *g, uint32_t offset, uint32_t value, int size)
{
    offset &= GT64120_REG_SIZE - 1;
    uint32_t word = offset & ~3u, shift = (offset & 3) * 8;
    uint32_t mask = size == 4 ? 0xffffffffu : ((1u << (size * 8)) - 1) << shift;
    unsigned byte_mask = (size == 4 ? 0xfu : ((1u << size) - 1)) << (offset & 3);
    value <<= shift;
    switch (word) {
    case GT64120_INTRCAUSE:
        /* Cause bits are cleared by writing 0 and kept by writing 1. */
        g->regs[word / 4] &= value | ~mask;
        break;
    case GT64120_PCI0_CFGDATA:
        cfg_data_write(g, value, byte_mask);
        break;
    case GT64120_PCI0_IACK:
        break;                          /* read-only */
    default:
        g->regs[word / 4] = (g->regs[word / 4] & ~mask) | (value & mask);
        break;
    }
}

static uint32_t reg_read_cb(void *ctx, int cpu, uint32_t offset, int size)
{
    (void)cpu;
    return gt64120_reg_read(ctx, offset, size);
}

static void reg_write_cb(void *ctx, int cpu, uint32_t offset, uint32_t value, int size)
{
    (void)cpu;
    gt64120_reg_write(ctx, offset, value, size);
}

static uint32_t io_read_cb(void *ctx, int cpu, uint32_t offset, int size)
{
    gt64120 *g = ctx;
    charge(g, cpu);
    uint32_t port = offset + (g->regs[GT64120_PCI0IOREMAP / 4] << 21);
    if (g->pci && g->pci->io_read)
        return g->pci->io_read(g->pci_ctx, port, size);
    return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

static void io_write_cb(void *ctx, int cpu, uint32_t offset, uint32_t value, int size)
{
    gt64120 *g = ctx;
    charge(g, cpu);
    uint32_t port = offset + (g->regs[GT64120_PCI0IOREMAP / 4] << 21);
    if (g->pci && g->pci->io_write)
        g->pci->io_write(g->pci_ctx, port, value, size);
}

static uint32_t mem_read_cb(void *ctx, int cpu, uint32_t offset, int size)
{
    (void)ctx; (void)cpu; (void)offset;
    return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;   /* master abort */
}

static void mem_write_cb(void *ctx, int cpu, uint32_t offset, uint32_t value, int size)
{
    (void)ctx; (void)cpu; (void)offset; (void)value; (void)size;
}

const bus_device_ops gt64120_reg_ops = {reg_read_cb, reg_write_cb};
const bus_device_ops gt64120_io_ops = {io_read_cb, io_write_cb};
const bus_device_ops gt64120_mem_ops = {mem_read_cb, mem_write_cb};
