/*
 * board_malta.c - the Malta-compatible board (see board_malta.h): wiring of the device
 * models, kernel and initrd loading, and the YAMON boot conventions Linux's
 * arch/mips/mti-malta and arch/mips/fw/lib/cmdline.c expect.
 */
#include "mips-sim/boards/board_malta.h"

#include "mips-sim/arch.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mips-sim/boards/board_test.h"
#include "mips-sim/cpu/cpu.h"
#include "mips-sim/boards/elf.h"
#include "mips-sim/hook.h"

#define CMDLINE_MAX 4000                  /* the kernel's buffer is 4096 bytes */
#define INITRD_MAX (64u << 20)

/* Bad input: one line on stderr naming it, and -2 (the command exits with status 2). */
__attribute__((format(printf, 1, 2)))
static int bad_input(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "mips-sim: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return -2;
}

malta_board *board_malta_get(machine *m)
{
    const bus_region *r = bus_find(&m->bus, MALTA_FPGA_BASE);
    if (!r || r->ops != &malta_fpga_ops)
        return NULL;
    /* The FPGA state is the board's first member. */
    return (malta_board *)r->ctx;
}

/* Read a whole file (the initrd). Returns NULL with *why set on failure. */
static uint8_t *read_file(const char *path, size_t *size, const char **why)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *why = strerror(errno);
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        *why = "not a regular file";
        return NULL;
    }
    if ((uint64_t)st.st_size > INITRD_MAX) {
        fclose(f);
        *why = "larger than 64 MB";
        return NULL;
    }
    uint8_t *buf = malloc(st.st_size ? (size_t)st.st_size : 1);
    if (!buf || fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        free(buf);
        fclose(f);
        *why = "read error";
        return NULL;
    }
    fclose(f);
    *size = (size_t)st.st_size;
    return buf;
}

/* Copy a string into the argument area; returns its kseg0 address. */
static uint32_t put_string(malta_board *b, uint32_t *cursor, const char *s)
{
    uint32_t at = *cursor;
    size_t n = strlen(s) + 1;
    bus_load(&b->m->bus, at, s, n);
    *cursor = (uint32_t)((at + n + 3) & ~3u);
    return ARCH_KSEG0 | at;
}

static void put_word(malta_board *b, uint32_t paddr, uint32_t v)
{
    uint8_t w[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    bus_load(&b->m->bus, paddr, w, 4);
}

/*
 * YAMON's hand-over: argv[1] is the whole command line (the kernel joins argv[1..]),
 * envp is a NULL-terminated list of alternating names and values.
 */
static void write_boot_args(malta_board *b, const char *cmdline)
{
    uint32_t argv = MALTA_ARGS_BASE, envp = MALTA_ARGS_BASE + 0x10;
    uint32_t cursor = MALTA_ARGS_BASE + 0x100;
    char low[32], total[32];
    snprintf(low, sizeof(low), "%" PRIu64,
             b->ram_bytes < MALTA_MAX_MEM ? b->ram_bytes : (uint64_t)MALTA_MAX_MEM);
    snprintf(total, sizeof(total), "%" PRIu64, b->ram_bytes);
    const char *env[] = {"memsize", low, "ememsize", total, "modetty0", "38400n8r"};

    put_word(b, argv + 0, put_string(b, &cursor, "mips-sim"));
    put_word(b, argv + 4, put_string(b, &cursor, cmdline));
    put_word(b, argv + 8, 0);
    for (size_t i = 0; i < sizeof(env) / sizeof(env[0]); i++)
        put_word(b, envp + 4 * (uint32_t)i, put_string(b, &cursor, env[i]));
    put_word(b, envp + 4 * (uint32_t)(sizeof(env) / sizeof(env[0])), 0);

    b->argc = 2;
    b->argv = ARCH_KSEG0 | argv;
    b->envp = ARCH_KSEG0 | envp;
    b->memsize = (uint32_t)(b->ram_bytes < MALTA_MAX_MEM ? b->ram_bytes : MALTA_MAX_MEM);
}

/*
 * Console input: move what the host has typed into the UART's receive FIFO (no more
 * than it has room for; the rest waits for the next poll). When the CPU is idle, wait
 * for input up to one poll period of host time, so an idle guest at a shell prompt
 * neither spins the host nor lets simulated time race ahead.
 */
static void console_poll(void *ctx, uint64_t now)
{
    malta_board *b = ctx;
    machine *m = b->m;
    uint64_t period = (m->cfg.clock_hz ? m->cfg.clock_hz : 200000000u) / 100;
    if (b->in_fd < 0)
        return;
    int room = (b->com1.fifo_on ? UART_FIFO_SIZE : 1) - b->com1.rx_count;
    bool idle = m->cpus[0]->state == CPU_WAITING;
    struct pollfd pfd = {.fd = b->in_fd, .events = POLLIN};
    if (room > 0 && poll(&pfd, 1, idle ? 10 : 0) > 0) {
        uint8_t buf[UART_FIFO_SIZE];
        ssize_t n = read(b->in_fd, buf, (size_t)room);
        if (n <= 0) {
            b->in_fd = -1;                 /* end of input: stop polling */
            return;
        }
        for (ssize_t i = 0; i < n; i++)
            uart_receive(&b->com1, buf[i]);
    }
    machine_timer_set(m, b->in_timer, now + period);
}

static int add_devices(malta_board *b, machine *m, FILE *console)
{
    int rc;
    malta_fpga_init(&b->fpga, m);
    if ((rc = piix4_init(&b->piix4, m, 0, 0, RTC_DEFAULT_EPOCH)) < 0)
        return rc;
    uart_init(&b->com1, &b->piix4.pic, 4, console);
    if ((rc = piix4_attach_uart(&b->piix4, 0x3f8, &b->com1)) < 0)
        return rc;
    gt64120_init(&b->gt, m, &piix4_pci_ops, &b->piix4, MALTA_GT_BASE, MALTA_PCI_IO_BASE,
                 MALTA_PCI_MEM_BASE);
    uint64_t hz = m->cfg.clock_hz ? m->cfg.clock_hz : 200000000u;
    b->gt.io_cycles = (uint32_t)(hz * MALTA_ISA_IO_NS / 1000000000u);

    if ((rc = bus_add_device(&m->bus, MALTA_PCI_MEM_BASE, MALTA_PCI_MEM_SIZE,
                             &gt64120_mem_ops, &b->gt, "gt64120-pci-mem")) < 0 ||
        (rc = bus_add_device(&m->bus, MALTA_PCI_IO_BASE, MALTA_PCI_IO_SIZE, &gt64120_io_ops,
                             &b->gt, "gt64120-pci-io")) < 0 ||
        (rc = bus_add_device(&m->bus, MALTA_GT_BASE, 2 * GT64120_REG_SIZE, &gt64120_reg_ops,
                             &b->gt, "gt64120")) < 0 ||
        (rc = bus_add_device(&m->bus, MALTA_FPGA_BASE, MALTA_FPGA_SIZE, &malta_fpga_ops,
                             &b->fpga, "malta-fpga")) < 0 ||
        (rc = bus_add_device(&m->bus, MALTA_BOOTROM_BASE, MALTA_BOOTROM_SIZE,
                             &malta_bootrom_ops, &b->fpga, "malta-bootrom")) < 0)
        return rc;
    return 0;
}

int board_malta_setup(machine *m, const malta_options *o, uint32_t *entry_pc)
{
    uint64_t mem = o->mem_bytes ? o->mem_bytes : MALTA_DEFAULT_MEM;
    if (m->ncpus != 1)
        return bad_input("the Malta board has one CPU (got %d)", m->ncpus);
    if (mem < MALTA_MIN_MEM || mem > MALTA_MAX_MEM || (mem % BOARD_RAM_GRAIN))
        return bad_input("Malta memory size of %" PRIu64 " bytes: need a whole number of MB "
                         "from 32 MB to 256 MB", mem);
    if (!o->kernel)
        return bad_input("no kernel given (--kernel FILE)");
    const char *append = o->append ? o->append : "";

    malta_board *b = calloc(1, sizeof(*b));
    if (!b)
        return -ENOMEM;
    b->m = m;
    b->ram_bytes = mem;
    b->ram = board_test_alloc_ram(mem);
    if (!b->ram) {
        free(b);
        return -ENOMEM;
    }
    int rc = bus_add_ram(&m->bus, 0, mem, b->ram, 0, "malta-ram");
    if (rc == 0)
        rc = add_devices(b, m, o->console);
    if (rc == 0)
        uart_set_copy(&b->com1, o->console_log);
    b->in_fd = -1;
    if (rc == 0 && o->console_in) {
        b->in_fd = fileno(o->console_in);
        b->in_timer = rc = machine_timer_add(m, console_poll, b);
        if (rc >= 0) {
            machine_timer_set(m, b->in_timer, 0);
            rc = 0;
        }
    }
    if (rc < 0) {
        /* The bus may already point at the board: leave the memory allocated. */
        return rc;
    }

    elf_image img;
    char err[400];
    if (elf_load(&m->bus, o->kernel, &img, err, sizeof(err)) < 0)
        return bad_input("bad kernel: %s", err);
    if (img.entry < ARCH_KSEG0 || img.entry >= ARCH_KSSEG)
        return bad_input("bad kernel: %s: entry point 0x%08x is not in kseg0/kseg1",
                         o->kernel, img.entry);
    b->entry = img.entry;

    char *cmdline = malloc(CMDLINE_MAX + 64);
    if (!cmdline)
        return -ENOMEM;
    cmdline[0] = '\0';
    if (o->initrd) {
        size_t n = 0;
        const char *why = NULL;
        uint8_t *data = read_file(o->initrd, &n, &why);
        if (!data) {
            free(cmdline);
            return bad_input("bad initrd %s: %s", o->initrd, why);
        }
        /* Top of RAM, page aligned, clear of everything the kernel image occupies. */
        uint64_t start = ARCH_PAGE_BASE(mem - n);
        if (n > mem || start < ARCH_PAGE_BASE(img.highest + ARCH_PAGE_MASK)) {
            free(data);
            free(cmdline);
            return bad_input("bad initrd %s: %zu bytes do not fit in RAM above the kernel",
                             o->initrd, n);
        }
        bus_load(&m->bus, start, data, n);
        free(data);
        b->initrd_start = (uint32_t)start;
        b->initrd_size = (uint32_t)n;
        snprintf(cmdline, 64, "rd_start=0x%08x rd_size=%u ", ARCH_KSEG0 | (uint32_t)start,
                 (uint32_t)n);
    }
    if (strlen(cmdline) + strlen(append) > CMDLINE_MAX) {
        free(cmdline);
        return bad_input("kernel command line longer than %d bytes", CMDLINE_MAX);
    }
    strcat(cmdline, append);
    write_boot_args(b, cmdline);
    free(cmdline);
    *entry_pc = b->entry;
    return 0;
}

void board_malta_boot_cpu(machine *m)
{
    malta_board *b = board_malta_get(m);
    if (!b)
        return;
    cpu *c = m->cpus[0];
    cpu_set_gpr(c, 4, b->argc);           /* a0 */
    cpu_set_gpr(c, 5, b->argv);           /* a1 */
    cpu_set_gpr(c, 6, b->envp);           /* a2 */
    cpu_set_gpr(c, 7, b->memsize);        /* a3 */
    /* A stack in the firmware area, as YAMON leaves one (the kernel sets its own). */
    cpu_set_gpr(c, 29, ARCH_KSEG0 | (MALTA_ARGS_BASE - 16));
}

void board_malta_destroy(machine *m)
{
    malta_board *b = board_malta_get(m);
    if (!b)
        return;
    if (b->ram)
        munmap(b->ram, b->ram_bytes);
    b->ram = NULL;
    free(b);
}
