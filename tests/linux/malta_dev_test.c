/*
 * malta_dev_test.c - cmocka tests of the Malta board's device models (i8259 pair,
 * i8254, MC146818 RTC, 16550 UART, GT-64120 + PIIX4) and of the board's input checks.
 * Devices run on a real one-CPU machine; simulated time is moved by setting m->now
 * (no CPU is running, so machine_now() is m->now) and timers are fired by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mips-sim/boards/board_malta.h"
#include "mips-sim/cpu/cpu.h"
#include "mips-sim/hook.h"
#include "mips-sim/machine.h"

#define HZ 200000000ull

static machine *new_machine(void)
{
    machine *m = calloc(1, sizeof(*m));
    machine_config cfg;
    machine_config_defaults(&cfg);
    cfg.clock_hz = HZ;
    assert_int_equal(machine_init(m, &cfg), 0);
    return m;
}

static void free_machine(machine *m)
{
    machine_destroy(m);
    free(m);
}

static bool cpu_line(machine *m)
{
    return m->cpus[0]->irq_lines & 1;
}

/* Fire every armed timer due at or before m->now, in deadline order. */
static void run_timers(machine *m)
{
    for (;;) {
        int best = -1;
        for (int i = 0; i < m->ntimers; i++)
            if (m->timers[i].armed && m->timers[i].when <= m->now &&
                (best < 0 || m->timers[i].when < m->timers[best].when))
                best = i;
        if (best < 0)
            return;
        m->timers[best].armed = false;
        m->timers[best].fn(m->timers[best].ctx, m->now);
    }
}

/* Linux's init_8259A(): ICW1-4 on both chips, vector bases 0 and 8. */
static void linux_pic_init(i8259 *p)
{
    i8259_io_write(p, 0x21, 0xff);
    i8259_io_write(p, 0xa1, 0xff);
    i8259_io_write(p, 0x20, 0x11);
    i8259_io_write(p, 0x21, 0x00);
    i8259_io_write(p, 0x21, 0x04);
    i8259_io_write(p, 0x21, 0x01);
    i8259_io_write(p, 0xa0, 0x11);
    i8259_io_write(p, 0xa1, 0x08);
    i8259_io_write(p, 0xa1, 0x02);
    i8259_io_write(p, 0xa1, 0x01);
    i8259_io_write(p, 0x21, 0xfb);   /* all masked but the cascade */
    i8259_io_write(p, 0xa1, 0xff);
}

static void test_i8259_master_and_cascade(void **state)
{
    (void)state;
    machine *m = new_machine();
    i8259 p;
    i8259_init(&p, m, 0, 0);
    linux_pic_init(&p);

    i8259_set_irq(&p, 4, true);
    assert_false(cpu_line(m));                  /* masked */
    i8259_io_write(&p, 0x21, 0xeb);             /* unmask IRQ 4 */
    assert_true(cpu_line(m));
    assert_int_equal(i8259_iack(&p), 4);
    assert_false(cpu_line(m));                  /* in service, request consumed */
    i8259_io_write(&p, 0x20, 0x0b);             /* OCW3: read ISR */
    assert_int_equal(i8259_io_read(&p, 0x20), 0x10);
    i8259_io_write(&p, 0x20, 0x64);             /* specific EOI for IR4 */
    assert_int_equal(i8259_io_read(&p, 0x20), 0x00);
    i8259_set_irq(&p, 4, false);

    /* A slave request comes through IR2 with the slave's vector. */
    i8259_io_write(&p, 0xa1, 0xfe);             /* unmask IRQ 8 */
    i8259_set_irq(&p, 8, true);
    assert_true(cpu_line(m));
    assert_int_equal(i8259_iack(&p), 8);
    assert_false(cpu_line(m));
    i8259_io_write(&p, 0xa0, 0x60);             /* EOI slave IR0 */
    i8259_io_write(&p, 0x20, 0x62);             /* EOI master IR2 */
    i8259_set_irq(&p, 8, false);

    /* Nothing pending: the acknowledge returns the spurious vector 7. */
    assert_int_equal(i8259_iack(&p), 7);

    /* Priority: IRQ 1 beats IRQ 4 and blocks it while in service. */
    i8259_io_write(&p, 0x21, 0xe9);
    i8259_set_irq(&p, 4, true);
    i8259_set_irq(&p, 1, true);
    assert_int_equal(i8259_iack(&p), 1);
    assert_false(cpu_line(m));                  /* IR4 is below IR1 in service */
    i8259_io_write(&p, 0x20, 0x20);             /* non-specific EOI */
    assert_true(cpu_line(m));
    assert_int_equal(i8259_iack(&p), 4);
    free_machine(m);
}

static void test_i8259_edge_and_level(void **state)
{
    (void)state;
    machine *m = new_machine();
    i8259 p;
    i8259_init(&p, m, 0, 0);
    linux_pic_init(&p);
    i8259_io_write(&p, 0xa1, 0x00);
    /* Edge: a request that drops before the acknowledge is gone. */
    i8259_set_irq(&p, 11, true);
    i8259_set_irq(&p, 11, false);
    assert_false(cpu_line(m));
    /* Level (ELCR): the request stays while the line is high, even after an EOI. */
    i8259_io_write(&p, 0x4d1, 0x08);
    assert_int_equal(i8259_io_read(&p, 0x4d1), 0x08);
    i8259_set_irq(&p, 11, true);
    assert_int_equal(i8259_iack(&p), 11);
    i8259_io_write(&p, 0xa0, 0x63);
    i8259_io_write(&p, 0x20, 0x62);
    assert_true(cpu_line(m));
    i8259_set_irq(&p, 11, false);
    assert_false(cpu_line(m));
    /* IRQ 0-2 cannot be made level triggered on the PIIX4. */
    i8259_io_write(&p, 0x4d0, 0xff);
    assert_int_equal(i8259_io_read(&p, 0x4d0), 0xf8);
    free_machine(m);
}

static void test_i8254_rate_generator(void **state)
{
    (void)state;
    machine *m = new_machine();
    i8259 p;
    i8254 t;
    i8259_init(&p, m, 0, 0);
    linux_pic_init(&p);
    i8259_io_write(&p, 0x21, 0xfa);             /* unmask IRQ 0 */
    assert_int_equal(i8254_init(&t, m, &p), 0);

    /* Linux's periodic PIT: mode 2, LSB then MSB, HZ = 1000. */
    i8254_io_write(&t, 0x43, 0x34);
    i8254_io_write(&t, 0x40, 1193 & 0xff);
    i8254_io_write(&t, 0x40, 1193 >> 8);
    assert_true(m->timers[t.timer].armed);
    /* The first period ends after 1193 ticks of 1.193182 MHz: just under 1 ms. */
    uint64_t when = m->timers[t.timer].when;
    assert_true(when > HZ / 1000 - HZ / 100000 && when <= HZ / 1000);
    assert_false(cpu_line(m));
    m->now = when;
    run_timers(m);
    assert_true(cpu_line(m));
    assert_int_equal(i8259_iack(&p), 0);
    i8259_io_write(&p, 0x20, 0x20);
    /* Periodic: the next edge is one period later. */
    assert_true(m->timers[t.timer].armed);
    assert_true(m->timers[t.timer].when > when + HZ / 1000 - HZ / 100000);
    m->now = m->timers[t.timer].when;
    run_timers(m);
    assert_true(cpu_line(m));
    assert_int_equal(t.irqs, 2);

    /* Counter latch: the count halfway through a period is about half. */
    m->now += HZ / 2000;
    i8254_io_write(&t, 0x43, 0x00);
    unsigned lo = i8254_io_read(&t, 0x40), hi = i8254_io_read(&t, 0x40);
    unsigned v = lo | hi << 8;
    assert_true(v > 560 && v < 640);

    /* Read-back status of counter 0: OUT high, access 3, mode 2. */
    i8254_io_write(&t, 0x43, 0xe2);
    assert_int_equal(i8254_io_read(&t, 0x40) & 0x3f, 0x34);
    free_machine(m);
}

static void test_i8254_one_shot(void **state)
{
    (void)state;
    machine *m = new_machine();
    i8259 p;
    i8254 t;
    i8259_init(&p, m, 0, 0);
    linux_pic_init(&p);
    i8259_io_write(&p, 0x21, 0xfa);
    assert_int_equal(i8254_init(&t, m, &p), 0);
    i8254_io_write(&t, 0x43, 0x30);             /* mode 0 */
    i8254_io_write(&t, 0x40, 100);
    i8254_io_write(&t, 0x40, 0);
    m->now = m->timers[t.timer].when;
    run_timers(m);
    assert_true(cpu_line(m));
    assert_false(m->timers[t.timer].armed);     /* once only */
    /* Counter 2 through port 0x61: gate it and watch OUT go high at terminal count. */
    i8254_io_write(&t, 0x61, 0x01);
    i8254_io_write(&t, 0x43, 0xb0);
    i8254_io_write(&t, 0x42, 10);
    i8254_io_write(&t, 0x42, 0);
    assert_int_equal(i8254_io_read(&t, 0x61) & 0x20, 0);
    m->now += HZ / 1000;
    assert_int_equal(i8254_io_read(&t, 0x61) & 0x20, 0x20);
    free_machine(m);
}

static uint8_t cmos(rtc *r, uint8_t idx)
{
    rtc_io_write(r, 0x70, idx);
    return rtc_io_read(r, 0x71);
}

static void cmos_write(rtc *r, uint8_t idx, uint8_t v)
{
    rtc_io_write(r, 0x70, idx);
    rtc_io_write(r, 0x71, v);
}

static void test_rtc_time_and_uip(void **state)
{
    (void)state;
    machine *m = new_machine();
    i8259 p;
    rtc r;
    i8259_init(&p, m, 0, 0);
    assert_int_equal(rtc_init(&r, m, &p, 8, RTC_DEFAULT_EPOCH), 0);
    /* 2024-01-01 00:00:00 (a Monday) in BCD. */
    assert_int_equal(cmos(&r, 0x09), 0x24);
    assert_int_equal(cmos(&r, 0x08), 0x01);
    assert_int_equal(cmos(&r, 0x07), 0x01);
    assert_int_equal(cmos(&r, 0x06), 0x02);
    assert_int_equal(cmos(&r, 0x00), 0x00);
    assert_int_equal(cmos(&r, 0x0d), 0x80);
    /* UIP rises 244 us before the second boundary and falls at it. */
    m->now = HZ - HZ / 1000000 * 250;
    assert_int_equal(cmos(&r, 0x0a) & 0x80, 0);
    m->now = HZ - HZ / 1000000 * 200;
    assert_int_equal(cmos(&r, 0x0a) & 0x80, 0x80);
    assert_int_equal(cmos(&r, 0x00), 0x00);
    m->now = HZ;
    assert_int_equal(cmos(&r, 0x0a) & 0x80, 0);
    assert_int_equal(cmos(&r, 0x00), 0x01);
    /* 59 more seconds: one minute. */
    m->now = 60 * HZ + 5;
    assert_int_equal(cmos(&r, 0x00), 0x00);
    assert_int_equal(cmos(&r, 0x02), 0x01);

    /* Set a time in binary mode with SET held: it stands still until SET clears. */
    cmos_write(&r, 0x0b, 0x86);                 /* SET, binary, 24 h */
    cmos_write(&r, 0x04, 23);
    cmos_write(&r, 0x02, 59);
    cmos_write(&r, 0x00, 59);
    cmos_write(&r, 0x07, 31);
    cmos_write(&r, 0x08, 12);
    cmos_write(&r, 0x09, 99);
    m->now += 3 * HZ;
    assert_int_equal(cmos(&r, 0x00), 59);
    assert_int_equal(cmos(&r, 0x0a) & 0x80, 0);  /* no update while SET */
    cmos_write(&r, 0x0b, 0x06);
    m->now += HZ;
    assert_int_equal(cmos(&r, 0x00), 0);
    assert_int_equal(cmos(&r, 0x09), 0);        /* 1999-12-31 23:59:59 + 1 s = 2000 */
    assert_int_equal(cmos(&r, 0x08), 1);
    assert_int_equal(rtc_time(&r), 946684800);
    /* The 12-hour format marks PM in bit 7. */
    cmos_write(&r, 0x0b, 0x04);
    cmos_write(&r, 0x04, 0x80 | 3);             /* 3 PM */
    assert_int_equal(cmos(&r, 0x04), 0x83);
    cmos_write(&r, 0x0b, 0x06);
    assert_int_equal(cmos(&r, 0x04), 15);
    free_machine(m);
}

static void test_rtc_interrupts(void **state)
{
    (void)state;
    machine *m = new_machine();
    i8259 p;
    rtc r;
    i8259_init(&p, m, 0, 0);
    linux_pic_init(&p);
    i8259_io_write(&p, 0xa1, 0xfe);             /* IRQ 8 */
    assert_int_equal(rtc_init(&r, m, &p, 8, RTC_DEFAULT_EPOCH), 0);
    /* Update-ended interrupt once a second. */
    cmos_write(&r, 0x0b, 0x12);                 /* UIE, 24 h */
    assert_true(m->timers[r.timer].armed);
    assert_int_equal(m->timers[r.timer].when, HZ);
    m->now = HZ;
    run_timers(m);
    assert_true(cpu_line(m));
    assert_int_equal(i8259_iack(&p), 8);
    uint8_t c = cmos(&r, 0x0c);
    assert_int_equal(c & 0x90, 0x90);            /* IRQF | UF */
    assert_int_equal(cmos(&r, 0x0c), 0);         /* cleared by the read */
    /* Periodic flag at 1024 Hz even with PIE clear; no interrupt without PIE. */
    cmos_write(&r, 0x0b, 0x02);
    m->now += HZ / 512;
    assert_int_equal(cmos(&r, 0x0c) & 0xc0, 0x40);
    free_machine(m);
}

static void test_uart(void **state)
{
    (void)state;
    machine *m = new_machine();
    i8259 p;
    uart u;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    i8259_init(&p, m, 0, 0);
    linux_pic_init(&p);
    i8259_io_write(&p, 0x21, 0xeb);             /* IRQ 4 */
    uart_init(&u, &p, 4, out);
    /* The 8250 driver's probe: IER keeps 4 bits, FIFO reported as 16550A. */
    uart_write(&u, 1, 0x00);
    assert_int_equal(uart_read(&u, 1), 0x00);
    uart_write(&u, 1, 0xff);
    assert_int_equal(uart_read(&u, 1), 0x0f);
    uart_write(&u, 1, 0x00);
    uart_write(&u, 2, 0x07);
    assert_int_equal(uart_read(&u, 2) & 0xc0, 0xc0);
    assert_int_equal(uart_read(&u, 5) & 0x60, 0x60);   /* THRE | TEMT */
    /* Transmit. */
    const char *s = "hello\n";
    for (const char *q = s; *q; q++)
        uart_write(&u, 0, (uint8_t)*q);
    fflush(out);
    assert_int_equal(len, 6);
    assert_memory_equal(buf, s, 6);
    /* THRE interrupt: raised on enable, needs OUT2, acknowledged by reading IIR. */
    uart_write(&u, 1, 0x02);
    assert_int_equal(uart_read(&u, 2) & 0x0f, 0x02);
    assert_int_equal(uart_read(&u, 2) & 0x0f, 0x01);
    uart_write(&u, 4, 0x08);                    /* OUT2 */
    uart_write(&u, 1, 0x00);
    uart_write(&u, 1, 0x02);
    assert_true(cpu_line(m));
    uart_read(&u, 2);
    assert_false(cpu_line(m));
    uart_write(&u, 1, 0x00);
    /* Loopback: bytes come back, nothing reaches the host, MSR mirrors MCR. */
    uart_write(&u, 4, 0x10 | 0x02);
    uart_write(&u, 0, 'x');
    assert_int_equal(uart_read(&u, 5) & 0x01, 0x01);
    assert_int_equal(uart_read(&u, 0), 'x');
    assert_int_equal(uart_read(&u, 6) & 0xf0, 0x10);   /* CTS from RTS */
    fflush(out);
    assert_int_equal(len, 6);
    /* Received data interrupt. */
    uart_write(&u, 4, 0x08);
    uart_write(&u, 1, 0x01);
    assert_true(uart_receive(&u, 'k'));
    assert_true(cpu_line(m));
    assert_int_equal(uart_read(&u, 2) & 0x0f, 0x04);
    assert_int_equal(uart_read(&u, 2) & 0x0f, 0x04);   /* trigger level 1 reached */
    uart_write(&u, 2, 0x41);                    /* trigger level 4 */
    assert_int_equal(uart_read(&u, 2) & 0x0f, 0x0c);   /* below it: character timeout */
    assert_int_equal(uart_read(&u, 0), 'k');
    assert_false(cpu_line(m));
    fclose(out);
    free(buf);
    free_machine(m);
}

typedef struct chipset {
    machine *m;
    piix4 sb;
    gt64120 gt;
    uart com1;
} chipset;

static chipset *new_chipset(void)
{
    chipset *c = calloc(1, sizeof(*c));
    c->m = new_machine();
    assert_int_equal(piix4_init(&c->sb, c->m, 0, 0, RTC_DEFAULT_EPOCH), 0);
    uart_init(&c->com1, &c->sb.pic, 4, NULL);
    assert_int_equal(piix4_attach_uart(&c->sb, 0x3f8, &c->com1), 0);
    gt64120_init(&c->gt, c->m, &piix4_pci_ops, &c->sb, MALTA_GT_BASE, MALTA_PCI_IO_BASE,
                 MALTA_PCI_MEM_BASE);
    return c;
}

static void free_chipset(chipset *c)
{
    free_machine(c->m);
    free(c);
}

static uint32_t cfg_read(chipset *c, int dev, int fn, int reg)
{
    gt64120_reg_write(&c->gt, GT64120_PCI0_CFGADDR,
                      0x80000000u | (uint32_t)dev << 11 | (uint32_t)fn << 8 | (uint32_t)reg, 4);
    return gt64120_reg_read(&c->gt, GT64120_PCI0_CFGDATA, 4);
}

static void cfg_write(chipset *c, int dev, int fn, int reg, uint32_t v)
{
    gt64120_reg_write(&c->gt, GT64120_PCI0_CFGADDR,
                      0x80000000u | (uint32_t)dev << 11 | (uint32_t)fn << 8 | (uint32_t)reg, 4);
    gt64120_reg_write(&c->gt, GT64120_PCI0_CFGDATA, v, 4);
}

static void test_gt64120_pci(void **state)
{
    (void)state;
    chipset *c = new_chipset();
    /* What Linux reads to find the windows. */
    assert_int_equal(gt64120_reg_read(&c->gt, GT64120_PCI0IOLD, 4), 0xc0);
    assert_int_equal(gt64120_reg_read(&c->gt, GT64120_PCI0M0LD, 4), 0x80);
    assert_int_equal(gt64120_reg_read(&c->gt, GT64120_ISD, 4), 0xdf);
    /* Bus 0: GT at device 0, PIIX4 functions 0 and 3 at device 10. */
    assert_int_equal(cfg_read(c, 0, 0, 0), 0x462011ab);
    assert_int_equal(cfg_read(c, 10, 0, 0), 0x71108086);
    assert_int_equal(cfg_read(c, 10, 0, 0x0c) >> 16 & 0x80, 0x80);   /* multi-function */
    assert_int_equal(cfg_read(c, 10, 3, 0), 0x71138086);
    assert_int_equal(gt64120_reg_read(&c->gt, GT64120_INTRCAUSE, 4), 0);
    /* An absent function: all ones and a master abort, cleared by writing 0. */
    assert_int_equal(cfg_read(c, 5, 0, 0), 0xffffffffu);
    assert_true(gt64120_reg_read(&c->gt, GT64120_INTRCAUSE, 4) & GT64120_INTR_MASABORT0);
    gt64120_reg_write(&c->gt, GT64120_INTRCAUSE, ~(GT64120_INTR_MASABORT0 |
                                                   GT64120_INTR_TARABORT0), 4);
    assert_int_equal(gt64120_reg_read(&c->gt, GT64120_INTRCAUSE, 4), 0);
    /* IDs are read-only; configuration registers keep what is written. */
    cfg_write(c, 10, 0, 0, 0);
    assert_int_equal(cfg_read(c, 10, 0, 0), 0x71108086);
    cfg_write(c, 10, 0, 0x60, 0x0b0b0a0a);
    assert_int_equal(cfg_read(c, 10, 0, 0x60), 0x0b0b0a0a);
    /* IACK: the 8259's vector through the GT. */
    linux_pic_init(&c->sb.pic);
    i8259_io_write(&c->sb.pic, 0x21, 0xeb);
    i8259_set_irq(&c->sb.pic, 4, true);
    assert_int_equal(gt64120_reg_read(&c->gt, GT64120_PCI0_IACK, 4) & 0xff, 4);
    /* PCI I/O window: port 0x70/0x71 reach the RTC, absent ports read all ones. */
    gt64120_io_ops.write(&c->gt, -1, 0x70, 0x0d, 1);
    assert_int_equal(gt64120_io_ops.read(&c->gt, -1, 0x71, 1), 0x80);
    assert_int_equal(gt64120_io_ops.read(&c->gt, -1, 0x2f9, 1), 0xff);
    assert_int_equal(gt64120_io_ops.read(&c->gt, -1, 0x2f8, 4), 0xffffffffu);
    free_chipset(c);
}

static void test_piix4_poweroff(void **state)
{
    (void)state;
    chipset *c = new_chipset();
    /* Linux's Malta fixup: PM I/O at 0x1000, enabled. */
    cfg_write(c, 10, 3, 0x40, 0x1000);
    cfg_write(c, 10, 3, 0x80, 0x01);
    assert_int_equal(cfg_read(c, 10, 3, 0x40), 0x1001);
    /* The ACPI PM timer counts at 3.58 MHz of simulated time. */
    c->m->now = HZ / 1000;
    uint32_t t = piix4_io_read(&c->sb, 0x1008, 4);
    assert_true(t >= 3578 && t <= 3581);
    /* Power button status is write-1-to-clear; the power-off sequence halts. */
    piix4_io_write(&c->sb, 0x1000, 0xffff, 2);
    assert_int_equal(piix4_io_read(&c->sb, 0x1000, 2), 0);
    assert_false(c->m->halted);
    piix4_io_write(&c->sb, 0x1004, 0x2000, 2);  /* SUS_EN, SUS_TYP = soft off */
    assert_true(c->m->halted);
    assert_int_equal(c->m->exit_code, 0);
    assert_string_equal(c->m->halt_reason, "poweroff");
    assert_int_equal(piix4_io_read(&c->sb, 0x1004, 2) & 0x2000, 0);   /* write-only */
    /* PM block disabled: the ports are no longer decoded. */
    cfg_write(c, 10, 3, 0x80, 0x00);
    assert_int_equal(piix4_io_read(&c->sb, 0x1008, 4), 0xffffffffu);
    free_chipset(c);
}

static void test_resets(void **state)
{
    (void)state;
    chipset *c = new_chipset();
    piix4_io_write(&c->sb, 0xcf9, 0x02, 1);     /* hard-reset select alone: nothing */
    assert_false(c->m->halted);
    piix4_io_write(&c->sb, 0xcf9, 0x06, 1);     /* RST_CPU */
    assert_true(c->m->halted);
    assert_int_equal(c->m->exit_code, PIIX4_EXIT_RESET);
    assert_string_equal(c->m->halt_reason, "reset");
    free_chipset(c);

    machine *m = new_machine();
    malta_fpga f;
    malta_fpga_init(&f, m);
    malta_fpga_ops.write(&f, 0, 0x418, 'L', 4);  /* ASCII display position 0 */
    assert_int_equal(malta_fpga_ops.read(&f, 0, 0x418, 4), 'L');
    assert_int_equal(malta_fpga_ops.read(&f, 0, 0x900, 4), 0);   /* no CBUS UART */
    malta_fpga_ops.write(&f, 0, 0x500, 0x41, 4);
    assert_false(m->halted);
    malta_fpga_ops.write(&f, 0, 0x500, 0x42, 4);  /* SOFTRES magic */
    assert_true(m->halted);
    assert_int_equal(m->exit_code, MALTA_FPGA_EXIT_RESET);
    assert_string_equal(m->halt_reason, "reset");
    free_machine(m);
}

/* ---- board input checks ------------------------------------------------------------- */

static char *write_temp(const void *data, size_t n)
{
    char *path = strdup("/tmp/malta-test-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
    return path;
}

/* A minimal mipsel ELF: one kseg0 segment at 0x80100000 holding "b . ; nop". */
static size_t make_elf(uint8_t *buf, bool big_endian)
{
    memset(buf, 0, 256);
    memcpy(buf, "\177ELF", 4);
    buf[4] = 1;                                 /* 32-bit */
    buf[5] = big_endian ? 2 : 1;
    buf[6] = 1;
#define W16(o, v) (buf[o] = (uint8_t)(v), buf[(o) + 1] = (uint8_t)((v) >> 8))
#define W32(o, v) (W16(o, (v) & 0xffff), W16((o) + 2, (uint32_t)(v) >> 16))
    W16(16, 2);                                 /* ET_EXEC */
    W16(18, 8);                                 /* EM_MIPS */
    W32(20, 1);
    W32(24, 0x80100000u);                       /* entry */
    W32(28, 52);                                /* phoff */
    W16(40, 52);
    W16(42, 32);
    W16(44, 1);
    W32(52 + 0, 1);                             /* PT_LOAD */
    W32(52 + 4, 128);                           /* offset */
    W32(52 + 8, 0x80100000u);
    W32(52 + 12, 0x80100000u);
    W32(52 + 16, 8);
    W32(52 + 20, 4096);
    W32(52 + 24, 7);
    W32(128, 0x1000ffffu);
#undef W16
#undef W32
    return 136;
}

static int setup_with(machine *m, const char *kernel, const char *initrd, uint64_t mem)
{
    malta_options o = {kernel, initrd, "console=ttyS0", mem, NULL, NULL, NULL};
    uint32_t entry = 0;
    return board_malta_setup(m, &o, &entry);
}

static void test_board_bad_input(void **state)
{
    (void)state;
    uint8_t elf[256];
    char *not_elf = write_temp("#!/bin/sh\necho not a kernel\n", 28);
    size_t n = make_elf(elf, true);
    char *big = write_temp(elf, n);
    n = make_elf(elf, false);
    char *truncated = write_temp(elf, 100);     /* segment data cut off */
    char *good = write_temp(elf, n);

    const char *bad[] = {not_elf, big, truncated, "/nonexistent/vmlinux"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        machine *m = new_machine();
        assert_int_equal(setup_with(m, bad[i], NULL, 0), -2);
        board_malta_destroy(m);
        free_machine(m);
    }
    machine *m = new_machine();
    assert_int_equal(setup_with(m, good, NULL, 16ull << 20), -2);   /* too little RAM */
    free_machine(m);
    m = new_machine();
    assert_int_equal(setup_with(m, good, "/nonexistent/initrd", 0), -2);
    board_malta_destroy(m);
    free_machine(m);

    /* A good kernel and initrd: the YAMON hand-over as Linux reads it. */
    char *initrd = write_temp("0123456789", 10);
    m = new_machine();
    assert_int_equal(setup_with(m, good, initrd, 64ull << 20), 0);
    machine_start(m, 0x80100000u);
    board_malta_boot_cpu(m);
    cpu *c = m->cpus[0];
    assert_int_equal(cpu_get_gpr(c, 4), 2);
    assert_int_equal(cpu_get_gpr(c, 7), 64u << 20);
    malta_board *b = board_malta_get(m);
    assert_non_null(b);
    assert_int_equal(b->initrd_start, (64u << 20) - 4096);
    uint32_t argv1 = 0, envp0 = 0, envp1 = 0;
    assert_int_equal(cpu_phys_read32(c, (cpu_get_gpr(c, 5) & 0x1fffffff) + 4, &argv1), 0);
    const char *cmd = (const char *)bus_ram_ptr(&m->bus, argv1 & 0x1fffffff, 1);
    assert_string_equal(cmd, "rd_start=0x83fff000 rd_size=10 console=ttyS0");
    assert_int_equal(cpu_phys_read32(c, (cpu_get_gpr(c, 6) & 0x1fffffff), &envp0), 0);
    assert_int_equal(cpu_phys_read32(c, (cpu_get_gpr(c, 6) & 0x1fffffff) + 4, &envp1), 0);
    assert_string_equal((const char *)bus_ram_ptr(&m->bus, envp0 & 0x1fffffff, 1), "memsize");
    assert_string_equal((const char *)bus_ram_ptr(&m->bus, envp1 & 0x1fffffff, 1), "67108864");
    /* The board revision word says CoreLV (GT-64120). */
    uint32_t rev = 0;
    assert_int_equal(bus_read(&m->bus, -1, 0x1fc00010, 4, &rev), 0);
    assert_int_equal(rev, MALTA_REVISION);
    board_malta_destroy(m);
    free_machine(m);

    /* Console input: bytes from the host reach the UART's receive FIFO; EOF stops it. */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    FILE *in = fdopen(fds[0], "r");
    m = new_machine();
    malta_options o = {good, NULL, "", 0, NULL, NULL, in};
    uint32_t entry;
    assert_int_equal(board_malta_setup(m, &o, &entry), 0);
    b = board_malta_get(m);
    assert_int_equal(write(fds[1], "ls\n", 3), 3);
    close(fds[1]);
    run_timers(m);
    assert_int_equal(b->com1.rx_count, 1);      /* FIFO off: room for one byte */
    assert_int_equal(uart_read(&b->com1, 0), 'l');
    uart_write(&b->com1, 2, 0x01);              /* FIFO on */
    m->now += HZ / 100;
    run_timers(m);
    assert_int_equal(b->com1.rx_count, 2);
    assert_int_equal(uart_read(&b->com1, 0), 's');
    m->now += HZ / 100;
    run_timers(m);                              /* EOF */
    assert_int_equal(b->in_fd, -1);
    board_malta_destroy(m);
    free_machine(m);
    fclose(in);

    const char *files[] = {not_elf, big, truncated, good, initrd};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        unlink(files[i]);
        free((void *)files[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_i8259_master_and_cascade),
        cmocka_unit_test(test_i8259_edge_and_level),
        cmocka_unit_test(test_i8254_rate_generator),
        cmocka_unit_test(test_i8254_one_shot),
        cmocka_unit_test(test_rtc_time_and_uip),
        cmocka_unit_test(test_rtc_interrupts),
        cmocka_unit_test(test_uart),
        cmocka_unit_test(test_gt64120_pci),
        cmocka_unit_test(test_piix4_poweroff),
        cmocka_unit_test(test_resets),
        cmocka_unit_test(test_board_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
