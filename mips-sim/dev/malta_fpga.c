/*
 * malta_fpga.c - Malta FPGA registers and boot ROM identification (see malta_fpga.h).
 * Offsets as documented in the Malta user's manual and used by Linux's Malta code.
 */
#include "mips-sim/dev/malta_fpga.h"

#include <string.h>

#include "mips-sim/machine.h"

enum {
    FPGA_SWITCHES = 0x200, FPGA_STATUS = 0x208, FPGA_JMPRS = 0x210,
    FPGA_LEDBAR = 0x408, FPGA_ASCIIWORD = 0x410, FPGA_ASCIIPOS0 = 0x418,
    FPGA_SOFTRES = 0x500, FPGA_BRKRES = 0x508,
    SOFTRES_MAGIC = 0x42,
};

void malta_fpga_init(malta_fpga *f, struct machine *m)
{
    *f = (malta_fpga){0};
    f->m = m;
    memset(f->display, ' ', 8);
    f->brkres = 0x0a;                   /* break/reset behaviour bits: none set */
}

static uint32_t fpga_read(void *ctx, int cpu, uint32_t offset, int size)
{
    malta_fpga *f = ctx;
    (void)cpu; (void)size;
    switch (offset & ~3u) {
    case FPGA_LEDBAR: return f->leds;
    case FPGA_ASCIIWORD: return f->display_word;
    case FPGA_BRKRES: return f->brkres;
    case FPGA_SWITCHES: case FPGA_STATUS: case FPGA_JMPRS:
    default:
        if ((offset & ~3u) >= FPGA_ASCIIPOS0 && (offset & ~3u) < FPGA_ASCIIPOS0 + 8 * 8)
            return (uint8_t)f->display[((offset & ~3u) - FPGA_ASCIIPOS0) / 8];
        return 0;
    }
}

static void fpga_write(void *ctx, int cpu, uint32_t offset, uint32_t value, int size)
{
    malta_fpga *f = ctx;
    (void)cpu; (void)size;
    uint32_t reg = offset & ~3u;
    switch (reg) {
    case FPGA_LEDBAR: f->leds = value & 0xff; break;
    case FPGA_ASCIIWORD: f->display_word = value; break;
    case FPGA_BRKRES: f->brkres = value; break;
    case FPGA_SOFTRES:
        if ((value & 0xff) == SOFTRES_MAGIC) {
            f->resets_requested++;
            if (f->m)
                machine_halt(f->m, MALTA_FPGA_EXIT_RESET, "reset");
        }
        break;
    default:
        if (reg >= FPGA_ASCIIPOS0 && reg < FPGA_ASCIIPOS0 + 8 * 8) {
            char c = (char)(value & 0xff);
            f->display[(reg - FPGA_ASCIIPOS0) / 8] = (c >= 0x20 && c < 0x7f) ? c : ' ';
        }
        break;
    }
}

static uint32_t rom_read(void *ctx, int cpu, uint32_t offset, int size)
{
    (void)ctx; (void)cpu;
    uint32_t word = 0;
    switch (offset & ~3u) {
    case 0x10:
        word = MALTA_REVISION;
        break;
    case 0x200: case 0x280: case 0x300: case 0x380: case 0x400: case 0x480:
        word = 0x1000ffffu;             /* b . (beq $0,$0,-1); the next word is a nop */
        break;
    default:
        break;
    }
    word >>= (offset & 3) * 8;
    return size == 4 ? word : word & ((1u << (size * 8)) - 1);
}

static void rom_write(void *ctx, int cpu, uint32_t offset, uint32_t value, int size)
{
    (void)ctx; (void)cpu; (void)offset; (void)value; (void)size;  /* flash: ignored */
}

const bus_device_ops malta_fpga_ops = {fpga_read, fpga_write};
const bus_device_ops malta_bootrom_ops = {rom_read, rom_write};
