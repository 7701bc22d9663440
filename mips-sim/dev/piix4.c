/*
 * piix4.c - PIIX4 south bridge (see piix4.h), from the 82371AB data sheet: the
 * function 0 and 3 configuration registers, the PM I/O block (PMSTS, PMEN, PMCNTRL,
 * PMTMR) and the legacy I/O decode of the devices inside.
 */
#include "mips-sim/dev/piix4.h"

#include <errno.h>

#include "mips-sim/machine.h"

enum {
    PM_PMSTS = 0x00, PM_PMEN = 0x02, PM_PMCNTRL = 0x04, PM_PMTMR = 0x08,
    PMCNTRL_SUS_EN = 1u << 13, PMCNTRL_SUS_TYP_SHIFT = 10, PMCNTRL_SUS_TYP = 7u << 10,
    PMCNTRL_WRITE_ONLY = PMCNTRL_SUS_EN | 0x0004,   /* SUS_EN and GBL_RLS */
    CFG3_PMBA = 0x40, CFG3_PMREGMISC = 0x80, CFG3_SMBBA = 0x90,
};

static void put16(uint8_t *cfg, int off, uint16_t v)
{
    cfg[off] = (uint8_t)v;
    cfg[off + 1] = (uint8_t)(v >> 8);
}

int piix4_init(piix4 *p, struct machine *m, int cpu, int cpu_line, int64_t epoch)
{
    *p = (piix4){0};
    p->m = m;
    i8259_init(&p->pic, m, cpu, cpu_line);
    int rc = i8254_init(&p->pit, m, &p->pic);
    if (rc < 0)
        return rc;
    rc = rtc_init(&p->rtc, m, &p->pic, 8, epoch);
    if (rc < 0)
        return rc;

    /* Function 0: PCI-to-ISA bridge, multi-function device. */
    put16(p->cfg0, 0x00, 0x8086);
    put16(p->cfg0, 0x02, 0x7110);
    put16(p->cfg0, 0x04, 0x0007);
    put16(p->cfg0, 0x06, 0x0200);
    p->cfg0[0x0a] = 0x01;                       /* subclass: ISA bridge */
    p->cfg0[0x0b] = 0x06;                       /* class: bridge */
    p->cfg0[0x0e] = 0x80;                       /* header type 0, multi-function */
    p->cfg0[0x4c] = 0x4d;                       /* ISA I/O recovery timer */
    put16(p->cfg0, 0x4e, 0x0003);               /* X-bus chip select */
    for (int i = 0x60; i <= 0x63; i++)
        p->cfg0[i] = 0x80;                      /* PIRQ routing disabled */
    p->cfg0[0x64] = 0x10;                       /* serial IRQ control */
    p->cfg0[0x69] = 0x02;                       /* top of memory */

    /* Function 3: power management. */
    put16(p->cfg3, 0x00, 0x8086);
    put16(p->cfg3, 0x02, 0x7113);
    put16(p->cfg3, 0x06, 0x0280);
    p->cfg3[0x0a] = 0x80;                       /* subclass: other bridge */
    p->cfg3[0x0b] = 0x06;
    p->cfg3[0x3d] = 0x01;                       /* interrupt pin A */
    p->cfg3[CFG3_PMBA] = 0x01;                  /* I/O space indicator */
    p->cfg3[CFG3_SMBBA] = 0x01;
    return 0;
}

int piix4_attach_uart(piix4 *p, uint16_t base, uart *u)
{
    if (p->nuarts >= PIIX4_MAX_UARTS)
        return -ENOSPC;
    p->uarts[p->nuarts].base = base;
    p->uarts[p->nuarts].u = u;
    p->nuarts++;
    return 0;
}

uint32_t piix4_pm_timer(const piix4 *p)
{
    if (!p->m)
        return 0;
    uint64_t hz = p->m->cfg.clock_hz ? p->m->cfg.clock_hz : 200000000u;
    unsigned __int128 t = (unsigned __int128)machine_now(p->m) * PIIX4_PM_TIMER_HZ / hz;
    return (uint32_t)t & 0x00ffffffu;
}

/* ---- configuration space ------------------------------------------------------ */

static bool cfg0_writable(int off)
{
    return off == 0x04 || off == 0x05 || off == 0x0d || off >= 0x40;
}

static void cfg3_write_byte(piix4 *p, int off, uint8_t v)
{
    switch (off) {
    case 0x04: case 0x05: case 0x0d: case 0x3c:
        p->cfg3[off] = v;
        break;
    case CFG3_PMBA:                             /* bits 15:6 of the base, bit 0 = I/O */
        p->cfg3[off] = (uint8_t)((v & 0xc0) | 0x01);
        break;
    case CFG3_PMBA + 1:
        p->cfg3[off] = v;
        break;
    case CFG3_PMBA + 2: case CFG3_PMBA + 3:
        break;
    case CFG3_SMBBA:                            /* bits 15:4, bit 0 = I/O */
        p->cfg3[off] = (uint8_t)((v & 0xf0) | 0x01);
        break;
    case CFG3_SMBBA + 1:
        p->cfg3[off] = v;
        break;
    case CFG3_SMBBA + 2: case CFG3_SMBBA + 3:
        break;
    default:
        if (off >= 0x40)
            p->cfg3[off] = v;
        break;
    }
}

static uint8_t *function(piix4 *p, int devfn)
{
    if ((devfn >> 3) != PIIX4_SLOT)
        return NULL;
    switch (devfn & 7) {
    case 0: return p->cfg0;
    case 3: return p->cfg3;
    default: return NULL;                       /* IDE and USB are not modelled */
    }
}

static bool cfg_read(void *ctx, int devfn, int reg, uint32_t *value)
{
    uint8_t *cfg = function(ctx, devfn);
    if (!cfg)
        return false;
    int off = (reg & 63) * 4;
    *value = cfg[off] | cfg[off + 1] << 8 | cfg[off + 2] << 16 | (uint32_t)cfg[off + 3] << 24;
    return true;
}

static bool cfg_write(void *ctx, int devfn, int reg, uint32_t value, unsigned byte_mask)
{
    piix4 *p = ctx;
    uint8_t *cfg = function(p, devfn);
    if (!cfg)
        return false;
    for (int i = 0; i < 4; i++) {
        if (!(byte_mask & (1u << i)))
            continue;
        int off = (reg & 63) * 4 + i;
        uint8_t v = (uint8_t)(value >> (8 * i));
        if (cfg == p->cfg3)
            cfg3_write_byte(p, off, v);
        else if (cfg0_writable(off))
            p->cfg0[off] = v;
    }
    return true;
}

static uint8_t iack(void *ctx)
{
    piix4 *p = ctx;
    return i8259_iack(&p->pic);
}

/* ---- power management I/O block ---------------------------------------------- */

/* PM block base, or -1 while it is disabled. */
static int32_t pm_base(const piix4 *p)
{
    if (!(p->cfg3[CFG3_PMREGMISC] & 1))
        return -1;
    return (p->cfg3[CFG3_PMBA] & 0xc0) | p->cfg3[CFG3_PMBA + 1] << 8;
}

static uint8_t pm_byte(const piix4 *p, int off, uint32_t tmr)
{
    switch (off) {
    case PM_PMSTS: return (uint8_t)p->pmsts;
    case PM_PMSTS + 1: return (uint8_t)(p->pmsts >> 8);
    case PM_PMEN: return (uint8_t)p->pmen;
    case PM_PMEN + 1: return (uint8_t)(p->pmen >> 8);
    case PM_PMCNTRL: return (uint8_t)p->pmcntrl;
    case PM_PMCNTRL + 1: return (uint8_t)(p->pmcntrl >> 8);
    case PM_PMTMR: case PM_PMTMR + 1: case PM_PMTMR + 2: case PM_PMTMR + 3:
        return (uint8_t)(tmr >> (8 * (off - PM_PMTMR)));
    default: return p->pm_other[off];
    }
}

static uint32_t pm_read(piix4 *p, int off, int size)
{
    uint32_t tmr = piix4_pm_timer(p), v = 0;
    for (int i = 0; i < size; i++)
        v |= (uint32_t)pm_byte(p, (off + i) % PIIX4_PM_SIZE, tmr) << (8 * i);
    return v;
}

static void pm_write(piix4 *p, int off, uint32_t value, int size)
{
    bool cntrl_written = false;
    for (int i = 0; i < size; i++) {
        int o = (off + i) % PIIX4_PM_SIZE;
        uint8_t v = (uint8_t)(value >> (8 * i));
        int sh = (o & 1) * 8;
        switch (o & ~1) {
        case PM_PMSTS:                          /* write 1 to clear */
            p->pmsts &= (uint16_t)~(v << sh);
            break;
        case PM_PMEN:
            p->pmen = (uint16_t)((p->pmen & ~(0xff << sh)) | v << sh);
            break;
        case PM_PMCNTRL:
            p->pmcntrl = (uint16_t)((p->pmcntrl & ~(0xff << sh)) | v << sh);
            cntrl_written = true;
            break;
        case PM_PMTMR: case PM_PMTMR + 2:
            break;                              /* read-only */
        default:
            p->pm_other[o] = v;
            break;
        }
    }
    if (!cntrl_written)
        return;
    /* SUS_EN and GBL_RLS are write-only: they act on this write and never read back
     * set, so the check below sees only what was just written. */
    uint16_t v = p->pmcntrl;
    p->pmcntrl &= (uint16_t)~PMCNTRL_WRITE_ONLY;
    if ((v & PMCNTRL_SUS_EN) && ((v & PMCNTRL_SUS_TYP) >> PMCNTRL_SUS_TYP_SHIFT) == 0) {
        /* Suspend type 0 is soft-off: the board powers down. */
        if (p->m)
            machine_halt(p->m, PIIX4_EXIT_POWEROFF, "poweroff");
    }
}

/* ---- legacy I/O decode ---------------------------------------------------------- */

static uart *uart_at(piix4 *p, uint32_t port, int *offset)
{
    for (int i = 0; i < p->nuarts; i++) {
        if (port >= p->uarts[i].base && port < p->uarts[i].base + 8u) {
            *offset = (int)(port - p->uarts[i].base);
            return p->uarts[i].u;
        }
    }
    return NULL;
}

static uint8_t isa_read8(piix4 *p, uint32_t port)
{
    int off;
    uart *u;
    switch (port) {
    case 0x20: case 0x21: case 0xa0: case 0xa1: case 0x4d0: case 0x4d1:
        return i8259_io_read(&p->pic, (uint16_t)port);
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x61:
        return i8254_io_read(&p->pit, (uint16_t)port);
    case 0x70: case 0x71: case 0x72: case 0x73:
        return rtc_io_read(&p->rtc, (uint16_t)port);
    case 0xcf9:
        return p->rcr;
    default:
        if ((u = uart_at(p, port, &off)) != NULL)
            return uart_read(u, off);
        p->unclaimed_io++;
        return 0xff;
    }
}

static void isa_write8(piix4 *p, uint32_t port, uint8_t v)
{
    int off;
    uart *u;
    switch (port) {
    case 0x20: case 0x21: case 0xa0: case 0xa1: case 0x4d0: case 0x4d1:
        i8259_io_write(&p->pic, (uint16_t)port, v);
        break;
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x61:
        i8254_io_write(&p->pit, (uint16_t)port, v);
        break;
    case 0x70: case 0x71: case 0x72: case 0x73:
        rtc_io_write(&p->rtc, (uint16_t)port, v);
        break;
    case 0x80:
        break;                                  /* POST code / I/O delay port */
    case 0xcf9:
        p->rcr = v & 0x02;
        if ((v & 0x04) && p->m)                 /* RST_CPU */
            machine_halt(p->m, PIIX4_EXIT_RESET, "reset");
        break;
    default:
        if ((u = uart_at(p, port, &off)) != NULL)
            uart_write(u, off, v);
        else
            p->unclaimed_io++;
        break;
    }
}

uint32_t piix4_io_read(piix4 *p, uint32_t port, int size)
{
    int32_t pm = pm_base(p);
    if (pm >= 0 && port >= (uint32_t)pm && port < (uint32_t)pm + PIIX4_PM_SIZE)
        return pm_read(p, (int)(port - (uint32_t)pm), size);
    uint32_t v = 0;
    for (int i = 0; i < size; i++)
        v |= (uint32_t)isa_read8(p, port + i) << (8 * i);
    return v;
}

void piix4_io_write(piix4 *p, uint32_t port, uint32_t value, int size)
{
    int32_t pm = pm_base(p);
    if (pm >= 0 && port >= (uint32_t)pm && port < (uint32_t)pm + PIIX4_PM_SIZE) {
        pm_write(p, (int)(port - (uint32_t)pm), value, size);
        return;
    }
    for (int i = 0; i < size; i++)
        isa_write8(p, port + i, (uint8_t)(value >> (8 * i)));
}

static uint32_t io_read_cb(void *ctx, uint32_t port, int size)
{
    return piix4_io_read(ctx, port, size);
}

static void io_write_cb(void *ctx, uint32_t port, uint32_t value, int size)
{
    piix4_io_write(ctx, port, value, size);
}

const gt64120_pci_ops piix4_pci_ops = {cfg_read, cfg_write, io_read_cb, io_write_cb, iack};
