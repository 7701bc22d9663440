/* board_test.c - RAM, console UART, exit device and IPI device for bare-metal tests. */
#include "mips-sim/boards/board_test.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mips-sim/cpu/cpu.h"

enum { UART_TX = 0x0, UART_STATUS = 0x4, UART_RX = 0x8, EXIT_REG = 0x10,
       IPI_BASE = 0x100, IPI_CPUID = 0x100, IPI_SEND = 0x104, IPI_ACK = 0x108,
       IPI_NCPUS = 0x10c, IPI_PENDING = 0x110, DEV_SIZE = 0x1000 };

static uint32_t board_test_read(void *ctx, int cpu, uint32_t off, int size)
{
    board_test *bt = ctx;
    (void)size;
    switch (off) {
    case UART_STATUS: return 2;          /* transmitter always ready, nothing to receive */
    case IPI_CPUID: return (uint32_t)cpu;
    case IPI_NCPUS: return (uint32_t)bt->m->ncpus;
    case IPI_PENDING: return cpu >= 0 ? (uint32_t)((bt->m->ipi_pending >> cpu) & 1) : 0;
    default: return 0;
    }
}

static void board_test_write(void *ctx, int cpu, uint32_t off, uint32_t v, int size)
{
    board_test *bt = ctx;
    (void)size;
    switch (off) {
    case UART_TX: fputc((int)(v & 0xff), bt->console); break;
    case EXIT_REG: machine_halt(bt->m, (int)(v & 0xff), "exit"); break;
    case IPI_SEND: machine_send_ipi(bt->m, (int)v); break;
    case IPI_ACK: machine_clear_ipi(bt->m, cpu); break;
    default: break;
    }
}

static const bus_device_ops board_test_ops = { board_test_read, board_test_write };

static uint8_t *board_test_alloc(uint64_t bytes)
{
    /* Anonymous mappings come zeroed and cost nothing until touched. */
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

int board_test_add_devices(board_test *bt, machine *m, FILE *console)
{
    bt->m = m;
    bt->console = console;
    bt->boot_ram = board_test_alloc(BOARD_TEST_BOOT_SIZE);
    if (!bt->boot_ram)
        return -ENOMEM;
    int rc = bus_add_ram(&m->bus, BOARD_TEST_BOOT_BASE, BOARD_TEST_BOOT_SIZE, bt->boot_ram, 0, "boot-ram");
    if (!rc)
        rc = bus_add_device(&m->bus, BOARD_TEST_DEV_BASE, DEV_SIZE, &board_test_ops, bt, "testdev");
    m->ipi_line = 0;
    return rc;
}

int board_test_setup(board_test *bt, machine *m, uint64_t ram_bytes, FILE *console)
{
    memset(bt, 0, sizeof(*bt));
    if (ram_bytes < ARCH_PAGE_SIZE || ram_bytes > BOARD_TEST_MAX_RAM || (ram_bytes & ARCH_PAGE_MASK))
        return -EINVAL;
    bt->ram_bytes = ram_bytes;
    bt->ram = board_test_alloc(ram_bytes);
    if (!bt->ram)
        return -ENOMEM;
    int rc = bus_add_ram(&m->bus, 0, ram_bytes, bt->ram, 0, "ram");
    if (!rc)
        rc = board_test_add_devices(bt, m, console);
    return rc;
}

uint8_t *board_test_alloc_ram(uint64_t bytes)
{
    return board_test_alloc(bytes);
}

void board_test_destroy(board_test *bt)
{
    if (bt->ram)
        munmap(bt->ram, bt->ram_bytes);
    if (bt->boot_ram)
        munmap(bt->boot_ram, BOARD_TEST_BOOT_SIZE);
    bt->ram = bt->boot_ram = NULL;
}
